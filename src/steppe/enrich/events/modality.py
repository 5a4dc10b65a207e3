"""Negation, hypotheticals and reported speech: the flags of a coded event (the rules are in
:mod:`steppe.enrich.events.rules`' docstring)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from steppe.enrich import plover
from steppe.enrich.events.grammar import (
    FUTURE,
    HEDGE_WORDS,
    MODAL_HYP,
    Side,
)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token


class ModalityReading:
    """The flag methods of the segment coder (``rules._SegmentCoder``)."""

    # -- flags -------------------------------------------------------------------------
    def _ancestors(self, v: Token) -> Iterable[Token]:
        tok = v
        while tok.head.i != tok.i:
            tok = tok.head
            yield tok

    def _negated(self, v: Token) -> bool:
        for c in v.children:
            if c.dep_ == "neg" or c.lower_ in {"never", "no longer"}:
                return True
            if c.dep_ in {"aux", "auxpass"} and any(x.dep_ == "neg" for x in c.children):
                return True
        return False

    @staticmethod
    def _declared(v: Token, pred: Token, reported: str | None) -> bool:
        """Whether a negated predicate is in the present or future ("will not", "does not",
        "cannot"; "would not" only as a speaker's backshifted will), not the past."""
        for tok in {v, pred}:
            aux = [c.lower_ for c in tok.children if c.dep_ in {"aux", "auxpass"}]
            if any(a in FUTURE or a in {"does", "do", "can", "ca", "cannot"} for a in aux):
                return True
            if reported and "would" in aux:
                return True
            if not aux and tok.tag_ in {"VBZ", "VBP"}:
                return True
        return False

    def _modality(self, v: Token, pred: Token, etype: str, kind: str, reported: bool,
                  src: Side) -> tuple[bool, str]:
        chain = [pred] if pred.i == v.i else [pred, v]
        chain += [a for a in self._ancestors(v) if a.pos_ in {"VERB", "AUX", "ADJ"}]
        future = modal = hedge = False
        for tok in chain:
            if tok.lemma_.lower() in plover.SPEECH:
                break  # the speaker's own modality does not bind the reported clause
            for c in tok.children:
                low = c.lower_
                if c.dep_ in {"aux", "auxpass"}:
                    if low in FUTURE or c.lemma_ == "will":
                        future = True
                    elif low in MODAL_HYP:
                        modal = True
                if low in HEDGE_WORDS and c.dep_ in {"advmod", "acomp", "amod"}:
                    hedge = True
            if tok.lower_ in HEDGE_WORDS:
                hedge = True
        if kind in {"intent", "hedge"} or future or modal:
            if etype in {"CONSULT", "SUPPORT", "COOPERATE", "AID"}:
                etype = "AGREE"
            elif etype in plover.MATERIAL_CONFLICT:
                etype = "THREATEN"
        hypothetical = self.conditional or hedge or kind == "hedge"
        if kind == "intent" or future or modal:
            # a speaker's commitment is a real verbal act; narrator forecasts are not
            backshift_only = not modal or all(
                c.lower_ in {"would", "will", "'ll", "shall"}
                for t in chain for c in t.children if c.dep_ == "aux" and c.lower_ in MODAL_HYP)
            if not (reported and backshift_only):
                hypothetical = True
        return hypothetical, etype

    def _reported(self, v: Token) -> str | None:
        for a in self._ancestors(v):
            if a.lemma_.lower() in plover.SPEECH:
                subj = next((c for c in a.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subj is not None:
                    side = self._side(subj, force=True)
                    if side is not None and side.text:
                        return side.actors[0] if side.actors else side.text
        root = v
        while root.head.i != root.i:
            root = root.head
        for c in list(root.children) + list(v.children):
            if c.lemma_.lower() in plover.SPEECH and c.i != v.i and c.dep_ in {
                    "parataxis", "ccomp", "advcl", "conj"} and c.i > v.i:
                subj = next((x for x in c.children if x.dep_ == "nsubj"), None)
                if subj is not None:
                    side = self._side(subj, force=True)
                    if side is not None and side.text:
                        return side.actors[0] if side.actors else side.text
        for t in self.doc:  # "according to X"
            if t.lower_ == "according" and t.i + 1 < len(self.doc) and self.doc[t.i + 1].lower_ == "to":
                pobj = next((x for x in self.doc[t.i + 1].children if x.dep_ == "pobj"), None)
                if pobj is not None:
                    side = self._side(pobj, force=True)
                    if side is not None and side.text:
                        return side.actors[0] if side.actors else side.text
        return None
