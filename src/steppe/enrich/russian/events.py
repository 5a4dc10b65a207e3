"""PLOVER events from Russian sentences, with roles from Slovnet's dependency parse.

For each sentence (razdel), a predicate is a verb whose lemma is a trigger
(:mod:`steppe.enrich.russian.lexicon`) or a light verb whose object or subject noun is
one ("провели переговоры", "состоялась встреча", "выразил протест"). Then:

* source: the linked mentions in the predicate's ``nsubj`` subtree (inherited from the
  verb it is coordinated with or subordinate to when it has none), a person before the
  country that qualifies them ("Президент Казахстана Касым-Жомарт Токаев");
* target: mentions under the predicate's (or the trigger noun's) ``obj``/``iobj``/``obl``/
  ``nmod`` dependents that are not its place; for symmetric acts (meet, agree) a subject
  coordinated with the source ("Токаев и Путин обсудили") is the target;
* place: a place or country mention under "в"/"на" in the locative;
* date: the sentence's date expression by :mod:`steppe.extract.dates` (the item's date
  resolves year-less ones; with no anchor a date without a year stays unknown).

The event TYPE may instead come from a learned classifier (``type_model``): anything with
``predict(sentences) -> [obj.event_type, obj.confidence]`` (issue 12's
``steppe.enrich.events.load_classifier``); the parse still gives the roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from steppe.enrich import plover
from steppe.enrich.events import event_id
from steppe.enrich.plover import QUADS
from steppe.enrich.russian.lexicon import (
    ADOPTED,
    ALLEGATIONS,
    ALLEGED_ACTS,
    BLAME,
    CAUSE_WORDS,
    COURTESIES,
    DEMONYMS,
    DOCUMENTS,
    FRAMES,
    FUTURE_AGREE,
    FUTURE_CONCEDE,
    LIGHT_VERBS,
    MODALS,
    NEGATED_ACTS,
    NOUN_PAIRS,
    NOUNS,
    OBLIGATIONS,
    PAIRS,
    READINESS,
    REPORTING,
    REQUESTED,
    RETALIATION,
    SYMMETRIC,
    THIRD_PARTY_WORDS,
    THREAT_ACTS,
    TROOPS,
    VERBS,
    Trigger,
)
from steppe.enrich.russian.nlp import Sentence, Token
from steppe.language.russian import lemma
from steppe.model import Event, EventActor, Mention

TARGET_RELS = frozenset({"obj", "iobj", "obl", "nmod", "obl:agent"})
TARGET_PRIORITY = {"iobj": 0, "obj": 1, "obl": 2, "obl:agent": 2, "nmod": 3}
SUBJECT_RELS = frozenset({"nsubj", "nsubj:pass"})
PLACE_PREPOSITIONS = frozenset({"в", "во", "на"})
# Heads of a place's administration, by the suffix of its body (actors administrations)
OFFICES = {"аким": "akimat", "хоким": "hokimiyat", "мэр": "mayoralty"}
# "Президент страны", "глава республики": the office of the country the text is about
GENERIC_COUNTRY = frozenset({"страна", "республика", "государство"})
COOPERATIVE_QUADS = frozenset({"verbal_cooperation", "material_cooperation"})
TYPE_ORDER = {"person": 0, "body": 1, "organisation": 1, "government": 2, "country": 3, "place": 4}


@dataclass
class _Predicate:
    verb: Token
    noun: Token | None
    trigger: Trigger


class RussianEventCoder:
    """Codes the events of parsed Russian sentences; ``kb`` types the actors."""

    def __init__(self, kb: Any, type_model: Any | None = None) -> None:
        self.kb = kb
        self.type_model = type_model

    def code(self, text: str, sentences: list[Sentence], mentions: list[Mention], *,
             date: str | None = None, item_id: str = "") -> list[Event]:
        events: list[Event] = []
        seen: set[str] = set()
        for sent in sentences:
            local = [m for m in mentions if sent.start <= m.start and m.end <= sent.end]
            # a sentence with no mention may still have an act by a role noun ("Глава
            # государства поручил правительству ...") or an unnamed side ("милиция задержала")
            for ev in self._sentence(text, sent, local, date, item_id, mentions):
                if ev.id not in seen:
                    seen.add(ev.id)
                    events.append(ev)
        return events

    # --- one sentence ------------------------------------------------------------------------

    def _sentence(self, text: str, sent: Sentence, mentions: list[Mention], date: str | None,
                  item_id: str, item_mentions: list[Mention] | None = None) -> list[Event]:
        lemmas = [lemma(t.text, t.pos) for t in sent.tokens]
        owner = _owners(sent, mentions)
        out: list[Event] = []
        preds = self._predicates(sent, lemmas)
        governing = {p.verb.i for p in preds}
        courtesies: list[Event] = []
        for pred in preds:
            if pred.verb.rel == "xcomp" and pred.verb.head in governing:
                continue  # what was refused, asked or promised ("отказалась направить") is no act
            if (pred.verb.rel == "acl" and pred.verb.feats.get("VerbForm") == "Part"
                    and pred.verb.feats.get("Voice") == "Pass"):
                # "нейтралитет, признанный ООН в 1995 году": a passive participle describes a
                # noun's standing; an active one is its bearer's act ("Жапаров, обвинивший ...")
                continue
            if _conditional(sent, pred.verb, lemmas):
                continue  # "если ЕС введет санкции": the condition of a threat is no act
            if _purpose(sent, pred.verb, lemmas) and pred.verb.head in governing:
                continue  # "позвонил, чтобы поздравить": the call is the act, the rest its aim
            src_ms = self._side(sent, self._subject(sent, pred.verb, lemmas), owner)
            if not src_ms:
                src_ms = _mention_before(sent, pred.verb, owner)
            if not src_ms:
                src_ms = _demonym_side(sent, self._subject(sent, pred.verb, lemmas), lemmas)
            if not src_ms and pred.noun is not None and pred.noun.rel in SUBJECT_RELS:
                # "состоялся разговор Президента Казахстана с ...": the noun's genitive is the source
                src_ms = [m for c in sent.children(pred.noun.i) if c.rel == "nmod"
                          and not any(k.rel == "case" for k in sent.children(c.i))
                          for m in self._side(sent, sent.subtree(c.i), owner)]
            if not src_ms and pred.noun is not None:
                # "между Кыргызстаном и Таджикистаном вспыхнули столкновения": both parties
                src_ms = [m for c in sent.children(pred.noun.i) + sent.children(pred.verb.i)
                          if any(k.rel == "case" and k.text.lower() == "между" for k in sent.children(c.i))
                          for m in self._side(sent, sent.subtree(c.i), owner)]
            if not src_ms:
                src_ms = self._passive_agent(sent, pred.verb, owner)
            subject = self._subject(sent, pred.verb, lemmas)
            if not src_ms:
                # "Глава государства поручил", "Президент страны подписал": the head of state
                # of the country the sentence (else the item) is about, on the item's date
                src_ms = self._role_side(text, sent, subject, lemmas, mentions,
                                         item_mentions or mentions, date)
            # protesters are mostly unnamed ("тысячи человек вышли на акцию протеста"): a
            # protest is coded without a named source, its side the people of its place; so
            # is any act whose subject names no actor ("милиция задержала", "военные провели"),
            # with less confidence than an act of a named side
            unnamed = not src_ms
            happened = pred.noun is not None and pred.noun.rel in SUBJECT_RELS  # "произошел взрыв"
            if unnamed and pred.trigger[0] != "PROTEST" and not subject and not happened:
                continue
            place = self._place(sent, pred, owner)
            tgt_ms = self._targets(sent, pred, owner, src_ms)
            tgt_ms = [m for m in tgt_ms if place is None or m is not place[1]]
            if not tgt_ms:  # "обвинил российскую сторону", "переговоры с китайской стороной"
                tgt_ms = self._demonym_target(sent, pred, lemmas, src_ms)
            joined = _coordinated(sent, src_ms, owner)
            if not tgt_ms and pred.trigger[0] in SYMMETRIC and joined and len(joined) < len(src_ms):
                # "Токаев и Путин обсудили": the first is the source, the others the target
                src_ms, tgt_ms = [m for m in src_ms if m not in joined], joined
            src_ms, partners = _principals(sent, src_ms, owner)
            if partners and not tgt_ms and pred.trigger[0] in SYMMETRIC:
                tgt_ms = partners  # "Рахмон встретился с Президентом Узбекистана ...", misparsed
            src_ms = _best_sides(self._offices(sent, src_ms, owner, lemmas), self.kb)
            tgt_ms = self._offices(sent, tgt_ms, owner, lemmas)
            if not tgt_ms and place is not None and pred.trigger[1] == "visit":
                tgt_ms = [place[1]]  # "посетил Ташкент": the host's government
            etype, mode = pred.trigger
            confidence = 0.5 + (0.2 if any(m.actor for m in src_ms) else 0.0)
            if pred.verb.feats.get("VerbForm") == "Conv":
                confidence -= 0.2  # "..., обвинив его в ...": a converb adds to the main act
            if unnamed and pred.trigger[0] != "PROTEST":
                confidence -= 0.1
            confidence += 0.15 if tgt_ms and any(m.actor for m in tgt_ms) else 0.0
            if self.type_model is not None:
                etype, mode, confidence = self._learned_type(text[sent.start:sent.end], etype, mode,
                                                             confidence)
                if etype is None:
                    continue
            src, tgt = self._event_actor(src_ms), self._event_actor(_best_sides(tgt_ms, self.kb))
            if src is None:
                src = self._unnamed_side(sent, pred, lemmas, place)
            found_date = _sentence_date(text[sent.start:sent.end], date)
            if found_date[0] is None:
                found_date = _eve(sent, lemmas, date) or found_date
            negated = any(lemmas[c.i] == "не" for c in sent.children(pred.verb.i))
            if _intended(sent, pred.verb, lemmas):  # "не намерен вступать": the intention negated
                negated = negated or any(lemmas[c.i] == "не" for c in sent.children(pred.verb.head))
            if negated and plover.QUADS.get(etype) in COOPERATIVE_QUADS \
                    and pred.verb.feats.get("Tense") != "Past":
                # "не признает", "не примет участия": declaring that one will not act is an
                # act, REJECT (PLOVER: "all rejections and refusals"), asserted; a past "не
                # подписал" stays a negated event, as in English (the rule coder's _declared)
                etype, mode, negated = "REJECT", None, False
            hypothetical = self._hypothetical(sent, pred.verb, lemmas)
            ev = Event(
                type=etype, quad=QUADS[etype], intensity=plover.intensity(etype, mode),
                source=src, target=tgt, evidence_start=sent.start, evidence_end=sent.end,
                evidence=text[sent.start:sent.end], mode=mode,
                date=found_date[0], date_precision=found_date[1], date_raw=found_date[2],
                place=place[0] if place else None, confidence=round(min(confidence, 0.95), 2),
                negated=negated, hypothetical=hypothetical,
                reported=self._reported(sent, pred.verb, lemmas, owner), item_id=item_id)
            ev.id = event_id(item_id, sent.start, etype, ev.source, ev.target)
            out.append(ev)
            if lemmas[pred.verb.i] in COURTESIES:
                courtesies.append(ev)
        _below_substance(out, courtesies)
        out += self._allegations(text, sent, lemmas, owner, date, item_id)
        # criticism its speaker spells out as an accusation ("выступил с критикой ...,
        # обвинивший союзников в ...") is one act, the more specific ACCUSE
        accusers = {a for e in out if e.type == "ACCUSE" and e.source for a in e.source.actors}
        for ev in out:
            if ev.type == "DISAPPROVE" and ev.source and accusers & set(ev.source.actors):
                ev.type, ev.mode = "ACCUSE", "allege"
                ev.intensity = plover.intensity("ACCUSE", "allege")
                ev.id = event_id(item_id, sent.start, "ACCUSE", ev.source, ev.target)
        return out

    def _allegations(self, text: str, sent: Sentence, lemmas: list[str],
                     owner: dict[int, Mention], date: str | None, item_id: str) -> list[Event]:
        """Reported speech that blames another side: ACCUSE (allege) by the speaker against
        the clause's subject ("Захарова заявила, что Евросоюз шантажирует ..."), the main
        event of its sentence. The speaker's own side's acts ("Хренин заявил, что Минск
        ответит ...") and future or intended acts are not accusations."""
        out: list[Event] = []
        for verb in sent.tokens:
            if lemmas[verb.i] not in REPORTING:
                continue
            speaker = _best_sides([m for m in self._side(sent, self._subject(sent, verb, lemmas), owner)
                                   if m.actor], self.kb)
            if not speaker:
                continue
            for clause in sent.children(verb.i):
                if clause.rel not in ("ccomp", "parataxis"):
                    continue
                subj = next((c for c in sent.children(clause.i) if c.rel in SUBJECT_RELS), None)
                actors = [m for m in (self._side(sent, sent.subtree(subj.i), owner) if subj else [])
                          if m.actor and m not in speaker]
                actors = _best_sides(actors, self.kb) if actors else []
                etype, mode, target = None, None, actors
                if actors and not self._same_side(speaker, actors) and self._blames(sent, clause, lemmas):
                    etype, mode = "ACCUSE", "allege"
                elif actors and self._same_side(speaker, actors) and self._threatens(sent, clause, lemmas):
                    # the speaker's side will strike back: a threat to the other side named
                    target = [m for i in sent.subtree(clause.i) if (m := owner.get(i)) is not None
                              and m.actor and m not in actors and m not in speaker
                              and not self._same_side(speaker, [m])][:1]
                    etype = "THREATEN" if target else None
                if etype is None:
                    continue
                src, tgt = self._event_actor(speaker), self._event_actor(target)
                found_date = _sentence_date(text[sent.start:sent.end], date)
                ev = Event(
                    type=etype, quad=QUADS[etype], intensity=plover.intensity(etype, mode),
                    source=src, target=tgt, evidence_start=sent.start, evidence_end=sent.end,
                    evidence=text[sent.start:sent.end], mode=mode,
                    date=found_date[0], date_precision=found_date[1], date_raw=found_date[2],
                    confidence=0.9, item_id=item_id)
                ev.id = event_id(item_id, sent.start, etype, ev.source, ev.target)
                out.append(ev)
        return out

    def _threatens(self, sent: Sentence, clause: Token, lemmas: list[str]) -> bool:
        """A future act of force or retaliation ("ответит", "нанесет удар", "введет санкции")."""
        lem = lemmas[clause.i]
        if not _future(sent, clause, lemmas) or any(lemmas[c.i] == "не" for c in sent.children(clause.i)):
            return False
        return lem in RETALIATION or (lem in VERBS and VERBS[lem][0] in THREAT_ACTS)

    def _blames(self, sent: Sentence, clause: Token, lemmas: list[str]) -> bool:
        """Does the clause headed by ``clause`` blame its subject (see lexicon.ALLEGATIONS)?"""
        lem = lemmas[clause.i]
        if _future(sent, clause, lemmas) or any(lemmas[c.i] in MODALS for c in sent.children(clause.i)):
            return False
        negated = any(lemmas[c.i] == "не" for c in sent.children(clause.i))
        if lem in BLAME or (lem in ALLEGATIONS and not negated):
            return True
        if negated and lem in OBLIGATIONS:
            return True
        return not negated and lem in VERBS and VERBS[lem][0] in ALLEGED_ACTS

    def _same_side(self, a: list[Mention], b: list[Mention]) -> bool:
        def countries(ms: list[Mention]) -> set[str]:
            out = set()
            for m in ms:
                actor = self.kb.get(m.actor) if m.actor else None
                if actor is not None:
                    out.add(actor.id if actor.type == "country" else (actor.country or actor.id))
            return out

        return bool(countries(a) & countries(b))

    def _predicates(self, sent: Sentence, lemmas: list[str]) -> list[_Predicate]:
        out: list[_Predicate] = []
        for tok in sent.tokens:
            if tok.pos not in ("VERB", "AUX") and not (tok.pos == "ADJ" and tok.feats.get("Variant") == "Short"):
                continue
            lem = lemmas[tok.i]
            children = sent.children(tok.i)
            pair = next((c for c in _through_frames(sent, children, lemmas) if (lem, lemmas[c.i]) in PAIRS), None)
            noun = (self._trigger_noun(sent, tok, lemmas, light=lem in LIGHT_VERBS)
                    if lem in LIGHT_VERBS or lem in VERBS else None)
            negated_act = lem in NEGATED_ACTS and any(lemmas[c.i] == "не" for c in children)
            ready = next((c for c in children if lem in READINESS and c.rel in ("obl", "nmod")
                          and _names_act(sent, c, lemmas)
                          and any(k.text.lower() == "к" for k in sent.children(c.i))), None)
            if ready is not None:  # "готова к переговорам"
                pred = _Predicate(tok, ready, ("AGREE", None))
            elif pair is not None:
                pred = _Predicate(tok, pair, PAIRS[(lem, lemmas[pair.i])])
            elif negated_act:
                pred = _Predicate(tok, noun, NEGATED_ACTS[lem])
            elif noun is not None and (lem in LIGHT_VERBS or lem not in VERBS):
                pred = _Predicate(tok, noun, _noun_trigger(sent, noun, lemmas))
            elif lem in VERBS:
                # a verb that is an act keeps its own type over its object's ("осудил
                # нападение" is DISAPPROVE, "отклонил предложение" REJECT); the noun still
                # carries the target ("нападение на Украину")
                pred = _Predicate(tok, noun, VERBS[lem])
            else:
                continue
            if pred.trigger[1] == "visit" and any(c.rel == "obj" and lemmas[c.i] in ADOPTED for c in children):
                continue  # "Сенат принял закон": an adoption, not a reception
            if pred.trigger[1] == "visit":
                pred.trigger = _troops(sent, tok, lemmas) or pred.trigger
            if pred.trigger[0] in FUTURE_AGREE and (_future(sent, tok, lemmas)
                                                    or _intended(sent, tok, lemmas)):
                pred.trigger = ("AGREE", None)
            elif pred.trigger[0] in FUTURE_CONCEDE and _future(sent, tok, lemmas):
                pred.trigger = ("CONCEDE", None)
            out.append(pred)
        return out

    @staticmethod
    def _trigger_noun(sent: Sentence, verb: Token, lemmas: list[str], *, light: bool) -> Token | None:
        """The noun naming the act of a light verb: its object or subject ("провели переговоры",
        "состоялся разговор"), "с"/"о" + noun ("выступил с критикой", "сообщил о задержании"),
        or the subject of a document it signs ("подписал указ о помиловании"). After a verb
        that is an act itself, "о" + noun is its topic ("договорились о сотрудничестве")."""
        for c in sent.children(verb.i):
            lem = lemmas[c.i]
            preps = {k.text.lower() for k in sent.children(c.i) if k.rel == "case"}
            named = _names_act(sent, c, lemmas)
            if c.rel in ("obj", "nsubj", "nsubj:pass") and named and not preps:
                return c
            if light and c.rel == "obl" and named and preps & {"с", "со", "о", "об"}:
                return c
            if (light and c.rel == "obl" and named and not preps and c.pos == "NOUN"
                    and c.feats.get("Case") in ("Nom", "Acc")):
                return c  # a misparsed subject or object ("прошел ... митинг" as an oblique)
            if c.rel == "obj" and lem in DOCUMENTS:
                inner = next((g for g in sent.children(c.i) if g.rel == "nmod" and lemmas[g.i] in NOUNS), None)
                if inner is not None:
                    return inner
        if light:
            # the parser often hangs the act's noun on the wrong word ("предъявил Кайрату
            # Сатыбалды, племяннику ..., обвинение": "обвинение" as a conj of the addressee);
            # a light verb's act is then the first bare nominative/accusative trigger noun
            # one level further down
            for c in sent.children(verb.i):
                if c.rel in ("ccomp", "parataxis", "advcl", "csubj") or c.pos in ("VERB", "AUX"):
                    continue  # a reported or subordinate clause's nouns are its own acts
                for g in sent.children(c.i):
                    if (lemmas[g.i] in NOUNS and g.pos == "NOUN" and g.feats.get("Case") in ("Nom", "Acc")
                            and not any(k.rel == "case" for k in sent.children(g.i))):
                        return g
            return _loose_object(sent, verb, lemmas)
        return None

    def _subject(self, sent: Sentence, verb: Token, lemmas: list[str]) -> list[int]:
        """Token indices of the subject phrase: the verb's own, else its governor's."""
        v: Token | None = verb
        for _ in range(3):
            if v is None:
                break
            subj = next((c for c in sent.children(v.i) if c.rel in SUBJECT_RELS
                         and lemmas[c.i] not in NOUNS), None)
            if subj is not None:
                # a subject before its verb ends there: words after the verb the parse hung
                # under it ("Рахмон встретился с Президентом ... Шавкатом Мирзиёевым") are not
                # the subject's
                return [i for i in sent.subtree(subj.i) if subj.i > v.i or i < v.i]
            if v.rel not in ("conj", "xcomp", "advcl", "ccomp", "csubj") or v.head < 0:
                break
            v = sent.tokens[v.head]
        return []

    def _demonym_target(self, sent: Sentence, pred: _Predicate, lemmas: list[str],
                        source: list[Mention]) -> list[Mention]:
        """A target named only by a country adjective, by relation priority as _targets."""
        heads = [pred.verb] + ([pred.noun] if pred.noun is not None else [])
        found: list[tuple[int, int, list[Mention]]] = []
        src_countries = {m.country for m in source if m.country}
        for head in heads:
            for c in sent.children(head.i):
                if c.rel not in TARGET_RELS or (pred.noun is not None and c.i == pred.noun.i) or _is_cause(sent, c):
                    continue
                side = _demonym_side(sent, [c.i], lemmas)
                if side and side[0].country not in src_countries:
                    found.append((TARGET_PRIORITY.get(c.rel, 9), c.i, side))
        return min(found, key=lambda g: (g[0], g[1]))[2] if found else []

    def _offices(self, sent: Sentence, ms: list[Mention], owner: dict[int, Mention],
                 lemmas: list[str]) -> list[Mention]:
        """"аким Алматы", "хоким Ташкента", "мэр Бишкека" without a name: the office, i.e. the
        place's administration (the knowledge base's convention: "kz.almaty.akimat"), not the
        place or the government its capital stands for. A named holder links himself."""
        if any(m.label == "PERSON" for m in ms):
            return ms
        out = []
        for m in ms:
            tok = next((t for t in sent.tokens if owner.get(t.i) is m), None)
            head = sent.tokens[tok.head] if tok is not None and tok.head >= 0 else None
            suffix = OFFICES.get(lemmas[head.i]) if head is not None and head.i < tok.i else None
            body = self.kb.get(f"{m.actor}.{suffix}") if suffix and m.actor else None
            if body is None:
                out.append(m)
                continue
            out.append(Mention(start=head.start, end=m.end, text=f"{head.text} {m.text}", label="ORG",
                               actor=body.id, country=body.country))
        return out

    def _passive_agent(self, sent: Sentence, verb: Token, owner: dict[int, Mention]) -> list[Mention]:
        """The agent of a passive in the instrumental, itself or through the decree it issued
        ("указом Садыра Жапарова были помилованы", "задержаны сотрудниками КНБ")."""
        if verb.feats.get("Voice") != "Pass":
            return []
        for c in sent.children(verb.i):
            if c.rel not in ("obl", "obl:agent") or c.feats.get("Case") != "Ins":
                continue
            if any(k.rel == "case" for k in sent.children(c.i)):
                continue  # "с ...", "под ...": not the agent
            found = [m for m in self._side(sent, sent.subtree(c.i), owner) if m.actor]
            if found:
                return _best_sides(found, self.kb)
        return []

    def _role_side(self, text: str, sent: Sentence, subject: list[int], lemmas: list[str],
                   local: list[Mention], item: list[Mention], date: str | None) -> list[Mention]:
        """An office named without its country as the subject ("Глава государства", "Президент
        страны", "премьер-министр"): its holder in the one country the sentence's mentions
        belong to, else the item's clear majority. A mention local to the event coder (the
        labels and the English annotator keep role nouns out of the mentions)."""
        from steppe.enrich.russian.linking import ROLE_WORDS

        if not subject:
            return []
        words = [lemmas[i] for i in subject if sent.tokens[i].pos != "PUNCT"]
        role, n = None, 0
        for key, name in ROLE_WORDS.items():
            if tuple(words[:len(key)]) == key and len(key) > n:
                role, n = name, len(key)
        if role is None or any(w not in GENERIC_COUNTRY for w in words[n:]):
            return []  # "президент Казахстана" the linker resolves; "президент компании" is none
        when = date or _sentence_date(text[sent.start:sent.end], None)[0]
        if when is None:
            return []
        toks = [sent.tokens[i] for i in subject]
        holder = self._last_holder(role, when, item, toks[0].start, local)
        if holder is None:
            country = _one_country(local, self.kb) or _one_country(item, self.kb, majority=True)
            holders = self.kb.holders(role, country, when) if country else []
            if len(holders) != 1 or any(m.actor == holders[0].id for m in local):
                return []  # "Глава государства ... с президентом Узбекистана": not the other party
            holder = holders[0]
        start, end = toks[0].start, toks[-1].end
        return [Mention(start=start, end=end, text=text[start:end], label="PERSON",
                        actor=holder.id, country=holder.country, role=role)]

    def _last_holder(self, role: str, when: str, item: list[Mention], before: int,
                     local: list[Mention]) -> Any | None:
        """The office holder named last before ``before`` in the item ("Токаев прибыл в Ташкент.
        Президент провел переговоры с Мирзиёевым": Tokayev), unless he is this sentence's
        other party."""
        for m in sorted((m for m in item if m.end <= before and m.actor), key=lambda m: -m.start):
            actor = self.kb.get(m.actor)
            if actor is None or actor.type != "person":
                continue
            if any(r.get("role") == role for r in actor.roles_at(when)):
                return None if any(n.actor == actor.id for n in local) else actor
        return None

    def _targets(self, sent: Sentence, pred: _Predicate, owner: dict[int, Mention],
                 source: list[Mention]) -> list[Mention]:
        """The first dependent (by relation priority, then position) that holds a mention.

        An indirect object outranks an object, which outranks an oblique: "выразил протест
        послу России в связи с заявлением Госдумы" targets Russia, not the Duma. Obliques
        that are places ("в Москве") or causes ("в связи с") are not targets.
        """
        heads = [pred.verb] + ([pred.noun] if pred.noun is not None else [])
        groups: list[tuple[int, int, list[Mention]]] = []
        for head in heads:
            for c in sent.children(head.i):
                if c.rel not in TARGET_RELS or (pred.noun is not None and c.i == pred.noun.i):
                    continue
                if self._is_place(sent, c, owner) or _is_cause(sent, c):
                    continue
                found = self._side(sent, sent.subtree(c.i), owner)
                found = [m for m in found if m not in source and not self._inside_place(sent, m, owner)]
                if found:
                    groups.append((TARGET_PRIORITY.get(c.rel, 9), c.i, found))
        return min(groups, key=lambda g: (g[0], g[1]))[2] if groups else []

    def _is_place(self, sent: Sentence, tok: Token, owner: dict[int, Mention]) -> bool:
        """Is ``tok`` "в/на <place>" in the locative?"""
        if tok.feats.get("Case") != "Loc" or not any(
                k.rel == "case" and k.text.lower() in PLACE_PREPOSITIONS for k in sent.children(tok.i)):
            return False
        m = owner.get(tok.i)
        actor = self.kb.get(m.actor) if m is not None and m.actor else None
        return (actor is not None and actor.type in ("place", "country")) or (
            m is not None and m.label in ("GPE", "LOC"))

    def _inside_place(self, sent: Sentence, m: Mention, owner: dict[int, Mention]) -> bool:
        return any(owner.get(t.i) is m and self._is_place(sent, t, owner) for t in sent.tokens)

    def _place(self, sent: Sentence, pred: _Predicate, owner: dict[int, Mention]
               ) -> tuple[str, Mention] | None:
        heads = [pred.verb] + ([pred.noun] if pred.noun is not None else [])
        for head in heads:
            for c in sent.children(head.i):
                if c.rel not in ("obl", "nmod") or c.feats.get("Case") != "Loc":
                    continue
                if not any(k.rel == "case" and k.text.lower() in PLACE_PREPOSITIONS
                           for k in sent.children(c.i)):
                    continue
                m = owner.get(c.i)
                actor = self.kb.get(m.actor) if m is not None and m.actor else None
                if actor is not None and actor.type in ("place", "country", "government"):
                    place = self.kb.get(actor.parent) if actor.type == "government" else actor
                    return (place or actor).name, m
                if m is not None and m.label in ("GPE", "LOC"):
                    return lemma(m.text).capitalize(), m
        for i in sent.subtree(pred.verb.i):
            tok = sent.tokens[i]
            m = owner.get(i)
            if m is not None and tok.rel in ("obl", "nmod") and self._is_place(sent, tok, owner):
                actor = self.kb.get(m.actor) if m.actor else None
                return (actor.name if actor is not None else lemma(m.text).capitalize()), m
        if pred.trigger[1] == "visit":  # "посетил Ташкент", "прибыл в Астану" (accusative)
            for c in sent.children(pred.verb.i):
                m = owner.get(c.i)
                actor = self.kb.get(m.actor) if m is not None and m.actor else None
                if actor is not None and actor.type in ("place", "country") and c.rel in ("obj", "obl"):
                    return actor.name, m
        return None

    def _side(self, sent: Sentence, indices: list[int], owner: dict[int, Mention]) -> list[Mention]:
        out: list[Mention] = []
        for i in indices:
            m = owner.get(i)
            if m is not None and m not in out:
                out.append(m)
        return out

    def _event_actor(self, ms: list[Mention]) -> EventActor | None:
        if not ms:
            return None
        actors = list(dict.fromkeys(self._acting(m.actor) for m in ms if m.actor))
        countries = list(dict.fromkeys(m.country for m in ms if m.country))
        return EventActor(actors=actors, text=", ".join(m.text for m in ms),
                          start=min(m.start for m in ms), end=max(m.end for m in ms),
                          countries=countries)

    def _acting(self, actor_id: str) -> str:
        """A capital on either side of an act stands for its government ("обвинила Вашингтон")."""
        actor = self.kb.get(actor_id)
        if actor is not None and actor.type == "place" and actor.metonym and actor.metonym in self.kb:
            return str(actor.metonym)
        return actor_id

    def _unnamed_side(self, sent: Sentence, pred: _Predicate, lemmas: list[str],
                      place: tuple[str, Mention] | None) -> EventActor:
        """The unnamed people of a protest: the subject's words, the country of its place."""
        subject = self._subject(sent, pred.verb, lemmas)
        toks = [sent.tokens[i] for i in subject]
        country = place[1].country if place is not None and place[1].country else None
        return EventActor(actors=[], text=" ".join(t.text for t in toks),
                          start=toks[0].start if toks else None, end=toks[-1].end if toks else None,
                          countries=[country] if country else [])

    def _hypothetical(self, sent: Sentence, verb: Token, lemmas: list[str]) -> bool:
        head = sent.tokens[verb.head] if verb.head >= 0 else None
        return head is not None and verb.rel == "xcomp" and lemmas[head.i] in MODALS

    def _reported(self, sent: Sentence, verb: Token, lemmas: list[str],
                  owner: dict[int, Mention]) -> str | None:
        """The speaker's text when the act is reported ("Песков заявил, что ...")."""
        if verb.rel not in ("ccomp", "parataxis") or verb.head < 0:
            return None
        head = sent.tokens[verb.head]
        if lemmas[head.i] not in REPORTING:
            return None
        speaker = self._side(sent, self._subject(sent, head, lemmas), owner)
        return speaker[0].text if speaker else None

    def _learned_type(self, sentence: str, etype: str, mode: str | None, confidence: float
                      ) -> tuple[str | None, str | None, float]:
        pred = self.type_model.predict([sentence])[0]
        learned = getattr(pred, "event_type", None)
        if learned is None or learned not in QUADS:
            return None, None, confidence
        return learned, (mode if learned == etype else None), float(getattr(pred, "confidence", confidence))


def _mention_before(sent: Sentence, verb: Token, owner: dict[int, Mention]) -> list[Mention]:
    """The subject a misparse lost: the mention ending just before the verb ("После теракта
    МВД России выдворило": МВД parsed as the attack's genitive), unless a preposition governs
    it ("в Алматы прошёл митинг") or it is the genitive of a noun of its own phrase."""
    j = verb.i - 1
    while j >= 0 and (sent.tokens[j].pos in ("ADV", "PUNCT", "PART") or _date_word(sent.tokens[j])):
        j -= 1  # "Баку 13 декабря 2023 года передал": the date between subject and verb
    m = owner.get(j) if j >= 0 else None
    if m is None:
        return []
    tokens = [t for t in sent.tokens if owner.get(t.i) is m]
    first = tokens[0]
    if any(k.rel == "case" for t in tokens for k in sent.children(t.i)):
        return []
    if first.feats.get("Case") not in (None, "Nom") and first.pos != "PROPN":
        return []
    head = sent.tokens[first.head] if first.head >= 0 else None
    # a dependent of a later word is not a lost subject; but a name opening the sentence that
    # the parse made the verb's object ("Баку ... передал Еревану", an indeclinable name read
    # as a dative) is its subject, the press's word order
    opening = head is not None and head.i == verb.i and first.i == 0
    if head is not None and owner.get(head.i) is None and head.i > first.i and not opening:
        return []
    return [m]


_DATE_WORDS = frozenset({"года", "году", "год", "г.", "января", "февраля", "марта", "апреля",
                         "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
                         "декабря"})


def _date_word(tok: Token) -> bool:
    """A word of a written date ("13", "декабря", "2023", "года")."""
    return tok.text.isdigit() or tok.text.lower() in _DATE_WORDS


def _demonym_side(sent: Sentence, subject: list[int], lemmas: list[str]) -> list[Mention]:
    """An unnamed subject qualified by a country adjective ("российский миротворческий
    контингент") as that country's side: a mention local to the event coder."""
    if not subject:
        return []
    head = next((sent.tokens[i] for i in subject if sent.tokens[i].head not in subject), None)
    if head is None:
        return []
    for c in sent.children(head.i):
        iso = DEMONYMS.get(lemmas[c.i]) if c.rel == "amod" else None
        if iso:
            return [Mention(start=c.start, end=c.end, text=c.text, label="NORP", actor=iso,
                            country=iso)]
    return []


def _one_country(mentions: list[Mention], kb: Any, majority: bool = False) -> str | None:
    """The country the linked mentions belong to when there is one (with ``majority``: one
    with at least twice the mentions of any other)."""
    counts: dict[str, int] = {}
    for m in mentions:
        actor = kb.get(m.actor) if m.actor else None
        country = m.country or (actor.country if actor is not None else None)
        if country and kb.get(country) is not None and kb.get(country).type == "country":
            counts[country] = counts.get(country, 0) + 1
    ranked = sorted(((n, c) for c, n in counts.items()), reverse=True)
    if len(ranked) == 1 or (majority and len(ranked) > 1 and ranked[0][0] >= 2 * ranked[1][0]):
        return ranked[0][1]
    return None


def _is_cause(sent: Sentence, tok: Token) -> bool:
    """ "в связи с X", "из-за X", "по поводу X": X is the reason, not the target."""
    case = [k for k in sent.children(tok.i) if k.rel == "case"]
    fixed = [f.text.lower() for k in case for f in sent.children(k.i) if f.rel == "fixed"]
    words = {k.text.lower() for k in case} | set(fixed)
    if {k.text.lower() for k in case} & {"по", "в"} and tok.text.lower() in CAUSE_WORDS:
        return True  # "по просьбе Токаева", "в рамках визита"
    if {k.text.lower() for k in case} & {"при"} and tok.text.lower() in THIRD_PARTY_WORDS:
        return True  # "при посредничестве Макрона"
    return bool(words & CAUSE_WORDS)


def _troops(sent: Sentence, verb: Token, lemmas: list[str]) -> Trigger | None:
    """Military units arriving ("подразделения ОДКБ прибыли в Казахстан"): a deployment, or
    aid when they come at the host's request ("по просьбе Токаева")."""
    subj = next((c for c in sent.children(verb.i) if c.rel in SUBJECT_RELS), None)
    if subj is None or lemmas[subj.i] not in TROOPS:
        return None
    asked = any(t.text.lower() in REQUESTED and any(k.text.lower() == "по" for k in sent.children(t.i))
                for t in sent.tokens)
    return ("AID", None) if asked else ("MOBILIZE", "troops")


def _below_substance(events: list[Event], courtesies: list[Event]) -> None:
    """Courtesies (lexicon.COURTESIES) rank below the sentence's other acts: "поздравил с днем
    рождения и обсудил ход проектов" is mainly the discussion."""
    others = [e.confidence for e in events if not any(e is c for c in courtesies)]
    if not others:
        return
    for ev in courtesies:
        ev.confidence = round(min(ev.confidence, min(others) - 0.05), 2)


def _loose_object(sent: Sentence, verb: Token, lemmas: list[str]) -> Token | None:
    """A light verb's act noun the parser attached nowhere near it ("Минобороны начало на
    полигоне ... учения с участием ...", parsed with "учения" under a later noun): the first
    bare accusative trigger noun after the verb in its own clause, if the verb has no object."""
    if any(c.rel == "obj" for c in sent.children(verb.i)):
        return None
    for tok in sent.tokens[verb.i + 1:]:
        if tok.pos in ("VERB", "AUX") or tok.text in (",", ";", ":"):
            return None  # another clause begins: its nouns are its own acts
        if (tok.pos == "NOUN" and lemmas[tok.i] in NOUNS and tok.feats.get("Case") == "Acc"
                and not any(k.rel == "case" for k in sent.children(tok.i))):
            return tok
    return None


def _framed(sent: Sentence, noun: Token, lemmas: list[str]) -> Token | None:
    """The act a framing noun names by its genitive ("режим чрезвычайного положения",
    "пакет санкций", "введение санкций"), see lexicon.FRAMES."""
    if lemmas[noun.i] not in FRAMES or lemmas[noun.i] in NOUNS:
        return None
    return next((c for c in sent.children(noun.i) if c.rel == "nmod" and c.pos == "NOUN"
                 and not any(k.rel == "case" for k in sent.children(c.i))
                 and (lemmas[c.i] in NOUNS or _paired(sent, c, lemmas) is not None)), None)


def _through_frames(sent: Sentence, children: list[Token], lemmas: list[str]) -> list[Token]:
    """A verb's dependents and, behind a framing noun, the noun or adjective that says what
    it frames ("ввел режим чрезвычайного положения" pairs "ввести" with "положение", "внес в
    санкционный список" "внести" with "санкционный")."""
    out = list(children)
    for c in children:
        if lemmas[c.i] in FRAMES:
            out += [g for g in sent.children(c.i) if (g.rel == "nmod" and g.pos == "NOUN")
                    or (g.rel == "amod" and g.pos == "ADJ")]
    return out


def _names_act(sent: Sentence, noun: Token, lemmas: list[str]) -> bool:
    """Is ``noun`` a trigger noun, alone, with its dependent (lexicon.NOUN_PAIRS) or behind a
    framing noun (lexicon.FRAMES)?"""
    return (lemmas[noun.i] in NOUNS or _paired(sent, noun, lemmas) is not None
            or _framed(sent, noun, lemmas) is not None)


def _paired(sent: Sentence, noun: Token, lemmas: list[str]) -> Trigger | None:
    return next((NOUN_PAIRS[(lemmas[noun.i], lemmas[c.i])] for c in sent.children(noun.i)
                 if (lemmas[noun.i], lemmas[c.i]) in NOUN_PAIRS), None)


def _noun_trigger(sent: Sentence, noun: Token, lemmas: list[str]) -> Trigger:
    """A noun's trigger; joint military drills ("совместные учения") are COOPERATE (PLOVER v0.8
    military cooperation), a single side's MOBILIZE."""
    inner = _framed(sent, noun, lemmas)
    if inner is not None:
        noun = inner
    trigger = _paired(sent, noun, lemmas) or NOUNS[lemmas[noun.i]]
    joint = any(lemmas[c.i] == "совместный" for c in sent.children(noun.i))
    return ("COOPERATE", None) if joint and trigger[0] == "MOBILIZE" else trigger


CONDITIONS = frozenset({"если", "ежели", "коли"})


def _purpose(sent: Sentence, verb: Token, lemmas: list[str]) -> bool:
    """A verb of a purpose clause ("чтобы поздравить", "для того чтобы обсудить")."""
    return verb.rel == "advcl" and any(c.rel == "mark" and lemmas[c.i] == "чтобы"
                                       for c in sent.children(verb.i))


def _conditional(sent: Sentence, verb: Token, lemmas: list[str]) -> bool:
    """A verb of a conditional clause ("если ЕС введет санкции")."""
    return verb.rel == "advcl" and any(c.rel == "mark" and lemmas[c.i] in CONDITIONS
                                       for c in sent.children(verb.i))


def _intended(sent: Sentence, verb: Token, lemmas: list[str]) -> bool:
    """An act under a verb or adjective of intention ("намерена подписать")."""
    return verb.rel == "xcomp" and verb.head >= 0 and lemmas[verb.head] in MODALS


def _future(sent: Sentence, verb: Token, lemmas: list[str]) -> bool:
    """Future tense: a perfective future ("проведут") or "будет" + infinitive."""
    return verb.feats.get("Tense") == "Fut" or any(
        c.rel in ("aux", "aux:pass") and lemmas[c.i] == "быть"
        and (c.feats.get("Tense") == "Fut" or c.text.lower().startswith("буд"))  # "будут выведены"
        for c in sent.children(verb.i))


def _principals(sent: Sentence, ms: list[Mention], owner: dict[int, Mention]
                ) -> tuple[list[Mention], list[Mention]]:
    """The subject's own mentions, and partners the parse hung under it ("с + noun"). A
    person in the genitive of another's title ("спецпредставитель президента России Замир
    Кабулов") is not a side when a named person heads the subject."""
    def head_of(m: Mention) -> Token | None:
        return next((t for t in sent.tokens if owner.get(t.i) is m
                     and (t.head < 0 or owner.get(t.head) is not m)), None)

    own, partners = [], []
    for m in ms:
        head = head_of(m)
        preps = {k.text.lower() for k in sent.children(head.i) if k.rel == "case"} if head else set()
        (partners if preps & {"с", "со"} else own).append(m)
    if len(own) > 1:
        named = [m for m in own if m.label == "PERSON" and (h := head_of(m)) is not None
                 and not (h.rel == "nmod" and h.feats.get("Case") == "Gen")]
        if named:
            own = [m for m in own if m.label != "PERSON" or m in named]
    return (own, partners) if own else (ms, [])


def _coordinated(sent: Sentence, ms: list[Mention], owner: dict[int, Mention]) -> list[Mention]:
    """The mentions joined to another by "и"/"," (their head token is a ``conj``), not those
    qualifying it ("Министр иностранных дел России Сергей Лавров" is one side)."""
    out = []
    for m in ms:
        heads = [t for t in sent.tokens if owner.get(t.i) is m
                 and (t.head < 0 or owner.get(t.head) is not m)]
        if any(t.rel == "conj" for t in heads):
            out.append(m)
    return out


def _owners(sent: Sentence, mentions: list[Mention]) -> dict[int, Mention]:
    """Token index -> the longest mention covering it."""
    out: dict[int, Mention] = {}
    for m in sorted(mentions, key=lambda m: m.end - m.start):
        for t in sent.tokens:
            if m.start <= t.start and t.end <= m.end:
                out[t.i] = m
    return out


def _best_sides(ms: list[Mention], kb: Any) -> list[Mention]:
    """Linked mentions of the most specific kind: a person over the country qualifying them."""
    linked = [m for m in ms if m.actor]
    if not linked:
        return ms[:1]

    def order(m: Mention) -> int:
        actor = kb.get(m.actor)
        return TYPE_ORDER.get(actor.type, 5) if actor is not None else 5

    best = min(order(m) for m in linked)
    return [m for m in linked if order(m) == best]


_YEAR = re.compile(r"\b\d{4}\b")
_WEEK = re.compile(r"(?<!\w)недел", re.IGNORECASE)  # not "понедельник"


def _eve(sent: Sentence, lemmas: list[str], anchor: str | None) -> tuple[str, str, str] | None:
    """Adverbial "накануне" (the day before the item's date, as "вчера"); the preposition
    "накануне выборов" (on the eve of something) dates nothing by itself."""
    from datetime import date, timedelta

    if anchor is None or len(anchor) < 10:
        return None
    for tok in sent.tokens:
        if lemmas[tok.i] == "накануне" and tok.pos == "ADV" and not sent.children(tok.i):
            try:
                day = date.fromisoformat(anchor[:10]) - timedelta(days=1)
            except ValueError:
                return None
            return day.isoformat(), "day", tok.text
    return None


def _sentence_date(sentence: str, anchor: str | None) -> tuple[str | None, str | None, str | None]:
    """The sentence's first date: (value, precision, raw); unknown value without year or anchor."""
    from steppe.extract import dates as dates_mod

    anchor_value = dates_mod.parse_anchor(anchor)
    for s, e, dv in dates_mod.find_dates(sentence, anchor=anchor_value):
        raw = sentence[s:e]
        value, precision = dv.value, dv.precision
        if anchor_value is None and not _YEAR.search(raw):
            value, precision = None, None
        if _WEEK.search(raw):
            value, precision = None, None  # "на прошлой неделе" names no day (nor, reliably, a month)
        return value, precision, raw
    return None, None, None


__all__ = ["RussianEventCoder"]
