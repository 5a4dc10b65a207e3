"""Timeline: dated events in date order, each with its evidence sentence and source item."""

from __future__ import annotations

from typing import Any

from steppe.analyse.common import (
    briefs_for_event_rows,
    check_confidence,
    check_date,
    known_actor,
    until_bound,
)


def timeline(store: Any, *, actor: str | None = None, since: str | None = None,
             until: str | None = None, limit: int = 500,
             include_hypothetical: bool = False,
             min_confidence: float = 0.0) -> list[dict[str, Any]]:
    """Events with a date of their own, oldest first (an undated event has no place on a timeline).

    ``actor`` matches either side of an event, by actor id or by country
    (KAZ matches Tokayev's events). Negated and hypothetical events are left
    out unless ``include_hypothetical``; events below ``min_confidence`` (0..1) are left out.
    """
    since, until = check_date(since, "since"), check_date(until, "until")
    where, params = ["e.date IS NOT NULL"], []
    if not include_hypothetical:
        where.append("e.negated = 0 AND e.hypothetical = 0")
    min_confidence = check_confidence(min_confidence)
    if min_confidence > 0:
        where.append("e.confidence >= ?")
        params.append(min_confidence)
    actor_id = known_actor(store, actor) if actor else None  # an unknown name is refused
    if actor_id:
        where.append("e.id IN (SELECT event_id FROM event_actors WHERE actor = ? OR country = ?)")
        params += [actor_id, actor_id]
    if since:
        where.append("e.date >= ?")
        params.append(since)
    if until:
        where.append("e.date <= ?")
        params.append(until_bound(until))
    rows = store.query(
        f"SELECT e.id, e.item_id, e.record FROM events e WHERE {' AND '.join(where)}"
        " ORDER BY e.date, e.evidence_start, e.id LIMIT ?", (*params, max(1, int(limit))))
    return briefs_for_event_rows(store, rows)
