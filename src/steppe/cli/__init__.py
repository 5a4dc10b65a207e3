"""The ``steppe`` command line: ingest, search, show, export, extract, stats, and the analyses.

Exit codes: 0 success (ingest: at least one input succeeded), 1 nothing
succeeded or nothing found, 2 usage errors.

One module per command group; importing them registers their commands on ``main``.
"""

from __future__ import annotations

from steppe.cli import actors, briefs, events, ingesting, reading, serving, watching  # noqa: F401
from steppe.cli.group import main

__all__ = ["main"]
