"""The compact near-duplicate index gives the same merges as datasketch's MinHashLSH, with bounded memory."""

from __future__ import annotations

import random

import numpy as np
from datasketch import MinHash, MinHashLSH

from steppe.store.dedupe import NUM_PERM, SCHEME, NearDuplicateIndex, _permutations, signature


class DatasketchIndex:
    """The previous index (datasketch's MinHashLSH + exact signature check), kept as the reference."""

    def __init__(self, threshold: float = 0.7) -> None:
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.sigs: dict[str, np.ndarray] = {}

    def _minhash(self, sig: np.ndarray) -> MinHash:
        return MinHash(num_perm=NUM_PERM, seed=1, hashvalues=sig, scheme=SCHEME, permutations=_permutations())

    def add(self, item_id: str, sig: np.ndarray) -> None:
        self.sigs[item_id] = sig
        self.lsh.insert(item_id, self._minhash(sig))

    def find(self, sig: np.ndarray) -> str | None:
        matches = [(float(np.mean(self.sigs[c] == sig)), c) for c in self.lsh.query(self._minhash(sig))]
        matches = [m for m in matches if m[0] >= self.threshold]
        return min(matches, key=lambda m: (-m[0], m[1]))[1] if matches else None


def near_duplicate_corpus(n: int = 1500, seed: int = 11) -> list[tuple[str, np.ndarray]]:
    """Texts and edited copies: 1-6 words changed, a tail cut or added, exact copies under new ids."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(3000)]
    texts: list[str] = []
    out: list[tuple[str, np.ndarray]] = []
    for k in range(n):
        roll = rng.random()
        if texts and roll < 0.45:
            words = rng.choice(texts).split()
            edit = rng.randrange(4)
            if edit == 0:
                for _ in range(rng.randint(1, 6)):
                    words[rng.randrange(len(words))] = rng.choice(vocab)
            elif edit == 1:
                words = words[: max(12, len(words) - rng.randint(1, 6))]
            elif edit == 2:
                words += ["Read", "more."]
            text = " ".join(words)  # edit 3: an exact copy (another id: a tie on the score)
        else:
            text = " ".join(rng.choice(vocab) for _ in range(rng.randint(14, 45)))
        texts.append(text)
        sig = signature(text)
        assert sig is not None
        out.append((f"{rng.getrandbits(64):016x}-{k}", sig))
    return out


def test_same_bands_as_datasketch():
    index = NearDuplicateIndex()
    reference = MinHashLSH(threshold=0.7, num_perm=NUM_PERM)
    assert (index.bands, index.rows) == (reference.b, reference.r) == (14, 9)


def test_same_merges_as_datasketch_index_while_ingesting():
    corpus = near_duplicate_corpus()
    reference = DatasketchIndex()
    index = NearDuplicateIndex(buffer_keys=14 * 50)  # flush often: several sorted levels and merges
    found = 0
    for item_id, sig in corpus:
        expected = reference.find(sig)
        assert index.find(sig) == expected
        found += expected is not None
        if expected is None:  # as the stores do: a merged item is not indexed again
            reference.add(item_id, sig)
            index.add(item_id, sig)
    assert found > 300  # the corpus does exercise merges
    assert len(index._levels) > 1 and len(index) == len(reference.sigs)


def test_rebuilt_index_finds_the_same():
    corpus = near_duplicate_corpus(800, seed=5)
    stored, queries = corpus[:500], corpus[500:]
    reference = DatasketchIndex()
    for item_id, sig in stored:
        reference.add(item_id, sig)
    index = NearDuplicateIndex()
    index.add_many(((item_id, sig.tobytes()) for item_id, sig in stored), batch=64)
    index.add("short", None)  # too short to have a signature: ignored
    assert len(index) == len(stored)
    results = [index.find(sig) for _, sig in queries]
    assert results == [reference.find(sig) for _, sig in queries]
    assert sum(r is not None for r in results) > 50


def test_memory_per_item_is_small():
    index = NearDuplicateIndex()
    n = 20_000
    rng = np.random.default_rng(1)
    sigs = rng.integers(0, 2**32, size=(n, NUM_PERM), dtype=np.uint64)
    index.add_many((f"{i:016x}", sigs[i].tobytes()) for i in range(n))
    held = sum(k.nbytes + r.nbytes for k, r in index._levels) + len(index._ids) + index._id_ends.nbytes
    assert held / n < 250  # bytes per item in RAM (datasketch's index: ~7.5 KB)
    assert index.find(sigs[123]) == f"{123:016x}"
    index.close()
