"""The embedded evidence base: one SQLite file, WAL mode, FTS5 for keyword search.

Each page is written in one transaction, so a run killed at any moment leaves
whole pages or nothing; running the same ingest again skips pages already
stored (same source, same bytes) and so converges on the database an
uninterrupted run would have made.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from steppe.model import Event, Failure, Item, Mention, Page
from steppe.store.base import AddResult, SearchHit, StoreError
from steppe.store.dedupe import NEAR_DUPLICATE_THRESHOLD, NearDuplicateIndex, signature
from steppe.store.query import item_filters, to_fts_any, to_fts_query
from steppe.store.reads import SharedReads
from steppe.store.termindex import BATCH_ROWS, SEARCH_REFRESH_LIMIT, NotCovered, TermIndex
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
    """
    ALTER TABLE pages ADD COLUMN language TEXT;
    ALTER TABLE items ADD COLUMN language TEXT;
    CREATE INDEX items_language ON items(language);
    """,
]


_MARK_ON, _MARK_OFF = "\x02", "\x03"  # around matches in snippets (SearchHit.snippet)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SQLiteStore(SharedReads):
    """The default store. ``SQLiteStore("steppe.db")``; use as a context manager or call close()."""

    backend = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA busy_timeout=10000")
        self._migrate()
        self._near: NearDuplicateIndex | None = None
        self._terms = TermIndex(self.db)
        self._unindexed = 0  # items added since the term index last caught up

    # ------------------------------------------------------------ lifecycle

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(script):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={number}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.db.close()
        if self._near is not None:
            self._near.close()  # its temporary signature file
            self._near = None

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ runs and failures

    def start_run(self, inputs: list[str]) -> int:
        cur = self.db.execute(
            "INSERT INTO runs(started_at, inputs) VALUES (?, ?)", (_now(), json.dumps(inputs))
        )
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, *, added: int, skipped: int, failed: int) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at=?, pages_added=?, pages_skipped=?, failures=? WHERE id=?",
            (_now(), added, skipped, failed, run_id),
        )
        self.refresh_search_index()

    def refresh_search_index(self) -> None:
        """Bring the keyword term index up to date (ingest does this; so can a maintenance job)."""
        self._terms.refresh()
        self._unindexed = 0

    def record_failure(self, run_id: int | None, failure: Failure) -> None:
        self.db.execute(
            "INSERT INTO failures(run_id, source, stage, reason, at) VALUES (?, ?, ?, ?, ?)",
            (run_id, failure.source, failure.stage, failure.reason, _now()),
        )

    # ------------------------------------------------------------ writing

    def has_page(self, source: str, sha256: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM pages WHERE source=? AND sha256=?", (source, sha256)
        ).fetchone()
        return row is not None

    def _near_index(self) -> NearDuplicateIndex:
        if self._near is None:
            self._near = NearDuplicateIndex()
            rows = self.db.execute("SELECT id, minhash FROM items WHERE minhash IS NOT NULL ORDER BY rowid")
            self._near.add_many((r[0], r[1]) for r in rows)
        return self._near

    def add_page(self, page: Page, *, run_id: int | None = None,
                 signatures: dict[str, Any] | None = None) -> AddResult:
        """Store a page and its items in one transaction; duplicates only gain a provenance.

        ``signatures``: MinHash signatures already computed (on a worker), by item id.
        """
        if self.has_page(page.source, page.sha256):
            return AddResult(page_added=False)
        near = self._near_index()
        pending: list[tuple[str, Any]] = []
        result = AddResult(page_added=True)
        self.db.execute("BEGIN IMMEDIATE")
        try:
            page_id = self.db.execute(
                "INSERT INTO pages(source, sha256, content_type, fetched_at, kind, title, publisher,"
                " url, published, published_precision, text, run_id, language)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (page.source, page.sha256, page.content_type, page.fetched_at, page.kind, page.title,
                 page.publisher, page.url, page.published, page.published_precision, page.text, run_id,
                 page.language),
            ).lastrowid
            for item in page.items:
                item_id = self._upsert_item(item, page_id, near, pending, result, signatures)
                for span in item.spans:
                    self.db.execute(
                        'INSERT OR IGNORE INTO provenance(item_id, page_id, start, "end") VALUES (?,?,?,?)',
                        (item_id, page_id, span.start, span.end),
                    )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            self._near = None  # the in-memory index may hold items that were rolled back
            raise
        for item_id, sig in pending:
            near.add(item_id, sig)
        self._unindexed += result.items_added
        if self._unindexed >= BATCH_ROWS:  # index as we go: no long pause at the end of a big run
            self._terms.refresh(whole_batches=True)
            self._unindexed = 0
        return result

    def _upsert_item(self, item: Item, page_id: int, near: NearDuplicateIndex,
                     pending: list[tuple[str, Any]], result: AddResult,
                     signatures: dict[str, Any] | None = None) -> str:
        exists = self.db.execute("SELECT 1 FROM items WHERE id=?", (item.id,)).fetchone()
        sig = None
        target = item.id if exists else None
        if target is None:
            sig = signatures[item.id] if signatures and item.id in signatures else signature(item.text)
            target = near.find(sig) or next((i for i, s in pending if _same(s, sig)), None)
        if target is not None:
            # Fill what the stored copy lacks; never overwrite what it has.
            self.db.execute(
                "UPDATE items SET title=COALESCE(title, ?), url=COALESCE(url, ?),"
                " publisher=COALESCE(publisher, ?), date_raw=COALESCE(date_raw, ?),"
                " published=COALESCE(published, ?),"
                " published_precision=CASE WHEN published IS NULL THEN ? ELSE published_precision END"
                " WHERE id=?",
                (item.title, item.url, item.publisher, item.date_raw, item.published,
                 item.published_precision, target),
            )
            result.duplicates += 1
            return target
        self.db.execute(
            "INSERT INTO items(id, kind, title, text, published, published_precision, date_raw,"
            " publisher, url, first_page, minhash, language) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (item.id, item.kind, item.title, item.text, item.published, item.published_precision,
             item.date_raw, item.publisher, item.url, page_id, sig.tobytes() if sig is not None else None,
             item.language),
        )
        pending.append((item.id, sig))
        result.items_added += 1
        return item.id

    def set_enrichment(self, item_id: str, mentions: list[Mention], events: list[Event],
                       version: str) -> None:
        """Replace an item's mentions and events in one transaction (re-enrichment is idempotent)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("DELETE FROM mentions WHERE item_id=?", (item_id,))
            old = [r[0] for r in self.db.execute("SELECT id FROM events WHERE item_id=?", (item_id,))]
            self.db.executemany("DELETE FROM event_actors WHERE event_id=?", [(e,) for e in old])
            self.db.execute("DELETE FROM events WHERE item_id=?", (item_id,))
            self.db.executemany(
                'INSERT OR IGNORE INTO mentions(item_id, start, "end", text, label, actor, score, country, role)'
                " VALUES (?,?,?,?,?,?,?,?,?)",
                [(item_id, m.start, m.end, m.text, m.label, m.actor, m.score, m.country, m.role)
                 for m in mentions],
            )
            for event in events:
                record = asdict(event)
                self.db.execute(
                    "INSERT OR REPLACE INTO events(id, item_id, type, quad, intensity, date, date_precision,"
                    " place, negated, hypothetical, confidence, evidence_start, evidence_end, record)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (event.id, item_id, event.type, event.quad, event.intensity, event.date,
                     event.date_precision, event.place, int(event.negated), int(event.hypothetical),
                     event.confidence, event.evidence_start, event.evidence_end, json.dumps(record)),
                )
                for side, actor in (("source", event.source), ("target", event.target)):
                    for actor_id, country in _actor_pairs(actor):
                        self.db.execute(
                            "INSERT OR IGNORE INTO event_actors(event_id, side, actor, country) VALUES (?,?,?,?)",
                            (event.id, side, actor_id, country),
                        )
            self.db.execute(
                "INSERT OR REPLACE INTO enriched(item_id, version) VALUES (?, ?)", (item_id, version)
            )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def items_needing_enrichment(self, version: str) -> Iterator[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT i.id, i.text, i.title, i.published FROM items i LEFT JOIN enriched e ON e.item_id=i.id"
            " WHERE e.version IS NULL OR e.version != ? ORDER BY i.rowid",
            (version,),
        ).fetchall()
        for row in rows:
            yield dict(row)

    # ------------------------------------------------------------ reading

    def search(self, query: str, *, limit: int = 20, offset: int = 0, actor: str | None = None,
               publisher: str | None = None, kind: str | None = None, since: str | None = None,
               until: str | None = None) -> list[SearchHit]:
        """BM25 keyword search (title weighted 2x) with the match highlighted in a snippet.

        The term index ranks when it covers the query and is up to date (the
        order FTS5's bm25 gives, without scoring every match); FTS5 otherwise.
        """
        filters = {"actor": actor, "publisher": publisher, "kind": kind, "since": since, "until": until}
        ranked, fts = self._ranked(query, filters, limit, offset)
        return self._hits(fts, ranked)

    def rank(self, query: str, *, limit: int = 20, offset: int = 0, actor: str | None = None,
             publisher: str | None = None, kind: str | None = None, since: str | None = None,
             until: str | None = None) -> tuple[list[tuple[str, float]], str]:
        """Search without snippets: (item id, bm25 score) best first, and the FTS5 query that matched.

        For rankers that fuse several rankings and need many candidates; the
        FTS5 query (the all-terms one, or its any-term fallback) is what to
        pass to :meth:`facet_counts` and to highlight with.
        """
        filters = {"actor": actor, "publisher": publisher, "kind": kind, "since": since, "until": until}
        ranked, fts = self._ranked(query, filters, limit, offset)
        ids = dict(self.db.execute("SELECT rowid, id FROM items WHERE rowid IN (SELECT value FROM json_each(?))",
                                   (json.dumps([rowid for rowid, _ in ranked]),)).fetchall())
        return [(ids[rowid], score) for rowid, score in ranked], fts

    def facet_counts(self, fts: str, *, publisher: str | None = None, kind: str | None = None,
                     since: str | None = None, until: str | None = None) -> tuple[int, dict[str, dict[str, int]]] | None:
        """Every match's count, and counts per publisher, kind and month, from the term index.

        Exact and fast however many items match; None when the index cannot
        answer (a phrase, a query shape only FTS5 scores, a backlog of new rows).
        """
        if not self._term_index_current():
            return None
        try:
            rowids, _ = self._terms.matches(fts, publisher=publisher, kind=kind, since=since, until=until)
            return len(rowids), self._terms.facet_counts(rowids)
        except NotCovered:
            return None

    def snippets(self, fts: str, item_ids: list[str], *, column: int = -1, tokens: int = 16,
                 start: str = _MARK_ON, stop: str = _MARK_OFF) -> dict[str, str]:
        """FTS5 snippets of these items for an FTS5 query (as :meth:`rank` returns), by item id.

        The same text ``snippet(items_fts, ...)`` gives, computed over these
        items alone (see ``Tokenizer.snippets``): milliseconds, not a re-run of
        the query over the whole index for each item.
        """
        rows = self.db.execute("SELECT rowid, id, title, text FROM items WHERE id IN (SELECT value FROM json_each(?))",
                               (json.dumps(item_ids),)).fetchall()
        found = self._terms.tokenizer.snippets(fts, [(r[0], r[2], r[3]) for r in rows], column, start, stop,
                                               "…", tokens)
        return {r[1]: found[r[0]] for r in rows if r[0] in found}

    def _ranked(self, query: str, filters: dict[str, str | None], limit: int,
                offset: int) -> tuple[list[tuple[int, float]], str]:
        """(rowid, score) and the FTS5 query: all terms, or any of them when all find nothing."""
        fts = to_fts_query(query)
        try:
            ranked = self._rank_rows(fts, filters, limit, offset)
            broader = to_fts_any(query) if not ranked and not offset else None
            if broader:
                fts, ranked = broader, self._rank_rows(broader, filters, limit, offset)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot search for {query!r}: {exc}") from exc
        return ranked, fts

    def _rank_rows(self, fts: str, filters: dict[str, str | None], limit: int,
                   offset: int) -> list[tuple[int, float]]:
        ranked = self._rank_by_index(fts, filters, limit, offset)
        if ranked is None:
            where, params = item_filters(**filters)
            join = " JOIN items i ON i.rowid = items_fts.rowid" if where else ""
            ranked = [(r[0], r[1]) for r in self.db.execute(
                f"SELECT items_fts.rowid, bm25(items_fts, 2.0, 1.0) AS score FROM items_fts{join}"
                f" WHERE items_fts MATCH ? {where} ORDER BY score, items_fts.rowid LIMIT ? OFFSET ?",
                (fts, *params, limit, offset))]
        return ranked

    def _hits(self, fts: str, ranked: list[tuple[int, float]]) -> list[SearchHit]:
        rows = {r["rowid"]: dict(r) for r in self.db.execute(
            "SELECT rowid, id, title, kind, published, publisher, url, text FROM items"
            " WHERE rowid IN (SELECT value FROM json_each(?))", (json.dumps([rowid for rowid, _ in ranked]),))}
        # Snippets for the page only, and outside the big index (see Tokenizer.snippets).
        snippets = self._terms.tokenizer.snippets(
            fts, [(rowid, r["title"], r["text"]) for rowid, r in rows.items()], 1, _MARK_ON, _MARK_OFF, "…", 16)
        hits = []
        for rowid, score in ranked:
            row = rows[rowid]
            del row["rowid"], row["text"]
            hits.append(SearchHit(**row, snippet=snippets[rowid], score=score))
        return hits

    def _rank_by_index(self, fts: str, filters: dict[str, str | None], limit: int,
                       offset: int) -> list[tuple[int, float]] | None:
        """(rowid, score) from the term index, or None when FTS5 must answer."""
        if not self._term_index_current():
            return None
        where, params = item_filters(actor=filters["actor"])  # the index filters on the other facets itself

        def keep(rowids: np.ndarray) -> np.ndarray:
            found = self.db.execute(
                f"SELECT i.rowid FROM items i WHERE i.rowid IN (SELECT value FROM json_each(?)) {where}",
                (json.dumps(rowids.tolist()), *params))
            return np.fromiter((r[0] for r in found), dtype=np.int64)

        facets = {k: v for k, v in filters.items() if k != "actor"}
        try:
            return self._terms.rank(fts, limit=limit, offset=offset, keep=keep if where else None, **facets)
        except NotCovered:
            return None

    def _term_index_current(self) -> bool:
        """Catch up on a few new rows here; a big backlog is left to ingest (FTS5 answers meanwhile)."""
        if not self._terms.pending():
            return True
        self.db.execute("PRAGMA busy_timeout=0")  # never wait on another process's ingest
        try:
            return self._terms.refresh(limit=SEARCH_REFRESH_LIMIT)
        except sqlite3.OperationalError:  # locked by a writer, or a read-only file
            return False
        finally:
            self.db.execute("PRAGMA busy_timeout=10000")

    def iter_items(self) -> Iterator[dict[str, Any]]:
        """Every item with its provenance, in insertion order (streams; does not load all rows)."""
        cursor = self.db.execute("SELECT * FROM items ORDER BY rowid")
        provenance_by_item: dict[str, list[dict[str, Any]]] = {}
        for r in self.db.execute(
            'SELECT v.item_id, p.source, v.start, v."end" FROM provenance v JOIN pages p ON p.id=v.page_id'
            " ORDER BY v.page_id, v.start"
        ):
            provenance_by_item.setdefault(r[0], []).append({"page": r[1], "start": r[2], "end": r[3]})
        for row in cursor:
            item = _item_dict(row)
            item["provenance"] = provenance_by_item.get(item["id"], [])
            yield item

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """Read-only SQL for the analyse stage (which owns its queries, not the schema)."""
        return [dict(r) for r in self.db.execute(sql, params)]

def _statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (which contain ';') whole."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def _item_dict(row: sqlite3.Row) -> dict[str, Any]:
    item = dict(row)
    item.pop("minhash", None)
    item.pop("first_page", None)
    return item


def _same(a: Any, b: Any) -> bool:
    """Near-duplicates within one page's items (they are not yet in the LSH index)."""
    if a is None or b is None:
        return False
    return float(np.mean(a == b)) >= NEAR_DUPLICATE_THRESHOLD


def _actor_pairs(actor: Any) -> list[tuple[str, str | None]]:
    if actor is None:
        return []
    countries = list(actor.countries) + [None] * max(0, len(actor.actors) - len(actor.countries))
    return list(zip(actor.actors, countries, strict=False))
