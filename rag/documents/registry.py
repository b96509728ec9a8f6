"""The document registry: which documents are stored, their metadata, visibility and chunks.

One schema and one set of queries over two databases: SQLite in RAG_HOME (the default; one file with
transactions gives exact add/replace/remove semantics for free, ``registry_sqlite``) and PostgreSQL
when ``RAG_REGISTRY_URL`` names a server, so several app processes on several machines serve one
corpus (``registry_postgres``). The backends differ only in how they connect, migrate, lock and spell
a parameter; everything else (schema, JSON metadata, generation semantics, paging) lives here once.

The registry also keeps every chunk's text, so the search index can be rebuilt (another embedding
model, a new format) without the original files, and so the two can be reconciled after a crash.

A document is identified by its ``path``: the file's path relative to the folder it was ingested
from (``corpus/sub/a.txt``), or ``uploads/<name>`` for staff uploads. ``source`` is only the
display name (the bare file name), which two documents may share. ``origin`` is where the file
was on disk (absolute), so re-ingesting the same file by any route updates the same document.
The metadata is stored as JSON (every field) and, for the fields lists filter on, as indexed columns.

The ``state`` table holds two counters. ``generation`` is bumped by every committed write: readers
(UI, API, CLI) compare it before each query and reload when it moved. ``index_generation`` is the
generation the saved search index reflects; a writer sets it to -1 before saving the index and to the
new generation in the commit, so a crash in between is visible and the next writer repairs the index.

``doc_places`` caches a value derived from each document version (where a document comes from, for
the drafting scope), keyed by a version of the rules that derived it, so a draft asks one indexed
query instead of reading every document.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from rag.errors import RagError
from rag.models import Chunk, DocMeta, DocumentRecord

if TYPE_CHECKING:
    from rag.settings import Settings

SCHEMA_VERSION = 3
UPLOAD_FOLDER = "uploads"  # the id folder of staff uploads: uploads/<name> never replaces corpus/<name>

# Metadata fields kept as columns too: what lists filter and page on.
META_COLUMNS = ("title", "doc_number", "issuer", "date", "region", "doc_type")
# What ``page`` and ``distinct`` accept as filter keys (anything else is a programming error).
FILTER_COLUMNS = frozenset({"visibility", "source", *META_COLUMNS})

# Portable SQL: both SQLite (>= 3.35) and PostgreSQL read it; ``?`` is rewritten to ``%s`` for psycopg.
# ``"end"`` is quoted because END is reserved in PostgreSQL.
SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    path TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL,
    meta TEXT NOT NULL,
    visibility TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    title TEXT, doc_number TEXT, issuer TEXT, date TEXT, region TEXT, doc_type TEXT
);
CREATE INDEX IF NOT EXISTS documents_sha ON documents(sha256);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE INDEX IF NOT EXISTS documents_origin ON documents(origin);
CREATE INDEX IF NOT EXISTS documents_visibility ON documents(visibility, path);
CREATE INDEX IF NOT EXISTS documents_region ON documents(region);
CREATE INDEX IF NOT EXISTS documents_issuer ON documents(issuer);
CREATE INDEX IF NOT EXISTS documents_doc_type ON documents(doc_type);
CREATE INDEX IF NOT EXISTS documents_doc_number ON documents(doc_number);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL REFERENCES documents(path) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    index_text TEXT NOT NULL,
    heading_path TEXT NOT NULL DEFAULT '[]',
    start INTEGER NOT NULL DEFAULT 0,
    "end" INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc, position);
CREATE TABLE IF NOT EXISTS doc_places (
    path TEXT PRIMARY KEY REFERENCES documents(path) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    version TEXT NOT NULL,
    place TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_places_place ON doc_places(version, place);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO state(key, value) VALUES ('generation', 0), ('index_generation', 0) ON CONFLICT DO NOTHING;
"""

_NO_LIMIT = 2**63 - 1
_DOC_COLUMNS = "path, source, origin, sha256, meta, visibility, ingested_at"


def statements(script: str) -> list[str]:
    """A script as single statements (psycopg runs one at a time with parameters; no ``;`` in our literals)."""
    return [s.strip() for s in script.split(";") if s.strip()]


def meta_from_json(raw: str) -> DocMeta:
    data = json.loads(raw)
    known = {k: v for k, v in data.items() if k in DocMeta.__dataclass_fields__}
    return DocMeta(**known)


def meta_columns(meta: DocMeta) -> tuple[str | None, ...]:
    """The indexed copies of the metadata fields lists filter on ('' is stored as NULL)."""
    return tuple((getattr(meta, name) or None) for name in META_COLUMNS)


def newer_schema_error(where: str, found: int) -> RagError:
    return RagError(
        f"登记库 {where} 的结构版本是 {found}，比本程序支持的 {SCHEMA_VERSION} 新：它由更新版本的 gov-rag 写入。"
        "请升级本程序后再使用它，或换用另一个 RAG_HOME / RAG_REGISTRY_URL。"
    )


def _record(row: Sequence[Any], chunk_ids: tuple[str, ...], text: str = "") -> DocumentRecord:
    """A DocumentRecord from a row of ``_DOC_COLUMNS`` (path, source, origin, sha256, meta, visibility, ingested_at)."""
    path, source, origin, sha, meta, visibility, ingested_at = row
    return DocumentRecord(
        source=source,
        sha256=sha,
        meta=meta_from_json(meta),
        visibility=visibility,
        chunk_ids=chunk_ids,
        path=path,
        ingested_at=ingested_at,
        text=text,
        origin=origin,
    )


class Tx:
    """A write transaction: the one connection and the placeholder its driver wants."""

    def __init__(self, conn: Any, placeholder: str) -> None:
        self.conn = conn
        self._placeholder = placeholder

    def sql(self, query: str) -> str:
        return query if self._placeholder == "?" else query.replace("?", self._placeholder)

    def execute(self, query: str, args: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self.sql(query), tuple(args))

    def executemany(self, query: str, rows: Iterable[Sequence[Any]]) -> None:
        cursor = self.conn.cursor()
        try:
            cursor.executemany(self.sql(query), [tuple(r) for r in rows])
        finally:
            cursor.close()


class Registry:
    """Documents and chunks; the reads and writes every backend shares.

    A backend subclass opens the connection, creates or migrates the schema, and provides
    ``transaction`` and ``write_lock``; it sets ``self._tx`` (autocommit reads go through it) and
    ``self.where`` (how messages name the database, never with a password)."""

    _tx: Tx
    where: str

    # --- backend hooks -------------------------------------------------------------------
    def close(self) -> None:
        self._tx.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """All-or-nothing writes: a failed ingest leaves the registry as it was."""
        raise NotImplementedError
        yield self._tx  # pragma: no cover

    @contextmanager
    def write_lock(self, timeout_s: float, notify: Callable[[str], None] | None = None) -> Iterator[None]:
        """The lock writers hold besides RAG_HOME's lock file; a local file needs nothing more."""
        yield

    def _read(self, query: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._tx.execute(query, args).fetchall()]

    # --- schema (shared by the backends' migrations) -----------------------------------------
    def _create_schema(self, tx: Tx) -> None:
        for statement in statements(SCHEMA):
            tx.execute(statement)
        tx.execute(
            "INSERT INTO state(key, value) VALUES ('schema_version', ?) ON CONFLICT DO NOTHING", (SCHEMA_VERSION,)
        )

    def _schema_version(self) -> int | None:
        """The version recorded in ``state``, or None before schema 3 (which did not record it)."""
        row = self._read("SELECT value FROM state WHERE key='schema_version'")
        return int(row[0][0]) if row else None

    def _check_not_newer(self) -> None:
        found = self._schema_version()
        if found is not None and found > SCHEMA_VERSION:
            raise newer_schema_error(self.where, found)

    @staticmethod
    def _fill_meta_columns(tx: Tx) -> None:
        """Copy the filterable metadata fields out of the JSON (after adding the columns to older rows)."""
        rows = [tuple(r) for r in tx.execute("SELECT path, meta FROM documents").fetchall()]
        tx.executemany(
            f"UPDATE documents SET {', '.join(f'{c}=?' for c in META_COLUMNS)} WHERE path=?",
            [(*meta_columns(meta_from_json(meta)), path) for path, meta in rows],
        )
        tx.execute("UPDATE state SET value=? WHERE key='schema_version'", (SCHEMA_VERSION,))

    # --- generation ----------------------------------------------------------------------
    def generation(self) -> int:
        """The number of committed writes; one indexed read, cheap enough to check before every query."""
        row = self._read("SELECT value FROM state WHERE key='generation'")
        return int(row[0][0]) if row else 0

    def index_generation(self) -> int:
        """The generation the saved index reflects; -1 while (or after a crash while) a writer saves it."""
        row = self._read("SELECT value FROM state WHERE key='index_generation'")
        return int(row[0][0]) if row else 0

    def mark_index_dirty(self) -> None:
        """Called before the index is saved: until the commit, the index may be ahead of the registry."""
        with self.transaction() as tx:
            tx.execute("UPDATE state SET value=-1 WHERE key='index_generation'")

    @staticmethod
    def commit_generation(conn: Tx) -> int:
        """Bump the generation inside a write transaction and record that the index matches it."""
        conn.execute("UPDATE state SET value=value+1 WHERE key='generation'")
        new = int(conn.execute("SELECT value FROM state WHERE key='generation'").fetchone()[0])
        conn.execute("UPDATE state SET value=? WHERE key='index_generation'", (new,))
        return new

    # --- reads -------------------------------------------------------------------------
    def _documents(
        self, where: str, args: Sequence[Any], with_text: bool = False, all_chunks: bool = False
    ) -> list[DocumentRecord]:
        """Documents matching ``where`` with their chunk ids; the full text is read only when asked for.

        Chunk ids come from one query: of the listed documents, or (``all_chunks``, for a listing of every
        document) one pass over the chunk table instead of a long IN list."""
        text = "text" if with_text else "''"
        rows = self._read(f"SELECT {_DOC_COLUMNS}, {text} FROM documents {where}", args)
        if not rows:
            return []
        if all_chunks:
            chunk_rows = self._read("SELECT doc, id FROM chunks ORDER BY doc, position")
        else:
            paths = [r[0] for r in rows]
            marks = ",".join("?" * len(paths))
            chunk_rows = self._read(f"SELECT doc, id FROM chunks WHERE doc IN ({marks}) ORDER BY doc, position", paths)
        ids: dict[str, list[str]] = {}
        for doc, chunk_id in chunk_rows:
            ids.setdefault(doc, []).append(chunk_id)
        return [_record(row[:-1], tuple(ids.get(row[0], ())), text=row[-1]) for row in rows]

    def get(self, doc_id: str, with_text: bool = False) -> DocumentRecord | None:
        """The document with this id (its path), or None."""
        found = self._documents("WHERE path=?", (doc_id,), with_text)
        return found[0] if found else None

    def find_by_origin(self, origin: str) -> DocumentRecord | None:
        found = self._documents("WHERE origin=? ORDER BY path LIMIT 1", (origin,)) if origin else []
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
        """Every document (rebuild, repair, scripts); request paths use ``page`` instead."""
        return self._documents("ORDER BY path", (), all_chunks=True)

    @staticmethod
    def _where(filters: Mapping[str, str | None] | None) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        args: list[Any] = []
        for key, value in sorted((filters or {}).items()):
            if key not in FILTER_COLUMNS:
                raise ValueError(f"unknown document filter {key!r}; known: {sorted(FILTER_COLUMNS)}")
            if value is None:
                continue
            clauses.append(f"{key}=?")
            args.append(value)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", args

    def page(
        self, offset: int = 0, limit: int | None = 50, filters: Mapping[str, str | None] | None = None
    ) -> tuple[list[DocumentRecord], int]:
        """One page of the documents in id order, and how many match in all (``limit`` None: to the end).

        ``filters``: column -> exact value (visibility, source, title, doc_number, issuer, date, region,
        doc_type); None values are ignored. Done in SQL, so a page costs the same at any corpus size."""
        where, args = self._where(filters)
        total = int(self._read(f"SELECT COUNT(*) FROM documents {where}", args)[0][0])
        if limit is not None and limit <= 0:
            return [], total
        # both databases accept LIMIT n OFFSET m; "to the end" is the largest LIMIT both read
        window = f" LIMIT {int(limit) if limit is not None else _NO_LIMIT} OFFSET {max(0, int(offset))}"
        return self._documents(f"{where} ORDER BY path{window}", args), total

    def count(self, filters: Mapping[str, str | None] | None = None) -> int:
        where, args = self._where(filters)
        return int(self._read(f"SELECT COUNT(*) FROM documents {where}", args)[0][0])

    def distinct(self, column: str, filters: Mapping[str, str | None] | None = None) -> list[str]:
        """The distinct non-empty values of a metadata column, sorted (filter choices, from the index on it)."""
        if column not in FILTER_COLUMNS:
            raise ValueError(f"unknown document column {column!r}; known: {sorted(FILTER_COLUMNS)}")
        where, args = self._where(filters)
        where = f"{where} AND" if where else "WHERE"
        rows = self._read(f"SELECT DISTINCT {column} FROM documents {where} {column} IS NOT NULL", args)
        return sorted(str(r[0]) for r in rows if r[0])

    def visibility_map(self) -> dict[str, str]:
        """Document id -> visibility, for the citizen-side check after every search."""
        return {path: vis for path, vis in self._read("SELECT path, visibility FROM documents")}

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        sql = 'SELECT id, doc, position, text, index_text, heading_path, start, "end" FROM chunks'
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
            for r in self._read(sql, args)
        ]

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self._read("SELECT id FROM chunks")}

    def __len__(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM documents")[0][0])

    # --- derived per-document values (the drafting scope's places) ----------------------------
    def unplaced(self, version: str) -> list[DocumentRecord]:
        """Documents with no place derived by rules ``version`` for their current content (no chunk ids)."""
        rows = self._read(
            f"SELECT {', '.join('d.' + c for c in _DOC_COLUMNS.split(', '))} FROM documents d"
            " LEFT JOIN doc_places p ON p.path = d.path AND p.sha256 = d.sha256 AND p.version = ?"
            " WHERE p.path IS NULL ORDER BY d.path",
            (version,),
        )
        return [_record(row, ()) for row in rows]

    def record_places(self, version: str, places: Mapping[str, tuple[str, str]], generation: int | None = None) -> None:
        """Store derived places: document id -> (sha256 it was derived from, place; '' when unknown).

        ``generation``: every document of that generation is now placed (``places_generation`` says so, and
        the next draft skips looking for unplaced documents). A cache, not document data: it does not move
        the generation, and a document removed meanwhile is skipped (its row would have nothing to refer to)."""
        if not places and generation is None:
            return
        with self.transaction() as tx:
            tx.executemany(
                "INSERT INTO doc_places(path, sha256, version, place) SELECT path, ?, ?, ? FROM documents"
                " WHERE path=? ON CONFLICT(path) DO UPDATE SET sha256=excluded.sha256, version=excluded.version,"
                " place=excluded.place",
                [(sha, version, place, path) for path, (sha, place) in places.items()],
            )
            if generation is not None:
                tx.execute(
                    "INSERT INTO state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                    (f"places:{version}", generation),
                )

    def places_generation(self, version: str) -> int:
        """The generation up to which every document has a place by rules ``version`` (-1: never placed)."""
        row = self._read("SELECT value FROM state WHERE key=?", (f"places:{version}",))
        return int(row[0][0]) if row else -1

    def placed_sources(self, version: str, places: Iterable[str]) -> list[str]:
        """File names of the documents whose current content was placed in one of ``places``."""
        wanted = sorted(set(places))
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        rows = self._read(
            "SELECT DISTINCT d.source FROM doc_places p JOIN documents d ON d.path = p.path AND d.sha256 = p.sha256"
            f" WHERE p.version = ? AND p.place IN ({marks})",
            (version, *wanted),
        )
        return sorted(str(r[0]) for r in rows)

    # --- writes (call inside transaction()) -----------------------------------------------
    @staticmethod
    def put(
        conn: Tx,
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
        columns = ("source", "origin", "sha256", "meta", "visibility", "ingested_at", "text", *META_COLUMNS)
        conn.execute(
            f"INSERT INTO documents(path, {', '.join(columns)}) VALUES ({','.join('?' * (len(columns) + 1))})"
            f" ON CONFLICT(path) DO UPDATE SET {', '.join(f'{c}=excluded.{c}' for c in columns)}",
            (
                path,
                source,
                origin,
                sha256,
                json.dumps(meta.to_dict(), ensure_ascii=False),
                visibility,
                datetime.now(UTC).isoformat(timespec="seconds"),
                text,
                *meta_columns(meta),
            ),
        )
        conn.executemany(
            'INSERT INTO chunks(id, doc, position, text, index_text, heading_path, start, "end")'
            " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET doc=excluded.doc, position=excluded.position,"
            " text=excluded.text, index_text=excluded.index_text, heading_path=excluded.heading_path,"
            ' start=excluded.start, "end"=excluded."end"',
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
    def delete(conn: Tx, doc_id: str) -> None:
        conn.execute("DELETE FROM chunks WHERE doc=?", (doc_id,))
        conn.execute("DELETE FROM doc_places WHERE path=?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE path=?", (doc_id,))

    @staticmethod
    def set_visibility(conn: Tx, doc_id: str, visibility: str) -> None:
        conn.execute("UPDATE documents SET visibility=? WHERE path=?", (visibility, doc_id))


def open_registry(settings: Settings) -> Registry:
    """The registry the settings name: PostgreSQL when RAG_REGISTRY_URL is set, else RAG_HOME's SQLite file."""
    if settings.registry_url.strip():
        from rag.documents.registry_postgres import PostgresRegistry

        return PostgresRegistry(settings.registry_url.strip())
    from rag.documents.registry_sqlite import SQLiteRegistry

    return SQLiteRegistry(settings.registry_path)


def registry_exists(settings: Settings) -> bool:
    """Whether there is a registry to read without creating one (a server registry always counts)."""
    return bool(settings.registry_url.strip()) or settings.registry_path.is_file()
