"""Label-free header lists: values only, read by their shape."""

from __future__ import annotations

from rag.documents.meta.value_list import is_index_number, value_list_fields

from .conftest import page


def test_values_read_by_shape() -> None:
    text = "  • 005253197/2021-00019\n  • 某区城市管理局\n  • 建议\n  • 2021-06-08\n关于某事建议的答复\n某代表:\n您提出的建议收悉。"
    found = {f.field: f.value for f in value_list_fields(page(text))}
    assert found["issuer"] == "某区城市管理局"
    assert found["publish_date"] == "2021-06-08"
    assert found["title"] == "关于某事建议的答复"


def test_without_an_index_number_there_is_no_list() -> None:
    assert value_list_fields(page("某区城市管理局\n2021-06-08\n正文第一句。")) == []


def test_index_number_shapes() -> None:
    for code in (
        "11500224009334154B/2024-00040",
        "01525724-7-/2020-1009007",
        "bxszfhcxjsj-2019-00113",
        "HHCR-2023-01005",
    ):
        assert is_index_number(code)
    assert not is_index_number("关于某事的通知")
