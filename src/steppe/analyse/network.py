"""The actor network: who is mentioned with whom (co-mention) and who acts on whom (events)."""

from __future__ import annotations

from typing import Any

from steppe.analyse.common import QUADS, actor_label, check_date, kb_actor

MAX_NODES = 150  # beyond this a force layout is a hairball; the heaviest nodes are kept


def network(store: Any, *, since: str | None = None, min_weight: int = 1,
            max_nodes: int = MAX_NODES, include_hypothetical: bool = False) -> dict[str, Any]:
    """Nodes are linked actors; edges are co-mentions in one item and (directed) events.

    ``since`` keeps items published (and events dated) on or after it;
    ``min_weight`` drops edges seen fewer times.
    """
    since = check_date(since, "since")
    min_weight = max(1, int(min_weight))
    item_filter, params = "", []
    if since:
        item_filter = " AND item_id IN (SELECT id FROM items WHERE published >= ?)"
        params.append(since)
    nodes = {r["id"]: r for r in store.query(
        "SELECT actor AS id, count(DISTINCT item_id) AS count, count(*) AS mentions,"
        " max(label) AS ner_label, max(country) AS country FROM mentions"
        f" WHERE actor IS NOT NULL {item_filter} GROUP BY actor", tuple(params))}
    labels = _surface_forms(store, item_filter, params)
    co = store.query(
        "WITH m AS (SELECT DISTINCT item_id, actor FROM mentions"
        f" WHERE actor IS NOT NULL {item_filter})"
        " SELECT a.actor AS source, b.actor AS target, count(*) AS weight"
        " FROM m a JOIN m b ON a.item_id = b.item_id AND a.actor < b.actor"
        " GROUP BY 1, 2 HAVING count(*) >= ?", (*params, min_weight))
    edges = [{"source": r["source"], "target": r["target"], "weight": r["weight"],
              "kind": "co-mention"} for r in co]
    edges += _event_edges(store, since, min_weight, include_hypothetical)
    for edge in edges:
        for end in (edge["source"], edge["target"]):
            nodes.setdefault(end, {"id": end, "count": 0, "mentions": 0, "ner_label": None,
                                   "country": None})
    keep = _heaviest(nodes, edges, max_nodes)
    edges = [e for e in edges if e["source"] in keep and e["target"] in keep]
    out_nodes = []
    for node_id in sorted(keep, key=lambda n: (-nodes[n]["count"], n)):
        node = nodes[node_id]
        actor = kb_actor(node_id)
        out_nodes.append({
            "id": node_id, "label": actor_label(node_id, labels.get(node_id)),
            "type": getattr(actor, "type", None) or _type_from_ner(node["ner_label"]),
            "country": getattr(actor, "country", None) or node["country"],
            "count": node["count"], "mentions": node["mentions"],
        })
    return {"nodes": out_nodes, "edges": edges, "since": since, "min_weight": min_weight,
            "truncated": len(nodes) > len(keep)}


def _event_edges(store: Any, since: str | None, min_weight: int,
                 include_hypothetical: bool) -> list[dict[str, Any]]:
    where, params = [], []
    if not include_hypothetical:
        where.append("e.negated = 0 AND e.hypothetical = 0")
    if since:
        where.append("coalesce(e.date, i.published) >= ?")
        params.append(since)
    rows = store.query(
        "SELECT s.actor AS source, t.actor AS target, e.quad, count(DISTINCT e.id) AS n,"
        " sum(e.intensity) AS intensity"
        " FROM events e JOIN items i ON i.id = e.item_id"
        " JOIN event_actors s ON s.event_id = e.id AND s.side = 'source'"
        " JOIN event_actors t ON t.event_id = e.id AND t.side = 'target'"
        f" WHERE s.actor != t.actor {'AND ' + ' AND '.join(where) if where else ''}"
        " GROUP BY 1, 2, 3", tuple(params))
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        edge = edges.setdefault((r["source"], r["target"]), {
            "source": r["source"], "target": r["target"], "weight": 0, "kind": "event",
            "intensity": 0.0, **dict.fromkeys(QUADS, 0)})
        edge["weight"] += r["n"]
        edge["intensity"] = round(edge["intensity"] + float(r["intensity"] or 0.0), 3)
        if r["quad"] in QUADS:
            edge[r["quad"]] += r["n"]
    return [e for e in edges.values() if e["weight"] >= min_weight]


def _surface_forms(store: Any, item_filter: str, params: list[Any]) -> dict[str, str]:
    """The most frequent mention text per actor: the label when no knowledge base names it."""
    rows = store.query(
        "SELECT actor, text, count(*) AS n FROM mentions"
        f" WHERE actor IS NOT NULL {item_filter} GROUP BY 1, 2 ORDER BY 3, 2", tuple(params))
    return {r["actor"]: r["text"] for r in rows}  # later (more frequent) rows win


def _heaviest(nodes: dict[str, dict[str, Any]], edges: list[dict[str, Any]], limit: int) -> set[str]:
    degree: dict[str, int] = {}
    for e in edges:
        degree[e["source"]] = degree.get(e["source"], 0) + e["weight"]
        degree[e["target"]] = degree.get(e["target"], 0) + e["weight"]
    ranked = sorted(nodes, key=lambda n: (-(nodes[n]["count"] + degree.get(n, 0)), n))
    return set(ranked[:limit])


def _type_from_ner(label: str | None) -> str | None:
    return {"PERSON": "person", "ORG": "organisation", "GPE": "place", "NORP": "group",
            "LOC": "place", "FAC": "place"}.get(label or "", (label or "").lower() or None)
