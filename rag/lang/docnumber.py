"""文号 (发文字号, GB/T 9704-2012): 机关代字 + 〔年份〕 + 序号 + 号, one grammar with its damaged forms.

Brackets 〔〕[]【】()（）﹝﹞［］ and full-width digits fold to one shape before matching; the mangled
forms that lost brackets and/or 号 (渝府办发202312号, ××函〔202366) count only when the agency ends
in a 代字 suffix from data and the year is plausible, so plain years and numbers in prose never match.
Lead-in words (根据, 印发 …, from data) are cut from the left of the agency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rag.lang.numerals import Taken
from rag.lang.vocab import vocab

_MANGLED_YEAR_MIN = 1980  # a 文号 that lost its brackets: only recent years are read as its year
_AGENCY = r"\u4e00-\u9fff×X"
_AGENCY_GAP = "\u00a0"  # a masked pinyin annotation inside or after the agency (黔府辦發(fā)〔2012〕)
_GAP = r"[ \t\u00a0\u3000]*"  # a damaged 文号 stays on one line
_OPEN = r"〔\[【(〖"
_CLOSE = r"〕\]】)〗"


@dataclass(frozen=True)
class DocNumber:
    """A 文号 as written (``raw``) and in one spelling (``normalised``: 国发〔2019〕4号)."""

    raw: str
    normalised: str
    agency: str  # 机关代字, simplified (国发, 渝府办发)
    year: int  # 0 for orders numbered without a year (渝府令第121号)
    seq: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _doc_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The part after the agency of each form; the agency is read backwards from where it starts."""
    standard = re.compile(
        rf"\s*[{_OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{_CLOSE}]\s*(?:第\s*)?(?P<seq>\d{{1,5}})\s*号"
    )
    mangled = re.compile(
        rf"(?:(?P<open>[{_OPEN}])|(?<!\d)){_GAP}(?P<year>(?:19|20)\d{{2}})(?P<close>[{_CLOSE}])?"
        rf"{_GAP}(?:第{_GAP})?(?P<seq>\d{{1,4}})(?P<hao>号)?(?![\d.年月日])"
    )
    # Orders are numbered without a year: 渝府令第121号 (agency ending in an order suffix from data).
    order = re.compile(r"\s*第\s*(?P<seq>\d{1,5})\s*号")
    return standard, mangled, order


# The agency: up to 14 characters right before the rest of the 文号 (masked pinyin may sit between them).
_AGENCY_BEFORE = re.compile(rf"[{_AGENCY}](?:[{_AGENCY}]|{_AGENCY_GAP}+(?=[{_AGENCY}])){{0,13}}$")
_LOOK_BACK = 64
_DIGIT = re.compile(r"\d")  # every form holds a year or a serial number


def _trim_agency(agency: str) -> str:
    """根据国发 -> 国发: cut after the rightmost lead-in word that is not the whole agency."""
    cut = 0
    for word in vocab().doc_number_lead_ins:
        idx = agency.rfind(word)
        if idx >= 0 and idx + len(word) > cut and len(agency) - (idx + len(word)) >= (0 if len(word) > 1 else 2):
            cut = idx + len(word)
    return agency[cut:]


def _offset_of_suffix(written: str, agency: str) -> int:
    """Where ``agency`` (gap characters removed) starts inside ``written``."""
    kept = 0
    for i in range(len(written) - 1, -1, -1):
        if written[i] != _AGENCY_GAP:
            kept += 1
            if kept == len(agency):
                return i
    return 0


def find_doc_numbers(folded: str, text: str, taken: Taken) -> list[DocNumber]:
    """文号 in ``folded`` (offsets and ``raw`` from ``text``); marks what it takes in ``taken``."""
    standard, mangled, order = _doc_patterns()
    found: list[DocNumber] = []
    suffixes = vocab().doc_number_suffixes
    if _DIGIT.search(folded) is None:  # cheap preconditions before the scans: most passages hold no 文号
        return found
    for pattern in (standard, mangled, order):
        if pattern is not mangled and "号" not in folded:  # the standard and order forms spell 号
            continue
        for m in pattern.finditer(folded):
            before = _AGENCY_BEFORE.search(folded, max(0, m.start() - _LOOK_BACK), m.start())
            if before is None:
                continue
            written = before.group(0)
            agency = _trim_agency(written.replace(_AGENCY_GAP, ""))
            if not agency or (pattern is not standard and len(written.replace(_AGENCY_GAP, "")) < 2):
                continue
            start = before.start() + _offset_of_suffix(written, agency)
            if taken.overlaps(start, m.end()):
                continue
            seq = m.group("seq")
            if pattern is order:
                if not agency.endswith(vocab().doc_number_order_suffixes) or len(agency) < 2:
                    continue
                found.append(DocNumber(text[start : m.end()], f"{agency}第{seq}号", agency, 0, seq, start, m.end()))
                taken.add(start, m.end())
                continue
            year = int(m.group("year"))
            if pattern is mangled:
                complete = m.group("open") and m.group("close") and m.group("hao")
                if complete or not agency.endswith(suffixes) or len(agency) < 2 or year < _MANGLED_YEAR_MIN:
                    continue
            found.append(
                DocNumber(
                    raw=text[start : m.end()],
                    normalised=f"{agency}〔{year}〕{seq}号",
                    agency=agency,
                    year=year,
                    seq=seq,
                    start=start,
                    end=m.end(),
                )
            )
            taken.add(start, m.end())
    return sorted(found, key=lambda d: d.start)
