"""Russian mentions linked to the knowledge base across cases and scripts.

Russian inflects names ("Токаевым", "Путину", "в Астане", "МИДа Казахстана"). A span is
looked up under every combination of its words' lemma candidates (pymorphy3's normal
forms plus the words as written, see :func:`steppe.language.russian.lemma_candidates`),
first in an index of the knowledge base's Cyrillic aliases keyed by their own lemmas
("МИД Казахстана" -> "мид казахстан"), then in the knowledge base's folded index, which
already meets Latin spellings ("токаев" folds like "Tokayev").

Mentions come from two places, as in the English linker: a scan of the sentence for the
longest known alias (high-precision kinds only; it merges "МИД" + "Казахстана", which
Slovnet tags as two spans) and Slovnet's NER spans the scan did not cover. Role phrases
("президент Казахстана" with no name after it) resolve to the holder on the item's date.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from steppe.enrich.actors import KIND_SCORE, STRONG_KINDS, Actor, AliasEntry, KnowledgeBase
from steppe.enrich.normalise import fold, is_acronym
from steppe.enrich.russian.nlp import Sentence, Token
from steppe.language.russian import has_cyrillic, lemma, lemma_candidates
from steppe.model import Mention

MAX_WORDS = 8  # the longest alias the scanner tries ("Совещание по взаимодействию и мерам доверия в Азии")
MAX_KEYS = 24  # lemma combinations tried for one span
MIN_SCORE = 0.6

# Offices named in Russian, by lemma sequence, as steppe.enrich.actors roles.
ROLE_WORDS: dict[tuple[str, ...], str] = {
    ("президент",): "head_of_state",
    ("глава", "государство"): "head_of_state",
    ("премьер-министр",): "head_of_government",
    ("премьер",): "head_of_government",
    ("глава", "правительство"): "head_of_government",
    ("министр", "иностранный", "дело"): "foreign_minister",
    ("глава", "мид"): "foreign_minister",
    ("министр", "оборона"): "defence_minister",
    ("глава", "минобороны"): "defence_minister",
}
# Roles by precedence when a surname fits several people of the date ("Жапаров" in 2023).
ROLE_RANK = ("head_of_state", "head_of_government", "foreign_minister", "defence_minister")
# State bodies named by their kind, by lemma sequence -> the id suffixes of that kind
# (``ISO3.SUFFIX`` in the knowledge base, first existing one wins) and whether the kind may be
# resolved from context when no country is written ("Сенат одобрил закон" in a sentence about
# Kazakhstan). The country comes from what the text attaches to the name: a country mention
# after it ("Минэнерго Китая", "МИДом Республики Узбекистан"), a country adjective before it
# ("узбекский МИД", "российского Минобороны"), the person it introduces ("спикер Сената Маулен
# Ашимбаев"), else the one country of the sentence (or, failing that, of the item) that has
# such a body.
_CENTRAL_BANKS = ("NBK", "CBR", "CBU", "NBKR", "NBT", "CBT", "PBOC", "CBRT", "CBI", "NBU", "FED",
                  "NBRB", "CBA", "CBAR", "NBG", "BOM", "DAB")
_SECURITY = ("KNB", "GKNB", "SGB", "FSB", "KGB", "NSS", "SSG", "SBU", "MNB", "MSS", "MIT", "MOIS")
_MFA = ("MFA", "STATE", "FCDO")  # the State Department and the FCDO are their states' MFAs
_MOD = ("MOD", "DOD")
_UPPER = ("SENATE", "FC", "COUNCIL", "MILLI")
_LOWER = ("MAZHILIS", "DUMA", "LEGCHAMBER", "NAMOYANDAGON", "HOUSE")
BODY_HEADS: dict[tuple[str, ...], tuple[tuple[str, ...], bool]] = {
    ("мид",): (_MFA, True),
    ("министерство", "иностранный", "дело"): (_MFA, True),
    ("внешнеполитический", "ведомство"): (_MFA, True),
    ("минобороны",): (_MOD, True),
    ("министерство", "оборона"): (_MOD, True),
    ("военный", "ведомство"): (_MOD, True),
    ("оборонный", "ведомство"): (_MOD, True),
    ("мвд",): (("MVD",), True),
    ("министерство", "внутренний", "дело"): (("MVD",), True),
    ("минэнерго",): (("ENERGY",), True),
    ("министерство", "энергетика"): (("ENERGY",), True),
    ("минфин",): (("FINANCE",), True),
    ("министерство", "финансы"): (("FINANCE",), True),
    ("минэкономики",): (("ECONOMY",), True),
    ("минэкономразвития",): (("ECONOMY",), True),
    ("министерство", "экономика"): (("ECONOMY",), True),
    ("министерство", "национальный", "экономика"): (("ECONOMY",), True),
    ("министерство", "экономический", "развитие"): (("ECONOMY",), True),
    ("минюст",): (("JUSTICE",), True),
    ("министерство", "юстиция"): (("JUSTICE",), True),
    ("минздрав",): (("HEALTH",), True),
    ("министерство", "здравоохранение"): (("HEALTH",), True),
    ("минтранс",): (("TRANSPORT",), True),
    ("министерство", "транспорт"): (("TRANSPORT",), True),
    ("минсельхоз",): (("AGRICULTURE",), True),
    ("министерство", "сельский", "хозяйство"): (("AGRICULTURE",), True),
    ("минторговля",): (("TRADE", "COMMERCE"), True),
    ("минторговли",): (("TRADE", "COMMERCE"), True),
    ("минпромторг",): (("TRADE",), True),
    ("министерство", "торговля"): (("TRADE", "COMMERCE"), True),
    ("министерство", "торговля", "и", "интеграция"): (("TRADE",), True),
    ("министерство", "промышленность", "и", "торговля"): (("TRADE",), True),
    ("министерство", "образование"): (("EDUCATION",), True),
    ("минобразования",): (("EDUCATION",), True),
    ("минпросвещения",): (("EDUCATION",), True),
    ("министерство", "просвещение"): (("EDUCATION",), True),
    ("министерство", "наука"): (("SCIENCE", "EDUCATION"), True),
    ("минобрнауки",): (("SCIENCE", "EDUCATION"), True),
    ("министерство", "труд"): (("LABOUR",), True),
    ("минтруд",): (("LABOUR",), True),
    ("минтруда",): (("LABOUR",), True),
    ("министерство", "культура"): (("CULTURE",), True),
    ("минкультуры",): (("CULTURE",), True),
    ("министерство", "экология"): (("ECOLOGY",), True),
    ("министерство", "природный", "ресурс"): (("ECOLOGY",), True),
    ("минприроды",): (("ECOLOGY",), True),
    ("министерство", "цифровой", "развитие"): (("DIGITAL",), True),
    ("минцифры",): (("DIGITAL",), True),
    ("министерство", "промышленность"): (("INDUSTRY", "TRADE"), True),
    ("минпромышленности",): (("INDUSTRY",), True),
    ("министерство", "строительство"): (("CONSTRUCTION", "INDUSTRY"), True),
    ("минстрой",): (("CONSTRUCTION", "INDUSTRY"), True),
    ("министерство", "водный", "ресурс"): (("WATER", "AGRICULTURE"), True),
    ("министерство", "спорт"): (("SPORT",), True),
    ("минспорта",): (("SPORT",), True),
    ("министерство", "туризм"): (("TOURISM", "CULTURE"), True),
    ("министерство", "информация"): (("INFORMATION", "CULTURE"), True),
    ("миграционный", "служба"): (("MIGRATION",), False),
    ("налоговый", "служба"): (("TAX",), False),
    ("налоговый", "комитет"): (("TAX",), False),
    ("бюро", "национальный", "статистика"): (("BNS", "STAT"), True),
    ("агентство", "статистика"): (("STAT", "BNS", "ROSSTAT"), True),
    ("комитет", "статистика"): (("STAT", "BNS"), True),
    ("мчс",): (("EMERCOM",), True),
    ("министерство", "по", "чрезвычайный", "ситуация"): (("EMERCOM",), True),
    ("генпрокуратура",): (("GPO",), True),
    ("генеральный", "прокуратура"): (("GPO",), True),
    ("правительство",): (("GOV",), True),
    ("кабмин",): (("GOV",), True),
    ("кабинет", "министр"): (("GOV",), True),
    ("парламент",): (("PARL",), True),
    ("сенат",): (("SENATE",), True),
    ("верхний", "палата"): (_UPPER, True),
    ("верхний", "палата", "парламент"): (_UPPER, True),
    ("нижний", "палата"): (_LOWER, True),
    ("нижний", "палата", "парламент"): (_LOWER, True),
    ("администрация", "президент"): (("PA",), True),
    ("цик",): (("CEC",), True),
    ("центризбирком",): (("CEC",), True),
    ("центральный", "избирательный", "комиссия"): (("CEC",), True),
    ("верховный", "суд"): (("SUPREMECOURT",), True),
    ("конституционный", "суд"): (("CONSTCOURT",), True),
    ("генштаб",): (("GENSTAFF",), True),
    ("генеральный", "штаб"): (("GENSTAFF",), True),
    ("погранслужба",): (("BORDER",), True),
    ("пограничный", "служба"): (("BORDER",), True),
    ("нацбанк",): (_CENTRAL_BANKS, True),
    ("национальный", "банк"): (_CENTRAL_BANKS, True),
    ("центробанк",): (_CENTRAL_BANKS, True),
    ("центральный", "банк"): (_CENTRAL_BANKS, True),
    ("цб",): (_CENTRAL_BANKS, True),
    ("вооруженный", "сила"): (("ARMY",), False),
    ("армия",): (("ARMY",), False),
    ("таможенный", "служба"): (("CUSTOMS",), False),
    ("спецслужба",): (_SECURITY, False),
    # any court of a state ("Ленинский районный суд Бишкека", "суд Астаны"): ISO3.COURT
    ("суд",): (("COURT",), False),
    # a place's administration ("акимата Алматы", "хокимият города Ташкента"): "@" + the
    # suffix of the place's body (steppe.enrich.actors administrations)
    ("акимат",): (("@akimat",), False),
    ("хокимият",): (("@hokimiyat",), False),
    ("мэрия",): (("@mayoralty",), False),
}
BODY_MAX = max(len(k) for k in BODY_HEADS)
# Kind words that name what the following name is ("на реке Нарын", "на полигоне «Эдельвейс»",
# "авиабазу Белая"): the name is looked up with its kind first, so that a river is not the
# city of the same name and a base is not the adjective its name reads as. The knowledge
# base lists such places under "<kind> <name>" (actors/geography.yaml).
PLACE_KINDS = frozenset({"река", "озеро", "водохранилище", "месторождение", "полигон", "авиабаза",
                         "резиденция", "канал", "перевал", "ущелье"})
QUOTES = frozenset({"«", "»", '"', "“", "”", "„"})
APOSTROPHES = frozenset({"'", "’", "`"})
NER_LABEL = {"PER": "PERSON", "LOC": "GPE", "ORG": "ORG"}
TYPE_LABEL = {"person": "PERSON", "country": "GPE", "government": "GPE", "place": "GPE",
              "organisation": "ORG", "body": "ORG"}


class RussianLinker:
    """Links the mentions of parsed Russian sentences; build once per knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        index: dict[str, list[AliasEntry]] = defaultdict(list)
        for actor in kb:
            named = [(actor.name, "name")] + [(a, "alias") for a in actor.aliases]
            named += [(s, "seat") for s in actor.seats]
            for text, kind in named:
                if not has_cyrillic(text):
                    continue
                # every reading of the alias's words, not only pymorphy3's first guess: for
                # words it does not know ("Атырауская" -> "атыраускать") the first guesses of
                # the alias and of an inflected mention ("Атырауской") differ, a later one
                # ("атырауский") is shared
                for key in _keys(text.split(), alias=True):
                    if key and all(e.actor_id != actor.id for e in index[key]):
                        index[key].append(AliasEntry(actor.id, kind, text))
        self._index = dict(index)

    # --- lookup ---------------------------------------------------------------------------

    def lookup(self, words: list[str]) -> list[tuple[Actor, float, str]]:
        """Actors one of whose names the ``words`` are, in any case; best kind first."""
        raw = " ".join(words)
        for key in _keys(words):
            found = [e for e in self._index.get(key, []) + self.kb.entries(key) if _case_ok(e, raw)]
            if found:
                seen: dict[str, tuple[Actor, float, str]] = {}
                for e in found:
                    actor = self.kb.get(e.actor_id)
                    score = KIND_SCORE[e.kind]
                    if actor is not None and (e.actor_id not in seen or seen[e.actor_id][1] < score):
                        seen[e.actor_id] = (actor, score, e.kind)
                return sorted(seen.values(), key=lambda c: -c[1])
        return []

    def choose(self, cands: list[tuple[Actor, float, str]], date: str | None,
               item_actors: set[str]) -> tuple[Actor, float] | None:
        """One actor from the candidates, or None when the context does not settle it."""
        if not cands:
            return None
        best = max(c[1] for c in cands)
        cands = [c for c in cands if c[1] == best]
        for keep in (lambda c: c[0].id in item_actors,
                     lambda c: date is not None and bool(c[0].roles_at(date))):
            kept = [c for c in cands if keep(c)]
            if kept:
                cands = kept
            if len(cands) == 1:
                break
        if len(cands) > 1 and date is not None:
            cands = _by_rank(cands, date)
        if len(cands) != 1 or cands[0][1] < MIN_SCORE:
            return None
        return cands[0][0], cands[0][1]

    # --- mentions -------------------------------------------------------------------------

    def mentions(self, text: str, sentences: list[Sentence], date: str | None = None) -> list[Mention]:
        """Mentions of every sentence, offsets into ``text``; ``date`` (ISO prefix) dates roles."""
        found: list[tuple[Sentence, int, int, str, list[tuple[Actor, float, str]]]] = []
        for sent in sentences:
            covered: set[int] = set()
            for i, j, cands in self._scan(sent):
                found.append((sent, i, j, "", cands))
                covered.update(range(i, j))
            for span in sent.spans:
                if covered & set(range(span.start, span.end)):
                    continue
                words = [t.text for t in sent.tokens[span.start:span.end] if t.is_word]
                found.append((sent, span.start, span.end, NER_LABEL.get(span.label, "ORG"),
                              self.lookup(words) if words else []))
        # Unambiguous links first, so that "Жапаров" later in an item is the full name given earlier.
        item_actors = {c[0][0].id for *_, c in found if len(c) == 1}
        out: list[Mention] = []
        for sent, i, j, label, cands in found:
            chosen = self.choose(cands, date, item_actors)
            out.append(self._mention(text, sent, i, j, label, chosen))
            if chosen:
                item_actors.add(chosen[0].id)
        out += self._role_phrases(text, sentences, out, date)
        out = self._bodies(text, sentences, out)
        self._demonym_bodies(sentences, out)
        return sorted(out, key=lambda m: (m.start, -m.end))

    def _bodies(self, text: str, sentences: list[Sentence], mentions: list[Mention]) -> list[Mention]:
        """State bodies named by kind ("Минэнерго Китая", "узбекский МИД", bare "Сената") that
        no alias linked: the country's body of that kind (see BODY_HEADS)."""
        out = list(mentions)
        doc = self._countries(out)
        for sent in sentences:
            toks = sent.tokens
            options = [set(lemma_candidates(t.text)) | {t.text.lower(), lemma(t.text)} for t in toks]
            i = 0
            while i < len(toks):
                hit = None
                for n in range(min(BODY_MAX, len(toks) - i), 0, -1):
                    key = next((k for k in BODY_HEADS if len(k) == n
                                and all(w in options[i + m] for m, w in enumerate(k))), None)
                    if key is not None:
                        hit = (i + n, BODY_HEADS[key])
                        break
                if hit is None:
                    i += 1
                    continue
                j, (suffixes, bare) = hit
                start, end = toks[i].start, toks[j - 1].end
                if any(m.actor and m.start <= start and end <= m.end for m in out):
                    i = j
                    continue  # already linked ("МИД Казахстана", "глава правительства Казахстана")
                resolved = self._body_country(sent, i, j, out, doc, suffixes, bare)
                if resolved is None:
                    i = j
                    continue
                body, start, end = resolved
                out = [m for m in out if m.end <= start or m.start >= end]
                m = Mention(start=start, end=end, text=text[start:end], label="ORG", actor=body.id,
                            score=0.8, country=body.country)
                if body.type == "government":
                    m.label, m.role = "GPE", "government"
                out.append(m)
                i = next((k for k, t in enumerate(toks) if t.start >= end), len(toks))
        return out

    def _demonym_bodies(self, sentences: list[Sentence], mentions: list[Mention]) -> None:
        """A body named by an acronym another state's body also bears, after a country
        adjective ("белорусский КГБ", "таджикский ГКНБ"): the adjective's state's body of that
        kind, when the knowledge base has it."""
        from steppe.enrich.russian.lexicon import DEMONYMS

        for sent in sentences:
            starts = {t.start: t.i for t in sent.tokens}
            for m in mentions:
                actor = self.kb.get(m.actor) if m.actor else None
                k = starts.get(m.start)
                if actor is None or actor.type != "body" or "." not in actor.id or not k:
                    continue
                iso = DEMONYMS.get(lemma(sent.tokens[k - 1].text, "ADJ"))
                other = self.kb.get(f"{iso}.{actor.id.split('.', 1)[1]}") if iso else None
                if other is not None and iso != actor.country:
                    m.actor, m.country = other.id, other.country

    def _body_country(self, sent: Sentence, i: int, j: int, mentions: list[Mention],
                      doc: dict[str, int], suffixes: tuple[str, ...],
                      bare: bool) -> tuple[Actor, int, int] | None:
        """The body of kind ``suffixes`` the head at tokens [i, j) names, with its span."""
        toks = sent.tokens
        start, end = toks[i].start, toks[j - 1].end

        def body_of(country: str | None) -> Actor | None:
            for suffix in suffixes:
                actor = self.kb.get(f"{country}.{suffix}") if country else None
                if actor is not None:
                    return actor
            return None

        if suffixes[0].startswith("@"):  # "акимат Алматы", "акимата города Шымкента"
            k = j + 1 if j < len(toks) and lemma(toks[j].text) == "город" else j
            after = next((m for m in mentions if k < len(toks) and m.start == toks[k].start
                          and m.actor), None)
            place = self.kb.get(after.actor) if after is not None else None
            if place is not None and place.type == "government" and place.parent:
                place = self.kb.get(self.kb.get(place.parent).capital or "")  # type: ignore[union-attr]
            body = self.kb.get(f"{place.id}.{suffixes[0][1:]}") if place is not None else None
            return (body, start, after.end) if body is not None and after is not None else None
        if j < len(toks):  # "Минэнерго Китая", "правительства Республики Узбекистан"
            k = j
            while k < len(toks) - 1 and toks[k].pos == "ADJ" and toks[k].feats.get("Case") == "Gen":
                k += 1  # "МИД временного правительства Афганистана": the adjectives of the owner
            if k > j and lemma(toks[k].text) == "правительство" and k + 1 < len(toks):
                k += 1  # ... and the government's country
            courts = suffixes == ("COURT",)  # a court of a city or region is its state's
            if courts and toks[k].text.lower() == "по":  # "суд по уголовным делам Астаны"
                n = k + 1
                while n < len(toks) - 1 and toks[n].pos == "ADJ":
                    n += 1
                if lemma(toks[n].text) == "дело" and n + 1 < len(toks):
                    k = n + 1  # the court's jurisdiction is part of its name, its place follows
            after = next((m for m in mentions if m.start == toks[k].start and m.actor), None)
            actor = self.kb.get(after.actor) if after is not None else None
            if actor is not None and (actor.type in ("country", "government")
                                      or (courts and actor.type == "place")):
                body = body_of(actor.country or actor.id)
                if body is not None and courts:  # with its adjectives ("Ленинский районный")
                    k = i
                    while k > 0 and toks[k - 1].pos in ("ADJ", "PROPN") and toks[k - 1].head == i:
                        k -= 1
                    start = toks[k].start
                return (body, start, after.end) if body is not None else None
        if i > 0:  # "узбекский МИД", "российского Минобороны"
            from steppe.enrich.russian.lexicon import DEMONYMS

            iso = DEMONYMS.get(lemma(toks[i - 1].text, "ADJ"))
            if iso:
                body = body_of(iso)
                return (body, toks[i - 1].start, end) if body is not None else None
        if not bare:
            return None
        # "спикер Сената Маулен Ашимбаев", "глава МИД Сергей Лавров": the person it introduces
        limit = toks[min(j + 1, len(toks) - 1)].end
        for m in mentions:
            if m.actor and end < m.start <= limit:
                actor = self.kb.get(m.actor)
                if actor is not None and actor.type == "person":
                    body = body_of(actor.country)
                    if body is not None:
                        return body, start, end
                break
        # the one country of the sentence with such a body, else the item's clear majority
        here = self._countries([m for m in mentions if sent.start <= m.start < sent.end])
        fits = [c for c in here if body_of(c) is not None]
        if len(fits) == 1:
            return body_of(fits[0]), start, end  # type: ignore[return-value]
        if fits:
            return None
        ranked = sorted(((n, c) for c, n in doc.items() if body_of(c) is not None), reverse=True)
        if ranked and (len(ranked) == 1 or ranked[0][0] >= 2 * ranked[1][0]):
            return body_of(ranked[0][1]), start, end  # type: ignore[return-value]
        return None

    def _countries(self, mentions: list[Mention]) -> dict[str, int]:
        """Countries the linked mentions belong to, with their counts (IGOs have none)."""
        counts: dict[str, int] = {}
        for m in mentions:
            actor = self.kb.get(m.actor) if m.actor else None
            country = actor.country if actor is not None else None
            if actor is not None and actor.type == "country":
                country = actor.id
            if country and self.kb.get(country) is not None:
                counts[country] = counts.get(country, 0) + 1
        return counts

    def _scan(self, sent: Sentence) -> list[tuple[int, int, list[tuple[Actor, float, str]]]]:
        """Longest known aliases left to right (strong kinds; weak ones only inside NER spans)."""
        toks, out, i = sent.tokens, [], 0
        in_ner = {k for s in sent.spans for k in range(s.start, s.end)}
        while i < len(toks):
            hit = None
            if toks[i].is_word and (toks[i].text[:1].isupper() or i in in_ner):
                hit = self._kind_named(sent, i)
            if hit is None and toks[i].is_word and (toks[i].text[:1].isupper() or i in in_ner):
                for j in range(min(len(toks), i + MAX_WORDS), i, -1):
                    if not all(t.is_word for t in toks[i:j]):
                        continue
                    cands = [c for c in self.lookup([t.text for t in toks[i:j]])
                             if c[2] in STRONG_KINDS or (c[2] == "weak" and i in in_ner)]
                    if cands and j - i == 1 and all(c[2] == "surname" or (c[2] == "weak" and c[0].type == "person")
                                                    for c in cands):  # "Ivanov" is a weak surname
                        cands = self._first_name_fits(sent, i, cands)
                    if cands and _particle_surname(sent, i):
                        # "Дэвид О'Салливан": the name after O'/Д' is part of another surname
                        # than the bare one ("Салливан" is Jake Sullivan's)
                        cands = [c for c in cands if c[0].type != "person"]
                    if cands and j - i == 1 and _inside_person(sent, i):
                        # "Замир Кабулов": a word of a person's name is not the place its
                        # stem reads as ("Кабулов" as the genitive plural of "Кабул")
                        cands = [c for c in cands if c[0].type not in ("place", "country")]
                    if cands:
                        hit = (self._name_start(sent, i, cands) if j - i == 1 else i, j, cands)
                        break
            if hit:
                out.append(hit)
                i = hit[1]
            else:
                i += 1
        return out

    def _kind_named(self, sent: Sentence, i: int) -> tuple[int, int, list[tuple[Actor, float, str]]] | None:
        """The name at token ``i`` read with the kind word before it (see PLACE_KINDS), the
        longest such alias first; the mention's span is the name's."""
        toks = sent.tokens
        k = i - 1
        if k >= 0 and toks[k].text in QUOTES:
            k -= 1  # "на полигоне «Эдельвейс»"
        if k < 0 or not toks[k].is_word or lemma(toks[k].text, "NOUN") not in PLACE_KINDS:
            return None
        for j in range(min(len(toks), i + MAX_WORDS - 1), i, -1):
            if not all(t.is_word for t in toks[i:j]):
                continue
            cands = [c for c in self.lookup([toks[k].text] + [t.text for t in toks[i:j]])
                     if c[2] in STRONG_KINDS]
            if cands:
                return i, j, cands
        return None

    @staticmethod
    def _name_start(sent: Sentence, i: int, cands: list[tuple[Actor, float, str]]) -> int:
        """A person's surname found alone, the start of the whole name Slovnet spans before it
        ("Шавкат Миромонович Мирзиёев"): the first name checked by _first_name_fits, the
        patronymic the knowledge base does not list."""
        if not all(c[0].type == "person" for c in cands):
            return i
        span = next((s for s in sent.spans if s.label == "PER" and s.start < i < s.end), None)
        if span is None or not all(t.is_word and t.text[:1].isupper() for t in sent.tokens[span.start:i]):
            return i
        start = span.start
        before = next((s for s in sent.spans if s.label == "PER" and s.end == start), None)
        if before is not None and _patronymic(sent.tokens[start].text) and before.end - before.start == 1:
            start = before.start  # Slovnet split "Шавкатом | Миромоновичем Мирзиёевым"
        return start

    def _first_name_fits(self, sent: Sentence, i: int,
                         cands: list[tuple[Actor, float, str]]) -> list[tuple[Actor, float, str]]:
        """A surname after a first name in the same person span ("Бекболот Алиев") is only
        the known bearer's when the first name (or its initial) is theirs: another first name
        is another person, whom the knowledge base does not know."""
        if i == 0:
            return cands
        prev = sent.tokens[i - 1]
        if _patronymic(prev.text) and i >= 2:
            prev = sent.tokens[i - 2]  # "Шавкат Миромонович Мирзиёев": the first name is before
        same_span = any(s.label == "PER" and s.start <= i - 1 and i < s.end for s in sent.spans)
        if not (same_span and prev.is_word and prev.text[:1].isupper()):
            return cands
        def loose(w: str) -> str:  # "Yerlan" folds to "ierlan", "Ерлан" to "erlan"
            w = fold(w).replace(" ", "")
            return (w[1:] if w[:1] in "iy" and len(w) > 3 else w)[:4]

        given = {loose(c) for c in (*lemma_candidates(prev.text), prev.text)} - {""}
        kept = []
        for c in cands:
            names = [c[0].name, *c[0].aliases]
            words = {loose(w) for n in names for w in n.replace("-", " ").split()[:-1]}
            words |= {loose(w) for n in names for w in n.split()[:-1]}
            initial = len(prev.text.rstrip(".")) == 1 and any(
                w[:1] == fold(prev.text)[:1] for w in words if w)
            if given & words or initial:
                kept.append(c)
        return kept

    def _mention(self, text: str, sent: Sentence, i: int, j: int, label: str,
                 chosen: tuple[Actor, float] | None) -> Mention:
        start, end = sent.tokens[i].start, sent.tokens[j - 1].end
        m = Mention(start=start, end=end, text=text[start:end], label=label or "ORG")
        if chosen is None:
            return m
        actor, score = chosen
        m.actor, m.score = actor.id, round(score, 3)
        m.label = TYPE_LABEL.get(actor.type, m.label)
        m.country = actor.country or (actor.id if actor.type == "country" else None)
        if actor.type == "government":
            m.role = "government"
        elif actor.type == "place" and actor.metonym and _acts(sent, i, j):
            gov = self.kb.get(actor.metonym)  # "Москва заявила": the capital stands for the government
            if gov is not None:
                m.actor, m.role = gov.id, "government"
        return m

    def _role_phrases(self, text: str, sentences: list[Sentence], mentions: list[Mention],
                      date: str | None) -> list[Mention]:
        """"президент Казахстана" with no name after it: the office holder on ``date`` (or on
        the sentence's own date with a year, for an undated item)."""
        out: list[Mention] = []
        by_start = {m.start: m for m in mentions}
        for sent in sentences:
            when = date or _dated(text[sent.start:sent.end])
            if when is None:
                continue
            lemmas = [lemma(t.text) for t in sent.tokens]
            for i in range(len(sent.tokens)):
                for words, role in ROLE_WORDS.items():
                    j = i + len(words)
                    if tuple(lemmas[i:j]) != words or j >= len(sent.tokens):
                        continue
                    country = by_start.get(sent.tokens[j].start)
                    if country is None or not country.actor or country.actor.split(".")[0] != country.country:
                        continue
                    nxt = next((m for m in mentions if m.start >= country.end), None)
                    if nxt is not None and nxt.label == "PERSON" and nxt.start - country.end <= 2:
                        continue  # "президент Казахстана Касым-Жомарт Токаев": the name links itself
                    holders = self.kb.holders(role, country.country or "", when)
                    if len(holders) == 1:
                        start, end = sent.tokens[i].start, country.end
                        out.append(Mention(start=start, end=end, text=text[start:end], label="PERSON",
                                           actor=holders[0].id, score=0.8, country=country.country,
                                           role=role))
        return out


_PATRONYMIC_ENDINGS = ("ович", "евич", "ич", "овна", "евна", "ична", "инична")


def _patronymic(word: str) -> bool:
    """A Russian patronymic in any case ("Кемелевич", "Владимировичем", "Викторовны")."""
    low = word.lower()
    return word[:1].isupper() and len(low) > 5 and any(
        low.endswith(e) or low[:-1].endswith(e) or low[:-2].endswith(e) for e in _PATRONYMIC_ENDINGS)


def _particle_surname(sent: Sentence, i: int) -> bool:
    """Is token ``i`` the stem of a surname with an apostrophe particle ("О'Салливан",
    "Д'Артаньян"), which the tokeniser splits into "О", "'", "Салливан"?"""
    return (i >= 2 and sent.tokens[i - 1].text in APOSTROPHES
            and len(sent.tokens[i - 2].text) <= 2 and sent.tokens[i - 2].text[:1].isupper())


def _inside_person(sent: Sentence, i: int) -> bool:
    """Is token ``i`` a later word of a person span (Slovnet's PER)? Its first word may be a
    body Slovnet ran into the name ("Мажилиса Ерлан Кошанов")."""
    return any(s.label == "PER" and s.start < i < s.end for s in sent.spans)


def _dated(sentence: str) -> str | None:
    """The first date with a year written in ``sentence`` (ISO prefix), else None."""
    from steppe.extract.dates import find_dates

    for _, _, dv in find_dates(sentence):
        if dv.value:
            return str(dv.value)
    return None


_SURNAME_SUFFIXES = ("ов", "ев", "ёв", "ин", "ын")


def _alias_readings(word: str) -> list[str]:
    """An alias word's lemma candidates without the stem pymorphy3 reads into a surname as a
    genitive plural ("Бекболотов" -> "бекболот"): that stem is a first name in Central Asia
    ("Бекболот", "Нурдаулет"), and indexing it would link the first name to the surname's
    bearer."""
    low = word.lower()
    if not word[:1].isupper():
        return list(lemma_candidates(word)[:3] or (word,))
    return [c for c in lemma_candidates(word)[:3] or (word,)
            if not (low != c and low.startswith(c) and low[len(c):] in _SURNAME_SUFFIXES)] or [low]


_CASE_ENDINGS = ("ем", "ом", "у", "ю", "а", "е")


def _noun_stem(word: str) -> tuple[str, ...]:
    """A foreign name ending in a consonant declines like a noun ("Шольцем", "Гутерришу"),
    which pymorphy3 does not know: the word without its case ending, tried last."""
    low = word.lower()
    if not (word[:1].isupper() and has_cyrillic(word)) or len(low) < 5:
        return ()
    for ending in _CASE_ENDINGS:
        if low.endswith(ending) and low[-len(ending) - 1] not in "аеёиоуыэюяьй":
            return (low[: -len(ending)],)
    return ()


# the locative only: a genitive "-ова" is far more often a surname's ("Иванова") than a place's
_TOPONYM_CASES = (("ове", "ово"), ("еве", "ево"), ("ёве", "ёво"), ("ине", "ино"), ("ыне", "ыно"))


def _toponym_nominative(word: str) -> tuple[str, ...]:
    """A place name in -ово/-ево/-ино declines like a neuter noun ("в Ново-Огарёве", "в
    Бородине"), which pymorphy3 reads as a surname or does not know: its nominative, tried
    last. Only for capitalised Cyrillic words; a hyphenated name changes its last part."""
    if not (word[:1].isupper() and has_cyrillic(word)) or len(word) < 5:
        return ()
    low = word.lower()
    for case, nominative in _TOPONYM_CASES:
        if low.endswith(case):
            return (low[: -len(case)] + nominative,)
    return ()


def _keys(words: list[str], alias: bool = False) -> list[str]:
    """Folded lookup keys of a word sequence: preferred lemmas, other combinations, as written
    (``alias``: the words of a knowledge-base alias being indexed, see _alias_readings)."""
    if alias:
        options = [_alias_readings(w) for w in words]
        keys = [fold(" ".join(o[0] for o in options))]
        keys += [fold(" ".join(c)) for c in itertools.islice(itertools.product(*options), MAX_KEYS)]
        keys.append(fold(" ".join(words)))
        return [k for k in dict.fromkeys(keys) if k]
    options = [(*(lemma_candidates(w)[:3] or (w,)), *_noun_stem(w), *_toponym_nominative(w)) for w in words]
    keys = [fold(" ".join(lemma(w) for w in words))]
    keys += [fold(" ".join(c)) for c in itertools.islice(itertools.product(*options), MAX_KEYS)]
    keys.append(fold(" ".join(words)))
    return [k for k in dict.fromkeys(keys) if k]


def _case_ok(entry: AliasEntry, text: str) -> bool:
    """An acronym alias (ОДКБ, МИД, CIS) matches only upper-case text (so "мир" is not "МИР")."""
    if is_acronym(entry.text) and len(entry.text) <= 5:
        return text.upper() == text
    return True


def _by_rank(cands: list[tuple[Actor, float, str]], date: str) -> list[tuple[Actor, float, str]]:
    def rank(c: tuple[Actor, float, str]) -> int:
        held = [r.get("role") for r in c[0].roles_at(date)]
        return min((ROLE_RANK.index(r) for r in held if r in ROLE_RANK), default=len(ROLE_RANK))

    best = min(rank(c) for c in cands)
    return [c for c in cands if rank(c) == best] if best < len(ROLE_RANK) else cands


# Nouns of a stance or a move whose genitive is its author ("позиция Москвы", "ответ Пекина"),
# besides the event nouns of the lexicon ("обвинения Вашингтона", "предложение Астаны").
STANCE_NOUNS = frozenset({"заявление", "позиция", "решение", "ответ", "инициатива", "политика",
                          "действие", "давление", "реакция", "намерение", "отказ", "шаг"})
# Prepositions that make a capital a location ("в Москве", "из Астаны", "до Ташкента").
LOCATIVE = frozenset({"в", "во", "на", "из", "до", "под", "около", "у", "через", "по", "вокруг",
                      "близ", "возле"})


def _first_conjunct(sent: Sentence, t: Token) -> Token:
    for _ in range(5):
        if t.rel != "conj" or t.head < 0:
            break
        t = sent.tokens[t.head]
    return t


def _acts(sent: Sentence, i: int, j: int) -> bool:
    """Is the capital at tokens [i, j) an actor of its clause rather than a location?

    A subject ("Москва заявила"), an object ("обвинила Вашингтон") or a non-locative oblique
    ("переговоры с Москвой", "против Киева") stands for the government; "в Москве" does not.
    """
    from steppe.enrich.russian.lexicon import NOUNS, VERBS

    heads: list[Token] = [t for t in sent.tokens[i:j] if not (i <= t.head < j)]
    # a later conjunct plays the first one's part ("Москва и Астана договорились")
    heads = [_first_conjunct(sent, t) for t in heads]
    for t in heads:
        governor = sent.tokens[t.head] if t.head >= 0 else None
        gov_lemma = lemma(governor.text, governor.pos) if governor is not None else ""
        if t.rel == "obj" and VERBS.get(gov_lemma, ("", None))[1] == "visit":
            return False  # "посетит Душанбе": the place visited (the coder still makes it the host)
        if t.rel in ("nsubj", "nsubj:pass", "obj", "iobj"):
            return True
        if (t.rel == "nmod" and t.feats.get("Case") == "Gen" and not sent.children(t.i)
                and (gov_lemma in NOUNS or gov_lemma in STANCE_NOUNS)):
            return True  # "обвинения Вашингтона", "предложение Москвы": the act's author
        if t.rel in ("obl", "nmod", "obl:agent"):
            preps = {c.text.lower() for c in sent.children(t.i) if c.rel == "case"}
            if preps and not preps & LOCATIVE:
                return True
            if not preps and t.feats.get("Case") == "Ins" and t.rel == "obl":
                return True  # the agent of a passive or a nominal ("обхода Москвой")
            if not preps and t.rel == "nmod" and t.feats.get("Case") == "Ins":
                return True
    return False


__all__ = ["RussianLinker"]
