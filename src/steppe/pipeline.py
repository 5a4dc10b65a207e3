"""The ingest pipeline: collect -> extract -> store (-> enrich), one page at a time.

Each stage speaks only ``steppe.model``. A bad input becomes a Failure with
a one-line reason and the batch goes on; a page is stored in one
transaction, so an interrupted run re-run converges on the same database.
Page reading and enrichment can run on an executor (``steppe.executors``);
the store writes stay here, in input order.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from steppe.collect import CollectOptions, iter_documents
from steppe.executors import EnrichWork, Executor, map_enrichment, map_pages
from steppe.extract import ExtractError, extract_document
from steppe.model import Enrichment, Failure, Page, PendingItem, RawDocument, Signatures
from steppe.store import Store
from steppe.store.dedupe import signatures

if TYPE_CHECKING:
    from steppe.enrich.entities import EntityAnnotator
    from steppe.enrich.events import EventCoder

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
            ingest_documents(docs, store, run_id, summary, executor, on_progress)
        else:
            for doc in docs:
                ingest_one(doc, store, run_id, summary)
                if on_progress:
                    on_progress(doc.source, summary)
        if enricher is not None:
            enricher(store)
    finally:
        store.finish_run(run_id, added=summary.pages_added, skipped=summary.pages_skipped,
                         failed=len(summary.failures))
    return summary


def ingest_one(doc: RawDocument | Failure, store: Store, run_id: int, summary: IngestSummary) -> None:
    """Read and store one document in-process (what ``ingest`` does without an executor)."""
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
    result = store.add_page(page, run_id=run_id, signatures=page_signatures(page))
    summary.pages_added += int(result.page_added)
    summary.pages_skipped += int(not result.page_added)
    summary.items_added += result.items_added
    summary.duplicates += result.duplicates


def _fail(failure: Failure, store: Store, run_id: int, summary: IngestSummary) -> None:
    summary.failures.append(failure)
    store.record_failure(run_id, failure)
    log.info("skipped %s: %s", failure.source, failure.reason)


def ingest_documents(docs: Iterable[RawDocument | Failure], store: Store, run_id: int, summary: IngestSummary,
                     executor: Executor, on_progress: ProgressCallback | None = None) -> None:
    """The store loop over :func:`steppe.executors.map_pages`: pages are read on the executor,
    written here in input order, in the driver."""
    already = (lambda doc: store.has_page(doc.source, doc.sha256))  # noqa: E731
    for outcome in map_pages(docs, executor, process_chunk, skip=already):
        if outcome.failure is not None:
            _fail(outcome.failure, store, run_id, summary)
        elif outcome.skipped:
            summary.pages_skipped += 1
        else:
            assert outcome.page is not None
            result = store.add_page(outcome.page, run_id=run_id, signatures=outcome.signatures)
            summary.pages_added += int(result.page_added)
            summary.pages_skipped += int(not result.page_added)
            summary.items_added += result.items_added
            summary.duplicates += result.duplicates
        if on_progress:
            on_progress(outcome.source, summary)


# ---------------------------------------------------------------- the work executors map (runs anywhere)


def process_document(raw: RawDocument) -> tuple[Page | Failure, Signatures]:
    """Read one document and compute its items' MinHash signatures (runs on workers)."""
    page = read_page(raw)
    if isinstance(page, Failure):
        return page, {}
    return page, page_signatures(page)


def page_signatures(page: Page) -> Signatures:
    """The MinHash signature of each of the page's items, by item id: ``signature``'s values,
    computed for the page's items in one batch (``dedupe.signatures``, several times faster)."""
    return dict(zip((item.id for item in page.items), signatures([item.text for item in page.items]),
                    strict=True))


def process_chunk(docs: list[RawDocument]) -> list[tuple[Page | Failure, Signatures]]:
    return [process_document(doc) for doc in docs]


_TOOLS: dict[str, tuple[Any, Any]] = {}  # per process: spaCy pipeline name -> (annotator, event coder)


def enrichment_tools(pipeline: str) -> tuple[EntityAnnotator, EventCoder]:
    """The entity annotator and event coder for ``pipeline``, loaded once per worker process:
    the knowledge base and two spaCy pipelines take seconds, a chunk of items about as long."""
    if pipeline not in _TOOLS:
        _TOOLS[pipeline] = load_enrichment_tools(pipeline)
    return _TOOLS[pipeline]


def enrich_chunk(rows: list[PendingItem], *, pipeline: str, batch_size: int = 64) -> list[Enrichment]:
    """Mentions and events for each item of the chunk, in order (runs on workers)."""
    annotator, coder = enrichment_tools(pipeline)
    return list(enrich_rows(rows, annotator, coder, batch_size=batch_size))


def enrichment_work(pipeline: str, batch_size: int = 64) -> EnrichWork:
    """:func:`enrich_chunk` for one spaCy pipeline, named by the driver so that every worker loads
    the same one; picklable (a partial of a top-level function), for any executor."""
    return functools.partial(enrich_chunk, pipeline=pipeline, batch_size=batch_size)


# Bump when entity linking or event coding changes, to re-enrich items.
# 2: role phrases ("the Kazakh president") resolve to the office holder at the item's date.
# 3: Russian items are enriched by steppe.enrich.russian (Natasha NER, pymorphy3 lemmas).
# 4: event type/quad/no-event from the retrained classifier (rule weight 10); dated nominal
#    references ("Russia's invasion of Ukraine in February 2022").
# 5: the quad head decides event or not, the type head names it (rule weight 20); items in a
#    language other than English and Russian get entities but no events.
ENRICHMENT_VERSION = "5"


def enrich_items(store: Store, *, pipeline: str | None = None, batch_size: int = 64,
                 on_progress: Callable[[int], None] | None = None, executor: Any = None) -> int:
    """Link entities and code events for every item not yet enriched by this version.

    Runs after pages are stored, item by item, each in its own transaction:
    an interrupted enrichment resumes where it stopped. ``executor``
    (``steppe.executors.make_executor``) runs the work on a process pool or a
    Dask cluster; results are written here in the same order, so the database
    is the same as an in-process run's.
    """
    pending: list[PendingItem] = [(row.id, row.text, row.published)
                                  for row in store.items_needing_enrichment(ENRICHMENT_VERSION)]
    if not pending:
        return 0
    if executor is None:
        results = enrich_rows(pending, *load_enrichment_tools(pipeline), batch_size=batch_size)
    else:
        results = map_enrichment(pending, executor, enrichment_work(spacy_pipeline(pipeline), batch_size))
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

    Items go in chunks of ``batch_size``: the chunk's English items through one
    ``annotate_many`` and one :meth:`EventCoder.code_many` (sentences encoded in one batch,
    clauses parsed in one ``nlp.pipe``), which gives each item the events ``code`` would.

    The item's date goes to both: it resolves role phrases ("the Kazakh president" is the
    holder of the office on that date) and anchors the events' relative dates. Russian items
    go to :class:`steppe.enrich.russian.RussianEnricher` (its models load on the first one).
    Items detected in another language (German, French, ...) get their entities (names link
    across languages) but no events: the English parse of a German sentence codes nonsense.
    Items too short to tell are treated as English.
    """
    from steppe.language import ENGLISH_PARSED, detect_language

    for start in range(0, len(rows), max(batch_size, 1)):
        chunk = rows[start:start + max(batch_size, 1)]
        languages = [detect_language(text) for _, text, _ in chunk]
        others = [row for row, lang in zip(chunk, languages, strict=True) if lang != "ru"]
        texts = [text for _, text, _ in others]
        dates = [published for _, _, published in others]
        annotated = list(annotator.annotate_many(texts, batch_size=batch_size, dates=dates))
        for (item_id, _, _), mentions in zip(others, annotated, strict=True):
            for mention in mentions:
                mention.item_id = item_id
        # positions in ``others`` of the items the English coder reads
        english = [i for i, lang in enumerate(lang for lang in languages if lang != "ru")
                   if lang in ENGLISH_PARSED]
        # one batch for the chunk: its sentences encoded together, its clauses parsed together
        coded = dict(zip(english, coder.code_many([texts[i] for i in english],
                                                  dates=[dates[i] for i in english],
                                                  mentions=[annotated[i] for i in english],
                                                  item_ids=[others[i][0] for i in english]),
                         strict=True))
        position = 0
        for (item_id, text, published), lang in zip(chunk, languages, strict=True):
            if lang == "ru":
                mentions, events = russian_enricher(annotator.kb).enrich(text, date=published,
                                                                         item_id=item_id)
                yield item_id, mentions, events
                continue
            yield item_id, annotated[position], coded.get(position, [])
            position += 1


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
