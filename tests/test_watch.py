"""Watchlists: new matches since the last check, and a valid Atom feed per watchlist."""

from __future__ import annotations

import feedparser
import pytest
from click.testing import CliRunner

from steppe.analyse import InvalidParameter, NotFound
from steppe.analyse.watch import (
    add_watch,
    check_watch,
    check_watches,
    list_watches,
    matches,
    remove_watch,
    watch_feed_atom,
)
from test_brief import _event, _mentions, add_page, seed_store


@pytest.fixture
def seeded(tmp_path):
    store, items = seed_store(tmp_path / "watch.db")
    yield store, items
    store.close()


def test_check_reports_only_what_is_new(seeded):
    store, items = seeded
    add_watch(store, "kaz-consult", actor="Kazakhstan", type="consult")
    first = check_watch(store, "kaz-consult")
    assert [e["id"] for e in first["events"]] == ["ev-meet"]
    assert [i["id"] for i in first["items"]] == [items["agency_c"].id]
    assert first["since"] is None
    again = check_watch(store, "kaz-consult")
    assert again["items"] == [] and again["events"] == [] and again["since"] is not None
    # A new page brings a new CONSULT event with Kazakhstan: only it is reported.
    new = add_page(store, "mem://later", {"later": (
        "Agency D", "2024-05-02", "Talks", "Kazakhstan and Russia held talks in Moscow on 2 May.")})
    item = new["later"]
    event = _event(item, item.text, id="ev-talks", type="CONSULT", quad="verbal_cooperation",
                   intensity=4.0, src=("KAZ", "Kazakhstan", "KAZ"), tgt=("RUS", "Russia", "RUS"),
                   date="2024-05-02")
    store.set_enrichment(item.id, _mentions(item.text, item.id), [event], "test")
    third = check_watch(store, "kaz-consult")
    assert [e["id"] for e in third["events"]] == ["ev-talks"]
    assert [i["id"] for i in third["items"]] == [item.id]


def test_criteria_combine(seeded):
    store, items = seeded
    add_watch(store, "gas", query="gas")
    found = matches(store, "gas")
    assert {i["id"] for i in found["items"]} == {items["agency_b"].id}
    assert [e["id"] for e in found["events"]] == ["ev-deal"]
    add_watch(store, "rus-gas", actor="RUS", query="pipeline")
    assert {i["id"] for i in matches(store, "rus-gas")["items"]} == {items["agency_b"].id}
    add_watch(store, "mobilise", type="MOBILIZE")  # only a hypothetical one exists
    found = matches(store, "mobilise")
    assert found["items"] == [] and found["events"] == []


def test_redefining_a_watchlist_resets_what_it_has_seen(seeded):
    store, _ = seeded
    add_watch(store, "w", actor="KAZ")
    assert check_watch(store, "w")["items"]
    add_watch(store, "w", actor="KAZ")  # same criteria: nothing new
    assert check_watch(store, "w")["items"] == []
    add_watch(store, "w", actor="RUS")
    assert check_watch(store, "w")["items"]


def test_validation_and_listing(seeded):
    store, _ = seeded
    with pytest.raises(InvalidParameter):
        add_watch(store, "bad name/with slash", actor="KAZ")
    with pytest.raises(InvalidParameter):
        add_watch(store, "empty")
    with pytest.raises(NotFound):
        check_watch(store, "nope")
    add_watch(store, "b", query="gas")
    add_watch(store, "a", actor="KAZ")
    assert [w.name for w in list_watches(store)] == ["a", "b"]
    assert [r["name"] for r in check_watches(store)] == ["a", "b"]
    assert remove_watch(store, "a") and not remove_watch(store, "a")


def test_atom_feed_is_valid_and_stable(seeded):
    store, items = seeded
    add_watch(store, "kaz", actor="KAZ")
    xml = watch_feed_atom(store, "kaz", "http://127.0.0.1:8000/")
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Steppe watchlist: kaz"
    assert any(link.rel == "self" and link.href == "http://127.0.0.1:8000/feeds/kaz.atom"
               for link in feed.feed.links)
    found = matches(store, "kaz")
    assert len(feed.entries) == len(found["items"]) + len(found["events"])
    titles = {e.title for e in feed.entries}
    assert "Gas transit deal" in titles
    entry = next(e for e in feed.entries if e.title == "Gas transit deal")
    assert entry.link == f"http://127.0.0.1:8000/#/item/{items['agency_b'].id}"
    assert entry.author == "Agency B" and entry.updated_parsed and entry.published.startswith("2024-03-05")
    assert watch_feed_atom(store, "kaz", "http://127.0.0.1:8000") == xml  # same entries, same times


def test_atom_escapes_markup_and_control_characters(seeded):
    store, _ = seeded
    add_page(store, "mem://odd", {"odd": ("A <b>&</b> Co", "2024-06-01", "Gas & <oil> \x01prices",
                                          "Gas prices in Kazakhstan rose & fell <sharply>.")})
    add_watch(store, "odd", query="sharply")
    feed = feedparser.parse(watch_feed_atom(store, "odd", "http://x"))
    assert not feed.bozo
    assert feed.entries[0].title == "Gas & <oil> prices"


def test_cli_watch_add_check_list_feed(seeded):
    from steppe.cli import main

    store, _ = seeded
    run = CliRunner().invoke
    assert run(main, ["watch", "add", "kz", "--db", store.path, "--actor", "KAZ", "--type", "CONSULT"]).exit_code == 0
    result = run(main, ["watch", "check", "--db", store.path])
    assert result.exit_code == 0 and "1 new items, 1 new events" in result.output
    assert "0 new items, 0 new events" in run(main, ["watch", "check", "kz", "--db", store.path]).output
    assert "kz" in run(main, ["watch", "list", "--db", store.path]).output
    feed = run(main, ["watch", "feed", "kz", "--db", store.path])
    assert not feedparser.parse(feed.output).bozo
    assert run(main, ["watch", "check", "nope", "--db", store.path]).exit_code == 2
