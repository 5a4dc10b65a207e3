"""The term index ranks exactly as FTS5's bm25 does, and stays current through every kind of change."""

from __future__ import annotations

import random
import sqlite3

import pytest

from steppe.model import Item, Page, Span
from steppe.store import SQLiteStore, termindex
from steppe.store.postings import PAIR_MARK, Tokenizer
from steppe.store.query import QuerySyntaxError, to_fts_any, to_fts_query
from steppe.store.termquery import NotCovered, parse

WORDS = ["kazakhstan", "russia", "tokayev", "putin", "astana", "moscow", "transit", "grain", "oil", "pipeline", "caspian", "sanctions", "summit", "treaty", "border", "army", "election", "parliament", "reform", "protest", "energy", "uranium", "rail", "port", "china", "beijing", "xi", "lavrov", "minister", "talks", "visit", "agreement", "security", "csto", "eaeu", "economy", "trade", "élite", "déjà", "Токаев", "Путин", "Астана", "café", "naïve", "über"]


def synthetic_pages(n_pages: int, seed: int, start: int = 0) -> list[Page]:
    """Pages of Zipf-distributed teasers, so common and rare terms, repeats and long texts all occur."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(WORDS))]
    pages = []
    for p in range(start, start + n_pages):
        items = []
        for k in range(5):
            text = " ".join(rng.choices(WORDS, weights, k=rng.randint(3, 60))) + f" item{p}x{k}."
            title = " ".join(rng.choices(WORDS, weights, k=rng.randint(0, 6))) or None
            items.append(Item(id=f"i{p}-{k}", kind="teaser", text=text, title=title,
                              publisher=rng.choice(["Carnegie", "Chatham House", None]),
                              published=rng.choice([None, "2021-05-03", "2023-11", "2024"]),
                              spans=[Span(0, len(text))]))
        pages.append(Page(source=f"p{p}.txt", sha256=f"sha{p}", kind="listing", text="x", items=items))
    return pages


def structured_query(rng: random.Random, depth: int = 0) -> str:
    if depth > 2 or rng.random() < 0.4:
        return " ".join(rng.choice(WORDS) + ("*" if rng.random() < 0.1 else "") for _ in range(rng.randint(1, 2)))
    left, right = structured_query(rng, depth + 1), structured_query(rng, depth + 1)
    operator = rng.choice(["AND", "OR", "NOT", "-"])
    text = f"{left} -{right.split()[0]}" if operator == "-" else f"{left} {operator} {right}"
    return f"({text})" if rng.random() < 0.5 else text


def fts5_ranking(store: SQLiteStore, fts: str, limit: int = 20) -> list[tuple[int, float]]:
    rows = store.db.execute(
        "SELECT rowid, bm25(items_fts, 2.0, 1.0) AS s FROM items_fts WHERE items_fts MATCH ?"
        " ORDER BY s, rowid LIMIT ?", (fts, limit)).fetchall()
    return [(r[0], r[1]) for r in rows]


def assert_same_ranking(store: SQLiteStore, queries: list[str]) -> int:
    """Every query the index covers ranks like FTS5; returns how many it covered."""
    covered = 0
    for query in queries:
        try:
            fts = to_fts_query(query)
        except QuerySyntaxError:
            continue
        expected = fts5_ranking(store, fts)
        try:
            got = store._terms.rank(fts, limit=20)
        except NotCovered:
            continue
        covered += 1
        assert [r for r, _ in got] == [r for r, _ in expected], (query, fts)
        assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-9), (query, fts)
    return covered


@pytest.fixture
def store(tmp_path):
    with SQLiteStore(tmp_path / "t.db") as s:
        yield s


def ingest(store: SQLiteStore, pages: list[Page]) -> None:
    run = store.start_run(["synthetic"])
    for page in pages:
        store.add_page(page, run_id=run)
    store.finish_run(run, added=len(pages), skipped=0, failed=0)


def test_ranks_exactly_like_fts5_bm25_on_random_queries(store):
    ingest(store, synthetic_pages(300, seed=1))
    rng = random.Random(7)
    queries = [structured_query(rng) for _ in range(400)] + ["tokayev", "tok*", "Токаев", "elite", "cafe"]
    assert store._terms.pending() == 0
    assert assert_same_ranking(store, queries) > 200  # the rest have shapes FTS5 itself answers


def test_store_search_uses_the_index_and_keeps_its_answers(store, monkeypatch):
    ingest(store, synthetic_pages(120, seed=2))
    cases = [("tokayev", {}), ("putin OR lavrov", {"publisher": "Carnegie"}),
             ("grain -oil", {"since": "2023", "until": "2023-12"}), ("a*", {"kind": "teaser"})]
    with_index = {q: store.search(q, limit=15, offset=3, **f) for q, f in cases}
    ranked = []
    monkeypatch.setattr(store._terms, "rank", lambda *a, **k: ranked.append(a) or (_ for _ in ()).throw(NotCovered))
    for query, filters in cases:
        fallback = store.search(query, limit=15, offset=3, **filters)
        assert [h.id for h in with_index[query]] == [h.id for h in fallback], query
        assert [h.snippet for h in with_index[query]] == [h.snippet for h in fallback]
        assert [h.score for h in with_index[query]] == pytest.approx([h.score for h in fallback])
    assert len(ranked) == len(cases)  # the index was asked first each time


def test_phrases_go_to_fts5(store):
    ingest(store, synthetic_pages(20, seed=3))
    with pytest.raises(NotCovered):
        store._terms.rank(to_fts_query('"tokayev putin"'), limit=5)
    expected = fts5_ranking(store, to_fts_query('"tokayev putin"'), limit=5)
    assert len(store.search('"tokayev putin"', limit=5)) == len(expected)


def test_stays_exact_through_segments_merges_updates_and_deletes(store, monkeypatch):
    monkeypatch.setattr(termindex, "BATCH_ROWS", 40)
    monkeypatch.setattr(termindex, "SMALL_SEGMENTS", 2)
    rng = random.Random(11)
    queries = [structured_query(rng) for _ in range(150)]
    for run in range(6):  # several runs: several segments, small ones merged
        ingest(store, synthetic_pages(7, seed=20 + run, start=run * 7))
        assert store._terms.pending() == 0
        assert_same_ranking(store, queries)
    segments = store.db.execute("SELECT count(*) FROM term_segments").fetchone()[0]
    assert 1 < segments < 6 * 2
    # A duplicate that fills a missing title rewrites the stored item: its segment is rebuilt.
    untitled = store.db.execute("SELECT id, text FROM items WHERE title IS NULL ORDER BY length(text) DESC LIMIT 1").fetchone()
    assert untitled is not None
    copy = Item(id="copy", kind="teaser", text=untitled["text"], title="Caspian pipeline summit",
                spans=[Span(0, 5)])
    ingest(store, [Page(source="dup.txt", sha256="dup", kind="listing", text="x", items=[copy])])
    assert store.db.execute("SELECT title FROM items WHERE id=?", (untitled["id"],)).fetchone()[0]
    assert_same_ranking(store, queries + ["caspian pipeline summit"])
    # Deleting the last rows and inserting new ones reuses rowids inside an indexed segment.
    store.db.execute("DELETE FROM provenance WHERE item_id IN (SELECT id FROM items WHERE rowid > "
                     "(SELECT max(rowid) - 3 FROM items))")
    store.db.execute("DELETE FROM items WHERE rowid > (SELECT max(rowid) - 3 FROM items)")
    ingest(store, synthetic_pages(2, seed=99, start=500))
    assert store._terms.pending() == 0
    assert_same_ranking(store, queries)


def test_an_interrupted_refresh_leaves_a_consistent_index(store, monkeypatch):
    monkeypatch.setattr(termindex, "BATCH_ROWS", 50)
    monkeypatch.setattr(SQLiteStore, "refresh_search_index", lambda self: None)  # index only when told
    ingest(store, synthetic_pages(60, seed=5))
    calls = 0
    real = termindex.TermIndex._add_segment

    def failing(self, *args):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        return real(self, *args)

    monkeypatch.setattr(termindex.TermIndex, "_add_segment", failing)
    with pytest.raises(KeyboardInterrupt):
        store._terms.refresh()
    monkeypatch.setattr(termindex.TermIndex, "_add_segment", real)
    assert store._terms.pending() > 0
    store._terms.refresh()
    assert store._terms.pending() == 0
    rng = random.Random(3)
    assert_same_ranking(store, [structured_query(rng) for _ in range(100)])


def test_search_does_not_wait_for_another_writer(store, tmp_path, monkeypatch):
    ingest(store, synthetic_pages(10, seed=6))
    monkeypatch.setattr(SQLiteStore, "refresh_search_index", lambda self: None)
    ingest(store, synthetic_pages(3, seed=7, start=100))  # rows the index has not seen
    assert store._terms.pending() > 0
    writer = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process ingesting
    try:
        hits = store.search("tokayev", limit=50)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    expected = fts5_ranking(store, to_fts_query("tokayev"), limit=50)
    assert len(hits) == len(expected) and store._terms.pending() > 0  # FTS5 answered
    store.search("tokayev")
    assert store._terms.pending() == 0  # caught up once the writer was gone


def test_tokens_are_fts5_tokens():
    tokens = Tokenizer().tokens("Tokayev's café — Нур-Султан, 2024!")
    assert tokens == ["tokayev", "s", "cafe", "нур", "султан", "2024"]


def test_facet_counts_equal_sql_group_by_over_every_match(store):
    ingest(store, synthetic_pages(150, seed=8))
    rng = random.Random(9)
    checked = 0
    for query in [structured_query(rng) for _ in range(60)] + ["tok*", "putin"]:
        fts = to_fts_query(query)
        for filters in ({}, {"publisher": "Carnegie"}, {"since": "2022", "until": "2024"}):
            answer = store.facet_counts(fts, **filters)
            if answer is None:  # a shape FTS5 answers: the caller counts with SQL
                continue
            checked += 1
            where = " ".join(f"AND i.{k}=?" for k in ("publisher",) if k in filters)
            where += " AND i.published >= ? AND i.published <= ?" if "since" in filters else ""
            params = [filters["publisher"]] if "publisher" in filters else []
            params += [filters["since"], filters["until"] + "\uffff"] if "since" in filters else []
            matches = (f"SELECT i.* FROM items_fts JOIN items i ON i.rowid = items_fts.rowid"
                       f" WHERE items_fts MATCH ? {where}")
            total, counts = answer
            assert total == store.db.execute(f"SELECT count(*) FROM ({matches})", (fts, *params)).fetchone()[0]
            for name, column in (("publisher", "coalesce(publisher, '')"), ("kind", "kind"),
                                 ("month", "coalesce(substr(published, 1, 7), '')")):
                expected = dict(store.db.execute(
                    f"SELECT {column}, count(*) FROM ({matches}) GROUP BY 1", (fts, *params)).fetchall())
                assert counts[name] == expected, (query, filters, name)
    assert checked > 60


def test_rank_gives_ids_in_search_order_and_the_query_that_matched(store):
    ingest(store, synthetic_pages(40, seed=10))
    ranked, fts = store.rank("tokayev OR putin", limit=30)
    assert [item_id for item_id, _ in ranked] == [h.id for h in store.search("tokayev OR putin", limit=30)]
    assert fts == to_fts_query("tokayev OR putin")  # the query as given matched
    _, broader = store.rank("tokayev nosuchword", limit=5)  # nothing has both: any term
    assert broader == to_fts_any("tokayev nosuchword")


def test_snippets_equal_fts5_snippets_of_the_big_index(store):
    ingest(store, synthetic_pages(30, seed=12))
    for query in ['"tok"*', '"putin" OR "caspian"', '"grain" NOT "oil"', '"transit port"']:
        rows = store.db.execute(
            "SELECT i.id, snippet(items_fts, -1, '[', ']', '…', 24) FROM items_fts JOIN items i"
            " ON i.rowid = items_fts.rowid WHERE items_fts MATCH ? LIMIT 15", (query,)).fetchall()
        assert rows, query
        got = store.snippets(query, [r[0] for r in rows], tokens=24, start="[", stop="]")
        assert got == dict(rows), query


def test_a_long_ingest_indexes_as_it_goes_in_whole_segments(store, monkeypatch):
    monkeypatch.setattr(termindex, "BATCH_ROWS", 20)
    monkeypatch.setattr("steppe.store.core.BATCH_ROWS", 20)
    run = store.start_run(["synthetic"])
    for page in synthetic_pages(30, seed=13):
        store.add_page(page, run_id=run)
    sizes = [r[0] for r in store.db.execute("SELECT rows FROM term_segments ORDER BY first_rowid")]
    assert sizes and set(sizes) == {20}  # indexed during the run, full segments only
    store.finish_run(run, added=30, skipped=0, failed=0)
    sizes = [r[0] for r in store.db.execute("SELECT rows FROM term_segments ORDER BY first_rowid")]
    assert sum(sizes) == store.stats()["items"] and set(sizes[:-1]) == {20}


def test_two_processes_refreshing_at_once_index_each_row_once(tmp_path, monkeypatch):
    import threading

    monkeypatch.setattr(termindex, "BATCH_ROWS", 30)
    monkeypatch.setattr(SQLiteStore, "refresh_search_index", lambda self: None)
    path = tmp_path / "t.db"
    with SQLiteStore(path) as writer:
        ingest(writer, synthetic_pages(40, seed=14))
    stores = [SQLiteStore(path), SQLiteStore(path)]  # two connections, as two processes have
    threads = [threading.Thread(target=s._terms.refresh) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = stores[0].db.execute("SELECT sum(rows) FROM term_segments").fetchone()[0]
    assert rows == stores[0].stats()["items"] == 200
    rng = random.Random(15)
    assert_same_ranking(stores[1], [structured_query(rng) for _ in range(60)])
    for store in stores:
        store.close()


def test_postgres_ranks_and_searches_exactly_like_fts5_bm25_on_random_queries(store, pg_url):
    """The same term index on PostgreSQL: FTS5's bm25 order, and the same hits, scores and snippets."""
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e '.[postgres]'")
    from steppe.store.postgres import PostgresStore

    pages = synthetic_pages(300, seed=1)
    ingest(store, pages)
    sqlite_ids = dict(store.db.execute("SELECT rowid, id FROM items").fetchall())
    rng = random.Random(11)
    queries = [structured_query(rng) for _ in range(300)] + ["tokayev", "tok*", "Токаев", "elite", "cafe"]
    with PostgresStore(pg_url) as pg:
        ingest(pg, pages)
        assert pg._terms.pending() == 0
        pg_ids = {r["seq"]: r["id"] for r in pg.query("SELECT seq, id FROM items")}
        covered = 0
        for query in queries:
            try:
                fts = to_fts_query(query)
            except QuerySyntaxError:
                continue
            expected = fts5_ranking(store, fts)
            try:
                got = pg._terms.rank(fts, limit=20)
            except NotCovered:
                continue
            covered += 1
            assert [pg_ids[r] for r, _ in got] == [sqlite_ids[r] for r, _ in expected], (query, fts)
            assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-9), (query, fts)
        assert covered > 150
        for query, filters in [("tokayev", {}), ("putin OR lavrov", {"publisher": "Carnegie"}),
                               ("grain -oil", {"since": "2023", "until": "2023-12"}), ("a*", {"kind": "teaser"}),
                               ("caspian uranium", {})]:
            mine, theirs = store.search(query, limit=15, **filters), pg.search(query, limit=15, **filters)
            assert [(h.id, h.snippet, h.title) for h in mine] == [(h.id, h.snippet, h.title) for h in theirs]
            assert [h.score for h in mine] == pytest.approx([h.score for h in theirs], rel=1e-9)


def phrase_queries(pages: list[Page], n: int, seed: int) -> list[str]:
    """Phrases of 2-3 consecutive words of the items (so they match), a few with another term."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = rng.choice(rng.choice(pages).items).text.split()
        at = rng.randrange(max(1, len(words) - 2))
        phrase = '"' + " ".join(words[at:at + rng.randint(2, 3)]).rstrip(".") + '"'
        out.append(phrase if rng.random() < 0.7 else f"{phrase} {rng.choice(WORDS)}")
    return out


def test_phrases_verified_on_candidate_rows_rank_exactly_like_fts5(store):
    """The path the PostgreSQL store takes for phrases: candidates from the postings, checked."""
    from steppe.store.termindex import TermIndex

    pages = synthetic_pages(300, seed=3)
    ingest(store, pages)
    terms = TermIndex(store.sql, phrase_candidates=10_000)
    covered = 0
    for query in phrase_queries(pages, 150, seed=5) + ['"kazakhstan russia"', '"putin putin"']:
        fts = to_fts_query(query)
        expected = fts5_ranking(store, fts)
        got = terms.rank(fts, limit=20)
        covered += 1
        assert [r for r, _ in got] == [r for r, _ in expected], (query, fts)
        assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-9), (query, fts)
    assert covered > 100
    with pytest.raises(NotCovered):  # over the bound: FTS5 (or ts_rank) answers
        TermIndex(store.sql, phrase_candidates=1).rank(to_fts_query('"putin russia"'), limit=20)


def many_candidate_phrases(pages: list[Page], n: int, seed: int) -> list[str]:
    """Random phrases mostly of the commonest words (whose words share most rows, so each phrase has
    hundreds of candidates), of 2-4 tokens, alone, repeated, or under AND, OR and NOT."""
    rng = random.Random(seed)
    common = WORDS[:8]
    out = phrase_queries(pages, n // 4, seed)
    for _ in range(n - len(out)):
        words = [rng.choice(common if rng.random() < 0.8 else WORDS) for _ in range(rng.choices([2, 3, 4],
                                                                                                  [6, 3, 1])[0])]
        phrase = '"' + " ".join(words) + '"'
        shape = rng.random()
        if shape < 0.5:
            out.append(phrase)
        elif shape < 0.65:
            out.append(f"{phrase} {rng.choice(WORDS)}")
        elif shape < 0.8:
            out.append(f"{phrase} OR {rng.choice(WORDS)}")
        elif shape < 0.9:
            out.append(f"{rng.choice(WORDS)} -{phrase}")
        else:
            out.append(f'{phrase} "{rng.choice(common)} {rng.choice(common)}"')
    return out


class PairStore(SQLiteStore):
    """The SQLite store with the PostgreSQL store's pair postings, to check them against FTS5 itself."""

    PHRASE_PAIRS = True


def test_pair_postings_rank_every_phrase_exactly_like_fts5(tmp_path, monkeypatch):
    """With adjacent pairs indexed, phrases are answered by the index at any number of candidate
    rows (no bound, no NotCovered), with FTS5's order, scores and match counts: two tokens from one
    pair's postings, more by joining their pairs' offsets, or (offsets missing) checking rows."""
    monkeypatch.setattr(termindex, "BATCH_ROWS", 170)  # many segments, trailing ones merged
    monkeypatch.setattr("steppe.store.core.BATCH_ROWS", 170)
    pages = synthetic_pages(300, seed=21)
    with PairStore(tmp_path / "p.db") as store:
        ingest(store, pages)
        assert store.db.execute("SELECT count(*) FROM term_segments").fetchone()[0] > 5
        queries = many_candidate_phrases(pages, 300, seed=22) + ['"putin putin"', '"kazakhstan russia"',
                                                                 '"russia russia russia"']
        assert_phrases_like_fts5(store, queries)
        store.db.execute("UPDATE term_postings SET offsets = NULL")  # as when a frequency passed TF_MAX
        store._terms._last_matches = None
        assert_phrases_like_fts5(store, [q for q in queries if q.count(" ") > 1][:60], many=20)


def assert_phrases_like_fts5(store: SQLiteStore, queries: list[str], many: int = 150) -> None:
    """FTS5's ranking and match count for each; more than ``many`` have over 200 candidate rows
    (rows holding all the words of their first phrase: the old bound)."""
    over = 0
    for query in queries:
        fts = to_fts_query(query)
        expected = fts5_ranking(store, fts)
        got = store._terms.rank(fts, limit=20)
        assert [r for r, _ in got] == [r for r, _ in expected], (query, fts)
        assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-9), (query, fts)
        total = store.db.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH ?", (fts,)).fetchone()[0]
        assert len(store._terms.matches(fts)[0]) == total, (query, fts)
        words = parse(fts, store._terms.tokenizer, phrases=True)[1][0].words
        over += store.db.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH ?",
                                 (" AND ".join(f'"{w}"' for w in words),)).fetchone()[0] > 200
    assert over > many


def test_postgres_phrases_rank_like_fts5(store, pg_url):
    """Every phrase, however many rows hold its words, is ranked on PostgreSQL as FTS5 ranks it on
    SQLite (same hits, scores, snippets): ts_rank never answers."""
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e '.[postgres]'")
    from steppe.store.postgres import PostgresStore

    pages = synthetic_pages(200, seed=4)
    ingest(store, pages)
    with PostgresStore(pg_url) as pg:
        ingest(pg, pages)

        def no_fallback(*args):
            raise AssertionError(f"ts_rank answered {args[0]!r}")

        pg._fallback_rank = no_fallback
        queries = phrase_queries(pages, 30, seed=8) + many_candidate_phrases(pages, 120, seed=9)
        for query in queries + ['"oil russia"', '"russia russia russia"']:
            mine, theirs = store.search(query, limit=15), pg.search(query, limit=15)
            assert [(h.id, h.snippet) for h in mine] == [(h.id, h.snippet) for h in theirs], query
            assert [h.score for h in mine] == pytest.approx([h.score for h in theirs], rel=1e-9), query
        for query in ['"kazakhstan russia"', '"putin russia" OR tokayev', 'oil -"russia kazakhstan"']:
            fts = to_fts_query(query)
            total, counts = pg.facet_counts(fts)
            expected = dict(store.db.execute(
                "SELECT coalesce(publisher, ''), count(*) FROM items_fts JOIN items i ON i.rowid = items_fts.rowid"
                " WHERE items_fts MATCH ? GROUP BY 1", (fts,)).fetchall())
            assert (total, counts["publisher"]) == (sum(expected.values()), expected), query


def test_postgres_migration_rebuilds_an_index_without_pairs(pg_url, monkeypatch):
    """A database whose term index predates the pair postings has it rebuilt once: by a search
    when small, else by the next ingest (searches fall back meanwhile, never rebuild it all)."""
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e '.[postgres]'")
    from steppe.store.postgres import MIGRATIONS, PostgresStore

    def without_pairs() -> None:
        with PostgresStore(pg_url) as pg:
            pg.sql.run("DELETE FROM term_postings WHERE term >= ?", (PAIR_MARK,))  # as before pairs
            pg.sql.run("ALTER TABLE term_postings DROP COLUMN offsets")
            pg.sql.run("DELETE FROM schema_migrations WHERE version = ?", (len(MIGRATIONS),))

    pages = synthetic_pages(30, seed=23)
    queries = ['"russia kazakhstan"', '"oil oil oil"']
    with PostgresStore(pg_url) as pg:
        ingest(pg, pages)
        before = [(h.id, h.score) for q in queries for h in pg.search(q)]
    assert before
    without_pairs()
    with PostgresStore(pg_url) as pg:
        assert pg._terms.pending() == 150  # every indexed row
        assert [(h.id, h.score) for q in queries for h in pg.search(q)] == before  # rebuilt by the search
        assert pg._terms.pending() == 0
    without_pairs()
    monkeypatch.setattr("steppe.store.core.SEARCH_REFRESH_LIMIT", 100)  # a big database, as a search sees it
    with PostgresStore(pg_url) as pg:
        assert pg.search(queries[0]) and pg._terms.pending() == 150  # the fallback answered
        pg.finish_run(pg.start_run(["nothing new"]), added=0, skipped=0, failed=0)
        assert pg._terms.pending() == 0
        assert [(h.id, h.score) for q in queries for h in pg.search(q)] == before
