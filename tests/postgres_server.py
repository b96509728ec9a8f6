"""A throwaway PostgreSQL server for the tests that run the registry on PostgreSQL.

Debian's binaries (``make postgres`` installs them) start a server in a temporary folder on a free loopback
port, once per session; each test gets a fresh database. As root the server runs as the ``postgres``
system user (initdb refuses root); otherwise as the current user. Without the binaries (or psycopg) the
tests that need it skip, saying what to install.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

PG_VERSIONS = ("15", "16", "17", "14", "13")


def _pg_bindir() -> Path | None:
    """Debian's PostgreSQL binaries (postgresql-15 preferred: what `make postgres` installs)."""
    for version in PG_VERSIONS:
        bindir = Path(f"/usr/lib/postgresql/{version}/bin")
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    return None


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server in a temporary folder on a free loopback port; yields its admin URL (no password,
    trust auth on loopback only). As root it runs as the ``postgres`` system user (initdb refuses root)."""
    import os
    import shutil
    import subprocess
    import tempfile

    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL binaries not found (/usr/lib/postgresql/15/bin): run `make postgres` (apt-get install postgresql)"
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg not installed: pip install 'gov-rag[postgres]'")
    prefix: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="rag-pg-"))
    if os.geteuid() == 0:
        import pwd

        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base, ignore_errors=True)
            pytest.skip("running as root and there is no `postgres` system user to run initdb as")
        os.chown(base, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, log = base / "data", base / "server.log"
    port = _free_port()

    def run(*args: str) -> None:
        done = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            logged = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}\n{logged}")

    run(str(bindir / "initdb"), "-D", str(data), "-U", "rag", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")
    options = f"-F -p {port} -k {base} -c listen_addresses=127.0.0.1 -c max_connections=40"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start")
    try:
        yield f"postgresql://rag@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server for one test (dropped afterwards)."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield f"{pg_server}/{name}"
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
