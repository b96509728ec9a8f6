from __future__ import annotations

from langchain_core.retrievers import BaseRetriever

from index.hybrid import HybridIndex
from index.langchain_retriever import IndexRetriever
from index.records import Filter


def test_retriever_returns_documents_with_meta(index: HybridIndex) -> None:
    retriever = IndexRetriever(backend=index, k=2)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("规上工业总产值")
    assert len(docs) == 2
    assert docs[0].id == "r0" and docs[0].metadata["id"] == "r0"
    assert docs[0].page_content.startswith("2023年全年规上工业总产值")
    assert docs[0].metadata["ranks"]["bm25"] == 1


def test_retriever_filter_is_fixed(index: HybridIndex) -> None:
    retriever = IndexRetriever(backend=index, k=10, flt=Filter(equals={"visibility": ["public"]}))
    docs = retriever.invoke("市级专精特新企业136家，国家级小巨人11家")
    assert docs and all(d.metadata["visibility"] == "public" for d in docs)
