"""Benchmark data: the sample corpus chunked, synthetic corpora of any size, the question sets.

Kept independent of rag/ chunking on purpose: the benchmark compares retrieval engines on the
same chunks, whatever the application's chunker does later.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.textnorm import fold_for_match

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "eval" / "corpus"
QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"
DEV_SET = ROOT / "eval" / "datasets" / "dev.jsonl"

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n+")


@dataclass(frozen=True)
class Chunk:
    id: str
    text: str
    source: str


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    evidence: tuple[str, ...]
    gold_docs: tuple[str, ...]
    kind: str


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def chunk_text(text: str, size: int = 400, overlap: int = 80) -> list[str]:
    """Pack sentences into ~size-character chunks; the last sentences (<= overlap chars) repeat in the next."""
    chunks: list[str] = []
    current: list[str] = []
    length = 0
    for sent in sentences(text):
        while len(sent) > size:  # a run-on line: cut it hard
            head, sent = sent[:size], sent[size - overlap :]
            if current:
                chunks.append("\n".join(current))
                current, length = [], 0
            chunks.append(head)
        if length + len(sent) > size and current:
            chunks.append("\n".join(current))
            tail: list[str] = []
            for prev in reversed(current):
                if sum(len(t) for t in tail) + len(prev) > overlap:
                    break
                tail.insert(0, prev)
            current, length = tail, sum(len(t) for t in tail)
        current.append(sent)
        length += len(sent)
    if current:
        chunks.append("\n".join(current))
    return chunks


def sample_chunks(size: int = 400, overlap: int = 80) -> list[Chunk]:
    out = []
    for path in sorted(CORPUS_DIR.glob("0*.txt")):
        for i, text in enumerate(chunk_text(path.read_text(encoding="utf-8"), size, overlap)):
            out.append(Chunk(id=f"{path.stem}#{i:03d}", text=text, source=path.name))
    return out


def synthetic_chunks(n: int, seed: int = 0, target_chars: int = 300) -> list[Chunk]:
    """``n`` chunks of shuffled sample-corpus sentences: realistic vocabulary, arbitrary size."""
    pool = [s for c in sample_chunks() for s in sentences(c.text) if len(s) >= 8]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        parts: list[str] = []
        while sum(len(p) for p in parts) < target_chars:
            parts.append(rng.choice(pool))
        out.append(Chunk(id=f"syn{i:07d}", text="".join(parts), source=f"syn{i // 50:05d}.txt"))
    return out


def _load(path: Path) -> list[Question]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row: dict[str, Any] = json.loads(line)
        if not row.get("answerable", True) or not row.get("evidence") or row.get("history"):
            continue
        if row.get("kind") == "followup":  # needs chat history; not a retrieval question on its own
            continue
        out.append(
            Question(
                id=str(row["id"]),
                question=str(row["question"]),
                evidence=tuple(row["evidence"]),
                gold_docs=tuple(row.get("gold_docs", [])),
                kind=str(row.get("kind", "fact")),
            )
        )
    return out


def questions(include_dev: bool = True) -> list[Question]:
    """The bench questions, plus the dev set's answerable ones when it exists."""
    out = _load(QUESTIONS)
    if include_dev and DEV_SET.exists():
        out += _load(DEV_SET)
    return out


def evidence_rank(q: Question, passages: list[str]) -> int | None:
    """1-based rank of the first passage containing any evidence string (folded match), else None."""
    needles = [fold_for_match(e) for e in q.evidence]
    for rank, passage in enumerate(passages, start=1):
        folded = fold_for_match(passage)
        if any(n in folded for n in needles):
            return rank
    return None
