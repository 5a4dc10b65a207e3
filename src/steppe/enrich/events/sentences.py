"""Sentence spans: the one sentence splitter of Steppe (events, briefs, any language).

Hand-written rather than spaCy's sentencizer: it must be language-agnostic (Latin and
Cyrillic capitals, digits, quotes) and cheap enough to run on every item, and it must keep
abbreviations such as "U.S." or "Gen." inside a sentence.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

# Abbreviations and initials that end in a full stop without ending a sentence: English
# titles and months, Russian ones ("г." year, "гг.", "им.", "ул.", "т. е."), and single
# capitals in either script ("V. Putin", "В. Путин").
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Capt|Sgt|St|Sen|Rep|Gov|Pres|Prof|Jan|Feb|Mar|Apr|Jun|"
    r"Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|vs|etc|Inc|Co|Corp|Ltd|approx|e\.g|i\.e|г|гг|им|ул|т|е|др|пр|см)"
    r"|\b[A-ZА-ЯЁ]|\b(?:[A-Z]\.){1,3}[A-Z])\.$"
)
# A sentence ends at . ! ? or … (closing quotes or brackets may follow) before a capital or a
# digit, Latin or Cyrillic, possibly behind an opening quote.
_SENT_END = re.compile(r"(?:[.!?]|…)[\"”’')\]»]*\s+(?=[\"“‘(\[«„]?[A-Z0-9А-ЯЁ])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of sentences: lines first, then terminal punctuation."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for m in _SENT_END.finditer(line.group()):
            cut = line.start() + m.start() + len(m.group().rstrip())
            if _ABBREV.search(text[start:line.start() + m.start() + 1]):
                continue
            spans.append((start, cut))
            start = line.start() + m.end()
        spans.append((start, line.end()))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out

