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
queries). Queries this index does not cover (on SQLite, phrases of several
tokens) go to FTS5 unchanged.

Phrases, where there is no FTS5 to fall back on (``pairs``, the PostgreSQL
store): each segment also keeps the postings of every pair of adjacent tokens
(keyed :func:`pair_key`, beside the words' in ``term_postings``), counted per
column as FTS5 counts a two-token phrase's instances, and the offsets of those
instances. A two-word phrase is then one pair's postings, exact and as cheap as
a word: its rows (bm25's idf counts the rows holding the phrase, not those
holding its words), its frequency in each. A longer phrase joins its pairs'
offsets (pair k at offset p + k), so its cost is its pairs' instances, never a
row read or tokenised. The price is paid at indexing time and on disk.

The modules beside this one: :mod:`steppe.store.postings` (tokens from FTS5, postings of a
batch) and :mod:`steppe.store.termquery` (the query language: parse, check, evaluate).

Postings live in segments of consecutive rowids. Ingest adds a segment per
batch; small trailing segments are merged by concatenating their blobs; an
item whose title or text changes, or that is deleted, marks its segment
stale (triggers) and the segment is rebuilt on the next refresh.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from steppe.store.postings import Tokenizer, pair_key
from steppe.store.sql import Database
from steppe.store.termquery import NotCovered, Phrase, evaluate, parse

log = logging.getLogger("steppe")
T = TypeVar("T")

WEIGHTS = (2.0, 1.0)  # title, text: the weights SQLiteStore.search gives bm25()
K1, B = 1.2, 0.75  # FTS5's bm25 constants
BATCH_ROWS = 50_000  # rows tokenised per segment during a refresh
SMALL_SEGMENTS = 4  # merge trailing segments below BATCH_ROWS rows beyond this many
SEARCH_REFRESH_LIMIT = 20_000  # a search indexes at most this many new rows itself
CHECK_ROWS = 2_000  # candidate rows read and tokenised at a time when a phrase is checked

# Added later, on both backends: a pair's offsets (uint32, the first token's, each column of each
# row in turn: title then text), NULL for words. Phrases of three tokens or more join on them.
OFFSETS_MIGRATION = "ALTER TABLE term_postings ADD COLUMN offsets {blob};"

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

# The same tables on PostgreSQL (items are numbered by ``seq`` there). Terms compare in the "C"
# collation, code point order as in SQLite, so a prefix is the range [term, term || U+10FFFF).
PG_MIGRATION = """
CREATE TABLE term_segments (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    first_rowid BIGINT NOT NULL,
    last_rowid BIGINT NOT NULL,
    rows INTEGER NOT NULL,
    tokens BIGINT NOT NULL,
    lengths BYTEA NOT NULL,
    facets BYTEA NOT NULL
);
CREATE TABLE term_labels (label TEXT PRIMARY KEY, code INTEGER NOT NULL UNIQUE);
CREATE TABLE term_postings (
    term TEXT COLLATE "C" NOT NULL,
    segment BIGINT NOT NULL,
    rowids BYTEA NOT NULL,
    title_tf BYTEA NOT NULL,
    text_tf BYTEA NOT NULL,
    PRIMARY KEY (term, segment)
);
CREATE INDEX term_postings_segment ON term_postings(segment);
CREATE TABLE term_stale (item_rowid BIGINT PRIMARY KEY);
CREATE FUNCTION steppe_term_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO term_stale VALUES (OLD.seq) ON CONFLICT DO NOTHING;
        RETURN OLD;
    ELSIF TG_OP = 'INSERT' THEN
        IF NEW.seq <= (SELECT max(last_rowid) FROM term_segments) THEN
            INSERT INTO term_stale VALUES (NEW.seq) ON CONFLICT DO NOTHING;
        END IF;
    ELSIF (OLD.title, OLD.text, OLD.published, OLD.publisher, OLD.kind)
          IS DISTINCT FROM (NEW.title, NEW.text, NEW.published, NEW.publisher, NEW.kind) THEN
        INSERT INTO term_stale VALUES (OLD.seq) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER items_terms_au AFTER UPDATE OF title, text, published, publisher, kind ON items
    FOR EACH ROW EXECUTE FUNCTION steppe_term_stale();
CREATE TRIGGER items_terms_ad AFTER DELETE ON items FOR EACH ROW EXECUTE FUNCTION steppe_term_stale();
CREATE TRIGGER items_terms_ai AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION steppe_term_stale();
"""




# ---------------------------------------------------------------- the index


ROW_COLUMNS = "{rowid}, title, text, published, publisher, kind"  # {rowid}: the backend's item number
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
    """Postings in the store's own database; ``rank`` answers like FTS5's bm25 order."""

    def __init__(self, db: Database, *, phrase_candidates: int = 0, pairs: bool = False) -> None:
        """``phrase_candidates``: phrases of several tokens are answered here (verified on the
        rows that hold all their tokens) when at most this many rows do; 0: never (FTS5 does).
        ``pairs``: also index every pair of adjacent tokens, so that every phrase of several tokens
        is answered here, exactly, whatever its number of candidates (see :meth:`_pair_phrase`)."""
        self.db = db
        self.phrase_candidates = phrase_candidates
        self.pairs = pairs
        self._rowid = db.rowid
        self._row_columns = ROW_COLUMNS.format(rowid=db.rowid)
        # One scratch FTS5 database per thread: a web server answers searches on several threads
        # with one store, and an sqlite3 connection belongs to the thread that made it.
        # Per thread too: what pending() read for the search that follows it (used once, then
        # dropped), the segments' generation and (query, its postings).
        self._local = threading.local()
        self._last_matches: tuple[tuple[Any, ...], tuple[np.ndarray, np.ndarray]] | None = None
        self._stats: _Stats | None = None
        self._labels: dict[str, int] = {}  # label -> code (codes never change once given)

    @property
    def phrases(self) -> bool:
        """Whether phrases of several tokens are answered here."""
        return self.pairs or self.phrase_candidates > 0

    @property
    def tokenizer(self) -> Tokenizer:
        if getattr(self._local, "tokenizer", None) is None:
            self._local.tokenizer = Tokenizer()
        return self._local.tokenizer

    # ---------------------------------------------------------- keeping it current

    def pending(self, query: str | None = None) -> int:
        """Rows the index lacks: items past its last rowid, plus stale ones.

        One statement, which also reads the segments' generation for the search that asked
        (:meth:`_current_stats` then needs no statement of its own) and, given the FTS5
        ``query`` that search is for, its postings (:meth:`_postings` then needs none): on a
        server every statement is a round trip, and on a busy machine each one waits for the
        server's process to be scheduled.
        """
        state = (f"SELECT (SELECT count(*) FROM items WHERE {self._rowid} > s.last)"
                 " + (SELECT count(*) FROM term_stale) AS pending, s.n, s.top, s.total"
                 " FROM (SELECT coalesce(max(last_rowid), 0) AS last, count(*) AS n,"
                 " coalesce(max(id), 0) AS top, coalesce(sum(rows), 0) AS total FROM term_segments) s")
        wanted, offsets = None, "NULL"
        if query is not None:
            try:
                phrases = parse(query, self.tokenizer, phrases=self.phrases)[1]
                wanted, offsets = _wanted_terms(phrases, self.pairs), self._offsets_column(phrases)
            except NotCovered:
                wanted = None
        self._local.prefetched = None
        if wanted:
            where, params = _term_conditions(wanted)
            rows = self.db.rows(f"SELECT t.*, p.term, p.rowids, p.title_tf, p.text_tf, {offsets} FROM ({state}) t"
                                f" LEFT JOIN term_postings p ON ({where}) ORDER BY p.term, p.segment", params)
            postings = [r[4:] for r in rows if r[4] is not None]
            self._local.prefetched = (query, postings)
        else:
            rows = self.db.rows(state)
        row = rows[0]
        self._local.generation_hint = (int(row[1]), int(row[2]), int(row[3]))
        return int(row[0])

    def _offsets_column(self, phrases: list[Phrase]) -> str:
        """What to read for the ``offsets`` column: only phrases of three tokens or more need them."""
        return "p.offsets" if self.pairs and any(len(p.more) > 1 for p in phrases) else "NULL"

    def refresh(self, *, limit: int | None = None, whole_batches: bool = False, wait: bool = True) -> bool:
        """Index new rows and rebuild stale segments. False when more than ``limit`` rows are pending.

        ``whole_batches`` (during a long ingest) leaves a last partial batch for
        later, so big runs make full-size segments, not a trail of small ones.
        ``wait=False`` (a search) raises :class:`steppe.store.sql.Busy` rather than
        wait for another writer.
        """
        if limit is not None and self.pending() > limit:
            return False
        self._local.generation_hint = self._local.prefetched = None  # the segments are about to change
        # Every step reads what it indexes inside its own write transaction: two processes
        # refreshing at once (an ingest and a web app) cannot index the same rows twice.
        self._write(self._rebuild_stale, wait)
        while self._write(lambda: self._index_next_batch(whole_batches), wait):
            pass
        self._write(self._merge_small, wait)
        self._local.generation_hint = self._local.prefetched = None
        return True

    def _index_next_batch(self, whole_batches: bool) -> bool:
        rows = self.db.rows(f"SELECT {self._row_columns} FROM items WHERE {self._rowid} > ?"
                            f" ORDER BY {self._rowid} LIMIT ?", (self._last_rowid(), BATCH_ROWS))
        if not rows or (whole_batches and len(rows) < BATCH_ROWS):
            return False
        self._add_segment(rows, rows[0][0], rows[-1][0])
        return True

    def _last_rowid(self) -> int:
        return self.db.value("SELECT coalesce(max(last_rowid), 0) FROM term_segments")

    def _write(self, work: Callable[[], T], wait: bool = True) -> T:
        with self.db.transaction(exclusive=True, wait=wait):
            return work()

    def _add_segment(self, rows: list[Any], first: int, last: int) -> None:
        postings, pairs = self.tokenizer.postings(((r[0], r[1], r[2]) for r in rows), pairs=self.pairs)
        lengths = postings.lengths(first, last)
        segment = self.db.value(
            "INSERT INTO term_segments(first_rowid, last_rowid, rows, tokens, lengths, facets)"
            " VALUES (?,?,?,?,?,?) RETURNING id",
            (first, last, len(rows), int(lengths.sum()), lengths.tobytes(),
             self._facet_codes(rows, first, last).tobytes()))
        for part in (postings, pairs) if pairs is not None else (postings,):
            b, ob, offsets = part.bounds, part.offset_bounds, part.offsets
            self.db.load(  # COPY on PostgreSQL: a segment is ~100k postings rows (pairs: more)
                "term_postings", "term, segment, rowids, title_tf, text_tf, offsets",
                ((term, segment, part.rowids[b[i]:b[i + 1]].astype(np.uint32).tobytes(),
                  part.title_tf[b[i]:b[i + 1]].tobytes(), part.text_tf[b[i]:b[i + 1]].tobytes(),
                  None if offsets is None or ob is None else offsets[ob[i]:ob[i + 1]].tobytes())
                 for i, term in enumerate(part.terms)))

    def _facet_codes(self, rows: list[Any], first: int, last: int) -> np.ndarray:
        """Per rowid: the published date as YYYYMMDD (missing parts 00), and label codes."""
        facets = np.full((3, last - first + 1), NO_DATE, dtype=np.int32)
        labels = {r[k] for r in rows for k in (4, 5) if r[k] is not None}
        for label in sorted(labels):  # one at a time: each new code is the max so far + 1
            self.db.run("INSERT INTO term_labels(label, code) VALUES (?, (SELECT coalesce(max(code), 0) + 1"
                        " FROM term_labels)) ON CONFLICT DO NOTHING", (label,))
        codes = dict(self.db.rows("SELECT label, code FROM term_labels"))
        for r in rows:
            at = r[0] - first
            facets[0, at] = date_code(r[3])
            facets[1, at] = codes.get(r[4], 0)
            facets[2, at] = codes.get(r[5], 0)
        return facets

    def _rebuild_stale(self) -> None:
        stale = [r[0] for r in self.db.rows("SELECT item_rowid FROM term_stale")]
        if not stale:
            return
        for segment, first, last in self.db.rows("SELECT id, first_rowid, last_rowid FROM term_segments"):
            if any(first <= r <= last for r in stale):
                self._drop_segment(segment)
                rows = self.db.rows(f"SELECT {self._row_columns} FROM items WHERE {self._rowid} BETWEEN ? AND ?"
                                    f" ORDER BY {self._rowid}", (first, last))
                if rows:
                    self._add_segment(rows, first, last)
        self.db.run("DELETE FROM term_stale")

    def _drop_segment(self, segment: int) -> None:
        self.db.run("DELETE FROM term_postings WHERE segment=?", (segment,))
        self.db.run("DELETE FROM term_segments WHERE id=?", (segment,))

    def _merge_small(self) -> None:
        """Concatenate the trailing small segments once there are too many (no re-tokenising)."""
        segments = self.db.rows(
            "SELECT id, first_rowid, last_rowid, rows, tokens, lengths, facets FROM term_segments"
            " ORDER BY first_rowid")
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
        merged = self.db.value(
            "INSERT INTO term_segments(first_rowid, last_rowid, rows, tokens, lengths, facets)"
            " VALUES (?,?,?,?,?,?) RETURNING id",
            (first, last, sum(s[3] for s in segments), sum(s[4] for s in segments), lengths.tobytes(),
             facets.tobytes()))
        marks = ",".join("?" * len(ids))
        rows = self.db.rows(
            f"SELECT term, rowids, title_tf, text_tf, offsets FROM term_postings WHERE segment IN ({marks})"
            " ORDER BY term, (SELECT first_rowid FROM term_segments s WHERE s.id = segment)", ids)
        grouped: dict[str, list[Any]] = {}
        for term, rowids, title_tf, text_tf, offsets in rows:
            parts = grouped.setdefault(term, [b"", b"", b"", b""])
            parts[0] += bytes(rowids)
            parts[1] += bytes(title_tf)
            parts[2] += bytes(text_tf)
            # A pair's offsets only while every part has them (a word has none)
            parts[3] = None if offsets is None or parts[3] is None else parts[3] + bytes(offsets)
        self.db.many(
            "INSERT INTO term_postings(term, segment, rowids, title_tf, text_tf, offsets) VALUES (?,?,?,?,?,?)",
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
        tree, phrases = parse(fts_query, self.tokenizer, phrases=self.phrases)
        ahead = getattr(self._local, "prefetched", None)  # what pending() read on this thread
        prefetched = ahead[1] if ahead and ahead[0] == fts_query else None
        self._local.prefetched = None
        postings = self._postings(phrases, prefetched)
        if isinstance(tree, Phrase):  # one word or prefix, the common case: no dense arrays
            matched = postings[0][0]
            scores = self._bm25(stats, *postings[0])
        else:
            size = len(stats.lengths)
            matched = np.flatnonzero(evaluate(tree, phrases, [_mask(rowids, size) for rowids, _ in postings]))
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
        labels = {code: label for label, code in self.db.rows("SELECT label, code FROM term_labels")}
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
                code = self._label_code(label)
                mask = both(stats.facets[row][rowids] == (code if code is not None else -3))
        if since or until:
            if (stats.facets[0] == ODD_DATE).any():
                raise NotCovered("a published value that is not an ISO date")
            low, high = _date_bounds(since, until)
            published = stats.facets[0][rowids]
            mask = both((published >= low) & (published <= high))
        return mask

    def forget_generation(self) -> None:
        """Drop what the last :meth:`pending` read (the store calls this when its search is done)."""
        self._local.generation_hint = self._local.prefetched = None

    def _label_code(self, label: str) -> int | None:
        if label not in self._labels:
            code = self.db.value("SELECT code FROM term_labels WHERE label=?", (label,))
            if code is None:
                return None  # not (yet) given a code: not cached, a later segment may add it
            self._labels[label] = int(code)
        return self._labels[label]

    def _postings(self, phrases: list[Phrase], rows: list[Any] | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """:meth:`_phrase_postings` of every phrase, read in one statement (one round trip), or
        from ``rows`` (term, rowids, title_tf, text_tf) that :meth:`pending` read for them."""
        if rows is None and len(phrases) == 1 and not phrases[0].more:
            return [self._phrase_postings(phrases[0])]
        if rows is None:
            where, params = _term_conditions(_wanted_terms(phrases, self.pairs))
            rows = self.db.rows(f"SELECT term, rowids, title_tf, text_tf, {self._offsets_column(phrases)}"
                                " FROM term_postings p WHERE " + where + " ORDER BY term, segment", params)

        def of(term: str, prefix: bool) -> list[Any]:
            return [r[1:] for r in rows if (r[0].startswith(term) if prefix else r[0] == term)]

        if self.pairs:
            return [self._pair_phrase(p, [of(k, False) for k in _pair_keys(p)]) if p.more
                    else self._phrase_postings(p, of(p.term, p.prefix)) for p in phrases]
        return [self._verified_phrase(p, [of(w, False) for w in p.words]) if p.more
                else self._phrase_postings(p, of(p.term, p.prefix)) for p in phrases]

    def _pair_phrase(self, phrase: Phrase, pair_rows: list[list[Any]]) -> tuple[np.ndarray, np.ndarray]:
        """A phrase of several tokens from the postings of its adjacent pairs.

        Two tokens: the pair's postings are the phrase's, exactly (its instances in each column, as
        FTS5 counts them), and cost what one word's do. More: the phrase is at offset p of a column
        where its first pair is at p, its second at p + 1, and so on: a join on the pairs' offsets,
        whose cost is their instances' (no row is read). Should offsets be missing (a frequency
        past TF_MAX), the rows holding every pair are checked token by token instead.
        """
        if len(pair_rows) == 1:
            return self._phrase_postings(phrase, pair_rows[0])
        if all(r[3] is not None for rows in pair_rows for r in rows):
            return _joined_on_offsets(pair_rows)
        candidates = _holding_all(pair_rows)
        return self._checked(phrase, candidates)

    def _verified_phrase(self, phrase: Phrase, word_rows: list[list[Any]]) -> tuple[np.ndarray, np.ndarray]:
        """A phrase of several tokens: the rows holding all of them (from the postings), checked
        token by token; NotCovered when more than ``phrase_candidates`` rows need checking."""
        candidates = _holding_all(word_rows)
        if len(candidates) > self.phrase_candidates:
            raise NotCovered(f"phrase in up to {len(candidates)} rows")
        return self._checked(phrase, candidates)

    def _checked(self, phrase: Phrase, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The ``candidates`` that hold the phrase, and its weighted frequency there, token by token."""
        if not len(candidates):
            return np.zeros(0, np.int64), np.zeros(0)
        counts: dict[int, tuple[int, int]] = {}
        for at in range(0, len(candidates), CHECK_ROWS):
            chunk = candidates[at:at + CHECK_ROWS].tolist()
            texts = self.db.rows(f"SELECT {self._rowid}, title, text FROM items WHERE "
                                 + self.db.in_list(self._rowid), (self.db.list_param(chunk),))
            counts.update(self.tokenizer.phrase_counts(texts, phrase.words))
        rowids = np.array(sorted(counts), dtype=np.int64)
        freq = np.array([WEIGHTS[0] * counts[r][0] + WEIGHTS[1] * counts[r][1] for r in rowids.tolist()])
        return rowids, freq

    def _phrase_postings(self, phrase: Phrase, rows: list[Any] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Rowids containing the phrase and its weighted frequency there (FTS5's aFreq);
        ``rows``: its (rowids, title_tf, text_tf) postings when already read."""
        if rows is not None:
            pass
        elif phrase.prefix:
            rows = self.db.rows(
                "SELECT rowids, title_tf, text_tf FROM term_postings WHERE term >= ? AND term < ?",
                (phrase.term, phrase.term + "\U0010ffff"))
        else:
            rows = self.db.rows(
                "SELECT rowids, title_tf, text_tf FROM term_postings WHERE term = ?", (phrase.term,))
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
        generation = getattr(self._local, "generation_hint", None)  # read by this search's pending()
        self._local.generation_hint = None
        if generation is None:
            generation = tuple(int(v) for v in self.db.rows(
                "SELECT count(*), coalesce(max(id), 0), coalesce(sum(rows), 0) FROM term_segments")[0])
        if self._stats is None or self._stats.generation != generation:
            segments = self.db.rows("SELECT first_rowid, last_rowid, rows, tokens, lengths, facets"
                                    " FROM term_segments ORDER BY first_rowid")
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


def _holding_all(postings: list[list[Any]]) -> np.ndarray:
    """The rowids in every one of these postings (each a list of (rowids, ...) per segment)."""
    candidates: np.ndarray | None = None
    for rows in postings:
        rowids = (np.frombuffer(b"".join(r[0] for r in rows), dtype=np.uint32).astype(np.int64)
                  if rows else np.zeros(0, np.int64))
        candidates = rowids if candidates is None else np.intersect1d(candidates, rowids, assume_unique=True)
        if not len(candidates):
            break
    assert candidates is not None
    return candidates


def _joined_on_offsets(pair_rows: list[list[Any]]) -> tuple[np.ndarray, np.ndarray]:
    """Rows holding the phrase whose consecutive pairs have these postings (rowids, title_tf,
    text_tf, offsets per segment), with its weighted frequency there (FTS5's aFreq)."""
    found: np.ndarray | None = None
    for shift, rows in enumerate(pair_rows):
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0)
        rowids = np.frombuffer(b"".join(r[0] for r in rows), dtype=np.uint32).astype(np.int64)
        tf = np.stack([np.frombuffer(b"".join(r[k] for r in rows), dtype=np.uint16) for k in (1, 2)], axis=1)
        columns = np.stack([rowids * 2, rowids * 2 + 1], axis=1)  # (row, column) as row * 2 + is text
        offsets = np.frombuffer(b"".join(r[3] for r in rows), dtype=np.uint32).astype(np.int64)
        # Where the phrase would start: this pair's first token is the phrase's (shift + 1)-th.
        starts = (np.repeat(columns.ravel(), tf.ravel().astype(np.int64)) << 32) + offsets - shift
        found = starts if found is None else np.intersect1d(found, starts, assume_unique=True)
        if not len(found):
            return np.zeros(0, np.int64), np.zeros(0)
    assert found is not None
    columns = found >> 32
    rowids, at = np.unique(columns >> 1, return_inverse=True)
    freq = np.bincount(at, weights=np.where(columns & 1, WEIGHTS[1], WEIGHTS[0]), minlength=len(rowids))
    return rowids, freq


def _pair_keys(phrase: Phrase) -> list[str]:
    """The keys of a phrase's adjacent token pairs, in order."""
    return [pair_key(a, b) for a, b in zip(phrase.words, phrase.more, strict=False)]


def _wanted_terms(phrases: list[Phrase], pairs: bool = False) -> dict[tuple[str, bool], None]:
    """(term, is a prefix) for the postings a query's phrases need, in order, once each;
    ``pairs``: a phrase of several tokens needs its pairs' postings, not its words'."""
    wanted = dict.fromkeys((k, False) for p in phrases if p.more
                           for k in (_pair_keys(p) if pairs else p.words))
    wanted.update(dict.fromkeys((p.term, p.prefix) for p in phrases if not p.more))
    return wanted


def _term_conditions(wanted: dict[tuple[str, bool], None]) -> tuple[str, list[str]]:
    """SQL over ``term_postings p`` selecting those postings, and its parameters."""
    where, params = [], []
    for term, prefix in wanted:
        where.append("(p.term >= ? AND p.term < ?)" if prefix else "p.term = ?")
        params.extend((term, term + "\U0010ffff") if prefix else (term,))
    return " OR ".join(where), params


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
