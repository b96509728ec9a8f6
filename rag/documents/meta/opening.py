"""The issuing authority as a document's opening names it.

    高平市水务局关于高平市政协七届三次会议第261号提案的答复   -> 高平市水务局 (title opening)
    中共中央办公厅、国务院办公厅印发《…》                          -> 中共中央办公厅、国务院办公厅
    (2022年12月28日竹山县第十九届人民代表大会第二次会议通过)    -> 竹山县第十九届人民代表大会第二次会议
    吉林省长春市人民政府   (an organisation line in the header)  -> 吉林省长春市人民政府
    现在,我代表南开区人民政府,向大会作政府工作报告             -> 南开区人民政府

A session of a people's congress or a plenary session adopts in its own name; a standing committee's
ordinary sitting ("…常委会第十六次会议") adopts in the committee's name.
"""

from __future__ import annotations

import re

from rag.documents.meta.labels import Found
from rag.documents.meta.orgs import first_org, is_org, is_place
from rag.documents.meta.page import Page, make_line
from rag.documents.meta.titles import is_breadcrumb
from rag.documents.page_vocab import page_vocab
from rag.lang import gazetteer, vocab

RULE = "opening"
_LEADING_YEAR = re.compile(r"^(?:19|20)\d{2}年(?:度)?")
_ADOPTION = re.compile(
    r"^[(（]\s*(?:经\s*)?(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:在\s*)?(.{4,50}?)(?:审议)?通过\s*[)）]?"
)
_SITTING = re.compile(r"第[一二三四五六七八九十百\d]+次会议$")
_PLENARY = re.compile(r"(?:全体会议|代表大会第[一二三四五六七八九十\d]+次会议)$")
_PERSON_TITLE_ENDS = ("长", "主任", "书记", "主席")
_REPRESENT = re.compile(r"我(?:们)?(?:谨)?代表([^,，。；;向]{3,40}?)[,，向]")


def title_opening(title: str) -> Found | None:
    """The organisation a title opens with, before 关于/对/印发/转发."""
    line = make_line(0, title)
    m = re.search("|".join(map(re.escape, page_vocab().official_markers)), line.key)
    if m and m.start() >= 2:
        prefix = line.key[: m.start()].strip()
        if (is_org(prefix) and not is_place(prefix)) or _is_session(prefix):
            return Found("issuer", line.span(0, m.start()), RULE)
    return None


def title_lead_org(title: str) -> Found | None:
    """A title that starts with its author's name ("2016年越秀区人民政府换届工作报告"): the weakest
    reading, so the name must name a place and is the shortest organisation prefix."""
    line = make_line(0, title)
    key = line.key
    offset = 0
    year = _LEADING_YEAR.match(key)
    if year:
        offset = year.end()
    for end in range(offset + 3, min(len(key), offset + 30)):
        name = key[offset:end]
        places = gazetteer().find(name)
        if is_org(name) and places and places[0].start == 0 and not is_place(name):
            return Found("issuer", line.span(offset, end), f"{RULE}:title_lead")
    return None


def byline(page: Page) -> Found | None:
    """A speaker's byline under the title: "北京市人民代表大会常务委员会代表联络室主任李文" -> the body."""
    titles = [w for w in vocab().role_words if w.endswith(_PERSON_TITLE_ENDS)]  # 主任 局长, not 局 委
    roles = "|".join(map(re.escape, sorted(titles, key=len, reverse=True)))
    pattern = re.compile(rf"^(.{{4,40}}?)(?:{roles})\s*[\u4e00-\u9fff]{{2,3}}$")
    for line in page.lines[: min(page.first_prose, 12)]:
        m = pattern.match(line.key.replace(" ", ""))
        if not m:
            continue
        unit = m.group(1)
        for end in range(len(unit), 2, -1):
            if is_org(unit[:end]):
                return Found("issuer", _written(line, unit[:end]), f"{RULE}:byline", line.index)
    return None


def _is_session(text: str) -> bool:
    return bool(_PLENARY.search(text)) or (bool(_SITTING.search(text)) and is_org(_SITTING.sub("", text)))


def adopting_body(page: Page) -> Found | None:
    """The meeting an adoption note says adopted the text."""
    for line in page.lines[:6]:
        m = _ADOPTION.match(line.key.replace(" ", "") if len(line.key) < 80 else line.key[:80])
        if not m:
            continue
        body = m.group(1)
        if _PLENARY.search(body):
            return Found("issuer", _written(line, body), f"{RULE}:adoption", line.index)
        committee = _SITTING.sub("", body)
        if committee != body and is_org(committee):
            return Found("issuer", _written(line, committee), f"{RULE}:adoption", line.index)
    return None


def _written(line: object, folded: str) -> str:
    from rag.documents.meta.page import Line

    assert isinstance(line, Line)
    compact = line.key.replace(" ", "")
    start = compact.find(folded)
    if start < 0:
        return folded
    # map back through a space-free copy of the written text
    written = line.text.replace(" ", "")
    return written[start : start + len(folded)]


def head_org_line(page: Page) -> Found | None:
    """An organisation's name standing alone on a line above the body (not in a breadcrumb); of
    several side by side ("万载县统计局    国家统计局万载调查队"), the first."""
    for line in page.lines[: min(page.first_prose, 15)]:
        if is_breadcrumb(line.key):
            continue
        org = first_org(line.key)
        if org is not None and len(org) >= len(line.key.split("  ")[0].strip()):
            return Found("issuer", _written(line, org), f"{RULE}:head_line", line.index)
    return None


def representative(page: Page) -> Found | None:
    """ "我代表××人民政府": a report or speech given in the name of a body."""
    for line in page.lines[:12]:
        m = _REPRESENT.search(line.key)
        if m and is_org(m.group(1)) and not m.group(1).startswith(("市", "县", "区", "省")):
            return Found("issuer", line.span(m.start(1), m.end(1)), f"{RULE}:represent", line.index)
    return None
