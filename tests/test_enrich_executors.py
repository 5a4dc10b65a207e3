"""Enrichment on the executors: the task stream (order, chunking, lost workers), the item's date
resolving role phrases in-process and on real worker processes alike, and the CLI sharing one
executor between page reading and enrichment. The corpus-wide equality with in-process runs, on a
Dask LocalCluster and a local pool, with a worker killed mid-enrichment, is in tests/test_dask.py."""

from __future__ import annotations

import logging
from concurrent.futures.process import BrokenProcessPool

import pytest
from click.testing import CliRunner

from steppe import pipeline
from steppe.executors import ENRICH_CHARS, InProcess, LocalPool, map_enrichment
from steppe.pipeline import enrich_items, enrichment_work, ingest, spacy_pipeline
from steppe.store import SQLiteStore

# (published, title, text): texts far apart, or the near-duplicate index would merge the items
PAGES = [
    ("2015-06-01", "Neutrality pledge", "The Kazakh president said the country would stay neutral in the "
     "grain dispute with its neighbours."),
    ("2023-06-01", "Caspian pipelines", "On Monday the Kazakh president promised new pipelines to carry oil "
     "across the Caspian Sea to Europe."),
    (None, "Reservoirs", "Critics say the Kazakh president has not explained how the water of the border "
     "reservoirs will be shared."),
]


# ---------------------------------------------------------------- the task stream (no models)


class Recording(InProcess):
    """In-process, but records each task's items and can make chosen tasks fail."""

    def __init__(self, chunk: int = 3, window: int = 2, fail: dict[int, Exception] | None = None) -> None:
        self.chunk, self.window, self.fail = chunk, window, fail or {}
        self.tasks: list[list[str]] = []

    def submit(self, fn, arg: list):
        assert fn.func is pipeline.enrich_chunk and fn.keywords["pipeline"] == "p"
        number = len(self.tasks)
        self.tasks.append([row[0] for row in arg])
        error = self.fail.get(number)

        def fake(rows: list):
            if error is not None:
                raise error
            return [(item_id, [], []) for item_id, _, _ in rows]
        return super().submit(fake, arg)


def rows(n: int, size: int = 10) -> list[tuple[str, str, str | None]]:
    return [(f"i{k}", "x" * size, None) for k in range(n)]


def test_items_go_out_in_chunks_and_come_back_in_input_order():
    executor = Recording(chunk=3)
    pending = rows(7) + [("big", "x" * ENRICH_CHARS, None)] + rows(2)
    out = [item_id for item_id, _, _ in map_enrichment(pending, executor, enrichment_work("p"))]
    assert out == [row[0] for row in pending]
    # 3 per task (the executor's chunk); the long text closes its task early
    assert executor.tasks == [["i0", "i1", "i2"], ["i3", "i4", "i5"], ["i6", "big"], ["i0", "i1"]]


def test_a_chunk_whose_workers_keep_dying_stays_pending_and_the_run_goes_on(caplog, monkeypatch):
    # The CLI (run by earlier tests in this process) may have stopped "steppe" propagating to caplog.
    monkeypatch.setattr(logging.getLogger("steppe"), "propagate", True)
    executor = Recording(chunk=2, fail={1: BrokenProcessPool("gone")})
    with caplog.at_level(logging.WARNING, logger="steppe"):
        out = [item_id for item_id, _, _ in map_enrichment(rows(6), executor, enrichment_work("p"))]
    assert out == ["i0", "i1", "i4", "i5"]
    assert "enrichment of 2 items" in caplog.text


def test_an_error_in_the_work_itself_is_raised_as_in_process():
    executor = Recording(chunk=2, fail={0: RuntimeError("spaCy pipeline 'p' is not installed")})
    with pytest.raises(RuntimeError, match="not installed"):
        list(map_enrichment(rows(4), executor, enrichment_work("p")))


# ---------------------------------------------------------------- the item's date, everywhere


@pytest.fixture
def dated_pages(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for n, (published, title, text) in enumerate(PAGES):
        head = f"Published: {published}\n" if published else ""
        (folder / f"p{n}.txt").write_text(f"{head}https://www.rferl.org/listing/{n}\n\n{title}\n{text}\n",
                                          encoding="utf-8")
    return folder


def president(store: SQLiteStore) -> dict[str | None, str | None]:
    """Item date -> the actor "the Kazakh president" was linked to (None: left unlinked)."""
    found: dict[str | None, str | None] = {}
    for item in store.query("SELECT id, published FROM items"):
        found[item["published"]] = None
        for m in store.query("SELECT text, actor, label FROM mentions WHERE item_id=?", (item["id"],)):
            if m["text"] == "Kazakh president":
                assert m["label"] == "ROLE"
                found[item["published"]] = m["actor"]
    return found


def enriched(path, dated_pages, executor) -> dict:
    with SQLiteStore(path) as store:
        assert ingest([str(dated_pages)], store).items_added == len(PAGES)
        assert enrich_items(store, executor=executor) == len(PAGES)
        return {"president": president(store),
                "mentions": store.query("SELECT * FROM mentions ORDER BY rowid"),
                "events": store.query("SELECT * FROM events ORDER BY rowid")}


def test_role_phrases_resolve_to_the_holder_at_the_item_date_in_process_and_on_workers(dated_pages, tmp_path):
    plain = enriched(tmp_path / "plain.db", dated_pages, None)
    # Nazarbayev's term in 2015, Tokayev's in 2023; undated, no named person to fall back on: unlinked.
    assert plain["president"] == {"2015-06-01": "kz.nazarbayev", "2023-06-01": "kz.tokayev", None: None}
    assert enriched(tmp_path / "inprocess.db", dated_pages, InProcess()) == plain  # the workers' code path
    assert spacy_pipeline() in pipeline._TOOLS  # ... with its tools loaded once and kept
    pool = LocalPool(2, chunk=1)
    try:
        assert enriched(tmp_path / "pool.db", dated_pages, pool) == plain  # real worker processes
    finally:
        pool.close()


# ---------------------------------------------------------------- the CLI


def test_cli_ingest_enriches_on_the_executor_it_read_the_pages_with(dated_pages, tmp_path, monkeypatch):
    from steppe import cli, pipeline
    from steppe.cli import ingesting

    class Tracked(InProcess):
        closed = False

        def close(self) -> None:
            self.closed = True

    executor = Tracked()
    seen: dict = {}

    def fake_enrich(store, *, executor=None, **_):
        seen["executor"], seen["open"] = executor, not executor.closed
        return 0

    monkeypatch.setattr(ingesting, "_executor", lambda spec, workers: executor)
    monkeypatch.setattr(pipeline, "enrich_items", fake_enrich)
    monkeypatch.setattr(ingesting, "_embed", lambda *a, **k: 0)
    result = CliRunner().invoke(cli.main, ["ingest", str(dated_pages), "--db", str(tmp_path / "c.db"),
                                           "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert seen == {"executor": executor, "open": True} and executor.closed
