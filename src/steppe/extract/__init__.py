"""Extract: one raw document in, one Page with its items out.

The stage is a pure function of the document (``extract_document``), so it
can run in-process, in a pool or on a cluster. Which reader applies is
decided from the bytes, not trusted from the file name alone:

- HTML: main text and metadata (``html.extract_html``) plus teaser cards
  (``cards.find_cards``) for listing, search and mixed pages;
- PDF: its text, read as a text dump;
- anything else textual: a text dump (``textdump.read_text_dump``).
"""

from __future__ import annotations

import re

from steppe.extract.decode import DecodeError, decode_bytes, pdf_to_text
from steppe.extract.textdump import read_text_dump
from steppe.model import Item, Page, RawDocument, Span

__all__ = ["ExtractError", "extract_document", "sniff_format"]


class ExtractError(ValueError):
    """The document cannot be turned into a page; the message is a one-line reason."""


_HTML_SNIFF = re.compile(rb"<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<div[\s>]|<p>", re.I)
_TEXTUAL = ("text/", "application/xhtml", "application/xml", "application/json")


def sniff_format(raw: RawDocument) -> str:
    """'html', 'pdf' or 'text' from the first bytes, the declared type as a tie-breaker."""
    head = raw.data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if _HTML_SNIFF.search(head):
        return "html"
    ctype = (raw.content_type or "").lower()
    if "html" in ctype and b"<" in head:
        return "html"
    if ctype and not ctype.startswith(_TEXTUAL) and "pdf" not in ctype:
        raise ExtractError(f"unsupported content type {ctype.split(';')[0]}")
    return "text"


def extract_document(raw: RawDocument) -> Page:
    """Read a raw document into a Page with items. Raises ExtractError with a short reason."""
    fmt = sniff_format(raw)
    try:
        if fmt == "pdf":
            page = _from_text(raw, pdf_to_text(raw.data))
        elif fmt == "html":
            page = _from_html(raw, decode_bytes(raw.data, raw.content_type))
        else:
            page = _from_text(raw, decode_bytes(raw.data, raw.content_type))
    except DecodeError as exc:
        raise ExtractError(str(exc)) from exc
    if not page.items:
        raise ExtractError("no content found (only page furniture, or an empty page)")
    _set_languages(page)
    return page


def _set_languages(page: Page) -> None:
    """Each item's language from its own text (a listing may mix languages); the page's is
    the language most of its items' text is in, so the page's text is not read a second time
    (on the 990 eval pages this changes 2 page languages: 1 of them None -> the items' one).
    A page none of whose items is clear gets its language from all their text together."""
    from steppe.language import detect_language

    letters: dict[str, int] = {}
    for item in page.items:
        item.language = detect_language(f"{item.title or ''}\n{item.text}")
        if item.language:
            letters[item.language] = letters.get(item.language, 0) + len(item.text)
    page.language = (max(letters, key=letters.__getitem__) if letters
                     else detect_language("\n".join(i.text for i in page.items)))


def _base_page(raw: RawDocument, text: str) -> Page:
    return Page(source=raw.source, sha256=raw.sha256, text=text, content_type=raw.content_type,
                fetched_at=raw.fetched_at, url=raw.url)


def _from_text(raw: RawDocument, text: str) -> Page:
    page = _base_page(raw, text)
    reading = read_text_dump(text, source_url=raw.url)
    page.kind, page.items, page.title = reading.kind, reading.items, reading.title
    page.url = reading.url or raw.url
    page.publisher = reading.publisher
    page.published, page.published_precision = reading.published.value, reading.published.precision
    return page


def _from_html(raw: RawDocument, html: str) -> Page:
    from steppe.extract.cards import find_cards
    from steppe.extract.dates import DateValue, infer_day_first, parse_date
    from steppe.extract.html import extract_html
    from steppe.extract.publishers import domain_of, publisher_from_url

    extraction = extract_html(html, url=raw.url)
    cards = find_cards(html, url=extraction.url or raw.url)
    publisher = extraction.publisher or publisher_from_url(extraction.url or raw.url) or domain_of(raw.url)
    builder = _TextBuilder()
    items: list[Item] = []
    if cards.kind in ("article", "mixed") or not cards.cards:
        body = extraction.text.strip()
        if body:
            span = builder.add(body)
            items.append(Item(kind="article", text=body, title=extraction.title,
                              published=extraction.published,
                              published_precision=extraction.published_precision,
                              url=extraction.url or raw.url, spans=[span]))
    anchor = DateValue(extraction.published, extraction.published_precision)
    day_first = infer_day_first(c.date_raw for c in cards.cards if c.date_raw)
    for card in cards.cards if cards.kind != "article" else []:
        if card.title:
            builder.add(card.title)
        text = card.text.strip() or (card.title or "").strip()
        if not text:
            continue
        span = builder.add(text, gap="\n" if card.title else "\n\n")
        date = parse_date(card.date_raw, anchor=anchor, day_first=day_first) if card.date_raw else None
        items.append(Item(kind=card.kind, text=text, title=card.title, url=card.url,
                          published=date.value if date else None,
                          published_precision=date.precision if date else None,
                          date_raw=card.date_raw, spans=[span]))
    for item in items:
        item.publisher = publisher
    page = _base_page(raw, builder.text)
    page.kind = cards.kind if cards.cards else "article"
    page.items = items
    page.title = extraction.title
    page.url = extraction.url or raw.url
    page.publisher = publisher
    page.published, page.published_precision = extraction.published, extraction.published_precision
    return page


class _TextBuilder:
    """Builds an HTML page's text from extracted pieces, returning each piece's span."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, piece: str, gap: str = "\n\n") -> Span:
        if self.parts:
            self.parts.append(gap)
            self.length += len(gap)
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return Span(start, self.length)

    @property
    def text(self) -> str:
        return "".join(self.parts)
