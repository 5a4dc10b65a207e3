"""The ingest pipeline: collect -> extract -> store (-> enrich), one page at a time.

Each stage speaks only ``steppe.model``. A bad input becomes a Failure with
a one-line reason and the batch goes on; a page is stored in one
transaction, so an interrupted run re-run converges on the same database.
Page reading and enrichment can run on an executor (``steppe.executors``);
the store writes stay here, in input order.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from steppe.collect import CollectOptions, iter_documents
from steppe.extract import ExtractError, extract_document
from steppe.model import Event, Failure, Mention, Page, RawDocument
from steppe.store import Store

if TYPE_CHECKING:
    from steppe.enrich.entities import EntityAnnotator
    from steppe.enrich.events import EventCoder

log = logging.getLogger("steppe")

PendingItem = tuple[str, str, str | None]  # an item to enrich: (id, text, published)
Enrichment = tuple[str, list[Mention], list[Event]]  # what enriching it gives: (id, mentions, events)


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


# Bump when entity linking or event coding changes, to re-enrich items.
# 2: role phrases ("the Kazakh president") resolve to the office holder at the item's date.
# 3: Russian items are enriched by steppe.enrich.russian (Natasha NER, pymorphy3 lemmas).
ENRICHMENT_VERSION = "3"


def enrich_items(store: Store, *, pipeline: str | None = None, batch_size: int = 64,
                 on_progress: Callable[[int], None] | None = None, executor: Any = None) -> int:
    """Link entities and code events for every item not yet enriched by this version.

    Runs after pages are stored, item by item, each in its own transaction:
    an interrupted enrichment resumes where it stopped. ``executor``
    (``steppe.executors.make_executor``) runs the work on a process pool or a
    Dask cluster; results are written here in the same order, so the database
    is the same as an in-process run's.
    """
    pending: list[PendingItem] = [(row["id"], row["text"], row["published"])
                                  for row in store.items_needing_enrichment(ENRICHMENT_VERSION)]
    if not pending:
        return 0
    if executor is None:
        results = enrich_rows(pending, *load_enrichment_tools(pipeline), batch_size=batch_size)
    else:
        from steppe.executors import map_enrichment

        results = map_enrichment(pending, executor, pipeline=spacy_pipeline(pipeline), batch_size=batch_size)
    done = 0
    for item_id, mentions, events in results:
        store.set_enrichment(item_id, mentions, events, ENRICHMENT_VERSION)
        done += 1
        if on_progress:
            on_progress(done)
    return done


def enrich_rows(rows: Sequence[PendingItem], annotator: EntityAnnotator, coder: EventCoder, *,
                batch_size: int = 64) -> Iterator[Enrichment]:
    """Entities, then events, for each item in order: the one code path in-process and on workers.

    The item's date goes to both: it resolves role phrases ("the Kazakh president" is the
    holder of the office on that date) and anchors the events' relative dates. Russian items
    go to :class:`steppe.enrich.russian.RussianEnricher` (its models load on the first one).
    """
    from steppe.language import is_russian

    russian_rows = [is_russian(text) for _, text, _ in rows]
    others = [row for row, ru in zip(rows, russian_rows, strict=True) if not ru]
    annotated = annotator.annotate_many((text for _, text, _ in others), batch_size=batch_size,
                                        dates=(published for _, _, published in others))
    for (item_id, text, published), ru in zip(rows, russian_rows, strict=True):
        if ru:
            mentions, events = russian_enricher(annotator.kb).enrich(text, date=published,
                                                                     item_id=item_id)
            yield item_id, mentions, events
            continue
        mentions = next(annotated)
        for mention in mentions:
            mention.item_id = item_id
        events = coder.code(text, date=published, mentions=mentions, item_id=item_id)
        yield item_id, mentions, events


_RUSSIAN: list[Any] = []  # [the RussianEnricher of the last knowledge base] (models load lazily)


def russian_enricher(kb: Any) -> Any:
    """The Russian enricher for ``kb``, built once per process and knowledge base."""
    if not _RUSSIAN or _RUSSIAN[0].kb is not kb:
        from steppe.enrich.russian import RussianEnricher

        _RUSSIAN[:] = [RussianEnricher(kb)]
    return _RUSSIAN[0]


def load_enrichment_tools(pipeline: str | None = None) -> tuple[EntityAnnotator, EventCoder]:
    """A fresh knowledge base, entity annotator and event coder (seconds: build once, reuse)."""
    from steppe.enrich.actors import KnowledgeBase
    from steppe.enrich.entities import EntityAnnotator
    from steppe.enrich.events import EventCoder

    kb = KnowledgeBase.load()
    annotator = EntityAnnotator(kb, pipeline=pipeline)
    return annotator, EventCoder(annotator, kb)


def spacy_pipeline(pipeline: str | None = None) -> str:
    """The spaCy pipeline enrichment uses, named in the driver: workers may not share its environment."""
    from steppe.enrich.entities import DEFAULT_PIPELINE, ENV_PIPELINE

    return pipeline or os.environ.get(ENV_PIPELINE) or DEFAULT_PIPELINE
