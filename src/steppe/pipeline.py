"""The ingest pipeline: collect -> extract -> store (-> enrich), one page at a time.

Each stage speaks only ``steppe.model``. A bad input becomes a Failure with
a one-line reason and the batch goes on; a page is stored in one
transaction, so an interrupted run re-run converges on the same database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from steppe.collect import CollectOptions, iter_documents
from steppe.extract import ExtractError, extract_document
from steppe.model import Failure, Page, RawDocument
from steppe.store import Store

log = logging.getLogger("steppe")


@dataclass
class IngestSummary:
    pages_added: int = 0
    pages_skipped: int = 0  # already stored: same source, same bytes
    items_added: int = 0
    duplicates: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def succeeded(self) -> int:
        return self.pages_added + self.pages_skipped


ProgressCallback = Callable[[str, IngestSummary], None]


def read_page(raw: RawDocument) -> Page | Failure:
    """Extract one raw document; any error becomes a Failure (never an exception)."""
    try:
        return extract_document(raw)
    except ExtractError as exc:
        return Failure(raw.source, "extract", str(exc))
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # a bug or a pathological page must not stop the batch
        log.debug("extract crashed on %s", raw.source, exc_info=True)
        return Failure(raw.source, "extract", f"internal error: {type(exc).__name__}: {exc}"[:300])


def ingest(inputs: Iterable[str], store: Store, *, urls_file: str | None = None,
           options: CollectOptions | None = None, on_progress: ProgressCallback | None = None,
           enricher: Callable[[Store], int] | None = None, executor: Any = None) -> IngestSummary:
    """Ingest files, folders and URLs into ``store``; returns what happened.

    ``executor`` (``steppe.executors.make_executor``) runs the page reading on a process
    pool or a Dask cluster; the writes stay here, in input order, so the database is the same.
    """
    inputs = list(inputs)
    summary = IngestSummary()
    run_id = store.start_run(inputs + ([f"--urls {urls_file}"] if urls_file else []))
    try:
        docs = iter_documents(inputs, urls_file=urls_file, options=options)
        if executor is not None:
            from steppe.executors import ingest_documents

            ingest_documents(docs, store, run_id, summary, executor, on_progress)
        else:
            for doc in docs:
                _ingest_one(doc, store, run_id, summary)
                if on_progress:
                    on_progress(doc.source, summary)
        if enricher is not None:
            enricher(store)
    finally:
        store.finish_run(run_id, added=summary.pages_added, skipped=summary.pages_skipped,
                         failed=len(summary.failures))
    return summary


def _ingest_one(doc: RawDocument | Failure, store: Store, run_id: int, summary: IngestSummary) -> None:
    if isinstance(doc, Failure):
        _fail(doc, store, run_id, summary)
        return
    if store.has_page(doc.source, doc.sha256):
        summary.pages_skipped += 1
        return
    page = read_page(doc)
    if isinstance(page, Failure):
        _fail(page, store, run_id, summary)
        return
    result = store.add_page(page, run_id=run_id)
    summary.pages_added += int(result.page_added)
    summary.pages_skipped += int(not result.page_added)
    summary.items_added += result.items_added
    summary.duplicates += result.duplicates


def _fail(failure: Failure, store: Store, run_id: int, summary: IngestSummary) -> None:
    summary.failures.append(failure)
    store.record_failure(run_id, failure)
    log.info("skipped %s: %s", failure.source, failure.reason)


ENRICHMENT_VERSION = "1"  # bump when entity linking or event coding changes, to re-enrich items


def enrich_items(store: Store, *, pipeline: str | None = None, batch_size: int = 64,
                 on_progress: Callable[[int], None] | None = None) -> int:
    """Link entities and code events for every item not yet enriched by this version.

    Runs after pages are stored, item by item, each in its own transaction:
    an interrupted enrichment resumes where it stopped.
    """
    from steppe.enrich.actors import KnowledgeBase
    from steppe.enrich.entities import EntityAnnotator
    from steppe.enrich.events import EventCoder

    pending = list(store.items_needing_enrichment(ENRICHMENT_VERSION))
    if not pending:
        return 0
    kb = KnowledgeBase.load()
    annotator = EntityAnnotator(kb, pipeline=pipeline)
    coder = EventCoder(annotator, kb)
    texts = (row["text"] for row in pending)
    done = 0
    for row, mentions in zip(pending, annotator.annotate_many(texts, batch_size=batch_size), strict=True):
        for mention in mentions:
            mention.item_id = row["id"]
        events = coder.code(row["text"], date=row["published"], mentions=mentions, item_id=row["id"])
        store.set_enrichment(row["id"], mentions, events, ENRICHMENT_VERSION)
        done += 1
        if on_progress:
            on_progress(done)
    return done
