"""Loaders: every format made for real in tmp_path, and every refusal names the file."""

from __future__ import annotations

import zipfile
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


# --- the folder walk: symlinks, special files, hidden entries; names in any encoding; limits before parsing


def _walk_fixture(tmp_path: Path) -> Path:
    import os

    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("正文内容。", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("外部文件。", encoding="utf-8")
    (root / "in_link.txt").symlink_to(root / "a.txt")
    (root / "out_link.txt").symlink_to(tmp_path / "outside.txt")
    (root / "passwd.txt").symlink_to("/etc/passwd")
    (root / "dangling.txt").symlink_to(root / "gone.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "dir_link").symlink_to(root / "sub")
    os.mkfifo(root / "fifo.txt")
    (root / ".hidden.txt").write_text("隐藏。", encoding="utf-8")
    (root / "sub" / "b.md").write_text("子目录。", encoding="utf-8")
    return root


def test_scan_folder_reports_every_skipped_entry_with_its_reason(tmp_path: Path) -> None:
    from rag.documents import loaders

    root = _walk_fixture(tmp_path)
    scan = loaders.scan_folder(root)
    assert [p.relative_to(root).as_posix() for p in scan.supported] == ["a.txt", "sub/b.md"]
    reasons = {Path(p).name: r for p, r in scan.skipped}
    assert reasons == {
        ".hidden.txt": loaders.SKIP_HIDDEN,
        "dangling.txt": loaders.SKIP_DANGLING,
        "dir_link": loaders.SKIP_LINK,
        "fifo.txt": loaders.SKIP_SPECIAL,
        "in_link.txt": loaders.SKIP_LINK,
        "loop.txt": loaders.SKIP_LOOP,
        "out_link.txt": loaders.SKIP_LINK,
        "passwd.txt": loaders.SKIP_LINK,
    }


def test_follow_symlinks_only_inside_the_root(tmp_path: Path) -> None:
    from rag.documents import loaders

    root = _walk_fixture(tmp_path)
    scan = loaders.scan_folder(root, follow_symlinks=True)
    assert [p.relative_to(root).as_posix() for p in scan.supported] == ["a.txt", "in_link.txt", "sub/b.md"]
    reasons = {Path(p).name: r for p, r in scan.skipped}
    assert reasons["out_link.txt"] == loaders.SKIP_OUTSIDE and reasons["passwd.txt"] == loaders.SKIP_OUTSIDE
    assert reasons["dir_link"] == loaders.SKIP_LINK_DIR and reasons["loop.txt"] == loaders.SKIP_LOOP


def test_file_names_in_any_encoding_become_valid_text() -> None:
    import os

    from rag.documents.loaders import safe_text

    gbk = os.fsdecode("公告通知.txt".encode("gbk"))
    assert safe_text(gbk) == "公告通知.txt"
    junk = safe_text(os.fsdecode(b"bad\xff\xfe.txt"))
    junk.encode("utf-8")  # no surrogates left
    assert junk.startswith("bad") and junk.endswith(".txt")
    assert safe_text("普通.txt") == "普通.txt"


def test_docx_zip_bomb_and_entry_count_are_refused_before_parsing(tmp_path: Path) -> None:
    from rag.documents.loaders import LoadLimits
    from rag.errors import LimitExceededError

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\x00" * (3 * 1024 * 1024))
    with pytest.raises(LimitExceededError) as err:
        load_file(bomb, MAX_BYTES, LoadLimits(max_bytes=MAX_BYTES, docx_unzipped_bytes=1024 * 1024))
    assert "RAG_MAX_DOCX_UNZIPPED_MB" in err.value.reason
    many = tmp_path / "many.docx"
    with zipfile.ZipFile(many, "w") as z:
        for i in range(30):
            z.writestr(f"word/media/{i}.bin", b"x")
    with pytest.raises(LimitExceededError) as err:
        load_file(many, MAX_BYTES, LoadLimits(max_bytes=MAX_BYTES, docx_entries=20))
    assert "RAG_MAX_DOCX_ENTRIES" in err.value.reason


def test_pdf_page_limit(tmp_path: Path) -> None:
    from rag.documents.loaders import LoadLimits
    from rag.errors import LimitExceededError
    from tests.documents.conftest import make_pdf

    path = make_pdf(tmp_path / "a.pdf", ["第一页的文字内容，关于工业经济发展。"])
    assert "工业经济" in load_file(path, MAX_BYTES, LoadLimits(max_bytes=MAX_BYTES, pdf_pages=1)).raw_text
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for _ in range(3):
        writer.add_page(PdfReader(str(path)).pages[0])
    with (tmp_path / "three.pdf").open("wb") as fh:
        writer.write(fh)
    with pytest.raises(LimitExceededError) as err:
        load_file(tmp_path / "three.pdf", MAX_BYTES, LoadLimits(max_bytes=MAX_BYTES, pdf_pages=2))
    assert "RAG_MAX_PDF_PAGES" in err.value.reason and "3 页" in err.value.reason


def test_chunks_per_file_limit_and_bad_named_paths_are_per_file(tmp_path: Path) -> None:
    import os

    from rag.assistant import Assistant
    from rag.settings import Settings

    long = tmp_path / "long.txt"
    long.write_text("\n".join(f"第{i}条 " + "推进产业发展，强化要素保障。" * 30 for i in range(60)), encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("关于工业经济的通知\n全区规上工业总产值实现757.2亿元。\n", encoding="utf-8")
    gbk_name = Path(os.fsdecode(str(tmp_path).encode() + "/公告.txt".encode("gbk")))
    gbk_name.write_text("关于公告的通知\n公告内容为绿化面积100亩。\n", encoding="utf-8")
    a = Assistant.from_settings(Settings(home=tmp_path / "home", embed_model="none", max_chunks_per_file=10))
    try:
        report = a.ingest([long, tmp_path / "missing.txt", good, gbk_name])
    finally:
        a.close()
    failed = dict(report.failed)
    assert "RAG_MAX_CHUNKS_PER_FILE" in failed[str(long)]
    assert "不存在" in failed[str(tmp_path / "missing.txt")]
    assert report.added == 2 and any(s.endswith("公告.txt") for s in report.sources)
