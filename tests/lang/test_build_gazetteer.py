"""The one-off gazetteer builder: short forms, hierarchy, historical rows (on a tiny hand-made list)."""

from __future__ import annotations

from eval.tools.build_gazetteer import build, short_forms
from rag.lang.data import read_list


def test_short_forms() -> None:
    suffixes, ethnic = read_list("place_suffixes.txt"), read_list("ethnic_groups.txt")
    assert short_forms("浙江省", suffixes, ethnic) == ["浙江"]
    assert short_forms("内蒙古自治区", suffixes, ethnic) == ["内蒙古"]
    assert short_forms("恩施土家族苗族自治州", suffixes, ethnic) == ["恩施", "恩施州", "恩施自治州"]
    assert short_forms("金林区", suffixes, ethnic) == ["金林"]
    assert short_forms("沙县", suffixes, ethnic) == []
    assert short_forms("鄂伦春自治旗", suffixes, ethnic) == []


def test_build_hierarchy_and_history() -> None:
    rows = [
        ("500000", "重庆市"),
        ("500100", "重庆市"),  # grouping row of the municipality
        ("500151", "铜梁区"),
        ("420000", "湖北省"),
        ("429004", "仙桃市"),  # 省直辖县级市
        ("130000", "河北省"),
        ("130400", "邯郸市"),
        ("130408", "永年区"),
    ]
    historical = [("500112", "渝北区"), ("130429", "永年县"), ("500100", "市辖区")]
    table = {row[0]: row for row in build(rows, historical)}
    assert "500100" not in table
    assert table["500151"][3:5] == ("county", "500000")
    assert table["429004"][3:5] == ("county", "420000")
    assert table["500112"][5] == "historical" and table["500112"][4] == "500000"
    assert "130429" not in table and "永年县" in table["130408"][2].split("|")
