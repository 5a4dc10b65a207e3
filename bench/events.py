"""Benchmark the PLOVER event coders on the shared evaluation sets, side by side in one run.

Coders: ``rules`` (the rule coder alone, as before issue 12), ``steppe`` (rules combined with
the trained classifier, ``steppe.enrich.events.coder``), ``classifier`` (the classifier alone,
no sides) and ``majority`` (the most frequent gold class).

Anything trained is measured on data it did not learn from: the classifier's heads are
refitted per fold (``bench/train_events.py``'s fitting, the shipped C and temperature), on
everything except the fold being scored.

1. ``../shared/eval/events-plover-dev/records.json`` (158 PLOVER gold-standard records), 5-fold:
   event type accuracy and quad accuracy of the coder's best event per sentence,
   source and target country precision/recall/F1 by PLOVER ``code`` (ISO3; ``IGO`` for
   international organisations).
2. ``../shared/eval/events-cameo-train/cameo_class_train.tsv`` (1,349 sentences), 5-fold: quad
   accuracy on sentences with an event, share of neutral (class 0) sentences left empty, and the
   choice of ``RULE_WEIGHT`` and ``DROP_MIN`` (every pair of ``GRID`` side by side).
3. ``cameo_ner_train.txt`` (S/T role tags, all sentences), rules alone and Steppe: source/target
   span F1 (exact and overlapping) and country F1, the gold side's countries being the linked
   mentions inside its tagged span (the file tags spans, not countries).
4. Speed: sentences/s and events/s of the full pipeline (NER + linking + parse + rules +
   encoder + heads) over the PLOVER sentences, one process, batched as the enrich stage runs
   it and one sentence at a time, with the load average (``--speed``: this part only).
5. ``../shared/eval/events-petrarch-unittest/PETR.UnitTest.records.xml``: share of
   expected (source, target, CAMEO code -> PLOVER type via ``CAMEO2PLOVER-2021.txt``)
   triples found, and share of no-event sentences left empty. PETRARCH's actors are
   fictional ("Arnor" = ARN); an expected code matches a side when the side has that
   country, or a capitalised word of the side starts with the code's three letters.
6. ``bench/data/event_written_*.jsonl`` (``writers``): each writer's set coded with heads
   fitted without it (type, quad, no event left empty, countries): the held-out-writer
   figures, on sentences nobody tuned for.
7. ``bench/corpus_events.json``: the events of the five corpus pages, coded by hand; how many
   Steppe finds, and its timeline's dated events (``bench/corpus_events.py``).

Types are compared by PLOVER family (ACCUSE counts as DISAPPROVE, REQUEST as DEMAND:
see ``steppe.enrich.plover``). For PETRARCH, CAMEO 18-20 map to ASSAULT in the 2021
table, which merged FIGHT into ASSAULT, so either of the two matches there.

Baselines beside each figure: the majority class (most frequent gold type/quad) and,
for actors, "first two linked mentions of the sentence are source and target".

Run: ``python bench/events.py [--speed] [--only plover,cameo,writers,roles,speed,petrarch,corpus]``
(skips cleanly when ../shared is absent).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
PLOVER_DIR = EVAL / "events-plover-dev"
PETR_DIR = EVAL / "events-petrarch-unittest"
CAMEO_DIR = EVAL / "events-cameo-train"
# (RULE_WEIGHT, DROP_MIN) pairs scored side by side; the shipped pair is chosen from these.
GRID = tuple((w, d) for w in (3.0, 10.0, 20.0, 30.0, 100.0) for d in (0.7, 0.9, 0.95))
# SPEECH_TOP_K values scored side by side (0: the classifier may always retype a speech act)
SPEECH_KS = (0, 1, 2, 3)
# FALLBACK_MIN values scored side by side (the shipped pair; the classifier's own events)
FALLBACK_MINS = (0.2, 0.3, 0.4, 0.5)
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _codes(value: Any) -> set[str]:
    if not isinstance(value, list):
        return set()
    out = set()
    for a in value:
        code = a.get("code") if isinstance(a, dict) else a
        if isinstance(code, str) and code.strip():
            out.add(code.strip().upper())
    return out


def _side_codes(side: Any, coder: Any) -> set[str]:
    if side is None:
        return set()
    codes = set(side.countries)
    for actor in side.actors:
        kind = coder.actor_type(actor)
        if kind == "organisation":
            codes.add("IGO")
    return codes


def _best(events: list[Any]) -> Any:
    return max(events, key=lambda e: e.confidence) if events else None


def _pr(tp: int, n_pred: int, n_gold: int) -> tuple[float, float]:
    return (tp / n_pred if n_pred else 0.0), (tp / n_gold if n_gold else 0.0)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# --- cross-validated classifiers -------------------------------------------------------------

class _FoldClassifiers:
    """One classifier per (set, fold), fitted on everything but that fold's sentences."""

    def __init__(self) -> None:
        import train_events as te
        from steppe.enrich.events.learned import EventClassifier, load_head

        self.te = te
        self.data = te.load_all()
        shipped_q, shipped_t, _ = load_head()
        self.Tq, self.Tt = shipped_q.T, shipped_t.T
        self.EventClassifier = EventClassifier
        self.C_q, self.C_t = te.C_QUAD, te.C_TYPE
        self.folds: dict[str, np.ndarray] = {}
        for src in ("cameo", "plover"):
            idx = [i for i, s in enumerate(self.data.samples) if s.source == src]
            labels = [self.data.samples[i].quad if src == "cameo" else self.data.samples[i].type
                      for i in idx]
            self.folds[src] = np.full(len(self.data.samples), -1)
            self.folds[src][idx] = te.fold_ids(labels)
        for w in te.writers():  # held-out writer: one "fold", that writer's whole set
            self.folds[f"writer {w}"] = np.array([0 if s.writer == w else -1
                                                  for s in self.data.samples])
        self._cache: dict[tuple[str, int], Any] = {}
        self._encoder: Any = None

    def fold_of(self, src: str, ref: str) -> int:
        i = next(i for i, s in enumerate(self.data.samples) if s.ref == ref)
        return int(self.folds[src][i])

    def classifier(self, src: str, fold: int) -> Any:
        key = (src, fold)
        if key not in self._cache:
            te, S, X = self.te, self.data.samples, self.data.X
            keep = self.folds[src] != fold
            Xq = X[keep]
            yq = [s.quad for s, k in zip(S, keep, strict=True) if k]
            quad = te.fit_lr(Xq, yq, te.QUAD_CLASSES, self.C_q)
            quad.T = self.Tq
            typed = [k and s.type not in (None, te.NO_EVENT) for s, k in zip(S, keep, strict=True)]
            types = te.fit_lr(X[typed], [s.type for s, t in zip(S, typed, strict=True) if t],
                              te.TYPE_CLASSES, self.C_t)
            types.T = self.Tt
            clf = self.EventClassifier(quad, types, encoder=self._shared_encoder())
            self._cache[key] = clf
        return self._cache[key]

    def _shared_encoder(self) -> Any:
        if self._encoder is None:
            from steppe.analyse.semantic import get_embedder

            self._encoder = get_embedder(self.te.ENCODER)
        return self._encoder


def _code(rules: Any, clf: Any, text: str, mentions: Any, item_id: str,
          weights: tuple[Any, ...]) -> tuple[list[Any], dict[Any, list[Any]]]:
    """Rule events alone, and Steppe's events for each rule weight, from one parse: the same
    steps as ``EventCoder.code`` with a fold's classifier (which judges only the sentences
    where its answer can change an event, ``judged_sentences``). Also keyed
    ``("fallback", m)``: the shipped pair with ``FALLBACK_MIN`` = m (classifier events coded
    once at the lowest m of ``FALLBACK_MINS``, then kept when their sentence's prediction
    reaches m: each stands alone in a sentence the rules left empty, so this is what coding at
    m gives)."""
    from steppe.enrich.events import combine_events
    from steppe.enrich.events.coder import (
        DROP_MIN,
        FALLBACK_MIN,
        RULE_WEIGHT,
        fallback_types,
        judged_sentences,
    )

    draft = rules.draft_events(text, mentions=mentions, item_id=item_id)
    starts = sorted(judged_sentences(draft))
    preds = dict(zip(starts, clf.predict([draft.sentences[s] for s in starts]), strict=True))
    lowest = min(FALLBACK_MINS + (FALLBACK_MIN,))
    events, keep = draft.finish(fallback_types(preds, draft.sentences, lowest))
    old = [e for e in events if keep.get(e.id) != "classifier"]

    def at(least: float) -> list[Any]:
        return [e for e in events if keep.get(e.id) != "classifier"
                or getattr(preds.get(e.evidence_start), "confidence", 1.0) >= least]
    shipped = at(FALLBACK_MIN)
    out: dict[Any, list[Any]] = {
        w: combine_events(shipped, preds, rule_weight=w[0], drop_min=w[1], keep=keep)
        for w in weights}
    for k in SPEECH_KS:  # the shipped pair, speech-act verbs kept at each top-k (0: never)
        out[("speech", k)] = combine_events(shipped, preds, rule_weight=RULE_WEIGHT,
                                            drop_min=DROP_MIN, keep=keep, speech_top_k=k)
    for m in FALLBACK_MINS:
        out[("fallback", m)] = combine_events(at(m), preds, rule_weight=RULE_WEIGHT,
                                              drop_min=DROP_MIN, keep=keep)
    return old, out


# --- PLOVER ---------------------------------------------------------------------------------

def bench_plover(rules: Any, annotator: Any, folds: _FoldClassifiers) -> None:
    from steppe.enrich.events.coder import DROP_MIN, RULE_WEIGHT
    from steppe.enrich.plover import FAMILY, QUADS

    records = json.loads((PLOVER_DIR / "records.json").read_text(encoding="utf-8"))
    gold_types = [r["event"] for r in records]
    maj_type = Counter(gold_types).most_common(1)[0][0]
    maj_quad = Counter(QUADS.get(t, "") for t in gold_types).most_common(1)[0][0]
    names = ("rules", "steppe", "classifier", "majority")
    type_ok = Counter[str]()
    quad_ok = Counter[str]()
    counts = {(n, k): [0, 0, 0] for n in names for k in ("src", "tgt")}  # tp, pred, gold
    confusion: Counter[tuple[str, str]] = Counter()
    conf_ok: list[tuple[float, bool]] = []
    grid_ok: Counter[Any] = Counter()
    for r in records:
        text = r["text"]
        mentions = annotator.annotate(text) if annotator is not None else None
        clf = folds.classifier("plover", folds.fold_of("plover", r["id"]))
        shipped = (RULE_WEIGHT, DROP_MIN)
        old, by_weight = _code(rules, clf, text, mentions, r["id"], GRID)
        new = by_weight[shipped]
        for w, evs in by_weight.items():
            e = _best(evs)
            grid_ok[w] += (FAMILY.get(e.type, e.type) if e else "NONE") == r["event"]
            grid_ok[("quad", w)] += QUADS.get(FAMILY.get(e.type, e.type) if e else "NONE") \
                == QUADS.get(r["event"])
        alone = clf.predict([text])[0]
        gold = r["event"]
        best = {"rules": _best(old), "steppe": _best(new)}
        preds = {n: (FAMILY.get(e.type, e.type) if e else "NONE") for n, e in best.items()}
        preds["classifier"] = alone.event_type or "NONE"
        preds["majority"] = maj_type
        for n in names:
            type_ok[n] += preds[n] == gold
            q = QUADS.get(preds[n]) if n != "majority" else maj_quad
            quad_ok[n] += q == QUADS.get(gold)
        confusion[(gold, preds["steppe"])] += 1
        if best["steppe"] is not None:
            conf_ok.append((best["steppe"].confidence, preds["steppe"] == gold))
        linked = list(dict.fromkeys(m.country for m in (mentions or []) if m.country))
        sides = {
            "rules": (_side_codes(best["rules"] and best["rules"].source, rules),
                      _side_codes(best["rules"] and best["rules"].target, rules)),
            "steppe": (_side_codes(best["steppe"] and best["steppe"].source, rules),
                       _side_codes(best["steppe"] and best["steppe"].target, rules)),
            "classifier": (set(), set()),
            "majority": (set(linked[:1]), set(linked[1:2])),  # first two linked mentions
        }
        for n in names:
            for key, gold_codes, pred_codes in (("src", _codes(r.get("source")), sides[n][0]),
                                                ("tgt", _codes(r.get("target")), sides[n][1])):
                c = counts[(n, key)]
                c[0] += len(gold_codes & pred_codes)
                c[1] += len(pred_codes)
                c[2] += len(gold_codes)
    n = len(records)
    print(f"\nPLOVER gold standard (dev half): {n} sentences; classifier heads 5-fold "
          f"(each sentence scored by heads that never saw it); majority = always {maj_type}, "
          f"sides = first two linked mentions")
    print(f"{'metric':34} " + " ".join(f"{x:>10}" for x in names))
    print(f"{'event type accuracy (family)':34} " + " ".join(f"{type_ok[x] / n:10.3f}" for x in names))
    print(f"{'quad accuracy':34} " + " ".join(f"{quad_ok[x] / n:10.3f}" for x in names))
    for label, key in (("source", "src"), ("target", "tgt")):
        prf = {x: _pr(*counts[(x, key)]) for x in names}
        print(f"{label + ' country P / R':34} " + " ".join(
            f"{prf[x][0]:4.2f}/{prf[x][1]:4.2f}".rjust(10) for x in names))
        print(f"{label + ' country F1':34} " + " ".join(
            f"{_f1(*prf[x]):10.3f}" for x in names))
    both = {x: [sum(counts[(x, k)][i] for k in ("src", "tgt")) for i in range(3)] for x in names}
    print(f"{'country F1 (source+target)':34} " + " ".join(
        f"{_f1(*_pr(*both[x])):10.3f}" for x in names))
    misses = Counter({k: v for k, v in confusion.items() if k[0] != k[1]})
    print("steppe's most frequent confusions (gold -> coded):",
          ", ".join(f"{g}->{p} {c}" for (g, p), c in misses.most_common(8)))
    _print_reliability("steppe best event, type correct", conf_ok)
    print("(RULE_WEIGHT, DROP_MIN) -> type accuracy: " + ", ".join(
        f"{w}: {grid_ok[w] / n:.3f}" for w in GRID))
    print("SPEECH_TOP_K -> type / quad accuracy: " + ", ".join(
        f"{k}: {grid_ok[('speech', k)] / n:.3f} / {grid_ok[('quad', ('speech', k))] / n:.3f}"
        for k in SPEECH_KS))
    print("FALLBACK_MIN -> type / quad accuracy: " + ", ".join(
        f"{m}: {grid_ok[('fallback', m)] / n:.3f} / {grid_ok[('quad', ('fallback', m))] / n:.3f}"
        for m in FALLBACK_MINS))


def _print_reliability(label: str, pairs: list[tuple[float, bool]]) -> None:
    if not pairs:
        return
    conf = np.array([c for c, _ in pairs])
    ok = np.array([o for _, o in pairs], dtype=float)
    bins = np.array([0.0, 0.3, 0.5, 0.7, 0.9, 1.0])
    parts = []
    for lo, hi in zip(bins[:-1], bins[1:], strict=True):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            parts.append(f"({lo:.1f},{hi:.1f}] n={int(m.sum())} conf {conf[m].mean():.2f} "
                         f"acc {ok[m].mean():.2f}")
    print(f"reliability ({label}): " + "; ".join(parts))


# --- CAMEO ----------------------------------------------------------------------------------

def bench_cameo(rules: Any, annotator: Any, folds: _FoldClassifiers) -> None:
    from steppe.enrich.events.coder import DROP_MIN, RULE_WEIGHT
    from steppe.enrich.plover import FAMILY, QUADS

    samples = [s for s in folds.data.samples if s.source == "cameo"]
    gold = [s.quad for s in samples]
    with_event = [g for g in gold if g != "NONE"]
    maj = Counter(with_event).most_common(1)[0][0]
    weights = GRID
    shipped = (RULE_WEIGHT, DROP_MIN)
    ok: Counter[Any] = Counter()
    typed: Counter[Any] = Counter()
    empty: Counter[Any] = Counter()
    n_typed = 0
    conf_ok: list[tuple[float, bool]] = []
    start = time.perf_counter()
    for s in samples:
        mentions = annotator.annotate(s.text) if annotator is not None else None
        clf = folds.classifier("cameo", folds.fold_of("cameo", s.ref))
        old, by_weight = _code(rules, clf, s.text, mentions, s.ref, weights)
        alone = clf.predict([s.text])[0]
        results = {"rules": _best(old), "classifier": alone}
        for w in list(weights) + [("speech", k) for k in SPEECH_KS] \
                + [("fallback", m) for m in FALLBACK_MINS]:
            results[w] = _best(by_weight[w])
        n_typed += s.type not in (None, "NONE")
        for key, ev in results.items():
            if key == "classifier":
                q, t = ev.quad or "NONE", ev.event_type or "NONE"
            else:
                q = QUADS[ev.type] if ev is not None else "NONE"
                t = FAMILY.get(ev.type, ev.type) if ev is not None else "NONE"
            if s.type not in (None, "NONE"):
                typed[key] += t == s.type
            if s.quad == "NONE":
                empty[key] += q == "NONE"
            else:
                ok[key] += q == s.quad
        best = results[shipped]
        if best is not None and s.quad != "NONE":
            conf_ok.append((best.confidence, QUADS[best.type] == s.quad))
    elapsed = time.perf_counter() - start
    n_ev, n_none = len(with_event), len(gold) - len(with_event)
    print(f"\nCAMEO quad-class sentences: {len(gold)} ({n_ev} with an event, {n_none} neutral); "
          f"classifier heads 5-fold; majority = always {maj}; {len(gold) / elapsed:.1f} sent/s")
    names = ["rules", shipped, "classifier", "majority"]
    titles = ["rules", "steppe", "classifier", "majority"]
    ok["majority"] = sum(g == maj for g in with_event)
    type_gold = [s.type for s in samples if s.type not in (None, "NONE")]
    maj_type = Counter(type_gold).most_common(1)[0][0] if type_gold else ""
    typed["majority"] = sum(t == maj_type for t in type_gold)
    empty["majority"] = 0
    print(f"{'metric':34} " + " ".join(f"{x:>10}" for x in titles))
    print(f"{'quad accuracy (with an event)':34} " + " ".join(
        f"{ok[x] / n_ev:10.3f}" for x in names))
    print(f"{'type accuracy (own labels, family)':34} " + " ".join(
        f"{typed[x] / max(n_typed, 1):10.3f}" for x in names))
    print(f"{'neutral sentences left empty':34} " + " ".join(
        f"{empty[x] / max(n_none, 1):10.3f}" for x in names))
    print("(RULE_WEIGHT, DROP_MIN) choice: quad accuracy with an event / type / neutral left "
          "empty / sum")
    for w in weights:
        a, t, e = ok[w] / n_ev, typed[w] / max(n_typed, 1), empty[w] / max(n_none, 1)
        print(f"  {w}: {a:.3f} / {t:.3f} / {e:.3f} / {a + t + e:.3f}"
              + ("  <- shipped" if w == shipped else ""))
    print("SPEECH_TOP_K (shipped pair) -> quad accuracy with an event / type / neutral left "
          "empty: " + ", ".join(
              f"{k}: {ok[('speech', k)] / n_ev:.3f} / {typed[('speech', k)] / max(n_typed, 1):.3f}"
              f" / {empty[('speech', k)] / max(n_none, 1):.3f}" for k in SPEECH_KS))
    print("FALLBACK_MIN (shipped pair) -> quad accuracy with an event / type / neutral left "
          "empty / all sentences (neutral counted as a class): " + ", ".join(
              f"{m}: {ok[('fallback', m)] / n_ev:.3f} / "
              f"{typed[('fallback', m)] / max(n_typed, 1):.3f} / "
              f"{empty[('fallback', m)] / max(n_none, 1):.3f} / "
              f"{(ok[('fallback', m)] + empty[('fallback', m)]) / len(gold):.3f}"
              for m in FALLBACK_MINS))
    _print_reliability("steppe best event, quad correct", conf_ok)


# --- held-out writers -----------------------------------------------------------------------

def bench_writers(rules: Any, annotator: Any, folds: _FoldClassifiers) -> None:
    """Each written training set scored with heads fitted on everything except that set: the
    writers are independent and nothing was tuned on a set's sentences while it is held out,
    so this measures sentences nobody tuned for. Type and quad by family, "no event"
    counted as a class (a NONE sentence is right when left empty); countries against the
    writer's source/target codes. Russian sentences go where the pipeline sends Russian
    items, to :class:`steppe.enrich.russian.RussianEnricher` (its own rules, no classifier):
    both "rules" and "steppe" are its events there, "classifier" is the fold's heads."""
    from steppe.enrich.events.coder import DROP_MIN, RULE_WEIGHT
    from steppe.enrich.plover import FAMILY, QUADS
    from steppe.language import is_russian
    from steppe.pipeline import russian_enricher

    te = folds.te
    shipped = (RULE_WEIGHT, DROP_MIN)
    names = ("rules", "steppe", "classifier", "majority")
    print("\nHeld-out writers: each written set coded with heads fitted without it (type and "
          "quad by family, NONE = left empty; majority = the set's most frequent type)")
    for writer, path in te.writers().items():
        records = te.read_written(path)
        clf = folds.classifier(f"writer {writer}", 0)
        gold = [FAMILY.get(str(r["type"]), str(r["type"])) for r in records]
        maj = Counter(gold).most_common(1)[0][0]
        groups: dict[str, Counter[Any]] = {}
        for r, g in zip(records, gold, strict=True):
            text = str(r["text"])
            mentions = annotator.annotate(text) if annotator is not None else None
            if is_russian(text):  # the pipeline's path for Russian items (steppe.pipeline)
                _m, coded = russian_enricher(rules.kb).enrich(text, item_id=str(r["id"]))
                old = coded
                by_weight = dict.fromkeys(list(GRID) + [("fallback", m) for m in FALLBACK_MINS],
                                          coded)
            else:
                old, by_weight = _code(rules, clf, text, mentions, str(r["id"]), GRID)
            alone = clf.predict([text])[0]
            best = {"rules": _best(old), "steppe": _best(by_weight[shipped])}
            preds = {n: (FAMILY.get(e.type, e.type) if e else "NONE") for n, e in best.items()}
            preds["classifier"] = alone.event_type or "NONE"
            preds["majority"] = maj
            lang = str(r.get("lang") or "en")
            for key in ("all", lang):
                c = groups.setdefault(key, Counter())
                c["n"] += 1
                for n in names:
                    c[f"type {n}"] += preds[n] == g
                    c[f"quad {n}"] += QUADS.get(preds[n], preds[n]) == QUADS.get(g, g)
                for w in list(GRID) + [("fallback", m) for m in FALLBACK_MINS]:
                    e = _best(by_weight[w])
                    t = FAMILY.get(e.type, e.type) if e else "NONE"
                    c[("type", w)] += t == g
                    c[("quad", w)] += QUADS.get(t, t) == QUADS.get(g, g)
                for n in ("rules", "steppe"):
                    for side in ("source", "target"):
                        ev = best[n]
                        pc = _side_codes(getattr(ev, side) if ev else None, rules)
                        gc = _codes(r.get(side))
                        c[f"tp {n}"] += len(pc & gc)
                        c[f"pred {n}"] += len(pc)
                        c[f"gold {n}"] += len(gc)
        for key, c in groups.items():
            if key != "all" and len(groups) == 2:
                continue  # one language: its row is the set's
            n = c["n"]
            label = f"writer {writer}" + ("" if key == "all" else f", lang {key}")
            print(f"{label} ({n} sentences, {path.name})")
            print(f"  {'metric':32} " + " ".join(f"{x:>10}" for x in names))
            for what in ("type", "quad"):
                print(f"  {what + ' accuracy (family, NONE)':32} " + " ".join(
                    f"{c[f'{what} {x}'] / n:10.3f}" for x in names))
            print(f"  {'country F1 (source+target)':32} " + " ".join(
                f"{_f1(*_pr(c[f'tp {x}'], c[f'pred {x}'], c[f'gold {x}'])):10.3f}"
                for x in ("rules", "steppe")))
            print("  (RULE_WEIGHT, DROP_MIN) -> type / quad accuracy: " + ", ".join(
                f"{w}: {c[('type', w)] / n:.3f} / {c[('quad', w)] / n:.3f}" for w in GRID))
            print("  FALLBACK_MIN -> type / quad accuracy: " + ", ".join(
                f"{m}: {c[('type', ('fallback', m))] / n:.3f} / "
                f"{c[('quad', ('fallback', m))] / n:.3f}" for m in FALLBACK_MINS))


# --- roles ----------------------------------------------------------------------------------

def _role_sentences() -> list[tuple[str, list[tuple[int, int]], list[tuple[int, int]]]]:
    """(text, source spans, target spans) from the S/T-tagged file; tokens joined by spaces."""
    out = []
    toks: list[tuple[str, str]] = []
    for line in (CAMEO_DIR / "cameo_ner_train.txt").read_text(encoding="utf-8").splitlines() + [""]:
        parts = line.split()
        if len(parts) >= 2:
            toks.append((parts[0], parts[-1]))
            continue
        if not toks:
            continue
        text, spans, pos = [], {"S": [], "T": []}, 0
        cur: list[Any] | None = None
        for word, tag in toks:
            s = pos
            text.append(word)
            pos += len(word) + 1
            if tag.startswith("B-") and tag[2:] in spans:
                cur = [tag[2:], s, s + len(word)]
                spans[tag[2:]].append(cur)
            elif tag.startswith("I-") and cur is not None and cur[0] == tag[2:]:
                cur[2] = s + len(word)
            else:
                cur = None
        out.append((" ".join(text), [(a, b) for _, a, b in spans["S"]],
                    [(a, b) for _, a, b in spans["T"]]))
        toks = []
    return out


def _gold_codes(spans: list[tuple[int, int]], mentions: Any, coder: Any) -> set[str]:
    """Country codes of the linked mentions inside gold spans (``IGO`` for organisations):
    the S/T file tags spans, not countries, so a gold side's countries are what the linker
    finds inside its span; a span with no linked country adds nothing."""
    out: set[str] = set()
    for m in mentions or []:
        if not any(m.start < b and a < m.end for a, b in spans):
            continue
        if m.country:
            out.add(m.country)
        if m.actor and coder.actor_type(m.actor) == "organisation":
            out.add("IGO")
    return out


def bench_roles(coders: dict[str, Any], annotator: Any, limit: int | None = None) -> None:
    """Against the S/T tags: span F1 of the best event's sides (exact and overlapping) and
    country F1 (gold countries: the linked mentions inside the gold spans, see
    :func:`_gold_codes`; predicted: the side's countries, ``IGO`` for organisations). The
    first country F1 counts every side, so a country the coder infers for an unnamed side
    ("Beijing police detained 18 people": the people are Chinese, PLOVER's convention) is a
    false positive there, right or wrong; the second counts only sides whose tagged span
    names a country the linker finds, where the gold country is known."""
    sents = _role_sentences()[:limit]
    mentions = [annotator.annotate(t) if annotator is not None else None for t, _, _ in sents]
    rows: dict[str, dict[str, float]] = {}
    for name, coder in coders.items():
        tp = {k: [0, 0] for k in ("S", "T")}  # exact, overlap
        n_pred = {"S": 0, "T": 0}
        n_gold = {"S": 0, "T": 0}
        cc = {k: [0, 0, 0] for k in ("S", "T")}  # country tp, pred, gold
        named = {k: [0, 0, 0] for k in ("S", "T")}  # the same, sides whose span names one
        for (text, src, tgt), ms in zip(sents, mentions, strict=True):
            ev = _best(coder.code(text, mentions=ms))
            for key, gold, side in (("S", src, ev.source if ev else None),
                                    ("T", tgt, ev.target if ev else None)):
                n_gold[key] += len(gold)
                gc, pc = _gold_codes(gold, ms, coder), _side_codes(side, coder)
                for c, counted in ((cc, True), (named, bool(gc))):
                    if counted:
                        c[key][0] += len(gc & pc)
                        c[key][1] += len(pc)
                        c[key][2] += len(gc)
                if side is None or side.start is None:
                    continue
                n_pred[key] += 1
                span = (side.start, side.end)
                tp[key][0] += span in gold
                tp[key][1] += any(a < span[1] and span[0] < b for a, b in gold)
        row: dict[str, float] = {}
        for key, label in (("S", "source"), ("T", "target")):
            for j, how in enumerate(("exact", "overlap")):
                row[f"{label} span F1 ({how})"] = _f1(*_pr(tp[key][j], n_pred[key], n_gold[key]))
            p, r = _pr(*cc[key])
            row[f"{label} country P / R"] = (p, r)  # type: ignore[assignment]
            row[f"{label} country F1"] = _f1(p, r)
            p, r = _pr(*named[key])
            row[f"{label} country F1, span names one"] = _f1(p, r)
        rows[name] = row
    names = list(coders)
    print(f"\nRoles on the S/T-tagged CAMEO sentences ({len(sents)}; the coder's best event; "
          f"one predicted span per side; gold countries = linked mentions inside the gold "
          f"span; steppe with the shipped heads):")
    print(f"{'metric':34} " + " ".join(f"{x:>10}" for x in names))
    for metric in rows[names[0]]:
        vals = [rows[x][metric] for x in names]
        if isinstance(vals[0], tuple):
            print(f"{metric:34} " + " ".join(f"{v[0]:4.2f}/{v[1]:4.2f}".rjust(10) for v in vals))
        else:
            print(f"{metric:34} " + " ".join(f"{v:10.3f}" for v in vals))


REAL_PAGES = 40  # trafilatura eval pages sampled (every k-th by file name) for the page rate


def real_page_items(sample: int = REAL_PAGES) -> list[tuple[str, str, str | None]]:
    """(item id, text, published) of the items the extract stage reads from the corpus pages
    and from ``sample`` trafilatura eval pages (every k-th by file name; web pages in several
    languages, read in place), Russian items left out: they go to the Russian enricher,
    which has no encoder. Item ids are the page's file name and the item's index."""
    from _common import read_gz
    from steppe.collect import iter_documents
    from steppe.language import is_russian
    from steppe.model import Page, RawDocument
    from steppe.pipeline import read_page

    raws: list[RawDocument] = []
    corpus = ROOT.parent / "shared" / "corpus"
    if corpus.is_dir():
        raws += [d for d in iter_documents([str(corpus)]) if isinstance(d, RawDocument)]
    traf = EVAL / "extraction-trafilatura" / "pages"
    if traf.is_dir():
        files = sorted(traf.glob("*.html.gz"))
        step = max(len(files) // max(sample, 1), 1)
        raws += [RawDocument(source=f.name, data=read_gz(f), content_type="text/html")
                 for f in files[::step][:sample]]
    rows: list[tuple[str, str, str | None]] = []
    for raw in raws:
        page = read_page(raw)
        if not isinstance(page, Page):
            continue
        name = Path(raw.source).name
        rows += [(f"{name}#{i}", it.text, it.published) for i, it in enumerate(page.items)
                 if it.text.strip() and not is_russian(it.text)]
    return rows


class _Clock:
    """Wall time and this process's CPU time (all its threads: the encoder runs two) of a
    run. The CPU figure holds on shared cores, where other processes stretch the wall time;
    on a quiet machine a run's wall time is at most its CPU time."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    def run(self, work: Any) -> Any:
        w0, c0 = time.perf_counter(), time.process_time()
        out = work()
        self.wall, self.cpu = time.perf_counter() - w0, time.process_time() - c0
        return out

    def rates(self, n: int) -> str:
        return (f"{n / max(self.cpu, 1e-9):6.1f} per CPU-second, "
                f"{n / max(self.wall, 1e-9):6.1f} per wall second")


def bench_speed(coder: Any, annotator: Any, repeats: int = 1) -> None:
    """Sentences/s and events/s of the full pipeline (NER, linking, parse, rules, encoder,
    heads), one process, each run from a cold sentence-vector cache, the best of ``repeats``
    by CPU time:

    * over the PLOVER sentences (every one a gold event record): batched as the enrich stage
      runs it (``annotate_many`` + ``EventCoder.code_many``), one sentence at a time
      (``annotate`` + ``code``), and batched with every sentence encoded (``encode_all``,
      the coder before the classifier judged only the sentences where it can change an
      event);
    * over real pages (:func:`real_page_items`): the enrich stage itself
      (``steppe.pipeline.enrich_rows``), as shipped and with ``encode_all``.

    Rates are given per CPU-second of this process and per wall second, with the load
    average: on shared cores the wall figure moves with the other processes."""
    from steppe.enrich.events import EventCoder, split_sentences
    from steppe.pipeline import enrich_rows

    records = json.loads((PLOVER_DIR / "records.json").read_text(encoding="utf-8"))
    texts = [r["text"] for r in records]
    clf = coder.classifier
    every = EventCoder(annotator=annotator, encode_all=True)

    def cold() -> None:
        if clf is not None:
            clf._cache.clear()  # measure encoding too

    def batched(c: Any) -> Any:
        return lambda: c.code_many(texts, mentions=list(annotator.annotate_many(texts)))

    def one_by_one() -> list[list[Any]]:
        return [coder.code(t, mentions=annotator.annotate(t)) for t in texts]

    def best(work: Any) -> tuple[_Clock, Any]:
        kept, out = None, None
        for _ in range(repeats):
            cold()
            clock = _Clock()
            out = clock.run(work)
            kept = clock if kept is None or clock.cpu < kept.cpu else kept
        return kept, out

    def same(a: list[list[Any]], b: list[list[Any]]) -> bool:
        return [[vars(e) for e in evs] for evs in a] == [[vars(e) for e in evs] for evs in b]

    if annotator is None or clf is None:
        print("\nSpeed: skipped (needs the entity annotator and the classifier)")
        return
    for c in (coder, every):  # load the models before the clock starts
        c.code_many(texts[:2])
    load_before = os.getloadavg()
    runs = {"batched": best(batched(coder)), "one at a time": best(one_by_one),
            "batched, encode_all": best(batched(every))}
    enc, _ = best(lambda: clf.predict(texts))
    n_sent = sum(len(split_sentences(t)) for t in texts)
    n_events = sum(map(len, runs["batched"][1]))
    print(f"\nSpeed, one process, {len(texts)} PLOVER sentences (gold event records), full "
          f"pipeline (NER, linking, parse, rules, encoder, heads), best of {repeats}:")
    notes = {"batched": "the enrich stage's path: annotate_many + code_many",
             "one at a time": "annotate + code per sentence",
             "batched, encode_all": "every sentence encoded, as before the gate"}
    for name, (clock, _out) in runs.items():
        print(f"  {name:20} sentences {clock.rates(n_sent)}; events "
              f"{n_events / max(clock.cpu, 1e-9):.1f}/CPU-s   ({notes[name]})")
    print(f"  encoder and heads alone, batched: sentences {enc.rates(len(texts))}")
    print(f"  events identical: batched = one at a time "
          f"{'yes' if same(runs['batched'][1], runs['one at a time'][1]) else 'NO'}, "
          f"= encode_all {'yes' if same(runs['batched'][1], runs['batched, encode_all'][1]) else 'NO'}")
    bench_page_speed(coder, every, annotator, enrich_rows, split_sentences, cold)
    load_after = os.getloadavg()
    print(f"  load average {load_before[0]:.2f} before, {load_after[0]:.2f} after "
          f"({os.cpu_count()} cores)")


def bench_page_speed(coder: Any, every: Any, annotator: Any, enrich_rows: Any,
                     split_sentences: Any, cold: Any) -> None:
    """The enrich stage on real pages (:func:`real_page_items`): shipped and ``encode_all``."""
    from steppe.enrich.events.coder import judged_sentences

    rows = real_page_items()
    if not rows:
        print("  real pages: skipped (../shared/corpus and the trafilatura pages absent)")
        return
    n_sent = sum(len(split_sentences(t)) for _, t, _ in rows)
    drafts = coder.draft_events_many([t for _, t, _ in rows], dates=[d for _, _, d in rows])
    n_judged = sum(len(judged_sentences(d)) for d in drafts)
    results = {}
    print(f"  real pages: {len(rows)} items ({n_sent} sentences; the classifier judges "
          f"{n_judged}, {n_judged / max(n_sent, 1):.0%}) from ../shared/corpus and "
          f"{REAL_PAGES} trafilatura eval pages, through steppe.pipeline.enrich_rows:")
    for name, c in (("as shipped", coder), ("encode_all", every)):
        cold()
        clock = _Clock()
        results[name] = clock.run(lambda c=c: list(enrich_rows(rows, annotator, c)))
        n_events = sum(len(evs) for _, _, evs in results[name])
        print(f"    {name:18} sentences {clock.rates(n_sent)}; {n_events} events")
    print(f"    events identical: "
          f"{'yes' if [[vars(e) for e in r[2]] for r in results['as shipped']] == [[vars(e) for e in r[2]] for r in results['encode_all']] else 'NO'}")


def _cameo_table() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    text = (PLOVER_DIR / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,\s*([^,#]*))?", line)
        if m and m.group(1) not in table:
            table[m.group(1)] = (m.group(2), (m.group(3) or "").strip())
    return table


def _plover_family(code: str, table: dict[str, tuple[str, str]]) -> str | None:
    code = re.sub(r"[^0-9]", "", code)
    for key in (code, code[:3], code[:2]):
        if key in table:
            ptype, mode = table[key]
            if ptype == "ACCUSE" and mode == "investigate":
                return "INVESTIGATE"
            return {"ACCUSE": "DISAPPROVE", "REQUEST": "DEMAND"}.get(ptype, ptype)
    return None


def _side_matches(code: str, side: Any) -> bool:
    if side is None:
        return False
    root = code[:3]
    if root in side.countries:
        return True
    words = re.findall(r"[A-Z][A-Za-z'’-]+", side.text)
    return any(w[:3].upper() == root for w in words)


def bench_petrarch(coder: Any) -> None:
    from steppe.enrich.plover import FAMILY

    table = _cameo_table()
    tree = ET.parse(PETR_DIR / "PETR.UnitTest.records.xml")
    expected_found = expected_total = empty_ok = empty_total = 0
    base_found = 0
    type_counter: Counter[str] = Counter()
    items: list[tuple[str, list[tuple[str, str, str]], bool]] = []
    for s in tree.getroot().iter("Sentence"):
        if s.get("category") == "ERROR":
            continue
        codings = s.findall("EventCoding")
        if any(c.get("error") for c in codings):
            continue
        text = " ".join((s.findtext("Text") or "").split())
        if any((c.get("noevents") or "").lower() == "true" for c in codings):
            if s.get("id") != "FINAL-RECORD":
                items.append((text, [], True))
            continue
        triples = []
        for c in codings:
            src, tgt, ev = (c.get("sourcecode") or ""), (c.get("targetcode") or ""), c.get("eventcode")
            if not ev or not re.fullmatch(r"[A-Z]{3}\w*", src) or not re.fullmatch(r"[A-Z]{3}\w*", tgt):
                continue
            fam = _plover_family(ev, table)
            if fam:
                triples.append((src, tgt, fam))
                type_counter[fam] += 1
        if triples:
            items.append((text, triples, False))
    maj = type_counter.most_common(1)[0][0] if type_counter else "AGREE"
    for text, triples, empty in items:
        events = coder.code(text)
        if empty:
            empty_total += 1
            empty_ok += not events
            continue
        for src, tgt, fam in triples:
            expected_total += 1
            ok = {fam, "FIGHT"} if fam == "ASSAULT" else {fam}
            expected_found += any(
                FAMILY.get(e.type, e.type) in ok and _side_matches(src, e.source)
                and _side_matches(tgt, e.target) for e in events)
            base_found += fam == maj and _baseline_pair(text, src, tgt)
    print(f"\nPETRARCH unit tests: {expected_total} expected (source, target, type) triples "
          f"in {sum(1 for i in items if not i[2])} sentences; {empty_total} no-event sentences")
    print(f"{'metric':34} {'steppe':>8} {'baseline':>9}")
    print(f"{'expected triples found':34} {expected_found / max(expected_total, 1):8.3f} "
          f"{base_found / max(expected_total, 1):9.3f}   baseline: always {maj}, first two names")
    print(f"{'no-event sentences left empty':34} {empty_ok / max(empty_total, 1):8.3f} "
          f"{0.0:9.3f}   baseline: always codes one event")


def _baseline_pair(text: str, src: str, tgt: str) -> bool:
    names = [w for w in re.findall(r"\b[A-Z][a-z]+\w*", text) if len(w) > 2]
    roots = [w[:3].upper() for w in names]
    return len(roots) >= 2 and roots[0] == src[:3] and tgt[:3] in roots[1:2]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--help" in args or "-h" in args:
        print("usage: python bench/events.py [--speed] [--only plover,cameo,writers,roles,speed,"
              "petrarch,corpus]\n  --speed  only the speed figures\n  --only   only these parts "
              "(comma-separated)")
        return 0
    speed_only = "--speed" in args  # only the speed figures (the rest takes minutes)
    only = set()
    if "--only" in args and args.index("--only") + 1 < len(args):
        only = set(args[args.index("--only") + 1].split(","))

    def want(part: str) -> bool:
        return not only or part in only
    if not PLOVER_DIR.is_dir() and not PETR_DIR.is_dir():
        print(f"skipped: {EVAL} is absent (shared evaluation data not mounted)")
        return 0
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from steppe.enrich.events import EventCoder, RuleCoder

    try:
        from steppe.enrich.entities import EntityAnnotator

        annotator = EntityAnnotator()
    except Exception as err:  # noqa: BLE001  (coder works unlinked without the actors stage)
        print(f"note: no entity annotator ({err}); sides will be unlinked")
        annotator = None
    rules = RuleCoder(annotator=annotator)
    coder = EventCoder(annotator=annotator)
    if speed_only:
        if (PLOVER_DIR / "records.json").is_file():
            bench_speed(coder, annotator, repeats=3)
        return 0
    trained = (PLOVER_DIR / "records.json").is_file() and (CAMEO_DIR / "cameo_class_train.tsv").is_file()
    if trained and coder.classifier is not None and (want("plover") or want("cameo")
                                                     or want("writers")):
        folds = _FoldClassifiers()
        if want("plover"):
            bench_plover(rules, annotator, folds)
        if want("cameo"):
            bench_cameo(rules, annotator, folds)
        if want("writers"):
            bench_writers(rules, annotator, folds)
    elif want("plover") or want("cameo") or want("writers"):
        print("skipped PLOVER/CAMEO/writers: data or classifier absent")
    if (CAMEO_DIR / "cameo_ner_train.txt").is_file() and want("roles"):
        bench_roles({"rules": rules, "steppe": coder}, annotator)
    if (PLOVER_DIR / "records.json").is_file() and want("speed"):
        bench_speed(coder, annotator)
    if not want("petrarch"):
        pass
    elif (PETR_DIR / "PETR.UnitTest.records.xml").is_file():
        print("\n== rules alone", end="")
        bench_petrarch(rules)
        print("\n== steppe (rules + classifier)", end="")
        bench_petrarch(coder)
    else:
        print(f"skipped PETRARCH: {PETR_DIR} absent")
    if want("corpus"):
        from corpus_events import bench_corpus_events  # the corpus pages' events, by hand

        bench_corpus_events()
    return 0


if __name__ == "__main__":
    sys.exit(main())
