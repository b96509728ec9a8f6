"""The ingest pipeline's output on real text is pinned: speed work must not change a single token.

For every document (the sample corpus in eval/corpus; corpus-dev and the first news articles of
../shared when present) a fingerprint covers what ingestion derives from it: the cleaned text, the
metadata, the chunks, each chunk's BM25 tokens and protected spans, and the figures, dates, 文号 and
years the language layer reads in it. The expected fingerprints were written by the code before
the speed work (``python tests/documents/test_pipeline_golden.py`` rewrites them: only do that for
a change that is meant to alter the output, and say so in the commit). Only hashes are stored, so
no text of the shared corpora enters the repository.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from eval.bench.real import news_lines, shared_dir
from rag.documents.chunking import chunk_document, metadata_card
from rag.documents.cleaning import clean
from rag.documents.loaders import load_file
from rag.documents.metadata import extract_meta
from rag.lang import dates, doc_numbers, figures, years
from rag.lang.extract import protected_tokens
from rag.lang.tokens import tokenizer
from rag.safety import escape_citation_markers

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("data") / "pipeline_golden.json"
NEWS_SAMPLE = 300


SHARED = shared_dir()
DEV_DOCS = SHARED / "corpus-dev" / "docs"
NEWS = SHARED / "scale" / "crud_news"


def _fingerprint(path: Path) -> str:
    """Hash of everything the pipeline derives from one file (see the module docstring)."""
    loaded = load_file(path, 50 * 1024 * 1024)
    cleaned = clean(loaded)
    cleaned = replace(cleaned, text=escape_citation_markers(cleaned.text))
    meta = extract_meta(loaded, cleaned)
    chunks = chunk_document("golden/" + path.name, cleaned.text, meta, 400, 80)
    chunks.append(metadata_card("golden/" + path.name, meta, len(chunks)))
    tok = tokenizer()
    out: dict[str, object] = {"text": cleaned.text, "meta": meta.to_dict(), "chunks": []}
    for c in chunks:
        out["chunks"].append(  # type: ignore[attr-defined]
            {
                "chunk": asdict(c),
                "tokens": tok.tokenize(c.index_text),
                "query_tokens": tok.tokenize(c.text),
                "spans": protected_tokens(c.index_text),
                "figures": [repr(f) for f in figures(c.text)],
                "dates": [repr(d) for d in dates(c.text)],
                "doc_numbers": [repr(d) for d in doc_numbers(c.text)],
                "years": years(c.text),
            }
        )
    blob = json.dumps(out, ensure_ascii=False, sort_keys=True, default=list)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _news_files(folder: Path) -> Iterator[Path]:
    """The first NEWS_SAMPLE articles of crud_news, one file each (as a library would hand them over)."""
    for count, line in enumerate(news_lines(SHARED, NEWS_SAMPLE)):
        path = folder / f"news_{count:06d}.txt"
        path.write_text(line + "\n", encoding="utf-8")
        yield path


def _sample(group: str) -> dict[str, str]:
    if group == "sample":
        return {f"sample/{p.name}": _fingerprint(p) for p in sorted((ROOT / "eval" / "corpus").glob("*.txt"))}
    if group == "dev":
        return {f"dev/{p.name}": _fingerprint(p) for p in sorted(DEV_DOCS.iterdir()) if p.is_file()}
    with tempfile.TemporaryDirectory() as tmp:
        return {f"news/{p.name}": _fingerprint(p) for p in _news_files(Path(tmp))}


def _compare(group: str) -> None:
    expected = {k: v for k, v in json.loads(GOLDEN.read_text(encoding="utf-8")).items() if k.startswith(group + "/")}
    actual = _sample(group)
    assert expected, f"no golden fingerprints for {group}"
    assert set(actual) == set(expected)
    changed = sorted(k for k in expected if actual[k] != expected[k])
    assert not changed, f"pipeline output changed for {len(changed)} documents, e.g. {changed[:5]}"


def test_sample_corpus_output_is_unchanged() -> None:
    _compare("sample")


@pytest.mark.slow
@pytest.mark.skipif(not DEV_DOCS.is_dir(), reason="../shared/corpus-dev not present")
def test_corpus_dev_output_is_unchanged() -> None:
    _compare("dev")


@pytest.mark.slow
@pytest.mark.skipif(not NEWS.is_dir(), reason="../shared/scale/crud_news not present")
def test_news_output_is_unchanged() -> None:
    _compare("news")


if __name__ == "__main__":  # regenerate (see the module docstring)
    golden: dict[str, str] = {}
    for name in ("sample", "dev", "news"):
        golden.update(_sample(name))
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(golden, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(golden)} fingerprints to {GOLDEN}", file=sys.stderr)
