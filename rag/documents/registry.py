"""The document registry: which documents are stored, their metadata, visibility and chunks.

SQLite, because one file with transactions gives us exact add/replace/remove semantics for free.
The registry also keeps every chunk's text, so the search index can be rebuilt (another embedding
model, a new format) without the original files, and so the two can be reconciled after a crash.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from rag.models import Chunk, DocMeta, DocumentRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    source TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    meta TEXT NOT NULL,
    visibility TEXT NOT NULL,
    path TEXT NOT NULL DEFAULT '',
    ingested_at TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS documents_sha ON documents(sha256);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL REFERENCES documents(source) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    index_text TEXT NOT NULL,
    heading_path TEXT NOT NULL DEFAULT '[]',
    start INTEGER NOT NULL DEFAULT 0,
    end INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source, position);
"""


def _meta_from_json(raw: str) -> DocMeta:
    data = json.loads(raw)
    known = {k: v for k, v in data.items() if k in DocMeta.__dataclass_fields__}
    return DocMeta(**known)


class Registry:
    """Documents and chunks in RAG_HOME/registry.sqlite3."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing writes: a failed ingest leaves the registry as it was."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            self._conn.execute("COMMIT")

    # --- reads -------------------------------------------------------------------------
    def _documents(self, where: str, args: tuple[str, ...], with_text: bool = False) -> list[DocumentRecord]:
        """Documents matching ``where`` with their chunk ids; the full text is read only when asked for."""
        text = "text" if with_text else "''"
        rows = self._conn.execute(
            f"SELECT source, sha256, meta, visibility, path, ingested_at, {text} FROM documents {where}", args
        ).fetchall()
        if not rows:
            return []
        # One query for the chunk ids of all rows, not one per document (the list view reads every document).
        if len(rows) == 1:
            chunk_rows = self._conn.execute(
                "SELECT source, id FROM chunks WHERE source=? ORDER BY position", (rows[0][0],)
            )
        else:
            chunk_rows = self._conn.execute("SELECT source, id FROM chunks ORDER BY source, position")
        ids: dict[str, list[str]] = {}
        for source, chunk_id in chunk_rows:
            ids.setdefault(source, []).append(chunk_id)
        return [
            DocumentRecord(
                source=source,
                sha256=sha,
                meta=_meta_from_json(meta),
                visibility=visibility,
                chunk_ids=tuple(ids.get(source, ())),
                path=path,
                ingested_at=ingested_at,
                text=body,
            )
            for source, sha, meta, visibility, path, ingested_at, body in rows
        ]

    def get(self, source: str, with_text: bool = False) -> DocumentRecord | None:
        found = self._documents("WHERE source=?", (source,), with_text)
        return found[0] if found else None

    def find_by_sha(self, sha256: str) -> DocumentRecord | None:
        found = self._documents("WHERE sha256=? LIMIT 1", (sha256,))
        return found[0] if found else None

    def all(self) -> list[DocumentRecord]:
        return self._documents("ORDER BY source", ())

    def chunks(self, source: str | None = None) -> list[Chunk]:
        sql = "SELECT id, source, position, text, index_text, heading_path, start, end FROM chunks"
        args: tuple[str, ...] = ()
        if source is not None:
            sql += " WHERE source=?"
            args = (source,)
        sql += " ORDER BY source, position"
        return [
            Chunk(
                id=r[0],
                source=r[1],
                position=r[2],
                text=r[3],
                index_text=r[4],
                heading_path=tuple(json.loads(r[5])),
                start=r[6],
                end=r[7],
            )
            for r in self._conn.execute(sql, args)
        ]

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT id FROM chunks")}

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    # --- writes (call inside transaction()) -----------------------------------------------
    @staticmethod
    def put(
        conn: sqlite3.Connection,
        *,
        source: str,
        sha256: str,
        meta: DocMeta,
        visibility: str,
        path: str,
        text: str,
        chunks: Sequence[Chunk],
    ) -> None:
        """Insert or replace a document and all its chunks."""
        conn.execute("DELETE FROM chunks WHERE source=?", (source,))
        conn.execute(
            "INSERT OR REPLACE INTO documents(source, sha256, meta, visibility, path, ingested_at, text)"
            " VALUES (?,?,?,?,?,?,?)",
            (
                source,
                sha256,
                json.dumps(meta.to_dict(), ensure_ascii=False),
                visibility,
                path,
                datetime.now(UTC).isoformat(timespec="seconds"),
                text,
            ),
        )
        conn.executemany(
            "INSERT OR REPLACE INTO chunks(id, source, position, text, index_text, heading_path, start, end)"
            " VALUES (?,?,?,?,?,?,?,?)",
            [
                (
                    c.id,
                    source,
                    c.position,
                    c.text,
                    c.index_text,
                    json.dumps(list(c.heading_path), ensure_ascii=False),
                    c.start,
                    c.end,
                )
                for c in chunks
            ],
        )

    @staticmethod
    def delete(conn: sqlite3.Connection, source: str) -> None:
        conn.execute("DELETE FROM chunks WHERE source=?", (source,))
        conn.execute("DELETE FROM documents WHERE source=?", (source,))

    @staticmethod
    def set_visibility(conn: sqlite3.Connection, source: str, visibility: str) -> None:
        conn.execute("UPDATE documents SET visibility=? WHERE source=?", (visibility, source))
