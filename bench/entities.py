"""Entities: Steppe (NER + clean-up + KB) vs plain spaCy NER, side by side, in one run.

    python bench/entities.py [--limit N] [--repeat R]

1. Entity P/R/F1 on ../shared/eval/ner-conllpp/conllpp_dev.txt (CoNLL++ dev, read in place):
   exact token span and type. Each -DOCSTART- document is one text (sentences joined by
   newlines, tokens by spaces). spaCy (OntoNotes) labels map to CoNLL types:
       PERSON -> PER;  ORG -> ORG;  GPE, LOC, FAC -> LOC;
       NORP, EVENT, PRODUCT, WORK_OF_ART, LAW, LANGUAGE -> MISC;
       numeric labels (DATE, TIME, CARDINAL, ORDINAL, QUANTITY, MONEY, PERCENT) and Steppe's
       ROLE mentions -> not entities (CoNLL does not tag them).
   A predicted span that does not fall on CoNLL token boundaries is widened to the tokens
   it touches (and so is usually wrong).
2. Linking accuracy on tests/data/corpus_mentions.yaml (our own labels for ../shared/corpus):
   a labelled mention is right when the mention covering it has the expected actor (or one of
   the accepted alternatives); for `actor: null` rows, right when it stays unlinked.
3. Speed on ../shared/corpus: words/s and mentions/s per CPU-second (process_time, so other
   load on the machine does not skew it), one process, annotate() per page.

Skips cleanly when ../shared is absent.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import EVAL_DIR, eval_dir, f1  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = EVAL_DIR.parent / "corpus"
LABELS = ROOT / "tests" / "data" / "corpus_mentions.yaml"

CONLL_TYPE = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}

Spans = set[tuple[int, int, int, str]]  # (doc, first token, last token + 1, type)


# --- CoNLL ------------------------------------------------------------------------------------


def conll_docs(path: Path, limit: int | None) -> Iterator[list[list[tuple[str, str]]]]:
    """Documents as lists of sentences of (token, IOB tag); ``limit`` counts sentences."""
    doc: list[list[tuple[str, str]]] = []
    sent: list[tuple[str, str]] = []
    n = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if sent:
                doc.append(sent)
                n += 1
                sent = []
                if limit is not None and n >= limit:
                    break
            continue
        if parts[0] == "-DOCSTART-":
            if doc:
                yield doc
            doc = []
            continue
        sent.append((parts[0], parts[-1]))
    if sent:
        doc.append(sent)
    if doc:
        yield doc


def doc_text(doc: list[list[tuple[str, str]]]) -> tuple[str, list[tuple[int, int]], list[str]]:
    """Text, per-token char offsets and IOB tags of one document."""
    pieces, offsets, tags, pos = [], [], [], 0
    for sent in doc:
        for k, (tok, tag) in enumerate(sent):
            if k:
                pieces.append(" ")
                pos += 1
            offsets.append((pos, pos + len(tok)))
            tags.append(tag)
            pieces.append(tok)
            pos += len(tok)
        pieces.append("\n")
        pos += 1
    return "".join(pieces), offsets, tags


def gold_spans(d: int, tags: list[str]) -> Spans:
    out: Spans = set()
    start, typ = None, None
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and typ == tag[2:] and start is not None
        if not inside:
            if start is not None:
                out.add((d, start, i, typ))
            start, typ = (i, tag[2:]) if tag != "O" else (None, None)
    return out


def to_tokens(d: int, spans: list[tuple[int, int, str]], offsets: list[tuple[int, int]]) -> Spans:
    out: Spans = set()
    for start, end, label in spans:
        typ = CONLL_TYPE.get(label)
        if typ is None:
            continue
        toks = [i for i, (a, b) in enumerate(offsets) if a < end and b > start]
        if toks:
            out.add((d, toks[0], toks[-1] + 1, typ))
    return out


def prf(gold: Spans, pred: Spans) -> tuple[float, float, float]:
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, f1(p, r)


def per_type(gold: Spans, pred: Spans) -> dict[str, float]:
    return {
        t: prf({g for g in gold if g[3] == t}, {p for p in pred if p[3] == t})[2]
        for t in ("PER", "ORG", "LOC", "MISC")
    }


# --- linking on the corpus --------------------------------------------------------------------


def linking(annotate: Callable[[str], list]) -> tuple[Counter, list[str]]:
    rows = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["mentions"]
    cache: dict[str, tuple[str, list]] = {}
    counts: Counter = Counter()
    errors: list[str] = []
    for row in rows:
        path = CORPUS / row["file"]
        if not path.exists():
            continue
        if row["file"] not in cache:
            text = path.read_text(encoding="utf-8")
            cache[row["file"]] = (text, annotate(text))
        text, mentions = cache[row["file"]]
        nths = range(text.count(row["text"])) if row["nth"] == "all" else [row["nth"]]
        for n in nths:
            pos = -1
            for _ in range(n + 1):
                pos = text.find(row["text"], pos + 1)
            end = pos + len(row["text"])
            covering = [m for m in mentions if m.start <= pos and end <= m.end]
            exact = [m for m in covering if (m.start, m.end) == (pos, end)]
            m = (exact or sorted(covering, key=lambda m: m.end - m.start) or [None])[0]
            got = m.actor if m else None
            expected = row["actor"]
            ok = got is None if expected is None else got in [expected, *(row.get("accept") or [])]
            kind = "unlinked" if expected is None else "linked"
            counts[f"{kind}_total"] += 1
            counts[f"{kind}_ok"] += ok
            if not ok:
                errors.append(f"{row['file'][:3]} {row['text']!r}#{n}: want {expected}, got {got}")
    return counts, errors


# --- main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="CoNLL dev sentences to use")
    parser.add_argument("--repeat", type=int, default=5, help="corpus passes for the speed figure")
    parser.add_argument("--errors", action="store_true", help="print linking errors")
    args = parser.parse_args(argv)

    conll = eval_dir("ner-conllpp")
    if conll is None or not CORPUS.is_dir():
        print(f"skip: ../shared not found at {EVAL_DIR.parent} (needs eval/ner-conllpp and corpus)")
        return 0

    from steppe.enrich.entities import EntityAnnotator, PipelineMissing

    try:
        ann = EntityAnnotator()
    except PipelineMissing as err:
        print(f"skip: {err}")
        return 0
    nlp = ann.nlp  # plain spaCy: the same loaded NER component, its doc.ents as they come

    docs = list(conll_docs(conll / "conllpp_dev.txt", args.limit))
    gold: Spans = set()
    pred_steppe: Spans = set()
    pred_spacy: Spans = set()
    texts = []
    for d, doc in enumerate(docs):
        text, offsets, tags = doc_text(doc)
        texts.append(text)
        gold |= gold_spans(d, tags)
    t_spacy = t_steppe = 0.0
    for d, text in enumerate(texts):
        offsets = doc_text(docs[d])[1]
        t0 = time.process_time()
        sdoc = nlp(text)
        t1 = time.process_time()
        mentions = ann.mentions_from_doc(sdoc)
        t2 = time.process_time()
        t_spacy += t1 - t0
        t_steppe += t2 - t0
        pred_spacy |= to_tokens(d, [(e.start_char, e.end_char, e.label_) for e in sdoc.ents], offsets)
        pred_steppe |= to_tokens(d, [(m.start, m.end, m.label) for m in mentions], offsets)
    n_words = sum(len(s) for doc in docs for s in doc)

    counts, errors = linking(ann.annotate)
    plain_counts, _ = linking(lambda text: _plain_mentions(nlp, ann, text))

    corpus_texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    corpus_words = sum(len(t.split()) for t in corpus_texts)
    t0 = time.process_time()
    n_mentions = 0
    for _ in range(args.repeat):
        for t in corpus_texts:
            n_mentions += len(ann.annotate(t))
    t_corpus = time.process_time() - t0
    t0 = time.process_time()
    n_ents = 0
    for _ in range(args.repeat):
        for t in corpus_texts:
            n_ents += sum(e.label_ in CONLL_TYPE for e in nlp(t).ents)
    t_corpus_spacy = time.process_time() - t0

    ps, rs, fs = prf(gold, pred_spacy)
    pt, rt, ft = prf(gold, pred_steppe)
    ts, tt = per_type(gold, pred_spacy), per_type(gold, pred_steppe)
    print(f"pipeline: {ann.pipeline} (components: {', '.join(nlp.pipe_names)}); "
          f"CoNLL++ dev: {len(docs)} docs, {n_words} tokens, {len(gold)} gold entities")
    print(f"{'metric':<38} {'spaCy NER':>12} {'Steppe':>12} {'delta':>8}")
    rows = [
        ("CoNLL++ dev entity precision", ps, pt),
        ("CoNLL++ dev entity recall", rs, rt),
        ("CoNLL++ dev entity F1", fs, ft),
        *[(f"  F1 {t}", ts[t], tt[t]) for t in ("PER", "ORG", "LOC", "MISC")],
        ("corpus linking accuracy (linked)", _acc(plain_counts, "linked"), _acc(counts, "linked")),
        ("corpus stays-unlinked accuracy", _acc(plain_counts, "unlinked"), _acc(counts, "unlinked")),
        ("corpus linking accuracy (all rows)", _acc(plain_counts), _acc(counts)),
    ]
    for name, a, b in rows:
        print(f"{name:<38} {a:>12.3f} {b:>12.3f} {b - a:>+8.3f}")
    print(f"{'CoNLL++ dev words/s':<38} {n_words / t_spacy:>12.0f} {n_words / t_steppe:>12.0f}")
    print(f"{'corpus words/s':<38} {corpus_words * args.repeat / t_corpus_spacy:>12.0f} "
          f"{corpus_words * args.repeat / t_corpus:>12.0f}")
    print(f"{'corpus mentions/s':<38} {n_ents / t_corpus_spacy:>12.0f} {n_mentions / t_corpus:>12.0f}")
    print(f"linking rows: {counts['linked_total']} to link, {counts['unlinked_total']} to leave "
          f"unlinked; plain spaCy column = exact alias lookup of spaCy's spans, no clean-up/context")
    if args.errors:
        for e in errors:
            print("  linking error:", e)
    return 0


def _plain_mentions(nlp, ann, text: str) -> list:
    """Baseline linker: spaCy's spans as they come, exact folded-alias lookup, first hit."""
    from steppe.model import Mention

    out = []
    for e in nlp(text).ents:
        if e.label_ not in CONLL_TYPE:
            continue
        hits = ann.kb.lookup(e.text)
        out.append(Mention(e.start_char, e.end_char, e.text, e.label_, hits[0][0].id if hits else None))
    return out


def _acc(counts: Counter, kind: str | None = None) -> float:
    if kind is None:
        total = counts["linked_total"] + counts["unlinked_total"]
        ok = counts["linked_ok"] + counts["unlinked_ok"]
    else:
        total, ok = counts[f"{kind}_total"], counts[f"{kind}_ok"]
    return ok / total if total else 0.0


if __name__ == "__main__":
    raise SystemExit(main())
