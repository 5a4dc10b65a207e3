"""Cluster execution: a real dask.distributed LocalCluster (2 worker processes) ingests real pages
and the database equals an in-process run's, also when a worker is killed mid-run; the local
process pool too. Pages: 60 of ../shared/eval/extraction-trafilatura (skips when absent).
Enrichment (entities + events) on the same executors: ../shared/corpus ingested and enriched on
the cluster and on the pool gives the in-process run's items, provenance, mentions and events,
row for row and in the same order, also when a worker is killed mid-enrichment."""

from __future__ import annotations

import gzip
import logging
import os
import signal
from pathlib import Path

import pytest

from conftest import CORPUS
from steppe.executors import DaskExecutor, InProcess, LocalPool, map_pages
from steppe.model import Failure, RawDocument
from steppe.pipeline import IngestSummary, enrich_items, ingest_documents, process_chunk
from steppe.pipeline import ingest as run_ingest
from steppe.store import SQLiteStore
from steppe.store.transfer import CONTENT_TABLES, content_hash

PAGES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "extraction-trafilatura" / "pages"
N_PAGES = 60
TABLES = ("pages", "items", "provenance")


@pytest.fixture(scope="module")
def docs() -> list[RawDocument]:
    if not PAGES.is_dir():
        pytest.skip("../shared/eval/extraction-trafilatura is absent: the cluster tests need real pages")
    files = sorted(PAGES.glob("*.gz"))[:N_PAGES]
    return [RawDocument(source=str(f), data=gzip.decompress(f.read_bytes()), content_type="text/html")
            for f in files]


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None, host="127.0.0.1")
    client = distributed.Client(cluster)
    client.run(_warm_up)  # import the pipeline on both workers before timing anything
    yield client
    client.close()
    cluster.close()


def _warm_up() -> None:
    import steppe.pipeline  # noqa: F401


def ingest(store: SQLiteStore, docs, executor, on_progress=None) -> IngestSummary:
    summary = IngestSummary()
    run_id = store.start_run(["test"])
    ingest_documents(iter(docs), store, run_id, summary, executor, on_progress)
    return summary


@pytest.fixture(scope="module")
def reference(docs, tmp_path_factory):
    """The in-process run every other run must equal."""
    path = tmp_path_factory.mktemp("ref") / "ref.db"
    with SQLiteStore(path) as store:
        summary = ingest(store, docs, InProcess())
        assert summary.pages_added > 40 and summary.duplicates > 0  # the sample exercises dedupe
        return content_hash(store, TABLES), summary


def test_dask_run_equals_in_process_run(docs, client, reference, tmp_path):
    with SQLiteStore(tmp_path / "dask.db") as store:
        summary = ingest(store, docs, DaskExecutor(client, chunk=4))
        assert content_hash(store, TABLES) == reference[0]
        assert (summary.pages_added, summary.items_added, summary.duplicates) == (
            reference[1].pages_added, reference[1].items_added, reference[1].duplicates)
        again = ingest(store, docs, DaskExecutor(client, chunk=4))
        assert again.pages_added == 0 and again.pages_skipped == len(docs)  # nothing even sent out
        assert content_hash(store, TABLES) == reference[0]


def test_killing_a_dask_worker_mid_run_changes_nothing(docs, client, reference, tmp_path):
    pids = client.run(os.getpid)
    seen = {"n": 0, "killed": None}

    def kill_one_worker(source: str, summary: IngestSummary) -> None:
        seen["n"] += 1
        if seen["n"] == 10:  # a quarter in: both workers hold tasks, more chunks are queued
            pid = next(iter(pids.values()))
            os.kill(pid, signal.SIGKILL)
            seen["killed"] = pid

    with SQLiteStore(tmp_path / "killed.db") as store:
        summary = ingest(store, docs, DaskExecutor(client, chunk=2, window=6), kill_one_worker)
        assert seen["killed"] is not None
        assert not summary.failures
        assert content_hash(store, TABLES) == reference[0]
    client.wait_for_workers(2, timeout=60)  # the nanny restarted it
    assert seen["killed"] not in client.run(os.getpid).values()


def test_local_pool_equals_in_process_and_survives_a_killed_worker(docs, reference, tmp_path):
    pool = LocalPool(2, chunk=2, window=4)
    killed = {}

    def kill_one_worker(source: str, summary: IngestSummary) -> None:
        if not killed and summary.pages_added == 8:
            pid = next(iter(pool._pool._processes))
            os.kill(pid, signal.SIGKILL)
            killed["pid"] = pid

    try:
        with SQLiteStore(tmp_path / "pool.db") as store:
            summary = ingest(store, docs, pool, kill_one_worker)
            assert killed and not summary.failures
            assert content_hash(store, TABLES) == reference[0]
    finally:
        pool.close()


def test_map_pages_keeps_input_order_and_passes_failures_through(docs):
    stream = [docs[0], Failure("missing.html", "collect", "no such file"), docs[1], docs[2]]
    outcomes = list(map_pages(stream, InProcess(), process_chunk, skip=lambda d: d is docs[2]))
    assert [o.source for o in outcomes] == [d.source for d in stream]
    assert outcomes[1].failure is not None and outcomes[3].skipped
    assert outcomes[0].page is not None and set(outcomes[0].signatures) == {i.id for i in outcomes[0].page.items}


# ---------------------------------------------------------------- enrichment on the executors


def snapshot(store: SQLiteStore) -> dict:
    """Every content table's hash, and the mentions and events themselves in the order written."""
    return {"hash": content_hash(store, CONTENT_TABLES, ignore=["fetched_at"]),
            "mentions": store.query("SELECT * FROM mentions ORDER BY rowid"),
            "events": store.query("SELECT * FROM events ORDER BY rowid"),
            "event_actors": store.query("SELECT * FROM event_actors ORDER BY rowid")}


def ingest_and_enrich(store: SQLiteStore, executor, on_progress=None) -> int:
    """As `steppe ingest` does it: both stages on one executor (None: in-process)."""
    summary = run_ingest([str(CORPUS)], store, executor=executor)
    assert summary.pages_added == 5 and not summary.failures
    return enrich_items(store, executor=executor, on_progress=on_progress)


@pytest.fixture(scope="module")
def enriched_reference(tmp_path_factory):
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent: the enrichment tests need the shared data beside the repo")
    with SQLiteStore(tmp_path_factory.mktemp("enriched") / "ref.db") as store:
        done = ingest_and_enrich(store, None)
        ref = snapshot(store)
    assert done > 40 and len(ref["mentions"]) > 200 and ref["events"]  # the corpus exercises both stages
    return done, ref


def test_dask_enrichment_equals_in_process_and_rewrites_idempotently(client, enriched_reference, tmp_path):
    done, ref = enriched_reference
    with SQLiteStore(tmp_path / "dask-enriched.db") as store:
        assert ingest_and_enrich(store, DaskExecutor(client, chunk=4)) == done
        assert snapshot(store) == ref
        assert enrich_items(store, executor=DaskExecutor(client)) == 0  # nothing pending: nothing sent
        # A retried task's items written a second time: replaced, not duplicated.
        store.db.execute("DELETE FROM enriched")
        assert enrich_items(store, executor=DaskExecutor(client, chunk=8)) == done
        assert snapshot(store) == ref


def test_killing_a_dask_worker_mid_enrichment_changes_nothing(client, enriched_reference, tmp_path):
    done, ref = enriched_reference
    pids = client.run(os.getpid)
    killed: dict = {}

    def kill_one_worker(n: int) -> None:
        if n == 4:  # two chunks written; both workers hold tasks and more are queued
            killed["pid"] = next(iter(pids.values()))
            os.kill(killed["pid"], signal.SIGKILL)

    with SQLiteStore(tmp_path / "dask-killed.db") as store:
        assert ingest_and_enrich(store, DaskExecutor(client, chunk=2, window=6), kill_one_worker) == done
        assert killed
        assert snapshot(store) == ref
    client.wait_for_workers(2, timeout=60)  # the nanny restarted it
    assert killed["pid"] not in client.run(os.getpid).values()


def test_local_pool_enrichment_equals_in_process_and_survives_a_killed_worker(enriched_reference, tmp_path,
                                                                            caplog, monkeypatch):
    done, ref = enriched_reference
    # The CLI (run by earlier tests in this process) may have stopped "steppe" propagating to caplog.
    monkeypatch.setattr(logging.getLogger("steppe"), "propagate", True)
    pool = LocalPool(2, chunk=2, window=4)
    killed: dict = {}

    def kill_one_worker(n: int) -> None:
        if n == 4:
            killed["pid"] = next(iter(pool._pool._processes))
            os.kill(killed["pid"], signal.SIGKILL)

    try:
        with SQLiteStore(tmp_path / "pool-enriched.db") as store:
            assert ingest_and_enrich(store, pool, kill_one_worker) == done
            assert killed and "a worker process died" in caplog.text  # the pool was restarted
            assert snapshot(store) == ref
    finally:
        pool.close()


def test_cli_workers_and_dask_executor_options(corpus_dir, client, tmp_path):
    import subprocess
    import sys

    def ingest_cli(db: Path, *extra: str) -> dict:
        result = subprocess.run([sys.executable, "-m", "steppe.cli", "ingest", str(corpus_dir), "--db", str(db),
                                 "--no-enrich", *extra], capture_output=True, text=True, timeout=300, check=False)
        assert result.returncode == 0, result.stderr
        with SQLiteStore(db) as store:
            return content_hash(store, TABLES, ignore=["fetched_at"])

    expected = ingest_cli(tmp_path / "plain.db")
    assert ingest_cli(tmp_path / "pool.db", "--workers", "2") == expected
    assert ingest_cli(tmp_path / "dask.db", "--executor", client.scheduler.address) == expected


def test_tasks_close_at_a_byte_budget_or_a_document_count():
    """Adaptive chunks: many small pages share a task, a big page fills one alone."""
    sizes: list[int] = []

    class Recording(InProcess):
        chunk, chunk_bytes, window = 5, 1000, 2

        def submit(self, fn, arg):
            sizes.append(len(arg))
            return super().submit(fn, arg)

    def text(n: int, size: int) -> RawDocument:
        return RawDocument(f"t{n}.txt", (f"Published: 2024-03-0{1 + n % 9}\n" + "word " * size).encode())

    stream = [text(i, 30) for i in range(7)] + [text(9, 400)] + [text(i, 120) for i in range(3)]
    outcomes = list(map_pages(stream, Recording(), process_chunk))
    assert [o.source for o in outcomes] == [d.source for d in stream]
    # 5 small pages (count cap), 2 small + the big one (bytes), then 3 x ~630 bytes: 2 (bytes) + 1
    assert sizes == [5, 3, 2, 1]
