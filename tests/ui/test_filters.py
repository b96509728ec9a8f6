from __future__ import annotations

import pytest

from ui.filters import ANY, FilterInputError, build_filter, normalise_date


@pytest.mark.parametrize(
    ("raw", "end", "expected"),
    [
        ("2024", False, "2024-01-01"),
        ("2024", True, "2024-12-31"),
        ("2024-6", True, "2024-06-31"),
        ("2024年6月4日", False, "2024-06-04"),
        ("2024/06/04", True, "2024-06-04"),
        ("", False, None),
        (None, True, None),
    ],
)
def test_normalise_date(raw: str | None, end: bool, expected: str | None) -> None:
    assert normalise_date(raw, end=end) == expected


@pytest.mark.parametrize("raw", ["昨天", "2024-13", "2024-02-40", "24-1-1"])
def test_normalise_date_rejects_nonsense(raw: str) -> None:
    with pytest.raises(FilterInputError):
        normalise_date(raw, end=False)


def test_all_any_means_no_filter() -> None:
    assert build_filter(issuer=ANY, doc_number="", region=None, doc_type=ANY, visibility=ANY) is None


def test_filter_combines_fields_and_date_range() -> None:
    flt = build_filter(
        issuer="铜梁区经济信息委", doc_type=["复函"], visibility="internal", date_from="2024", date_to="2024-06"
    )
    assert flt is not None
    assert flt.equals == {"issuer": ["铜梁区经济信息委"], "doc_type": ["复函"], "visibility": ["internal"]}
    assert (flt.date_from, flt.date_to) == ("2024-01-01", "2024-06-31")
    assert flt.matches(
        {"issuer": "铜梁区经济信息委", "doc_type": "复函", "visibility": "internal", "date": "2024-06-04"}
    )
    assert not flt.matches(
        {"issuer": "铜梁区经济信息委", "doc_type": "复函", "visibility": "public", "date": "2024-06-04"}
    )
    assert not flt.matches(
        {"issuer": "铜梁区经济信息委", "doc_type": "复函", "visibility": "internal", "date": "2024-07-01"}
    )


def test_reversed_date_range_is_an_error() -> None:
    with pytest.raises(FilterInputError, match="晚于"):
        build_filter(date_from="2024-06-01", date_to="2023")
