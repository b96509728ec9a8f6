"""A facade fake for drafting: documents with places, a keyword search, and an answerer that quotes."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.records import Filter, Hit
from rag.models import Answer, Citation, DocMeta, DocumentRecord


@dataclass
class FakeFacade:
    """docs: source -> (title, issuer, region, text). ``answers``: ask substring -> (sentence, source)."""

    docs_by_source: dict[str, tuple[str, str, str | None, str]]
    answers: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    asked: list[tuple[str, Filter | None]] = field(default_factory=list)

    def docs(self) -> list[DocumentRecord]:
        return [
            DocumentRecord(source, sha256=f"sha-{source}", meta=DocMeta(title=t, issuer=i, region=r),
                           visibility="public", chunk_ids=(f"{source}#0",))
            for source, (t, i, r, _) in self.docs_by_source.items()
        ]  # fmt: skip

    def document_text(self, source: str) -> str:
        return self.docs_by_source[source][3]

    def _hit(self, source: str) -> Hit:
        title, _, region, text = self.docs_by_source[source]
        meta = {"source": source, "title": title, "region": region, "display_text": text, "position": 0}
        return Hit(id=f"{source}#0", score=1.0, text=text, meta=meta)

    def search(self, query: str, k: int | None = None, flt: Filter | None = None, audience: str = "staff") -> list[Hit]:
        allowed = set(flt.equals["source"]) if flt is not None and "source" in flt.equals else None
        hits = [
            self._hit(s)
            for s, (_, _, _, text) in self.docs_by_source.items()
            if (allowed is None or s in allowed) and any(ch in text for ch in query if "\u4e00" <= ch <= "\u9fff")
        ]
        return hits[: k or 5]

    def ask(self, question: str, flt: Filter | None) -> Answer:
        """Every configured sentence whose key occurs in the question, cited to its source; the filter is NOT
        applied here on purpose, so the drafting layer's own scope check is exercised."""
        self.asked.append((question, flt))
        picked = [pair for key, pairs in self.answers.items() if key in question for pair in pairs]
        if not picked:
            return Answer(answer="抱歉，现有文件中没有找到能回答这个问题的内容。", refused=True)
        citations = []
        sentences = []
        for n, (sentence, source) in enumerate(picked, 1):
            hit = self._hit(source)
            citations.append(
                Citation(n, hit.id, source, self.docs_by_source[source][0], sentence, hit.text, dict(hit.meta))
            )
            sentences.append(f"{sentence.rstrip('。')}[{n}]。")
        return Answer(answer="".join(sentences), refused=False, citations=tuple(citations))
