"""Commands that read the evidence base: search, show, export, stats."""

from __future__ import annotations

import json
import sys

import click
from rich.markup import escape
from rich.table import Table

from steppe.analyse.common import display_title
from steppe.analyse.search import MODES
from steppe.cli.common import console, db_option, err, open_db
from steppe.cli.group import main
from steppe.store import QuerySyntaxError, StoreError


@main.command()
@click.argument("query", default="")
@db_option
@click.option("--limit", default=10, show_default=True)
@click.option("--actor", help="Only items mentioning this actor (id, name or alias).")
@click.option("--publisher")
@click.option("--kind")
@click.option("--type", "event_type", help="Only items with an event of this PLOVER type.")
@click.option("--since", help="YYYY, YYYY-MM or YYYY-MM-DD")
@click.option("--until", help="YYYY, YYYY-MM or YYYY-MM-DD")
@click.option("--language", help="Only items in this language (ISO 639-1, e.g. en, ru).")
@click.option("--mode", type=click.Choice(MODES), default="both", show_default=True,
              help="keyword: BM25 matches; semantic: nearest items by meaning (needs vectors); "
                   "both: matches and neighbours, each labelled.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
def search(query: str, db: str, limit: int, actor: str | None, publisher: str | None,
           kind: str | None, event_type: str | None, since: str | None, until: str | None,
           language: str | None, mode: str, as_json: bool) -> None:
    """Keyword matches (BM25: words, "phrases", prefix*, AND/OR/NOT, -excluded) and, where items
    have vectors, semantic neighbours, each hit labelled. No query with a filter lists the
    newest matching items."""
    from steppe.analyse import InvalidParameter, NotFound
    from steppe.analyse.search import search_items

    if not query.strip() and not any((actor, publisher, kind, event_type, since, until, language)):
        raise click.UsageError("give a query, or a filter (--actor, --publisher, --kind, --type, "
                               "--since, --until, --language) to list the newest matching items")
    store = open_db(db)
    try:
        result = search_items(store, query, actor=actor, publisher=publisher, kind=kind,
                              since=since, until=until, type=event_type, per_page=max(1, min(limit, 100)),
                              mode=mode, language=language)
    except (QuerySyntaxError, StoreError, InvalidParameter, NotFound) as exc:
        raise click.UsageError(str(exc)) from exc
    hits = result["hits"]
    for hit in hits:
        if as_json:
            click.echo(json.dumps({k: hit[k] for k in (
                "id", "title", "display_title", "publisher", "published", "kind", "url", "match")}
                | {"snippet": hit["snippet_text"]}, ensure_ascii=False))
            continue
        snippet = "".join(f"[bold yellow]{escape(s['text'])}[/]" if s["match"] else escape(s["text"])
                          for s in hit["snippet"]).replace("\n", " ")
        meta = " · ".join(filter(None, [hit["publisher"], hit["published"], hit["kind"]]))
        label = {"keyword": "", "semantic": " [cyan]semantic neighbour[/]"}.get(hit["match"] or "", "")
        title = escape(hit["display_title"])
        console.print(f"[bold]{hit['id']}[/] {title if hit['title'] else f'[italic]{title}[/]'}"
                      f" [dim]{escape(meta)}[/]{label}")
        console.print(f"   {snippet}")
    if not as_json:
        err.print(_summary(result, len(hits)))
    # Exit 1 when nothing matched: neighbours of a query no item contains are shown, labelled,
    # but are no match (in semantic mode they are all there is).
    found = result["counts"]["semantic"] if result["mode"] == "semantic" else (
        result["total"] if result["mode"] == "browse" else result["counts"]["keyword"])
    if not found:
        sys.exit(1)


def _summary(result: dict, shown: int) -> str:
    """What the search did, in words: matches and neighbours counted apart."""
    if result["mode"] == "browse":
        return f"{result['total']} items, newest first; {shown} shown"
    counts = result["counts"]
    parts = []
    if result["mode"] != "semantic":
        plus = "" if result["total_is_exact"] else "+"
        verb = "item matches" if counts["keyword"] == 1 and not plus else "items match"
        parts.append(f"{counts['keyword']}{plus} {verb}")
    if counts["semantic"] or result["mode"] == "semantic":
        parts.append(f"{counts['semantic']} semantic neighbour{'s' if counts['semantic'] != 1 else ''}"
                     + (" (not keyword matches)" if result["mode"] == "both" else ""))
    return "; ".join(parts) + f"; {shown} shown"


@main.command()
@click.argument("item_id")
@db_option
@click.option("--json", "as_json", is_flag=True)
def show(item_id: str, db: str, as_json: bool) -> None:
    """One item (id or unique id prefix) with its provenance."""
    store = open_db(db)
    stored = store.get_item(item_id)
    if stored is None:
        err.print(f"no item {item_id!r}")
        sys.exit(1)
    item = stored.to_dict()
    item["mentions"] = [m.to_dict() for m in store.mentions(stored.id)]
    item["events"] = [e.to_dict() for e in store.events(stored.id)]
    if as_json:
        click.echo(json.dumps(item, ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{escape(display_title(item['title'], item['text']))}[/]  [dim]{item['id']} · {item['kind']}[/]")
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
    store = open_db(db)
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
