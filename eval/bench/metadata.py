"""Metadata accuracy on the development corpus: what `rag docs` would say, field by field, vs truth.jsonl.

Run: ``python -m eval.bench.metadata [--corpus /work/shared/corpus-dev] [--out eval/bench/results]``.

Every document goes through the path ingest uses (load_file -> clean -> extract_meta), so the
numbers are those of the product. A field counts only on documents whose truth has a value;
a reading is right when it equals the truth or one of its ``alt`` readings after whitespace
removal and folding (traditional -> simplified, NFKC, pinyin annotations dropped). "Invented"
counts doc_numbers output where the truth has none: a wrong 文号 is worse than none. The corpus
is never copied into the repository; without it the command says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.textnorm import fold_for_match
from rag.documents.cleaning import clean
from rag.documents.loaders import load_file
from rag.documents.metadata import extract_meta
from rag.models import DocMeta

log = logging.getLogger(__name__)

DEFAULT_CORPUS = Path("/work/shared/corpus-dev")
DEFAULT_OUT = Path("eval/bench/results")
FIELDS: tuple[str, ...] = ("doc_number", "title", "issuer", "date", "doc_type", "region")
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass
class FieldScore:
    n: int = 0  # documents whose truth has a value
    right: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.n if self.n else 1.0


def same(got: str | None, want: str | None) -> bool:
    """Equal after whitespace removal and folding (None equals only None)."""
    if got is None or want is None:
        return got is None and want is None
    return fold_for_match(got) == fold_for_match(want)


def accepted(truth: dict[str, Any], name: str) -> list[str]:
    """The truth's value and its alternative readings."""
    alt = (truth.get("alt") or {}).get(name) or []
    return [v for v in [truth.get(name), *alt] if v]


def extract(path: Path) -> DocMeta:
    """The metadata ingest would store for this file."""
    loaded = load_file(path, max_bytes=MAX_FILE_BYTES)
    return extract_meta(loaded, clean(loaded))


def evaluate(corpus: Path) -> dict[str, Any]:
    truths = [json.loads(ln) for ln in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines() if ln.strip()]
    scores = {name: FieldScore() for name in FIELDS}
    invented: list[dict[str, Any]] = []
    failed: list[dict[str, str]] = []
    for truth in truths:
        source = truth["source"]
        try:
            meta = extract(corpus / "docs" / source).to_dict()
        except Exception as exc:  # a benchmark reports every document, it does not stop at the first bug
            log.exception("extraction failed for %s", source)
            failed.append({"source": source, "error": f"{type(exc).__name__}: {exc}"})
            meta = {}
        for name in FIELDS:
            got = meta.get(name)
            want = accepted(truth, name)
            if not truth.get(name):
                if name == "doc_number" and got:
                    invented.append({"source": source, "got": got})
                continue
            score = scores[name]
            score.n += 1
            if any(same(got, w) for w in want):
                score.right += 1
            else:
                score.misses.append({"source": source, "got": got, "want": want})
    return {
        "corpus": str(corpus),
        "n_documents": len(truths),
        "fields": {
            name: {"n": s.n, "right": s.right, "accuracy": round(s.accuracy, 4), "misses": s.misses}
            for name, s in scores.items()
        },
        "invented_doc_numbers": invented,
        "failed": failed,
    }


def to_markdown(results: dict[str, Any]) -> str:
    lines = [
        "# Metadata accuracy on corpus-dev",
        "",
        f"`python -m eval.bench.metadata` over {results['n_documents']} documents (load → clean → extract_meta, "
        "as ingest does). A field counts on documents whose truth has a value; `alt` readings accepted; "
        "compared after whitespace removal and traditional→simplified folding.",
        "",
        "| field | documents with truth | exact | accuracy |",
        "|---|---:|---:|---:|",
    ]
    for name, f in results["fields"].items():
        lines.append(f"| {name} | {f['n']} | {f['right']} | {f['accuracy']:.3f} |")
    lines += [
        "",
        f"Invented doc_numbers (truth has none): {len(results['invented_doc_numbers'])}. "
        f"Extraction failures: {len(results['failed'])}.",
        "",
        "## Misses",
        "",
    ]
    for name, f in results["fields"].items():
        if not f["misses"]:
            continue
        lines.append(f"### {name}")
        lines.append("")
        for miss in f["misses"]:
            want = " / ".join(miss["want"])
            lines.append(f"- {miss['source']}: got `{miss['got']}`, want `{want}`")
        lines.append("")
    if results["invented_doc_numbers"]:
        lines += ["### invented doc_number", ""]
        lines += [f"- {m['source']}: `{m['got']}`" for m in results["invented_doc_numbers"]]
        lines.append("")
    if results["failed"]:
        lines += ["### failures", ""]
        lines += [f"- {m['source']}: {m['error']}" for m in results["failed"]]
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--name", default="metadata", help="file stem of the results (metadata.json, metadata.md)")
    args = parser.parse_args(argv)
    if not (args.corpus / "truth.jsonl").is_file():
        print(f"corpus not found at {args.corpus} (no truth.jsonl): skipped")
        return 0
    logging.basicConfig(level=logging.WARNING)
    results = evaluate(args.corpus)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.name}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    (args.out / f"{args.name}.md").write_text(to_markdown(results), encoding="utf-8")
    for name, f in results["fields"].items():
        print(f"{name:11s} {f['right']:4d}/{f['n']:<4d} {f['accuracy']:.3f}")
        for miss in f["misses"]:
            print(f"    {miss['source']}: got {miss['got']!r} want {miss['want']!r}")
    print(f"invented doc_numbers: {len(results['invented_doc_numbers'])}  failures: {len(results['failed'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
