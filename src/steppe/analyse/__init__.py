"""Analyse: search with facets, relation series, timelines, actor pages and networks.

Every function takes a store and returns plain JSON-ready dicts and lists, so
the CLI, the REST API and the tests all see the same figures. The analyse
stage owns its SQL (read-only, through ``store.query``), never the schema.
"""

from __future__ import annotations

from steppe.analyse.common import InvalidParameter, NotFound

__all__ = ["InvalidParameter", "NotFound"]
