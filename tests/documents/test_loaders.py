"""Loaders: every format made for real in tmp_path, and every refusal names the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.documents.loaders import SUPPORTED_SUFFIXES, decode_text, folder_files, iter_files, load_file
from rag.errors import (
    CorruptFileError,
    DocumentError,
    EmptyDocumentError,
    EncodingError,
    FileTooLargeError,
    NoTextLayerError,
    UnsupportedFileError,
)
from tests.documents.conftest import MAX_BYTES, make_docx, make_pdf

TEXT = "全年规上工业总产值实现757.2亿元，工业增加值增长3.3%。\n铜经信函〔2024〕54号\n"

NEWS_PAGE = """<html><head><meta charset="utf-8"><title>关于做好2024年就业工作的通知_重庆市人民政府网</title></head>
<body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/zcwj">政策文件</a></li><li><a href="/hdjl">互动交流</a></li></ul></div>
<div class="crumb">您当前的位置：首页 &gt; 政策文件</div>
<div class="article"><h1>关于做好2024年就业工作的通知</h1>
<p>各区县人民政府，市政府各部门：</p>
<p>为做好2024年高校毕业生就业工作，全年新增城镇就业70万人以上，现将有关事项通知如下。</p>
<p>一、稳定岗位供给。对招用毕业生的企业给予一次性吸纳就业补贴每人1000元。</p>
<table><tr><td>项目</td><td>标准</td></tr><tr><td>吸纳补贴</td><td>1000元/人</td></tr></table>
</div>
<footer><p>主办单位：重庆市人民政府办公厅 版权所有 渝ICP备05003300号</p><p>网站地图 | 联系我们</p></footer>
</body></html>"""


def test_utf8_txt(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    loaded = load_file(path, MAX_BYTES)
    assert loaded.raw_text == TEXT
    assert (loaded.source, loaded.encoding, loaded.kind) == ("a.txt", "utf-8", "txt")
    assert len(loaded.sha256) == 64


def test_utf8_with_bom_md(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    loaded = load_file(path, MAX_BYTES)
    assert loaded.raw_text == TEXT and loaded.kind == "md"


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_gbk_txt_is_detected(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(TEXT.encode(codec))
    loaded = load_file(path, MAX_BYTES)
    assert loaded.encoding == "gb18030"
    assert "757.2亿元" in loaded.raw_text and "铜经信函〔2024〕54号" in loaded.raw_text


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_text(TEXT, encoding="utf-16")
    assert "757.2亿元" in load_file(path, MAX_BYTES).raw_text


@pytest.mark.parametrize(
    "data",
    [
        "café résumé naïve señor".encode("latin-1") * 20,  # Latin-1
        TEXT.encode("utf-16-le"),  # UTF-16 without BOM: NUL bytes
        bytes(range(256)) * 8,  # binary junk
        b"\x89PNG\r\n\x1a\n" + bytes(500),
    ],
    ids=["latin1", "utf16-no-bom", "binary", "png"],
)
def test_undecodable_text_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(EncodingError) as exc:
        load_file(path, MAX_BYTES)
    assert str(path) in str(exc.value) and "UTF-8" in str(exc.value)


def test_gb18030_guess_is_checked_for_plausibility() -> None:
    # Latin-1 letters after accented ones are valid GB18030 byte pairs, but rare characters.
    data = "Ñandú éxito Àlex ümlaut çedilla ".encode("latin-1") * 10
    with pytest.raises(EncodingError):
        decode_text(data, "x.txt")


def test_html_keeps_article_drops_navigation_and_footer(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    loaded = load_file(path, MAX_BYTES)
    text = loaded.raw_text
    assert loaded.kind == "html"
    assert text.splitlines()[0] == "关于做好2024年就业工作的通知"
    assert "一次性吸纳就业补贴每人1000元" in text
    assert "1000元/人" in text  # tables are kept
    for chrome in ("政务公开", "互动交流", "版权所有", "网站地图"):
        assert chrome not in text


def test_html_served_as_gbk_despite_utf8_declaration(tmp_path: Path) -> None:
    path = tmp_path / "gbk.htm"
    path.write_bytes(NEWS_PAGE.encode("gbk"))
    assert "一次性吸纳就业补贴每人1000元" in load_file(path, MAX_BYTES).raw_text


def test_html_with_only_navigation_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nav.html"
    path.write_text(
        "<html><body><ul><li><a href='/'>首页</a></li><li><a href='/a'>政务公开</a></li>"
        "<li><a href='/b'>政策文件</a></li></ul><footer>版权所有</footer></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(EmptyDocumentError, match="导航"):
        load_file(path, MAX_BYTES)


def test_docx_paragraphs_and_table(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "a.docx",
        ["重庆市铜梁区经济和信息化委员会", "全年规上工业总产值实现757.2亿元。"],
        table=[["指标", "数值"], ["工业投资增长", "24.9%"]],
    )
    loaded = load_file(path, MAX_BYTES)
    lines = loaded.raw_text.splitlines()
    assert loaded.kind == "docx"
    assert lines[:2] == ["重庆市铜梁区经济和信息化委员会", "全年规上工业总产值实现757.2亿元。"]
    assert "工业投资增长 | 24.9%" in lines
    assert lines[-1] == "以上数据截至2023年底。"  # document order: the table sits between paragraphs


def test_pdf_text_layer(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "a.pdf", ["全年规上工业总产值实现757.2亿元,", "铜经信函〔2024〕54号。"])
    loaded = load_file(path, MAX_BYTES)
    assert loaded.kind == "pdf"
    assert "757.2亿元" in loaded.raw_text and "铜经信函〔2024〕54号" in loaded.raw_text


def test_pdf_without_text_layer_says_ocr(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", [], image_only=True)
    with pytest.raises(NoTextLayerError) as exc:
        load_file(path, MAX_BYTES)
    assert "OCR" in str(exc.value) and "scan.pdf" in str(exc.value)


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_truncated_or_random_office_files_are_corrupt(tmp_path: Path, suffix: str) -> None:
    good = tmp_path / f"good{suffix}"
    if suffix == ".pdf":
        make_pdf(good, ["全年规上工业总产值实现757.2亿元。"])
    else:
        make_docx(good, ["全年规上工业总产值实现757.2亿元。"])
    truncated = tmp_path / f"truncated{suffix}"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    random = tmp_path / f"random{suffix}"
    random.write_bytes(bytes((i * 7919) % 256 for i in range(4000)))
    for path in (truncated, random):
        with pytest.raises(CorruptFileError) as exc:
            load_file(path, MAX_BYTES)
        assert path.name in str(exc.value)


def test_size_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_text("字" * 2000, encoding="utf-8")

    def no_read(self: Path) -> bytes:
        raise AssertionError("read before the size check")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    with pytest.raises(FileTooLargeError, match="RAG_MAX_FILE_MB"):
        load_file(path, max_bytes=1000)


@pytest.mark.parametrize("content", [b"", b"   \n\t \r\n"], ids=["zero-bytes", "whitespace"])
def test_empty_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyDocumentError, match="空"):
        load_file(path, MAX_BYTES)


def test_unsupported_missing_and_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UnsupportedFileError, match=r"\.xlsx"):
        load_file(tmp_path / "table.xlsx", MAX_BYTES)
    with pytest.raises(DocumentError, match="不存在"):
        load_file(tmp_path / "gone.txt", MAX_BYTES)
    locked = tmp_path / "locked.txt"
    locked.write_text(TEXT, encoding="utf-8")
    real_read = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(DocumentError, match="权限") as exc:
        load_file(locked, MAX_BYTES)
    assert "locked.txt" in str(exc.value)


def test_iter_files_recursive_sorted_supported_only_no_hidden(tmp_path: Path) -> None:
    for rel in ["b.txt", "a.md", "sub/c.pdf", "sub/deeper/d.docx", "sub/e.xlsx", ".hidden.txt", ".git/f.txt", "g.HTML"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert found == ["a.md", "b.txt", "g.HTML", "sub/c.pdf", "sub/deeper/d.docx"]
    # An explicit file is passed through whatever its suffix, so load_file can say why it is refused.
    explicit = tmp_path / "sub" / "e.xlsx"
    assert list(iter_files([explicit, tmp_path / "b.txt", tmp_path / "b.txt"])) == [explicit, tmp_path / "b.txt"]
    assert {".txt", ".md", ".html", ".htm", ".docx", ".pdf"} == SUPPORTED_SUFFIXES
    # One walk gives ingest both lists: what to read and what to report as unsupported (hidden ones neither).
    (tmp_path / ".git" / "g.xlsx").write_text("x", encoding="utf-8")
    supported, unsupported = folder_files(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in supported] == found
    assert unsupported == [tmp_path / "sub" / "e.xlsx"]
