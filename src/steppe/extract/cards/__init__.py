"""One record per teaser card on listing, search and mixed pages; page-kind classification.

Main-text extractors (trafilatura included, its issue #811) merge a listing
page's teasers into one blob. This module finds the repeated "card" structure
instead: groups of elements that share a tag+class DOM path, occur at least
three times and each carry one title-like link, usually with teaser text
and/or a date. Groups are scored on repetition, text per card and link
density; navigation menus (only short links, no text), pagination, tag clouds,
share bars, comments and footers are rejected. The page kind then follows
from what else is on the page:

- ``search``: the URL carries a query (``?q=``, ``?s=``, ``/search``) or the
  page shows a results counter, and there is no article body beside the cards;
- ``listing``: the cards dominate and there is no long article body;
- ``mixed``: a substantial article body plus a feed of rich cards ("Latest
  news", "Related" with dates or teaser text); the article stays one item
  (from the main-text extractor), only the feed entries are returned here;
- ``article``: anything else (``cards=[]``).

Everything is structural and language-light: no site-specific rules.

Modules: ``model`` (the result types), ``vocab`` (patterns and thresholds), ``dom``
(parsing, cleaning, measuring), ``groups`` (record regions), ``signals`` (what the page
says it is), ``read`` (one card's fields), ``kind`` (page kind and feed entries).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml import etree

from steppe.extract.cards.dom import _base_url, _clean, _parse, _Tree
from steppe.extract.cards.groups import _body_chars, _candidate_groups, _select, merge_fields
from steppe.extract.cards.kind import _decide, _feed_entry, _page_key, templated_titles
from steppe.extract.cards.model import Card, CardsResult
from steppe.extract.cards.read import _date_finder, _is_episode, _read_card
from steppe.extract.cards.signals import _page_prior, _results_counter, _search_url
from steppe.extract.cards.vocab import DATED_FEED, FULL_ENTRY, MIN_CARDS, _norm

__all__ = ["Card", "CardsResult", "find_cards"]


def _another_search(href: str | None, page: str | None) -> bool:
    """A link to a search on the page's own site (a related query, a tag search)."""
    if not href or not _search_url(href):
        return False
    return not page or urlsplit(href).netloc in ("", urlsplit(page).netloc)


def find_cards(html: str | bytes, *, url: str | None = None) -> CardsResult:
    """Classify an HTML page and return one :class:`Card` per teaser, result or feed entry.

    ``kind`` is 'listing', 'search', 'mixed' or 'article'; articles come back with
    ``cards=[]`` (their text is the main-text extractor's job), mixed pages with the
    cards of the attached feed only.
    """
    root = _parse(html)
    if root is None:
        return CardsResult("article", [])
    base = _base_url(root, url)
    prior = _page_prior(root, url)
    body = root.find("body")
    if body is None:
        body = root
    head_title = _norm(root.findtext(".//title") or "")
    _clean(body)
    tree = _Tree(body)
    groups = merge_fields(tree, _select(_candidate_groups(tree)))
    covered: set[etree._Element] = set()
    for g in groups:
        for r in g.roots():
            covered.update(r.iter())
    chars, paras, container = _body_chars(tree, covered)
    search = _search_url(url) or (prior != "article" and _results_counter(tree, covered))
    kind, groups = _decide(tree, groups, chars, paras, container, prior, search)
    if kind == "article":
        return CardsResult("article", [])

    find_date = _date_finder()
    podcast_page = "podcast" in (url or "").lower() or "podcast" in head_title.lower()
    groups.sort(key=lambda g: tree.order[g.members[0][0]])
    cards: list[Card] = []
    page_url = _page_key(base or url)
    for g in groups:
        # one story shown in two regions is two cards; twice in one region is one
        seen: set[tuple[str | None, str | None]] = set()
        seen_urls: set[str] = set()
        kept: list[Card] = []
        for els in g.members:
            card = _read_card(els, base, find_date, tree.bare_heads)
            if not (card.title or card.text) or (card.url, card.title) in seen:
                continue
            if _another_search(card.url, base or url):
                continue  # "related searches": links to another search on this site, not items
            if kind == "mixed" and not _feed_entry(card, page_url, seen_urls, g.dated >= DATED_FEED):
                continue
            seen.add((card.url, card.title))
            if _is_episode(card, els, tree, podcast_page):
                card.kind = "episode"
            elif kind == "search":
                card.kind = "result"
            elif kind == "mixed" or len(card.text) > FULL_ENTRY:
                card.kind = "entry"
            kept.append(card)
        if kind == "mixed" and len(kept) < MIN_CARDS:
            continue  # beside an article, a box of one or two links is not a feed
        if not g.rich and templated_titles([c.title for c in kept]):
            continue
        cards.extend(kept)
    if not cards:
        # an empty result page is still a search page when its URL says so
        return CardsResult("search" if kind == "search" and _search_url(url) else "article", [])
    return CardsResult(kind, cards)
