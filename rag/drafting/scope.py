"""Which documents a draft may cite: the handling office's region, its ancestors and central documents.

A county's reply may quote its prefecture, its province and the State Council, never a sibling county
or another province. The place of a document comes from the gazetteer over its recorded region,
then its issuer, then its title; a document whose place cannot be told is left out of a regional
draft, because nothing can show it is not another city's.

A draft must not read every document: ``registry_scope_filter`` stores each document version's place in
the registry once (keyed by the version of the rules and data that derived it) and then asks one indexed
query for the sources in the allowed places. ``scope_filter`` is the same rule over a list of records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from index.records import Filter
from index.textnorm import to_simplified
from rag.lang import Place, gazetteer
from rag.lang.data import DATA_DIR
from rag.models import DocumentRecord

NATIONAL = "全国"
PLACE_RULES = "1"  # bump when document_place decides differently, so stored places are derived again
_EDGE_CHARS = 300  # where a letter or notice names its issuer (head, 落款) when the metadata does not
_places: dict[tuple[str, str], Place | str | None] = {}  # (source, sha256) -> place, across drafts


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


def document_place(doc: DocumentRecord, text_of: Callable[[str], str] | None = None) -> Place | str | None:
    """Where a document comes from: ``全国`` for central bodies, a Place, or None when unknown.

    The recorded region and the issuer are asked first, and the issuer's place wins when it lies inside
    the region (region 辽宁省, issuer 沈阳市房产局 -> 沈阳市). The title, then the full place names at the
    head and the 落款 of the text, are asked only when those name no place: they often name the
    matter's place rather than the issuer's (a city's reply about one of its counties). Read once per
    document version: the answer is cached by content hash."""
    key = (doc.source, doc.sha256)
    if key in _places:
        return _places[key]
    meta = doc.meta
    found: Place | str | None = None
    for text in (meta.region, meta.issuer):
        if text:
            found = _refine(found, _place_of(text))
    if found is None and meta.title:
        found = _place_of(meta.title)
    if found is None and text_of is not None:
        full = text_of(doc.source)
        found = _named_in(full[:_EDGE_CHARS]) or _named_in(full[-_EDGE_CHARS:])
    if text_of is not None or found is not None:
        _places[key] = found
    return found


def _place_of(text: str) -> Place | str | None:
    return gazetteer().most_specific(text) or (NATIONAL if _national(text) else None)


def _refine(current: Place | str | None, candidate: Place | str | None) -> Place | str | None:
    """The finer of two readings when one lies inside the other; otherwise the first reading stands."""
    if current is None:
        return candidate
    inside = isinstance(candidate, Place) and current in gazetteer().ancestors(candidate)
    if isinstance(current, Place) and inside:
        return candidate
    return current


def _named_in(text: str) -> Place | None:
    """The most specific place a running text names in full (上街区, not 上街): short forms in prose are
    too often ordinary words (温泉, 明水) to tell a document's place."""
    full = [m.place for m in gazetteer().find(text) if to_simplified(m.surface) == m.place.name]
    if not full:
        return None
    depth = {"county": 0, "prefecture": 1, "province": 2}
    return min(full, key=lambda p: depth.get(p.level, 3))


def _national(text: str) -> bool:
    """The text is, or starts with, a central body's name (全国, 国务院办公厅, 中共中央 国务院…)."""
    words = "".join(text.split())
    return any(gazetteer().is_national(words[:n]) for n in range(2, min(len(words), 12) + 1))


def scope_filter(
    scope: RegionScope,
    docs: Sequence[DocumentRecord],
    base: Filter | None = None,
    text_of: Callable[[str], str] | None = None,
) -> Filter | None:
    """A search filter on the sources the scope admits (None = everything, when no region was given)."""
    if scope.place is None:
        return base
    sources = []
    for doc in docs:
        where = document_place(doc, text_of)
        if where is not None and scope.admits(where):
            sources.append(doc.source)
    return (base or Filter()).with_equals("source", sorted(sources))


class PlaceStore(Protocol):
    """What the scope needs of the registry (rag.documents.registry.Registry)."""

    def generation(self) -> int: ...

    def places_generation(self, version: str) -> int: ...

    def unplaced(self, version: str) -> list[DocumentRecord]: ...

    def record_places(
        self, version: str, places: Mapping[str, tuple[str, str]], generation: int | None = None
    ) -> None: ...

    def placed_sources(self, version: str, places: Iterable[str]) -> list[str]: ...

    def get(self, doc_id: str, with_text: bool = False) -> DocumentRecord | None: ...


@cache
def places_version() -> str:
    """The rules and the language data places are derived with: a new gazetteer re-derives every place."""
    digest = hashlib.sha256(PLACE_RULES.encode())
    for path in sorted(DATA_DIR.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def place_key(where: Place | str | None) -> str:
    """How a document's place is stored: a division code, ``全国``, or '' when it cannot be told."""
    if isinstance(where, Place):
        return where.code
    return where or ""


def registry_scope_filter(scope: RegionScope, store: PlaceStore, base: Filter | None = None) -> Filter | None:
    """``scope_filter`` over the registry: documents not placed yet (new since the last draft) are placed
    and stored, then the admitted sources come from one query on the stored places. When nothing was
    written since the last draft (the generation), not even the unplaced documents are looked for."""
    if scope.place is None:
        return base
    version = places_version()
    generation = store.generation()
    if store.places_generation(version) != generation:  # documents were written since the last draft
        fresh = store.unplaced(version)

        def text_by_path(path: str) -> Callable[[str], str]:
            def text_of(_source: str) -> str:  # by id: two documents may share a file name
                full = store.get(path, with_text=True)
                return full.text if full is not None else ""

            return text_of

        found = {d.path: (d.sha256, place_key(document_place(d, text_by_path(d.path)))) for d in fresh}
        store.record_places(version, found, generation)
    sources = store.placed_sources(version, [*scope.allowed, NATIONAL])
    return (base or Filter()).with_equals("source", sources)
