"""Vocabulary and thresholds of the card splitter: tag sets, class-token and text patterns."""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

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
# Class/id tokens of page furniture: groups under these are never cards. Not "promo": news
# templates name their story teasers so ("module--promo", "topStoryPromo"); ads are "ad"/"sponsor".
_FURNITURE = re.compile(
    r"(?:^|[-_])(?:nav|navbar|navigation|menu|menus|submenu|megamenu|dropdown|pagination|pager|"
    r"paging|pagenav|breadcrumbs?|footer|foot|share|sharing|sharebar|social|socials|tagcloud|"
    r"tag-cloud|tags|taglist|keywords|comments?|commentlist|replies|disqus|cookies?|consent|gdpr|"
    r"sitemap|copyright|masthead|toolbar|skip|langs?|language|languages|ads?|advert|advertisement|"
    r"sponsor|sponsored|newsletter|login|signin|account)(?:$|[-_])",
    re.I,
)
# Navigation names among them: a container so named that holds mostly prose is not a menu
# (sites name a whole column "navigation").
_NAV_NAMES = re.compile(r"(?:^|[-_])(?:nav|navbar|navigation|menu|menus|submenu|megamenu|dropdown)(?:$|[-_])", re.I)
_SIDEBAR = re.compile(r"(?:^|[-_])(?:sidebar|side|widgets?|rail|marginal|aside|sidebox)(?:$|[-_])", re.I)
_META_CLASS = re.compile(
    r"(?:^|[-_])(?:meta|metadata|byline|date|dateline|time|timestamp|posted|published|pubdate|"
    r"author|authors|writer|info|details|kicker|category|categories|label|tags?|source)(?:$|[-_])",
    re.I,
)
_AUTHOR_CLASS = re.compile(r"(?:^|[-_])(?:author|authors|byline|writer|autor|auteur|autore)(?:$|[-_])", re.I)
_READ_MORE = re.compile(
    r"^\W*(?:read\s+more|more|learn\s+more|see\s+more|continue(?:\s+reading)?|full\s+story|weiterlesen|"
    r"mehr(?:\s+lesen|\s+erfahren)?|en\s+savoir\s+plus|"
    r"lire\s+la\s+suite|lire\s+plus|leer\s+m[aá]s|seguir\s+leyendo|leggi(?:\s+tutto)?|"
    r"lees\s+meer|подробнее|читать\s+далее|читать\s+дальше|далее|…|\.\.\.|»|›|→)\W*$",
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
    r"|\b\d+\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b"
    r"|\bvor\s+\d+\s+(?:Minuten|Stunden|Tagen|Wochen|Monaten|Jahren)\b",
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
DATED_FEED = 0.8  # share of a region's cards that carry a date for it to be a feed of posts
RICH_TEXT = 40  # median teaser text that makes a group a feed rather than a headline list
FULL_ENTRY = 1500  # a group member with this much text is an article, not a teaser
BODY_PARA = 80  # a paragraph at least this long counts toward an article body
BODY_MIN_CHARS, BODY_MIN_PARAS, BODY_SOLID_CHARS = 500, 3, 1200
MAX_GROUPS = 16  # record regions per page: a home page has many
NAV_PROSE = 1000  # text outside links that makes a container named like a menu a column of teasers
MAX_LEAD = 80  # text allowed before a card's title (kicker, date)
ARTICLE_LEAD = 250  # body text before the first card that makes the page an article first
HEADLINE_WORDS = 3  # a title-only list: median title words, more than menu labels have


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def word_count(text: str) -> int:
    """Words, with Chinese/Japanese/Korean script (few or no spaces) counted as one word per
    two characters, so a headline in those scripts is as long as one in others."""
    cjk = len(_CJK.findall(text))
    if cjk >= 0.3 * max(1, len(text.replace(" ", ""))):
        return max(1, cjk // 2 + len(_CJK.sub(" ", text).split()))
    return len(text.split())


def _norm(text: str | None) -> str:
    return _WS.sub(" ", text).strip() if text else ""


def _tlen(text: str | None) -> int:
    """Approximate visible length, cheap enough to run on every text node."""
    return len(text.strip()) if text else 0


def _text(el: etree._Element) -> str:
    return _norm("".join(el.itertext()))


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _classes(el: etree._Element) -> str:
    # camelCase names split like dashed ones: "subNav" reads as "sub-Nav"
    return _CAMEL.sub("-", f"{el.get('class') or ''} {el.get('id') or ''}").strip()


def _has_token(pattern: re.Pattern[str], el: etree._Element) -> bool:
    return _names_have_token(pattern, el.get("class"), el.get("id"))


@lru_cache(maxsize=8192)
def _names_have_token(pattern: re.Pattern[str], cls: str | None, ident: str | None) -> bool:
    """``_has_token`` by the element's class and id (pages repeat them: ancestors are asked again
    for every group)."""
    names = _CAMEL.sub("-", f"{cls or ''} {ident or ''}").strip()
    return any(pattern.search(tok) for tok in names.split())

