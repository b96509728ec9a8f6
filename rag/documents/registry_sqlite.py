"""The registry in one SQLite file in RAG_HOME (the default): WAL, so readers never wait for the writer.

Only connecting, migrating old homes and transactions live here; the queries are the shared ones in
``rag.documents.registry``. Writers on one machine are kept apart by RAG_HOME's lock file, so this
backend needs no lock of its own.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rag.documents.registry import META_COLUMNS, SCHEMA, SCHEMA_VERSION, Registry, Tx, newer_schema_error
from rag.errors import RagError

# Schema 1 (before document ids): documents keyed by the bare file name, chunks by ``source``.
_MIGRATE_FROM_1 = """
ALTER TABLE documents RENAME TO documents_v1;
ALTER TABLE chunks RENAME TO chunks_v1;
DROP INDEX IF EXISTS documents_sha;
DROP INDEX IF EXISTS chunks_source;
{schema}
INSERT INTO documents(path, source, origin, sha256, meta, visibility, ingested_at, text)
    SELECT source, source, path, sha256, meta, visibility, ingested_at, text FROM documents_v1;
INSERT INTO chunks(id, doc, position, text, index_text, heading_path, start, "end")
    SELECT id, source, position, text, index_text, heading_path, start, "end" FROM chunks_v1;
DROP TABLE chunks_v1;
DROP TABLE documents_v1;
UPDATE state SET value = -1 WHERE key = 'index_generation';
"""


class SQLiteRegistry(Registry):
    """Documents and chunks in RAG_HOME/registry.sqlite3."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.where = str(path)
        try:
            conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=60)
            conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as exc:
            raise RagError(f"登记库 {path} 无法打开（{exc}）：请检查文件权限，或换一个 RAG_HOME。") from exc
        conn.execute("PRAGMA foreign_keys=ON")
        self._conn = conn
        self._tx = Tx(conn, "?")
        self._migrate()

    def _migrate(self) -> None:
        """Create the schema, or bring an older home up to date.

        Schema 1 (documents keyed by file name): old rows keep working, their id is their old file name,
        their ``origin`` the path they were ingested from, and the index is marked stale so the next writer
        refreshes its metadata. Schema 2: the filterable metadata fields become columns."""
        user_version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
        if user_version > SCHEMA_VERSION:
            raise newer_schema_error(self.where, user_version)
        cols = {r[1] for r in self._conn.execute("PRAGMA table_info(documents)")}
        if cols and "region" in cols:
            self._check_not_newer()
            if user_version == SCHEMA_VERSION:
                return
        if cols and "origin" not in cols:
            self._conn.execute("PRAGMA foreign_keys=OFF")
            script = _MIGRATE_FROM_1.format(schema=SCHEMA)
            self._conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nCOMMIT;")
            self._conn.execute("PRAGMA foreign_keys=ON")
            # old paths were stored as given (maybe relative to the working folder of that run)
            rows = self._conn.execute("SELECT path, origin FROM documents WHERE origin != ''").fetchall()
            with self.transaction() as tx:
                for doc, origin in rows:
                    tx.execute("UPDATE documents SET origin=? WHERE path=?", (os.path.abspath(origin), doc))
        with self.transaction() as tx:
            have = {r[1] for r in tx.execute("PRAGMA table_info(documents)").fetchall()}
            for column in META_COLUMNS:
                if have and column not in have:
                    tx.execute(f"ALTER TABLE documents ADD COLUMN {column} TEXT")
            self._create_schema(tx)
            if cols and "region" not in cols:
                self._fill_meta_columns(tx)
        self._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """All-or-nothing writes: a failed ingest leaves the registry as it was."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._tx
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            self._conn.execute("COMMIT")
