"""Copy an evidence base from one store to another (SQLite <-> PostgreSQL), checked.

``migrate(src, dst)`` copies runs, failures, pages, items (with their MinHash
signatures), provenance, mentions, events, event actors and enrichment
versions, keeping row ids, in one destination transaction: a failed copy
leaves the destination as it was. It then compares, table by table, the row
count and a content hash of both sides and raises :class:`StoreError` when
they differ.

``content_hash(store)`` is that check on its own: for each table, the number of
rows and an order-independent digest of their content (the sum modulo 2**256
of each row's SHA-256), where rows are described by content rather than by
surrogate ids (a provenance names its page by source and hash, not page id),
so two databases built independently from the same inputs hash equal too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from steppe.store.base import Store, StoreError

BATCH = 5000

# Copied verbatim, parents before children. (table, columns, order) - order keeps insertion order.
COPY_TABLES: list[tuple[str, list[str], str]] = [
    ("runs", ["id", "started_at", "finished_at", "inputs", "pages_added", "pages_skipped", "failures"],
     "id"),
    ("failures", ["id", "run_id", "source", "stage", "reason", "at"], "id"),
    ("pages", ["id", "source", "sha256", "content_type", "fetched_at", "kind", "title", "publisher",
               "url", "published", "published_precision", "text", "run_id", "language"], "id"),
    ("items", ["id", "kind", "title", "text", "published", "published_precision", "date_raw",
               "publisher", "url", "first_page", "minhash", "language"], "{seq}"),
    ("provenance", ["item_id", "page_id", "start", "end"], "page_id, start, item_id"),
    ("mentions", ["item_id", "start", "end", "text", "label", "actor", "score", "country", "role"],
     "item_id, start, \"end\""),
    ("events", ["id", "item_id", "type", "quad", "intensity", "date", "date_precision", "place",
                "negated", "hypothetical", "confidence", "evidence_start", "evidence_end", "record"],
     "id"),
    ("event_actors", ["event_id", "side", "actor", "country"], "event_id, side, actor"),
    ("enriched", ["item_id", "version"], "item_id"),
]

# What the content hash reads: the same SQL on both backends, no surrogate ids. (columns, FROM ...)
HASH_QUERIES: dict[str, tuple[list[str], str]] = {
    "runs": (["id", "started_at", "finished_at", "inputs", "pages_added", "pages_skipped", "failures"],
             "runs"),
    "failures": (["run_id", "source", "stage", "reason", "at"], "failures"),
    "pages": (["source", "sha256", "content_type", "fetched_at", "kind", "title", "publisher", "url",
               "published", "published_precision", "text"], "pages"),
    "items": (["i.id", "i.kind", "i.title", "i.text", "i.published", "i.published_precision",
               "i.date_raw", "i.publisher", "i.url", "p.source", "p.sha256", "i.minhash"],
              "items i LEFT JOIN pages p ON p.id = i.first_page"),
    "provenance": (["v.item_id", "p.source", "p.sha256", "v.start", 'v."end"'],
                   "provenance v JOIN pages p ON p.id = v.page_id"),
    "mentions": (["item_id", "start", '"end"', "text", "label", "actor", "score", "country", "role"],
                 "mentions"),
    "events": (["id", "item_id", "type", "quad", "intensity", "date", "date_precision", "place",
                "negated", "hypothetical", "confidence", "evidence_start", "evidence_end", "record"],
               "events"),
    "event_actors": (["event_id", "side", "actor", "country"], "event_actors"),
    "enriched": (["item_id", "version"], "enriched"),
}
CONTENT_TABLES = ("pages", "items", "provenance", "mentions", "events", "event_actors", "enriched")


def migrate(src: Store, dst: Store) -> dict[str, Any]:
    """Copy everything from ``src`` into the empty ``dst``; returns counts and both hashes."""
    if _count(dst, "pages") or _count(dst, "items") or _count(dst, "runs"):
        raise StoreError("the destination database is not empty: migrate into a new database")
    copied: dict[str, int] = {}
    with _Writer(dst) as writer:
        for table, columns, order in COPY_TABLES:
            order = order.format(seq="seq" if src.backend == "postgresql" else "rowid")
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = _stream(src, f"SELECT {quoted} FROM {table} ORDER BY {order}")
            copied[table] = writer.copy(table, columns, rows)
    if hasattr(dst, "_near"):
        dst._near = None  # its near-duplicate index is rebuilt from the copied signatures on demand
    before, after = content_hash(src), content_hash(dst)
    if before != after:
        bad = sorted(t for t in before if before[t] != after.get(t))
        raise StoreError(f"copy check failed for {', '.join(bad)}: source {before} != destination {after}")
    return {"copied": copied, "source": before, "destination": after, "ok": True}


def content_hash(store: Store, tables: Iterable[str] = HASH_QUERIES, *,
                 ignore: Iterable[str] = ()) -> dict[str, dict[str, Any]]:
    """Per table: row count and an order-independent SHA-256 sum of the rows' content.

    ``ignore``: column names left out, e.g. ``fetched_at`` to compare two runs made at different times.
    """
    out: dict[str, dict[str, Any]] = {}
    ignore = set(ignore)
    for table in tables:
        columns, source = HASH_QUERIES[table]
        wanted = [c for c in columns if c.split(".")[-1].strip('"') not in ignore]
        total, n = 0, 0
        for row in _stream(store, f"SELECT {', '.join(wanted)} FROM {source}"):
            blob = json.dumps([_canonical(table, v) for v in row], ensure_ascii=False)
            total = (total + int.from_bytes(hashlib.sha256(blob.encode("utf-8")).digest(), "big")) % 2**256
            n += 1
        out[table] = {"rows": n, "sha256": f"{total:064x}"}
    return out


def _canonical(table: str, value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    if table == "events" and isinstance(value, str) and value.startswith("{"):
        try:  # the event record is JSON: compare its content, not its spelling
            return json.dumps(json.loads(value), sort_keys=True, ensure_ascii=False)
        except ValueError:
            return value
    return value


def _count(store: Store, table: str) -> int:
    rows = store.query(f"SELECT count(*) AS n FROM {table}")
    return int(rows[0]["n"])


def _stream(store: Store, sql: str) -> Iterator[tuple[Any, ...]]:
    """Rows as tuples without loading a whole table (SQLite cursor / PostgreSQL server-side cursor)."""
    if store.backend == "postgresql":
        import psycopg

        with psycopg.connect(store.url) as conn, conn.cursor(name="steppe_stream") as cur:
            cur.itersize = BATCH
            cur.execute(sql)
            yield from cur
        return
    for row in store.db.execute(sql):
        yield tuple(row)


class _Writer:
    """Bulk inserts in one transaction: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> _Writer:
        if self.store.backend == "postgresql":
            self._tx = self.store.conn.transaction()
            self._tx.__enter__()
        else:
            self.store.db.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self.store.backend == "postgresql":
            if exc_type is None:
                self._reset_identities()
            self._tx.__exit__(exc_type, exc, tb)
        else:
            self.store.db.execute("COMMIT" if exc_type is None else "ROLLBACK")

    def copy(self, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
        quoted = ", ".join(f'"{c}"' for c in columns)
        n = 0
        if self.store.backend == "postgresql":
            from steppe.store.postgres import _clean

            with self.store.conn.cursor() as cur, cur.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(tuple(_clean(v) for v in row))
                    n += 1
            return n
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(columns))})"
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
            if len(batch) >= BATCH:
                self.store.db.executemany(sql, batch)
                n, batch = n + len(batch), []
        self.store.db.executemany(sql, batch)
        return n + len(batch)

    def _reset_identities(self) -> None:
        """Rows came with their ids: move the identity sequences past them."""
        for table, column in (("runs", "id"), ("failures", "id"), ("pages", "id"), ("items", "seq")):
            self.store.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"
                f" coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)")
