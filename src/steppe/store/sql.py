"""The one dialect layer between the stores' SQL and their drivers (sqlite3, psycopg 3).

Every statement is written once, in the SQL both SQLite (3.35+) and PostgreSQL
accept: ``?`` placeholders, ``INSERT ... ON CONFLICT`` for upserts, ``RETURNING``
for new ids. The only translation is the placeholder (:func:`pg_placeholders`),
done here and nowhere else. What genuinely differs (the schema's types, the
FTS5 table and the triggers) lives in each backend's migrations.

Why not SQLAlchemy Core: the statements are few and fixed, both backends take
the same text once ``?`` is translated, and the term index needs raw blobs and
driver-level batching; an expression layer would add a dependency and hide the
SQL the tests and the bench reason about without writing less of it.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from steppe.store.base import StoreError

try:  # optional extra: pip install "steppe[postgres]"
    import psycopg
    from psycopg.rows import dict_row, tuple_row
except ImportError:  # pragma: no cover - exercised only without the extra
    psycopg = None  # type: ignore[assignment]

WRITE_LOCK = 0x5732_5058  # PostgreSQL advisory lock: writers share it, the term index takes it alone


BULK_CACHE_KB = 256 * 1024  # SQLite's page cache during a bulk load
BULK_GIN_PENDING, BULK_WORK_MEM = "64MB", "256MB"  # PostgreSQL's, during a bulk load


class Busy(Exception):
    """Another writer holds the lock and the caller asked not to wait."""


class Database:
    """A connection that speaks the stores' SQL; rows come back as tuples."""

    backend: str
    rowid: str  # the column that numbers items in insertion order

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def dicts(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def run(self, sql: str, params: Iterable[Any] = ()) -> None:
        raise NotImplementedError

    def many(self, sql: str, seq: Iterable[Iterable[Any]]) -> None:
        raise NotImplementedError

    def stream(self, sql: str, params: Iterable[Any] = ()) -> Iterator[tuple[Any, ...]]:
        raise NotImplementedError

    def load(self, table: str, columns: str, rows: Iterable[tuple[Any, ...]]) -> None:
        """Append rows to ``table`` in bulk, inside the caller's transaction (``columns``: as in an
        INSERT column list). No conflict handling: the caller writes only rows that are new."""
        raise NotImplementedError

    def before_bulk_load(self) -> None:
        """Session settings for writing many rows at once (:meth:`after_bulk_load` restores them)."""

    def after_bulk_load(self) -> None:
        """Restore the session's settings; bring indexes and the planner's statistics up to date
        after many rows were written at once."""

    def reserve_ids(self, table: str, n: int) -> list[int]:
        """``n`` new ids for ``table``'s ``id`` column, as ``n`` single inserts would get them
        (inside the caller's write transaction)."""
        raise NotImplementedError

    @contextmanager
    def transaction(self, *, exclusive: bool = False, wait: bool = True) -> Iterator[None]:
        """One write transaction. ``exclusive``: no other writer at the same time (the term index
        reads what it indexes inside it); ``wait=False`` raises :class:`Busy` instead of waiting."""
        raise NotImplementedError
        yield

    def in_list(self, column: str) -> str:
        """``column`` is one of the values of one parameter holding a list (see :meth:`list_param`)."""
        raise NotImplementedError

    def list_param(self, values: list[Any]) -> Any:
        raise NotImplementedError

    def value(self, sql: str, params: Iterable[Any] = ()) -> Any:
        found = self.rows(sql, params)
        return found[0][0] if found else None

    def close(self) -> None:
        raise NotImplementedError


class SQLiteDatabase(Database):
    backend = "sqlite"
    rowid = "rowid"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._depth = 0

    def in_list(self, column: str) -> str:
        return f"{column} IN (SELECT value FROM json_each(?))"  # one parameter, however many values

    def list_param(self, values: list[Any]) -> Any:
        return json.dumps(values)

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.conn.execute(sql, tuple(params))]

    def dicts(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, tuple(params))
        names = [d[0] for d in cur.description or ()]
        return [dict(zip(names, r, strict=True)) for r in cur]

    def run(self, sql: str, params: Iterable[Any] = ()) -> None:
        self.conn.execute(sql, tuple(params))

    def many(self, sql: str, seq: Iterable[Iterable[Any]]) -> None:
        self.conn.executemany(sql, (tuple(p) for p in seq))

    def stream(self, sql: str, params: Iterable[Any] = ()) -> Iterator[tuple[Any, ...]]:
        for r in self.conn.execute(sql, tuple(params)):
            yield tuple(r)

    def load(self, table: str, columns: str, rows: Iterable[tuple[Any, ...]]) -> None:
        marks = ",".join("?" * len(columns.split(",")))
        self.conn.executemany(f"INSERT INTO {table}({columns}) VALUES ({marks})", rows)

    def before_bulk_load(self) -> None:
        # A bigger page cache while loading: the id and provenance keys are hashes, so a chunk's
        # inserts touch B-tree leaves all over the file (the default 2 MB spills them to the WAL
        # again and again at a million items).
        self._cache_size = self.value("PRAGMA cache_size")
        self.conn.execute(f"PRAGMA cache_size=-{BULK_CACHE_KB}")

    def after_bulk_load(self) -> None:
        if getattr(self, "_cache_size", None) is not None:
            self.conn.execute(f"PRAGMA cache_size={int(self._cache_size)}")
            self._cache_size = None

    def reserve_ids(self, table: str, n: int) -> list[int]:
        # An INTEGER PRIMARY KEY takes max + 1; BEGIN IMMEDIATE keeps other writers out meanwhile.
        top = int(self.value(f"SELECT coalesce(max(id), 0) FROM {table}"))
        return list(range(top + 1, top + 1 + n))

    @contextmanager
    def transaction(self, *, exclusive: bool = False, wait: bool = True) -> Iterator[None]:
        if self._depth:  # already inside one (SQLite has a single writer: it is exclusive)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        if not wait:
            self.conn.execute("PRAGMA busy_timeout=0")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # locked by another writer, or a read-only file
            if wait:
                raise
            raise Busy(str(exc)) from exc
        finally:
            if not wait:
                self.conn.execute("PRAGMA busy_timeout=10000")
        self._depth = 1
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0

    def close(self) -> None:
        self.conn.close()


class PostgresDatabase(Database):
    backend = "postgresql"
    rowid = "seq"

    def __init__(self, conn: Any, url: str) -> None:
        self.conn = conn
        self.url = url

    def in_list(self, column: str) -> str:
        return f"{column} = ANY(?)"

    def list_param(self, values: list[Any]) -> Any:
        return values

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self.conn.cursor(row_factory=tuple_row) as cur:
            # Binary results: the term index reads megabytes of postings, which text format would
            # send hex-encoded (twice the bytes, and decoded in Python).
            cur.execute(*_pg(sql, params), binary=True)
            return cur.fetchall() if cur.description else []

    def dicts(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        with self.conn.cursor(row_factory=dict_row) as cur:
            cur.execute(*_pg(sql, params))
            return cur.fetchall() if cur.description else []

    def run(self, sql: str, params: Iterable[Any] = ()) -> None:
        self.conn.execute(*_pg(sql, params))

    def many(self, sql: str, seq: Iterable[Iterable[Any]]) -> None:
        rows = [tuple(clean(v) for v in p) for p in seq]
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(pg_placeholders(sql), rows)

    def stream(self, sql: str, params: Iterable[Any] = ()) -> Iterator[tuple[Any, ...]]:
        # A named (server-side) cursor streams instead of loading every row; on its own
        # connection, so the caller may write through the store while it iterates.
        with psycopg.connect(self.url) as conn, \
                conn.cursor(name="steppe_stream", row_factory=tuple_row) as cur:
            cur.itersize = 5000
            cur.execute(*_pg(sql, params))
            yield from cur

    def load(self, table: str, columns: str, rows: Iterable[tuple[Any, ...]]) -> None:
        # COPY: at a million rows executemany's round trips are most of the time.
        with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(clean(v) for v in row))

    def before_bulk_load(self) -> None:
        # The tsvector's GIN index takes new entries into its pending list and merges the list
        # into the tree when it passes gin_pending_list_limit (4 MB by default): bigger merges,
        # fewer of them, with the memory to sort them, are ~2x faster COPYs of items.
        self.run(f"SET gin_pending_list_limit = '{BULK_GIN_PENDING}'")
        self.run(f"SET work_mem = '{BULK_WORK_MEM}'")

    def after_bulk_load(self) -> None:
        # Merge what is left in the pending list (a search would scan it otherwise), then
        # ANALYZE: autovacuum would, later, and the first searches would plan on empty tables.
        for (index,) in self.rows("SELECT indexrelid::regclass::text FROM pg_index i JOIN pg_class c"
                                  " ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam"
                                  " WHERE a.amname = 'gin' AND c.relnamespace = current_schema()::regnamespace"):
            self.run("SELECT gin_clean_pending_list(?::regclass)", (index,))
        self.run("RESET gin_pending_list_limit")
        self.run("RESET work_mem")
        self.run("ANALYZE")

    def reserve_ids(self, table: str, n: int) -> list[int]:
        if not n:
            return []
        return [r[0] for r in self.rows(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
                                         " FROM generate_series(1, ?)", (n,))]

    @contextmanager
    def transaction(self, *, exclusive: bool = False, wait: bool = True) -> Iterator[None]:
        with self.conn.transaction():
            # Writers share the lock and the term index takes it alone, so it never indexes past
            # a row whose transaction (and so whose lower ``seq``) is still in flight.
            if exclusive and not wait:
                if not self.value("SELECT pg_try_advisory_xact_lock(?)", (WRITE_LOCK,)):
                    raise Busy("another process is writing")
            else:
                fn = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
                self.run(f"SELECT {fn}(?)", (WRITE_LOCK,))
            yield

    def close(self) -> None:
        self.conn.close()


def clean(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL; U+FFFD keeps the length, so spans stay valid."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


def _pg(sql: str, params: Iterable[Any]) -> tuple[Any, ...]:
    values = tuple(clean(v) for v in params)
    return (pg_placeholders(sql), values) if values else (sql,)


@functools.lru_cache(maxsize=512)
def pg_placeholders(sql: str) -> str:
    """``?`` placeholders to psycopg's ``%s`` (outside quotes); a literal ``%`` is doubled."""
    out, quote = [], ""
    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = ""
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        else:
            out.append("%%" if ch == "%" else ch)
    return "".join(out)


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def driver_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a driver raises for a failed statement (caught in store/ only)."""
    return (sqlite3.Error,) + ((psycopg.Error,) if psycopg is not None else ())


def wrap(message: str, exc: BaseException) -> StoreError:
    return StoreError(f"{message}: {first_line(exc)}")
