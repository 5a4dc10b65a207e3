"""One item as the reader shows it: text, provenance with page context, entities and events."""

from __future__ import annotations

from typing import Any

from steppe.analyse.common import NotFound, actor_label, display_title, event_brief

CONTEXT_CHARS = 300
MAX_PAGE_SLICE = 200_000


def item_detail(store: Any, item_id: str) -> dict[str, Any]:
    """The item with provenance (and the page text around each copy), mentions and events."""
    stored = store.get_item(item_id)
    if stored is None:
        raise NotFound(f"no item {item_id!r}")
    item = stored.to_dict()
    pages = {r["id"]: r for r in store.query(
        "SELECT p.id, p.source, p.url, p.title, p.kind, p.publisher, p.fetched_at FROM pages p"
        " WHERE p.id IN (SELECT page_id FROM provenance WHERE item_id = ?)", (stored.id,))}
    provenance = []
    for prov in stored.provenance:
        page = pages.get(prov.page_id, {})
        slice_ = page_slice(store, prov.page_id, prov.start, prov.end, context=CONTEXT_CHARS)
        provenance.append({
            "page_id": prov.page_id, "source": prov.page, "page_url": page.get("url"),
            "page_title": page.get("title"), "page_kind": page.get("kind"),
            "fetched_at": page.get("fetched_at"), "start": prov.start, "end": prov.end,
            "context_before": slice_["before"] if slice_ else "",
            "context_after": slice_["after"] if slice_ else "",
        })
    item["provenance"] = provenance
    item["mentions"] = [{**m.to_dict(), "actor_label": actor_label(m.actor, m.text) if m.actor else None}
                        for m in store.mentions(stored.id)]
    item["events"] = [event_brief({**event.to_dict(), "item_id": stored.id}) for event in store.events(stored.id)]
    item["display_title"] = display_title(stored.title, stored.text)
    return item


def page_slice(store: Any, page_id: int, start: int | None = None, end: int | None = None,
               *, context: int | None = None) -> dict[str, Any] | None:
    """Page text split around [start, end): before, the span, after (``context`` chars each side)."""
    rows = store.query("SELECT id, source, url, title, kind, length(text) AS length FROM pages"
                       " WHERE id = ?", (page_id,))
    if not rows:
        return None
    text = store.page_text(page_id) or ""
    start = max(0, min(start if start is not None else 0, len(text)))
    end = max(start, min(end if end is not None else start, len(text)))
    lo = 0 if context is None else max(0, start - context)
    hi = len(text) if context is None else min(len(text), end + context)
    if hi - lo > MAX_PAGE_SLICE:  # keep answers bounded on huge pages
        lo, hi = max(0, start - MAX_PAGE_SLICE // 4), min(len(text), end + MAX_PAGE_SLICE // 4)
    return {**rows[0], "start": start, "end": end, "offset": lo,
            "before": text[lo:start], "span": text[start:end], "after": text[end:hi],
            "truncated_before": lo > 0, "truncated_after": hi < len(text)}
