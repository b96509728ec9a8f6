"""Example questions for the citizen page, made from the ingested documents' own metadata.

Why not a hard-coded list: the page must fit whatever a city ingests, and an example that the
documents cannot answer is the first thing a visitor clicks. Each example names a public document
by its title and asks for a field its metadata card actually holds (issuer, date, 文号), so the answer
is in the document. The question templates are data (``rag/data/example_questions.tsv``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from rag.models import DocumentRecord

MAX_TITLE_CHARS = 60  # a longer title makes an unreadable button; such documents are skipped


@lru_cache(maxsize=1)
def templates() -> tuple[tuple[str, str], ...]:
    text = resources.files("rag").joinpath("data/example_questions.tsv").read_text(encoding="utf-8")
    rows: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        field, _, template = line.partition("\t")
        rows.append((field.strip(), template.strip()))
    return tuple(rows)


def _field(doc: DocumentRecord, name: str) -> str | None:
    value = getattr(doc.meta, name, None)
    return value if isinstance(value, str) and value.strip() else None


def example_questions(docs: Sequence[DocumentRecord], n: int = 4) -> list[str]:
    """Up to ``n`` questions, each about a different public document, cycling through the templates."""
    usable = [
        d for d in docs if d.visibility == "public" and d.meta.title.strip() and len(d.meta.title) <= MAX_TITLE_CHARS
    ]
    usable.sort(key=lambda d: (d.meta.date or "", d.source), reverse=True)  # newest documents first
    rows = templates()
    out: list[str] = []
    for i, doc in enumerate(usable):
        if len(out) >= n:
            break
        for j in range(len(rows)):  # the i-th template, or the next one this document has the field for
            field, template = rows[(i + j) % len(rows)]
            if _field(doc, field):
                out.append(template.format(title=doc.meta.title.strip()))
                break
    return out
