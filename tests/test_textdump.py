"""Text dumps: furniture out, metadata in, one item per teaser, one item per article."""

from __future__ import annotations

import re

import pytest

from conftest import corpus_file
from steppe.extract import extract_document
from steppe.extract.boilerplate import is_boilerplate
from steppe.extract.textdump import read_text_dump
from steppe.model import RawDocument

FURNITURE = re.compile(
    r"cookies|inbox|click here|printable version|^\|\w|content area|full text|1 to 10 of|legacy website",
    re.IGNORECASE | re.MULTILINE,
)


def read(path):
    raw = RawDocument(source=str(path), data=path.read_bytes(), content_type="text/plain")
    return extract_document(raw)


def check_spans(page):
    for item in page.items:
        assert item.spans, item
        assert "\n".join(page.text[s.start:s.end] for s in item.spans) == item.text


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_corpus_items_carry_no_furniture_and_slice_back(prefix):
    page = read(corpus_file(prefix))
    assert page.items
    check_spans(page)
    for item in page.items:
        assert not FURNITURE.search(item.text), (prefix, item.text[:120])
        assert not FURNITURE.search(item.title or "")


def test_carnegie_listing_is_one_item_per_teaser():
    path = corpus_file("000")
    page = read(path)
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    assert page.kind == "listing"
    assert len(page.items) == len(lines) - 1  # every line but the site banner
    assert {i.kind for i in page.items} <= {"teaser", "episode"}
    assert any(i.kind == "episode" for i in page.items)
    assert all(i.published is None for i in page.items)  # nothing on the page dates them
    assert page.publisher and "Carnegie" in page.publisher


def test_search_page_is_one_item_per_result_without_counter():
    page = read(corpus_file("002"))
    assert page.kind == "search"
    assert len(page.items) == 10
    assert all(i.kind == "result" for i in page.items)


def test_chatham_comment_plus_feed_entries():
    page = read(corpus_file("001"))
    assert page.kind == "mixed"
    article = page.items[0]
    assert article.kind == "article"
    assert article.title.startswith("Russia’s influence in Kazakhstan")
    assert article.title not in article.text
    assert article.url == "https://www.chathamhouse.org/2024/02/russias-influence-kazakhstan-increasing-despite-war-ukraine"
    assert article.published == "2024-02" and article.published_precision == "month"
    assert "EXPERT COMMENT" not in article.text
    assert article.text.startswith("Some hoped")
    feed = page.items[1:]
    assert len(feed) == 8  # every dated title on the page
    assert all(i.title and i.published_precision == "day" for i in feed)
    first = feed[0]
    assert first.title == "The Gaza war is testing Hezbollah’s strategic capability"
    assert first.published == "2024-03-01"  # 29/02/2024 on the page proves day-first
    assert first.text.startswith("Hezbollah knows escalation")
    assert page.publisher == "Chatham House"


def test_academic_full_text_is_one_item():
    page = read(corpus_file("003"))
    assert page.kind == "article"
    assert len(page.items) == 1
    assert page.items[0].text.startswith(("INTRODUCTION", "At a minimum"))
    assert "KAZAKHSTANI-RUSSIAN RELATIONS BEFORE THE WAR" in page.items[0].text


def test_crisis_group_page_splits_qa_crisiswatch_podcasts_reports():
    page = read(corpus_file("004"))
    kinds = [i.kind for i in page.items]
    assert kinds.count("entry") == 1
    entry = next(i for i in page.items if i.kind == "entry")
    assert "Macron 1 Nov met with President Tokayev" in entry.text
    assert "Belarus 23 Nov hosted" in entry.text
    assert entry.text.startswith("France’s president sought")
    assert entry.published is None and entry.date_raw  # no year anywhere on the page
    assert kinds.count("episode") == 3
    qa = page.items[0]
    assert qa.kind == "teaser" and "In this Q&A" in qa.text
    assert page.publisher == "International Crisis Group"


def test_glued_timestamps_and_day_first_evidence():
    text = (
        "Latest analysis\n"
        "Sanctions bite in Central Asia03/04/2024 10:00:00\n"
        "Exporters reroute trade through Kazakhstan.\n"
        "Caspian transit grows29/03/2024 09:00:00\n"
        "The middle corridor gains volume.\n"
    )
    reading = read_text_dump(text)
    assert [i.title for i in reading.items] == ["Sanctions bite in Central Asia", "Caspian transit grows"]
    assert [i.published for i in reading.items] == ["2024-04-03", "2024-03-29"]


def test_ambiguous_numeric_dates_without_evidence_stay_null():
    text = (
        "More from us\n"
        "Sanctions bite in Central Asia03/04/2024 10:00:00\n"
        "Exporters reroute trade through Kazakhstan.\n"
        "Caspian transit grows02/04/2024 09:00:00\n"
        "The middle corridor gains volume.\n"
    )
    reading = read_text_dump(text)
    assert [i.published for i in reading.items] == [None, None]
    assert reading.items[0].date_raw.startswith("03/04/2024")


def test_boilerplate_cues_are_general():
    assert is_boilerplate("We use cookies to improve your experience on our website.")
    assert is_boilerplate("Sign up for our newsletter to get analysis in your inbox")
    assert is_boilerplate("Showing 11-20 of 532 results")
    assert is_boilerplate("|Home")
    assert not is_boilerplate("Kazakhstan's parliament approved the budget on Tuesday.")
    assert not is_boilerplate("Russia will not sign up to the treaty, Lavrov said.")


def test_article_with_title_and_paragraphs_stays_one_item():
    text = (
        "Kazakhstan hedges between Moscow and Beijing\n"
        "The government has signed deals with both neighbours this year, and officials insist"
        " that the balance is deliberate rather than forced by circumstances.\n"
        "Yet the room for manoeuvre is narrowing as sanctions on Russia tighten and Chinese"
        " lenders become more cautious about new exposure in the region.\n"
        "This leaves Astana looking west for investment, with mixed results so far.\n"
    )
    reading = read_text_dump(text)
    assert reading.kind == "article"
    assert len(reading.items) == 1
    assert reading.items[0].title == "Kazakhstan hedges between Moscow and Beijing"


def test_date_lines_and_bylines_date_items_and_stay_out_of_text():
    text = (
        "Analysis\n"
        "Astana courts Gulf investors\n"
        "12 March 2024\n"
        "Kazakhstan signed investment pledges with three Gulf states this week, officials said.\n"
        "Tashkent eyes Caspian route\n"
        "11 March 2024\n"
        "Uzbekistan wants a share of the middle corridor's freight, its transport minister said.\n"
    )
    reading = read_text_dump(text)
    assert [(i.title, i.published) for i in reading.items] == [
        ("Astana courts Gulf investors", "2024-03-12"), ("Tashkent eyes Caspian route", "2024-03-11")]
    assert all("2024" not in i.text for i in reading.items)


def test_article_with_byline_and_dateline():
    text = (
        "Kazakhstan's referendum and what comes next\n"
        "By Jane Analyst\n"
        "Published: 6 June 2022\n"
        "Voters approved amendments that trim presidential powers, at least on paper, after the"
        " unrest of January.\n"
        "The changes bar relatives of the president from senior posts and restore the"
        " constitutional court, which critics say will be tested soon.\n"
        "Moreover, parliament gains a larger say over the budget and the government.\n"
    )
    reading = read_text_dump(text)
    assert reading.kind == "article" and len(reading.items) == 1
    article = reading.items[0]
    assert article.published == "2022-06-06" and article.published_precision == "day"
    assert "Jane Analyst" not in article.text and article.text.startswith("Voters approved")
    assert article.title == "Kazakhstan's referendum and what comes next"


def test_untitled_news_copy_with_short_paragraphs_stays_one_article():
    text = (
        "Kazakhstan will keep exporting oil through the Caspian Pipeline Consortium, the energy minister said on Monday.\n"
        "He told reporters that talks with Moscow on transit fees had been constructive.\n"
        "Shipments fell in March after storm damage at the Novorossiysk terminal, according to the operator.\n"
        "Analysts said the route remains exposed to political risk.\n"
    )
    reading = read_text_dump(text)
    assert reading.kind == "article" and len(reading.items) == 1


def test_search_results_with_dates_and_read_more_links():
    text = (
        'Search results for "Kazakhstan"\n'
        "Showing 1-2 of 57 results\n"
        "Kazakhstan's Balancing Act\n"
        "Mar 1, 2024\n"
        "Astana keeps close ties with Moscow while courting Western investors and Chinese lenders.\n"
        "Read more\n"
        "The Caspian Route Gains Ground\n"
        "Feb 12, 2024\n"
        "Freight on the Middle Corridor doubled last year, but bottlenecks remain at Caspian ports.\n"
        "Read more\n"
        "© 2024 Example Institute. All rights reserved.\n"
    )
    reading = read_text_dump(text)
    assert reading.kind == "search"
    assert [(i.kind, i.title, i.published) for i in reading.items] == [
        ("result", "Kazakhstan's Balancing Act", "2024-03-01"),
        ("result", "The Caspian Route Gains Ground", "2024-02-12"),
    ]
    assert all("Read more" not in i.text and "rights" not in i.text for i in reading.items)
