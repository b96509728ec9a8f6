"""The facade as a LangChain retriever keeps the citizen visibility rule."""

from __future__ import annotations

from pathlib import Path

from index.base import IndexConfig
from index.embedders import FakeEmbedder
from index.hybrid import HybridIndex
from index.records import Filter, Record
from rag.lc_retriever import RagRetriever
from rag.retrieval import Retriever


def test_citizen_langchain_retriever_never_returns_internal_documents(tmp_path: Path) -> None:
    index = HybridIndex(tmp_path / "idx", FakeEmbedder(dim=64), IndexConfig())
    index.add(
        [
            Record("pub", "储能 补贴 标准 公开", {"visibility": "public", "display_text": "公开文件：储能补贴标准。"}),
            Record("int", "储能 补贴 标准 内部 绝密", {"visibility": "internal", "display_text": "内部：储能补贴。"}),
        ]
    )
    facade = Retriever(index, 5)
    citizen = RagRetriever(retriever=facade, k=5, audience="citizen", flt=Filter(equals={"visibility": ["internal"]}))
    docs = citizen.invoke("储能补贴标准 内部")
    assert [d.metadata["chunk_id"] for d in docs] == ["pub"]
    assert docs[0].page_content == "公开文件：储能补贴标准。"
    staff = RagRetriever(retriever=facade, k=5, audience="staff")
    assert {d.metadata["chunk_id"] for d in staff.invoke("储能补贴标准 内部")} == {"pub", "int"}
