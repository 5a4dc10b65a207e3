"""The workbench as a new user meets it on the command line, through real subprocesses:
search says what it did, titles come from the start of the text, a filter alone browses,
unknown actors and store schemes are refused in one line, the relations table fits 80
columns, and the brief orders its events."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from steppe.analyse import semantic
from steppe.model import Item, Page, Span
from steppe.store import SQLiteStore
from workbench_seed import seed

ROOT = Path(__file__).resolve().parents[1]
UNTITLED = ("Grain exports from the northern steppe to Russia doubled this autumn, the ministry said, "
            "while rail tariffs for transit rose for the third time this year.")


def steppe(*args: str, db: str | None = None, columns: int = 80,
           cwd: Path | None = None) -> subprocess.CompletedProcess:
    # The subprocess must import these sources, not whatever steppe is installed.
    env = {**os.environ, "COLUMNS": str(columns),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    extra = ["--db", db] if db else []
    return subprocess.run([sys.executable, "-m", "steppe.cli", *args, *extra], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("cli") / "w.db"
    ids = seed(path)
    with SQLiteStore(path) as store:
        store.add_page(Page(source="listing.html", sha256="0" * 64, text=UNTITLED, kind="listing",
                            items=[Item(kind="teaser", text=UNTITLED, spans=[Span(0, len(UNTITLED))])]))
        if semantic.available():
            semantic.embed_items(store)
    db.ids = ids  # type: ignore[attr-defined]
    return str(path)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Usage:" not in result.stderr
    return lines[0]


# ---------------------------------------------------------------- search


def test_search_labels_matches_and_neighbours_and_counts_them_apart(db):
    keyword = steppe("search", "energy", "--mode", "keyword", "--json", db=db)
    hits = [json.loads(line) for line in keyword.stdout.splitlines()]
    assert [h["match"] for h in hits] == ["keyword"]
    plain = steppe("search", "energy", "--mode", "keyword", db=db)
    assert plain.returncode == 0 and plain.stderr.strip() == "1 item matches; 1 shown"
    assert "semantic neighbour" not in plain.stdout
    if not semantic.available():
        pytest.skip(semantic.EXTRA_HINT)
    both = steppe("search", "energy", db=db)
    neighbours = both.stdout.count("semantic neighbour")
    assert neighbours >= 1
    assert both.stderr.strip() == (f"1 item matches; {neighbours} semantic neighbour"
                                   f"{'s' if neighbours > 1 else ''} (not keyword matches); "
                                   f"{1 + neighbours} shown")
    # Neighbours of a word no item contains are shown, labelled, but nothing matched: exit 1.
    nonsense = steppe("search", "zzzzqqq", db=db)
    assert nonsense.returncode == 1 and nonsense.stderr.startswith("0 items match")
    semantic_only = [json.loads(x) for x in steppe("search", "energy", "--mode", "semantic", "--json",
                                                   db=db).stdout.splitlines()]
    assert semantic_only and {h["match"] for h in semantic_only} == {"semantic"}


def test_a_filter_alone_lists_the_newest_matching_items(db):
    result = steppe("search", "--actor", "KAZ", "", "--json", db=db)
    assert result.returncode == 0, result.stderr
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    dates = [h["published"] for h in hits]
    assert len(hits) >= 5 and dates == sorted(dates, reverse=True)
    assert steppe("search", "--actor", "KAZ", "", db=db).stderr.startswith(f"{len(hits)} items, newest first")
    assert "give a query, or a filter" in one_line_error(steppe("search", "", db=db))


def test_untitled_items_show_the_start_of_their_text(db):
    hit = json.loads(steppe("search", "grain", "--mode", "keyword", "--json", db=db).stdout.splitlines()[0])
    assert hit["title"] is None
    assert hit["display_title"] == "Grain exports from the northern steppe to Russia doubled this autumn, the…"
    shown = steppe("show", hit["id"], db=db).stdout.splitlines()[0]
    assert shown.startswith(hit["display_title"])


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("args", [
    ("relations", "KAZ", "XXX"),
    ("timeline", "--actor", "NOSUCH"),
    ("brief", "--actors", "KAZ", "XXX"),
    ("search", "--actor", "XXX", ""),
    ("actor", "XXX"),
])
def test_unknown_actors_are_refused_naming_the_closest(db, args):
    line = one_line_error(steppe(*args, db=db))
    name = "NOSUCH" if "NOSUCH" in args else "XXX"
    assert re.match(rf"Error: unknown actor '{name}'; (closest known: .+ \(\S+\)|known actors include )",
                    line), line


def test_known_names_still_work(db):
    assert steppe("relations", "Kazakhstan", "Russia", db=db).returncode == 0
    assert steppe("timeline", "--actor", "Tokaev", db=db).returncode == 0


def test_an_actor_page_names_the_actor_and_counts_its_mentions(db):
    shown = steppe("actor", "Tokaev", db=db)
    assert shown.returncode == 0, shown.stderr
    first, *rest = shown.stdout.splitlines()
    assert first == "Kassym-Jomart Tokayev kz.tokayev"  # the name, then the id: not the id twice
    assert any(re.fullmatch(r"mentions: \d+ in \d+ items", line) for line in rest), shown.stdout


def test_an_unsupported_store_scheme_names_the_ones_that_exist(tmp_path):
    line = one_line_error(steppe("stats", "--db", "foo://bar", cwd=tmp_path))
    assert "'foo://'" in line and "sqlite:///" in line and "postgresql://" in line
    assert list(tmp_path.iterdir()) == []  # no SQLite file called foo: was made


@pytest.mark.parametrize("args, fragment", [
    (("search", "--since", "20x", "x"), "since must be a date"),
    (("relations", "--by", "week", "KAZ", "RUS"), "'week' is not one of"),
    (("nosuch",), "No such command 'nosuch'"),
    (("search",), "give a query, or a filter"),
])
def test_bad_input_is_one_line(db, args, fragment):
    assert fragment in one_line_error(steppe(*args, db=db))


# ---------------------------------------------------------------- output a person can read


def table_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line[:1] in "┏┃┡│└"]


def test_relations_table_fits_80_columns_and_widens(db):
    narrow = steppe("relations", "KAZ", "RUS", db=db, columns=80)
    assert narrow.returncode == 0, narrow.stderr
    assert all(len(line) <= 80 for line in narrow.stdout.splitlines()), narrow.stdout
    table = table_lines(narrow.stdout)
    header = next(line for line in table if "period" in line)
    assert [c.strip() for c in header.strip("┃").split("┃")] == [
        "period", "direction", "VC", "MC", "VK", "MK", "intensity"]
    assert "…" not in "".join(table)
    assert sum("KAZ→RUS" in line for line in table) == sum("RUS→KAZ" in line for line in table) >= 3
    assert "VC/MC verbal/material cooperation" in narrow.stdout  # the legend
    wide = steppe("relations", "KAZ", "RUS", db=db, columns=160)
    rows = [line for line in table_lines(wide.stdout) if re.match(r"│ \d{4}-\d{2}", line)]
    periods = [line for line in table if re.match(r"│ \d{4}-\d{2}", line)]
    assert len(rows) == len(periods) >= 3  # one row per period, directions side by side
    assert "…" not in wide.stdout and "VC/MC/VK/MK" in wide.stdout


def test_brief_orders_dated_events_by_date_and_sets_others_apart(db):
    result = steppe("brief", "KAZ", "RUS", db=db)
    assert result.returncode == 0, result.stderr
    key, rest = result.stdout.split("## Key events", 1)[1].split("### Other events", 1)
    dates = re.findall(r"^- \*\*(\d{4}-\d{2}-\d{2})", key, flags=re.M)
    assert len(dates) >= 3 and dates == sorted(dates)
    assert "Macron" not in key  # Macron → Tokayev involves only one of the two
    others = rest.split("\n## ", 1)[0]
    assert others.startswith(", involving only one of Kazakhstan and Russia") and "Macron" in others
