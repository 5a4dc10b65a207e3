"""Natasha's news models, loaded lazily: razdel sentences and tokens, Slovnet NER and syntax.

Natasha ships its Navec embeddings and Slovnet news models inside the PyPI packages
(``natasha``, ``slovnet``, ``navec``): nothing is downloaded. Loading takes ~2 s and
~250 MB, so it happens once per process, on the first Russian item (:func:`models`).
Natasha's own MorphVocab is not used: lemmas come from :mod:`steppe.language.russian`
(pymorphy3), the one analyser every stage shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

_WORDISH = re.compile(r"[^\W_]", re.UNICODE)


@dataclass
class Token:
    """One token of a parsed sentence; offsets index the item text."""

    i: int  # index in its sentence
    text: str
    start: int
    end: int
    pos: str
    feats: dict[str, str]
    head: int  # index of the head in the sentence, -1 for the root
    rel: str

    @property
    def is_word(self) -> bool:
        return bool(_WORDISH.search(self.text))


@dataclass
class NerSpan:
    start: int  # token indices [start, end) in the sentence
    end: int
    label: str  # PER | LOC | ORG


@dataclass
class Sentence:
    start: int  # character offsets into the item text
    end: int
    tokens: list[Token]
    spans: list[NerSpan] = field(default_factory=list)

    def children(self, i: int) -> list[Token]:
        return [t for t in self.tokens if t.head == i]

    def subtree(self, i: int) -> list[int]:
        """Token indices under ``i`` (itself included), in sentence order."""
        out, todo = {i}, [i]
        while todo:
            j = todo.pop()
            for t in self.tokens:
                if t.head == j and t.i not in out:
                    out.add(t.i)
                    todo.append(t.i)
        return sorted(out)


@dataclass
class _Models:
    segmenter: Any
    morph: Any
    syntax: Any
    ner: Any


@lru_cache(maxsize=1)
def models() -> _Models:
    """Segmenter, morphology tagger, syntax parser and NER tagger (once per process)."""
    from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    emb = NewsEmbedding()
    return _Models(Segmenter(), NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb))


def parse(text: str) -> list[Sentence]:
    """Sentences of ``text`` with tokens, morphology, dependencies and NER spans."""
    from natasha import Doc

    m = models()
    doc = Doc(text)
    doc.segment(m.segmenter)
    doc.tag_morph(m.morph)
    doc.parse_syntax(m.syntax)
    doc.tag_ner(m.ner)
    sentences: list[Sentence] = []
    for sent in doc.sents:
        ids = {tok.id: k for k, tok in enumerate(sent.tokens)}
        tokens = [
            Token(k, tok.text, tok.start, tok.stop, tok.pos or "", dict(tok.feats or {}),
                  ids.get(tok.head_id, -1), tok.rel or "")
            for k, tok in enumerate(sent.tokens)
        ]
        sentences.append(Sentence(sent.start, sent.stop, tokens))
    for span in doc.spans:
        for s in sentences:
            if s.start <= span.start and span.stop <= s.end:
                first = next((t.i for t in s.tokens if t.end > span.start), None)
                last = max((t.i for t in s.tokens if t.start < span.stop), default=None)
                if first is not None and last is not None and first <= last:
                    s.spans.append(NerSpan(first, last + 1, span.type))
                break
    return sentences


__all__ = ["NerSpan", "Sentence", "Token", "models", "parse"]
