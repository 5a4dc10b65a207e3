"""The rule coder's grammar: word classes, the parsed clause (:class:`Segment`), the sides and
triggers it builds, and the helpers that read a token's lemma, trigger and modes.

Shared by :mod:`steppe.enrich.events.rules`, :mod:`.roles` and :mod:`.modality`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from steppe.enrich import plover
from steppe.model import EventActor, Mention

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token


NOUNISH = {"NOUN", "PROPN", "PRON", "NUM", "X"}
QUANTITY_NOUNS = {"raft", "series", "number", "set", "package", "host", "range", "slew",
                   "couple", "dozen", "batch", "string", "round", "flurry", "wave", "total"}
# Counting heads that pass their role on to the "of" phrase ("thousands of students").
COUNT_WORDS = {"tens", "hundreds", "thousands", "millions", "dozens", "scores", "some",
                "many", "most", "all", "several", "one", "two", "three", "part"}
MODAL_HYP = {"could", "may", "might", "would", "should", "can", "ca"}
FUTURE = {"will", "shall", "'ll", "wo"}
OBLIGATION = {"must", "should"}
HEDGE_WORDS = {"likely", "unlikely", "possibly", "perhaps", "probably", "maybe", "expected",
                "possible", "potentially"}
REMOTE = {"virtual", "virtually", "online", "video", "videoconference", "phone", "telephone",
           "call", "remotely", "teleconference", "videolink"}
TARGET_PREPS = ("with", "to", "against", "on", "at", "toward", "towards", "into", "upon",
                 "between", "from", "for", "over")
PLACE_PREPS = {"in", "at"}
# Where what is given or moved goes, or comes from ("sent troops to X", "withdrew from X").
RECIPIENT_PREPS = ("to", "into", "from", "toward", "towards")
# What a participle aims its noun at ("sanctions imposed on X", "a campaign directed against X").
AIMED_PREPS = ("on", "upon", "against", "at")
# How far below its predicate an "against" phrase still names the target (see _against_below).
AGAINST_DEPTH = 4
CONTENT_DEPS = {"xcomp", "ccomp", "pcomp", "advcl", "acl", "relcl", "csubj"}
SIDE_DEPS = {"compound", "amod", "nmod", "poss", "case", "det", "nummod", "quantmod", "appos",
              "flat", "npadvmod", "punct", "predet"}
TIME_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "today", "yesterday", "tomorrow", "tonight", "week", "month", "year", "day",
               "january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december", "night", "morning", "weekend"}
# Event nouns that may carry an event on their own (see _nominal_events).
NOMINAL_TYPES = {"PROTEST", "FIGHT", "ASSAULT", "SANCTION", "COERCE", "CONSULT", "THREATEN",
                  "DEMAND", "REQUEST", "DISAPPROVE", "ACCUSE", "AID"}
# Types whose passive subject suffers the act ("X was attacked/arrested/criticised"); in
# "X was demobilized/withdrawn" the subject is rather the one acting, so those stay out.
PATIENT_TYPES = {"ASSAULT", "FIGHT", "COERCE", "ACCUSE", "DISAPPROVE", "THREATEN"}
# Types whose direct object is what is given or moved, not the recipient.
GIVING = {"AID", "MOBILIZE", "RETREAT"}
# Types aimed at the subject of a "that" clause ("demanded that X ...").
CLAUSE_TARGET = {"DEMAND", "REQUEST", "ACCUSE", "DISAPPROVE", "THREATEN", "REJECT"}
# People, groups and internal forces of a country (PLOVER codes them with the country they
# act in): an unnamed one facing a state of one country is of that country (see _event).
DOMESTIC_GROUPS = frozenset({
    "police", "policeman", "demonstrator", "protester", "protestor", "activist", "student",
    "worker", "farmer", "civilian", "prisoner", "opposition", "rebel", "guerrilla", "guerilla",
    "insurgent", "militant", "separatist", "extremist", "dissident", "villager", "resident",
    "journalist", "reporter", "newspaper", "supporter", "follower", "loyalist", "inhabitant",
    "youth", "crowd", "mob", "citizen", "people", "judiciary", "lawmaker", "legislator",
    "striker", "rioter", "detainee", "inmate", "minority", "tribesman", "clan",
})
# A country's armed forces: an actor apart from the country's government.
FORCES = frozenset({"soldier", "troop", "army", "force", "military", "militia", "guard",
                     "officer", "militiaman"})
# Types a verb names explicitly as a speech act ("demanded", "condemned", "rejected",
# "threatened"): the classifier may overrule them only from far ahead (see coder.py).
SPEECH_ACTS = {"DEMAND", "DISAPPROVE", "REJECT", "THREATEN"}
# Verbal acts aimed at whoever does what their object noun names: "condemned Serbia's
# suppression of X", "investigating crimes by X", "rejected Russia's proposal" (families).
AGENT_TARGET = {"DISAPPROVE", "DEMAND", "REJECT", "INVESTIGATE", "SUPPORT"}
# Nouns whose "to"-verb names the event ("Tokayev's decision to mobilize troops").
DECISION_NOUNS = {"decision", "move", "order", "choice"}
NOMINAL_TARGET_PREPS = {"against", "on", "with", "to", "into", "of", "toward", "towards", "upon",
                         "in"}
PROSPECTIVE = {"planned", "upcoming", "forthcoming", "future", "proposed", "possible",
                "potential", "expected", "next"}
INTRANSITIVE_ONLY = {"demonstrate", "rally", "march", "riot", "strike"}
VERBAL_ACT = {"DISAPPROVE", "ACCUSE", "DEMAND", "REQUEST", "REJECT", "THREATEN", "SUPPORT",
               "INVESTIGATE"}

# Verbs of being, having and seeming: a sentence whose main verb is one of these states
# something rather than reports an act, so the classifier's guess alone does not make it an
# event (the rules' own triggers are unaffected).
STATIVE_VERBS = frozenset({
    "be", "have", "become", "seem", "appear", "remain", "exist", "include", "contain",
    "consist", "mean", "represent", "constitute", "lack", "need", "know", "think", "believe",
    "see", "view", "look", "feel", "sound", "stay", "get", "tend",
})



@dataclass
class Side:
    actors: list[str] = field(default_factory=list)
    text: str = ""
    start: int | None = None
    end: int | None = None
    countries: list[str] = field(default_factory=list)
    linked: bool = False
    # lemmas of the head noun and its compound/adjective modifiers ("opposition groups")
    heads: set[str] = field(default_factory=set)
    person: bool = False  # headed by a person's name ("President Laurent Gbagbo")

    def domestic(self) -> bool:
        """Is the side a people, group or internal force of a country rather than a state
        ("students", "Shona rebels", "police", "opposition groups")?"""
        return bool(self.heads & DOMESTIC_GROUPS)

    def as_event_actor(self) -> EventActor:
        return EventActor(actors=list(self.actors), text=self.text, start=self.start,
                          end=self.end, countries=list(self.countries))

    def key(self) -> str:
        return ",".join(sorted(self.actors)) or self.text.lower()


@dataclass
class Trigger:
    type: str
    mode: str | None
    tokens: list[Any]
    target_prep: str | None = None  # preposition that introduces the target ("call on X")
    noun: Any = None  # the event noun of a light-verb construction


class Segment:
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



# --- helpers -------------------------------------------------------------------------

def lemma_in(tok: Token, table: Any) -> str | None:
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


MEASURE_MODES = {"curfew", "martial-law"}


def is_measure(trig: Trigger) -> bool:
    """Is the trigger a measure over a territory's people (curfew, martial law, emergency)?"""
    noun_mode = plover.NOUNS.get(trig.noun.lemma_.lower(), ("", None))[1] \
        if trig.noun is not None else None
    return trig.mode in MEASURE_MODES or noun_mode in MEASURE_MODES


def shifted_object(pred: Token) -> Token | None:
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


def family(etype: str) -> str:
    return plover.FAMILY.get(etype, etype)


def through_quantity(tok: Token) -> Token:
    """"raft of agreements" -> "agreements"; "tens of thousands of students" -> "students"."""
    for _ in range(3):
        nxt = through_quantity_once(tok)
        if nxt.i == tok.i:
            break
        tok = nxt
    return tok


def through_quantity_once(tok: Token) -> Token:
    if tok.lemma_.lower() in QUANTITY_NOUNS or tok.like_num or tok.lower_ in COUNT_WORDS:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return tok


def find_trigger(v: Token) -> Trigger | None:
    """Look a predicate up in the lexicon, most specific pattern first."""
    lemma = lemma_in(v, plover.VERBS) or v.lemma_.lower()
    objs = [c for c in v.children if c.dep_ in {"dobj", "nsubjpass", "attr"}]
    nouns = [through_quantity(o) for o in objs]
    for n in list(nouns):  # "launched a mediation effort": the modifier names the event
        if n.lemma_.lower() in plover.CARRIER_NOUNS:
            nouns += [c for c in n.children if c.dep_ in {"compound", "amod"}
                      and c.lemma_.lower() in plover.NOUNS]
    if lemma in INTRANSITIVE_ONLY and (objs or any(c.dep_ == "ccomp" for c in v.children)):
        return None  # "demonstrated that ...", "showed ..." are not protests
    for n in nouns:
        hit = plover.VERB_NOUN.get((lemma, n.lemma_.lower()))
        if hit:
            return Trigger(hit[0], hit[1], [v, n], noun=n)
    for c in v.children:
        if c.dep_ in {"prt", "prep", "advmod"}:
            key = f"{lemma} {c.lower_}"
            if key in plover.PHRASAL:
                t, m = plover.PHRASAL[key]
                return Trigger(t, m, [v, c], target_prep=c.lower_ if c.dep_ == "prep" else None)
    if lemma in plover.LIGHT_VERBS or lemma not in plover.VERBS:
        for n in nouns:
            hit = plover.NOUNS.get(n.lemma_.lower())
            if hit and (lemma in plover.LIGHT_VERBS):
                return Trigger(hit[0], hit[1], [v, n], noun=n)
    hit = plover.VERBS.get(lemma)
    if hit:
        mode = hit[1]
        for n in nouns:  # "signed a visit"-like refinements of mode from the object noun
            nm = plover.NOUNS.get(n.lemma_.lower())
            if nm and nm[0] == hit[0] and nm[1] and not mode:
                mode = nm[1]
        return Trigger(hit[0], mode, [v])
    return None


def threat_mode(trig: Trigger | None) -> str | None:
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


def request_mode(inner_type: str) -> str:
    if inner_type in {"CONSULT", "AGREE"}:
        return "meet"
    if inner_type in {"AID", "COOPERATE", "SUPPORT"}:
        return "assist"
    if inner_type in {"RETREAT", "CONCEDE"}:
        return "yield"
    return "change"
