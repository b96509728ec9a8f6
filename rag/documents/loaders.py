"""Turn files on disk into LoadedFile records: decoded text, how it was decoded, where from.

Loaders only read and decode. Everything about what the text means (boilerplate, line
wraps, metadata) is left to cleaning and metadata, so a loader bug and a cleaning bug
never hide each other. Every refusal is a DocumentError subclass whose message names the
file and says what the user can do, because ingest reports it per file and goes on.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import io
import logging
import os
import re
import stat
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag.errors import (
    CorruptFileError,
    DocumentError,
    EmptyDocumentError,
    EncodingError,
    FileTooLargeError,
    LimitExceededError,
    NoTextLayerError,
    UnsupportedFileError,
)
from rag.models import LoadedFile

if TYPE_CHECKING:
    from docx.table import Table

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".docx", ".pdf"})

_MB = 1024 * 1024  # RAG_MAX_FILE_MB counts mebibytes, like the ingest pipeline
_KIND_BY_SUFFIX = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}

# Text counts as binary junk when more than this share of its characters are control,
# private-use or unassigned code points (real documents have almost none).
MAX_JUNK_RATIO = 0.02
# A GB18030 decoding is believed only when most of its Chinese characters are common ones
# (in GB2312). Latin-1 or random bytes "decode" as GB18030 too, but into rare characters.
MIN_COMMON_HAN_RATIO = 0.8
# A PDF yielding fewer visible characters than this in total has no usable text layer.
MIN_PDF_CHARS = 10

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HAN = re.compile(r"[\u3400-\u9fff]")
_SENTENCE_PUNCT = re.compile(r"[。！？；.!?;：:，,]")


@dataclass(frozen=True)
class LoadLimits:
    """Size limits checked before a parser sees the bytes (each names its RAG_ setting when hit)."""

    max_bytes: int
    docx_unzipped_bytes: int = 100 * _MB
    docx_entries: int = 2000
    pdf_pages: int = 1000


@dataclass
class FolderScan:
    """One walk of a folder: what ingest can read, what it cannot, and what it skipped and why."""

    supported: list[Path] = field(default_factory=list)
    unsupported: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path as text, reason)


SKIP_HIDDEN = "隐藏文件或文件夹（名称以 . 开头），已跳过。"
SKIP_SPECIAL = "不是普通文件（管道、设备或套接字），已跳过。"
SKIP_DANGLING = "失效的符号链接（指向的文件不存在），已跳过。"
SKIP_LOOP = "符号链接形成循环，已跳过。"
SKIP_LINK = "符号链接，默认不跟随，已跳过；如需导入指向本文件夹内文件的链接，请加 --follow-symlinks。"
SKIP_LINK_DIR = "指向文件夹的符号链接，已跳过（只跟随指向文件的链接）。"
SKIP_OUTSIDE = "符号链接指向导入文件夹之外，已跳过（不会导入文件夹以外的文件）。"


def safe_text(text: str) -> str:
    """A file name as valid Unicode: names that are not UTF-8 on disk (GBK archives) survive to JSON.

    Python hands such names over with surrogate escapes, which neither SQLite nor a UTF-8 stdout
    accepts. Bytes that read as Chinese in GB18030 are decoded so; anything else is shown escaped."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        raw = os.fsencode(text)
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    try:
        decoded = raw.decode("gb18030")
        if _looks_like_chinese(decoded) and not decoded.isascii():
            return decoded
    except UnicodeDecodeError:
        pass
    return raw.decode("utf-8", "backslashreplace")


def _link_problem(path: Path, real_root: Path, follow: bool) -> str | None:
    """Why a symlink found in a folder is not ingested, or None when it may be (a file inside the root)."""
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return SKIP_DANGLING
    except (RuntimeError, OSError) as exc:  # RuntimeError on 3.11, OSError(ELOOP) later
        if isinstance(exc, OSError) and exc.errno not in (errno.ELOOP, None):
            return f"无法读取符号链接（{exc.strerror or exc}），已跳过。"
        return SKIP_LOOP
    if not follow:
        return SKIP_LINK
    if not target.is_relative_to(real_root):
        return SKIP_OUTSIDE
    if target.is_dir():
        return SKIP_LINK_DIR
    if not target.is_file():
        return SKIP_SPECIAL
    return None


def scan_folder(root: Path, follow_symlinks: bool = False) -> FolderScan:
    """Walk ``root`` without leaving it: every entry is ingested, reported unsupported, or skipped with a reason.

    Symlinks are not followed unless ``follow_symlinks`` says so, and then only to files inside the
    root, so a link to /etc/passwd never becomes a public document. Loops, dangling links, FIFOs,
    devices and hidden entries each appear in ``skipped``: nothing is left out silently."""
    scan = FolderScan()
    real_root = root.resolve()

    def visit(folder: Path) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            scan.skipped.append((safe_text(str(folder)), f"无法读取文件夹（{exc.strerror or exc}），已跳过。"))
            return
        for entry in entries:
            path = Path(entry.path)
            shown = safe_text(entry.path)
            if entry.name.startswith("."):
                scan.skipped.append((shown, SKIP_HIDDEN))
                continue
            try:
                if entry.is_symlink():
                    problem = _link_problem(path, real_root, follow_symlinks)
                    if problem is not None:
                        scan.skipped.append((shown, problem))
                        continue
                    mode = path.stat().st_mode
                else:
                    mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                scan.skipped.append((shown, f"无法读取（{exc.strerror or exc}），已跳过。"))
                continue
            if stat.S_ISDIR(mode):
                visit(path)
            elif not stat.S_ISREG(mode):
                scan.skipped.append((shown, SKIP_SPECIAL))
            elif path.suffix.lower() in SUPPORTED_SUFFIXES:
                scan.supported.append(path)
            else:
                scan.unsupported.append(path)

    visit(root)
    return scan


def folder_files(root: Path) -> tuple[list[Path], list[Path]]:
    """(files ingest can read, files it cannot), both sorted; hidden and special entries left out."""
    scan = scan_folder(root)
    return scan.supported, scan.unsupported


def iter_files(paths: Sequence[Path]) -> Iterator[Path]:
    """Yield the files to ingest: folders recursively (supported suffixes, no hidden entries), sorted.

    A file named explicitly is yielded whatever its suffix (or even if it is missing), so
    that load_file can tell the user why it was not ingested instead of skipping it silently.
    """
    seen: set[Path] = set()
    for root in paths:
        candidates = folder_files(root)[0] if root.is_dir() else [root]
        for path in candidates:
            if path not in seen:
                seen.add(path)
                yield path


def load_file(path: Path, max_bytes: int, limits: LoadLimits | None = None) -> LoadedFile:
    """Read one file into a LoadedFile, or raise a DocumentError that says what to do."""
    name = safe_text(str(path))
    limits = limits or LoadLimits(max_bytes=max_bytes)
    kind = _KIND_BY_SUFFIX.get(path.suffix.lower())
    if kind is None:
        supported = " ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnsupportedFileError(
            name, f"不支持的文件类型“{safe_text(path.suffix) or '无扩展名'}”。请转换为以下格式之一：{supported}。"
        )
    data = _read_bytes(path, max_bytes)
    if not data.strip():
        raise EmptyDocumentError(name, "文件是空的（没有任何文字）。请检查文件内容后重新导入。")
    reader = _READERS[kind]
    text, encoding = reader(data, name, limits)
    if not text.strip():
        raise EmptyDocumentError(name, "文件中没有可读的文字。请检查文件内容后重新导入。")
    return LoadedFile(
        source=safe_text(path.name),
        path=name,
        raw_text=text,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        page_titles=_page_titles(data, name) if kind == "html" else (),
    )


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """Check existence, type and size before reading, so a 5 GB file is refused without loading it."""
    name = safe_text(str(path))
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise DocumentError(name, "不是普通文件（可能是文件夹、设备或管道）。请只导入文档文件。")
        if st.st_size > max_bytes:
            raise FileTooLargeError(
                name,
                f"文件大小 {st.st_size / _MB:.1f} MB，超过上限 {max_bytes / _MB:.1f} MB（设置 RAG_MAX_FILE_MB）。"
                "请拆分文件，或调高 RAG_MAX_FILE_MB 后重试。",
            )
        if st.st_size == 0:
            raise EmptyDocumentError(name, "文件是空的（0 字节）。请检查文件是否完整后重新导入。")
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(name, "文件不存在或在导入过程中被移动、删除。请确认路径后重试。") from None
    except PermissionError:
        raise DocumentError(name, "没有读取该文件的权限。请修改文件权限（例如 chmod a+r）后重试。") from None
    except IsADirectoryError:
        raise DocumentError(name, "这是一个文件夹而不是文件。") from None
    except OSError as exc:
        raise DocumentError(name, f"读取文件失败（{exc.strerror or exc}）。请检查磁盘和文件后重试。") from None
    if len(data) > max_bytes:  # the file grew between stat and read
        raise FileTooLargeError(
            name, f"文件超过上限 {max_bytes / _MB:.1f} MB（设置 RAG_MAX_FILE_MB）。请拆分文件后重试。"
        )
    return data


# ---------------------------------------------------------------- plain text


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16/32 with BOM, or GB18030/GBK.

    Returns (text, encoding). Anything else (binary junk, Latin-1, UTF-16 without BOM) is
    an EncodingError: guessing wrong would index mojibake that no question ever finds.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                break
            _check_not_junk(text, name)
            return text, codec.removesuffix("-sig")
    if b"\x00" in data:
        raise EncodingError(
            name,
            "文件含有二进制数据（NUL 字节），不是文本文件。如果它是没有 BOM 的 UTF-16 文本，请另存为 UTF-8 后重试。",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _check_not_junk(text, name)
        return text, "utf-8"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_chinese(text):
            _check_not_junk(text, name)
            return text, "gb18030"
    raise EncodingError(
        name,
        f"无法识别文件编码（{_guess_encoding(data)}）。只支持 UTF-8 和 GB18030/GBK 编码的文本，请另存为 UTF-8 后重试。",
    )


def _looks_like_chinese(text: str) -> bool:
    han = _HAN.findall(text)
    if not han:
        return text.isascii()
    common = sum(1 for ch in han if _in_gb2312(ch))
    return common / len(han) >= MIN_COMMON_HAN_RATIO


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _check_not_junk(text: str, name: str) -> None:
    if not text:
        return
    junk = sum(
        1 for ch in text if unicodedata.category(ch) in {"Cc", "Co", "Cn", "Cs"} and ch not in "\t\n\r\f\v"
    ) + text.count("\ufffd")
    if junk / len(text) > MAX_JUNK_RATIO:
        raise EncodingError(name, "文件内容像是二进制数据，不是可读的文本。请确认文件类型，或导出为 UTF-8 文本后重试。")


def _guess_encoding(data: bytes) -> str:
    """Name the likely encoding for the error message only; we never index a guess."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:20000]).best()
    if best is None:
        return "看起来是二进制数据"
    return f"看起来是 {best.encoding}"


# ---------------------------------------------------------------- HTML


def _read_text(data: bytes, name: str, limits: LoadLimits) -> tuple[str, str]:
    return decode_text(data, name)


def _read_html(data: bytes, name: str, limits: LoadLimits) -> tuple[str, str]:
    """Keep the article, drop menus, breadcrumbs and footers (trafilatura), title first.

    The page's own charset declaration is ignored: Chinese sites often declare UTF-8 and
    serve GBK, so we trust the bytes (decode_text) instead.
    """
    import trafilatura

    html, _encoding = decode_text(data, name)
    doc: Any = None
    text = ""
    for precise in (True, False):  # precision drops menus; recall rescues short pages it empties
        try:
            doc = trafilatura.bare_extraction(
                html, include_tables=True, include_comments=False, with_metadata=True, favor_precision=precise
            )
        except Exception as exc:  # trafilatura raises parser-specific errors on broken markup
            raise CorruptFileError(
                name, f"无法解析网页（{type(exc).__name__}）。请用浏览器另存为完整网页或纯文本后重试。"
            ) from exc
        text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
        if _has_prose(text):
            break
    else:
        raise EmptyDocumentError(
            name, "网页中只有导航、菜单或页脚，没有找到正文。请保存正文所在的页面，或把正文复制到 .txt 文件后导入。"
        )
    title = (getattr(doc, "title", None) or "").strip()
    if title and title not in text[:500]:
        text = f"{title}\n{text}"
    return text, "html"


def _page_titles(data: bytes, name: str) -> tuple[str, ...]:
    """The titles a page declares in its head (<title>, og:title, ArticleTitle), for metadata."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(decode_text(data, name)[0])
    except (ValueError, lxml.etree.ParserError):
        return ()
    found = [
        *tree.xpath("//head/title/text()"),
        *tree.xpath("//meta[@property='og:title']/@content"),
        *tree.xpath("//meta[@name='ArticleTitle']/@content"),
    ]
    return tuple(dict.fromkeys(" ".join(str(t).split()) for t in found if str(t).strip()))


def _has_prose(text: str) -> bool:
    """Navigation is short lines without sentence punctuation; an article has at least one sentence."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return any(len(ln) >= 20 or _SENTENCE_PUNCT.search(ln) for ln in lines)


# ---------------------------------------------------------------- DOCX


def _check_zip(data: bytes, name: str, limits: LoadLimits) -> None:
    """Refuse a zip bomb from its directory, before anything is inflated.

    The sizes in a zip's directory are an upper bound: zipfile stops reading an entry at its
    declared size (and fails on the CRC), so a lying header cannot inflate more than it declares."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CorruptFileError(
            name,
            f"无法打开 Word 文件（{type(exc).__name__}），文件可能已损坏或不是 .docx。"
            "请用 Word/WPS 另存为 .docx 再导入。",
        ) from exc
    if len(entries) > limits.docx_entries:
        raise LimitExceededError(
            name,
            f"Word 文件内含 {len(entries)} 个压缩条目，超过上限 {limits.docx_entries}（设置 RAG_MAX_DOCX_ENTRIES）。"
            "文件可能是恶意构造的；确属正常文件请调高该设置。",
        )
    inflated = sum(e.file_size for e in entries)
    if inflated > limits.docx_unzipped_bytes:
        raise LimitExceededError(
            name,
            f"Word 文件解压后 {inflated / _MB:.1f} MB，超过上限 {limits.docx_unzipped_bytes / _MB:.1f} MB"
            "（设置 RAG_MAX_DOCX_UNZIPPED_MB）。文件可能是压缩炸弹；确属正常文件请调高该设置。",
        )


def _read_docx(data: bytes, name: str, limits: LoadLimits) -> tuple[str, str]:
    """Paragraphs and tables in document order; a table row becomes one "a | b | c" line."""
    import docx
    from docx.table import Table

    _check_zip(data, name, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_lines(block))
            else:
                lines.append(block.text)
    except Exception as exc:  # zipfile, lxml and python-docx each raise their own types
        raise CorruptFileError(
            name,
            f"无法打开 Word 文件（{type(exc).__name__}），文件可能已损坏或不是 .docx。"
            "请用 Word/WPS 打开后另存为 .docx 再导入。",
        ) from exc
    return "\n".join(lines), "docx"


def _table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            value = " ".join(cell.text.split())
            if not cells or cells[-1] != value:  # merged cells repeat their text
                cells.append(value)
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


# ---------------------------------------------------------------- PDF


def _read_pdf(data: bytes, name: str, limits: LoadLimits) -> tuple[str, str]:
    """The text layer, page by page. A scan has none, and we say so instead of indexing nothing."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorruptFileError(name, "PDF 已加密，需要密码才能读取。请导出未加密的版本后重试。")
        count = len(reader.pages)
        if count > limits.pdf_pages:
            raise LimitExceededError(
                name,
                f"PDF 有 {count} 页，超过上限 {limits.pdf_pages} 页（设置 RAG_MAX_PDF_PAGES）。"
                "请拆分文件，或调高该设置。",
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises PdfReadError, ValueError, KeyError... on broken files
        raise CorruptFileError(
            name, f"无法打开 PDF 文件（{type(exc).__name__}），文件可能已损坏或不完整。请重新下载或导出 PDF 后再导入。"
        ) from exc
    text = "\n".join(p.strip() for p in pages)
    visible = sum(1 for ch in text if not ch.isspace())
    if visible < MIN_PDF_CHARS:
        raise NoTextLayerError(
            name,
            "PDF 没有文字层（可能是扫描件或图片），无法提取文字。"
            "请先做 OCR 文字识别（例如 ocrmypdf），再导入识别后的文件。",
        )
    blank = [i + 1 for i, p in enumerate(pages) if not p.strip()]
    if blank:
        log.warning("%s: 第 %s 页没有文字层（可能是扫描页），这些页的内容不会被检索到。", name, blank)
    return text, "pdf"


_READERS: dict[str, Callable[[bytes, str, LoadLimits], tuple[str, str]]] = {
    "txt": _read_text,
    "md": _read_text,
    "html": _read_html,
    "docx": _read_docx,
    "pdf": _read_pdf,
}
