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
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from statistics import median
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree

__all__ = ["Card", "CardsResult", "find_cards"]


@dataclass
class Card:
    """One teaser, search result, episode or feed entry as shown on a page."""

    title: str | None
    url: str | None  # absolute (resolved against the page URL / <base href>)
    text: str  # teaser text without the title and the date/author line
    date_raw: str | None  # date string as shown on the card (or <time datetime=...>)
    author: str | None
    kind: str  # 'teaser' | 'result' | 'episode' | 'entry'


@dataclass
class CardsResult:
    kind: str  # 'article' | 'listing' | 'search' | 'mixed'
    cards: list[Card] = field(default_factory=list)


# ---------------------------------------------------------------- vocabulary

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Never content: dropped before anything is measured.
_DROP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas",
    "button", "select", "option", "input", "textarea", "label", "nav", "menu", "dialog",
})
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu", "menubar",
                         "toolbar", "dialog", "alertdialog", "tablist"})
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "header", "footer", "aside", "main", "li", "ul", "ol",
    "dl", "dt", "dd", "table", "tr", "td", "th", "tbody", "thead", "blockquote", "pre",
    "figure", "figcaption", "address", "br", "hr", *HEADINGS,
})
# Repeated tags whose class varies per item (li.first, li.odd): group by tag alone.
_CLASSLESS_SIGS = frozenset({"li", "tr", "dt", "dd", "article"})
# Class/id tokens of page furniture: groups under these are never cards.
_FURNITURE = re.compile(
    r"(?:^|[-_])(?:nav|navbar|navigation|menu|menus|submenu|megamenu|dropdown|pagination|pager|"
    r"paging|pagenav|breadcrumbs?|footer|foot|share|sharing|sharebar|social|socials|tagcloud|"
    r"tag-cloud|tags|taglist|keywords|comments?|commentlist|replies|disqus|cookies?|consent|gdpr|"
    r"sitemap|copyright|masthead|toolbar|skip|langs?|language|languages|ads?|advert|advertisement|"
    r"sponsor|sponsored|promo|newsletter|login|signin|account)(?:$|[-_])",
    re.I,
)
_SIDEBAR = re.compile(r"(?:^|[-_])(?:sidebar|side|widgets?|rail|marginal|aside|sidebox)(?:$|[-_])", re.I)
_META_CLASS = re.compile(
    r"(?:^|[-_])(?:meta|metadata|byline|date|dateline|time|timestamp|posted|published|pubdate|"
    r"author|authors|writer|info|details|kicker|category|categories|label|tags?|source)(?:$|[-_])",
    re.I,
)
_AUTHOR_CLASS = re.compile(r"(?:^|[-_])(?:author|authors|byline|writer|autor|auteur|autore)(?:$|[-_])", re.I)
_READ_MORE = re.compile(
    r"^\W*(?:read\s+more|more|continue(?:\s+reading)?|full\s+story|weiterlesen|mehr(?:\s+lesen)?|"
    r"lire\s+la\s+suite|lire\s+plus|leer\s+m[aá]s|seguir\s+leyendo|leggi(?:\s+tutto)?|"
    r"lees\s+meer|подробнее|читать\s+далее|далее|…|\.\.\.|»|›|→)\W*$",
    re.I,
)
_BYLINE = re.compile(r"^\s*(?:by|von|par|por|di|door|av|af|от|автор:?)\s+(.{2,80}?)\s*$", re.I)
_URLISH = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_MONTHS = (
    r"jan(?:uary|vier|uar|eiro)?|feb(?:ruary|ruar)?|f[ée]v(?:rier)?|mar(?:ch|s|z|zo)?|märz|apr(?:il|il)?|"
    r"avr(?:il)?|abr(?:il)?|may|mai|mayo|maio|jun(?:e|i|io|ho)?|juin|jul(?:y|i|io|ho)?|juil(?:let)?|"
    r"aug(?:ust)?|ao[uû]t|ago(?:sto)?|sep(?:t|tember|tembre|tiembre)?|set(?:embro|tembre)?|"
    r"oct(?:ober|obre|ubre)?|okt(?:ober)?|out(?:ubro)?|nov(?:ember|embre|iembre)?|"
    r"de[cz](?:ember|embre|iembre)?|dic(?:iembre|embre)?|d[ée]c(?:embre)?"
)
# Fallback date finder, used only when steppe.extract.dates is unavailable.
_DATE_FALLBACK = re.compile(
    r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?"
    r"|\b\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})\b"
    rf"|\b\d{{1,2}}\.?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}\b"
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    r"|\b\d+\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\b"
    r"|\bvor\s+\d+\s+(?:Minuten|Stunden|Tagen|Wochen)\b",
    re.I,
)
_SEARCH_KEYS = frozenset({"q", "s", "query", "search", "searchterm", "search_query", "keyword",
                          "keywords", "term", "terms", "suche", "recherche", "buscar", "qs", "text"})
_SEARCH_PATH = re.compile(
    r"/(?:search|suche|recherche|buscar|busca|ricerca|zoeken|szukaj|sok|haku|poisk|arama)(?:[/.?]|$)",
    re.I,
)
_RESULT_COUNTER = re.compile(
    r"\b\d[\d.,]*\s*(?:-|–|to|bis|à|a|al)\s*\d[\d.,]*\s+(?:of|von|de|sur|di|van|из)\s+(?:about\s+|ca\.\s+|environ\s+)?\d"
    r"|\b\d[\d.,\s]*\s+(?:results?|hits|matches|treffer|ergebnisse|suchergebnisse|résultats|"
    r"resultados|risultati|resultaten|wyników|результат\w*)\b"
    r"|\b(?:search\s+results|results\s+for|you\s+searched\s+for|suchergebnisse|ergebnisse\s+für|"
    r"résultats\s+de\s+(?:la\s+)?recherche|resultados\s+de\s+(?:la\s+)?búsqueda|"
    r"risultati\s+della\s+ricerca|результаты\s+поиска)\b",
    re.I,
)
_EPISODE = re.compile(
    r"\b(?:episode|ep\.|folge|épisode|episodio|aflevering|выпуск|эпизод)\s*#?\s*\d+|^#\d+\b", re.I
)
_MEDIA_HREF = re.compile(r"\.(?:mp3|m4a|ogg|oga|opus|aac|wav)(?:$|[?#])", re.I)
_DURATION = re.compile(r"\b(?:\d{1,2}:\d{2}:\d{2}|\d{1,3}\s*(?:min|mins|minutes|minuten)\b\.?)", re.I)
_WS = re.compile(r"\s+")

# Thresholds (characters unless said otherwise).
MIN_CARDS = 3
TITLE_MIN_WORDS, TITLE_MIN_CHARS, TITLE_MAX_CHARS = 3, 20, 300
WHOLE_CARD_LINK = 150  # a link this long is the whole card, not its title
RICH_TEXT = 40  # median teaser text that makes a group a feed rather than a headline list
FULL_ENTRY = 1500  # a group member with this much text is an article, not a teaser
BODY_PARA = 80  # a paragraph at least this long counts toward an article body
BODY_MIN_CHARS, BODY_MIN_PARAS, BODY_SOLID_CHARS = 500, 3, 1200
MAX_GROUPS = 4
MAX_LEAD = 80  # text allowed before a card's title (kicker, date)
ARTICLE_LEAD = 250  # body text before the first card that makes the page an article first
MIN_HEADLINES = 6  # a bare headline list needs this many entries to be a listing
HEADLINE_WORDS = 5  # ... and headlines, not menu labels or product names


def _norm(text: str | None) -> str:
    return _WS.sub(" ", text).strip() if text else ""


def _tlen(text: str | None) -> int:
    """Approximate visible length, cheap enough to run on every text node."""
    return len(text.strip()) if text else 0


def _text(el: etree._Element) -> str:
    return _norm("".join(el.itertext()))


def _classes(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def _has_token(pattern: re.Pattern[str], el: etree._Element) -> bool:
    return any(pattern.search(tok) for tok in _classes(el).split())


# ---------------------------------------------------------------- parsing


def _decode(data: bytes) -> str:
    try:  # non-ASCII text in another charset is almost never valid UTF-8
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:  # the project's decoder: BOM, declared charset, then detection
        from steppe.extract.decode import decode_bytes

        return decode_bytes(data, "text/html")
    except Exception:  # noqa: BLE001 - decoder missing or failing: a lossy decode still has cards
        return data.decode("cp1252", "replace")


def _parse(html: str | bytes) -> etree._Element | None:
    if isinstance(html, bytes):
        html = _decode(html)
    if not html.strip():
        return None
    # plain etree elements: lxml.html's element classes cost a lookup per node
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        # lxml refuses str with an encoding declaration; utf-8 bytes are always accepted
        return etree.fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _base_url(root: etree._Element, url: str | None) -> str | None:
    for base in root.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return urljoin(url or "", href) or url
    return url


def _is_furniture_container(el: etree._Element) -> bool:
    """Page-level header/footer (logo, menu, legal links), as opposed to a card's own header."""
    if el.tag not in ("header", "footer"):
        return False
    if any(a.tag in ("article", "li") for a in el.iterancestors()):
        return False
    links = sum(1 for _ in el.iter("a"))
    if el.tag == "header":
        # a card's header holds its title heading; the site header holds logo and menu
        return links >= 3 and next(el.iter("h2", "h3", "h4", "h5", "h6"), None) is None
    return links >= 4 or len(_text(el)) >= 200


def _clean(body: etree._Element) -> None:
    doomed = []
    for el in body.iter(etree.Element):
        tag = el.tag
        if not isinstance(tag, str):
            continue
        role = (el.get("role") or "").lower()
        style = (el.get("style") or "").replace(" ", "").lower()
        if (tag in _DROP_TAGS or role in _DROP_ROLES or el.get("hidden") is not None
                or el.get("aria-hidden") == "true" or "display:none" in style
                or _is_furniture_container(el)
                or (tag == "form" and len(_text(el)) < 200)):
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        # keep the tail text, it belongs to the parent
        if el.tail and el.tail.strip():
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)


# ---------------------------------------------------------------- measuring


def _title_like(text: str) -> bool:
    n = len(text)
    if n < 4 or n > TITLE_MAX_CHARS or _READ_MORE.match(text) or _URLISH.match(text):
        return False
    if len(text.split()) < TITLE_MIN_WORDS and n < TITLE_MIN_CHARS:
        return False
    m = _DATE_FALLBACK.search(text)
    return not (m and len(m.group()) >= 0.6 * n)  # a date link ("May 3, 2024 at 10:15")


@dataclass
class _Agg:
    """Bottom-up measures of one element's subtree."""

    text: int = 0  # characters of text
    link: int = 0  # characters inside ordinary (title-sized) links
    head: int = 0  # characters inside headings
    head_link: int = 0  # characters inside links inside headings
    titles: int = 0  # title-like links (or headings wrapped in links)
    heads: int = 0
    times: int = 0
    media: int = 0
    paras: int = 0  # long paragraphs (for full-article members)

    def add(self, o: _Agg) -> None:
        self.text += o.text
        self.link += o.link
        self.head += o.head
        self.head_link += o.head_link
        self.titles += o.titles
        self.heads += o.heads
        self.times += o.times
        self.media += o.media
        self.paras += o.paras

    @property
    def extra(self) -> int:
        """Text that is neither link nor heading: teaser, date, author."""
        return max(0, self.text - self.link - self.head + self.head_link)


class _Tree:
    """The cleaned body with per-element measures and tag+class paths."""

    def __init__(self, body: etree._Element) -> None:
        self.els: list[etree._Element] = [e for e in body.iter(etree.Element) if isinstance(e.tag, str)]
        self.agg: dict[etree._Element, _Agg] = {}
        self.path: dict[etree._Element, str] = {}
        self.order: dict[etree._Element, int] = {e: i for i, e in enumerate(self.els)}
        for el in self.els:
            parent = el.getparent()
            self.path[el] = f"{self.path.get(parent, '')}/{_sig(el)}"
        for el in reversed(self.els):
            self.agg[el] = self._measure(el)

    def _measure(self, el: etree._Element) -> _Agg:
        a = _Agg(text=_tlen(el.text))
        for child in el:
            if not isinstance(child.tag, str):
                a.text += _tlen(child.tail)
                continue
            a.add(self.agg[child])
            a.text += _tlen(child.tail)
        tag = el.tag
        if tag == "a" and el.get("href"):
            has_head = a.heads > 0
            if has_head or a.text <= WHOLE_CARD_LINK:
                # a link wrapping a heading is the whole card: its heading is the title
                if not has_head:
                    a.link = a.text
                    a.head_link = a.head
                if has_head or _title_like(_text(el)):
                    a.titles = 1
            if _MEDIA_HREF.search(el.get("href") or ""):
                a.media += 1
        elif tag in HEADINGS:
            a.heads += 1
            a.head = a.text
            a.head_link = a.link  # a heading holding a title link counts once, not twice
        elif tag == "time":
            a.times += 1
        elif tag in ("audio", "video"):
            a.media += 1
        elif tag == "p" and a.text >= BODY_PARA:
            a.paras += 1
        return a

    def text(self, el: etree._Element) -> str:
        return _text(el)


def _sig(el: etree._Element) -> str:
    tag = el.tag
    if tag in _CLASSLESS_SIGS:
        return tag
    for tok in (el.get("class") or "").split():
        if not any(c.isdigit() for c in tok):
            return f"{tag}.{tok}"
    return tag


# ---------------------------------------------------------------- card groups


@dataclass
class _Group:
    members: list[list[etree._Element]]  # each card: its element(s) (several for flat cards)
    score: float
    extras: list[int]
    dated: float  # share of members with a <time> element or date text
    in_aside: bool
    title_words: float

    @property
    def rich(self) -> bool:
        return median(self.extras) >= RICH_TEXT or self.dated >= 0.5

    def roots(self) -> Iterator[etree._Element]:
        for m in self.members:
            yield from m


def _flat_extent(el: etree._Element, members: set[etree._Element]) -> list[etree._Element]:
    """A heading-led card without a wrapper: the heading plus following siblings up to the next one."""
    out = [el]
    sib = el.getnext()
    while sib is not None and sib not in members and len(out) < 8:
        if isinstance(sib.tag, str):
            if sib.tag in HEADINGS and sib.tag <= el.tag:
                break
            out.append(sib)
        sib = sib.getnext()
    return out


def _lift(tree: _Tree, el: etree._Element) -> etree._Element:
    """The outermost wrapper of ``el`` that holds no other title link: the whole card.

    A title link's group and its ``li`` or ``div.card`` group then describe the same
    cards, with the date and teaser that sit beside the link.
    """
    a = tree.agg[el]
    while True:
        parent = el.getparent()
        if parent is None or parent.tag in ("body", "html", "main") or parent not in tree.agg:
            return el
        pa = tree.agg[parent]
        if pa.titles != a.titles or pa.heads > max(a.heads, 1) or pa.text - a.text > 400:
            return el
        el = parent


def _is_title_el(tree: _Tree, el: etree._Element) -> bool:
    return el.tag in HEADINGS + ("a",) and tree.agg[el].titles > 0


def _title_slot(tree: _Tree, el: etree._Element) -> tuple[int, str, int]:
    """(text before the title, the title's tag path inside the card, title words).

    A teaser opens with its title (after a kicker or date at most), while a link in
    running prose sits after a stretch of text; and a template puts every card's
    title in the same place.
    """
    n = 0
    for event, e in etree.iterwalk(el, events=("start", "end")):
        if not isinstance(e.tag, str):
            continue
        if event == "start":
            if _is_title_el(tree, e):
                rel = []
                for a in e.iterancestors():
                    if a is el:
                        break
                    rel.append(_sig(a))
                path = "/".join(reversed(rel))
                return n, f"{path}/{_sig(e)}", len(_text(e).split())
            n += len(_norm(e.text))
        elif e is not el:
            n += len(_norm(e.tail))
        if n > MAX_LEAD:
            break
    return n, "", 0


def _sum_agg(tree: _Tree, els: list[etree._Element]) -> _Agg:
    total = _Agg()
    for e in els:
        total.add(tree.agg[e])
        total.text += len(_norm(e.tail))
    return total


def _has_date(tree: _Tree, els: list[etree._Element], agg: _Agg) -> bool:
    if agg.times:
        return True
    text = " ".join(tree.text(e) for e in els)[:800]
    return bool(_DATE_FALLBACK.search(text))


def _furniture_ancestry(el: etree._Element) -> bool:
    return any(_has_token(_FURNITURE, a) for a in (el, *el.iterancestors()))


def _evaluate(tree: _Tree, els: list[etree._Element]) -> _Group | None:
    if len(els) < MIN_CARDS:
        return None
    if any(a.tag == "p" for a in els[0].iterancestors()):
        return None  # links in running text, not cards
    flat = all(e.tag in HEADINGS for e in els)
    members = set(els)
    extents = [_flat_extent(e, members) if flat else [_lift(tree, e)] for e in els]
    aggs = [_sum_agg(tree, x) if flat else tree.agg[x[0]] for x in extents]
    cardlike = [i for i, a in enumerate(aggs) if 1 <= a.titles <= 3 and a.heads <= 2]
    if len(cardlike) < MIN_CARDS or len(cardlike) < 0.5 * len(els):
        return None
    slots = {i: _title_slot(tree, extents[i][0]) for i in cardlike}
    cardlike = [i for i in cardlike if slots[i][0] <= MAX_LEAD]
    if len(cardlike) < MIN_CARDS:
        return None
    # templated cards keep their title in one place; prose sections and odd boxes do not
    common, count = Counter(slots[i][1] for i in cardlike).most_common(1)[0]
    if count < MIN_CARDS or count < 0.6 * len(cardlike):
        return None
    cardlike = [i for i in cardlike if slots[i][1] == common]
    title_words = median(slots[i][2] for i in cardlike)
    # one member far longer than the rest is the page's own article sharing the markup
    extras = [aggs[i].extra for i in cardlike]
    mid = median(extras)
    cardlike = [i for i in cardlike if not (aggs[i].extra > FULL_ENTRY and aggs[i].extra > 4 * max(mid, 1))]
    if len(cardlike) < MIN_CARDS:
        return None
    if _furniture_ancestry(els[0]):
        return None
    extras = [aggs[i].extra for i in cardlike]
    dated = sum(_has_date(tree, extents[i], aggs[i]) for i in cardlike) / len(cardlike)
    quality = 0.0
    for i in cardlike:
        a = aggs[i]
        q = 1 + 0.5 * (a.heads > 0) + 0.7 * (a.times > 0) + min(a.extra, 400) / 150
        quality += q / a.titles
    score = quality * len(cardlike) / len(els)
    in_aside = any(a.tag == "aside" or (a.get("role") or "") == "complementary"
                   or _has_token(_SIDEBAR, a) for a in els[0].iterancestors())
    return _Group([extents[i] for i in cardlike], score, extras, dated, in_aside, title_words)


def _candidate_groups(tree: _Tree) -> list[_Group]:
    by_path: dict[str, list[etree._Element]] = {}
    for el in tree.els:
        if tree.agg[el].titles:
            by_path.setdefault(tree.path[el], []).append(el)
    groups = []
    for els in by_path.values():
        g = _evaluate(tree, els) if len(els) >= MIN_CARDS else None
        if g is not None:
            groups.append(g)
    return groups


def _select(groups: list[_Group]) -> list[_Group]:
    """Best groups first, none overlapping another (no member inside or around a chosen one)."""
    chosen: list[_Group] = []
    taken: set[etree._Element] = set()  # chosen cards and everything inside them
    around: set[etree._Element] = set()  # everything that holds a chosen card
    # ties go to the outer group, whose cards also hold date and byline
    groups.sort(key=lambda g: (-round(g.score, 3), _depth(g.members[0][0])))
    for g in groups:
        if len(chosen) >= MAX_GROUPS:
            break
        roots = list(g.roots())
        if any(r in taken or r in around for r in roots):
            continue
        chosen.append(g)
        for r in roots:
            taken.update(r.iter())
            around.update(r.iterancestors())
    return chosen


def _depth(el: etree._Element) -> int:
    return sum(1 for _ in el.iterancestors())


# ---------------------------------------------------------------- article body


def _body_chars(tree: _Tree, covered: set[etree._Element]) -> tuple[int, int, etree._Element | None]:
    """(characters, paragraphs, container) of the largest run of long low-link paragraphs outside the cards."""
    clusters: dict[etree._Element, list[int]] = {}
    for el in tree.els:
        a = tree.agg[el]
        if a.text < BODY_PARA or el in covered:
            continue
        if el.tag in ("p", "blockquote", "pre") or el.tag in ("div", "td", "section", "article"):
            if el.tag in ("p", "blockquote", "pre"):
                n, links = a.text, a.link
            else:
                # text sitting directly in a div (<br>-separated articles)
                n = _tlen(el.text) + sum(_tlen(c.tail) for c in el)
                links = 0
            if n >= BODY_PARA and links <= 0.5 * n:
                parent = el.getparent() if el.tag in ("p", "blockquote", "pre") else el
                if parent is not None:
                    clusters.setdefault(parent, []).append(n)
    for parent, lens in sorted(clusters.items(), key=lambda kv: -sum(kv[1])):
        if not _furniture_ancestry(parent):
            return sum(lens), len(lens), parent
    return 0, 0, None


def _has_body(chars: int, paras: int) -> bool:
    return (chars >= BODY_MIN_CHARS and paras >= BODY_MIN_PARAS) or chars >= BODY_SOLID_CHARS


# ---------------------------------------------------------------- search signals


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


# ---------------------------------------------------------------- reading one card


def _date_finder() -> Callable[[str], str | None]:
    try:
        from steppe.extract.dates import find_dates
    except ImportError:  # dates module not there yet: plain pattern
        find_dates = None

    def find(text: str) -> str | None:
        if find_dates is not None:
            try:
                hits = find_dates(text)
            except Exception:  # noqa: BLE001 - a date bug must not lose the card
                hits = []
            if hits:
                start, end, _ = hits[0]
                return text[start:end]
        m = _DATE_FALLBACK.search(text)
        return m.group() if m else None

    return find


def _blocks(els: list[etree._Element], skip: set[etree._Element]) -> list[tuple[str, int, etree._Element]]:
    """Text split at block boundaries: (text, chars inside links, innermost block element)."""
    out: list[tuple[str, int, etree._Element]] = []
    buf: list[str] = []
    link_chars = [0]
    owner: list[etree._Element] = [els[0]]

    def flush() -> None:
        text = _norm("".join(buf))
        if text:
            out.append((text, min(link_chars[0], len(text)), owner[0]))
        buf.clear()
        link_chars[0] = 0

    def walk(el: etree._Element, in_link: bool, block: etree._Element) -> None:
        if el in skip:
            return
        is_block = el.tag in _BLOCK_TAGS
        if is_block:
            flush()
            owner[0] = el
            block = el
        link = in_link or (el.tag == "a" and el.get("href") is not None)
        if el.text:
            buf.append(el.text)
            if link:
                link_chars[0] += len(_norm(el.text))
        for child in el:
            if isinstance(child.tag, str):
                walk(child, link, block)
            if child.tail:
                buf.append(child.tail)
                if link:
                    link_chars[0] += len(_norm(child.tail))
        if is_block:
            flush()
            owner[0] = block

    for e in els:
        walk(e, False, e)
        flush()
    return out


def _pick_title(els: list[etree._Element]) -> tuple[str | None, str | None, etree._Element | None]:
    """(title, href, element to leave out of the teaser text)."""
    for e in els:
        for h in e.iter(*HEADINGS):
            text = _text(h)
            if not text or (not _title_like(text) and _DATE_FALLBACK.search(text)):
                continue  # a date set as a heading is not the title
            link = next((a for a in h.iter("a") if a.get("href")), None)
            if link is None:
                link = next((a for a in h.iterancestors("a") if a.get("href")), None)
            return text, link.get("href") if link is not None else None, h
    best: tuple[int, etree._Element] | None = None
    for e in els:
        for a in e.iter("a"):
            text = _text(a)
            if a.get("href") and _title_like(text) and (best is None or len(text) > best[0]):
                best = (len(text), a)
    if best is None:
        return None, None, None
    a = best[1]
    return _text(a), a.get("href"), a


def _first_href(els: list[etree._Element]) -> str | None:
    for e in els:
        for a in e.iter("a"):
            href = (a.get("href") or "").strip()
            if href and not href.startswith(("#", "javascript:", "mailto:", "tel:")):
                return href
    return None


def _resolve(href: str | None, base: str | None) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "data:")):
        return None
    return urljoin(base, href) if base else href


def _author_of(els: list[etree._Element]) -> tuple[str | None, set[etree._Element]]:
    for e in els:
        for el in e.iter(etree.Element):
            if not isinstance(el.tag, str):
                continue
            if (el.get("rel") == "author" or (el.get("itemprop") or "") == "author"
                    or _has_token(_AUTHOR_CLASS, el)):
                text = _text(el)
                if 2 <= len(text) <= 100:
                    m = _BYLINE.match(text)
                    return (m.group(1) if m else text), {el}
    return None, set()


def _read_card(els: list[etree._Element], base: str | None, find_date: Callable[[str], str | None]) -> Card:
    title, href, title_el = _pick_title(els)
    skip: set[etree._Element] = {title_el} if title_el is not None else set()
    date_raw = None
    for e in els:
        t = next(e.iter("time"), None)
        if t is not None:
            date_raw = _norm(t.get("datetime")) or _text(t) or None
            skip.add(t)
            break
    author, author_els = _author_of(els)
    skip |= author_els
    kept: list[str] = []
    title_norm = (title or "").casefold()
    for text, link_chars, owner in _blocks(els, skip):
        words = len(text.split())
        if text.casefold() == title_norm or _READ_MORE.match(text):
            continue
        meta = _has_token(_META_CLASS, owner)
        if len(text) <= 120:
            found = find_date(text)
            if found and (meta or len(found) >= 0.4 * len(text) or words <= 8):
                date_raw = date_raw or found
                continue  # a date/byline line, not teaser text
            m = _BYLINE.match(text)
            if m and words <= 8:
                author = author or m.group(1)
                continue
            if meta and words <= 8:
                continue  # category label, "5 min read", tags
            if link_chars >= 0.8 * len(text) and words <= 6:
                continue  # a category or tag link
        kept.append(text)
    if href is None:
        href = _first_href(els)
    return Card(title=title or None, url=_resolve(href, base), text="\n".join(kept),
                date_raw=date_raw, author=author, kind="teaser")


def _is_episode(card: Card, els: list[etree._Element], tree: _Tree, podcast_page: bool) -> bool:
    if any(tree.agg[e].media for e in els):
        return True
    if _EPISODE.search(card.title or "") or _EPISODE.search(card.text[:200]):
        return True
    return podcast_page and bool(_DURATION.search(card.text) or _DURATION.search(card.title or ""))


# ---------------------------------------------------------------- feed entries beside an article

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


def _feed_entry(card: Card, page: tuple[str, str] | None, seen_urls: set[str]) -> bool:
    """A card beside an article counts as a feed entry only when it is clearly another story:
    a title of a few words that is not a prompt to the reader, a link to a different article
    page of the same site (not this page, not seen before), and a date or a teaser. Spec
    boxes, anchors to the page itself, section labels and widgets fail one of these."""
    from steppe.extract.boilerplate import is_site_talk

    if len((card.title or "").split()) < 3 or not card.url or is_site_talk(card.title or ""):
        return False
    key = _page_key(card.url)
    if key is None or key == page or not _article_path(key[1]):
        return False
    if page is not None and key[0] != page[0]:
        return False
    if not (card.date_raw or len(card.text) >= RICH_TEXT):
        return False
    url = f"{key[0]}{key[1]}"
    if url in seen_urls:
        return False
    seen_urls.add(url)
    return True


# ---------------------------------------------------------------- page kind


def _decide(tree: _Tree, groups: list[_Group], chars: int, paras: int,
            container: etree._Element | None, prior: str | None,
            search: bool) -> tuple[str, list[_Group]]:
    """Page kind and the card groups that belong to it."""
    body_present = _has_body(chars, paras)
    rich = [g for g in groups if g.rich]
    # bare headline lists count only when nothing else is on the page
    headlines = [g for g in groups if not g.rich and not g.in_aside
                 and len(g.members) >= MIN_HEADLINES and g.title_words >= HEADLINE_WORDS]
    if groups and container is not None and chars >= ARTICLE_LEAD:
        first = min(tree.order[g.members[0][0]] for g in groups)
        # an article's text first and a feed after it: the article is the page
        body_present = body_present or tree.order[container] < first
    if rich and all(g.in_aside for g in rich):
        body_present = body_present or chars >= ARTICLE_LEAD
    if search and (not body_present or rich) and prior != "article":
        return "search", rich or headlines
    if prior == "listing" and (rich or (headlines and chars < BODY_MIN_CHARS)):
        return "listing", rich or headlines
    if body_present or prior == "article":
        # beside an article only a clear feed counts: entries with dates or teaser text,
        # outside the article's own text (embeds and link boxes inside it are not a feed)
        feed = [g for g in rich if container is None
                or not any(a is container for a in g.members[0][0].iterancestors())]
        return ("mixed", feed) if feed else ("article", [])
    if rich:
        return "listing", rich
    if headlines and chars < BODY_MIN_CHARS:
        return "listing", headlines
    return "article", []


# ---------------------------------------------------------------- entry point


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
    groups = _select(_candidate_groups(tree))
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
    seen: set[tuple[str | None, str | None]] = set()
    seen_urls: set[str] = set()
    page_url = _page_key(base or url)
    for g in groups:
        kept: list[Card] = []
        for els in g.members:
            card = _read_card(els, base, find_date)
            if not (card.title or card.text) or (card.url, card.title) in seen:
                continue
            if kind == "mixed" and not _feed_entry(card, page_url, seen_urls):
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
        cards.extend(kept)
    if not cards:
        # an empty result page is still a search page when its URL says so
        return CardsResult("search" if kind == "search" and _search_url(url) else "article", [])
    return CardsResult(kind, cards)
