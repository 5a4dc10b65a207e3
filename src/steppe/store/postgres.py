"""The server evidence base: PostgreSQL through psycopg 3, same behaviour as the SQLite store.

``PostgresStore("postgresql://user@host:5432/steppe")`` (or ``--db`` / ``STEPPE_DB``).

What carries over from :mod:`steppe.store.sqlite`, by design:

- numbered migrations (recorded in ``schema_migrations``), applied once each;
- one transaction per page: a run killed at any moment leaves whole pages or
  nothing, and re-running skips pages already stored (same source, same bytes);
- items keyed by the hash of their normalised text; near-duplicates merged with
  the same MinHash LSH index (:mod:`steppe.store.dedupe`), signatures kept as
  ``bytea``; a duplicate only gains a provenance and fills fields it lacked;
- the same tables for mentions, events, event actors and enrichment versions,
  the same ``stats()`` shape, the same search filters.

Keyword search: the same term index as SQLite (:mod:`steppe.store.termindex`,
its postings in ``bytea`` here), so both stores rank with FTS5's bm25 and give
the same hits and snippets, without scoring every match. Here it also keeps the
postings of adjacent token pairs, so phrases of several words rank as FTS5 ranks
them on SQLite too, however many rows hold their words. What it does not cover
(a prefix phrase ``"a b"*``, the query shapes FTS5 scores by its iterators'
positions, a backlog it has not caught up) falls back to a stored generated
``tsvector`` column (title weight A, text weight B, the ``simple``
configuration: no stemming, no stop words, like FTS5's unicode61) with a GIN
index, ranked with ``ts_rank`` where a title match counts twice a text match. User queries go
through :func:`steppe.store.query.to_fts_query`, so both stores accept exactly
the same syntax (words, "phrases", prefix*, AND/OR/NOT, -excluded, parentheses)
and reject the same empty queries with :class:`QuerySyntaxError`; the checked
query is then written as a ``tsquery`` whose terms are all quoted, so no user
input reaches PostgreSQL's query parser raw. ``websearch_to_tsquery`` (which
cannot express prefixes or grouping) is the fallback should that ever fail.
Snippets come from the term index's tokenizer, as on SQLite.
Scores follow the SQLite convention: lower is better.

Known differences: PostgreSQL text cannot hold NUL characters, so a NUL in a
page becomes U+FFFD (same length, so spans stay valid); the ``simple``
configuration keeps diacritics (FTS5 folds them); only the first 500,000
characters of an item are indexed for search (a tsvector is capped at 1 MB).
"""

from __future__ import annotations

import re
from typing import Any

from steppe.store.base import StoreError
from steppe.store.core import Filters, SQLStore, now
from steppe.store.query import QuerySyntaxError, item_filters, to_fts_query
from steppe.store.schema import BASE, ENRICHMENT, LANGUAGE, VECTORS, WATCHLISTS, render
from steppe.store.sql import PostgresDatabase, first_line, wrap
from steppe.store.termindex import OFFSETS_MIGRATION
from steppe.store.termindex import PG_MIGRATION as TERM_INDEX_MIGRATION

try:  # optional extra: pip install "steppe[postgres]"
    import psycopg
    from psycopg.rows import dict_row
except ImportError:  # pragma: no cover - exercised only without the extra
    psycopg = None  # type: ignore[assignment]

FTS_CHARS = 500_000  # a tsvector is capped at 1 MB; index the head of very long items
TS_WEIGHTS = [0.1, 0.2, 0.5, 1.0]  # D, C, B (text), A (title): a title hit counts 2x

# The search column: title weight A, text weight B, the 'simple' configuration (no stemming).
_TSV = f""",
    tsv TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, left(text, {FTS_CHARS})), 'B')
    ) STORED"""

MIGRATIONS: list[str] = [
    # 1: pages, items, provenance, runs, failures, keyword index (the GIN-indexed tsvector)
    render(BASE, "postgresql", item_search=_TSV) + """
    CREATE INDEX items_tsv ON items USING GIN (tsv);
    CREATE INDEX items_id_prefix ON items(id text_pattern_ops);
    """,
    # 2: entities linked to actors, and events
    render(ENRICHMENT, "postgresql"),
    # 3: the language of each page and item
    LANGUAGE,
    # 4: sentence embeddings for semantic search
    render(VECTORS, "postgresql"),
    # 5: the term index that ranks keyword searches without scoring every match
    TERM_INDEX_MIGRATION,
    # 6: watchlists and what their checks have already reported
    WATCHLISTS,
    # 7: the term index gains adjacent pairs and their offsets (PHRASE_PAIRS): every row is stale,
    # so the next ingest (or refresh_search_index) rebuilds it; a search rebuilds it itself only
    # when that is a few rows (SEARCH_REFRESH_LIMIT), and until then the fallback answers
    OFFSETS_MIGRATION.format(blob="BYTEA")
    + "INSERT INTO term_stale SELECT seq FROM items WHERE seq <= (SELECT max(last_rowid) FROM term_segments)"
    " ON CONFLICT DO NOTHING;",
]

_MIGRATION_LOCK = 0x5732_5057  # advisory lock id: two processes opening a new database migrate once


class PostgresStore(SQLStore):
    """The server store. ``PostgresStore(url)``; use as a context manager or call close()."""

    backend = "postgresql"
    # Phrases of several words: the term index also keeps the postings of adjacent token pairs,
    # so it ranks every phrase as FTS5's bm25 does on SQLite (a two-word phrase costs one pair's
    # postings; a longer one, its pairs' and a check of the rows that hold them all).
    PHRASE_PAIRS = True
    EVENT_ORDER = 'date COLLATE "C" NULLS FIRST, id COLLATE "C"'  # SQLite's order: NULL first, code points

    def __init__(self, url: str) -> None:
        if psycopg is None:
            raise StoreError('the PostgreSQL store needs psycopg: pip install "steppe[postgres]"')
        self.url = url
        self.location = url  # what names this evidence base (e.g. for a cache key)
        try:
            self.conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open database {_redact(url)}: {first_line(exc)}") from exc
        self.sql = PostgresDatabase(self.conn, url)
        # No JIT: a search's statements take milliseconds, but their cost estimates (a count over
        # the newest items, per joined postings row) pass jit_above_cost at a million items, and
        # compiling them took ~150 ms a search (measured with EXPLAIN ANALYZE).
        self.sql.run("SET jit = off")
        self._migrate()
        self._setup()

    def _migrate(self) -> None:
        with self.conn.transaction():
            self.sql.run("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
            self.sql.run("CREATE TABLE IF NOT EXISTS schema_migrations ("
                         " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            version = self.schema_version
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                self.conn.execute(script)  # no parameters: psycopg sends the whole script at once
                self.sql.run("INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)", (number, now()))

    @property
    def schema_version(self) -> int:
        return int(self.sql.value("SELECT coalesce(max(version), 0) FROM schema_migrations"))

    def __enter__(self) -> PostgresStore:
        return self

    def _fallback_rank(self, fts: str, filters: Filters, limit: int, offset: int) -> list[tuple[int, float]]:
        """``ts_rank`` over the GIN-indexed tsvector (phrases of several words, a backlog)."""
        where, params = item_filters(**filters)
        return self.sql.rows(
            "SELECT i.seq, -ts_rank(?::float4[], i.tsv, q) AS score"
            " FROM items i, to_tsquery('simple'::regconfig, ?) q"
            f" WHERE i.tsv @@ q {where} ORDER BY score, i.seq LIMIT ? OFFSET ?",
            (TS_WEIGHTS, fts_to_tsquery(fts), *params, limit, offset))

    def match_sql(self, fts: str, **filters: str | None) -> tuple[str, tuple[Any, ...]]:
        where, params = item_filters(**filters)
        return (f"FROM items i WHERE i.tsv @@ to_tsquery('simple'::regconfig, ?) {where}",
                (fts_to_tsquery(fts), *params))

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """Read-only SQL for the analyse stage (``?`` placeholders; rows as dicts)."""
        try:
            with self.conn.transaction():
                self.sql.run("SET TRANSACTION READ ONLY")
                return self.sql.dicts(sql, params)
        except psycopg.Error as exc:
            raise wrap("query failed", exc) from exc


# ---------------------------------------------------------------- helpers

def to_tsquery_text(query: str) -> str:
    """A user query as ``to_tsquery`` input with the SQLite store's semantics.

    The query is first checked and normalised by :func:`to_fts_query` (FTS5
    syntax, every term quoted), then rewritten: a phrase becomes ``'a' <-> 'b'``,
    ``"x"*`` becomes ``'x':*``, juxtaposition is AND, ``a NOT b`` is ``a & !b``.
    """
    return fts_to_tsquery(to_fts_query(query), original=query)


def fts_to_tsquery(fts: str, *, original: str | None = None) -> str:
    """A query already in FTS5 syntax (as :func:`to_fts_query` writes it) as ``to_tsquery`` input."""
    out: list[str] = []
    for token in re.findall(r'"(?:[^"]|"")*"\*?|\(|\)|\bAND\b|\bOR\b|\bNOT\b', fts):
        previous = out[-1] if out else None
        operand_before = previous is not None and previous not in ("&", "|", "!", "(")
        if token in ("AND", "OR"):
            out.append("&" if token == "AND" else "|")
        elif token == "NOT":
            if operand_before:
                out.append("&")
            out.append("!")
        else:
            if token != ")" and operand_before:
                out.append("&")  # FTS5 juxtaposition is an implicit AND
            out.append(_tsquery_operand(token) if token.startswith('"') else token)
    text = " ".join(out)
    if not re.search(r"'", text):
        raise QuerySyntaxError(f"nothing to search for in {original or fts!r}")
    return text


def _tsquery_operand(token: str) -> str:
    prefix = token.endswith("*")
    words = re.findall(r"\w+", token.rstrip("*").strip('"').replace('""', '"'))
    lexemes = [f"'{w}'" for w in words]
    if prefix and lexemes:
        lexemes[-1] += ":*"
    return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)
