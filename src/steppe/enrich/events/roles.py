"""Who did it to whom: the source, target and place of a coded event (the role rules of
:mod:`steppe.enrich.events.rules`; the method is in its docstring)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from steppe.enrich import plover
from steppe.enrich.events.grammar import (
    AGAINST_DEPTH,
    AGENT_TARGET,
    AIMED_PREPS,
    CLAUSE_TARGET,
    FORCES,
    GIVING,
    NOUNISH,
    PLACE_PREPS,
    RECIPIENT_PREPS,
    SIDE_DEPS,
    TARGET_PREPS,
    TIME_WORDS,
    Segment,
    Side,
    Trigger,
    family,
    find_trigger,
    shifted_object,
    through_quantity,
)
from steppe.model import EventActor

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token


class RoleReading:
    """The role methods of the segment coder (``rules._SegmentCoder``)."""

    def _noun_actor(self, n: Token) -> Side | None:
        """The actor an event noun names: "Russia's", "Russian", "his" (resolved)."""
        for c in n.children:
            if c.dep_ not in {"poss", "amod", "compound", "nmod"}:
                continue
            if c.i in self.seg.tok_mention:
                return self._side(c)
            if c.dep_ == "poss" and c.tag_ == "PRP$":
                return self._possessive_antecedent(c)
        return None

    def _possessive_antecedent(self, pron: Token) -> Side | None:
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

    def _subject(self, v: Token) -> Side | None:
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

    def _target(self, pred: Token, trig: Trigger) -> Side | None:
        if trig.target_prep:
            for c in pred.children:
                if c.dep_ in {"prep", "prt"} and c.lower_ == trig.target_prep:
                    pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                    side = self._side(pobj) if pobj is not None else None
                    if side is not None and side.text:
                        return side
        for c in pred.children:
            if c.dep_ == "dative":
                side = self._side(c) if c.dep_ == "dative" and c.pos_ in NOUNISH else None
                if side is None and c.lower_ == "to":
                    pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                    side = self._side(pobj) if pobj is not None else None
                if side is not None and side.text:
                    return side
        obj = self._direct_object(pred)
        if obj is not None:
            obj = through_quantity(obj)
            inner = trig if trig.type in GIVING or pred.pos_ not in {"VERB", "AUX"} \
                else (find_trigger(pred) or trig)
            if family(inner.type) in GIVING and not (self._is_actorish(obj)
                                                     and self._has_mention(obj)):
                # "contribute troops to X", "withdraw inspectors from X", "sent vehicles
                # and a team to X", "donated ventilators to assist X": the object is what
                # moves; the recipient is the target
                moved = self._recipient(pred, obj)
                if moved is not None:
                    return moved
            if self._is_actorish(obj):
                return self._side(obj)
            if family(trig.type) in AGENT_TARGET:
                agent = self._agent_target(obj)
                if agent is not None:  # "condemned Israel's attacks on Gaza": Israel
                    return agent
            inner = self._nominal_target(obj)
            if inner is not None:
                return inner
        if trig.noun is not None and (obj is None or trig.noun.i != obj.i):
            if family(trig.type) in AGENT_TARGET:
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
            if c.dep_ == "prep" and c.lower_ in TARGET_PREPS:
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
        against = self._against_below(pred)
        if against is not None:
            return against
        if trig.type == "ACCUSE" and obj is None:  # "accused west of ...": target before "of"
            for c in pred.children:
                if c.dep_ in {"advmod", "npadvmod", "oprd"} and c.i == pred.i + 1 \
                        and c.lower_ not in TIME_WORDS:
                    return self._side(c, force=True)
        return None

    def _against_below(self, pred: Token) -> Side | None:
        """An "against" actor deeper in the predicate's own phrase ("launched cyber warfare
        against the United States", "weapons to use against Britain", "in protest against
        violations by Algerian security forces"): "against" names the side an act is aimed
        at wherever it hangs. The subject's phrase and clauses with a subject of their own
        are not searched."""
        frontier = [pred]
        for _ in range(AGAINST_DEPTH):
            nxt = []
            for tok in frontier:
                for c in tok.children:
                    if c.dep_ in {"nsubj", "nsubjpass", "csubj", "agent", "appos"} or (
                            c.pos_ in {"VERB", "AUX"} and c.dep_ not in {"xcomp", "acl"}
                            and any(x.dep_ in {"nsubj", "nsubjpass"} for x in c.children)):
                        continue
                    if c.dep_ == "prep" and c.lower_ == "against":
                        pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                        if pobj is None or not self._has_mention(pobj):
                            continue
                        if self._is_actorish(pobj):
                            return self._side(pobj)
                        agent = self._agent_target(pobj)
                        return agent if agent is not None else self._side(pobj, force=True)
                    nxt.append(c)
            frontier = nxt
        return None

    def _direct_object(self, pred: Token) -> Token | None:
        """The predicate's object; an actor parsed as an object predicate ("called Russian
        Foreign Minister Sergey Lavrov", where the small model reads "oprd") counts."""
        obj = next((c for c in pred.children if c.dep_ in {"dobj", "attr"}), None)
        if obj is None:
            obj = next((c for c in pred.children if c.dep_ == "oprd"
                        and c.i in self.seg.tok_mention), None)
        return obj if obj is not None else shifted_object(pred)

    def _recipient(self, pred: Token, obj: Token) -> Side | None:
        """Where what is given or moved goes (or comes from): a "to"/"into"/"from" actor on
        the predicate, else on the moved object or its conjuncts ("funding to Lebanon",
        "vehicles and a team of paratroopers to Lebanon"), else the object of a purpose
        clause ("donated ventilators to assist Ethiopia")."""
        side = self._prep_target(pred, RECIPIENT_PREPS, named=True)
        if side is not None:
            return side
        objs = [c for c in pred.children if c.dep_ == "dobj" and c.i != obj.i]
        holders = [obj] + objs + [c for o in [obj] + objs for c in o.children if c.dep_ == "conj"]
        holders += [x for h in list(holders) for c in h.children
                    if c.dep_ == "prep" and c.lower_ not in RECIPIENT_PREPS
                    for x in c.children if x.dep_ == "pobj"]
        for h in holders:
            side = self._prep_target(h, RECIPIENT_PREPS, named=True)
            if side is not None:
                return side
        for c in list(pred.children) + list(obj.children):
            if c.dep_ in {"xcomp", "advcl", "acl"} and any(
                    a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                helped = next((x for x in c.children if x.dep_ in {"dobj", "nsubj"}), None)
                if helped is not None and self._has_mention(helped) \
                        and self._is_actorish(helped):
                    return self._side(helped)
        return None

    def _prep_target(self, pred: Token, preps: tuple[str, ...] = TARGET_PREPS,
                     named: bool = False) -> Side | None:
        """An actor in a prepositional phrase on ``pred``; with ``named``, also a phrase
        that is no actor but names one ("to Nigeria's agricultural sector")."""
        for prep_word in preps:
            for c in pred.children:
                if c.dep_ in {"prep", "dative"} and c.lower_ == prep_word:
                    pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                    if pobj is None:
                        continue
                    if self._is_actorish(pobj):
                        return self._side(pobj)
                    if named and self._has_mention(pobj):
                        return self._side(pobj, force=True)
        return None

    def _clause_subject_target(self, pred: Token, trig: Trigger) -> Side | None:
        """"demanded that the US match ...": the demand is aimed at the clause subject."""
        if trig.type not in CLAUSE_TARGET:
            return None
        for c in pred.children:
            if c.dep_ != "ccomp":
                continue
            subj = next((x for x in c.children if x.dep_ in {"nsubj", "nsubjpass"}), None)
            if subj is not None and subj.pos_ != "PRON" and self._is_actorish(subj):
                return self._side(subj)
        return None

    def _nominal_target(self, noun: Token, depth: int = 0) -> Side | None:
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
                aimed = self._prep_target(c, AIMED_PREPS)  # "sanctions imposed on China"
                if aimed is not None:
                    return aimed
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

    def _agent_target(self, noun: Token) -> Side | None:
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

    def _noun_agent(self, noun: Token) -> Side | None:
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

    def _inherited_target(self, v: Token, src: Side) -> Side | None:
        """"..., with Putin calling for stronger ties": the counterpart of the main clause."""
        if v.dep_ in {"xcomp", "advcl"} and v.head.pos_ in {"VERB", "AUX"} and any(
                a.dep_ == "aux" and a.lower_ == "to" for a in v.children):
            # "called Lavrov to discuss ...", "invited X to attend": the purpose's
            # counterpart is the main verb's object
            obj = self._direct_object(v.head)
            if obj is not None and self._is_actorish(obj) and self._has_mention(obj):
                side = self._side(obj)
                if side is not None and side.text and not overlaps(side, src):
                    return side
        tok = v
        while tok.dep_ in {"pcomp", "prep", "advcl", "conj"} and tok.head.i != tok.i:
            tok = tok.head
            if tok.pos_ in {"VERB", "AUX"} and tok.i != v.i:
                trig = find_trigger(tok)
                if trig is None:
                    continue
                s2, t2 = self._subject(tok), self._target(tok, trig)
                for cand in (t2, s2):
                    if cand is not None and cand.text and not overlaps(cand, src):
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
        if lemma in TIME_WORDS or tok.like_num:
            return False
        if tok.i in self.seg.tok_mention or (lemma in plover.GROUP_NOUNS
                                             and tok.pos_ in NOUNISH):
            return True  # ("a general strike": the adjective is no actor)
        if lemma in plover.NOUNS or tok.pos_ not in NOUNISH:
            return False
        if tok.pos_ == "PROPN":
            return True
        # "Israeli officials" yes; "Moscow's strategy", "Tokayev's reforms" no
        return any(c.i in self.seg.tok_mention for c in tok.children
                   if c.dep_ in {"amod", "compound", "nmod"})

    def _phrase_tokens(self, head: Token, conj: bool = False, depth: int = 0) -> list[Token]:
        out = [head]
        for c in head.children:
            if c.dep_ in SIDE_DEPS or (conj and c.dep_ in {"conj", "cc"}):
                out += self._phrase_tokens(c, conj, depth)
            elif c.dep_ == "prep" and depth < 2 and c.lower_ in {"of", "from", "in", "throughout"}:
                pobj = [x for x in c.children if x.dep_ == "pobj"]
                if c.lower_ == "in" and (head.pos_ == "PROPN" or head.i in self.seg.tok_mention):
                    continue
                out.append(c)
                for p in pobj:
                    out += self._phrase_tokens(p, True, depth + 1)
        return out

    def _side(self, head: Token | None, force: bool = False) -> Side | None:
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
            inner = through_quantity(head)
            if inner.i != head.i and self._is_actorish(inner):
                head = inner  # "Tens of thousands of students": the students act
            elif not force:
                return Side(text="")
        toks = sorted(set(self._phrase_tokens(head, conj=True)), key=lambda t: t.i)
        # trim leading determiners/punctuation and trailing punctuation/conjunctions
        while toks and toks[0].dep_ in {"det", "punct", "cc", "case"} and len(toks) > 1:
            toks = toks[1:]
        while toks and toks[-1].dep_ in {"punct", "cc", "prep"} and len(toks) > 1:
            toks = toks[:-1]
        start = self.seg.span(toks[0])[0]
        end = self.seg.span(toks[-1])[1]
        side = Side(text=self.text[start:end], start=start, end=end,
                     heads={head.lemma_.lower()} | {c.lemma_.lower() for c in head.children
                                                    if c.dep_ in {"compound", "amod"}})
        mention = self.seg.tok_mention.get(head.i)
        side.person = head.ent_type_ == "PERSON" or (mention is not None
                                                     and mention.label == "PERSON")
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
        drop_qualifiers(side, self.seg, toks)
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

    def _resolve_pronoun(self, pron: Token) -> Side | None:
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
            return Side(list(last.actors), last.text, last.start, last.end,
                         list(last.countries), last.linked)
        return None

    def _pair(self) -> Side | None:
        a, b = self.state.last_source, self.state.last_target
        if a is None or b is None or not a.text or not b.text:
            return None
        return Side(actors=a.actors + [x for x in b.actors if x not in a.actors],
                     text=f"{a.text}; {b.text}", start=None, end=None,
                     countries=a.countries + [c for c in b.countries if c not in a.countries],
                     linked=a.linked or b.linked)

    # -- place, mode, date ---------------------------------------------------------------
    def _place(self, v: Token, pred: Token, trig: Trigger) -> tuple[str | None, str | None]:
        holders = [pred, v] + [c for c in pred.children if c.dep_ in {"dobj", "pobj"}]
        for c in pred.children:  # "met with Tokayev in Astana": the place hangs off the pobj
            if c.dep_ == "prep" and c.lower_ not in PLACE_PREPS:
                holders += [x for x in c.children if x.dep_ == "pobj"]
        if trig.noun is not None:
            holders.append(trig.noun)
        for h in holders:
            for c in h.children:
                if c.dep_ != "prep" or c.lower_ not in PLACE_PREPS:
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

    def _place_target(self, tgt: Side | None, country: str, src: Side) -> Side | None:
        m = self._last_place
        if tgt is not None and tgt.text:
            return Side(list(tgt.actors), tgt.text, tgt.start, tgt.end, [country], tgt.linked)
        if m is None:
            return tgt
        side = Side(actors=[m.actor] if m.actor else [], text=m.text, start=m.start,
                     end=m.end, countries=[country], linked=bool(m.actor))
        return None if overlaps(side, src) else side

    def _measure_target(self, tgt: Side | None, place_country: str | None,
                        src: Side) -> Side | None:
        """A curfew, martial law or state of emergency (imposed, lifted, threatened) is aimed
        at the people of a place: PLOVER codes them as the place's country, else as the
        country of the government taking the measure ("Kenya imposed a curfew")."""
        if place_country:
            return self._place_target(tgt, place_country, src)
        if len(src.countries) != 1:
            return tgt
        country = src.countries[0]
        if tgt is not None and tgt.text:
            return Side(list(tgt.actors), tgt.text, tgt.start, tgt.end, [country], tgt.linked,
                         set(tgt.heads))
        kb = self.coder.kb
        actor = kb.get(country) if kb is not None and hasattr(kb, "get") else None
        return Side(text=getattr(actor, "name", None) or country, countries=[country])


def local_source(src: Side, place_country: str | None) -> Side:
    """An unlinked person or group with no country acting in a place is of the place's
    country ("President Laurent Gbagbo will extend the curfew in Abidjan", "200 supporters
    of Ben Bella blocked roads in Algiers"): PLOVER codes domestic actors with the country
    they act in."""
    if not place_country or src.countries or src.actors or not src.text or src.start is None:
        return src
    if not src.heads & plover.GROUP_NOUNS and not src.person:
        return src
    return replace(src, actors=list(src.actors), countries=[place_country], heads=set(src.heads))


def drop_qualifiers(side: Side, seg: Segment, toks: list[Token]) -> None:
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


def domestic_target(src: Side, tgt: Side | None) -> Side | None:
    """An unnamed target with no country ("students", "President Mugabe" unlinked) takes the
    source's one country when either side is a people, group or internal force of a country
    ("Turkish police prevented the demonstration staged by students", "opposition groups in
    Zimbabwe demanded that President Mugabe ..."): PLOVER codes domestic actors with their
    country, and an unnamed party facing a country's own groups or police is domestic."""
    if tgt is None or not tgt.text or tgt.countries or tgt.actors or len(src.countries) != 1:
        return tgt
    if not (tgt.domestic() or src.domestic()):
        return tgt
    return Side(list(tgt.actors), tgt.text, tgt.start, tgt.end, list(src.countries),
                 tgt.linked, set(tgt.heads))


def overlaps(a: Side, b: Side) -> bool:
    """Same actor on both sides (shared id, or the same words when unlinked). A country's
    own people, groups or armed forces are not the country: "Croatia is investigating crimes
    by Croatian extremists" has two sides, both Croatian (the ids they share are only
    countries)."""
    if a.actors and b.actors:
        shared = set(a.actors) & set(b.actors)
        if shared and a.text.lower() != b.text.lower() and a.heads != b.heads \
                and any(x.domestic() or x.heads & FORCES for x in (a, b)) \
                and shared <= set(a.countries) | set(b.countries):
            return False
        return bool(shared)
    return a.text.lower() == b.text.lower()


def side_from_actor(actor: EventActor | None) -> Side | None:
    if actor is None:
        return None
    return Side(list(actor.actors), actor.text, actor.start, actor.end, list(actor.countries),
                 bool(actor.actors))
