"""The held-out set (eval/datasets/holdout.jsonl) is valid against the corpus, like the dev set.

It is never used for tuning the answer rules; a broken item would silently distort the numbers
reported for it, so its evidence and answers are re-checked here.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from eval.dataset import EvalItem, load_dataset

REPO = Path(__file__).resolve().parents[2]
HOLDOUT = REPO / "eval" / "datasets" / "holdout.jsonl"
DEV = REPO / "eval" / "datasets" / "dev.jsonl"
CORPUS = REPO / "eval" / "corpus"


@pytest.fixture(scope="module")
def holdout() -> list[EvalItem]:
    return load_dataset(HOLDOUT)


def test_size_kinds_and_no_overlap_with_dev(holdout: list[EvalItem]) -> None:
    kinds = Counter(item.kind for item in holdout)
    assert len(holdout) >= 30 and kinds["unanswerable"] >= 8
    assert {"fact", "metadata", "traditional", "cross", "followup"} <= set(kinds)
    dev_questions = {json.loads(line)["question"] for line in DEV.read_text(encoding="utf-8").splitlines() if line}
    assert not dev_questions & {item.question for item in holdout}
    assert len({item.id for item in holdout}) == len(holdout)


def test_kind_specific_rules(holdout: list[EvalItem]) -> None:
    """Corpus fit is checked for every set in tests/eval/test_dataset.py; these are this set's own rules."""
    for item in holdout:
        if item.kind == "cross":
            assert len(set(item.gold_docs)) >= 2, item.id
        if item.kind == "followup":
            assert item.history, item.id
