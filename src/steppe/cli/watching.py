"""The `steppe watch` group: saved criteria and what is new since the last check."""

from __future__ import annotations

import json
import os
import sys

import click
from rich.markup import escape

from steppe.cli.common import console, db_option, err, open_db
from steppe.cli.group import main


@main.group()
def watch() -> None:
    """Watchlists: saved actor/event-type/keyword criteria; `check` reports what is new."""


@watch.command("add")
@click.argument("name")
@db_option
@click.option("--actor", help="Actor id, name or alias (matches by country too).")
@click.option("--type", "event_type", help="PLOVER event type, e.g. CONSULT or COERCE.")
@click.option("--query", help="Keyword query, as for `steppe search`.")
def watch_add(name: str, db: str, actor: str | None, event_type: str | None, query: str | None) -> None:
    """Create (or redefine) a watchlist."""
    from steppe.analyse import InvalidParameter
    from steppe.analyse.watch import add_watch

    store = open_db(db)
    try:
        w = add_watch(store, name, actor=actor, type=event_type, query=query)
    except InvalidParameter as exc:
        raise click.UsageError(str(exc)) from exc
    console.print(f"watchlist [bold]{escape(w.name)}[/]: "
                  + escape("; ".join(f"{k} {v}" for k, v in (("actor", w.actor), ("type", w.type),
                                                            ("query", w.query)) if v)))


@watch.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True)
def watch_list(db: str, as_json: bool) -> None:
    """The watchlists and when each was last checked."""
    from dataclasses import asdict

    from steppe.analyse.watch import list_watches

    watches = list_watches(open_db(db))
    if as_json:
        click.echo(json.dumps([asdict(w) for w in watches], ensure_ascii=False, indent=2))
        return
    for w in watches:
        crit = "; ".join(f"{k} {v}" for k, v in (("actor", w.actor), ("type", w.type), ("query", w.query)) if v)
        console.print(f"[bold]{escape(w.name)}[/] {escape(crit)} [dim]last checked "
                      f"{w.last_checked or 'never'}[/]")
    if not watches:
        err.print("no watchlists (add one with `steppe watch add NAME --actor ...`)")


@watch.command("check")
@click.argument("names", nargs=-1)
@db_option
@click.option("--json", "as_json", is_flag=True)
def watch_check(names: tuple[str, ...], db: str, as_json: bool) -> None:
    """New matching items and events since the last check (all watchlists, or those named)."""
    from steppe.analyse import NotFound
    from steppe.analyse.watch import check_watches

    try:
        results = check_watches(open_db(db), list(names) or None)
    except NotFound as exc:
        raise click.UsageError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for r in results:
        console.print(f"[bold]{escape(r['name'])}[/]: {len(r['items'])} new items, {len(r['events'])} new "
                      f"events [dim](of {r['total_items']} and {r['total_events']}; last check "
                      f"{r['since'] or 'never'})[/]")
        for item in r["items"]:
            meta = " · ".join(filter(None, [item.get("publisher"), item.get("published")]))
            console.print(f"  item {item['id']} {escape(item.get('title') or item['snippet'][:80])} "
                          f"[dim]{escape(meta)}[/]")
        for event in r["events"]:
            console.print(f"  event {event['type']} {event.get('date') or ''} "
                          f"“{escape((event.get('evidence') or '')[:120])}”")


@watch.command("remove")
@click.argument("name")
@db_option
def watch_remove(name: str, db: str) -> None:
    """Delete a watchlist."""
    from steppe.analyse.watch import remove_watch

    if not remove_watch(open_db(db), name):
        err.print(f"no watchlist {name!r}")
        sys.exit(1)


@watch.command("feed")
@click.argument("name")
@db_option
@click.option("--base-url", default=lambda: os.environ.get("STEPPE_BASE_URL", "http://127.0.0.1:8000"),
              show_default="$STEPPE_BASE_URL or http://127.0.0.1:8000")
def watch_feed(name: str, db: str, base_url: str) -> None:
    """The watchlist as an Atom feed (the server serves it at /feeds/NAME.atom)."""
    from steppe.analyse import NotFound
    from steppe.analyse.watch import watch_feed_atom

    try:
        click.echo(watch_feed_atom(open_db(db), name, base_url))
    except NotFound as exc:
        raise click.UsageError(str(exc)) from exc
