from __future__ import annotations

from index.records import Hit
from rag.models import DocMeta, DocumentRecord
from tests.ui.fakes import PASSAGE, QUOTE, TITLE, citation
from ui import render


def test_find_span_tolerates_whitespace_from_broken_lines() -> None:
    text = "规上工业总产值实\n现757.2 亿元"
    span = render.find_span(text, "总产值实现757.2亿元")
    assert span is not None
    assert text[span[0] : span[1]] == "总产值实\n现757.2 亿元"
    assert render.find_span(text, "不存在的句子") is None
    assert render.find_span(text, "  ") is None


def test_highlight_escapes_document_text() -> None:
    out = render.highlight("<script>x</script> 产值757.2亿元", "757.2亿元")
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert '<mark class="hl">757.2亿元</mark>' in out


def test_answer_markdown_turns_markers_into_superscripts() -> None:
    out = render.answer_markdown("产值757.2亿元[1][2]。")
    assert out == '产值757.2亿元<sup class="cite-ref">[1]</sup><sup class="cite-ref">[2]</sup>。'


def test_citation_card_shows_title_metadata_and_marked_quote() -> None:
    card = render.citation_card(citation(3), context="上下文")
    assert 'id="cite-3"' in card
    assert "[3]" in card
    assert TITLE in card
    assert "铜经信函〔2024〕54号" in card
    assert "重庆市铜梁区经济和信息化委员会" in card
    assert "2024-06-04" in card
    assert f'<mark class="hl">{QUOTE}</mark>' in card
    assert "<details" in card and "查看原文上下文" in card and "上下文" in card


def test_sources_panel_orders_cards_and_is_empty_without_citations() -> None:
    assert render.sources_panel([]) == ""
    panel = render.sources_panel([citation(2), citation(1)])
    assert panel.index('id="cite-1"') < panel.index('id="cite-2"')


def test_context_html_marks_passage_and_quote_inside_trimmed_text() -> None:
    doc = "甲" * 500 + PASSAGE + "乙" * 500
    ctx = render.context_html(doc, PASSAGE, QUOTE, radius=10)
    assert ctx is not None
    assert ctx.startswith("…" + "甲" * 10 + '<span class="ctx-passage">')
    assert ctx.endswith("乙" * 10 + "…")
    assert f'<mark class="hl">{QUOTE}</mark>' in ctx
    assert render.context_html(doc, "没有这段话", QUOTE) is None


def test_hits_html_lists_metadata_and_visibility() -> None:
    hit = Hit(
        id="c1",
        score=0.5,
        text="normalised",
        meta={
            "source": "a.txt",
            "title": "标题甲",
            "doc_number": "渝府发〔2024〕1号",
            "visibility": "internal",
            "display_text": "展示文本",
            "heading_path": "第一章 总则 > 一、适用范围",
        },
    )
    out = render.hits_html([hit])
    assert "标题甲" in out and "渝府发〔2024〕1号" in out and "内部" in out
    assert "展示文本" in out and "normalised" not in out
    assert "第一章 总则 › 一、适用范围" in out
    assert "没有找到" in render.hits_html([])


def test_docs_table_has_metadata_and_chunk_counts() -> None:
    doc = DocumentRecord(
        source="a.txt",
        sha256="s",
        meta=DocMeta(title="标题", region="铜梁区"),
        visibility="public",
        chunk_ids=("1", "2", "3"),
    )
    out = render.docs_table_html([doc])
    assert "<td>3</td>" in out and "铜梁区" in out and "公开" in out and "共 1 个文件" in out
    assert "还没有" in render.docs_table_html([])


def test_ingest_report_lists_every_failed_file_by_name() -> None:
    out = render.ingest_report_html(
        {
            "added": 1,
            "updated": 0,
            "unchanged": 2,
            "chunks": 7,
            "failed": [{"path": "/tmp/gradio/abc/坏文件.pdf", "error": "扫描件没有文字层"}],
        }
    )
    assert "新增 1 个" in out and "失败 1 个" in out
    assert "坏文件.pdf" in out and "/tmp/gradio" not in out
    assert "扫描件没有文字层" in out
    assert "status-error" in out


def test_answer_html_escapes_and_keeps_paragraphs() -> None:
    out = render.answer_html("第一段<b>[1]\n\n第二段[2]")
    assert out.count("<p>") == 2
    assert "&lt;b&gt;" in out
    assert '<sup class="cite-ref">[2]</sup>' in out
