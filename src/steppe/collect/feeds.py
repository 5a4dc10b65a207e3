"""RSS/Atom/RDF feeds: recognise them, parse them, and collect the pages their entries link to."""

from __future__ import annotations

import io
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import feedparser

from steppe.model import Failure, RawDocument

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                        "application/feed+json"})

# Prolog before the root element: XML declaration, processing instructions, comments, doctype.
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)", re.S | re.I)
_ROOT = re.compile(rb"\s*<([A-Za-z_][\w.:-]*)")
_FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf:rdf"})
_SNIFF_BYTES = 4096


@dataclass
class FeedEntry:
    """What a feed says of one entry; later stages may use it as metadata."""

    link: str | None
    title: str | None = None
    published: str | None = None  # ISO 8601 UTC, e.g. 2024-03-01T09:30:00Z
    summary: str | None = None


def looks_like_feed(data: bytes, content_type: str | None = None) -> bool:
    """True for a feed content type, or when the document's root element is rss, feed or rdf:RDF."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime in FEED_TYPES:
        return True
    return _root_element(data) in _FEED_ROOTS


def _root_element(data: bytes) -> bytes | None:
    head = data[:_SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM
        try:
            head = head.decode("utf-16", errors="ignore").encode("utf-8")
        except UnicodeError:
            return None
    head = head.removeprefix(b"\xef\xbb\xbf")
    pos = 0
    while match := _PROLOG.match(head, pos):
        if match.end() == pos:
            break
        pos = match.end()
    root = _ROOT.match(head, pos)
    return root.group(1).lower() if root else None


def parse_feed(data: bytes, base_url: str | None = None,
               content_type: str | None = None) -> list[FeedEntry]:
    """Entries of an RSS/Atom/RDF feed; relative links resolved against ``base_url``."""
    headers = {}
    if base_url:
        headers["content-location"] = base_url
    if content_type:
        headers["content-type"] = content_type
    # A BytesIO, never raw bytes: feedparser treats a string it is given as a possible path or URL.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    channel_link = parsed.feed.get("link") if parsed.get("feed") else None
    entries = []
    for entry in parsed.entries:
        link = _entry_link(entry)
        if link and base_url:
            link = urljoin(base_url, link)
        elif link and channel_link and not urlsplit(link).scheme:
            link = urljoin(channel_link, link)
        entries.append(FeedEntry(
            link=link,
            title=_clean(entry.get("title")),
            published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
            summary=_clean(entry.get("summary")),
        ))
    return entries


def _entry_link(entry: feedparser.FeedParserDict) -> str | None:
    link = entry.get("link")
    if not link:
        # Atom entries may carry only rel="enclosure"/"related" links, or RSS only a guid.
        for candidate in entry.get("links", []):
            if candidate.get("href") and candidate.get("rel", "alternate") == "alternate":
                link = candidate["href"]
                break
    if not link and entry.get("guidislink"):
        link = entry.get("id")
    return link.strip() if link else None


def _iso(value: time.struct_time | None) -> str | None:
    if not value:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", value)


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    return value.strip() or None


def expand_feed(feed: RawDocument, fetch: Callable[[str], RawDocument | Failure],
                read_local: Callable[[str], RawDocument | Failure]) -> Iterator[RawDocument | Failure]:
    """The documents a feed's entries link to, in feed order, each link once.

    ``fetch`` gets http(s) links. For a local feed file, links that are neither
    absolute nor resolvable against the feed's own link are read as paths
    relative to the feed file, through ``read_local``.
    """
    base = feed.url or (feed.source if urlsplit(feed.source).scheme in ("http", "https") else None)
    try:
        entries = parse_feed(feed.data, base, feed.content_type)
    except Exception as exc:  # feedparser is lenient, but never let one feed stop a run
        yield Failure(feed.source, "collect", f"cannot parse feed: {type(exc).__name__}")
        return
    if not entries:
        yield Failure(feed.source, "collect", "feed has no entries")
        return
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        if not entry.link:
            yield Failure(f"{feed.source}#entry-{number}", "collect", "feed entry has no link")
            continue
        if entry.link in seen:
            continue
        seen.add(entry.link)
        scheme = urlsplit(entry.link).scheme.lower()
        if scheme in ("http", "https"):
            yield fetch(entry.link)
        elif not scheme and base is None and not entry.link.startswith("/"):
            # A relative link in a local feed file names a file beside it.
            yield read_local(os.path.join(os.path.dirname(feed.source), entry.link))
        elif not scheme:
            yield Failure(entry.link, "collect",
                          f"unsupported link (no base URL to resolve it) in feed {feed.source}")
        else:
            yield Failure(entry.link, "collect", f"unsupported link in feed {feed.source}")
