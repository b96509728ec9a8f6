"""The registry's reads: chunk ids per document in position order, text only when asked for."""

from __future__ import annotations

from pathlib import Path

from rag.documents.registry import Registry
from rag.models import Chunk, DocMeta


def _chunks(source: str, n: int) -> list[Chunk]:
    return [
        Chunk(id=f"{source}-{i}", source=source, position=i, text=f"第{i}段", index_text=f"第{i}段") for i in range(n)
    ]


def test_reads_give_each_document_its_own_chunks_in_order(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "registry.sqlite3")
    with registry.transaction() as conn:
        for source, sha, n in (("b.txt", "sha-b", 3), ("a.txt", "sha-a", 2), ("empty.txt", "sha-e", 0)):
            chunks = list(reversed(_chunks(source, n)))  # stored out of order: reads sort by position
            meta = DocMeta(title=source, issuer="铜梁区")
            Registry.put(
                conn, source=source, sha256=sha, meta=meta, visibility="public", path="", text="全文", chunks=chunks
            )

    docs = registry.all()
    assert [d.source for d in docs] == ["a.txt", "b.txt", "empty.txt"]
    assert [d.chunk_ids for d in docs] == [("a.txt-0", "a.txt-1"), ("b.txt-0", "b.txt-1", "b.txt-2"), ()]
    assert all(d.text == "" for d in docs) and docs[0].meta.issuer == "铜梁区"

    one = registry.get("b.txt")
    assert one is not None and one.chunk_ids == ("b.txt-0", "b.txt-1", "b.txt-2") and one.text == ""
    with_text = registry.get("b.txt", with_text=True)
    assert with_text is not None and with_text.text == "全文"
    twin = registry.find_by_sha("sha-a")
    assert twin is not None and twin.source == "a.txt" and twin.chunk_ids == ("a.txt-0", "a.txt-1")
    assert registry.get("missing.txt") is None and registry.find_by_sha("nope") is None
    registry.close()
