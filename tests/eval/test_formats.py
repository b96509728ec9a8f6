"""Public-format loaders on small fixtures in the DuReader-retrieval and CRUD-RAG layouts."""

from __future__ import annotations

from pathlib import Path

from eval.dataset import load_dataset
from eval.formats import best_evidence, export_corpus
from index.textnorm import fold_for_match

FIXTURES = Path(__file__).resolve().parents[2] / "eval" / "fixtures"
DUREADER = FIXTURES / "dureader_retrieval_dev.json"
CRUD = FIXTURES / "crud_split_merged.json"


def test_dureader_items() -> None:
    items = load_dataset(DUREADER)
    assert [i.id for i in items] == [
        "edb58f525bd14724d6f490722fa8a657",
        "a451acd1e9836b04b16664e9f0c290e5",
        "c3d7f1e2a9b84c6d5e0f1a2b3c4d5e6f",
    ]
    first = items[0]
    assert first.question == "住房公积金贷款最高额度是多少"
    assert first.gold_docs == ("5bc347ff17d488f1704e2893c9e8ecfa.txt",)
    # evidence: the first sentence of the positive paragraph, at most 40 characters
    assert first.evidence == ("根据本市规定，缴存职工申请住房公积金贷款的最高额度为单方缴存60万元、双方缴存8",)
    assert first.answers == () and first.answerable and first.kind == "dureader"
    assert len(items[1].gold_docs) == 2 and len(items[1].evidence) == 2
    # a paragraph without sentence-final punctuation is used from its start
    assert items[2].evidence[0].startswith("社会保障卡遗失后")


def test_crud_items() -> None:
    items = load_dataset(CRUD)
    assert [(i.id, i.kind) for i in items] == [("a1b2c3d4", "crud_1doc"), ("e5f6a7b8", "crud_2docs")]
    one, two = items
    assert one.question == "到2026年该市计划新建多少家智能工厂？"
    assert one.reference == "到2026年，该市计划新建智能工厂50家。"
    assert one.answers == ()
    assert one.gold_docs == ("crud_a1b2c3d4_news1.txt",)
    assert one.evidence == ("计划提出，到2026年全市新建智能工厂50家、数字化车间300个。",)
    assert two.gold_docs == ("crud_e5f6a7b8_news1.txt", "crud_e5f6a7b8_news2.txt")


def test_crud_plain_list(tmp_path: Path) -> None:
    path = tmp_path / "qa.json"
    path.write_text(
        '[{"ID": "x1", "questions": "问？", "answers": "答。", "news1": "答。", "news2": "别的。"}]', "utf-8"
    )
    (item,) = load_dataset(path)
    assert item.kind == "crud_2docs" and item.evidence == ("答。",)


def test_best_evidence_picks_most_similar_sentence() -> None:
    assert (
        best_evidence("共建3个产业合作园区", ["甲市与乙市签署协议。双方约定共建3个产业合作园区。"])
        == "双方约定共建3个产业合作园区。"
    )
    assert best_evidence("完全无关", ["甲乙丙。"]) == ""


def test_export_corpus_names_match_gold_docs(tmp_path: Path) -> None:
    for fixture in (DUREADER, CRUD):
        out = tmp_path / fixture.stem
        written = export_corpus(fixture, out)
        names = {p.name for p in written}
        items = load_dataset(fixture)
        assert {d for i in items for d in i.gold_docs} == names
        # every evidence string is found in the exported text of one of its gold docs
        for item in items:
            texts = [fold_for_match((out / d).read_text(encoding="utf-8")) for d in item.gold_docs]
            for evidence in item.evidence:
                assert any(fold_for_match(evidence) in t for t in texts), (item.id, evidence)
