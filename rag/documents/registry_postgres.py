"""The registry on a PostgreSQL server (RAG_REGISTRY_URL), so several app processes serve one corpus.

Only connecting, creating the schema, transactions and the write lock live here; the queries are the
shared ones in ``rag.documents.registry``. Writers on several machines cannot share RAG_HOME's lock
file, so a write also holds a session-level ``pg_advisory_lock``: the server drops it when the holder's
connection ends, so a killed writer never leaves the corpus locked (as ``flock`` does for the file).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from rag.documents.registry import Registry, Tx
from rag.errors import ConfigError, LockTimeoutError, RagError
from rag.locking import WAITING

log = logging.getLogger(__name__)

# One advisory-lock key for "a writer of this corpus" (any 64-bit number; this one spells 'gov-rag').
WRITE_LOCK_KEY = 0x676F762D726167
_POLL_S = 0.2
SCHEMES = ("postgresql", "postgres")


def mask_url(url: str) -> str:
    """The URL as messages may show it: the password replaced by ***."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<无法解析的 URL>"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


class PostgresRegistry(Registry):
    """Documents and chunks in the PostgreSQL database ``url`` names (e.g. postgresql://rag@db:5432/rag)."""

    def __init__(self, url: str, connect_timeout_s: int = 10) -> None:
        self.url = url
        self.where = mask_url(url)
        if urlsplit(url).scheme not in SCHEMES:
            raise ConfigError(
                f"RAG_REGISTRY_URL={self.where} 不是 PostgreSQL 地址：请写成 postgresql://用户@主机:端口/数据库，"
                "或留空以使用 RAG_HOME 中的 SQLite 登记库。"
            )
        try:
            import psycopg
        except ImportError as exc:
            raise ConfigError(
                "RAG_REGISTRY_URL 指向 PostgreSQL，但没有安装 psycopg：请运行 pip install 'gov-rag[postgres]'。"
            ) from exc
        self._psycopg = psycopg
        self._connect_timeout_s = connect_timeout_s
        self._guard = threading.RLock()  # one connection, many threads: a transaction is not interleaved
        self._lock_guard = threading.RLock()
        self._lock_conn: Any = None
        self._conn = self._connect()
        self._tx = Tx(self._conn, "%s")
        self._migrate()

    def _connect(self) -> Any:
        try:
            return self._psycopg.connect(self.url, autocommit=True, connect_timeout=self._connect_timeout_s)
        except self._psycopg.Error as exc:
            raise self._unreachable(exc) from exc

    def _unreachable(self, exc: Exception) -> RagError:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return RagError(
            f"无法连接登记库 {self.where}（RAG_REGISTRY_URL）：{detail}。请确认 PostgreSQL 服务已启动、"
            "主机、端口、用户、密码和数据库名正确且本机可以访问；或清空 RAG_REGISTRY_URL，改用 RAG_HOME 中的 SQLite。"
        )

    def _migrate(self) -> None:
        """Create the schema once (under the write lock, so two processes starting together do not race)."""
        if self._has_state():
            self._check_not_newer()
            return
        with self.write_lock(60.0), self.transaction() as tx:
            self._create_schema(tx)

    def _has_state(self) -> bool:
        return bool(
            self._read(
                "SELECT 1 FROM information_schema.tables WHERE table_schema=current_schema() AND table_name='state'"
            )
        )

    def _read(self, query: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """An autocommit read; a connection the server dropped is opened again once (outside a write)."""
        with self._guard:
            try:
                return super()._read(query, args)
            except self._psycopg.OperationalError as exc:
                if not self._conn.closed and not self._conn.broken:
                    raise self._unreachable(exc) from exc
                log.warning("registry connection to %s lost (%s); reconnecting", self.where, exc)
                self._conn = self._connect()
                self._tx = Tx(self._conn, "%s")
                try:
                    return super()._read(query, args)
                except self._psycopg.OperationalError as again:
                    raise self._unreachable(again) from again

    def close(self) -> None:
        with self._guard:
            self._conn.close()
        with self._lock_guard:
            if self._lock_conn is not None:
                self._lock_conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """All-or-nothing writes: a failed ingest leaves the registry as it was."""
        with self._guard:
            try:
                with self._conn.transaction():
                    yield self._tx
            except self._psycopg.OperationalError as exc:
                raise self._unreachable(exc) from exc

    @contextmanager
    def write_lock(self, timeout_s: float, notify: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the corpus's advisory lock; wait up to ``timeout_s`` (telling ``notify`` once), then fail.

        The lock lives on a connection of its own, so readers on the main one never wait for a writer."""
        with self._lock_guard:
            if self._lock_conn is None or self._lock_conn.closed or self._lock_conn.broken:
                self._lock_conn = self._connect()
            if not self._try_lock():
                log.info("%s (%s)", WAITING, self.where)
                if notify is not None:
                    notify(WAITING)
                deadline = time.monotonic() + timeout_s
                while not self._try_lock():
                    if time.monotonic() >= deadline:
                        raise LockTimeoutError(
                            f"登记库 {self.where} 正被另一个写入操作（可能在另一台机器上）占用，等待 {timeout_s:g} 秒后"
                            "仍未结束。请等它完成后重试，或调大 RAG_LOCK_TIMEOUT_S。"
                        )
                    time.sleep(_POLL_S)
            try:
                yield
            finally:
                try:
                    self._lock_conn.execute("SELECT pg_advisory_unlock(%s)", (WRITE_LOCK_KEY,))
                except self._psycopg.Error as exc:  # the connection is gone: so is its lock
                    log.warning("releasing the registry write lock on %s failed: %s", self.where, exc)

    def _try_lock(self) -> bool:
        try:
            row = self._lock_conn.execute("SELECT pg_try_advisory_lock(%s)", (WRITE_LOCK_KEY,)).fetchone()
        except self._psycopg.OperationalError as exc:
            raise self._unreachable(exc) from exc
        return bool(row[0])
