"""Typed records of the application: documents, their metadata, chunks, answers and citations.

Ids are content hashes, so re-ingesting is idempotent and deletions are exact.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Visibility = Literal["public", "internal"]
VISIBILITIES: tuple[str, ...] = ("public", "internal")


def doc_types() -> tuple[str, ...]:
    """Every doc_type value, from the one list in data (rag/lang/data/doc_type_values.txt): the six of
    the sample corpus, the GB/T 9704 types and 其他. Loaded on first use: rag.lang is not cheap to import."""
    from rag.lang import vocab

    return tuple(vocab().doc_type_values)


def __getattr__(name: str) -> Any:
    """``DOC_TYPES`` stays importable (ui/staff.py) without importing rag.lang with every model."""
    if name == "DOC_TYPES":
        return doc_types()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LoadedFile:
    """What a loader read: the raw text (before cleaning), how it was decoded, where from."""

    source: str  # the original file's name, e.g. 000_d5e02e9cc017770c.txt
    path: str  # full path as given
    raw_text: str
    encoding: str  # utf-8, gb18030, docx, pdf, html
    sha256: str  # of the file bytes
    kind: str  # txt, md, html, docx, pdf
    page_titles: tuple[str, ...] = ()  # an HTML page's <title>, og:title, <meta name="ArticleTitle">


@dataclass(frozen=True)
class DocMeta:
    """Metadata of one document (fields of `rag docs --json`)."""

    title: str
    doc_number: str | None = None  # 文号
    issuer: str | None = None  # 发文机关
    date: str | None = None  # ISO YYYY-MM-DD
    date_precision: Literal["day", "month", "year"] | None = None
    region: str | None = None
    doc_type: str = "其他"
    incomplete: bool = False  # the source was truncated (e.g. 此处隐藏N字)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CleanText:
    """Cleaned display text plus what cleaning noticed."""

    text: str  # for people: boilerplate removed, lines joined, duplicates dropped
    incomplete: bool = False
    removed: tuple[str, ...] = ()  # short descriptions of what was removed (for logs)


@dataclass(frozen=True)
class Chunk:
    """A passage of a document.

    ``text`` is shown to people; ``index_text`` (title + heading path + normalised text) is
    what BM25 and the embedder see.
    """

    id: str
    source: str
    position: int
    text: str
    index_text: str
    heading_path: tuple[str, ...] = ()
    start: int = 0  # character offset in the cleaned document text
    end: int = 0

    @staticmethod
    def make_id(source: str, position: int, text: str) -> str:
        return sha256_text(f"{source}\x00{position}\x00{text}")


@dataclass(frozen=True)
class DocumentRecord:
    """A document as the registry keeps it."""

    source: str
    sha256: str
    meta: DocMeta
    visibility: str
    chunk_ids: tuple[str, ...]
    path: str = ""
    ingested_at: str = ""
    text: str = ""  # cleaned text, for "open the passage in context"
    origin: str = ""  # where the file was on disk when ingested (registry-internal, never printed)

    def to_json(self) -> dict[str, Any]:
        m = self.meta
        return {
            "source": self.source,
            "title": m.title,
            "doc_number": m.doc_number,
            "issuer": m.issuer,
            "date": m.date,
            "date_precision": m.date_precision,
            "region": m.region,
            "doc_type": m.doc_type,
            "incomplete": m.incomplete,
            "visibility": self.visibility,
            "chunks": len(self.chunk_ids),
            "sha256": self.sha256,
            "path": self.path,
            "ingested_at": self.ingested_at,
        }


@dataclass(frozen=True)
class Citation:
    """A numbered passage the answer relies on."""

    n: int
    chunk_id: str
    source: str
    title: str
    quote: str  # the cited sentence(s) as written in the passage
    passage: str = ""  # the whole chunk text, for the sources panel
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "chunk_id": self.chunk_id, "source": self.source, "title": self.title, "quote": self.quote}


@dataclass(frozen=True)
class Answer:
    """The final answer: text with [n] markers, its citations, and whether it is a refusal."""

    answer: str
    refused: bool
    citations: tuple[Citation, ...] = ()
    dropped: tuple[str, ...] = ()  # sentences removed by citation verification
    timings_ms: dict[str, float] = field(default_factory=dict)
    question: str = ""
    standalone_question: str = ""
    refusal_reason: str = ""  # why it refused (rag.answer.refusal codes: low_coverage, other_year …), else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
        }
