"""The public citizen tab: intro, example questions (made from the ingested documents), and the citizen chat.

Audience is fixed to "citizen" here, so internal documents are excluded by the index query
for every question asked from this tab.
"""

from __future__ import annotations

from collections.abc import Sequence

import gradio as gr

from rag.feedback import FeedbackStore
from ui.chat import ChatPanel, build_chat
from ui.facade import AssistantFacade

INTRO = (
    "请用中文提问有关政策文件的问题。回答只依据已公开的政府文件，每句话都标注出处 [1][2]，"
    "点击下方来源卡片可查看原文上下文；文件中没有依据时，会如实告知。"
)


def build_citizen_tab(assistant: AssistantFacade, store: FeedbackStore, examples: Sequence[str] = ()) -> ChatPanel:
    """``examples`` come from ``rag.examples.example_questions`` over the registry, never a fixed list."""
    gr.Markdown(INTRO, elem_classes=["intro"])
    return build_chat(assistant, store, "citizen", examples=examples, prefix="citizen")
