"""The registry: documents keyed by path, chunk ids in position order, the generation, paging, places.

Every test taking ``open_registry`` runs on SQLite and on PostgreSQL (a throwaway server, tests/documents/conftest);
the schema migrations of old SQLite homes are SQLite-only."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
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


def test_reads_give_each_document_its_own_chunks_in_order(open_registry: Callable[[], Registry]) -> None:
    registry = open_registry()
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


def test_a_shared_file_name_resolves_by_path_and_lists_candidates(open_registry: Callable[[], Registry]) -> None:
    registry = open_registry()
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


def test_mark_dirty_is_visible_until_the_commit(open_registry: Callable[[], Registry]) -> None:
    registry = open_registry()
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


def test_transaction_rolls_back_everything(open_registry: Callable[[], Registry]) -> None:
    registry = open_registry()
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


def _put_meta(registry: Registry, doc: str, *, region: str | None, visibility: str = "public", sha: str = "") -> None:
    with registry.transaction() as conn:
        Registry.put(
            conn,
            source=doc.rsplit("/", 1)[-1],
            sha256=sha or f"sha-{doc}",
            meta=DocMeta(title=f"关于{doc}的通知", issuer=f"{region or '某'}人民政府", region=region, doc_type="通知"),
            visibility=visibility,
            path=doc,
            text=f"{doc} 全文",
            chunks=_chunks(doc, 2),
        )
        Registry.commit_generation(conn)


def test_pages_come_from_the_database_in_id_order_with_the_total(open_registry: Callable[[], Registry]) -> None:
    registry = open_registry()
    regions = ["铜梁区", "合川区", None, "铜梁区", "合川区", "铜梁区", None]
    for i, region in enumerate(regions):
        _put_meta(registry, f"c/{i:02d}.txt", region=region, visibility="internal" if i % 3 == 2 else "public")
    registry.close()

    registry = open_registry()  # what was committed is what another process reads
    first, total = registry.page(0, 3)
    assert total == 7 and [d.path for d in first] == ["c/00.txt", "c/01.txt", "c/02.txt"]
    assert first[1].chunk_ids == ("c/01.txt-0", "c/01.txt-1") and first[1].meta.region == "合川区"
    last, total = registry.page(6, 3)
    assert [d.path for d in last] == ["c/06.txt"] and total == 7
    assert registry.page(10, 3) == ([], 7)
    rest, _ = registry.page(4, None)
    assert [d.path for d in rest] == ["c/04.txt", "c/05.txt", "c/06.txt"]

    public, n_public = registry.page(0, 50, {"visibility": "public"})
    assert n_public == 5 and all(d.visibility == "public" for d in public)
    tongliang, n = registry.page(0, 2, {"region": "铜梁区", "visibility": None})
    assert n == 3 and [d.path for d in tongliang] == ["c/00.txt", "c/03.txt"]
    assert registry.count() == 7 and registry.count({"visibility": "internal"}) == 2
    assert registry.distinct("region") == ["合川区", "铜梁区"]
    assert registry.distinct("region", {"visibility": "internal"}) == ["铜梁区"]  # c/02 has no region, c/05 has
    with pytest.raises(ValueError, match="unknown document filter"):
        registry.page(0, 10, {"meta; DROP TABLE documents": "x"})
    registry.close()


def test_places_are_stored_per_document_version_and_queried(open_registry: Callable[[], Registry]) -> None:
    registry = open_registry()
    for doc, region in (("c/a.txt", "铜梁区"), ("c/b.txt", "合川区"), ("c/n.txt", None)):
        _put_meta(registry, doc, region=region)
    assert [d.path for d in registry.unplaced("v1")] == ["c/a.txt", "c/b.txt", "c/n.txt"]
    registry.record_places(
        "v1",
        {"c/a.txt": ("sha-c/a.txt", "500151"), "c/b.txt": ("sha-c/b.txt", "500117"), "c/n.txt": ("sha-c/n.txt", "")},
    )
    generation = registry.generation()
    assert registry.unplaced("v1") == [] and registry.generation() == generation  # a cache: no write to readers
    assert registry.placed_sources("v1", ["500151", "全国"]) == ["a.txt"]
    assert registry.placed_sources("v1", []) == []
    assert [d.path for d in registry.unplaced("v2")] == ["c/a.txt", "c/b.txt", "c/n.txt"]  # other rules: derive again

    _put_meta(registry, "c/a.txt", region="合川区", sha="sha-new")  # a new version of the document
    assert [d.path for d in registry.unplaced("v1")] == ["c/a.txt"]
    assert registry.placed_sources("v1", ["500151"]) == []  # the old version's place no longer counts
    with registry.transaction() as conn:
        Registry.delete(conn, "c/b.txt")
        Registry.commit_generation(conn)
    registry.record_places("v1", {"c/b.txt": ("sha-c/b.txt", "500117")})  # removed meanwhile: skipped
    assert registry.placed_sources("v1", ["500117"]) == []
    registry.close()


def test_a_registry_from_a_newer_version_is_refused_clearly(open_registry: Callable[[], Registry]) -> None:
    from rag.errors import RagError

    registry = open_registry()
    with registry.transaction() as conn:
        conn.execute("UPDATE state SET value=99 WHERE key='schema_version'")
    registry.close()
    with pytest.raises(RagError, match="结构版本是 99") as err:
        open_registry()
    assert "升级" in str(err.value)


def test_schema_two_home_gets_metadata_columns(tmp_path: Path) -> None:
    path = tmp_path / "registry.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE documents (path TEXT PRIMARY KEY, source TEXT NOT NULL, origin TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL, meta TEXT NOT NULL, visibility TEXT NOT NULL, ingested_at TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '');
        CREATE TABLE chunks (id TEXT PRIMARY KEY, doc TEXT NOT NULL REFERENCES documents(path) ON DELETE CASCADE,
            position INTEGER NOT NULL, text TEXT NOT NULL, index_text TEXT NOT NULL,
            heading_path TEXT NOT NULL DEFAULT '[]', start INTEGER NOT NULL DEFAULT 0, end INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT INTO state VALUES ('generation', 4), ('index_generation', 4);
        PRAGMA user_version=2;
        """
    )
    meta = json.dumps({"title": "旧文档", "region": "铜梁区", "doc_type": "通知"}, ensure_ascii=False)
    conn.execute(
        "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?)",
        ("c/old.txt", "old.txt", "/d/old.txt", "sha", meta, "public", "2024-01-01T00:00:00+00:00", "全文"),
    )
    conn.commit()
    conn.close()

    registry = SQLiteRegistry(path)
    docs, total = registry.page(0, 10, {"region": "铜梁区"})
    assert total == 1 and docs[0].meta.title == "旧文档" and registry.distinct("doc_type") == ["通知"]
    assert registry.generation() == 4 and registry.index_generation() == 4  # nothing to re-index
    registry.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 3


def test_an_unreachable_server_is_named_without_its_password() -> None:
    pytest.importorskip("psycopg")
    import socket

    from rag.documents.registry_postgres import PostgresRegistry, mask_url
    from rag.errors import ConfigError, RagError

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    url = f"postgresql://rag:s3cret@127.0.0.1:{port}/rag"
    assert mask_url(url) == f"postgresql://rag:***@127.0.0.1:{port}/rag"
    with pytest.raises(RagError) as err:
        PostgresRegistry(url, connect_timeout_s=2)
    message = str(err.value)
    assert "s3cret" not in message and f"127.0.0.1:{port}" in message and "RAG_REGISTRY_URL" in message
    assert "PostgreSQL 服务已启动" in message
    with pytest.raises(ConfigError, match="不是 PostgreSQL 地址"):
        PostgresRegistry("mysql://rag@127.0.0.1/rag")


def test_the_setting_picks_the_backend(tmp_path: Path) -> None:
    from rag.documents.registry import open_registry
    from rag.settings import Settings

    registry = open_registry(Settings(home=tmp_path))
    assert isinstance(registry, SQLiteRegistry) and registry.path == tmp_path / "registry.sqlite3"
    registry.close()


def test_a_dropped_server_connection_is_opened_again(pg_url: str) -> None:
    import psycopg

    from rag.documents.registry_postgres import PostgresRegistry

    registry = PostgresRegistry(pg_url)
    _put(registry, "c/a.txt", "sha-a", 1)
    pid = registry._conn.info.backend_pid
    with psycopg.connect(pg_url, autocommit=True) as admin:  # what a server restart or failover does to a session
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert registry.generation() == 1 and [d.path for d in registry.page(0, 5)[0]] == ["c/a.txt"]
    assert registry._conn.info.backend_pid != pid
    registry.close()
