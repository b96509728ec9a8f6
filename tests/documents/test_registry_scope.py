"""The drafting scope over the registry admits exactly what ``scope_filter`` admits over the records,
reading each document once (later drafts ask the stored places), on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import rag.drafting.scope as scope_module
from rag.documents.registry import Registry
from rag.drafting.scope import office_scope, registry_scope_filter, scope_filter
from rag.models import Chunk, DocMeta

DOCS = {  # path -> (title, issuer, region, text)
    "c/a.txt": ("关于公交的答复", "绍兴市上虞区交通运输局", None, "…"),
    "c/b.txt": ("关于公交的答复", "", None, "越城区交通运输局\n关于公交的答复"),
    "c/c.txt": ("乡村振兴战略的意见", "中共中央 国务院", None, "…"),
    "c/d.txt": ("无题", "", None, "没有地名的文字。"),
    "c/e.txt": ("浙江省交通规划", "", "浙江省", "…"),
    "other/a.txt": ("关于公交的答复", "", None, "杭州市交通运输局\n关于公交的答复"),  # shares a file name
}


def _fill(registry: Registry) -> None:
    with registry.transaction() as conn:
        for path, (title, issuer, region, text) in DOCS.items():
            Registry.put(
                conn,
                source=path.rsplit("/", 1)[-1],
                sha256=f"sha-{path}",
                meta=DocMeta(title=title, issuer=issuer or None, region=region),
                visibility="public",
                path=path,
                text=text,
                chunks=[Chunk(id=f"{path}#0", source=path, position=0, text=text, index_text=text)],
            )
        Registry.commit_generation(conn)


class Counting:
    """The registry, counting full-text reads (what placing a document costs)."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.text_reads = 0
        self.unplaced_calls = 0
        self.generation = registry.generation
        self.places_generation = registry.places_generation
        self.record_places = registry.record_places
        self.placed_sources = registry.placed_sources

    def unplaced(self, version: str):  # type: ignore[no-untyped-def]
        self.unplaced_calls += 1
        return self.registry.unplaced(version)

    def get(self, doc_id: str, with_text: bool = False):  # type: ignore[no-untyped-def]
        self.text_reads += with_text
        return self.registry.get(doc_id, with_text)


def test_registry_scope_matches_the_record_scope_and_places_each_document_once(
    open_registry: Callable[[], Registry], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scope_module, "_places", {})  # no places remembered from other tests
    registry = open_registry()
    _fill(registry)
    records = registry.all()
    # the record path reads texts by file name; of the two a.txt only other/a.txt names no place in its metadata
    texts = {"b.txt": DOCS["c/b.txt"][3], "d.txt": DOCS["c/d.txt"][3], "a.txt": DOCS["other/a.txt"][3]}

    for region in ("上虞区", "越城区", "浙江省", "杭州市"):
        scope = office_scope(region)
        store = Counting(registry)
        got = registry_scope_filter(scope, store)
        # the first draft reads the three texts whose metadata names no place; later drafts read none
        assert store.text_reads == (3 if region == "上虞区" else 0), region
        assert store.unplaced_calls == (1 if region == "上虞区" else 0), region  # nothing written since: no look
        expected = scope_filter(scope, records, text_of=texts.__getitem__)
        assert expected is not None and got is not None
        assert sorted(set(expected.equals["source"])) == list(got.equals["source"]), region

    assert list(registry_scope_filter(office_scope("上虞区"), registry).equals["source"]) == ["a.txt", "c.txt", "e.txt"]
    with registry.transaction() as conn:  # a write: the next draft places the new document
        Registry.put(
            conn, source="f.txt", sha256="sha-f", meta=DocMeta(title="上虞区公交", region="上虞区"),
            visibility="public", path="c/f.txt", text="…", chunks=[],
        )  # fmt: skip
        Registry.commit_generation(conn)
    store = Counting(registry)
    assert "f.txt" in registry_scope_filter(office_scope("上虞区"), store).equals["source"]
    assert store.unplaced_calls == 1 and store.text_reads == 0
    assert registry_scope_filter(office_scope(""), registry) is None  # no region: no restriction
    registry.close()
