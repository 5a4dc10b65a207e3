"""The embedded evidence base: one SQLite file, WAL mode, FTS5 for keyword search.

The behaviour (writes, search over the term index, reads) is
:class:`steppe.store.core.SQLStore`'s, shared with PostgreSQL; this module holds
the SQLite schema, its migrations and the FTS5 fallback ranking.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from steppe.store.base import StoreError
from steppe.store.core import LANGUAGE_MIGRATION, WATCH_MIGRATION, Filters, SQLStore
from steppe.store.query import item_filters
from steppe.store.sql import SQLiteDatabase
from steppe.store.termindex import MIGRATION as TERM_INDEX_MIGRATION

MIGRATIONS: list[str] = [
    # 1: pages, items, provenance, runs, failures, keyword index
    """
    CREATE TABLE pages (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        content_type TEXT,
        fetched_at TEXT,
        kind TEXT NOT NULL,
        title TEXT,
        publisher TEXT,
        url TEXT,
        published TEXT,
        published_precision TEXT,
        text TEXT NOT NULL,
        run_id INTEGER,
        UNIQUE (source, sha256)
    );
    CREATE TABLE items (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        title TEXT,
        text TEXT NOT NULL,
        published TEXT,
        published_precision TEXT,
        date_raw TEXT,
        publisher TEXT,
        url TEXT,
        first_page INTEGER REFERENCES pages(id),
        minhash BLOB
    );
    CREATE INDEX items_published ON items(published);
    CREATE INDEX items_publisher ON items(publisher);
    CREATE TABLE provenance (
        item_id TEXT NOT NULL REFERENCES items(id),
        page_id INTEGER NOT NULL REFERENCES pages(id),
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        PRIMARY KEY (item_id, page_id, start)
    );
    CREATE INDEX provenance_page ON provenance(page_id);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        inputs TEXT,
        pages_added INTEGER DEFAULT 0,
        pages_skipped INTEGER DEFAULT 0,
        failures INTEGER DEFAULT 0
    );
    CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        source TEXT NOT NULL,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );
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
    """
    CREATE TABLE mentions (
        item_id TEXT NOT NULL REFERENCES items(id),
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        label TEXT NOT NULL,
        actor TEXT,
        score REAL,
        country TEXT,
        role TEXT,
        PRIMARY KEY (item_id, start, "end")
    );
    CREATE INDEX mentions_actor ON mentions(actor);
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        item_id TEXT NOT NULL REFERENCES items(id),
        type TEXT NOT NULL,
        quad TEXT,
        intensity REAL,
        date TEXT,
        date_precision TEXT,
        place TEXT,
        negated INTEGER DEFAULT 0,
        hypothetical INTEGER DEFAULT 0,
        confidence REAL,
        evidence_start INTEGER,
        evidence_end INTEGER,
        record TEXT NOT NULL
    );
    CREATE INDEX events_item ON events(item_id);
    CREATE INDEX events_date ON events(date);
    CREATE TABLE event_actors (
        event_id TEXT NOT NULL REFERENCES events(id),
        side TEXT NOT NULL,
        actor TEXT NOT NULL,
        country TEXT,
        PRIMARY KEY (event_id, side, actor)
    );
    CREATE INDEX event_actors_actor ON event_actors(actor);
    CREATE TABLE enriched (item_id TEXT PRIMARY KEY, version TEXT NOT NULL);
    """,
    # 3: sentence embeddings for semantic search (float32 blobs; steppe.analyse.semantic)
    """
    CREATE TABLE item_vectors (
        item_id TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        dim INTEGER,
        vector BLOB NOT NULL
    );
    CREATE INDEX item_vectors_model ON item_vectors(model);
    """,
    # 4: the term index that ranks keyword searches without scoring every match
    TERM_INDEX_MIGRATION,
    # 5: the language of each page and item (ISO 639-1, steppe.language), to filter on
    LANGUAGE_MIGRATION,
    # 6: watchlists and what their checks have already reported (steppe.analyse.watch)
    WATCH_MIGRATION,
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
