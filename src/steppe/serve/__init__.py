"""Serve: the REST API and the web workbench (``steppe serve``)."""

from __future__ import annotations

from steppe.serve.app import create_app

__all__ = ["create_app"]
