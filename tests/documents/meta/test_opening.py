"""The issuing authority as the opening names it."""

from __future__ import annotations

from rag.documents.meta.opening import adopting_body, byline, representative, title_opening

from .conftest import page


def test_title_opening() -> None:
    found = title_opening("某市水务局关于某市政协七届三次会议第261号提案的答复")
    assert found is not None and found.value == "某市水务局"
    found = title_opening("某省人民政府贯彻国务院关于某事的实施意见")
    assert found is not None and found.value == "某省人民政府"
    assert title_opening("关于某事的通知") is None
    assert title_opening("发布了关于某事的通知") is None


def test_adopting_body_session_or_committee() -> None:
    session = adopting_body(page("(2022年12月28日竹山县第十九届人民代表大会第二次会议通过)\n会议听取了报告。"))
    assert session is not None and session.value == "竹山县第十九届人民代表大会第二次会议"
    committee = adopting_body(page("(2024年2月28日福州市第十六届人大常委会第十六次会议通过)\n根据报告,决定如下。"))
    assert committee is not None and committee.value == "福州市第十六届人大常委会"


def test_representative_and_byline() -> None:
    found = representative(page("各位代表:\n现在,我代表南开区人民政府,向大会作政府工作报告,请予审议。"))
    assert found is not None and found.value == "南开区人民政府"
    assert representative(page("现在,我代表市人民政府向大会报告工作,请予审议。")) is None  # names no place
    found = byline(
        page("关于某项工作情况的报告\n北京市人民代表大会常务委员会代表联络室主任李文\n主任、各位委员:\n现报告如下。")
    )
    assert found is not None and found.value == "北京市人民代表大会常务委员会"
