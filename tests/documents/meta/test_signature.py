"""The 落款: signer and date at the end of a document or of its cover notice."""

from __future__ import annotations

from rag.documents.meta.signature import signature_fields

from .conftest import page


def sig(text: str) -> dict[str, str]:
    return {f.field: f.value for f in signature_fields(page(text))}


def test_signer_and_date_with_lines_between() -> None:
    text = "关于某事的复函\n某代表:\n您的建议收悉,现答复如下。\n联系电话:12345678\n某县交通运输局\n(此件公开发布)\n2023年10月16日"
    assert sig(text) == {"issuer": "某县交通运输局", "date": "2023-10-16"}


def test_first_of_several_signers_side_by_side_and_chinese_numerals() -> None:
    text = "各单位:\n现印发给你们,请认真贯彻执行。\n某省卫生厅        某省发展和改革委员会\n某省教育厅        某省公安厅\n二○○九年五月一日"
    assert sig(text) == {"issuer": "某省卫生厅", "date": "2009-05-01"}


def test_the_cover_notice_signature_comes_first() -> None:
    text = "各单位:\n现将方案印发给你们。\n某市人民政府办公室\n2023年3月13日\n某市行动方案\n一、总体目标。\n某市领导小组\n2023年4月1日"
    assert sig(text) == {"issuer": "某市人民政府办公室", "date": "2023-03-13"}


def test_a_date_in_the_page_header_is_no_signature_and_lost_marks_are_read() -> None:
    assert sig("2023年11月5日 星期天\n某局关于某事的答复\n正文第一句,说明情况。") == {}
    assert sig("正文第一句,说明情况。\n某区文化旅游和广播电视局\n2019615")["date"] == "2019-06-15"
