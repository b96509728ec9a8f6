"""Search filters from JSON-ish mappings (API bodies, LangChain invoke kwargs) and from CLI KEY=VALUE pairs.

One list of filterable keys for every entry point, so the CLI, the HTTP API and the LangChain
retriever accept exactly the same filters. Visibility is still forced by the audience in
``rag.retrieval.audience_filter``: a filter can narrow a citizen's search, never widen it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from index.records import Filter
from rag.errors import RagError

FILTER_KEYS: tuple[str, ...] = ("issuer", "doc_number", "region", "doc_type", "visibility", "source", "title")
DATE_KEYS: tuple[str, ...] = ("date_from", "date_to")


class FilterError(RagError):
    """A filter names an unknown field or has a value of the wrong type."""


def filter_from_mapping(obj: Mapping[str, Any] | Filter | None) -> Filter | None:
    """``{"region": "铜梁区", "doc_type": ["通知", "方案"], "date_from": "2023-01-01"}`` into a Filter.

    A list allows any of its values; ``None`` or an empty mapping means no filter."""
    if obj is None or isinstance(obj, Filter):
        return obj if obj is None or not obj.is_empty() else None
    equals: dict[str, list[str | None]] = {}
    dates: dict[str, str] = {}
    for key, value in obj.items():
        if key in DATE_KEYS:
            if not isinstance(value, str):
                raise FilterError(f"过滤字段 {key} 应为 YYYY-MM-DD 形式的日期字符串，收到 {value!r}。")
            dates[key] = value.strip()
        elif key in FILTER_KEYS:
            values = value if isinstance(value, list | tuple) else [value]
            if not all(isinstance(v, str) for v in values):
                raise FilterError(f"过滤字段 {key} 的值应为字符串或字符串列表，收到 {value!r}。")
            equals[key] = [str(v).strip() for v in values]
        else:
            raise FilterError(f"未知的过滤字段 {key!r}；可用：{', '.join(FILTER_KEYS + DATE_KEYS)}。")
    if not equals and not dates:
        return None
    return Filter(equals=equals, date_from=dates.get("date_from"), date_to=dates.get("date_to"))
