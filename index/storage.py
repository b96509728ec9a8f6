"""Atomic, checksummed index folders.

Layout of an index folder::

    manifest.json        <- the only file ever replaced; names the current generation
    gen-000007/          <- immutable once written: records, tokens, BM25 matrix, vectors

A save writes a new generation into a temporary folder, fsyncs every file, renames the folder
into place, then atomically replaces manifest.json (os.replace) and fsyncs the directory.
A crash at any point leaves the old manifest naming the old, complete generation. Old
generations and leftovers are removed after the switch (or by the next save).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from index.errors import CorruptIndexError

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
_GEN_PREFIX = "gen-"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    path = folder / MANIFEST
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorruptIndexError(
            f"索引清单 {path} 无法读取（{exc}）。请用 rag ingest --rebuild 重建索引。"
            f" / Cannot read index manifest {path} ({exc}); rebuild with `rag ingest --rebuild`."
        ) from exc
    if not isinstance(data, dict):
        raise CorruptIndexError(f"索引清单 {path} 格式不对。请用 rag ingest --rebuild 重建索引。")
    return data


def generation_dir(folder: Path, manifest: dict[str, Any]) -> Path:
    return folder / str(manifest["generation"])


def verify(folder: Path, manifest: dict[str, Any]) -> Path:
    """Check every file of the current generation against its checksum; returns the generation folder."""
    gen = generation_dir(folder, manifest)
    files: dict[str, str] = manifest.get("files", {})
    for name, expected in files.items():
        path = gen / name
        if not path.exists():
            raise CorruptIndexError(
                f"索引文件缺失：{path}。请用 rag ingest --rebuild 重建索引。"
                f" / Index file missing: {path}; rebuild with `rag ingest --rebuild`."
            )
        actual = sha256_file(path)
        if actual != expected:
            raise CorruptIndexError(
                f"索引文件已损坏（校验和不符）：{path}。请用 rag ingest --rebuild 重建索引。"
                f" / Index file corrupted (checksum mismatch): {path}; rebuild with `rag ingest --rebuild`."
            )
    return gen


def write_generation(
    folder: Path, manifest: dict[str, Any], write_files: Callable[[Path], list[str]]
) -> dict[str, Any]:
    """Write a new generation with ``write_files(tmpdir) -> names`` and switch the manifest to it atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    previous = read_manifest_quiet(folder)
    number = int(str(previous["generation"]).removeprefix(_GEN_PREFIX)) + 1 if previous else 1
    generation = f"{_GEN_PREFIX}{number:06d}"
    target = folder / generation
    if target.exists():  # a crashed save renamed it but never switched the manifest
        shutil.rmtree(target)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder))
    try:
        names = write_files(tmp)
        files = {}
        for name in names:
            _fsync_path(tmp / name)
            files[name] = sha256_file(tmp / name)
        _fsync_path(tmp)
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    manifest = {**manifest, "generation": generation, "files": files}
    manifest_tmp = folder / f".{MANIFEST}.tmp"
    with manifest_tmp.open("w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(manifest_tmp, folder / MANIFEST)
    _fsync_path(folder)
    _remove_stale(folder, keep=generation)
    return manifest


def read_manifest_quiet(folder: Path) -> dict[str, Any] | None:
    try:
        return read_manifest(folder)
    except CorruptIndexError:
        return None


def _remove_stale(folder: Path, keep: str) -> None:
    for child in folder.iterdir():
        if child.is_dir() and child.name != keep and (child.name.startswith((_GEN_PREFIX, ".tmp-"))):
            shutil.rmtree(child, ignore_errors=True)
            log.debug("removed stale index generation %s", child)
