"""Shared helpers for the bench scripts: where the third-party eval data lives and how to read it.

The data under ``../shared/eval`` is read in place and never copied into the repository.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EVAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval"


def eval_dir(name: str) -> Path | None:
    """The folder of one eval set, or None when ../shared/eval is not there."""
    path = EVAL_DIR / name
    return path if path.is_dir() else None


def read_gz(path: Path) -> bytes:
    with gzip.open(path, "rb") as fh:
        return fh.read()


@dataclass
class Case:
    """One labelled page: where its bytes are and what the labels say."""

    dataset: str
    key: str
    path: Path
    url: str | None
    labels: dict[str, Any] = field(default_factory=dict)


def trafilatura_cases() -> Iterator[Case]:
    root = eval_dir("extraction-trafilatura")
    if root is None:
        return
    annotations = json.loads((root / "annotations.json").read_text(encoding="utf-8"))
    for url, labels in annotations.items():
        yield Case("trafilatura", url, root / "pages" / f"{labels['file']}.gz", url, labels)


def fundus_cases() -> Iterator[Case]:
    """Fundus keys each publisher's JSON by parser version (V1, V1_1, ...); the pages are
    named by crawl date. Both sort in the same order, so they pair up by position."""
    root = eval_dir("extraction-fundus")
    if root is None:
        return
    for country in sorted(p for p in root.iterdir() if p.is_dir()):
        meta_path = country / "meta.info"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        for label_file in sorted(country.glob("*.json")):
            publisher = label_file.stem
            labels = json.loads(label_file.read_text(encoding="utf-8"))
            pages = sorted(country.glob(f"{publisher}_*.html.gz"))
            versions = sorted(labels, key=_version_key)
            for version, page in zip(versions, pages, strict=False):
                url = meta.get(page.name, {}).get("url")
                yield Case("fundus", f"{country.name}/{page.name}", page, url, labels[version])


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version))


def htmldate_cases() -> Iterator[Case]:
    root = eval_dir("dates-htmldate")
    if root is None:
        return
    annotations = json.loads((root / "annotations.json").read_text(encoding="utf-8"))
    for url, labels in annotations.items():
        yield Case("htmldate", url, root / "pages" / f"{labels['file']}.gz", url, labels)


# --- scoring helpers -------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def shingles(text: str, size: int = 4) -> set[tuple[str, ...]]:
    """Word n-gram set of ``\\w+`` tokens (fundus body scoring)."""
    tokens = _WORD.findall(text)
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def norm(text: str | None) -> str:
    """Case- and space-normalised form for exact-match comparisons."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub(" ", text).strip().casefold()


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def fundus_body(labels: dict[str, Any]) -> str:
    """The gold body text of a fundus label: summary, then each section's headline and paragraphs."""
    body = labels.get("body") or {}
    parts: list[str] = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts.extend(section.get("headline") or [])
        parts.extend(section.get("paragraphs") or [])
    return "\n".join(parts)
