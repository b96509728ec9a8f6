"""What a title is and is not, and how a title is cleaned of what pages wrap it in.

Never titles: breadcrumbs, navigation and widget lines, index numbers, file names, dates, 文号 on their
own, "label: value" rows, sentences. Cleaning a title removes a site/column suffix after "_", "|" or
" - " (…的意见_政府信息公开专栏, …_全文), a short column prefix when what follows is an official title
(政务服务丨…, 第一篇:…), a 文号 prepended or appended to it (鲁政发〔2014〕20号《…》, …的通知(岳办发〔2017〕2号)),
and the 《》 a mirror wraps it in.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.documents.meta.labels import label_hits
from rag.documents.meta.orgs import is_org
from rag.documents.meta.page import SENTENCE_END, Line, fold_with_offsets
from rag.documents.meta.value_list import is_index_number
from rag.documents.page_vocab import page_vocab
from rag.lang import dates, doc_numbers, vocab

TITLE_MAX_CHARS = 120
MAX_TITLE_CHARS = 200  # no official title is longer: a flattened page is searched for one only this far
MIN_TITLE_CHARS = 8  # a first line shorter than this is a column name, unless a layout says it is the title
_HAN = re.compile(r"[\u4e00-\u9fff]")
_WIDE_GAP = re.compile(r"\S\s{3,}\S")
_TRAILING_PAREN = re.compile(r"\s*[(（][^()（）]{1,20}[)）]\s*$")
_TRAILING_QUOTE = re.compile(r"\s*《[^《》]+》\s*$")
_EMPTY_BRACKETS = re.compile(r"\s*(?:\[\d{0,2}\]|【】|\(\)|（）)+\s*$")  # "[]", footnote marks "[1]"
_SITE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|\s-\s|(?<=[\u4e00-\u9fff])-(?=[\u4e00-\u9fff]))\s*")
_COLUMN_PREFIX = re.compile(r"^(?:【[^【】]{1,8}】|[^\s:：|｜丨【《]{1,6}[:：|｜丨])\s*")
# "第二版:两会·聚焦": a short label and a short value, not a title.
_KEY_VALUE_ROW = re.compile(r"^[\u4e00-\u9fff ]{1,6}[:：].{0,8}$")
_COMMA = re.compile(r"[，,]")
# A numbered heading of the body ("一、总体要求", "1.总则", "第一章 总则") is never the title.
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}\s*[.、．]\s*\S|第[一二三四五六七八九十\d]+[章节条])")
_PARENTHESISED = re.compile(r"^[(（][^()（）]*[)）]$")
_LEADING_DAY = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_OPENERS = "《〈“(（[【"
_CLOSERS = "》〉”)）]】"


def _balanced(text: str) -> bool:
    depth = {o: 0 for o in _OPENERS}
    for ch in text:
        if ch in _OPENERS:
            depth[ch] += 1
        elif ch in _CLOSERS:
            opener = _OPENERS[_CLOSERS.index(ch)]
            depth[opener] -= 1
            if depth[opener] < 0:
                return False
    return all(v == 0 for v in depth.values())


@lru_cache(maxsize=1)
def closing_words() -> tuple[tuple[str, str], ...]:
    """(closing word, doc_type), longest first: vocab().doc_types plus page_vocab's TODO(lang) extras."""
    extra = page_vocab().doc_type.get("extra_closings", [])
    assert isinstance(extra, list)
    pairs = dict(vocab().doc_types)
    for word, doc_type in extra:
        pairs.setdefault(str(word), str(doc_type))
    return tuple(sorted(pairs.items(), key=lambda p: len(p[0]), reverse=True))


def closing_type(title: str) -> str | None:
    """The doc_type a title's closing words name (…的通知 -> 通知), looking past "(试行)", "(2021—2025年)"
    and a trailing quoted name (…的答复函《关于…的建议》)."""
    text = re.sub(r"\s", "", fold_with_offsets(title)[0])
    for _ in range(3):
        stripped = _EMPTY_BRACKETS.sub("", _TRAILING_QUOTE.sub("", _TRAILING_PAREN.sub("", text)))
        if stripped == text:
            break
        text = stripped
    text = text.rstrip("”\"'》")
    for ending, doc_type in closing_words():
        if text.endswith(ending):
            return doc_type
    return None


def is_breadcrumb(key: str) -> bool:
    vocab_ = page_vocab()
    head = key[:12]
    if any(cue in head for cue in vocab_.breadcrumb_cues):
        return True
    separators = sum(key.count(sep) for sep in (">", "»", "›", "->", "→", "＞"))
    slashes = key.count("/ ") + key.count(" /")
    return separators >= 2 or slashes >= 2 or key.startswith((">", "首页>", "首页 >", "首页/"))


def is_nav(key: str) -> bool:
    """A line made only of page widgets and menu words ("展开", "【打印本页】 【关闭本页】", "上一期 下一期")."""
    words = page_vocab().nav_words
    rest = re.sub(r"[\s【】\[\]():：|｜>»·•,，\-]+", " ", key).split()
    return bool(rest) and all(w in words for w in rest)


def is_file_name(key: str) -> bool:
    lowered = key.lower()
    return lowered.endswith(page_vocab().file_suffixes) or "_副本" in key


def is_date_line(key: str) -> bool:
    mentions = dates(key)
    return (
        bool(mentions)
        and len(re.sub(r"[\d\s:\-./年月日时分秒星期一二三四五六七八九日天〇○零十上下午OoＯ|{}]", "", key)) <= 1
    )


def is_doc_number_line(key: str) -> bool:
    numbers = doc_numbers(key)
    return bool(numbers) and len(key.replace(" ", "")) - len(numbers[0].raw.replace(" ", "")) <= 1


def title_like(line: Line, min_chars: int = MIN_TITLE_CHARS) -> bool:
    """Could this line be (part of) a title? Rejects everything that is never one."""
    key = line.key.strip()
    if not min_chars <= len(key) <= TITLE_MAX_CHARS:
        return False
    if SENTENCE_END.search(key) or key.endswith((":", "：", ",", "，", "、")):
        return False
    if _COMMA.search(key) and len(key) > 40:
        return False
    if _PARENTHESISED.match(key) or _LEADING_DAY.match(key) or _HEADING.match(key) or key.startswith(("——", "--")):
        return False
    han = len(_HAN.findall(key))
    if han < 0.5 * len(key.replace(" ", "")):
        return False
    if _WIDE_GAP.search(line.text):
        return False
    if is_breadcrumb(key) or is_nav(key) or is_file_name(key) or is_index_number(key):
        return False
    if is_date_line(key) or is_doc_number_line(key) or is_org(key):
        return False
    if label_hits(line) and label_hits(line)[0].start == 0:
        return False
    return not _KEY_VALUE_ROW.match(key)


def strip_site_suffix(title: str) -> str:
    """…的答复_区级提案结果公开_上海市宝山区人民政府门户网站 -> …的答复; …的决议_全文 -> …的决议."""
    parts = _SITE_SEPARATOR.split(title.strip())
    if len(parts) < 2:
        return title.strip()
    words = page_vocab().site_words
    keep = parts[0]
    tails = parts[1:]
    if all(any(w in t for w in words) or len(t) <= 12 for t in tails) and len(keep) >= 4:
        return keep.strip()
    return title.strip()


def strip_column_prefix(title: str) -> str:
    """政务服务丨济宁市人民政府关于…的实施意见 -> 济宁市人民政府关于…; kept when the rest is no official title."""
    m = _COLUMN_PREFIX.match(title)
    if m and closing_type(title[m.end() :]) and len(title) - m.end() >= MIN_TITLE_CHARS:
        return title[m.end() :].strip()
    return title


def strip_doc_number(title: str) -> str:
    """鲁政发〔2014〕20号《…》 -> …; …的通知(岳办发〔2017〕2号) -> …的通知."""
    text = title.strip()
    for number in doc_numbers(text):
        before, after = text[: number.start].rstrip(), text[number.end :].lstrip()
        if not before.strip("(（"):
            text = after
        elif not after.strip(")）"):
            text = before.rstrip("(（ ")
        break
    if text.startswith("《") and text.endswith("》") and _balanced(text[1:-1]):
        text = text[1:-1]
    return text.strip()


def clean_title(title: str) -> str:
    text = _EMPTY_BRACKETS.sub("", title.strip())
    text = strip_site_suffix(text)
    text = strip_doc_number(text)
    text = strip_column_prefix(text)
    return text.strip()


def complete(title: str) -> bool:
    """A whole title, not a fragment of one broken across lines: its brackets and quotes close."""
    return _balanced(title)
