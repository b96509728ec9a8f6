"""The chat panel shared by the citizen tab and staff mode: stream a turn, show sources, take feedback.

``run_turn`` turns the chain's events into successive views of one answer and is plain
Python (tested with a fake assistant); ``build_chat`` only wires it to Gradio components.
The audience is fixed when the panel is built, never taken from the browser, so a citizen
session cannot ask for staff mode.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from rag.assistant import REFUSAL_SUGGESTION, Filter
from rag.errors import BackendError, LLMError, RagError
from rag.events import CitationEvent, DoneEvent, DroppedEvent, RefusalEvent, TokenEvent
from rag.feedback import FeedbackError, FeedbackStore, make_entry
from rag.models import Answer, Citation
from ui import render
from ui.facade import AssistantFacade, Audience

log = logging.getLogger(__name__)

LOADING_TEXT = "⏳ 正在检索相关文件，请稍候…"
ERROR_TEXT = "抱歉，系统暂时出错了，请稍后再试。如果问题持续出现，请联系网站管理员。"
_INTERNALS = re.compile(r"RAG_[A-Z_]+|https?://|/v1\b|\.gguf\b")
# A refusal that already says where to ask gets no second suggestion.
_SUGGESTION_HINTS = ("12345", "热线", "咨询", "建议您", "可以查阅", "请联系")


def refusal_text(text: str, suggestion: str) -> str:
    """Refusal as the chain wrote it, plus the suggestion only when the chain did not already give one."""
    if any(hint in text for hint in _SUGGESTION_HINTS):
        return render.refusal_markdown(text)
    return render.refusal_markdown(text, suggestion)


def error_text(exc: RagError, audience: Audience) -> str:
    """What a failed turn shows: staff get the message (endpoint, setting, what to do); citizens only a plain
    apology when the model failed or the message names internals (URLs, model names, RAG_* settings)."""
    if audience == "staff":
        return f"抱歉，回答失败：{exc}"
    if isinstance(exc, LLMError):
        return exc.public
    if isinstance(exc, BackendError) or _INTERNALS.search(str(exc)):
        return ERROR_TEXT
    return f"抱歉，回答失败：{exc}"


@dataclass
class Turn:
    question: str
    answer: Answer | None = None
    rated: bool = False


@dataclass
class ChatSession:
    """Per-browser-session chat state (held server-side in a ``gr.State``)."""

    turns: list[Turn] = field(default_factory=list)

    def history(self) -> list[tuple[str, str]]:
        """Completed (question, answer) pairs, which the chain uses to rewrite follow-up questions."""
        return [(t.question, t.answer.answer) for t in self.turns if t.answer is not None]

    def last_answered(self) -> Turn | None:
        for turn in reversed(self.turns):
            if turn.answer is not None:
                return turn
        return None


@dataclass(frozen=True)
class TurnView:
    """What the screen shows for the answer being produced."""

    text: str
    sources: str = ""
    done: bool = False
    refused: bool = False
    error: bool = False


def _allowed(citations: Sequence[Citation], audience: Audience) -> list[Citation]:
    """Belt and braces: visibility is enforced in the index query, but a citizen card never shows internal text."""
    if audience == "staff":
        return list(citations)
    kept = [c for c in citations if (c.meta or {}).get("visibility", "public") != "internal"]
    if len(kept) != len(citations):
        log.error("citizen answer carried %d internal citation(s); not shown", len(citations) - len(kept))
    return kept


def source_contexts(assistant: AssistantFacade, citations: Sequence[Citation]) -> dict[str, str]:
    """Context view per chunk_id; each document is read once however many of its passages are cited,
    and a document that cannot be read only loses its context view, never the answer."""
    texts: dict[str, str | None] = {}
    out: dict[str, str] = {}
    for c in citations:
        key = str(c.meta.get("path") or c.source)  # the document id: two documents may share a name
        if key not in texts:
            try:
                texts[key] = assistant.document_text(key)
            except (RagError, KeyError, OSError) as exc:
                log.warning("no context for %s: %s", key, exc)
                texts[key] = None
        doc = texts[key]
        if doc:
            ctx = render.context_html(doc, c.passage or c.quote, c.quote)
            if ctx:
                out[c.chunk_id] = ctx
    return out


def run_turn(
    assistant: AssistantFacade,
    question: str,
    session: ChatSession,
    audience: Audience,
    flt: Filter | None = None,
    suggestion: str = REFUSAL_SUGGESTION,
) -> Iterator[TurnView]:
    """Stream one answer; appends the finished turn to ``session`` (failed turns stay out of history)."""
    history = session.history()
    turn = Turn(question=question)
    session.turns.append(turn)
    yield TurnView(text=LOADING_TEXT)

    text = ""
    citations: list[Citation] = []
    dropped: list[str] = []
    refusal: RefusalEvent | None = None
    try:
        for event in assistant.stream(question, history, audience=audience, flt=flt):
            if isinstance(event, TokenEvent):
                text += event.text
                yield TurnView(text=render.answer_markdown(text), sources=render.sources_panel(citations))
            elif isinstance(event, CitationEvent):
                citations = _allowed([*citations, event.citation], audience)
                shown_text = render.answer_markdown(text) or LOADING_TEXT
                yield TurnView(text=shown_text, sources=render.sources_panel(citations))
            elif isinstance(event, DroppedEvent):
                dropped.append(event.sentence)
            elif isinstance(event, RefusalEvent):
                refusal = event
                yield TurnView(text=refusal_text(event.text, suggestion), refused=True)
            elif isinstance(event, DoneEvent):
                turn.answer = event.answer
    except RagError as exc:
        log.warning("answer failed: %s", exc)
        session.turns.remove(turn)
        yield TurnView(text=error_text(exc, audience), done=True, error=True)
        return
    except Exception:
        log.exception("answer failed unexpectedly for question %r", question)
        session.turns.remove(turn)
        yield TurnView(text=ERROR_TEXT, done=True, error=True)
        return

    answer = turn.answer
    if answer is None:  # a chain that ends without DoneEvent: keep what was shown, never invent more
        refused = refusal is not None or not text
        body = refusal.text if refusal else text
        answer = Answer(answer=body, refused=refused, citations=tuple(citations), question=question)
        turn.answer = answer
    if answer.refused:
        said = answer.answer or (refusal.text if refusal else "")
        yield TurnView(text=refusal_text(said, suggestion), done=True, refused=True)
        return
    shown = _allowed(answer.citations, audience)
    body = render.answer_markdown(answer.answer)
    if dropped and audience == "staff":
        body += f'\n\n<span class="dropped-note">已删除 {len(dropped)} 句无法在来源中核实的内容。</span>'
    yield TurnView(text=body, sources=render.sources_panel(shown, source_contexts(assistant, shown)), done=True)


def record_feedback(store: FeedbackStore, session: ChatSession, rating: str, comment: str, audience: Audience) -> str:
    """Store a rating of the latest answer; returns the status message to show."""
    turn = session.last_answered()
    if turn is None or turn.answer is None:
        return "还没有可以评价的回答。"
    if turn.rated:
        return "这条回答已经评价过了，谢谢！"
    try:
        store.add(make_entry(turn.answer, rating, comment, question=turn.question, audience=audience))
    except FeedbackError as exc:
        log.error("%s", exc)
        return "反馈暂时无法保存，请稍后再试。"
    turn.rated = True
    return "感谢您的反馈！" + ("我们会据此改进。" if rating == "down" else "")


Guard = Callable[[Any], None]


@dataclass(frozen=True)
class ChatPanel:
    chatbot: gr.Chatbot
    textbox: gr.Textbox
    sources: gr.HTML
    session: gr.State


def build_chat(
    assistant: AssistantFacade,
    store: FeedbackStore,
    audience: Audience,
    *,
    examples: Sequence[str] = (),
    guard: Guard | None = None,
    guard_state: gr.State | None = None,
    prefix: str,
) -> ChatPanel:
    """Lay out a chat panel in the current Blocks context.

    ``guard(guard_state_value)`` runs server-side before every handler (staff login check);
    it raises ``gr.Error`` to stop the call.
    """
    extra = [guard_state] if guard_state is not None else []

    def check(extra_values: tuple[Any, ...]) -> None:
        if guard is not None:
            guard(extra_values[0] if extra_values else None)

    session = gr.State(ChatSession())
    chatbot = gr.Chatbot(
        label="对话",
        height=460,
        placeholder="请在下方输入您的问题，回答会标注引用的文件出处。",
        feedback_options=None,
        elem_id=f"{prefix}-chatbot",
        elem_classes=["chatbot"],
        buttons=["copy"],
    )
    sources = gr.HTML(elem_id=f"{prefix}-sources", elem_classes=["sources-box"])
    with gr.Row(elem_classes=["ask-row"]):
        textbox = gr.Textbox(
            show_label=False,
            placeholder="请输入您的问题，例如：铜梁区2023年规上工业总产值是多少？",
            lines=1,
            max_lines=4,
            scale=5,
            min_width=200,
            elem_id=f"{prefix}-input",
            autofocus=False,
        )
        send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id=f"{prefix}-send")
        stop = gr.Button("⏹ 停止", variant="stop", scale=1, min_width=80, elem_id=f"{prefix}-stop")
    if examples:
        gr.Examples(examples=[[q] for q in examples], inputs=[textbox], label="示例问题（点击填入）")
    with gr.Row(elem_classes=["feedback-row"]):
        up = gr.Button("👍 有帮助", size="sm", min_width=90, elem_id=f"{prefix}-up")
        down = gr.Button("👎 没帮助", size="sm", min_width=90, elem_id=f"{prefix}-down")
        clear = gr.Button("🧹 清空对话", size="sm", min_width=90, elem_id=f"{prefix}-clear")
    comment = gr.Textbox(
        label="补充意见（可选，填写后点 👍 或 👎 一并提交）",
        placeholder="例如：回答不完整 / 引用的文件不对",
        lines=1,
        elem_id=f"{prefix}-comment",
    )
    feedback_status = gr.HTML(elem_id=f"{prefix}-feedback-status")

    def respond(
        message: str, messages: list[dict[str, Any]] | None, state: ChatSession, *extra_values: Any
    ) -> Iterator[tuple[Any, ...]]:
        check(extra_values)
        messages = list(messages or [])
        question = (message or "").strip()
        if not question:
            yield messages, gr.skip(), state, message, gr.skip()
            return
        messages.append({"role": "user", "content": question})
        messages.append({"role": "assistant", "content": LOADING_TEXT})
        for view in run_turn(assistant, question, state, audience):
            messages[-1] = {"role": "assistant", "content": view.text}
            yield messages, view.sources, state, "", ""

    def feedback(rating: str) -> Callable[..., tuple[str, str]]:
        def handler(state: ChatSession, text: str, *extra_values: Any) -> tuple[str, str]:
            check(extra_values)
            msg = record_feedback(store, state, rating, text or "", audience)
            thanked = msg.startswith("感谢")
            return render.status_html(msg, "ok" if thanked else "info"), "" if thanked else text

        return handler

    def reset(*extra_values: Any) -> tuple[list[dict[str, Any]], str, ChatSession, str, str, str]:
        check(extra_values)
        return [], "", ChatSession(), "", "", ""

    io = dict(
        fn=respond,
        inputs=[textbox, chatbot, session, *extra],
        outputs=[chatbot, sources, session, textbox, feedback_status],
        api_visibility="private",
        concurrency_limit=4,
    )
    asked = [send.click(**io), textbox.submit(**io)]  # type: ignore[arg-type]
    # Stop cancels the streaming handler; closing its generator closes the chain's and the model's stream,
    # so a local model stops generating too. The turn stays out of the history (it never got a DoneEvent).
    stop.click(None, None, None, cancels=asked, api_visibility="private")  # type: ignore[arg-type]
    for button, rating in ((up, "up"), (down, "down")):
        button.click(
            feedback(rating),
            inputs=[session, comment, *extra],
            outputs=[feedback_status, comment],
            api_visibility="private",
        )
    reset_io = dict(
        fn=reset,
        inputs=extra,
        outputs=[chatbot, sources, session, textbox, comment, feedback_status],
        api_visibility="private",
    )
    clear.click(**reset_io)  # type: ignore[arg-type]
    chatbot.clear(**reset_io)  # type: ignore[arg-type]  # the chatbot's own 🗑 icon must forget the history too
    return ChatPanel(chatbot=chatbot, textbox=textbox, sources=sources, session=session)
