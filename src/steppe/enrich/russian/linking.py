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

MAX_WORDS = 6  # the longest alias the scanner tries ("Министерство иностранных дел Республики ...")
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
                for key in _keys(text.split()):
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
        return sorted(out, key=lambda m: (m.start, -m.end))

    def _scan(self, sent: Sentence) -> list[tuple[int, int, list[tuple[Actor, float, str]]]]:
        """Longest known aliases left to right (strong kinds; weak ones only inside NER spans)."""
        toks, out, i = sent.tokens, [], 0
        in_ner = {k for s in sent.spans for k in range(s.start, s.end)}
        while i < len(toks):
            hit = None
            if toks[i].is_word and (toks[i].text[:1].isupper() or i in in_ner):
                for j in range(min(len(toks), i + MAX_WORDS), i, -1):
                    if not all(t.is_word for t in toks[i:j]):
                        continue
                    cands = [c for c in self.lookup([t.text for t in toks[i:j]])
                             if c[2] in STRONG_KINDS or (c[2] == "weak" and i in in_ner)]
                    if cands:
                        hit = (i, j, cands)
                        break
            if hit:
                out.append(hit)
                i = hit[1]
            else:
                i += 1
        return out

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


def _dated(sentence: str) -> str | None:
    """The first date with a year written in ``sentence`` (ISO prefix), else None."""
    from steppe.extract.dates import find_dates

    for _, _, dv in find_dates(sentence):
        if dv.value:
            return str(dv.value)
    return None


def _keys(words: list[str]) -> list[str]:
    """Folded lookup keys of a word sequence: preferred lemmas, other combinations, as written."""
    options = [lemma_candidates(w)[:3] or (w,) for w in words]
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


# Prepositions that make a capital a location ("в Москве", "из Астаны", "до Ташкента").
LOCATIVE = frozenset({"в", "во", "на", "из", "до", "под", "около", "у", "через", "по", "вокруг",
                      "близ", "возле"})


def _acts(sent: Sentence, i: int, j: int) -> bool:
    """Is the capital at tokens [i, j) an actor of its clause rather than a location?

    A subject ("Москва заявила"), an object ("обвинила Вашингтон") or a non-locative oblique
    ("переговоры с Москвой", "против Киева") stands for the government; "в Москве" does not.
    """
    heads: list[Token] = [t for t in sent.tokens[i:j] if not (i <= t.head < j)]
    for t in heads:
        if t.rel in ("nsubj", "nsubj:pass", "obj", "iobj"):
            return True
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
