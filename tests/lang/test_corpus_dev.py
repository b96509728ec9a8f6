"""Sanity over the real development corpus (skipped when ../shared/corpus-dev is absent)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from rag.lang import dates, doc_numbers, figures, gazetteer, protected_spans, split_sentences, years

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus-dev"
for candidate in (CORPUS, Path("/work/shared/corpus-dev")):
    if (candidate / "truth.jsonl").is_file():
        CORPUS = candidate
        break

pytestmark = pytest.mark.skipif(not (CORPUS / "truth.jsonl").is_file(), reason="corpus-dev not present")


def _records() -> list[dict]:
    return [json.loads(line) for line in (CORPUS / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line]


def _text(source: str) -> str:
    return (CORPUS / "docs" / source).read_text(encoding="utf-8", errors="replace")


def test_every_truth_doc_number_is_found_normalised() -> None:
    misses = []
    for record in _records():
        if not record["doc_number"]:
            continue
        want = doc_numbers(record["doc_number"])
        if not want:
            continue  # not a 文号 by the grammar (e.g. a bare 第63号 under an issuer line)
        found = {d.normalised for d in doc_numbers(_text(record["source"]))}
        if want[0].normalised not in found:
            misses.append((record["source"], record["doc_number"]))
    assert misses == []


def test_truth_doc_numbers_parse() -> None:
    values = [r["doc_number"] for r in _records() if r["doc_number"]]
    parsed = [v for v in values if doc_numbers(v)]
    assert len(parsed) >= len(values) - 2


def test_extractors_run_on_every_file() -> None:
    for record in _records():
        text = _text(record["source"])
        for sentence in split_sentences(text):
            assert text[sentence.start : sentence.end] == sentence.text
        for fig in figures(text):
            assert text[fig.start : fig.end] == fig.raw
            assert fig.key
        for d in dates(text):
            assert text[d.start : d.end] == d.raw
        years(text)
        spans = protected_spans(text)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
        for mention in gazetteer().find(text):
            assert text[mention.start : mention.end] == mention.surface
