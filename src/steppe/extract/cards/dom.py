"""Parsing, cleaning and bottom-up measuring of a page's DOM for the card splitter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

from lxml import etree

from steppe.extract.cards.vocab import (
    _CLASSLESS_SIGS,
    _DATE_FALLBACK,
    _DROP_ROLES,
    _DROP_TAGS,
    _MEDIA_HREF,
    _READ_MORE,
    _URLISH,
    BODY_PARA,
    HEADINGS,
    TITLE_MAX_CHARS,
    TITLE_MIN_CHARS,
    TITLE_MIN_WORDS,
    WHOLE_CARD_LINK,
    _text,
    _tlen,
)


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


def _hides_page(el: etree._Element) -> bool:
    """aria-hidden on a container of most of the page: a consent or login dialog is open
    over it (search engines do this), the page itself is still the content."""
    return el.tag in ("div", "main", "section") and len(_text(el)) >= 2000


# Only these tags and attributes can make ``_doomed`` say yes. Most of a page's elements carry
# none of them: one set test each spares them the four attribute reads of the full test.
_DROP_CANDIDATE_TAGS = _DROP_TAGS | {"header", "footer", "form"}
_DROP_ATTRIBUTES = frozenset({"role", "hidden", "aria-hidden", "style"})


def _doomed(el: etree._Element) -> bool:
    """Furniture the card finder removes before measuring: hidden, interactive, navigation."""
    tag = el.tag
    role = (el.get("role") or "").lower()
    style = (el.get("style") or "").replace(" ", "").lower()
    return bool(tag in _DROP_TAGS or role in _DROP_ROLES or el.get("hidden") is not None
                or (el.get("aria-hidden") == "true" and not _hides_page(el)) or "display:none" in style
                or _is_furniture_container(el)
                or (tag == "form" and len(_text(el)) < 200))


def _clean(body: etree._Element) -> None:
    doomed = [el for el in body.iter(etree.Element)
              if (el.tag in _DROP_CANDIDATE_TAGS or not _DROP_ATTRIBUTES.isdisjoint(el.keys()))
              and _doomed(el)]
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


_COUNT_SUFFIX = re.compile(r"\(\d+\)\s*$")
_CARD_BLOCKS = ("div", "p", "li", "article", "section")
_INLINE = frozenset({"a", "span", "em", "strong", "b", "i", "small", "figure", "picture"})


def _title_like(text: str) -> bool:
    n = len(text)
    if n < 4 or n > TITLE_MAX_CHARS or _READ_MORE.match(text) or _URLISH.match(text):
        return False
    if len(text.split()) < TITLE_MIN_WORDS and n < TITLE_MIN_CHARS and not _unspaced_headline(text):
        return False
    if _COUNT_SUFFIX.search(text):
        return False  # "Bodegas Valdemar (4)", "Comments (12)": a facet or counter link
    m = _DATE_FALLBACK.search(text)
    # a date link or heading ("May 3, 2024 at 10:15", "Samstag, 19. Juli 2014")
    return not (m and len(m.group()) >= 0.5 * n)


_HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
UNSPACED_TITLE_CHARS = 8  # Chinese/Japanese characters of a headline (menu labels have 2-4)


def _unspaced_headline(text: str) -> bool:
    """A Chinese or Japanese headline: no spaces between its words, so it is short in
    characters and counts as one word, yet it says as much as a headline in other scripts."""
    han = len(_HAN_KANA.findall(text))
    return han >= UNSPACED_TITLE_CHARS and han >= 0.5 * len(text.replace(" ", ""))


def _long_headline(el: etree._Element, n: int) -> bool:
    """A link longer than a title usually is, set inside a heading: a long headline, not a card."""
    return n <= TITLE_MAX_CHARS and any(x.tag in HEADINGS for x in el.iterancestors())


@dataclass(slots=True)  # one per element of the page: slots make them quicker to build and sum
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
    cta: int = 0  # teaser links with no title of their own: image-only, "Read more"
    tags: int = 0  # title-like links of one or two words (a card's keywords, its category)

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
        self.cta += o.cta
        self.tags += o.tags

    @property
    def stories(self) -> int:
        """Title links, less the keyword links beside a longer title."""
        return self.titles - self.tags if self.titles > self.tags else self.titles

    @property
    def extra(self) -> int:
        """Text that is neither link nor heading: teaser, date, author."""
        return max(0, self.text - self.link - self.head + self.head_link)


class _Tree:
    """The cleaned body with per-element measures and tag+class paths."""

    def __init__(self, body: etree._Element) -> None:
        # iter(etree.Element) yields elements only (no comments or PIs): no tag test needed
        self.els: list[etree._Element] = list(body.iter(etree.Element))
        self.agg: dict[etree._Element, _Agg] = {}
        self.path: dict[etree._Element, str] = {}
        self.order: dict[etree._Element, int] = {e: i for i, e in enumerate(self.els)}
        self.bare_heads: set[etree._Element] = set()  # unlinked headings that title a linked card
        self._texts: dict[etree._Element, str] = {}  # text() by element (the tree is not changed)
        parents = [el.getparent() for el in self.els]
        for el, parent in zip(self.els, parents, strict=True):
            up = self.path.get(parent, "")
            sig = _sig(el)
            # a run of bare <div> wrappers counts as one: records that differ only in how many
            # plain wrappers a template put around them still share a path
            self.path[el] = up if sig == "div" and up.endswith("/div") else f"{up}/{sig}"
        self._measure_all(body, parents)

    def _measure_all(self, body: etree._Element, parents: list[etree._Element | None]) -> None:
        """Every element's measures, bottom-up: in reverse document order an element comes after
        all its descendants, so each one, once finished, is added into its parent's sums (one
        pass, where asking each element for its children costs a second walk of the tree)."""
        agg = self.agg
        for el in self.els:
            agg[el] = _Agg(text=_tlen(el.text))
        for node in body.iter(etree.Comment, etree.ProcessingInstruction, etree.Entity):
            if node.getparent() in agg:  # not elements, but their tails are the parent's text
                agg[node.getparent()].text += _tlen(node.tail)
        for el, parent in zip(reversed(self.els), reversed(parents), strict=True):
            a = agg[el]
            self._finish(el, a)
            up = agg.get(parent)
            if up is not None:
                up.add(a)
                up.text += _tlen(el.tail)

    def _finish(self, el: etree._Element, a: _Agg) -> None:
        """The element's own contribution, once its children's sums are in ``a``."""
        tag = el.tag
        if tag == "a" and el.get("href"):
            has_head = a.heads > 0
            if has_head or a.text <= WHOLE_CARD_LINK or _long_headline(el, a.text):
                # a link wrapping a heading is the whole card: its heading is the title
                if not has_head:
                    a.link = a.text
                    a.head_link = a.head
                if has_head or _title_like(self.text(el)):
                    a.titles = 1
                    a.tags = int(not has_head and len(self.text(el).split()) <= 2)
            if not a.titles and (a.text == 0 or _READ_MORE.match(self.text(el))):
                a.cta += 1
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
        if a.titles <= 1 and a.heads == 1 and not a.head_link and a.cta and tag not in _INLINE:
            self._bare_title(el, a)
        elif not a.titles and not a.heads and a.cta and tag in _CARD_BLOCKS:
            self._bare_line(el, a)

    def _bare_line(self, el: etree._Element, a: _Agg) -> None:
        """A card with neither heading nor title link, only a "Read more" link after its text:
        its opening line, a block of its own, is its title."""
        more = next((x for x in el.iter("a") if x.get("href") and _READ_MORE.match(self.text(x))), None)
        if more is None:
            return
        lead = _tlen(el.text)
        for block in el.iter(*_CARD_BLOCKS):
            if block is el or lead > 0:
                continue
            text = self.text(block)
            if not text:
                continue
            if block in more.iterancestors() or not _title_like(text) or len(text) > WHOLE_CARD_LINK:
                return
            if any(isinstance(c.tag, str) and c.tag in _CARD_BLOCKS and self.text(c) for c in block.iter()
                   if c is not block):
                continue  # a wrapper: its first inner block is the line
            if a.text - len(text) < len(text):
                return  # nothing beside the line: a link label, not a card
            self.bare_heads.add(block)
            a.titles = 1
            return

    def _bare_title(self, el: etree._Element, a: _Agg) -> None:
        """A card whose heading is not a link but whose image or "Read more" link is: the
        heading is its title (and a short link beside it, "View results", a button)."""
        head = next(el.iter(*HEADINGS), None)
        if head is None or head in self.bare_heads or not _title_like(self.text(head)):
            return
        if a.titles:
            link = next((x for x in el.iter("a") if self.agg.get(x) and self.agg[x].titles), None)
            if link is None or len(self.text(link).split()) >= len(self.text(head).split()):
                return
        self.bare_heads.add(head)
        a.titles = 1

    def text(self, el: etree._Element) -> str:
        """``_text(el)``, computed once per element."""
        text = self._texts.get(el)
        if text is None:
            text = self._texts[el] = _text(el)
        return text


def _sig(el: etree._Element) -> str:
    return _tag_class_sig(el.tag, el.get("class"))


@lru_cache(maxsize=8192)
def _tag_class_sig(tag: str, classes: str | None) -> str:
    """The tag and its first class name without digits (a page repeats a few hundred pairs)."""
    if tag in _CLASSLESS_SIGS:
        return tag
    for tok in (classes or "").split():
        if not any(c.isdigit() for c in tok):
            return f"{tag}.{tok}"
    return tag


