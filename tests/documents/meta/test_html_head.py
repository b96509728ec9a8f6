"""An HTML page's declared titles, site suffix removed; the loader fills them in."""

from __future__ import annotations

from pathlib import Path

from rag.documents.loaders import load_file
from rag.documents.meta.html_head import head_title
from rag.documents.meta.titles import strip_site_suffix

from .conftest import page


def test_site_suffixes_are_removed_by_separator_not_by_site_name() -> None:
    assert strip_site_suffix("某某市人民政府关于某事的意见_政府信息公开专栏") == "某某市人民政府关于某事的意见"
    assert strip_site_suffix("某事的答复_区级提案结果公开_某某区人民政府门户网站") == "某事的答复"
    assert strip_site_suffix("某县2022年统计公报 | 中国某市") == "某县2022年统计公报"
    assert strip_site_suffix("某县政府工作报告-某某网") == "某县政府工作报告"
    assert strip_site_suffix("牢记嘱托——某市例会发言摘登") == "牢记嘱托——某市例会发言摘登"  # a subtitle stays


def test_head_title_that_is_only_the_site_name_is_not_used() -> None:
    assert head_title(page("正文。", ("某某市人民政府门户网站",))) is None
    found = head_title(page("正文。", ("某某市人民政府关于某事的通知_通知公告_某某市人民政府",)))
    assert found is not None and found.value == "某某市人民政府关于某事的通知"


def test_html_loader_fills_the_page_titles(tmp_path: Path) -> None:
    html = (
        "<html><head><title>某局关于某事的通知_政务公开</title>"
        '<meta property="og:title" content="某局关于某事的通知"></head>'
        "<body><p>各单位：为做好某项工作，现将有关事项通知如下。请认真贯彻执行，确保工作落到实处。</p></body></html>"
    )
    path = tmp_path / "p.html"
    path.write_text(html, encoding="utf-8")
    assert load_file(path, 10**6).page_titles == ("某局关于某事的通知_政务公开", "某局关于某事的通知")
