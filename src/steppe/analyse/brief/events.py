"""Key events for a brief: coded events grouped across reports, with salience and evidence."""

from __future__ import annotations

import json
from typing import Any

from steppe.analyse.brief.items import Citations, load_items, marks
from steppe.analyse.brief.model import Extract, KeyEvent
from steppe.analyse.common import until_bound

OTHER_EVENTS = 6  # events involving only one of the actors asked about, at most


def key_events(store: Any, actors: list[str], since: str | None, until: str | None, limit: int,
               cites: Citations) -> tuple[list[KeyEvent], list[KeyEvent]]:
    """(key events, other events), each in reading order: dated events by date, then the
    undated by relevance (how many of the actors asked about they involve), then salience.

    With two or more actors asked about, a key event involves at least two of them (the
    relationship asked about); events involving only one (Russia → Ukraine in a KAZ–RUS
    brief) are the other events, under their own heading. Which events are kept is decided
    by salience, dated ones first (a timeline needs dates).
    """
    where, params = ["e.negated = 0", "e.hypothetical = 0"], []
    if actors:
        m, ids = marks(actors)
        where.append(f"e.id IN (SELECT event_id FROM event_actors WHERE actor IN {m} OR country IN {m})")
        params += [*ids, *ids]
    date = "coalesce(e.date, i.published)"
    if since:
        where.append(f"{date} >= ?")
        params.append(since)
    if until:
        where.append(f"{date} <= ?")
        params.append(until_bound(until))
    rows = store.query(
        "SELECT e.id, e.item_id, e.record, i.published, i.publisher FROM events e"
        f" JOIN items i ON i.id = e.item_id WHERE {' AND '.join(where)} ORDER BY e.id", tuple(params))
    sides = _event_sides(store, [r["id"] for r in rows])
    missing = [r["item_id"] for r in rows if r["item_id"] not in cites.items]
    for item_id, item in load_items(store, list(dict.fromkeys(missing))).items():
        cites.items[item_id] = {**item, "provenance": [p.to_dict() for p in store.provenance(item_id)]}
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in rows:
        rec = json.loads(r["record"])
        src, tgt = sides.get(r["id"], ({}, {}))
        key = (rec["type"], rec.get("date") or r["published"], tuple(sorted(src)), tuple(sorted(tgt)))
        groups.setdefault(key, []).append({**r, "rec": rec, "src": src, "tgt": tgt})
    events = []
    for (etype, when, src, tgt), members in groups.items():
        best = max(members, key=lambda m: (m["rec"].get("confidence") or 0.0, m["id"]))
        rec = best["rec"]
        publishers = {m["publisher"] or m["item_id"] for m in members}
        involved = set(src) | set(tgt) | {c for m in members for c in (*m["src"].values(), *m["tgt"].values()) if c}
        covers = bool(actors) and all(a in involved for a in actors)
        intensity = float(rec.get("intensity") or 0.0)
        salience = abs(intensity) + 2.0 * (len(publishers) - 1) + (3.0 if covers and len(actors) > 1 else 0)
        evidence, seen = [], set()
        for m in members:
            if m["item_id"] in seen:
                continue
            seen.add(m["item_id"])
            evidence.append(cites_later(m))
        events.append(KeyEvent(
            id=rec.get("id") or best["id"], type=etype, quad=rec.get("quad"), intensity=intensity,
            date=when, dated_by="event" if rec.get("date") else ("item" if when else None),
            source_actors=list(src), target_actors=list(tgt), sources=len(publishers),
            salience=round(salience, 2), evidence=evidence, date_raw=rec.get("date_raw"),
            relevance=sum(1 for a in actors if a in involved)))
    # Kept: dated first, most salient first within each.
    events.sort(key=lambda e: (e.date is None, -e.salience, e.date or "", e.id))
    events = _one_per_sentence([e for e in events if e.evidence])
    pair = len(actors) >= 2
    key = sorted([e for e in events if not pair or e.relevance >= 2][:limit], key=reading_order)
    other = sorted([e for e in events if pair and e.relevance < 2][:OTHER_EVENTS], key=reading_order)
    for event in (*key, *other):  # number citations in reading order
        event.evidence = [cites.cite(x.item_id, x.start, x.end, score=event.salience)
                          for x in event.evidence]
    return key, other


def reading_order(e: KeyEvent) -> tuple[Any, ...]:
    """Dated events by date; the undated after them, most relevant to the actors first."""
    if e.date is not None:
        return (0, e.date, -e.relevance, -e.salience, e.id)
    return (1, "", -e.relevance, -e.salience, e.id)


def _one_per_sentence(events: list[KeyEvent]) -> list[KeyEvent]:
    """Several events coded from one sentence show once, as the most salient of them."""
    seen: set[tuple[str, int]] = set()
    out = []
    for event in events:
        spans = {(x.item_id, x.start) for x in event.evidence}
        if spans & seen:
            continue
        seen |= spans
        out.append(event)
    return out


def cites_later(member: dict[str, Any]) -> Extract:
    """A placeholder extract (numbered once the event is kept, so unused events get no number)."""
    rec = member["rec"]
    return Extract(text="", cite=0, item_id=member["item_id"], start=int(rec["evidence_start"]),
                   end=int(rec["evidence_end"]))


def _event_sides(store: Any, ids: list[str]) -> dict[str, tuple[dict[str, str | None], dict[str, str | None]]]:
    out: dict[str, tuple[dict[str, str | None], dict[str, str | None]]] = {}
    for i in range(0, len(ids), 500):
        m, params = marks(ids[i:i + 500])
        for r in store.query(f"SELECT event_id, side, actor, country FROM event_actors WHERE event_id IN {m}",
                             params):
            src, tgt = out.setdefault(r["event_id"], ({}, {}))
            (src if r["side"] == "source" else tgt)[r["actor"]] = r["country"]
    return out


def relation_summary(store: Any, a: str, b: str, since: str | None, until: str | None) -> dict[str, Any] | None:
    try:
        from steppe.analyse.relations import relation_series
    except ImportError:
        return None
    series = relation_series(store, a, b, by="month", since=since, until=until)
    if len(series["periods"]) > 24:
        series = relation_series(store, a, b, by="quarter", since=since, until=until)
    elif not series["periods"] and series.get("unplaced"):
        # Events dated only to the year are left out of months: show years instead.
        series = relation_series(store, a, b, by="year", since=since, until=until)
    return {
        "a": a, "b": b, "by": series["by"], "unplaced": len(series.get("unplaced") or []),
        "totals": series.get("totals"),
        "periods": [{"period": p["period"], "count": p["combined"]["count"],
                     "intensity": p["combined"]["intensity"],
                     "a_to_b": p["a_to_b"]["count"], "b_to_a": p["b_to_a"]["count"]}
                    for p in series["periods"]],
    }
