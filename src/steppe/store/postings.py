"""Tokens and postings for the term index (:mod:`steppe.store.termindex`).

Tokens come from FTS5 itself, through a temporary in-memory FTS5 table with the store's
tokenizer, so the term index and ``items_fts`` agree token for token. A batch of rows becomes
:class:`Postings`: per term, the rows holding it and its frequency in title and text; with
pairs, the same for every two adjacent tokens (keyed :func:`pair_key`), with their offsets.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

TOKENIZER = "unicode61 remove_diacritics 2"  # must equal items_fts's (migration 1)
TF_MAX = 65_535


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

    def postings(self, rows: Iterable[tuple[int, str | None, str]], *,
                 pairs: bool = False) -> tuple[Postings, Postings | None]:
        """Term frequencies of a batch of (rowid, title, text); with ``pairs``, also the
        frequencies of each pair of adjacent tokens (the two-word phrases), keyed :func:`pair_key`."""
        self._load(rows)
        try:
            terms, per_term = [], []
            for term, instances in self.db.execute("SELECT term, cnt FROM r"):
                terms.append(term)
                per_term.append(instances)
            # One row per token occurrence, in (term, doc, col, offset) order; group_concat
            # takes them out in one string instead of millions of Python tuples.
            packed, offsets = self.db.execute(
                "SELECT group_concat(doc * 2 + (col = 'text'))" + (", group_concat(offset)" if pairs else ", NULL")
                + " FROM v").fetchone()
        finally:
            self._clear()
        keys = unpack_ints(packed)
        del packed  # (a batch's strings and arrays are hundreds of MB: each let go once read)
        counts = np.asarray(per_term, dtype=np.int64)
        words = Postings.from_instances(terms, counts, keys)
        if not pairs:
            return words, None
        at = unpack_ints(offsets)
        del offsets
        return words, pair_postings(terms, counts, keys, at)

    def phrase_counts(self, rows: Iterable[tuple[int, str | None, str]],
                      words: tuple[str, ...]) -> dict[int, tuple[int, int]]:
        """Instances of the phrase ``words`` (tokens) in each row's title and text, as FTS5 counts
        them (each position where the tokens follow one another), for rows where it occurs."""
        self._load(rows)
        try:
            marks = ",".join("?" * len(set(words)))
            found = self.db.execute(f"SELECT doc, col = 'text', offset, term FROM v WHERE term IN ({marks})",
                                    tuple(set(words))).fetchall()
        finally:
            self._clear()
        at = {(doc, col, offset, term) for doc, col, offset, term in found}
        counts: dict[int, list[int]] = {}
        for doc, col, offset, term in found:
            if term == words[0] and all((doc, col, offset + k, w) in at for k, w in enumerate(words[1:], 1)):
                counts.setdefault(doc, [0, 0])[col] += 1
        return {doc: (c[0], c[1]) for doc, c in counts.items()}

    def _load(self, rows: Iterable[tuple[int, str | None, str]]) -> None:
        self.db.execute("BEGIN")
        self.db.executemany("INSERT INTO t(rowid, title, text) VALUES (?, ?, ?)", rows)
        self.db.execute("COMMIT")

    def _clear(self) -> None:
        self.db.execute("INSERT INTO t(t) VALUES ('delete-all')")


def unpack_ints(packed: str | None) -> np.ndarray:
    return np.fromstring(packed, dtype=np.int64, sep=",") if packed else np.zeros(0, np.int64)


PAIR_MARK = "\U0010ffff"  # starts a pair's key: above every token, so no prefix range reaches it


def pair_key(first: str, second: str) -> str:
    """The ``term_postings`` key of two adjacent tokens. unicode61 never puts U+10FFFF (a
    noncharacter) or a space in a token, so no token or prefix range ``[t, t || U+10FFFF)``
    reaches these keys, and the key splits back into its two tokens."""
    return f"{PAIR_MARK}{first} {second}"


def pair_postings(terms: list[str], per_term: np.ndarray, keys: np.ndarray, offsets: np.ndarray) -> Postings:
    """Postings of adjacent token pairs from the instances (term order, as ``postings`` reads them):
    a pair's frequency in a column is the number of offsets p with its first token at p and its
    second at p + 1, which is how FTS5 counts a two-token phrase's instances."""
    n = len(terms)
    if not len(keys):
        return Postings([], np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.uint16),
                        np.zeros(0, np.uint16))
    low = int(keys.min())
    k, o, t = in_sequence(keys - low, offsets.astype(np.uint32), np.repeat(np.arange(n, dtype=np.int32), per_term))
    at = np.flatnonzero(k[1:] == k[:-1])  # each token and the next in the same column
    pair, pair_keys, pair_offsets = t[at].astype(np.int64) * n + t[at + 1], k[at], o[at]
    del k, o, t, at
    key_bits = max(1, int(pair_keys.max()).bit_length())
    if key_bits + max(1, (n * n).bit_length()) <= 62:  # one sort: by pair, then doc and column
        order = np.argsort((pair << key_bits) | pair_keys, kind="stable")  # stable: offsets in order
    else:
        order = np.lexsort((pair_keys, pair))
    pair, pair_keys, pair_offsets = pair[order], pair_keys[order], pair_offsets[order]
    del order
    starts = np.flatnonzero(np.concatenate([[True], pair[1:] != pair[:-1]]))
    per_pair = np.diff(np.append(starts, len(pair)))
    first, second = np.divmod(pair[starts], n)
    names = [f"{PAIR_MARK}{terms[a]} {terms[b]}" for a, b in zip(first.tolist(), second.tolist(), strict=True)]
    postings = Postings.from_instances(names, per_pair, pair_keys + low)
    if int(postings.title_tf.max(initial=0)) < TF_MAX and int(postings.text_tf.max(initial=0)) < TF_MAX:
        # (a frequency cut to TF_MAX would no longer say how many offsets are whose: none kept then)
        postings.offsets = pair_offsets
        postings.offset_bounds = np.concatenate([[0], np.cumsum(per_pair)])
    return postings


def in_sequence(keys: np.ndarray, offsets: np.ndarray,
                 term_of: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The instances in text order, (doc, column) then offset: their keys, offsets and terms.

    unicode61 puts one token at each offset 0..length-1 of a column, so each instance's place in
    the concatenated columns is its column's start plus its offset: a scatter, no sort (checked,
    and sorted instead should it ever not hold)."""
    lengths = np.bincount(keys)
    place = (np.cumsum(lengths) - lengths)[keys] + offsets
    total = len(keys)
    if int(place.sum()) == total * (total - 1) // 2 and int(place.max()) < total:
        # Offsets are distinct within a column, so places sum to 0 + ... + total - 1 only if none is
        # past its column's length: each place is then taken once.
        k, o, t = np.empty_like(keys), np.empty_like(offsets), np.empty_like(term_of)
        k[place], o[place], t[place] = keys, offsets, term_of
        return k, o, t
    order = np.lexsort((offsets, keys))
    return keys[order], offsets[order], term_of[order]


@dataclass
class Postings:
    """Postings of one batch: per term, a slice of ``rowids``/``title_tf``/``text_tf``."""

    terms: list[str]
    bounds: np.ndarray  # len(terms) + 1 offsets into the arrays below
    rowids: np.ndarray  # int64, sorted within each term
    title_tf: np.ndarray  # uint16
    text_tf: np.ndarray  # uint16
    offsets: np.ndarray | None = None  # pairs: uint32, see OFFSETS_MIGRATION; sliced by offset_bounds
    offset_bounds: np.ndarray | None = None

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
