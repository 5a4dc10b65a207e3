"""The SQLite store: transactions per page, dedupe with provenance, FTS search, safe query syntax."""

from __future__ import annotations

import contextlib

import pytest

from steppe.model import Item, Page, Span
from steppe.store import QuerySyntaxError, SQLiteStore, to_fts_query

TEASER = ("Russia's invasion of Ukraine has upended geopolitics in Central Asia, but perhaps nowhere"
          " more than in Kazakhstan, where the president has been increasingly emboldened.")


def make_page(source: str, texts: list[str], sha: str | None = None) -> Page:
    text = "\n".join(texts)
    items, pos = [], 0
    for t in texts:
        items.append(Item(kind="teaser", text=t, spans=[Span(pos, pos + len(t))]))
        pos += len(t) + 1
    return Page(source=source, sha256=sha or source, text=text, kind="listing", items=items)


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    """Every store test runs against both backends (PostgreSQL: a real throwaway server, tests/pg.py)."""
    if request.param == "postgres":
        from steppe.store.postgres import PostgresStore

        s = PostgresStore(request.getfixturevalue("pg_url"))
    else:
        s = SQLiteStore(tmp_path / "t.db")
    yield s
    s.close()


def test_migrations_are_applied_once(tmp_path):
    path = tmp_path / "m.db"
    with SQLiteStore(path) as s:
        version = s.schema_version
    with SQLiteStore(path) as s:
        assert s.schema_version == version >= 2


def test_same_teaser_on_three_pages_is_one_item_with_three_provenances(store):
    for n in range(3):
        store.add_page(make_page(f"page{n}.txt", [f"Some other teaser number {n} about steppe politics.", TEASER]))
    stats = store.stats()
    assert stats["items"] == 4
    hit = store.search("emboldened")[0]
    prov = store.get_item(hit.id).provenance
    assert [p.page for p in prov] == ["page0.txt", "page1.txt", "page2.txt"]


def test_near_duplicate_merges_but_different_teaser_does_not(store):
    store.add_page(make_page("a.txt", [TEASER]))
    edited = TEASER.replace("increasingly", "ever more")
    store.add_page(make_page("b.txt", [edited]))
    other = ("China's lending to Central Asia has slowed since 2019 as Beijing grows wary of"
             " debt and the region's governments look for other sources of capital.")
    store.add_page(make_page("c.txt", [other]))
    assert store.stats()["items"] == 2
    assert store.stats()["provenances"] == 3


def test_readding_a_page_adds_nothing(store):
    page = make_page("a.txt", [TEASER])
    assert store.add_page(page).page_added
    assert not store.add_page(page).page_added
    assert store.stats()["provenances"] == 1


def test_failed_page_rolls_back_whole(store):
    page = make_page("a.txt", [TEASER, "Second teaser on the same page about steppe politics today."])
    page.items[1].spans = None  # breaks while writing the second item
    with pytest.raises(TypeError):
        store.add_page(page)
    assert store.stats()["pages"] == 0 and store.stats()["items"] == 0
    assert not store.has_page("a.txt", "a.txt")


def test_search_ranks_title_and_highlights(store):
    store.add_page(make_page("a.txt", [TEASER, "Tokayev met Putin in Astana to discuss transit."]))
    hits = store.search("Tokayev")
    assert len(hits) == 1
    assert "\x02Tokayev\x03" in hits[0].snippet


@pytest.mark.parametrize("query", ['"unclosed', "C++", "Nur-Sultan", "a AND", "(foo OR", "x:y", "NOT"])
def test_user_queries_never_leak_fts_syntax_errors(store, query):
    store.add_page(make_page("a.txt", [TEASER]))
    # A readable "nothing to search for" is fine; an sqlite error is not.
    with contextlib.suppress(QuerySyntaxError):
        store.search(query)


def test_query_translation():
    assert to_fts_query('"military ties" OR CSTO') == '"military ties" OR "CSTO"'
    assert to_fts_query("kazakh*") == '"kazakh"*'
    # Words with no variants (a known name also matches its Cyrillic forms: tests/test_russian.py).
    assert to_fts_query("drought -tariff") == '"drought" NOT "tariff"'
    with pytest.raises(QuerySyntaxError):
        to_fts_query("  ) ( ")


def test_random_user_queries_give_results_or_a_readable_error(store):
    import random

    store.add_page(make_page("a.txt", [TEASER]))
    pieces = ['"', "(", ")", "AND", "OR", "NOT", "-", "*", ":", "^", "Kazakhstan", "Tokayev", "Nur-Sultan",
              "C++", "'", "NEAR", "+", "{", "}"]
    rng = random.Random(7)
    for _ in range(500):
        query = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        with contextlib.suppress(QuerySyntaxError):
            store.search(query)


def test_plain_question_falls_back_to_any_term(store):
    store.add_page(make_page("a.txt", [TEASER]))
    assert not store.search('"geopolitics" "Brazil"')  # explicit syntax: no fallback
    hits = store.search("how has geopolitics in Brazil and Kazakhstan changed")
    assert hits and "\x02" in hits[0].snippet


def test_an_actor_filter_finds_event_actors_too_in_the_store_and_the_workbench(store):
    from steppe.analyse.search import search_items
    from steppe.model import Event, EventActor

    page = make_page("a.txt", ["The Kremlin said talks on grain transit would resume next month.",
                               "Grain transit through the Caspian rose again this year."])
    store.add_page(page)
    kremlin = page.items[0].id
    # No mention links to RUS; the event's source does (as metonymy coding can).
    event = Event("CONSULT", "verbal_cooperation", 1.0, EventActor(["RUS"], "The Kremlin", countries=["RUS"]),
                  None, 0, 62, evidence=page.items[0].text, item_id=kremlin)
    store.set_enrichment(kremlin, [], [event], "test")
    assert [h.id for h in store.search("grain transit", actor="RUS")] == [kremlin]
    assert [i for i, _ in store.rank("grain transit", actor="RUS")[0]] == [kremlin]
    result = search_items(store, "grain transit", actor="RUS")
    assert [h["id"] for h in result["hits"]] == [kremlin] and result["total"] == 1
