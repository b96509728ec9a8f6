"""Citation verification on hand-made examples: the rules that keep figures honest."""

from __future__ import annotations

from rag.answer.citations import figures, is_supported, split_sentences, unsupported_figures, verify
from rag.models import Citation

PASSAGE = (
    "2023年,全年规上工业总产值实现757.2亿元,工业增加值增长3.3%,工业投资增长24.9%。铜经信函〔2024〕54号,2024-06-04。"
)


def cite(n: int = 1, passage: str = PASSAGE) -> Citation:
    return Citation(n=n, chunk_id=f"c{n}", source="000.txt", title="t", quote="", passage=passage)


def test_figures_finds_amounts_percentages_dates_and_doc_numbers() -> None:
    assert figures("2023年产值757.2亿元，增长3.3%，见铜经信函〔2024〕54号，2024年6月4日印发[1]。") == [
        "2023年",
        "757.2亿元",
        "3.3%",
        "铜经信函〔2024〕54号",
        "2024年6月4日",
    ]


def test_citation_marks_are_not_figures() -> None:
    assert figures("详见文件[12]。") == []


def test_yi_and_wan_compare_by_value() -> None:
    assert is_supported("757.2亿元", PASSAGE)
    assert is_supported("7572000万元", PASSAGE)  # same amount, other unit
    assert not is_supported("757.2万元", PASSAGE)  # ten thousand times smaller


def test_a_number_inside_another_is_not_support() -> None:
    assert not is_supported("57.2亿元", PASSAGE)
    assert not is_supported("3%", PASSAGE)


def test_full_width_and_traditional_are_normalised() -> None:
    assert is_supported("７５７．２億元", PASSAGE)
    assert is_supported("３．３％", PASSAGE)
    assert is_supported("523億元", "完成年度投资523亿元")


def test_dates_match_across_spellings() -> None:
    assert is_supported("2024年6月4日", PASSAGE)
    assert not is_supported("2024年6月5日", PASSAGE)
    assert is_supported("2023年", PASSAGE)


def test_doc_number_brackets_are_normalised() -> None:
    assert is_supported("铜经信函[2024]54号", PASSAGE)
    assert not is_supported("铜经信函〔2024〕55号", PASSAGE)


def test_verify_drops_the_sentence_with_an_unsupported_figure() -> None:
    result = verify("规上工业总产值757.2亿元[1]。补贴为100万元[1]。", [cite()])
    assert result.text == "规上工业总产值757.2亿元[1]。"
    assert [d.figures for d in result.dropped] == [("100万元",)]
    assert result.supported


def test_verify_checks_the_passage_the_sentence_cites_not_any_passage() -> None:
    other = cite(2, "科技型企业总量达到1284家。")
    result = verify("规上工业总产值757.2亿元[2]。", [cite(), other])
    assert not result.supported
    assert "757.2亿元" in result.dropped[0].reason


def test_verify_drops_uncited_figures_and_unknown_citation_numbers() -> None:
    result = verify("产值757.2亿元。增长3.3%[3]。", [cite()])
    assert result.kept == ()
    assert [d.reason for d in result.dropped] == ["含有数字但没有标注引用", "引用了不存在的资料[3]"]


def test_connectives_alone_are_not_an_answer() -> None:
    assert not verify("根据文件：", [cite()]).supported


def test_marks_after_punctuation_stay_with_their_sentence() -> None:
    assert split_sentences("甲增长3.3%。[1]乙增长24.9%[1]。") == ["甲增长3.3%。[1]", "乙增长24.9%[1]。"]


def test_unsupported_figures_for_the_eval_harness() -> None:
    assert unsupported_figures("产值757.2亿元，另有9.9亿元", [PASSAGE]) == ["9.9亿元"]
