"""Helpers to make real .docx/.pdf/.html files in tmp_path, and the seed corpus loaded once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from eval.bench.hostile import pdf_bytes
from rag.documents.cleaning import clean
from rag.documents.loaders import load_file
from rag.documents.registry import Registry
from rag.models import CleanText, LoadedFile
from tests.conftest import CORPUS

MAX_BYTES = 20 * 1024 * 1024

SEEDS = {p.name[:3]: p for p in sorted(CORPUS.glob("0*.txt"))}


@pytest.fixture(scope="session")
def seeds() -> dict[str, tuple[LoadedFile, CleanText]]:
    """Seed id ("000".."004") -> (loaded, cleaned)."""
    out = {}
    for key, path in SEEDS.items():
        loaded = load_file(path, MAX_BYTES)
        out[key] = (loaded, clean(loaded))
    return out


def make_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    document.add_paragraph("以上数据截至2023年底。")
    document.save(str(path))
    return path


def make_pdf(path: Path, lines: list[str], image_only: bool = False) -> Path:
    """A one-page PDF with a Chinese text layer (the hostile-file generator's), or one whose page
    holds only drawn shapes, like a scan without OCR."""
    if not image_only:
        path.write_bytes(pdf_bytes([lines]))
        return path
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(72, 600, 300, 100, fill=1)
    c.circle(200, 400, 50, fill=1)
    c.showPage()
    c.save()
    return path


# --- a throwaway PostgreSQL server for the registry tests -------------------------------------------
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


@pytest.fixture(params=["sqlite", "postgres"])
def open_registry(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Registry]:
    """Opens the same registry again on each call, on SQLite and on PostgreSQL (the same tests run on both)."""
    if request.param == "sqlite":
        from rag.documents.registry_sqlite import SQLiteRegistry

        return lambda: SQLiteRegistry(tmp_path / "registry.sqlite3")
    from rag.documents.registry_postgres import PostgresRegistry

    url = request.getfixturevalue("pg_url")
    return lambda: PostgresRegistry(url)
