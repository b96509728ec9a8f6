"""Turn the staff search form into an ``index.records.Filter``.

Form values arrive as loose strings (empty dropdowns, half-typed dates); this module is the
one place that validates them, so the facade only ever sees a well-formed Filter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.assistant import Filter
from rag.errors import RagError

ANY = "全部"
_DATE = re.compile(r"^(\d{4})(?:[-/.年](\d{1,2}))?(?:[-/.月](\d{1,2}))?日?$")


class FilterInputError(RagError):
    """A search-form value cannot be used as a filter."""


def normalise_date(value: str | None, *, end: bool) -> str | None:
    """``2024`` / ``2024-6`` / ``2024年6月4日`` -> ISO bound; an open year or month covers its whole span.

    ``end`` picks the last day of a partial date so that "到 2024" includes all of 2024 under
    the string comparison the index uses.
    """
    text = (value or "").strip()
    if not text:
        return None
    m = _DATE.match(text)
    if not m:
        raise FilterInputError(f"日期“{text}”无法识别。请写成 2024-06-04、2024-06 或 2024。")
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month is None:
        return f"{year}-12-31" if end else f"{year}-01-01"
    if not 1 <= int(month) <= 12:
        raise FilterInputError(f"日期“{text}”的月份不在 1–12 之间。")
    mm = f"{int(month):02d}"
    if day is None:
        return f"{year}-{mm}-31" if end else f"{year}-{mm}-01"
    if not 1 <= int(day) <= 31:
        raise FilterInputError(f"日期“{text}”的日不在 1–31 之间。")
    return f"{year}-{mm}-{int(day):02d}"


def _chosen(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    values = [value] if isinstance(value, str) else list(value)
    return [v.strip() for v in values if v and v.strip() and v.strip() != ANY]


def build_filter(
    *,
    issuer: str | Sequence[str] | None = None,
    doc_number: str | Sequence[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    region: str | Sequence[str] | None = None,
    doc_type: str | Sequence[str] | None = None,
    visibility: str | Sequence[str] | None = None,
) -> Filter | None:
    """A Filter from form values, or None when nothing is constrained ("全部" means no constraint)."""
    equals: dict[str, list[str | int | float | bool | None]] = {}
    for key, raw in (
        ("issuer", issuer),
        ("doc_number", doc_number),
        ("region", region),
        ("doc_type", doc_type),
        ("visibility", visibility),
    ):
        chosen = _chosen(raw)
        if chosen:
            equals[key] = list(chosen)
    lo = normalise_date(date_from, end=False)
    hi = normalise_date(date_to, end=True)
    if lo and hi and lo > hi:
        raise FilterInputError(f"起始日期 {lo} 晚于截止日期 {hi}，请调换或修改。")
    flt = Filter(equals=equals, date_from=lo, date_to=hi)
    return None if flt.is_empty() else flt
