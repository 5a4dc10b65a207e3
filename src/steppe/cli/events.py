"""Commands about coded events: a pair's relations over time and the timeline."""

from __future__ import annotations

import json

import click
from rich.table import Table

from steppe.cli.common import console, db_option, err, open_db, print_event
from steppe.cli.group import main


@main.command()
@click.argument("a")
@click.argument("b")
@db_option
@click.option("--by", type=click.Choice(["month", "quarter", "year"]), default="month", show_default=True)
@click.option("--since")
@click.option("--until")
@click.option("--show-events", is_flag=True, help="List each period's events with their sentences.")
@click.option("--include-hypothetical", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
def relations(a: str, b: str, db: str, by: str, since: str | None, until: str | None,
              show_events: bool, include_hypothetical: bool, as_json: bool) -> None:
    """How a pair of actors' relations move: counts per quad class and summed intensity per period."""
    from steppe.analyse.common import InvalidParameter, NotFound
    from steppe.analyse.relations import relation_series

    try:
        data = relation_series(open_db(db), a, b, by=by, since=since, until=until,
                               include_hypothetical=include_hypothetical)
    except (InvalidParameter, NotFound) as exc:  # an unknown actor too: one line, exit 2
        raise click.UsageError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    quads = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
    table = Table(title=f"{data['a']} ↔ {data['b']} by {by}")
    table.add_column("period")
    for direction in ("a→b", "b→a", "both"):
        table.add_column(f"{direction} VC/MC/VK/MK", justify="right")
        table.add_column(f"{direction} intensity", justify="right")
    rows = list(data["periods"])
    if data.get("undated", {}).get("combined", {}).get("count"):
        rows.append({"period": "undated", **data["undated"]})
    for row in rows:
        cells = [row["period"]]
        for key in ("a_to_b", "b_to_a", "combined"):
            bucket = row[key]
            cells += ["/".join(str(bucket[q]) for q in quads), f"{bucket['intensity']:+.1f}"]
        table.add_row(*cells)
    console.print(table)
    console.print("[dim]VC/MC/VK/MK: verbal cooperation / material cooperation / verbal conflict /"
                  " material conflict; 'undated': events that neither their sentence nor their item dates[/]")
    if show_events:
        for row in rows:
            for event_id in row["combined"]["events"]:
                print_event(data["events"][event_id], prefix=row["period"])
    elif rows:
        console.print("[dim]--show-events lists the events and sentences behind each figure[/]")


@main.command()
@db_option
@click.option("--actor")
@click.option("--since")
@click.option("--until")
@click.option("--limit", default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def timeline(db: str, actor: str | None, since: str | None, until: str | None, limit: int,
             as_json: bool) -> None:
    """Dated events in order, each with its evidence sentence and source item."""
    from steppe.analyse.common import InvalidParameter, NotFound
    from steppe.analyse.timeline import timeline as build_timeline

    try:
        events = build_timeline(open_db(db), actor=actor, since=since, until=until, limit=limit)
    except (InvalidParameter, NotFound) as exc:  # an unknown actor too: one line, exit 2
        raise click.UsageError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(events, ensure_ascii=False, indent=2))
        return
    for event in events:
        print_event(event, prefix=event.get("date") or "")
    if not events:
        err.print("no dated events")
