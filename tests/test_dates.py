"""Tests for steppe.extract.dates: honest dates, never invented precision."""

from __future__ import annotations

import time
from datetime import date

import pytest

from steppe.extract.dates import (
    DateValue,
    date_from_url,
    find_dates,
    infer_day_first,
    locale_day_first,
    parse_date,
)

DAY = DateValue("2023-12-05", "day")  # a Tuesday
MONTH = DateValue("2023-11", "month")
YEAR = DateValue("2023", "year")
NO_ANCHOR = DateValue(None, None)


def vp(dv: DateValue) -> tuple[str | None, str | None]:
    return dv.value, dv.precision


# --------------------------------------------------------------------------- DateValue


def test_as_date_is_first_day_of_period() -> None:
    assert DateValue("2024-03-07", "day").as_date() == date(2024, 3, 7)
    assert DateValue("2024-03", "month").as_date() == date(2024, 3, 1)
    assert DateValue("2024", "year").as_date() == date(2024, 1, 1)
    assert DateValue(None, None, "9 Nov").as_date() is None


# --------------------------------------------------------------------------- full dates


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-01",
        "2024-03-01T12:20:00Z",
        "2024-03-01T12:20:00.123+05:00",
        "2024-03-01 12:20",
        "2024/03/01",
        "1 March 2024",
        "March 1, 2024",
        "March 1 2024",
        "1st March 2024",
        "the 1st of March, 2024",
        "Mar. 1 2024",
        "Mar 1st, 2024",
        "01-Mar-2024",
        "Friday, 1 March 2024",
        "Fri, 01 Mar 2024 12:20:00 GMT",
        "01.03.2024",
        "1.3.2024",
        "1 марта 2024",
        "1 марта 2024 г.",
        "1er mars 2024",
        "1. März 2024",
        "2024年3月1日",
        "Published: 1 March 2024, 12:20",
        "Updated 3 hours ago · Published 1 March 2024",
        "20240301",
    ],
)
def test_full_dates(raw: str) -> None:
    dv = parse_date(raw)
    assert vp(dv) == ("2024-03-01", "day")
    assert dv.raw == raw


def test_timestamp_keeps_the_printed_local_date() -> None:
    assert parse_date("2024-03-01T23:30:00-05:00").value == "2024-03-01"


def test_month_and_year_precision() -> None:
    assert vp(parse_date("March 2024")) == ("2024-03", "month")
    assert vp(parse_date("in January 2022")) == ("2022-01", "month")
    assert vp(parse_date("марте 2023 года")) == ("2023-03", "month")
    assert vp(parse_date("2024-03")) == ("2024-03", "month")
    assert vp(parse_date("2022")) == ("2022", "year")
    assert vp(parse_date("summer 2022")) == ("2022", "year")
    assert vp(parse_date("Q3 2023")) == ("2023", "year")  # not August, as dateparser says


def test_free_form_fallback_needs_printed_day_and_year() -> None:
    assert vp(parse_date("3 de marzo de 2024")) == ("2024-03-03", "day")
    assert vp(parse_date("in the spring")) == (None, None)
    assert vp(parse_date("")) == (None, None)
    assert vp(parse_date("   ")) == (None, None)


# --------------------------------------------------------------------------- implausible


@pytest.mark.parametrize(
    "raw", ["29 Feb 2023", "31/02/2024", "2024-13-01", "2024-02-30", "1 March 1850", "1 March 2999", "13/13/2024"]
)
def test_implausible_dates_are_unknown(raw: str) -> None:
    dv = parse_date(raw)
    assert vp(dv) == (None, None)
    assert dv.raw == raw


def test_max_date_bounds_explicit_dates() -> None:
    assert parse_date("1 March 2024", max_date=date(2023, 12, 31)).value is None
    assert parse_date("1 March 2024", max_date=date(2024, 3, 1)).value == "2024-03-01"
    assert parse_date("2024", max_date=date(2023, 12, 31)).value is None


def test_leap_day_is_valid_in_leap_years() -> None:
    assert vp(parse_date("29 Feb 2024")) == ("2024-02-29", "day")
    assert vp(parse_date("29 Feb", anchor=DateValue("2024-03-10", "day"))) == ("2024-02-29", "day")
    # no 29 Feb within a year of the anchor: unknown rather than a leap year far away
    assert vp(parse_date("29 Feb", anchor=DateValue("2023-03-10", "day"))) == (None, None)


# --------------------------------------------------------------------------- numeric order


def test_numeric_order_forced_by_the_numbers() -> None:
    assert vp(parse_date("13/05/2023")) == ("2023-05-13", "day")
    assert vp(parse_date("05/13/2023")) == ("2023-05-13", "day")
    assert vp(parse_date("29/02/2024")) == ("2024-02-29", "day")
    # the numbers beat a contrary hint: only one reading exists
    assert vp(parse_date("05/13/2023", day_first=True)) == ("2023-05-13", "day")


def test_ambiguous_numeric_date_is_unknown_without_evidence() -> None:
    dv = parse_date("01/03/2024")
    assert vp(dv) == (None, None)
    assert dv.raw == "01/03/2024"
    assert vp(parse_date("01/03/2024 12:20:00")) == (None, None)
    assert vp(parse_date("01-03-2024")) == (None, None)


def test_same_day_and_month_is_not_ambiguous() -> None:
    assert vp(parse_date("03/03/2024")) == ("2024-03-03", "day")


def test_day_first_hint_resolves_ambiguity() -> None:
    assert vp(parse_date("01/03/2024", day_first=True)) == ("2024-03-01", "day")
    assert vp(parse_date("01/03/2024", day_first=False)) == ("2024-01-03", "day")
    assert vp(parse_date("01/03/2024 12:20:00", day_first=True)) == ("2024-03-01", "day")
    assert vp(parse_date("01/03/24", day_first=True)) == ("2024-03-01", "day")


def test_dotted_dates_are_day_first_unless_told_otherwise() -> None:
    assert vp(parse_date("01.03.2024")) == ("2024-03-01", "day")
    assert vp(parse_date("01.03.2024", day_first=False)) == ("2024-01-03", "day")


def test_infer_day_first() -> None:
    assert infer_day_first(["Posted 29/02/2024"]) is True
    assert infer_day_first(["a", "13/05/2023 and 01/03/2024"]) is True
    assert infer_day_first(["05/13/2023"]) is False
    assert infer_day_first(["13/05/2023", "05/13/2023"]) is None  # conflicting
    assert infer_day_first(["01/03/2024", "03/03/2024"]) is None  # no proof
    assert infer_day_first([]) is None
    assert infer_day_first(["version 3.5.13 released"]) is None  # not a date
    assert infer_day_first(["30/02/2024"]) is None  # invalid in the proving reading


def test_inferred_order_applies_to_the_page() -> None:
    page = ["Posted 13/05/2023", "Meeting on 01/03/2024"]
    order = infer_day_first(page)
    hits = find_dates(page[1], day_first=order)
    assert [vp(h[2]) for h in hits] == [("2024-03-01", "day")]


# --------------------------------------------------------------------------- anchors


def test_yearless_dates_need_an_anchor() -> None:
    for raw in ("9 Nov", "November", "7-8 Nov", "Nov 9", "9 ноября"):
        dv = parse_date(raw)
        assert vp(dv) == (None, None), raw
        assert dv.raw == raw
        assert vp(parse_date(raw, anchor=NO_ANCHOR)) == (None, None)
        assert vp(parse_date(raw, anchor=None)) == (None, None)


def test_yearless_date_takes_the_anchor_year_before_the_anchor() -> None:
    assert vp(parse_date("9 Nov", anchor=DAY)) == ("2023-11-09", "day")
    assert vp(parse_date("Nov 9", anchor=DAY)) == ("2023-11-09", "day")
    assert vp(parse_date("9 ноября", anchor=DAY)) == ("2023-11-09", "day")
    assert vp(parse_date("November", anchor=DAY)) == ("2023-11", "month")
    assert vp(parse_date("December", anchor=DAY)) == ("2023-12", "month")


def test_yearless_date_prefers_the_past() -> None:
    # January is 27 days after the anchor's month ends, the previous January 11 months before:
    # the past wins unless the future candidate is within the grace period.
    assert vp(parse_date("January", anchor=DAY)) == ("2023-01", "month")
    assert vp(parse_date("15 Jun", anchor=DateValue("2023-01-01", "day"))) == ("2022-06-15", "day")
    assert vp(parse_date("20 Dec", anchor=DateValue("2024-01-03", "day"))) == ("2023-12-20", "day")


def test_yearless_date_just_after_the_anchor_stays_in_its_year() -> None:
    assert vp(parse_date("7 Dec", anchor=DAY)) == ("2023-12-07", "day")
    assert vp(parse_date("2 Jan", anchor=DateValue("2023-12-30", "day"))) == ("2024-01-02", "day")


def test_yearless_date_with_coarse_anchor() -> None:
    assert vp(parse_date("9 Nov", anchor=YEAR)) == ("2023-11-09", "day")
    assert vp(parse_date("9 Nov", anchor=MONTH)) == ("2023-11-09", "day")
    assert vp(parse_date("30 Nov", anchor=MONTH)) == ("2023-11-30", "day")
    assert vp(parse_date("9 Oct", anchor=MONTH)) == ("2023-10-09", "day")
    assert vp(parse_date("9 Dec", anchor=MONTH)) == ("2022-12-09", "day")


def test_anchor_does_not_override_a_printed_year() -> None:
    assert vp(parse_date("9 Nov 2021", anchor=DAY)) == ("2021-11-09", "day")
    assert vp(parse_date("January 2022", anchor=DAY)) == ("2022-01", "month")


# --------------------------------------------------------------------------- ranges


def test_ranges_resolve_to_their_first_day() -> None:
    dv = parse_date("7-8 Nov", anchor=DAY)
    assert vp(dv) == ("2023-11-07", "day")
    assert dv.raw == "7-8 Nov"
    assert vp(parse_date("Nov 7-8, 2023")) == ("2023-11-07", "day")
    assert vp(parse_date("7–8 November 2023")) == ("2023-11-07", "day")
    assert vp(parse_date("30 Nov-2 Dec 2023")) == ("2023-11-30", "day")
    assert vp(parse_date("Nov 30 - Dec 2, 2023")) == ("2023-11-30", "day")
    # the year printed at the end belongs to the range's end
    assert vp(parse_date("28 Dec - 2 Jan 2024")) == ("2023-12-28", "day")


def test_range_in_text_keeps_its_raw_span() -> None:
    text = "Talks were held 7-8 Nov in Astana."
    [(start, end, dv)] = find_dates(text, anchor=DAY)
    assert text[start:end] == "7-8 Nov" == dv.raw
    assert vp(dv) == ("2023-11-07", "day")


# --------------------------------------------------------------------------- relative


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("yesterday", ("2023-12-04", "day")),
        ("today", ("2023-12-05", "day")),
        ("tomorrow", ("2023-12-06", "day")),
        ("the day before yesterday", ("2023-12-03", "day")),
        ("вчера", ("2023-12-04", "day")),
        ("two days ago", ("2023-12-03", "day")),
        ("3 days ago", ("2023-12-02", "day")),
        ("on Tuesday", ("2023-12-05", "day")),  # the anchor is a Tuesday
        ("on Monday", ("2023-12-04", "day")),
        ("Sunday", ("2023-12-03", "day")),
        ("last Tuesday", ("2023-11-28", "day")),
        ("next Monday", ("2023-12-11", "day")),
        ("last week", ("2023", "year")),  # 28 Nov .. 4 Dec crosses a month
        ("last month", ("2023-11", "month")),
        ("this month", ("2023-12", "month")),
        ("last year", ("2022", "year")),
        ("в прошлом году", ("2022", "year")),
        ("a month ago", ("2023-11", "month")),
        ("3 hours ago", ("2023-12", "month")),  # the anchor's time of day is unknown
    ],
)
def test_relative_dates_with_day_anchor(raw: str, expected: tuple[str, str]) -> None:
    dv = parse_date(raw, anchor=DAY)
    assert vp(dv) == expected
    assert dv.raw == raw


def test_relative_week_inside_one_month_is_month_precision() -> None:
    anchor = DateValue("2023-11-15", "day")  # a Wednesday
    assert vp(parse_date("last week", anchor=anchor)) == ("2023-11", "month")
    assert vp(parse_date("this week", anchor=anchor)) == ("2023-11", "month")
    assert vp(parse_date("two weeks ago", anchor=anchor)) == ("2023-11", "month")


def test_relative_dates_widen_to_coarse_anchors() -> None:
    assert vp(parse_date("yesterday", anchor=MONTH)) == ("2023", "year")  # 31 Oct .. 29 Nov
    assert vp(parse_date("yesterday", anchor=DateValue("2023-01", "month"))) == (None, None)
    assert vp(parse_date("last month", anchor=MONTH)) == ("2023-10", "month")
    assert vp(parse_date("last month", anchor=YEAR)) == (None, None)  # Dec 2022 .. Nov 2023
    assert vp(parse_date("last year", anchor=YEAR)) == ("2022", "year")
    assert vp(parse_date("yesterday", anchor=YEAR)) == (None, None)  # could be 31 Dec 2022


def test_relative_dates_without_anchor_are_unknown() -> None:
    for raw in ("yesterday", "last week", "on Tuesday", "two days ago", "last year"):
        dv = parse_date(raw)
        assert vp(dv) == (None, None), raw
        assert dv.raw == raw


# --------------------------------------------------------------------------- find_dates


def spans(text: str, **kw: object) -> list[tuple[str, str | None, str | None]]:
    return [(text[s:e], dv.value, dv.precision) for s, e, dv in find_dates(text, **kw)]  # type: ignore[arg-type]


def test_crisiswatch_compact_style() -> None:
    text = "Putin 9 Nov met with President Tokayev; 12-13 Nov talks resumed."
    hits = find_dates(text, anchor=DAY)
    assert [(s, e) for s, e, _ in hits] == [(6, 11), (40, 49)]
    assert text[6:11] == "9 Nov"
    assert text[40:49] == "12-13 Nov"
    assert [vp(dv) for *_, dv in hits] == [("2023-11-09", "day"), ("2023-11-12", "day")]


def test_find_dates_without_anchor_reports_unknown_values() -> None:
    hits = find_dates("Putin 9 Nov met with Tokayev.")
    assert len(hits) == 1
    assert vp(hits[0][2]) == (None, None)
    assert hits[0][2].raw == "9 Nov"


def test_find_dates_left_to_right_mixed_forms() -> None:
    text = (
        "On Tuesday, 9 November 2021, officials met; on 2023-02-17T10:00:00+05:00 a decree; "
        "in January 2022 protests; since 2014 tensions; yesterday and last Tuesday too."
    )
    assert spans(text, anchor=DAY) == [
        ("Tuesday, 9 November 2021", "2021-11-09", "day"),
        ("2023-02-17T10:00:00+05:00", "2023-02-17", "day"),
        ("January 2022", "2022-01", "month"),
        ("2014", "2014", "year"),
        ("yesterday", "2023-12-04", "day"),
        ("last Tuesday", "2023-11-28", "day"),
    ]


def test_find_dates_russian() -> None:
    text = "Встреча состоялась 1 марта 2024 г., а в марте 2023 года и вчера — нет."
    assert spans(text, anchor=DAY) == [
        ("1 марта 2024 г.", "2024-03-01", "day"),
        ("марте 2023 года", "2023-03", "month"),
        ("вчера", "2023-12-04", "day"),
    ]


def test_numbers_and_times_are_not_dates() -> None:
    text = (
        "The 4,500 mile pipeline. Results 1 to 10 of about 184. At 12:20:00 the 2024 summit "
        "opened; 2,000 troops; version 3.5.10; 45% of 1990 voters; room 2024."
    )
    assert find_dates(text, anchor=DAY) == []


def test_english_month_words_in_lower_case_are_not_dates() -> None:
    assert spans("They may march on 5 may; the sun rose.", anchor=DAY) == []
    assert spans("Theresa May said so.", anchor=DAY) == []
    assert spans("in May the vote", anchor=DAY) == [("May", "2023-05", "month")]


def test_bare_years_and_months_need_a_preposition() -> None:
    assert spans("The 2024 summit in March.", anchor=DAY) == [("March", "2023-03", "month")]
    assert spans("Growth since 2014 and in mid-2022.", anchor=DAY) == [
        ("2014", "2014", "year"),
        ("2022", "2022", "year"),
    ]


def test_find_dates_ambiguous_numeric_reported_unknown() -> None:
    [(start, end, dv)] = find_dates("Signed 01/03/2024 in Astana.")
    assert (start, end) == (7, 17)
    assert vp(dv) == (None, None)
    assert dv.raw == "01/03/2024"
    [(_, _, dv)] = find_dates("Signed 01/03/2024 in Astana.", day_first=True)
    assert vp(dv) == ("2024-03-01", "day")


def test_implausible_year_after_a_date_is_not_its_year() -> None:
    assert spans("On 9 Nov 1500 troops crossed.", anchor=DAY) == [("9 Nov", "2023-11-09", "day")]


def test_find_dates_is_fast() -> None:
    sentence = (
        "The president met the ambassador in Astana on Tuesday to discuss trade, energy and "
        "security on 9 Nov; officials said talks would continue next month after 1 March 2024. "
    )
    text = sentence * (5000 // len(sentence.split()) + 1)
    assert len(text.split()) >= 5000
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        hits = find_dates(text, anchor=DAY)
        best = min(best, time.perf_counter() - t0)
    assert len(hits) > 100
    # A guard against catastrophic regex backtracking only (seconds, not milliseconds): the
    # speed itself is measured in bench/ingest.py, never in a timed test on a shared machine.
    assert best < 1.0, f"find_dates took {best * 1000:.1f} ms on 5,000 words"


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/2024/02/17/kazakhstan-votes", ("2024-02-17", "day")),
        ("https://example.com/news/2024/02/", ("2024-02", "month")),
        ("https://example.com/news/2024/02/123456/title", ("2024-02", "month")),
        ("https://example.com/2024/kazakhstan-votes", ("2024", "year")),
        ("https://example.com/2024/story.html", ("2024", "year")),
        ("https://example.com/2024/", (None, None)),
        ("https://example.com/archive/2024", (None, None)),
        ("https://example.com/a/20240217/x", ("2024-02-17", "day")),
        ("https://example.com/news/2024-02-17-kazakhstan-votes", ("2024-02-17", "day")),
        ("https://example.com/p?date=2024-02-17", ("2024-02-17", "day")),
        ("https://example.com/1985/02/17/old-story", (None, None)),
        ("https://example.com/2999/02/17/future-story", (None, None)),
        ("https://example.com/2024/13/", (None, None)),
        ("https://24.kz/ru/news/123", (None, None)),
        ("example.com/2024/02/17/x", ("2024-02-17", "day")),
        ("", (None, None)),
    ],
)
def test_date_from_url(url: str, expected: tuple[str | None, str | None]) -> None:
    assert vp(date_from_url(url)) == expected


# --------------------------------------------------------------------------- locale


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("bbc.co.uk", True),
        ("https://www.inform.kz/ru/news/1", True),
        ("lemonde.fr", True),
        ("ria.ru", True),
        ("news.bbc.co.uk", True),
        ("crisisgroup.org", True),
        ("International Crisis Group", True),
        ("The Guardian", True),
        ("BBC News", True),
        ("nytimes.com", False),
        ("The New York Times", False),
        ("state.gov", False),
        ("example.com", None),
        ("example.org", None),
        ("xinhuanet.cn", None),  # year-first
        ("Unknown Gazette", None),
        ("", None),
        (None, None),
    ],
)
def test_locale_day_first(who: str | None, expected: bool | None) -> None:
    assert locale_day_first(who) is expected
