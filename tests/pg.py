"""A throwaway PostgreSQL server for tests (and the scale benchmark): real binaries, no mocks.

``PgServer.start()`` runs ``initdb`` into a fresh temporary directory, starts the
server with ``pg_ctl`` on a free 127.0.0.1 port (its unix socket in the same
directory) and ``stop()`` removes everything. PostgreSQL refuses to run as root,
so under root the directory is handed to the ``postgres`` system user (created by
the Debian package) and the binaries run through ``runuser``.

Fixtures: ``pg_server`` (session scope, the running server) and ``pg_url`` (a
fresh, empty database per test, dropped afterwards). Both skip with the reason
when the binaries are missing: ``apt-get install -y postgresql`` provides them.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
USER = "steppe"  # the database superuser initdb creates (trust auth on loopback only)


def find_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian layout), or one on PATH."""
    candidates = sorted(glob.glob(PG_BIN_GLOB), key=lambda p: int(Path(p).parent.name)
                        if Path(p).parent.name.isdigit() else 0)
    for directory in reversed(candidates):
        if (Path(directory) / "initdb").exists():
            return Path(directory)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgServer:
    """One PostgreSQL cluster in a temporary directory, listening on 127.0.0.1 only."""

    def __init__(self, bin_dir: Path, *, fast: bool = True, settings: list[str] | None = None) -> None:
        self.bin_dir = bin_dir
        self.fast = fast  # fsync off: fine for throwaway test data, never for real data
        self.settings = settings or []  # extra "name=value" server settings
        self.root = Path(tempfile.mkdtemp(prefix="steppe-pg-"))
        self.data = self.root / "data"
        self.port = 0
        self.run_as: str | None = None
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise RuntimeError("running as root and there is no 'postgres' system user "
                                   "(install the postgresql package, or run as a normal user)") from exc
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self.run_as = "postgres"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False,
                              cwd=self.root)

    def start(self) -> PgServer:
        locale = "C.UTF-8" if os.path.isdir("/usr/lib/locale/C.utf8") or _has_c_utf8() else "C"
        init = self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust",
                         "--encoding=UTF8", f"--locale={locale}")
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed: {init.stderr.strip()[-500:]}")
        settings = ["-c listen_addresses=127.0.0.1", f"-c unix_socket_directories={self.root}"]
        if self.fast:
            settings += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        settings += [f"-c {setting}" for setting in self.settings]
        last = ""
        for _ in range(5):  # a free port can be taken between the probe and the bind: retry
            self.port = _free_port()
            started = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
                                "-w", "-t", "60", "-o", " ".join([f"-p {self.port}", *settings]),
                                "start")
            if started.returncode == 0:
                return self
            last = started.stderr.strip() + _tail(self.root / "server.log")
        raise RuntimeError(f"pg_ctl start failed: {last[-800:]}")

    @property
    def url(self) -> str:
        return self.url_for("postgres")

    def url_for(self, database: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        import psycopg

        name = name or "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.data.exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


def _has_c_utf8() -> bool:
    out = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout
    return any(name.lower() in ("c.utf8", "c.utf-8") for name in out.split())


def _tail(path: Path) -> str:
    with contextlib.suppress(OSError):
        return "\n" + path.read_text(errors="replace")[-600:]
    return ""


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL binaries not found (/usr/lib/postgresql/*/bin): "
                    "apt-get install -y postgresql")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed: pip install -e '.[postgres]'")
    try:
        server = PgServer(bin_dir).start()
    except RuntimeError as exc:
        pytest.skip(f"cannot start a throwaway PostgreSQL server: {exc}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh empty database on the session's server; dropped after the test."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)
