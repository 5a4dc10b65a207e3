"""Themes: which of eight analyst themes a text is about (multi-label, explainable).

Method: a weighted lexicon (``themes.yaml`` beside this file) plus actor cues.
Every lexicon term found in the text adds its weight to its theme once (a
repeated word does not count twice, and a match inside a longer matched term
of the same theme, "security" inside "security services", does not count
again); every linked actor mention whose actor id or country is listed under
``actor_cues`` adds its weights too. A theme is assigned when its score reaches
the lexicon's ``threshold``. The result keeps every cue with its character
offsets, so a reader can see why a text got a theme.

Measured on the hand-labelled paragraphs in ``tests/data/themes_labels.yaml``:
``python -m steppe.analyse.themes tests/data/themes_labels.yaml`` prints
precision and recall per theme (the corpus in ../shared/corpus is needed).
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

LEXICON_PATH = Path(__file__).with_name("themes.yaml")
THEMES: tuple[str, ...] = ("security", "economy", "energy", "migration", "identity", "domestic",
                           "china", "west")


@dataclass
class Cue:
    """One reason for a theme: a lexicon term or a linked actor, where it was found."""

    term: str
    weight: float
    start: int
    end: int
    kind: str = "term"  # term | actor


@dataclass
class ThemeScore:
    theme: str
    label: str
    score: float
    cues: list[Cue] = field(default_factory=list)


@dataclass
class Lexicon:
    threshold: float
    labels: dict[str, str]
    patterns: dict[str, list[tuple[str, float, re.Pattern[str]]]]
    actor_cues: dict[str, dict[str, float]]


def _compile(term: str) -> re.Pattern[str]:
    """A term as a whole-word regex: ``*`` is a word ending; all-capital terms keep their case."""
    prefix = term.endswith("*")
    core = term.rstrip("*")
    # Words may be split by spaces or hyphens: "inter-ethnic" also matches "inter ethnic".
    words = [r"[\-\s]".join(re.escape(part) for part in w.split("-")) for w in core.split()]
    body = r"[\s\-]+".join(words)
    tail = r"[\w\-]*" if prefix else ""
    flags = 0 if core.upper() == core and any(c.isalpha() for c in core) else re.IGNORECASE
    # A hyphen before is a boundary too: "Russia-China" names China.
    return re.compile(rf"(?<!\w){body}{tail}(?!\w)", flags)


@functools.lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    data = yaml.safe_load(Path(path or LEXICON_PATH).read_text(encoding="utf-8"))
    labels, patterns = {}, {}
    for theme, spec in data["themes"].items():
        labels[theme] = spec.get("label", theme)
        patterns[theme] = [(str(t), float(w), _compile(str(t))) for t, w in spec["terms"].items()]
    cues = {str(k): {t: float(w) for t, w in v.items()} for k, v in (data.get("actor_cues") or {}).items()}
    return Lexicon(float(data.get("threshold", 2.0)), labels, patterns, cues)


def _term_cues(text: str, pats: list[tuple[str, float, re.Pattern[str]]]) -> list[Cue]:
    found: list[Cue] = []
    for term, weight, pattern in pats:
        m = pattern.search(text)
        if m:
            found.append(Cue(term, weight, m.start(), m.end()))
    # Longest first; a match inside an already kept one of this theme adds nothing.
    kept: list[Cue] = []
    for cue in sorted(found, key=lambda c: (-(c.end - c.start), c.start)):
        if not any(k.start <= cue.start and cue.end <= k.end for k in kept):
            kept.append(cue)
    return sorted(kept, key=lambda c: c.start)


def _actor_cues(mentions: Iterable[dict[str, Any]], lex: Lexicon) -> dict[str, list[Cue]]:
    out: dict[str, list[Cue]] = {}
    seen: set[tuple[str, str]] = set()
    for m in mentions:
        for key in (m.get("actor"), m.get("country")):
            for theme, weight in lex.actor_cues.get(key or "", {}).items():
                if (theme, key) in seen:
                    continue
                seen.add((theme, key))
                out.setdefault(theme, []).append(
                    Cue(str(key), weight, int(m.get("start") or 0), int(m.get("end") or 0), "actor"))
    return out


def score_themes(text: str, mentions: Iterable[dict[str, Any]] = (),
                 lexicon: Lexicon | None = None) -> list[ThemeScore]:
    """Every theme with its score and cues (including those under the threshold), best first."""
    lex = lexicon or load_lexicon()
    by_actor = _actor_cues(mentions, lex)
    out = []
    for theme in lex.patterns:
        cues = _term_cues(text, lex.patterns[theme])
        # An actor cue adds only when no lexicon term already named the same span.
        cues += [c for c in by_actor.get(theme, [])
                 if not any(t.start <= c.start and c.end <= t.end for t in cues)]
        out.append(ThemeScore(theme, lex.labels[theme], round(sum(c.weight for c in cues), 2), cues))
    return sorted(out, key=lambda s: (-s.score, THEMES.index(s.theme) if s.theme in THEMES else 99))


def classify(text: str, mentions: Iterable[dict[str, Any]] = (),
             lexicon: Lexicon | None = None) -> list[ThemeScore]:
    """The themes a text is about (score at or above the threshold), best first."""
    lex = lexicon or load_lexicon()
    return [s for s in score_themes(text, mentions, lex) if s.score >= lex.threshold]


def item_themes(store: Any, item_id: str) -> list[ThemeScore]:
    """Themes of one stored item, using its linked mentions as actor cues."""
    item = store.get_item(item_id)
    if item is None:
        return []
    text = "\n".join(filter(None, [item.title, item.text]))
    offset = len(item.title) + 1 if item.title else 0
    mentions = [{**m.to_dict(), "start": m.start + offset, "end": m.end + offset}
                for m in store.mentions(item.id)]
    return classify(text, mentions)


def theme_labels() -> dict[str, str]:
    return dict(load_lexicon().labels)


# ---------------------------------------------------------------- evaluation


def load_labels(path: str | Path) -> dict[str, list[str]]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {str(k): list(v or []) for k, v in data["labels"].items()}


def find_paragraphs(prefixes: Iterable[str], corpus: str | Path) -> dict[str, str]:
    """prefix -> the corpus line (paragraph) that starts with it; missing prefixes are left out."""
    lines = []
    for path in sorted(Path(corpus).glob("*")):
        if path.is_file():
            lines += [ln.strip().lstrip("|").strip()
                      for ln in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    out = {}
    for prefix in prefixes:
        match = next((ln for ln in lines if ln.startswith(prefix)), None)
        if match is not None:
            out[prefix] = match
    return out


def evaluate(labels: dict[str, list[str]], texts: dict[str, str],
             lexicon: Lexicon | None = None) -> dict[str, Any]:
    """Per-theme precision, recall and F1 (and micro averages) of ``classify`` on labelled texts."""
    counts = {t: {"tp": 0, "fp": 0, "fn": 0} for t in THEMES}
    errors = []
    for key, gold in labels.items():
        if key not in texts:
            continue
        predicted = {s.theme for s in classify(texts[key], lexicon=lexicon)}
        for theme in THEMES:
            c = counts[theme]
            if theme in predicted and theme in gold:
                c["tp"] += 1
            elif theme in predicted:
                c["fp"] += 1
            elif theme in gold:
                c["fn"] += 1
        if predicted != set(gold):
            errors.append({"text": key, "gold": sorted(gold), "predicted": sorted(predicted)})
    per_theme = {t: _prf(**c) for t, c in counts.items()}
    micro = _prf(**{k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")})
    return {"n": sum(1 for k in labels if k in texts), "themes": per_theme, "micro": micro,
            "errors": errors}


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp,
            "fn": fn}


def format_report(report: dict[str, Any]) -> str:
    rows = [f"{'theme':<10} {'prec':>6} {'recall':>6} {'f1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for theme, m in [*report["themes"].items(), ("micro", report["micro"])]:
        rows.append(f"{theme:<10} {m['precision']:>6.2f} {m['recall']:>6.2f} {m['f1']:>6.2f}"
                    f" {m['tp']:>4} {m['fp']:>4} {m['fn']:>4}")
    rows.append(f"{report['n']} labelled paragraphs")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    labels_path = argv[0] if argv else "tests/data/themes_labels.yaml"
    corpus = argv[1] if len(argv) > 1 else str(Path(labels_path).resolve().parents[2].parent
                                               / "shared" / "corpus")
    labels = load_labels(labels_path)
    report = evaluate(labels, find_paragraphs(labels, corpus))
    print(format_report(report))
    for e in report["errors"]:
        print(f"  {e['text'][:50]!r}: gold {e['gold']} predicted {e['predicted']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
