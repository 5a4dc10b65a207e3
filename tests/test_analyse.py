"""The analyse stage on a small seeded evidence base: search facets, relations, timeline, network, actors."""

from __future__ import annotations

import pytest

from steppe.analyse import InvalidParameter, NotFound
from steppe.analyse.actors import actor_list, actor_summary
from steppe.analyse.items import item_detail, page_slice
from steppe.analyse.network import network
from steppe.analyse.relations import all_periods, period_of, relation_series
from steppe.analyse.search import fuse, search_items, snippet_segments
from steppe.analyse.timeline import timeline
from steppe.store import QuerySyntaxError, SQLiteStore
from workbench_seed import seed


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    path = tmp_path_factory.mktemp("analyse") / "t.db"
    ids = seed(path)
    store = SQLiteStore(path)
    yield store, ids
    store.close()


# ---------------------------------------------------------------- search


def test_search_hits_are_highlighted_segments(seeded):
    store, ids = seeded
    result = search_items(store, "Tokayev")
    assert result["total"] == 2
    assert {h["id"] for h in result["hits"]} == {ids["crisiswatch"], ids["october"]}
    segments = result["hits"][0]["snippet"]
    assert any(s["match"] and s["text"] == "Tokayev" for s in segments)
    assert "\x02" not in result["hits"][0]["snippet_text"]


def test_facets_count_the_whole_result_set_not_the_page(seeded):
    store, _ = seeded
    result = search_items(store, "Kazakhstan OR Russia", per_page=1)
    assert len(result["hits"]) == 1 and result["total"] == 5 and result["pages"] == 5
    facets = result["facets"]
    assert sum(r["count"] for r in facets["month"]) == 5
    assert {r["value"]: r["count"] for r in facets["publisher"]}["Eurasianet"] == 2
    assert {r["value"] for r in facets["event_type"]} >= {"CONSULT", "AGREE", "REJECT", "THREATEN"}
    assert {r["value"]: r["count"] for r in facets["actor"]}["KAZ"] == 5


def test_facets_of_a_large_match_set_come_from_the_term_index(seeded, monkeypatch):
    import steppe.analyse.search as search

    store, _ = seeded
    exact = search_items(store, "Kazakhstan OR Russia", since="2023-11")
    assert exact["total"] >= 2
    monkeypatch.setattr(search, "EXACT_FACET_MATCHES", 0)  # every match set counts as large
    large = search_items(store, "Kazakhstan OR Russia", since="2023-11")
    assert large["total"] == exact["total"] and large["hits"] == exact["hits"]
    for name in ("publisher", "kind", "month"):
        assert large["facets"][name] == exact["facets"][name]
    # Actors and event types are counted over the ranked candidates (here: all of them) and flagged.
    assert large["sampled_facets"] == ["actor", "event_type"] and exact["sampled_facets"] == []
    assert large["facets"]["actor"] == exact["facets"]["actor"]


def test_empty_query_browses_newest_first_with_filters(seeded):
    store, ids = seeded
    result = search_items(store, "")
    assert result["fts"] is None
    assert [h["published"] for h in result["hits"]] == sorted((h["published"] for h in result["hits"]), reverse=True)
    assert search_items(store, None, publisher="Eurasianet")["total"] == 2
    assert search_items(store, "", kind="teaser")["hits"][0]["id"] == ids["carnegie"]
    assert search_items(store, "", type="reject")["hits"][0]["id"] == ids["october"]
    months = search_items(store, "", since="2023-11", until="2023-11")
    assert [h["id"] for h in months["hits"]] == [ids["crisiswatch"]]


def test_actor_filter_matches_country_of_people(seeded):
    store, ids = seeded
    # Tokayev's items count for Kazakhstan; Macron appears only in the CrisisWatch entry.
    assert search_items(store, "Astana", actor="KAZ")["total"] == 3
    assert [h["id"] for h in search_items(store, "", actor="FRA")["hits"]] == [ids["crisiswatch"]]


def test_invalid_queries_raise_readable_errors(seeded):
    store, _ = seeded
    for bad in ['"', "AND", "()", "-"]:
        with pytest.raises(QuerySyntaxError):
            search_items(store, bad)
    with pytest.raises(InvalidParameter):
        search_items(store, "Tokayev", since="last year")
    with pytest.raises(InvalidParameter):
        search_items(store, "Tokayev", page=0)
    # Odd input is searched or rejected with a reason: never an SQLite error.
    for odd in ['Tokayev" OR (NOT', "Tokayev:*", "a AND (b OR", "NEAR(x y)", "Tokayev -"]:
        try:
            search_items(store, odd)
        except QuerySyntaxError as exc:
            assert str(exc)


def test_fusion_and_snippet_helpers():
    assert fuse([["a", "b", "c"]]) == ["a", "b", "c"]
    assert fuse([["a", "b"], ["b", "c"]]) == ["b", "a", "c"]
    assert snippet_segments("x \x02y\x03 z") == [
        {"text": "x ", "match": False}, {"text": "y", "match": True}, {"text": " z", "match": False}]


# ---------------------------------------------------------------- relations


def test_periods():
    assert period_of("2023-11-09", "month") == "2023-11"
    assert period_of("2023-11", "quarter") == "2023-Q4"
    assert period_of("2023", "month") is None
    assert period_of("2023", "year") == "2023"
    assert all_periods("2023-11", "2024-02", "month") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert all_periods("2023-Q3", "2024-Q1", "quarter") == ["2023-Q3", "2023-Q4", "2024-Q1"]


def test_relation_series_both_directions_by_country(seeded):
    store, _ = seeded
    series = relation_series(store, "KAZ", "RUS")
    periods = {p["period"]: p for p in series["periods"]}
    assert list(periods) == ["2023-10", "2023-11", "2023-12"]
    october = periods["2023-10"]
    assert october["a_to_b"]["verbal_conflict"] == 1 and october["a_to_b"]["intensity"] == -4.0
    assert october["b_to_a"]["count"] == 0
    november = periods["2023-11"]
    # Tokayev -> Putin (agreements) and Putin -> Tokayev (meeting) count via the people's countries.
    assert november["a_to_b"]["verbal_cooperation"] == 1 and november["b_to_a"]["verbal_cooperation"] == 1
    assert november["combined"]["count"] == 2 and november["combined"]["intensity"] == 5.0
    assert all(e in series["events"] for e in november["combined"]["events"])
    # The December deal has no date of its own: placed by its item, and said so.
    december = periods["2023-12"]
    (dec_id,) = december["combined"]["events"]
    assert series["events"][dec_id]["dated_by"] == "item"
    assert series["events"][dec_id]["evidence"].startswith("Russia and Kazakhstan agreed")
    assert series["totals"]["count"] == 4


def test_hypothetical_events_are_left_out_unless_asked(seeded):
    store, _ = seeded
    series = relation_series(store, "KAZ", "RUS")
    assert all(not e["hypothetical"] for e in series["events"].values())
    with_hypo = relation_series(store, "KAZ", "RUS", include_hypothetical=True)
    assert with_hypo["totals"]["count"] == 5
    assert with_hypo["totals"]["verbal_conflict"] == 2


def test_relation_series_quarters_since_and_bad_input(seeded):
    store, _ = seeded
    quarter = relation_series(store, "RUS", "KAZ", by="quarter")
    assert [p["period"] for p in quarter["periods"]] == ["2023-Q4"]
    assert quarter["periods"][0]["b_to_a"]["verbal_conflict"] == 1  # KAZ rejected RUS: b -> a here
    since = relation_series(store, "KAZ", "RUS", since="2023-11")
    assert [p["period"] for p in since["periods"]] == ["2023-11", "2023-12"]
    assert relation_series(store, "KAZ", "CHN")["periods"] == []
    with pytest.raises(InvalidParameter):
        relation_series(store, "KAZ", "RUS", by="week")


# ---------------------------------------------------------------- timeline, network, actors, items


def test_timeline_is_dated_ordered_and_cites(seeded):
    store, ids = seeded
    events = timeline(store)
    dates = [e["date"] for e in events]
    assert dates == sorted(dates) and None not in dates
    assert not any(e["hypothetical"] for e in events)
    first = events[0]
    assert first["evidence"] and first["item"]["title"] and first["item"]["id"]
    rus = timeline(store, actor="RUS")
    assert [e["date"] for e in rus] == ["2023-10-05", "2023-11-09", "2023-11-09", "2023-11-12"]
    assert [e["type"] for e in timeline(store, actor="FRA")] == ["CONSULT"]
    assert timeline(store, since="2023-11-10", until="2023-11") == [
        e for e in events if "2023-11-10" <= e["date"] <= "2023-11-30"]


def test_network_nodes_and_edges(seeded):
    store, _ = seeded
    graph = network(store)
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert {"KAZ", "RUS", "kz.tokayev", "ru.putin"} <= set(nodes)
    assert nodes["KAZ"]["count"] == 5
    co = {(e["source"], e["target"]): e for e in graph["edges"] if e["kind"] == "co-mention"}
    assert co[("KAZ", "RUS")]["weight"] == 4
    ev = {(e["source"], e["target"]): e for e in graph["edges"] if e["kind"] == "event"}
    assert ev[("ru.putin", "kz.tokayev")]["verbal_cooperation"] == 1
    assert ("RUS", "KAZ") in ev and ev[("RUS", "KAZ")]["weight"] == 1  # the hypothetical threat is not counted
    heavy = network(store, min_weight=3)
    assert all(e["weight"] >= 3 for e in heavy["edges"]) and heavy["edges"]
    assert network(store, since="2024-01")["edges"] == []


def test_actor_list_and_summary(seeded):
    store, _ = seeded
    actors = actor_list(store, top=3)
    assert [a["id"] for a in actors][:2] == ["KAZ", "RUS"]
    summary = actor_summary(store, "KAZ")
    assert summary["mentions_by_month"] == [{"month": "2023-10", "count": 1}, {"month": "2023-11", "count": 1},
                                            {"month": "2023-12", "count": 3}]
    assert summary["co_mentioned"][0]["id"] == "RUS"
    assert any(e["type"] == "CONSULT" for e in summary["events"])  # Tokayev's meetings count for KAZ
    assert summary["names_in_corpus"][0]["text"] == "Kazakhstan"
    with pytest.raises(NotFound):
        actor_summary(store, "no-such-actor")


def test_item_detail_and_page_slice(seeded):
    store, ids = seeded
    item = item_detail(store, ids["crisiswatch"])
    assert item["provenance"][0]["source"] == "page0.html"
    assert {m["actor"] for m in item["mentions"]} >= {"kz.tokayev", "ru.putin", "fr.macron"}
    assert [e["type"] for e in item["events"]] == ["CONSULT", "CONSULT", "AGREE", "ACCUSE"]
    for event in item["events"]:
        assert item["text"][event["evidence_start"]:event["evidence_end"]] == event["evidence"]
    prov = item["provenance"][0]
    sliced = page_slice(store, prov["page_id"], prov["start"], prov["end"])
    assert sliced["span"] == item["text"]
    assert page_slice(store, 9999) is None
    with pytest.raises(NotFound):
        item_detail(store, "ffffffffffffffff")


# ---------------------------------------------------------------- the same analyses on PostgreSQL


def test_analyses_run_on_postgres(pg_url):
    """The analyse SQL is portable: the PostgreSQL store gives the same figures (ranking aside)."""
    from steppe.store import open_store

    ids = seed(pg_url)
    store = open_store(pg_url)
    try:
        result = search_items(store, "Kazakhstan OR Russia", per_page=2)
        assert result["total"] == 5 and len(result["hits"]) == 2
        assert {r["value"]: r["count"] for r in result["facets"]["publisher"]}["Eurasianet"] == 2
        assert any(s["match"] for s in result["hits"][0]["snippet"])
        assert search_items(store, "", type="reject")["hits"][0]["id"] == ids["october"]
        assert search_items(store, "Astana", actor="KAZ")["total"] == 3
        with pytest.raises(QuerySyntaxError):
            search_items(store, '"')
        series = relation_series(store, "KAZ", "RUS")
        assert [p["period"] for p in series["periods"]] == ["2023-10", "2023-11", "2023-12"]
        assert series["totals"]["count"] == 4
        assert [e["date"] for e in timeline(store, actor="RUS")] == [
            "2023-10-05", "2023-11-09", "2023-11-09", "2023-11-12"]
        graph = network(store)
        co = {(e["source"], e["target"]): e["weight"] for e in graph["edges"] if e["kind"] == "co-mention"}
        assert co[("KAZ", "RUS")] == 4
        assert actor_summary(store, "KAZ")["co_mentioned"][0]["id"] == "RUS"
        assert [a["id"] for a in actor_list(store, top=2, q="kaz")] == ["KAZ"]
        item = item_detail(store, ids["crisiswatch"])
        assert len(item["events"]) == 4 and item["provenance"]
    finally:
        store.close()
