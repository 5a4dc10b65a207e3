"""The PostgreSQL store on a real throwaway server: migrations, search syntax, parity with SQLite,
enrichment tables, the CLI with --db postgresql://, and migration both ways checked by hash."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from steppe.model import Event, EventActor, Failure, Mention
from steppe.store import QuerySyntaxError, SQLiteStore, open_store
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
    assert to_tsquery_text("reform -tariff") == "'reform' & ! 'tariff'"
    assert to_tsquery_text("(ports OR rail) transit") == "( 'ports' | 'rail' ) & 'transit'"
    with pytest.raises(QuerySyntaxError):
        to_tsquery_text("  ) ( ")


def test_search_syntax_filters_and_snippets(pg):
    page = make_page("a.txt", [TEASER, "Tokayev met Putin in Astana to discuss transit and grain.",
                               "Президент Токаев встретился с Путиным в Астане."])
    page.items[1].publisher, page.items[1].published = "Carnegie", "2024-03-05"
    pg.add_page(page)
    assert "\x02Tokayev\x03" in pg.search("Tokayev")[0].snippet
    assert len(pg.search("kazakh*")) == 1
    assert len(pg.search('"Central Asia"')) == 1
    assert pg.search("Tokayev -Putin") == []
    assert len(pg.search("(Tokayev OR emboldened) -grain")) == 1
    assert len(pg.search("Токаев")) == 1
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
    assert item["text"] == text.replace("\x00", "\ufffd")
    span = item["provenance"][0]
    assert pg.page_text(span["page_id"])[span["start"]:span["end"]] == item["text"]


def test_enrichment_tables_runs_failures_and_query(pg):
    page = make_page("a.txt", [TEASER])
    run = pg.start_run(["a.txt"])
    pg.add_page(page, run_id=run)
    pg.record_failure(run, Failure("bad.txt", "extract", "no content"))
    pg.finish_run(run, added=1, skipped=0, failed=1)
    item_id = page.items[0].id
    assert [r["id"] for r in pg.items_needing_enrichment("1")] == [item_id]
    mention = Mention(0, 6, "Russia", "GPE", actor="RUS", score=0.9, country="RUS", item_id=item_id)
    event = Event("CONSULT", "verbal_cooperation", 1.0, EventActor(["RUS"], "Russia", countries=["RUS"]),
                  EventActor(["KAZ"], "Kazakhstan", countries=["KAZ"]), 0, 40, evidence="Russia's invasion",
                  item_id=item_id, id="ev1", date="2024-03-01")
    for _ in range(2):  # re-enrichment replaces, never duplicates
        pg.set_enrichment(item_id, [mention], [event], "1")
    assert list(pg.items_needing_enrichment("1")) == []
    assert pg.mentions(item_id)[0]["actor"] == "RUS"
    assert pg.events(item_id)[0]["type"] == "CONSULT" and pg.events()[0]["id"] == "ev1"
    assert len(pg.search("invasion", actor="RUS")) == 1 and pg.search("invasion", actor="CHN") == []
    assert pg.query("SELECT count(*) AS n FROM event_actors WHERE actor IN (?, ?)", ("RUS", "KAZ")) == [{"n": 2}]
    assert pg.query("SELECT '100%' AS pct WHERE 1 = ?", (1,)) == [{"pct": "100%"}]
    stats = pg.stats()
    assert stats["runs"][0]["pages_added"] == 1 and stats["failures"][0]["source"] == "bad.txt"
    assert pg.get_item(item_id[:6])["id"] == item_id
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
        assert [i["id"] for i in lite.iter_items()] == [i["id"] for i in pg.iter_items()]


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
    assert fts == '"tokayev" "grain"' and len(ranked) == 2
    assert [h.id for h in pg.search("tokayev grain")] == [item_id for item_id, _ in ranked]
    _, broader = pg.rank("tokayev nosuchword", limit=10)
    assert broader == '"tokayev" OR "nosuchword"'
    snippets = pg.snippets('"kazakh"*', [ranked[0][0], ranked[1][0]], start="[", stop="]")
    assert any("[Kazakh]" in s for s in snippets.values())
    result = search_items(pg, "tok* -putin")
    assert result["total"] == 1 and result["fts"] == '"tok"* NOT "putin"'
    assert any(seg["match"] and seg["text"] == "Tokayev" for seg in result["hits"][0]["snippet"])
