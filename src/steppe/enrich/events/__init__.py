"""PLOVER event coding: who did what to whom, when and where, one sentence at a time.

Modules
    ``sentences``  the one sentence splitter (:func:`split_sentences`).
    ``dates``      event dates from a sentence, resolved against the item date.
    ``rules``      the rule coder on a spaCy parse (triggers, roles, modes, flags).
    ``records``    event ids and JSON records.
    ``coder``      :class:`EventCoder`: the rules and the classifier combined (how: see there).
    ``learned``    the trained classifier: type, quad class or no event for any sentence
                   (:func:`load_classifier`).
"""

from __future__ import annotations

from steppe.enrich.events.coder import EventCoder, combine_events
from steppe.enrich.events.learned import (
    ClassifierUnavailable,
    EventClassifier,
    Prediction,
    load_classifier,
)
from steppe.enrich.events.records import event_id, event_to_dict
from steppe.enrich.events.rules import RuleCoder
from steppe.enrich.events.sentences import split_sentences
from steppe.enrich.plover import FAMILY, INTENSITY, QUADS

__all__ = ["EventCoder", "RuleCoder", "event_to_dict", "event_id", "QUADS", "INTENSITY", "FAMILY",
           "split_sentences", "load_classifier", "Prediction", "EventClassifier",
           "ClassifierUnavailable", "combine_events"]
