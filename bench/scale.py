"""Scale: ingest speed per store and executor, search latency, dedupe time, size and memory at N items.

    python bench/scale.py [--size 10000] [--pg URL | --no-pg | --no-sqlite] [--skip-executors] [--bulk]
                          [--enrich-items 2000] [--parallel-backends sqlite] [--keep-db DIR] [--json out.json]
    python bench/scale.py --search-db DB

The corpus (documented generator, ``Corpus``)
---------------------------------------------
Real sentences, recombined: the paragraphs of the 990 pages in
``../shared/eval/extraction-trafilatura`` (read in place, never copied) are
split into sentences; sentences of 6-50 words are kept, once each (~20-30k
sentences in a dozen languages, mostly English). Item k is a title (the first
4-10 words of one sentence) over 2-5 sentences drawn by a generator seeded with
k, so items are reproducible, unique, and have the length, vocabulary and word
frequencies of real news text rather than lorem ipsum. Items are laid out ten to
a page as plain-text listing pages (a ``Published:`` date line, the publisher's
URL, then title + paragraph blocks), the cheapest input Steppe reads, so the
store, not extraction, is what is measured. On top of the N unique items, 5%
of item slots repeat an earlier item exactly (one item, several provenances)
and 3% repeat one with a word changed (a near-duplicate the MinHash index must
merge), as a listing-heavy collection does.

What is measured, each configuration in a fresh process (so peak memory is its own)
-------------------------------------------------------------------------------------
- ingest: wall time and items/s for each store (SQLite file; PostgreSQL on a
  throwaway local server started here, or ``--pg URL``) and each executor
  (in-process; a local pool of 2 workers; a Dask LocalCluster of 2 worker
  processes), with database size on disk and the driver's peak RSS after the
  ingest ("ingest MB") and after search and dedupe too ("peak MB");
- search: p50/p95 latency of 200 mixed queries (words, rare words, phrases,
  prefix*, OR, -exclusion, date and publisher filters), first 20 hits with snippets;
- dedupe: the central merge at full size, i.e. rebuilding the LSH index from
  every stored signature and querying it with each one;
- the CPU-bound stage alone (read + extract + split + date + MinHash, no store)
  on the first ``--map-pages`` real HTML pages of the eval set, in-process and
  with 1 and 2 local and Dask workers: the scaling ratio 2 workers : 1. Every
  worker (and the in-process driver) first reads one other HTML page, so the
  parsers' one-time loading is not counted; tasks are ~1 MB of input each
  (``steppe.executors.CHUNK_BYTES``);
- the enrichment stage alone (spaCy entities linked to the knowledge base, then
  PLOVER events; no store) over the texts of the first ``--enrich-items``
  generated items, each with a date, the same way: in-process, then 1 and 2
  local and Dask workers. Every worker (and the driver) first enriches one
  warm-up text, so loading the knowledge base and the spaCy pipelines is not
  counted; tasks are up to 64 items or ~32k characters each
  (``steppe.executors.ENRICH_ITEMS``, ``ENRICH_CHARS``).

Above 100,000 items (or with ``--bulk``) the stores are not ingested but bulk-loaded
(``run_bulk``: the corpus's items through ``Store.bulk_load``, the rows ``add_page``
writes, then the term index), as the pipeline would take hours at 1M on 2 cores; those
rows say "bulk-load", and the executors' ingest rows are skipped. ``--search-db DB``
measures the 200 queries alone on a kept database (``--keep-db DIR``).

The machine may be shared: the load average is printed at the start and the end,
as timings (and above all the 2 : 1 ratios, which need two idle cores) are only
as good as the quiet they were measured in. ``--parallel-backends sqlite`` runs
the 2-worker executors on SQLite only (the 100k run of the closing note).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "eval" / "extraction-trafilatura" / "pages"
ITEMS_PER_PAGE = 10
BULK_ABOVE = 100_000  # sizes above this are bulk-loaded (Store.bulk_load), not ingested
EXACT_DUP, NEAR_DUP = 0.05, 0.03
PUBLISHERS = ["https://www.chathamhouse.org", "https://carnegieendowment.org", "https://www.crisisgroup.org",
              "https://eurasianet.org", "https://www.rferl.org", "https://thediplomat.com",
              "https://foreignpolicy.com", "https://www.brookings.edu", "https://www.csis.org",
              "https://www.rand.org"]


# ---------------------------------------------------------------- the corpus


def sentence_pool() -> list[str]:
    """Distinct sentences of 6-50 words from the real eval pages (paragraph text only)."""
    import lxml.html

    seen: set[str] = set()
    pool: list[str] = []
    splitter = re.compile(r"(?<=[.!?])\s+(?=[\"“'(\[]?[A-ZÀ-ÝА-Я0-9])")
    for path in sorted(PAGES.glob("*.gz")):
        try:
            tree = lxml.html.fromstring(gzip.decompress(path.read_bytes()))
        except (ValueError, lxml.etree.ParserError):
            continue
        for p in tree.iter("p"):
            text = re.sub(r"\s+", " ", p.text_content()).strip()
            for sentence in splitter.split(text):
                words = sentence.split()
                if 6 <= len(words) <= 50 and sentence[-1] in ".!?" and sentence not in seen:
                    seen.add(sentence)
                    pool.append(sentence)
    return pool


class Corpus:
    """N unique items (plus exact and near repeats), streamed as pages; deterministic for a seed."""

    def __init__(self, size: int, pool: list[str], seed: int = 7) -> None:
        self.size, self.pool, self.seed = size, pool, seed

    def item(self, k: int) -> tuple[str, str]:
        rng = random.Random(self.seed * 1_000_003 + k)
        title_words = rng.choice(self.pool).rstrip(".!?").split()
        # A headline: no trailing punctuation (a cut-off "..., " line reads as prose, not a title).
        title = " ".join(title_words[: rng.randint(4, 10)]).rstrip(" ,;:–—-(\"'“„«")
        body = " ".join(rng.choice(self.pool) for _ in range(rng.randint(2, 5)))
        return title, body

    def slots(self) -> Iterator[tuple[str, str]]:
        """Item texts in page order: each new item once, with exact and near repeats mixed in."""
        rng = random.Random(self.seed)
        made = 0
        while made < self.size:
            roll = rng.random()
            if made > 100 and roll < EXACT_DUP:
                yield self.item(rng.randrange(made))
            elif made > 100 and roll < EXACT_DUP + NEAR_DUP:
                title, body = self.item(rng.randrange(made))
                words = body.split()
                i = rng.randrange(len(words))
                words[i] = "reportedly" if words[i] != "reportedly" else "allegedly"
                yield title, " ".join(words)
            else:
                yield self.item(made)
                made += 1

    def text_pages(self) -> Iterator[Any]:
        from steppe.model import RawDocument

        rng = random.Random(self.seed + 1)
        block: list[tuple[str, str]] = []
        n = 0
        for slot in self.slots():
            block.append(slot)
            if len(block) == ITEMS_PER_PAGE:
                yield RawDocument(f"synthetic://page/{n:07d}.txt", self._text_page(n, block, rng),
                                  content_type="text/plain")
                n, block = n + 1, []
        if block:
            yield RawDocument(f"synthetic://page/{n:07d}.txt", self._text_page(n, block, rng),
                              content_type="text/plain")

    def pages(self, publishers: dict[str, str | None]) -> Iterator[Any]:
        """:meth:`text_pages` as :class:`steppe.model.Page` objects built directly, each block a
        teaser (title, body): the bulk load's input. Extraction is not run (~4 ms an item, hours
        at 1M on 2 cores), so its choices do not apply: it reads ~5% of these blocks otherwise
        (a line of site furniture dropped, a date line taken for a date), and detects languages
        (none here). ``publishers``: what extraction calls each base URL (from a real extraction).
        """
        from steppe.extract.decode import decode_bytes
        from steppe.model import Item, Page, Span

        for raw in self.text_pages():
            text = decode_bytes(raw.data, raw.content_type)  # as extraction decodes it (NFC)
            lines = text.split("\n")  # Published: date, URL, "", then title, body, "" per item
            date, url = lines[0].removeprefix("Published: "), lines[1]
            base = url.split("/listing/")[0]
            at = len(lines[0]) + len(lines[1]) + 3
            items = []
            for k in range(3, len(lines) - 2, 3):
                title, body = lines[k], lines[k + 1]
                start = at + len(title) + 1
                items.append(Item(kind="teaser", text=body, title=title, publisher=publishers[base],
                                  spans=[Span(start, start + len(body))]))
                at = start + len(body) + 2
            yield Page(source=raw.source, sha256=raw.sha256, text=text, content_type=raw.content_type,
                       kind="listing", publisher=publishers[base], url=url, published=date,
                       published_precision="day", items=items)

    def _text_page(self, n: int, block: list[tuple[str, str]], rng: random.Random) -> bytes:
        date = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines = [f"Published: {date}", f"{PUBLISHERS[n % len(PUBLISHERS)]}/listing/{n}", ""]
        for title, body in block:
            lines += [title, body, ""]
        return "\n".join(lines).encode("utf-8")


# ---------------------------------------------------------------- one configuration (child process)


def make_executor(name: str, warm: Any = None) -> tuple[Any, Any]:
    """The executor ``name`` with every worker (or the driver) warmed up by ``warm`` (default
    :func:`_warm_up`) before the clock starts."""
    from steppe.executors import DaskExecutor, InProcess, LocalPool

    warm = warm or _warm_up
    if name == "inprocess":
        warm()
        return InProcess(), None
    workers = int(name[-1])
    if name.startswith("pool"):
        pool = LocalPool(workers)
        for task in [pool.submit(_warm_up_slow, warm) for _ in range(workers)]:
            task.result()  # start and warm the worker processes before the clock starts
        return pool, None
    import distributed

    cluster = distributed.LocalCluster(n_workers=workers, processes=True, threads_per_worker=1,
                                       dashboard_address=None, host="127.0.0.1")
    client = distributed.Client(cluster)
    client.run(warm)
    return DaskExecutor(client), cluster


def _warm_up_slow(warm: Any) -> None:
    (warm or _warm_up)()
    time.sleep(0.5)  # keep this worker busy so that the next warm-up task starts the other one


def _warm_up() -> None:
    """Load what extraction loads lazily (HTML and date parsers, ...) before the clock starts:
    one-time start-up is not the CPU-bound stage whose scaling is measured."""
    from steppe.model import RawDocument
    from steppe.pipeline import process_document

    process_document(RawDocument("w.txt", b"Published: 2024-03-01\nTokayev met Putin in Astana to"
                                 b" discuss transit and energy cooperation across the Caspian Sea.\n"))
    html = sorted(PAGES.glob("*.gz"))[-1]  # not among the first --map-pages pages that are timed
    process_document(RawDocument(str(html), gzip.decompress(html.read_bytes()), content_type="text/html"))


def _warm_up_enrichment() -> None:
    """Load the knowledge base and both spaCy pipelines (NER, parser) into this process's cache,
    as the first task on a worker would: one-time loading is not the stage whose scaling is measured."""
    from steppe.pipeline import enrich_chunk, spacy_pipeline

    enrich_chunk([("warm-up", "Kazakh President Tokayev met Vladimir Putin in Moscow on"
                   " Monday to discuss oil transit.", "2024-03-01")], pipeline=spacy_pipeline())


def run_ingest(args: argparse.Namespace, pool: list[str]) -> dict[str, Any]:
    from steppe.pipeline import IngestSummary, ingest_documents
    from steppe.store import open_store

    corpus = Corpus(args.size, pool)
    executor, cluster = make_executor(args.executor)
    store = open_store(args.db)
    summary = IngestSummary()
    run_id = store.start_run(["bench/scale.py"])
    started = time.perf_counter()
    ingest_documents(corpus.text_pages(), store, run_id, summary, executor)
    seconds = time.perf_counter() - started
    store.finish_run(run_id, added=summary.pages_added, skipped=0, failed=len(summary.failures))
    executor.close()
    if cluster is not None:
        cluster.close()
    out: dict[str, Any] = {
        "ingest_s": seconds, "items": store.stats(runs=0)["items"], "pages": summary.pages_added,
        "duplicates": summary.duplicates, "failures": len(summary.failures),
        "items_per_s": summary.items_added / seconds, "db_bytes": db_size(store, args.db),
        "ingest_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # before search/dedupe
    }
    if args.measure_search:
        out.update(measure_search(store, pool))
        out.update(measure_dedupe(store))
    store.close()
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_bulk(args: argparse.Namespace, pool: list[str]) -> dict[str, Any]:
    """Search at full size without the pipeline's hours: the corpus's items loaded through
    ``Store.bulk_load`` (the rows ``add_page`` would write, one transaction per 2,000 pages,
    COPY on PostgreSQL; exact and near repeats merged as ingest merges them; the term index
    built at the end), then the same 200 queries. The row is labelled "bulk-load": its items/s
    is the store's bulk write, not the pipeline's ingest speed (no extraction, see
    :meth:`Corpus.pages`).
    """
    from steppe.pipeline import read_page
    from steppe.store import open_store

    corpus = Corpus(args.size, pool)
    names: dict[str, str | None] = {}
    for n, raw in enumerate(corpus.text_pages()):  # what extraction calls each publisher
        names[PUBLISHERS[n % len(PUBLISHERS)]] = read_page(raw).publisher
        if n + 1 >= len(PUBLISHERS):
            break
    store = open_store(args.db)
    run_id = store.start_run(["bench/scale.py --bulk"])
    started = time.perf_counter()
    timing: dict[str, float] = {}
    original = store.refresh_search_index

    def timed_refresh() -> None:  # the term index build, timed apart from the writes
        at = time.perf_counter()
        original()
        timing["index_s"] = timing.get("index_s", 0.0) + time.perf_counter() - at

    store.refresh_search_index = timed_refresh  # type: ignore[method-assign]
    result = store.bulk_load(corpus.pages(names), run_id=run_id)
    load_s = time.perf_counter() - started
    store.refresh_search_index = original  # type: ignore[method-assign]
    store.finish_run(run_id, added=result.pages_added, skipped=result.pages_skipped, failed=0)
    out: dict[str, Any] = {"ingest_s": load_s, "index_s": timing.get("index_s", 0.0),
                           "items": store.stats(runs=0)["items"], "pages": result.pages_added,
                           "duplicates": result.duplicates, "failures": 0,
                           "items_per_s": result.items_added / load_s, "db_bytes": db_size(store, args.db),
                           "ingest_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                           "bulk": True}
    out.update(measure_search(store, pool))
    out.update(measure_dedupe(store))
    store.close()
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def db_size(store: Any, url: str) -> int:
    if store.backend == "postgresql":
        return int(store.query("SELECT pg_database_size(current_database()) AS n")[0]["n"])
    return sum(os.path.getsize(url + suffix) for suffix in ("", "-wal") if os.path.exists(url + suffix))


def queries(pool: list[str], n: int = 200, seed: int = 3) -> list[tuple[str, dict[str, str]]]:
    """Mixed queries drawn from the corpus vocabulary: common and rare words, phrases, operators."""
    rng = random.Random(seed)
    from collections import Counter

    counts = Counter(w.lower() for s in pool for w in re.findall(r"[^\W\d_]{4,}", s))
    ranked = [w for w, _ in counts.most_common()]
    common = ranked[:400]
    rare = [w for w in ranked if counts[w] == 2][:2000] or common
    out: list[tuple[str, dict[str, str]]] = []
    for i in range(n):
        kind = i % 8
        if kind == 0:
            q = rng.choice(common)
        elif kind == 1:
            q = rng.choice(rare or common)
        elif kind == 2:
            s = rng.choice(pool).split()
            j = rng.randrange(max(1, len(s) - 1))
            q = '"' + " ".join(s[j:j + 2]).strip('.,;:!?"') + '"'
        elif kind == 3:
            q = rng.choice(common)[:4] + "*"
        elif kind == 4:
            q = f"{rng.choice(common)} OR {rng.choice(rare or common)}"
        elif kind == 5:
            q = f"{rng.choice(common)} -{rng.choice(common)}"
        elif kind == 6:
            q = f"{rng.choice(common)} {rng.choice(common)}"
        else:
            q = rng.choice(common)
        filters = {"since": "2020", "until": "2022-06"} if kind == 7 else (
            {"publisher": "Chatham House"} if kind == 6 and i % 16 == 6 else {})
        out.append((q, filters))
    return out


QUERY_CLASSES = ["common word", "rare word", "phrase", "prefix*", "OR", "-exclusion", "two words",
                 "word + dates"]  # queries()'s kinds, i % 8 (every 16th "two words" has a publisher)


def measure_search(store: Any, pool: list[str]) -> dict[str, Any]:
    from steppe.store import QuerySyntaxError

    times, hits = [], 0
    per_class: dict[str, list[float]] = {}
    for i, (q, filters) in enumerate(queries(pool)):
        started = time.perf_counter()
        try:
            hits += len(store.search(q, limit=20, **filters))
        except QuerySyntaxError:
            continue
        times.append(1000 * (time.perf_counter() - started))
        per_class.setdefault(QUERY_CLASSES[i % 8], []).append(times[-1])
    times.sort()
    return {"search_p50_ms": statistics.median(times), "search_p95_ms": times[int(0.95 * (len(times) - 1))],
            "search_queries": len(times), "search_hits": hits,
            "search_by_class_ms": {k: {"p50": statistics.median(v), "max": max(v)} for k, v in per_class.items()}}


def measure_dedupe(store: Any) -> dict[str, Any]:
    """The central near-duplicate merge at full size: index every signature, query with each."""
    import numpy as np

    from steppe.store.dedupe import NearDuplicateIndex

    store.drop_near_index()  # the store's own index: not two at once in memory
    started = time.perf_counter()
    index = NearDuplicateIndex()
    matches = n = 0
    for item_id, blob in store.signatures():
        sig = np.frombuffer(blob, dtype=np.uint64)
        found = index.find(sig)
        matches += found is not None
        index.add(item_id, sig)
        n += 1
    return {"dedupe_s": time.perf_counter() - started, "dedupe_items": n, "dedupe_matches": matches}


def run_map(args: argparse.Namespace, pool: list[str]) -> dict[str, Any]:
    """The CPU-bound stage alone: read + MinHash of the real eval HTML pages, no store."""
    from steppe.executors import map_pages
    from steppe.model import RawDocument
    from steppe.pipeline import process_chunk

    files = sorted(PAGES.glob("*.gz"))[: args.map_pages]
    docs = (RawDocument(str(f), gzip.decompress(f.read_bytes()), content_type="text/html") for f in files)
    executor, cluster = make_executor(args.executor)
    started, cpu = time.perf_counter(), time.process_time()
    n = sum(1 for o in map_pages(docs, executor, process_chunk) if o.page is not None)
    seconds, driver_cpu = time.perf_counter() - started, time.process_time() - cpu
    executor.close()
    if cluster is not None:
        cluster.close()
    return {"map_s": seconds, "map_pages": n, "pages_per_s": n / seconds, "driver_cpu_s": driver_cpu,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def enrich_rows_of(corpus: Corpus, n: int) -> list[tuple[str, str, str]]:
    """(id, text, published) of the first ``n`` generated items, dated 2015-2024 (role phrases
    resolve against the date, so the dated path is the one measured)."""
    rows = []
    for k in range(n):
        _, body = corpus.item(k)  # an item's text is its body; the title is stored beside it
        rows.append((f"item{k:07d}", body, f"{2015 + k % 10}-{1 + k % 12:02d}-{1 + k % 28:02d}"))
    return rows


def run_enrich(args: argparse.Namespace, pool: list[str]) -> dict[str, Any]:
    """The enrichment stage alone: entities + events over generated items' texts, no store."""
    from steppe.executors import map_enrichment
    from steppe.pipeline import enrich_rows, enrichment_tools, enrichment_work, spacy_pipeline

    rows = enrich_rows_of(Corpus(args.enrich_items, pool), args.enrich_items)
    executor, cluster = make_executor(args.executor, warm=_warm_up_enrichment)
    name = spacy_pipeline()
    started, cpu = time.perf_counter(), time.process_time()
    if args.executor == "inprocess":  # what `steppe ingest` does without an executor: one nlp.pipe stream
        results = enrich_rows(rows, *enrichment_tools(name))
    else:
        results = map_enrichment(rows, executor, enrichment_work(name))
    n = mentions = events = 0
    for _, item_mentions, item_events in results:
        n, mentions, events = n + 1, mentions + len(item_mentions), events + len(item_events)
    seconds, driver_cpu = time.perf_counter() - started, time.process_time() - cpu
    executor.close()
    if cluster is not None:
        cluster.close()
    return {"enrich_s": seconds, "enrich_items": n, "items_per_s": n / seconds, "mentions": mentions,
            "events": events, "driver_cpu_s": driver_cpu,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


# ---------------------------------------------------------------- orchestration (parent process)


def child(mode: str, size: int, executor: str, pool_file: str, db: str = "", search: bool = False,
          map_pages: int = 0, enrich_items: int = 0) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", mode, "--size", str(size), "--executor", executor,
           "--db", db, "--map-pages", str(map_pages), "--enrich-items", str(enrich_items),
           "--pool", pool_file] + (["--measure-search"] if search else [])
    started = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed",
                "wall_s": time.perf_counter() - started}
    return json.loads(result.stdout.strip().splitlines()[-1])


def start_pg() -> Any:
    """A throwaway server from tests/pg.py, or None when PostgreSQL is not installed."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from pg import PgServer, find_bin_dir
    except ImportError:
        return None
    bin_dir = find_bin_dir()
    if bin_dir is None:
        return None
    # Durable (fsync on); commits not waited for, as the SQLite store's synchronous=NORMAL.
    server = PgServer(bin_dir, fast=False, settings=["synchronous_commit=off", "shared_buffers=512MB",
                                                      "max_wal_size=4GB"]).start()
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="unique items (default 10000)")
    parser.add_argument("--pg", help="PostgreSQL server URL (a database is created and dropped on it)")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only (e.g. a long 1M run)")
    parser.add_argument("--skip-executors", action="store_true", help="in-process ingest only")
    parser.add_argument("--parallel-backends", default="sqlite,postgresql",
                        help="stores on which the 2-worker executors are also run (default both)")
    parser.add_argument("--map-pages", type=int, default=300,
                        help="real HTML pages for the CPU-stage scaling (default 300)")
    parser.add_argument("--enrich-items", type=int, default=2000,
                        help="generated items for the enrichment-stage scaling (default 2000; 0: skip)")
    parser.add_argument("--bulk", action="store_true",
                        help="load the corpus with Store.bulk_load instead of ingesting it, then measure"
                             f" search (run_bulk; the default above {BULK_ABOVE} items)")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--keep-db", help="write the SQLite databases in this folder and keep them (and the"
                                          " PostgreSQL ones, on the --pg server)")
    parser.add_argument("--search-db", help="only measure search (the 200 queries) on this existing store,"
                                            " e.g. one kept by --keep-db")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--executor", default="inprocess", help=argparse.SUPPRESS)
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    parser.add_argument("--measure-search", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pool", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not PAGES.is_dir():
        print(f"skip: {PAGES} is absent (the benchmark needs ../shared/eval beside the repository)")
        return 0
    if args.search_db:
        return search_only(args.search_db)
    if args.child:
        pool = json.loads(Path(args.pool).read_text(encoding="utf-8"))
        run = {"ingest": run_ingest, "map": run_map, "enrich": run_enrich, "bulk": run_bulk}[args.child]
        out = run(args, pool)
        print(json.dumps(out))
        return 0
    return orchestrate(args)


def search_only(db: str) -> int:
    """The 200 queries on a store that exists (e.g. kept by an earlier run's --keep-db)."""
    from steppe.store import open_store

    print(f"search on {db}; load average {_load()}", flush=True)
    store = open_store(db)
    items = store.stats(runs=0)["items"]
    row = measure_search(store, sentence_pool())
    store.close()
    for name, figures in row["search_by_class_ms"].items():
        print(f"    search {name:<13} p50 {figures['p50']:7.1f} ms, max {figures['max']:7.1f} ms")
    print(f"{store.backend}: {items} items, search p50 {row['search_p50_ms']:.1f} / p95 {row['search_p95_ms']:.1f} ms"
          f" ({row['search_queries']} queries); load average at the end {_load()}")
    return 0


def orchestrate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    pool = sentence_pool()
    print(f"corpus: {args.size} unique items from {len(pool)} real sentences "
          f"({ITEMS_PER_PAGE} items/page, +{EXACT_DUP:.0%} exact and +{NEAR_DUP:.0%} near repeats); "
          f"{os.cpu_count()} CPUs, load average {_load()}", flush=True)
    server = None
    pg_base = None if args.no_pg else args.pg
    if not args.no_pg and not args.pg:
        server = start_pg()
        pg_base = server.url if server else None
    results: list[dict[str, Any]] = []
    bulk = args.bulk or args.size > BULK_ABOVE
    if bulk and args.size > BULK_ABOVE and not args.bulk:
        print(f"  above {BULK_ABOVE} items the stores are bulk-loaded (Store.bulk_load; no extraction),"
              " not ingested: the rows say bulk-load, their items/s is not ingest speed", flush=True)
    # The executors parallelise the pipeline's page reading, which a bulk load does not run.
    executors = ["inprocess"] if args.skip_executors or bulk else ["inprocess", "pool2", "dask2"]
    try:
        with tempfile.TemporaryDirectory(prefix="steppe-scale-") as tmp:
            pool_file = os.path.join(tmp, "sentences.json")  # derived text: temporary, never in the repo
            Path(pool_file).write_text(json.dumps(pool), encoding="utf-8")
            backends = ([] if args.no_sqlite else ["sqlite"]) + (["postgresql"] if pg_base else [])
            for backend in backends:
                for executor in executors:
                    if executor != "inprocess" and backend not in args.parallel_backends.split(","):
                        continue
                    db, cleanup = _new_db(backend, args.keep_db or tmp, executor, pg_base)
                    if args.keep_db:  # keep the database (a PostgreSQL one on --pg's server) and say where
                        print(f"  keeping the {backend} database: {db}", flush=True)
                        cleanup = _keep
                    mode = "bulk" if bulk and executor == "inprocess" else "ingest"
                    row = child(mode, args.size, executor, pool_file, db, search=executor == "inprocess")
                    cleanup()
                    results.append({"backend": backend, "executor": "bulk-load" if mode == "bulk" else executor,
                                    **row})
                    _print_progress(results[-1])
                    for name, figures in row.get("search_by_class_ms", {}).items():
                        print(f"    search {name:<13} p50 {figures['p50']:7.1f} ms, max {figures['max']:7.1f} ms",
                              flush=True)
            scaling: list[dict[str, Any]] = []
            if not args.skip_executors and args.map_pages > 0:
                for executor in ["inprocess", "pool1", "pool2", "dask1", "dask2"]:
                    row = child("map", args.size, executor, pool_file, map_pages=args.map_pages)
                    scaling.append({"executor": executor, **row})
                    print(f"  map {executor}: {row}", flush=True)
            enrich_scaling = _enrich_scaling(args, pool_file)
    finally:
        if server is not None:
            server.stop()
    print_tables(args.size, results, scaling if not args.skip_executors else [], enrich_scaling)
    print(f"\nbench wall time {time.perf_counter() - started:.0f} s; load average at the end {_load()}"
          " (other processes on the machine make the timings noisy)")
    if args.json:
        Path(args.json).write_text(json.dumps({"size": args.size, "ingest": results,
                                               "scaling": scaling if not args.skip_executors else [],
                                               "enrichment_scaling": enrich_scaling}, indent=2))
    return 0


def _enrich_scaling(args: argparse.Namespace, pool_file: str) -> list[dict[str, Any]]:
    """The enrichment stage alone, in-process and on 1 and 2 workers (each in a fresh process)."""
    rows: list[dict[str, Any]] = []
    if args.skip_executors or args.enrich_items <= 0:
        return rows
    for executor in ["inprocess", "pool1", "pool2", "dask1", "dask2"]:
        row = child("enrich", args.size, executor, pool_file, enrich_items=args.enrich_items)
        rows.append({"executor": executor, **row})
        print(f"  enrich {executor}: {row}", flush=True)
    return rows


def _keep() -> None:
    pass


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def _new_db(backend: str, tmp: str, executor: str, pg_base: str | None) -> tuple[str, Any]:
    if backend == "sqlite":
        path = os.path.join(tmp, f"{executor}.db")
        for suffix in ("", "-wal", "-shm"):  # a kept database from an earlier run: start afresh
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return path, lambda: [os.remove(path + s) for s in ("", "-wal", "-shm") if os.path.exists(path + s)]
    import uuid

    import psycopg

    name = "scale_" + uuid.uuid4().hex[:8]
    with psycopg.connect(pg_base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = pg_base.rsplit("/", 1)[0] + "/" + name

    def drop() -> None:
        with psycopg.connect(pg_base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return url, drop


def _print_progress(row: dict[str, Any]) -> None:
    if "error" in row:
        print(f"  {row['backend']}/{row['executor']}: ERROR {row['error']}", flush=True)
    else:
        index = f", term index {row['index_s']:.1f} s" if "index_s" in row else ""
        search = (f"; {row['items']} items, search p50 {row['search_p50_ms']:.1f} / p95 {row['search_p95_ms']:.1f} ms,"
                  f" dedupe {row['dedupe_s']:.1f} s; load average {_load()}" if "search_p50_ms" in row else "")
        print(f"  {row['backend']}/{row['executor']}: {row['ingest_s']:.1f} s, {row['items_per_s']:.0f} items/s"
              f"{index}{search}", flush=True)


def print_tables(size: int, results: list[dict[str, Any]], scaling: list[dict[str, Any]],
                 enrich_scaling: list[dict[str, Any]] | None = None) -> None:
    print(f"\n== ingest, {size} unique items")
    header = (f"{'store':<11}{'executor':<11}{'items':>9}{'ingest s':>10}{'items/s':>9}{'DB MB':>8}"
              f"{'ingest MB':>10}{'peak MB':>9}{'search p50':>11}{'p95 ms':>8}{'dedupe s':>10}")
    print(header)
    for r in results:
        if "error" in r:
            print(f"{r['backend']:<11}{r['executor']:<11} error: {r['error']}")
            continue
        search = (f"{r['search_p50_ms']:>11.1f}{r['search_p95_ms']:>8.1f}{r['dedupe_s']:>10.1f}"
                  if "search_p50_ms" in r else f"{'':>11}{'':>8}{'':>10}")
        print(f"{r['backend']:<11}{r['executor']:<11}{r['items']:>9}{r['ingest_s']:>10.1f}"
              f"{r['items_per_s']:>9.0f}{r['db_bytes'] / 2**20:>8.0f}{r.get('ingest_rss_mb', float('nan')):>10.0f}"
              f"{r['peak_rss_mb']:>9.0f}{search}")
    if any(r.get("bulk") for r in results):
        print("bulk-load: the corpus's items written with Store.bulk_load (the rows add_page writes, exact"
              " and near repeats merged; no extraction, so not ingest speed), then the term index built: "
              + ", ".join(f"{r['backend']} {r['index_s']:.0f} s" for r in results if r.get("bulk")))
    if scaling:
        print("\n== CPU-bound stage alone (read, extract, split, date, MinHash of real HTML pages; no store)")
        print(f"{'executor':<11}{'pages':>7}{'seconds':>9}{'pages/s':>9}{'driver CPU s':>14}")
        rate = {}
        for r in scaling:
            if "error" in r:
                print(f"{r['executor']:<11} error: {r['error']}")
                continue
            rate[r["executor"]] = r["pages_per_s"]
            print(f"{r['executor']:<11}{r['map_pages']:>7}{r['map_s']:>9.1f}{r['pages_per_s']:>9.1f}"
                  f"{r.get('driver_cpu_s', float('nan')):>14.1f}")
        _print_ratios(rate)
    if enrich_scaling:
        print("\n== enrichment stage alone (spaCy entities linked to actors, then PLOVER events; no store)")
        print(f"{'executor':<11}{'items':>7}{'seconds':>9}{'items/s':>9}{'driver CPU s':>14}"
              f"{'mentions':>10}{'events':>8}")
        rate = {}
        for r in enrich_scaling:
            if "error" in r:
                print(f"{r['executor']:<11} error: {r['error']}")
                continue
            rate[r["executor"]] = r["items_per_s"]
            print(f"{r['executor']:<11}{r['enrich_items']:>7}{r['enrich_s']:>9.1f}{r['items_per_s']:>9.1f}"
                  f"{r['driver_cpu_s']:>14.1f}{r['mentions']:>10}{r['events']:>8}")
        _print_ratios(rate)


def _print_ratios(rate: dict[str, float]) -> None:
    for kind in ("pool", "dask"):
        if f"{kind}1" in rate and f"{kind}2" in rate:
            print(f"scaling {kind} 2 workers : 1 = {rate[f'{kind}2'] / rate[f'{kind}1']:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
