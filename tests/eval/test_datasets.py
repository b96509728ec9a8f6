"""Every shipped evaluation set is valid: it fits the corpus, has the kinds it claims, and no set repeats
another's questions (a repeated question would make a held-out number a tuned one).

One table of expectations per set; the checks are the same for all of them.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from eval.dataset import EvalItem, corpus_problems, load_dataset
from index.textnorm import fold_for_match, to_simplified

REPO = Path(__file__).resolve().parents[2]
DATASETS = REPO / "eval" / "datasets"
CORPUS = REPO / "eval" / "corpus"


@dataclass(frozen=True)
class Spec:
    exact: dict[str, int] | None = None  # kind -> count, when the set was written to an exact plan
    minimum: dict[str, int] | None = None  # kind -> at least
    size: int | None = None
    id_prefix: str = ""
    one_answer_facts: bool = False  # every fact item asks exactly one figure


SETS = {
    "dev.jsonl": Spec(
        minimum={"fact": 35, "metadata": 10, "traditional": 8, "cross": 5, "followup": 5, "unanswerable": 15},
    ),
    "holdout.jsonl": Spec(
        minimum={"fact": 1, "metadata": 1, "traditional": 1, "cross": 1, "followup": 1, "unanswerable": 8}
    ),
    "holdout2.jsonl": Spec(
        size=25,
        minimum={"fact": 1, "compound": 1, "list": 1, "cross": 1, "traditional": 1, "unanswerable": 7},
    ),
    "holdout3.jsonl": Spec(
        exact={"fact": 8, "list": 4, "compound": 4, "cross": 3, "traditional": 2, "metadata": 2, "unanswerable": 7},
        id_prefix="h3",
    ),
    "holdout4.jsonl": Spec(
        exact={"fact": 8, "list": 5, "compound": 4, "cross": 3, "traditional": 2, "metadata": 2, "unanswerable": 6},
        id_prefix="h4",
        one_answer_facts=True,
    ),
}


def _load(name: str) -> list[EvalItem]:
    return load_dataset(DATASETS / name)


def _norm(question: str) -> str:
    """Compare questions the way a reader would: script, width, spacing and end punctuation ignored."""
    return fold_for_match(question).rstrip("?？。")


@pytest.mark.parametrize("name", sorted(SETS))
def test_fits_the_corpus(name: str) -> None:
    """Evidence in a gold document, every gold document evidenced, answers inside their evidence."""
    assert corpus_problems(_load(name), CORPUS) == []


@pytest.mark.parametrize("name", sorted(SETS))
def test_kinds_and_size(name: str) -> None:
    spec, items = SETS[name], _load(name)
    kinds = Counter(item.kind for item in items)
    if spec.exact is not None:
        assert kinds == spec.exact
    for kind, least in (spec.minimum or {}).items():
        assert kinds[kind] >= least, (kind, kinds[kind])
    if spec.size is not None:
        assert len(items) == spec.size
    assert len(items) >= 25


@pytest.mark.parametrize("name", sorted(SETS))
def test_ids_and_questions_are_unique(name: str) -> None:
    items = _load(name)
    assert len({item.id for item in items}) == len(items)
    assert len({_norm(item.question) for item in items}) == len(items)
    assert all(item.id.startswith(SETS[name].id_prefix) for item in items)


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(sorted(SETS), 2)))
def test_no_set_repeats_another(a: str, b: str) -> None:
    first, second = _load(a), _load(b)
    assert {_norm(i.question) for i in first} & {_norm(i.question) for i in second} == set()
    assert {i.id for i in first} & {i.id for i in second} == set()


@pytest.mark.parametrize("name", sorted(SETS))
def test_kind_specific_rules(name: str) -> None:
    for item in _load(name):
        assert item.answerable == (item.kind != "unanswerable"), item.id
        if item.kind == "cross":
            assert len(set(item.gold_docs)) >= 2, item.id
        if item.kind == "followup":
            assert item.history, item.id
        if item.kind in ("list", "compound"):
            assert len(item.answers) >= 2, item.id
        if item.kind == "list":
            assert len(item.answers) <= 4, item.id
        if item.kind == "fact" and SETS[name].one_answer_facts:
            assert len(item.answers) == 1, item.id
        if item.kind == "traditional":
            # written in traditional characters: folding to simplified changes the question
            assert to_simplified(item.question) != item.question, item.id
