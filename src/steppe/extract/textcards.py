"""Cards in a plain-text dump, found by the page's period.

A listing copied out of a browser (or written by ``lynx -dump``, ``html2text``)
keeps no markup, but it keeps its rhythm: every card prints as the same few
lines (title, teaser, date or byline), with the same blank lines between them.
This module finds that period instead of trusting fixed phrases:

1. the dump is cut into *units* (logical lines: hard-wrapped lines joined back
   at the wrap width, Markdown/lynx decoration and link targets taken off);
2. every unit gets a *shape*: date line, dated title (a title with its date
   glued on), title-like line, prose, short label;
3. for each kind of title line (its shape, marker, length class, blank line
   before it) the units are cut before every such line; a run of at least three
   consecutive records that repeat one record shape is a *record region*. The
   best kind of head wins, its region is taken, and the search repeats on what
   is left, so a home page gives several regions;
4. regions whose records carry long prose (sections of one article) or bare
   short labels (menus) are not card regions;
5. inside each region the cards follow the region's own period: the sequence of
   line classes (text, date/byline, label, repeat, furniture; marker; blank line
   above) is searched for runs that repeat one layout (``textperiod``), the
   layout's title slot is chosen (title-like, distinct, linked, first of its text
   block, shortest), and each repeat is one card. A teaser printed like a title
   then stays the teaser of the title above it, decided run by run.

No extraction library reads text dumps, so this is hand-written (see
``textdump``'s note); it uses the project's date finder and furniture tests.

Modules: ``textunits`` (steps 1-2: units and shapes, and the record types), this one
(steps 3-4: record regions), ``textlayout`` (step 5: a region's period and its cards),
``textperiod`` (repeated runs in a sequence of line classes).
"""

from __future__ import annotations

import statistics
from collections import Counter

from steppe.extract.cards.kind import templated_titles
from steppe.extract.textanchors import addressed_regions, anchored_regions
from steppe.extract.textlayout import (
    card_of,
    distinct_share,
    follow_period,
    move_leading_dates,
    pair_teasers,
    strip_template,
)
from steppe.extract.textunits import (
    DATE_HEAD_WEIGHT,
    FEED_TEASER_STRETCH,
    GLUED_DATE,
    HEADLINE_WORDS,
    MAX_FEED_RECORD,
    MAX_RECORD_UNITS,
    MAX_REGIONS,
    MIN_HEADLINES,
    MIN_RECORDS,
    MODAL_SHARE,
    TEASER_MAX_WORDS,
    TEASER_MEDIAN_WORDS,
    DumpCard,
    Region,
    Unit,
    is_byline,
    is_date_line,
    title_at,
    units_of,
    wlen,
)

__all__ = ["GLUED_DATE", "DumpCard", "Unit", "find_dump_cards", "is_byline", "is_date_line", "units_of"]


# ---------------------------------------------------------------- regions


def _head_key(u: Unit) -> tuple[str, str, bool] | None:
    """What a card's first line looks like: its shape, its marker, a blank line above it.
    A card opens with its title, or with the byline or date printed above its title."""
    if u.shape in ("G", "T", "D"):
        return (u.shape, u.marker, u.blank_before)
    return None



def _key_fits(u: Unit, key: tuple) -> bool:
    k = _head_key(u)
    return k is not None and (k == key or key[2] is None and k[:2] == key[:2])



def _signature(units: list[Unit], rec: list[int], feed: bool = False) -> str:
    """The record's shape letters after its head, runs collapsed. A feed's post is read
    coarser: which kinds of line it has, in first-seen order, short labels left out (its
    topic tags and counters vary in number and in shape from post to post)."""
    sig = []
    for i in rec[1:]:
        s = units[i].shape
        if s in ("F", "R") or feed and (s == "S" or s in sig):
            continue
        if not sig or sig[-1] != s:
            sig.append(s)
    return "".join(sig)


def _regions_for(units: list[Unit], key: tuple, free: list[bool], feed: bool = False) -> list[Region]:
    """Runs of records headed by ``key`` lines. ``feed``: records of a feed of posts (each with
    its byline or date), whose topic tags, counters and "read more" lines do not count toward
    a record's length and whose teasers may run long."""
    heads = _extend_back(units, key, free, [i for i, u in enumerate(units) if free[i] and _key_fits(u, key)])
    out: list[Region] = []
    run: list[list[int]] = []

    def close() -> None:
        # an article's sections (long prose under a heading) cut the run: the teasers on
        # either side of them are judged on their own
        piece: list[list[int]] = []
        for rec in [*run, None]:
            if rec is not None and _teaser_like(units, rec, FEED_TEASER_STRETCH if feed else 1):
                piece.append(list(rec))
                continue
            if len(piece) >= MIN_RECORDS:
                out.extend(_judge_piece(units, key, piece, feed))
            piece = []
        run.clear()

    for n, h in enumerate(heads):
        stop = heads[n + 1] if n + 1 < len(heads) else len(units)
        rec = [h]
        j = h + 1
        lines = 1
        while j < stop and free[j] and lines <= MAX_RECORD_UNITS and len(rec) <= MAX_FEED_RECORD:
            rec.append(j)
            lines += not feed or units[j].shape not in ("S", "F", "R")
            j += 1
        broken = j < stop  # something not in this card sits before the next head
        if key[0] == "D" and title_at(units, rec) is None:
            close()  # a date with no title under it: not one of these cards
            continue
        run.append(rec)
        if broken:
            close()
    close()
    return out


def _judge_piece(units: list[Unit], key: tuple, piece: list[list[int]], feed: bool) -> list[Region]:
    """The piece as one region, or, when it fails as a whole, its stretches of records that
    print one shape: two lists run together under the same head line (a box of site links
    over the results list) are two regions, each with its own period."""
    region = _judge(units, key, [list(r) for r in piece], feed)
    if region is not None:
        return [region]
    out = []
    for stretch in _shape_stretches(units, piece, feed):
        if MIN_RECORDS <= len(stretch) < len(piece):
            region = _judge(units, key, stretch, feed)
            if region is not None:
                out.append(region)
    return out


def _shape_stretches(units: list[Unit], piece: list[list[int]], feed: bool) -> list[list[list[int]]]:
    """Consecutive records cut where a record leaves the shape its stretch has printed so far."""
    stretches: list[list[list[int]]] = []
    sigs: Counter[str] = Counter()
    for rec in piece:
        sig = _signature(units, rec, feed)
        if stretches and sigs:
            modal = sigs.most_common(1)[0][0]
            if sig == modal or _close_shape(sig, modal) or len(stretches[-1]) < 2:
                stretches[-1].append(list(rec))
                sigs[sig] += 1
                continue
        stretches.append([list(rec)])
        sigs = Counter([sig])
    return stretches


def _extend_back(units: list[Unit], key: tuple, free: list[bool], heads: list[int]) -> list[int]:
    """A list's first record often differs from the rest only by the blank line above it
    (the gap under the list's header): when the lines just before a run of heads repeat the
    run's period line for line, shape for shape, that block is the run's first record."""
    if key[2] is not False or len(heads) < 2:
        return heads
    out: list[int] = []
    taken = set(heads)
    for n, h in enumerate(heads):
        if n + 1 < len(heads) and (n == 0 or heads[n - 1] < h - (heads[n + 1] - h)):
            d = heads[n + 1] - h
            c = h - d
            if (c >= 0 and d <= MAX_FEED_RECORD and units[c].blank_before
                    and units[c].shape == key[0] and units[c].marker == key[1]
                    and all(free[i] and i not in taken for i in range(c, h))
                    and all(units[c + k].shape == units[h + k].shape for k in range(d))
                    and all(units[c + k].blank_before == units[h + k].blank_before for k in range(1, d))):
                out.append(c)
        out.append(h)
    return out


def _teaser_like(units: list[Unit], rec: list[int], stretch: int = 1) -> bool:
    prose = [wlen(units[i].text) for i in rec[1:] if units[i].shape == "P"]
    return len(prose) < 3 * stretch and sum(prose) <= TEASER_MAX_WORDS * stretch


def _judge(units: list[Unit], key: tuple, records: list[list[int]], feed: bool = False) -> Region | None:
    """A run of records is a card region when one record shape dominates it."""
    # distinct cards have distinct titles: a head line printed three times or more in the run is a label
    # (an author, a section name) printed between the cards, not a card
    if key[0] == "D" and any(title_at(units, r) is None for r in records):
        return None  # a byline/date above each title: every record must have its title under it
    seen = Counter(units[r[0]].text.casefold() for r in records)
    records = [r for r in records if seen[units[r[0]].text.casefold()] < 3 or key[0] == "D"]
    if len(records) < MIN_RECORDS:
        return None
    sigs = [_signature(units, r, feed) for r in records]
    modal, count = Counter(sigs).most_common(1)[0]
    # the run's edges often swallow what follows the list: trim records that break the shape
    while records and sigs[-1] != modal and not _close_shape(sigs[-1], modal):
        # the list's last card, with what follows the list run into it: keep the card
        # (when the card above it is in shape: otherwise the list ended further up)
        cut = _modal_prefix(units, records[-1], modal, feed)
        if cut is not None and len(sigs) > 1 and (sigs[-2] == modal or _close_shape(sigs[-2], modal)):
            records[-1], sigs[-1] = cut, modal
            break
        records.pop()
        sigs.pop()
    while records and sigs[0] != modal and not _close_shape(sigs[0], modal):
        records.pop(0)
        sigs.pop(0)
    if len(records) < MIN_RECORDS:
        return None
    # cap each record at the longest modal record: the last one runs into the footer
    longest = max(len(r) for r, s in zip(records, sigs, strict=True) if s == modal)
    own_date = all(any(units[i].shape in ("D", "G") for i in r) for r in records)
    records = [r[:longest] for r in records]
    conforming = sum(s == modal or _close_shape(s, modal) for s in sigs)
    if conforming < 0.7 * len(records) or count < MODAL_SHARE * len(records):
        return None
    prose = [sum(wlen(units[i].text) for i in r[1:] if units[i].shape == "P") for r in records]
    dated = sum(key[0] == "G" or any(units[i].shape in ("D", "G") for i in r) for r in records)
    # every record carrying its own date or byline is a feed of posts, whose teasers may run
    # long; an article's sections carry no date each
    if feed and (not own_date or len(records) < MIN_RECORDS + 1):
        return None
    stretch = FEED_TEASER_STRETCH if feed else 1
    if (statistics.median(prose) > TEASER_MEDIAN_WORDS * stretch
            or max(prose) > TEASER_MAX_WORDS * stretch):
        return None  # sections of an article, not teasers
    if sum(sum(units[i].shape == "P" for i in r) >= 3 * stretch for r in records) > 0.3 * len(records):
        return None
    teased = sum(p >= 8 for p in prose)
    rich = dated >= 0.5 * len(records) or teased >= 0.5 * len(records)
    heads = [units[title_at(units, r) or r[0]] for r in records]
    words = statistics.median(wlen(u.text if u.shape != "G" else u.title or "") for u in heads)
    # a numbered list, or one of whole-line links to stories, is a list whatever its length;
    # other bare lists need more lines
    fewest = MIN_RECORDS if key[1] == "n" or all(u.url for u in heads) else MIN_HEADLINES
    if not rich and (len(records) < fewest or words < HEADLINE_WORDS):
        return None  # a bare list of short lines: a menu, a tag list
    if not rich and _mostly_unlinked(heads):
        return None  # where a dump keeps links, headlines are links: these lines are not
    if not rich and _menu_like(units, records):
        return None  # a mega-menu: section names, each over its own sub-links
    if not rich and templated_titles([u.text for u in heads]):
        return None  # table rows, breadcrumbs, option lists: one template, not stories
    # records that repeat one shape (title, teaser, byline) are a template; a run of odd
    # records that only share their head line is weaker evidence
    consistency = sum(s == modal for s in sigs) / len(sigs)
    score = (len(records) * (1 + 0.5 * rich) * (1 + 0.2 * (key[1] in ("h", "n")))
             * (0.5 + 0.5 * consistency) * (DATE_HEAD_WEIGHT if key[0] == "D" else 1))
    return Region(records, score, rich)


MENU_LABEL_SHARE = 0.5  # lines of a bare list that are short labels for it to be a menu
MENU_DISTINCT_SHARE = 0.7  # ... with labels this distinct (not one "Play video" under each title)


LINKED_HEAD_SHARE = 0.5


def _mostly_unlinked(heads: list[Unit]) -> bool:
    """Some heads of a bare list are links and most are not: the dump keeps links, and the
    list's real headlines are the few linked ones, the rest is the page's other lines."""
    linked = sum(u.url is not None for u in heads)
    return linked >= MIN_RECORDS and linked < LINKED_HEAD_SHARE * len(heads)


def _menu_like(units: list[Unit], records: list[list[int]]) -> bool:
    """A list of bare titles whose lines are mostly distinct short labels: a menu's section
    names with their sub-links, not headlines (whose labels, if any, repeat a template)."""
    lines = [units[i] for r in records for i in r]
    labels = [u for u in lines if u.shape == "S"]
    return len(labels) >= MENU_LABEL_SHARE * len(lines) and distinct_share(labels) >= MENU_DISTINCT_SHARE


def _modal_prefix(units: list[Unit], rec: list[int], modal: str, feed: bool) -> list[int] | None:
    """The record's longest opening lines that print the modal shape, if any do."""
    for end in range(len(rec), 0, -1):
        if _signature(units, rec[:end], feed) == modal:
            return rec[:end]
    return None


def _close_shape(sig: str, modal: str) -> bool:
    """One shape letter more or less than the modal record (a missing teaser or date)."""
    if abs(len(sig) - len(modal)) > 1:
        return False
    a, b = (sig, modal) if len(sig) <= len(modal) else (modal, sig)
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


def find_dump_cards(units: list[Unit]) -> tuple[list[DumpCard], bool]:
    """The cards of every record region of the dump, in page order, and whether all are rich."""
    # a lone furniture line ("Read more") sits inside a card; a run of them is a border.
    # Lines left empty by their cleaning (an image, an empty link) are neither: a card's
    # picture printed on a line of its own
    said = [u for u in units if u.text]
    border = {id(u) for n, u in enumerate(said) if u.shape == "F" and (
        n > 0 and said[n - 1].shape == "F" or n + 1 < len(said) and said[n + 1].shape == "F")}
    free = [id(u) not in border for u in units]
    # search results first, read from the address each prints: their sitelinks, questions
    # and related searches are not results, whatever their lines look like
    chosen: list[Region] = addressed_regions(units, free)[:MAX_REGIONS]
    anchored = {id(r) for r in chosen}
    while len(chosen) < MAX_REGIONS:
        # sorted: equal scores go to the same region on every run (set order is per process)
        keys = sorted({_head_key(u) for i, u in enumerate(units) if free[i]} - {None})
        # list items carry their own marker: a blank line above some of them is no period
        keys += sorted({(k[0], k[1], None) for k in keys if k[1] in ("b", "n")}, key=str)
        best: Region | None = None
        for key in keys:
            for feed in (False, True):
                for region in _regions_for(units, key, free, feed):
                    if best is None or region.score > best.score:
                        best = region
        if best is None:
            break
        chosen.append(best)
        for rec in best.records:
            for i in rec:
                free[i] = False
    # long cards whose only regular line is their template's label, where no head line did
    for region in anchored_regions(units, free)[:MAX_REGIONS - len(chosen)]:
        chosen.append(region)
        anchored.add(id(region))
    cards: list[DumpCard] = []
    owner = {i: n for n, region in enumerate(chosen) for rec in region.records for i in rec}
    for n, region in sorted(enumerate(chosen), key=lambda nr: nr[1].records[0][0]):
        # the period reads every line the region spans that no other region holds (lines
        # its records were cut short of, a card's date line, included)
        first, last = region.records[0][0], max(region.records[-1])
        span = [i for i in range(first, last + 1) if owner.get(i, n) == n and id(units[i]) not in border]
        if id(region) not in anchored:  # an anchored region's records are its period already
            follow_period(units, region, span)
        move_leading_dates(units, region)
        if id(region) not in anchored:
            pair_teasers(units, region)
        cards.extend(strip_template(card_of(units, rec) for rec in region.records))
    return cards, all(r.rich for r in chosen)
