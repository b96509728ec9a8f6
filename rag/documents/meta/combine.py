"""Choose each field from what the extractors read, in one documented precedence.

title       header cell (名称/标题) > HTML head title > the body's title line (see body_title) > file name
doc_number  header cell > the document's own 文号 line / title-appended 文号 (never one quoted in a sentence)
issuer      header cell > the title's opening authority (××局关于…) > the meeting an adoption note names
            > 落款 > an organisation line in the header > "我代表××" > 文章来源 / news credit
            > an organisation the title starts with > the site owner (版权所有/主办单位)
date        落款 date > header 成文日期 > the date beside the 文号 > a date note under the title
            > the page's publication date (header cell, label-free list, timestamp line) > a news lead's date
doc_type    the title's closing words > the text's formulas (see doc_type)
region      the issuer's region, trying every issuer reading in the order above > title > text
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import PurePath

from rag.documents.meta import dates as date_rules
from rag.documents.meta.body_title import body_title
from rag.documents.meta.doc_number import body_doc_number, parse
from rag.documents.meta.doc_type import find_doc_type
from rag.documents.meta.html_head import head_title
from rag.documents.meta.key_value import header_fields
from rag.documents.meta.labels import Found
from rag.documents.meta.opening import (
    adopting_body,
    byline,
    head_org_line,
    representative,
    title_lead_org,
    title_opening,
)
from rag.documents.meta.orgs import is_name, is_org
from rag.documents.meta.page import make_line, read_page
from rag.documents.meta.region import find_region
from rag.documents.meta.signature import signature_fields, signer_lines
from rag.documents.meta.source_line import site_owner, source_fields
from rag.documents.meta.titles import complete, title_like
from rag.documents.meta.value_list import value_list_fields
from rag.documents.page_vocab import page_vocab
from rag.lang import dates
from rag.models import CleanText, DocMeta, LoadedFile

log = logging.getLogger(__name__)
HEAD_LINES = 12  # header lines read for an opening "××印发《…》" above the title


def _first(found: Iterable[Found | None], field: str) -> Found | None:
    return next((f for f in found if f is not None and f.field == field), None)


def _org_ok(f: Found) -> bool:
    """A reading names an issuer: an organisation; a labelled cell may hold a name cut short; a meeting
    that adopted the text and a news agency's credit are issuers in their own right."""
    key = make_line(0, f.value).key
    if f.rule in ("key_value", "value_list"):
        return is_name(key) and not _holds_label(key)
    if f.rule.endswith((":adoption", ":credit")):
        return True
    return is_org(key)


def _holds_label(value: str) -> bool:
    """A header cell whose "value" is the next row's labels ("答复日期 答复内容")."""
    vocab = page_vocab()
    words = [lb for name in ("date", "publish_date", "other") for lb in vocab.labels[name] if len(lb) >= 2]
    return any(w in value for w in words)


def _date(f: Found) -> tuple[str, str] | None:
    """(ISO YYYY-MM-DD, precision); a month or a year is dated to its first day, as the contract wants."""
    if f.precision:
        iso, precision = f.value, f.precision
    else:
        mentions = dates(make_line(0, f.value).key)
        if not mentions:
            return None
        iso, precision = mentions[0].iso, mentions[0].precision
    parts = [*iso.split("-"), "01", "01"][:3]
    return "-".join(parts), precision


def extract(loaded: LoadedFile, cleaned: CleanText) -> DocMeta:
    page = read_page(loaded.raw_text, loaded.page_titles)
    header = header_fields(page) + value_list_fields(page)

    title_f = _first(
        [
            *(
                f
                for f in header
                if f.field == "title" and title_like(make_line(0, f.value), min_chars=4) and complete(f.value)
            ),
            head_title(page),
            body_title(page),
        ],
        "title",
    )
    title = title_f.value if title_f else PurePath(loaded.source).stem

    doc_number = None
    for f in header:
        if f.field == "doc_number" and (parsed := parse(f.value)):
            doc_number = parsed
            break
    if doc_number is None:
        own = body_doc_number(page)
        doc_number = own.value if own else None

    signature = signature_fields(page)
    sources = [f for f in header if f.field == "source"]
    issuer_readings: list[Found | None] = [
        *(f for f in header if f.field == "issuer" and f.rule != "value_list"),
        title_opening(title) if title_f else None,
        *(title_opening(ln.text) for ln in page.lines[: min(page.body_start, HEAD_LINES)]),
        adopting_body(page),
        *(f for f in signature if f.field == "issuer"),
        *(f for f in header if f.field == "issuer" and f.rule == "value_list"),  # read by shape, not by label
        head_org_line(page),
        byline(page),
        representative(page),
        *source_fields(page, sources),
        title_lead_org(title) if title_f else None,
        *site_owner(page),
    ]
    readings = [f for f in issuer_readings if f is not None and _org_ok(f)]
    issuer = readings[0].value if readings else None

    date_readings: list[Found | None] = [
        *(f for f in signature if f.field == "date"),
        *(f for f in header if f.field == "date"),
        *date_rules.beside_doc_number(page),
        *date_rules.date_notes(page),
        *date_rules.date_lines_under_title(page),
        *(f for f in header if f.field == "publish_date"),
        *date_rules.page_meta_dates(page),
        date_rules.lead_date(page),
    ]
    found_date = next((d for f in date_readings if f is not None and (d := _date(f))), None)

    region_issuers = [make_line(0, f.value).key for f in readings] + [
        make_line(0, f.value).key for f in signer_lines(page)
    ]
    region = find_region(region_issuers, make_line(0, title if title_f else "").key, make_line(0, cleaned.text).key)
    doc_type = find_doc_type(title if title_f else None, page)
    log.debug(
        "%s: title by %s, issuer by %s",
        loaded.source,
        title_f.rule if title_f else "-",
        readings[0].rule if readings else "-",
    )
    return DocMeta(
        title=title,
        doc_number=doc_number,
        issuer=issuer,
        date=found_date[0] if found_date else None,
        date_precision=found_date[1] if found_date else None,  # type: ignore[arg-type]
        region=region,
        doc_type=doc_type,
        incomplete=cleaned.incomplete,
    )
