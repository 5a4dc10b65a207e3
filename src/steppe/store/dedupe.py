"""Near-duplicate detection: the same teaser, lightly edited, on several pages is one item.

Exact duplicates share an id already (ids hash the normalised text). Near
duplicates (a changed word, a trimmed sentence) are found with MinHash
signatures (datasketch) over word 3-shingles of the normalised text, looked up
in a compact LSH index of our own (:class:`NearDuplicateIndex`: memory stays
bounded at millions of items).

Threshold: estimated Jaccard similarity >= 0.7 (``NEAR_DUPLICATE_THRESHOLD``).
Measured on a 27-word teaser: one word replaced scores 0.81 (true Jaccard),
a name swapped 0.92, a "Read more." tail 0.92, two words changed 0.70; the
most similar pair of *different* teasers on the corpus's Carnegie listing
scores 0.02. MinHash with 128 permutations estimates Jaccard within about
+-0.05, so 0.7 leaves room below the one-word edits without coming near
unrelated texts. Texts shorter than ``MIN_WORDS`` words are only deduplicated exactly:
with so few shingles one word changes the meaning ("Russia backs X" /
"Russia blocks X").
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH

from steppe.model import normal_words, normalise_text

NEAR_DUPLICATE_THRESHOLD = 0.7
NUM_PERM = 128
SHINGLE_WORDS = 3
MIN_WORDS = 12
SCHEME = "affine32"  # fixed: signatures stored in the database must stay comparable


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    tokens = normalise_text(text).split()
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(max(1, len(tokens) - size + 1))}


def signature(text: str) -> np.ndarray | None:
    """MinHash signature of a text, or None when it is too short for near-duplicate matching."""
    if len(normalise_text(text).split()) < MIN_WORDS:
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, permutations=_permutations())
    minhash.update_batch(list(shingles(text)))
    return minhash.hashvalues.astype(np.uint64)


def fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (``fmix32``; Appleby's MurmurHash3.cpp), element-wise on uint32.

    The affine32 MinHash scheme applies this fixed bijection to each shingle hash before the
    permutations (datasketch 2.x's ``MinHash.update``, which keeps it private): so
    :func:`signatures` computes it here, with the published constants, and
    ``test_batched_signatures_equal_datasketch_ones`` checks the values against datasketch's own
    ``MinHash`` (and ``test_fmix32_is_murmur3_finalizer`` against MurmurHash3's reference values).
    Multiplication wraps modulo 2**32, as intended.
    """
    hv = np.asarray(hv, dtype=np.uint32)
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


_THREE = "{} {} {}".format
assert SHINGLE_WORDS == 3 <= MIN_WORDS  # signatures() spells out three-word shingles


def signatures(texts: Sequence[str], *, chunk_shingles: int = 1 << 15) -> list[np.ndarray | None]:
    """:func:`signature` of each text, the same values, computed for many texts at once.

    datasketch builds a MinHash object and a (shingles x permutations) array per text; here
    the shingles of many texts are hashed (one bytes string of digests, read by numpy), mixed
    and permuted as one (permutations x shingles) array, and reduced per text with
    ``np.minimum.reduceat`` along its contiguous axis (6-8x faster than along the other one):
    ~20x faster than datasketch on teasers (the bulk load's path).
    """
    a, b = _permutations()
    out: list[np.ndarray | None] = [None] * len(texts)
    digests: list[bytes] = []  # the first 4 bytes of each shingle's SHA-1
    owners: list[int] = []  # text index of each run of hashes
    starts: list[int] = []
    sha1 = hashlib.sha1
    permuted = np.empty((NUM_PERM, 0), dtype=np.uint32)

    def flush() -> None:
        nonlocal permuted
        if not owners:
            return
        hv = fmix32(np.frombuffer(b"".join(digests), dtype="<u4"))
        if permuted.shape[1] < len(hv):
            permuted = np.empty((NUM_PERM, len(hv)), dtype=np.uint32)
        block = permuted[:, :len(hv)]
        for k in range(NUM_PERM):  # row k: permutation k of every shingle (uint32, wrapping)
            np.multiply(hv, a[k], out=block[k])
            block[k] += b[k]
        mins = np.minimum.reduceat(block, np.array(starts), axis=1).T.astype(np.uint64)
        for row, at in enumerate(owners):
            out[at] = mins[row]
        digests.clear()
        owners.clear()
        starts.clear()

    for at, text in enumerate(texts):
        tokens = normal_words(text)
        if len(tokens) < MIN_WORDS:
            continue
        # shingles(text), as str: MIN_WORDS >= SHINGLE_WORDS, so every one has three words
        grams = set(map(_THREE, tokens, tokens[1:], tokens[2:]))
        owners.append(at)
        starts.append(len(digests))
        digests.extend([sha1(g.encode("utf-8")).digest()[:4] for g in grams])
        if len(digests) >= chunk_shingles:
            flush()
    flush()
    return out


class NearDuplicateIndex:
    """A MinHash LSH index of item signatures; ``find`` returns the id of a near-duplicate item.

    Hand-written rather than datasketch's ``MinHashLSH``, to bound memory: that index keeps, per
    band, a Python dict of byte-string keys to Python lists of keys, plus the MinHash objects
    (measured ~7.5 KB per item in the driver, so ~7.5 GB at a million items). Here:

    - the bands are datasketch's (``b`` x ``r`` chosen by ``MinHashLSH`` for the threshold:
      14 x 9 of the 128 values at 0.7), so the candidates, the check and thus the merges are the
      same; each band of an item is hashed to one int64 key (band number mixed in), stored with
      the item's row number (int32) in sorted numpy arrays: 14 x 12 bytes per item;
    - new keys go to a small dict first, flushed as a sorted level; levels are merged like a
      binary counter (each at most half the one below), so there are O(log n) of them and a
      lookup is one ``searchsorted`` per level;
    - full signatures (as uint32: the affine32 scheme's values are below 2**32) are only needed
      to check candidates, which are rare: they go to an unlinked temporary file, 512 bytes a row,
      read back per candidate, so they stay out of the process's memory.

    ~200 bytes of RAM per item (keys, rows, id): ~200 MB at a million items, ~2x that during the
    largest level merge. A key collision can only add a candidate, and candidates are
    checked against the real band values and the threshold, so results equal ``MinHashLSH``'s.
    Each item id is to be added once (the stores add only newly inserted items). Kept in memory
    and rebuilt from the stored signatures when a store first writes (batched: seconds per
    100k items), rather than an on-disk band table, so neither store's schema changes.
    """

    def __init__(self, threshold: float = NEAR_DUPLICATE_THRESHOLD, *, buffer_keys: int = 1 << 16) -> None:
        self.threshold = threshold
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)  # only for its choice of b and r
        self.bands, self.rows = lsh.b, lsh.r
        self._buffer_keys = buffer_keys
        self._buffer: dict[int, list[int]] = {}
        self._buffered = 0
        self._levels: list[tuple[np.ndarray, np.ndarray]] = []  # (sorted int64 keys, int32 rows)
        self._ids = bytearray()
        self._id_ends = np.zeros(1024, dtype=np.int64)
        self._n = 0
        # Lives as long as the index (closed with it, or when it is collected): no context manager.
        self._file = tempfile.TemporaryFile(prefix="steppe-minhash-", buffering=0)  # noqa: SIM115

    def __len__(self) -> int:
        return self._n

    def close(self) -> None:
        self._file.close()

    # ------------------------------------------------------------ adding

    def add(self, item_id: str, sig: np.ndarray | None, keys: np.ndarray | None = None) -> None:
        """Index one signature (``keys``: :meth:`band_keys` of it, if already computed)."""
        if sig is not None:
            self._append(np.atleast_2d(_to32(sig)), [item_id], None if keys is None else keys[None, :])

    def add_many(self, rows: Iterable[tuple[str, bytes | None]], batch: int = 8192) -> None:
        """Index stored signatures (``id``, uint64 blob) in batches: the way an index is rebuilt."""
        ids: list[str] = []
        blobs: list[bytes] = []
        for item_id, blob in rows:
            if blob:
                ids.append(item_id)
                blobs.append(bytes(blob))
            if len(ids) >= batch:
                self._append(_to32(np.frombuffer(b"".join(blobs), dtype=np.uint64).reshape(-1, NUM_PERM)), ids)
                ids, blobs = [], []
        if ids:
            self._append(_to32(np.frombuffer(b"".join(blobs), dtype=np.uint64).reshape(-1, NUM_PERM)), ids)

    def _append(self, sigs: np.ndarray, ids: list[str], keys: np.ndarray | None = None) -> None:
        first = self._n
        self._file.seek(first * SIGNATURE_BYTES)
        self._file.write(np.ascontiguousarray(sigs).tobytes())
        for item_id in ids:
            self._ids += item_id.encode("utf-8")
            if self._n == len(self._id_ends):
                self._id_ends = np.concatenate([self._id_ends, np.zeros_like(self._id_ends)])
            self._id_ends[self._n] = len(self._ids)
            self._n += 1
        keys = self._keys(sigs) if keys is None else keys
        if len(ids) == 1:  # one item (ingest): into the dict buffer
            for key in keys[0].tolist():
                self._buffer.setdefault(key, []).append(first)
            self._buffered += self.bands
            if self._buffered >= self._buffer_keys:
                self._flush()
        else:  # a batch (rebuild): straight to a sorted level
            rows = np.repeat(np.arange(first, self._n, dtype=np.int32), self.bands)
            self._push(keys.ravel(), rows)

    def _flush(self) -> None:
        if self._buffer:
            keys = np.array([k for k, rows in self._buffer.items() for _ in rows], dtype=np.int64)
            rows = np.array([r for rs in self._buffer.values() for r in rs], dtype=np.int32)
            self._buffer, self._buffered = {}, 0
            self._push(keys, rows)

    def _push(self, keys: np.ndarray, rows: np.ndarray) -> None:
        order = np.argsort(keys, kind="stable")
        self._levels.append((keys[order], rows[order]))
        while len(self._levels) > 1 and len(self._levels[-2][0]) <= 2 * len(self._levels[-1][0]):
            (k1, r1), (k2, r2) = self._levels.pop(-2), self._levels.pop()
            at = np.searchsorted(k1, k2, side="right")  # a linear merge of two sorted runs
            self._levels.append((np.insert(k1, at, k2), np.insert(r1, at, r2)))

    # ------------------------------------------------------------ finding

    def band_keys(self, sig: np.ndarray) -> np.ndarray:
        """The index's keys of one signature: for :meth:`find` then :meth:`add` without computing them twice."""
        return self._keys(_to32(sig)[None, :])[0]

    def find(self, sig: np.ndarray | None, keys: np.ndarray | None = None) -> str | None:
        """The most similar indexed item at or above the threshold (ties: smallest id).
        ``keys``: :meth:`band_keys` of ``sig``, if already computed."""
        if sig is None or not self._n:
            return None
        query = _to32(sig)
        best: tuple[float, str] | None = None
        for row in self._candidates(self.band_keys(sig) if keys is None else keys):
            other = self._signature(row)
            if not self._shares_a_band(query, other):
                continue  # a 64-bit key collision, not a band match
            score = np.count_nonzero(other == query) / len(query)  # np.mean's value (an exact sum / n)
            if score >= self.threshold:
                candidate = (-score, self._id(row))
                best = candidate if best is None or candidate < best else best
        return best[1] if best else None

    def _candidates(self, keys: np.ndarray) -> set[int]:
        found: set[int] = set()
        for key in keys.tolist():
            found.update(self._buffer.get(key, ()))
        for level_keys, level_rows in self._levels:
            lo = np.searchsorted(level_keys, keys)
            hit = level_keys[np.minimum(lo, len(level_keys) - 1)] == keys
            for i in np.flatnonzero(hit):
                hi = np.searchsorted(level_keys, keys[i], side="right")
                found.update(level_rows[lo[i]:hi].tolist())
        return found

    def _keys(self, sigs: np.ndarray) -> np.ndarray:
        """One int64 per (item, band): Python's hash of the band number and the band's bytes.

        Keys never leave the process (the index is rebuilt from the stored signatures), so the
        per-process salt of ``hash`` does no harm; it is ~20x faster than numpy on one signature.
        """
        width = 4 * self.rows
        data = np.ascontiguousarray(sigs).tobytes()
        return np.array([[hash((band, data[at + band * width: at + (band + 1) * width]))
                          for band in range(self.bands)]
                         for at in range(0, len(data), SIGNATURE_BYTES)], dtype=np.int64).reshape(-1, self.bands)

    def _shares_a_band(self, a: np.ndarray, b: np.ndarray) -> bool:
        width = self.bands * self.rows
        same = (a[:width] == b[:width]).reshape(self.bands, self.rows)
        return bool(same.all(axis=1).any())

    def _signature(self, row: int) -> np.ndarray:
        self._file.seek(row * SIGNATURE_BYTES)
        return np.frombuffer(self._file.read(SIGNATURE_BYTES), dtype=np.uint32)

    def _id(self, row: int) -> str:
        start = int(self._id_ends[row - 1]) if row else 0
        return self._ids[start: int(self._id_ends[row])].decode("utf-8")


SIGNATURE_BYTES = 4 * NUM_PERM


def _to32(sig: np.ndarray) -> np.ndarray:
    """Signatures are stored as uint64 but hold affine32 values (< 2**32): half the bytes."""
    if sig.dtype != np.uint32:
        if sig.size and int(sig.max()) > 0xFFFFFFFF:
            raise ValueError("not an affine32 MinHash signature: values above 2**32")
        sig = sig.astype(np.uint32)
    return sig


_PERMUTATIONS: list[np.ndarray] = []


def _permutations() -> np.ndarray:
    """The seed-1 permutations, made once: datasketch redraws them for every MinHash it builds,
    which was a quarter of the ingest time of listing pages."""
    if not _PERMUTATIONS:
        _PERMUTATIONS.append(MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations)
    return _PERMUTATIONS[0]
