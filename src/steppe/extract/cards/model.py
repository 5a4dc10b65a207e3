"""Card and page-kind result types: what the splitter hands to the extract stage."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Card:
    """One teaser, search result, episode or feed entry as shown on a page."""

    title: str | None
    url: str | None  # absolute (resolved against the page URL / <base href>)
    text: str  # teaser text without the title and the date/author line
    date_raw: str | None  # date string as shown on the card (or <time datetime=...>)
    author: str | None
    kind: str  # 'teaser' | 'result' | 'episode' | 'entry'


@dataclass
class CardsResult:
    kind: str  # 'article' | 'listing' | 'search' | 'mixed'
    cards: list[Card] = field(default_factory=list)

