"""Ingestion: files -> cleaned documents -> chunks -> registry + index, all or nothing per call.

A bad file is recorded in the report and the call goes on. Documents stream through in bounded
batches (prepare, add to the in-memory index, write registry rows), so memory holds one batch of
documents however many files a call names (46k news articles in one ``rag ingest``). All registry
rows of a call go into one transaction, committed only after the index is saved; the registry is
marked "index dirty" first. So a crash or a model error mid-call leaves the registry untouched
(the in-memory index is put back; a crashed process's saved index is repaired by the next writer).
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from index.base import SearchBackend
from index.records import Record
from rag.documents.chunking import chunk_document, metadata_card
from rag.documents.cleaning import clean
from rag.documents.loaders import SUPPORTED_SUFFIXES, LoadLimits, load_file, safe_text, scan_folder
from rag.documents.metadata import extract_meta
from rag.documents.registry import UPLOAD_FOLDER, Registry
from rag.errors import DocumentError, LimitExceededError, RagError
from rag.models import VISIBILITIES, Chunk, DocMeta, DocumentRecord
from rag.safety import escape_citation_markers
from rag.settings import Settings

log = logging.getLogger(__name__)

# progress(done, total, message): the CLI draws a bar from it, the UI a progress indicator.
ProgressCallback = Callable[[int, int, str], None]
STAGE_FILES = "读取文件"
STAGE_EMBED = "向量化文本块"
_MB = 1024 * 1024
BATCH_CHUNKS = 5000  # chunks prepared before they go to the index and the registry (bounds memory)


@dataclass
class IngestReport:
    """The contract's ingest summary, plus ``skipped``: entries left out on purpose, each with its reason."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks: int = 0
    sources: list[str] = field(default_factory=list)  # ids (paths) of the documents added or updated
    skipped: list[tuple[str, str]] = field(default_factory=list)

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
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
        }


class _Skip(Exception):
    """A file left out on purpose (same content as another); reported in ``skipped``, not ``failed``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Candidate:
    """A file to ingest and who it would be: its proposed id and where it is on disk."""

    path: Path
    doc_id: str  # path relative to the parent of the folder (or file) named on the command line
    origin: str  # the real absolute path; ``uploads/<name>`` for staff uploads


@dataclass(frozen=True)
class _Prepared:
    doc_id: str
    source: str
    origin: str
    sha256: str
    meta: DocMeta
    text: str
    chunks: list[Chunk]
    visibility: str
    is_update: bool
    stale_ids: tuple[str, ...]  # chunks of the stored version that the new one no longer has
    replaces: tuple[str, ...] = ()  # ids of stored documents this one takes over (a renamed or moved file)
    visibility_only: bool = False  # same content, explicit new visibility


def check_visibility(visibility: str) -> None:
    """One message for a wrong visibility, wherever it is set (ingest, the CLI, the staff tab)."""
    if visibility not in VISIBILITIES:
        raise RagError(f"可见范围必须是 public 或 internal，收到 {visibility!r}。")


def chunk_record(chunk: Chunk, meta: DocMeta, visibility: str, source: str | None = None) -> Record:
    """The index record of a chunk: its normalised text plus every field search filters on or shows.

    ``chunk.source`` holds the document id (its path); ``source`` in the record is the display name."""
    doc_id = chunk.source
    return Record(
        id=chunk.id,
        text=chunk.index_text,
        meta={
            "source": source if source is not None else PurePosixPath(doc_id).name,
            "path": doc_id,
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


def origin_of(path: Path) -> str:
    """The identity of a file on disk: its real absolute path, as valid text."""
    return os.fsencode(os.path.realpath(path)).decode("utf-8", "backslashreplace")


def _id_parts(parts: Sequence[str]) -> str:
    return "/".join(safe_text(p) for p in parts if p not in ("", "/"))


def _expand(paths: Sequence[Path], report: IngestReport, follow_symlinks: bool, upload: bool) -> list[Candidate]:
    """The files to load with their proposed ids; bad paths, unsupported and skipped entries go into the report."""
    files: list[Candidate] = []
    for p in paths:
        shown = safe_text(str(p))
        try:
            if upload:
                upload_id = f"{UPLOAD_FOLDER}/{safe_text(p.name)}"
                files.append(Candidate(p, upload_id, upload_id))
                continue
            if not os.path.lexists(p):
                report.failed.append((shown, "文件或文件夹不存在：请检查路径。"))
            elif p.is_dir():
                scan = scan_folder(p, follow_symlinks)
                report.skipped.extend(scan.skipped)
                report.failed.extend(
                    (safe_text(str(o)), f"不支持的文件类型 {safe_text(o.suffix) or '(无后缀)'}，已跳过。")
                    for o in scan.unsupported
                )
                base = Path(os.path.abspath(p)).name or "root"
                for f in scan.supported:
                    files.append(Candidate(f, _id_parts([base, *f.relative_to(p).parts]), origin_of(f)))
            elif p.is_file() and p.suffix.lower() not in SUPPORTED_SUFFIXES:
                supported = " ".join(sorted(SUPPORTED_SUFFIXES))
                report.failed.append(
                    (shown, f"不支持的文件类型 {safe_text(p.suffix) or '(无后缀)'}：支持 {supported}。")
                )
            else:
                parent = Path(os.path.abspath(p)).parent.name
                files.append(Candidate(p, _id_parts([parent, p.name]), origin_of(p)))
        except OSError as exc:  # a name too long, a folder without permission...
            report.failed.append((shown, f"无法读取该路径（{exc.strerror or exc}）：请检查路径和权限。"))
    return files


class _Lookup(Protocol):
    """The registry reads that decide who a file is (Registry, or the view of it during a call)."""

    def get(self, doc_id: str, with_text: bool = False) -> DocumentRecord | None: ...
    def find_by_origin(self, origin: str) -> DocumentRecord | None: ...
    def find_by_sha(self, sha256: str) -> DocumentRecord | None: ...
    def chunks(self, doc_id: str | None = None) -> list[Chunk]: ...


def _unique_id(cand: Candidate, registry: _Lookup, claimed: set[str]) -> str:
    """A longer path for a file whose short id another file already holds (same name, other folder)."""
    parts = Path(os.path.abspath(cand.path)).parts
    for n in range(3, len(parts) + 1):
        doc_id = _id_parts(parts[-n:])
        if doc_id not in claimed and registry.get(doc_id) is None:
            return doc_id
    return cand.origin


def _gone(origin: str) -> bool:
    """Whether a stored document's file no longer exists where it was (so a same-content file is its move)."""
    return os.path.isabs(origin) and not os.path.lexists(origin)


def _identify(cand: Candidate, registry: _Lookup, claimed: set[str]) -> tuple[str, DocumentRecord | None]:
    """The id this file is stored under and the stored document it updates, if any."""
    existing = registry.find_by_origin(cand.origin)
    if existing is not None:
        return existing.path, existing
    at_id = registry.get(cand.doc_id)
    if at_id is None and cand.doc_id not in claimed:
        return cand.doc_id, None
    if at_id is not None and cand.doc_id not in claimed and (not at_id.origin or _gone(at_id.origin)):
        return at_id.path, at_id  # the whole folder moved: same relative path, old place gone
    return _unique_id(cand, registry, claimed), None


def _prepare(
    cand: Candidate,
    visibility: str | None,
    settings: Settings,
    registry: _Lookup,
    claimed: set[str],
    batch_shas: dict[str, str],
) -> _Prepared | None:
    """Load, clean, describe and chunk one file; None when it is unchanged."""
    limits = LoadLimits(
        max_bytes=int(settings.max_file_mb * _MB),
        docx_unzipped_bytes=int(settings.max_docx_unzipped_mb * _MB),
        docx_entries=settings.max_docx_entries,
        pdf_pages=settings.max_pdf_pages,
    )
    loaded = load_file(cand.path, limits.max_bytes, limits)
    doc_id, existing = _identify(cand, registry, claimed)
    if existing is not None and existing.sha256 == loaded.sha256:
        if visibility is None or visibility == existing.visibility:
            return None
        return _Prepared(
            doc_id=existing.path,
            source=existing.source,
            origin=cand.origin,
            sha256=existing.sha256,
            meta=existing.meta,
            text="",
            chunks=registry.chunks(existing.path),
            visibility=visibility,
            is_update=True,
            stale_ids=(),
            visibility_only=True,
        )
    if loaded.sha256 in batch_shas:
        raise _Skip(f"与同批的 {batch_shas[loaded.sha256]} 内容完全相同，只保存一份，已跳过。")
    replaces: tuple[str, ...] = ()
    twin = registry.find_by_sha(loaded.sha256)
    if twin is not None and twin.path != doc_id:
        if existing is None and _gone(twin.origin):
            existing, replaces = twin, (twin.path,)  # renamed or moved: keep its visibility
        else:
            raise _Skip(f"与已入库的 {twin.path} 内容完全相同，只保存一份，已跳过。")
    cleaned = clean(loaded)
    cleaned = replace(cleaned, text=escape_citation_markers(cleaned.text))
    meta = extract_meta(loaded, cleaned)
    chunks = chunk_document(doc_id, cleaned.text, meta, settings.chunk_size, settings.chunk_overlap)
    if len(chunks) > settings.max_chunks_per_file:
        raise LimitExceededError(
            safe_text(str(cand.path)),
            f"切分后有 {len(chunks)} 个文本块，超过每个文件 {settings.max_chunks_per_file} 块的上限"
            "（设置 RAG_MAX_CHUNKS_PER_FILE）。请拆分文件，或调高该设置。",
        )
    chunks.append(metadata_card(doc_id, meta, len(chunks)))
    new_ids = {c.id for c in chunks}
    stale = tuple(i for i in existing.chunk_ids if i not in new_ids) if existing is not None else ()
    kept = existing.visibility if existing is not None else "public"
    vis = visibility if visibility is not None else kept
    return _Prepared(
        doc_id=doc_id,
        source=loaded.source,
        origin=cand.origin,
        sha256=loaded.sha256,
        meta=meta,
        text=cleaned.text,
        chunks=chunks,
        visibility=vis,
        is_update=existing is not None,
        stale_ids=stale,
        replaces=replaces,
    )


class _Unclaimed:
    """The registry as ``_prepare`` sees it during a call: documents written earlier in the call are
    not "stored". Batches are written inside one open transaction, so reads see them; a file named
    twice in one call must still be reported as a duplicate of the call, as when it was one batch."""

    def __init__(self, registry: Registry, claimed: set[str]) -> None:
        self._registry = registry
        self._claimed = claimed

    def _visible(self, doc: DocumentRecord | None) -> DocumentRecord | None:
        return None if doc is None or doc.path in self._claimed else doc

    def get(self, doc_id: str, with_text: bool = False) -> DocumentRecord | None:
        return self._visible(self._registry.get(doc_id, with_text))

    def find_by_origin(self, origin: str) -> DocumentRecord | None:
        return self._visible(self._registry.find_by_origin(origin))

    def find_by_sha(self, sha256: str) -> DocumentRecord | None:
        return self._visible(self._registry.find_by_sha(sha256))

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        return self._registry.chunks(doc_id)


def _prepared_batches(
    files: Sequence[Candidate],
    visibility: str | None,
    settings: Settings,
    registry: Registry,
    report: IngestReport,
    progress: ProgressCallback | None,
    batch_chunks: int,
) -> Iterator[list[_Prepared]]:
    """Prepared documents in batches of about ``batch_chunks`` chunks; bad and skipped files go into the report."""
    claimed: set[str] = set()
    batch_shas: dict[str, str] = {}
    view = _Unclaimed(registry, claimed)
    batch: list[_Prepared] = []
    size = 0
    for i, cand in enumerate(files, 1):
        shown = safe_text(str(cand.path))
        if progress:
            progress(i - 1, len(files), f"{STAGE_FILES} {safe_text(cand.path.name)}")
        try:
            item = _prepare(cand, visibility, settings, view, claimed, batch_shas)
        except _Skip as skip:
            log.info("skipped %s: %s", shown, skip.reason)
            report.skipped.append((shown, skip.reason))
            continue
        except DocumentError as exc:
            log.warning("skipped %s: %s", shown, exc.reason)
            report.failed.append((shown, exc.reason))
            continue
        except Exception as exc:  # a parser bug must not stop the batch
            log.exception("unexpected error reading %s", shown)
            report.failed.append((shown, f"读取失败（{type(exc).__name__}: {exc}）：请检查文件是否完整。"))
            continue
        if item is None:
            report.unchanged += 1
            continue
        claimed.add(item.doc_id)
        batch_shas[item.sha256] = shown
        batch.append(item)
        size += len(item.chunks)
        if size >= batch_chunks:
            yield batch
            batch, size = [], 0
    if progress:
        progress(len(files), len(files), STAGE_FILES)
    if batch:
        yield batch


class _IndexUndo:
    """What this call changed in the in-memory index, so a failure can put it back as it was."""

    def __init__(self, index: SearchBackend) -> None:
        self._index = index
        self._added: set[str] = set()
        self._replaced: dict[str, Record] = {}

    def add(self, records: Sequence[Record], progress: Callable[[int], None]) -> None:
        ids = [r.id for r in records]
        for old in self._index.get([i for i in ids if i not in self._added]):
            self._replaced.setdefault(old.id, old)
        self._added.update(ids)
        self._index.add(records, progress=progress)

    def undo(self) -> None:
        try:
            self._index.delete([i for i in self._added if i not in self._replaced])
            if self._replaced:
                self._index.add(list(self._replaced.values()))
        except Exception:  # the registry stays marked "index dirty": the next writer repairs the index
            log.exception("could not restore the in-memory index after a failed ingest")


def _write(conn: Any, p: _Prepared) -> None:
    if p.visibility_only:
        Registry.set_visibility(conn, p.doc_id, p.visibility)
        return
    for old in p.replaces:
        Registry.delete(conn, old)
    Registry.put(
        conn,
        source=p.source,
        sha256=p.sha256,
        meta=p.meta,
        visibility=p.visibility,
        path=p.doc_id,
        text=p.text,
        chunks=p.chunks,
        origin=p.origin,
    )


@dataclass(frozen=True)
class _Written:
    """What the report says about a document once the call is committed (its text and chunks are gone)."""

    doc_id: str
    chunks: int
    is_update: bool


def _count(report: IngestReport, w: _Written) -> None:
    report.sources.append(w.doc_id)
    report.chunks += w.chunks
    if w.is_update:
        report.updated += 1
    else:
        report.added += 1


def ingest_paths(
    paths: Sequence[Path],
    *,
    visibility: str | None,
    settings: Settings,
    registry: Registry,
    index: SearchBackend,
    progress: ProgressCallback | None = None,
    upload: bool = False,
    follow_symlinks: bool | None = None,
    batch_chunks: int = BATCH_CHUNKS,
) -> IngestReport:
    """Ingest files and folders; see the module docstring for the failure guarantees.

    ``visibility`` None keeps a stored document's visibility (new documents are public); the caller
    holds RAG_HOME's write lock. ``upload`` stores files under ``uploads/<name>`` (staff uploads).
    Documents stream through in batches of about ``batch_chunks`` chunks (prepare, index in memory,
    registry rows in the open transaction), so memory holds one batch of documents, not the call's."""
    if visibility is not None:
        check_visibility(visibility)
    report = IngestReport()
    follow = settings.follow_symlinks if follow_symlinks is None else follow_symlinks
    files = _expand(paths, report, follow, upload)
    batches = _prepared_batches(files, visibility, settings, registry, report, progress, max(1, batch_chunks))
    first = next(batches, None)
    if first is None:
        return report

    # The registry says "index dirty" before anything changes, and all registry rows of the call go
    # into one transaction committed after the index is saved: a crash leaves the registry as it was
    # and the next writer repairs the index (which may already hold this call's records).
    registry.mark_index_dirty()
    undo = _IndexUndo(index)
    stale: list[str] = []
    done: list[_Written] = []
    embedded = 0
    known = 0
    saving = False
    try:
        with registry.transaction() as conn:
            for batch in itertools.chain([first], batches):
                records = [chunk_record(c, p.meta, p.visibility, p.source) for p in batch for c in p.chunks]
                known += len(records)

                def on_embedded(n: int, base: int = embedded, total: int = known) -> None:
                    if progress:
                        progress(base + n, total, STAGE_EMBED)

                undo.add(records, on_embedded)
                embedded += len(records)
                for p in batch:
                    _write(conn, p)
                    stale.extend(p.stale_ids)
                done.extend(_Written(p.doc_id, 0 if p.visibility_only else len(p.chunks), p.is_update) for p in batch)
                del records, batch
            if stale:
                index.delete(stale)
            saving = True
            index.save()
            Registry.commit_generation(conn)
    except BaseException:
        if not saving:  # nothing reached the disk: the saved index still matches the registry
            undo.undo()
            with registry.transaction() as conn:
                Registry.commit_generation(conn)  # say so, so the next writer does not repair needlessly
        raise
    for w in done:
        _count(report, w)
    return report
