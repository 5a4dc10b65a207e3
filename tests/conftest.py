"""Shared fixtures. Third-party data lives in ../shared beside the repository, never in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pg import pg_server, pg_url  # noqa: F401  (fixtures: a throwaway PostgreSQL server)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent: the corpus tests need the shared data beside the repo")
    return CORPUS


def corpus_file(prefix: str) -> Path:
    """The corpus page whose file name starts with ``prefix`` (e.g. '001')."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent: the corpus tests need the shared data beside the repo")
    matches = sorted(CORPUS.glob(f"{prefix}*"))
    if not matches:
        pytest.skip(f"no corpus page {prefix}* in ../shared/corpus")
    return matches[0]


@pytest.fixture(scope="module")
def kb():
    """The shipped knowledge base (loaded once per test module)."""
    from steppe.enrich.actors import KnowledgeBase

    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def russian(kb):
    """The Russian enricher over that knowledge base."""
    from steppe.enrich.russian import RussianEnricher

    return RussianEnricher(kb)
