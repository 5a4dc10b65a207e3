"""Ingest speed: Steppe's whole ingest (read, extract, split, date, dedupe, store) in pages/s,
beside trafilatura's bare extraction on the same pages, in one run.

    python bench/ingest.py [--limit N] [--profile]

Pages: ../shared/eval/extraction-trafilatura/pages/*.gz (990 real web pages).
Both sides read the same decompressed bytes from memory, so disk speed is out of it.
``--profile`` adds Steppe's time per stage (the stages' own functions wrapped with timers;
nested stages are counted in their own row and left out of their parent's).
Times are given twice: wall clock, and this process's CPU time (``time.process_time``), which
other programs on a shared machine move far less; compare ratios from the same run.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "extraction-trafilatura" / "pages"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--profile", action="store_true", help="also print Steppe's time per stage")
    args = parser.parse_args()
    if not PAGES.is_dir():
        print(f"skip: {PAGES} is absent (the benchmark needs ../shared/eval beside the repository)")
        return 0
    import trafilatura

    from steppe.model import RawDocument
    from steppe.pipeline import IngestSummary, ingest_one
    from steppe.store import SQLiteStore

    stages = _time_stages() if args.profile else None
    files = sorted(PAGES.glob("*.gz"))[: args.limit or None]
    docs = [RawDocument(source=str(f), data=gzip.decompress(f.read_bytes()), content_type="text/html")
            for f in files]

    started, started_cpu = time.perf_counter(), time.process_time()
    for doc in docs:
        trafilatura.extract(doc.data.decode("utf-8", "replace"))
    peer_seconds, peer_cpu = time.perf_counter() - started, time.process_time() - started_cpu

    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "bench.db")
        summary = IngestSummary()
        run_id = store.start_run(["bench"])
        started, started_cpu = time.perf_counter(), time.process_time()
        for doc in docs:
            ingest_one(doc, store, run_id, summary)
        steppe_seconds, steppe_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        items = store.stats()["items"]
        store.close()

    n = len(docs)
    print(f"{n} pages from {PAGES.parent.name}")
    print(f"{'':34}{'pages/s':>10}{'ms/page':>10}{'cpu ms/page':>13}")
    print(f"{'steppe ingest (extract+store)':34}{n / steppe_seconds:10.1f}{1000 * steppe_seconds / n:10.1f}"
          f"{1000 * steppe_cpu / n:13.1f}")
    print(f"{'trafilatura.extract only':34}{n / peer_seconds:10.1f}{1000 * peer_seconds / n:10.1f}"
          f"{1000 * peer_cpu / n:13.1f}")
    print(f"{'ratio steppe / trafilatura':34}{'':10}{steppe_seconds / peer_seconds:9.2f}x"
          f"{steppe_cpu / peer_cpu:12.2f}x")
    print(f"steppe: {summary.pages_added} pages stored, {len(summary.failures)} failed, {items} items, "
          f"{summary.duplicates} duplicates merged")
    if stages is not None:
        print(f"steppe per stage (CPU time){'ms/page':>18}{'share':>8}")
        for name, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
            print(f"  {name:40}{1000 * seconds / n:8.1f}{seconds / steppe_cpu:8.1%}")
        rest = steppe_cpu - sum(stages.values())
        print(f"  {'(the rest)':40}{1000 * rest / n:8.1f}{rest / steppe_cpu:8.1%}")
    return 0


# (module, function, row): wrapped with timers for --profile; each row's time excludes the
# rows timed inside it, so the rows add up to the whole ingest
STAGES = (
    ("steppe.extract", "decode_bytes", "decode"),
    ("steppe.extract.html", "_parse", "main text: parse (lxml.html)"),
    ("steppe.extract.html", "_trafilatura", "main text: trafilatura.bare_extraction"),
    ("steppe.extract.html", "_htmldate", "main text: htmldate (page date)"),
    ("steppe.extract.html", "extract_html", "main text: Steppe's metadata and clean-up"),
    ("steppe.extract.cards", "find_cards", "cards: find_cards"),
    ("steppe.extract", "_set_languages", "languages (py3langid)"),
    ("steppe.pipeline", "page_signatures", "dedupe: MinHash signatures"),
    ("steppe.store.sqlite", "SQLiteStore.add_page", "store: add_page (SQLite)"),
)


def _time_stages() -> dict[str, float]:
    import importlib

    totals: dict[str, float] = defaultdict(float)
    stack: list[float] = []  # time spent in timed stages nested inside each open stage

    def timed(row: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            stack.append(0.0)
            started = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = time.process_time() - started
                inner = stack.pop()
                totals[row] += spent - inner
                if stack:
                    stack[-1] += spent
        return wrapper

    for module_name, qualname, row in STAGES:
        owner: Any = importlib.import_module(module_name)
        *outer, name = qualname.split(".")
        for attr in outer:
            owner = getattr(owner, attr)
        setattr(owner, name, timed(row, getattr(owner, name)))
    return totals


if __name__ == "__main__":
    sys.exit(main())
