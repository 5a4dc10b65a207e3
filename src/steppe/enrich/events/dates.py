"""Event dates: the dates a sentence names, resolved against the item's date.

The parsing itself is :mod:`steppe.extract.dates` (one date machinery for the project); this
module only decides which dates stand and never invents a year: without a year in the text and
without an item date to resolve against, a date keeps its words and no value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")

@dataclass
class Date:
    start: int  # absolute offsets into the item text
    end: int
    value: str | None
    precision: str | None
    raw: str


def find_dates(sentence: str, base: int, anchor: str | None) -> list[Date]:
    """Dates in a sentence via steppe.extract.dates; resolved only against an anchor."""
    try:
        from steppe.extract import dates as dates_mod
    except ImportError:  # the dates stage is not installed yet: a small fallback
        return _fallback_dates(sentence, base, anchor)
    anchor_value = dates_mod.parse_anchor(anchor)
    found = []
    for s, e, dv in dates_mod.find_dates(sentence, anchor=anchor_value):
        raw = sentence[s:e]
        value, precision = getattr(dv, "value", None), getattr(dv, "precision", None)
        if anchor_value is None and not re.search(r"\b\d{4}\b", raw):
            value, precision = None, None  # no year in the text and nothing to resolve against
        found.append(Date(base + s, base + e, value, precision, raw))
    return found


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_FALLBACK_RE = re.compile(
    r"\b(?:(\d{1,2})(?:\s*[-–]\s*(\d{1,2}))?\s+(" + MONTH + r")\.?(?:,?\s+(\d{4}))?"
    r"|(" + MONTH + r")\s+(\d{4}))\b")


def _fallback_dates(sentence: str, base: int, anchor: str | None) -> list[Date]:
    ay, am = (int(anchor[:4]), int(anchor[5:7]) if len(anchor) >= 7 else 12) if anchor else (None, None)
    out = []
    for m in _FALLBACK_RE.finditer(sentence):
        if m.group(3):
            day = int(m.group(2) or m.group(1))
            month = _MONTHS[m.group(3)[:3].lower()]
            year = int(m.group(4)) if m.group(4) else None
            if year is None and ay is not None:
                year = ay if month <= (am or 12) + 1 else ay - 1
            value = f"{year:04d}-{month:02d}-{day:02d}" if year else None
            out.append(Date(base + m.start(), base + m.end(), value, "day" if year else None,
                             m.group()))
        else:
            month = _MONTHS[m.group(5)[:3].lower()]
            out.append(Date(base + m.start(), base + m.end(), f"{m.group(6)}-{month:02d}",
                             "month", m.group()))
    return out

