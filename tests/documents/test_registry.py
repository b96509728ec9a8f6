"""The registry: documents keyed by path, chunk ids in position order, the generation, schema-1 migration."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from rag.documents.registry import Registry
from rag.documents.registry_sqlite import SQLiteRegistry
from rag.errors import AmbiguousDocumentError
from rag.models import Chunk, DocMeta


def _chunks(doc: str, n: int) -> list[Chunk]:
    return [Chunk(id=f"{doc}-{i}", source=doc, position=i, text=f"第{i}段", index_text=f"第{i}段") for i in range(n)]


def _put(registry: Registry, doc: str, sha: str, n: int, visibility: str = "public") -> None:
    with registry.transaction() as conn:
        chunks = list(reversed(_chunks(doc, n)))  # stored out of order: reads sort by position
        Registry.put(
            conn,
            source=doc.rsplit("/", 1)[-1],
            sha256=sha,
            meta=DocMeta(title=doc, issuer="铜梁区"),
            visibility=visibility,
            path=doc,
            text="全文",
            chunks=chunks,
            origin=f"/data/{doc}",
        )
        Registry.commit_generation(conn)


def test_reads_give_each_document_its_own_chunks_in_order(tmp_path: Path) -> None:
    registry = SQLiteRegistry(tmp_path / "registry.sqlite3")
    for doc, sha, n in (("c/b.txt", "sha-b", 3), ("c/a.txt", "sha-a", 2), ("c/empty.txt", "sha-e", 0)):
        _put(registry, doc, sha, n)

    docs = registry.all()
    assert [d.path for d in docs] == ["c/a.txt", "c/b.txt", "c/empty.txt"]
    assert [d.source for d in docs] == ["a.txt", "b.txt", "empty.txt"]
    assert [d.chunk_ids for d in docs] == [("c/a.txt-0", "c/a.txt-1"), ("c/b.txt-0", "c/b.txt-1", "c/b.txt-2"), ()]
    assert all(d.text == "" for d in docs) and docs[0].meta.issuer == "铜梁区"

    one = registry.get("c/b.txt")
    assert one is not None and one.chunk_ids == ("c/b.txt-0", "c/b.txt-1", "c/b.txt-2") and one.text == ""
    with_text = registry.get("c/b.txt", with_text=True)
    assert with_text is not None and with_text.text == "全文"
    twin = registry.find_by_sha("sha-a")
    assert twin is not None and twin.path == "c/a.txt" and twin.origin == "/data/c/a.txt"
    assert registry.get("missing.txt") is None and registry.find_by_sha("nope") is None
    assert registry.generation() == 3 and registry.index_generation() == 3
    registry.close()


def test_a_shared_file_name_resolves_by_path_and_lists_candidates(tmp_path: Path) -> None:
    registry = SQLiteRegistry(tmp_path / "registry.sqlite3")
    _put(registry, "public/通知.txt", "sha-1", 1)
    _put(registry, "internal/通知.txt", "sha-2", 1, "internal")
    _put(registry, "public/only.txt", "sha-3", 1)
    assert [d.path for d in registry.resolve("通知.txt")] == ["internal/通知.txt", "public/通知.txt"]
    assert [d.path for d in registry.resolve("internal/通知.txt")] == ["internal/通知.txt"]
    assert [d.path for d in registry.resolve("only.txt")] == ["public/only.txt"]
    assert registry.resolve("nothing.txt") == []
    assert registry.visibility_map() == {
        "public/通知.txt": "public",
        "internal/通知.txt": "internal",
        "public/only.txt": "public",
    }
    err = AmbiguousDocumentError("通知.txt", ["internal/通知.txt", "public/通知.txt"])
    assert "internal/通知.txt" in str(err) and "路径" in str(err)
    registry.close()


def test_mark_dirty_is_visible_until_the_commit(tmp_path: Path) -> None:
    registry = SQLiteRegistry(tmp_path / "registry.sqlite3")
    _put(registry, "c/a.txt", "sha-a", 1)
    registry.mark_index_dirty()
    assert registry.index_generation() == -1 and registry.generation() == 1
    with registry.transaction() as conn:
        assert Registry.commit_generation(conn) == 2
    assert registry.index_generation() == 2
    registry.close()


def test_schema_one_home_migrates_and_old_rows_keep_working(tmp_path: Path) -> None:
    path = tmp_path / "registry.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE documents (source TEXT PRIMARY KEY, sha256 TEXT NOT NULL, meta TEXT NOT NULL,
            visibility TEXT NOT NULL, path TEXT NOT NULL DEFAULT '', ingested_at TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '');
        CREATE INDEX documents_sha ON documents(sha256);
        CREATE TABLE chunks (id TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES documents(source) ON DELETE CASCADE,
            position INTEGER NOT NULL, text TEXT NOT NULL, index_text TEXT NOT NULL,
            heading_path TEXT NOT NULL DEFAULT '[]', start INTEGER NOT NULL DEFAULT 0, end INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX chunks_source ON chunks(source, position);
        """
    )
    meta = json.dumps({"title": "旧文档", "doc_type": "通知"}, ensure_ascii=False)
    conn.execute(
        "INSERT INTO documents VALUES (?,?,?,?,?,?,?)",
        ("old.txt", "sha-old", meta, "internal", "corpus/old.txt", "2024-01-01T00:00:00+00:00", "旧全文"),
    )
    conn.execute("INSERT INTO chunks VALUES ('c1', 'old.txt', 0, '第一段', '第一段', '[]', 0, 3)")
    conn.commit()
    conn.close()

    registry = SQLiteRegistry(path)
    doc = registry.get("old.txt", with_text=True)
    assert doc is not None and doc.source == "old.txt" and doc.visibility == "internal" and doc.text == "旧全文"
    assert doc.chunk_ids == ("c1",) and Path(doc.origin).is_absolute() and doc.origin.endswith("corpus/old.txt")
    assert registry.resolve("old.txt")[0].path == "old.txt"
    assert registry.index_generation() == -1  # the index's records lack the new fields: the next writer refreshes
    assert [c.source for c in registry.chunks("old.txt")] == ["old.txt"]
    registry.close()
    SQLiteRegistry(path).close()  # opening a migrated home again changes nothing


def test_transaction_rolls_back_everything(tmp_path: Path) -> None:
    registry = SQLiteRegistry(tmp_path / "registry.sqlite3")
    with pytest.raises(RuntimeError), registry.transaction() as conn:
        Registry.put(
            conn,
            source="a.txt",
            sha256="s",
            meta=DocMeta(title="a"),
            visibility="public",
            path="c/a.txt",
            text="",
            chunks=_chunks("c/a.txt", 2),
        )
        Registry.commit_generation(conn)
        raise RuntimeError("crash")
    assert len(registry) == 0 and registry.generation() == 0 and registry.chunk_ids() == set()
    registry.close()
