"""What a keyword-search word also matches: its Russian inflections, a known actor's other script.

Here, in the store stage, because it reads the knowledge base (``steppe.enrich.actors``) on top
of the language tools (``steppe.language.russian``), which themselves stay below enrichment.
"""

from __future__ import annotations

import re
from functools import lru_cache

from steppe.language.russian import (
    MAX_FORMS,
    has_cyrillic,
    inflected_forms,
    lemma,
    lemma_candidates,
    name_forms,
    surname_forms,
)


@lru_cache(maxsize=1)
def _name_words() -> dict[str, tuple[str, ...]]:
    """Folded key -> the knowledge base's words of actor names in either script."""
    from steppe.enrich.actors import KnowledgeBase
    from steppe.enrich.normalise import fold

    out: dict[str, dict[str, None]] = {}
    for actor in KnowledgeBase.load():
        for name in [actor.name, *actor.aliases, *actor.seats]:
            for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", name):
                key = fold(word)
                if len(key) > 2:
                    out.setdefault(key, {})[word] = None
    return {k: tuple(v) for k, v in out.items()}


def query_variants(word: str) -> tuple[str, ...]:
    """What a keyword-search word should also match, the word itself first.

    A Russian word: every inflected form ("встреча" -> "встречи", "встрече", ...). Any word
    that is a known actor's name in the knowledge base: its spelling in the other script and
    that spelling's forms ("Tokayev" -> "Токаев", "Токаева", "Токаевым"; "Токаеву" -> "Tokayev").
    """
    from steppe.enrich.normalise import fold

    out: dict[str, None] = {word: None}
    cyrillic = has_cyrillic(word)
    if cyrillic:
        for form in inflected_forms(word) + surname_forms(lemma(word)):
            out[form] = None
    keys = {fold(word)} | ({fold(c) for c in lemma_candidates(word)} if cyrillic else set())
    for key in keys:
        for other in _name_words().get(key, ()):
            if has_cyrillic(other) != cyrillic:
                out[other] = None
                if not cyrillic:
                    for form in name_forms(other):
                        out[form] = None
    low = {k.lower(): k for k in out}
    return tuple(low[k] for k in dict.fromkeys(k.lower() for k in out))[:MAX_FORMS]
