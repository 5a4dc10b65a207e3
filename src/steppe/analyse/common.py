"""Shared helpers: parameter checks, the optional actor knowledge base, SQL glue."""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterable
from typing import Any

log = logging.getLogger("steppe")

QUADS: tuple[str, ...] = ("verbal_cooperation", "material_cooperation", "verbal_conflict",
                          "material_conflict")
_ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class InvalidParameter(ValueError):
    """A caller gave a value the analyse stage cannot use; the message says which and why."""


class NotFound(LookupError):
    """The thing asked for (an item, an actor) is not in the evidence base."""


def check_date(value: str | None, name: str) -> str | None:
    """``since``/``until`` must be ISO prefixes (YYYY, YYYY-MM, YYYY-MM-DD) or empty."""
    if value is None or value == "":
        return None
    value = value.strip()
    if not _ISO_PREFIX.match(value) or not _real_date(value):
        raise InvalidParameter(f"{name} must be a date like YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    return value


def check_confidence(value: float | str | None) -> float:
    """A minimum event confidence must be a number from 0 to 1 (None or empty means 0)."""
    if value is None or value == "":
        return 0.0
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise InvalidParameter(f"min_confidence must be a number from 0 to 1, not {value!r}") from None
    if not 0.0 <= out <= 1.0:
        raise InvalidParameter(f"min_confidence must be from 0 to 1, not {value!r}")
    return out


def _real_date(value: str) -> bool:
    """2023-13 and 2023-02-30 have the right shape but are no dates."""
    import datetime

    parts = [int(p) for p in value.split("-")]
    try:
        datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def until_bound(until: str) -> str:
    """An ISO prefix compares below every longer string it starts: pad so the whole period is in."""
    return until + "\uffff"


def id_list(values: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """``(?, ?, ...)`` and its parameters, for ``column IN (...)`` on any backend.

    Plain placeholders work on SQLite (up to 32,766 of them) and PostgreSQL
    (up to 65,535), so the analyse SQL stays portable; callers cap id lists
    below both limits.
    """
    values = tuple(dict.fromkeys(values))
    if not values:
        return "(NULL)", ()
    return "(" + ",".join("?" * len(values)) + ")", values


@functools.lru_cache(maxsize=1)
def knowledge_base() -> Any | None:
    """The actor knowledge base when the enrich stage provides one; None otherwise."""
    try:
        from steppe.enrich.actors import KnowledgeBase
    except ImportError:
        return None
    try:
        return KnowledgeBase.load()
    except Exception:  # a broken KB must not take search and charts down with it
        log.warning("actor knowledge base failed to load; showing ids only", exc_info=True)
        return None


def kb_actor(actor_id: str) -> Any | None:
    kb = knowledge_base()
    if kb is None:
        return None
    try:
        return kb.get(actor_id)
    except (KeyError, LookupError):
        return None


def resolve_actor(name: str | None) -> str | None:
    """An actor id from an id, name or alias; the input itself when nothing resolves it."""
    if not name:
        return None
    name = name.strip()
    kb = knowledge_base()
    if kb is None or kb_actor(name) is not None:
        return name
    try:
        actor = kb.resolve(name)
    except (KeyError, LookupError):
        actor = None
    return actor.id if actor is not None else name


def actor_label(actor_id: str, fallback: str | None = None) -> str:
    actor = kb_actor(actor_id)
    return getattr(actor, "name", None) or fallback or actor_id


def event_brief(record: dict[str, Any], item: dict[str, Any] | None = None) -> dict[str, Any]:
    """The part of an event an analyst reads in a list: what, when, who, and the sentence."""
    def side(s: dict[str, Any] | None) -> dict[str, Any] | None:
        if not s:
            return None
        actors = s.get("actors") or []
        return {"actors": actors, "labels": [actor_label(a) for a in actors],
                "countries": s.get("countries") or [], "text": s.get("text") or ""}

    out = {
        "id": record.get("id"), "type": record.get("type"), "quad": record.get("quad"),
        "intensity": record.get("intensity"), "mode": record.get("mode"),
        "date": record.get("date"), "date_precision": record.get("date_precision"),
        "date_raw": record.get("date_raw"),
        "place": record.get("place"),
        "place_label": actor_label(record["place"]) if record.get("place") else None,
        "confidence": record.get("confidence"),
        "negated": bool(record.get("negated")), "hypothetical": bool(record.get("hypothetical")),
        "reported": record.get("reported"),
        "source": side(record.get("source")), "target": side(record.get("target")),
        "evidence": record.get("evidence") or "",
        "evidence_start": record.get("evidence_start"), "evidence_end": record.get("evidence_end"),
        "item_id": record.get("item_id"),
    }
    if item is not None:
        out["item"] = item
    return out


def items_brief(store: Any, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """id -> {id, title, publisher, url, published, kind} for many items in one query."""
    marks, params = id_list(ids)
    if not params:
        return {}
    rows = store.query(
        f"SELECT id, title, publisher, url, published, kind FROM items WHERE id IN {marks}", params)
    return {r["id"]: r for r in rows}


def briefs_for_event_rows(store: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Event rows (id, item_id, record JSON) to event briefs carrying their source item."""
    items = items_brief(store, (r["item_id"] for r in rows))
    out = []
    for row in rows:
        record = json.loads(row["record"])
        record["item_id"] = row["item_id"]
        out.append(event_brief(record, items.get(row["item_id"])))
    return out


class UnknownActor(NotFound):
    """An actor neither the knowledge base nor the corpus knows; the message names the closest."""


def known_actor(store: Any, name: str) -> str:
    """The actor id for ``name`` (id, name or alias); raises UnknownActor, naming the closest
    known actors, when neither the knowledge base nor the corpus has it.

    Without a knowledge base and without linked mentions nothing can be checked, and the name
    is taken as given (a brief then looks for it in the text).
    """
    actor_id = resolve_actor(name) or ""
    if kb_actor(actor_id) is not None or _in_corpus(store, actor_id):
        return actor_id
    corpus = [r["actor"] for r in store.query(
        "SELECT actor, count(*) AS n FROM mentions WHERE actor IS NOT NULL GROUP BY actor"
        " ORDER BY n DESC, actor LIMIT 500")]
    if knowledge_base() is None and not corpus:
        return actor_id
    closest = _closest_actors(name, corpus)
    hint = f"closest known: {', '.join(closest)}" if closest else (
        "known actors include " + ", ".join(f"{actor_label(a)} ({a})" for a in corpus[:5]))
    raise UnknownActor(f"unknown actor {name!r}; {hint} (`steppe actors` lists them)")


def _in_corpus(store: Any, actor_id: str) -> bool:
    if not actor_id:
        return False
    rows = store.query("SELECT 1 AS hit FROM mentions WHERE actor = ? OR country = ? LIMIT 1",
                       (actor_id, actor_id))
    rows = rows or store.query("SELECT 1 AS hit FROM event_actors WHERE actor = ? OR country = ?"
                               " LIMIT 1", (actor_id, actor_id))
    return bool(rows)


def _closest_actors(name: str, corpus: list[str], n: int = 5) -> list[str]:
    """"Label (ID)" of the actors whose id, name or alias is spelt most like ``name``.

    difflib's ratio over lower-cased names: a misspelling ("Tokaev", "Kazakstan") or a near id
    ("KZA") finds its actor; the corpus's actors are preferred on a tie, being the ones in use.
    """
    import difflib

    names: dict[str, str] = {a.lower(): a for a in corpus}
    kb = knowledge_base()
    for actor in kb or ():
        for alias in (actor.id, getattr(actor, "name", None), *getattr(actor, "aliases", ())):
            if alias and len(alias) > 1:
                names.setdefault(alias.lower(), actor.id)
    in_use = set(corpus)
    matches = difflib.get_close_matches(name.lower().strip(), list(names), n=40, cutoff=0.6)
    scored = sorted(((difflib.SequenceMatcher(None, name.lower(), m).ratio(), names[m]) for m in matches),
                    key=lambda t: (-t[0], t[1] not in in_use, t[1]))
    out = list(dict.fromkeys(actor_id for _, actor_id in scored))[:n]
    return [f"{actor_label(a)} ({a})" for a in out]


TITLE_CHARS = 80


def display_title(title: str | None, text: str | None, limit: int = TITLE_CHARS) -> str:
    """The title to show: the item's own, else the start of its text cut at a word boundary
    (with "…" when cut), else "(untitled)". One function, so search, item and brief agree.

    The start of the text, never a snippet: a snippet begins wherever a match was, and a
    title made from it reads as if the item began mid-sentence.
    """
    if title and title.strip():
        return " ".join(title.split())
    first = next((line for line in (text or "").splitlines() if line.strip()), "")
    words = " ".join(first.split()).lstrip("….· ")
    if not words:
        return "(untitled)"
    if len(words) <= limit:
        return words
    cut = words.rfind(" ", 0, limit + 1)
    head = words[:cut] if cut > limit // 2 else words[:limit]
    return head.rstrip(" ,;:–—-") + "…"
