"""Filter -> boolean mask over index slots, vectorised so filtering 100k records costs ~1 ms.

``Filter.matches`` (index.records) is the definition; this module computes the same predicate
column-wise (dictionary-encoded values, string dates) and caches masks until the records change.
A test checks the mask against ``Filter.matches`` record by record.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from index.records import Filter

BoolMask = npt.NDArray[np.bool_]
_UNHASHABLE = -1


def filter_key(flt: Filter) -> Hashable:
    """A hashable identity of a filter (Filter holds mappings, so it is not hashable itself)."""
    equals = tuple(sorted((key, tuple(_hashable(v) for v in values)) for key, values in flt.equals.items()))
    return (equals, flt.date_from, flt.date_to, flt.date_field)


def _hashable(value: Any) -> Hashable:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


class MetaMasker:
    """Column cache over the metas of all slots (None = deleted slot, never matches)."""

    def __init__(self) -> None:
        self._metas: Sequence[Mapping[str, Any] | None] = []
        self._columns: dict[str, tuple[npt.NDArray[np.int32], dict[Any, int]]] = {}
        self._dates: dict[str, npt.NDArray[np.str_]] = {}
        self._masks: dict[Hashable, BoolMask] = {}
        self._live: BoolMask = np.zeros(0, dtype=bool)

    def reset(self, metas: Sequence[Mapping[str, Any] | None]) -> None:
        """Call after every change of the records; drops all cached columns and masks."""
        self._metas = metas
        self._columns.clear()
        self._dates.clear()
        self._masks.clear()
        self._live = np.fromiter((m is not None for m in metas), dtype=bool, count=len(metas))

    @property
    def live(self) -> BoolMask:
        return self._live

    def mask(self, flt: Filter | None) -> BoolMask:
        """Slots that are live and satisfy ``flt``. The returned array must not be modified."""
        if flt is None or flt.is_empty():
            return self._live
        key = filter_key(flt)
        cached = self._masks.get(key)
        if cached is not None:
            return cached
        result = self._live.copy()
        for field, allowed in flt.equals.items():
            result &= self._equals_mask(field, allowed)
        if flt.date_from is not None or flt.date_to is not None:
            dates = self._date_column(flt.date_field)
            result &= dates != ""
            if flt.date_from is not None:
                result &= dates >= flt.date_from
            if flt.date_to is not None:
                result &= dates <= flt.date_to
        if len(self._masks) > 64:
            self._masks.clear()
        self._masks[key] = result
        return result

    def _equals_mask(self, field: str, allowed: Sequence[Any]) -> BoolMask:
        codes, table = self._column(field)
        wanted = []
        for value in allowed:
            try:
                code = table.get(value)
            except TypeError:
                continue
            if code is not None:
                wanted.append(code)
        if not wanted:
            return np.zeros(len(codes), dtype=bool)
        return np.isin(codes, np.asarray(wanted, dtype=np.int32))

    def _column(self, field: str) -> tuple[npt.NDArray[np.int32], dict[Any, int]]:
        column = self._columns.get(field)
        if column is None:
            table: dict[Any, int] = {}
            codes = np.full(len(self._metas), _UNHASHABLE, dtype=np.int32)
            for slot, meta in enumerate(self._metas):
                if meta is None:
                    continue
                value = meta.get(field)
                try:
                    codes[slot] = table.setdefault(value, len(table))
                except TypeError:  # lists/dicts never equal a scalar filter value
                    continue
            column = (codes, table)
            self._columns[field] = column
        return column

    def _date_column(self, field: str) -> npt.NDArray[np.str_]:
        dates = self._dates.get(field)
        if dates is None:
            values = []
            for meta in self._metas:
                value = None if meta is None else meta.get(field)
                values.append(value if isinstance(value, str) else "")
            dates = np.asarray(values, dtype=str) if values else np.zeros(0, dtype="<U1")
            self._dates[field] = dates
        return dates
