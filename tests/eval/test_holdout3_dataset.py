"""The third hold-out set measures generalisation only if it fits the corpus and shares nothing with the other sets."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from eval.dataset import EvalItem, corpus_problems, load_dataset
from index.textnorm import fold_for_match, to_simplified

REPO = Path(__file__).resolve().parents[2]
DATASETS = REPO / "eval" / "datasets"
HOLDOUT3 = DATASETS / "holdout3.jsonl"
CORPUS = REPO / "eval" / "corpus"
OTHER_SETS = ("dev.jsonl", "holdout.jsonl", "holdout2.jsonl")

EXPECTED_KINDS = {
    "fact": 8,
    "list": 4,
    "compound": 4,
    "cross": 3,
    "traditional": 2,
    "metadata": 2,
    "unanswerable": 7,
}


@pytest.fixture(scope="module")
def holdout3() -> list[EvalItem]:
    return load_dataset(HOLDOUT3)


def _norm(question: str) -> str:
    """Compare questions the way a reader would: script, width, spacing and end punctuation ignored."""
    return fold_for_match(question).rstrip("?？。")


def test_fits_the_corpus(holdout3: list[EvalItem]) -> None:
    assert corpus_problems(holdout3, CORPUS) == []


def test_counts_per_kind(holdout3: list[EvalItem]) -> None:
    assert len(holdout3) == 30
    assert Counter(item.kind for item in holdout3) == EXPECTED_KINDS


def test_unique_ids_and_questions(holdout3: list[EvalItem]) -> None:
    assert len({item.id for item in holdout3}) == len(holdout3)
    assert len({_norm(item.question) for item in holdout3}) == len(holdout3)


@pytest.mark.parametrize("name", OTHER_SETS)
def test_no_overlap_with_other_sets(holdout3: list[EvalItem], name: str) -> None:
    other = load_dataset(DATASETS / name)
    assert {_norm(i.question) for i in holdout3} & {_norm(i.question) for i in other} == set()
    assert {i.id for i in holdout3} & {i.id for i in other} == set()


def test_kind_specific_rules(holdout3: list[EvalItem]) -> None:
    for item in holdout3:
        if item.kind == "cross":
            assert len(set(item.gold_docs)) >= 2, item.id
        if item.kind in ("list", "compound"):
            assert len(item.answers) >= 2, item.id
        if item.kind == "list":
            assert len(item.answers) <= 4, item.id
        if item.kind == "traditional":
            assert to_simplified(item.question) != item.question, item.id
        assert item.answerable == (item.kind != "unanswerable"), item.id
