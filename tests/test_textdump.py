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


# ---------------------------------------------------------------- cards by the page's period

TEASERS = [
    ("Parliament approves the new water tariff for the south",
     "Deputies voted after a long debate about the cost for farmers in the region.", "12 March 2024"),
    ("Central bank keeps its key rate unchanged again",
     "The bank said inflation was slowing but remained above its target this spring.", "11 March 2024"),
    ("Rail link to the border opens two months late",
     "The first train left the capital on Monday with officials and reporters on board.", "9 March 2024"),
    ("Teachers in three regions go on strike over pay",
     "Unions want salaries indexed to inflation and smaller classes in rural schools.", "8 March 2024"),
]


def browser_copy_listing() -> str:
    """A listing as "select all, copy" gives it: blank lines around titles, teasers and dates."""
    menu = "Home\nPolitics\nEconomy\nWorld\nAbout us\n"
    cards = "".join(f"\n{t}\n\n{s}\n\n{d}  /  3 comments\n\nJane Roe\n" for t, s, d in TEASERS)
    return f"{menu}\nLatest\n{cards}\nOlder posts\nPrivacy policy and cookie settings\n"


def test_browser_copy_listing_gives_one_teaser_per_card_with_dates():
    reading = read_text_dump(browser_copy_listing())
    assert reading.kind == "listing"
    assert [i.title for i in reading.items] == [t for t, _s, _d in TEASERS]
    assert [i.published for i in reading.items] == ["2024-03-12", "2024-03-11", "2024-03-09", "2024-03-08"]
    assert all(i.published_precision == "day" for i in reading.items)
    assert reading.items[0].text == TEASERS[0][1]


def test_hard_wrapped_markdown_listing_is_unwrapped_and_links_kept():
    # html2text style: Markdown headings with links, text wrapped at 78 columns (also inside URLs)
    import textwrap

    blocks = []
    for i, (t, s, d) in enumerate(TEASERS):
        head = f"## [{t}](https://news.example.org/2024/03/story-number-{i}-about-{t.split()[0].lower()})"
        blocks.append("\n".join(textwrap.wrap(head, 78, break_on_hyphens=True)))
        blocks.append("\n".join(textwrap.wrap(f"{s} {s}", 78)))
        blocks.append(d)
    reading = read_text_dump("  * [Home](/)\n  * [World](/world)\n\n" + "\n\n".join(blocks) + "\n")
    assert [i.title for i in reading.items] == [t for t, _s, _d in TEASERS]
    assert reading.items[0].url == "https://news.example.org/2024/03/story-number-0-about-parliament"
    for item in reading.items:
        assert item.published and item.date_raw


def test_numbered_search_results_are_results():
    lines = ["Search results for water", ""]
    for n, (t, s, _d) in enumerate(TEASERS, 1):
        lines += [f"{n}. {t}", s, ""]
    reading = read_text_dump("\n".join(lines))
    assert reading.kind == "search"
    assert [i.title for i in reading.items] == [t for t, _s, _d in TEASERS]
    assert {i.kind for i in reading.items} == {"result"}


def test_article_sections_are_not_cards():
    paras = [LONG_PARAGRAPH.format(n=n) for n in range(6)]
    body = "\n\n".join(f"Section heading number {n} of the report\n\n{p}\n\n{p}\n\n{p}"
                         for n, p in enumerate(paras))
    reading = read_text_dump(f"Why the water talks failed again this year\n\n{body}\n")
    assert reading.kind == "article"
    assert {i.kind for i in reading.items} == {"article"}


def test_menus_tag_lists_and_breadcrumbs_are_not_cards():
    menu = "\n".join(["Home", "News", "Sport", "Weather", "Video", "Culture", "Business"])
    tags = "\n".join(f"Region {c} (12)" for c in "ABCDEFG")
    crumbs = "\n".join(f"Country -> Province {c} -> District {c}" for c in "ABCDEFG")
    reading = read_text_dump(f"{menu}\n\n{tags}\n\n{crumbs}\n\n{LONG_PARAGRAPH.format(n=1)}\n")
    assert not [i for i in reading.items if i.kind != "article"]


LONG_PARAGRAPH = (
    "The negotiators met for the {n}th time in the capital, and again they could not agree on how "
    "much water each country may take from the river in the dry months, which matters most to the "
    "farmers downstream; the ministers blamed each other, and the observers said a deal is far off."
)


# ---------------------------------------------------------------- issue 13: listing dumps

STORIES = [
    "Parliament approves the new water tariff for the south",
    "Central bank keeps its key rate unchanged again",
    "Rail link to the border opens two months late",
    "Teachers in three regions go on strike over pay",
    "Storm cuts power to thousands of homes overnight",
]


def test_bylines_with_clock_times_and_relative_dates_are_date_lines():
    from steppe.extract.textcards import is_byline

    for line in ("Jane Roe today at 10:32", "68 points by jroe 3 hours ago | 12 comments",
                 "vor 2 Stunden", "12 March 2024 · Jane Roe", "gestern, 18:05"):
        assert is_byline(line), line
    for line in ("Parliament approves the new water tariff for the south",
                 "12 March 2024 Parliament approves the new water tariff",
                 "What happened yesterday in parliament?"):
        assert not is_byline(line), line


def test_byline_above_each_title_dates_its_own_card():
    # a feed where each card opens with "author  today at HH:MM", then title, tags and teaser
    cards = "".join(f"author{n} today at 1{n}:05\n\n{t}\n\nTopic one,\nTopic two\n\n"
                    f"A short teaser about story {n} that runs on for a sentence or two here.\n\n"
                    f"Read more\n+{n}\n" for n, t in enumerate(STORIES))
    reading = read_text_dump("Home\nNews\nJobs\n\n" + cards + "\nPrivacy policy and cookie settings\n")
    assert [i.title for i in reading.items] == STORIES
    assert [i.date_raw for i in reading.items] == [f"author{n} today at 1{n}:05" for n in range(5)]


def test_markdown_table_rows_are_read_cell_by_cell():
    # html2text writes a table of ranked links: rank cell, empty vote link, title link (site)
    rows = ["[Home](/) | [new](/new) | [ask](/ask)", "---|---|---"]
    for n, t in enumerate(STORIES, 1):
        rows.append(f"|  {n}\\.  |  [ ](vote?id={n}) |  [ {t} ](https://site{n}.example.com/a) "
                    f"(site{n}.example.com)  ")
        rows.append(f"|  {10 * n} points by user{n} {n} hours ago | [ {n} comments ](item?id={n})  ")
    reading = read_text_dump("\n".join(rows) + "\n")
    assert [i.title for i in reading.items] == STORIES
    assert [i.url for i in reading.items] == [f"https://site{n}.example.com/a" for n in range(1, 6)]
    assert reading.items[0].date_raw == "10 points by user1 1 hours ago | 1 comments"


def test_title_printed_again_under_its_teaser_is_one_card():
    cards = "".join(f"\n{t}\n\nThe teaser of story {n} says what happened and why it matters.\n\n"
                    f"Section {n}\n{t}\n" for n, t in enumerate(STORIES))
    reading = read_text_dump("Home\nNews\nSport\n" + cards)
    assert [i.title for i in reading.items] == STORIES


def test_tag_links_run_together_are_not_titles():
    tags = "Agriculture Armament Asylum Banking Budget Climate Defence Education Elections"
    cards = "".join(f"\n{t}\n\n12 March 2024\n" for t in STORIES)
    reading = read_text_dump(f"{tags}\n{cards}\n{tags}\n")
    assert [i.title for i in reading.items] == STORIES


def test_teaser_lines_without_full_stops_are_teasers_of_the_title_above():
    teasers = ["Deputies voted late at night after a long debate about what farmers will pay",
               "The bank said inflation was slowing but remained well above its target this spring",
               "The first train left the capital on Monday with officials and reporters on board",
               "Unions want salaries indexed to inflation and smaller classes in all the rural schools",
               "Crews worked through the night to restore the lines in the northern districts"]
    cards = "".join(f"\n{t}\n\n{s}\n" for t, s in zip(STORIES, teasers, strict=True))
    menu = "Home | Video | World | Business | Sport | Culture"
    reading = read_text_dump(f"{menu}\n{cards}\n{menu}\n")
    assert [i.title for i in reading.items] == STORIES
    assert reading.items[0].text == teasers[0]


def test_contact_lines_credits_and_site_suffixes():
    from steppe.extract.textcards import units_of

    shapes = {u.text: u.shape for u in units_of(
        "Telefon: 0800 400 200 00\n\nservice@example.org\n\nHarbour at dawn © Photo Agency / J. Roe\n\n"
        "Rust compiler gets a faster borrow checker (example.com)\n\nPython release notes (3.12)\n")}
    assert shapes["Telefon: 0800 400 200 00"] == "S"
    assert shapes["service@example.org"] == "S"
    assert shapes["Harbour at dawn © Photo Agency / J. Roe"] == "S"
    assert shapes["Rust compiler gets a faster borrow checker"] == "T"
    assert "Python release notes (3.12)" in shapes


def test_text_the_template_glues_to_every_title_is_not_title():
    note = "You have visited this link before"
    # lines of every length: not a hard-wrapped dump
    cards = "".join(f"{t}{note}\nhttps://site{n}.example.com/page\n"
                    f"The snippet of result {n} explains what the page says{' and more' * (8 * n)}.\n"
                    for n, t in enumerate(STORIES))
    reading = read_text_dump("Web\nImages\nVideos\nNews\n" + cards)
    assert [i.title for i in reading.items] == STORIES


# ---------------------------------------------------------------- issue 13: dump quality

MORE_STORIES = [
    "Harbour cranes stand idle as dockers walk out",
    "New bus lanes planned along the river road",
    "Museum reopens its east wing after repairs",
    "Farmers count the cost of the late spring frost",
    "City council delays vote on the stadium plan",
    "Hospital opens a night clinic for children",
]


def test_first_item_under_a_list_header_is_a_card_despite_its_blank_line():
    # innerText: a section header, a blank line, then one headline a line with no blank between
    intro = "The weekly paper of the valley, with news from the towns and the farms, " * 3
    page = (f"Home\nNews\n\n{intro}\n\nMOST READ\n\n" + "\n".join(STORIES + MORE_STORIES[:2])
            + "\n\nAbout us\nContact\n")
    assert [i.title for i in read_text_dump(page).items] == STORIES + MORE_STORIES[:2]


def test_markdown_links_with_bracketed_kickers_and_quoted_link_titles():
    from steppe.extract.textcards import units_of

    units = units_of('  * [ [Weekly] Harbour cranes stand idle as dockers walk out ](/a/1)\n'
                     '  * [ Play Video The "night" clinic opens for children ](/v/2 "The "night" clinic")\n')
    assert [(u.text, u.url) for u in units] == [
        ("[Weekly] Harbour cranes stand idle as dockers walk out", "/a/1"),
        ('Play Video The "night" clinic opens for children', "/v/2")]


def test_headline_ending_in_a_relative_date_is_a_dated_title():
    from steppe.extract.textcards import units_of

    units = units_of("부산 항만 크레인 멈춰 서고 노동자들 파업 돌입 4시간전\n\n"
                     "The council votes to close the old bridge for a year 3 hours ago\n\n"
                     "Jane Roe 3 hours ago\n")
    assert [(u.shape, u.title, u.date_raw) for u in units] == [
        ("G", "부산 항만 크레인 멈춰 서고 노동자들 파업 돌입", "4시간전"),
        ("G", "The council votes to close the old bridge for a year", "3 hours ago"),
        ("D", None, "Jane Roe 3 hours ago")]


def test_bullet_list_with_a_blank_line_above_some_items_is_one_list():
    # html2text puts a blank line above the first bullet of a list and above each list it starts
    items = [f"  * [{t}](/news/{n})" for n, t in enumerate(STORIES + MORE_STORIES[:2])]
    page = "## Popular\n\n" + "\n".join(items[:4]) + "\n\n" + "\n".join(items[4:]) + "\n\n## About us\n"
    assert [i.title for i in read_text_dump(page).items] == STORIES + MORE_STORIES[:2]


def test_feed_posts_opened_by_bylines_with_long_teasers_and_many_tags():
    # a blog feed: byline, title, topic tags, a teaser of a hundred words, "read more", counters
    teaser = ("The author explains in some detail how the project started, which tools were "
              "tried and dropped, what the first users said about it and why the second version "
              "took twice as long as planned. ") * 3
    tags = "\n".join(f"Topic {chr(65 + k)}," for k in range(6))
    posts = "".join(f"user{n} today at 2{n}:05\n\n{t}\n\n{tags}\n\n{teaser}\n\nRead more\n+{n}\n{300 + n}\n"
                    f"{n}\n" for n, t in enumerate(STORIES))
    reading = read_text_dump("Home\nNews\nJobs\n\n" + posts + "\nPrivacy policy and cookie settings\n")
    assert [i.title for i in reading.items] == STORIES
    assert [i.date_raw for i in reading.items] == [f"user{n} today at 2{n}:05" for n in range(5)]


def test_kicker_over_a_heading_headline_under_a_date_line():
    from steppe.extract.textunits import title_at, units_of

    units = units_of("Posted on 10 March 2024\n\nLocal news from the valley\n\n## " + STORIES[0]
                     + "\n\nA teaser of the story, which says what happened.\n")
    assert [u.shape for u in units] == ["D", "T", "T", "P"]
    assert units[title_at(units, [0, 1, 2, 3])].text == STORIES[0]


def test_period_pairs_teasers_without_full_stops_with_their_titles():
    # a browser copy of a gallery listing: short title, a teaser with no full stop (shorter
    # than a pairing of title and teaser by length alone accepts), a byline longer than twelve
    # words; a list of bare titles follows the cards
    titles = ["Water tariff approved", "Key rate unchanged", "Rail link opens late", "Teachers go on strike",
              "Storm cuts power"]
    teasers = ["Farmers in the south will pay more", "The bank waits for the spring figures",
               "Two months after the planned date", "Schools close in three regions today",
               "Thousands of homes lose power overnight"]
    cards = "".join(f"{t}\n\n{teasers[n]}\n\nOn Mar {n + 1}, 2019 5:2{n} PM EST Entertainment {20 + n} Photos\n\n"
                    for n, t in enumerate(titles))
    reading = read_text_dump("News\nWorld\nSport\n\n" + cards + "Latest videos\n\n"
                             + "".join(f"{t}\n\n" for t in MORE_STORIES))
    assert [i.title for i in reading.items] == titles + MORE_STORIES
    assert [i.text for i in reading.items][:5] == teasers
    assert [i.date_raw for i in reading.items][:5] == [
        f"On Mar {n + 1}, 2019 5:2{n} PM EST Entertainment {20 + n} Photos" for n in range(5)]


def test_search_results_with_repeated_labels_and_bare_addresses():
    # a search page copied from a browser: title, "Translate this page", the result's address
    # without a scheme, its snippet
    results = "".join(f"{t}\n\nTranslate this page\nexample{n}.org/news/item-{n}\n\n"
                      f"A snippet of the page that says what the story is about, in a sentence.\n\n"
                      for n, t in enumerate(STORIES))
    reading = read_text_dump("Web\nImages\nVideos\n\n" + results + "Pagination\n\n1\n2\n3\n")
    assert [i.title for i in reading.items] == STORIES


def test_lines_led_by_counting_numbers_are_a_ranked_list():
    ranked = "\n".join(f"  * [ _{n + 1}_ {t} ](/news/{n})" for n, t in enumerate(STORIES[:3]))
    reading = read_text_dump("## Most read\n\n" + ranked + "\n\n## About us\n\nImprint\n")
    assert [i.title for i in reading.items] == STORIES[:3]


def test_periodic_runs_with_stand_ins():
    from steppe.extract.textperiod import periodic_runs

    classes = ["h", "x", "s", "x", "s", "x", "s", "x", "s", "p", "p"]
    assert [(r.start, r.end, r.period) for r in periodic_runs(classes, 4)] == [(1, 9, 2)]
    # a long label standing in a label slot keeps the period only when allowed to
    classes[4] = "x"
    assert [(r.start, r.end) for r in periodic_runs(classes, 4)] == [(5, 9)] or periodic_runs(classes, 4) == []
    runs = periodic_runs(classes, 4, alike=lambda line, slot, _steady: (line, slot) == ("x", "s"))
    assert [(r.start, r.end, r.layout) for r in runs] == [(1, 9, ("x", "s"))]


def _product(name: str, maker: str, price: str) -> str:
    return (f"{name}\n\nOrigin:\nRioja, Spain\nMaker:\n{maker}\n\nAged for two years, six months of them in "
            f"oak barrels, before it is bottled and sold by the estate itself.\n"
            f"Alcohol:\n13.5 %\nmore...\n{price}\nper 0.75 l\n\nQuantity:\n\nadd to list\n\n")


def test_long_product_cards_are_found_by_their_template_labels():
    """Cards of a dozen and more lines with no dates and no head line of one look: read by the
    label lines every card prints ("Origin:", "add to list"), the name a fixed distance above."""
    products = [("2007 Leukade Tinto", "La Encina", "27.00 EUR"), ("1997 Aurus Reserva", "Finca Allende", "95.00 EUR"),
                ("2016 Artuke Joven", "Bodegas Artuke", "8.25 EUR"), ("2010 Ostatu Crianza", "Bodegas Ostatu", "12.50 EUR")]
    text = "Red wines from Rioja\n\nSort by price\n\n" + "".join(_product(*p) for p in products) + "Imprint\n"
    reading = read_text_dump(text)
    cards = [i for i in reading.items if i.kind != "article"]
    assert [c.title for c in cards] == [p[0] for p in products]


def test_menu_sections_with_a_label_each_are_no_cards():
    """A mega-menu prints each section's links and one "more..." line: the section heading is
    no card title."""
    sections = ["Education and schools", "Business and work", "City planning", "Culture and leisure"]
    pages = ["Schools", "Holidays", "Maps", "Grants", "Courses", "Libraries", "Advice"]
    text = "".join(s + "\n\n" + "\n".join(f"{p} {n}" for p in pages) + "\nmore...\n\n"
                   for n, s in enumerate(sections))
    reading = read_text_dump(text)
    assert not any((i.title or "") in sections for i in reading.items if i.kind != "article")


def test_a_whole_card_printed_as_one_link_is_cut_at_its_date():
    """html2text prints a link wrapping kicker, headline, date and teaser as one line: the
    text before the date is the card's title."""
    stories = [("Climate", "Foreign policy puts partnerships first", "/a"),
               ("Energy", "Renewables need a building offensive", "/b"),
               ("Transport", "Rail freight doubles on the northern line", "/c"),
               ("Housing", "City council agrees on rent brake rules", "/d")]
    text = "## More on climate\n\n" + "".join(
        f"[ {k} {t} 01.09.2021 We want the parliament to act on this soon, and we say how it can "
        f"be done. ]({u})\n\n" for k, t, u in stories)
    reading = read_text_dump(text)
    titles = [i.title for i in reading.items if i.kind != "article"]
    assert titles == [f"{k} {t}" for k, t, _ in stories]


def test_search_results_are_read_from_their_addresses():
    """A results page copied out of a browser: title, site name, address (the site name and
    address printed twice), snippet; a result's sitelinks and the "People also ask" lines
    between results are no results."""
    results = [("The best things to do in Paris this spring", "Travel Weekly", "travelweekly.com"),
               ("Paris museums you should not miss", "Museum Guide", "museumguide.org"),
               ("Walking tours of the old city centre", "City Walks", "citywalks.net"),
               ("Where to eat near the Louvre tonight", "Food Finder", "foodfinder.fr")]
    blocks = []
    for title, site, host in results:
        blocks.append(f"{title}\n{site}\nhttps://www.{host} › paris › guide\n{site}\n"
                      f"https://www.{host} › paris › guide\nMar 3, 2023 — A snippet that tells what the page "
                      f"says about {title.lower()} and more.\nMusée du Louvre\nJardin du Luxembourg\n")
    text = "About 1,200,000 results\n\n" + "\n".join(blocks) + "\nPeople also ask\nIs Paris expensive?\n"
    reading = read_text_dump(text, source_url="https://www.google.com/search?q=paris")
    titles = [i.title for i in reading.items if i.kind != "article"]
    assert titles == [r[0] for r in results]


def test_compact_relative_dates_and_labelled_dates_are_date_lines():
    from steppe.extract.textunits import units_of

    lines = ["By Reid Wilson and Lisa Hagen 3h ago 19", "Administration 10/29/18",
             "Dems seek to expand House fight one week before midterms"]
    assert [u.shape for u in units_of("\n\n".join(lines))] == ["D", "D", "T"]


def test_bylines_of_several_authors_with_their_time_glued_on():
    from steppe.extract.textunits import units_of

    lines = ["By JONATHAN J. COOPER, AMY TAXIN and REBECCA BOONE", "By DON THOMPSON and JOCELYN GECKER51 minutes ago",
             "By KRYSTA FAURIA and JONATHAN J. COOPERan hour ago", "By the way, nobody asked the voters about this plan"]
    assert [u.shape for u in units_of("\n\n".join(lines))] == ["D", "D", "D", "T"]
