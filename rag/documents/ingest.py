"""Ingestion: files -> cleaned documents -> chunks -> registry + index, all or nothing per batch.

A bad file is recorded in the report and the batch goes on. The index and the registry are
written only after every good file of the batch is prepared and embedded, so a crash or a model
error mid-batch leaves what was stored untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.base import SearchBackend
from index.records import Record
from rag.documents.chunking import chunk_document, metadata_card
from rag.documents.cleaning import clean
from rag.documents.loaders import SUPPORTED_SUFFIXES, folder_files, load_file
from rag.documents.metadata import extract_meta
from rag.documents.registry import Registry
from rag.errors import DocumentError, RagError
from rag.models import VISIBILITIES, Chunk, DocMeta
from rag.settings import Settings

log = logging.getLogger(__name__)

# progress(done, total, message): the CLI draws a bar from it, the UI a progress indicator.
ProgressCallback = Callable[[int, int, str], None]
STAGE_FILES = "读取文件"
STAGE_EMBED = "向量化文本块"


@dataclass
class IngestReport:
    """The contract's ingest summary."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks: int = 0
    sources: list[str] = field(default_factory=list)

    @property
    def ingested(self) -> int:
        return self.added + self.updated

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": [{"path": p, "error": e} for p, e in self.failed],
            "chunks": self.chunks,
        }


@dataclass(frozen=True)
class _Prepared:
    source: str
    path: str
    sha256: str
    meta: DocMeta
    text: str
    chunks: list[Chunk]
    is_update: bool
    stale_ids: tuple[str, ...]  # chunks of the stored version that the new one no longer has


def check_visibility(visibility: str) -> None:
    """One message for a wrong visibility, wherever it is set (ingest, the CLI, the staff tab)."""
    if visibility not in VISIBILITIES:
        raise RagError(f"可见范围必须是 public 或 internal，收到 {visibility!r}。")


def chunk_record(chunk: Chunk, meta: DocMeta, visibility: str) -> Record:
    """The index record of a chunk: its normalised text plus every field search filters on or shows."""
    return Record(
        id=chunk.id,
        text=chunk.index_text,
        meta={
            "source": chunk.source,
            "title": meta.title,
            "doc_number": meta.doc_number,
            "issuer": meta.issuer,
            "date": meta.date,
            "region": meta.region,
            "doc_type": meta.doc_type,
            "visibility": visibility,
            "incomplete": meta.incomplete,
            "display_text": chunk.text,
            "heading_path": " > ".join(chunk.heading_path),
            "position": chunk.position,
        },
    )


def _expand(paths: Sequence[Path], report: IngestReport) -> list[Path]:
    """The files to load; missing paths and unsupported files go into the report instead."""
    files: list[Path] = []
    for p in paths:
        if not p.exists():
            report.failed.append((str(p), "文件或文件夹不存在：请检查路径。"))
        elif p.is_dir():
            found, skipped = folder_files(p)
            report.failed.extend((str(o), f"不支持的文件类型 {o.suffix or '(无后缀)'}，已跳过。") for o in skipped)
            files.extend(found)
        elif p.is_file() and p.suffix.lower() not in SUPPORTED_SUFFIXES:
            supported = " ".join(sorted(SUPPORTED_SUFFIXES))
            report.failed.append((str(p), f"不支持的文件类型 {p.suffix or '(无后缀)'}：支持 {supported}。"))
        else:
            files.append(p)
    return files


def _prepare(path: Path, visibility: str, settings: Settings, registry: Registry) -> _Prepared | None:
    """Load, clean, describe and chunk one file; None when it is unchanged."""
    loaded = load_file(path, max_bytes=int(settings.max_file_mb * 1024 * 1024))
    existing = registry.get(loaded.source)
    if existing is not None and existing.sha256 == loaded.sha256:
        if existing.visibility != visibility:
            raise DocumentError(
                str(path),
                f"内容未变，但可见范围不同（已入库为 {existing.visibility}）：请用界面或 rag 的可见范围设置修改，"
                "不要重复入库。",
            )
        return None
    twin = registry.find_by_sha(loaded.sha256)
    if twin is not None and twin.source != loaded.source:
        raise DocumentError(str(path), f"与已入库的 {twin.source} 内容完全相同，已跳过；如需改名请先删除旧文档。")
    cleaned = clean(loaded)
    meta = extract_meta(loaded, cleaned)
    chunks = chunk_document(loaded.source, cleaned.text, meta, settings.chunk_size, settings.chunk_overlap)
    chunks.append(metadata_card(loaded.source, meta, len(chunks)))
    new_ids = {c.id for c in chunks}
    stale = tuple(i for i in existing.chunk_ids if i not in new_ids) if existing is not None else ()
    return _Prepared(
        source=loaded.source,
        path=str(path),
        sha256=loaded.sha256,
        meta=meta,
        text=cleaned.text,
        chunks=chunks,
        is_update=existing is not None,
        stale_ids=stale,
    )


def ingest_paths(
    paths: Sequence[Path],
    *,
    visibility: str,
    settings: Settings,
    registry: Registry,
    index: SearchBackend,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Ingest files and folders; see the module docstring for the failure guarantees."""
    check_visibility(visibility)
    report = IngestReport()
    files = _expand(paths, report)
    prepared: list[_Prepared] = []
    seen: dict[str, str] = {}
    for i, path in enumerate(files, 1):
        if progress:
            progress(i - 1, len(files), f"{STAGE_FILES} {path.name}")
        try:
            if path.name in seen:
                raise DocumentError(str(path), f"与同批的 {seen[path.name]} 同名：文档以文件名区分，请改名后再入库。")
            item = _prepare(path, visibility, settings, registry)
        except DocumentError as exc:
            log.warning("skipped %s: %s", path, exc.reason)
            report.failed.append((str(path), exc.reason))
            continue
        except Exception as exc:  # a parser bug must not stop the batch
            log.exception("unexpected error reading %s", path)
            report.failed.append((str(path), f"读取失败（{type(exc).__name__}: {exc}）：请检查文件是否完整。"))
            continue
        seen[path.name] = str(path)
        if item is None:
            report.unchanged += 1
        else:
            prepared.append(item)
    if progress:
        progress(len(files), len(files), STAGE_FILES)
    if not prepared:
        return report

    records = [chunk_record(c, p.meta, visibility) for p in prepared for c in p.chunks]
    stale = [i for p in prepared for i in p.stale_ids]

    def on_embedded(done: int) -> None:
        if progress:
            progress(done, len(records), STAGE_EMBED)

    # Index first (in memory), then persist both; the registry write is one transaction.
    index.add(records, progress=on_embedded)
    if stale:
        index.delete(stale)
    index.save()
    with registry.transaction() as conn:
        for p in prepared:
            Registry.put(
                conn,
                source=p.source,
                sha256=p.sha256,
                meta=p.meta,
                visibility=visibility,
                path=p.path,
                text=p.text,
                chunks=p.chunks,
            )
    for p in prepared:
        report.sources.append(p.source)
        report.chunks += len(p.chunks)
        if p.is_update:
            report.updated += 1
        else:
            report.added += 1
    return report
