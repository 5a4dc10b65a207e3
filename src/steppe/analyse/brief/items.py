"""The brief's evidence: candidate items, their sentences, and numbered citations with the
same span mapped back onto the page each item was read from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from steppe.analyse.brief.model import Extract, Source
from steppe.analyse.brief.ranking import BOILERPLATE, CLAIM, Bm25, stance, tokens
from steppe.analyse.common import display_title, kb_actor, known_actor, until_bound
from steppe.analyse.themes import classify
from steppe.enrich.events import split_sentences


def marks(values: list[str]) -> tuple[str, tuple[str, ...]]:
    """``(?,?,...)`` and its parameters for ``IN``: plain placeholders work on every backend."""
    values = list(dict.fromkeys(values))
    return ("(" + ",".join("?" * len(values)) + ")", tuple(values)) if values else ("(NULL)", ())


class Citations:
    """Numbers items in order of first citation."""

    def __init__(self, store: Any, items: dict[str, dict[str, Any]]) -> None:
        self.store, self.items = store, items
        self.sources: dict[str, Source] = {}

    def cite(self, item_id: str, start: int, end: int, **extra: Any) -> Extract:
        item = self.items[item_id]
        if item_id not in self.sources:
            prov = item.get("provenance") or []
            first = prov[0] if prov else {}
            self.sources[item_id] = Source(
                n=len(self.sources) + 1, item_id=item_id, publisher=item.get("publisher"),
                title=item.get("title"), date=item.get("published"), url=item.get("url"),
                kind=item.get("kind"), page=first.get("page"), page_id=first.get("page_id"),
                display_title=display_title(item.get("title"), item.get("text")))
        page_id, page_start, page_end = _page_span(item, start, end)
        return Extract(text=item["text"][start:end], cite=self.sources[item_id].n, item_id=item_id,
                       start=start, end=end, page_id=page_id, page_start=page_start,
                       page_end=page_end, **extra)


def _page_span(item: dict[str, Any], start: int, end: int) -> tuple[int | None, int | None, int | None]:
    """Map item-text offsets onto the first page the item was read from (spans joined by newlines)."""
    prov = item.get("provenance") or []
    if not prov:
        return None, None, None
    page_id = prov[0].get("page_id")
    spans = [p for p in prov if p.get("page_id") == page_id]
    offset, mapped = 0, []
    for p in spans:
        length = p["end"] - p["start"]
        for pos in (start, end):
            if offset <= pos <= offset + length:
                mapped.append(p["start"] + pos - offset)
        offset += length + 1
    if len(mapped) < 2:
        return page_id, None, None
    return page_id, mapped[0], mapped[-1]


def resolve_actors(store: Any, actors: list[str] | tuple[str, ...] | None) -> list[str]:
    """Actor ids for names given as "KAZ RUS" or "KAZ,RUS"; an unknown one raises UnknownActor."""
    out = []
    for a in actors or []:
        for part in re.split(r"[,\s]+", a.strip()):
            if part:
                out.append(known_actor(store, part))
    return list(dict.fromkeys(out))


def recognisable_names(actor_id: str) -> list[str]:
    """Names by which an actor can be recognised in text when mentions are missing."""
    actor = kb_actor(actor_id)
    names = [actor_id]
    if actor is not None:
        names += [actor.name, *getattr(actor, "aliases", []), *getattr(actor, "demonyms", [])]
    return [n for n in names if n and len(n) > 2]


def candidate_items(store: Any, actors: list[str], about: str | None, since: str | None,
                     until: str | None) -> list[str]:
    ids: list[str] = []
    if actors:
        m, params = marks(actors)
        rows = store.query(f"SELECT DISTINCT item_id FROM mentions WHERE actor IN {m} OR country IN {m}",
                           params + params)
        ids += [r["item_id"] for r in rows]
        if not ids:  # not enriched: fall back to names in the text
            for actor in actors:
                for name in recognisable_names(actor)[:6]:
                    ids += [r["id"] for r in store.query(
                        "SELECT id FROM items WHERE text LIKE ?", (f"%{name}%",))]
    elif about:
        words = tokens(about)
        if words:
            from steppe.store import QuerySyntaxError, StoreError

            try:
                hits = store.search(" OR ".join(words), limit=500)
            except (QuerySyntaxError, StoreError):
                hits = []
            ids += [h.id for h in hits]
    else:
        ids += [r["id"] for r in store.query("SELECT id FROM items ORDER BY published DESC LIMIT 2000")]
    ids = list(dict.fromkeys(ids))
    if since or until:
        rows = load_items(store, ids, text=False)
        ids = [i for i in ids if _in_range(rows.get(i, {}).get("published"), since, until)]
    return ids


def _in_range(date: str | None, since: str | None, until: str | None) -> bool:
    if not date:
        return False  # an undated item cannot be placed in a period asked for
    if since and date < since and not since.startswith(date):
        return False
    return not (until and date > until_bound(until))


def load_items(store: Any, ids: list[str], text: bool = True) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    cols = "id, title, publisher, url, published, kind" + (", text" if text else "")
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        m, params = marks(chunk)
        for r in store.query(f"SELECT {cols} FROM items WHERE id IN {m}", params):
            out[r["id"]] = dict(r)
    return out


@dataclass
class Sentence:
    item_id: str
    start: int
    end: int
    text: str
    actors: set[str]
    themes: list[str]
    theme_score: float
    claim: bool
    stance: int
    cues: list[str]


def read_sentences(store: Any, items: dict[str, dict[str, Any]], actors: list[str]) -> list[Sentence]:
    out = []
    for item_id, item in items.items():
        text = item["text"]
        mentions = [m.to_dict() for m in store.mentions(item_id)]  # classify reads mention dicts
        item_themes = [s.theme for s in classify("\n".join(filter(None, [item.get("title"), text])),
                                                 mentions)]
        for start, end in split_sentences(text):
            sent = text[start:end]
            words = len(tokens(sent))
            if words < 5 or words > 90 or BOILERPLATE.search(sent) or sent.rstrip().endswith("?"):
                continue
            inside = [m for m in mentions if start <= m["start"] < end]
            hit = {a for a in actors for m in inside
                   if a in (m.get("actor"), m.get("country")) or (m.get("actor") or "").startswith(a + ".")}
            if not mentions:
                hit = {a for a in actors if any(re.search(rf"\b{re.escape(n)}\b", sent) for n in recognisable_names(a))}
            local = [{**m, "start": m["start"] - start, "end": m["end"] - start} for m in inside]
            scored = classify(sent, local)
            themes = [s.theme for s in scored] or item_themes[:1]
            sign, cues = stance(sent)
            out.append(Sentence(item_id, start, end, sent, hit, themes,
                                 scored[0].score if scored else 0.0, bool(CLAIM.search(sent)),
                                 sign, cues))
    return out


def sentence_relevance(sentences: list[Sentence], index: Bm25, query: list[str],
               actors: list[str]) -> dict[int, float]:
    scores = {i: index.score(query, i) for i in range(len(sentences))} if query else {}
    top = max(scores.values(), default=0.0) or 1.0
    out = {}
    for i, s in enumerate(sentences):
        r = 2.0 * scores.get(i, 0.0) / top
        r += 1.0 * len(s.actors) + (0.5 if actors and len(s.actors) == len(actors) > 1 else 0.0)
        r += 0.6 if s.claim else 0.0
        r += 0.3 if s.stance else 0.0
        r += 0.1 * min(s.theme_score, 5.0)
        out[i] = round(r, 4)
    return out
