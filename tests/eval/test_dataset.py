"""The development set is valid against the corpus, and the loader rejects broken files clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.dataset import DatasetError, EvalItem, corpus_problems, detect_format, load_dataset, write_jsonl

REPO = Path(__file__).resolve().parents[2]
DEV = REPO / "eval" / "datasets" / "dev.jsonl"
CORPUS = REPO / "eval" / "corpus"


@pytest.fixture(scope="module")
def dev() -> list[EvalItem]:
    return load_dataset(DEV)


def test_corpus_problems_names_each_defect(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("2023年,全年规上工业总产值实现757.2亿元。", encoding="utf-8")
    items = [
        EvalItem("ok", "q", ("757.2亿元",), ("a.txt",), ("规上工业总产值实现757.2亿元",), True, "fact"),
        EvalItem("ev", "q", ("757.2亿元",), ("a.txt",), ("总产值实现800亿元",), True, "fact"),
        EvalItem("ans", "q", ("900亿元",), ("a.txt",), ("实现757.2亿元",), True, "fact"),
        EvalItem("doc", "q", ("1",), ("b.txt",), ("1",), True, "fact"),
        EvalItem("un", "q", ("x",), (), (), False, "unanswerable"),
    ]
    problems = corpus_problems(items, corpus)
    assert [p.split(":")[0] for p in problems] == ["ev", "ev", "ev", "ans", "doc", "un"]


def test_seed_metadata(dev: list[EvalItem]) -> None:
    answers = {a for item in dev if item.kind == "metadata" for a in item.answers}
    assert {
        "铜经信函〔2024〕54号",
        "重庆市铜梁区经济和信息化委员会",
        "2024-06-04",
        "重庆市合川区人民政府办公室",
    } <= answers


def test_round_trip(tmp_path: Path, dev: list[EvalItem]) -> None:
    out = tmp_path / "copy.jsonl"
    write_jsonl(dev, out)
    assert load_dataset(out) == dev


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "q1"}\n', "question"),
        ('{"id": "q1", "question": "x", "answers": "a", "answerable": "yes"}\n', "answerable"),
        ('{"id": "q1", "question": "x", "answerable": false, "answers": ["a"]}\n', "answerable 为 false"),
        ('{"id": "q1", "question": "x", "history": [["only one"]]}\n', "history"),
        ('{"id": "q1", "question": "x"}\n{"id": "q1", "question": "y"}\n', "重复"),
        ('{"id": "q1", "question": "x"}\n{not json\n', ":2"),
        ("just text\n", "无法识别"),
    ],
)
def test_loader_errors_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError, match=message):
        load_dataset(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="找不到评测集文件"):
        load_dataset(tmp_path / "nope.jsonl")


def test_defaults_and_single_string_answers(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    lines = [{"id": 7, "question": "问题", "answers": "答案"}, {"id": "n", "question": "无答案", "answerable": False}]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    items = load_dataset(path)
    assert items[0] == EvalItem(id="7", question="问题", answers=("答案",), kind="fact")
    assert items[1].kind == "unanswerable"


def test_detect_format() -> None:
    assert detect_format('{"id": 1, "question": "q"}\n') == "ours"
    assert detect_format('{"question_id": "x", "question": "q", "answer_paragraphs": []}\n') == "dureader"
    assert detect_format('{"questanswer_1doc": []}') == "crud"
    assert detect_format('[{"questions": "q", "news1": "n", "answers": "a"}]') == "crud"
    assert detect_format("") == "unknown"
