"""Plain-text page dumps: drop furniture, read metadata lines, find the items.

A text dump is what an analyst gets from "select all, copy" or a clipping
tool: the page's lines with no markup. No extraction library reads these, so
the reading is hand-written from general cues:

1. each line gets a *role*: furniture, metadata, header, heading, title,
   dated title (a title glued to its timestamp), or prose;
2. furniture and metadata lines cut the page into *blocks*;
3. each block is read as an article (a title and/or section headings over
   long paragraphs) or as a listing (titled teasers, one teaser per line,
   tracker entries, podcast episodes).

Every item keeps the character spans of its text in the page, so a slice of
``Page.text`` gives back ``Item.text``.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from steppe.extract import boilerplate as bp
from steppe.extract.dates import (
    DateValue,
    date_from_url,
    find_dates,
    infer_day_first,
    locale_day_first,
    parse_date,
)
from steppe.extract.publishers import publisher_from_url, publishers_named
from steppe.extract.textcards import GLUED_DATE as _GLUED_DATE
from steppe.extract.textcards import DumpCard, find_dump_cards, is_date_line, units_of
from steppe.model import Item, Span

# " date 2024-03-01 Chatham House", "Published: 12 March 2024", "Posted on ..."
_META_DATE = re.compile(
    r"^\s*(?:date|published(?: on)?|posted(?: on)?|updated|last updated|dated"
    r"|опубликовано|дата публикации|дата|обновлено|размещено)\s*[:\-–]?\s*"
    r"(?P<date>\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},?\s+\d{4})"
    r"\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# "Original article link: https://...", "Source: https://...", or a bare URL line.
_URL_LINE = re.compile(
    r"^\s*(?:(?P<label>[\w ]{0,40}?(?:link|url|source|original|permalink|read at|via))\s*[:\-–]\s*)?"
    r"(?P<url>https?://\S+)\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[A-Z\"“‘(])")
# Compact tracker dates with no year: "1 Nov", "7-8 Nov", "9 November".
_COMPACT_DATE = re.compile(
    r"\b\d{1,2}(?:\s*[-–]\s*\d{1,2})?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\b"
    r"(?![ ,]*\d{4})"
)
_EPISODE_CUE = re.compile(
    r"^(?:this week on\b|in this (?:episode|podcast)\b|episode \d+|ep\.? ?\d+\b)|\bpodcast episode\b"
    r"|\bon (?:this|the latest) episode\b",
    re.IGNORECASE,
)
# Feed and sidebar headers: the block after them is a feed, not the article.
_FEED_HEADER = re.compile(
    r"\b(?:latest|related|recent|more from|more on|most read|most popular|recommended|"
    r"you may also like|also read|read next|news from|top stories|trending)\b",
    re.IGNORECASE,
)
_SEARCH_HEADER = re.compile(r"\b(?:search results?|results for|you searched for)\b", re.IGNORECASE)
# Paragraphs that open with these lean on the previous one: a sign of one article.
_CONTINUATION = re.compile(
    r"^(?:Yet|But|However|Moreover|Furthermore|In addition|Nonetheless|Nevertheless|Meanwhile|"
    r"Although|Still|Instead|Thus|Therefore|Hence|Indeed|Similarly|Likewise|Consequently|"
    r"This|These|Those|Such|It|They|He|She|Its|Their|His|Her)\b"
)

# "By Jane Smith", "Written by ...", "Author: ...": who wrote it, not what it says.
_BYLINE = re.compile(r"^(?:by|written by|authors?:|words by)\s+\S", re.IGNORECASE)
_REPORTED_SPEECH = re.compile(
    r"\b(?:said|says|told|added|stated|noted|according to|quoted|announced)\b|[\"“”]\s*(?:he|she|they)\b",
    re.IGNORECASE,
)

TEASER_MAX_WORDS = 90  # a one-line teaser; longer single lines are article paragraphs
TITLE_MAX_WORDS = 25


@dataclass
class Line:
    start: int  # offsets of the stripped line in the page text
    end: int
    text: str
    role: str = "prose"  # furniture|meta|header|heading|title|dated_title|date|byline|prose
    title: str | None = None  # for dated titles: the title part
    title_end: int = 0
    date_raw: str | None = None
    index: int = 0  # position among the page's non-blank lines


@dataclass
class DumpReading:
    """What a text dump says about itself and the items found in it."""

    kind: str
    items: list[Item]
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: DateValue = field(default_factory=lambda: DateValue(None, None))


def read_text_dump(text: str, *, source_url: str | None = None) -> DumpReading:
    """Read a plain-text page dump into items with spans into ``text``."""
    lines = _lines(text)
    meta = _read_metadata(lines)
    _assign_roles(lines)
    # Glued timestamps hide from word-boundary date finders: offer them separately.
    day_first = infer_day_first([ln.text for ln in lines] + [ln.date_raw for ln in lines if ln.date_raw])
    urls = [u for u in (meta.url, source_url) if u]
    publisher = meta.publisher or next(filter(None, map(publisher_from_url, urls)), None)
    if publisher is None:
        furniture = " ".join(ln.text for ln in lines if ln.role in ("furniture", "header", "meta"))
        named = publishers_named(furniture) or _named_twice(text)
        publisher = named[0] if named else None
    if day_first is None:
        # No numeric date on the page settles the order: fall back on the publisher's locale.
        day_first = locale_day_first(publisher) if publisher else None
        if day_first is None and urls:
            day_first = locale_day_first(urls[0])
    anchor = meta.date
    if anchor.value is None:
        anchor = next((date_from_url(u) for u in urls if date_from_url(u).value), anchor)

    reader = _BlockReader(text, day_first=day_first, anchor=anchor)
    items, feed_header, search_header = _read_blocks(reader, lines)
    cards, _rich = find_dump_cards(units_of(text))
    if cards:
        # the card regions are read by their period, the rest of the page by the block reader
        taken = {start for card in cards for unit in card.units for start, _end in unit.spans}
        rest, feed_rest, search_rest = _read_blocks(reader, [ln for ln in lines if ln.start not in taken])
        feed_header, search_header = feed_header or feed_rest, search_header or search_rest
        items = _with_cards(rest, [reader.card(card) for card in cards])
    _attach_urls(items, lines, meta)
    for item in items:
        item.publisher = publisher
    kind = _page_kind(items, lines, search_header=search_header, feed_header=feed_header)
    if kind == "search":
        for item in items:
            if item.kind == "teaser":
                item.kind = "result"
    article = next((i for i in items if i.kind == "article"), None)
    if article is not None and article.published is None:
        _date_article(article, meta, anchor)
    page_date = meta.date if meta.date.value else anchor
    return DumpReading(
        kind=kind,
        items=items,
        title=article.title if article else None,
        url=article.url if article and article.url else meta.url,
        publisher=publisher,
        published=page_date,
    )


def _read_blocks(reader: _BlockReader, lines: list[Line]) -> tuple[list[Item], bool, bool]:
    """Items of every block, and whether a feed header / a search header was seen."""
    items: list[Item] = []
    feed_header = search_header = False
    for block, header in _blocks(lines):
        if header and _FEED_HEADER.search(header):
            feed_header = True
        if header and _SEARCH_HEADER.search(header):
            search_header = True
        items.extend(reader.read(block, after_feed_header=bool(header and _FEED_HEADER.search(header))))
    return items, feed_header, search_header


# ---------------------------------------------------------------- lines and roles


def _lines(text: str) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + (len(raw) - len(raw.lstrip()))
            out.append(Line(start, start + len(stripped), stripped, index=len(out)))
        pos += len(raw) + 1
    return out


@dataclass
class _Meta:
    date: DateValue = field(default_factory=lambda: DateValue(None, None))
    publisher: str | None = None
    url: str | None = None
    url_lines: list[tuple[int, str]] = field(default_factory=list)  # (line index, url)


def _read_metadata(lines: list[Line]) -> _Meta:
    meta = _Meta()
    for index, line in enumerate(lines):
        match = _META_DATE.match(line.text)
        if match and len(bp.words(line.text)) <= 12:
            # A date line: it dates the page, and the item it sits in (it does not cut blocks).
            line.role = "date"
            line.date_raw = match.group("date")
            if meta.date.value is None:
                meta.date = parse_date(match.group("date"))
            rest = match.group("rest").strip(" |-–·")
            if rest and meta.publisher is None and len(bp.words(rest)) <= 6:
                meta.publisher = (publishers_named(rest) or [rest])[0]
            continue
        match = _URL_LINE.match(line.text)
        if match and _readable_url(match.group("url")):
            line.role = "meta"
            meta.url_lines.append((index, match.group("url").rstrip(".,;)")))
    if meta.url_lines:
        meta.url = meta.url_lines[0][1]
    return meta


def _readable_url(url: str) -> bool:
    """A URL urllib can split: a dump's cut Markdown link ("http://[") is not one."""
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def _assign_roles(lines: list[Line]) -> None:
    menu = bp.menu_run_mask([ln.text for ln in lines])
    for line, in_menu in zip(lines, menu, strict=True):
        if line.role in ("meta", "date"):
            continue
        if in_menu or bp.is_boilerplate(line.text):
            line.role = "furniture"
            continue
        if is_date_line(line.text):
            line.role = "date"
            line.date_raw = line.text
            continue
        if _BYLINE.match(line.text) and len(bp.words(line.text)) <= 12 and not _SENTENCE_END.search(line.text):
            line.role = "byline"
            continue
        glued = _GLUED_DATE.match(line.text)
        if glued and 2 <= len(bp.words(glued.group("title"))) <= TITLE_MAX_WORDS:
            line.role = "dated_title"
            line.title = glued.group("title").strip()
            line.title_end = line.start + len(line.title)
            line.date_raw = glued.group("date")
        elif _is_heading(line.text):
            line.role = "heading"
        elif _is_title_like(line.text):
            line.role = "title"
    # A title-like line is a title only when prose follows it; a title-like line
    # followed by another title-like line ("Latest News from" / "Chatham House")
    # is a section header.
    for i, line in enumerate(lines):
        if line.role != "title":
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        # Skip the date and byline lines that sit between a title and its text.
        j = i + 1
        while j < len(lines) and lines[j].role in ("date", "byline"):
            j += 1
        nxt = lines[j] if j < len(lines) else None
        if nxt is None or nxt.role in ("title", "dated_title", "furniture", "meta", "header"):
            line.role = "header"


def _is_heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return (
        len(letters) >= 3
        and sum(c.isupper() for c in letters) / len(letters) > 0.9
        and len(bp.words(text)) <= 10
        and not _SENTENCE_END.search(text)
    )


def _is_title_like(text: str) -> bool:
    n = len(bp.words(text))
    return 1 <= n <= TITLE_MAX_WORDS and not _SENTENCE_END.search(text) and not text.endswith((",", ";"))


def _named_twice(text: str) -> list[str]:
    names = publishers_named(text)
    return [n for n in names if len(re.findall(rf"\b{re.escape(n.split()[-1])}\b", text)) >= 2][:1]


def _blocks(lines: list[Line]) -> list[tuple[list[Line], str | None]]:
    """Runs of content lines cut at metadata, headers and menus, with the header above each.

    A lone furniture line ("Read more", "Advertisement", "Share this") does not cut a
    block: it sits between the teasers of one list or inside one article. A run of
    three or more (a menu, a footer) does.
    """
    blocks: list[tuple[list[Line], str | None]] = []
    current: list[Line] = []
    header_parts: list[str] = []
    pending_header: str | None = None
    for index, line in enumerate(lines):
        cuts = line.role in ("meta", "header") or (line.role == "furniture" and _in_furniture_run(lines, index))
        if cuts:
            if current:
                blocks.append((current, pending_header))
                current, pending_header = [], None
            if line.role == "header":
                header_parts.append(line.text)
            continue
        if line.role == "furniture":
            continue
        if header_parts:
            pending_header = " ".join(header_parts)
            header_parts = []
        current.append(line)
    if current:
        blocks.append((current, pending_header))
    return blocks


def _in_furniture_run(lines: list[Line], index: int, run: int = 3) -> bool:
    start = index
    while start > 0 and lines[start - 1].role == "furniture":
        start -= 1
    end = index
    while end + 1 < len(lines) and lines[end + 1].role == "furniture":
        end += 1
    return end - start + 1 >= run


# ---------------------------------------------------------------- reading a block


class _BlockReader:
    def __init__(self, text: str, *, day_first: bool | None, anchor: DateValue) -> None:
        self.text = text
        self.day_first = day_first
        self.anchor = anchor

    def read(self, block: list[Line], *, after_feed_header: bool = False) -> list[Item]:
        groups = _title_groups(block)
        titled = [g for g in groups if g[0].role in ("title", "dated_title")]
        if titled and self._is_titled_listing(groups):
            return [self._teaser(g) for g in groups]
        if len(groups) == 1 and titled and not after_feed_header:
            return [self._article(groups[0])]
        items: list[Item] = []
        for group in groups:
            if group[0].role in ("title", "dated_title"):
                items.append(self._article(group) if self._looks_like_article(group) else self._teaser(group))
            else:
                items.extend(self._untitled(group))
        return items

    def card(self, card: DumpCard) -> Item:
        """One card found by the page's period: its title, teaser lines and date."""
        pieces = [span for unit in (card.body or [card.head]) for span in unit.spans]
        spans: list[Span] = []
        for start, end in pieces:
            if spans and not self.text[spans[-1].end:start].strip():
                spans[-1].end = end
            else:
                spans.append(Span(start, end))
        text = "\n".join(self.text[s.start:s.end] for s in spans)
        item = Item(kind=card.kind, text=text, title=card.title, url=card.url, spans=spans)
        if card.date_raw:
            value = parse_date(card.date_raw, anchor=self.anchor, day_first=self.day_first)
            item.published, item.published_precision = value.value, value.precision
            item.date_raw = card.date_raw
        return item

    def _is_titled_listing(self, groups: list[list[Line]]) -> bool:
        titled = [g for g in groups if g[0].role in ("title", "dated_title")]
        def prose(group: list[Line]) -> int:
            return sum(ln.role == "prose" for ln in group)

        if any(g[0].role == "dated_title" for g in titled) and len(titled) >= 2:
            return all(prose(g) <= 3 for g in titled)
        return len(titled) >= 2 and all(prose(g) <= 2 and not _has_heading(g) for g in titled)

    def _looks_like_article(self, group: list[Line]) -> bool:
        body = [ln for ln in group[1:] if ln.role == "prose"]
        return _has_heading(group) or len(body) >= 3 or _word_count(body) > 2 * TEASER_MAX_WORDS

    # -- item builders

    def _article(self, group: list[Line]) -> Item:
        title = group[0].text if group[0].role == "title" else None
        body = _content(group[1:] if title else group)
        # A kicker ("EXPERT COMMENT") right under the title labels the piece; it is not text.
        while body and body[0].role == "heading" and title:
            body = body[1:]
        return self._dated(self._item("article", body, title=title), group)

    def _teaser(self, group: list[Line]) -> Item:
        head = group[0]
        body = [ln for ln in group[1:] if ln.role == "prose"]
        if head.role == "dated_title":
            item = self._item("teaser", body, title=head.title, title_line=head)
            value = parse_date(head.date_raw or "", anchor=self.anchor, day_first=self.day_first)
            item.published, item.published_precision = value.value, value.precision
            item.date_raw = head.date_raw
            return item
        return self._dated(self._item("teaser", body, title=head.text, title_line=head), group)

    def _dated(self, item: Item, group: list[Line]) -> Item:
        """Date an item from the first date line of its group, resolved against the page."""
        line = next((ln for ln in group if ln.role == "date"), None)
        if line is not None and item.published is None:
            value = parse_date(line.date_raw or "", anchor=self.anchor, day_first=self.day_first)
            item.published, item.published_precision, item.date_raw = value.value, value.precision, line.date_raw
        return item

    def _untitled(self, group: list[Line]) -> list[Item]:
        """Prose with no title: one article, or one teaser/entry/episode per line."""
        prose = [ln for ln in group if ln.role == "prose"]
        if _has_heading(group) or not prose:
            return [self._dated(self._item("article", _content(group)), group)] if prose else []
        if not self._one_item_per_line(prose):
            return [self._dated(self._item("article", _content(group)), group)]
        items: list[Item] = []
        i = 0
        while i < len(prose):
            line = prose[i]
            if _COMPACT_DATE.search(line.text) or (
                i + 1 < len(prose) and _is_lead(line) and _COMPACT_DATE.search(prose[i + 1].text)
            ):
                j = i + 1
                while j < len(prose) and _COMPACT_DATE.search(prose[j].text):
                    j += 1
                items.append(self._entry(prose[i:j]))
                i = j
                continue
            kind = "episode" if _EPISODE_CUE.search(line.text) else "teaser"
            items.append(self._item(kind, [line]))
            i += 1
        return items

    def _one_item_per_line(self, prose: list[Line]) -> bool:
        """Short, self-contained lines are teasers; a reported story's paragraphs are not.

        News copy also comes in one- or two-sentence paragraphs, but they lean on
        each other (pronouns, "However") and report speech ("he said"), which
        teasers written to stand alone rarely do.
        """
        lengths = [len(bp.words(ln.text)) for ln in prose]
        if len(prose) == 1:
            return lengths[0] <= TEASER_MAX_WORDS
        continuing = sum(bool(_CONTINUATION.match(ln.text)) for ln in prose[1:]) / (len(prose) - 1)
        reporting = sum(bool(_REPORTED_SPEECH.search(ln.text)) for ln in prose) / len(prose)
        return (statistics.median(lengths) <= TEASER_MAX_WORDS * 0.8 and continuing < 0.4
                and reporting < 0.3)

    def _entry(self, lines: list[Line]) -> Item:
        """A conflict-tracker entry: a lead sentence and paragraphs dated "9 Nov"."""
        item = self._item("entry", lines)
        found = _COMPACT_DATE.search(item.text)
        if found:
            raw = found.group(0)
            value = parse_date(raw, anchor=self.anchor, day_first=self.day_first)
            # The entry covers the month its dates fall in; a day would be false precision.
            if value.value:
                value = DateValue(value.value[:7], "month", raw)
            item.published, item.published_precision, item.date_raw = value.value, value.precision, raw
        return item

    def _item(self, kind: str, lines: list[Line], *, title: str | None = None,
              title_line: Line | None = None) -> Item:
        if not lines and title_line is not None:
            # A title with no teaser: the title is all the text there is.
            span = Span(title_line.start, title_line.title_end or title_line.end)
            return Item(kind=kind, text=self.text[span.start:span.end], title=title, spans=[span])
        spans = _merge_spans(lines, self.text)
        text = "\n".join(self.text[s.start:s.end] for s in spans)
        return Item(kind=kind, text=text, title=title, spans=spans)


def _title_groups(block: list[Line]) -> list[list[Line]]:
    """Split a block before each title: [title, body...] groups, plus any untitled lead group."""
    groups: list[list[Line]] = []
    for line in block:
        if line.role in ("title", "dated_title") or not groups:
            # A date or byline line just above a title belongs to that title's item.
            # (Only lines right above it: a date line above furniture is the page's, not the item's.)
            carried: list[Line] = []
            while (groups and groups[-1] and groups[-1][-1].role in ("date", "byline")
                   and groups[-1][-1].index == (carried[0].index if carried else line.index) - 1):
                carried.insert(0, groups[-1].pop())
            if groups and not groups[-1]:
                groups.pop()
            groups.append([line, *carried])
        else:
            groups[-1].append(line)
    return groups


def _content(lines: list[Line]) -> list[Line]:
    """The lines that are text: prose and section headings (not dates, bylines, titles)."""
    return [ln for ln in lines if ln.role in ("prose", "heading")]


def _has_heading(lines: list[Line]) -> bool:
    return any(ln.role == "heading" for ln in lines)


def _word_count(lines: list[Line]) -> int:
    return sum(len(bp.words(ln.text)) for ln in lines)


def _is_lead(line: Line) -> bool:
    """One sentence of moderate length: the summary line that opens a tracker entry."""
    return len(_SENTENCE_SPLIT.split(line.text)) == 1 and len(bp.words(line.text)) <= 40


def _with_cards(rest: list[Item], cards: list[Item]) -> list[Item]:
    """The page's items once card regions are found: an article outside them stays one
    article, with the cards as its feed entries (every region has passed the record test:
    dated or teased cards, or a long run of headlines); other leftovers outside the regions
    are dropped, a false card costs more than a missed one."""
    articles = [i for i in rest if i.kind == "article" and _word_count_text(i.text) >= 120]
    if not articles:
        return cards
    return sorted([articles[0], *cards], key=lambda i: i.start or 0)


def _word_count_text(text: str) -> int:
    return len(bp.words(text))


def _merge_spans(lines: list[Line], text: str) -> list[Span]:
    """Contiguous lines become one span; a gap with anything but whitespace starts a new one."""
    spans: list[Span] = []
    for line in lines:
        if spans and not text[spans[-1].end:line.start].strip():
            spans[-1].end = line.end
        else:
            spans.append(Span(line.start, line.end))
    return spans


# ---------------------------------------------------------------- page-level facts


def _attach_urls(items: list[Item], lines: list[Line], meta: _Meta) -> None:
    """A URL line after an item belongs to the nearest item above it ("Original article link")."""
    if not items:
        return
    for _index, url in meta.url_lines:
        line_start = next(ln.start for ln in lines if url in ln.text)
        before = [it for it in items if it.end is not None and it.end <= line_start]
        target = before[-1] if before else None
        if target is not None and target.url is None:
            target.url = url


def _date_article(article: Item, meta: _Meta, anchor: DateValue) -> None:
    """An article's date: its own URL's date when that fits the page date, else the page date."""
    url_date = date_from_url(article.url) if article.url else DateValue(None, None)
    if url_date.value and (meta.date.value is None or url_date.value <= meta.date.value):
        chosen = url_date
    else:
        chosen = meta.date if meta.date.value else anchor
        # Look for a dateline near the top of the article itself.
        if chosen.value is None:
            found = find_dates(article.text[:300], anchor=None)
            full = [v for _s, _e, v in found if v.value]
            chosen = full[0] if full else chosen
    article.published, article.published_precision = chosen.value, chosen.precision
    article.date_raw = chosen.raw


def _page_kind(items: list[Item], lines: list[Line], *, search_header: bool, feed_header: bool) -> str:
    if not items:
        return "unknown"
    if search_header or any(bp.is_counter(ln.text) for ln in lines):
        return "search"
    articles = [i for i in items if i.kind == "article"]
    if articles and len(items) > len(articles):
        return "mixed"
    if articles:
        return "article"
    return "listing"
