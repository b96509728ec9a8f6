"""`gradio_client` against the Gradio app mounted at / of `rag serve`; the page itself (lang, busy text)."""

from __future__ import annotations

import httpx
from gradio_client import Client

from .conftest import Live

QUESTION = "铜梁区2023年规上工业总产值是多少？"


def test_gradio_client_sees_named_endpoints_and_gets_a_cited_answer(live: Live) -> None:
    c = Client(f"{live.url}/", verbose=False)
    endpoints = c.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert {"/ask", "/ask_stream"} <= set(endpoints)
    assert endpoints["/ask"]["parameters"][0]["parameter_name"] == "question"
    answer = c.predict(question=QUESTION, api_name="/ask")
    assert answer["refused"] is False and "757.2亿元" in answer["answer"] and answer["citations"]
    job = c.submit(question=QUESTION, api_name="/ask_stream")
    assert "[1]" in job.result()


def test_served_page_is_chinese(live: Live) -> None:
    page = httpx.get(f"{live.url}/", timeout=30).text
    assert '<html\n\tlang="zh-CN"' in page or '<html lang="zh-CN"' in page
    assert 'lang="en"' not in page.split(">", 2)[0]


def test_busy_message_in_the_served_script_is_chinese(live: Live) -> None:
    page = httpx.get(f"{live.url}/", timeout=30).text
    scripts = [part.split('"', 1)[0] for part in page.split('src="')[1:] if ".js" in part.split('"', 1)[0]]
    bodies = [httpx.get(f"{live.url}/{s.lstrip('./')}", timeout=30).text for s in scripts if "assets/" in s]
    assert bodies, scripts
    assert not any("currently busy" in b for b in bodies)
    assert any("系统繁忙" in b for b in bodies)
