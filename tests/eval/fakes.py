"""A deterministic stand-in for rag.assistant.Assistant: fixed chunks, fixed answers per question."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from index.embedder import Embedder
from index.records import Hit, Record
from index.textnorm import fold_for_match
from rag.models import Answer, Citation
from rag.settings import Settings

CHUNKS = {
    "c1": ("000.txt", "2023年,全年规上工业总产值实现757.2亿元,工业增加值增长3.3%"),
    "c2": ("000.txt", "工业投资增长24.9%,新型储能产业集群成功上榜"),
    "c3": ("002.txt", "到2027年,新型储能产业产值力争突破30亿元"),
    "c4": ("004.txt", "2021年,示範區承接東部地區產業轉移項目347個"),
}


def _record(cid: str) -> Record:
    source, text = CHUNKS[cid]
    return Record(cid, text, {"source": source, "display_text": text, "title": source})


class FakeAssistant:
    """search ranks chunks by shared characters with the query; ask replays scripted answers."""

    def __init__(
        self, home: Path, answers: Mapping[str, tuple[str, bool, Sequence[str]]], embedder: Embedder | None = None
    ) -> None:
        self.settings = Settings(home=home, embed_model="none", llm_api_key="sk-test-secret")
        self.embedder = embedder
        self.answers = answers
        self.searched: list[str] = []

    def all_chunks(self) -> list[Record]:
        return [_record(cid) for cid in CHUNKS]

    def search(self, query: str, k: int | None = None, flt: Any = None, audience: str = "staff") -> list[Hit]:
        self.searched.append(query)
        q = set(fold_for_match(query))
        scored = sorted(CHUNKS, key=lambda cid: (-len(q & set(fold_for_match(CHUNKS[cid][1]))), cid))
        return [Hit(cid, 1.0 / (i + 1), CHUNKS[cid][1], _record(cid).meta) for i, cid in enumerate(scored[: k or 5])]

    def ask(
        self, question: str, history: Sequence[tuple[str, str]] = (), audience: str = "citizen", flt: Any = None
    ) -> Answer:
        if question not in self.answers:
            raise RuntimeError("scripted failure")
        text, refused, cited = self.answers[question]
        citations = tuple(
            Citation(n=i + 1, chunk_id=cid, source=CHUNKS[cid][0], title="", quote="", passage=CHUNKS[cid][1])
            for i, cid in enumerate(cited)
        )
        return Answer(text, refused, citations, timings_ms={"retrieve": 10.0, "generate": 30.0})

    def index_manifest(self) -> dict[str, Any]:
        return {"format_version": 1, "embed_model": "none", "chunks": len(CHUNKS)}
