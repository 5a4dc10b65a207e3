"""Teaser cards and page kinds on synthetic pages (one per markup family)."""

from __future__ import annotations

import gzip
import json
import time
from collections import Counter
from pathlib import Path

import pytest

from steppe.extract.cards import Card, CardsResult, find_cards

NAV = """
<header class="site-header"><a href="/">Logo</a>
  <nav><ul><li><a href="/politics">Politics</a></li><li><a href="/economy">Economy</a></li>
  <li><a href="/world">World</a></li><li><a href="/culture">Culture</a></li></ul></nav>
</header>"""
FOOTER = """
<footer><ul><li><a href="/about">About this website and its team</a></li>
  <li><a href="/privacy">Privacy policy and cookie settings</a></li>
  <li><a href="/terms">Terms and conditions of use</a></li>
  <li><a href="/contact">Contact the editorial team</a></li></ul></footer>"""

LOREM = ("The regional parliament debated the new budget for several hours on Tuesday, "
         "and the opposition demanded more money for schools, hospitals and roads in the north. ")


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head><title>T</title>{head}</head><body>{NAV}{body}{FOOTER}</body></html>"


def article_cards() -> str:
    posts = "".join(f"""
      <article class="post post-{i}">
        <header><h2 class="entry-title"><a href="/2024/05/0{i}/story-{i}/">Minister announces plan number {i} for the region</a></h2>
          <div class="entry-meta"><time datetime="2024-05-0{i}">May {i}, 2024</time> by <span class="author">Jane Roe</span></div>
        </header>
        <div class="entry-summary"><p>Teaser {i}: the minister said the plan would cost less than expected and start next year.</p></div>
        <a class="more-link" href="/2024/05/0{i}/story-{i}/">Read more</a>
      </article>""" for i in range(1, 6))
    return page(f'<main class="site-main"><h1>Politics</h1>{posts}<div class="pagination">'
                '<a href="/page/2">2</a><a href="/page/3">3</a><a href="/page/4">4</a></div></main>')


def test_article_elements_make_a_listing() -> None:
    result = find_cards(article_cards(), url="https://news.example.org/category/politics/")
    assert isinstance(result, CardsResult)
    assert result.kind == "listing"
    assert len(result.cards) == 5
    first = result.cards[0]
    assert isinstance(first, Card)
    assert first.title == "Minister announces plan number 1 for the region"
    assert first.url == "https://news.example.org/2024/05/01/story-1/"
    assert first.date_raw == "2024-05-01"
    assert first.author == "Jane Roe"
    assert first.text.startswith("Teaser 1: the minister said")
    assert "Read more" not in first.text and "Minister announces" not in first.text
    assert first.kind == "teaser"


def test_li_with_h3_links_and_dates() -> None:
    items = "".join(f"""
      <li class="item"><span class="date">{10 + i}.03.2024</span>
        <h3><a href="news/{i}.html">Floods force hundreds to leave villages in district {i}</a></h3>
        <p>Rescue teams worked through the night as the river rose again in district {i}.</p></li>"""
                    for i in range(4))
    result = find_cards(page(f'<div id="content"><ul class="news">{items}</ul></div>'),
                        url="https://example.kz/ru/news/")
    assert result.kind == "listing"
    assert [c.url for c in result.cards] == [f"https://example.kz/ru/news/news/{i}.html" for i in range(4)]
    assert result.cards[2].date_raw == "12.03.2024"
    assert result.cards[2].text == "Rescue teams worked through the night as the river rose again in district 2."


def test_card_grid_in_rows_of_two_with_whole_card_links() -> None:
    # rows of two: the cards are siblings of only one other card, grouped by DOM path
    rows = "".join(f"""
      <div class="row">{''.join(f'''
        <div class="col"><a class="card" href="/stories/{r * 2 + c}">
          <img src="/img/{r * 2 + c}.jpg" alt="">
          <h3 class="card-title">Story {r * 2 + c}: a new bridge opens across the river</h3>
          <p class="card-text">Local traders expect more customers once the bridge carries traffic in both directions.</p>
        </a></div>''' for c in range(2))}
      </div>""" for r in range(3))
    result = find_cards(page(f'<section class="grid">{rows}</section>'), url="https://example.org/")
    assert result.kind == "listing"
    assert len(result.cards) == 6
    assert result.cards[5].title == "Story 5: a new bridge opens across the river"
    assert result.cards[5].url == "https://example.org/stories/5"
    assert result.cards[5].text.startswith("Local traders expect")


def search_page(counter: str) -> str:
    results = "".join(f"""
      <div class="result"><h4><a href="https://docs.example.net/r{i}">Water tariffs in the region: report {i}</a></h4>
        <cite>docs.example.net/r{i}</cite>
        <p class="snippet">The report on <b>water tariffs</b> shows prices rose by {i} percent in rural areas last year.</p></div>"""
                      for i in range(4))
    return page(f'<div class="results"><p class="count">{counter}</p>{results}</div>')


def test_search_page_by_url_query() -> None:
    result = find_cards(search_page(""), url="https://example.org/find?q=water+tariffs")
    assert result.kind == "search"
    assert len(result.cards) == 4
    assert {c.kind for c in result.cards} == {"result"}
    assert result.cards[0].url == "https://docs.example.net/r0"


def test_search_page_by_results_counter() -> None:
    result = find_cards(search_page("Results 1 to 10 of about 184"), url="https://example.org/found")
    assert result.kind == "search"
    assert result.cards[1].title == "Water tariffs in the region: report 1"


def article_body() -> str:
    return "".join(f"<p>{LOREM * 2} Paragraph {i}.</p>" for i in range(6))


def test_mixed_article_with_latest_news_sidebar() -> None:
    latest = "".join(f"""
      <li><a href="/news/{i}">Court rejects appeal in land dispute case {i}</a>
        <span class="time">{i + 1} hours ago</span></li>""" for i in range(5))
    html = page(f"""
      <main><article class="story"><h1>Budget debate runs late</h1>{article_body()}</article></main>
      <aside class="sidebar"><h2>Latest news</h2><ul class="latest">{latest}</ul></aside>""")
    result = find_cards(html, url="https://example.org/politics/budget-debate-runs-late-into-the-night")
    assert result.kind == "mixed"
    assert len(result.cards) == 5
    assert all(c.kind == "entry" for c in result.cards)
    assert result.cards[0].date_raw == "1 hours ago"
    assert not any("Budget debate" in (c.title or "") for c in result.cards)


def test_plain_article_with_menus_and_link_lists_has_no_cards() -> None:
    menu = "".join(f'<li><a href="/s/{w}">{w}</a></li>' for w in ("Home", "News", "Sport", "Weather", "Video"))
    links = "".join(f'<li><a href="/p/{i}">Useful page number {i}</a></li>' for i in range(6))
    html = page(f"""
      <div class="menu"><ul>{menu}</ul></div>
      <main><h1>Budget debate runs late</h1>{article_body()}</main>
      <div class="bottom"><ul>{links}</ul></div>
      <div id="site-footer"><ul>{''.join(f'<li><a href="/x{i}">Imprint and legal notice {i}</a></li>' for i in range(5))}</ul></div>""")
    result = find_cards(html, url="https://example.org/politics/budget-debate-runs-late-into-the-night")
    assert result == CardsResult("article", [])
    assert find_cards(html).kind == "article"  # same without a URL


def test_tag_cloud_and_share_bar_are_not_cards() -> None:
    tags = "".join(f'<a href="/tag/{i}" class="tag">European Union policy topic {i}</a> ' for i in range(8))
    share = "".join(f'<li><a href="https://share.example/{n}">Share this story on {n} now</a></li>'
                    for n in ("Facebook", "Twitter", "Telegram", "WhatsApp"))
    html = page(f"""<main><h1>Budget debate runs late</h1>{article_body()}
      <div class="share-bar"><ul>{share}</ul></div><div class="tagcloud">{tags}</div></main>""")
    assert find_cards(html).kind == "article"


def test_relative_links_resolve_against_base_href() -> None:
    items = "".join(f"""<div class="teaser"><h2><a href="item-{i}.html">Election commission publishes turnout for region {i}</a></h2>
        <p>Turnout in region {i} was higher than at the last election, the commission said.</p></div>"""
                    for i in range(3))
    html = page(items, head='<base href="/archive/2023/">')
    result = find_cards(html, url="https://example.org/news/index.html")
    assert [c.url for c in result.cards] == [f"https://example.org/archive/2023/item-{i}.html" for i in range(3)]


def test_flat_heading_listing_without_wrappers() -> None:
    body = "".join(f"""<h2><a href="/a/{i}">Parliament passes law on local elections, part {i}</a></h2>
        <p class="date">2 June 2023</p><p>The law changes how mayors are chosen in {i} provinces.</p>"""
                   for i in range(4))
    result = find_cards(page(f'<div class="content">{body}</div>'), url="https://example.org/blog/")
    assert result.kind == "listing"
    assert len(result.cards) == 4
    assert result.cards[3].date_raw == "2 June 2023"
    assert result.cards[3].text == "The law changes how mayors are chosen in 3 provinces."


def test_podcast_episodes() -> None:
    eps = "".join(f"""<div class="episode"><h3><a href="/ep/{i}">Episode {i}: what the new coalition means</a></h3>
        <p>We talk to two analysts about the coalition talks and what comes next.</p>
        <audio src="/media/ep{i}.mp3" controls></audio><span>42 min</span></div>""" for i in range(3))
    result = find_cards(page(f"<main>{eps}</main>"), url="https://example.org/podcast/")
    assert result.kind == "listing"
    assert [c.kind for c in result.cards] == ["episode"] * 3


def test_bytes_input_with_declared_charset() -> None:
    html = article_cards().replace("Minister announces plan number 1", "Minister kündigt Plan 1").replace(
        "<head>", '<head><meta charset="iso-8859-1">')
    result = find_cards(html.encode("iso-8859-1"), url="https://news.example.org/category/politics/")
    assert result.cards[0].title == "Minister kündigt Plan 1 for the region"


def test_empty_and_broken_input() -> None:
    assert find_cards("") == CardsResult("article", [])
    assert find_cards(b"\x00\x01 not html").kind == "article"
    assert find_cards("<p>just one line</p>").cards == []


def test_large_listing_is_fast() -> None:
    items = "".join(f"""<article class="teaser"><h2><a href="/n/{i}">Headline number {i} about regional politics</a></h2>
        <time datetime="2024-01-01">1 Jan</time><p>{LOREM}</p></article>""" for i in range(200))
    html = page(f"<main>{items}</main>")
    find_cards(html)
    start = time.perf_counter()
    result = find_cards(html)
    assert len(result.cards) == 200
    assert time.perf_counter() - start < 0.5  # generous: shared CI machines


EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "extraction-trafilatura"


def test_smoke_on_trafilatura_eval_pages() -> None:
    """Articles should rarely come out as listings (data is third-party: skipped when absent)."""
    if not (EVAL / "annotations.json").exists():
        pytest.skip("../shared/eval/extraction-trafilatura is absent")
    annotations = json.loads((EVAL / "annotations.json").read_text(encoding="utf-8"))
    kinds: Counter[str] = Counter()
    for url, ann in list(annotations.items())[:60]:
        path = EVAL / "pages" / f"{ann['file']}.gz"
        if path.exists():
            result = find_cards(gzip.decompress(path.read_bytes()), url=url)
            assert result.kind in ("article", "listing", "search", "mixed")
            kinds[result.kind] += 1
    assert sum(kinds.values()) > 0


def test_article_with_product_box_and_self_links_stays_an_article() -> None:
    # a spec box of shop links (other sites, no dates) and an FAQ of in-page anchors are
    # furniture of the article, not a feed of other stories
    products = "".join(f"""
      <div class="product"><h3><a href="https://shop.example.com/item/{i}?tag=aff">Spinning rod model {i} deluxe</a></h3>
        <p>Length 2.40 m, weight 140 g, casting weight 10-30 g, two sections, cork handle {i}.</p></div>"""
                       for i in range(4))
    faq = "".join(f"""
      <div class="faq"><h3><a href="#faq-{i}">How do I choose rod number {i} for pike?</a></h3>
        <p>Pick a rod that matches the lure weight you plan to cast most often in the season {i}.</p></div>"""
                  for i in range(4))
    html = page(f"""<main><article class="story"><h1>Testing five spinning rods</h1>{article_body()}
      </article><section class="products">{products}</section><section>{faq}</section></main>""")
    result = find_cards(html, url="https://angling.example.org/tests/testing-five-spinning-rods")
    assert result.kind == "article"
    assert result.cards == []


def test_mixed_feed_needs_three_distinct_dated_or_teased_stories() -> None:
    # two real stories plus a link back to the page itself: not enough for a feed
    latest = "".join(f"""
      <li><a href="/news/{slug}">Court rejects appeal in land dispute case {i}</a>
        <span class="time">{i + 1} hours ago</span></li>"""
                     for i, slug in enumerate(["land-case-1", "land-case-2", "budget-debate-runs-late"]))
    html = page(f"""
      <main><article class="story"><h1>Budget debate runs late</h1>{article_body()}</article></main>
      <aside class="sidebar"><h2>Latest news</h2><ul class="latest">{latest}</ul></aside>""")
    result = find_cards(html, url="https://example.org/news/budget-debate-runs-late")
    assert result.kind == "article"


def test_home_page_with_many_record_regions_gives_every_region() -> None:
    # a news home page: six sections, each its own list of headline teasers
    sections = "".join(f"""
      <section class="section-{s}"><h2>Section {s}</h2><ul class="teasers">{''.join(
        f'<li><a href="/{s}/2024/05/story-{s}-{i}">Story {i} of {s}: ministers {s} meet {i} envoys</a>'
        f'<p>Short teaser of story {i} in section {s}, with enough words to read.</p></li>'
        for i in range(4))}</ul></section>""" for s in ("politics", "economy", "world", "culture",
                                                        "sport", "science"))
    result = find_cards(page(f"<main>{sections}</main>"), url="https://news.example.org/")
    assert result.kind == "listing"
    assert len(result.cards) == 24
    assert len({c.url for c in result.cards}) == 24


def test_title_only_related_list_beside_an_article_is_a_feed() -> None:
    related = "".join(
        f'<li><a href="/news/2024/05/{slug}">{title}</a></li>'
        for slug, title in [("water-deal", "Neighbours sign the long-awaited water deal"),
                            ("rail-link", "Rail link to the border opens two months late"),
                            ("bank-rate", "Central bank keeps its key rate unchanged"),
                            ("strike", "Teachers in three regions go on strike over pay")])
    html = page(f"""<main><article class="story"><h1>Budget debate runs late</h1>{article_body()}</article>
      <section class="related"><h2>Related</h2><ul>{related}</ul></section></main>""")
    result = find_cards(html, url="https://example.org/news/2024/05/budget-debate-runs-late")
    assert result.kind == "mixed"
    assert [c.title for c in result.cards][:1] == ["Neighbours sign the long-awaited water deal"]
    assert len(result.cards) == 4


def test_facet_links_with_counts_are_not_cards() -> None:
    facets = "".join(f'<li><a href="/wine?producer={i}">Bodegas Producer Number{i} ({i + 1})</a></li>'
                     for i in range(8))
    products = "".join(f"""<div class="product"><h2><a href="/wine/red/{i}-reserva">{2010 + i} Reserva
      tinto number {i}</a></h2><p>Dark fruit, oak and a long finish; 75 cl bottle, {12 + i} euros.</p></div>"""
                       for i in range(4))
    html = page(f'<main><h1>Red wines</h1><div class="filters"><ul>{facets}</ul></div>{products}</main>')
    result = find_cards(html, url="https://shop.example.org/wine/red/")
    assert [c.title for c in result.cards] == [f"{2010 + i} Reserva tinto number {i}" for i in range(4)]


def test_teaser_date_and_topic_links_inside_each_card_are_its_fields() -> None:
    # every card links its headline, its teaser, its date and its topic to the same story:
    # one card each, with the teaser and date read into it, not four record regions
    items = "".join(f"""
      <li><a href="/pictures/story-{i}/"><h3 class="title">Photos of the floods in district number {i}</h3></a>
        <a href="/pictures/story-{i}/"><figure><img src="/i/{i}.jpg" alt=""></figure></a>
        <div class="media-body"><a href="/pictures/story-{i}/"><p class="dek">Rescue teams worked through
          the night as the river rose again in district {i} and roads closed.</p></a>
          <p class="meta"><a href="/pictures/story-{i}/"><span>On</span> <span class="date">Mar {i + 1}, 2019 5:29 PM EST</span></a>
          <a href="/topics/weather-and-climate-news/">Weather and climate news</a></p></div></li>"""
                    for i in range(5))
    result = find_cards(page(f'<div id="content"><ul class="items">{items}</ul></div>'),
                        url="https://news.example.org/pictures/")
    assert result.kind == "listing"
    assert [c.title for c in result.cards] == [f"Photos of the floods in district number {i}" for i in range(5)]
    assert result.cards[0].text.startswith("Rescue teams worked through")
    assert result.cards[2].date_raw and "Mar 3, 2019" in result.cards[2].date_raw


def test_unlinked_headings_of_cards_with_image_and_button_links_are_titles() -> None:
    # the heading is plain text; the card links only its image and a short button
    items = "".join(f"""
      <article class="teaser"><figure><a href="/tests/product-{i}"><img src="/i/{i}.jpg" alt=""></a></figure>
        <div class="description"><h2>Product test number {i} of the spring season</h2>
          <div class="text"><p>Two hundred families tried product {i} at home and told us what they think of it.</p></div>
          <a class="button" href="/tests/product-{i}">{'View results' if i % 2 else 'Read more'}</a></div></article>"""
                    for i in range(5))
    result = find_cards(page(f'<main><h1>Product tests</h1>{items}</main>'), url="https://shop.example.org/tests/")
    assert result.kind == "listing"
    assert [c.title for c in result.cards] == [f"Product test number {i} of the spring season" for i in range(5)]
    assert result.cards[1].url == "https://shop.example.org/tests/product-1"


def test_related_searches_are_not_results() -> None:
    # set like results, but each links to another search on this site
    related = "".join(f'<div class="result"><h4><a href="/find?q=water+tariff+{i}">water tariff query '
                      f'number {i}</a></h4><p class="snippet">Other people also searched for these words '
                      f'about water tariffs and prices.</p></div>' for i in range(6))
    html = search_page("").replace('<p class="count">', f'{related}<p class="count">')
    result = find_cards(html, url="https://example.org/find?q=water+tariffs")
    assert result.kind == "search"
    assert [c.url for c in result.cards] == [f"https://docs.example.net/r{i}" for i in range(4)]


def test_keyword_links_under_each_card_do_not_split_it() -> None:
    tags = '<ul class="keywords"><li><a href="/tags/water">Wasserversorgungsnetze Europas</a></li><li><a href="/tags/energy">Energiewendeforschung Klimapolitik</a></li>' \
           '<li><a href="/tags/policy">Nachhaltigkeitsforschung</a></li><li><a href="/tags/grid">Stromnetzregulierung Deutschland</a></li></ul>'
    items = "".join(f"""
      <div class="item"><h3><a href="/news/story-{i}">Researchers publish study number {i} on the grid</a></h3>
        <p>The study looks at how region {i} could store power from wind and sun through the winter.</p>
        {tags}</div>""" for i in range(5))
    result = find_cards(page(f'<main><div class="list">{items}</div></main>'), url="https://example.org/news/")
    assert result.kind == "listing"
    assert [c.url for c in result.cards] == [f"https://example.org/news/story-{i}" for i in range(5)]


# ---------------------------------------------------------------- record regions by structure

HEADLINES = ["Council approves the new tram line through the old town",
             "Storm damage closes two schools in the northern districts",
             "Local brewery wins a national prize for its dark beer",
             "Museum reopens after three years of careful restoration",
             "Hospital opens a new wing for children and their families"]


def test_kicker_heading_above_the_headline_is_not_the_title() -> None:
    items = "".join(f"""
      <li><article><h1><a href="/item/{i}">Stadtleben</a></h1>
        <h2><a href="/item/{i}">{t}</a></h2><p>{LOREM[:90]}</p></article></li>"""
                    for i, t in enumerate(HEADLINES))
    result = find_cards(page(f"<main><ul class='news'>{items}</ul></main>"), url="https://city.example.org/")
    assert [c.title for c in result.cards] == HEADLINES


def test_cards_lifted_to_different_wrappers_are_one_region() -> None:
    # some cards carry an author box with a link of its own, so their title link's card is
    # its inner content block, others' the whole list item: one template all the same
    def card(i: int, t: str) -> str:
        author = (f'<figure class="media"><a href="/people/{i}"><h3 class="avatar">Dr. Person Number {i}</h3></a>'
                  '</figure>') if i % 2 else ""
        return f"""<div class="teaser-list__item"><article class="teaser">{author}
          <div class="teaser__content"><header><h4 class="teaser__title"><a href="/blog/{i}">{t}</a></h4></header>
          <p>{LOREM[:120]}</p><a class="teaser__link" href="/blog/{i}">Mehr erfahren</a></div></article></div>"""
    body = "".join(card(i, t) for i, t in enumerate(HEADLINES))
    result = find_cards(page(f"<main><div class='teaser-list'>{body}</div></main>"),
                        url="https://inst.example.org/de/blog/")
    assert [c.title for c in result.cards if c.title in HEADLINES] == HEADLINES


def test_a_column_named_navigation_with_teasers_is_not_a_menu() -> None:
    items = "".join(f"""<div class="resume"><article><h3 class="titre"><a href="/article/{i}-story">{t}</a></h3>
      <div class="intro">{LOREM * 2}</div></article></div>""" for i, t in enumerate(HEADLINES))
    body = (f"<main><article><h1>One story</h1><p>{LOREM * 4}</p><p>{LOREM * 3}</p><p>{LOREM * 2}</p></article></main>"
            f"<aside><div id='navigation'><section>{items}</section></div></aside>")
    result = find_cards(page(body), url="https://site.example.org/article/the-one-story-of-the-day-1145")
    assert result.kind == "mixed"
    assert [c.title for c in result.cards] == HEADLINES


def test_many_topic_links_under_one_headline_are_one_card() -> None:
    topics = ["Information security and privacy", "Computer hardware and repair",
              "Do it yourself electronics", "Open source software"]
    items = "".join(f"""<li><article><h2 class="post__title"><a href="/post/{i}/">{t}</a></h2>
      <ul class="hubs">{''.join(f'<li><a href="/hub/{k}/">{h}</a></li>' for k, h in enumerate(topics))}</ul>
      <div class="post__text">{LOREM}</div></article></li>""" for i, t in enumerate(HEADLINES))
    result = find_cards(page(f"<main><ul class='content-list'>{items}</ul></main>"), url="https://blog.example.org/all/")
    assert [c.title for c in result.cards] == HEADLINES


def test_long_headline_in_a_heading_and_a_whole_card_link() -> None:
    long = ("Director of the foundation says that dissolving the children's ombudsman would mean a "
            "serious setback for the protection of the rights of children across the whole country")
    assert len(long) > 150
    items = [f'<li><h4><a href="/news/{i}">{t}</a></h4><p>{LOREM[:80]}</p></li>'
             for i, t in enumerate([long, *HEADLINES[:3]])]
    result = find_cards(page(f"<main><ul class='list'>{''.join(items)}</ul></main>"), url="https://paper.example.org/")
    assert result.cards[0].title == long
    # a link around the whole card: its first block is the title, the source line is not
    links = "".join(f"""<li class="rl_item"><a href="/c/{i}" class="rl_link"><div class="rl_content">
      <p class="rl_txt">{t}</p><div class="rl_author"><div class="rl_author_name">Weekly money letter</div></div>
      </div></a></li>""" for i, t in enumerate(HEADLINES))
    result = find_cards(page(f"<main><ul class='rl'>{links}</ul></main>"), url="https://portal.example.org/")
    assert [c.title for c in result.cards] == HEADLINES


def test_result_titled_by_its_opening_line_beside_a_read_more_link() -> None:
    items = "".join(f"""<div class="wresult"><div class="ptbs"><div><div class="txt_lg b">{t}</div></div>
      <div class="durl"><span>www.example{i}.org/</span></div>
      <div class="abstract">{LOREM[:140]} <a href="http://www.example{i}.org/">Mehr lesen &raquo;</a></div>
      </div></div>""" for i, t in enumerate(HEADLINES))
    result = find_cards(page(f"<main><div class='results'>{items}</div></main>"),
                        url="http://search.example.com/web?q=fellow")
    assert result.kind == "search"
    assert [c.title for c in result.cards] == HEADLINES
    assert result.cards[0].url == "http://www.example0.org/"


def test_records_differing_in_bare_wrapper_depth_share_a_region() -> None:
    def rec(i: int, t: str) -> str:
        inner = f'<div class="g"><a href="https://site{i}.example.org/"><h3>{t}</h3></a><span>{LOREM[:100]}</span></div>'
        return f'<div class="r">{"<div>" * (1 + i % 2)}{inner}{"</div>" * (1 + i % 2)}</div>'
    body = "".join(rec(i, t) for i, t in enumerate(HEADLINES))
    result = find_cards(page(f"<main><div class='res'><div>{body}</div></div></main>"),
                        url="https://www.search.example/search?q=town")
    assert [c.title for c in result.cards] == HEADLINES


def test_chinese_headlines_inside_a_page_wrapper_named_for_its_menu() -> None:
    """Chinese headlines have no spaces (one "word", a dozen characters) and are still
    titles; a class that names the page's menu on a wrapper around the whole page
    ("blq-int-nav") describes the page, not a menu region."""
    heads = ["梁振英定下出席违建事件质询日期", "港屋宇署确认梁振英大宅更多违建", "香港廉署已就梁振英违建立案调查",
             "香港观察道德荏弱的梁振英班子", "特首选举委员会今日公布结果"]
    items = "".join(f'<li class="teaser"><a href="/zhongwen/simp/news/2012/12/12120{n}_story.shtml">{h}</a>'
                    f'<p class="date">2012年12月{n + 1}日</p></li>' for n, h in enumerate(heads))
    html = page(f'<div class="blq-container blq-int-nav"><div class="list"><ul>{items}</ul></div>'
                f'<div class="story"><p>{LOREM}</p></div></div>')
    result = find_cards(html, url="https://www.bbc.co.uk/zhongwen/simp/news/")
    assert [c.title for c in result.cards] == heads


def test_a_search_url_outweighs_an_article_og_type() -> None:
    """Engines stamp og:type "article" on result pages too: the query in the URL decides."""
    results = "".join(f'<li class="serp-item"><h2><a href="https://site{n}.example/page">Result number {n} for '
                      f'coral travel offers</a></h2><div class="text">Snippet {n}: {LOREM[:90]}</div></li>'
                      for n in range(6))
    html = page(f'<ul class="serp-list">{results}</ul>', head='<meta property="og:type" content="article">')
    result = find_cards(html, url="https://yandex.ru/search/?text=coral+travel")
    assert result.kind == "search" and len(result.cards) == 6
