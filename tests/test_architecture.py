"""The stage order and the module boundaries hold: import-linter's contracts (pyproject.toml),
no private name imported across modules, and analyse/serve reaching the store only through
its protocol (no driver, no connection, no probing for optional methods)."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "steppe"
PYPROJECT = SRC.parents[1] / "pyproject.toml"


def test_import_contracts_hold():
    pytest.importorskip("importlinter.cli", reason="import-linter is not installed: pip install -e '.[dev]'")
    # Stage layers (collect, extract, enrich, store, analyse, serve) and no cycle between siblings.
    # In a child process: import-linter reconfigures logging, which disabled the "steppe" logger
    # for every later test in this process.
    run = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports;"
         f" sys.exit(lint_imports(config_filename={str(PYPROJECT)!r}))"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(SRC.parent)})
    assert run.returncode == 0, run.stdout + run.stderr


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        out.append((".".join(parts[:-1] if parts[-1] == "__init__" else parts), path))
    return out


def _stage(module: str) -> str:
    """steppe.extract.cards.dom -> steppe.extract; steppe.pipeline -> steppe.pipeline."""
    return ".".join(module.split(".")[:2])


def test_no_private_name_is_imported_across_stages():
    """A stage's private names stay in it (``pipeline._fail`` was imported by ``executors``).
    Modules of one package split along its responsibilities may share theirs."""
    found = []
    for module, path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("steppe"):
                if _stage(node.module) == _stage(module):
                    continue
                found += [f"{module}: from {node.module} import {a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert found == []


STORE_INTERNALS = re.compile(r"\bstore\.(db|conn|sql|_\w+)\b|hasattr\(store\b|getattr\(store\b"
                             r"|^\s*(import|from) (sqlite3|psycopg)\b", re.M)


@pytest.mark.parametrize("stage", ["analyse", "serve"])
def test_analyse_and_serve_speak_only_the_store_protocol(stage):
    offending = []
    for path in sorted((SRC / stage).rglob("*.py")):
        for match in STORE_INTERNALS.finditer(path.read_text(encoding="utf-8")):
            offending.append(f"{path.relative_to(SRC)}: {match.group(0).strip()}")
    assert offending == []
