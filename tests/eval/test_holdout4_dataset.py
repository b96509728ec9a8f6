"""The fourth hold-out set measures generalisation only if it fits the corpus and shares nothing with the other sets.

It was written blind to the assistant (no runs, no look at rag/answer/), so these checks are all that
stands between a typo in the set and a misleading score.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from eval.dataset import EvalItem, corpus_problems, load_dataset
from index.textnorm import fold_for_match, to_simplified

REPO = Path(__file__).resolve().parents[2]
DATASETS = REPO / "eval" / "datasets"
HOLDOUT4 = DATASETS / "holdout4.jsonl"
CORPUS = REPO / "eval" / "corpus"
OTHER_SETS = ("dev.jsonl", "holdout.jsonl", "holdout2.jsonl", "holdout3.jsonl")

EXPECTED_KINDS = {
    "fact": 8,
    "list": 5,
    "compound": 4,
    "cross": 3,
    "traditional": 2,
    "metadata": 2,
    "unanswerable": 6,
}


@pytest.fixture(scope="module")
def holdout4() -> list[EvalItem]:
    return load_dataset(HOLDOUT4)


def _norm(question: str) -> str:
    """Compare questions the way a reader would: script, width, spacing and end punctuation ignored."""
    return fold_for_match(question).rstrip("?？。")


def test_fits_the_corpus(holdout4: list[EvalItem]) -> None:
    assert corpus_problems(holdout4, CORPUS) == []


def test_counts_per_kind(holdout4: list[EvalItem]) -> None:
    assert len(holdout4) == 30
    assert Counter(item.kind for item in holdout4) == EXPECTED_KINDS


def test_unique_ids_and_questions(holdout4: list[EvalItem]) -> None:
    assert len({item.id for item in holdout4}) == len(holdout4)
    assert all(item.id.startswith("h4") for item in holdout4)
    assert len({_norm(item.question) for item in holdout4}) == len(holdout4)


@pytest.mark.parametrize("name", OTHER_SETS)
def test_no_overlap_with_other_sets(holdout4: list[EvalItem], name: str) -> None:
    other = load_dataset(DATASETS / name)
    assert {_norm(i.question) for i in holdout4} & {_norm(i.question) for i in other} == set()
    assert {i.id for i in holdout4} & {i.id for i in other} == set()


def test_kind_specific_rules(holdout4: list[EvalItem]) -> None:
    for item in holdout4:
        if item.kind == "cross":
            assert len(set(item.gold_docs)) >= 2, item.id
        if item.kind in ("list", "compound"):
            assert len(item.answers) >= 2, item.id
        if item.kind == "list":
            assert len(item.answers) <= 4, item.id
        if item.kind == "fact":
            assert len(item.answers) == 1, item.id
        if item.kind == "traditional":
            assert to_simplified(item.question) != item.question, item.id
        assert item.answerable == (item.kind != "unanswerable"), item.id
