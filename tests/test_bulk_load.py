"""Store.bulk_load stores what add_page stores, page after page: the same rows and search results."""

from __future__ import annotations

import hashlib
import random

import numpy as np
import pytest

from steppe.model import Item, Page, Span
from steppe.store import SQLiteStore
from steppe.store.dedupe import fmix32, signature, signatures
from test_termindex import WORDS

QUERIES = ["tokayev", "tok*", "grain OR oil", "putin -moscow", "caspian pipeline", '"grain transit"',
           "Токаев", "a*", "energy", "summit treaty"]


def pages_with_repeats(n_pages: int, seed: int) -> list[Page]:
    """Listing pages whose items repeat earlier ones exactly, nearly (a word changed), with a title
    or date an earlier copy lacked, twice within one page; and one page stored twice."""
    rng = random.Random(seed)
    made: list[Item] = []
    pages = []
    for p in range(n_pages):
        items: list[Item] = []
        text_parts: list[str] = []
        for _ in range(rng.randint(1, 8)):
            roll = rng.random()
            if made and roll < 0.15:
                old = rng.choice(made)
                title, body = old.title or rng.choice(WORDS), old.text
            elif made and roll < 0.3:
                old = rng.choice(made)
                words = old.text.split()
                words[rng.randrange(len(words))] = "reportedly"
                title, body = old.title, " ".join(words)
            elif items and roll < 0.35:
                title, body = items[-1].title, items[-1].text + " again"
            else:
                title = " ".join(rng.choices(WORDS, k=rng.randint(0, 5))) or None
                body = " ".join(rng.choices(WORDS, k=rng.randint(3, 40))) + f" n{p}x{len(items)}."
            start = sum(len(t) + 1 for t in text_parts)
            text_parts.append(body)
            items.append(Item(kind="teaser", text=body, title=title,
                              publisher=rng.choice(["Carnegie", "Chatham House", None]),
                              published=rng.choice([None, None, "2021-05-03", "2023-11"]),
                              published_precision=None, spans=[Span(start, start + len(body))]))
        for item in items:
            item.published_precision = {"2021-05-03": "day", "2023-11": "month"}.get(item.published or "")
        made.extend(items)
        pages.append(Page(source=f"p{p}.txt", sha256=f"sha{p}", kind="listing", text="\n".join(text_parts),
                          items=items, publisher="Carnegie", published="2024-01-02", published_precision="day"))
    pages.append(pages[3])  # the same page again: skipped
    return pages


def snapshot(store) -> dict:
    rowid = store.sql.rowid
    return {
        "items": store.sql.rows("SELECT id, kind, title, text, published, published_precision, date_raw,"
                                f" publisher, url, minhash, language FROM items ORDER BY {rowid}"),
        "provenance": store.sql.rows('SELECT v.item_id, p.source, v.start, v."end" FROM provenance v'
                                     " JOIN pages p ON p.id = v.page_id ORDER BY p.source, v.item_id, v.start"),
        "pages": store.sql.rows("SELECT source, sha256, kind, publisher, published, text FROM pages"
                                " ORDER BY id"),
        "search": [[(h.id, h.title, h.snippet, round(h.score, 9)) for h in store.search(q, limit=20)]
                   for q in QUERIES],
        "first_page": store.sql.rows("SELECT i.id, p.source FROM items i JOIN pages p ON p.id = i.first_page"
                                     " ORDER BY i.id"),
    }


def one_by_one(store, pages) -> tuple[int, int, int]:
    run = store.start_run(["x"])
    added = items = dups = 0
    for page in pages:
        result = store.add_page(page, run_id=run)
        added, items, dups = added + result.page_added, items + result.items_added, dups + result.duplicates
    store.finish_run(run, added=added, skipped=0, failed=0)
    return added, items, dups


def bulk(store, pages, chunk_pages: int) -> tuple[int, int, int]:
    run = store.start_run(["x"])
    result = store.bulk_load(pages, run_id=run, chunk_pages=chunk_pages)
    store.finish_run(run, added=result.pages_added, skipped=0, failed=0)
    return result.pages_added, result.items_added, result.duplicates


def test_batched_signatures_equal_datasketch_ones():
    rng = random.Random(3)
    texts = [" ".join(rng.choices(WORDS, k=rng.randint(0, 80))) for _ in range(300)] + ["", "short text"]
    for one, many in zip((signature(t) for t in texts), signatures(texts, chunk_shingles=500), strict=True):
        assert (one is None) == (many is None)
        if one is not None:
            assert one.dtype == many.dtype == np.uint64 and (one == many).all()


def test_signatures_unchanged():
    """The stored signatures must stay comparable: these texts' signatures are pinned (digest taken
    with datasketch 2.0's MinHash, and with the batched code when it used datasketch's private _fmix)."""
    rng = random.Random(3)
    texts = [" ".join(rng.choices(WORDS, k=rng.randint(0, 80))) for _ in range(300)]
    digest = hashlib.sha256()
    for sig in signatures(texts):
        digest.update(b"-" if sig is None else sig.tobytes())
    assert digest.hexdigest() == "b24016f6431c5a5ec966707421c867e48ec44145a52dcd753ffccfc588c9f487"


def test_fmix32_is_murmur3_finalizer():
    def reference(h: int) -> int:  # MurmurHash3.cpp's fmix32, in Python integers
        h ^= h >> 16
        h = (h * 0x85EBCA6B) & 0xFFFFFFFF
        h ^= h >> 13
        h = (h * 0xC2B2AE35) & 0xFFFFFFFF
        return h ^ (h >> 16)

    values = [0, 1, 2, 0xDEADBEEF, 0xFFFFFFFF] + random.Random(5).choices(range(2**32), k=200)
    assert fmix32(np.array(values, dtype=np.uint32)).tolist() == [reference(v) for v in values]
    assert int(fmix32(np.array([1], dtype=np.uint32))[0]) == 0x514E28B7


@pytest.mark.parametrize("chunk_pages", [1, 7, 1000])
def test_sqlite_bulk_load_stores_what_add_page_stores(tmp_path, chunk_pages):
    pages = pages_with_repeats(120, seed=5)
    with SQLiteStore(tmp_path / "a.db") as a, SQLiteStore(tmp_path / "b.db") as b:
        counts = one_by_one(a, pages)
        assert counts[2] > 20  # exact and near repeats were merged
        assert bulk(b, pages, chunk_pages) == counts
        assert snapshot(b) == snapshot(a)
        assert b._terms.pending() == 0
        assert b.sql.rows("SELECT DISTINCT run_id FROM pages") == [(1,)]


def test_bulk_load_after_add_page_and_again(tmp_path):
    """Loading onto a store that has items (duplicates of stored ones fill their fields), then
    loading the same pages again (all skipped)."""
    pages = pages_with_repeats(80, seed=9)
    with SQLiteStore(tmp_path / "a.db") as a, SQLiteStore(tmp_path / "b.db") as b:
        one_by_one(a, pages)
        one_by_one(b, pages[:30])
        bulk(b, pages[30:], 10)
        assert snapshot(b) == snapshot(a)
        assert bulk(b, pages, 10)[0] == 0


def test_postgres_bulk_load_stores_what_add_page_stores(tmp_path, pg_url):
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e '.[postgres]'")
    import psycopg

    from steppe.store.postgres import PostgresStore

    pages = pages_with_repeats(120, seed=5)
    second = pg_url.rsplit("/", 1)[0] + "/bulk_second"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bulk_second")
        conn.execute("CREATE DATABASE bulk_second")
    try:
        with SQLiteStore(tmp_path / "a.db") as lite, PostgresStore(pg_url) as a, PostgresStore(second) as b:
            counts = one_by_one(a, pages)
            assert bulk(b, pages, 7) == counts
            got = snapshot(b)
            assert got == snapshot(a)
            one_by_one(lite, pages)
            expected = snapshot(lite)
            # Both backends store the same rows (minhash comes back as bytes from either).
            for key in ("provenance", "first_page", "search"):
                assert got[key] == expected[key], key
            assert [(*r[:9], bytes(r[9]) if r[9] is not None else None, r[10]) for r in got["items"]] == \
                expected["items"]
            assert b.sql.value("SELECT count(*) FROM pages") == len(pages) - 1
            # New pages after a bulk load get fresh ids (the sequence moved on).
            b.add_page(Page(source="late.txt", sha256="late", kind="article", text="late words",
                            items=[Item(kind="article", text="late words here", spans=[Span(0, 10)])]))
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS bulk_second WITH (FORCE)")


def text_pages(n_pages: int, seed: int) -> list:
    """Plain-text listing pages (the scale bench's layout) with exact and near repeats across pages."""
    from steppe.model import RawDocument

    rng = random.Random(seed)
    blocks: list[tuple[str, str]] = []
    docs = []
    for p in range(n_pages):
        lines = [f"Published: 2024-0{1 + p % 9}-1{p % 10}", f"https://www.rferl.org/listing/{p}", ""]
        for _ in range(rng.randint(2, 6)):
            if blocks and rng.random() < 0.2:
                title, body = rng.choice(blocks)
                if rng.random() < 0.5:
                    words = body.split()
                    words[rng.randrange(len(words))] = "reportedly"
                    body = " ".join(words)
            else:
                title = " ".join(rng.choices(WORDS, k=rng.randint(3, 7))).capitalize()
                body = (" ".join(rng.choices(WORDS, k=rng.randint(14, 40))).capitalize()
                        + f" in sector {p}-{len(blocks)}.")
                blocks.append((title, body))
            lines += [title, body, ""]
        docs.append(RawDocument(f"listing{p}.txt", "\n".join(lines).encode(), content_type="text/plain"))
    return docs


def test_bulk_loaded_store_searches_like_a_pipeline_ingested_one(tmp_path):
    """What the bench's bulk-load rows rest on: the pages extraction makes, bulk-loaded, give the
    store the pipeline's ingest gives (items, merges, provenance, search results)."""
    from steppe.executors import InProcess
    from steppe.pipeline import IngestSummary, ingest_documents, read_page

    docs = text_pages(60, seed=2)
    with SQLiteStore(tmp_path / "pipeline.db") as a, SQLiteStore(tmp_path / "bulk.db") as b:
        summary = IngestSummary()
        run = a.start_run(["x"])
        ingest_documents(docs, a, run, summary, InProcess())
        a.finish_run(run, added=summary.pages_added, skipped=0, failed=0)
        assert summary.duplicates > 10
        pages = [read_page(doc) for doc in docs]
        assert bulk(b, pages, 16) == (summary.pages_added, summary.items_added, summary.duplicates)
        assert snapshot(b) == snapshot(a)
        assert any(snapshot(b)["search"])
