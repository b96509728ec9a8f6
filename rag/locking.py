"""One writer at a time on a RAG_HOME: a lock file held for the whole of every write.

Ingest, remove, visibility changes, rebuild and staff uploads all write the index and the registry;
two of them interleaving lose chunks or save a stale index over a newer one. Readers never take
the lock (SQLite WAL and the index's atomic generations keep their view consistent), so a long
ingest never blocks a citizen's question. ``filelock`` uses ``fcntl.flock``: the kernel drops
the lock when the holder dies, so a ``kill -9`` never leaves a home locked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from rag.errors import LockTimeoutError

log = logging.getLogger(__name__)

LOCK_NAME = "write.lock"
WAITING = "另一个写入操作（入库、删除、修改可见范围或重建）正在进行，等待它完成…"


@contextmanager
def write_lock(home: Path, timeout_s: float, notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold RAG_HOME's write lock; wait up to ``timeout_s`` (telling ``notify`` once), then fail clearly."""
    home.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(home / LOCK_NAME), thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.info("%s (%s)", WAITING, home)
        if notify is not None:
            notify(WAITING)
        try:
            lock.acquire(timeout=timeout_s)
        except Timeout:
            raise LockTimeoutError(
                f"{home} 正被另一个写入操作占用，等待 {timeout_s:g} 秒后仍未结束。"
                "请等它完成后重试，或调大 RAG_LOCK_TIMEOUT_S。"
            ) from None
    try:
        yield
    finally:
        lock.release()
