"""Record regions of a text dump found by their template's repeated label lines.

Long cards (a shop's product with its specification lines, price and "add to list"
button; a teaser with kicker, date and "Read more") vary in length from card to card,
so no fixed period and often no head line of one look marks them, and their titles may
be too short to read as titles on their own ("Klimakiller Kunststoff", "2007 Leukade").
What every such card does print is its template's fixed labels: the same short line
once per card ("Herkunft:", "Mehr erfahren", "auf Merkzettel"). Such a line is an
*anchor*; the card's title sits a fixed number of lines above it in every card, and is
the one line at that distance that reads as a title and differs from card to card.

This runs after the head-line search of ``textcards`` on the lines it left free, so it
only adds regions where none was found.

Search results have an anchor of another kind: each prints its address ("https://site.com
› path"), different from result to result. ``addressed_regions`` reads those before the
head-line search: a result's title is the nearest title-like line above its address that
the result does not print again (the site's name is printed beside the address twice).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict

from steppe.extract.textlayout import distinct_share
from steppe.extract.textunits import (
    LABEL_REPEATS,
    MAX_FEED_RECORD,
    MIN_RECORDS,
    SENTENCE_END,
    TEASER_MAX_WORDS,
    TITLE_MAX_WORDS,
    Region,
    Unit,
    wlen,
)

__all__ = ["addressed_regions", "anchored_regions"]

ANCHOR_MAX_WORDS = 5  # a template label is short: "(inkl. MwSt. zzgl. Versand)"
MAX_ANCHOR_GAP = 2 * MAX_FEED_RECORD  # lines between two cards' labels: a long product card
MAX_TITLE_LEAD = 8  # lines from a card's title down to its label
TITLED_SHARE = 0.5  # title-slot lines that must read as titles (the rest short lines)
DISTINCT_SHARE = 0.3  # ... and their words this distinct (product names share a few words)
GAP_SPREAD = 3  # the longest card of a region at most this many times the shortest
PROSE_LINES = 6  # prose lines in one card: more is an article's section
MAX_OWN_LINES = 5  # short lines of a card's own that stand alone: more is a menu's section
_TITLE_SHAPES = ("T", "G")


def anchored_regions(units: list[Unit], free: list[bool]) -> list[Region]:
    """Regions, not overlapping each other, whose cards each print one anchor line a fixed
    number of lines under their title; ``free`` (lines no region holds yet) is updated."""
    candidates = []
    for positions in _anchor_runs(units, free):
        found = _titles_above(units, free, positions)
        if found is not None:
            candidates.append(found)
    # most cards first; then the slot read most like titles; then the nearer label
    candidates.sort(key=lambda c: (-len(c[0]), -c[1], c[2], c[0][0]))
    out: list[Region] = []
    for titles, _titled, _lead, end in candidates:
        records = _records(units, free, titles, end)
        if records is None or _menu_sections(units, records):
            continue
        for rec in records:
            for i in rec:
                free[i] = False
        dated = sum(any(units[i].shape in ("D", "G") for i in r) for r in records)
        teased = sum(sum(wlen(units[i].text) for i in r if units[i].shape == "P") >= 8 for r in records)
        rich = max(dated, teased) >= 0.5 * len(records)
        out.append(Region(records, float(len(records)), rich))
    return out


def _anchor_runs(units: list[Unit], free: list[bool]) -> list[list[int]]:
    """Runs of one short line printed again and again, each at most MAX_ANCHOR_GAP lines
    after the one before and with only free lines between them."""
    where: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        if free[i] and u.text and u.shape not in ("P", "D", "G") and wlen(u.text) <= ANCHOR_MAX_WORDS:
            where[u.text.casefold()].append(i)
    runs = []
    for positions in where.values():
        if len(positions) < MIN_RECORDS:
            continue
        run = [positions[0]]
        for p in positions[1:]:
            if p - run[-1] <= MAX_ANCHOR_GAP and all(free[run[-1]:p]):
                run.append(p)
                continue
            runs.append(run)
            run = [p]
        runs.append(run)
    return [r for r in runs if len(r) >= MIN_RECORDS and _steady(r)]


def _steady(positions: list[int]) -> bool:
    """Cards of one template: no card far longer than another, none a line or two long."""
    gaps = [b - a for a, b in zip(positions, positions[1:], strict=False)]
    return min(gaps) >= 2 and max(gaps) <= GAP_SPREAD * min(gaps)


def _titles_above(units: list[Unit], free: list[bool], positions: list[int]
                  ) -> tuple[list[int], float, int, int] | None:
    """(title lines, share read as titles, lines from title to label, the last label) for
    the best distance above the anchors that holds one title per card, or None."""
    shortest = min(b - a for a, b in zip(positions, positions[1:], strict=False))
    best = None
    for lead in range(1, min(MAX_TITLE_LEAD, shortest - 1) + 1):
        titles = [p - lead for p in positions]
        if titles[0] < 0 or not all(free[i] for i in titles):
            continue
        lines = [units[i] for i in titles]
        if not all(_title_candidate(u) for u in lines):
            continue
        if len({u.text.casefold() for u in lines}) < len(lines) or distinct_share(lines) < DISTINCT_SHARE:
            continue
        titled = sum(u.shape in _TITLE_SHAPES for u in lines) / len(lines)
        if titled < TITLED_SHARE:
            continue
        score = titled + sum(u.url is not None or u.marker == "h" for u in lines) / len(lines)
        if best is None or score > best[1]:
            best = (titles, score, lead, positions[-1])
    return best


def _title_candidate(u: Unit) -> bool:
    """A line that may be a card's title: title-like, or a short line of at least two words
    that is no sentence (a title too short to read as one alone); mostly letters either way
    (a price, a quantity or a counter is mostly digits)."""
    letters = sum(c.isalpha() for c in u.text)
    if letters <= sum(c.isdigit() for c in u.text):
        return False
    if u.shape in _TITLE_SHAPES:
        return True
    return u.shape == "S" and 2 <= wlen(u.text) <= TITLE_MAX_WORDS and not SENTENCE_END.search(u.text)


def _records(units: list[Unit], free: list[bool], titles: list[int], last_anchor: int) -> list[list[int]] | None:
    """Each card from its title to the line before the next title; the last card as long as
    the others print beyond their label. None when a card holds an article's prose or a line
    another region took."""
    ends = [*titles[1:], None]
    tail = statistics.median(b - a for a, b in zip(titles, titles[1:], strict=False))
    records = []
    for start, end in zip(titles, ends, strict=True):
        if end is None:  # the last card: up to what another region holds
            stop = min(len(units), max(last_anchor + 1, start + int(tail)))
            end = next((i for i in range(start, stop) if not free[i]), stop)
        rec = list(range(start, end))
        if not rec or not all(free[i] for i in rec) or not _teaser_like(units, rec):
            return None
        records.append(rec)
    return records


def _teaser_like(units: list[Unit], rec: list[int]) -> bool:
    prose = [wlen(units[i].text) for i in rec[1:] if units[i].shape == "P"]
    return len(prose) <= PROSE_LINES and sum(prose) <= 2 * TEASER_MAX_WORDS


def _menu_sections(units: list[Unit], records: list[list[int]]) -> bool:
    """Records that each hold a list of their own short lines: a mega-menu's sections (a
    heading, its sub-links, a featured teaser and "more"), not cards. A card's short lines
    are its template's labels, printed in every card, and the values printed after them
    ("Herkunft:" then the region); a menu's entries are neither."""
    seen: dict[str, int] = defaultdict(int)
    for rec in records:
        for text in {units[i].text.casefold() for i in rec}:
            seen[text] += 1
    common = 0.5 * len(records)
    own = []
    for rec in records:
        n = 0
        for k, i in enumerate(rec[1:], 1):
            u = units[i]
            if u.shape not in ("S", "T") or seen[u.text.casefold()] >= common:
                continue
            if units[rec[k - 1]].text.endswith(":"):
                continue  # the value of a "Label:" line
            n += 1
        own.append(n)
    return statistics.median(own) > MAX_OWN_LINES


# a result's address as search engines print it: "https://www.site.com › path › page",
# "site.com/path", "www.site.com"
_ADDRESS = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?::\d+)?(?:[/›»>\s].*)?$", re.I)
ADDRESS_ECHO = 2  # lines within which an address printed again is the same result's
MAX_ADDRESS_LEAD = 3  # lines from a result's title down to its address
MIN_RESULTS = MIN_RECORDS + 1


def addressed_regions(units: list[Unit], free: list[bool]) -> list[Region]:
    """Runs of search results, each read from its printed address; ``free`` is updated."""
    where = [i for i, u in enumerate(units) if free[i] and u.text and u.url is None
             and " " not in u.text.split("›")[0].strip() and _ADDRESS.match(u.text)]
    anchors: list[int] = []
    for i in where:
        if anchors and i - anchors[-1] <= ADDRESS_ECHO:
            continue  # the address printed again under the site's name
        anchors.append(i)
    out: list[Region] = []
    for run in _address_runs(free, anchors):
        titles = _result_titles(units, free, run)
        if titles is None:
            continue
        records = _records(units, free, titles, run[-1])
        if records is None or _menu_sections(units, records):
            continue
        for rec in records:
            for i in rec:
                free[i] = False
        out.append(Region(records, float(len(records)), True))
    return out


def _address_runs(free: list[bool], anchors: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for a in anchors:
        if runs and a - runs[-1][-1] <= MAX_ANCHOR_GAP and all(free[runs[-1][-1]:a]):
            runs[-1].append(a)
        else:
            runs.append([a])
    return [r for r in runs if len(r) >= MIN_RESULTS]


def _result_titles(units: list[Unit], free: list[bool], anchors: list[int]) -> list[int] | None:
    """Each result's title line: the nearest title-like line above its address, after the
    result before it, that the result does not print again. None unless nearly every
    address has one."""
    printed = Counter(u.text.casefold() for u in units)
    titles = []
    floor = -1
    for n, a in enumerate(anchors):
        nxt = anchors[n + 1] if n + 1 < len(anchors) else len(units)
        own = {units[i].text.casefold() for i in range(a + 1, min(nxt, a + 1 + MAX_ADDRESS_LEAD + ADDRESS_ECHO))}
        found = None
        for i in range(a - 1, max(floor, a - 1 - MAX_ADDRESS_LEAD), -1):
            u = units[i]
            key = u.text.casefold()
            # the site's name printed again beside the address, a template's label
            # ("Translate this page") printed by every result: neither is the title
            if free[i] and _title_candidate(u) and key not in own and printed[key] < LABEL_REPEATS:
                found = i
                break
        if found is not None:
            titles.append(found)
            floor = found
        floor = max(floor, a)
    if len(titles) < MIN_RESULTS or len(titles) < 0.8 * len(anchors):
        return None
    return titles
