"""Reading a page is a pure function of its bytes: the same Page whatever process runs it, with
whatever hash seed, and whatever it read before. Parallel runs (process pool, Dask) rely on this to
build exactly the database an in-process run builds. Pages: a spread of 24 of
../shared/eval/extraction-trafilatura (skips when absent)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from steppe.executors import LocalPool

PAGES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "extraction-trafilatura" / "pages"

# Prints {file name: full Page as JSON} for the files given as arguments, read in that order; a file
# listed twice is read twice and both readings must agree (the second comes after other pages).
_READER = textwrap.dedent("""
    import dataclasses, gzip, json, sys
    from pathlib import Path
    from steppe.model import RawDocument
    from steppe.pipeline import read_page

    out = {}
    for arg in sys.argv[1:]:
        path = Path(arg)
        raw = RawDocument(source=path.name, data=gzip.decompress(path.read_bytes()), content_type="text/html")
        page = json.dumps(dataclasses.asdict(read_page(raw)), sort_keys=True, ensure_ascii=False)
        if out.setdefault(path.name, page) != page:
            sys.exit(f"{path.name}: read twice in one process, two different pages")
    json.dump(out, sys.stdout)
""")


def _start_reader(files: list[Path], hash_seed: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.Popen([sys.executable, "-c", _READER, *map(str, files)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def _finish(proc: subprocess.Popen) -> dict[str, str]:
    try:
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 0, err[-2000:]
    return json.loads(out)


def test_extraction_is_the_same_in_any_process_seed_and_order():
    if not PAGES.is_dir():
        pytest.skip("../shared/eval/extraction-trafilatura is absent: the determinism test needs real pages")
    files = sorted(PAGES.glob("*.gz"))[::41][:24]  # a spread over the whole set, not one site
    assert len(files) >= 20
    # Two fresh processes, run side by side: different string hash seeds (set iteration order),
    # opposite orders, and the second one reads everything twice (state left by earlier pages).
    first = _start_reader(files, "1")
    second = _start_reader(files[::-1] + files, "4242")
    a, b = _finish(first), _finish(second)
    assert sorted(a) == sorted(b) == sorted(f.name for f in files)
    differ = [name for name in a if a[name] != b[name]]
    assert not differ, f"pages read differently in two processes: {differ}"


def test_local_pool_replaces_a_pool_broken_before_the_next_submission():
    """A worker killed between two submissions: the next submit gets a fresh pool, not an error."""
    pool = LocalPool(1, chunk=1)
    try:
        assert pool.submit(abs, -1).result() == 1
        pid = next(iter(pool._pool._processes))
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while not pool._pool._broken and time.monotonic() < deadline:  # the pool notices the death
            time.sleep(0.05)
        assert pool._pool._broken
        assert pool.submit(abs, -3).result() == 3
    finally:
        pool.close()
