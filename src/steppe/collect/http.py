"""Polite HTTP fetching: robots.txt, per-host delay, retries with backoff, size limits."""

from __future__ import annotations

import email.utils
import logging
import time
import urllib.robotparser
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from steppe.collect.files import guess_type
from steppe.collect.options import CollectOptions, human_size, too_big, utc_now
from steppe.model import Failure, RawDocument

log = logging.getLogger("steppe")

BACKOFF = 0.5  # first retry waits this long, then doubles
MAX_WAIT = 60.0  # longest Retry-After / Crawl-delay Steppe will honour by sleeping
MAX_REDIRECTS = 10
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 lets crawlers ignore robots.txt content past 500 KiB

# Types the extract stage can read. Anything else is refused before download.
SUPPORTED_TYPES = frozenset({
    "text/html", "application/xhtml+xml", "text/plain",
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/xml", "text/xml", "application/pdf",
})


def is_http_url(text: str) -> bool:
    return urlsplit(text.strip()).scheme.lower() in ("http", "https")


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class _Retry(Exception):
    """A transient failure worth another attempt, after ``wait`` seconds if given."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.wait = wait


class _Fail(Exception):
    """A permanent failure with a one-line reason."""


class Fetcher:
    """One HTTP client for a whole run; remembers robots.txt and last request per host."""

    def __init__(self, options: CollectOptions) -> None:
        self.options = options
        self.client = httpx.Client(
            headers={"User-Agent": options.user_agent},
            timeout=options.timeout,
            follow_redirects=False,  # followed by hand: each hop gets robots and politeness
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._last: dict[str, float] = {}
        self.notes: list[str] = []  # things worth telling the user that are not failures

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public ---------------------------------------------------------------

    def fetch(self, url: str, source: str | None = None) -> RawDocument | Failure:
        """Fetch ``url``; ``source`` (default: the URL) names the result."""
        source = source or url
        current = url.strip()
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                if not is_http_url(current):
                    raise _Fail(f"unsupported URL scheme in {current!r}")
                if not self.allowed(current):
                    raise _Fail("disallowed by robots.txt")
                result = self._get_with_retries(current)
                if isinstance(result, str):  # a redirect target
                    current = result
                    continue
                data, content_type = result
                return RawDocument(source=source, data=data, content_type=content_type,
                                   fetched_at=utc_now(), url=current)
            raise _Fail(f"too many redirects (more than {MAX_REDIRECTS})")
        except _Fail as exc:
            return Failure(source, "collect", str(exc))
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
            return Failure(source, "collect", f"invalid URL: {_describe(exc)}")

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets Steppe fetch ``url`` (always, when robots are ignored)."""
        if not self.options.respect_robots:
            return True
        parser = self._robots_for(url)
        return parser is None or parser.can_fetch(self.options.user_agent, url)

    # -- robots.txt -------------------------------------------------------------

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        key = host_key(url)
        if key not in self._robots:
            self._robots[key] = self._load_robots(key)
        return self._robots[key]

    def _load_robots(self, key: str) -> urllib.robotparser.RobotFileParser | None:
        """The host's robots.txt; None (everything allowed) when it has none or is unreachable."""
        robots_url = f"{key}/robots.txt"
        self._wait_turn(key)
        try:
            with self.client.stream("GET", robots_url, follow_redirects=True) as resp:
                if resp.status_code >= 400:
                    # RFC 9309: 4xx means no rules; 5xx should mean "disallow all", but
                    # Steppe fetches single pages on a user's request, so it notes it and goes on.
                    if resp.status_code >= 500:
                        self._note(f"robots.txt at {robots_url} gave HTTP {resp.status_code}; "
                                   "treated as allowing everything")
                    return None
                body = b""
                for chunk in resp.iter_bytes():
                    body += chunk
                    if len(body) > ROBOTS_MAX_BYTES:
                        break
        except httpx.HTTPError as exc:
            self._note(f"robots.txt at {robots_url} unreachable ({_describe(exc)}); "
                       "treated as allowing everything")
            return None
        finally:
            self._last[key] = time.monotonic()
        parser = urllib.robotparser.RobotFileParser(robots_url)
        parser.parse(body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace").splitlines())
        return parser

    def _note(self, message: str) -> None:
        log.warning(message)
        self.notes.append(message)

    # -- politeness and retries -------------------------------------------------

    def _delay_for(self, key: str) -> float:
        delay = self.options.delay
        parser = self._robots.get(key) if self.options.respect_robots else None
        if parser is not None:
            crawl_delay = parser.crawl_delay(self.options.user_agent)
            if crawl_delay is not None:
                delay = max(delay, min(float(crawl_delay), MAX_WAIT))
        return delay

    def _wait_turn(self, key: str) -> None:
        last = self._last.get(key)
        if last is not None:
            pause = last + self._delay_for(key) - time.monotonic()
            if pause > 0:
                time.sleep(pause)

    def _get_with_retries(self, url: str) -> tuple[bytes, str | None] | str:
        attempts = max(0, self.options.retries) + 1
        for attempt in range(attempts):
            try:
                return self._get_once(url)
            except _Retry as exc:
                if attempt + 1 >= attempts:
                    raise _Fail(str(exc) + (f" (after {attempts} attempts)" if attempts > 1 else "")) from None
                wait = exc.wait if exc.wait is not None else BACKOFF * 2**attempt
                if wait > MAX_WAIT:
                    raise _Fail(f"{exc}; server asked to retry after {wait:.0f} s") from None
                time.sleep(wait)
        raise AssertionError("unreachable")

    def _get_once(self, url: str) -> tuple[bytes, str | None] | str:
        """One request: (body, content type), a redirect target, or _Retry / _Fail."""
        key = host_key(url)
        self._wait_turn(key)
        try:
            with self.client.stream("GET", url) as resp:
                return self._read_response(url, resp)
        except (httpx.UnsupportedProtocol, httpx.LocalProtocolError) as exc:
            raise _Fail(f"invalid request: {_describe(exc)}") from None
        except httpx.TimeoutException as exc:
            raise _Retry(f"timed out ({_describe(exc)})") from None
        except httpx.TransportError as exc:
            raise _Retry(f"cannot connect: {_describe(exc)}") from None
        except httpx.HTTPError as exc:
            raise _Fail(_describe(exc)) from None
        finally:
            self._last[key] = time.monotonic()

    def _read_response(self, url: str, resp: httpx.Response) -> tuple[bytes, str | None] | str:
        status = resp.status_code
        if resp.is_redirect and "location" in resp.headers:
            return urljoin(url, resp.headers["location"].strip())
        if status == 429 or (status >= 500 and status not in (501, 505)):
            raise _Retry(f"HTTP {status} {resp.reason_phrase}".strip(), _retry_after(resp))
        if not 200 <= status < 300:
            raise _Fail(f"HTTP {status} {resp.reason_phrase}".strip())
        content_type = _content_type(url, resp.headers.get("content-type"))
        length = resp.headers.get("content-length", "")
        limit = self.options.max_bytes
        if length.isdigit() and int(length) > limit:
            raise _Fail(too_big(int(length), limit))
        parts: list[bytes] = []
        total = 0
        for chunk in resp.iter_bytes():  # decoded chunks: a compressed bomb is caught too
            total += len(chunk)
            if total > limit:
                raise _Fail(f"exceeds size limit (more than {human_size(limit)})")
            parts.append(chunk)
        data = b"".join(parts)
        if not data:
            raise _Fail("empty response")
        return data, content_type


def _content_type(url: str, header: str | None) -> str | None:
    """The declared content type when Steppe can read it; _Fail otherwise."""
    if not header:
        return guess_type(urlsplit(url).path)
    mime = header.split(";", 1)[0].strip().lower()
    if mime in SUPPORTED_TYPES or mime.startswith("text/") or mime.endswith("+xml"):
        return header.strip()
    if mime in ("application/octet-stream", "binary/octet-stream"):
        guessed = guess_type(urlsplit(url).path)  # servers often send PDFs this way
        if guessed in SUPPORTED_TYPES:
            return guessed
    raise _Fail(f"unsupported content type {mime}")


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _describe(exc: BaseException) -> str:
    """A one-line description of an httpx error (its message can be empty or multi-line)."""
    text = " ".join(str(exc).split())
    if not text:
        return type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."
