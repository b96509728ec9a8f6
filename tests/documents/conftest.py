"""Helpers to make real .docx/.pdf/.html files in tmp_path, and the seed corpus loaded once."""

from __future__ import annotations

from collections.abc import Callable
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


@pytest.fixture(params=["sqlite", "postgres"])
def open_registry(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Registry]:
    """Opens the same registry again on each call, on SQLite and on PostgreSQL (the same tests run on both)."""
    if request.param == "sqlite":
        from rag.documents.registry_sqlite import SQLiteRegistry

        return lambda: SQLiteRegistry(tmp_path / "registry.sqlite3")
    from rag.documents.registry_postgres import PostgresRegistry

    url = request.getfixturevalue("pg_url")
    return lambda: PostgresRegistry(url)
