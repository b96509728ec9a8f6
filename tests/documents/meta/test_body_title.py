"""The body's own title line, by layout."""

from __future__ import annotations

import pytest

from rag.documents.meta.body_title import body_title

from .conftest import page


def title(text: str) -> str | None:
    found = body_title(page(text))
    return found.value if found else None


def test_red_head_title_broken_across_lines_with_its_issuer_line() -> None:
    text = "某市卫生健康局\n关于对市七届人大五次会议第71号建议的\n答 复\n某卫发〔2023〕148号\n尊敬的王代表:\n您好!"
    assert title(text) == "某市卫生健康局关于对市七届人大五次会议第71号建议的答复"


def test_joint_issuers_above_the_title_are_not_part_of_it() -> None:
    text = "某市公安局交通警察支队\n某市住房和城乡建设局\n关于某路段维修期间实施交通管制的通告\n为保障工程顺利进行,特通告如下。"
    assert title(text) == "关于某路段维修期间实施交通管制的通告"


def test_headline_above_the_page_publication_line() -> None:
    text = "站内搜索\n当前位置: 首页 > 提案工作\n某委召开提案办理工作协商会\n来源: 某委 发布时间:2018-09-04\n8月30日,某委组织委员开展协商。"
    assert title(text) == "某委召开提案办理工作协商会"


def test_title_above_a_date_note_beats_a_wrong_header_line() -> None:
    text = "某市长廉政工作会讲话(录音整理稿)\n某某市长\n在全市安全生产电视电话会议上的讲话\n(2011年1月12日)\n同志们:\n刚才,我们收看了会议。"
    assert title(text) == "在全市安全生产电视电话会议上的讲话"


@pytest.mark.parametrize(
    "junk",
    [
        "您当前所在的位置:首页 > 政务公开 > 关于某事的通知",
        "11500224009334154B/2024-00040",
        "a95b264fbd3d0831dcce95d1407e1d79_副本.jpg",
        "2024-06-04",
        "某政发〔2018〕13号",
        "【打印本页】 【关闭本页】",
        "名 称: 关于某事",
    ],
)
def test_breadcrumbs_index_numbers_file_names_dates_and_widgets_are_never_titles(junk: str) -> None:
    assert title(f"{junk}\n关于做好某项工作的通知\n各单位:\n现将有关事项通知如下。") == "关于做好某项工作的通知"


def test_prefixes_and_appended_doc_numbers_are_cleaned() -> None:
    assert (
        title("政务服务丨某市人民政府关于深化改革的实施意见\n各县人民政府:\n现提出如下意见。")
        == "某市人民政府关于深化改革的实施意见"
    )
    assert (
        title("某政发〔2014〕20号《某省人民政府关于改革的实施意见》\n浏览量: 时间:2016-01-17")
        == "某省人民政府关于改革的实施意见"
    )
    assert title("某办公室印发《关于某事的实施意见》的通知(某办发〔2017〕2号)\n来源:某网 日期:2017-01-12") == (
        "某办公室印发《关于某事的实施意见》的通知"
    )


def test_a_page_flattened_onto_one_line() -> None:
    text = (
        "某省人民政府关于推进某项改革的实施意见 某政发[2009]69号 2009-11-03 为贯彻落实有关精神,现结合我省实际,提出以下实施意见。"
        * 2
    )
    assert title(text) == "某省人民政府关于推进某项改革的实施意见"


def test_headline_with_its_dash_subtitle() -> None:
    text = "栏目名称很长的一行文字标题\n牢记嘱托实干奋进 全力推动工作\n——某市例会发言摘登\n核心提示\n4月26日上午,市委召开例会。"
    assert title(text) == "牢记嘱托实干奋进 全力推动工作——某市例会发言摘登"


def test_a_page_flattened_onto_one_huge_line_is_searched_for_its_title_only_near_its_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A 10,000-character one-line page once took ~15 s (a closing-word check per prefix: quadratic)."""
    from rag.documents.meta import body_title as module

    calls: list[int] = []
    real = module.closing_type

    def counting(text: str) -> str | None:
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr(module, "closing_type", counting)
    body = "各地要按照统筹推进城乡发展的要求加快推进基础设施建设" * 400
    title(body)
    assert len(calls) <= 2 * module.MAX_TITLE_CHARS and max(calls) <= module.MAX_TITLE_CHARS
