"""The one LangChain retriever: langchain-tests' standard suite, display text as content, per-call k and
filters, and the citizen visibility rule that no invoke argument can widen."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
from langchain_core.retrievers import BaseRetriever
from langchain_tests.integration_tests import RetrieversIntegrationTests

from index.base import IndexConfig
from index.embedders import FakeEmbedder
from index.hybrid import HybridIndex
from index.records import Filter, Record
from rag.lc_retriever import RagRetriever
from rag.retrieval import Retriever

RECORDS = [
    Record(
        f"r{i}",
        f"铜梁区 储能 产业 第{i}段 规上工业总产值",
        {"visibility": "public", "region": "铜梁区" if i % 2 else "合川区", "display_text": f"第{i}段：儲能產業。"},
    )
    for i in range(6)
] + [
    Record("int", "铜梁区 储能 产业 内部 绝密", {"visibility": "internal", "region": "铜梁区", "display_text": "内部"})
]


_TMP = TemporaryDirectory(prefix="lc-retriever-")  # removed when the test process exits


@cache
def facade() -> Retriever:
    index = HybridIndex(Path(_TMP.name) / "idx", FakeEmbedder(dim=32), IndexConfig())
    index.add(RECORDS)
    return Retriever(index, 5)


class TestRagRetrieverStandard(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[BaseRetriever]:
        return RagRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"retriever": facade(), "audience": "citizen"}

    @property
    def retriever_query_example(self) -> str:
        return "储能产业"


def test_page_content_is_display_text_and_index_text_is_in_metadata() -> None:
    docs = RagRetriever(retriever=facade(), k=2).invoke("储能产业")
    assert docs[0].page_content.startswith("第") and "儲能" in docs[0].page_content
    assert "储能" in docs[0].metadata["index_text"] and "display_text" not in docs[0].metadata
    assert docs[0].metadata["chunk_id"] == docs[0].id and isinstance(docs[0].metadata["score"], float)


def test_k_and_filters_per_call() -> None:
    retriever = RagRetriever(retriever=facade(), k=5)
    assert len(retriever.invoke("储能产业", k=2)) == 2
    docs = retriever.invoke("储能产业", filters={"region": "合川区"})
    assert docs and {d.metadata["region"] for d in docs} == {"合川区"}
    with pytest.raises(TypeError, match="filters="):
        retriever.invoke("储能产业", flt={"region": "合川区"})


def test_citizen_retriever_never_returns_internal_documents() -> None:
    citizen = RagRetriever(retriever=facade(), k=10, filters=Filter(equals={"visibility": ["internal"]}))
    for kwargs in ({}, {"filters": {"visibility": "internal"}}, {"filters": {}}):
        docs = citizen.invoke("储能产业 内部 绝密", **kwargs)
        assert docs and all(d.metadata["visibility"] == "public" for d in docs), kwargs
    staff = RagRetriever(retriever=facade(), k=10, audience="staff")
    assert "int" in {d.id for d in staff.invoke("储能产业 内部 绝密")}


async def test_ainvoke_with_kwargs() -> None:
    docs = await RagRetriever(retriever=facade()).ainvoke("储能产业", k=1, filters={"region": "铜梁区"})
    assert len(docs) == 1 and docs[0].metadata["region"] == "铜梁区"
