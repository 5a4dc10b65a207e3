"""The page kind from its card groups and body, and which cards beside an article are feed entries."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from steppe.extract.cards.dom import _Tree
from steppe.extract.cards.groups import _Group, _has_body
from steppe.extract.cards.model import Card
from steppe.extract.cards.signals import _LISTING_PATH, _SLUG_WORD
from steppe.extract.cards.vocab import (
    ARTICLE_LEAD,
    BODY_MIN_CHARS,
    HEADLINE_WORDS,
    word_count,
)

_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"})


def _site(host: str) -> str:
    """The registrable part of a host ("news.bbc.co.uk" -> "bbc.co.uk"), approximately."""
    parts = host.lower().removeprefix("www.").split(".")
    keep = 3 if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2 else 2
    return ".".join(parts[-keep:])


def _page_key(url: str | None) -> tuple[str, str] | None:
    """(site, path) of a URL, the part that names a page (no query, no fragment)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return _site(parts.hostname), parts.path.rstrip("/") or "/"


def _article_path(path: str) -> bool:
    """A path that can name one article: not the home page, a section or a tag page."""
    segments = [seg for seg in path.split("/") if seg]
    if not segments or _LISTING_PATH.search(path + "/"):
        return False
    last = segments[-1]
    return len(segments) >= 2 or len(_SLUG_WORD.findall(last)) >= 3 or sum(c.isdigit() for c in last) >= 3


def _feed_entry(card: Card, page: tuple[str, str] | None, seen_urls: set[str], dated: bool = False) -> bool:
    """A card beside an article counts as a feed entry only when it is clearly another story:
    a title of two words or more that is not a prompt to the reader and a link to a different
    article page of the same site (not this page, not seen before in its region). Spec
    boxes, anchors to the page itself, section labels and widgets fail one of these.
    ``dated``: every entry of the region carries its date, a feed of posts (a blogroll's
    latest posts, a planet), which may link to other sites: shop and partner boxes do not
    date their links."""
    from steppe.extract.boilerplate import is_site_talk

    if word_count(card.title or "") < 2 or not card.url or is_site_talk(card.title or ""):
        return False
    key = _page_key(card.url)
    if key is None or key == page or not _article_path(key[1]):
        return False
    if page is not None and key[0] != page[0] and not dated:
        return False  # shop and partner links beside an article are not its site's feed
    url = f"{key[0]}{key[1]}"
    if url in seen_urls:
        return False
    seen_urls.add(url)
    return True


def templated_titles(titles: list[str | None]) -> bool:
    """Titles that differ only in a number or a word ("Useful page 1", "Useful page 2") are
    labels a template wrote, not headlines: headlines of distinct stories share few words."""
    sets = [frozenset(_TOKEN.findall((t or "").casefold())) for t in titles]
    sets = [s for s in sets if s]
    if len(sets) < 2:
        return False
    if len(set(sets)) < 0.8 * len(sets):
        return True  # the same few labels again and again: tags, sections, "read more"
    pairs = [(a, b) for i, a in enumerate(sets) for b in sets[i + 1:i + 4]]
    shared = [len(a & b) / min(len(a), len(b)) for a, b in pairs]
    return sum(shared) / len(shared) >= 0.8


_TOKEN = re.compile(r"[^\W\d_]+")


# ---------------------------------------------------------------- page kind


def _decide(tree: _Tree, groups: list[_Group], chars: int, paras: int,
            container: etree._Element | None, prior: str | None,
            search: bool) -> tuple[str, list[_Group]]:
    """Page kind and the card groups that belong to it."""
    body_present = _has_body(chars, paras)
    rich = [g for g in groups if g.rich]
    # title-only lists of headlines (not menu labels: those are one or two words)
    headlines = [g for g in groups if not g.rich and g.title_words >= HEADLINE_WORDS]
    cardish = [g for g in groups if g in rich or g in headlines]
    if groups and container is not None and chars >= ARTICLE_LEAD:
        first = min(tree.order[g.members[0][0]] for g in groups)
        # an article's text first and a feed after it: the article is the page
        body_present = body_present or tree.order[container] < first
    if rich and all(g.in_aside for g in rich):
        body_present = body_present or chars >= ARTICLE_LEAD
    # a query in the URL outweighs the page's metadata (engines stamp og:type "article" on
    # result pages too); a results counter alone counts only where the metadata did not say
    # article (``find_cards``)
    if search and (not body_present or rich):
        return "search", cardish
    if prior == "listing" and (rich or (headlines and chars < BODY_MIN_CHARS)):
        return "listing", cardish
    if body_present or prior == "article":
        # beside an article only record regions outside the article's own text count
        # (embeds and link boxes inside it are not a feed); their entries must each link
        # to another article page (``_feed_entry``)
        feed = [g for g in cardish if container is None
                or not any(a is container for a in g.members[0][0].iterancestors())]
        return ("mixed", feed) if feed else ("article", [])
    if rich:
        return "listing", cardish
    if headlines and (chars < BODY_MIN_CHARS or not body_present):
        return "listing", cardish
    return "article", []


