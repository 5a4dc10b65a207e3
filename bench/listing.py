"""Listing splitting: item precision/recall/F1 per page and overall, for HTML and for text dumps.

    python bench/listing.py [--split dev|dev2|test|all] [--pages] [--errors] [--labels FILE]

Labels: bench/listing_labels.json (cards' titles labelled by hand from the pages under
../shared/eval and from saved pages of public repositories; each page is in the "dev", the
"dev2" (a second batch from a separate label-writer session) or the "test" split; "all" is
every page). Each labelled page is read

- as HTML (``extract_document`` on the page bytes, with the page's URL from the eval set's
  annotations),
- as text dumps made from the same HTML at bench time, in each style available here:
  ``innertext`` (what "select all, copy" in a browser gives: the innerText rules of block,
  paragraph and line breaks, hidden elements left out), ``html2text`` (the PyPI package's
  Markdown-ish text, as html2text-style tools write it) and ``lynx`` (``lynx -dump``, only when
  Debian's lynx is installed; otherwise it is skipped with a line saying so),

beside the naive baseline that takes every line of the innerText dump with 4 to 30 words as
one item.

Predicted cards: every item of the page except the ``article`` item; its title (or, without
one, its first line). A predicted card matches a labelled card when their normalised titles
(NFKC, case-folded, ``\\w+`` tokens) have token-level Dice similarity >= 0.8 (multiset
overlap, 2|A∩B| / (|A|+|B|)); matching is one-to-one, best pairs first. Labelled article pages
have no cards: every card predicted there is a false positive. Overall figures are micro
(summed over cards); macro F1 (mean of per-page F1) is printed beside.

Tune on ``dev`` and ``dev2`` only; ``--split test`` prints the held-out figures.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import EVAL_DIR, read_gz  # noqa: E402

LABELS = Path(__file__).resolve().parent / "listing_labels.json"
MATCH = 0.8
_WORD = re.compile(r"\w+")


def tokens(title: str | None) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", title or "").casefold())


def dice(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    return 2 * common / (len(a) + len(b))


def match(predicted: list[str], gold: list[str]) -> int:
    """Number of one-to-one matches at Dice >= MATCH, best pairs first."""
    pt = [tokens(p) for p in predicted]
    gt = [tokens(g) for g in gold]
    gold_index: dict[str, list[int]] = {}
    for j, g in enumerate(gt):
        for t in set(g):
            gold_index.setdefault(t, []).append(j)
    pairs = []
    for i, p in enumerate(pt):
        seen = set()
        for t in set(p):
            for j in gold_index.get(t, ()):
                if j not in seen:
                    seen.add(j)
                    s = dice(p, gt[j])
                    if s >= MATCH:
                        pairs.append((s, i, j))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return len(used_p)


# ---------------------------------------------------------------- dumps


_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "meta", "link",
                   "svg", "iframe", "object", "select", "option", "button", "input", "textarea"})
_PARA = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCK = frozenset({
    "div", "section", "article", "header", "footer", "aside", "main", "nav", "li", "ul", "ol",
    "dl", "dt", "dd", "table", "tr", "tbody", "thead", "tfoot", "blockquote", "pre", "figure",
    "figcaption", "address", "form", "fieldset", "hr", "details", "summary", "caption", "menu",
})


def innertext(html: bytes) -> str:
    """Text as a browser's innerText gives it: written by hand because no library here
    implements the innerText algorithm (line breaks around blocks, two around p/h*, tab
    between cells, hidden elements left out)."""
    from lxml import etree

    # the page arrives decoded to UTF-8 (``_decoded``): a <meta charset> left in it must not
    # make lxml read those bytes in the page's old charset (mojibake no browser would copy)
    root = etree.fromstring(html, etree.HTMLParser(remove_comments=True, encoding="utf-8"))
    if root is None:
        return ""
    out: list[object] = []  # strings, or ints: required line-break counts

    def hidden(el: etree._Element) -> bool:
        style = (el.get("style") or "").replace(" ", "").lower()
        return el.get("hidden") is not None or "display:none" in style or "visibility:hidden" in style

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP or (tag and hidden(el)):
            return
        breaks = 2 if tag in _PARA else 1 if tag in _BLOCK else 0
        if breaks:
            out.append(breaks)
        if tag == "br":
            out.append("\n")
        if el.text:
            out.append(re.sub(r"\s+", " ", el.text))
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                out.append(re.sub(r"\s+", " ", child.tail))
        if tag in ("td", "th"):
            out.append("\t")
        if breaks:
            out.append(breaks)

    body = root.find("body")
    walk(body if body is not None else root)
    text: list[str] = []
    pending = 0
    for piece in out:
        if isinstance(piece, int):
            pending = max(pending, piece)
            continue
        if piece == "\n":
            text.append("\n")
            continue
        if not piece.strip() and (pending or not text or text[-1].endswith("\n")):
            continue
        if pending and text:
            text.append("\n" * pending)
        pending = 0
        text.append(piece)
    lines = [ln.strip() for ln in "".join(text).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def html2text_dump(html: bytes) -> str:
    import html2text

    conv = html2text.HTML2Text()
    # defaults otherwise: lines wrapped at 78 columns, links as [text](url), Markdown headings
    conv.ignore_images = True
    conv.unicode_snob = True  # keep non-ASCII letters (its default folds them to ASCII)
    return conv.handle(html.decode("utf-8", "replace"))


def lynx_dump(html: bytes) -> str:
    done = subprocess.run(["lynx", "-dump", "-stdin", "-assume_charset=utf-8", "-display_charset=utf-8",
                           "-width=200"], input=html, capture_output=True, timeout=60, check=False)
    return done.stdout.decode("utf-8", "replace")


# ---------------------------------------------------------------- predictions


def _decoded(data: bytes) -> bytes:
    from steppe.extract.decode import decode_bytes

    return decode_bytes(data, "text/html").encode("utf-8")


def predict(data: bytes, url: str | None, ctype: str) -> list[str]:
    from steppe.extract import ExtractError, extract_document
    from steppe.model import RawDocument

    try:
        page = extract_document(RawDocument(source="bench", data=data, content_type=ctype, url=url))
    except ExtractError:
        return []
    return [(it.title or it.text.split("\n", 1)[0]) for it in page.items if it.kind != "article"]


def baseline(dump: str) -> list[str]:
    return [ln.strip() for ln in dump.splitlines() if 4 <= len(ln.split()) <= 30]


@dataclass
class Score:
    tp: int = 0
    pred: int = 0
    gold: int = 0
    f1s: list[float] | None = None

    def add(self, tp: int, pred: int, gold: int) -> None:
        self.tp += tp
        self.pred += pred
        self.gold += gold
        if self.f1s is None:
            self.f1s = []
        self.f1s.append(prf(tp, pred, gold)[2])

    def line(self) -> str:
        p, r, f = prf(self.tp, self.pred, self.gold)
        macro = sum(self.f1s or [0]) / max(1, len(self.f1s or []))
        return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (macro F1 {macro:.3f}; {self.tp}/{self.pred} pred, {self.gold} gold)"


def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    if gold == 0 and pred == 0:
        return 1.0, 1.0, 1.0
    p = tp / pred if pred else (1.0 if gold == 0 else 0.0)
    r = tp / gold if gold else (1.0 if pred == 0 else 0.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


MIRRORS = Path("/work/.mirror")


def _page_bytes(source: str) -> bytes | str:
    """A labelled page's bytes, or why it cannot be read. ``source`` is a path under
    ../shared/eval, or ``mirror:OWNER/NAME@COMMIT:PATH`` for a page saved in a public
    repository's snapshot under /work/.mirror (read with ``git show``)."""
    if not source.startswith("mirror:"):
        path = EVAL_DIR / source
        return read_gz(path) if path.exists() else "not found under ../shared/eval"
    repo, _, rest = source[len("mirror:"):].partition("@")
    commit, _, path = rest.partition(":")
    base = MIRRORS / repo.replace("/", "+") / "repo"
    git_dir = base if (base / "HEAD").exists() else base / ".git"
    if not git_dir.exists():
        return f"the mirror of {repo} is absent"
    done = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
                          capture_output=True, timeout=60, check=False)
    return done.stdout if done.returncode == 0 else f"git show failed for {repo}"


def _urls() -> dict[str, str]:
    """eval file name -> page URL, from both eval sets' annotations."""
    out: dict[str, str] = {}
    for name in ("extraction-trafilatura", "dates-htmldate"):
        ann = EVAL_DIR / name / "annotations.json"
        if ann.exists():
            for url, lab in json.loads(ann.read_text(encoding="utf-8")).items():
                out[f"{name}/pages/{lab['file']}.gz"] = url
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "dev2", "test", "all"))
    parser.add_argument("--pages", action="store_true", help="print each page's figures")
    parser.add_argument("--errors", action="store_true", help="print missed and false cards (dev, dev2 only)")
    parser.add_argument("--labels", type=Path, default=LABELS,
                        help="another labels file of the same schema (pages without a split count as dev)")
    args = parser.parse_args()
    if not args.labels.exists():
        print(f"skip: {args.labels.name} is absent")
        return 0
    if not EVAL_DIR.is_dir():
        print(f"skip: {EVAL_DIR} is absent (the benchmark needs ../shared/eval beside the repository)")
        return 0
    if args.errors and args.split not in ("dev", "dev2"):
        print("--errors is for the dev splits only (the test split is not inspected while tuning)")
        return 2
    labels = json.loads(args.labels.read_text(encoding="utf-8"))
    pages = [p for p in labels.get("pages", labels if isinstance(labels, list) else [])
             if args.split == "all" or p.get("split", "dev") == args.split]
    urls = _urls()
    styles: dict[str, Callable[[bytes], str]] = {"innertext": innertext, "html2text": html2text_dump}
    try:
        import html2text  # noqa: F401
    except ImportError:
        del styles["html2text"]
        print("skip html2text dumps: the html2text package is not installed")
    if shutil.which("lynx"):
        styles["lynx"] = lynx_dump
    else:
        print("skip lynx dumps: Debian's lynx is not installed")
    rows = ["html", *(f"dump:{s}" for s in styles), "baseline (line per item)"]
    scores = {r: Score() for r in rows}
    seconds = 0.0
    for page in pages:
        raw = _page_bytes(page["source"])
        if isinstance(raw, str):
            print(f"skip {page['source'][:90]}: {raw}")
            continue
        data = _decoded(raw)
        url = page.get("url") or urls.get(page["source"])
        gold = [c["title"] for c in page.get("cards", []) if c.get("title")]
        started = time.perf_counter()
        preds = {"html": predict(data, url, "text/html")}
        seconds += time.perf_counter() - started
        dumps = {s: fn(data) for s, fn in styles.items()}
        for s, dump in dumps.items():
            preds[f"dump:{s}"] = predict(dump.encode("utf-8"), url, "text/plain")
        preds["baseline (line per item)"] = baseline(dumps["innertext"])
        cells = []
        for r in rows:
            tp = match(preds[r], gold)
            scores[r].add(tp, len(preds[r]), len(gold))
            cells.append(f"{prf(tp, len(preds[r]), len(gold))[2]:.2f}")
        if args.pages:
            print(f"{page['source'][:60]:60} {page.get('kind', '?'):8} gold {len(gold):3}  "
                  + "  ".join(f"{r.split(' ')[0]} {c}" for r, c in zip(rows, cells, strict=True)))
        if args.errors:
            for r in ("html", *(f"dump:{s}" for s in styles)):
                _print_errors(r, preds[r], gold)
    print(f"{len(pages)} labelled pages, split {args.split}; match: token Dice >= {MATCH}, one-to-one")
    for r in rows:
        print(f"{r:26} {scores[r].line()}")
    if pages:
        print(f"html extraction (extract_document incl. cards): {1000 * seconds / len(pages):.1f} ms/page")
    return 0


def _print_errors(row: str, predicted: list[str], gold: list[str]) -> None:
    gt = [tokens(g) for g in gold]
    pt = [tokens(p) for p in predicted]
    missed = [g for g, t in zip(gold, gt, strict=True) if not any(dice(t, p) >= MATCH for p in pt)]
    false = [p for p, t in zip(predicted, pt, strict=True) if not any(dice(t, g) >= MATCH for g in gt)]
    for g in missed[:8]:
        print(f"    {row} missed: {g[:90]}")
    for p in false[:8]:
        print(f"    {row} false:  {p[:90]}")


if __name__ == "__main__":
    sys.exit(main())
