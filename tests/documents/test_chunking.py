"""Chunking invariants: no cut inside protected spans, bounded sizes, heading paths, stable ids."""

from __future__ import annotations

import itertools
import re

import pytest

from index.textnorm import fold
from rag.chunking import chunk_document
from rag.errors import ConfigError, EmptyDocumentError
from rag.metadata import extract_meta
from rag.models import CleanText, DocMeta, LoadedFile

Seeds = dict[str, tuple[LoadedFile, CleanText]]
META = DocMeta(title="测试文件")


def chunks_of(seeds: Seeds, seed: str, size: int = 400, overlap: int = 80) -> list:  # type: ignore[type-arg]
    loaded, cleaned = seeds[seed]
    return chunk_document(loaded.source, cleaned.text, extract_meta(loaded, cleaned), size, overlap)


PROTECTED = re.compile(r"铜经信函〔2024〕54号|《[^《》\n]{1,80}》|\d+(?:\.\d+)?(?:亿元|万元|%)")


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
@pytest.mark.parametrize(("size", "overlap"), [(400, 80), (120, 30)])
def test_no_cut_inside_numbers_doc_numbers_or_titles(seeds: Seeds, seed: str, size: int, overlap: int) -> None:
    text = seeds[seed][1].text
    cuts = {c.start for c in chunks_of(seeds, seed, size, overlap)} | {
        c.end for c in chunks_of(seeds, seed, size, overlap)
    }
    for m in PROTECTED.finditer(text):
        inside = [c for c in cuts if m.start() < c < m.end()]
        assert not inside, f"cut inside {m.group(0)!r}"


def test_small_chunks_never_split_the_key_figures() -> None:
    text = (
        "2023年,全年规上工业总产值实现757.2亿元,工业增加值增长3.3%,详见铜经信函〔2024〕54号和"
        "《关于加快全区工业经济发展的建议》(第126号)"
    ) * 3
    chunks = chunk_document("x.txt", text, META, chunk_size=50, overlap=0)
    assert len(chunks) > 3
    joined = [c.text for c in chunks]
    assert sum(t.count("757.2亿元") for t in joined) >= 3
    assert sum(t.count("铜经信函〔2024〕54号") for t in joined) >= 3
    assert sum(t.count("《关于加快全区工业经济发展的建议》") for t in joined) >= 3


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_sizes_within_bounds_and_text_is_a_slice(seeds: Seeds, seed: str) -> None:
    text = seeds[seed][1].text
    chunks = chunks_of(seeds, seed)
    assert chunks
    for c in chunks:
        assert 0 < len(c.text) <= 400
        assert text[c.start : c.end] == c.text
    lengths = sorted(len(c.text) for c in chunks)
    assert lengths[len(lengths) // 2] >= 100  # no confetti
    # together the chunks cover every sentence of the document
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    assert all(i in covered for i, ch in enumerate(text) if ch not in "\n ")


def test_overlap_repeats_whole_sentences(seeds: Seeds) -> None:
    chunks = chunks_of(seeds, "002")
    overlapping = [(a, b) for a, b in itertools.pairwise(chunks) if b.start < a.end]
    assert overlapping
    for a, b in overlapping:
        assert a.end - b.start <= 80
        assert seeds["002"][1].text[b.start - 1] in "。！？；;!?”\n"  # starts at a sentence start


def test_heading_path_seed_002(seeds: Seeds) -> None:
    chunks = chunks_of(seeds, "002")
    c = next(c for c in chunks if "摩托车。加快推动摩托车整车" in c.text)
    assert c.heading_path == (
        "深入推进新时代新征程新合川制造业高质量发展行动方案(2023—2027年)",
        "三、加快构建现代制造业集群体系",
        "(二)升级打造特色产业集群",
    )
    c = next(c for c in chunks if "坚持党对制造业高质量发展的全面领导" in c.text)
    assert c.heading_path[1:] == ("五、加强制造业高质量发展组织实施", "(一)加强组织领导")
    c = next(c for c in chunks if "北极星输配电网获悉" in c.text)
    assert c.heading_path == ()  # the news preface comes before any heading


def test_heading_path_numbered_paragraph_and_subheading_seed_001(seeds: Seeds) -> None:
    chunks = chunks_of(seeds, "001")
    c = next(c for c in chunks if "累计培育科技型企业5533家" in c.text)
    assert c.heading_path == (
        "强化科技创新和产业创新深度融合 塑造两江新区高质量发展新动能",
        "一、突出政府引导,聚焦产业基础支撑,做强创新主体",
    )


def test_index_text_is_contextual_display_text_is_not(seeds: Seeds) -> None:
    loaded, cleaned = seeds["004"]
    meta = extract_meta(loaded, cleaned)
    for c in chunk_document(loaded.source, cleaned.text, meta):
        assert c.index_text == fold(f"{meta.title} {' > '.join(c.heading_path)}\n{c.text}")
        assert meta.title not in c.text or c.position == 0
    first = chunk_document(loaded.source, cleaned.text, meta)[0]
    assert "重庆" in first.index_text and "重慶" in first.text  # folded for the index, as written for people


def test_ids_are_content_hashes_stable_across_runs(seeds: Seeds) -> None:
    a = chunks_of(seeds, "000")
    b = chunks_of(seeds, "000")
    assert [c.id for c in a] == [c.id for c in b]
    assert len({c.id for c in a}) == len(a)
    loaded, cleaned = seeds["000"]
    changed = chunk_document(
        loaded.source, cleaned.text.replace("757.2亿元", "757.3亿元"), extract_meta(loaded, cleaned)
    )
    assert {c.id for c in changed} != {c.id for c in a}
    assert all(c.position == i for i, c in enumerate(a))


def test_empty_text_and_bad_settings() -> None:
    with pytest.raises(EmptyDocumentError) as exc:
        chunk_document("empty.txt", " \n \n", META)
    assert "empty.txt" in str(exc.value)
    with pytest.raises(ConfigError, match="RAG_CHUNK_OVERLAP"):
        chunk_document("x.txt", "正文。", META, chunk_size=100, overlap=100)


def test_metadata_card_states_the_metadata_as_a_citable_passage() -> None:
    from rag.chunking import metadata_card
    from rag.models import DocMeta

    meta = DocMeta(
        title="关于第126号建议的复函",
        doc_number="铜经信函〔2024〕54号",
        issuer="重庆市铜梁区经济和信息化委员会",
        date="2024-06-04",
        date_precision="day",
        region="铜梁区",
        doc_type="复函",
    )
    card = metadata_card("000.txt", meta, 7)
    assert card.position == 7 and card.source == "000.txt"
    for fact in ("铜经信函〔2024〕54号", "重庆市铜梁区经济和信息化委员会", "2024-06-04", "2024年6月4日", "复函"):
        assert fact in card.text
    assert card.id == metadata_card("000.txt", meta, 7).id
    month = metadata_card("003.txt", DocMeta(title="汇报", date="2024-05-01", date_precision="month"), 0)
    assert "2024年5月" in month.text and "2024年5月1日" not in month.text
