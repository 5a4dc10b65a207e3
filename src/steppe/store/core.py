"""What both stores do with the same SQL: writes, keyword search over the term index, streaming.

A backend (:mod:`steppe.store.sqlite`, :mod:`steppe.store.postgres`) supplies
its connection as a :class:`steppe.store.sql.Database`, its migrations, and the
keyword fallback for the queries the term index does not cover (FTS5 on SQLite,
a GIN-indexed ``tsvector`` on PostgreSQL). Everything else is written once here.

Each page is written in one transaction, so a run killed at any moment leaves
whole pages or nothing; running the same ingest again skips pages already
stored (same source, same bytes) and so converges on the database an
uninterrupted run would have made.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import numpy as np

from steppe.model import (
    Event,
    Failure,
    Item,
    ItemToEmbed,
    ItemToEnrich,
    Mention,
    Page,
    ProvenanceRow,
    StoredItem,
    VectorRow,
    Watchlist,
    WatchSeen,
)
from steppe.store.base import AddResult, LoadResult, SearchHit, StoreError
from steppe.store.dedupe import NEAR_DUPLICATE_THRESHOLD, NearDuplicateIndex, signature, signatures
from steppe.store.query import item_filters, to_fts_any, to_fts_query
from steppe.store.reads import ITEM_COLUMNS, SharedReads
from steppe.store.sql import Busy, Database, driver_errors, wrap
from steppe.store.termindex import BATCH_ROWS, SEARCH_REFRESH_LIMIT, TermIndex
from steppe.store.termquery import NotCovered

MARK_ON, MARK_OFF = "\x02", "\x03"  # around matches in snippets (SearchHit.snippet)
Filters = dict[str, str | None]
BULK_PAGES = 2000  # pages per bulk-load transaction

PAGE_COLUMNS = ("id, source, sha256, content_type, fetched_at, kind, title, publisher, url, published,"
                " published_precision, text, run_id, language")
ITEM_WRITE_COLUMNS = ("id, kind, title, text, published, published_precision, date_raw, publisher, url,"
                      " first_page, minhash, language")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SQLStore(SharedReads):
    """The store behaviour both backends share; subclasses set ``self.sql`` and migrate first."""

    backend: str
    sql: Database
    PHRASE_CANDIDATES = 0  # phrases of several words: verified by the term index up to this many rows
    PHRASE_PAIRS = False  # index adjacent token pairs: the term index answers every phrase, exactly

    def _setup(self) -> None:
        self._near: NearDuplicateIndex | None = None
        self._terms = TermIndex(self.sql, phrase_candidates=self.PHRASE_CANDIDATES, pairs=self.PHRASE_PAIRS)
        self._unindexed = 0  # items added since the term index last caught up

    def close(self) -> None:
        self.sql.close()
        if self._near is not None:
            self._near.close()  # its temporary signature file
            self._near = None

    def __enter__(self) -> SQLStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """Read-only SQL for the analyse stage (``?`` placeholders; rows as dicts)."""
        try:
            return self.sql.dicts(sql, params)
        except driver_errors() as exc:
            raise wrap("query failed", exc) from exc

    # ------------------------------------------------------------ runs and failures

    def start_run(self, inputs: list[str]) -> int:
        return int(self.sql.value("INSERT INTO runs(started_at, inputs) VALUES (?, ?) RETURNING id",
                                  (now(), json.dumps(inputs))))

    def finish_run(self, run_id: int, *, added: int, skipped: int, failed: int) -> None:
        self.sql.run("UPDATE runs SET finished_at=?, pages_added=?, pages_skipped=?, failures=? WHERE id=?",
                     (now(), added, skipped, failed, run_id))
        self.refresh_search_index()

    def refresh_search_index(self) -> None:
        """Bring the keyword term index up to date (ingest does this; so can a maintenance job)."""
        self._terms.refresh()
        self._unindexed = 0

    def record_failure(self, run_id: int | None, failure: Failure) -> None:
        self.sql.run("INSERT INTO failures(run_id, source, stage, reason, at) VALUES (?, ?, ?, ?, ?)",
                     (run_id, failure.source, failure.stage, failure.reason, now()))

    # ------------------------------------------------------------ pages and items

    def has_page(self, source: str, sha256: str) -> bool:
        return bool(self.sql.rows("SELECT 1 FROM pages WHERE source=? AND sha256=?", (source, sha256)))

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        """Every stored MinHash signature with its item id, in insertion order (streams)."""
        for item_id, blob in self.sql.stream(
                f"SELECT id, minhash FROM items WHERE minhash IS NOT NULL ORDER BY {self.sql.rowid}"):
            yield item_id, bytes(blob)

    def drop_near_index(self) -> None:
        """Free the in-memory near-duplicate index (rebuilt on the next write)."""
        if self._near is not None:
            self._near.close()
            self._near = None

    def _near_index(self) -> NearDuplicateIndex:
        if self._near is None:
            self._near = NearDuplicateIndex()
            self._near.add_many(self.signatures())
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
        try:
            with self.sql.transaction():
                page_id = self.sql.value(
                    "INSERT INTO pages(source, sha256, content_type, fetched_at, kind, title, publisher,"
                    " url, published, published_precision, text, run_id, language)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                    (page.source, page.sha256, page.content_type, page.fetched_at, page.kind, page.title,
                     page.publisher, page.url, page.published, page.published_precision, page.text, run_id,
                     page.language))
                for item in page.items:
                    item_id = self._upsert_item(item, page_id, near, pending, result, signatures)
                    self.sql.many('INSERT INTO provenance(item_id, page_id, start, "end") VALUES (?,?,?,?)'
                                  " ON CONFLICT DO NOTHING",
                                  [(item_id, page_id, span.start, span.end) for span in item.spans])
        except driver_errors() as exc:
            self._near = None  # the in-memory index may hold items that were rolled back
            raise wrap(f"cannot store {page.source}", exc) from exc
        except BaseException:
            self._near = None
            raise
        for item_id, sig in pending:
            near.add(item_id, sig)
        self._unindexed += result.items_added
        if self._unindexed >= BATCH_ROWS:  # index as we go: no long pause at the end of a big run
            self._terms.refresh(whole_batches=True)
            self._unindexed = 0
        return result

    def bulk_load(self, pages: Iterable[Page], *, run_id: int | None = None,
                  chunk_pages: int = BULK_PAGES) -> LoadResult:
        """Store many pages exactly as :meth:`add_page` would, one after the other, but fast.

        The same rows come out (items, ids, near-duplicate merges, filled-in fields,
        provenance; tested against ``add_page``): the decisions are taken in Python in
        input order, with the same index, and written ``chunk_pages`` pages to a
        transaction through :meth:`Database.load` (COPY on PostgreSQL, executemany on
        SQLite); MinHash signatures are computed per chunk (:func:`signatures`); the term
        index is built in whole batches at the end. An interrupted load leaves whole
        chunks; loading again skips their pages, as a re-run ingest does.
        """
        total = LoadResult()
        chunk: list[Page] = []
        self.sql.before_bulk_load()
        try:
            for page in pages:
                chunk.append(page)
                if len(chunk) >= chunk_pages:
                    self._load_chunk(chunk, run_id, total)
                    chunk = []
            if chunk:
                self._load_chunk(chunk, run_id, total)
            self.refresh_search_index()
        finally:
            self.sql.after_bulk_load()
        return total

    def _load_chunk(self, chunk: list[Page], run_id: int | None, total: LoadResult) -> None:
        near = self._near_index()
        sql = self.sql
        try:
            with sql.transaction(exclusive=True):
                stored = {tuple(r) for r in sql.rows(
                    "SELECT source, sha256 FROM pages WHERE " + sql.in_list("source"),
                    (sql.list_param(sorted({p.source for p in chunk})),))}
                new_pages: list[Page] = []
                for page in chunk:
                    key = (page.source, page.sha256)
                    if key in stored:
                        total.pages_skipped += 1
                        continue
                    stored.add(key)
                    new_pages.append(page)
                ids = sorted({item.id for page in new_pages for item in page.items})
                known = {r[0] for r in sql.rows("SELECT id FROM items WHERE " + sql.in_list("id"),
                                                (sql.list_param(ids),))} if ids else set()
                fresh = [item for page in new_pages for item in page.items if item.id not in known]
                sigs = dict(zip((i.id for i in fresh), signatures([i.text for i in fresh]), strict=True))
                page_ids = sql.reserve_ids("pages", len(new_pages))
                page_rows: list[tuple[Any, ...]] = []
                items: dict[str, list[Any]] = {}  # new in this chunk, in insertion order
                updates: list[tuple[Any, ...]] = []  # fills of items stored before this chunk
                provenance: dict[tuple[str, int, int], tuple[Any, ...]] = {}
                for page, page_id in zip(new_pages, page_ids, strict=True):
                    page_rows.append((page_id, page.source, page.sha256, page.content_type, page.fetched_at,
                                      page.kind, page.title, page.publisher, page.url, page.published,
                                      page.published_precision, page.text, run_id, page.language))
                    pending: list[tuple[str, Any]] = []
                    band_keys: dict[str, Any] = {}  # of this page's new items, for near.add
                    for item in page.items:
                        target = item.id if item.id in known or item.id in items else None
                        sig = None
                        if target is None:
                            sig = sigs[item.id]
                            keys = band_keys[item.id] = near.band_keys(sig) if sig is not None else None
                            target = (near.find(sig, keys)
                                      or next((i for i, s in pending if _same(s, sig)), None))
                        if target is not None:
                            if target in items:
                                _fill(items[target], item)
                            else:
                                updates.append((item.title, item.url, item.publisher, item.date_raw,
                                                item.published, item.published_precision, target))
                            total.duplicates += 1
                        else:
                            target = item.id
                            items[target] = [item.id, item.kind, item.title, item.text, item.published,
                                             item.published_precision, item.date_raw, item.publisher, item.url,
                                             page_id, sig.tobytes() if sig is not None else None, item.language]
                            pending.append((item.id, sig))
                            total.items_added += 1
                        for span in item.spans:
                            provenance.setdefault((target, page_id, span.start),
                                                  (target, page_id, span.start, span.end))
                    for item_id, sig in pending:
                        near.add(item_id, sig, band_keys[item_id])
                    total.pages_added += 1
                sql.load("pages", PAGE_COLUMNS, page_rows)
                self._load_items(ITEM_WRITE_COLUMNS, (tuple(r) for r in items.values()))
                if updates:
                    sql.many(_FILL_SQL, updates)
                sql.load("provenance", 'item_id, page_id, start, "end"', provenance.values())
        except driver_errors() as exc:
            self._near = None  # the in-memory index may hold items that were rolled back
            raise wrap("cannot bulk-load pages", exc) from exc
        except BaseException:
            self._near = None
            raise

    def _load_items(self, columns: str, rows: Iterable[tuple[Any, ...]]) -> None:
        """Write new items' rows (a bulk load's, inside its transaction)."""
        self.sql.load("items", columns, rows)

    def _upsert_item(self, item: Item, page_id: int, near: NearDuplicateIndex,
                     pending: list[tuple[str, Any]], result: AddResult,
                     signatures: dict[str, Any] | None) -> str:
        exists = self.sql.rows("SELECT 1 FROM items WHERE id=?", (item.id,))
        sig = None
        target = item.id if exists else None
        if target is None:
            sig = signatures[item.id] if signatures and item.id in signatures else signature(item.text)
            target = near.find(sig) or next((i for i, s in pending if _same(s, sig)), None)
        if target is not None:
            # Fill what the stored copy lacks; never overwrite what it has.
            self.sql.run(
                _FILL_SQL,
                (item.title, item.url, item.publisher, item.date_raw, item.published,
                 item.published_precision, target))
            result.duplicates += 1
            return target
        self.sql.run(
            "INSERT INTO items(id, kind, title, text, published, published_precision, date_raw,"
            " publisher, url, first_page, minhash, language) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (item.id, item.kind, item.title, item.text, item.published, item.published_precision,
             item.date_raw, item.publisher, item.url, page_id,
             sig.tobytes() if sig is not None else None, item.language))
        pending.append((item.id, sig))
        result.items_added += 1
        return item.id

    def iter_items(self) -> Iterator[StoredItem]:
        """Every item with its provenance, in insertion order (streams; does not load all rows)."""
        provenance_by_item: dict[str, list[ProvenanceRow]] = {}
        for item_id, source, page_id, start, end in self.sql.rows(
                'SELECT v.item_id, p.source, v.page_id, v.start, v."end" FROM provenance v'
                " JOIN pages p ON p.id=v.page_id ORDER BY v.page_id, v.start"):
            provenance_by_item.setdefault(item_id, []).append(ProvenanceRow(source, int(page_id), start, end))
        for row in self.sql.stream(f"SELECT {ITEM_COLUMNS} FROM items ORDER BY {self.sql.rowid}"):
            item = StoredItem(*row)
            item.provenance = provenance_by_item.get(item.id, [])
            yield item

    # ------------------------------------------------------------ enrichment

    def set_enrichment(self, item_id: str, mentions: list[Mention], events: list[Event],
                       version: str) -> None:
        """Replace an item's mentions and events in one transaction (re-enrichment is idempotent)."""
        with self.sql.transaction():
            self.sql.run("DELETE FROM event_actors WHERE event_id IN (SELECT id FROM events WHERE item_id=?)",
                         (item_id,))
            self.sql.run("DELETE FROM events WHERE item_id=?", (item_id,))
            self.sql.run("DELETE FROM mentions WHERE item_id=?", (item_id,))
            self.sql.many(
                'INSERT INTO mentions(item_id, start, "end", text, label, actor, score, country, role)'
                " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                [(item_id, m.start, m.end, m.text, m.label, m.actor, m.score, m.country, m.role)
                 for m in mentions])
            for event in events:
                self.sql.run(
                    "INSERT INTO events(id, item_id, type, quad, intensity, date, date_precision,"
                    " place, negated, hypothetical, confidence, evidence_start, evidence_end, record)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT (id) DO UPDATE SET item_id=excluded.item_id, type=excluded.type,"
                    " quad=excluded.quad, intensity=excluded.intensity, date=excluded.date,"
                    " date_precision=excluded.date_precision, place=excluded.place,"
                    " negated=excluded.negated, hypothetical=excluded.hypothetical,"
                    " confidence=excluded.confidence, evidence_start=excluded.evidence_start,"
                    " evidence_end=excluded.evidence_end, record=excluded.record",
                    (event.id, item_id, event.type, event.quad, event.intensity, event.date,
                     event.date_precision, event.place, int(event.negated), int(event.hypothetical),
                     event.confidence, event.evidence_start, event.evidence_end, json.dumps(asdict(event))))
                self.sql.many(
                    "INSERT INTO event_actors(event_id, side, actor, country) VALUES (?,?,?,?)"
                    " ON CONFLICT DO NOTHING",
                    [(event.id, side, actor_id, country)
                     for side, actor in (("source", event.source), ("target", event.target))
                     for actor_id, country in _actor_pairs(actor)])
            self.sql.run("INSERT INTO enriched(item_id, version) VALUES (?, ?)"
                         " ON CONFLICT (item_id) DO UPDATE SET version=excluded.version", (item_id, version))

    def items_needing_enrichment(self, version: str) -> Iterator[ItemToEnrich]:
        """Items not enriched by ``version`` (never, or by another version), in insertion order."""
        for r in self.sql.rows(
                "SELECT i.id, i.text, i.title, i.published FROM items i LEFT JOIN enriched e ON e.item_id=i.id"
                f" WHERE e.version IS NULL OR e.version != ? ORDER BY i.{self.sql.rowid}", (version,)):
            yield ItemToEnrich(*r)

    # ------------------------------------------------------------ vectors (semantic search)

    def set_vectors(self, vectors: list[VectorRow]) -> None:
        """Store (or replace) items' sentence embeddings as float32 blobs, in one transaction."""
        with self.sql.transaction():
            self.sql.many(
                "INSERT INTO item_vectors(item_id, model, dim, vector) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (item_id) DO UPDATE SET model=excluded.model, dim=excluded.dim,"
                " vector=excluded.vector",
                [(v.item_id, v.model, int(v.vector.shape[0]),
                  np.ascontiguousarray(v.vector, dtype=np.float32).tobytes()) for v in vectors])

    def vectors(self, model: str) -> list[VectorRow]:
        """Every stored embedding made by ``model``, by item id."""
        return [VectorRow(item_id=r[0], model=model, vector=np.frombuffer(bytes(r[1]), dtype=np.float32))
                for r in self.sql.rows("SELECT item_id, vector FROM item_vectors WHERE model=?"
                                       " ORDER BY item_id", (model,))]

    def items_without_vectors(self, model: str) -> list[ItemToEmbed]:
        """Items with no embedding by ``model`` (none, or another model's), by id."""
        return [ItemToEmbed(*r) for r in self.sql.rows(
            "SELECT i.id, i.title, i.text FROM items i LEFT JOIN item_vectors v ON v.item_id = i.id"
            " WHERE v.model IS NULL OR v.model <> ? ORDER BY i.id", (model,))]

    def vector_models(self) -> list[tuple[str, int]]:
        """(model, vectors) for each model with stored vectors, the most used first."""
        return [(r[0], int(r[1])) for r in self.sql.rows(
            "SELECT model, count(*) FROM item_vectors GROUP BY model ORDER BY 2 DESC, model")]

    # ------------------------------------------------------------ watchlists

    def save_watch(self, watch: Watchlist, *, forget_seen: bool = False) -> None:
        """Create or replace a watchlist; ``forget_seen`` drops what its checks recorded."""
        with self.sql.transaction():
            if forget_seen:
                self.sql.run("DELETE FROM watch_seen WHERE name = ?", (watch.name,))
            self.sql.run(
                "INSERT INTO watchlists(name, actor, type, query, created_at, last_checked)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET actor=excluded.actor,"
                " type=excluded.type, query=excluded.query, created_at=excluded.created_at,"
                " last_checked=excluded.last_checked",
                (watch.name, watch.actor, watch.type, watch.query, watch.created_at, watch.last_checked))

    def watches(self, name: str | None = None) -> list[Watchlist]:
        """Every watchlist by name, or the one called ``name`` (an empty list when there is none)."""
        where, params = ("WHERE name = ?", (name,)) if name is not None else ("", ())
        return [Watchlist(*r) for r in self.sql.rows(
            f"SELECT name, actor, type, query, created_at, last_checked FROM watchlists {where}"
            " ORDER BY name", params)]

    def delete_watch(self, name: str) -> bool:
        """Remove a watchlist and what it has seen; False when there was none."""
        with self.sql.transaction():
            found = bool(self.sql.rows("SELECT 1 FROM watchlists WHERE name = ?", (name,)))
            self.sql.run("DELETE FROM watch_seen WHERE name = ?", (name,))
            self.sql.run("DELETE FROM watchlists WHERE name = ?", (name,))
        return found

    def watch_seen(self, name: str) -> list[WatchSeen]:
        return [WatchSeen(r[0], r[1], r[2], bool(r[3])) for r in self.sql.rows(
            "SELECT kind, ref, first_seen, checked FROM watch_seen WHERE name = ? ORDER BY kind, ref", (name,))]

    def add_watch_seen(self, name: str, refs: list[tuple[str, str]], at: str) -> None:
        """Record (kind, ref) matches first seen ``at``; ones already recorded keep their time."""
        with self.sql.transaction():
            self.sql.many("INSERT INTO watch_seen(name, kind, ref, first_seen, checked) VALUES (?, ?, ?, ?, 0)"
                          " ON CONFLICT DO NOTHING", [(name, kind, ref, at) for kind, ref in refs])

    def mark_watch_checked(self, name: str, at: str) -> None:
        """Everything the watchlist has seen is reported; it was checked ``at``."""
        with self.sql.transaction():
            self.sql.run("UPDATE watch_seen SET checked = 1 WHERE name = ?", (name,))
            self.sql.run("UPDATE watchlists SET last_checked = ? WHERE name = ?", (at, name))

    # ------------------------------------------------------------ keyword search

    def search(self, query: str, *, limit: int = 20, offset: int = 0, actor: str | None = None,
               publisher: str | None = None, kind: str | None = None, since: str | None = None,
               until: str | None = None, type: str | None = None,
               language: str | None = None) -> list[SearchHit]:
        """BM25 keyword search (title weighted 2x) with the match highlighted in a snippet.

        The term index ranks when it covers the query and is up to date (the
        order FTS5's ``bm25(items_fts, 2.0, 1.0)`` gives, without scoring every
        match, on both backends); the backend's own full-text index otherwise.
        """
        filters = {"actor": actor, "publisher": publisher, "kind": kind, "since": since, "until": until,
                   "type": type, "language": language}
        ranked, fts = self._ranked(query, filters, limit, offset)
        return self._hits(fts, ranked)

    def rank(self, query: str, *, limit: int = 20, offset: int = 0, actor: str | None = None,
             publisher: str | None = None, kind: str | None = None, since: str | None = None,
             until: str | None = None, type: str | None = None,
             language: str | None = None) -> tuple[list[tuple[str, float]], str]:
        """Search without snippets: (item id, score; lower is better) best first, and the FTS5-syntax
        query that matched (all terms, or any of them when all find nothing), which is what to pass
        to :meth:`facet_counts` and :meth:`snippets`."""
        filters = {"actor": actor, "publisher": publisher, "kind": kind, "since": since, "until": until,
                   "type": type, "language": language}
        ranked, fts = self._ranked(query, filters, limit, offset)
        if not ranked:
            return [], fts
        ids = dict(self.sql.rows(f"SELECT {self.sql.rowid}, id FROM items WHERE "
                                 + self.sql.in_list(self.sql.rowid), (self.sql.list_param([r for r, _ in ranked]),)))
        return [(ids[rowid], score) for rowid, score in ranked], fts

    def facet_counts(self, fts: str, *, publisher: str | None = None, kind: str | None = None,
                     since: str | None = None, until: str | None = None
                     ) -> tuple[int, dict[str, dict[str, int]]] | None:
        """Every match's count, and counts per publisher, kind and month, from the term index.

        Exact and fast however many items match; None when the index cannot
        answer (a phrase, a query shape only the full-text index scores, a backlog).
        """
        try:
            if not self._term_index_current(fts):
                return None
            rowids, _ = self._terms.matches(fts, publisher=publisher, kind=kind, since=since, until=until)
            return len(rowids), self._terms.facet_counts(rowids)
        except NotCovered:
            return None
        finally:
            self._terms.forget_generation()

    def snippets(self, fts: str, item_ids: list[str], *, column: int = -1, tokens: int = 16,
                 start: str = MARK_ON, stop: str = MARK_OFF) -> dict[str, str]:
        """FTS5 snippets of these items for an FTS5-syntax query (as :meth:`rank` returns), by item id.

        Computed over these items alone (see ``Tokenizer.snippets``), the same
        text on both backends.
        """
        if not item_ids:
            return {}
        rows = self.sql.rows(f"SELECT {self.sql.rowid}, id, title, text FROM items WHERE "
                             + self.sql.in_list("id"), (self.sql.list_param(item_ids),))
        found = self._terms.tokenizer.snippets(fts, [(r[0], r[2], r[3]) for r in rows], column, start, stop,
                                               "…", tokens)
        return {r[1]: found[r[0]] for r in rows if r[0] in found}

    def _fallback_rank(self, fts: str, filters: Filters, limit: int, offset: int) -> list[tuple[int, float]]:
        """(item number, score; lower is better) from the backend's full-text index."""
        raise NotImplementedError

    def match_sql(self, fts: str, **filters: str | None) -> tuple[str, tuple[Any, ...]]:
        """``FROM ... WHERE ...`` over the items (as ``i``) an FTS5-syntax query matches, and its
        parameters: for callers that count or join over every match in SQL."""
        raise NotImplementedError

    def _ranked(self, query: str, filters: Filters, limit: int,
                offset: int) -> tuple[list[tuple[int, float]], str]:
        """(item number, score) and the FTS5 query: all terms, or any of them when all find nothing."""
        fts = to_fts_query(query)
        try:
            ranked = self._rank_rows(fts, filters, limit, offset)
            broader = to_fts_any(query) if not ranked and not offset else None
            if broader:
                fts, ranked = broader, self._rank_rows(broader, filters, limit, offset)
        except driver_errors() as exc:
            raise wrap(f"cannot search for {query!r}", exc) from exc
        return ranked, fts

    def _rank_rows(self, fts: str, filters: Filters, limit: int, offset: int) -> list[tuple[int, float]]:
        ranked = self._rank_by_index(fts, filters, limit, offset)
        return ranked if ranked is not None else self._fallback_rank(fts, filters, limit, offset)

    def _hits(self, fts: str, ranked: list[tuple[int, float]]) -> list[SearchHit]:
        if not ranked:
            return []
        rowid = self.sql.rowid
        rows = {r[0]: r for r in self.sql.rows(
            f"SELECT {rowid}, id, title, kind, published, publisher, url, text FROM items"
            " WHERE " + self.sql.in_list(rowid), (self.sql.list_param([n for n, _ in ranked]),))}
        # Snippets for the page only, and outside the big index (see Tokenizer.snippets).
        snippets = self._terms.tokenizer.snippets(
            fts, [(n, r[2], r[7]) for n, r in rows.items()], 1, MARK_ON, MARK_OFF, "…", 16)
        return [SearchHit(id=rows[n][1], title=rows[n][2], kind=rows[n][3], published=rows[n][4],
                          publisher=rows[n][5], url=rows[n][6], snippet=snippets.get(n, ""), score=score)
                for n, score in ranked]

    def _rank_by_index(self, fts: str, filters: Filters, limit: int,
                       offset: int) -> list[tuple[int, float]] | None:
        """(item number, score) from the term index, or None when the full-text index must answer."""
        if not self._term_index_current(fts):
            self._terms.forget_generation()
            return None
        # The index filters on publisher, kind and dates itself; the rest are asked of SQL.
        sql_only = ("actor", "type", "language")
        where, params = item_filters(**{k: filters.get(k) for k in sql_only})
        rowid = self.sql.rowid

        def keep(rowids: np.ndarray) -> np.ndarray:
            found = self.sql.rows(f"SELECT i.{rowid} FROM items i WHERE {self.sql.in_list('i.' + rowid)} {where}",
                                  (self.sql.list_param(rowids.tolist()), *params))
            return np.fromiter((r[0] for r in found), dtype=np.int64)

        facets = {k: v for k, v in filters.items() if k not in sql_only}
        try:
            return self._terms.rank(fts, limit=limit, offset=offset, keep=keep if where else None, **facets)
        except NotCovered:
            return None
        finally:
            self._terms.forget_generation()

    def _term_index_current(self, fts: str | None = None) -> bool:
        """Catch up on a few new rows here; a big backlog is left to ingest (the fallback answers).
        ``fts``: the query about to be ranked (its postings are read with the check)."""
        if not self._terms.pending(fts):
            return True
        try:
            return self._terms.refresh(limit=SEARCH_REFRESH_LIMIT, wait=False)
        except Busy:  # another process is writing: never wait on its ingest
            return False
        except driver_errors():  # a read-only database
            return False


# Fill what the stored copy lacks; never overwrite what it has (a duplicate's fields).
_FILL_SQL = ("UPDATE items SET title=COALESCE(title, ?), url=COALESCE(url, ?),"
             " publisher=COALESCE(publisher, ?), date_raw=COALESCE(date_raw, ?),"
             " published=COALESCE(published, ?),"
             " published_precision=CASE WHEN published IS NULL THEN ? ELSE published_precision END"
             " WHERE id=?")


def _fill(row: list[Any], item: Item) -> None:
    """:data:`_FILL_SQL` on an item row not yet written (ITEM_WRITE_COLUMNS order)."""
    if row[4] is None:
        row[5] = item.published_precision
    for at, value in ((2, item.title), (8, item.url), (7, item.publisher), (6, item.date_raw),
                      (4, item.published)):
        if row[at] is None:
            row[at] = value


def _same(a: Any, b: Any) -> bool:
    """Near-duplicates within one page's items (they are not yet in the LSH index)."""
    if a is None or b is None:
        return False
    return np.count_nonzero(a == b) / len(a) >= NEAR_DUPLICATE_THRESHOLD  # np.mean's value, faster


def _actor_pairs(actor: Any) -> list[tuple[str, str | None]]:
    if actor is None:
        return []
    countries = list(actor.countries) + [None] * max(0, len(actor.actors) - len(actor.countries))
    return list(zip(actor.actors, countries, strict=False))


__all__ = ["MARK_OFF", "MARK_ON", "SQLStore", "StoreError", "now"]
