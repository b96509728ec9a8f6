from __future__ import annotations

import pytest

from index.tokenizer import Tokenizer, canonical_doc_number, default_tokenizer


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return default_tokenizer()


@pytest.mark.parametrize("term", ["规上工业", "专精特新", "小巨人", "渝西跨越计划", "33618", "铜梁区", "两江新区"])
def test_dictionary_terms_are_single_tokens(tok: Tokenizer, term: str) -> None:
    assert term in tok.tokenize(f"全区{term}发展情况")


def test_doc_number_kept_whole_in_any_bracket_style(tok: Tokenizer) -> None:
    assert "铜经信函〔2024〕54号" in tok.tokenize("根据铜经信函〔2024〕54号文件")
    assert "铜经信函〔2024〕54号" in tok.tokenize("铜经信函[2024]54号")
    assert "铜经信函〔2024〕54号" in tok.tokenize("铜经信函（２０２４）５４号")
    assert canonical_doc_number("渝府发[2023]3号") == "渝府发〔2023〕3号"


def test_numbers_with_units_kept_whole(tok: Tokenizer) -> None:
    tokens = tok.tokenize("全年规上工业总产值实现757.2亿元，增长3.3%，达到１２８４家")
    assert "757.2亿元" in tokens
    assert "3.3%" in tokens
    assert "1284家" in tokens


def test_traditional_and_pinyin_fold_to_simplified(tok: Tokenizer) -> None:
    traditional = tok.tokenize("園區(qū)規(guī)劃與產(chǎn)業(yè)轉移")
    simplified = tok.tokenize("园区规划与产业转移")
    assert traditional == simplified
    assert "园区" in simplified and "qū" not in "".join(traditional)


def test_stopwords_and_punctuation_dropped(tok: Tokenizer) -> None:
    tokens = tok.tokenize("铜梁区的规上工业总产值是多少？")
    assert "的" not in tokens and "是" not in tokens and "多少" not in tokens and "？" not in tokens
    assert "总产值" in tokens


def test_version_changes_with_dictionary() -> None:
    base = Tokenizer()
    other = Tokenizer(userdict="新词汇 100 n\n")
    assert base.version != other.version
    assert "新词汇" in other.tokenize("一个新词汇")


def test_injected_protect_replaces_the_builtin_patterns() -> None:
    def whole_words(text: str) -> list[tuple[int, int]]:
        start = text.find("甲乙丙")
        return [(start, start + 3)] if start >= 0 else []

    injected = Tokenizer(protect=whole_words, protect_version="t1")
    assert "甲乙丙" in injected.tokenize("关于甲乙丙的通知")
    assert "757.2亿元" not in injected.tokenize("实现757.2亿元")  # the builtin patterns are not used
    assert injected.version.endswith("+protect-t1") and injected.version != Tokenizer().version


def test_injected_doc_numbers_get_one_spelling() -> None:
    def brackets(text: str) -> list[tuple[int, int]]:
        return [(0, len(text))]

    assert "渝府发〔2023〕3号" in Tokenizer(protect=brackets).tokenize("渝府发[2023]3号")
