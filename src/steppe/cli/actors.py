"""Commands about actors: the actor list, one actor, and batch annotation of JSONL text."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from steppe.cli.common import console, db_option, err, open_db
from steppe.cli.group import main


@main.command()
@db_option
@click.option("--top", default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def actors(db: str, top: int, as_json: bool) -> None:
    """Linked actors with mention counts, most mentioned first."""
    from steppe.analyse.actors import actor_list

    rows = actor_list(open_db(db), top=top)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title="actors")
    for column in ("id", "name", "type", "country", "items", "mentions", "events"):
        table.add_column(column, justify="right" if column in ("items", "mentions", "events") else "left")
    for r in rows:
        table.add_row(r["id"], escape(r["label"]), r["type"] or "", r["country"] or "",
                      str(r["items"]), str(r["mentions"]), str(r["events"]))
    console.print(table)


@main.command()
@click.argument("name")
@db_option
@click.option("--json", "as_json", is_flag=True)
def actor(name: str, db: str, as_json: bool) -> None:
    """One actor: aliases, mentions by month, co-mentioned actors, events."""
    from steppe.analyse.actors import actor_summary
    from steppe.analyse.common import NotFound, UnknownActor

    try:
        data = actor_summary(open_db(db), name)
    except UnknownActor as exc:  # one line naming the closest known actors, exit 2
        raise click.UsageError(str(exc)) from exc
    except NotFound as exc:
        err.print(str(exc))
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    console.print(f"[bold]{escape(str(data['label']))}[/] [dim]{data['id']}[/]")
    if data["aliases"]:
        console.print("aliases: " + escape(", ".join(data["aliases"][:20])))
    console.print(f"mentions: {data['mentions']} in {data['items']} items")
    for row in data["mentions_by_month"]:
        console.print(f"  {row['month'] or '(undated)'}  {row['count']}")
    if data["co_mentioned"]:
        console.print("co-mentioned: " + escape(", ".join(
            f"{c['label']} ({c['count']})" for c in data["co_mentioned"][:10])))


@main.command()
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--no-events", is_flag=True, help="Entities only.")
def annotate(file: Any, no_events: bool) -> None:
    """Entities (and events) for JSONL lines {"id", "text", "date"?}; one JSON line out per line in."""
    from steppe.enrich.actors import KnowledgeBase
    from steppe.enrich.entities import EntityAnnotator, annotate_record
    from steppe.language import is_russian
    from steppe.pipeline import russian_enricher

    kb = KnowledgeBase.load()
    annotator = EntityAnnotator(kb)
    coder = None
    if not no_events:
        from steppe.enrich.events import EventCoder, event_to_dict

        coder = EventCoder(annotator, kb)
    for number, line in enumerate(file, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["text"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            err.print(f"line {number}: skipped, not a JSON object with a text ({exc})")
            continue
        if is_russian(text):  # Natasha + pymorphy3 (steppe.enrich.russian), loaded on first use
            mentions, events = russian_enricher(kb).enrich(
                text, date=record.get("date"), item_id=str(record.get("id", "")), events=coder is not None)
            out = {"id": record.get("id"), "entities": [
                {k: getattr(m, k) for k in ("text", "start", "end", "label", "actor", "country")}
                for m in mentions]}
        else:
            out = annotate_record(record, annotator)
            events = coder.code(text, date=record.get("date"),
                                item_id=str(record.get("id", ""))) if coder is not None else []
        if coder is not None:
            out["events"] = [event_to_dict(e) for e in events]
        click.echo(json.dumps(out, ensure_ascii=False))
