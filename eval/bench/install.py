"""How big and how slow is installing the assistant? Measures the default install and each extra.

Why a script and not a test: a fresh virtualenv with torch takes minutes and about 2 GB, far
beyond what a test may cost. The script does what a new user does, in this order:

1. ``python3 -m venv VENV`` and ``pip install torch==2.13.0`` (the CPU wheel, as the Makefile does);
2. ``pip install REPO`` with no extras: time and site-packages size;
3. with HF_HUB_OFFLINE=1 and a temporary RAG_HOME: ``rag ingest eval/corpus`` and one ``rag ask --json``
   must give a cited, non-refused answer (the default install answers offline);
4. for each extra in pyproject.toml (except ``dev``): ``pip install REPO[extra]`` on top, time and the
   size it adds.

Writes ``eval/bench/results/install.json`` and ``install.md``.

    python eval/bench/install.py                      # /tmp/fresh-venv, all extras
    python eval/bench/install.py --extras milvus plots --keep
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
TORCH = "torch==2.13.0"
QUESTION = "铜梁区2023年规上工业总产值是多少？"


def _run(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 3600) -> tuple[float, str, int]:
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, check=False)
    return time.monotonic() - start, (proc.stdout + proc.stderr)[-4000:], proc.returncode


def _size_mb(path: Path) -> float:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += (Path(root) / name).lstat().st_size
            except OSError:
                continue
    return round(total / 1e6, 1)


def _site_packages(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))


def _extras() -> list[str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [name for name in meta["project"].get("optional-dependencies", {}) if name != "dev"]


def _offline_answer(venv: Path) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="rag-install-home-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update({"RAG_HOME": str(home), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"})
    rag = str(venv / "bin" / "rag")
    try:
        t_ingest, out, rc = _run([rag, "ingest", str(ROOT / "eval" / "corpus"), "--json"], env)
        if rc != 0:
            return {"ok": False, "step": "ingest", "output": out}
        t_ask, out, rc = _run([rag, "ask", QUESTION, "--json"], env)
        if rc != 0:
            return {"ok": False, "step": "ask", "output": out}
        answer = json.loads(out.strip().splitlines()[-1])
        ok = not answer["refused"] and bool(answer["citations"])
        return {
            "ok": ok,
            "question": QUESTION,
            "answer": answer["answer"],
            "ingest_s": round(t_ingest, 1),
            "ask_s": round(t_ask, 1),
        }
    finally:
        shutil.rmtree(home, ignore_errors=True)


def measure(venv: Path, extras: list[str]) -> dict[str, Any]:
    if venv.exists():
        shutil.rmtree(venv)
    _, out, rc = _run([sys.executable, "-m", "venv", str(venv)])
    if rc != 0:
        raise SystemExit(f"venv failed: {out}")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-input"]
    site = _site_packages(venv)
    base_mb = _size_mb(site)
    t_torch, out, rc = _run([*pip, TORCH])
    if rc != 0:
        raise SystemExit(f"{TORCH} failed: {out}")
    torch_mb = _size_mb(site)
    t_default, out, rc = _run([*pip, str(ROOT)])
    if rc != 0:
        raise SystemExit(f"pip install . failed: {out}")
    default_mb = _size_mb(site)
    result: dict[str, Any] = {
        "python": sys.version.split()[0],
        "torch": {"spec": TORCH, "seconds": round(t_torch, 1), "mb": round(torch_mb - base_mb, 1)},
        "default": {
            "seconds": round(t_default, 1),
            "mb_without_torch": round(default_mb - torch_mb, 1),
            "mb_total": round(default_mb - base_mb, 1),
        },
        "offline_answer": _offline_answer(venv),
        "extras": {},
    }
    before = default_mb
    for extra in extras:
        t_extra, out, rc = _run([*pip, f"{ROOT}[{extra}]"])
        after = _size_mb(site)
        entry: dict[str, Any] = {"seconds": round(t_extra, 1), "mb_added": round(after - before, 1), "ok": rc == 0}
        if rc != 0:
            entry["error"] = out[-1500:]
        result["extras"][extra] = entry
        before = after
    return result


def render(result: dict[str, Any]) -> str:
    d, t, off = result["default"], result["torch"], result["offline_answer"]
    lines = [
        "# Install size and time",
        "",
        f"Fresh virtualenv, Python {result['python']}, 2 cores; `python eval/bench/install.py`.",
        "",
        "| step | time (s) | size added (MB) |",
        "|---|---:|---:|",
        f"| `pip install {t['spec']}` (CPU wheel, as the Makefile does) | {t['seconds']} | {t['mb']} |",
        f"| `pip install .` (default, no extras) | {d['seconds']} | {d['mb_without_torch']} |",
    ]
    for name, e in result["extras"].items():
        status = "" if e["ok"] else " (failed)"
        lines.append(f"| `pip install '.[{name}]'` on top{status} | {e['seconds']} | {e['mb_added']} |")
    lines += [
        "",
        f"Default install total (torch included): {d['mb_total']} MB.",
        "",
        f"Offline answer from the default install (HF_HUB_OFFLINE=1): {'yes' if off.get('ok') else 'NO'}"
        + (f" — ingest {off['ingest_s']} s, ask {off['ask_s']} s: {off['answer'][:80]}" if off.get("ok") else ""),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", type=Path, default=Path("/tmp/fresh-venv"))
    parser.add_argument("--extras", nargs="*", default=None, help="default: every extra except dev")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--keep", action="store_true", help="keep the virtualenv afterwards")
    args = parser.parse_args()
    result = measure(args.venv, args.extras if args.extras is not None else _extras())
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "install.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (args.out / "install.md").write_text(render(result), encoding="utf-8")
    print(render(result))
    if not args.keep:
        shutil.rmtree(args.venv, ignore_errors=True)


if __name__ == "__main__":
    main()
