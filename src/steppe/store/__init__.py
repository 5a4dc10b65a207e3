"""Persistence: ``open_store(url)`` gives the backend for a path or URL.

``steppe.db`` or ``sqlite:///path/steppe.db`` -> SQLite (default, embedded);
``postgresql://...`` -> PostgreSQL (``steppe.store.postgres``, needs the ``postgres`` extra).
"""

from __future__ import annotations

import re

from steppe.store.base import AddResult, SearchHit, Store, StoreError
from steppe.store.query import QuerySyntaxError, to_fts_query
from steppe.store.sqlite import SQLiteStore

__all__ = ["AddResult", "QuerySyntaxError", "SQLiteStore", "SearchHit", "Store", "StoreError",
           "open_store", "to_fts_query"]


SCHEMES = ("sqlite:///", "postgresql://", "postgres://")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def open_store(url: str) -> Store:
    """The store at a path or URL; a URL of any other scheme is refused (not made a file)."""
    scheme = _URL.match(url)
    if scheme and not url.startswith(SCHEMES):
        raise StoreError(f"unsupported store {scheme.group(0)!r}: give a SQLite file path, "
                         "sqlite:///PATH or postgresql://USER@HOST/DB")
    if url.startswith(("postgresql://", "postgres://")):
        from steppe.store.postgres import PostgresStore  # optional dependency: import on demand

        return PostgresStore(url)
    return SQLiteStore(url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url)
