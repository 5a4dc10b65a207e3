"""Commands about coded events: a pair's relations over time and the timeline."""

from __future__ import annotations

import json
from typing import Any

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
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out events whose confidence (a calibrated probability) is lower.")
@click.option("--json", "as_json", is_flag=True)
def relations(a: str, b: str, db: str, by: str, since: str | None, until: str | None,
              show_events: bool, include_hypothetical: bool, min_confidence: float,
              as_json: bool) -> None:
    """How a pair of actors' relations move: counts per quad class and summed intensity per period."""
    from steppe.analyse.common import InvalidParameter, NotFound
    from steppe.analyse.relations import relation_series

    try:
        data = relation_series(open_db(db), a, b, by=by, since=since, until=until,
                               include_hypothetical=include_hypothetical,
                               min_confidence=min_confidence)
    except (InvalidParameter, NotFound) as exc:  # an unknown actor too: one line, exit 2
        raise click.UsageError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    rows = list(data["periods"])
    if data.get("undated", {}).get("combined", {}).get("count"):
        rows.append({"period": f"no {by}", **data["undated"]})
    console.print(_relations_table(data, by, rows, wide=console.width >= _wide_width(data)))
    # The bucket holds events with no date and events dated only more coarsely than the period
    # (a year, by month): placing those in a month would invent precision.
    coarser = "" if by == "year" else f"\n  or dated more coarsely than a {by} (--by year places those)"
    console.print("[dim]VC/MC verbal/material cooperation · VK/MK verbal/material conflict"
                  "\nintensity: summed PLOVER intensity of the events\n"
                  f"no {by}: events dated neither by their sentence nor by their item{coarser}[/]")
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
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out events whose confidence (a calibrated probability) is lower.")
@click.option("--json", "as_json", is_flag=True)
def timeline(db: str, actor: str | None, since: str | None, until: str | None, limit: int,
             min_confidence: float, as_json: bool) -> None:
    """Dated events in order, each with its evidence sentence and source item."""
    from steppe.analyse.common import InvalidParameter, NotFound
    from steppe.analyse.timeline import timeline as build_timeline

    try:
        events = build_timeline(open_db(db), actor=actor, since=since, until=until, limit=limit,
                                min_confidence=min_confidence)
    except (InvalidParameter, NotFound) as exc:  # an unknown actor too: one line, exit 2
        raise click.UsageError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(events, ensure_ascii=False, indent=2))
        return
    for event in events:
        print_event(event, prefix=event.get("date") or "")
    if not events:
        err.print("no dated events")


QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
QUAD_ABBREV = ("VC", "MC", "VK", "MK")
DIRECTIONS = ("a_to_b", "b_to_a", "combined")


def _wide_width(data: dict[str, Any]) -> int:
    """Columns the side-by-side layout needs: a period, then per direction the four counts
    (up to 99 each) and the intensity, each column at least as wide as its header."""
    names = (f"{data['a']}→{data['b']}", f"{data['b']}→{data['a']}", "both")
    return 12 + sum(max(len(n), 11) + 3 + max(len(n), 9) + 3 for n in names) + 1


def _relations_table(data: dict[str, Any], by: str, rows: list[dict[str, Any]], *,
                     wide: bool) -> Table:
    """Counts per quad class and summed intensity per period and direction.

    Stacked (a row per direction, 7 columns: fits 80) unless the terminal is wide enough
    for the three directions side by side.
    """
    a, b = data["a"], data["b"]
    names = {"a_to_b": f"{a}→{b}", "b_to_a": f"{b}→{a}", "combined": "both"}
    table = Table(title=f"{a} ↔ {b} by {by}")
    table.add_column("period", no_wrap=True)
    if wide:
        for key in DIRECTIONS:
            table.add_column(f"{names[key]}\n{'/'.join(QUAD_ABBREV)}", justify="right", no_wrap=True)
            table.add_column(f"{names[key]}\nintensity", justify="right", no_wrap=True)
        for row in rows:
            cells = [row["period"]]
            for key in DIRECTIONS:
                *counts, intensity = _cells(row[key])
                cells += ["/".join(counts), intensity]
            table.add_row(*cells)
        return table
    table.add_column("direction", no_wrap=True)
    for abbrev in QUAD_ABBREV:
        table.add_column(abbrev, justify="right")
    table.add_column("intensity", justify="right", no_wrap=True)
    for row in rows:
        for n, key in enumerate(DIRECTIONS):
            table.add_row(row["period"] if n == 0 else "", names[key], *_cells(row[key]),
                          end_section=key == "combined")
    return table


def _cells(bucket: dict[str, Any]) -> list[str]:
    return [*(str(bucket[q]) for q in QUADS), f"{bucket['intensity']:+.1f}"]
