"""A question that names a document is answered from that document only."""

from __future__ import annotations

from index.records import Filter, Hit
from rag.answer.backends import make_backend
from rag.answer.chain import AnswerChain
from rag.answer.scope import named_documents
from rag.settings import Settings

from .conftest import corpus_docs, corpus_hits

TITLES = {
    "000": "重庆市铜梁区经济和信息化委员会关于区第十八届人民代表大会第四次第126号建议的复函",
    "002": "重庆市合川区人民政府办公室关于印发深入推进新时代新征程新合川制造业高质量发展行动方案(2023—2027年)的通知",
    "003": "关于区域制造中心建设情况的汇报",
}


def test_a_title_fragment_called_a_document_names_it() -> None:
    assert named_documents("区域制造中心建设汇报中，亩均产值和税收分别力争提高多少？", TITLES) == ["003"]
    assert named_documents("合川区制造业高质量发展行动方案是哪个单位印发的？", TITLES) == ["002"]
    assert named_documents("关于区第十八届人民代表大会第四次第126号建议的复函是哪个单位发出的？", TITLES) == ["000"]


def test_shared_words_that_are_not_a_document_name_do_not_scope() -> None:
    assert named_documents("铜梁区推动制造业高质量发展有哪些措施？", TITLES) == []  # a phrase, not "…方案"
    assert named_documents("铜梁区2023年规上工业总产值是多少？", TITLES) == []
    assert named_documents("2023年工业投资增长多少？", TITLES) == []


def _chain_recording(settings: Settings, seen: list[Filter | None]) -> AnswerChain:
    hits = corpus_hits()

    def search(query: str, k: int, flt: Filter | None, audience: str) -> list[Hit]:
        seen.append(flt)
        return [h for h in hits if flt is None or flt.matches(h.meta)][:k]

    return AnswerChain(search, corpus_docs, make_backend(settings), settings)


def test_chain_retrieves_only_from_the_named_document(settings: Settings) -> None:
    seen: list[Filter | None] = []
    answer = _chain_recording(settings, seen).invoke("合川区制造业高质量发展行动方案提出新型储能产业产值目标是多少？")
    assert seen and all(f is not None and list(f.equals["source"]) == ["002_ab94c550cb50952a.txt"] for f in seen)
    assert all(c.source == "002_ab94c550cb50952a.txt" for c in answer.citations)


def test_a_part_about_another_place_keeps_the_whole_corpus(settings: Settings) -> None:
    seen: list[Filter | None] = []
    _chain_recording(settings, seen).invoke(
        "铜梁区2023年规上工业总产值是多少？合川区制造业高质量发展行动方案提出新型储能产业产值目标是多少？"
    )
    assert seen[0] is None  # 铜梁区 is not what the 合川 plan is about: a cross-document question
