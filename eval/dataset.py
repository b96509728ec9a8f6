"""Evaluation items and the loader that turns any supported file into them.

The harness only ever sees ``EvalItem``; public formats (DuReader-retrieval, CRUD-RAG) are
converted in ``eval.formats`` so metrics and reports never care where a set came from.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.textnorm import fold_for_match
from rag.errors import RagError

log = logging.getLogger(__name__)


class DatasetError(RagError):
    """An evaluation set cannot be read or an item breaks the schema."""


@dataclass(frozen=True)
class EvalItem:
    """One question of an evaluation set (the contract's JSONL schema, typed).

    ``answers`` must all appear in a correct answer; ``evidence`` are substrings of a supporting
    passage; ``history`` holds earlier (question, answer) turns for follow-up questions;
    ``reference`` keeps a free-text reference answer from sets that have no short answer strings
    (CRUD-RAG) so it shows up in failure lists without being scored.
    """

    id: str
    question: str
    answers: tuple[str, ...] = ()
    gold_docs: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    answerable: bool = True
    kind: str = "fact"
    history: tuple[tuple[str, str], ...] = ()
    reference: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "answers": list(self.answers),
            "gold_docs": list(self.gold_docs),
            "evidence": list(self.evidence),
            "answerable": self.answerable,
            "kind": self.kind,
        }
        if self.history:
            data["history"] = [list(turn) for turn in self.history]
        if self.reference:
            data["reference"] = self.reference
        return data


def _str_tuple(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DatasetError(f"{where}：字段 {key} 应为字符串列表，实际是 {value!r}。请按 eval/datasets/README.md 修正。")
    return tuple(value)


def _history(value: Any, where: str) -> tuple[tuple[str, str], ...]:
    if not value:
        return ()
    turns: list[tuple[str, str]] = []
    for turn in value:
        if isinstance(turn, Mapping):
            turn = [turn.get("question", ""), turn.get("answer", "")]
        if not isinstance(turn, list | tuple) or len(turn) != 2 or not all(isinstance(t, str) for t in turn):
            raise DatasetError(
                f'{where}：history 的每一轮应为 ["上一问", "上一答"]，实际是 {turn!r}。'
                "请按 eval/datasets/README.md 修正。"
            )
        turns.append((turn[0], turn[1]))
    return tuple(turns)


def item_from_json(obj: Mapping[str, Any], where: str) -> EvalItem:
    """Validate one object of our JSONL schema; ``where`` (file:line) goes into every error message."""
    if not isinstance(obj, Mapping):
        raise DatasetError(f"{where}：每行应是一个 JSON 对象，实际是 {type(obj).__name__}。")
    for key in ("id", "question"):
        if not isinstance(obj.get(key), str | int) or str(obj.get(key)).strip() == "":
            raise DatasetError(f"{where}：缺少必填字段 {key}（非空字符串）。请补上后重试。")
    answerable = obj.get("answerable", True)
    if not isinstance(answerable, bool):
        raise DatasetError(f"{where}：字段 answerable 应为 true 或 false，实际是 {answerable!r}。")
    item = EvalItem(
        id=str(obj["id"]),
        question=str(obj["question"]),
        answers=_str_tuple(obj.get("answers"), "answers", where),
        gold_docs=_str_tuple(obj.get("gold_docs"), "gold_docs", where),
        evidence=_str_tuple(obj.get("evidence"), "evidence", where),
        answerable=answerable,
        kind=str(obj.get("kind") or ("fact" if answerable else "unanswerable")),
        history=_history(obj.get("history"), where),
        reference=str(obj.get("reference") or ""),
    )
    if not item.answerable and (item.answers or item.gold_docs or item.evidence):
        raise DatasetError(f"{where}：answerable 为 false 的条目，answers、gold_docs、evidence 必须为空列表。")
    return item


def check_unique_ids(items: Sequence[EvalItem], path: Path) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise DatasetError(f"{path}：条目 id {item.id!r} 重复出现。每个 id 必须唯一，请改名后重试。")
        seen.add(item.id)


def _read_jsonl(path: Path, text: str) -> list[EvalItem]:
    items: list[EvalItem] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{lineno}：不是合法的 JSON（{exc.msg}）。每行应是一个 JSON 对象。") from exc
        items.append(item_from_json(obj, f"{path}:{lineno}"))
    return items


def _first_objects(text: str) -> Iterable[Any]:
    """The first JSON value(s) of a file, to sniff its format without caring if it is JSON or JSONL."""
    stripped = text.lstrip()
    if not stripped:
        return []
    try:
        value = json.loads(stripped)
    except json.JSONDecodeError:
        first = stripped.splitlines()[0]
        try:
            return [json.loads(first)]
        except json.JSONDecodeError:
            return []
    return [value]


def detect_format(text: str) -> str:
    """Return "ours", "dureader" or "crud" from the shape of the first record."""
    for value in _first_objects(text):
        if isinstance(value, Mapping) and any(str(k).startswith("questanswer") for k in value):
            return "crud"
        record = value[0] if isinstance(value, list) and value else value
        if isinstance(record, Mapping):
            if "answer_paragraphs" in record or "question_id" in record:
                return "dureader"
            if "questions" in record and ("news1" in record or "answers" in record):
                return "crud"
            if "question" in record:
                return "ours"
    return "unknown"


def load_dataset(path: Path) -> list[EvalItem]:
    """Read an evaluation set: our JSONL, DuReader-retrieval (dev.json) or CRUD-RAG (split_merged.json).

    The format is detected from the first record, so a downloaded public file can be passed as is.
    """
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"找不到评测集文件 {path}。请检查路径（例如 eval/datasets/dev.jsonl）。")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}：不是 UTF-8 编码的文本。请转换为 UTF-8 后重试。") from exc
    fmt = detect_format(text)
    if fmt == "ours":
        items = _read_jsonl(path, text)
    elif fmt == "dureader":
        from eval.formats import read_dureader

        items = read_dureader(path, text)
    elif fmt == "crud":
        from eval.formats import read_crud

        items = read_crud(path, text)
    else:
        raise DatasetError(
            f"{path}：无法识别评测集格式。支持：本项目 JSONL（含 id、question 字段）、"
            "DuReader-retrieval（question_id、answer_paragraphs）、CRUD-RAG（questanswer_* 或 questions、news1）。"
        )
    if not items:
        raise DatasetError(f"{path}：评测集中没有任何条目。")
    check_unique_ids(items, path)
    log.info("loaded %d items (%s format) from %s", len(items), fmt, path)
    return items


def write_jsonl(items: Iterable[EvalItem], path: Path) -> None:
    """Write items in our schema (used to convert public sets once and edit them by hand)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item.to_json(), ensure_ascii=False) + "\n")


def corpus_problems(items: Sequence[EvalItem], corpus_dir: Path) -> list[str]:
    """Why items do not fit the corpus: evidence not in a gold document, an answer not in its evidence,
    a gold document without evidence, a missing document, fields on an unanswerable item.

    Matching is on ``fold_for_match`` (whitespace, pinyin annotations, traditional/simplified ignored), the
    same matching the metrics use; an empty list means the dataset measures what it claims to.
    """
    texts = {p.name: fold_for_match(p.read_text(encoding="utf-8")) for p in corpus_dir.iterdir() if p.is_file()}
    problems: list[str] = []
    for item in items:
        if not item.answerable:
            if item.answers or item.gold_docs or item.evidence:
                problems.append(f"{item.id}: 不可回答的条目不应有 answers/gold_docs/evidence")
            continue
        if not (item.answers and item.evidence and item.gold_docs):
            problems.append(f"{item.id}: 可回答的条目需要 answers、evidence 和 gold_docs")
            continue
        missing = [d for d in item.gold_docs if d not in texts]
        if missing:
            problems.append(f"{item.id}: 语料中没有 {', '.join(missing)}")
            continue
        evidence = [fold_for_match(e) for e in item.evidence]
        problems += [
            f"{item.id}: 证据不在任何 gold 文档中：{raw}"
            for raw, e in zip(item.evidence, evidence, strict=True)
            if not any(e in texts[d] for d in item.gold_docs)
        ]
        problems += [
            f"{item.id}: {d} 没有对应的证据" for d in item.gold_docs if not any(e in texts[d] for e in evidence)
        ]
        problems += [
            f"{item.id}: 答案不在证据中：{a}" for a in item.answers if not any(fold_for_match(a) in e for e in evidence)
        ]
    return problems
