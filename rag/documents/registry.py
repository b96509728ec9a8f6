"""The document registry: which documents are stored, their metadata, visibility and chunks.

SQLite, because one file with transactions gives us exact add/replace/remove semantics for free.
The registry also keeps every chunk's text, so the search index can be rebuilt (another embedding
model, a new format) without the original files, and so the two can be reconciled after a crash.

A document is identified by its ``path``: the file's path relative to the folder it was ingested
from (``corpus/sub/a.txt``), or ``uploads/<name>`` for staff uploads. ``source`` is only the
display name (the bare file name), which two documents may share. ``origin`` is where the file
was on disk (absolute), so re-ingesting the same file by any route updates the same document.

The ``state`` table holds two counters. ``generation`` is bumped by every committed write: readers
(UI, API, CLI) compare it before each query and reload when it moved. ``index_generation`` is the
generation the saved search index reflects; a writer sets it to -1 before saving the index and to the
new generation in the commit, so a crash in between is visible and the next writer repairs the index.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from rag.models import Chunk, DocMeta, DocumentRecord

SCHEMA_VERSION = 2
UPLOAD_FOLDER = "uploads"  # the id folder of staff uploads: uploads/<name> never replaces corpus/<name>

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    path TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL,
    meta TEXT NOT NULL,
    visibility TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS documents_sha ON documents(sha256);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE INDEX IF NOT EXISTS documents_origin ON documents(origin);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL REFERENCES documents(path) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    index_text TEXT NOT NULL,
    heading_path TEXT NOT NULL DEFAULT '[]',
    start INTEGER NOT NULL DEFAULT 0,
    end INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc, position);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO state(key, value) VALUES ('generation', 0), ('index_generation', 0);
"""

# Schema 1 (before document ids): documents keyed by the bare file name, chunks by ``source``.
_MIGRATE_FROM_1 = """
ALTER TABLE documents RENAME TO documents_v1;
ALTER TABLE chunks RENAME TO chunks_v1;
DROP INDEX IF EXISTS documents_sha;
DROP INDEX IF EXISTS chunks_source;
{schema}
INSERT INTO documents(path, source, origin, sha256, meta, visibility, ingested_at, text)
    SELECT source, source, path, sha256, meta, visibility, ingested_at, text FROM documents_v1;
INSERT INTO chunks(id, doc, position, text, index_text, heading_path, start, end)
    SELECT id, source, position, text, index_text, heading_path, start, end FROM chunks_v1;
DROP TABLE chunks_v1;
DROP TABLE documents_v1;
UPDATE state SET value = -1 WHERE key = 'index_generation';
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
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=60)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def _migrate(self) -> None:
        """Create the schema, or bring a schema-1 home (documents keyed by file name) up to date.

        Old rows keep working: their id is their old file name, their ``origin`` the path they were
        ingested from, and the index is marked stale so the next writer refreshes its metadata."""
        cols = {r[1] for r in self._conn.execute("PRAGMA table_info(documents)")}
        if cols and "origin" not in cols:
            self._conn.execute("PRAGMA foreign_keys=OFF")
            script = _MIGRATE_FROM_1.format(schema=_SCHEMA)
            self._conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nCOMMIT;")
            self._conn.execute("PRAGMA foreign_keys=ON")
            # old paths were stored as given (maybe relative to the working folder of that run)
            rows = self._conn.execute("SELECT path, origin FROM documents WHERE origin != ''").fetchall()
            with self.transaction() as conn:
                for doc, origin in rows:
                    conn.execute("UPDATE documents SET origin=? WHERE path=?", (os.path.abspath(origin), doc))
        else:
            self._conn.executescript(_SCHEMA)
        self._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

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

    # --- generation ----------------------------------------------------------------------
    def generation(self) -> int:
        """The number of committed writes; one indexed read, cheap enough to check before every query."""
        row = self._conn.execute("SELECT value FROM state WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def index_generation(self) -> int:
        """The generation the saved index reflects; -1 while (or after a crash while) a writer saves it."""
        row = self._conn.execute("SELECT value FROM state WHERE key='index_generation'").fetchone()
        return int(row[0]) if row else 0

    def mark_index_dirty(self) -> None:
        """Called before the index is saved: until the commit, the index may be ahead of the registry."""
        with self.transaction() as conn:
            conn.execute("UPDATE state SET value=-1 WHERE key='index_generation'")

    @staticmethod
    def commit_generation(conn: sqlite3.Connection) -> int:
        """Bump the generation inside a write transaction and record that the index matches it."""
        conn.execute("UPDATE state SET value=value+1 WHERE key='generation'")
        new = int(conn.execute("SELECT value FROM state WHERE key='generation'").fetchone()[0])
        conn.execute("UPDATE state SET value=? WHERE key='index_generation'", (new,))
        return new

    # --- reads -------------------------------------------------------------------------
    def _documents(self, where: str, args: tuple[str, ...], with_text: bool = False) -> list[DocumentRecord]:
        """Documents matching ``where`` with their chunk ids; the full text is read only when asked for."""
        text = "text" if with_text else "''"
        rows = self._conn.execute(
            f"SELECT path, source, origin, sha256, meta, visibility, ingested_at, {text} FROM documents {where}", args
        ).fetchall()
        if not rows:
            return []
        # One query for the chunk ids of all rows, not one per document (the list view reads every document).
        if len(rows) == 1:
            chunk_rows = self._conn.execute("SELECT doc, id FROM chunks WHERE doc=? ORDER BY position", (rows[0][0],))
        else:
            chunk_rows = self._conn.execute("SELECT doc, id FROM chunks ORDER BY doc, position")
        ids: dict[str, list[str]] = {}
        for doc, chunk_id in chunk_rows:
            ids.setdefault(doc, []).append(chunk_id)
        return [
            DocumentRecord(
                source=source,
                sha256=sha,
                meta=_meta_from_json(meta),
                visibility=visibility,
                chunk_ids=tuple(ids.get(path, ())),
                path=path,
                ingested_at=ingested_at,
                text=body,
                origin=origin,
            )
            for path, source, origin, sha, meta, visibility, ingested_at, body in rows
        ]

    def get(self, doc_id: str, with_text: bool = False) -> DocumentRecord | None:
        """The document with this id (its path), or None."""
        found = self._documents("WHERE path=?", (doc_id,), with_text)
        return found[0] if found else None

    def find_by_origin(self, origin: str) -> DocumentRecord | None:
        found = self._documents("WHERE origin=? LIMIT 1", (origin,)) if origin else []
        return found[0] if found else None

    def find_by_sha(self, sha256: str) -> DocumentRecord | None:
        found = self._documents("WHERE sha256=? ORDER BY path LIMIT 1", (sha256,))
        return found[0] if found else None

    def by_source(self, source: str) -> list[DocumentRecord]:
        """Every document shown under this file name (usually one)."""
        return self._documents("WHERE source=? ORDER BY path", (source,))

    def resolve(self, ref: str) -> list[DocumentRecord]:
        """The documents a user means by ``ref``: an exact id, else a file name, else a path ending.

        More than one result means the reference is ambiguous; the caller lists the candidates."""
        exact = self.get(ref)
        if exact is not None:
            return [exact]
        named = self.by_source(ref)
        if named:
            return named
        tail = ref.strip("/")
        if not tail:
            return []
        escaped = tail.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return self._documents("WHERE path LIKE ? ESCAPE '\\' ORDER BY path", (f"%/{escaped}",))

    def all(self) -> list[DocumentRecord]:
        return self._documents("ORDER BY path", ())

    def visibility_map(self) -> dict[str, str]:
        """Document id -> visibility, for the citizen-side check after every search."""
        return {path: vis for path, vis in self._conn.execute("SELECT path, visibility FROM documents")}

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        sql = "SELECT id, doc, position, text, index_text, heading_path, start, end FROM chunks"
        args: tuple[str, ...] = ()
        if doc_id is not None:
            sql += " WHERE doc=?"
            args = (doc_id,)
        sql += " ORDER BY doc, position"
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
        origin: str = "",
    ) -> None:
        """Insert or replace the document ``path`` (its id) and all its chunks."""
        conn.execute("DELETE FROM chunks WHERE doc=?", (path,))
        conn.execute(
            "INSERT OR REPLACE INTO documents(path, source, origin, sha256, meta, visibility, ingested_at, text)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (
                path,
                source,
                origin,
                sha256,
                json.dumps(meta.to_dict(), ensure_ascii=False),
                visibility,
                datetime.now(UTC).isoformat(timespec="seconds"),
                text,
            ),
        )
        conn.executemany(
            "INSERT OR REPLACE INTO chunks(id, doc, position, text, index_text, heading_path, start, end)"
            " VALUES (?,?,?,?,?,?,?,?)",
            [
                (
                    c.id,
                    path,
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
    def delete(conn: sqlite3.Connection, doc_id: str) -> None:
        conn.execute("DELETE FROM chunks WHERE doc=?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE path=?", (doc_id,))

    @staticmethod
    def set_visibility(conn: sqlite3.Connection, doc_id: str, visibility: str) -> None:
        conn.execute("UPDATE documents SET visibility=? WHERE path=?", (visibility, doc_id))
