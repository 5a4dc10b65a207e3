"""What the page says it is: search URL, results counter, JSON-LD types, og:type and URL shape."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlsplit

from lxml import etree

from steppe.extract.cards.dom import _Agg, _Tree
from steppe.extract.cards.vocab import _RESULT_COUNTER, _SEARCH_KEYS, _SEARCH_PATH


def _search_url(url: str | None) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    if any(k.lower() in _SEARCH_KEYS and v.strip() for k, v in parse_qsl(parts.query)):
        return True
    return bool(_SEARCH_PATH.search(parts.path))


def _results_counter(tree: _Tree, covered: set[etree._Element]) -> bool:
    """A short line outside the cards such as "1 to 10 of about 184" or "23 results"."""
    for el in tree.els:
        n = tree.agg[el].text
        if not 5 <= n <= 150 or el in covered:
            continue
        parent = el.getparent()
        if parent is not None and tree.agg.get(parent, _Agg()).text <= 150:
            continue  # only the outermost short element: each line is tested once
        if _RESULT_COUNTER.search(tree.text(el)):
            return True
    return False


# ---------------------------------------------------------------- what the page says it is

_ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
    "techarticle", "report", "socialmediaposting", "liveblogposting", "recipe", "product",
    "howto", "qapage", "review", "medicalwebpage",
})
_LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "blog",
                            "profilepage", "podcastseries"})
_LISTING_PATH = re.compile(
    r"/(?:tags?|category|categories|kategorie|rubrik|ressort|schlagworte?|themen|topics?|"
    r"author|authors|autor|archives?|section|sections|series)/[^/]+/?(?:page/\d+/?)?$"
    r"|/page/\d+/?$|/(?:archives?|blog|news|nachrichten|actualites|noticias|podcasts?)/?$",
    re.I,
)
_ID_KEY = re.compile(r"^(?:p|id|page_id|post|article|art|story|item|nid|\w*id|artnr)$", re.I)
_SLUG_WORD = re.compile(r"[^\W\d_]{2,}")


def _ld_types(root: etree._Element) -> list[str]:
    types: list[str] = []

    def walk(node: object, depth: int) -> None:
        if depth > 3:
            return
        if isinstance(node, list):
            for n in node:
                walk(n, depth + 1)
        elif isinstance(node, dict):
            t = node.get("@type")
            for v in t if isinstance(t, list) else [t]:
                if isinstance(v, str):
                    types.append(v.rsplit("/", 1)[-1].lower())
            if "@graph" in node:
                walk(node["@graph"], depth + 1)

    for script in root.iter("script"):
        if "ld+json" in (script.get("type") or "").lower() and script.text:
            try:
                walk(json.loads(script.text), 0)
            except ValueError:
                continue
    return types


def _page_prior(root: etree._Element, url: str | None) -> str | None:
    """'article' or 'listing' when the page's metadata or URL says so, else None.

    Read before cleaning (JSON-LD lives in <script>). Several Article nodes mean a
    list of articles, not one.
    """
    votes = {"article": 0, "listing": 0}
    types = _ld_types(root)
    n_articles = sum(t in _ARTICLE_TYPES for t in types)
    if 1 <= n_articles <= 2:
        votes["article"] += 1
    if any(t in _LISTING_TYPES for t in types) or n_articles >= 3:
        votes["listing"] += 1
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:type":
            og = (meta.get("content") or "").lower()
            if og == "article" or og.startswith(("article", "video.episode", "music.song")):
                votes["article"] += 1
            break
    if url:
        parts = urlsplit(url)
        path = parts.path
        item_query = any(_ID_KEY.search(k) and v.strip() for k, v in parse_qsl(parts.query))
        if item_query:
            votes["article"] += 1  # /?p=123, index.php?newsID=7: one item by id
        elif path in ("", "/") or _LISTING_PATH.search(path):
            votes["listing"] += 2  # the URL is the strongest sign of a list
        else:
            last = [seg for seg in path.split("/") if seg][-1:] or [""]
            if len(_SLUG_WORD.findall(last[0])) >= 4:
                votes["article"] += 1  # a headline slug
    if votes["article"] > votes["listing"]:
        return "article"
    if votes["listing"] > votes["article"]:
        return "listing"
    return None


