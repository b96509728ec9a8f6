"""The draft as .docx in the official layout of GB/T 9704-2012, for staff to edit in Word or WPS.

Layout: A4; margins 37 mm top, 35 mm bottom, 28 mm left (订口), 26 mm right, giving the 156 × 225 mm
type area; a document grid of 28 lines × 28 characters (w:docGrid); body 仿宋_GB2312 三号 (16 pt),
title 方正小标宋简体 二号 (22 pt) centred; the page number "— n —" in the footer; 落款 and date
right-aligned; the sources as an appendix table (序号, 文件, 原文).

Fonts: the official names are written, so the letter looks right on an office machine that has
them. Where they are missing, the font table names a fallback (w:altName) that Word and LibreOffice
use instead: FangSong / 方正小标宋 -> "Noto Serif CJK SC" (Debian's fonts-noto-cjk), then the
renderer's own CJK serif.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rag.drafting.letter import ReplyDraft
from rag.errors import RagError

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
FALLBACK_FONT = "Noto Serif CJK SC"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
LINES_PER_PAGE = 28
CHARS_PER_LINE = 28
TYPE_AREA_MM = (156.0, 225.0)
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
_TWIPS_PER_MM = 1440 / 25.4
_PT_PER_MM = 72 / 25.4


def _grid(section: Any) -> None:
    """28 lines × 28 characters: line pitch and character pitch of the type area (w:docGrid)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(TYPE_AREA_MM[1] / LINES_PER_PAGE * _TWIPS_PER_MM)))
    char_pitch_pt = TYPE_AREA_MM[0] / CHARS_PER_LINE * _PT_PER_MM
    # charSpace: the difference between the pitch and the font size, in 1/4096 pt (ECMA-376 17.6.5)
    grid.set(qn("w:charSpace"), str(round((char_pitch_pt - BODY_PT) * 4096)))
    sect.append(grid)


def _font(run: Any, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _fallbacks(doc: Any) -> None:
    """Name the fallback of each official font in the font table (w:altName)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    part = next((r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE), None)
    if part is None:
        return
    from lxml import etree

    root = etree.fromstring(part.blob)
    for name in (BODY_FONT, TITLE_FONT, HEADING_FONT):
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), FALLBACK_FONT)
        font.append(alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(charset)
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number(section: Any) -> None:
    """Footer "— n —" centred, in 宋体 四号 (14 pt) as the standard's 4号半角宋体."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), "宋体", 14)
    run = paragraph.add_run()
    _font(run, "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._element.append(field)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
    _font(paragraph.add_run(" —"), "宋体", 14)


def export_docx(draft: ReplyDraft, path: Path) -> Path:
    """Write ``draft`` to ``path`` (.docx) in the official layout; returns the path."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    _grid(section)
    _page_number(section)
    _fallbacks(doc)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)

    def para(text: str, *, font: str = BODY_FONT, size: float = BODY_PT, indent: bool = True, align: Any = None) -> Any:
        p = doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        if align is not None:
            p.alignment = align
        _font(p.add_run(text), font, size)
        return p

    h = draft.header()
    p = para(f"{h['doc_number']}", indent=False)
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _font(p.add_run(f"　　　　{h['signer']}"), BODY_FONT, BODY_PT)
    para("", indent=False)
    para(h["title"], font=TITLE_FONT, size=TITLE_PT, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("", indent=False)
    para(h["salutation"], indent=False)
    para(h["receipt"])
    for kind, text in draft.body_lines():
        para(text, font=HEADING_FONT if kind == "heading" else BODY_FONT)
    para(h["closing"])
    para("", indent=False)
    para(h["contact"])
    para("", indent=False)
    para(h["office"], indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(h["date"], indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para("", indent=False)
    para(h["category"], indent=False)
    para(h["visibility"], indent=False)
    if draft.citations:
        doc.add_page_break()
        para("附：" + h["sources_heading"].rstrip("：:"), font=HEADING_FONT, indent=False)
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, label in zip(table.rows[0].cells, ("序号", "文件", "原文"), strict=True):
            _font(cell.paragraphs[0].add_run(label), HEADING_FONT, 12)
        for c in draft.citations:
            number = f"（{c.meta['doc_number']}）" if c.meta.get("doc_number") else ""
            row = table.add_row().cells
            for cell, value in zip(row, (f"[{c.n}]", f"{c.title or c.source}{number}\n{c.source}", c.quote), strict=True):
                _font(cell.paragraphs[0].add_run(value), BODY_FONT, 12)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(path))
    except OSError as exc:
        raise RagError(f"无法写入 {path}（{exc.strerror or exc}）：请检查输出路径和写权限。") from exc
    return path


def docx_text(path: Path) -> str:
    """The paragraphs of a .docx, one per line (for the staff tab's round trip and tests)."""
    from docx import Document

    return "\n".join(p.text for p in Document(str(path)).paragraphs)
