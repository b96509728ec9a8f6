"""The second held-out set (eval/datasets/holdout2.jsonl) is valid against the corpus and new.

It was written before the compound/list/synonym rules were added and is only measured, never
tuned on; a broken item (evidence not in its document, an answer not in its evidence, a question
copied from dev or the first holdout) would silently distort the numbers reported for it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from eval.dataset import EvalItem, load_dataset

REPO = Path(__file__).resolve().parents[2]
DATASETS = REPO / "eval" / "datasets"
CORPUS = REPO / "eval" / "corpus"


@pytest.fixture(scope="module")
def holdout2() -> list[EvalItem]:
    return load_dataset(DATASETS / "holdout2.jsonl")


def _questions(name: str) -> set[str]:
    lines = (DATASETS / name).read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["question"] for line in lines if line.strip()}


def test_size_kinds_and_no_overlap_with_earlier_sets(holdout2: list[EvalItem]) -> None:
    kinds = Counter(item.kind for item in holdout2)
    assert len(holdout2) == 25 and kinds["unanswerable"] >= 7
    assert {"fact", "compound", "list", "cross", "traditional", "unanswerable"} <= set(kinds)
    asked = {item.question for item in holdout2}
    assert not asked & (_questions("dev.jsonl") | _questions("holdout.jsonl"))
    assert len({item.id for item in holdout2}) == len(holdout2)


def test_kind_specific_rules(holdout2: list[EvalItem]) -> None:
    """Corpus fit is checked for every set in tests/eval/test_dataset.py; these are this set's own rules."""
    for item in holdout2:
        if item.kind == "cross":
            assert len(set(item.gold_docs)) >= 2, item.id
        if item.kind in ("compound", "list"):
            assert len(item.answers) >= 2, item.id
