"""The wheel carries every data file the code reads; optional extras stay optional at import time."""

from __future__ import annotations

import fnmatch
import subprocess
import sys
import tomllib

from .conftest import REPO

META = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_data_file_of_the_packages_is_package_data() -> None:
    globs: dict[str, list[str]] = META["tool"]["setuptools"]["package-data"]
    missing = []
    for package in ("rag", "index", "prompts", "ui"):
        for path in (REPO / package).rglob("*"):
            if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
                continue
            if not any(
                path.is_relative_to(REPO.joinpath(*key.split(".")))
                and fnmatch.fnmatch(path.relative_to(REPO.joinpath(*key.split("."))).as_posix(), g)
                for key, patterns in globs.items()
                for g in patterns
            ):
                missing.append(path.relative_to(REPO).as_posix())
    assert missing == []
    assert any(fnmatch.fnmatch("bench/questions.jsonl", g) for g in globs["eval"])


def test_heavy_features_are_extras_and_the_design_packages_are_required() -> None:
    required = " ".join(META["project"]["dependencies"])
    for name in ("sentence-transformers", "faiss-cpu", "langchain>=", "gradio", "rank-bm25"):
        assert name in required, name
    for name in ("pymilvus", "milvus-lite", "matplotlib", "langchain-community", "httpx", "psutil", "torch=="):
        assert name not in required, name
    extras = META["project"]["optional-dependencies"]
    assert {"milvus", "gguf", "plots", "baselines", "dev"} <= set(extras)


def test_product_modules_import_without_the_optional_extras_loaded() -> None:
    code = (
        "import sys, rag.cli, rag.server.app, rag.runnable, rag.lc_retriever, ui.app, eval.runner, eval.report;"
        "print(sorted(m for m in ('pymilvus', 'milvus_lite', 'matplotlib', 'langchain_community', 'langchain_classic')"
        " if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "[]", out.stderr
