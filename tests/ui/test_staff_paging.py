"""The staff document list reads a page at a time (上一页 / 下一页); its pickers offer that page's files,
its filter choices come from the whole corpus (the facade's facets), never from loading every record."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

import ui.staff
from rag.models import DocMeta, DocumentRecord
from rag.settings import Settings
from tests.ui.fakes import FakeAssistant
from ui.app import build_app
from ui.auth import StaffSession


class PagedOnly(FakeAssistant):
    """A fake whose full listing fails once the app is built (the page's footer reads it at start-up):
    the staff list, on every click, must use docs_page."""

    strict = False

    def docs(self) -> list[DocumentRecord]:
        if self.strict:
            raise AssertionError("the staff list read every document")
        return super().docs()


def test_staff_list_pages_forward_and_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui.staff, "DOCS_PAGE", 2)
    fake = PagedOnly()
    for i in range(4):
        name = f"p{i}.txt"
        fake.documents[name] = DocumentRecord(
            source=name, sha256=name, meta=DocMeta(title=f"文件{i}", region=f"区{i}"), visibility="public",
            chunk_ids=("c",), path=f"c/{name}",
        )  # fmt: skip
    total = len(fake.documents)  # 5: the fake's own document plus four
    settings = Settings(home=tmp_path, staff_user="staff", staff_password=SecretStr("pw"))
    fns = {dep.name: dep.fn for dep in build_app(fake, settings).fns.values()}
    fake.strict = True
    staff = StaffSession(logged_in=True, user="staff")

    table, vis, rm, _issuer, _number, region, offset = fns["do_next"](staff, 0)
    assert offset == 2 and f"共 {total} 个文件，本页第 3–4 个" in table
    assert [v for _, v in vis.choices] == ["c/p1.txt", "c/p2.txt"] and rm.choices == vis.choices
    assert "区0" in [c for c, _ in region.choices]  # filter choices: every document, not the page
    *_, offset = fns["do_next"](staff, 4)
    assert offset == 4  # the last page stays
    table, *_, offset = fns["do_prev"](staff, 2)
    assert offset == 0 and "本页第 1–2 个" in table
    *_, offset = fns["do_prev"](staff, 0)
    assert offset == 0
    table, *_ = fns["do_refresh"](staff, 4)
    assert "本页第 5–5 个" in table
    with pytest.raises(Exception, match="请先登录"):
        fns["do_next"](StaffSession(), 0)
