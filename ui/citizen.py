"""The public citizen tab: intro, example questions from the sample corpus, and the citizen chat.

Audience is fixed to "citizen" here, so internal documents are excluded by the index query
for every question asked from this tab.
"""

from __future__ import annotations

import gradio as gr

from rag.feedback import FeedbackStore
from ui.chat import ChatPanel, build_chat
from ui.facade import AssistantFacade

EXAMPLES: tuple[str, ...] = (
    "铜梁区2023年规上工业总产值是多少？",
    "铜梁区在招商引资方面采取了哪些措施？",
    "合川区制造业高质量发展行动方案的目标是什么？",
    "重庆承接产业转移示范区是什么时候设立的？",
)

INTRO = (
    "请用中文提问有关政策文件的问题。回答只依据已公开的政府文件，每句话都标注出处 [1][2]，"
    "点击下方来源卡片可查看原文上下文；文件中没有依据时，会如实告知。"
)


def build_citizen_tab(assistant: AssistantFacade, store: FeedbackStore) -> ChatPanel:
    gr.Markdown(INTRO, elem_classes=["intro"])
    return build_chat(assistant, store, "citizen", examples=EXAMPLES, prefix="citizen")
