"""What every command shares: the consoles, opening the store, the --db option, printing an event."""

from __future__ import annotations

import os
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from steppe.store import Store, StoreError, open_store

DEFAULT_DB = "steppe.db"

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def open_db(db: str) -> Store:
    try:
        return open_store(db)
    except StoreError as exc:
        raise click.UsageError(str(exc)) from exc


db_option = click.option("--db", default=lambda: os.environ.get("STEPPE_DB", DEFAULT_DB),
                         show_default=f"$STEPPE_DB or {DEFAULT_DB}", help="Database path or URL.")


def print_event(event: dict[str, Any], *, prefix: str) -> None:
    def side(s: dict[str, Any] | None) -> str:
        return "+".join(s.get("labels") or s.get("actors") or []) if s else "?"

    flags = " ".join(f for f in ("hypothetical" if event.get("hypothetical") else "",
                                 "negated" if event.get("negated") else "") if f)
    item = event.get("item") or {}
    if not event.get("date") and event.get("date_raw"):
        prefix = f"{prefix} (“{event['date_raw']}”, year unknown)"
    console.print(f"[bold]{escape(prefix)}[/] {event['type']} {escape(side(event.get('source')))} → "
                  f"{escape(side(event.get('target')))}"
                  + (f" @ {escape(str(event.get('place_label') or event.get('place')))}" if event.get("place") else "")
                  + (f" [yellow]{flags}[/]" if flags else ""))
    console.print(f"   “{escape(event.get('evidence') or '')}”")
    source = [item.get("publisher"), item.get("title"), item.get("published"), f"item {event.get('item_id')}"]
    console.print(f"   [dim]{escape(' · '.join(p for p in source if p))}[/]")
