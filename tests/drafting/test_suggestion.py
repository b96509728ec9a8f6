"""The suggestion input: frame words stripped, asks from the title's clauses and the text's sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.drafting import Suggestion
from rag.errors import RagError


def test_topic_strips_the_frame_around_the_matter() -> None:
    assert Suggestion(title="《关于加快全区工业经济发展的建议》").topic() == "加快全区工业经济发展"
    assert Suggestion(title="关于撤销延平区设立县级延平市的建议提案").topic() == "撤销延平区设立县级延平市"
    assert Suggestion(title="乡间路维护").topic() == "乡间路维护"


def test_asks_come_from_the_title_clauses_and_the_text_sentences() -> None:
    s = Suggestion(
        title="关于加强中牟县与郑州主城区、航空港区互联互通的建议",
        text="建议开通水上旅游线路。建议增加公交班次，方便群众出行。",
    )
    asks = s.asks()
    assert asks[0] == "加强中牟县与郑州主城区、航空港区互联互通"
    assert "航空港区互联互通" in asks
    assert any("水上旅游线路" in a for a in asks) and any("公交班次" in a for a in asks)
    assert len(asks) == len(set(asks))


def test_number_is_normalised_and_a_blank_title_is_refused(tmp_path: Path) -> None:
    assert Suggestion(title="x建议", number="61").number == "第61号"
    assert Suggestion(title="x建议", number="第B(2019)331号").number == "第B(2019)331号"
    with pytest.raises(RagError, match="标题"):
        Suggestion.from_inputs("  ")


def test_text_file_is_read_as_utf8_or_gbk(tmp_path: Path) -> None:
    gbk = tmp_path / "建议.txt"
    gbk.write_bytes("建议增加公交班次。".encode("gbk"))
    s = Suggestion.from_inputs("关于公交的建议", gbk, deputy=" 张三 ", region="")
    assert s.text == "建议增加公交班次。" and s.deputy == "张三"
    with pytest.raises(RagError, match="无法读取"):
        Suggestion.from_inputs("关于公交的建议", tmp_path / "missing.txt")
