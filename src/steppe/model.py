"""The small typed data model every pipeline stage speaks.

Stages exchange only these classes: ``collect`` yields :class:`RawDocument`
(or :class:`Failure`), ``extract`` turns a raw document into a :class:`Page`
and its :class:`Item` list, ``store`` persists pages, items and
:class:`Provenance`. No stage reaches into another's internals.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PageKind = Literal["article", "listing", "search", "mixed", "unknown"]
ItemKind = Literal["article", "teaser", "entry", "episode", "result", "section"]
Precision = Literal["day", "month", "year"]

PAGE_KINDS: tuple[str, ...] = ("article", "listing", "search", "mixed", "unknown")
PRECISIONS: tuple[str, ...] = ("day", "month", "year")


@dataclass(frozen=True)
class RawDocument:
    """One input exactly as read or fetched, before any interpretation."""

    source: str  # the path or URL as the user gave it (or as found in a feed/list)
    data: bytes
    content_type: str | None = None  # declared by HTTP or guessed from the file name
    fetched_at: str | None = None  # ISO 8601 UTC
    url: str | None = None  # final URL after redirects, for fetched documents

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Failure:
    """An input that could not be used, with a one-line reason."""

    source: str
    stage: str  # collect | decode | extract | store
    reason: str


@dataclass
class Span:
    """A [start, end) character range into ``Page.text``."""

    start: int
    end: int


@dataclass
class Item:
    """A unit an analyst would cite: an article, or one teaser/entry of a listing."""

    kind: str
    text: str
    title: str | None = None
    published: str | None = None  # ISO prefix: YYYY-MM-DD, YYYY-MM or YYYY
    published_precision: str | None = None  # day | month | year | None
    date_raw: str | None = None  # the date string as the page gave it
    publisher: str | None = None
    url: str | None = None
    # Where the text sits in its page: one span normally; several when
    # boilerplate lines had to be cut out of the middle of an article.
    # "\n".join(page.text[s.start:s.end] for s in spans) == text
    spans: list[Span] = field(default_factory=list)
    id: str = ""
    language: str | None = None  # ISO 639-1 (steppe.language.detect_language); None: unknown

    def __post_init__(self) -> None:
        if not self.id:
            self.id = item_id(self.text, self.title)

    @property
    def start(self) -> int | None:
        return self.spans[0].start if self.spans else None

    @property
    def end(self) -> int | None:
        return self.spans[-1].end if self.spans else None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["start"], d["end"] = self.start, self.end
        return d


@dataclass
class Page:
    """One input as Steppe read it: decoded text plus what the page says of itself."""

    source: str
    sha256: str
    text: str  # decoded, NFC, newlines kept; every Span indexes into this
    content_type: str | None = None
    fetched_at: str | None = None
    kind: str = "unknown"
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None
    published_precision: str | None = None
    items: list[Item] = field(default_factory=list)
    language: str | None = None  # ISO 639-1 of the page's main text; None: unknown


@dataclass(frozen=True)
class Provenance:
    """Item ``item_id`` was seen on page ``page_sha256`` at characters [start, end)."""

    item_id: str
    page_source: str
    page_sha256: str
    start: int
    end: int


_NON_WORD = re.compile(r"[^\w\s]")


def normalise_text(text: str) -> str:
    """Normal form used for identity: NFKC, case-folded, punctuation dropped, spaces collapsed.

    Typographic variants (curly quotes, dashes, non-breaking spaces) of the
    same teaser must give the same item id.
    """
    return " ".join(normal_words(text))


def normal_words(text: str) -> list[str]:
    """The words of :func:`normalise_text`'s form (``str.split`` and ``\\s`` agree on what is
    whitespace, so joining them with single spaces is that form)."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split()


def item_id(text: str, title: str | None = None) -> str:
    """Stable id from normalised text (title used only when there is no text)."""
    basis = normalise_text(text) or normalise_text(title or "")
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


@dataclass
class Mention:
    """A named-entity mention in an item's text, linked to an actor when Steppe is sure enough."""

    start: int  # character offsets into Item.text
    end: int
    text: str
    label: str  # PERSON | ORG | GPE | LOC | NORP | FAC | EVENT | ... (spaCy labels)
    actor: str | None = None  # canonical actor id from the knowledge base, None if unlinked
    score: float = 0.0  # linking confidence 0..1
    country: str | None = None  # ISO 3166 alpha-3 of the actor, when it has one
    role: str | None = None  # e.g. "government" when a capital acts as a subject
    item_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The mention as an item's reader shows it (its stored columns, without the item id)."""
        return {"start": self.start, "end": self.end, "text": self.text, "label": self.label,
                "actor": self.actor, "score": self.score, "country": self.country, "role": self.role}


@dataclass
class EventActor:
    """One side of an event: one or more actor ids plus the text they came from."""

    actors: list[str]
    text: str
    start: int | None = None  # offsets into Item.text
    end: int | None = None
    countries: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> EventActor | None:
        return None if d is None else cls(**d)


@dataclass
class Event:
    """A PLOVER-coded event taken from exactly one sentence, which it cites."""

    type: str  # PLOVER event type, e.g. CONSULT
    quad: str  # verbal_cooperation | material_cooperation | verbal_conflict | material_conflict
    intensity: float  # -10 .. +10
    source: EventActor | None
    target: EventActor | None
    evidence_start: int  # sentence offsets into Item.text
    evidence_end: int
    evidence: str = ""
    mode: str | None = None
    date: str | None = None
    date_precision: str | None = None
    date_raw: str | None = None
    place: str | None = None
    confidence: float = 0.0
    negated: bool = False
    hypothetical: bool = False
    reported: str | None = None
    item_id: str = ""
    id: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The event as stored (its JSON record) and as the API shows it."""
        return asdict(self)

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Event:
        """An event from its stored record (``to_dict``'s JSON)."""
        return cls(**{**record, "source": EventActor.from_dict(record.get("source")),
                      "target": EventActor.from_dict(record.get("target"))})


# ---------------------------------------------------------------- typed rows the store returns


@dataclass(frozen=True)
class ProvenanceRow:
    """One place a stored item was seen: page ``page`` (its source) at characters [start, end)."""

    page: str
    page_id: int
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "page_id": self.page_id, "start": self.start, "end": self.end}


@dataclass
class StoredItem:
    """An item as the store holds it (``Store.get_item``, ``Store.iter_items``), with where it was seen."""

    id: str
    kind: str
    title: str | None
    text: str
    published: str | None = None
    published_precision: str | None = None
    date_raw: str | None = None
    publisher: str | None = None
    url: str | None = None
    language: str | None = None
    provenance: list[ProvenanceRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The item as JSON (``steppe show --json``, the API): its columns, then its provenance."""
        d = {name: getattr(self, name) for name in STORED_ITEM_COLUMNS}
        d["provenance"] = [p.to_dict() for p in self.provenance]
        return d


STORED_ITEM_COLUMNS: tuple[str, ...] = ("id", "kind", "title", "text", "published", "published_precision",
                                        "date_raw", "publisher", "url", "language")


@dataclass(frozen=True)
class VectorRow:
    """One item's sentence embedding as stored (float32, L2-normalised by the embedder)."""

    item_id: str
    model: str
    vector: Any  # numpy.ndarray of float32, shape (dim,)


@dataclass(frozen=True)
class ItemToEnrich:
    """An item the enrichment stage has still to do (``Store.items_needing_enrichment``)."""

    id: str
    text: str
    title: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class ItemToEmbed:
    """An item with no vector from a given model yet (``Store.items_without_vectors``)."""

    id: str
    title: str | None
    text: str


@dataclass
class Watchlist:
    """A saved watch: up to three criteria (actor, PLOVER type, keyword query), all of which hold."""

    name: str
    actor: str | None = None
    type: str | None = None
    query: str | None = None
    created_at: str = ""
    last_checked: str | None = None


@dataclass(frozen=True)
class WatchSeen:
    """One match a watchlist has found: when first, and whether a check has reported it."""

    kind: str  # item | event
    ref: str
    first_seen: str
    checked: bool


# ---------------------------------------------------------------- what the pipeline's workers exchange

PendingItem = tuple[str, str, str | None]  # an item to enrich: (id, text, published)
Enrichment = tuple[str, list[Mention], list[Event]]  # what enriching it gives: (id, mentions, events)
Signatures = dict[str, Any]  # MinHash signature (numpy uint64 array, or None) by item id
