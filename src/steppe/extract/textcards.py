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
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from steppe.extract import boilerplate as bp
from steppe.extract.cards.kind import templated_titles
from steppe.extract.dates import find_dates
from steppe.extract.textperiod import PeriodicRun, minimal_period, periodic_runs

__all__ = ["GLUED_DATE", "DumpCard", "Unit", "find_dump_cards", "is_byline", "is_date_line", "units_of"]

# Leftovers allowed around a date on a date line: "Published 1 March 2024 | 12:20".
_DATE_LINE_WORDS = re.compile(
    r"\b(?:published|posted|updated|last|on|at|date|dated|am|pm|gmt|utc|msk|almt|cet|est|edt"
    r"|опубликовано|обновлено|дата|публикации|размещено|мск|в)\b|\d{1,2}:\d{2}(?::\d{2})?",
    re.IGNORECASE,
)
# A title with its timestamp glued on: "...strategic capability01/03/2024 12:20:00".
GLUED_DATE = re.compile(
    r"^(?P<title>.*?\S)\s*(?P<date>\d{1,2}[./]\d{1,2}[./]\d{2,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?)\s*$"
)
# link text may hold one level of brackets ("[[Kicker] Headline](/a)"), a link title may hold
# quotes ('[T](/a "The "quoted" title")'): html2text writes both as they are
_MD_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(([^)\s]*)(?:\s+\"[^\n]*?\")?\)")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LYNX_REF = re.compile(r"\[\d+\]")
_LYNX_REF_LINE = re.compile(r"^\s*\d+\.\s+(?:https?|ftp|file|mailto|javascript):\S*\s*$")
_HEADING_MARK = re.compile(r"^(#{1,6})\s+")
_BULLET = re.compile(r"^(?:[*+\-•·▪◦‣]|\d{1,3}[.)])\s+")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+")
_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")
_SENTENCE_END = re.compile(r"[.!?…:;,。．！][\"'”’)\]»」』]*$")
_TITLE_END_OK = re.compile(r"(?:[?!]|\.\.\.|…)[\"'”’)\]»]*$")  # questions; truncated titles
_COUNT_SUFFIX = re.compile(r"\(\d+\)\s*$")
_PATH_SEP = re.compile(r"\s(?:->|>|»|›|→)\s")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# a link's address printed as a line, search engines' bare "host/path" included
_URLISH = re.compile(r"^(?:https?://|www\.)\S+$|^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/\S*)?$", re.I)
_TABLE_ROW = re.compile(r"^\|\s|\s\|\s.*\s\|\s|^-{3,}(?:\|-{3,})+\s*$")
_RANK = re.compile(r"^\d{1,4}\\?[.)]?$")
_SITE_SUFFIX = re.compile(r"\s*\((?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\)\s*$", re.I)
# contact lines and picture credits: "Telefon: 0800 ...", "info@example.org", "© Photo Agency"
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\b(?:tel|tél|telefon|téléphone|phone|fax)\b\.?\s*:|©|\(c\)\s", re.I)
_TAG_RUN_BREAK = re.compile(r"[^\w\s,&\-]")
_GLUED_URL = re.compile(r"(?<=\S)(?:https?://|www\.)\S.*$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
# What a byline or a card's date line carries besides a full date: a clock time ("10:32",
# "3 pm"), a counted relative date ("3 hours ago", "vor 2 Stunden", "il y a 3 jours",
# "hace 2 horas", "5 минут назад").
_CLOCK = re.compile(r"(?<![\d:.])\d{1,2}:\d{2}(?![\d:])|\b\d{1,2}\s?[ap]\.?m\b\.?", re.I)
_AGO = re.compile(
    r"\b\d+\s+(?:sec|min|minute|hour|hr|day|week|month|year)s?\s+ago\b"
    r"|\bvor\s+(?:\d+|einer?|einem)\s+(?:sekunde|minute|stunde|tag|woche|monat|jahr)\w*"
    r"|\bil y a\s+\d+\s+(?:seconde|minute|heure|jour|semaine|mois|an)"
    r"|\bhace\s+\d+\s+(?:segundo|minuto|hora|día|dia|semana|mes|año)"
    r"|\b\d+\s+(?:секунд|минут|час|дн|дней|недел|месяц|год|лет)\w*\s+назад"
    r"|(?<!\d)\d+\s*(?:초|분|시간|일|주|개월|달|년)\s*전(?!\w)"  # "4시간전"
    r"|(?<!\d)\d+\s*(?:秒|分|分钟|分鐘|時間|小时|小時|日|天|週間|周|か月|ヶ月|个月|個月|年)\s*前",  # "3時間前"
    re.I,
)
# a relative date closing a headline ("Headline of the story 4 hours ago"): glued to the title
_AGO_END = re.compile(rf"(?:{_AGO.pattern})\s*$", re.I)
_GLUED_AGO_MIN_WORDS = 6  # words before it: fewer is a byline ("Jane Smith 3 hours ago")
# A bare relative day at either end of a short line ("John Smith, yesterday", "Heute"); at
# the start it stands apart from what follows ("Today | Politics"): a headline may open
# with one ("Today everybody was quiet").
_DAY_WORD = re.compile(
    r"^(?:today|yesterday|heute|gestern|aujourd'hui|hier|hoy|ayer|сегодня|вчера)(?:$|\s*[,|·•:–—-])"
    r"|\b(?:today|yesterday|heute|gestern|aujourd'hui|hier|hoy|ayer|сегодня|вчера)$",
    re.I,
)
_BYLINE_MAX_WORDS = 12
# "By Jane Smith", "von Max Muster", "byJane Smith" (innerText glues a "by" span to the
# author's link): who wrote the card, whatever the date
_BY_NAME = re.compile(r"^(?:(?i:by|von|par|por|door|av|przez)\s+\w|(?:by|von|par|por)(?=[A-ZÀ-ÖØ-Þ]))")
BY_NAME_MAX_WORDS = 6
_SENT_BY = re.compile(r"^[^\W\d_]+\s+(?:by|von|par|por|door|przez)\s+[A-ZÀ-ÖØ-Þ]")
# a name behind an academic title ("Dr. Nino Jordan", "Prof. Dr. Jane Roe"): an author line
_TITLED_NAME = re.compile(r"^(?:(?:Prof|Dr|Dipl|Mag|PD|Ing)\.(?:-\w+\.)?\s*)+(?:[A-ZÀ-ÖØ-Þ][\w'’-]+\.?\s*){1,4}$")
# a longer byline spends its words on the date itself ("On Feb 26, 2019 4:00 PM EST CBS This
# Morning 8 Photos"): past the limit, the words beside the date and time must stay this few
_BYLINE_MAX_OTHER_WORDS = 8

TITLE_MIN_WORDS, TITLE_MAX_WORDS = 3, 25
MIN_RECORDS = 3
MIN_HEADLINES = 6  # a list of bare titles needs this many to be a listing, not a menu
HEADLINE_WORDS = 5  # ... with headlines this long (median words)
MAX_RECORD_UNITS = 8  # lines in one card: more is an article section
MAX_FEED_RECORD = 20  # ... a feed's post, short labels (tags, counters) included
TEASER_MEDIAN_WORDS, TEASER_MAX_WORDS = 70, 160
MAX_REGIONS = 8
TAG_RUN_WORDS = 7
FEED_TEASER_STRETCH = 2
DATE_HEAD_WEIGHT = 0.9  # records read from their date lines lose ties to records read from titles
MODAL_SHARE = 0.3  # records of the commonest shape in a region (the rest within one line of it)


@dataclass
class Unit:
    """One logical line of the dump: its raw extent and its cleaned text."""

    spans: list[tuple[int, int]]  # raw (start, end) of each physical line, offsets into the page
    text: str  # decoration removed
    blank_before: bool
    marker: str = ""  # 'h' markdown heading, 'n' numbered, 'b' bullet
    url: str | None = None  # link target when the whole line is one link
    shape: str = "S"  # D date, G dated title, T title, P prose, S short, F furniture, R repeat
    title: str | None = None  # for G: the title part
    date_raw: str | None = None


@dataclass
class DumpCard:
    title: str
    url: str | None
    head: Unit
    body: list[Unit] = field(default_factory=list)  # teaser lines
    units: list[Unit] = field(default_factory=list)  # every line of the card, dates included
    date_raw: str | None = None
    kind: str = "teaser"


# ---------------------------------------------------------------- units


def is_date_line(text: str) -> bool:
    """A line that is a date and little else ("1 March 2024", "Published: 01.03.2024 12:20")."""
    if len(bp.words(text)) > 8:
        return False
    found = find_dates(text)
    if not found:
        return False
    rest = text
    for start, end, _value in sorted(found, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    rest = _DATE_LINE_WORDS.sub(" ", rest)
    return not re.search(r"[^\W\d_]{2,}", rest)


def _physical(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stripped text) of every line, blank ones included (text '')."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        start = pos + (len(raw) - len(raw.lstrip()))
        out.append((start, start + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _wrap_width(lines: list[tuple[int, int, str]]) -> int | None:
    """The column a tool hard-wrapped the text at, when it did (html2text: 78, lynx: 76-79).

    Wrapped text piles many lines up just short of one width, and only unbreakable
    tokens (long URLs) run past it; unwrapped dumps have long lines of every length.
    """
    lengths = [len(t) for _s, _e, t in lines if t]
    if len(lengths) < 10:
        return None
    # a line may run past the width only on a token too long to break (a URL)
    breakable = [len(t) for _s, _e, t in lines if t and max(map(len, t.split())) <= 25]
    # counts by length, summed up: each window's count is a difference, not a pass over lines
    top = max(lengths) + 1
    upto = [0] * (top + 1)  # upto[k]: lines shorter than k
    for n in lengths:
        upto[n + 1] += 1
    for k in range(1, top + 1):
        upto[k] += upto[k - 1]
    breakable.sort()

    def shorter(k: int) -> int:
        return upto[max(0, min(k, top))]

    best, best_count = None, 0
    for width in range(50, 121):
        near = shorter(width + 1) - shorter(width - 10)
        below = shorter(width - 10) - shorter(width - 20)
        over = len(breakable) - bisect.bisect_right(breakable, width)
        if over <= 0.05 * len(lengths) and near > best_count and near >= 0.5 * below:
            best, best_count = width, near
    if best is None or best_count < max(5, 0.08 * len(lengths)):
        return None
    # the width is the longest line of the pile, not the window's edge
    return max(n for n in lengths if n <= best)


def _open_link(text: str) -> bool:
    """A Markdown link or image opened on this line and not closed: the next line continues it."""
    return text.count("[") > text.count("]") or text.count("](") > text.count(")")


def _wrapped(prev: str, nxt: str, width: int) -> bool:
    """True when ``nxt`` continues ``prev``: its first word would not have fitted on it."""
    if _open_link(prev):
        return True
    if _TABLE_ROW.search(prev) or _TABLE_ROW.search(nxt):
        return False  # html2text never wraps a table's rows
    first = nxt.split(" ", 1)[0]
    return (len(prev) + 1 + len(first) > width - 1 and not _BULLET.match(nxt)
            and not nxt.startswith("#"))


def _glue(prev: str, nxt: str) -> str:
    """The separator a wrap replaced, then ``nxt``: none after a word-hyphen (textwrap breaks
    "Third-Party" and URLs after their hyphens), a space otherwise."""
    return nxt if re.search(r"\w-$", prev) else " " + nxt


def units_of(text: str) -> list[Unit]:
    """The dump's logical lines, with shapes, in page order."""
    lines = _physical(text)
    width = _wrap_width(lines)
    units: list[Unit] = []
    blank = True
    refs = False
    for start, end, line in lines:
        if not line:
            blank = True
            continue
        if line.lower() in ("references", "visible links", "hidden links:"):
            refs = True  # lynx's numbered link list closes the page
        if refs or _LYNX_REF_LINE.match(line):
            blank = False
            continue
        if (width and units and not blank
                and _wrapped(text[units[-1].spans[-1][0]:units[-1].spans[-1][1]], line, width)):
            prev = units[-1]
            prev.spans.append((start, end))
            raw = "".join(text[s:e] if k == 0 else _glue(text[prev.spans[k - 1][0]:prev.spans[k - 1][1]],
                                                          text[s:e])
                          for k, (s, e) in enumerate(prev.spans))
            prev.text, prev.marker, prev.url = _clean(raw)
            continue
        clean, marker, url = _clean(line)
        units.append(Unit([(start, end)], clean, blank, marker, url))
        blank = False
    # no menu-run mask here: menu entries (one or two words) are short labels, which never
    # head a card, while a run of two-word author lines between cards must not cut the list
    _mark_ranks(units)
    for unit in units:
        unit.shape = _shape(unit)
    _mark_repeats(units)
    _mark_labels(units)
    return units


REPEAT_WINDOW = 3  # lines between a card's title and the same title printed again


def _mark_repeats(units: list[Unit]) -> None:
    """A title printed again a few lines under itself (the bare link text of the same teaser,
    a "related" link to it) is one card, not two: the repeat gets shape R, never a head."""
    for i, u in enumerate(units):
        if u.shape not in ("T", "G"):
            continue
        key = u.text.casefold()
        if any(units[j].shape in ("T", "G") and units[j].text.casefold() == key
               for j in range(max(0, i - REPEAT_WINDOW), i)):
            u.shape = "R"


_RANK_LEAD = re.compile(r"^(\d{1,2})\s+(?=\S)")


def _mark_ranks(units: list[Unit]) -> None:
    """Lines led by counting numbers, one line after the other ("1 Tesla delivers ...",
    "2 Superdry ..."): a ranked list (most read), numbered like a Markdown list."""
    i = 0
    while i < len(units):
        j = i
        while j < len(units) and units[j].marker in ("", "b"):
            m = _RANK_LEAD.match(units[j].text)
            if m is None or int(m.group(1)) != int(_RANK_LEAD.match(units[i].text).group(1)) + (j - i):
                break
            j += 1
        if j - i >= MIN_RECORDS:
            for u in units[i:j]:
                u.marker, u.text = "n", _RANK_LEAD.sub("", u.text, count=1)
        i = max(j, i + 1)


LABEL_REPEATS = 3  # a short line printed this often on the page is the template's label
LABEL_MAX_WORDS = 4


def _mark_labels(units: list[Unit]) -> None:
    """A short line the page prints again and again ("Translate this page", "Click to view",
    "Kurz und Knapp") is a label of the cards' template, never a card's title."""
    seen = Counter(u.text.casefold() for u in units if u.shape in ("T", "R"))
    for u in units:
        if (u.shape in ("T", "R") and seen[u.text.casefold()] >= LABEL_REPEATS
                and _wlen(u.text) <= LABEL_MAX_WORDS):
            u.shape = "S"


def _clean(line: str) -> tuple[str, str, str | None]:
    marker = ""
    m = _HEADING_MARK.match(line)
    if m:
        marker, line = "h", line[m.end():]
    elif _NUMBERED.match(line):
        marker, line = "n", _NUMBERED.sub("", line, count=1)
    elif _BULLET.match(line):
        marker, line = "b", _BULLET.sub("", line, count=1)
    cells = _cells(line)
    if cells == [""]:
        return "", marker, None  # a table's rule row ("---|---")
    if len(cells) > 1:
        # a Markdown table row, read cell by cell: a rank cell numbers the row, empty cells
        # (vote arrows, image links) go, and a row with one cell left is that cell
        if _RANK.match(cells[0]):
            marker, cells = "n", cells[1:]
        read = [c for c in (_clean_cell(c) for c in cells) if c[0]]
        if len(read) == 1:
            return read[0][0], marker, read[0][1]
        return " | ".join(c[0] for c in read), marker, None
    text, url = _clean_cell(line)
    return text, marker, url


def _cells(line: str) -> list[str]:
    """A line's cells split at "|", links kept whole (their text may hold a "|")."""
    if "|" not in line:
        return [line]
    masked = _MD_LINK.sub(lambda x: "\0" * len(x.group(0)), line)
    cells, start = [], 0
    for i, ch in enumerate(masked):
        if ch == "|":
            cells.append(line[start:i])
            start = i + 1
    cells.append(line[start:])
    return [c.strip() for c in cells if c.strip(" -:")] or [""]


def _clean_cell(line: str) -> tuple[str, str | None]:
    """A line's (or a table cell's) text without Markdown/lynx decoration, and its link target
    when the whole text is one link (a trailing "(domain.com)" is the link's site, not text)."""
    line = _MD_IMAGE.sub("", line)
    url = None
    links = [(t, u) for t, u in _MD_LINK.findall(line) if t.strip()]
    if links:
        whole = _SITE_SUFFIX.sub("", _MD_LINK.sub("", line)).strip(" *_#|")
        if not whole:
            url = links[0][1] or None
            line = _SITE_SUFFIX.sub("", line)
    line = _MD_LINK.sub(lambda x: x.group(1), line)
    line = _SITE_SUFFIX.sub("", line)  # "Title (example.com)": the linked site, Hacker News style
    if url:
        line = _GLUED_URL.sub("", line)  # "Title…Sitehttps://site.com › path": the link's address
    line = _LYNX_REF.sub("", line)
    line = _EMPHASIS.sub("", line)
    line = _MD_ESCAPE.sub(r"\1", line)
    return re.sub(r"\s+", " ", line).strip(" |#"), url


def _wlen(text: str) -> int:
    """Words, with CJK text (no spaces) counted as one word per four characters: a label of a
    few characters is short, a headline of a dozen or more is a title."""
    cjk = len(_CJK.findall(text))
    if cjk >= 0.3 * max(1, len(text.replace(" ", ""))):
        return max(1, cjk // 4 + len(bp.words(_CJK.sub(" ", text))))
    return len(bp.words(text))


def _shape(unit: Unit) -> str:
    text = unit.text
    if not text or bp.is_boilerplate(text) or _URLISH.match(text):
        return "F"
    glued_ago = _glued_ago(text)
    if glued_ago is not None:
        unit.title, unit.date_raw = glued_ago
        return "G"
    if is_date_line(text) or _mostly_date(text) or is_byline(text):
        unit.date_raw = text
        return "D"
    n = _wlen(text)
    if n <= TITLE_MAX_WORDS + 5:
        glued = _glued_date(text)
        if glued is not None:
            title, date_raw = glued
            if TITLE_MIN_WORDS <= _wlen(title) <= TITLE_MAX_WORDS:
                unit.title, unit.date_raw = title, date_raw
                return "G"
    ends = bool(_SENTENCE_END.search(text)) and not _TITLE_END_OK.search(text)
    if n > TITLE_MAX_WORDS or (ends and n >= 8):
        return "P"
    if (_COUNT_SUFFIX.search(text) or _PATH_SEP.search(text) or _CONTACT.search(text)
            or _tag_run(text) or _menu_row(text)):
        return "S"  # "Bodegas Valdemar (4)", "Spain -> Rioja": a facet label, a breadcrumb
    min_words = 2 if unit.marker in ("h", "n") else TITLE_MIN_WORDS
    if min_words <= n and not ends:
        return "T"
    return "S"


def _glued_ago(text: str) -> tuple[str, str] | None:
    """A headline that ends in a counted relative date ("... 인사 1일전", "... 3 hours ago")."""
    found = _AGO_END.search(text)
    if found is None or found.start() == 0:
        return None
    title = text[:found.start()].rstrip(" |-–—·,(")
    n = max(_wlen(title), len(title.split()))  # Korean spaces its words
    if n < _GLUED_AGO_MIN_WORDS or n > TITLE_MAX_WORDS + 5 or re.search(r"\s[|·•]\s", title):
        return None
    return title, found.group(0).strip()


def _tag_run(text: str) -> bool:
    """Tag links run together on one line ("Abrüstung Agrar Asyl Atomausstieg Bauen"): many
    capitalised words, none of the short words (articles, prepositions) a headline has."""
    ws = bp.words(text)
    return (len(ws) >= TAG_RUN_WORDS and len(set(ws)) == len(ws) and not _TAG_RUN_BREAK.search(text)
            and all(w[:1].isupper() and len(w) > 3 for w in ws))


def _menu_row(text: str) -> bool:
    """Menu entries on one line between bars ("Home | Video | World | Business")."""
    parts = [p for p in re.split(r"\s[|•·]\s", text) if p.strip()]
    return len(parts) >= 4 and sum(len(bp.words(p)) <= 3 for p in parts) >= 0.75 * len(parts)


def is_byline(text: str) -> bool:
    """A card's byline or date line: a short line that carries a clock time or a relative
    date ("Mykolauskas сегодня в 20:39", "68 points by kine 3 hours ago | 5 comments"), or
    leads with a date followed by a few words ("12 March 2024 · Jane Smith")."""
    n = len(bp.words(text))
    if _TITLE_END_OK.search(text):
        return False
    if n > _BYLINE_MAX_WORDS:
        return n <= 2 * _BYLINE_MAX_WORDS and _words_beside_date(text) <= _BYLINE_MAX_OTHER_WORDS
    if _CLOCK.search(text) or _AGO.search(text):
        return True
    if n <= BY_NAME_MAX_WORDS and (_BY_NAME.match(text) or _TITLED_NAME.match(text)) and not _SENTENCE_END.search(text):
        return True
    if _SENT_BY.match(text) and (" | " in text or find_dates(text)):
        return True  # "Posted by Jane Roe | 4 May 2022", "Enviada por ... | 3 mayo, 2022"
    if n <= 4 and _DAY_WORD.search(text.strip(" ,.|·")):
        return True
    found = find_dates(text)
    # a relative day leading a line is a headline's word ("Today everybody was quiet"),
    # unless set apart (_DAY_WORD above): only a written date leads a byline
    if not found or found[0][0] > 1 or not re.search(r"\d", text[found[0][0]:found[0][1]]):
        return False
    rest = re.split(r"\s[|·•/–—-]\s|\s*[|·•]\s*", text[found[0][1]:])
    return all(len(bp.words(part)) <= 3 for part in rest)


def _words_beside_date(text: str) -> int:
    """Words of a line that has a clock time or a relative date, once its dates are taken out
    (a large number when it has neither: such a line is no byline)."""
    if not (_CLOCK.search(text) or _AGO.search(text)):
        return 1 << 20
    for start, end, _value in sorted(find_dates(text), reverse=True):
        text = text[:start] + " " + text[end:]
    return len(bp.words(_AGO.sub(" ", _CLOCK.sub(" ", text))))


def _mostly_date(text: str) -> bool:
    """A short line that is a date plus a counter or a label ("12 March 2024 / 3 comments")."""
    if len(bp.words(text)) > 8:
        return False
    found = find_dates(text)
    return bool(found) and sum(e - s for s, e, _v in found) >= 0.4 * len(text)


def _glued_date(text: str) -> tuple[str, str] | None:
    """A title with its date at one end ("Title01/03/2024 12:20", "12.03.2024 Title")."""
    glued = GLUED_DATE.match(text)  # no word boundary between title and date
    if glued:
        return glued.group("title").strip(), glued.group("date")
    # a relative day word is a headline's own word ("Today everybody was quiet")
    found = [f for f in find_dates(text) if re.search(r"\d", text[f[0]:f[1]])]
    if not found:
        return None
    start, end, _v = found[0]
    if start <= 1:
        rest = text[end:]
    else:
        start, end, _v = found[-1]
        if text[end:].strip(" |-–—·,()[]"):
            return None
        rest = text[:start]
    rest = re.sub(r"^\W+|[\s|\-–—·,(\[]+$", "", rest)
    return (rest, text[start:end]) if rest else None


# ---------------------------------------------------------------- regions


def _head_key(u: Unit) -> tuple[str, str, bool] | None:
    """What a card's first line looks like: its shape, its marker, a blank line above it.
    A card opens with its title, or with the byline or date printed above its title."""
    if u.shape in ("G", "T", "D"):
        return (u.shape, u.marker, u.blank_before)
    return None


def _title_at(units: list[Unit], rec: list[int]) -> int | None:
    """The unit that is the record's title: its head, or under a byline/date head the first
    line that is not a short label (a title must follow it)."""
    if units[rec[0]].shape != "D":
        return rec[0]
    for n, i in enumerate(rec[1:3], 1):
        if units[i].shape in ("T", "G"):
            nxt = units[rec[n + 1]] if n + 1 < len(rec) else None
            if nxt is not None and nxt.shape in ("T", "G") and nxt.marker == "h" != units[i].marker:
                return rec[n + 1]  # a kicker over a headline marked as a heading
            return i
        if units[i].shape not in ("S", "F"):
            return None
    return None


def _key_fits(u: Unit, key: tuple) -> bool:
    k = _head_key(u)
    return k is not None and (k == key or key[2] is None and k[:2] == key[:2])


@dataclass
class _Region:
    records: list[list[int]]  # unit indexes, head first
    score: float
    rich: bool


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


def _regions_for(units: list[Unit], key: tuple, free: list[bool], feed: bool = False) -> list[_Region]:
    """Runs of records headed by ``key`` lines. ``feed``: records of a feed of posts (each with
    its byline or date), whose topic tags, counters and "read more" lines do not count toward
    a record's length and whose teasers may run long."""
    heads = _extend_back(units, key, free, [i for i, u in enumerate(units) if free[i] and _key_fits(u, key)])
    out: list[_Region] = []
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
        if key[0] == "D" and _title_at(units, rec) is None:
            close()  # a date with no title under it: not one of these cards
            continue
        run.append(rec)
        if broken:
            close()
    close()
    return out


def _judge_piece(units: list[Unit], key: tuple, piece: list[list[int]], feed: bool) -> list[_Region]:
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
    prose = [_wlen(units[i].text) for i in rec[1:] if units[i].shape == "P"]
    return len(prose) < 3 * stretch and sum(prose) <= TEASER_MAX_WORDS * stretch


def _judge(units: list[Unit], key: tuple, records: list[list[int]], feed: bool = False) -> _Region | None:
    """A run of records is a card region when one record shape dominates it."""
    # distinct cards have distinct titles: a head line printed three times or more in the run is a label
    # (an author, a section name) printed between the cards, not a card
    if key[0] == "D" and any(_title_at(units, r) is None for r in records):
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
    prose = [sum(_wlen(units[i].text) for i in r[1:] if units[i].shape == "P") for r in records]
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
    heads = [units[_title_at(units, r) or r[0]] for r in records]
    words = statistics.median(_wlen(u.text if u.shape != "G" else u.title or "") for u in heads)
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
    return _Region(records, score, rich)


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
    return len(labels) >= MENU_LABEL_SHARE * len(lines) and _distinct_share(labels) >= MENU_DISTINCT_SHARE


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
    chosen: list[_Region] = []
    while len(chosen) < MAX_REGIONS:
        # sorted: equal scores go to the same region on every run (set order is per process)
        keys = sorted({_head_key(u) for i, u in enumerate(units) if free[i]} - {None})
        # list items carry their own marker: a blank line above some of them is no period
        keys += sorted({(k[0], k[1], None) for k in keys if k[1] in ("b", "n")}, key=str)
        best: _Region | None = None
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
    cards: list[DumpCard] = []
    owner = {i: n for n, region in enumerate(chosen) for rec in region.records for i in rec}
    for n, region in sorted(enumerate(chosen), key=lambda nr: nr[1].records[0][0]):
        # the period reads every line the region spans that no other region holds (lines
        # its records were cut short of, a card's date line, included)
        first, last = region.records[0][0], max(region.records[-1])
        span = [i for i in range(first, last + 1) if owner.get(i, n) == n and id(units[i]) not in border]
        _follow_period(units, region, span)
        _move_leading_dates(units, region)
        _pair_teasers(units, region)
        cards.extend(_strip_template(_card(units, rec) for rec in region.records))
    return cards, all(r.rich for r in chosen)


# ---------------------------------------------------------------- the period of a region

_CLASS_LETTER = {"T": "x", "P": "x", "G": "x", "D": "d", "S": "s", "R": "r", "F": "f"}
TITLE_SLOT_SHARE = 0.5  # lines of a period slot that must look like titles for it to hold titles


def _line_class(u: Unit) -> str:
    """What the period compares: text (title or teaser alike: a teaser without a full stop
    reads as a title), date/byline, short label, repeat or furniture; its list/heading
    marker; and the blank line above it (the page's blank-line rhythm)."""
    return _CLASS_LETTER[u.shape] + u.marker + ("_" if u.blank_before else "")


def _follow_period(units: list[Unit], region: _Region, span: list[int]) -> None:
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
        words = statistics.median(_wlen(u.title or u.text) for u in lines)
        distinct = _distinct_share(lines) >= DISTINCT_SLOT_SHARE
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


def _distinct_share(lines: list[Unit]) -> float:
    """Share of the slot's words that occur in one of its lines only: high for titles and
    teasers, low for kickers and labels that repeat a few section names."""
    seen: Counter[str] = Counter()
    for u in lines:
        seen.update(set(w.casefold() for w in bp.words(u.text)))
    total = sum(seen.values())
    return sum(n for n in seen.values() if n == 1) / total if total else 0.0


TEMPLATE_SHARE = 0.7  # titles of a region that carry the same tail for it to be the template's
TEMPLATE_MIN_CHARS = 12


def _strip_template(cards: Iterable[DumpCard]) -> list[DumpCard]:
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


def _pair_teasers(units: list[Unit], region: _Region) -> None:
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
    n = _wlen(line.text)
    return n >= TEASER_MIN_LINE and n >= TEASER_RATIO * _wlen(head.text)


def _move_leading_dates(units: list[Unit], region: _Region) -> None:
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


def _card(units: list[Unit], rec: list[int]) -> DumpCard:
    at = _title_at(units, rec) or rec[0]
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
        if u.shape in ("P", "T", "G") or (u.shape == "S" and _SENTENCE_END.search(u.text)):
            card.body.append(u)  # teaser text; short labels (authors, counts) are not
    if head.marker == "n":
        card.kind = "result"
    return card
