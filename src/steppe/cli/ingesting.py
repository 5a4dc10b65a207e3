"""Commands that bring pages in: ingest (with enrichment and embedding), embed, extract, migrate."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click
from rich.markup import escape

from steppe.cli.common import console, db_option, err, open_db
from steppe.cli.group import main
from steppe.store import Store, StoreError


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
    store = open_db(db)
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
    store = open_db(db)
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

    store = open_db(db)
    fmt = fmt or ("graphml" if what == "network" else "jsonl")
    try:
        count = run_export(store, what, fmt, out)
    except InvalidParameter as exc:
        raise click.UsageError(str(exc)) from exc
    if out:
        err.print(f"{count} {what if what != 'network' else 'nodes'} → {out}")


@main.command()
@click.option("--from", "src", required=True, help="Database to copy from (path or URL).")
@click.option("--to", "dst", required=True, help="Empty database to copy into (path or URL).")
def migrate(src: str, dst: str) -> None:
    """Copy an evidence base to another store (e.g. SQLite -> PostgreSQL), checked by counts and hash."""
    from steppe.store.transfer import migrate as run_migrate

    source, target = open_db(src), open_db(dst)
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
