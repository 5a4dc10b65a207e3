"""Event ids and JSON records."""

from __future__ import annotations

import hashlib
from typing import Any

from steppe.enrich.plover import FAMILY
from steppe.model import Event, EventActor


def event_id(item: str, evidence_start: int, etype: str, source: EventActor | None,
             target: EventActor | None) -> str:
    """Stable id: same item, sentence, type and sides give the same id."""
    def key(a: EventActor | None) -> str:
        return "" if a is None else (",".join(sorted(a.actors)) or a.text.lower())
    basis = f"{item}|{evidence_start}|{etype}|{key(source)}|{key(target)}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def _actor_dict(a: EventActor | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"actors": list(a.actors), "text": a.text, "start": a.start, "end": a.end,
            "countries": list(a.countries)}


def event_to_dict(event: Event) -> dict[str, Any]:
    """JSON-ready record of an event (field names follow the issue and PLOVER)."""
    return {
        "id": event.id,
        "type": event.type,
        "family": FAMILY.get(event.type, event.type),
        "mode": event.mode,
        "quad": event.quad,
        "intensity": event.intensity,
        "source": _actor_dict(event.source),
        "target": _actor_dict(event.target),
        "date": event.date,
        "date_precision": event.date_precision,
        "date_raw": event.date_raw,
        "place": event.place,
        "item": event.item_id,
        "evidence": {"start": event.evidence_start, "end": event.evidence_end,
                     "text": event.evidence},
        "confidence": event.confidence,
        "negated": event.negated,
        "hypothetical": event.hypothetical,
        "reported": event.reported,
    }
