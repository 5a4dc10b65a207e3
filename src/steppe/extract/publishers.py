"""Who published a page: from its metadata, its URLs, or the furniture naming the site.

The known publishers live in ``publishers.yaml`` beside this file (domain and
name variants); users add their own with ``$STEPPE_PUBLISHERS`` pointing at a
YAML file of the same shape.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    paths = [Path(__file__).with_name("publishers.yaml")]
    if os.environ.get("STEPPE_PUBLISHERS"):
        paths += [Path(p) for p in os.environ["STEPPE_PUBLISHERS"].split(os.pathsep) if p]
    by_domain: dict[str, str] = {}
    by_name: list[tuple[re.Pattern[str], str]] = []
    for path in paths:
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            for domain in entry.get("domains", []):
                by_domain[domain.lower()] = entry["name"]
            for variant in [entry["name"], *entry.get("aliases", [])]:
                by_name.append((re.compile(rf"\b{re.escape(variant)}\b"), entry["name"]))
    return by_domain, by_name


def publisher_from_url(url: str | None) -> str | None:
    """Known publisher for a URL's host (sub-domains included), else None."""
    host = _host(url)
    by_domain, _ = _table()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = by_domain.get(".".join(parts[i:]))
        if name:
            return name
    return None


def domain_of(url: str | None) -> str | None:
    return _host(url) or None


def _host(url: str | None) -> str:
    """The URL's host without "www.", or "" (no URL, or one urllib cannot read: a text dump's
    URL line can be cut mid-way, e.g. "http://[" of a Markdown link)."""
    if not url:
        return ""
    try:
        return (urlsplit(url).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""


def publishers_named(text: str) -> list[str]:
    """Known publishers named in a piece of text, in order of first appearance."""
    _, by_name = _table()
    found: list[tuple[int, str]] = []
    for pattern, name in by_name:
        match = pattern.search(text)
        if match:
            found.append((match.start(), name))
    seen: list[str] = []
    for _, name in sorted(found):
        if name not in seen:
            seen.append(name)
    return seen
