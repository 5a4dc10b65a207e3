"""Relations over time: per pair of actors, events per quad class and summed intensity.

For ``relation_series(store, "KAZ", "RUS")`` an event counts as KAZ -> RUS
when one of its source actors is KAZ (the actor id, or an actor whose country
is KAZ, so Tokayev's events count for Kazakhstan) and one of its targets is
RUS. An event is placed in a period by its own date; an event without one
falls back to its item's publication date (flagged ``dated_by: "item"``), and
an event whose date is coarser than the period (a year, for months) is left
out of the series and listed in ``unplaced`` (its details are still in ``events``). Negated and hypothetical
events ("if Russia cannot achieve them by diplomatic means...") did not
happen, so they are left out unless asked for.
"""

from __future__ import annotations

import json
from typing import Any

from steppe.analyse.common import (
    QUADS,
    InvalidParameter,
    check_confidence,
    check_date,
    event_brief,
    items_brief,
    known_actor,
    until_bound,
)

PERIODS = ("month", "quarter", "year")


def period_of(date: str | None, by: str) -> str | None:
    """'2023-11-09' -> '2023-11' (month), '2023-Q4' (quarter), '2023' (year); None if too coarse."""
    if not date or len(date) < 4:
        return None
    if by == "year":
        return date[:4]
    if len(date) < 7:
        return None
    if by == "month":
        return date[:7]
    return f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}"


def all_periods(first: str, last: str, by: str) -> list[str]:
    """Every period from first to last inclusive, so gaps show as zeros in a chart."""
    if by == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    step = 1 if by == "month" else 3

    def index(p: str) -> int:
        month = int(p[5:7]) if by == "month" else (int(p[6]) - 1) * 3 + 1
        return int(p[:4]) * 12 + month - 1

    out = []
    for i in range(index(first), index(last) + 1, step):
        year, month = divmod(i, 12)
        out.append(period_of(f"{year:04d}-{month + 1:02d}", by))
    return out


def _empty() -> dict[str, Any]:
    return {**dict.fromkeys(QUADS, 0), "count": 0, "intensity": 0.0, "events": []}


def _add(bucket: dict[str, Any], event: dict[str, Any]) -> None:
    if event["quad"] in QUADS:
        bucket[event["quad"]] += 1
    bucket["count"] += 1
    bucket["intensity"] = round(bucket["intensity"] + float(event["intensity"] or 0.0), 3)
    bucket["events"].append(event["id"])


def _pair_events(store: Any, a: str, b: str, since: str | None, until: str | None,
                 include_hypothetical: bool, min_confidence: float = 0.0) -> list[dict[str, Any]]:
    """Events with a on one side and b on the other, with their direction(s)."""
    flags = "" if include_hypothetical else " AND e.negated = 0 AND e.hypothetical = 0"
    date = "coalesce(e.date, i.published)"
    bounds, params = "", []
    if min_confidence > 0:
        bounds += " AND e.confidence >= ?"
        params.append(float(min_confidence))
    if since:
        bounds += f" AND {date} >= ?"
        params.append(since)
    if until:
        bounds += f" AND {date} <= ?"
        params.append(until_bound(until))

    def side(actor: str, name: str) -> str:
        return (f"EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.id AND x.side = '{name}'"
                f" AND (x.actor = ? OR x.country = ?))")

    sql = (
        "SELECT e.id, e.item_id, e.type, e.quad, e.intensity, e.date, e.record, i.published,"
        f" ({side(a, 'source')} AND {side(b, 'target')}) AS a_to_b,"
        f" ({side(b, 'source')} AND {side(a, 'target')}) AS b_to_a"
        " FROM events e JOIN items i ON i.id = e.item_id"
        f" WHERE 1=1 {flags} {bounds}"
    )
    rows = store.query(f"SELECT * FROM ({sql}) AS pair WHERE a_to_b OR b_to_a"
                       " ORDER BY coalesce(date, published), id",
                       (a, a, b, b, b, b, a, a, *params))
    return rows


def relation_series(store: Any, a: str, b: str, *, by: str = "month", since: str | None = None,
                    until: str | None = None, include_hypothetical: bool = False,
                    min_confidence: float = 0.0) -> dict[str, Any]:
    """Per period: counts per quad, summed intensity and event ids, for a->b, b->a and combined.

    ``min_confidence`` (0..1) leaves out events the coder is less sure of (the coder's
    confidence is a calibrated probability that the event's type is right)."""
    if by not in PERIODS:
        raise InvalidParameter(f"by must be one of {', '.join(PERIODS)}, not {by!r}")
    since, until = check_date(since, "since"), check_date(until, "until")
    if not a or not b:
        raise InvalidParameter("give two actors, e.g. a=KAZ&b=RUS")
    min_confidence = check_confidence(min_confidence)
    a_id, b_id = known_actor(store, a), known_actor(store, b)  # an unknown name is refused
    rows = _pair_events(store, a_id, b_id, since, until, include_hypothetical, min_confidence)
    buckets: dict[str, dict[str, dict[str, Any]]] = {}
    events: dict[str, dict[str, Any]] = {}
    unplaced: list[str] = []
    undated = {"a_to_b": _empty(), "b_to_a": _empty(), "combined": _empty()}
    for row in rows:
        dated_by = "event" if row["date"] else "item"
        period = period_of(row["date"] or row["published"], by)
        if period is None:
            # Undated events still count for the pair, in their own bucket, not lost.
            unplaced.append(row["id"])
            bucket = undated
        else:
            bucket = buckets.setdefault(period, {"a_to_b": _empty(), "b_to_a": _empty(),
                                                 "combined": _empty()})
        if row["a_to_b"]:
            _add(bucket["a_to_b"], row)
        if row["b_to_a"]:
            _add(bucket["b_to_a"], row)
        _add(bucket["combined"], row)
        record = json.loads(row["record"])
        record["item_id"] = row["item_id"]
        events[row["id"]] = {**event_brief(record), "period": period,
                             "dated_by": dated_by if period else None,
                             "direction": "both" if row["a_to_b"] and row["b_to_a"]
                             else ("a_to_b" if row["a_to_b"] else "b_to_a")}
    items = items_brief(store, (e["item_id"] for e in events.values()))
    for event in events.values():
        event["item"] = items.get(event["item_id"])
    periods = []
    if buckets:
        keys = sorted(buckets)
        for period in all_periods(keys[0], keys[-1], by):
            bucket = buckets.get(period) or {"a_to_b": _empty(), "b_to_a": _empty(),
                                             "combined": _empty()}
            periods.append({"period": period, **bucket})
    totals = _empty()
    for row in periods:
        for quad in QUADS:
            totals[quad] += row["combined"][quad]
        totals["count"] += row["combined"]["count"]
        totals["intensity"] = round(totals["intensity"] + row["combined"]["intensity"], 3)
    totals.pop("events")
    return {"a": a_id, "b": b_id, "by": by, "since": since, "until": until,
            "include_hypothetical": include_hypothetical, "min_confidence": min_confidence,
            "periods": periods, "totals": totals,
            "events": events, "unplaced": unplaced, "undated": undated}
