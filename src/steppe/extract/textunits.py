"""A plain-text dump's units: logical lines with their shapes, and the record types.

The first step of reading cards out of a text dump (``textcards``): the dump is cut
into *units* (hard-wrapped lines joined back at the wrap width, Markdown/lynx
decoration and link targets taken off), and every unit gets a *shape*: date line,
dated title (a title with its date glued on), title-like line, prose, short label,
furniture, repeat. Also here: the tests for date lines and bylines that ``textdump``
shares, and the record/region types the later steps hand to each other.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from steppe.extract import boilerplate as bp
from steppe.extract.dates import find_dates

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
SENTENCE_END = re.compile(r"[.!?…:;,。．！][\"'”’)\]»」』]*$")
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
    # innerText glues a byline's time to the author's name ("...GECKER51 minutes ago")
    r"(?:\b|(?<=[^\W\d_]))\d+\s+(?:sec|min|minute|hour|hr|day|week|month|year)s?\s+ago\b"
    r"|\b\d+\s?(?:s|m|min|h|hr|d|w|mo|y|yr)\s+ago\b"  # "3h ago", "2d ago"
    r"|(?:\b|(?<=[a-z]))an?\s+(?:second|minute|hour|day|week|month|year)\s+ago\b"  # "...COOPERan hour ago"
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
                and wlen(u.text) <= LABEL_MAX_WORDS):
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


def wlen(text: str) -> int:
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
    n = wlen(text)
    if n <= TITLE_MAX_WORDS + 5:
        glued = _glued_date(text)
        if glued is not None:
            title, date_raw = glued
            if TITLE_MIN_WORDS <= wlen(title) <= TITLE_MAX_WORDS:
                unit.title, unit.date_raw = title, date_raw
                return "G"
    ends = bool(SENTENCE_END.search(text)) and not _TITLE_END_OK.search(text)
    if unit.url is not None and (n > TITLE_MAX_WORDS or ends):
        card_link = _dated_card_link(text)
        if card_link is not None:
            unit.title, unit.date_raw = card_link
            return "G"
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
    n = max(wlen(title), len(title.split()))  # Korean spaces its words
    if n < _GLUED_AGO_MIN_WORDS or n > TITLE_MAX_WORDS + 5 or re.search(r"\s[|·•]\s", title):
        return None
    if _BY_NAME.match(title) and _names_only(title):
        return None  # authors and the time: a byline, not a headline
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
    if n <= BY_NAME_MAX_WORDS and (_BY_NAME.match(text) or _TITLED_NAME.match(text)) and not SENTENCE_END.search(text):
        return True
    if _BY_NAME.match(text) and _names_only(text):
        return True  # "By JONATHAN J. COOPER, AMY TAXIN and REBECCA BOONE": several authors
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


_NAME_JOINERS = frozenset({"and", "und", "et", "y", "e", "i", "og", "en", "&"})


def _names_only(text: str) -> bool:
    """After its "By": capitalised names joined by commas and "and" only, no other word (a
    headline that opens with "By" has lower-case words)."""
    words = text.replace(",", " ").split()[1:]
    return 2 <= len(words) <= _BYLINE_MAX_WORDS and all(
        w.lower() in _NAME_JOINERS or w[:1].isupper() for w in words)


def _words_beside_date(text: str) -> int:
    """Words of a line that has a clock time or a relative date, once its dates are taken out
    (a large number when it has neither: such a line is no byline)."""
    if not (_CLOCK.search(text) or _AGO.search(text)):
        return 1 << 20
    for start, end, _value in sorted(find_dates(text), reverse=True):
        text = text[:start] + " " + text[end:]
    return len(bp.words(_AGO.sub(" ", _CLOCK.sub(" ", text))))


DATE_LABEL_WORDS = 2  # words beside a date on a card's meta line ("Administration 10/29/18")


def _mostly_date(text: str) -> bool:
    """A short line that is a date plus a counter or a label ("12 March 2024 / 3 comments",
    "Administration 10/29/18": a section label however long its one word)."""
    if len(bp.words(text)) > 8:
        return False
    found = [f for f in find_dates(text) if re.search(r"\d", text[f[0]:f[1]])]
    if not found:
        return False
    if sum(e - s for s, e, _v in found) >= 0.4 * len(text):
        return True
    rest = text
    for start, end, _value in sorted(found, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return wlen(rest) <= DATE_LABEL_WORDS and len(bp.words(rest)) <= DATE_LABEL_WORDS


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


def _dated_card_link(text: str) -> tuple[str, str] | None:
    """A whole card printed as one link (html2text writes a link wrapping a card's kicker,
    headline, date and teaser as one line: "[ Kicker Headline 01.09.2021 Teaser... ](/a)"):
    the text before its date is the title, when it is as long as a title and text follows."""
    for start, end, _v in find_dates(text):
        if not re.search(r"\d", text[start:end]):
            continue
        title = re.sub(r"[\s|\-–—·,(\[]+$", "", text[:start])
        if TITLE_MIN_WORDS <= wlen(title) <= TITLE_MAX_WORDS and wlen(text[end:]) >= TITLE_MIN_WORDS:
            return title, text[start:end]
        return None
    return None


@dataclass
class Region:
    records: list[list[int]]  # unit indexes, head first
    score: float
    rich: bool


def title_at(units: list[Unit], rec: list[int]) -> int | None:
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
