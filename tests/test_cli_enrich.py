"""The enrichment commands end to end: annotate, actors, actor, relations, timeline, search --actor."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

STEPPE = [sys.executable, "-m", "steppe.cli"]


def steppe(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([*STEPPE, *args], capture_output=True, text=True, input=stdin, timeout=300)
    assert result.returncode == 0, (args, result.stderr)
    return result


def test_annotate_batch_interface(tmp_path):
    lines = [
        {"id": "a", "text": "Kazakh President Kassym-Zhomart Tokayev met Vladimir Putin in Moscow on 9 November.",
         "date": "2023-11-20"},
        {"id": "b", "text": "Tokaev later said Astana would not join the sanctions."},
        {"id": "c", "text": "   "},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", encoding="utf-8")
    result = steppe("annotate", str(path))
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    actors = {e["actor"] for e in out[0]["entities"]}
    assert {"kz.tokayev", "ru.putin"} <= actors
    for entity in out[0]["entities"]:
        assert lines[0]["text"][entity["start"]:entity["end"]] == entity["text"]
    assert "kz.tokayev" in {e["actor"] for e in out[1]["entities"]}
    consult = [e for e in out[0]["events"] if e["type"] == "CONSULT"]
    assert consult and consult[0]["date"] == "2023-11-09"
    assert "line 4" in result.stderr


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    from conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent: the corpus tests need the shared data beside the repo")
    db = tmp_path_factory.mktemp("db") / "corpus.db"
    steppe("ingest", str(CORPUS), "--db", str(db))
    return str(db)


def test_actors_and_actor_pages(corpus_db):
    rows = json.loads(steppe("actors", "--db", corpus_db, "--json").stdout)
    ids = {r["id"] for r in rows}
    assert {"KAZ", "RUS", "kz.tokayev", "ru.putin"} <= ids
    tokayev = json.loads(steppe("actor", "Tokaev", "--db", corpus_db, "--json").stdout)
    assert tokayev["id"] == "kz.tokayev"


def test_search_by_actor(corpus_db):
    hits = [json.loads(x) for x in steppe("search", "Kazakhstan", "--actor", "Tokayev", "--db", corpus_db,
                                          "--json", "--limit", "50").stdout.splitlines()]
    assert hits
    for hit in hits:
        item = json.loads(steppe("show", hit["id"], "--db", corpus_db, "--json").stdout)
        assert "kz.tokayev" in {m["actor"] for m in item["mentions"]}


def test_relations_table_with_drill_down(corpus_db):
    result = steppe("relations", "KAZ", "RUS", "--db", corpus_db, "--show-events")
    assert "KAZ" in result.stdout and "RUS" in result.stdout
    assert "Putin" in result.stdout and "met with Tokayev" in result.stdout
    data = json.loads(steppe("relations", "KAZ", "RUS", "--db", corpus_db, "--json").stdout)
    assert data["a"] == "KAZ" and data["b"] == "RUS"
