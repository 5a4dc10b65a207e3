"""The `steppe brief` command: a cited brief in Markdown, HTML, PDF or JSON."""

from __future__ import annotations

import os
import sys

import click
from rich.markup import escape

from steppe.cli.common import db_option, err, open_db
from steppe.cli.group import main


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
    from steppe.analyse import InvalidParameter, NotFound
    from steppe.analyse.brief import PolishRefused, build_brief, render
    from steppe.analyse.brief import polish as run_polish

    store = open_db(db)
    try:
        result = build_brief(store, about=about, actors=[*actor_opts, *more_actors], since=since,
                             until=until)
        if polish:
            if not os.environ.get("STEPPE_LLM_URL"):
                raise click.UsageError("--polish needs STEPPE_LLM_URL (an OpenAI-compatible API base URL)")
            result = run_polish(result)
        data = render(result, fmt, base_url=base_url)
    except (InvalidParameter, NotFound) as exc:  # an unknown actor too: one line, exit 2
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
