"""collect over HTTP, against a real server on 127.0.0.1 started by the test itself."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import steppe.collect.http as collect_http
from steppe.collect import CollectOptions, iter_documents
from steppe.collect.http import Fetcher
from steppe.model import Failure, RawDocument

PAGE = b"<html><head><title>Hello</title></head><body><p>Hello world</p></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
BIG = b"<html><body>" + b"x" * 200_000 + b"</body></html>"


@dataclass
class Seen:
    path: str
    user_agent: str
    at: float


@dataclass
class Site:
    robots: str | None
    seen: list[Seen] = field(default_factory=list)
    flaky_calls: int = 0
    base: str = ""


class Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        site: Site = self.server.site  # type: ignore[attr-defined]
        site.seen.append(Seen(self.path, self.headers.get("User-Agent", ""), time.monotonic()))
        # The client may hang up early (timeouts, size limits): expected, not an error.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route(site)

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self, site: Site) -> None:
        path = self.path
        if path == "/robots.txt":
            if site.robots is None:
                self._send(404, b"not found", "text/plain")
            else:
                self._send(200, site.robots.encode(), "text/plain")
        elif path in ("/page", "/private/page", "/other"):
            self._send(200, PAGE)
        elif path == "/flaky":  # 500 first, then 200
            site.flaky_calls += 1
            if site.flaky_calls == 1:
                self._send(500, b"oops")
            else:
                self._send(200, PAGE)
        elif path == "/busy":  # always 503 with Retry-After: 0
            self._send(503, b"busy", headers={"Retry-After": "0"})
        elif path == "/image.png":
            self._send(200, PNG, "image/png")
        elif path == "/slow":
            time.sleep(1.0)
            self._send(200, PAGE)
        elif path == "/big":
            self._send(200, BIG)
        elif path == "/big-stream":  # no Content-Length: only streaming can catch it
            self._send(200, BIG, length=False)
        elif path == "/old":
            self._send(301, b"", headers={"Location": "/page"})
        elif path == "/to-private":
            self._send(302, b"", headers={"Location": f"{site.base}/private/page"})
        elif path == "/loop":
            self._send(302, b"", headers={"Location": "/loop"})
        elif path == "/paper.pdf":
            self._send(200, b"%PDF-1.4 fake", "application/octet-stream")
        else:
            self._send(404, b"not found")


def _serve(robots: str | None) -> tuple[ThreadingHTTPServer, Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site = Site(robots=robots, base=f"http://127.0.0.1:{server.server_address[1]}")
    server.site = site  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return server, site


@pytest.fixture
def site() -> Iterator[Site]:
    server, site = _serve("User-agent: *\nDisallow: /private\n")
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collect_http, "BACKOFF", 0.05)


FAST = CollectOptions(delay=0, retries=2, timeout=5)


def _one(url: str, options: CollectOptions = FAST) -> RawDocument | Failure:
    docs = list(iter_documents([url], options=options))
    assert len(docs) == 1
    return docs[0]


def test_html_page_with_user_agent_and_robots_first(site: Site) -> None:
    doc = _one(f"{site.base}/page")
    assert isinstance(doc, RawDocument)
    assert doc.data == PAGE and doc.content_type == "text/html; charset=utf-8"
    assert doc.source == doc.url == f"{site.base}/page"
    assert doc.fetched_at and doc.fetched_at.endswith("Z")
    assert [s.path for s in site.seen] == ["/robots.txt", "/page"]
    assert all(s.user_agent == CollectOptions().user_agent for s in site.seen)


def test_robots_disallow_is_respected_and_fetched_once(site: Site) -> None:
    docs = list(iter_documents([f"{site.base}/private/page", f"{site.base}/page",
                                f"{site.base}/to-private"], options=FAST))
    assert isinstance(docs[0], Failure) and docs[0].reason == "disallowed by robots.txt"
    assert isinstance(docs[1], RawDocument)
    assert isinstance(docs[2], Failure) and docs[2].reason == "disallowed by robots.txt"
    assert [s.path for s in site.seen] == ["/robots.txt", "/page", "/to-private"]


def test_robots_can_be_ignored(site: Site) -> None:
    options = CollectOptions(delay=0, retries=0, respect_robots=False)
    assert isinstance(_one(f"{site.base}/private/page", options), RawDocument)
    assert "/robots.txt" not in [s.path for s in site.seen]


def test_retry_after_500_then_success(site: Site) -> None:
    doc = _one(f"{site.base}/flaky")
    assert isinstance(doc, RawDocument) and doc.data == PAGE
    assert site.flaky_calls == 2


def test_retries_exhausted_gives_status(site: Site) -> None:
    doc = _one(f"{site.base}/busy")
    assert isinstance(doc, Failure)
    assert doc.reason == "HTTP 503 Service Unavailable (after 3 attempts)"
    assert [s.path for s in site.seen].count("/busy") == 3


def test_404_and_unsupported_type(site: Site) -> None:
    missing = _one(f"{site.base}/nothing")
    assert isinstance(missing, Failure) and missing.reason == "HTTP 404 Not Found"
    image = _one(f"{site.base}/image.png")
    assert isinstance(image, Failure) and image.reason == "unsupported content type image/png"
    # octet-stream with a .pdf name is a PDF served carelessly
    pdf = _one(f"{site.base}/paper.pdf")
    assert isinstance(pdf, RawDocument) and pdf.content_type == "application/pdf"


def test_timeout(site: Site) -> None:
    start = time.monotonic()
    doc = _one(f"{site.base}/slow", CollectOptions(delay=0, retries=0, timeout=0.3))
    assert isinstance(doc, Failure) and doc.reason.startswith("timed out")
    assert time.monotonic() - start < 1.0


@pytest.mark.parametrize("path", ["/big", "/big-stream"])
def test_size_limit(site: Site, path: str) -> None:
    doc = _one(f"{site.base}{path}", CollectOptions(delay=0, retries=0, max_bytes=50_000))
    assert isinstance(doc, Failure) and doc.reason.startswith("exceeds size limit")
    assert "\n" not in doc.reason


def test_redirect_gives_final_url(site: Site) -> None:
    doc = _one(f"{site.base}/old")
    assert isinstance(doc, RawDocument)
    assert doc.source == f"{site.base}/old" and doc.url == f"{site.base}/page"
    loop = _one(f"{site.base}/loop")
    assert isinstance(loop, Failure) and "too many redirects" in loop.reason


def test_per_host_delay(site: Site) -> None:
    options = CollectOptions(delay=0.2, retries=0)
    start = time.monotonic()
    docs = list(iter_documents([f"{site.base}/page", f"{site.base}/other"], options=options))
    assert all(isinstance(d, RawDocument) for d in docs)
    # robots.txt, /page and /other: each request waits its turn behind the previous one
    assert time.monotonic() - start >= 0.4
    times = [s.at for s in site.seen]
    assert all(b - a >= 0.19 for a, b in zip(times, times[1:], strict=False))


def test_robots_crawl_delay_when_larger() -> None:
    server, site = _serve("User-agent: *\nCrawl-delay: 1\n")
    try:
        doc = _one(f"{site.base}/page", CollectOptions(delay=0, retries=0))
    finally:
        server.shutdown()
        server.server_close()
    assert isinstance(doc, RawDocument)
    robots, page = (s.at for s in site.seen)
    assert page - robots >= 0.95  # robots.txt asked for 1 s between requests


def test_missing_robots_means_allowed() -> None:
    server, site = _serve(None)
    try:
        doc = _one(f"{site.base}/private/page")
    finally:
        server.shutdown()
        server.server_close()
    assert isinstance(doc, RawDocument)


def test_closed_port_is_a_one_line_failure() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    options = CollectOptions(delay=0, retries=1, timeout=2)
    with Fetcher(options) as fetcher:
        doc = fetcher.fetch(f"http://127.0.0.1:{port}/page")
        assert any("unreachable" in note for note in fetcher.notes)
    assert isinstance(doc, Failure) and doc.stage == "collect"
    assert doc.reason.startswith("cannot connect") and "\n" not in doc.reason
    assert "Traceback" not in doc.reason


def test_bad_urls_do_not_stop_the_run(site: Site) -> None:
    docs = list(iter_documents(["http://", f"{site.base}/page"], options=FAST))
    assert isinstance(docs[0], Failure) and isinstance(docs[1], RawDocument)
