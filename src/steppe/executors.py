"""Where the per-page work runs: in-process (default), a local process pool, or a Dask cluster.

Reading a page (decode, extract, split, date) and computing its items' MinHash
signatures is a pure function of the raw document (``steppe.pipeline.process_chunk``),
so it can run anywhere. This module knows nothing of that work: the pipeline
hands it the function to map (a picklable top-level function, or a
``functools.partial`` of one), and it only runs it, in bounded order. Everything that touches the database stays in the
driver: the already-stored check before a document is sent out, and the
writes after, in input order, one transaction per page. A parallel run
therefore makes exactly the database an in-process run makes: the same pages,
items, near-duplicate merges (the LSH index is consulted centrally, in input
order) and provenance.

Work is streamed: at most ``window`` chunks are in flight, so memory does not
grow with the corpus. A chunk (one task) closes at ``chunk_bytes`` of input
(1 MB by default) or ``chunk`` documents, whichever comes first: adaptive, so
a task of small text pages is as substantial as one of big HTML pages, and the
per-task costs (pickling, scheduling, a round trip to the scheduler) stay small
against the work; 8 pages per task made Dask slower than in-process on text
dumps.

A worker that dies mid-task costs nothing but time: Dask reschedules its
tasks on another worker, and the local pool is restarted and the lost chunks
resubmitted; results are only written once they come back, and page writes
are idempotent anyway. A document that keeps killing workers becomes a
Failure, like any bad input.

    executor = make_executor(workers=4)                  # local process pool
    executor = make_executor("dask://scheduler:8786")   # an existing Dask cluster
    for outcome in map_pages(documents, executor, process_chunk, skip=already_stored): ...

Enrichment (entity linking, then event coding) is a pure function of an
item's text and date too (``steppe.pipeline.enrich_chunk``), and runs on the same
executors through the same ordered, bounded map (:func:`map_enrichment`): the
driver reads the pending items, sends chunks of (id, text, published) out, and
writes each item's mentions and events as they come back, in input order, one
idempotent transaction per item. Each worker process loads the knowledge base
and the spaCy pipelines once (cached by pipeline name) and keeps them for
every later chunk. Workers read the knowledge base from their own files
(shipped YAML, ``$STEPPE_ACTORS``, ``~/.config/steppe/actors.yaml``): on a
remote cluster, give them the same actor files as the driver, and restart
long-lived workers after editing those files.

    for item_id, mentions, events in map_enrichment(pending, executor, enrichment_work(name)): ...
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Protocol

from steppe.model import Enrichment, Failure, Page, PendingItem, RawDocument, Signatures

log = logging.getLogger("steppe")

PageWork = Callable[[list[RawDocument]], list[tuple[Page | Failure, Signatures]]]
EnrichWork = Callable[[list[PendingItem]], list[Enrichment]]


@dataclass
class Outcome:
    """One input, in input order: a stored-already skip, a failure, or a page to write."""

    source: str
    page: Page | None = None
    failure: Failure | None = None
    skipped: bool = False  # already stored (same source, same bytes): nothing was computed
    signatures: Signatures = field(default_factory=dict)


# ---------------------------------------------------------------- executors

CHUNK_BYTES = 1 << 20  # input bytes per task: ~1 s of extraction for HTML, ~150 text pages
CHUNK_DOCS = 256  # and at most this many documents (bounds the results held per task)
# Enrichment tasks: at most 64 items (spaCy's batch) or ~32k characters of text, ~1-2 s of work
# either way, so a task of long full texts is not ten times one of short news items.
ENRICH_ITEMS = 64
ENRICH_CHARS = 32_000


class Executor(Protocol):
    name: str
    window: int  # chunks in flight
    chunk: int  # at most this many documents (enrichment: items, up to ENRICH_ITEMS) per task
    chunk_bytes: int  # a task closes once its documents hold this many bytes

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any: ...  # has .result()
    def close(self) -> None: ...


class _Deferred:
    """A result computed when asked for: in-process work stays lazy and in order."""

    def __init__(self, fn: Callable[[Any], Any], arg: Any) -> None:
        self.fn, self.arg = fn, arg

    def result(self) -> Any:
        return self.fn(self.arg)


class InProcess:
    """The default: work runs in the driver, one document at a time."""

    name = "in-process"
    window = 1
    chunk = 1
    chunk_bytes = 1

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> _Deferred:
        return _Deferred(fn, arg)

    def close(self) -> None:
        pass


class LocalPool:
    """A local process pool (``--workers N``); a dead worker is replaced and its chunk resubmitted."""

    MAX_RETRIES = 2

    def __init__(self, workers: int, *, chunk: int = CHUNK_DOCS, chunk_bytes: int = CHUNK_BYTES,
                 window: int | None = None) -> None:
        self.workers = workers
        self.name = f"{workers} local workers"
        self.chunk, self.chunk_bytes = chunk, chunk_bytes
        self.window = window or 4 * workers
        self._generation = 0
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # forkserver: workers fork from a clean process that preloaded the pipeline, not from the
        # driver (which holds open database connections and maybe threads).
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["steppe.executors", "steppe.pipeline"])  # the work is there
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=context)

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> _PoolTask:
        return _PoolTask(self, fn, arg)

    def _submit_now(self, fn: Callable[[Any], Any], arg: Any) -> tuple[int, Future]:
        try:
            return self._generation, self._pool.submit(fn, arg)
        except BrokenProcessPool:  # a worker died since the last submission: the pool refuses work
            self._restart(self._generation)
            return self._generation, self._pool.submit(fn, arg)

    def _restart(self, broken_generation: int) -> None:
        if broken_generation == self._generation:  # several tasks see one breakage: restart once
            log.warning("a worker process died; restarting the pool and resubmitting its work")
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._generation += 1
            self._pool = self._new_pool()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class _PoolTask:
    def __init__(self, owner: LocalPool, fn: Callable[[Any], Any], arg: Any) -> None:
        self.owner, self.fn, self.arg = owner, fn, arg
        self.generation, self.future = owner._submit_now(fn, arg)

    def result(self) -> Any:
        for attempt in range(LocalPool.MAX_RETRIES + 1):
            try:
                return self.future.result()
            except BrokenProcessPool:
                if attempt == LocalPool.MAX_RETRIES:
                    raise
                self.owner._restart(self.generation)
                self.generation, self.future = self.owner._submit_now(self.fn, self.arg)
        raise AssertionError("unreachable")


class DaskExecutor:
    """Tasks on a Dask distributed cluster (``--executor dask://host:8786``) or a given Client."""

    def __init__(self, address: str | Any, *, chunk: int = CHUNK_DOCS, chunk_bytes: int = CHUNK_BYTES,
                 window: int | None = None) -> None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise RuntimeError('the Dask executor needs dask.distributed: pip install "steppe[dask]"') from exc
        if isinstance(address, str):
            self.client = Client(_dask_address(address), timeout="30s")
            self._own_client = True
        else:
            self.client = address
            self._own_client = False
        threads = sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values())
        self.name = f"dask ({threads} worker threads)"
        self.chunk, self.chunk_bytes = chunk, chunk_bytes
        self.window = window or max(4, 4 * threads)

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any:
        # pure=False: every submission is its own task; the scheduler retries it if its worker dies.
        return self.client.submit(fn, arg, pure=False, retries=1)

    def close(self) -> None:
        if self._own_client:
            self.client.close()


def _dask_address(spec: str) -> str:
    """``dask://host:8786`` -> ``tcp://host:8786`` (other Dask schemes pass through)."""
    return "tcp://" + spec.removeprefix("dask://") if spec.startswith("dask://") else spec


def make_executor(spec: str | None = None, *, workers: int = 0) -> Executor:
    """``None``/``inprocess``: in-process; ``workers`` > 1 or ``local``: process pool;
    ``dask://host:port`` (or ``tcp://``, ``tls://``): Dask distributed."""
    if spec and spec.startswith(("dask://", "tcp://", "tls://", "inproc://")):
        return DaskExecutor(spec)
    if spec in (None, "", "inprocess", "in-process", "local"):
        if spec == "local" or workers > 1:
            return LocalPool(max(workers, 2))
        return InProcess()
    raise ValueError(f"unknown executor {spec!r}: use inprocess, local or dask://host:port")


# ---------------------------------------------------------------- ordered, bounded map


def map_pages(docs: Iterable[RawDocument | Failure], executor: Executor | None, work: PageWork, *,
              skip: Callable[[RawDocument], bool] | None = None) -> Iterator[Outcome]:
    """Run ``work`` over chunks of documents on ``executor``; outcomes come back in input order.

    ``skip(doc)`` (the driver's already-stored check) keeps a document from being sent out at all.
    Collect failures pass straight through, in their place.
    """
    executor = executor or InProcess()
    return _in_order(_page_tasks(docs, executor, work, skip), executor.window)


def map_enrichment(rows: Iterable[PendingItem], executor: Executor, work: EnrichWork) -> Iterator[Enrichment]:
    """Run ``work`` over chunks of pending items on ``executor``; ``(item id, mentions, events)``
    come back in input order.

    A chunk whose workers keep dying is left out (its items stay pending for the next run);
    any other error (a missing spaCy pipeline on the workers, say) is raised, as in-process.
    """
    limit = max(1, min(executor.chunk, ENRICH_ITEMS))
    tasks = (_EnrichChunk(batch, executor.submit(work, batch)) for batch in _batches(rows, limit, ENRICH_CHARS))
    return _in_order(tasks, executor.window)


def _in_order(entries: Iterable[_Queued], window: int) -> Iterator[Any]:
    """The results of submitted tasks, in submission order, with at most ``window`` held at once.

    ``entries`` is lazy: the next task is only submitted once there is room for it, so memory
    does not grow with the corpus and the workers always have the next chunks queued.
    """
    queue: deque[_Queued] = deque()
    for entry in entries:
        queue.append(entry)
        while len(queue) > window:
            yield from queue.popleft().results()
    while queue:
        yield from queue.popleft().results()


def _page_tasks(docs: Iterable[RawDocument | Failure], executor: Executor, work: PageWork,
                skip: Callable[[RawDocument], bool] | None) -> Iterator[_Queued]:
    """Documents -> tasks of up to ``chunk`` documents or ``chunk_bytes`` bytes; failures and
    skips keep their place in the stream (the open chunk is sent out before them)."""
    batch: list[RawDocument] = []
    size = 0
    limit = getattr(executor, "chunk_bytes", 1)
    for doc in docs:
        if isinstance(doc, Failure) or (skip is not None and skip(doc)):
            if batch:
                yield _PageChunk(batch, executor.submit(work, batch))
                batch, size = [], 0
            yield _Done([Outcome(doc.source, failure=doc) if isinstance(doc, Failure)
                         else Outcome(doc.source, skipped=True)])
            continue
        batch.append(doc)
        size += len(doc.data)
        if len(batch) >= executor.chunk or size >= limit:
            yield _PageChunk(batch, executor.submit(work, batch))
            batch, size = [], 0
    if batch:
        yield _PageChunk(batch, executor.submit(work, batch))


def _batches(rows: Iterable[PendingItem], limit: int, chars: int) -> Iterator[list[PendingItem]]:
    """Pending items in chunks of ``limit`` items, closed early at ``chars`` characters of text."""
    batch: list[PendingItem] = []
    size = 0
    for row in rows:
        batch.append(row)
        size += len(row[1])
        if len(batch) >= limit or size >= chars:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


class _Queued(Protocol):
    def results(self) -> list[Any]: ...


@dataclass
class _Done:
    """Outcomes known without any work (a collect failure, an already-stored page)."""

    outcomes: list[Outcome]

    def results(self) -> list[Outcome]:
        return self.outcomes


class _Submitted:
    def __init__(self, task: Any) -> None:
        self.task = task

    def take(self) -> Any:
        try:
            return self.task.result()
        finally:
            self.task = None  # release the future (and, on Dask, the result held by the cluster)


class _PageChunk(_Submitted):
    def __init__(self, docs: list[RawDocument], task: Any) -> None:
        super().__init__(task)
        self.docs = docs

    def results(self) -> list[Outcome]:
        try:
            results = self.take()
        except Exception as exc:  # the chunk kept killing workers: its documents fail, the run goes on
            reason = f"worker failed: {type(exc).__name__}: {exc}"[:300]
            return [Outcome(d.source, failure=Failure(d.source, "extract", reason)) for d in self.docs]
        return [Outcome(doc.source, failure=page) if isinstance(page, Failure)
                else Outcome(doc.source, page=page, signatures=sigs)
                for doc, (page, sigs) in zip(self.docs, results, strict=True)]


class _EnrichChunk(_Submitted):
    def __init__(self, rows: list[PendingItem], task: Any) -> None:
        super().__init__(task)
        self.rows = rows

    def results(self) -> list[Enrichment]:
        try:
            results = self.take()
        except Exception as exc:
            if not _worker_died(exc):
                raise
            # Items are not Failures (those are inputs): they stay unenriched, so the next run
            # picks them up again; the rest of the run goes on.
            log.warning("enrichment of %d items (from %s) left for the next run: %s: %s",
                        len(self.rows), self.rows[0][0], type(exc).__name__, exc)
            return []
        if [r[0] for r in results] != [r[0] for r in self.rows]:  # a mixed-up result must not be written
            raise RuntimeError("an enrichment task returned other items than it was given")
        return results


def _worker_died(exc: BaseException) -> bool:
    """A lost worker process (after the retries), as opposed to an error raised by the work itself.
    Dask's KilledWorker is matched by name: dask is an optional dependency."""
    return isinstance(exc, BrokenProcessPool) or type(exc).__name__ == "KilledWorker"
