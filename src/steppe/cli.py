"""The ``steppe`` command line: ingest, search, show, export, extract, stats.

Exit codes: 0 success (ingest: at least one input succeeded), 1 nothing
succeeded or nothing found, 2 usage errors.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from steppe.store import QuerySyntaxError, Store, StoreError, open_store

DEFAULT_DB = "steppe.db"

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _open(db: str) -> Store:
    try:
        return open_store(db)
    except StoreError as exc:
        raise click.UsageError(str(exc)) from exc


db_option = click.option("--db", default=lambda: os.environ.get("STEPPE_DB", DEFAULT_DB),
                         show_default=f"$STEPPE_DB or {DEFAULT_DB}", help="Database path or URL.")


@click.group()
@click.version_option(package_name="steppe")
@click.option("-v", "--verbose", is_flag=True, help="Log every step.")
def main(verbose: bool) -> None:
    """Steppe: turn saved pages into a searchable, attributed evidence base."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(message)s")


# ---------------------------------------------------------------- ingest


@main.command()
@click.argument("inputs", nargs=-1)
@db_option
@click.option("--urls", "urls_file", type=click.Path(exists=True, dir_okay=False),
              help="A file with one URL per line.")
@click.option("--max-size", default=20.0, show_default=True, help="Skip inputs larger than this many MB.")
@click.option("--delay", default=1.0, show_default=True, help="Seconds between requests to one host.")
@click.option("--ignore-robots", is_flag=True, help="Fetch even where robots.txt disallows (be polite).")
@click.option("--enrich/--no-enrich", default=True, show_default=True,
              help="Link entities to actors and code events after storing pages.")
@click.option("--workers", default=0, show_default=True,
              help="Read pages and enrich items on N local worker processes (0 or 1: in-process).")
@click.option("--executor", "executor_spec", default=lambda: os.environ.get("STEPPE_EXECUTOR"),
              help="dask://host:8786 to read pages and enrich items on a Dask cluster ($STEPPE_EXECUTOR).")
def ingest(inputs: tuple[str, ...], db: str, urls_file: str | None, max_size: float, delay: float,
           ignore_robots: bool, enrich: bool, workers: int, executor_spec: str | None) -> None:
    """Ingest files, folders (recursive), .gz files, URLs, URL lists and RSS/Atom feeds."""
    from steppe.collect import CollectOptions
    from steppe.pipeline import ingest as run_ingest

    if not inputs and not urls_file:
        raise click.UsageError("give at least one file, folder or URL (or --urls FILE)")
    options = CollectOptions(max_bytes=int(max_size * 1024 * 1024), delay=delay,
                             respect_robots=not ignore_robots)
    store = _open(db)
    executor = _executor(executor_spec, workers)
    try:  # both stages share the executor: its workers start (and load what they need) once
        with _progress_reporter() as report:
            summary = run_ingest(inputs, store, urls_file=urls_file, options=options, on_progress=report,
                                 executor=executor)
        enriched = _enrich(store, executor) if enrich and summary.succeeded else 0
    finally:
        if executor is not None:
            executor.close()
    if enrich and summary.succeeded:
        _embed(store, quiet=True)
    for failure in summary.failures:
        err.print(f"[yellow]skipped[/] {escape(failure.source)}: {escape(failure.reason)}")
    console.print(
        f"{summary.pages_added} pages added, {summary.pages_skipped} already stored, "
        f"{len(summary.failures)} failed; {summary.items_added} new items, "
        f"{summary.duplicates} duplicates merged; {enriched} items enriched → {db}"
    )
    store.close()
    sys.exit(0 if summary.succeeded else 1)


def _executor(spec: str | None, workers: int) -> Any:
    """None for the default in-process run; a process pool or a Dask client otherwise."""
    if not spec and workers <= 1:
        return None
    from steppe.executors import make_executor

    try:
        return make_executor(spec, workers=workers)
    except (ValueError, RuntimeError, OSError) as exc:
        raise click.UsageError(f"cannot use executor {spec or workers}: {exc}") from exc


def _enrich(store: Store, executor: Any = None) -> int:
    """Entities and events for new items; a missing model is a clear message, not a crash."""
    from steppe.enrich.entities import PipelineMissing
    from steppe.pipeline import enrich_items

    try:
        return enrich_items(store, executor=executor)
    except (ImportError, OSError, PipelineMissing) as exc:
        err.print(f"[yellow]entities and events skipped[/]: {escape(str(exc))}")
        return 0


def _embed(store: Store, model: str | None = None, *, quiet: bool = False) -> int:
    """Sentence vectors for semantic search, when the `semantic` extra is installed."""
    from steppe.analyse import semantic

    if quiet and not semantic.available(model):
        return 0
    try:
        return semantic.embed_items(store, model)
    except semantic.SemanticUnavailable as exc:
        err.print(f"[yellow]semantic search unavailable[/]: {escape(str(exc))}")
        return 0


@main.command()
@db_option
@click.option("--model", help="Embedding model (default: the installed default).")
def embed(db: str, model: str | None) -> None:
    """Embed items for semantic search (needs `pip install -e .[semantic]`); resumable."""
    store = _open(db)
    done = _embed(store, model)
    console.print(f"{done} items embedded")


class _progress_reporter:
    """A Rich progress bar on a terminal, plain log lines otherwise."""

    def __enter__(self) -> Any:
        import time

        self.started = time.monotonic()
        self.count = 0
        if err.is_terminal:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                     TimeElapsedColumn(), console=err, transient=True)
            self.progress.start()
            self.task = self.progress.add_task("ingesting")
        else:
            self.progress = None
        return self.report

    def report(self, source: str, summary: Any) -> None:
        import time

        self.count += 1
        rate = self.count / max(time.monotonic() - self.started, 1e-6)
        line = (f"{self.count} pages ({rate:.1f}/s), {len(summary.failures)} failed — "
                f"{source[-60:]}")
        if self.progress is not None:
            self.progress.update(self.task, description=escape(line))
        else:
            logging.getLogger("steppe").info(line)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


# ---------------------------------------------------------------- reading


@main.command()
@click.argument("query")
@db_option
@click.option("--limit", default=10, show_default=True)
@click.option("--actor", help="Only items mentioning this actor (id, name or alias).")
@click.option("--publisher")
@click.option("--kind")
@click.option("--since", help="YYYY, YYYY-MM or YYYY-MM-DD")
@click.option("--until", help="YYYY, YYYY-MM or YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
def search(query: str, db: str, limit: int, actor: str | None, publisher: str | None,
           kind: str | None, since: str | None, until: str | None, as_json: bool) -> None:
    """Keyword search (BM25): words, "phrases", prefix*, AND/OR/NOT, -excluded."""
    store = _open(db)
    actor_id = _resolve_actor(actor) if actor else None
    try:
        hits = store.search(query, limit=limit, actor=actor_id, publisher=publisher, kind=kind,
                            since=since, until=until)
    except (QuerySyntaxError, StoreError) as exc:
        raise click.UsageError(str(exc)) from exc
    for hit in hits:
        if as_json:
            click.echo(json.dumps({**hit.__dict__, "snippet": hit.snippet.replace("\x02", "").replace("\x03", "")},
                                  ensure_ascii=False))
            continue
        snippet = escape(hit.snippet).replace("\x02", "[bold yellow]").replace("\x03", "[/]")
        meta = " · ".join(filter(None, [hit.publisher, hit.published, hit.kind]))
        console.print(f"[bold]{hit.id}[/] {escape(hit.title or '')} [dim]{escape(meta)}[/]")
        console.print(f"   {snippet}")
    if not hits:
        err.print("no matches")
        sys.exit(1)


@main.command()
@click.argument("item_id")
@db_option
@click.option("--json", "as_json", is_flag=True)
def show(item_id: str, db: str, as_json: bool) -> None:
    """One item (id or unique id prefix) with its provenance."""
    store = _open(db)
    item = store.get_item(item_id)
    if item is None:
        err.print(f"no item {item_id!r}")
        sys.exit(1)
    item["mentions"] = store.mentions(item["id"])
    item["events"] = store.events(item["id"])
    if as_json:
        click.echo(json.dumps(item, ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{escape(item['title'] or '(untitled)')}[/]  [dim]{item['id']} · {item['kind']}[/]")
    date = f"{item['published']} ({item['published_precision']})" if item["published"] else (
        f"undated (raw: {item['date_raw']})" if item["date_raw"] else "undated")
    console.print(f"{escape(item['publisher'] or 'unknown publisher')} · {escape(date)}")
    if item["url"]:
        console.print(escape(item["url"]))
    console.print()
    console.print(escape(item["text"]))
    console.print()
    for prov in item["provenance"]:
        console.print(f"[dim]seen in {escape(prov['page'])} chars {prov['start']}–{prov['end']}[/]")
    actors = sorted({m["actor"] for m in item["mentions"] if m["actor"]})
    if actors:
        console.print(f"[dim]actors: {', '.join(actors)}[/]")
    for event in item["events"]:
        console.print(f"[dim]event {event['type']} {event.get('date') or ''}: {escape(event.get('evidence', ''))}[/]")


@main.command()
@db_option
@click.option("--what", type=click.Choice(["items", "events", "actors", "mentions", "network"]),
              default="items", show_default=True)
@click.option("--format", "fmt",
              type=click.Choice(["jsonl", "csv", "parquet", "plover", "graphml", "gexf", "json"]),
              default=None, help="jsonl|csv|parquet; events also plover; network graphml|gexf|json "
                                 "[default: jsonl, graphml for network]")
@click.option("--out", type=click.Path(dir_okay=False), help="File to write (default: standard output).")
def export(db: str, what: str, fmt: str | None, out: str | None) -> None:
    """Items, events, actors or mentions as JSONL/CSV/Parquet; events as PLOVER; the network for Gephi."""
    from steppe.analyse import InvalidParameter
    from steppe.analyse.exports import export as run_export

    store = _open(db)
    fmt = fmt or ("graphml" if what == "network" else "jsonl")
    try:
        count = run_export(store, what, fmt, out)
    except InvalidParameter as exc:
        raise click.UsageError(str(exc)) from exc
    if out:
        err.print(f"{count} {what if what != 'network' else 'nodes'} → {out}")


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--jsonl", is_flag=True, help="One compact JSON object per line (default: indented).")
def extract(files: tuple[str, ...], jsonl: bool) -> None:
    """What Steppe makes of each page, without a database."""
    from steppe.collect import iter_documents
    from steppe.model import Failure
    from steppe.pipeline import read_page

    ok = 0
    for doc in iter_documents(files):
        page = doc if isinstance(doc, Failure) else read_page(doc)
        if isinstance(page, Failure):
            err.print(f"[yellow]skipped[/] {escape(page.source)}: {escape(page.reason)}")
            continue
        ok += 1
        record = {
            "source": page.source, "kind": page.kind, "title": page.title,
            "text": "\n\n".join(i.text for i in page.items if i.kind == "article")
            or "\n\n".join(i.text for i in page.items),
            "published": page.published, "published_precision": page.published_precision,
            "publisher": page.publisher, "url": page.url,
            "items": [{k: v for k, v in i.to_dict().items() if k not in ("spans",)} for i in page.items],
        }
        click.echo(json.dumps(record, ensure_ascii=False, indent=None if jsonl else 2))
    sys.exit(0 if ok else 1)


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True)
def stats(db: str, as_json: bool) -> None:
    """Counts by publisher, kind and month; failures of the last runs."""
    store = _open(db)
    data = store.stats()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console.print(f"{data['pages']} pages, {data['items']} items, {data['provenances']} provenances")
    for title, key in (("publisher", "by_publisher"), ("item kind", "by_kind"),
                       ("page kind", "by_page_kind"), ("month", "by_month")):
        table = Table(title=f"items by {title}" if key != "by_page_kind" else "pages by kind")
        table.add_column(title)
        table.add_column("count", justify="right")
        for name, count in data[key].items():
            table.add_row(escape(name), str(count))
        console.print(table)
    if data["runs"]:
        table = Table(title="last runs")
        for column in ("run", "started", "added", "already stored", "failed"):
            table.add_column(column)
        for run in data["runs"]:
            table.add_row(str(run["id"]), run["started_at"], str(run["pages_added"]),
                          str(run["pages_skipped"]), str(run["failures"]))
        console.print(table)
    for failure in data["failures"]:
        console.print(f"[yellow]run {failure['run_id']}[/] {escape(failure['source'])}: "
                      f"{failure['stage']}: {escape(failure['reason'])}")


@main.command()
@click.option("--from", "src", required=True, help="Database to copy from (path or URL).")
@click.option("--to", "dst", required=True, help="Empty database to copy into (path or URL).")
def migrate(src: str, dst: str) -> None:
    """Copy an evidence base to another store (e.g. SQLite -> PostgreSQL), checked by counts and hash."""
    from steppe.store.transfer import migrate as run_migrate

    source, target = _open(src), _open(dst)
    try:
        report = run_migrate(source, target)
    except StoreError as exc:
        err.print(f"[red]migration failed[/]: {escape(str(exc))}")
        sys.exit(1)
    finally:
        source.close()
        target.close()
    for table, count in report["copied"].items():
        console.print(f"{table}: {count} rows, sha256 {report['destination'].get(table, {}).get('sha256', '-')[:16]}")
    console.print(f"copied and verified {src} → {dst}")


def _resolve_actor(name: str) -> str:
    from steppe.analyse.common import resolve_actor

    return resolve_actor(name) or name


# ---------------------------------------------------------------- actors and events


@main.command()
@db_option
@click.option("--top", default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def actors(db: str, top: int, as_json: bool) -> None:
    """Linked actors with mention counts, most mentioned first."""
    from steppe.analyse.actors import actor_list

    rows = actor_list(_open(db), top=top)
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
    from steppe.analyse.common import NotFound

    try:
        data = actor_summary(_open(db), name)
    except NotFound as exc:
        err.print(str(exc))
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    console.print(f"[bold]{escape(str(data.get('name') or data.get('id')))}[/] [dim]{data.get('id')}[/]")
    if data.get("aliases"):
        console.print("aliases: " + escape(", ".join(data["aliases"][:20])))
    for key in ("mentions", "items"):
        if key in data:
            console.print(f"{key}: {data[key]}")
    for row in data.get("by_month", []):
        console.print(f"  {row['month'] or '(undated)'}  {row['count']}")
    co = data.get("co_mentioned") or []
    if co:
        console.print("co-mentioned: " + escape(", ".join(f"{c.get('label', c.get('id'))} ({c.get('items', c.get('count'))})" for c in co[:10])))


@main.command()
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--no-events", is_flag=True, help="Entities only.")
def annotate(file: Any, no_events: bool) -> None:
    """Entities (and events) for JSONL lines {"id", "text", "date"?}; one JSON line out per line in."""
    from steppe.enrich.actors import KnowledgeBase
    from steppe.enrich.entities import EntityAnnotator, annotate_record

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
        out = annotate_record(record, annotator)
        if coder is not None:
            events = coder.code(text, date=record.get("date"), item_id=str(record.get("id", "")))
            out["events"] = [event_to_dict(e) for e in events]
        click.echo(json.dumps(out, ensure_ascii=False))


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
    from steppe.analyse.common import InvalidParameter
    from steppe.analyse.relations import relation_series

    try:
        data = relation_series(_open(db), a, b, by=by, since=since, until=until,
                               include_hypothetical=include_hypothetical,
                               min_confidence=min_confidence)
    except InvalidParameter as exc:
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
                _print_event(data["events"][event_id], prefix=row["period"])
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
    from steppe.analyse.common import InvalidParameter
    from steppe.analyse.timeline import timeline as build_timeline

    try:
        events = build_timeline(_open(db), actor=actor, since=since, until=until, limit=limit,
                                min_confidence=min_confidence)
    except InvalidParameter as exc:
        raise click.UsageError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(events, ensure_ascii=False, indent=2))
        return
    for event in events:
        _print_event(event, prefix=event.get("date") or "")
    if not events:
        err.print("no dated events")


def _print_event(event: dict[str, Any], *, prefix: str) -> None:
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


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--allow-ingest", is_flag=True, help="Enable POST /api/ingest.")
def serve(db: str, host: str, port: int, allow_ingest: bool) -> None:
    """Serve the REST API (OpenAPI at /docs) and the web app."""
    import uvicorn

    from steppe.serve.app import create_app

    uvicorn.run(create_app(db, allow_ingest=allow_ingest), host=host, port=port, log_level="warning")


# ---------------------------------------------------------------- briefs and watchlists (analyse.brief/watch)


@main.command()
@click.argument("more_actors", nargs=-1, metavar="[ACTOR]...")
@db_option
@click.option("--about", help="A question or topic to brief on.")
@click.option("--actors", "actor_opts", multiple=True,
              help="Actors (ids, names or aliases): --actors KAZ RUS, or KAZ,RUS.")
@click.option("--since", help="YYYY, YYYY-MM or YYYY-MM-DD")
@click.option("--until", help="YYYY, YYYY-MM or YYYY-MM-DD")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "pdf", "json"]), default="md",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="File to write (default: standard output).")
@click.option("--polish", is_flag=True,
              help="Add a summary written by the model at $STEPPE_LLM_URL (refused unless every "
                   "sentence cites the extracts).")
@click.option("--base-url", default=None, help="Workbench URL for evidence links ($STEPPE_BASE_URL).")
def brief(more_actors: tuple[str, ...], db: str, about: str | None, actor_opts: tuple[str, ...],
          since: str | None, until: str | None, fmt: str, out: str | None, polish: bool,
          base_url: str | None) -> None:
    """A cited brief: key events, relation curve, what sources argue by theme, sources."""
    from steppe.analyse import InvalidParameter
    from steppe.analyse.brief import PolishRefused, build_brief, render
    from steppe.analyse.brief import polish as run_polish

    store = _open(db)
    try:
        result = build_brief(store, about=about, actors=[*actor_opts, *more_actors], since=since,
                             until=until)
        if polish:
            if not os.environ.get("STEPPE_LLM_URL"):
                raise click.UsageError("--polish needs STEPPE_LLM_URL (an OpenAI-compatible API base URL)")
            result = run_polish(result)
        data = render(result, fmt, base_url=base_url)
    except InvalidParameter as exc:
        raise click.UsageError(str(exc)) from exc
    except PolishRefused as exc:
        err.print(f"[red]refused[/]: {escape(str(exc))}")
        sys.exit(1)
    except RuntimeError as exc:
        err.print(f"[red]cannot render {fmt}[/]: {escape(str(exc))}")
        sys.exit(1)
    if out:
        with open(out, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        err.print(f"brief: {len(result.sources)} sources cited → {out}")
    elif isinstance(data, bytes):
        sys.stdout.buffer.write(data)
    else:
        click.echo(data, nl=False)


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

    store = _open(db)
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

    watches = list_watches(_open(db))
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
        results = check_watches(_open(db), list(names) or None)
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

    if not remove_watch(_open(db), name):
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
        click.echo(watch_feed_atom(_open(db), name, base_url))
    except NotFound as exc:
        raise click.UsageError(str(exc)) from exc


if __name__ == "__main__":
    main()
