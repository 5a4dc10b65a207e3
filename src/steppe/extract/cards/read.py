"""Reading one card: title, link, teaser text, date and author from its element(s)."""

from __future__ import annotations

from collections.abc import Callable, Container
from urllib.parse import urljoin

from lxml import etree

from steppe.extract.cards.dom import _title_like, _Tree
from steppe.extract.cards.model import Card
from steppe.extract.cards.vocab import (
    _AUTHOR_CLASS,
    _BLOCK_TAGS,
    _BYLINE,
    _DATE_FALLBACK,
    _DURATION,
    _EPISODE,
    _META_CLASS,
    _READ_MORE,
    HEADINGS,
    _has_token,
    _norm,
    _text,
)


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


def _pick_title(els: list[etree._Element], bare: Container[etree._Element] = ()
                ) -> tuple[str | None, str | None, etree._Element | None]:
    """(title, href, element to leave out of the teaser text). ``bare``: unlinked lines that
    title their card (its only link is a "Read more")."""
    heads = [h for e in els for h in e.iter(*HEADINGS)]
    if not heads and bare:
        line = next((x for e in els for x in e.iter() if x in bare), None)
        if line is not None:
            return _text(line), _first_href(els), line
    texts = [_text(h) for h in heads]
    # a kicker set as a heading ("Elektromobilität" over the headline) is not the title
    headline = next((i for i, t in enumerate(texts) if _title_like(t)), None)
    for i, (h, text) in enumerate(zip(heads, texts, strict=True)):
        if headline is not None and i < headline:
            continue
        if not text or (not _title_like(text) and _DATE_FALLBACK.search(text)):
            continue  # a date set as a heading is not the title
        link = next((a for a in h.iter("a") if a.get("href") and _title_like(_text(a))), None)
        if link is not None:
            # the heading's title link, without badges or tooltip links set beside it
            return _text(link), link.get("href"), h
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
    return _link_title(a), a.get("href"), a


def _link_title(a: etree._Element) -> str:
    """A link's title: its text, or, when the link wraps a whole card (title, source, date in
    blocks of their own), the first title-like block that is not a meta line."""
    blocks = _blocks([a], set())
    if len(blocks) >= 2:
        for text, _, owner in blocks:
            if _title_like(text) and not _has_token(_META_CLASS, owner):
                return text
    return _text(a)


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


def _read_card(els: list[etree._Element], base: str | None, find_date: Callable[[str], str | None],
               bare: Container[etree._Element] = ()) -> Card:
    title, href, title_el = _pick_title(els, bare)
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


