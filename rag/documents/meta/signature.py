"""The 落款: the issuing authority's name and the date at the end of a document (or of its cover notice).

    东阳市人民政府办公室                 青海省卫生厅          青海省发展和改革委员会
    2023年3月13日                        …
                                         二○○九年五月一日

A signature date is a line that is only a date, after the body has begun (dates in a page header
come before any sentence). The signer is the organisation line just above it (blank lines,
"(此件公开发布)" and contact lines may stand between); of several signers side by side, the first.
The first signature counts: a cover notice's comes before the document it transmits.
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.documents.meta.labels import Found, label_hits
from rag.documents.meta.orgs import first_org, is_org
from rag.documents.meta.page import Line, Page
from rag.documents.meta.titles import is_date_line
from rag.documents.page_vocab import page_vocab
from rag.lang import DateMention, dates

RULE = "signature"
SIGNER_WITHIN = 8  # lines above the date where the signer may stand


@dataclass(frozen=True)
class Signature:
    date: DateMention | None
    issuer: str | None
    line: int


def _signer(lines: tuple[Line, ...], date_index: int) -> str | None:
    """The first signer of the block above the date: its topmost organisation line."""
    signer = None
    for line in reversed(lines[max(0, date_index - SIGNER_WITHIN) : date_index]):
        org = first_org(line.key)
        if org is not None:
            signer = line.span(*_span_of(line, org))
            continue
        if signer is not None or line.is_prose or label_hits(line):
            break
    return signer


def _span_of(line: Line, folded: str) -> tuple[int, int]:
    start = line.key.find(folded)
    return (start, start + len(folded)) if start >= 0 else (0, len(line.key))


def _not_a_document_date(line: Line) -> bool:
    return any(word in line.key for word in page_vocab().not_document_date)


def signatures(page: Page) -> list[Signature]:
    """Every signature of the page, in page order."""
    out = []
    body = page.first_prose
    lines = page.lines
    for line in lines:
        if line.index <= body or not is_date_line(line.key) or _not_a_document_date(line):
            continue
        mentions = dates(line.key)
        if not mentions:
            continue
        out.append(Signature(mentions[0], _signer(lines, line.index), line.index))
    return out


def signature_fields(page: Page) -> list[Found]:
    found = []
    for sig in signatures(page)[:1]:
        if sig.date is not None:
            found.append(Found("date", sig.date.iso, RULE, sig.line, sig.date.precision))
        if sig.issuer is not None and is_org_text(sig.issuer):
            found.append(Found("issuer", sig.issuer, RULE, sig.line))
    return found


def signer_lines(page: Page) -> list[Found]:
    """Signers of every signature (region reads them all: a later one may name the place)."""
    return [Found("issuer", s.issuer, RULE, s.line) for s in signatures(page) if s.issuer]


def is_org_text(text: str) -> bool:
    from rag.documents.meta.page import make_line

    return is_org(make_line(0, text).key)
