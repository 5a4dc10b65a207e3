"""The reads both stores answer with the same SQL.

A store that mixes in :class:`SharedReads` supplies ``query(sql, params)``
(``?`` placeholders, rows as dicts; the PostgreSQL store translates them) and,
where its collation needs saying, ``EVENT_ORDER``. What really differs per
backend (search, streaming every item, writes) stays in each store.
"""

from __future__ import annotations

import json
from typing import Any

from steppe.model import STORED_ITEM_COLUMNS, Event, Mention, ProvenanceRow, StoredItem

# What an item looks like to readers: its columns without the internal ones (minhash, first page).
ITEM_COLUMNS = ", ".join(STORED_ITEM_COLUMNS)


class SharedReads:
    EVENT_ORDER = "date, id"  # every event, in a stable order

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def get_item(self, item_id: str) -> StoredItem | None:
        """An item with its provenance, by id or by an unambiguous id prefix."""
        rows = self.query(f"SELECT {ITEM_COLUMNS} FROM items WHERE id=?", (item_id,))
        if not rows:
            rows = self.query(f"SELECT {ITEM_COLUMNS} FROM items WHERE id LIKE ? ESCAPE '!' LIMIT 2",
                              (_like_prefix(item_id),))
            if len(rows) != 1:
                return None
        item = StoredItem(**rows[0])
        item.provenance = self.provenance(item.id)
        return item

    def provenance(self, item_id: str) -> list[ProvenanceRow]:
        rows = self.query(
            'SELECT p.source, p.id AS page_id, v.start, v."end" FROM provenance v'
            " JOIN pages p ON p.id = v.page_id WHERE v.item_id=? ORDER BY p.id, v.start", (item_id,))
        return [ProvenanceRow(r["source"], int(r["page_id"]), r["start"], r["end"]) for r in rows]

    def page_text(self, page_id: int) -> str | None:
        rows = self.query("SELECT text FROM pages WHERE id=?", (page_id,))
        return rows[0]["text"] if rows else None

    def mentions(self, item_id: str) -> list[Mention]:
        return [Mention(**r, item_id=item_id) for r in self.query(
            'SELECT start, "end", text, label, actor, score, country, role FROM mentions'
            " WHERE item_id=? ORDER BY start", (item_id,))]

    def events(self, item_id: str | None = None) -> list[Event]:
        rows = (self.query("SELECT record FROM events WHERE item_id=? ORDER BY evidence_start", (item_id,))
                if item_id else self.query(f"SELECT record FROM events ORDER BY {self.EVENT_ORDER}"))
        return [Event.from_dict(json.loads(r["record"])) for r in rows]

    def stats(self, *, runs: int = 3) -> dict[str, Any]:
        """Counts, the latest runs and their failures (what ``steppe stats`` shows)."""
        recent = self.query("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (runs,))
        run_ids = tuple(r["id"] for r in recent)
        failures = self.query(
            f"SELECT run_id, source, stage, reason FROM failures WHERE run_id IN ({','.join('?' * len(run_ids))})"
            " ORDER BY id", run_ids) if run_ids else []

        def count(table: str) -> int:
            return int(self.query(f"SELECT count(*) AS n FROM {table}")[0]["n"])

        def counts(sql: str) -> dict[str, int]:
            return {str(r["k"]): int(r["n"]) for r in self.query(sql)}

        return {
            "pages": count("pages"),
            "items": count("items"),
            "provenances": count("provenance"),
            "by_publisher": counts("SELECT coalesce(publisher, '(unknown)') AS k, count(*) AS n FROM items"
                                   " GROUP BY 1 ORDER BY 2 DESC"),
            "by_kind": counts("SELECT kind AS k, count(*) AS n FROM items GROUP BY 1 ORDER BY 2 DESC"),
            "by_page_kind": counts("SELECT kind AS k, count(*) AS n FROM pages GROUP BY 1 ORDER BY 2 DESC"),
            "by_month": counts("SELECT coalesce(substr(published, 1, 7), '(undated)') AS k, count(*) AS n"
                               " FROM items GROUP BY 1 ORDER BY 1"),
            "runs": recent,
            "failures": failures,
        }


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern for ids starting with ``prefix`` (``!`` escapes the wildcards)."""
    return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"
