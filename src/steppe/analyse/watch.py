"""Watchlists: saved queries whose new matches an analyst is told about, and an Atom feed each.

A watchlist has a name and up to three criteria, all of which must hold:
``actor`` (an actor id, name or alias; it matches mentions and event sides by
actor or by country, so KAZ catches Tokayev), ``type`` (a PLOVER event type,
e.g. COERCE: items need such an event) and ``query`` (keyword search syntax,
as ``steppe search``). An item matches on all criteria; an event matches when
its item matches the item criteria and the event itself has the type and the
actor on one of its sides. Negated and hypothetical events never match.

State lives in the store (``Store.save_watch``, ``watch_seen`` and the rest;
the tables are the store's own, made by its migrations). Each
match is recorded with the time it was first found, so ``check_watches``
reports only what earlier checks did not, and a feed entry keeps the same
``updated`` time on every fetch.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from steppe.analyse.brief import marks
from steppe.analyse.common import (
    InvalidParameter,
    NotFound,
    event_brief,
    items_brief,
    resolve_actor,
)
from steppe.model import Watchlist

__all__ = ["Watchlist", "add_watch", "check_watch", "check_watches", "get_watch", "list_watches",
           "matches", "remove_watch", "watch_feed_atom"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
FEED_LIMIT = 100
ATOM = "http://www.w3.org/2005/Atom"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------- storage


def add_watch(store: Any, name: str, *, actor: str | None = None, type: str | None = None,
              query: str | None = None) -> Watchlist:
    """Create or replace a watchlist (its seen-set is kept only when the criteria are unchanged)."""
    if not _NAME.match(name or ""):
        raise InvalidParameter("a watchlist name is 1-64 letters, digits, '.', '_' or '-' "
                               f"(it becomes a feed URL), not {name!r}")
    actor = resolve_actor(actor) if actor else None
    type = type.strip().upper() if type else None
    query = query.strip() if query and query.strip() else None
    if not (actor or type or query):
        raise InvalidParameter("give at least one of --actor, --type, --query")
    if query:
        from steppe.store import QuerySyntaxError, StoreError

        try:
            store.search(query, limit=1)
        except (QuerySyntaxError, StoreError) as exc:
            raise InvalidParameter(f"query {query!r} cannot be searched: {exc}") from exc
    old = get_watch(store, name, missing_ok=True)
    watch = Watchlist(name, actor, type, query, created_at=old.created_at if old else _now(),
                      last_checked=old.last_checked if old else None)
    store.save_watch(watch, forget_seen=old is not None and (old.actor, old.type, old.query) != (actor, type, query))
    return watch


def get_watch(store: Any, name: str, *, missing_ok: bool = False) -> Watchlist | None:
    rows = store.watches(name)
    if not rows:
        if missing_ok:
            return None
        raise NotFound(f"no watchlist {name!r}")
    return rows[0]


def list_watches(store: Any) -> list[Watchlist]:
    return store.watches()


def remove_watch(store: Any, name: str) -> bool:
    return store.delete_watch(name)


# ---------------------------------------------------------------- matching


def _item_ids(store: Any, watch: Watchlist) -> list[str] | None:
    """Items meeting the item-level criteria; None means "no item criterion" (all items)."""
    ids: list[str] | None = None
    if watch.query:
        hits = store.search(watch.query, limit=100_000, actor=watch.actor)
        ids = [h.id for h in hits]
    elif watch.actor:
        ids = [r["item_id"] for r in store.query(
            "SELECT DISTINCT item_id FROM mentions WHERE actor = ? OR country = ?",
            (watch.actor, watch.actor))]
    return ids


def _events(store: Any, watch: Watchlist, item_ids: list[str] | None) -> list[dict[str, Any]]:
    if not (watch.type or watch.actor or watch.query):
        return []
    where, params = ["e.negated = 0", "e.hypothetical = 0"], []
    if watch.type:
        where.append("e.type = ?")
        params.append(watch.type)
    if watch.actor:
        where.append("e.id IN (SELECT event_id FROM event_actors WHERE actor = ? OR country = ?)")
        params += [watch.actor, watch.actor]
    sql = f"SELECT e.id, e.item_id, e.record FROM events e WHERE {' AND '.join(where)}"
    if item_ids is None or not watch.query:
        return store.query(sql + " ORDER BY e.id", tuple(params))
    out = []
    for i in range(0, len(item_ids), 500):  # bounded IN lists on every backend
        m, ids = marks(item_ids[i:i + 500])
        out += store.query(sql + f" AND e.item_id IN {m}", (*params, *ids))
    return sorted(out, key=lambda r: r["id"])


def matches(store: Any, name: str) -> dict[str, Any]:
    """Everything the watchlist matches now: {"items": [...], "events": [...]} (ids, briefly)."""
    watch = get_watch(store, name)
    assert watch is not None
    ids = _item_ids(store, watch)
    events = _events(store, watch, ids)
    if watch.type:
        with_type = {e["item_id"] for e in events}
        ids = [i for i in (ids if ids is not None else with_type) if i in with_type]
    items = items_brief(store, ids or [])
    texts: dict[str, str] = {}
    keys = list(items)
    for i in range(0, len(keys), 500):
        m, params = marks(keys[i:i + 500])
        texts.update((r["id"], r["text"]) for r in store.query(f"SELECT id, text FROM items WHERE id IN {m}",
                                                               params))
    out_items = [{**items[i], "snippet": _snippet(texts.get(i, ""))} for i in items]
    out_events = []
    for row in events:
        record = json.loads(row["record"])
        record["item_id"] = row["item_id"]
        out_events.append(event_brief(record, items.get(row["item_id"])))
    return {"watch": asdict(watch), "items": out_items, "events": out_events}


def _snippet(text: str, size: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size].rsplit(" ", 1)[0] + "…"


def _record_seen(store: Any, name: str, found: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Insert matches not yet recorded; return (kind, ref) -> {first_seen, checked} for all."""
    refs = [("item", i["id"]) for i in found["items"]] + [("event", e["id"]) for e in found["events"]]
    store.add_watch_seen(name, refs, _now())
    return {(s.kind, s.ref): {"kind": s.kind, "ref": s.ref, "first_seen": s.first_seen, "checked": s.checked}
            for s in store.watch_seen(name)}


def check_watch(store: Any, name: str) -> dict[str, Any]:
    """New matches since the last check (then marked as reported)."""
    found = matches(store, name)
    seen = _record_seen(store, name, found)
    new_items = [i for i in found["items"] if not seen[("item", i["id"])]["checked"]]
    new_events = [e for e in found["events"] if not seen[("event", e["id"])]["checked"]]
    previous = found["watch"]["last_checked"]
    store.mark_watch_checked(name, _now())
    return {"name": name, "since": previous, "items": new_items, "events": new_events,
            "total_items": len(found["items"]), "total_events": len(found["events"])}


def check_watches(store: Any, names: list[str] | None = None) -> list[dict[str, Any]]:
    """``check_watch`` for the named watchlists, or all of them."""
    return [check_watch(store, n) for n in (names or [w.name for w in list_watches(store)])]


# ---------------------------------------------------------------- Atom


def watch_feed_atom(store: Any, name: str, base_url: str) -> str:
    """The watchlist as an Atom 1.0 feed (RFC 4287): one entry per matching item or event."""
    found = matches(store, name)
    seen = _record_seen(store, name, found)
    watch = found["watch"]
    base = base_url.rstrip("/")
    entries = [("item", i, seen[("item", i["id"])]["first_seen"]) for i in found["items"]]
    entries += [("event", e, seen[("event", e["id"])]["first_seen"]) for e in found["events"]]
    entries.sort(key=lambda t: (t[2], t[1].get("published") or t[1].get("date") or ""), reverse=True)
    entries = entries[:FEED_LIMIT]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", f"urn:steppe:watch:{name}")
    _sub(feed, "title", f"Steppe watchlist: {name}")
    _sub(feed, "subtitle", _describe(watch))
    _sub(feed, "updated", _rfc3339(max([e[2] for e in entries], default=watch["created_at"])))
    _sub(feed, "generator", "Steppe")
    _link(feed, f"{base}/feeds/{name}.atom", "self", "application/atom+xml")
    _link(feed, f"{base}/", "alternate", "text/html")
    author = _sub(feed, "author")
    _sub(author, "name", "Steppe")
    for kind, record, first_seen in entries:
        _entry(feed, kind, record, first_seen, name, base)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")


def _entry(feed: ET.Element, kind: str, record: dict[str, Any], first_seen: str, name: str,
           base: str) -> None:
    entry = _sub(feed, "entry")
    _sub(entry, "id", f"urn:steppe:watch:{name}:{kind}:{record['id']}")
    if kind == "item":
        title = record.get("title") or record.get("snippet", "")[:90] or record["id"]
        link, summary = f"{base}/#/item/{record['id']}", record.get("snippet") or ""
        who = record.get("publisher")
        published = record.get("published")
    else:
        sides = " → ".join(", ".join((s or {}).get("actors") or ["?"]) for s in
                           (record.get("source"), record.get("target")))
        title = f"{record['type']}: {sides}" + (f" ({record['date']})" if record.get("date") else "")
        link, summary = f"{base}/#/item/{record['item_id']}", record.get("evidence") or ""
        item = record.get("item") or {}
        who = item.get("publisher")
        published = record.get("date") or item.get("published")
    _sub(entry, "title", title)
    _link(entry, link, "alternate", "text/html")
    _sub(entry, "updated", _rfc3339(first_seen))
    if published and re.match(r"^\d{4}-\d{2}-\d{2}$", published):
        _sub(entry, "published", f"{published}T00:00:00Z")
    if who:
        _sub(_sub(entry, "author"), "name", who)
    _sub(entry, "summary", summary).set("type", "text")
    _sub(entry, "category").set("term", kind)


def _describe(watch: dict[str, Any]) -> str:
    parts = [f"{k} {watch[k]}" for k in ("actor", "type", "query") if watch.get(k)]
    return "Matches: " + "; ".join(parts)


def _rfc3339(stamp: str) -> str:
    return stamp.replace("+00:00", "Z") if "T" in stamp else f"{stamp}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    if text is not None:
        el.text = _xml_safe(text)
    return el


def _link(parent: ET.Element, href: str, rel: str, mime: str) -> None:
    el = ET.SubElement(parent, f"{{{ATOM}}}link")
    el.set("href", href)
    el.set("rel", rel)
    el.set("type", mime)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """ElementTree escapes markup but not characters XML forbids outright (control codes)."""
    return _XML_BAD.sub("", text)
