"""A term index beside FTS5 that ranks keyword queries without scoring every match.

Why this exists: FTS5 computes ``bm25()`` for every matching row before it can
sort (about 1 µs a row), so one common word at a million items costs 300 ms.
It has no top-k pruning. The libraries that rank faster do not fit: bm25s
cannot be updated incrementally, has no boolean operators and builds its
matrix in memory; tantivy and Lucene are not packaged for these machines.

So, by hand but small: for each term, the rowids of the items that contain it
and its frequency in title and text, as numpy arrays in SQLite blobs (one
transaction with everything else, nothing to keep in sync across files).
A query is evaluated over dense masks and FTS5's own bm25 formula is computed
vectorised over the postings (a few milliseconds for a million postings).
Tokens come from FTS5 itself, through a temporary FTS5 table with the same
tokenizer, so both indexes agree token for token, and the ranking is the one
``ORDER BY bm25(items_fts, 2.0, 1.0)`` gives (tests compare the two on random
queries). Queries this index does not cover (phrases of several tokens) go to
FTS5 unchanged.

Postings live in segments of consecutive rowids. Ingest adds a segment per
batch; small trailing segments are merged by concatenating their blobs; an
item whose title or text changes, or that is deleted, marks its segment
stale (triggers) and the segment is rebuilt on the next refresh.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

log = logging.getLogger("steppe")
T = TypeVar("T")

TOKENIZER = "unicode61 remove_diacritics 2"  # must equal items_fts's (migration 1)
WEIGHTS = (2.0, 1.0)  # title, text: the weights SQLiteStore.search gives bm25()
K1, B = 1.2, 0.75  # FTS5's bm25 constants
BATCH_ROWS = 50_000  # rows tokenised per segment during a refresh
SMALL_SEGMENTS = 4  # merge trailing segments below BATCH_ROWS rows beyond this many
SEARCH_REFRESH_LIMIT = 20_000  # a search indexes at most this many new rows itself
TF_MAX = 65_535

MIGRATION = """
CREATE TABLE term_segments (
    id INTEGER PRIMARY KEY,
    first_rowid INTEGER NOT NULL,
    last_rowid INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    tokens INTEGER NOT NULL,
    lengths BLOB NOT NULL,  -- uint32 tokens per rowid, first..last (0: no such row)
    facets BLOB NOT NULL    -- int32 [published, publisher, kind] per rowid, see _facet_codes
);
CREATE TABLE term_labels (label TEXT PRIMARY KEY, code INTEGER NOT NULL UNIQUE);
CREATE TABLE term_postings (
    term TEXT NOT NULL,
    segment INTEGER NOT NULL,
    rowids BLOB NOT NULL,
    title_tf BLOB NOT NULL,
    text_tf BLOB NOT NULL,
    PRIMARY KEY (term, segment)
) WITHOUT ROWID;
CREATE INDEX term_postings_segment ON term_postings(segment);
CREATE TABLE term_stale (item_rowid INTEGER PRIMARY KEY);
CREATE TRIGGER items_terms_au AFTER UPDATE OF title, text, published, publisher, kind ON items
WHEN old.title IS NOT new.title OR old.text IS NOT new.text OR old.published IS NOT new.published
  OR old.publisher IS NOT new.publisher OR old.kind IS NOT new.kind BEGIN
    INSERT OR IGNORE INTO term_stale VALUES (old.rowid);
END;
CREATE TRIGGER items_terms_ad AFTER DELETE ON items BEGIN
    INSERT OR IGNORE INTO term_stale VALUES (old.rowid);
END;
-- A reused rowid (after the last row was deleted) falls inside an indexed range.
CREATE TRIGGER items_terms_ai AFTER INSERT ON items
WHEN new.rowid <= (SELECT max(last_rowid) FROM term_segments) BEGIN
    INSERT OR IGNORE INTO term_stale VALUES (new.rowid);
END;
"""


class NotCovered(Exception):
    """The query uses something this index does not evaluate; FTS5 answers it instead."""


# ---------------------------------------------------------------- tokens, from FTS5 itself


class Tokenizer:
    """FTS5's tokenizer, reached through a temporary in-memory FTS5 table."""

    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:", isolation_level=None)
        self.db.execute(f"CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize='{TOKENIZER}',"
                        " content='', columnsize=0)")
        self.db.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, t, 'instance')")
        self.db.execute("CREATE VIRTUAL TABLE temp.r USING fts5vocab(main, t, 'row')")
        self.db.execute(f"CREATE VIRTUAL TABLE s USING fts5(title, text, tokenize='{TOKENIZER}')")

    def snippets(self, fts_query: str, rows: list[tuple[int, str | None, str]], *args: Any) -> dict[int, str]:
        """FTS5's ``snippet(items_fts, *args)`` for these rows, computed over them alone.

        A snippet depends only on the row and the query, so it is the same as the
        store's; but the store's FTS5 table re-expands a prefix over the whole
        index for every row asked (100+ ms at a million items), this one over 20.
        """
        self.db.execute("BEGIN")
        self.db.executemany("INSERT INTO s(rowid, title, text) VALUES (?, ?, ?)", rows)
        marks = ", ".join("?" * len(args))
        try:
            return dict(self.db.execute(f"SELECT rowid, snippet(s, {marks}) FROM s WHERE s MATCH ?",
                                        (*args, fts_query)).fetchall())
        finally:
            self.db.execute("ROLLBACK")

    def tokens(self, text: str) -> list[str]:
        """The tokens FTS5 makes of ``text``, in order."""
        self._load([(1, "", text)])
        try:
            return [r[0] for r in self.db.execute("SELECT term FROM v ORDER BY offset")]
        finally:
            self._clear()

    def postings(self, rows: Iterable[tuple[int, str | None, str]]) -> Postings:
        """Term frequencies of a batch of (rowid, title, text)."""
        self._load(rows)
        try:
            terms, per_term = [], []
            for term, instances in self.db.execute("SELECT term, cnt FROM r"):
                terms.append(term)
                per_term.append(instances)
            # One row per token occurrence, in (term, doc, col, offset) order; group_concat
            # takes them out in one string instead of millions of Python tuples.
            packed = self.db.execute("SELECT group_concat(doc * 2 + (col = 'text')) FROM v").fetchone()[0]
        finally:
            self._clear()
        keys = np.fromstring(packed, dtype=np.int64, sep=",") if packed else np.zeros(0, np.int64)
        return Postings.from_instances(terms, np.asarray(per_term, dtype=np.int64), keys)

    def _load(self, rows: Iterable[tuple[int, str | None, str]]) -> None:
        self.db.execute("BEGIN")
        self.db.executemany("INSERT INTO t(rowid, title, text) VALUES (?, ?, ?)", rows)
        self.db.execute("COMMIT")

    def _clear(self) -> None:
        self.db.execute("INSERT INTO t(t) VALUES ('delete-all')")


@dataclass
class Postings:
    """Postings of one batch: per term, a slice of ``rowids``/``title_tf``/``text_tf``."""

    terms: list[str]
    bounds: np.ndarray  # len(terms) + 1 offsets into the arrays below
    rowids: np.ndarray  # int64, sorted within each term
    title_tf: np.ndarray  # uint16
    text_tf: np.ndarray  # uint16

    @classmethod
    def from_instances(cls, terms: list[str], per_term: np.ndarray, keys: np.ndarray) -> Postings:
        term_of = np.repeat(np.arange(len(terms)), per_term)
        doc, in_text = keys >> 1, (keys & 1).astype(bool)
        starts = np.ones(len(keys), dtype=bool)
        starts[1:] = (term_of[1:] != term_of[:-1]) | (doc[1:] != doc[:-1])
        run = np.cumsum(starts) - 1
        text_tf = np.bincount(run, weights=in_text).astype(np.int64)
        title_tf = np.bincount(run) - text_tf
        # Stored as uint16: a word more than 65,535 times in one item (never seen) counts 65,535.
        text_tf, title_tf = (np.minimum(tf, TF_MAX).astype(np.uint16) for tf in (text_tf, title_tf))
        docs_per_term = np.bincount(term_of[starts], minlength=len(terms))
        bounds = np.concatenate([[0], np.cumsum(docs_per_term)])
        return cls(terms, bounds, doc[starts], title_tf, text_tf)

    def lengths(self, first: int, last: int) -> np.ndarray:
        """Tokens per row (title + text), dense over rowids first..last."""
        counts = self.title_tf.astype(np.int64) + self.text_tf
        return np.bincount(self.rowids - first, weights=counts, minlength=last - first + 1).astype(np.uint32)


# ---------------------------------------------------------------- queries


@dataclass
class Phrase:
    term: str
    prefix: bool = False


Node = Phrase | tuple[str, Any, Any]


def parse(fts_query: str, tokenizer: Tokenizer) -> tuple[Node, list[Phrase]]:
    """Parse the FTS5 subset ``steppe.store.query.to_fts_query`` writes.

    FTS5's precedence, tightest first: juxtaposed phrases (implicit AND), NOT,
    AND, OR; all left-associative. Returns the tree and its phrases in query
    order (bm25 sums over phrases in that order).
    """
    tokens = _lex(fts_query)
    phrases: list[Phrase] = []
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def binary(operator: str, operand: Callable[[], Node]) -> Node:
        left = operand()
        while peek() == operator:
            take()
            left = (operator, left, operand())
        return left

    def phrase() -> Phrase:
        text = take()
        words = tokenizer.tokens(text[1:-1].replace('""', '"'))
        if len(words) != 1:
            raise NotCovered(f"phrase of {len(words)} tokens")
        found = Phrase(words[0], prefix=peek() == "*")
        if found.prefix:
            take()
        phrases.append(found)
        return found

    def sequence() -> Node:
        if peek() == "(":
            take()
            inner = binary("OR", lambda: binary("AND", lambda: binary("NOT", sequence)))
            if take() != ")":
                raise NotCovered("unbalanced parentheses")
            return inner
        if not (peek() or "").startswith('"'):
            raise NotCovered(f"unexpected {peek()!r}")
        node: Node = phrase()
        while (peek() or "").startswith('"'):
            node = ("AND", node, phrase())
        return node

    tree = binary("OR", lambda: binary("AND", lambda: binary("NOT", sequence)))
    if pos != len(tokens):
        raise NotCovered(f"unexpected {peek()!r}")
    _check_unambiguous(tree)
    return tree, phrases


def _lex(query: str) -> list[str]:
    out, i = [], 0
    while i < len(query):
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            j = i + 1
            while True:
                j = query.find('"', j)
                if j < 0:
                    raise NotCovered("unterminated quote")
                if query.startswith('""', j):
                    j += 2
                    continue
                break
            out.append(query[i:j + 1])
            i = j + 1
        elif ch in "()*":
            out.append(ch)
            i += 1
        else:
            j = i
            while j < len(query) and not query[j].isspace() and query[j] not in '()*"':
                j += 1
            word = query[i:j]
            if word not in ("AND", "OR", "NOT"):
                raise NotCovered(f"bare word {word!r}")
            out.append(word)
            i = j
    return out


# ---------------------------------------------------------------- the index


ROW_COLUMNS = "rowid, title, text, published, publisher, kind"
NO_DATE, ODD_DATE = -1, -2  # published codes: NULL, and a value that is not an ISO prefix
_ISO_PREFIX = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass
class _Stats:
    generation: tuple[int, int, int]
    lengths: np.ndarray  # tokens per rowid (0 where no row)
    facets: np.ndarray  # 3 x rowids: published code, publisher label, kind label
    rows: int
    avgdl: float


class TermIndex:
    """Postings in the store's SQLite database; ``rank`` answers like FTS5's bm25 order."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        # One scratch FTS5 database per thread: a web server answers searches on several threads
        # with one store, and an sqlite3 connection belongs to the thread that made it.
        self._local = threading.local()
        self._last_matches: tuple[tuple[Any, ...], tuple[np.ndarray, np.ndarray]] | None = None
        self._stats: _Stats | None = None

    @property
    def tokenizer(self) -> Tokenizer:
        if getattr(self._local, "tokenizer", None) is None:
            self._local.tokenizer = Tokenizer()
        return self._local.tokenizer

    # ---------------------------------------------------------- keeping it current

    def pending(self) -> int:
        """Rows the index lacks: items past its last rowid, plus stale ones."""
        last = self._last_rowid()
        newer = self.db.execute("SELECT count(*) FROM items WHERE rowid > ?", (last,)).fetchone()[0]
        return newer + self.db.execute("SELECT count(*) FROM term_stale").fetchone()[0]

    def refresh(self, *, limit: int | None = None, whole_batches: bool = False) -> bool:
        """Index new rows and rebuild stale segments. False when more than ``limit`` rows are pending.

        ``whole_batches`` (during a long ingest) leaves a last partial batch for
        later, so big runs make full-size segments, not a trail of small ones.
        """
        if limit is not None and self.pending() > limit:
            return False
        # Every step reads what it indexes inside its own write transaction: two processes
        # refreshing at once (an ingest and a web app) cannot index the same rows twice.
        self._write(self._rebuild_stale)
        while self._write(lambda: self._index_next_batch(whole_batches)):
            pass
        self._write(self._merge_small)
        return True

    def _index_next_batch(self, whole_batches: bool) -> bool:
        rows = self.db.execute(f"SELECT {ROW_COLUMNS} FROM items WHERE rowid > ? ORDER BY rowid LIMIT ?",
                               (self._last_rowid(), BATCH_ROWS)).fetchall()
        if not rows or (whole_batches and len(rows) < BATCH_ROWS):
            return False
        self._add_segment(rows, rows[0][0], rows[-1][0])
        return True

    def _last_rowid(self) -> int:
        return self.db.execute("SELECT coalesce(max(last_rowid), 0) FROM term_segments").fetchone()[0]

    def _write(self, work: Callable[[], T]) -> T:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            result = work()
            self.db.execute("COMMIT")
            return result
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _add_segment(self, rows: list[Any], first: int, last: int) -> None:
        postings = self.tokenizer.postings((r[0], r[1], r[2]) for r in rows)
        lengths = postings.lengths(first, last)
        segment = self.db.execute(
            "INSERT INTO term_segments(first_rowid, last_rowid, rows, tokens, lengths, facets) VALUES (?,?,?,?,?,?)",
            (first, last, len(rows), int(lengths.sum()), lengths.tobytes(),
             self._facet_codes(rows, first, last).tobytes())).lastrowid
        b = postings.bounds
        self.db.executemany(
            "INSERT INTO term_postings(term, segment, rowids, title_tf, text_tf) VALUES (?,?,?,?,?)",
            ((term, segment, postings.rowids[b[i]:b[i + 1]].astype(np.uint32).tobytes(),
              postings.title_tf[b[i]:b[i + 1]].tobytes(), postings.text_tf[b[i]:b[i + 1]].tobytes())
             for i, term in enumerate(postings.terms)))

    def _facet_codes(self, rows: list[Any], first: int, last: int) -> np.ndarray:
        """Per rowid: the published date as YYYYMMDD (missing parts 00), and label codes."""
        facets = np.full((3, last - first + 1), NO_DATE, dtype=np.int32)
        labels = {r[k] for r in rows for k in (4, 5) if r[k] is not None}
        self.db.executemany(
            "INSERT OR IGNORE INTO term_labels(label, code) VALUES (?, (SELECT coalesce(max(code), 0) + 1"
            " FROM term_labels))", ((label,) for label in sorted(labels)))
        codes = dict(self.db.execute("SELECT label, code FROM term_labels"))
        for r in rows:
            at = r[0] - first
            facets[0, at] = date_code(r[3])
            facets[1, at] = codes.get(r[4], 0)
            facets[2, at] = codes.get(r[5], 0)
        return facets

    def _rebuild_stale(self) -> None:
        stale = [r[0] for r in self.db.execute("SELECT item_rowid FROM term_stale")]
        if not stale:
            return
        for segment, first, last in self.db.execute("SELECT id, first_rowid, last_rowid FROM term_segments").fetchall():
            if any(first <= r <= last for r in stale):
                self._drop_segment(segment)
                rows = self.db.execute(f"SELECT {ROW_COLUMNS} FROM items WHERE rowid BETWEEN ? AND ?"
                                       " ORDER BY rowid", (first, last)).fetchall()
                if rows:
                    self._add_segment(rows, first, last)
        self.db.execute("DELETE FROM term_stale")

    def _drop_segment(self, segment: int) -> None:
        self.db.execute("DELETE FROM term_postings WHERE segment=?", (segment,))
        self.db.execute("DELETE FROM term_segments WHERE id=?", (segment,))

    def _merge_small(self) -> None:
        """Concatenate the trailing small segments once there are too many (no re-tokenising)."""
        segments = self.db.execute(
            "SELECT id, first_rowid, last_rowid, rows, tokens, lengths, facets FROM term_segments"
            " ORDER BY first_rowid").fetchall()
        tail: list[Any] = []
        for seg in reversed(segments):
            if seg[3] >= BATCH_ROWS:
                break
            tail.insert(0, seg)
        if len(tail) > SMALL_SEGMENTS:
            self._merge(tail)

    def _merge(self, segments: list[Any]) -> None:
        first, last = segments[0][1], segments[-1][2]
        lengths = np.zeros(last - first + 1, dtype=np.uint32)
        facets = np.full((3, last - first + 1), NO_DATE, dtype=np.int32)
        for _, lo, hi, _, _, blob, facet_blob in segments:
            lengths[lo - first:hi - first + 1] = np.frombuffer(blob, dtype=np.uint32)
            facets[:, lo - first:hi - first + 1] = np.frombuffer(facet_blob, dtype=np.int32).reshape(3, -1)
        ids = [s[0] for s in segments]
        merged = self.db.execute(
            "INSERT INTO term_segments(first_rowid, last_rowid, rows, tokens, lengths, facets) VALUES (?,?,?,?,?,?)",
            (first, last, sum(s[3] for s in segments), sum(s[4] for s in segments), lengths.tobytes(),
             facets.tobytes())).lastrowid
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f"SELECT term, rowids, title_tf, text_tf FROM term_postings WHERE segment IN ({marks})"
            " ORDER BY term, (SELECT first_rowid FROM term_segments s WHERE s.id = segment)", ids).fetchall()
        grouped: dict[str, list[bytes]] = {}
        for term, rowids, title_tf, text_tf in rows:
            parts = grouped.setdefault(term, [b"", b"", b""])
            parts[0] += rowids
            parts[1] += title_tf
            parts[2] += text_tf
        self.db.executemany(
            "INSERT INTO term_postings(term, segment, rowids, title_tf, text_tf) VALUES (?,?,?,?,?)",
            ((term, merged, *parts) for term, parts in grouped.items()))
        for segment in ids:
            self._drop_segment(segment)

    # ---------------------------------------------------------- ranking

    def rank(self, fts_query: str, *, limit: int, offset: int = 0, publisher: str | None = None,
             kind: str | None = None, since: str | None = None, until: str | None = None,
             keep: Callable[[np.ndarray], np.ndarray] | None = None) -> list[tuple[int, float]]:
        """(rowid, bm25 score) best first, FTS5's sign (lower is better); raises NotCovered.

        ``publisher``, ``kind``, ``since`` and ``until`` filter as the store's SQL
        does. ``keep`` filters on anything else (an actor); it is asked for
        growing chunks in rank order until the page is full, not for every match.
        """
        matched, scores = self.matches(fts_query, publisher=publisher, kind=kind, since=since, until=until)
        return _top(matched, scores, limit + offset, keep)[offset:]

    def matches(self, fts_query: str, *, publisher: str | None = None, kind: str | None = None,
                since: str | None = None, until: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Every matching rowid, ascending, with its bm25 score (positive here: higher is better).

        The last answer is kept: a workbench search ranks, then counts facets, on the same matches.
        """
        stats = self._current_stats()
        key = (fts_query, publisher, kind, since, until, stats.generation)
        last = self._last_matches
        if last is not None and last[0] == key:
            return last[1]
        tree, phrases = parse(fts_query, self.tokenizer)
        postings = [self._phrase_postings(p) for p in phrases]
        if isinstance(tree, Phrase):  # one word or prefix, the common case: no dense arrays
            matched = postings[0][0]
            scores = self._bm25(stats, *postings[0])
        else:
            size = len(stats.lengths)
            matched = np.flatnonzero(_evaluate(tree, phrases, [_mask(rowids, size) for rowids, _ in postings]))
            # In the shapes parse() accepts, every phrase present in a matching row counts,
            # and phrases on the right of a NOT are absent from the rows that match.
            dense = np.zeros(size)
            for rowids, freq in postings:
                dense[rowids] += self._bm25(stats, rowids, freq)
            scores = dense[matched]
        wanted = self._facet_mask(stats, matched, publisher=publisher, kind=kind, since=since, until=until)
        if wanted is not None:
            matched, scores = matched[wanted], scores[wanted]
        self._last_matches = (key, (matched, scores))
        return matched, scores

    def facet_counts(self, rowids: np.ndarray) -> dict[str, dict[str, int]]:
        """Rows per publisher, kind and month ('YYYY-MM', 'YYYY' for a year alone, '' undated)."""
        stats = self._current_stats()
        if (stats.facets[0][rowids] == ODD_DATE).any():
            raise NotCovered("a published value that is not an ISO date")
        labels = {code: label for label, code in self.db.execute("SELECT label, code FROM term_labels")}
        labels[0] = ""
        out: dict[str, dict[str, int]] = {}
        for name, row in (("publisher", 1), ("kind", 2)):
            values, counts = np.unique(stats.facets[row][rowids], return_counts=True)
            out[name] = {labels[int(v)]: int(n) for v, n in zip(values, counts, strict=True)}
        months, counts = np.unique(stats.facets[0][rowids] // 100, return_counts=True)
        out["month"] = {_month_label(int(m)): int(n) for m, n in zip(months, counts, strict=True)}
        return out

    @staticmethod
    def _bm25(stats: _Stats, rowids: np.ndarray, freq: np.ndarray) -> np.ndarray:
        """FTS5's bm25 term for one phrase (fts5Bm25Function), positive: higher is better."""
        if not len(rowids):
            return np.zeros(0)
        idf = np.log((stats.rows - len(rowids) + 0.5) / (len(rowids) + 0.5))
        idf = idf if idf > 0 else 1e-6  # FTS5's floor for terms in over half the rows
        dl = stats.lengths[rowids]
        return idf * (freq * (K1 + 1)) / (freq + K1 * (1 - B + B * dl / stats.avgdl))

    def _facet_mask(self, stats: _Stats, rowids: np.ndarray, *, publisher: str | None, kind: str | None,
                    since: str | None, until: str | None) -> np.ndarray | None:
        """Which of ``rowids`` pass the filters; None when there are none."""
        mask: np.ndarray | None = None

        def both(more: np.ndarray) -> np.ndarray:
            return more if mask is None else mask & more

        for row, label in ((1, publisher), (2, kind)):
            if label:
                code = self.db.execute("SELECT code FROM term_labels WHERE label=?", (label,)).fetchone()
                mask = both(stats.facets[row][rowids] == (code[0] if code else -3))
        if since or until:
            if (stats.facets[0] == ODD_DATE).any():
                raise NotCovered("a published value that is not an ISO date")
            low, high = _date_bounds(since, until)
            published = stats.facets[0][rowids]
            mask = both((published >= low) & (published <= high))
        return mask

    def _phrase_postings(self, phrase: Phrase) -> tuple[np.ndarray, np.ndarray]:
        """Rowids containing the phrase and its weighted frequency there (FTS5's aFreq)."""
        if phrase.prefix:
            rows = self.db.execute(
                "SELECT rowids, title_tf, text_tf FROM term_postings WHERE term >= ? AND term < ?",
                (phrase.term, phrase.term + "\U0010ffff")).fetchall()
        else:
            rows = self.db.execute(
                "SELECT rowids, title_tf, text_tf FROM term_postings WHERE term = ?", (phrase.term,)).fetchall()
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0)
        # One join per column, not one array per (term, segment): a prefix can expand to thousands.
        rowids = np.frombuffer(b"".join(r[0] for r in rows), dtype=np.uint32).astype(np.int64)
        freq = (WEIGHTS[0] * np.frombuffer(b"".join(r[1] for r in rows), dtype=np.uint16)
                + WEIGHTS[1] * np.frombuffer(b"".join(r[2] for r in rows), dtype=np.uint16))
        if phrase.prefix and len(rows) > 1:  # several terms share rows: sum per row (dense: no sort)
            freq = np.bincount(rowids, weights=freq)
            rowids = np.flatnonzero(freq)
            freq = freq[rowids]
        return rowids, freq

    def _current_stats(self) -> _Stats:
        generation = tuple(self.db.execute(
            "SELECT count(*), coalesce(max(id), 0), coalesce(sum(rows), 0) FROM term_segments").fetchone())
        if self._stats is None or self._stats.generation != generation:
            segments = self.db.execute("SELECT first_rowid, last_rowid, rows, tokens, lengths, facets"
                                       " FROM term_segments ORDER BY first_rowid").fetchall()
            top = max((s[1] for s in segments), default=0)
            lengths = np.zeros(top + 1, dtype=np.float64)
            facets = np.full((3, top + 1), NO_DATE, dtype=np.int32)
            for first, last, _, _, blob, facet_blob in segments:
                lengths[first:last + 1] = np.frombuffer(blob, dtype=np.uint32)
                facets[:, first:last + 1] = np.frombuffer(facet_blob, dtype=np.int32).reshape(3, -1)
            rows = sum(s[2] for s in segments)
            tokens = sum(s[3] for s in segments)
            self._stats = _Stats(generation, lengths, facets, rows, tokens / rows if rows else 1.0)
        return self._stats


def date_code(value: str | None) -> int:
    """An ISO date prefix as YYYYMMDD with missing parts 00: integer order is string order."""
    if value is None:
        return NO_DATE
    match = _ISO_PREFIX.fullmatch(value)
    if not match:
        return ODD_DATE
    year, month, day = match.groups()
    return int(year) * 10000 + int(month or 0) * 100 + int(day or 0)


def _month_label(code: int) -> str:
    """YYYYMM (from a date code // 100) as the store's ``substr(published, 1, 7)``."""
    if code < 0:
        return ""
    year, month = divmod(code, 100)
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def _date_bounds(since: str | None, until: str | None) -> tuple[int, int]:
    """The store's ``published >= since`` and ``published <= until || '\uffff'`` as codes."""
    low, high = 0, 99999999
    if since:
        if not _ISO_PREFIX.fullmatch(since):
            raise NotCovered(f"since {since!r} is not an ISO date")
        low = date_code(since)
    if until:
        match = _ISO_PREFIX.fullmatch(until)
        if not match:
            raise NotCovered(f"until {until!r} is not an ISO date")
        year, month, day = match.groups()  # every date that starts with `until` is in
        high = int(year) * 10000 + int(month or 99) * 100 + int(day or 99)
    return low, high


def _mask(rowids: np.ndarray, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[rowids] = True
    return mask


def _check_unambiguous(node: Node) -> None:
    """Refuse the query shapes where FTS5's bm25 depends on its iterators' positions.

    FTS5 counts a phrase's instances in a row when the phrase's own iterator
    stands on that row, even inside an AND or NOT that failed there; which
    ones stand there depends on how far each iterator was advanced. Under an
    OR, that happens for AND and NOT branches, and on the right of a NOT for
    anything but plain phrases. Those shapes go to FTS5; everything else
    (words, prefixes, AND, OR of terms, NOT of terms, nested ANDs) is exact.
    """
    if isinstance(node, Phrase):
        return
    operator, left, right = node
    if operator == "OR" and not (_only_or(left) and _only_or(right)):
        raise NotCovered("OR over an AND or NOT branch")
    if operator == "NOT" and not _only_or(right):
        raise NotCovered("NOT of an AND or NOT")
    _check_unambiguous(left)
    _check_unambiguous(right)


def _only_or(node: Node) -> bool:
    return isinstance(node, Phrase) or (node[0] == "OR" and _only_or(node[1]) and _only_or(node[2]))


def _evaluate(node: Node, phrases: list[Phrase], present: list[np.ndarray]) -> np.ndarray:
    """Rows the query matches."""
    if isinstance(node, Phrase):
        return present[next(i for i, p in enumerate(phrases) if p is node)]
    operator, left, right = node
    a, b = _evaluate(left, phrases, present), _evaluate(right, phrases, present)
    return a & b if operator == "AND" else a | b if operator == "OR" else a & ~b


def _top(rowids: np.ndarray, scores: np.ndarray, wanted: int,
         keep: Callable[[np.ndarray], np.ndarray] | None) -> list[tuple[int, float]]:
    """The ``wanted`` best (highest score, then lowest rowid) among rows ``keep`` accepts.

    Only as many rows as needed are sorted: the best ``wanted`` first, then
    4x more each round while ``keep`` rejects too many.
    """
    found: list[tuple[int, float]] = []
    done = 0
    chunk = max(wanted, 64)
    while len(found) < wanted and done < len(rowids):
        window = _best(rowids, scores, min(done + chunk, len(rowids)))[done:]
        ids = rowids[window]
        kept = set((ids if keep is None else keep(ids)).tolist())
        found.extend((int(r), -float(s)) for r, s in zip(ids, scores[window], strict=True) if int(r) in kept)
        done += len(window)
        chunk *= 4
    return found[:wanted]


def _best(rowids: np.ndarray, scores: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` best rows in order; ties broken by rowid, also across the cut."""
    if n < len(scores):
        cut = np.partition(scores, len(scores) - n)[len(scores) - n]
        candidates = np.flatnonzero(scores >= cut)
    else:
        candidates = np.arange(len(scores))
    order = candidates[np.lexsort((rowids[candidates], -scores[candidates]))]
    return order[:n]
