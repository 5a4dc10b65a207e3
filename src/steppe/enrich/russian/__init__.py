"""Russian-language enrichment: Natasha/Slovnet NER and syntax, pymorphy3 lemmas, PLOVER events.

:class:`RussianEnricher` gives a Russian item the same :class:`~steppe.model.Mention` and
:class:`~steppe.model.Event` records the English annotator and coder give an English one,
linked to the same actors. Its models load on first use, i.e. only when a Russian item
appears (see :func:`steppe.enrich.russian.nlp.models`).
"""

from __future__ import annotations

from typing import Any

from steppe.model import Event, Mention


class RussianEnricher:
    """Mentions and events of Russian texts; build once per knowledge base, reuse."""

    def __init__(self, kb: Any, type_model: Any | None = None) -> None:
        self.kb = kb
        self.type_model = type_model
        self._linker: Any = None
        self._coder: Any = None

    def _ensure(self) -> None:
        if self._linker is None:
            from steppe.enrich.russian.events import RussianEventCoder
            from steppe.enrich.russian.linking import RussianLinker

            self._linker = RussianLinker(self.kb)
            self._coder = RussianEventCoder(self.kb, self.type_model)

    def annotate(self, text: str, *, date: str | None = None) -> list[Mention]:
        return self.enrich(text, date=date, events=False)[0]

    def enrich(self, text: str, *, date: str | None = None, item_id: str = "",
               events: bool = True) -> tuple[list[Mention], list[Event]]:
        """``text``'s mentions (offsets into it) and, unless ``events`` is False, its events."""
        from steppe.enrich.russian.nlp import parse

        if not text or not text.strip():
            return [], []
        self._ensure()
        sentences = parse(text)
        mentions = self._linker.mentions(text, sentences, date)
        for m in mentions:
            m.item_id = item_id
        coded = self._coder.code(text, sentences, mentions, date=date, item_id=item_id) if events else []
        return mentions, coded


__all__ = ["RussianEnricher"]
