"""The embedded evidence base: one SQLite file, WAL mode, FTS5 for keyword search.

The behaviour (writes, search over the term index, reads) is
:class:`steppe.store.core.SQLStore`'s, shared with PostgreSQL; this module holds
the SQLite schema, its migrations and the FTS5 fallback ranking.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from steppe.store.base import StoreError
from steppe.store.core import Filters, SQLStore
from steppe.store.query import item_filters
from steppe.store.schema import BASE, ENRICHMENT, LANGUAGE, VECTORS, WATCHLISTS, render
from steppe.store.sql import SQLiteDatabase
from steppe.store.termindex import MIGRATION as TERM_INDEX_MIGRATION
from steppe.store.termindex import OFFSETS_MIGRATION

MIGRATIONS: list[str] = [
    # 1: pages, items, provenance, runs, failures, keyword index (FTS5, kept in step by triggers)
    render(BASE, "sqlite") + """
    CREATE VIRTUAL TABLE items_fts USING fts5(
        title, text, content='items', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
        INSERT INTO items_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
        INSERT INTO items_fts(items_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER items_au AFTER UPDATE OF title, text ON items BEGIN
        INSERT INTO items_fts(items_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO items_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    """,
    # 2: entities linked to actors, and events
    render(ENRICHMENT, "sqlite"),
    # 3: sentence embeddings for semantic search (steppe.analyse.semantic)
    render(VECTORS, "sqlite"),
    # 4: the term index that ranks keyword searches without scoring every match
    TERM_INDEX_MIGRATION,
    # 5: the language of each page and item
    LANGUAGE,
    # 6: watchlists and what their checks have already reported
    WATCHLISTS,
    # 7: an update that leaves title and text as they were (a duplicate filling in a date) does
    # not re-index the row in FTS5 (a delete and an insert of the same tokens)
    """
    DROP TRIGGER items_au;
    CREATE TRIGGER items_au AFTER UPDATE OF title, text ON items
    WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
        INSERT INTO items_fts(items_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO items_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    """,
    # 8: the term index's column for adjacent pairs' offsets (only the PostgreSQL store fills it)
    OFFSETS_MIGRATION.format(blob="BLOB"),
]


class SQLiteStore(SQLStore):
    """The default store. ``SQLiteStore("steppe.db")``; use as a context manager or call close()."""

    backend = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.location = self.path  # what names this evidence base (e.g. for a cache key)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA busy_timeout=10000")
        self.sql = SQLiteDatabase(self.db)
        self._migrate()
        self._setup()

    def _migrate(self) -> None:
        version = self.schema_version
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            # executescript runs the whole script (trigger bodies and all) inside our transaction.
            try:
                self.db.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version={number};\nCOMMIT;")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def __enter__(self) -> SQLiteStore:
        return self

    def _load_items(self, columns: str, rows: Iterable[tuple[Any, ...]]) -> None:
        """Bulk-load items (inside the chunk's transaction): the FTS5 index is filled by one
        ``INSERT ... SELECT`` over the new rows instead of the insert trigger row by row (the
        same index, ~4x faster). The trigger is dropped and made again in this transaction, so
        no other connection ever sees the table without it."""
        trigger = self.db.execute("SELECT sql FROM sqlite_master WHERE type='trigger' AND name='items_ai'").fetchone()
        if trigger is None:
            super()._load_items(columns, rows)
            return
        top = self.db.execute("SELECT coalesce(max(rowid), 0) FROM items").fetchone()[0]
        self.db.execute("DROP TRIGGER items_ai")
        super()._load_items(columns, rows)
        self.db.execute("INSERT INTO items_fts(rowid, title, text) SELECT rowid, title, text FROM items"
                        " WHERE rowid > ? ORDER BY rowid", (top,))
        self.db.execute(trigger[0])

    def _fallback_rank(self, fts: str, filters: Filters, limit: int, offset: int) -> list[tuple[int, float]]:
        """FTS5's own bm25 order (phrases of several words, a backlog the term index has not caught up)."""
        where, params = item_filters(**filters)
        join = " JOIN items i ON i.rowid = items_fts.rowid" if where else ""
        return [(r[0], r[1]) for r in self.db.execute(
            f"SELECT items_fts.rowid, bm25(items_fts, 2.0, 1.0) AS score FROM items_fts{join}"
            f" WHERE items_fts MATCH ? {where} ORDER BY score, items_fts.rowid LIMIT ? OFFSET ?",
            (fts, *params, limit, offset))]

    def match_sql(self, fts: str, **filters: str | None) -> tuple[str, tuple[object, ...]]:
        where, params = item_filters(**filters)
        return (f"FROM items_fts JOIN items i ON i.rowid = items_fts.rowid WHERE items_fts MATCH ? {where}",
                (fts, *params))
