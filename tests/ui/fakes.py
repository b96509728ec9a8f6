"""A deterministic stand-in for rag.assistant.Assistant, with just the calls the UI makes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.records import Filter, Hit
from rag.drafting import Part, ReplyDraft, Statement, Suggestion
from rag.errors import RagError
from rag.events import ChainEvent, CitationEvent, DoneEvent, DroppedEvent, RefusalEvent, TokenEvent
from rag.models import Answer, Citation, DocMeta, DocumentRecord

TITLE = "重庆市铜梁区经济和信息化委员会关于区第十八届人民代表大会第四次第126号建议的复函"
SOURCE = "000_d5e02e9cc017770c.txt"
PASSAGE = "2023年，全区规上工业总产值实现757.2亿元、增长10.3%。"
QUOTE = "规上工业总产值实现757.2亿元"
DOC_TEXT = "前文说明。" * 20 + PASSAGE + "后文说明。" * 20
REFUSAL = "抱歉，现有文件中没有找到能回答这个问题的内容。"


def citation(n: int = 1, visibility: str = "public", source: str = SOURCE) -> Citation:
    return Citation(
        n=n,
        chunk_id=f"chunk-{source}-{n}",
        source=source,
        title=TITLE,
        quote=QUOTE,
        passage=PASSAGE,
        meta={
            "doc_number": "铜经信函〔2024〕54号",
            "issuer": "重庆市铜梁区经济和信息化委员会",
            "date": "2024-06-04",
            "visibility": visibility,
        },
    )


@dataclass
class FakeReport:
    added: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": 0,
            "unchanged": 0,
            "failed": [{"path": p, "error": e} for p, e in self.failed],
            "chunks": self.added,
        }


class FakeAssistant:
    """Answers the 757.2 question, refuses anything about 北京, raises on 'boom' (questions and drafts)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[tuple[str, str], ...], str]] = []
        self.searches: list[tuple[str, int | None, Filter | None, str]] = []
        self.documents: dict[str, DocumentRecord] = {
            SOURCE: DocumentRecord(
                source=SOURCE,
                sha256="x",
                meta=DocMeta(
                    title=TITLE, doc_number="铜经信函〔2024〕54号", issuer="铜梁区经济信息委", date="2024-06-04"
                ),
                visibility="public",
                chunk_ids=("a", "b"),
                text=DOC_TEXT,
            )
        }
        self.internal_citation = False
        self.dropped = False
        self.draft_regions: list[str] = []
        self.exported: list[Path] = []
        self.exported_texts: list[str] = []

    def stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        audience: str = "citizen",
        flt: Filter | None = None,
    ) -> Iterator[ChainEvent]:
        self.calls.append((question, tuple(history), audience))
        if "boom" in question:
            raise RagError("后端不可用：请检查 RAG_LLM_BASE_URL。")
        if "北京" in question:
            yield RefusalEvent(text=REFUSAL, reason="no_evidence")
            yield DoneEvent(Answer(answer=REFUSAL, refused=True, question=question))
            return
        cites = [citation(1)]
        if self.internal_citation:
            cites.append(citation(2, visibility="internal", source="secret.txt"))
        yield TokenEvent("2023年规上工业总产值")
        yield TokenEvent("757.2亿元[1]。")
        for c in cites:
            yield CitationEvent(c)
        if self.dropped:
            yield DroppedEvent(sentence="增长99%[1]。", reason="figure not in passage")
        text = "2023年规上工业总产值757.2亿元[1]。"
        yield DoneEvent(Answer(answer=text, refused=False, citations=tuple(cites), question=question))

    def search(self, query: str, k: int | None = None, flt: Filter | None = None, audience: str = "staff") -> list[Hit]:
        self.searches.append((query, k, flt, audience))
        hits = []
        for doc in self.documents.values():
            meta = {**doc.meta.to_dict(), "source": doc.source, "visibility": doc.visibility, "display_text": doc.text}
            if (flt is None or flt.matches(meta)) and query in doc.text:
                hits.append(Hit(id=doc.source, score=1.0, text=doc.text, meta=meta))
        return hits[: k or 5]

    def ingest(
        self, paths: Sequence[Path], visibility: str | None = None, progress: Any = None, *, upload: bool = False
    ) -> FakeReport:
        report = FakeReport()
        for i, path in enumerate(paths, start=1):
            if progress:
                progress(i, len(paths), "读取文件")
            if path.suffix != ".txt":
                report.failed.append((str(path), "不支持的文件类型"))
                continue
            text = path.read_text(encoding="utf-8")
            old = self.documents.get(path.name)
            self.documents[path.name] = DocumentRecord(
                source=path.name,
                sha256="y",
                meta=DocMeta(title=path.stem),
                visibility=visibility or (old.visibility if old is not None else "public"),
                chunk_ids=("c",),
                text=text,
            )
            report.added += 1
        return report

    def docs(self) -> list[DocumentRecord]:
        return list(self.documents.values())

    def docs_page(
        self, offset: int = 0, limit: int | None = 50, visibility: str | None = None
    ) -> tuple[list[DocumentRecord], int]:
        docs = sorted(
            (d for d in self.documents.values() if visibility is None or d.visibility == visibility),
            key=lambda d: d.path or d.source,
        )
        return docs[offset : None if limit is None else offset + limit], len(docs)

    def doc_count(self, visibility: str | None = None) -> int:
        return self.docs_page(0, None, visibility)[1]

    def doc_facets(self) -> dict[str, list[str]]:
        docs = self.documents.values()
        return {
            "issuer": sorted({d.meta.issuer for d in docs if d.meta.issuer}),
            "doc_number": sorted({d.meta.doc_number for d in docs if d.meta.doc_number}),
            "region": sorted({d.meta.region for d in docs if d.meta.region}),
        }

    def remove(self, sources: Sequence[str]) -> list[str]:
        return [s for s in sources if self.documents.pop(s, None) is not None]

    def set_visibility(self, source: str, visibility: str) -> None:
        doc = self.documents[source]
        self.documents[source] = DocumentRecord(
            source=doc.source,
            sha256=doc.sha256,
            meta=doc.meta,
            visibility=visibility,
            chunk_ids=doc.chunk_ids,
            text=doc.text,
        )

    def document_text(self, source: str) -> str:
        if source not in self.documents:
            raise RagError(f"没有名为 {source} 的文档。")
        return self.documents[source].text

    def draft_reply(
        self, suggestion: Suggestion | str, deputy: str = "", issuer: str = "", region: str = ""
    ) -> ReplyDraft:
        if isinstance(suggestion, str):
            suggestion = Suggestion(title=suggestion, deputy=deputy, office=issuer, region=region)
        self.draft_regions.append(suggestion.region)
        if "boom" in suggestion.title:
            raise RagError("后端不可用：请检查 RAG_LLM_BASE_URL。")
        statement = Statement("2023年规上工业总产值757.2亿元[1]。", (1,), suggestion.topic())
        part = Part(f"关于{suggestion.topic()}", (statement,))
        return ReplyDraft(suggestion, (part,), (), (citation(1),))

    def export_reply_docx(self, draft: ReplyDraft | str, path: Path) -> Path:
        self.exported_texts.append(draft if isinstance(draft, str) else draft.text())
        path.write_bytes(b"docx")
        self.exported.append(path)
        return path
