"""End to end through the CLI: ingest, bad inputs, idempotence, kill -9 recovery, export, search."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

STEPPE = [sys.executable, "-m", "steppe.cli"]


def steppe(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([*STEPPE, *args], capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"steppe {' '.join(args)} -> {result.returncode}\n{result.stderr}")
    return result


def snapshot(db: Path) -> dict:
    """The content of a database, independent of row ids and timestamps."""
    con = sqlite3.connect(db)
    pages = sorted(con.execute("SELECT source, sha256, kind FROM pages"))
    items = sorted(con.execute("SELECT id, kind, title, text, published FROM items"))
    prov = sorted(con.execute(
        'SELECT v.item_id, p.source, v.start, v."end" FROM provenance v JOIN pages p ON p.id=v.page_id'))
    con.close()
    return {"pages": pages, "items": items, "provenance": prov}


def test_corpus_ingest_export_slices_back_and_reingest_adds_nothing(corpus_dir, tmp_path):
    db = tmp_path / "c.db"
    first = steppe("ingest", str(corpus_dir), "--db", str(db))
    assert "5 pages added" in first.stdout
    before = snapshot(db)
    again = steppe("ingest", str(corpus_dir), "--db", str(db))
    assert "0 pages added, 5 already stored" in again.stdout
    assert snapshot(db) == before

    out = tmp_path / "items.jsonl"
    steppe("export", "--db", str(db), "--format", "jsonl", "--out", str(out))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(before["items"]) > 40
    for record in records:
        pieces = [Path(p["page"]).read_text(encoding="utf-8")[p["start"]:p["end"]] for p in record["provenance"]]
        assert "\n".join(pieces) == record["text"]
        assert set(record) >= {"id", "kind", "title", "text", "published", "published_precision",
                               "publisher", "url", "provenance"}


def test_search_and_show(corpus_dir, tmp_path):
    db = tmp_path / "c.db"
    steppe("ingest", str(corpus_dir), "--db", str(db))
    hits = steppe("search", "Hezbollah", "--db", str(db), "--json")
    first = json.loads(hits.stdout.splitlines()[0])
    assert "Hezbollah" in first["snippet"]
    shown = steppe("show", first["id"], "--db", str(db), "--json")
    item = json.loads(shown.stdout)
    assert item["provenance"][0]["page"].endswith(".txt")
    assert steppe("search", "zzzzqqq", "--db", str(db), check=False).returncode == 1
    bad = steppe("search", '")(', "--db", str(db), check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_csv_export(corpus_dir, tmp_path):
    import csv

    db = tmp_path / "c.db"
    steppe("ingest", str(corpus_dir), "--db", str(db))
    out = tmp_path / "items.csv"
    steppe("export", "--db", str(db), "--format", "csv", "--out", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and json.loads(rows[0]["provenance"])[0]["start"] >= 0


@pytest.fixture
def bad_inputs(tmp_path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "Tokayev met Putin in Astana to discuss transit and energy cooperation across the Caspian.\n"
        "The Kazakh leadership is wary of secondary sanctions on its banks and traders this year.\n",
        encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("   \n\n  ", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 500)
    (folder / "cp1251.txt").write_bytes(
        "Президент Токаев встретился с Путиным в Астане. Стороны обсудили транзит и энергетику.\n"
        .encode("cp1251"))
    (folder / "truncated.html").write_text(
        "<html><head><title>Steppe test</title></head><body><article><h1>Caspian transit grows</h1>"
        "<p>The middle corridor through Kazakhstan and Azerbaijan carried more freight this year, officials"
        " in Astana said, as exporters looked for routes that avoid Russia.</p><p>Volumes are still small",
        encoding="utf-8")
    (folder / "big.txt").write_text("Kazakhstan news. " * 200_000, encoding="utf-8")  # ~3.4 MB
    with gzip.open(folder / "page.txt.gz", "wb") as fh:
        fh.write(b"Lavrov accused the West of trying to push Moscow out of Central Asia.\n")
    (folder / "broken.txt.gz").write_bytes(gzip.compress(b"Some text that will be cut off" * 50)[:40])
    return folder


def test_bad_inputs_each_get_one_line_and_the_batch_goes_on(bad_inputs, tmp_path):
    db = tmp_path / "b.db"
    result = steppe("ingest", str(bad_inputs), "--db", str(db), "--max-size", "1")
    assert result.returncode == 0
    reasons = {line.split(":")[0].split("/")[-1]: line for line in result.stderr.splitlines()
               if line.startswith("skipped")}
    for name in ("empty.txt", "blank.txt", "image.png", "binary.txt", "big.txt", "broken.txt.gz"):
        assert name in reasons, (name, result.stderr)
    assert "Traceback" not in result.stderr
    stats = json.loads(steppe("stats", "--db", str(db), "--json").stdout)
    assert len(stats["failures"]) == 6
    sources = {s for s, *_ in snapshot(db)["pages"]}
    assert {Path(s).name for s in sources} == {"good.txt", "cp1251.txt", "truncated.html", "page.txt.gz"}
    found = steppe("search", "Токаев", "--db", str(db), "--json")
    assert "Токаев" in found.stdout  # cp1251 bytes were decoded, not mangled


def test_exit_codes(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    db = str(tmp_path / "e.db")
    assert steppe("ingest", str(tmp_path / "empty.txt"), "--db", db, check=False).returncode == 1
    assert steppe("ingest", "--db", db, check=False).returncode == 2
    assert steppe("ingest", str(tmp_path / "missing"), "--db", db, check=False).returncode == 1


def make_pages(folder: Path, n: int) -> None:
    folder.mkdir()
    shared = ("Kazakhstan's multi-vector foreign policy is tested by the war, as Astana balances ties"
              " with Moscow, Beijing, Brussels and Washington while protecting its exports.")
    for i in range(n):
        lines = [f"Teaser {i}-{k}: officials in region {i} discussed project {k} with partners"
                 f" from {i * 7 + k} countries on transit, grain and energy." for k in range(4)]
        lines.insert(i % 4, shared)
        (folder / f"page{i:05d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_kill_9_then_rerun_equals_uninterrupted_run(tmp_path):
    pages = tmp_path / "pages"
    make_pages(pages, 1500)
    clean_db, killed_db = tmp_path / "clean.db", tmp_path / "killed.db"
    steppe("ingest", str(pages), "--db", str(clean_db), "--no-enrich")

    proc = subprocess.Popen([*STEPPE, "ingest", str(pages), "--db", str(killed_db), "--no-enrich"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if killed_db.exists():
            try:
                con = sqlite3.connect(killed_db, timeout=0.1)
                stored = con.execute("SELECT count(*) FROM pages").fetchone()[0]
                con.close()
            except sqlite3.OperationalError:
                continue
            if stored >= 100:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < stored < 1500, "the kill must land mid-run"
    partial = snapshot(killed_db)
    assert len(partial["pages"]) < 1500

    steppe("ingest", str(pages), "--db", str(killed_db), "--no-enrich")
    assert snapshot(killed_db) == snapshot(clean_db)
