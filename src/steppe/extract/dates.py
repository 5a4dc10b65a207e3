"""Honest dates: every date carries the precision its text supports, never more.

The rule is *never invent precision*. "9 Nov" with no year in sight is not
2024-11-09: it stays unknown (``value=None``, ``raw`` kept) unless an anchor
(the page's or item's own date) says which year is meant. "01/03/2024" with no
evidence of the page's day/month order is unknown too. Relative expressions
("yesterday", "last week") are resolved against the anchor and get the
coarsest precision that contains the whole period they denote.

Why a hand-written regex layer rather than dateparser for the compact forms:
dateparser fills whatever is missing from the current date (a bare "9 Nov"
becomes this year's 9 November), ``dateparser.search`` over a whole text is
slow (hundreds of ms for an article), and it reports no precision. The regexes
below handle the forms news and think-tank pages actually use (ISO, numeric,
English/Russian/French/German month names, ranges, relatives) and are
precompiled; dateparser is only a last resort in :func:`parse_date` for a short
free-form string, and only when it found day, month and year (or month and
year) in the string itself.

Conventions (documented here because callers rely on them):

* ``DateValue.value`` is an ISO prefix: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.
* A timestamp's calendar date is taken as printed ("2024-03-01T23:30-05:00"
  is 2024-03-01): it is the publisher's local date, and converting to UTC
  would move it.
* Implausible dates are dropped: years before 1900, months > 12, days that do
  not exist, or dates after ``max_date`` (default: today + 1 year). The anchor
  does not bound explicit dates: a 2023 page may name a 2025 election.
* Ranges ("7-8 Nov", "30 Nov-2 Dec 2023") resolve to their first day.
* Year-less dates with an anchor: the candidate year (anchor's year -1/0/+1)
  closest to the anchor, preferring the past. A candidate that overlaps the
  anchor's period wins; otherwise the most recent candidate before the anchor,
  unless a later one starts within ``FUTURE_GRACE_DAYS`` of it (a forecast:
  "7 Dec" on a page of 5 Dec 2023 is 2023-12-07, "15 Jun" on 1 Jan 2023 is
  2022-06-15).
* Weekdays ("on Tuesday") mean the latest such day at or before the anchor
  ("last Tuesday": strictly before; "next Tuesday": strictly after). News
  prose saying "will meet on Tuesday" is therefore dated a week early; that is
  the price of preferring the past, as for year-less dates.
* ``find_dates`` reports a date expression even when its value is unknown
  (ambiguous numeric date, year-less date without anchor): callers keep the
  raw text and filter on ``value``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

MIN_YEAR = 1900
URL_MIN_YEAR = 1990
FUTURE_GRACE_DAYS = 7
PRECISIONS = ("day", "month", "year")


@dataclass(frozen=True)
class DateValue:
    """A date as far as it is known: ISO prefix plus precision, and the text it came from."""

    value: str | None  # 'YYYY-MM-DD' | 'YYYY-MM' | 'YYYY' | None
    precision: str | None  # 'day' | 'month' | 'year' | None
    raw: str | None = None

    def as_date(self) -> date | None:
        """First day of the period, or None when the date is unknown."""
        if not self.value:
            return None
        parts = [int(p) for p in self.value.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)

    @property
    def known(self) -> bool:
        return self.value is not None


def _unknown(raw: str | None) -> DateValue:
    return DateValue(None, None, raw)


# --------------------------------------------------------------------------- periods


def _valid(y: int, m: int, d: int = 1) -> bool:
    if not (1 <= y <= 9999 and 1 <= m <= 12):
        return False
    return 1 <= d <= calendar.monthrange(y, m)[1]


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _period(dv: DateValue | None) -> tuple[date, date] | None:
    """The [first, last] days an anchor denotes."""
    if dv is None or not dv.value or dv.precision not in PRECISIONS:
        return None
    start = dv.as_date()
    assert start is not None
    if dv.precision == "day":
        return start, start
    if dv.precision == "month":
        return start, _last_day(start.year, start.month)
    return start, date(start.year, 12, 31)


def _from_interval(lo: date, hi: date, raw: str | None) -> DateValue:
    """The finest unit that contains the whole interval [lo, hi], or unknown."""
    if lo == hi:
        return DateValue(lo.isoformat(), "day", raw)
    if (lo.year, lo.month) == (hi.year, hi.month):
        return DateValue(f"{lo.year:04d}-{lo.month:02d}", "month", raw)
    if lo.year == hi.year:
        return DateValue(f"{lo.year:04d}", "year", raw)
    return _unknown(raw)


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _default_limit(max_date: date | None) -> date:
    if max_date is not None:
        return max_date
    today = date.today()
    return today + timedelta(days=366)


def _plausible(dv: DateValue, limit: date) -> bool:
    start = dv.as_date()
    return start is not None and start.year >= MIN_YEAR and start <= limit


# --------------------------------------------------------------------------- vocabulary

# Month names. A trailing "." marks an abbreviation (which may be followed by a dot).
_MONTH_TABLE = {
    "en": [
        "january jan.", "february feb.", "march mar.", "april apr.", "may", "june jun.",
        "july jul.", "august aug.", "september sep. sept.", "october oct.", "november nov.",
        "december dec.",
    ],
    "ru": [
        "январь января январе янв.", "февраль февраля феврале фев. февр.", "март марта марте",
        "апрель апреля апреле апр.", "май мая мае", "июнь июня июне июн.", "июль июля июле июл.",
        "август августа августе авг.", "сентябрь сентября сентябре сен. сент.",
        "октябрь октября октябре окт.", "ноябрь ноября ноябре ноя. нояб.",
        "декабрь декабря декабре дек.",
    ],
    "fr": [
        "janvier janv.", "février fevrier févr.", "mars", "avril avr.", "mai", "juin", "juillet juil.",
        "août aout", "septembre", "octobre", "novembre", "décembre decembre déc.",
    ],
    "de": [
        "januar jänner", "februar", "märz maerz", "april", "mai", "juni", "juli", "august",
        "september", "oktober okt.", "november", "dezember dez.",
    ],
}
MONTHS: dict[str, int] = {}
_ABBREVIATIONS: set[str] = set()
_EN_MONTHS: set[str] = set()
for _lang, _rows in _MONTH_TABLE.items():
    for _i, _row in enumerate(_rows, start=1):
        for _word in _row.split():
            _name = _word.rstrip(".")
            MONTHS[_name] = _i
            if _word.endswith("."):
                _ABBREVIATIONS.add(_name)
            if _lang == "en":
                _EN_MONTHS.add(_name)

_WEEKDAY_TABLE = [
    "monday mon. понедельник",
    "tuesday tue. tues. вторник",
    "wednesday wed. среда среду",
    "thursday thu. thur. thurs. четверг",
    "friday fri. пятница пятницу",
    "saturday sat. суббота субботу",
    "sunday sun. воскресенье",
]
WEEKDAYS: dict[str, int] = {}
_WEEKDAY_FULL: set[str] = set()
_EN_WEEKDAYS: set[str] = set()
for _i, _row in enumerate(_WEEKDAY_TABLE):
    for _word in _row.split():
        WEEKDAYS[_word.rstrip(".")] = _i
        if _word.isascii():
            _EN_WEEKDAYS.add(_word.rstrip("."))
        if not _word.endswith("."):
            _WEEKDAY_FULL.add(_word)

# Relative phrases -> (kind, n). kinds: day offset, week (-1 last 7 days, 0 this
# calendar week, 1 next 7 days, 2 this week up to the anchor), month/year offsets.
_RELATIVE = {
    "the day before yesterday": ("day", -2), "yesterday": ("day", -1), "last night": ("day", -1),
    "today": ("day", 0), "tonight": ("day", 0), "this morning": ("day", 0),
    "this afternoon": ("day", 0), "this evening": ("day", 0), "tomorrow": ("day", 1),
    "позавчера": ("day", -2), "вчера": ("day", -1), "сегодня": ("day", 0), "завтра": ("day", 1),
    "last week": ("week", -1), "this week": ("week", 0), "earlier this week": ("week", 2),
    "next week": ("week", 1),
    "на прошлой неделе": ("week", -1), "на этой неделе": ("week", 0),
    "на следующей неделе": ("week", 1),
    "last month": ("month", -1), "this month": ("month", 0), "earlier this month": ("month", 0),
    "next month": ("month", 1), "в прошлом месяце": ("month", -1), "в этом месяце": ("month", 0),
    "в следующем месяце": ("month", 1),
    "last year": ("year", -1), "this year": ("year", 0), "earlier this year": ("year", 0),
    "next year": ("year", 1), "в прошлом году": ("year", -1), "в этом году": ("year", 0),
    "в следующем году": ("year", 1),
}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

# --------------------------------------------------------------------------- grammar


def _alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, longest first, factored as a trie.

    A plain "a|b|c" makes the engine try every branch at every word start; the
    trie rejects a non-date word at its first letter or two."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word.casefold():
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [
            (r"\s+" if ch == " " else re.escape(ch)) + build(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if "" in node:
            branches.append("")  # last, so longer words win
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return build(trie)


_NOT_LETTER = r"(?![^\W\d_])"
_S = r"[ \t\u00a0\u202f]"  # inline spaces only: a date does not run across lines
_MON = (
    rf"(?:(?:{_alternation(m for m in MONTHS if m not in _ABBREVIATIONS)}){_NOT_LETTER}"
    rf"|(?:{_alternation(_ABBREVIATIONS)}){_NOT_LETTER}\.?)"
)
_WD_ANY = rf"(?:{_alternation(WEEKDAYS)}){_NOT_LETTER}\.?"
_WD_FULL = rf"(?:{_alternation(_WEEKDAY_FULL)}){_NOT_LETTER}"
_D = r"(?:3[01]|[12]\d|0?[1-9])(?!\d)"
_ORD = rf"(?:(?:st|nd|rd|th|er){_NOT_LETTER}|\.(?={_S}))?"
_Y = r"(?:1\d{3}|2\d{3})(?!\d)"
_YSUF = rf"(?:{_S}*(?:гг\.|г\.|года|год|г){_NOT_LETTER})?"
_DASH = rf"{_S}*[-–—]{_S}*"
_TIME = (
    rf"(?:(?:T|{_S}+)\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:[.,]\d+)?)?"
    rf"(?:{_S}?(?:Z|UTC|GMT|[+-]\d{{2}}:?\d{{2}}))?(?!\d))?"
)
_PREP = (
    rf"(?<!\w)(?:(?:in|since|until|till|through|during|from|by|early|late|end{_S}+of"
    rf"|beginning{_S}+of|start{_S}+of|в|во|с|до|к|по|от|начале|конце|середине){_S}+|mid-{_S}*)"
)
_NUMBER = rf"\d{{1,2}}|{_alternation(_NUMBER_WORDS)}"
_PREP_WORDS = "in since until till through during from by early late end beginning start mid в во с до к по от начале конце середине"
# First letters any date expression can start with; other words are skipped at once.
_FIRST_LETTERS = re.escape("".join(sorted({
    w[0] for w in [*MONTHS, *WEEKDAYS, *_RELATIVE, *_NUMBER_WORDS, "last", "next", "this", *_PREP_WORDS.split()]
})))


def _grammar(loose: bool) -> str:
    """One alternation, most specific first; ``loose`` (parse_date) drops the preposition
    a bare month or year needs in running text to count as a date."""
    opt = "?" if loose else ""
    cjk = r"(?P<cjk>(?P<cy>\d{4})\s*[年년]\s*(?P<cm>\d{1,2})\s*[月월](?:\s*(?P<cd>\d{1,2})\s*[日일])?)"
    # Every other form starts a word: checking that first lets the engine skip the
    # inside of words cheaply (this halves the time find_dates takes on prose).
    return rf"{cjk}|(?<!\w)(?=[\d{_FIRST_LETTERS}])(?:" + "|".join([
        rf"(?P<iso>(?<![\w./-])(?P<iy>\d{{4}})(?P<isep>[-/.])(?P<im>\d{{1,2}})(?P=isep)"
        rf"(?P<id>\d{{1,2}})(?!\d){_TIME})",
        rf"(?P<num>(?<![\w./-])(?P<na>\d{{1,2}})(?P<nsep>[-/.])(?P<nb>\d{{1,2}})(?P=nsep)"
        rf"(?P<ny>\d{{4}}|\d{{2}})(?!\d|[./-]\d)(?:,?{_TIME})?)",
        rf"(?P<dm>(?:(?P<dwd>{_WD_ANY}),?{_S}+)?(?<![\w.,])(?P<dd>{_D}){_ORD}"
        rf"(?:{_DASH}(?P<dd2>{_D}){_ORD})?(?:{_S}*|-)(?:of{_S}+)?(?P<dmon>{_MON})"
        rf"(?:{_DASH}(?P<dd3>{_D}){_ORD}(?:{_S}*|-)(?P<dmon2>{_MON}))?"
        rf"(?:(?:,?{_S}*|-)(?P<dy>{_Y}){_YSUF})?)",
        rf"(?P<md>(?:(?P<mwd>{_WD_ANY}),?{_S}+)?(?P<mmon>{_MON})(?:{_S}*|-)(?P<md1>{_D}){_ORD}"
        rf"(?:{_DASH}(?:(?P<mmon2>{_MON}){_S}*)?(?P<md2>{_D}){_ORD})?(?![\w:])"
        rf"(?:,?{_S}*(?P<my>{_Y}){_YSUF})?)",
        rf"(?P<ym>(?P<ymon>{_MON})(?:,?{_S}*|-)(?P<yy>{_Y}){_YSUF})",
        rf"(?:{_PREP}){opt}(?P<bm>(?P<bmon>{_MON}))(?!(?:,?{_S}*|-)\d)",
        rf"(?:{_PREP}){opt}(?P<by>(?P<byear>{_Y}){_YSUF})(?![-–/.]?\d|{_S}*%)",
        rf"(?P<rel>(?<!\w)(?:{_alternation(_RELATIVE)})(?!\w))",
        rf"(?P<ago>(?<!\w)(?P<agon>{_NUMBER}){_S}+(?P<agou>minute|hour|day|week|month|year)s?"
        rf"{_S}+ago(?!\w))",
        rf"(?P<wdx>(?<!\w)(?:(?P<wdq>last|next|this){_S}+)?(?P<wdn>{_WD_FULL}))",
    ]) + ")"


_FLAGS = re.IGNORECASE | re.UNICODE
_STRICT = re.compile(_grammar(loose=False), _FLAGS)
_LOOSE = re.compile(_grammar(loose=True), _FLAGS)
_KINDS = ("iso", "cjk", "num", "dm", "md", "ym", "bm", "by", "rel", "ago", "wdx")


# --------------------------------------------------------------------------- resolution


@dataclass(frozen=True)
class _Ctx:
    anchor: DateValue | None
    day_first: bool | None
    limit: date
    strict: bool


def _word(s: str | None) -> str:
    return re.sub(r"\s+", " ", (s or "").rstrip(".").casefold())


def _month(token: str) -> int:
    return MONTHS[_word(token)]


_EN_NAMES = frozenset(_EN_MONTHS | _EN_WEEKDAYS)


def _lower_english(token: str | None) -> bool:
    """English month/weekday names are capitalised; 'may', 'march', 'sun' in lower case are words."""
    return bool(token) and token[0].islower() and _word(token) in _EN_NAMES


def _day(y: int, m: int, d: int, raw: str, limit: date) -> DateValue | None:
    if not _valid(y, m, d):
        return None
    dv = DateValue(f"{y:04d}-{m:02d}-{d:02d}", "day", raw)
    return dv if _plausible(dv, limit) else None


def _year_of_two_digits(yy: int) -> int:
    """'24' -> 2024, '98' -> 1998: the 2000s unless that would be in the future."""
    return 2000 + yy if 2000 + yy <= date.today().year + 1 else 1900 + yy


def _numeric_shape_ok(a: str, sep: str, b: str, y: str) -> bool:
    """'3.5.10' is a version number: a two-digit year needs slashes or two-digit day and month."""
    return len(y) == 4 or sep == "/" or (len(a) == 2 and len(b) == 2)


def _numeric(a: int, b: int, y: int, sep: str, raw: str, ctx: _Ctx) -> DateValue | None:
    """Day/month order: a reading the numbers force wins; then the caller's evidence; dotted
    dates are day-first (no locale writes month-first with dots); otherwise unknown."""
    day_first = _day(y, b, a, raw, ctx.limit)  # a = day, b = month
    month_first = _day(y, a, b, raw, ctx.limit)
    if day_first is None or month_first is None:
        return day_first or month_first
    if day_first == month_first:  # 03/03/2024
        return day_first
    order = ctx.day_first if ctx.day_first is not None else (True if sep == "." else None)
    if order is None:
        return _unknown(raw)
    return day_first if order else month_first


def _yearless(month: int, day: int | None, raw: str, anchor: DateValue | None) -> DateValue:
    """Resolve "9 Nov" / "November" against the anchor; see the module docstring for the rule."""
    period = _period(anchor)
    if period is None:
        return _unknown(raw)
    a_lo, a_hi = period
    candidates: list[tuple[date, date, DateValue]] = []
    for y in range(a_lo.year - 1, a_hi.year + 2):
        if day is None:
            lo, hi = date(y, month, 1), _last_day(y, month)
            dv = DateValue(f"{y:04d}-{month:02d}", "month", raw)
        elif _valid(y, month, day):
            lo = hi = date(y, month, day)
            dv = DateValue(lo.isoformat(), "day", raw)
        else:
            continue
        candidates.append((lo, hi, dv))
    overlapping = [c for c in candidates if c[0] <= a_hi and c[1] >= a_lo]
    if overlapping:
        return overlapping[-1][2] if len(overlapping) == 1 else _unknown(raw)
    past = [c for c in candidates if c[1] < a_lo]
    future = [c for c in candidates if c[0] > a_hi]
    best_past = past[-1] if past else None
    best_future = future[0] if future else None
    if best_future is not None:
        ahead = (best_future[0] - a_hi).days
        behind = (a_lo - best_past[1]).days if best_past else None
        if ahead <= FUTURE_GRACE_DAYS and (behind is None or ahead < behind):
            return best_future[2]
    return best_past[2] if best_past else _unknown(raw)


def _relative(shift: Callable[[date], tuple[date, date]], raw: str, anchor: DateValue | None) -> DateValue:
    """Apply a relative expression to every day the anchor may be; keep what all agree on.

    ``shift`` is monotone, so the union over the anchor's period is bounded by the
    shifts of its first and last day."""
    period = _period(anchor)
    if period is None:
        return _unknown(raw)
    try:
        lo, hi = shift(period[0])[0], shift(period[1])[1]
    except (ValueError, OverflowError):
        return _unknown(raw)
    return _from_interval(lo, hi, raw)


def _month_interval(d: date, n: int) -> tuple[date, date]:
    y, m = _add_months(d.year, d.month, n)
    return date(y, m, 1), _last_day(y, m)


def _relative_shift(kind: str, n: int) -> Callable[[date], tuple[date, date]]:
    if kind == "day":
        return lambda d: (d + timedelta(days=n), d + timedelta(days=n))
    if kind == "week":
        spans = {
            -1: lambda d: (d - timedelta(days=7), d - timedelta(days=1)),
            0: lambda d: (d - timedelta(days=d.weekday()), d + timedelta(days=6 - d.weekday())),
            1: lambda d: (d + timedelta(days=1), d + timedelta(days=7)),
            2: lambda d: (d - timedelta(days=d.weekday()), d),
        }
        return spans[n]
    if kind == "month":
        return lambda d: _month_interval(d, n)
    return lambda d: (date(d.year + n, 1, 1), date(d.year + n, 12, 31))


def _ago_shift(n: int, unit: str) -> Callable[[date], tuple[date, date]]:
    if unit in ("minute", "hour"):
        # The anchor's time of day is unknown: n hours ago is the anchor day or a day or more before.
        whole_days = n // 24 if unit == "hour" else 0
        return lambda d: (d - timedelta(days=whole_days + 1), d - timedelta(days=whole_days))
    if unit == "day":
        return _relative_shift("day", -n)
    if unit == "week":
        return lambda d: (d - timedelta(days=7 * n), d - timedelta(days=7 * n - 6))
    if unit == "month":
        return lambda d: _month_interval(d, -n)
    return _relative_shift("year", -n)


def _weekday_shift(weekday: int, qualifier: str) -> Callable[[date], tuple[date, date]]:
    def shift(d: date) -> tuple[date, date]:
        if qualifier == "next":
            delta = (weekday - d.weekday()) % 7 or 7
            day = d + timedelta(days=delta)
        else:
            back = (d.weekday() - weekday) % 7
            if qualifier == "last" and back == 0:
                back = 7
            day = d - timedelta(days=back)
        return day, day

    return shift


def _with_year(raw: str, y: int, m: int, d: int | None, ctx: _Ctx) -> DateValue | None:
    if d is None:
        if not _valid(y, m):
            return None
        dv = DateValue(f"{y:04d}-{m:02d}", "month", raw)
        return dv if _plausible(dv, ctx.limit) else None
    return _day(y, m, d, raw, ctx.limit)


def _named(
    match: re.Match[str], text: str, ctx: _Ctx, *, day: str, month: str, month2: str, year: str
) -> tuple[int, int, DateValue] | None:
    """Dates with a month name: "1 March 2024", "Nov 7-8, 2023", "30 Nov-2 Dec 2023", "9 Nov"."""
    if ctx.strict and (_lower_english(match.group(month)) or _lower_english(match.group(month2))):
        return None
    start, end = match.start(), match.end()
    m, d = _month(match.group(month)), int(match.group(day))
    m2 = _month(match.group(month2)) if match.group(month2) else m
    if match.group(year):
        y = int(match.group(year))
        # the year printed at the end of "28 Dec-2 Jan 2024" belongs to the range's end
        y = y - 1 if m2 < m else y
        if not _valid(y, m, d):  # 29 Feb 2023, 31 Nov 2023
            return None
        dv = _with_year(text[start:end], y, m, d, ctx)
        if dv is not None:
            return start, end, dv
        # "9 Nov 1500 troops": the number was not the year
        end = match.end(month2) if match.group(month2) else match.end(month)
        end = max(end, match.end(day))
    if not _valid(2000, m, d):  # 2000 is a leap year: 29 Feb is valid somewhere
        return None
    return start, end, _yearless(m, d, text[start:end], ctx.anchor)


def _resolve(match: re.Match[str], text: str, ctx: _Ctx) -> tuple[int, int, DateValue] | None:
    kind = next(k for k in _KINDS if match.group(k) is not None)
    g = match.group
    start, end = match.span(kind)
    raw = text[start:end]
    if kind == "iso":
        dv = _day(int(g("iy")), int(g("im")), int(g("id")), raw, ctx.limit)
    elif kind == "cjk":
        dv = _with_year(raw, int(g("cy")), int(g("cm")), int(g("cd")) if g("cd") else None, ctx)
    elif kind == "num":
        if not _numeric_shape_ok(g("na"), g("nsep"), g("nb"), g("ny")):
            return None
        y = int(g("ny")) if len(g("ny")) == 4 else _year_of_two_digits(int(g("ny")))
        dv = _numeric(int(g("na")), int(g("nb")), y, g("nsep"), raw, ctx)
    elif kind == "dm":
        return _named(match, text, ctx, day="dd", month="dmon", month2="dmon2", year="dy")
    elif kind == "md":
        return _named(match, text, ctx, day="md1", month="mmon", month2="mmon2", year="my")
    elif kind == "ym":
        if ctx.strict and _lower_english(g("ymon")):
            return None
        dv = _with_year(raw, int(g("yy")), _month(g("ymon")), None, ctx)
    elif kind == "bm":
        if ctx.strict and _lower_english(g("bmon")):
            return None
        dv = _yearless(_month(g("bmon")), None, raw, ctx.anchor)
    elif kind == "by":
        dv = DateValue(f"{int(g('byear')):04d}", "year", raw)
        dv = dv if _plausible(dv, ctx.limit) else None
    elif kind == "rel":
        dv = _relative(_relative_shift(*_RELATIVE[_word(raw)]), raw, ctx.anchor)
    elif kind == "ago":
        n = _word(g("agon"))
        count = int(n) if n.isdigit() else _NUMBER_WORDS[n]
        dv = _relative(_ago_shift(count, _word(g("agou"))), raw, ctx.anchor)
    else:  # wdx
        if ctx.strict and _lower_english(g("wdn")):
            return None
        shift = _weekday_shift(WEEKDAYS[_word(g("wdn"))], _word(g("wdq")))
        dv = _relative(shift, raw, ctx.anchor)
    if dv is not None and dv.value is not None and not _plausible(dv, ctx.limit):
        dv = None
    return (start, end, dv) if dv is not None else None


# --------------------------------------------------------------------------- public API


def find_dates(
    text: str,
    *,
    anchor: DateValue | None = None,
    day_first: bool | None = None,
    max_date: date | None = None,
) -> list[tuple[int, int, DateValue]]:
    """Every date expression in ``text``, left to right, as (start, end, value).

    Expressions whose value cannot be known (ambiguous numeric order, year-less
    with no anchor) are reported with ``value=None`` and their raw text. Bare
    numbers are never dates; a bare year or month name counts only after a
    temporal preposition ("in 2022", "since March").
    """
    ctx = _Ctx(anchor, day_first, _default_limit(max_date), strict=True)
    found = []
    for match in _STRICT.finditer(text):
        hit = _resolve(match, text, ctx)
        if hit is not None:
            found.append(hit)
    return found


_CLEAN_EDGES = re.compile(r"^[\s()\[\],;:|·•\u00a0]+|[\s()\[\],;:|·•\u00a0]+$")
_LONE_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_DATEPARSER_LANGUAGES = ["en", "ru", "kk", "uk", "fr", "de", "es", "it", "tr", "uz", "ky", "zh", "ar"]


def parse_anchor(raw: str | None) -> DateValue | None:
    """An item's date as the anchor for the dates in its text; None when absent or malformed
    (a bad item date must never stop an item from being coded)."""
    if not raw:
        return None
    try:
        return parse_date(raw)
    except Exception:  # noqa: BLE001
        return None


def parse_date(
    raw: str,
    *,
    anchor: DateValue | None = None,
    day_first: bool | None = None,
    max_date: date | None = None,
) -> DateValue:
    """Parse a string that is (or contains) one date; unknown rather than guessed.

    Order: the whole string as one expression (a bare "2022" or "November" is
    accepted here), then the first date expression inside it, then a lone
    plausible year, then dateparser for free-form text that names day, month
    and year (or month and year) explicitly.
    """
    if not raw or not raw.strip():
        return _unknown(raw or None)
    text = _CLEAN_EDGES.sub("", re.sub(r"\s+", " ", raw))
    ctx = _Ctx(anchor, day_first, _default_limit(max_date), strict=False)
    partial = _ISO_PARTIAL.fullmatch(text)
    if partial is not None:
        return _iso_partial(partial, raw, ctx.limit)
    match = _LOOSE.fullmatch(text)
    if match is not None:
        hit = _resolve(match, text, ctx)
        return DateValue(hit[2].value, hit[2].precision, raw) if hit else _unknown(raw)
    hits = find_dates(text, anchor=anchor, day_first=day_first, max_date=ctx.limit)
    if hits:
        # "3 hours ago · 4 March 2023": the finest date wins, then the first
        known = sorted((h for h in hits if h[2].value), key=lambda h: PRECISIONS.index(h[2].precision))
        best = known[0][2] if known else hits[0][2]
        return DateValue(best.value, best.precision, raw)
    years = {m.group() for m in _LONE_YEAR.finditer(text)}
    parsed = _dateparser(text, day_first, ctx.limit) if re.search(r"[^\W\d_]", text) else None
    if parsed is not None:
        return DateValue(parsed.value, parsed.precision, raw)
    if len(years) == 1 and len(text) <= 40:  # "summer 2022", "Issue 3, 2022"
        dv = DateValue(years.pop(), "year", raw)
        return dv if _plausible(dv, ctx.limit) else _unknown(raw)
    return _unknown(raw)


_ISO_PARTIAL = re.compile(r"(\d{4})-(\d{2})|(\d{4})(\d{2})(\d{2})")


def _iso_partial(match: re.Match[str], raw: str, limit: date) -> DateValue:
    """'2024-03' (month) and '20240301' (day), which running text would not call dates."""
    if match.group(1):
        y, m = int(match.group(1)), int(match.group(2))
        dv = DateValue(f"{y:04d}-{m:02d}", "month", raw) if _valid(y, m) else None
    else:
        y, m, d = (int(match.group(i)) for i in (3, 4, 5))
        dv = DateValue(f"{y:04d}-{m:02d}-{d:02d}", "day", raw) if _valid(y, m, d) else None
    return dv if dv is not None and _plausible(dv, limit) else _unknown(raw)


def _dateparser(text: str, day_first: bool | None, limit: date) -> DateValue | None:
    """Last resort for free-form strings; only parts present in the string are trusted."""
    if len(text) > 100:
        return None
    import dateparser  # slow import, rarely needed

    settings = {
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if day_first is not None:
        settings["DATE_ORDER"] = "DMY" if day_first else "MDY"
    try:
        result = dateparser.parse(text, languages=_DATEPARSER_LANGUAGES, settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; unknown is the answer
        return None
    if result is None:
        return None
    # Only day-level answers whose day and year are printed in the string: dateparser
    # reads "Q3 2023" as August, and month-year forms are the regex layer's job.
    numbers = {int(n) for n in re.findall(r"\d+", text)}
    if result.year not in numbers or result.day not in numbers:
        return None
    dv = DateValue(result.date().isoformat(), "day", text)
    return dv if _plausible(dv, limit) else None


_NUMERIC_EVIDENCE = re.compile(r"(?<![\w./-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\d|[./-]\d)")


def infer_day_first(texts: Iterable[str]) -> bool | None:
    """Day/month order proven by a page's own numeric dates.

    29/02/2024 or 13/05/2023 proves day-first, 05/13/2023 month-first; conflicting
    or no proof gives None. Only dates valid in the proving reading count.
    """
    seen: set[bool] = set()
    for text in texts:
        for a, sep, b, y in _NUMERIC_EVIDENCE.findall(text or ""):
            if not _numeric_shape_ok(a, sep, b, y):
                continue
            first, second = int(a), int(b)
            year = int(y) if len(y) == 4 else _year_of_two_digits(int(y))
            if first > 12 and _valid(year, second, first):
                seen.add(True)
            elif second > 12 and _valid(year, first, second):
                seen.add(False)
            if len(seen) == 2:
                return None
    return seen.pop() if seen else None


_URL_YMD = re.compile(r"(?<![\d])(\d{4})([/_-])(\d{1,2})\2(\d{1,2})(?!\d)")
_URL_COMPACT = re.compile(r"(?:^|[/_-])(\d{4})(\d{2})(\d{2})(?=$|[/_.?#-])")
_URL_YM = re.compile(r"/(\d{4})/(\d{1,2})(?=/|$)")
_URL_Y_SLUG = re.compile(r"/(\d{4})/([^/?#]+)")
_SLUG = re.compile(r"^(?=.*[^\W\d_])(?:.*[-_].*|.*\.(?:s?html?|php|aspx?))$")


def date_from_url(url: str) -> DateValue:
    """The date a URL's path spells: /2024/02/17/ day, /2024/02/ month, /2024/slug year.

    A bare /2024/ is too weak (archives, IDs) and gives unknown; years outside
    1990..next year are rejected.
    """
    if not url:
        return _unknown(url or None)
    parts = urlsplit(url if "//" in url else "//" + url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    last_year = date.today().year + 1

    def ok(y: int) -> bool:
        return URL_MIN_YEAR <= y <= last_year

    for m in _URL_YMD.finditer(path):
        y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if ok(y) and _valid(y, mo, d):
            return DateValue(f"{y:04d}-{mo:02d}-{d:02d}", "day", m.group(0))
    for m in _URL_COMPACT.finditer(path):
        y, mo, d = (int(x) for x in m.groups())
        if ok(y) and _valid(y, mo, d):
            return DateValue(f"{y:04d}-{mo:02d}-{d:02d}", "day", m.group(0).lstrip("/_-"))
    for m in _URL_YM.finditer(path):
        y, mo = int(m.group(1)), int(m.group(2))
        if ok(y) and 1 <= mo <= 12:
            return DateValue(f"{y:04d}-{mo:02d}", "month", m.group(0).lstrip("/"))
    for m in _URL_Y_SLUG.finditer(path):
        if ok(int(m.group(1))) and _SLUG.match(m.group(2)):
            return DateValue(m.group(1), "year", m.group(1))
    return _unknown(url)


# --------------------------------------------------------------------------- locale

# Country-code domains whose press writes numeric dates day first (dd/mm/yyyy or
# dd.mm.yyyy). Left out on purpose: year-first countries (cn jp kr tw hu lt se mn ir
# af), mixed ones (ca za), and ccTLDs used as generic names (co io me tv fm ai ly).
_DAY_FIRST_TLDS = frozenset({
    "uk", "ie", "fr", "de", "at", "ch", "be", "nl", "lu", "it", "es", "pt", "gr", "cy", "mt",
    "pl", "cz", "sk", "si", "hr", "rs", "ba", "mk", "al", "ro", "bg", "md", "ua", "by", "ru",
    "su", "xn--p1ai", "ee", "lv", "dk", "no", "is", "fi", "tr", "az", "am", "ge", "kz", "kg",
    "uz", "tj", "tm", "pk", "in", "bd", "lk", "np", "iq", "il", "ps", "jo", "lb", "sy", "sa",
    "ae", "qa", "kw", "bh", "om", "ye", "eg", "tn", "dz", "ma", "ng", "gh", "ke", "tz", "ug",
    "et", "au", "nz", "br", "ar", "cl", "pe", "ve", "uy", "py", "bo", "ec", "mx", "vn", "th",
    "my", "sg", "id", "eu",
})
# Month-first: the US government and military, .us, and the Philippines.
_MONTH_FIRST_TLDS = frozenset({"us", "gov", "mil", "ph"})
# Generic-domain publishers whose numeric dates are known. Keys: host (sub-domains
# match) or casefolded publisher name without a leading "the".
_KNOWN_PUBLISHERS: dict[str, bool] = {
    # day-first: UK/European/Russian/Gulf/Asian newsrooms on generic domains
    "bbc.com": True, "bbc": True, "bbc news": True,
    "theguardian.com": True, "guardian": True,
    "economist.com": True, "economist": True, "ft.com": True, "financial times": True,
    "aljazeera.com": True, "al jazeera": True,
    "crisisgroup.org": True, "international crisis group": True, "crisis group": True,
    "crisiswatch": True, "chathamhouse.org": True, "chatham house": True,
    "rusi.org": True, "royal united services institute": True, "iiss.org": True,
    "ecfr.eu": True, "france24.com": True, "france 24": True, "dw.com": True,
    "deutsche welle": True, "dw": True, "euronews.com": True, "euronews": True,
    "rt.com": True, "tass.com": True, "tass": True, "ria novosti": True, "interfax.com": True,
    "interfax": True, "kommersant": True, "themoscowtimes.com": True, "moscow times": True,
    "meduza.io": True, "meduza": True, "kazinform": True, "tengrinews": True,
    "astanatimes.com": True, "astana times": True, "akipress.com": True, "akipress": True,
    "timesca.com": True, "times of central asia": True, "scmp.com": True,
    "arabnews.com": True, "middleeasteye.net": True, "intellinews.com": True,
    # month-first: US newsrooms
    "nytimes.com": False, "new york times": False, "washingtonpost.com": False,
    "washington post": False, "wsj.com": False, "wall street journal": False,
    "cnn.com": False, "cnn": False, "foxnews.com": False, "fox news": False, "npr.org": False,
    "npr": False, "usatoday.com": False, "usa today": False, "apnews.com": False,
    "associated press": False, "voanews.com": False, "voice of america": False,
}


def locale_day_first(publisher_or_domain: str | None) -> bool | None:
    """Whether a publisher (URL, host or name) writes numeric dates day first.

    True for day-first country domains and known publishers, False for known
    month-first ones, None when unknown (a generic .com/.org is not evidence).
    """
    if not publisher_or_domain or not publisher_or_domain.strip():
        return None
    s = publisher_or_domain.strip().casefold()
    if "://" in s or ("." in s and " " not in s):
        host = (urlsplit(s if "//" in s else "//" + s).hostname or "").removeprefix("www.")
        labels = host.split(".")
        for i in range(len(labels) - 1):
            known = _KNOWN_PUBLISHERS.get(".".join(labels[i:]))
            if known is not None:
                return known
        tld = labels[-1]
        if tld in _DAY_FIRST_TLDS:
            return True
        return False if tld in _MONTH_FIRST_TLDS else None
    name = re.sub(r"[^\w\s]", " ", s)
    name = re.sub(r"\s+", " ", name).strip().removeprefix("the ")
    return _KNOWN_PUBLISHERS.get(name)
