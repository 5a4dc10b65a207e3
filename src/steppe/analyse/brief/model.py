"""What a brief is made of: numbered sources, verbatim extracts, key events, theme sections."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

MAX_EVENTS = 12
PER_THEME = 3
MAX_DISAGREEMENTS = 3
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


@dataclass
class Source:
    """A numbered reference: the item an extract comes from."""

    n: int
    item_id: str
    publisher: str | None
    title: str | None
    date: str | None
    url: str | None
    kind: str | None = None
    page: str | None = None  # where Steppe read it (path or URL)
    page_id: int | None = None
    display_title: str = "(untitled)"  # the title, else the start of the text (as search shows)


@dataclass
class Extract:
    """A sentence exactly as an item has it: item text[start:end] == text."""

    text: str
    cite: int  # Source.n
    item_id: str
    start: int
    end: int
    score: float = 0.0
    theme: str | None = None
    stance: int = 0  # +1 ties tightening, -1 loosening, 0 neither
    cues: list[str] = field(default_factory=list)
    page_id: int | None = None  # the same span on the page, when provenance allows
    page_start: int | None = None
    page_end: int | None = None


@dataclass
class KeyEvent:
    id: str
    type: str
    quad: str | None
    intensity: float
    date: str | None
    dated_by: str | None  # event | item | None (undated)
    source_actors: list[str]
    target_actors: list[str]
    sources: int  # independent sources (publishers) reporting it
    salience: float
    evidence: list[Extract]  # one per reporting item
    date_raw: str | None = None  # the date as printed ("9 Nov") when no year could be given
    relevance: int = 0  # how many of the actors asked about the event involves


@dataclass
class ThemeSection:
    theme: str
    label: str
    extracts: list[Extract]


@dataclass
class Brief:
    about: str | None
    actors: list[str]
    actor_names: list[str]
    since: str | None
    until: str | None
    generated_at: str
    events: list[KeyEvent] = field(default_factory=list)
    other_events: list[KeyEvent] = field(default_factory=list)  # involving one actor asked only
    relation: dict[str, Any] | None = None
    themes: list[ThemeSection] = field(default_factory=list)
    disagreements: list[tuple[Extract, Extract]] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    publishers: dict[str, int] = field(default_factory=dict)  # cited items by publisher
    considered: int = 0  # items read to make the brief
    notes: list[str] = field(default_factory=list)
    summary: list[dict[str, Any]] = field(default_factory=list)  # polished sentences + cites
    summary_model: str | None = None

    @property
    def title(self) -> str:
        subject = " – ".join(self.actor_names) if self.actor_names else (self.about or "the evidence base")
        span = " to ".join(filter(None, [self.since, self.until]))
        return f"Brief: {subject}" + (f" ({span})" if span else "")

    def extracts(self) -> list[Extract]:
        """Every cited sentence in the brief, in reading order."""
        out = [x for e in (*self.events, *self.other_events) for x in e.evidence]
        out += [x for t in self.themes for x in t.extracts]
        out += [x for pair in self.disagreements for x in pair]
        return out

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["title"] = self.title
        d["disagreements"] = [{"loosening": asdict(a), "tightening": asdict(b)}
                              for a, b in self.disagreements]
        return d
