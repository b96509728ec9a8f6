"""文章来源 lines, news credits and the site owner."""

from __future__ import annotations

from rag.documents.meta.source_line import site_owner, source_issuer

from .conftest import page


def test_source_values() -> None:
    assert source_issuer("某市卫生健康局") == "某市卫生健康局"
    assert source_issuer("交通運輸部網站") == "交通運輸部"  # a website names its owner
    assert source_issuer("县政府办2022-08-11") == "县政府办"
    assert source_issuer("网友投稿") is None
    assert source_issuer("法律资料网") is None


def test_site_owner_from_the_footer() -> None:
    text = "正文第一句,说明情况。\n版权所有:中国人民政治协商会议某某市委员会\n地址:某路1号 联系电话:0912-0000000"
    found = site_owner(page(text))
    assert [f.value for f in found] == ["中国人民政治协商会议某某市委员会"]
