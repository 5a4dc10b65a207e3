"""Exports round-trip: each table in each format reads back equal to the store."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from steppe.analyse import InvalidParameter
from steppe.analyse.exports import SCHEMAS, export, network_data, read_export, rows, to_plover
from test_brief import seed_store

PLOVER_FIELDS = {"id", "date", "source", "target", "event", "mode", "text", "eventLoc", "language",
                 "publication", "coder", "version", "dateCoded"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    store, items = seed_store(tmp_path_factory.mktemp("exports") / "x.db")
    yield store, items
    store.close()


def _blank_to_none(records):
    """CSV cannot tell "" from null: compare with empty strings as nulls."""
    return [{k: (None if v == "" else v) for k, v in r.items()} for r in records]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
@pytest.mark.parametrize("what", ["items", "events", "mentions", "actors"])
def test_round_trip(seeded, tmp_path, what, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    store, _ = seeded
    path = tmp_path / f"{what}.{fmt}"
    expected = list(rows(store, what))
    assert export(store, what, fmt, path) == len(expected) > 0
    back = read_export(path, what, fmt)
    if fmt == "csv":
        back, expected = _blank_to_none(back), _blank_to_none(expected)
    assert back == expected
    assert list(back[0]) == [name for name, _ in SCHEMAS[what]]


def test_rows_match_the_store(seeded):
    store, items = seeded
    assert {r["id"] for r in rows(store, "items")} == {i.id for i in items.values()}
    item_rows = {r["id"]: r for r in rows(store, "items")}
    for item in store.iter_items():
        assert item_rows[item.id]["provenance"] == [{"page": p.page, "start": p.start, "end": p.end}
                                                     for p in item.provenance]
        assert item_rows[item.id]["text"] == item.text
    events = {e.id: e.to_dict() for e in store.events()}
    for row in rows(store, "events"):
        record = events[row["id"]]
        assert (row["type"], row["intensity"], row["date"], row["evidence"]) == (
            record["type"], record["intensity"], record["date"], record["evidence"])
        assert row["source_actors"] == record["source"]["actors"]
        assert row["hypothetical"] == record["hypothetical"]
    mention_count = sum(len(store.mentions(i.id)) for i in items.values())
    assert len(list(rows(store, "mentions"))) == mention_count
    actors = {r["id"]: r for r in rows(store, "actors")}
    assert actors["KAZ"]["mentions"] > 0 and actors["ru.putin"]["events_as_source"] == 2


def test_plover_json_uses_plover_field_names(seeded, tmp_path):
    store, _ = seeded
    path = tmp_path / "events.json"
    assert export(store, "events", "plover", path) == len(store.events())
    records = {r["id"]: r for r in json.loads(path.read_text(encoding="utf-8"))}
    meet = records["ev-meet"]
    assert PLOVER_FIELDS - {"mode", "eventLoc"} <= set(meet)  # the standard names, filled
    assert meet["event"] == "CONSULT" and meet["date"] == "2023-11-09"
    assert meet["source"] == [{"actorText": "Putin", "code": "RUS", "actorId": "ru.putin"}]
    assert meet["target"][0]["code"] == "KAZ"
    assert meet["text"].startswith("Russian President Putin met")
    assert meet["publication"] == "Agency C" and meet["coder"] == "Steppe"
    assert records["ev-maybe"]["hypothetical"] is True


def test_plover_splits_government_codes():
    record = to_plover({"id": "x", "type": "SANCTION", "source": {"actors": ["RUS.GOV"], "text": "Moscow",
                                                                  "countries": ["RUS"]}})
    assert record["source"] == [{"actorText": "Moscow", "code": "RUS", "actorId": "RUS.GOV",
                                 "sector": "GOV"}]
    assert "target" not in record


def test_network_graphml_and_gexf(seeded, tmp_path):
    store, _ = seeded
    data = network_data(store)
    graphml, gexf = tmp_path / "n.graphml", tmp_path / "n.gexf"
    export(store, "network", "graphml", graphml)
    export(store, "network", "gexf", gexf)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(graphml).getroot()
    nodes = root.findall(".//g:node", ns)
    edges = root.findall(".//g:edge", ns)
    assert {n.get("id") for n in nodes} == {n["id"] for n in data["nodes"]}
    assert len(edges) == len(data["edges"]) > 0
    labels = {n.get("id"): n.find("g:data[@key='n_label']", ns).text for n in nodes}
    assert labels["KAZ"] == "Kazakhstan"
    gx = {"x": "http://gexf.net/1.3"}
    root = ET.parse(gexf).getroot()
    assert len(root.findall(".//x:node", gx)) == len(data["nodes"])
    assert len(root.findall(".//x:edge", gx)) == len(data["edges"])
    try:
        import networkx as nx
    except ImportError:
        return
    graph = nx.read_graphml(graphml)
    assert graph.number_of_nodes() == len(data["nodes"])


def test_bad_combinations_are_refused(seeded, tmp_path):
    store, _ = seeded
    with pytest.raises(InvalidParameter):
        export(store, "items", "plover", tmp_path / "x")
    with pytest.raises(InvalidParameter):
        export(store, "nonsense", "jsonl", tmp_path / "x")
    with pytest.raises(InvalidParameter):
        export(store, "items", "parquet", None)


def test_cli_export(seeded, tmp_path):
    from steppe.cli import main

    store, _ = seeded
    out = tmp_path / "events.parquet"
    result = CliRunner().invoke(main, ["export", "--db", store.path, "--what", "events", "--format",
                                       "parquet", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(read_export(out, "events", "parquet")) == len(store.events())
    result = CliRunner().invoke(main, ["export", "--db", store.path])  # items as JSONL by default
    assert len(result.output.splitlines()) == len(list(store.iter_items()))
    bad = CliRunner().invoke(main, ["export", "--db", store.path, "--what", "items", "--format", "gexf"])
    assert bad.exit_code == 2
