"""HTML article pages: main text and metadata.

The main text comes from trafilatura (comments left out: they are not the
article). Metadata is voted from several independent signals the page gives
about itself, because each one alone is wrong on a good share of real pages:

- JSON-LD (``Article``/``NewsArticle``/... nodes), OpenGraph and ``<meta>`` tags,
  ``<link rel=canonical>``, ``<title>`` and ``<h1>``;
- trafilatura's own metadata (which runs htmldate for the date);
- the URL (dates in paths).

Everything is parsed once: one lxml tree feeds our metadata readers, trafilatura
and htmldate.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit


@dataclass
class HtmlExtraction:
    text: str  # main article text, one paragraph/block per line, no boilerplate
    title: str | None = None
    published: str | None = None  # ISO 'YYYY-MM-DD' (or a coarser prefix)
    published_precision: str | None = None  # 'day' | 'month' | 'year' | None
    publisher: str | None = None
    url: str | None = None
    description: str | None = None
    language: str | None = None
    read_authors: Callable[[], list[str]] | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def authors(self) -> list[str]:
        """The page's authors, worked out on first read: the ingest never reads them, and
        trafilatura's guess (for pages whose structured data names none) is the dearest of
        its metadata."""
        return self.read_authors() if self.read_authors is not None else []


def extract_html(html: str | bytes, *, url: str | None = None) -> HtmlExtraction:
    """Main text and metadata of one HTML page. Never raises on bad markup: gives empty text."""
    tree = _parse(html)
    if tree is None:
        return HtmlExtraction(text="")
    signals = PageSignals.read(tree, url)
    doc = _trafilatura(tree, url)
    text = doc.text if doc is not None and doc.text else ""
    title = choose_title(signals, doc)
    published, precision = choose_date(signals, doc, tree, url, title)
    text = clean_body(drop_leading_titles(text, title, signals), tree)
    return HtmlExtraction(
        text=add_visible_lead(text, tree, signals, title),
        title=title,
        read_authors=lambda: choose_authors(signals, doc),
        published=published,
        published_precision=precision,
        # the page's own signals first; trafilatura's reading only when they say nothing
        publisher=_first(signals.site_name()) or _first(getattr(doc, "sitename", None)),
        url=signals.canonical_url(),
        description=_first(signals.description()) or _first(getattr(doc, "description", None)),
        language=_first(signals.language()) or _first(getattr(doc, "language", None)),
    )


# --- parsing ----------------------------------------------------------------------------------


def _parse(html: str | bytes) -> Any | None:
    """An lxml tree, or None for empty/garbage input. trafilatura's loader guesses encodings."""
    from trafilatura.utils import load_html

    if not html or (isinstance(html, bytes | str) and not html.strip()):
        return None
    try:
        tree = load_html(html)
    except Exception:  # lxml raises several types on hostile input; none should escape
        return None
    return tree if tree is not None and hasattr(tree, "xpath") else None


def _trafilatura(tree: Any, url: str | None) -> TrafilaturaReading | None:
    import trafilatura

    try:
        # Without metadata: the main text does not depend on it (links and images are off, so
        # the URL only reaches log lines); the metadata fields come from TrafilaturaReading.
        doc = trafilatura.bare_extraction(
            tree, url=url, with_metadata=False, include_comments=False, include_tables=True
        )
    except Exception:  # a crash in the extractor must not lose the page's metadata
        return None
    return TrafilaturaReading(tree, url, doc) if doc is not None else None


class TrafilaturaReading:
    """trafilatura's reading of a page: the main text, and the fields of its metadata
    (``trafilatura.metadata.extract_metadata``) that Steppe reads, each worked out on first use.

    ``extract_metadata`` inside ``bare_extraction`` costs as much as a third of the extraction
    and most of it goes unread: tags, categories and licence never, the author and site name
    only when the page's own structured data has none, and its htmldate run (with dateparser
    behind it, tried in every locale) only when Steppe's own htmldate run finds no date. Each
    field is computed here exactly as ``extract_metadata`` computes it (same helpers, same
    order, same htmldate settings), on the same unmodified tree: ``bare_extraction`` works on a
    copy, and metadata reading does not modify the tree. One difference by design: a field
    whose reading crashes is None, where the crash used to lose the main text too.
    """

    def __init__(self, tree: Any, url: str | None, doc: Any) -> None:
        self.tree = tree
        self.default_url = url
        self.text: str | None = doc.text
        self.language: str | None = getattr(doc, "language", None)

    @functools.cached_property
    def _meta(self) -> Any:
        from trafilatura.metadata import examine_meta, extract_meta_json

        meta = examine_meta(self.tree)
        if meta.author and " " not in meta.author:
            meta.author = None
        with contextlib.suppress(Exception):  # as in extract_metadata: bugs in its JSON-LD reading
            meta = extract_meta_json(self.tree, meta)
        return meta

    @staticmethod
    def _safe(compute: Callable[[], Any]) -> Any:
        try:
            return compute()
        except Exception:
            return None

    @functools.cached_property
    def title(self) -> str | None:
        from trafilatura.metadata import extract_title

        return self._safe(lambda: self._meta.title or extract_title(self.tree))

    @functools.cached_property
    def author(self) -> str | None:
        from trafilatura.metadata import extract_author

        return self._safe(lambda: self._meta.author or extract_author(self.tree))

    @functools.cached_property
    def url(self) -> str | None:
        from trafilatura.metadata import extract_url

        return self._safe(lambda: self._meta.url or extract_url(self.tree, self.default_url))

    @functools.cached_property
    def description(self) -> str | None:
        return self._safe(lambda: self._meta.description)

    @functools.cached_property
    def date(self) -> str | None:
        from htmldate import find_date
        from trafilatura.settings import DEFAULT_CONFIG, set_date_params

        def compute() -> str | None:
            params = set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))
            params["url"] = self.url
            return find_date(self.tree, **params)

        return self._safe(compute)

    @functools.cached_property
    def sitename(self) -> str | None:
        from trafilatura.metadata import META_URL, extract_sitename

        def compute() -> str | None:
            sitename = self._meta.sitename or extract_sitename(self.tree)
            if sitename:
                sitename = sitename.lstrip("@")
                if sitename and "." not in sitename and not sitename[0].isupper():
                    sitename = sitename.title()
            elif self.url:
                match = META_URL.match(self.url)
                if match:
                    sitename = match[1]
            return sitename

        return self._safe(compute)


# --- signals the page gives about itself ------------------------------------------------------

_ARTICLE_TYPES = re.compile(r"article|posting|report|review|story|blog|news", re.I)
_SPACE = re.compile(r"\s+")


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = _SPACE.sub(" ", value).strip()
    return value or None


def _first(*values: Any) -> str | None:
    for value in values:
        cleaned = _clean(value)
        if cleaned:
            return cleaned
    return None


@dataclass
class PageSignals:
    """What the page's head and structured data say, read once."""

    url: str | None
    meta: dict[str, str]
    jsonld: list[dict[str, Any]]
    canonical: str | None
    title_tag: str | None
    h1s: list[str]
    lang: str | None

    @classmethod
    def read(cls, tree: Any, url: str | None) -> PageSignals:
        meta: dict[str, str] = {}
        for el in tree.iterfind(".//meta"):
            key = el.get("property") or el.get("name") or el.get("itemprop")
            content = _clean(el.get("content"))
            if key and content:
                meta.setdefault(key.strip().lower(), content)
        canonical = None
        for el in tree.iterfind(".//link"):
            if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
                canonical = el.get("href").strip()
                break
        title_el = tree.find(".//title")
        h1s = [t for t in (_clean(h.text_content()) for h in tree.iterfind(".//h1")) if t]
        return cls(
            url=url,
            meta=meta,
            jsonld=list(_jsonld_nodes(tree)),
            canonical=canonical,
            title_tag=_clean(title_el.text_content()) if title_el is not None else None,
            h1s=h1s[:5],
            lang=_clean(tree.get("lang") or tree.get("xml:lang")),
        )

    def article_nodes(self) -> list[dict[str, Any]]:
        """JSON-LD nodes that describe an article, best guess first."""
        nodes = [n for n in self.jsonld if _ARTICLE_TYPES.search(_types(n))]
        return nodes or [n for n in self.jsonld if "webpage" in _types(n).lower()]

    def ld(self, key: str) -> Any:
        for node in self.article_nodes():
            if node.get(key):
                return node[key]
        return None

    def site_name(self) -> str | None:
        publisher = self.ld("publisher")
        if isinstance(publisher, list) and publisher:
            publisher = publisher[0]
        name = publisher.get("name") if isinstance(publisher, dict) else publisher
        return _first(self.meta.get("og:site_name"), name, self.meta.get("application-name"))

    def canonical_url(self) -> str | None:
        for candidate in (self.canonical, self.meta.get("og:url"), self.url):
            if candidate and not candidate.startswith(("javascript:", "#")):
                absolute = urljoin(self.url, candidate) if self.url else candidate
                if urlsplit(absolute).scheme in ("http", "https"):
                    return absolute
        return None

    def description(self) -> str | None:
        return _first(
            self.meta.get("og:description"),
            self.meta.get("description"),
            self.ld("description"),
            self.meta.get("twitter:description"),
        )

    def language(self) -> str | None:
        lang = _first(self.lang, self.meta.get("content-language"), self.ld("inLanguage"))
        if not lang:
            locale = self.meta.get("og:locale")
            lang = locale.replace("_", "-") if locale else None
        return lang.split(",")[0].strip() if lang else None


def _types(node: dict[str, Any]) -> str:
    kind = node.get("@type", "")
    return " ".join(kind) if isinstance(kind, list) else str(kind)


def _jsonld_nodes(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.iterfind(".//script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            try:  # a common breakage: raw newlines/tabs inside strings
                data = json.loads(re.sub(r"[\n\r\t]", " ", raw))
            except ValueError:
                continue
        yield from _walk(data)


def _walk(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 3:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        if "@graph" in data:
            yield from _walk(data["@graph"], depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _walk(main, depth + 1)


# --- title ------------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"\s+[|\-–—»›:·•/]\s+|\s*::\s*|\s+\|")


def _norm(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip().casefold()


def choose_title(signals: PageSignals, doc: Any) -> str | None:
    """An <h1> that the head's titles confirm wins; otherwise the head title minus the site name."""
    heads = [
        t
        for t in (
            _clean(signals.ld("headline")),
            signals.meta.get("og:title"),
            signals.meta.get("twitter:title"),
            signals.title_tag,
        )
        if t
    ]
    # trafilatura's title is the last head, read only when the page's own heads do not settle
    # it (``any`` stops at the first head that confirms an <h1>)
    def trafilatura_title() -> list[str]:
        return [t for t in (_clean(getattr(doc, "title", None)),) if t]

    for h1 in signals.h1s:
        n = _norm(h1)
        if len(n) >= 3 and (any(_confirms(n, head) for head in heads)
                            or any(_confirms(n, head) for head in trafilatura_title())):
            return h1
    heads += trafilatura_title()
    if not heads:
        return signals.h1s[0] if signals.h1s else None
    return _strip_site_name(heads[0], signals)


def _confirms(h1: str, head: str) -> bool:
    """A head title names the (normalised) <h1>: whole, or as one of its separated parts."""
    return h1 == _norm(head) or h1 in {_norm(p) for p in _SEPARATORS.split(head)}


def _strip_site_name(title: str, signals: PageSignals) -> str:
    parts = [p for p in _SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    site = _norm(signals.site_name())
    host = urlsplit(signals.canonical_url() or "").hostname or ""
    host_word = host.removeprefix("www.").split(".")[0]
    kept = [p for p in parts if not _is_site_part(_norm(p), site, host_word)]
    if kept and len(kept) < len(parts):
        return _rejoin(title, kept)  # keeps the page's own separators between real parts
    return title


def _is_site_part(part: str, site: str, host_word: str) -> bool:
    squashed = re.sub(r"\W", "", part)
    return bool(
        (site and (part == site or part in site or site in part and len(part) < len(site) + 12))
        or (
            host_word
            and len(host_word) > 2
            and host_word in squashed
            and len(squashed) < 3 * len(host_word)
        )
    )


def _rejoin(title: str, kept: list[str]) -> str:
    start = title.find(kept[0])
    end = title.rfind(kept[-1]) + len(kept[-1])
    return title[start:end].strip() if 0 <= start < end else " ".join(kept)


def drop_leading_titles(text: str, title: str | None, signals: PageSignals) -> str:
    """The headline is metadata, not body: drop it (and any head-title copy) from the top."""
    lines = text.strip().split("\n")
    known = {_norm(t) for t in (title, *signals.h1s[:1], signals.meta.get("og:title")) if t}
    known.discard("")
    while lines and _norm(lines[0].lstrip("#").strip()) in known:
        lines.pop(0)
    return "\n".join(lines).strip()


# --- body clean-up: a second look at trafilatura's output -------------------------------------

# "Read more: <headline>" and its equivalents in the languages the eval pages use most: a line that
# opens with one of these points the reader to another page.
_READ_MORE = re.compile(
    r"^\W{0,3}(?:read more|read also|read next|more on this|see also|also read|more from|"
    r"related(?: articles?| stories| content| news)?|recommended(?: videos| stories| reading)?|"
    r"you (?:may|might) also like|lesen sie (?:auch|hier|mehr)|mehr zum thema|mehr themen|"
    r"auch interessant|weitere (?:artikel|themen)|das könnte sie auch interessieren|schon gelesen|"
    r"leer (?:más|tambi[eé]n)|lea(?: (?:también|más))?|vea(?: también)?|mir[ae]|puedes ver|"
    r"ver (?:también|más)|(?:le|te) puede interesar|lire aussi|à lire aussi|voir aussi|"
    r"leggi anche|czytaj (?:też|także|więcej)|zobacz (?:też|także)|dowiedz się więcej|"
    r"przeczytaj (?:też|także|więcej)|les også|läs (?:också|mer)|lees ook)\b\s*[:>»|.?-]?",
    re.I,
)
# Picture credits: "Photo: ...", "Titelbild: ...", "© Getty Images", "(Credit: ...)".
_CREDIT = re.compile(
    r"^\W{0,2}(?:photo|foto|fot\.|image|bild|titelbild|beitragsbild|headerbild|crédits? photos?|"
    r"photo credits?|image credits?|credits?|illustration|bildquelle|bildnachweis|picture)\b"
    r"[^:\n]{0,25}:\s*\S|^\s*©\s*\S|\(\s*(?:photo|foto|credit|image)s?\s*:[^)]*\)\s*$",
    re.I,
)
_BULLET = re.compile(r"^[-•*|\s]+")


def clean_body(text: str, tree: Any) -> str:
    """Drop the furniture trafilatura lets through, judged line by line with general cues.

    - pointers to other pages ("Read more: ...") and picture credits;
    - sentences about the site or the reader (newsletter, cookie and subscription prompts);
    - runs of >= 2 lines that are each the whole text of a link on the page: teaser lists of
      related articles. One such line alone is more often a linked heading of the article.
    """
    from steppe.extract.boilerplate import is_site_talk, words

    lines = text.split("\n")
    anchors = _anchor_texts(tree)
    is_link = [_norm(_BULLET.sub("", line)) in anchors for line in lines]
    keep = [True] * len(lines)
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and is_link[end]:
            end += 1
        if end - start >= 2:
            keep[start:end] = [False] * (end - start)
        start = max(end, start + 1)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if keep[i] and stripped:
            short = len(words(stripped))
            keep[i] = not (
                (short <= 25 and _READ_MORE.match(stripped))
                or (short <= 15 and _CREDIT.search(stripped))
                or is_site_talk(stripped)
            )
    return "\n".join(line for line, k in zip(lines, keep, strict=True) if k).strip()


def _anchor_texts(tree: Any, min_chars: int = 15) -> set[str]:
    """Normalised texts of the page's links to other pages (in-page '#' links left out)."""
    found = set()
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        text = _norm(a.text_content())
        if len(text) >= min_chars:
            found.add(text)
    return found


def add_visible_lead(text: str, tree: Any, signals: PageSignals, title: str | None) -> str:
    """Put back the standfirst trafilatura skipped (it often sits in the page header).

    The page's description is only a hint: it is used when the same words are visible in the
    body (a lead paragraph, not just SEO text) and the main text does not already carry them.
    """
    desc = signals.description()
    if not desc or len(desc.split()) < 8 or _norm(desc) == _norm(title):
        return text
    lead = _visible_copy(tree, desc)
    if lead is None:
        return text
    body = _norm(text)
    if _norm(desc).rstrip(".… ").removesuffix("...").strip() in body:
        return text
    lead_words = _word_ngrams(lead)
    if lead_words and len(lead_words & _word_ngrams(text)) >= 0.5 * len(lead_words):
        return text  # mostly there already, in other line breaks or a shorter form
    return f"{lead}\n{text}" if text else lead


_WORDS = re.compile(r"\w+")


def _word_ngrams(text: str, size: int = 4) -> set[tuple[str, ...]]:
    tokens = _WORDS.findall(text.casefold())
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "head", "title", "meta"])


def _visible_copy(tree: Any, desc: str) -> str | None:
    """The body element that shows the description (possibly truncated with '...'), or None."""
    target = _norm(desc).rstrip(".… ").removesuffix("...").strip()
    if len(target) < 20:
        return None
    probe = " ".join(target.split()[:4])
    # _norm only folds case and squeezes whitespace, so an element whose casefolded text lacks the
    # probe's first word cannot show the probe: that cheap test spares most elements the regex
    first_word = probe.split(" ", 1)[0]
    body = tree.find(".//body")
    if body is None:
        return None
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            continue
        if not el.text or first_word not in el.text.casefold() or probe not in _norm(el.text):
            continue
        node = el  # the probe opens the lead; climb until the element holds all of it
        for _ in range(4):
            shown = _norm(node.text_content())
            if target in shown:
                if len(shown) > 3 * len(target) + 50:
                    break
                full = _clean(node.text_content()) or ""
                return full if len(full) <= 1.3 * len(target) + 20 else _clean(desc)
            node = node.getparent()
            if node is None or node.tag == "body":
                break
    return None


# --- authors ----------------------------------------------------------------------------------

_NOT_A_NAME = re.compile(r"^(https?:|www\.)|@|\d{3}", re.I)


def choose_authors(signals: PageSignals, doc: Any) -> list[str]:
    """JSON-LD names first (structured, exact spelling), then <meta>, then trafilatura's guess."""
    found = _ld_authors(signals.ld("author"))
    if not found:
        for key in (
            "author",
            "article:author",
            "dc.creator",
            "citation_author",
            "parsely-author",
            "sailthru.author",
        ):
            value = signals.meta.get(key)
            if value and not _NOT_A_NAME.search(value):
                found = [value]
                break
    if not found:
        traf = getattr(doc, "author", None) or ""
        found = [a.strip() for a in traf.split(";") if a.strip()]
    return _dedup(found)


def _ld_authors(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if not _NOT_A_NAME.search(value) else []
    if isinstance(value, dict):
        name = _clean(value.get("name"))
        return [name] if name and not _NOT_A_NAME.search(name) else []
    if isinstance(value, list):
        return [n for item in value for n in _ld_authors(item)]
    return []


def _dedup(names: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for name in names:
        clean = _clean(name)
        if clean and clean.casefold() not in seen:
            seen.add(clean.casefold())
            out.append(clean)
    return out


# --- date ------------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")
_URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-](\d\d?)[/-](\d\d?)(?=[/._-]|$)")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)[/-](\d\d?)/")
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "citation_publication_date",
    "pubdate",
    "publishdate",
)


def choose_date(
    signals: PageSignals, doc: Any, tree: Any, url: str | None, title: str | None = None
) -> tuple[str | None, str | None]:
    """htmldate in original-date mode, corrected by structured data only for time zones.

    htmldate's day is right far more often than JSON-LD/<meta> when they disagree (those often
    carry update dates), except for one case: a timestamp with an explicit local offset
    (``...T19:30+02:00``) names the publisher's own calendar day, which htmldate may shift by one.
    """
    found = _htmldate(tree, url) or (getattr(doc, "date", None) if doc is not None else None)
    raw = _structured_date(signals)
    if raw:
        local_day = _ISO_DAY.search(raw).group(0)
        if not found or (_LOCAL_OFFSET.search(raw) and _days_apart(local_day, found) == 1):
            found = local_day
    found = _prefer_byline_date(found, tree, title, signals.canonical_url() or url)
    if found:
        return found, "day"
    return _url_date(signals.canonical_url() or url)


def _prefer_byline_date(
    found: str | None, tree: Any, title: str | None, url: str | None
) -> str | None:
    """The date printed under the headline, when it contradicts nothing else on the page.

    htmldate ranks the page's many date signals globally and sometimes picks an update,
    copyright or sidebar date; the reader sees the date in the byline zone (between the
    headline and the first paragraph). That date wins unless the other evidence for the
    htmldate answer is direct: the same day also shown in that zone, a ``<time datetime>``
    after the headline, or a date in the URL; or the two are years apart (an old event named under the headline
    rather than the publication day). Picture captions and sentences are not stamps.
    """
    zone = _byline_zone(tree, title)
    if zone is None:
        return found
    pieces, times = zone
    from steppe.extract.dates import find_dates

    days = [
        v.value
        for piece in pieces
        if len(piece.split()) <= 20  # a stamp, not a sentence that mentions a day
        for _, _, v in find_dates(piece)
        if v.precision == "day" and v.value
    ]
    if not days or days[0] == found:
        return found
    if not found:
        return days[0]
    if found in days or any(t[:10] == found for t in times):
        return found  # the zone shows the publication day too
    url_day, _ = _url_date(url)
    if url_day and found.startswith(url_day) and not days[0].startswith(url_day):
        return found
    gap = _days_apart(days[0], found)
    return days[0] if gap is not None and gap <= 3 * 365 else found


_ZONE_SKIP = frozenset(["script", "style", "noscript", "template", "svg", "button", "select"])


def _byline_zone(tree: Any, title: str | None) -> tuple[list[str], list[str]] | None:
    """Text pieces (and ``<time datetime>`` values) from the headline's <h1> to the first
    paragraph, leaving out pictures and their captions."""
    body = tree.find(".//body")
    if body is None:
        return None
    h1s = list(body.iter("h1"))
    if not h1s:
        return None
    wanted = _norm(title)
    h1 = next((h for h in h1s if wanted and _norm(h.text_content()) == wanted), h1s[0])
    skip = set(h1.iter())
    skip.update(d for f in body.iter("figure", "figcaption", "picture") for d in f.iter())
    pieces: list[str] = [h1.tail.strip()] if h1.tail and h1.tail.strip() else []
    times: list[str] = []
    size = 0
    started = False
    for el in body.iter():
        if el is h1:
            started = True
            continue
        if not started or el in skip or not isinstance(el.tag, str) or el.tag in _ZONE_SKIP:
            continue
        if el.tag == "p" and len(el.text_content().split()) >= 25:
            break  # the article has begun
        if el.tag == "time" and el.get("datetime"):
            times.append(el.get("datetime").strip())
        for piece in (el.text, el.tail):
            if piece and piece.strip():
                pieces.append(piece.strip())
                size += len(piece)
        if size > 1000:
            break
    return pieces, times


_LOCAL_OFFSET = re.compile(r"T\d\d:\d\d(?::\d\d)?(?:\.\d+)?[+-](?!00:?00)\d\d:?\d\d$")


def _days_apart(a: str, b: str) -> int | None:
    from datetime import date

    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return None


def _structured_date(signals: PageSignals) -> str | None:
    """The first JSON-LD/<meta> publication date value that holds an ISO day, as given."""
    for value in (signals.ld("datePublished"), *(signals.meta.get(k) for k in _DATE_META)):
        if isinstance(value, str) and _ISO_DAY.search(value):
            return value.strip()
    return None


def _htmldate(tree: Any, url: str | None) -> str | None:
    from htmldate import find_date

    try:
        return find_date(tree, url=url, extensive_search=True, original_date=True)
    except Exception:
        return None


def _url_date(url: str | None) -> tuple[str | None, str | None]:
    if not url:
        return None, None
    match = _URL_DAY.search(url)
    if match:
        y, m, d = (int(g) for g in match.groups())
        if 1 <= m <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{m:02d}-{d:02d}", "day"
    match = _URL_MONTH.search(url)
    if match and 1 <= int(match.group(2)) <= 12:
        return f"{match.group(1)}-{int(match.group(2)):02d}", "month"
    return None, None
