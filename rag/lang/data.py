"""The one loader of rag/lang/data/: every word list and table of Chinese-language knowledge.

Knowledge (places, units, document types, interrogatives, role words) lives in plain text files so
a new city or a new kind of document is an edit to data, not to code. Lines starting with ``#``
and blank lines are comments; tables are tab-separated.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def data_path(name: str) -> Path:
    """The path of a data file shipped in rag/lang/data/ (installed with the package as package data)."""
    return DATA_DIR / name


@lru_cache(maxsize=64)
def read_text(name: str) -> str:
    """The raw text of a data file (cached: data files never change while the process runs)."""
    return data_path(name).read_text(encoding="utf-8")


def _lines(text: str) -> list[str]:
    return [line.rstrip("\r") for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def read_list(name: str) -> list[str]:
    """One entry a line, comments dropped, order kept."""
    return [line.strip() for line in _lines(read_text(name))]


def read_table(name: str, columns: int) -> list[tuple[str, ...]]:
    """Tab-separated rows padded (or cut) to ``columns`` fields."""
    rows = []
    for line in _lines(read_text(name)):
        fields = [f.strip() for f in line.split("\t")]
        fields += [""] * (columns - len(fields))
        rows.append(tuple(fields[:columns]))
    return rows


def read_pairs(name: str) -> list[tuple[str, str]]:
    """Two-column table as (key, value) pairs."""
    return [(row[0], row[1]) for row in read_table(name, 2)]


def read_optional_table(path: Path, columns: int) -> list[tuple[str, ...]]:
    """Like read_table for an extra file outside the package (missing file -> no rows)."""
    if not path.is_file():
        return []
    rows = []
    for line in _lines(path.read_text(encoding="utf-8")):
        fields = [f.strip() for f in line.split("\t")]
        fields += [""] * (columns - len(fields))
        rows.append(tuple(fields[:columns]))
    return rows
