"""The period of one record region of a text dump, and its cards.

Inside each region found by ``textcards`` the cards follow the region's own period:
the sequence of line classes (text, date/byline, label, repeat, furniture; marker;
blank line above) is searched for runs that repeat one layout (``textperiod``), the
layout's title slot is chosen (title-like, distinct, linked, first of its text block,
shortest), and each repeat is one card. A teaser printed like a title then stays the
teaser of the title above it, decided run by run.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable

from steppe.extract import boilerplate as bp
from steppe.extract.dates import find_dates
from steppe.extract.textperiod import PeriodicRun, minimal_period, periodic_runs
from steppe.extract.textunits import (
    MAX_RECORD_UNITS,
    MIN_RECORDS,
    SENTENCE_END,
    DumpCard,
    Region,
    Unit,
    title_at,
    wlen,
)

# ---------------------------------------------------------------- the period of a region

_CLASS_LETTER = {"T": "x", "P": "x", "G": "x", "D": "d", "S": "s", "R": "r", "F": "f"}
TITLE_SLOT_SHARE = 0.5  # lines of a period slot that must look like titles for it to hold titles


def _line_class(u: Unit) -> str:
    """What the period compares: text (title or teaser alike: a teaser without a full stop
    reads as a title), date/byline, short label, repeat or furniture; its list/heading
    marker; and the blank line above it (the page's blank-line rhythm)."""
    return _CLASS_LETTER[u.shape] + u.marker + ("_" if u.blank_before else "")


def follow_period(units: list[Unit], region: Region, span: list[int]) -> None:
    """Where a region's lines repeat one layout (title, teaser, byline, ...), its records
    are that layout's repeats, whatever their head lines look like: a teaser printed like a
    title then stays the teaser of the title above it. Decided run by run, so one region
    may hold a title+teaser stretch beside a list of bare titles."""
    order = span
    # a run may not cross a gap (lines outside the region sit between): the line after one
    # gets a class of its own, which repeats nowhere
    classes = [_line_class(units[i]) if n == 0 or order[n - 1] == i - 1 else f"|{i}"
               for n, i in enumerate(order)]
    for run in reversed(periodic_runs(classes, MAX_RECORD_UNITS, alike=_label_as_text)):
        starts = _period_starts(units, order, run)
        if starts is not None:
            _rebuild(units, region.records, order, run, starts)


def _label_as_text(line: str, slot: str, steady: frozenset[str]) -> bool:
    """A line standing in a slot of the other kind of short line: a kicker or section label
    long enough to read as text in a label slot ("Column name  Author name"); a title of two
    words in a title slot, but only where a date or address line printed in every repeat
    pins the phase (elsewhere a short line in a title slot is more often a heading the list
    runs into, which shifts every card after it)."""
    if line[1:] != slot[1:]:
        return False
    if line[:1] == "x" and slot[:1] == "s":
        return True
    return line[:1] == "s" and slot[:1] == "x" and any(c[:1] in ("d", "f") for c in steady)


def _rebuild(units: list[Unit], records: list[list[int]], order: list[int], run: PeriodicRun, starts: list[int]) -> None:
    """Replace the records headed inside the run by the run's repeats (in place)."""
    lo, hi = order[min(run.start, starts[0])], order[run.end - 1]
    inside = [n for n, r in enumerate(records) if lo <= r[0] <= hi]
    if not inside:
        return
    new = [[order[n] for n in range(a, b)] for a, b in zip(starts, [*starts[1:], run.end], strict=True)]
    # what the last record headed inside the run holds past it stays with the last repeat
    new[-1].extend(i for n in inside for i in records[n] if i > hi)
    lead = order[run.start:starts[0]]  # the run's lines above its first title
    first = inside[0]
    for n, rec in enumerate(records):
        if n not in inside:
            rec[:] = [i for i in rec if not lo <= i <= hi]
    # lines above the first title close the card printed just above the run
    if first > 0 and lead and records[first - 1] and records[first - 1][-1] == lead[0] - 1:
        records[first - 1].extend(lead)
    records[first:inside[-1] + 1] = new
    # a card cut down to its date or labels lost its title to the run: nothing is left of it
    records[:] = [r for r in records if any(units[i].shape in ("T", "G", "P") for i in r)]


def _period_starts(units: list[Unit], order: list[int], run: PeriodicRun) -> list[int] | None:
    """Positions (into ``order``) where each repeat of the run's layout starts: at its
    title slot, or at the date/label slot printed just above the title when the run opens
    with it. None when no slot of the layout holds titles."""
    p = run.period
    if _twice_over(units, order, run):
        return None
    slot = _title_slot(units, order, run)
    if slot is None:
        return None
    starts = list(range(run.start + slot, run.end, p))
    # "date, title, teaser": each card opens with the date line printed above its title when
    # the first title has one above it too (the last card then ends without one)
    above = starts[0] - 1
    if (run.layout[(slot - 1) % p][:1] == "d"
            and above >= 0 and order[above] == order[starts[0]] - 1 and units[order[above]].shape == "D"):
        starts = [n - 1 for n in starts]
    return starts if len(starts) >= MIN_RECORDS else None


def _twice_over(units: list[Unit], order: list[int], run: PeriodicRun) -> bool:
    """A layout that is a shorter one printed twice with a different label or date line
    ("title, date, title, author"): the cards are the shorter layout's, which a period read
    off three repeats only would split wrongly."""
    labels = [c if c[:1] == "x" else "o" + "_" * c.endswith("_") for c in run.layout]
    return minimal_period(labels) < run.period


def _title_slot(units: list[Unit], order: list[int], run: PeriodicRun) -> int | None:
    """The slot of the layout that holds the titles: of the text slots whose lines are
    mostly title-like and tell the cards apart (a kicker slot repeats its few section names),
    the one most often printed as links or headings, then the most title-like, then the
    shortest (a teaser runs longer than its title). None when another text slot reads just
    like it: several titles per repeat is a list of titles with a blank line now and then,
    not a card layout."""
    p = run.period
    slots = {}
    for k in range(p):
        lines = [units[order[n]] for n in range(run.start + k, run.end, p)]
        if run.layout[k][:1] != "x":
            continue
        # in a text slot a short line stands in for a short title
        titled = sum(u.shape in ("T", "G", "S") for u in lines) / len(lines)
        words = statistics.median(wlen(u.title or u.text) for u in lines)
        distinct = distinct_share(lines) >= DISTINCT_SLOT_SHARE
        linked = sum(u.url is not None or u.marker == "h" for u in lines) / len(lines)
        slots[k] = (titled, words, distinct, linked)
    layout = [c[:1] for c in run.layout]

    def depth(k: int) -> int:
        """Text slots just above slot k in the layout: a card's text opens with its title."""
        n = 0
        while n < p - 1 and layout[(k - n - 1) % p] == "x" and (k - n - 1) % p in slots:
            n += 1
        return n

    ranked = sorted((k for k, (titled, _w, distinct, _l) in slots.items() if titled >= TITLE_SLOT_SHARE and distinct),
                    key=lambda k: (round(slots[k][3], 1), round(slots[k][0], 1), -depth(k), -slots[k][1], -k),
                    reverse=True)
    if not ranked or len(ranked) > MAX_TITLE_LIKE_SLOTS:
        return None  # a section: its heading over several titles
    slot = ranked[0]
    words = slots[slot][1]
    for k in ranked[1:]:
        if words / TEASER_RATIO < slots[k][1] < words * TEASER_RATIO:
            return None  # a second title in every repeat
    return slot


DISTINCT_SLOT_SHARE = 0.5
MAX_TITLE_LIKE_SLOTS = 2  # a card prints a title and at most one teaser that reads like one


def distinct_share(lines: list[Unit]) -> float:
    """Share of the slot's words that occur in one of its lines only: high for titles and
    teasers, low for kickers and labels that repeat a few section names."""
    seen: Counter[str] = Counter()
    for u in lines:
        seen.update(set(w.casefold() for w in bp.words(u.text)))
    total = sum(seen.values())
    return sum(n for n in seen.values() if n == 1) / total if total else 0.0


TEMPLATE_SHARE = 0.7  # titles of a region that carry the same tail for it to be the template's
TEMPLATE_MIN_CHARS = 12


def strip_template(cards: Iterable[DumpCard]) -> list[DumpCard]:
    """Text the page's template glues to every title of a region (a hidden "visited link"
    note, a site name) is not part of the titles."""
    cards = list(cards)
    tails = Counter(t for c in cards for t in _tails(c.title))
    common = [t for t, n in tails.items() if n >= max(MIN_RECORDS, TEMPLATE_SHARE * len(cards))]
    if not common:
        return cards
    tail = max(common, key=len)
    for c in cards:
        if c.title.endswith(tail) and len(c.title) > len(tail):
            c.title = c.title[: -len(tail)].rstrip(" -|–—·:")
    return cards


def _tails(title: str) -> set[str]:
    """Every tail of the title at least TEMPLATE_MIN_CHARS long that starts at a word start."""
    starts = [m.start() for m in re.finditer(r"(?<![^\W_])\w|(?<=[a-z])(?=[A-Z])", title)]
    return {title[i:] for i in starts if i > 0 and len(title) - i >= TEMPLATE_MIN_CHARS}


TEASER_RATIO = 1.5  # a teaser line printed like a title is this much longer than its title
TEASER_MIN_LINE = 8  # ... and at least this many words
PAIRED_SHARE = 0.3  # records that must pair up for a region to be read as title + teaser


def pair_teasers(units: list[Unit], region: Region) -> None:
    """Title and teaser both printed as title-like lines (a teaser with no full stop): when
    many bare records are followed by a much longer one, each longer one is the teaser of the
    title above it, not a card of its own."""
    recs = region.records
    pairs = [k for k in range(len(recs) - 1) if _teaser_of(units, recs[k], recs[k + 1])]
    taken: list[int] = []
    for k in pairs:
        if not taken or k > taken[-1] + 1:
            taken.append(k)
    if len(taken) < PAIRED_SHARE * len(recs):
        return
    for k in reversed(taken):
        recs[k].extend(recs[k + 1])
        del recs[k + 1]


def _teaser_of(units: list[Unit], rec: list[int], nxt: list[int]) -> bool:
    head, line = units[rec[0]], units[nxt[0]]
    if len(rec) > 1 or head.shape != "T" or line.shape != "T" or head.url is not None and line.url is None:
        return False
    n = wlen(line.text)
    return n >= TEASER_MIN_LINE and n >= TEASER_RATIO * wlen(head.text)


def move_leading_dates(units: list[Unit], region: Region) -> None:
    """Dates printed above titles: each record's trailing date belongs to the next title."""
    recs = region.records
    first = recs[0][0]
    if units[first].shape == "D":
        return  # the records open with their dates already
    before = first - 1
    ends_with_date = sum(units[r[-1]].shape == "D" for r in recs)
    # the last card ends with a date too: each card ends at its own date line
    last_dated = units[recs[-1][-1]].shape == "D"
    if (before >= 0 and units[before].shape == "D" and not last_dated
            and ends_with_date >= 0.7 * (len(recs) - 1)):
        carried = [before]
        for rec in recs:
            tail = rec.pop() if rec is not recs[-1] and units[rec[-1]].shape == "D" else None
            rec[1:1] = carried
            carried = [tail] if tail is not None else []


def card_of(units: list[Unit], rec: list[int]) -> DumpCard:
    at = title_at(units, rec) or rec[0]
    head = units[at]
    title = head.title if head.shape == "G" else head.text
    card = DumpCard(title=title or head.text, url=head.url, head=head,
                    date_raw=units[rec[0]].date_raw if at != rec[0] else head.date_raw,
                    units=[units[i] for i in rec])
    for i in rec[rec.index(at) + 1:] if at != rec[0] else rec[1:]:
        u = units[i]
        if u.shape == "S" and len(u.text) <= 60 and find_dates(u.text):
            # "12 March 2024 / 3 comments": a date line with a counter is the card's date
            card.date_raw = card.date_raw or u.text
            continue
        if u.shape == "D" or (u.shape == "G" and card.date_raw is None):
            card.date_raw = card.date_raw or u.date_raw
            if u.shape == "D":
                continue
        if u.shape in ("P", "T", "G") or (u.shape == "S" and SENTENCE_END.search(u.text)):
            card.body.append(u)  # teaser text; short labels (authors, counts) are not
    if head.marker == "n":
        card.kind = "result"
    return card
