"""The `steppe serve` command: REST API and web app."""

from __future__ import annotations

import click

from steppe.cli.common import db_option
from steppe.cli.group import main


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
