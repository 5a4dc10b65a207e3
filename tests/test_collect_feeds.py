"""Feeds: RSS/Atom served by a local 127.0.0.1 server, and a local feed file."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from steppe.collect import CollectOptions, iter_documents, parse_feed
from steppe.collect.feeds import looks_like_feed
from steppe.model import Failure, RawDocument

OPTIONS = CollectOptions(delay=0, retries=0, timeout=5)


def _rss(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>News</title><link>{base}/</link>
<item><title>First story</title><link>{base}/a</link>
  <pubDate>Fri, 01 Mar 2024 09:30:00 +0100</pubDate><description>About &lt;b&gt;A&lt;/b&gt;</description></item>
<item><title>Second story</title><link>{base}/b</link></item>
<item><title>Duplicate of first</title><link>{base}/a</link></item>
</channel></rss>""".encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title><id>urn:x</id>
<updated>2024-03-02T00:00:00Z</updated>
<entry><title>Bee</title><id>urn:b</id><link href="/b"/><updated>2024-03-02T10:00:00Z</updated></entry>
<entry><title>Ay</title><id>urn:a</id><link rel="alternate" href="a"/><updated>2024-03-01T10:00:00Z</updated></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="http://x/"><title>RDF</title><link>http://x/</link></channel>
<item rdf:about="http://x/1"><title>One</title><link>http://x/1</link></item>
</rdf:RDF>"""


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        routes = {
            "/rss.xml": (_rss(base), "application/rss+xml"),
            "/feeds/atom": (ATOM, "application/atom+xml; charset=utf-8"),
            "/plain-xml": (_rss(base), "text/xml"),  # recognised by sniffing, not by type
            "/empty.rss": (b'<rss version="2.0"><channel><title>t</title></channel></rss>',
                           "application/rss+xml"),
            "/a": (b"<html><body>page A</body></html>", "text/html"),
            "/b": (b"<html><body>page B</body></html>", "text/html"),
            "/feeds/a": (b"<html><body>page feeds A</body></html>", "text/html"),
        }
        body, ctype = routes.get(self.path, (b"missing", "text/plain"))
        self.send_response(200 if self.path in routes else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _docs(*inputs: str) -> list[RawDocument | Failure]:
    return list(iter_documents(list(inputs), options=OPTIONS))


def test_rss_feed_url_yields_its_entry_pages(base: str) -> None:
    docs = _docs(f"{base}/rss.xml")
    assert all(isinstance(d, RawDocument) for d in docs)
    assert [d.source for d in docs] == [f"{base}/a", f"{base}/b"]  # duplicate link once
    assert docs[0].data == b"<html><body>page A</body></html>"


def test_atom_feed_with_relative_links(base: str) -> None:
    docs = _docs(f"{base}/feeds/atom")
    assert [d.source for d in docs] == [f"{base}/b", f"{base}/feeds/a"]
    assert all(isinstance(d, RawDocument) for d in docs)


def test_feed_sniffed_when_served_as_plain_xml(base: str) -> None:
    assert [d.source for d in _docs(f"{base}/plain-xml")] == [f"{base}/a", f"{base}/b"]


def test_feed_without_entries_is_a_failure(base: str) -> None:
    [doc] = _docs(f"{base}/empty.rss")
    assert isinstance(doc, Failure) and doc.reason == "feed has no entries"


def test_local_feed_file_links_are_fetched(base: str, tmp_path: Path) -> None:
    feed = tmp_path / "news.rss"
    feed.write_bytes(_rss(base))
    docs = _docs(str(feed))
    assert [d.source for d in docs] == [f"{base}/a", f"{base}/b"]
    assert all(isinstance(d, RawDocument) and d.url == d.source for d in docs)


def test_feed_entry_that_fails_is_one_failure(base: str, tmp_path: Path) -> None:
    feed = tmp_path / "news.atom"
    feed.write_bytes(ATOM.replace(b'href="a"', f'href="{base}/gone"'.encode()))
    docs = _docs(str(feed))
    assert isinstance(docs[0], Failure) and "unsupported link" in docs[0].reason  # /b: no base
    assert isinstance(docs[1], Failure) and docs[1].reason == "HTTP 404 Not Found"


def test_parse_feed_metadata() -> None:
    entries = parse_feed(_rss("http://news.example"), "http://news.example/rss.xml")
    first = entries[0]
    assert first.link == "http://news.example/a"
    assert first.title == "First story"
    assert first.published == "2024-03-01T08:30:00Z"
    assert first.summary and "A" in first.summary
    assert entries[1].published is None
    atom = parse_feed(ATOM, "http://news.example/feeds/atom")
    assert [e.link for e in atom] == ["http://news.example/b", "http://news.example/feeds/a"]
    assert atom[0].published == "2024-03-02T10:00:00Z"


@pytest.mark.parametrize(("data", "ctype", "expected"), [
    (b'<?xml version="1.0"?>\n<!-- hi -->\n<rss version="2.0">', None, True),
    (ATOM, None, True),
    (RDF, "application/xml", True),
    (b"\xef\xbb\xbf<feed xmlns='http://www.w3.org/2005/Atom'>", None, True),
    (b"<!DOCTYPE html><html><body>Subscribe to our <rss> feed</body></html>", "text/html", False),
    (b"plain text mentioning <feed> late", "text/plain", False),
    (b"{}", "application/rss+xml", True),
])
def test_looks_like_feed(data: bytes, ctype: str | None, expected: bool) -> None:
    assert looks_like_feed(data, ctype) is expected


def test_rdf_feed_parses() -> None:
    [entry] = parse_feed(RDF, None)
    assert entry.link == "http://x/1" and entry.title == "One"
