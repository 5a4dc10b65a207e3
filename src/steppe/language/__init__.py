"""Language of a text: one ISO 639-1 code per page and per item, or None when unsure.

Detection is py3langid's (a maintained fork of langid.py: a naive Bayes model over byte
n-grams shipped inside the wheel, so it runs offline in about a millisecond per text).
The model is restricted to the languages our users' sources are written in: on short
teasers a 97-language model mistakes Russian for Bulgarian or Kazakh Latin for Turkish
more often than it helps.

:mod:`steppe.language.russian` holds the Russian morphology every stage shares
(lemmas for linking, inflected forms for keyword search, transliteration).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Languages of the region's press and of the sources analysts read beside it.
LANGUAGES: tuple[str, ...] = (
    "en", "ru", "kk", "uk", "be", "ky", "uz", "tg", "az", "hy", "ka", "mn", "tr", "fa", "ar",
    "zh", "ja", "ko", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "ro", "bg", "sr", "lt",
    "lv", "et", "fi", "sv", "da", "no", "hu", "el", "he",
)
MIN_LETTERS = 12  # fewer letters than this say too little to tell languages apart
# A short, name-heavy sentence spreads its probability thinly ("Tokayev met Putin in Astana":
# en 0.23, tr 0.14): the best language counts when it clearly leads the runner-up.
MIN_PROBABILITY = 0.2
MIN_LEAD = 1.5  # the best probability over the second best
# The start of a long text is enough, and detection is linear in its length. On the 990 pages
# of ../shared/eval/extraction-trafilatura (8,035 items) 1,500 characters give the same language
# as 4,000 for all items but one (a German post opening on an English quote), 3x faster.
SAMPLE_CHARS = 1500

_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str | None) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when it is too short or unclear."""
    sample = (text or "")[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    (lang, best), (_, second) = _identifier().rank(sample)[:2]
    return str(lang) if best >= MIN_PROBABILITY and best >= MIN_LEAD * second else None


def cyrillic_share(text: str) -> float:
    """The share of letters that are Cyrillic (0..1)."""
    letters = _LETTER.findall(text or "")
    return sum(1 for c in letters if _CYRILLIC.match(c)) / len(letters) if letters else 0.0


# Languages Steppe's English parse reads: English, and texts too short or unclear to tell (None).
ENGLISH_PARSED: frozenset[str | None] = frozenset({"en", None})


def may_be_english(text: str | None) -> bool:
    """Is ``text`` English, or too short or unclear to tell (:func:`detect_language`)?"""
    return detect_language(text) in ENGLISH_PARSED


def is_russian(text: str | None, language: str | None = None) -> bool:
    """Should ``text`` go through the Russian pipeline? Its language, detected unless given."""
    return (language or detect_language(text)) == "ru"


__all__ = ["ENGLISH_PARSED", "LANGUAGES", "cyrillic_share", "detect_language", "is_russian",
           "may_be_english"]
