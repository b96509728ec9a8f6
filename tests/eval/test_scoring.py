"""answer_accuracy means: every gold string in the answer AND a citation of a gold document."""

from __future__ import annotations

from eval.dataset import EvalItem
from eval.scoring import answer_scores

ITEM = EvalItem(id="x", question="q", answers=("787间",), gold_docs=("gold.txt",), evidence=("共有医疗机构787间",))


def score(answer: str, sources: list[str], refused: bool = False) -> object:
    return answer_scores(ITEM, answer, refused, ["全区共有医疗机构787间"], lambda a, p: [], lambda a: [], sources)[
        "answer_correct"
    ]


def test_right_words_cited_from_the_gold_document_are_correct() -> None:
    assert score("全区共有医疗机构787间[1]。", ["gold.txt"]) is True
    assert score("全区共有医疗机构787间[1]。", ["other.txt", "gold.txt"]) is True


def test_right_words_cited_from_another_document_are_not() -> None:
    assert score("全区共有医疗机构787间[1]。", ["other.txt"]) is False
    assert score("全区共有医疗机构787间。", []) is False


def test_wrong_words_or_a_refusal_are_not() -> None:
    assert score("全区共有医疗机构700间[1]。", ["gold.txt"]) is False
    assert score("抱歉", [], refused=True) is False


def test_items_without_gold_documents_need_only_the_strings() -> None:
    item = EvalItem(id="y", question="q", answers=("787间",))
    out = answer_scores(item, "787间", False, [], lambda a, p: [], lambda a: [])
    assert out["answer_correct"] is True
