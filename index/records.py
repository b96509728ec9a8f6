"""What the index knows: records of (id, text, meta) and hits. Nothing of documents or prompts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MetaValue = str | int | float | bool | None


@dataclass(frozen=True)
class Record:
    """One searchable unit.

    ``text`` is what BM25 and the embedder see (the application may prepend title and
    heading path). ``meta`` is stored and returned as-is; scalar fields can be filtered on.
    The application keeps the human-readable passage in ``meta["display_text"]``.
    """

    id: str
    text: str
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    """A search result: the record, its fused score and the per-retriever ranks that produced it."""

    id: str
    score: float
    text: str
    meta: Mapping[str, Any]
    ranks: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Filter:
    """Metadata constraints applied inside the search, before top-k.

    ``equals``: field -> allowed values (any of). ``date_from``/``date_to``: inclusive ISO
    bounds on ``meta[date_field]``; records without a date fail a date constraint.
    """

    equals: Mapping[str, Sequence[MetaValue]] = field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None
    date_field: str = "date"

    def is_empty(self) -> bool:
        return not self.equals and self.date_from is None and self.date_to is None

    def matches(self, meta: Mapping[str, Any]) -> bool:
        """Pure predicate used by every backend, so local and Milvus filter identically."""
        for key, allowed in self.equals.items():
            if meta.get(key) not in allowed:
                return False
        if self.date_from is not None or self.date_to is not None:
            value = meta.get(self.date_field)
            if not isinstance(value, str) or not value:
                return False
            if self.date_from is not None and value < self.date_from:
                return False
            if self.date_to is not None and value > self.date_to:
                return False
        return True

    def with_equals(self, key: str, values: Sequence[MetaValue]) -> Filter:
        """A copy with one more constraint; used to force visibility=public on the citizen path."""
        merged = dict(self.equals)
        merged[key] = list(values)
        return Filter(equals=merged, date_from=self.date_from, date_to=self.date_to, date_field=self.date_field)
