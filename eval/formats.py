"""Loaders for public Chinese RAG evaluation sets, converted to ``EvalItem``.

- DuReader-retrieval (``dev.json``: one JSON object a line with ``question_id``, ``question``,
  ``answer_paragraphs: [{"paragraph_id", "paragraph_text"}]``). It is a retrieval set: items get
  no answer strings, ``gold_docs`` are ``<paragraph_id>.txt`` and the evidence is the opening of
  each positive paragraph (short enough to sit inside one chunk).
- CRUD-RAG question answering (``split_merged.json`` with ``questanswer_1doc`` /
  ``questanswer_2docs`` / ``questanswer_3docs``, or a list of such items): ``questions``,
  ``answers`` (a free-text reference), ``news1``..``news3``. The reference goes to
  ``EvalItem.reference``; the evidence is the sentence of the news texts that shares most
  characters with the reference, and ``gold_docs`` are ``crud_<ID>_news<n>.txt``.

``export_corpus`` writes the passages/news of such a file as .txt files with exactly those
names, so ``rag ingest`` on that folder makes ``gold_docs`` and doc-hit@k meaningful.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from eval.dataset import DatasetError, EvalItem, detect_format
from index.textnorm import fold_for_match

EVIDENCE_CHARS = 40  # DuReader: opening characters of a positive paragraph used as evidence
CRUD_TASKS = ("questanswer_1doc", "questanswer_2docs", "questanswer_3docs")
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")


def _json_records(path: Path, text: str) -> list[Any]:
    """A JSON document (object or list) or JSONL: whichever the file is."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        records = []
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path}:{lineno}：不是合法的 JSON（{exc.msg}）。") from exc
        return records
    return value if isinstance(value, list) else [value]


# ---------------------------------------------------------------- DuReader-retrieval


def _evidence_opening(paragraph: str) -> str:
    """The first sentence of a paragraph, cut to EVIDENCE_CHARS characters."""
    text = paragraph.strip()
    first = _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""
    return (first or text)[:EVIDENCE_CHARS]


def read_dureader(path: Path, text: str) -> list[EvalItem]:
    items: list[EvalItem] = []
    for n, rec in enumerate(_json_records(path, text), start=1):
        where = f"{path}（第 {n} 条）"
        if not isinstance(rec, Mapping) or "question" not in rec:
            raise DatasetError(f"{where}：DuReader-retrieval 条目缺少 question 字段。")
        paragraphs = rec.get("answer_paragraphs") or []
        if not isinstance(paragraphs, list):
            raise DatasetError(f"{where}：answer_paragraphs 应为列表。")
        docs = tuple(f"{p['paragraph_id']}.txt" for p in paragraphs if isinstance(p, Mapping) and "paragraph_id" in p)
        evidence = tuple(
            _evidence_opening(str(p.get("paragraph_text", "")))
            for p in paragraphs
            if isinstance(p, Mapping) and str(p.get("paragraph_text", "")).strip()
        )
        items.append(
            EvalItem(
                id=str(rec.get("question_id") or f"dureader-{n}"),
                question=str(rec["question"]),
                gold_docs=docs,
                evidence=evidence,
                answerable=True,
                kind="dureader",
            )
        )
    return items


# ---------------------------------------------------------------- CRUD-RAG


def _crud_records(path: Path, text: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(kind, record) pairs from either the merged file or a plain list of question items."""
    for value in _json_records(path, text):
        if isinstance(value, Mapping) and any(t in value for t in CRUD_TASKS):
            for task in CRUD_TASKS:
                for rec in value.get(task) or []:
                    yield task.replace("questanswer_", "crud_"), rec
        elif isinstance(value, Mapping):
            news = sum(1 for key in ("news1", "news2", "news3") if value.get(key))
            yield f"crud_{news}doc" + ("s" if news > 1 else ""), value


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def best_evidence(reference: str, texts: list[str]) -> str:
    """The sentence of ``texts`` sharing most character bigrams with ``reference`` ('' if none do).

    CRUD-RAG gives a free-text reference answer, not an evidence span; a retrieved chunk that
    holds the most similar source sentence is the closest honest proxy for "found the evidence".
    """
    ref = fold_for_match(reference)
    ref_bigrams = {ref[i : i + 2] for i in range(len(ref) - 1)}
    best, best_score = "", 0
    for text in texts:
        for sentence in _sentences(text):
            s = fold_for_match(sentence)
            score = len(ref_bigrams & {s[i : i + 2] for i in range(len(s) - 1)})
            if score > best_score:
                best, best_score = sentence, score
    return best


def crud_doc_name(item_id: str, n: int) -> str:
    return f"crud_{item_id}_news{n}.txt"


def _crud_id(rec: Mapping[str, Any], n: int) -> str:
    """The item's id; read_crud and export_corpus must agree on it, or gold_docs name files never written."""
    return str(rec.get("ID") or rec.get("id") or f"crud-{n}")


def _crud_news(rec: Mapping[str, Any]) -> list[tuple[int, str]]:
    """(n, text) of the news1..news3 fields the record has."""
    return [(i, str(rec[f"news{i}"])) for i in (1, 2, 3) if rec.get(f"news{i}")]


def read_crud(path: Path, text: str) -> list[EvalItem]:
    items: list[EvalItem] = []
    for n, (kind, rec) in enumerate(_crud_records(path, text), start=1):
        where = f"{path}（第 {n} 条）"
        if not isinstance(rec, Mapping) or not rec.get("questions"):
            raise DatasetError(f"{where}：CRUD-RAG 条目缺少 questions 字段。")
        item_id = _crud_id(rec, n)
        news = _crud_news(rec)
        reference = str(rec.get("answers") or "")
        evidence = best_evidence(reference, [t for _, t in news]) if reference else ""
        items.append(
            EvalItem(
                id=item_id,
                question=str(rec["questions"]),
                gold_docs=tuple(crud_doc_name(item_id, i) for i, _ in news),
                evidence=(evidence,) if evidence else (),
                answerable=True,
                kind=kind,
                reference=reference,
            )
        )
    return items


# ---------------------------------------------------------------- corpus export


def export_corpus(path: Path, out_dir: Path) -> list[Path]:
    """Write the passages (DuReader) or news texts (CRUD-RAG) of a public set as ingestible .txt files.

    File names match the ``gold_docs`` the loaders produce. Returns the written paths.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    fmt = detect_format(text)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    if fmt == "dureader":
        for rec in _json_records(path, text):
            for p in rec.get("answer_paragraphs") or []:
                name = f"{p['paragraph_id']}.txt"
                written[name] = out_dir / name
                written[name].write_text(str(p.get("paragraph_text", "")), encoding="utf-8")
    elif fmt == "crud":
        for n, (_, rec) in enumerate(_crud_records(path, text), start=1):
            item_id = _crud_id(rec, n)
            for i, news in _crud_news(rec):
                name = crud_doc_name(item_id, i)
                written[name] = out_dir / name
                written[name].write_text(news, encoding="utf-8")
    else:
        raise DatasetError(f"{path}：只有 DuReader-retrieval 和 CRUD-RAG 格式的文件可以导出语料。")
    return sorted(written.values())
