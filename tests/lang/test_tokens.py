"""The application's tokenizer: jieba plus rag.lang's protected spans."""

from __future__ import annotations

from index.tokenizer import default_tokenizer
from rag.lang.tokens import spans_version, tokenizer


def test_protected_spans_become_whole_tokens() -> None:
    tokens = tokenizer().tokenize("根据渝府办发202312号，2024年6月4日投资757.2亿元，新增500张床位，占比百分之十五")
    for whole in ("渝府办发〔2023〕12号", "2024年6月4日", "757.2亿元", "500张床位", "百分之十五"):
        assert whole in tokens
    assert "总产值" in tokenizer().tokenize("规上工业总产值")


def test_bracket_styles_of_a_doc_number_share_a_token() -> None:
    a = tokenizer().tokenize("铜经信函[2024]54号")
    b = tokenizer().tokenize("铜经信函〔2024〕54号")
    assert "铜经信函〔2024〕54号" in a and "铜经信函〔2024〕54号" in b


def test_version_names_the_span_data() -> None:
    assert spans_version() in tokenizer().version
    assert tokenizer().version != default_tokenizer().version


def test_a_damaged_doc_number_shares_the_token_of_its_normal_form() -> None:
    damaged = tokenizer().tokenize("根据渝府办发202312号文件")
    assert "渝府办发〔2023〕12号" in damaged and "〔2023〕12号" in damaged
    assert "渝府办发〔2023〕12号" in tokenizer().tokenize("渝府办发〔2023〕12号")
