"""Document identity: the path decides who a document is, never the bare name; visibility survives every path.

The matrix: add / change / rename / move / remove × public / internal, each checked through the
registry, the index records and a citizen search."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.errors import AmbiguousDocumentError
from tests.reliability.conftest import doc_text

SECRET = "预算金额为4321万元"


def _citizen_sees(a: Assistant, text: str) -> bool:
    return any(text in str(h.meta.get("display_text")) for h in a.search(text, k=10, audience="citizen"))


def _staff_sees(a: Assistant, text: str) -> bool:
    return any(text in str(h.meta.get("display_text")) for h in a.search(text, k=10, audience="staff"))


def _index_visibility(a: Assistant, doc_id: str) -> set[str]:
    doc = a.registry.get(doc_id)
    assert doc is not None
    return {str(r.meta["visibility"]) for r in a.backend.get(list(doc.chunk_ids))}


@pytest.mark.parametrize("visibility", ["public", "internal"])
def test_add_change_rename_move_remove_keep_visibility(assistant: Assistant, tmp_path: Path, visibility: str) -> None:
    a = assistant
    folder = tmp_path / "corpus"
    folder.mkdir()
    f = folder / "计划.txt"
    f.write_text(doc_text("关于青龙计划的通知", f"青龙计划{SECRET}。"), encoding="utf-8")
    public = visibility == "public"

    # add
    report = a.ingest([folder], visibility)
    assert report.added == 1 and report.sources == ["corpus/计划.txt"]
    assert a.registry.get("corpus/计划.txt").visibility == visibility  # type: ignore[union-attr]
    assert _index_visibility(a, "corpus/计划.txt") == {visibility}
    assert _citizen_sees(a, SECRET) is public and _staff_sees(a, SECRET)

    # change, re-ingest without a visibility: the recorded one is kept
    f.write_text(doc_text("关于青龙计划的通知", f"青龙计划{SECRET}，第二期另行安排。"), encoding="utf-8")
    report = a.ingest([folder])
    assert report.updated == 1 and report.added == 0
    assert _index_visibility(a, "corpus/计划.txt") == {visibility}
    assert _citizen_sees(a, "第二期另行安排") is public

    # the same file named directly is the same document (its origin), not a second one
    report = a.ingest([f])
    assert report.unchanged == 1 and len(a.docs()) == 1

    # rename: same content, old name gone from disk -> the same document under its new path
    f.rename(folder / "计划_修订.txt")
    report = a.ingest([folder])
    assert [d.path for d in a.docs()] == ["corpus/计划_修订.txt"]
    assert a.docs()[0].visibility == visibility and _index_visibility(a, "corpus/计划_修订.txt") == {visibility}
    assert report.updated == 1 and report.skipped == []

    # move into a subfolder: the same again
    (folder / "sub").mkdir()
    (folder / "计划_修订.txt").rename(folder / "sub" / "计划_修订.txt")
    a.ingest([folder])
    assert [d.path for d in a.docs()] == ["corpus/sub/计划_修订.txt"]
    assert a.docs()[0].visibility == visibility
    assert a.registry.chunk_ids() == a.backend.ids()
    assert _citizen_sees(a, SECRET) is public

    # remove by name (unique), then nothing of it is left anywhere
    assert a.remove(["计划_修订.txt"]) == ["计划_修订.txt"]
    assert a.docs() == [] and a.backend.ids() == set()
    assert not _staff_sees(a, SECRET)


def test_explicit_visibility_on_reingest_of_unchanged_file_applies(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text(doc_text("通知", f"项目{SECRET}。"), encoding="utf-8")
    assistant.ingest([folder], "internal")
    assistant.ingest([folder])  # no flag: unchanged, still internal
    assert assistant.docs()[0].visibility == "internal" and not _citizen_sees(assistant, SECRET)
    report = assistant.ingest([folder], "public")  # an explicit flag changes it
    assert report.updated == 1 and assistant.docs()[0].visibility == "public" and _citizen_sees(assistant, SECRET)


def test_same_name_in_two_folders_are_two_documents(assistant: Assistant, tmp_path: Path) -> None:
    a = assistant
    for sub, vis, text in (("public", "public", "公开内容为绿化面积100亩"), ("internal", "internal", SECRET)):
        d = tmp_path / sub
        d.mkdir()
        (d / "通知.txt").write_text(doc_text(f"{sub}通知", f"本文件{text}。"), encoding="utf-8")
        a.ingest([d], vis)
    assert sorted(d.path for d in a.docs()) == ["internal/通知.txt", "public/通知.txt"]
    assert {d.source for d in a.docs()} == {"通知.txt"}
    assert not _citizen_sees(a, SECRET) and _citizen_sees(a, "绿化面积100亩")
    hit = a.search("绿化面积", k=1, audience="citizen")[0]
    assert hit.meta["source"] == "通知.txt" and hit.meta["path"] == "public/通知.txt"

    with pytest.raises(AmbiguousDocumentError) as err:
        a.remove(["通知.txt"])
    assert "internal/通知.txt" in str(err.value) and "public/通知.txt" in str(err.value)
    with pytest.raises(AmbiguousDocumentError):
        a.set_visibility("通知.txt", "public")
    assert len(a.docs()) == 2  # the ambiguous call changed nothing
    a.set_visibility("internal/通知.txt", "internal")
    assert a.remove(["public/通知.txt"]) == ["public/通知.txt"]
    assert [d.path for d in a.docs()] == ["internal/通知.txt"]


def test_two_folders_with_the_same_name_get_distinct_ids(assistant: Assistant, tmp_path: Path) -> None:
    one, two = tmp_path / "x" / "docs", tmp_path / "y" / "docs"
    for i, d in enumerate((one, two)):
        d.mkdir(parents=True)
        (d / "a.txt").write_text(doc_text(f"第{i}份", f"内容{i}号，金额{i}00万元。"), encoding="utf-8")
    assistant.ingest([one])
    assistant.ingest([two])
    assert sorted(d.path for d in assistant.docs()) == ["docs/a.txt", "y/docs/a.txt"]
    assistant.ingest([one, two])  # again, both at once: both unchanged
    assert len(assistant.docs()) == 2


def test_staff_upload_never_replaces_a_corpus_document(assistant: Assistant, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "通知.txt").write_text(doc_text("内部通知", f"项目{SECRET}。"), encoding="utf-8")
    assistant.ingest([corpus], "internal")
    upload = tmp_path / "gradio-tmp" / "通知.txt"
    upload.parent.mkdir()
    upload.write_text(doc_text("上传的通知", "公开的上传内容，绿化面积200亩。"), encoding="utf-8")
    report = assistant.ingest([upload], "public", upload=True)
    assert report.sources == ["uploads/通知.txt"]
    assert {d.path: d.visibility for d in assistant.docs()} == {
        "corpus/通知.txt": "internal",
        "uploads/通知.txt": "public",
    }
    assert not _citizen_sees(assistant, SECRET)
    # uploading the same name again updates the upload, from whatever temp folder it arrives
    again = tmp_path / "gradio-tmp2" / "通知.txt"
    again.parent.mkdir()
    again.write_text(doc_text("上传的通知", "公开的上传内容第二版。"), encoding="utf-8")
    report = assistant.ingest([again], upload=True)
    assert report.updated == 1 and len(assistant.docs()) == 2
    assert assistant.registry.get("uploads/通知.txt").visibility == "public"  # type: ignore[union-attr]


def test_duplicate_content_in_one_batch_is_stored_once(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    text = doc_text("通知", "同一份内容，金额为300万元。")
    for name in ("a.txt", "b.txt", "c.md"):
        (folder / name).write_text(text, encoding="utf-8")
    report = assistant.ingest([folder])
    assert report.added == 1 and len(report.skipped) == 2 and report.failed == []
    assert all("c/a.txt" in reason or "a.txt" in reason for _, reason in report.skipped)
    assert [d.path for d in assistant.docs()] == ["c/a.txt"]


def test_copied_home_from_schema_one_keeps_working(make_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An old home (documents keyed by name) opens, answers, and takes new same-name files beside it."""
    import sqlite3

    settings = make_settings()
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "通知.txt").write_text(doc_text("旧通知", f"旧项目{SECRET}。"), encoding="utf-8")
    a = Assistant.from_settings(settings)
    a.ingest([folder], "internal")
    a.close()
    # rewrite the registry in the schema-1 layout (what homes made before this change look like)
    conn = sqlite3.connect(settings.registry_path)
    conn.executescript(
        """
        CREATE TABLE d1 AS SELECT source, sha256, meta, visibility, origin AS path, ingested_at, text FROM documents;
        CREATE TABLE c1 AS SELECT id, (SELECT source FROM documents d WHERE d.path = chunks.doc) AS source,
            position, text, index_text, heading_path, start, end FROM chunks;
        DROP TABLE chunks; DROP TABLE documents; DROP TABLE state;
        ALTER TABLE d1 RENAME TO documents; ALTER TABLE c1 RENAME TO chunks;
        """
    )
    conn.commit()
    conn.close()
    a = Assistant.from_settings(settings)
    try:
        assert [(d.path, d.visibility) for d in a.docs()] == [("通知.txt", "internal")]
        assert not _citizen_sees(a, SECRET) and _staff_sees(a, SECRET)
        assert a.registry.index_generation() == a.registry.generation()  # refreshed at open
        hit = a.search(SECRET, k=1)[0]
        assert hit.meta["path"] == "通知.txt"
        a.ingest([folder])  # the same file again: recognised by its origin, unchanged, still internal
        assert [(d.path, d.visibility) for d in a.docs()] == [("通知.txt", "internal")]
        other = tmp_path / "new"
        other.mkdir()
        (other / "通知.txt").write_text(doc_text("新通知", "新项目绿化面积100亩。"), encoding="utf-8")
        a.ingest([other])
        assert sorted(d.path for d in a.docs()) == ["new/通知.txt", "通知.txt"]
    finally:
        a.close()


def test_cli_reingest_without_visibility_keeps_internal(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rag.cli import cli

    folder = tmp_path / "内部"
    folder.mkdir()
    f = folder / "a.txt"
    f.write_text(doc_text("内部通知", f"项目{SECRET}。"), encoding="utf-8")
    env = {"RAG_HOME": str(tmp_path / "home"), "RAG_EMBED_MODEL": "none"}
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(folder), "--visibility", "internal", "--json"], env=env).exit_code == 0
    f.write_text(doc_text("内部通知", f"项目{SECRET}，已修订。"), encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(folder), "--json"], env=env)
    assert result.exit_code == 0 and '"updated": 1' in result.output
    out = runner.invoke(cli, ["search", SECRET, "--audience", "citizen", "--json"], env=env).output
    assert SECRET not in out
    docs = runner.invoke(cli, ["docs", "--json"], env=env).output
    assert '"visibility": "internal"' in docs and '"path": "内部/a.txt"' in docs
    shutil.rmtree(folder)
