"""Region scope: a county's draft may cite its prefecture, province and central documents, nothing else."""

from __future__ import annotations

import pytest

from rag.drafting import document_place, office_scope, scope_filter
from rag.errors import RagError
from rag.lang import gazetteer

from .fakes import FakeFacade


def place(name: str):  # type: ignore[no-untyped-def]
    found = gazetteer().most_specific(name)
    assert found is not None, name
    return found


def test_county_scope_admits_its_parents_and_central_but_not_siblings_or_other_provinces() -> None:
    scope = office_scope("绍兴市上虞区")
    assert scope.admits(place("上虞区")) and scope.admits(place("绍兴市")) and scope.admits(place("浙江省"))
    assert scope.admits("全国")
    assert not scope.admits(place("越城区"))  # sibling county of the same prefecture
    assert not scope.admits(place("杭州市")) and not scope.admits(place("河南省"))
    assert not scope.admits(None)


def test_unknown_region_is_a_clear_error() -> None:
    with pytest.raises(RagError, match="无法识别地区"):
        office_scope("火星区")


def test_documents_are_placed_by_metadata_then_by_full_names_in_their_text() -> None:
    facade = FakeFacade(
        {
            "a.txt": ("关于公交的答复", "绍兴市上虞区交通运输局", None, "…"),
            "b.txt": ("关于公交的答复", "", None, "越城区交通运输局\n关于公交的答复"),
            "c.txt": ("乡村振兴战略的意见", "中共中央 国务院", None, "…"),
            "d.txt": ("无题", "", None, "没有地名的文字。"),
        }
    )
    docs = {d.source: d for d in facade.docs()}
    assert document_place(docs["a.txt"]) == place("上虞区")
    assert document_place(docs["b.txt"], facade.document_text) == place("越城区")
    assert document_place(docs["c.txt"]) == "全国"
    assert document_place(docs["d.txt"], facade.document_text) is None
    flt = scope_filter(office_scope("上虞区"), facade.docs(), text_of=facade.document_text)
    assert flt is not None and list(flt.equals["source"]) == ["a.txt", "c.txt"]  # unknown place: left out
    assert scope_filter(office_scope(""), facade.docs()) is None  # no region: no restriction


def test_the_issuer_refines_a_coarse_region_but_a_title_about_a_county_does_not_move_the_issuer() -> None:
    facade = FakeFacade(
        {
            "city.txt": ("市政协委员提案", "沈阳市房产局", "辽宁省", "…"),
            "about.txt": ("关于撤销延平区设立县级延平市的建议的答复", "南平市民政局", None, "延平区……"),
        }
    )
    docs = {d.source: d for d in facade.docs()}
    assert document_place(docs["city.txt"]) == place("沈阳市")
    assert document_place(docs["about.txt"], facade.document_text) == place("南平市")
    assert not office_scope("辽宁省").admits(document_place(docs["city.txt"]))  # a province cites no city below it
