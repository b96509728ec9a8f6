"""Feedback store: 👍/👎 ratings with an optional comment, one JSON object a line in RAG_HOME.

Each entry keeps the question, the answer and its citations as they were shown, so a
reviewer can later see exactly what the citizen rated even after the index has changed.
JSONL is append-only and readable with any tool; a lock keeps concurrent UI sessions
from interleaving lines.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from rag.errors import RagError
from rag.models import Answer
from rag.settings import Settings

log = logging.getLogger(__name__)

Rating = Literal["up", "down"]
RATINGS: tuple[str, ...] = ("up", "down")
MAX_COMMENT_CHARS = 2000


class FeedbackError(RagError):
    """Feedback could not be recorded or read."""


@dataclass(frozen=True)
class FeedbackEntry:
    """One rating of one answer."""

    question: str
    answer: str
    citations: list[dict[str, Any]]
    rating: Rating
    comment: str = ""
    timestamp: str = ""  # ISO 8601, UTC
    refused: bool = False
    audience: str = "citizen"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeedbackEntry:
        rating = data.get("rating")
        if rating not in RATINGS:
            raise FeedbackError(f"反馈记录的评分无效：{rating!r}（应为 up 或 down）。")
        return cls(
            question=str(data.get("question", "")),
            answer=str(data.get("answer", "")),
            citations=list(data.get("citations") or []),
            rating=rating,
            comment=str(data.get("comment", "")),
            timestamp=str(data.get("timestamp", "")),
            refused=bool(data.get("refused", False)),
            audience=str(data.get("audience", "citizen")),
            extra=dict(data.get("extra") or {}),
        )


def make_entry(
    answer: Answer,
    rating: str,
    comment: str = "",
    *,
    question: str | None = None,
    audience: str = "citizen",
    now: datetime | None = None,
) -> FeedbackEntry:
    """Build an entry from the answer that was shown; validates the rating and trims the comment."""
    if rating not in RATINGS:
        raise FeedbackError(f"评分无效：{rating!r}。只接受 up（👍）或 down（👎）。")
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    return FeedbackEntry(
        question=question if question is not None else answer.question,
        answer=answer.answer,
        citations=[c.to_json() for c in answer.citations],
        rating=rating,  # type: ignore[arg-type]  # checked against RATINGS above
        comment=comment.strip()[:MAX_COMMENT_CHARS],
        timestamp=stamp,
        refused=answer.refused,
        audience=audience,
    )


class FeedbackStore:
    """Append-only JSONL file of feedback entries."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> FeedbackStore:
        return cls(settings.feedback_path)

    def add(self, entry: FeedbackEntry) -> None:
        line = json.dumps(entry.to_json(), ensure_ascii=False) + "\n"
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(line)
                    fh.flush()
        except OSError as exc:
            raise FeedbackError(f"无法写入反馈文件 {self.path}：{exc}。请检查 RAG_HOME 目录是否存在且可写。") from exc
        log.info("feedback recorded: rating=%s audience=%s", entry.rating, entry.audience)

    def __iter__(self) -> Iterator[FeedbackEntry]:
        """Entries in file order; a damaged line is logged and skipped so one bad write never hides the rest."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    yield FeedbackEntry.from_json(json.loads(line))
                except (json.JSONDecodeError, FeedbackError, TypeError, AttributeError) as exc:
                    log.warning("skipping damaged feedback line %s:%d: %s", self.path, lineno, exc)

    def entries(self) -> list[FeedbackEntry]:
        return list(self)
