"""Which documents a draft may cite: the handling office's region, its ancestors and central documents.

A county's reply may quote its prefecture, its province and the State Council, never a sibling county
or another province. The place of a document comes from the gazetteer over its recorded region,
then its issuer, then its title; a document whose place cannot be told is left out of a regional
draft, because nothing can show it is not another city's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.records import Filter
from rag.lang import Place, gazetteer
from rag.models import DocumentRecord

NATIONAL = "全国"


@dataclass(frozen=True)
class RegionScope:
    """The office's place and the places (codes) whose documents it may cite."""

    place: Place | None
    allowed: frozenset[str]

    def admits(self, where: Place | str | None) -> bool:
        """True for the office's place, one of its ancestors, or a central document (``全国``)."""
        if where == NATIONAL:
            return True
        if self.place is None:
            return True
        return isinstance(where, Place) and where.code in self.allowed


def office_scope(region: str) -> RegionScope:
    """The scope of an office in ``region`` (a name as staff write it: 上虞区, 绍兴市上虞区, 臺前縣)."""
    if not region.strip():
        return RegionScope(None, frozenset())
    place = gazetteer().most_specific(region)
    if place is None:
        from rag.errors import RagError

        raise RagError(f"无法识别地区“{region}”：请写出省、市或县（区）的名称，例如：绍兴市上虞区。")
    return RegionScope(place, frozenset({place.code, *(p.code for p in gazetteer().ancestors(place))}))


def document_place(doc: DocumentRecord) -> Place | str | None:
    """Where a document comes from: ``全国`` for central bodies, a Place, or None when unknown."""
    meta = doc.meta
    g = gazetteer()
    for text in (meta.region, meta.issuer, meta.title):
        if not text:
            continue
        if g.is_national(text):
            return NATIONAL
        place = g.most_specific(text)
        if place is not None:
            return place
    return None


def scope_filter(scope: RegionScope, docs: Sequence[DocumentRecord], base: Filter | None = None) -> Filter | None:
    """A search filter on the sources the scope admits (None = everything, when no region was given)."""
    if scope.place is None:
        return base
    sources = sorted(d.source for d in docs if document_place(d) is not None and scope.admits(document_place(d)))
    return (base or Filter()).with_equals("source", sources)
