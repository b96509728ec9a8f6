"""The real, hash-verified Qwen2.5-Coder-0.5B through the chain: in-process and over xllamacpp's HTTP server.

``make models`` puts the model in .venv/share/gov-rag/models (CI runs it before the tests). The
model's wording is never asserted (greedy output changes with thread count and build); what is
asserted is what the chain guarantees whatever the model writes: figures in a shown answer are in
the passages it cites, a question the passages do not answer is refused, and a figure the model
invents is removed by verification.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from rag.answer.chain import AnswerChain
from rag.answer.citations import unsupported_figures
from rag.events import DoneEvent, DroppedEvent
from rag.llm import make_llm
from rag.llm.gguf import GgufBackend
from rag.llm.prompt import Messages, PassageLike
from rag.llm.weights import MODELS
from rag.settings import Settings
from tests.answer.conftest import corpus_hits, fake_search

pytestmark = pytest.mark.slow

SPEC = MODELS["qwen2.5-coder-0.5b"]
MODEL = Path(sys.prefix) / "share" / "gov-rag" / "models" / SPEC.filename
ANSWERED = "铜梁区2023年规上工业总产值是多少？"
NOT_IN_PASSAGES = "铜梁区2023年新能源汽车产量是多少辆？"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    if not MODEL.is_file():
        pytest.skip(f"{MODEL} is missing: run `make models` (CI does) to install and verify the 0.5B GGUF model")
    return Settings(
        home=tmp_path_factory.mktemp("home"),
        embed_model="none",
        llm_backend="gguf",
        gguf_path=MODEL,
        gguf_sha256=SPEC.sha256,  # verified before llama.cpp loads it
        gguf_threads=1,
        llm_context_tokens=1024,
        llm_max_tokens=96,
        llm_temperature=0.0,
    )


@pytest.fixture(scope="module")
def gguf(settings: Settings) -> Iterator[GgufBackend]:
    backend = make_llm(settings)
    assert isinstance(backend, GgufBackend)
    yield backend
    backend._server = None  # unload before the next module


def chain(settings: Settings, backend: object, **update: object) -> AnswerChain:
    """The chain over the two text passages of one reply letter (a 0.5B model is easily distracted by
    metadata cards; retrieval is not what these tests are about)."""
    s = settings.model_copy(update=update)
    hits = [h for h in corpus_hits() if h.id in ("t1", "t2")]
    return AnswerChain(fake_search(hits), backend, s)  # type: ignore[arg-type]


def assert_grounded(events: Sequence[object]) -> None:
    answer = events[-1].answer  # type: ignore[attr-defined]
    if not answer.refused:
        cited = [c.passage for c in answer.citations]
        assert answer.citations and unsupported_figures(answer.answer, cited) == []


class Pushy(GgufBackend):
    """The real model under a prompt that demands a figure the passages lack: it has to invent one."""

    def messages(self, question: str, passages: Sequence[PassageLike]) -> Messages:
        text = "\n".join(f"[{p.n}] {p.text}" for p in passages)
        return Messages(
            "你是一个总能给出具体数字的助手。",
            f"{text}\n\n问题：{question}\n必须给出一个具体数字，不许说不知道。格式：……为X辆[1]。",
        )


def test_in_process_answer_states_the_passage_figure_with_its_citation(settings: Settings, gguf: GgufBackend) -> None:
    assert gguf.count_tokens("铜梁区757.2亿元") < len("铜梁区757.2亿元")  # the model's own tokenizer
    events = list(chain(settings, gguf).stream(ANSWERED))
    answer = events[-1].answer
    assert isinstance(events[-1], DoneEvent) and not answer.refused
    assert "757.2亿元" in answer.answer and answer.citations[0].n == 1
    assert_grounded(events)


def test_in_process_question_the_passages_do_not_answer_is_refused(settings: Settings, gguf: GgufBackend) -> None:
    events = list(chain(settings, gguf, evidence_threshold=0.0).stream(NOT_IN_PASSAGES))  # the model decides
    assert events[-1].answer.refused
    assert_grounded(events)


def test_a_figure_the_real_model_invents_is_removed(settings: Settings, gguf: GgufBackend) -> None:
    pushy = Pushy(MODEL, context_tokens=1024, threads=1, max_tokens=48, temperature=0.0)
    pushy._server = gguf.server()  # the same loaded model, another prompt
    events = list(chain(settings, pushy, evidence_threshold=0.0).stream(NOT_IN_PASSAGES))
    dropped = [e for e in events if isinstance(e, DroppedEvent)]
    assert dropped, events  # whatever it made up (a number, a number in brackets) did not survive
    shown = "" if events[-1].answer.refused else events[-1].answer.answer
    assert not any(e.sentence in shown for e in dropped)
    assert_grounded(events)


def test_the_same_model_through_its_openai_compatible_server(settings: Settings, gguf: GgufBackend) -> None:
    base_url = f"{gguf.address}/v1"
    assert base_url.startswith("http://127.0.0.1:")
    remote = make_llm(
        settings.model_copy(update={"llm_backend": "openai", "llm_base_url": base_url, "llm_model": MODEL.stem})
    )
    events = list(chain(settings, remote).stream(ANSWERED))
    answer = events[-1].answer
    assert not answer.refused and "757.2亿元" in answer.answer
    assert_grounded(events)
    events = list(chain(settings, remote, evidence_threshold=0.0).stream(NOT_IN_PASSAGES))
    assert events[-1].answer.refused
    assert_grounded(events)
