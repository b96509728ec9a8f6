"""Question handling: folding, follow-up rewriting, metadata routing, key terms."""

from __future__ import annotations

from rag.answer.query import key_terms, metadata_intent, rewrite

HISTORY = [("铜梁区2023年规上工业总产值是多少？", "2023年,全年规上工业总产值实现757.2亿元[1]。")]


def test_standalone_questions_are_only_folded() -> None:
    assert rewrite("重慶沿江承接產業轉移示範區完成投資多少？", HISTORY) == "重庆沿江承接产业转移示范区完成投资多少？"
    assert rewrite("铜梁区工业投资增长多少？") == "铜梁区工业投资增长多少？"


def test_bare_follow_up_gets_place_year_and_question_tail() -> None:
    assert rewrite("工业增加值呢？", HISTORY) == "铜梁区2023年工业增加值是多少？"


def test_follow_up_with_another_year_replaces_the_year() -> None:
    assert rewrite("2022年呢？", HISTORY) == "铜梁区2022年规上工业总产值是多少？"


def test_pronoun_is_replaced_by_the_previous_topic() -> None:
    history = [("合川区制造业行动方案的主要目标是什么？", "……")]
    assert rewrite("它是哪天印发的？", history) == "合川区制造业行动方案是哪天印发的？"


def test_llm_rewrite_is_used_when_given_and_rules_when_it_fails() -> None:
    assert rewrite("那工业投资呢？", HISTORY, llm=lambda prompt: "铜梁区2023年工业投资增长多少？\n") == (
        "铜梁区2023年工业投资增长多少？"
    )

    def broken(prompt: str) -> str:
        raise RuntimeError("down")

    assert rewrite("那工业投资呢？", HISTORY, llm=broken) == "铜梁区2023年工业投资是多少？"


def test_metadata_questions_are_routed() -> None:
    assert metadata_intent("铜经信函〔2024〕54号是哪个单位发的？") == "issuer"
    assert metadata_intent("合川区那个制造业方案是哪天印发的？") == "date"
    assert metadata_intent("铜梁区那份复函的文号是什么？") == "doc_number"
    assert metadata_intent("铜梁区2023年规上工业总产值是多少？") is None


def test_key_terms_capture_place_year_and_the_asked_attribute() -> None:
    terms = key_terms("铜梁区2023年规上工业总产值是多少？")
    assert terms.places == ("铜梁区",)
    assert terms.years == ("2023",)
    assert terms.focus == ("规上", "工业", "总产值")
    assert terms.wants_figure
    assert key_terms("北京市对新型储能项目的补贴标准是什么？").places == ("北京市",)
    assert key_terms("示范区承接了多少个项目？").focus == ("项目",)


def test_key_terms_keep_the_asked_wording_as_phrases() -> None:
    terms = key_terms("合川区到2027年新型储能产业产值力争突破多少？")
    assert "新型储能" in terms.phrases and "储能产业" in terms.phrases
    assert key_terms("沙坪坝区一季度工业投资增长多少？").phrases[1:] == ("工业投资", "投资增长")
