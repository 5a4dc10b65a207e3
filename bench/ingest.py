"""Ingest speed: Steppe's whole ingest (read, extract, split, date, dedupe, store) in pages/s,
beside trafilatura's bare extraction on the same pages, in one run.

    python bench/ingest.py [--limit N]

Pages: ../shared/eval/extraction-trafilatura/pages/*.gz (990 real web pages).
Both sides read the same decompressed bytes from memory, so disk speed is out of it.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from pathlib import Path

PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "extraction-trafilatura" / "pages"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = parser.parse_args()
    if not PAGES.is_dir():
        print(f"skip: {PAGES} is absent (the benchmark needs ../shared/eval beside the repository)")
        return 0
    import trafilatura

    from steppe.model import RawDocument
    from steppe.pipeline import IngestSummary, ingest_one
    from steppe.store import SQLiteStore

    files = sorted(PAGES.glob("*.gz"))[: args.limit or None]
    docs = [RawDocument(source=str(f), data=gzip.decompress(f.read_bytes()), content_type="text/html")
            for f in files]

    started = time.perf_counter()
    for doc in docs:
        trafilatura.extract(doc.data.decode("utf-8", "replace"))
    peer_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "bench.db")
        summary = IngestSummary()
        run_id = store.start_run(["bench"])
        started = time.perf_counter()
        for doc in docs:
            ingest_one(doc, store, run_id, summary)
        steppe_seconds = time.perf_counter() - started
        items = store.stats()["items"]
        store.close()

    n = len(docs)
    print(f"{n} pages from {PAGES.parent.name}")
    print(f"{'':34}{'pages/s':>10}{'ms/page':>10}")
    print(f"{'steppe ingest (extract+store)':34}{n / steppe_seconds:10.1f}{1000 * steppe_seconds / n:10.1f}")
    print(f"{'trafilatura.extract only':34}{n / peer_seconds:10.1f}{1000 * peer_seconds / n:10.1f}")
    print(f"steppe: {summary.pages_added} pages stored, {len(summary.failures)} failed, {items} items, "
          f"{summary.duplicates} duplicates merged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
