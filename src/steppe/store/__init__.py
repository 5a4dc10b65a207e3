"""Persistence: ``open_store(url)`` gives the backend for a path or URL.

``steppe.db`` or ``sqlite:///path/steppe.db`` -> SQLite (default, embedded);
``postgresql://...`` -> PostgreSQL (``steppe.store.postgres``, needs the ``postgres`` extra).
"""

from __future__ import annotations

from steppe.store.base import AddResult, SearchHit, Store, StoreError
from steppe.store.query import QuerySyntaxError, to_fts_query
from steppe.store.sqlite import SQLiteStore

__all__ = ["AddResult", "QuerySyntaxError", "SQLiteStore", "SearchHit", "Store", "StoreError",
           "open_store", "to_fts_query"]


def open_store(url: str) -> Store:
    if url.startswith(("postgresql://", "postgres://")):
        from steppe.store.postgres import PostgresStore  # optional dependency: import on demand

        return PostgresStore(url)
    return SQLiteStore(url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url)
