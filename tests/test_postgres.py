"""The PostgreSQL store on a real throwaway server: migrations, search syntax, parity with SQLite,
enrichment tables, the CLI with --db postgresql://, and migration both ways checked by hash."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from steppe.model import Event, EventActor, Failure, Mention
from steppe.store import QuerySyntaxError, SQLiteStore, open_store
from steppe.store.query import to_fts_any, to_fts_query
from steppe.store.transfer import content_hash, migrate

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e '.[postgres]'")

from steppe.store.postgres import PostgresStore, to_tsquery_text  # noqa: E402
from test_store import TEASER, make_page  # noqa: E402

STEPPE = [sys.executable, "-m", "steppe.cli"]
OTHER = ("China's lending to Central Asia has slowed since 2019 as Beijing grows wary of"
         " debt and the region's governments look for other sources of capital.")


@pytest.fixture
def pg(pg_url):
    store = PostgresStore(pg_url)
    yield store
    store.close()


def test_open_store_dispatches_postgres_urls(pg_url):
    with open_store(pg_url) as store:
        assert store.backend == "postgresql"


def test_migrations_recorded_and_applied_once(pg_url):
    with PostgresStore(pg_url) as s:
        version = s.schema_version
    with PostgresStore(pg_url) as s:
        assert s.schema_version == version >= 2
        rows = s.query("SELECT version FROM schema_migrations ORDER BY version")
        assert [r["version"] for r in rows] == list(range(1, version + 1))


def test_unreachable_server_is_a_store_error():
    from steppe.store import StoreError

    with pytest.raises(StoreError, match="cannot open database"):
        PostgresStore("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")


def test_query_translation_matches_fts_semantics():
    assert to_tsquery_text('"military ties" OR CSTO') == "('military' <-> 'ties') | 'CSTO'"
    assert to_tsquery_text("kazakh*") == "'kazakh':*"
    # Words with no variants (a known name also matches its Cyrillic forms: tests/test_russian.py).
    assert to_tsquery_text("drought -tariff") == "'drought' & ! 'tariff'"
    assert to_tsquery_text("(ports OR rail) transit") == "( 'ports' | 'rail' ) & 'transit'"
    with pytest.raises(QuerySyntaxError):
        to_tsquery_text("  ) ( ")


def test_search_syntax_filters_and_snippets(pg):
    page = make_page("a.txt", [TEASER, "Tokayev met Putin in Astana to discuss transit and grain.",
                               "Президент Токаев встретился с Путиным в Астане."])
    page.items[1].publisher, page.items[1].published = "Carnegie", "2024-03-05"
    pg.add_page(page)
    # Both items: the name in either script (the Russian one ranks first by bm25, being shorter).
    assert any("\x02Tokayev\x03" in h.snippet for h in pg.search("Tokayev"))
    assert len(pg.search("kazakh*")) == 1
    assert len(pg.search('"Central Asia"')) == 1
    assert pg.search("Tokayev -Putin") == []
    # A Latin name also finds its Cyrillic spelling and back (steppe.language.russian).
    assert len(pg.search("(Tokayev OR emboldened) -grain")) == 2
    assert len(pg.search("Токаев")) == 2
    assert len(pg.search("Tokayev", publisher="Carnegie", since="2024", until="2024-03")) == 1
    assert pg.search("Tokayev", until="2024-02") == []
    assert pg.search("Tokayev", kind="article") == []
    with pytest.raises(QuerySyntaxError):
        pg.search('")(')


def test_title_match_outranks_text_match(pg):
    page = make_page("a.txt", ["Grain exports through the Caspian rose again this spring, officials say.",
                               "Officials say the corridor carried more freight than in any year before."])
    page.items[1].title = "Grain corridor"
    pg.add_page(page)
    hits = pg.search("grain")
    assert [h.title for h in hits] == ["Grain corridor", None]
    assert hits[0].score <= hits[1].score  # the SQLite convention: lower is better


def test_nul_characters_are_stored_with_spans_intact(pg):
    text = "A page with a stray \x00 byte in the middle of its only teaser, about steppe politics."
    page = make_page("nul.txt", [text])
    pg.add_page(page)
    item = pg.get_item(page.items[0].id)
    assert item.text == text.replace("\x00", "\ufffd")
    span = item.provenance[0]
    assert pg.page_text(span.page_id)[span.start:span.end] == item.text


def test_enrichment_tables_runs_failures_and_query(pg):
    page = make_page("a.txt", [TEASER])
    run = pg.start_run(["a.txt"])
    pg.add_page(page, run_id=run)
    pg.record_failure(run, Failure("bad.txt", "extract", "no content"))
    pg.finish_run(run, added=1, skipped=0, failed=1)
    item_id = page.items[0].id
    assert [r.id for r in pg.items_needing_enrichment("1")] == [item_id]
    mention = Mention(0, 6, "Russia", "GPE", actor="RUS", score=0.9, country="RUS", item_id=item_id)
    event = Event("CONSULT", "verbal_cooperation", 1.0, EventActor(["RUS"], "Russia", countries=["RUS"]),
                  EventActor(["KAZ"], "Kazakhstan", countries=["KAZ"]), 0, 40, evidence="Russia's invasion",
                  item_id=item_id, id="ev1", date="2024-03-01")
    for _ in range(2):  # re-enrichment replaces, never duplicates
        pg.set_enrichment(item_id, [mention], [event], "1")
    assert list(pg.items_needing_enrichment("1")) == []
    assert pg.mentions(item_id) == [mention]
    assert pg.events(item_id) == [event] and pg.events()[0].id == "ev1"
    assert len(pg.search("invasion", actor="RUS")) == 1 and pg.search("invasion", actor="CHN") == []
    assert pg.query("SELECT count(*) AS n FROM event_actors WHERE actor IN (?, ?)", ("RUS", "KAZ")) == [{"n": 2}]
    assert pg.query("SELECT '100%' AS pct WHERE 1 = ?", (1,)) == [{"pct": "100%"}]
    stats = pg.stats()
    assert stats["runs"][0]["pages_added"] == 1 and stats["failures"][0]["source"] == "bad.txt"
    assert pg.get_item(item_id[:6]).id == item_id
    with pytest.raises(Exception, match="read-only"):
        pg.query("DELETE FROM items")


def _fill(store) -> None:
    store.add_page(make_page("a.txt", [TEASER, OTHER]))
    store.add_page(make_page("b.txt", [TEASER.replace("increasingly", "ever more")]))
    store.add_page(make_page("c.txt", ["Short line one.", OTHER]))


def test_same_pages_make_the_same_database_on_both_backends(pg, tmp_path):
    with SQLiteStore(tmp_path / "s.db") as lite:
        _fill(lite)
        _fill(pg)
        tables = ("pages", "items", "provenance")
        assert content_hash(lite, tables) == content_hash(pg, tables)
        assert [h.id for h in lite.search("Asia")] == [h.id for h in pg.search("Asia")]
        assert [i.id for i in lite.iter_items()] == [i.id for i in pg.iter_items()]


def test_migrate_sqlite_to_postgres_and_back(pg_server, tmp_path):
    src = SQLiteStore(tmp_path / "src.db")
    _fill(src)
    item_id = src.search("emboldened")[0].id
    src.set_enrichment(item_id, [Mention(0, 6, "Russia", "GPE", actor="RUS", item_id=item_id)], [], "1")
    pg_url = pg_server.create_database()
    try:
        with PostgresStore(pg_url) as dst:
            report = migrate(src, dst)
            assert report["ok"] and report["copied"]["items"] == 3 and report["copied"]["mentions"] == 1
            assert report["source"] == report["destination"]
            # The copy is a working store: dedupe continues from the copied signatures, ids continue.
            result = dst.add_page(make_page("d.txt", [TEASER.replace("emboldened", "bold")]))
            assert result.duplicates == 1 and dst.stats()["pages"] == 4
            with pytest.raises(Exception, match="not empty"):
                migrate(src, dst)
            back = SQLiteStore(tmp_path / "back.db")
            assert migrate(dst, back)["ok"]
            back.close()
    finally:
        pg_server.drop_database(pg_url)
        src.close()


def test_cli_ingest_search_and_migrate_against_postgres(corpus_dir, pg_server, tmp_path):
    pg_url = pg_server.create_database()
    try:
        def steppe(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run([*STEPPE, *args], capture_output=True, text=True, timeout=300, check=False)

        first = steppe("ingest", str(corpus_dir), "--db", pg_url, "--no-enrich")
        assert first.returncode == 0 and "5 pages added" in first.stdout, first.stderr
        assert "0 pages added, 5 already stored" in steppe("ingest", str(corpus_dir), "--db", pg_url,
                                                            "--no-enrich").stdout
        hit = json.loads(steppe("search", "Hezbollah", "--db", pg_url, "--json").stdout.splitlines()[0])
        assert "Hezbollah" in hit["snippet"]
        bad = steppe("search", '")(', "--db", pg_url)
        assert bad.returncode == 2 and "Traceback" not in bad.stderr
        lite = tmp_path / "c.db"
        steppe("ingest", str(corpus_dir), "--db", str(lite), "--no-enrich")
        tables = ("pages", "items", "provenance")
        with SQLiteStore(lite) as a, PostgresStore(pg_url) as b:
            assert content_hash(a, tables, ignore=["fetched_at"]) == content_hash(b, tables, ignore=["fetched_at"])
        copied = tmp_path / "copy.db"
        moved = steppe("migrate", "--from", pg_url, "--to", f"sqlite:///{copied}")
        assert moved.returncode == 0 and "verified" in moved.stdout, moved.stderr
    finally:
        pg_server.drop_database(pg_url)


def test_workbench_search_ranks_and_highlights_through_the_store(pg):
    from steppe.analyse.search import search_items

    page = make_page("a.txt", [TEASER, "Tokayev met Putin in Astana to discuss transit and grain.",
                               "Kazakh grain exports rose; Tokayev praised farmers."])
    pg.add_page(page)
    ranked, fts = pg.rank("tokayev grain", limit=10)
    assert fts == to_fts_query("tokayev grain") and len(ranked) == 2
    assert [h.id for h in pg.search("tokayev grain")] == [item_id for item_id, _ in ranked]
    _, broader = pg.rank("tokayev nosuchword", limit=10)
    assert broader == to_fts_any("tokayev nosuchword")
    snippets = pg.snippets('"kazakh"*', [ranked[0][0], ranked[1][0]], start="[", stop="]")
    assert any("[Kazakh]" in s for s in snippets.values())
    result = search_items(pg, "tok* -putin")
    assert result["total"] == 1 and result["fts"] == to_fts_query("tok* -putin")
    assert any(seg["match"] and seg["text"] == "Tokayev" for seg in result["hits"][0]["snippet"])


# ---------------------------------------------------------------- parity: PostgreSQL + Dask vs SQLite in-process

PARITY_TABLES = ("pages", "items", "provenance", "mentions", "events", "event_actors", "enriched",
                 "item_vectors")
# Words, prefixes, OR, exclusion, AND, filters: what the term index ranks on both backends.
PARITY_QUERIES = [("Tokayev", {}), ("Kazakhstan OR Russia", {}), ("oil*", {}), ("Russia -China", {}),
                  ("Putin Tokayev", {}), ("minister", {"kind": "teaser"}), ("Astana", {"since": "2020"}),
                  ("Путин", {}), ("president", {"actor": "KAZ"})]


def _search_answers(store) -> list:
    from steppe.analyse.search import search_items

    out = []
    for query, filters in PARITY_QUERIES:
        hits = store.search(query, limit=20, **filters)
        out.append([(h.id, h.title, h.snippet, h.kind, h.published, h.publisher) for h in hits])
        out.append([round(h.score, 9) for h in hits])
        for mode in ("keyword", "both"):
            page = search_items(store, query, mode=mode, **filters)
            out.append((page["total"], page["counts"], page["facets"],
                        [(h["id"], h["match"], h["snippet_text"]) for h in page["hits"]]))
    return out


def test_postgres_with_dask_and_semantic_equals_sqlite_in_process(pg_url, corpus_dir, tmp_path):
    """The corpus into PostgreSQL on a real Dask cluster, enriched there, embedded: the same
    items, events, vectors and search answers as SQLite in-process."""
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    from steppe.analyse import semantic
    from steppe.executors import DaskExecutor
    from steppe.pipeline import enrich_items
    from steppe.pipeline import ingest as run_ingest

    if not semantic.available():
        pytest.skip(semantic.EXTRA_HINT)
    with SQLiteStore(tmp_path / "ref.db") as lite:
        run_ingest([str(corpus_dir)], lite)
        enriched = enrich_items(lite)
        embedded = semantic.embed_items(lite)
        expected_hash = content_hash(lite, PARITY_TABLES, ignore=["fetched_at"])
        expected_events = lite.events()
        expected_search = _search_answers(lite)
        expected_model = semantic.stored_model(lite)
    assert enriched > 40 and embedded == enriched and expected_events and expected_model
    assert sum(1 for hits in expected_search[::4] if hits) >= len(PARITY_QUERIES) - 2  # real answers

    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None, host="127.0.0.1")
    client = distributed.Client(cluster)
    try:
        with PostgresStore(pg_url) as pg:
            executor = DaskExecutor(client, chunk=2)
            summary = run_ingest([str(corpus_dir)], pg, executor=executor)
            assert not summary.failures
            assert enrich_items(pg, executor=executor) == enriched
            assert semantic.embed_items(pg) == embedded
            assert content_hash(pg, PARITY_TABLES, ignore=["fetched_at"]) == expected_hash
            assert pg.events() == expected_events
            assert semantic.stored_model(pg) == expected_model
            assert _search_answers(pg) == expected_search
    finally:
        client.close()
        cluster.close()
