"""The .docx: GB/T 9704 layout (A4, margins, 28×28 grid, fonts, page numbers, right-aligned 落款),
sources as an appendix table, edited text keeping its layout; and LibreOffice opens it."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Length, Mm

from rag.drafting import Part, ReplyDraft, Statement, Suggestion, export_docx
from rag.drafting.docx import BODY_FONT, CHARS_PER_LINE, LINES_PER_PAGE, TITLE_FONT, blocks
from rag.models import Citation

CITATION = Citation(1, "c1", "a.txt", "关于公交的答复", "全区公交线路达到120条。", "全区公交线路达到120条。")


def a_draft() -> ReplyDraft:
    s = Suggestion(title="关于增开晚班公交的建议", deputy="刘世群", number="61", office="上虞区交通运输局")
    statements = tuple(Statement(f"全区公交线路达到120条，第{i}项措施已经落实[1]。", (1,)) for i in range(1, 30))
    return ReplyDraft(s, (Part("关于增开晚班公交", statements),), (), (CITATION,), drafted_on=date(2024, 6, 4))


def test_layout_follows_the_standard(tmp_path: Path) -> None:
    path = export_docx(a_draft(), tmp_path / "reply.docx")
    doc = Document(str(path))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert abs(sec.top_margin - Mm(37)) < Mm(1) and abs(sec.left_margin - Mm(28)) <= Mm(1)
    grid = sec._sectPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docGrid")
    assert grid is not None and grid.get(f"{{{grid.nsmap['w']}}}type") == "linesAndChars"
    type_height_pt = Length(sec.page_height - sec.top_margin - sec.bottom_margin).pt
    line_pitch_pt = int(grid.get(f"{{{grid.nsmap['w']}}}linePitch")) / 20
    assert round(type_height_pt / line_pitch_pt) == LINES_PER_PAGE
    type_width_pt = Length(sec.page_width - sec.left_margin - sec.right_margin).pt
    assert int(type_width_pt // 16) == CHARS_PER_LINE  # one 三号 (16 pt) character per grid cell
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    title = next(p for p in paragraphs if p.text.endswith("复函"))
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].font.size.pt == 22
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert TITLE_FONT in xml and BODY_FONT in xml
    signature = [p for p in paragraphs if p.text in ("上虞区交通运输局", "2024年6月4日")]
    assert len(signature) == 2 and all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in signature)
    footer = zipfile.ZipFile(path).read("word/footer1.xml").decode("utf-8")
    assert "PAGE" in footer
    fonts = zipfile.ZipFile(path).read("word/fontTable.xml").decode("utf-8")
    assert "altName" in fonts and "Noto Serif CJK SC" in fonts
    table = doc.tables[0]
    assert table.rows[1].cells[0].text == "[1]" and "全区公交线路达到120条" in table.rows[1].cells[1].text


def test_edited_text_keeps_the_letters_layout() -> None:
    text = (
        a_draft()
        .text()
        .replace("刘世群代表：", "刘世群代表：")
        .replace("上虞区交通运输局\n", "上虞区交通运输局（盖章）\n")
    )
    kinds = dict((line, kind) for kind, line in blocks(text))
    assert kinds["刘世群代表："] == "salutation"
    assert kinds["上虞区交通运输局（盖章）"] == "signature" and kinds["2024年6月4日"] == "signature"
    assert kinds["一、办理情况"] == "heading"
    assert any(k == "title" and "复函" in line for line, k in kinds.items())
    assert any(k == "source" for k in kinds.values())


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) 未安装：以 root 运行 make libreoffice 安装后再测")
def test_libreoffice_opens_the_docx_and_renders_the_letter(tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = export_docx(a_draft(), tmp_path / "reply.docx")
    profile = tmp_path / "lo-profile"  # a private profile: parallel runs do not share LibreOffice's lock
    subprocess.run(
        [_soffice() or "soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    reader = PdfReader(str(tmp_path / "reply.pdf"))
    assert len(reader.pages) >= 2  # 29 statements and the appendix do not fit one page
    first = "".join(reader.pages[0].extract_text().split())
    assert "刘世群代表" in first and "收悉" in first and "办理情况" in first
    assert "1" in "".join(reader.pages[0].extract_text().split()[-3:])  # the page number in the footer
    everything = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert "联系人" in everything and "2024年6月4日" in everything and "a.txt" in everything
