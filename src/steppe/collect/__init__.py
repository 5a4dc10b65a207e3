"""The ``collect`` stage: inputs (paths, folders, .gz files, URLs, URL lists, feeds) -> RawDocument.

Every input yields one :class:`RawDocument` or one :class:`Failure` (a feed
yields one per entry); a bad input never stops the run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from steppe.collect.feeds import FeedEntry, expand_feed, looks_like_feed, parse_feed
from steppe.collect.files import iter_path, read_file
from steppe.collect.http import Fetcher, is_http_url
from steppe.collect.options import CollectOptions
from steppe.model import Failure, RawDocument

__all__ = ["CollectOptions", "FeedEntry", "iter_documents", "parse_feed", "read_urls_file"]

log = logging.getLogger("steppe")


def iter_documents(inputs: Iterable[str], *, urls_file: str | None = None,
                   options: CollectOptions | None = None) -> Iterator[RawDocument | Failure]:
    """Yield one RawDocument or Failure per input document, in a stable order.

    Inputs come first, in the order given, then the URLs of ``urls_file``.
    """
    options = options or CollectOptions()
    collector = _Collector(options)
    try:
        for item in inputs:
            yield from collector.collect(item)
        if urls_file is not None:
            for url in read_urls_file(urls_file, options):
                if isinstance(url, Failure):
                    yield url
                else:
                    yield from collector.collect(url)
    finally:
        collector.close()


def read_urls_file(path: str, options: CollectOptions | None = None) -> Iterator[str | Failure]:
    """URLs of a list file: one per line, blank lines and ``#`` comments skipped."""
    doc = read_file(path, options or CollectOptions())
    if isinstance(doc, Failure):
        yield Failure(path, "collect", f"cannot read URL list: {doc.reason}")
        return
    text = doc.data.decode("utf-8-sig", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if is_http_url(line):
            yield line
        else:
            yield Failure(f"{path}:{number}", "collect", f"not an http(s) URL: {line[:80]}")


class _Collector:
    """Routes each input to files or http, then expands feeds; owns the shared HTTP client."""

    def __init__(self, options: CollectOptions) -> None:
        self.options = options
        self._fetcher: Fetcher | None = None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:  # no client at all for runs over local files
            self._fetcher = Fetcher(self.options)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    def collect(self, item: str) -> Iterator[RawDocument | Failure]:
        try:
            yield from self._collect(item)
        except Exception as exc:  # a bug or odd input must cost one document, not the run
            log.debug("collect failed for %s", item, exc_info=True)
            reason = " ".join(str(exc).split())[:200]
            yield Failure(item, "collect", f"unexpected error: {type(exc).__name__}: {reason}")

    def _collect(self, item: str) -> Iterator[RawDocument | Failure]:
        scheme = urlsplit(item).scheme.lower()
        if scheme in ("http", "https"):
            docs: Iterable[RawDocument | Failure] = [self.fetcher.fetch(item)]
        elif "://" in item:
            docs = [Failure(item, "collect", f"unsupported URL scheme {scheme}:")]
        else:
            docs = iter_path(item, self.options)
        for doc in docs:
            if isinstance(doc, RawDocument) and looks_like_feed(doc.data, doc.content_type):
                yield from self._expand(doc)
            else:
                yield doc

    def _expand(self, feed: RawDocument) -> Iterator[RawDocument | Failure]:
        for doc in expand_feed(feed, self.fetcher.fetch, lambda p: read_file(p, self.options)):
            # One level only: a feed whose entries are feeds would otherwise recurse without end.
            if isinstance(doc, RawDocument) and looks_like_feed(doc.data, doc.content_type):
                yield Failure(doc.source, "collect", "feed entry is itself a feed; not followed")
            else:
                yield doc
