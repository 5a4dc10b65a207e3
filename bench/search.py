"""Search quality and speed on the corpus: what picks the default embedding model.

    .venv/bin/python bench/search.py [--models NAME ...] [--requests 1000] [--no-latency]

Ingests ../shared/corpus into a scratch database, then for BM25 and, per installed embedding
model (the ``semantic`` extra), dense and hybrid (RRF) search:

- nDCG@10 on the labelled queries of tests/data/search_queries.yaml, overall and per query style
  (keyword, paraphrase, Russian);
- embedding speed (items/s over the corpus items, sentences/s over its sentences);
- latency of ``GET /api/items?q=`` against a real uvicorn server on 127.0.0.1: a bounded loop of
  mixed requests (the labelled queries, some on page 2, some filtered by kind), p50/p95/p99.
  Dense search is timed with its query-embedding cache off (every request embeds its query: the
  worst case) and on (the default: paging and facet clicks repeat a query).

Skips with a message when ../shared/corpus is absent; without the extra it reports BM25 only.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
QUERIES = ROOT / "tests" / "data" / "search_queries.yaml"
STYLES = ("keyword", "paraphrase", "russian")
K = 10

SERVER = """
import sys, uvicorn
from steppe.serve.app import create_app
uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


# ---------------------------------------------------------------- data

def build_corpus_db(path: Path) -> int:
    """Ingest the corpus (with entities and events, as ``steppe ingest`` does); returns items."""
    from steppe.pipeline import enrich_items, ingest
    from steppe.store import SQLiteStore

    def enrich(store: Any) -> int:
        try:
            return enrich_items(store)
        except (ImportError, OSError) as exc:  # facets lose actors and events, nothing else
            print(f"(entities and events skipped: {exc})")
            return 0

    with SQLiteStore(path) as store:
        ingest([str(CORPUS)], store, enricher=enrich)
        return store.stats()["items"]


def copy_db(src: Path, dst: Path) -> None:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def load_queries(store: Any) -> list[dict[str, Any]]:
    """The labelled queries, each text prefix resolved to exactly one item id."""
    items = store.query("SELECT id, text FROM items")
    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"]
    for query in queries:
        grades: dict[str, int] = {}
        for prefix, grade in query["relevant"].items():
            hits = [r["id"] for r in items if r["text"].startswith(prefix)]
            if len(hits) != 1:
                raise SystemExit(f"label {prefix!r} matches {len(hits)} items, not one")
            grades[hits[0]] = int(grade)
        query["grades"] = grades
    return queries


def corpus_sentences() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(CORPUS.iterdir())
                    if p.is_file())
    parts = re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", text))
    return [s for s in parts if len(s.split()) >= 5]


# ---------------------------------------------------------------- quality

def ndcg(ranking: list[str], grades: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranking[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def evaluate(rank: Any, queries: list[dict[str, Any]]) -> dict[str, float]:
    """Mean nDCG@10 overall, over English queries, and per style."""
    scores: dict[str, list[float]] = {"all": [], "english": [], **{s: [] for s in STYLES}}
    for query in queries:
        score = ndcg(rank(query["q"]), query["grades"])
        scores["all"].append(score)
        scores[query["style"]].append(score)
        if query["style"] != "russian":
            scores["english"].append(score)
    return {name: statistics.fmean(v) if v else float("nan") for name, v in scores.items()}


def quality_rows(db: Path, queries: list[dict[str, Any]], model: str | None) -> list[tuple[str, dict[str, float]]]:
    from steppe.analyse.search import keyword_ranker, search_items
    from steppe.store import SQLiteStore
    from steppe.store.query import QuerySyntaxError

    def bm25(q: str) -> list[str]:
        try:
            return keyword_ranker(store, q, {}).ids
        except QuerySyntaxError:
            return []

    with SQLiteStore(db) as store:
        if model is None:
            return [("BM25", evaluate(bm25, queries))]
        from steppe.analyse.semantic import dense_ranker

        return [
            (f"dense  {model}", evaluate(lambda q: dense_ranker(store, q, {}).ids, queries)),
            # The real search path: BM25 + dense fused by RRF inside search_items.
            (f"hybrid {model}", evaluate(
                lambda q: [h["id"] for h in search_items(store, q, per_page=K)["hits"]], queries)),
        ]


def embed_speed(db: Path, model: str, sentences: list[str]) -> dict[str, float]:
    """Embeds every corpus item into ``db``; returns items/s, sentences/s and load seconds."""
    from steppe.analyse.semantic import BATCH_SIZE, embed_items, get_embedder
    from steppe.store import SQLiteStore

    start = time.perf_counter()
    embedder = get_embedder(model)
    load = time.perf_counter() - start
    with SQLiteStore(db) as store:
        start = time.perf_counter()
        items = embed_items(store, model)
        items_s = items / (time.perf_counter() - start)
    start = time.perf_counter()
    for i in range(0, len(sentences), BATCH_SIZE):
        embedder.passages(sentences[i:i + BATCH_SIZE])
    sentences_s = len(sentences) / (time.perf_counter() - start)
    return {"load_s": load, "items": items, "items_per_s": items_s,
            "sentences": len(sentences), "sentences_per_s": sentences_s}


# ---------------------------------------------------------------- latency

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request_mix(queries: list[dict[str, Any]], n: int, seed: int = 7) -> list[dict[str, Any]]:
    """Mixed requests: every labelled query, a fifth on page 2, a sixth filtered by kind."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        params: dict[str, Any] = {"q": rng.choice(queries)["q"]}
        if rng.random() < 0.2:
            params["page"] = 2
        if rng.random() < 1 / 6:
            params["kind"] = "teaser"
        out.append(params)
    return out


def measure_latency(db: Path, requests: list[dict[str, Any]], *, query_cache: bool = True,
                    startup_timeout: float = 180.0) -> dict[str, float]:
    """Starts ``steppe``'s app under uvicorn, sends ``requests`` one after another."""
    import httpx

    port = free_port()
    env = dict(os.environ, STEPPE_QUERY_CACHE="256" if query_cache else "0")
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(db), str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60.0) as client:
            deadline = time.monotonic() + startup_timeout
            while True:  # ready when a search answers (the model, if any, loads on this one)
                if server.poll() is not None:
                    raise RuntimeError(f"server exited: {server.stderr.read().decode()[-500:]}")
                try:
                    if client.get("/api/items", params={"q": "warm up"}).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not start")
                time.sleep(0.2)
            for params in requests[:20]:
                client.get("/api/items", params=params)
            times, errors = [], 0
            for params in requests:  # bounded: exactly len(requests) requests
                start = time.perf_counter()
                response = client.get("/api/items", params=params)
                times.append((time.perf_counter() - start) * 1000)
                errors += response.status_code != 200
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    times.sort()
    pick = lambda p: times[min(len(times) - 1, math.ceil(p * len(times)) - 1)]  # noqa: E731
    return {"n": len(times), "errors": errors, "mean": statistics.fmean(times), "p50": pick(0.50),
            "p95": pick(0.95), "p99": pick(0.99)}


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="*", help="Embedding models (default: every installed one).")
    parser.add_argument("--requests", type=int, default=1000, help="Requests per latency run.")
    parser.add_argument("--no-latency", action="store_true", help="Skip the server latency runs.")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"skipped: no corpus at {CORPUS} (../shared is not here)")
        return 0
    from steppe.analyse.semantic import EXTRA_HINT, installed_models

    models = args.models if args.models is not None else installed_models()
    if not models:
        print(f"dense and hybrid rows skipped: {EXTRA_HINT}")
    tmp = Path(tempfile.mkdtemp(prefix="steppe-bench-search-"))
    try:
        base = tmp / "bm25.db"
        items = build_corpus_db(base)
        from steppe.store import SQLiteStore

        with SQLiteStore(base) as store:
            queries = load_queries(store)
        counts = {s: sum(q["style"] == s for q in queries) for s in STYLES}
        rows = quality_rows(base, queries, None)
        speeds: dict[str, dict[str, float]] = {}
        sentences = corpus_sentences()
        dbs: dict[str, Path] = {}
        for model in models:
            dbs[model] = tmp / f"{model}.db"
            copy_db(base, dbs[model])
            speeds[model] = embed_speed(dbs[model], model, sentences)
            rows += quality_rows(dbs[model], queries, model)

        print(f"\nnDCG@{K} on {len(queries)} labelled queries over {items} corpus items"
              f" ({', '.join(f'{counts[s]} {s}' for s in STYLES)}; english = keyword + paraphrase)")
        columns = ("all", "english", *STYLES)
        print(f"{'system':36}" + "".join(f"{c:>11}" for c in columns))
        for name, scores in rows:
            print(f"{name:36}" + "".join(f"{scores[c]:>11.3f}" for c in columns))
        if speeds:
            print("\nembedding speed (this machine, load average "
                  f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
            print(f"{'model':36}{'load s':>9}{'items/s':>10}{'sentences/s':>13}")
            for model, s in speeds.items():
                print(f"{model:36}{s['load_s']:>9.1f}{s['items_per_s']:>10.1f}"
                      f"{s['sentences_per_s']:>13.1f}   ({s['items']} items,"
                      f" {s['sentences']} sentences)")
        if args.no_latency:
            return 0
        requests = request_mix(queries, args.requests)
        runs = [("BM25 only", base, True)]
        for model, db in dbs.items():
            runs += [(f"hybrid {model}, query cache off", db, False),
                     (f"hybrid {model}, query cache on", db, True)]
        print(f"\nGET /api/items?q= latency, ms: {args.requests} sequential mixed requests per run"
              " against uvicorn on 127.0.0.1")
        print(f"{'server':58}{'p50':>8}{'p95':>8}{'p99':>8}{'mean':>8}{'errors':>8}")
        for name, db, cache in runs:
            r = measure_latency(db, requests, query_cache=cache)
            print(f"{name:58}{r['p50']:>8.1f}{r['p95']:>8.1f}{r['p99']:>8.1f}{r['mean']:>8.1f}"
                  f"{r['errors']:>8}", flush=True)
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
