"""Russian morphology shared by linking and search: lemmas, inflected forms, scripts.

pymorphy3 with its OpenCorpora dictionary package (``pymorphy3-dicts-ru``) analyses a
word offline. Russian inflects names ("Токаевым", "Путину", "Астане"), so:

* linking compares *lemma candidates* of a mention with the knowledge base: every normal
  form pymorphy3 proposes plus the word as written, because its first guess is wrong often
  enough for names it does not know ("Токаев" -> "токай", "Жапаровым" -> "жапаровой");
* keyword search expands a Russian query word to *all inflected forms* of its lexemes
  (FTS5 and the term index tokenise without stemming; so does PostgreSQL's 'simple').

The analyser loads in about half a second and ~15 MB; it is built once, on first use.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]")
MAX_FORMS = 60  # inflected forms of one query word (a verb has ~150 with its participles)
MIN_PARSE_SCORE = 0.05  # parses less likely than this are pymorphy3's long-tail guesses


@lru_cache(maxsize=1)
def morph() -> Any:
    """The shared pymorphy3 analyser (Russian dictionary from the installed package)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC_WORD.search(text or ""))


@lru_cache(maxsize=65536)
def lemma_candidates(word: str) -> tuple[str, ...]:
    """Lower-case normal forms of ``word``, most likely first, the word itself included.

    Hyphenated names ("Касым-Жомартом") are analysed part by part and rejoined.
    """
    word = word.strip()
    if not word or not has_cyrillic(word):
        return (word.lower(),) if word else ()
    if "-" in word.strip("-"):
        parts = [lemma_candidates(p) for p in word.split("-") if p]
        firsts = "-".join(p[0] for p in parts if p)
        return tuple(dict.fromkeys([firsts, word.lower()]))
    out = [p.normal_form for p in morph().parse(word)]
    out.append(word.lower())
    return tuple(dict.fromkeys(w.replace("ё", "е") for w in out))


# Universal POS (as Slovnet tags) -> the OpenCorpora parts of speech that agree with it.
_UPOS = {"VERB": {"VERB", "INFN", "PRTF", "PRTS", "GRND"}, "AUX": {"VERB", "INFN"},
         "NOUN": {"NOUN"}, "PROPN": {"NOUN"}, "ADJ": {"ADJF", "ADJS", "COMP", "PRTF", "PRTS"}}


@lru_cache(maxsize=65536)
def lemma(word: str, pos: str | None = None) -> str:
    """pymorphy3's most likely normal form of ``word``, preferring a name's (Surn/Name/Geox),
    or, given the parser's universal ``pos``, the likeliest parse of that part of speech
    ("начала" as a verb is "начать", not "начало")."""
    if not has_cyrillic(word):
        return word.lower()
    if "-" in word.strip("-"):
        return "-".join(lemma(p) for p in word.split("-") if p)
    parses = morph().parse(word)
    agreeing = [p for p in parses if p.tag.POS in _UPOS.get(pos or "", ())]
    if agreeing and pos not in ("PROPN", None):
        return agreeing[0].normal_form.replace("ё", "е")
    for p in parses:
        if {"Surn", "Name", "Geox", "Orgn", "Abbr"} & set(p.tag.grammemes):
            return p.normal_form.replace("ё", "е")
    return parses[0].normal_form.replace("ё", "е") if parses else word.lower()


@lru_cache(maxsize=8192)
def inflected_forms(word: str) -> tuple[str, ...]:
    """Every form of every likely lexeme of a Russian ``word`` (lower case, the word first)."""
    low = word.lower()
    if not has_cyrillic(word):
        return (low,)
    forms: dict[str, None] = {low: None}
    for p in morph().parse(word):
        if p.score < MIN_PARSE_SCORE and len(forms) > 1:
            continue
        for f in p.lexeme:
            forms[f.word.replace("ё", "е")] = None
            if len(forms) >= MAX_FORMS:
                return tuple(forms)
    return tuple(forms)


# Russian surnames in -ов/-ев/-ин decline like this (masculine, then feminine, then plural);
# hand-written because pymorphy3 only knows the surnames in its dictionary and parses an
# unknown "Токаев" as a form of another word ("токай").
_SURNAME = re.compile(r"(?:ов|ев|ёв|ин|ын)$")
_SURNAME_ENDINGS = ("", "а", "у", "ым", "е", "а", "ой", "у", "ы", "ых", "ым", "ыми")


def surname_forms(word: str) -> tuple[str, ...]:
    """The declension of a Russian surname in -ов/-ев/-ин ("Токаев" -> "Токаева", "Токаевым", ...)."""
    low = word.lower()
    if not _SURNAME.search(low):
        return ()
    masc = [low + e for e in ("", "а", "у", "ым", "е")]
    fem = [low + e for e in ("а", "ой", "у")]
    plural = [low + e for e in ("ы", "ых", "ым", "ыми")]
    return tuple(dict.fromkeys(masc + fem + plural))


_NAME_TAGS = frozenset({"Surn", "Name", "Patr", "Geox", "Orgn", "Abbr"})


@lru_cache(maxsize=8192)
def name_forms(word: str) -> tuple[str, ...]:
    """The forms of a proper name: its lexeme when pymorphy3 knows it as a name, else the
    surname declension (never the predictor's guesses, which turn unknown names into verbs)."""
    low = word.lower()
    forms: dict[str, None] = {low: None, low.replace("ё", "е"): None}
    known = [p for p in morph().parse(word) if _NAME_TAGS & set(p.tag.grammemes) and p.is_known]
    for p in known:
        for f in p.lexeme:
            forms[f.word] = None
    if not known:
        for variant in list(forms):
            for f in surname_forms(variant):
                forms[f] = None
    return tuple(forms)


__all__ = ["has_cyrillic", "inflected_forms", "lemma", "lemma_candidates", "morph", "name_forms",
           "surname_forms"]
