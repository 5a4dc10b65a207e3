"""Steppe: an evidence base for people who follow a region's politics.

The Python API in four calls::

    import steppe
    summary = steppe.ingest(["../shared/corpus"], db="steppe.db")
    with steppe.open_store("steppe.db") as store:
        hits = store.search("Tokayev Putin")
    page = steppe.extract_file("saved-page.html")   # no database
"""

from __future__ import annotations

from pathlib import Path

from steppe.model import Event, Failure, Item, Mention, Page, Provenance, RawDocument
from steppe.store import open_store

__all__ = ["Event", "Failure", "Item", "Mention", "Page", "Provenance", "RawDocument",
           "extract_file", "ingest", "open_store"]
__version__ = "0.1.0"


def ingest(inputs: list[str], *, db: str = "steppe.db", urls_file: str | None = None):  # noqa: ANN201
    """Ingest files, folders and URLs into the database at ``db``; returns an IngestSummary."""
    from steppe.pipeline import ingest as _ingest

    store = open_store(db)
    try:
        return _ingest(inputs, store, urls_file=urls_file)
    finally:
        store.close()


def extract_file(path: str | Path) -> Page | Failure:
    """What Steppe makes of one file, without a database."""
    from steppe.collect import iter_documents
    from steppe.pipeline import read_page

    for doc in iter_documents([str(path)]):
        return doc if isinstance(doc, Failure) else read_page(doc)
    return Failure(str(path), "collect", "nothing to read")
