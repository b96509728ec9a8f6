"""The metadata benchmark over the development corpus (/work/shared/corpus-dev): the issue's floors."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.bench.metadata import DEFAULT_CORPUS, evaluate

FLOOR = 0.95


@pytest.mark.slow
def test_every_field_meets_the_floor_and_no_doc_number_is_invented() -> None:
    corpus = Path(DEFAULT_CORPUS)
    if not (corpus / "truth.jsonl").is_file():
        pytest.skip(f"development corpus not found at {corpus}")
    results = evaluate(corpus)
    below = {name: f["accuracy"] for name, f in results["fields"].items() if f["accuracy"] < FLOOR}
    assert below == {}
    assert results["invented_doc_numbers"] == []
    assert results["failed"] == []
