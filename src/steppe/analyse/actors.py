"""Actor pages: who an actor is (from the knowledge base when there is one) and what the corpus says."""

from __future__ import annotations

from typing import Any

from steppe.analyse.common import (
    NotFound,
    actor_label,
    briefs_for_event_rows,
    id_list,
    kb_actor,
    known_actor,
    resolve_actor,
)

MAX_EVENTS = 200
MAX_ITEMS = 20


def actor_list(store: Any, *, top: int = 50, q: str | None = None) -> list[dict[str, Any]]:
    """The most mentioned linked actors (optionally whose id or surface form contains ``q``)."""
    where, params = "actor IS NOT NULL", []
    if q:
        where += " AND (lower(actor) LIKE ? OR lower(text) LIKE ?)"
        params += [f"%{q.lower()}%", f"%{q.lower()}%"]
    rows = store.query(
        "SELECT actor AS id, count(DISTINCT item_id) AS items, count(*) AS mentions,"
        " max(label) AS ner_label, max(country) AS country"
        f" FROM mentions WHERE {where} GROUP BY actor ORDER BY 2 DESC, 3 DESC, 1 LIMIT ?",
        (*params, max(1, int(top))))
    counts = {r["actor"]: r["n"] for r in store.query(
        "SELECT actor, count(DISTINCT event_id) AS n FROM event_actors GROUP BY actor")}
    forms = _top_forms(store, [r["id"] for r in rows])
    out = []
    for row in rows:
        actor = kb_actor(row["id"])
        out.append({
            "id": row["id"], "label": actor_label(row["id"], forms.get(row["id"])),
            "type": getattr(actor, "type", None), "ner_label": row["ner_label"],
            "country": getattr(actor, "country", None) or row["country"],
            "items": row["items"], "mentions": row["mentions"], "events": counts.get(row["id"], 0),
        })
    return out


def actor_summary(store: Any, name: str) -> dict[str, Any]:
    """Who the actor is, how often and with whom the corpus mentions them, and their events.

    Raises NotFound when neither the knowledge base nor the corpus knows the actor.
    """
    actor_id = resolve_actor(name) or ""
    actor = kb_actor(actor_id)
    mentioned = store.query("SELECT count(*) AS n, count(DISTINCT item_id) AS items FROM mentions"
                            " WHERE actor = ?", (actor_id,))[0]
    by_month = store.query(
        "SELECT coalesce(substr(i.published, 1, 7), '') AS month, count(DISTINCT m.item_id) AS count"
        " FROM mentions m JOIN items i ON i.id = m.item_id WHERE m.actor = ?"
        " GROUP BY 1 ORDER BY 1", (actor_id,))
    co = store.query(
        "SELECT b.actor AS id, count(DISTINCT b.item_id) AS count FROM mentions a"
        " JOIN mentions b ON a.item_id = b.item_id AND b.actor != a.actor"
        " WHERE a.actor = ? AND b.actor IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 30",
        (actor_id,))
    events = _events(store, actor_id)
    if actor is None and not mentioned["n"] and not events:
        known_actor(store, name)  # raises UnknownActor, naming the closest known actors
        raise NotFound(f"no actor {actor_id!r} in the knowledge base or the corpus")
    forms = store.query("SELECT text, count(*) AS count FROM mentions WHERE actor = ?"
                        " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20", (actor_id,))
    co_forms = _top_forms(store, [r["id"] for r in co])
    items = store.query(
        "SELECT i.id, i.title, i.publisher, i.published, i.url, i.kind, i.language FROM items i"
        " WHERE i.id IN (SELECT item_id FROM mentions WHERE actor = ?)"
        " ORDER BY i.published IS NULL, i.published DESC LIMIT ?", (actor_id, MAX_ITEMS))
    return {
        "id": actor_id,
        "label": actor_label(actor_id, forms[0]["text"] if forms else None),
        "in_knowledge_base": actor is not None,
        "type": getattr(actor, "type", None),
        "country": getattr(actor, "country", None),
        "aliases": list(getattr(actor, "aliases", None) or []),
        "qid": getattr(actor, "qid", None),
        "roles": _jsonable(getattr(actor, "roles", None)),
        "parent": getattr(actor, "parent", None),
        "names_in_corpus": forms,
        "mentions": mentioned["n"], "items": mentioned["items"],
        "mentions_by_month": by_month,
        "co_mentioned": [{"id": r["id"], "label": actor_label(r["id"], co_forms.get(r["id"])),
                          "count": r["count"]} for r in co],
        "events": events,
        "recent_items": items,
    }


def _events(store: Any, actor_id: str) -> list[dict[str, Any]]:
    """Events where the actor (or, for a country, one of its people) is source or target."""
    rows = store.query(
        "SELECT e.id, e.item_id, e.record FROM events e WHERE e.id IN"
        " (SELECT event_id FROM event_actors WHERE actor = ? OR country = ?)"
        " ORDER BY e.date IS NULL, e.date DESC, e.id LIMIT ?", (actor_id, actor_id, MAX_EVENTS))
    return briefs_for_event_rows(store, rows)


def _top_forms(store: Any, ids: list[str]) -> dict[str, str]:
    marks, params = id_list(ids)
    if not params:
        return {}
    rows = store.query(
        f"SELECT actor, text, count(*) AS n FROM mentions WHERE actor IN {marks}"
        " GROUP BY 1, 2 ORDER BY 3, 2", params)
    return {r["actor"]: r["text"] for r in rows}


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if hasattr(value, "__dict__"):
        return {k: _jsonable(v) for k, v in vars(value).items()}
    return str(value)
