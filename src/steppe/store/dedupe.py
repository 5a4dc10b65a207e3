"""Near-duplicate detection: the same teaser, lightly edited, on several pages is one item.

Exact duplicates share an id already (ids hash the normalised text). Near
duplicates (a changed word, a trimmed sentence) are found with MinHash LSH
from datasketch over word 3-shingles of the normalised text.

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

from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

from steppe.model import normalise_text

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


class NearDuplicateIndex:
    """An LSH index of item signatures; ``find`` returns the id of a near-duplicate item."""

    def __init__(self, threshold: float = NEAR_DUPLICATE_THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, item_id: str, sig: np.ndarray | None) -> None:
        if sig is None or item_id in self._signatures:
            return
        self._signatures[item_id] = sig
        self._lsh.insert(item_id, _minhash(sig))

    def add_many(self, rows: Iterable[tuple[str, bytes | None]]) -> None:
        for item_id, blob in rows:
            if blob:
                self.add(item_id, np.frombuffer(blob, dtype=np.uint64))

    def find(self, sig: np.ndarray | None) -> str | None:
        """The most similar indexed item at or above the threshold (ties: smallest id)."""
        if sig is None or not self._signatures:
            return None
        matches = [
            (float(np.mean(self._signatures[candidate] == sig)), candidate)
            for candidate in self._lsh.query(_minhash(sig))
        ]
        matches = [m for m in matches if m[0] >= self.threshold]
        return min(matches, key=lambda m: (-m[0], m[1]))[1] if matches else None


def _minhash(sig: np.ndarray) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1, hashvalues=sig, scheme=SCHEME, permutations=_permutations())


_PERMUTATIONS: list[np.ndarray] = []


def _permutations() -> np.ndarray:
    """The seed-1 permutations, made once: datasketch redraws them for every MinHash it builds,
    which was a quarter of the ingest time of listing pages."""
    if not _PERMUTATIONS:
        _PERMUTATIONS.append(MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations)
    return _PERMUTATIONS[0]
