"""The draft as .docx in the official layout of GB/T 9704-2012, for staff to edit in Word or WPS.

Layout: A4; margins 37 mm top, 35 mm bottom, 27 mm left (订口), 24.9 mm right, giving a 158.1 × 225 mm
type area (see TYPE_AREA_MM for why not 156 mm); a document grid of 28 lines × 28 characters
(w:docGrid); body 仿宋_GB2312 三号 (16 pt), title 方正小标宋简体 二号 (22 pt) centred, off the grid; the
page number "— n —" in the footer; 落款 and date right-aligned; the sources as an appendix table
(序号, 依据).

Fonts: the official names are written, so the letter looks right on an office machine that has
them. Where they are missing, the font table names a fallback (w:altName) that Word and LibreOffice
use instead: FangSong / 方正小标宋 -> "Noto Serif CJK SC" (Debian's fonts-noto-cjk), then the
renderer's own CJK serif.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rag.drafting.letter import ReplyDraft
from rag.drafting.template import ReplyTemplate, reply_template
from rag.errors import RagError

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
FALLBACK_FONT = "Noto Serif CJK SC"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
LINES_PER_PAGE = 28
CHARS_PER_LINE = 28
# The standard's 三号 is 15.75 pt (28 × 15.75 pt = 156 mm); Word's and python-docx's 三号 is 16 pt, and a
# grid cell narrower than the font makes LibreOffice give each character two cells (14 a line). So the
# type area is 158.1 mm wide (订口 27 mm, right 24.9 mm, within the standard's ±1 mm of 28 mm) and each
# of the 28 cells holds one 16 pt character.
TYPE_AREA_MM = (158.1, 225.0)
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 27.0, "right": 24.9}
APPENDIX_PT = 12  # 小四, for the sources table
_SIGNATURE_CHARS = 30
_NOTE_LEADS = ("办复类别", "公开属性")
_CONTACT_LEADS = ("联系人", "联 系 人", "承办人")
_SOURCE = re.compile(r"^\[(\d+)\]\s*(.*)$")
_HEADING = re.compile(r"^[一二三四五六七八九十]+、[^。]{0,30}$")
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


def _off_grid(paragraph: Any) -> None:
    """The 二号 title is set in its own pitch: on the 16 pt grid each 22 pt character would take two cells."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().append(snap)


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


Block = tuple[str, str]  # (kind, text): docnum, title, salutation, heading, paragraph, contact, signature, note,
#                          appendix_heading, source


def blocks(text: str, template: ReplyTemplate | None = None) -> list[Block]:
    """The layout of a letter's plain text (as drafted, or as staff edited it), line by line.

    Lines are placed by the letter's landmarks, not by position alone, so an edited draft keeps its
    layout: the lines before the salutation are the title, the short lines after the contact line are
    the 落款 and date (right-aligned), the lines after the sources heading are the appendix."""
    t = template or reply_template()
    addressees = tuple(f"{k['addressee']}：" for k in t.kinds.values()) + tuple(
        f"{k['addressee']}:" for k in t.kinds.values()
    )
    sources_heading = t.frame["sources_heading"].rstrip("：:")
    lines = [line.strip() for line in text.splitlines()]
    has_salutation = any(line.endswith(addressees) for line in lines)
    out: list[Block] = []
    stage = "head" if has_salutation else "body"
    for i, line in enumerate(lines):
        if not line:
            continue
        if stage == "appendix":
            out.append(("source" if _SOURCE.match(line) else "paragraph", line))
        elif line.rstrip("：:") == sources_heading:
            stage = "appendix"
            out.append(("appendix_heading", line))
        elif stage == "head":
            if line.endswith(addressees):
                stage = "body"
                out.append(("salutation", line))
            elif i == next(j for j, x in enumerate(lines) if x) and ("签发人" in line or "〔" in line):
                out.append(("docnum", line))
            else:
                out.append(("title", line))
        elif line.startswith(_NOTE_LEADS):
            stage = "notes"
            out.append(("note", line))
        elif line.startswith(_CONTACT_LEADS):
            stage = "signature"
            out.append(("contact", line))
        elif stage == "signature" and len(line) <= _SIGNATURE_CHARS:
            out.append(("signature", line))
        elif _HEADING.match(line):
            out.append(("heading", line))
        else:
            out.append(("note" if stage == "notes" else "paragraph", line))
    return out


def export_docx(draft: ReplyDraft | str, path: Path) -> Path:
    """Write a draft (or the text of an edited draft) to ``path`` (.docx) in the official layout."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    text = draft if isinstance(draft, str) else draft.text()
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

    def para(
        line: str, *, font: str = BODY_FONT, size: float = BODY_PT, indent: bool = True, align: Any = None
    ) -> None:
        p = doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        if align is not None:
            p.alignment = align
        _font(p.add_run(line), font, size)

    table: Any = None
    previous = ""
    for kind, line in blocks(text):
        if kind == "docnum":
            para(line, indent=False)
            para("", indent=False)
        elif kind == "title":
            para(line, font=TITLE_FONT, size=TITLE_PT, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
            _off_grid(doc.paragraphs[-1])
        elif kind == "salutation":
            para("", indent=False)
            para(line, indent=False)
        elif kind == "heading":
            para(line, font=HEADING_FONT)
        elif kind == "contact":
            para("", indent=False)
            para(line)
        elif kind == "signature":
            if previous == "contact":
                para("", indent=False)
            para(line, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        elif kind == "note":
            if previous == "signature":
                para("", indent=False)
            para(line, indent=False)
        elif kind == "appendix_heading":
            doc.add_page_break()
            para("附：" + line.rstrip("：:"), font=HEADING_FONT, indent=False)
            table = doc.add_table(rows=1, cols=2)
            table.style = "Table Grid"
            for cell, label in zip(table.rows[0].cells, ("序号", "依据（文件与原文）"), strict=True):
                _font(cell.paragraphs[0].add_run(label), HEADING_FONT, APPENDIX_PT)
        elif kind == "source" and table is not None:
            m = _SOURCE.match(line)
            assert m is not None  # blocks() only marks matching lines as sources
            row = table.add_row().cells
            _font(row[0].paragraphs[0].add_run(f"[{m.group(1)}]"), BODY_FONT, APPENDIX_PT)
            _font(row[1].paragraphs[0].add_run(m.group(2)), BODY_FONT, APPENDIX_PT)
        else:
            para(line)
        previous = kind
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(path))
    except OSError as exc:
        raise RagError(f"无法写入 {path}（{exc.strerror or exc}）：请检查 --docx（--out）的路径和写权限。") from exc
    return path


def docx_text(path: Path) -> str:
    """The paragraphs of a .docx, one per line (for the staff tab's round trip and tests)."""
    from docx import Document

    return "\n".join(p.text for p in Document(str(path)).paragraphs)
