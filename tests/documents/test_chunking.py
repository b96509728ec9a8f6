"""Chunking invariants: no cut inside protected spans, bounded sizes, heading paths, stable ids."""

from __future__ import annotations

import itertools
import re

import pytest

from index.textnorm import fold
from rag.documents.chunking import chunk_document
from rag.documents.metadata import extract_meta
from rag.errors import ConfigError, EmptyDocumentError
from rag.models import Chunk, CleanText, DocMeta, LoadedFile

Seeds = dict[str, tuple[LoadedFile, CleanText]]
META = DocMeta(title="测试文件")


def chunks_of(seeds: Seeds, seed: str, size: int = 400, overlap: int = 80) -> list[Chunk]:
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
    covered: set[int] = set()
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
    from rag.documents.chunking import metadata_card
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


# Seed 001 is a speech collection (title line + byline per speaker, numbered items below) whose
# source order is shuffled: some speakers' 三、 items and tails sit inside the next speaker's part.
SPEAKERS_001 = {
    "强化科技创新和产业创新深度融合 塑造两江新区高质量发展新动能": ["两江新区坚持创新链", "做强创新主体"],
    "坚持招商为要服务为本 以高水平招商集聚高质量发展新动能": ["招商指数区县第一", "华峰新投120亿元"],
    "多措并举 承压前行 奋力夺取经济发展“开门红”": ["地区生产总值增长8.5%", "工业投资增长49.7%", "社零总额增长6.8%"],
    "有效盘活国有资产 推动经济稳进增效": ["可盘活资产54.7亿元", "资产核算入账率100%", "盘活闲置土地845亩"],
    "抓项目促投资 激活力增动能": ["连续12个月保持两位数字增长", "文旅投资增长14.5%", "减环节72.1%"],
    "改革突破 创新赋能 奋力建设山区库区强县富民现代化示范区": [
        "双试点为契机",
        "国企营收增长60.3%",
        "市场主体总量达11.5万户",
    ],
    "培育壮大“33618”现代制造业集群 奋力谱写新时代制造强市建设新篇章": ["排名全国第八位", "新能源汽车产量增长1倍"],
    "深入开展“三清三减三增”专项行动 坚决打赢国有企业改革突破攻坚战": ["“2+10+22”作战体系", "止损扭亏阶段性进展率68.4%"],
}


def test_each_speaker_of_seed_001_files_its_own_passages_under_its_title(seeds: Seeds) -> None:
    chunks = chunks_of(seeds, "001")
    for title, facts in SPEAKERS_001.items():
        for fact in facts:
            holding = [c for c in chunks if fact in c.text]
            assert holding, fact
            assert all(c.heading_path[0] == title for c in holding), (fact, [c.heading_path for c in holding])
    byline = next(c for c in chunks if "云阳县委书记 覃昌德" in c.text)
    assert byline.heading_path == ("改革突破 创新赋能 奋力建设山区库区强县富民现代化示范区",)


@pytest.mark.parametrize(
    ("speaker", "foreign"),
    [
        ("多措并举 承压前行", "永川科技创新中心建成投用"),  # 永川's item, shuffled into 沙坪坝's part
        ("多措并举 承压前行", "三、除险固安,构建平安新生态"),  # a second 三、 in 沙坪坝's part
        ("改革突破 创新赋能", "市经济信息委将以习近平总书记"),  # 市经济信息委's closing words
        ("改革突破 创新赋能", "数字经济核心产业销售收入增长13.6%"),
        ("改革突破 创新赋能", "国企改革深化提升行动"),  # 市国资委's 三、
        ("强化科技创新和产业创新深度融合", "三、强化“懂你”招商"),  # 涪陵's 三、 before 涪陵's title
    ],
)
def test_seed_001_shuffled_items_are_not_filed_under_the_speaker_above(
    seeds: Seeds, speaker: str, foreign: str
) -> None:
    chunks = [c for c in chunks_of(seeds, "001") if foreign in c.text]
    assert chunks
    for c in chunks:
        assert not c.heading_path or not c.heading_path[0].startswith(speaker), c.heading_path


def test_seed_001_misplaced_paragraph_naming_its_speaker_goes_under_that_speaker(seeds: Seeds) -> None:
    c = next(c for c in chunks_of(seeds, "001") if "市经济信息委将以习近平总书记" in c.text)
    assert c.heading_path[0] == "培育壮大“33618”现代制造业集群 奋力谱写新时代制造强市建设新篇章"


SPEECHES = (
    "例会发言摘登\n以下是发言摘登。\n"
    "多措并举 承压前行 奋力夺取经济发展“开门红”\n沙坪坝区委书记 唐小平\n"
    "沙坪坝区认真学习贯彻习近平总书记重要讲话重要指示精神,一季度地区生产总值增长8.5%、居全市第三。\n"
    "一、狠抓投资放量,筑牢经济增长基本盘。一季度固定资产投资增长7.4%。" + "重抓制造业投资。" * 12 + "\n"
    "二、狠抓产业链强链,注入经济增长新动能。规上工业增加值增长24.6%。" + "抓增量培育。" * 12 + "\n"
    "三、除险固安,构建平安新生态。一季度平安报表晋升A档。" + "深入开展安全生产大排查大整治。" * 6 + "\n"
    "一、以“双试点”探新路。以全市唯一双试点为契机。" + "打造人口转移中转站。" * 10 + "\n"
    "下一步,云阳县将持续深化改革。" + "巩固拓展主题教育成果。" * 10 + "\n"
    "改革突破 创新赋能 奋力建设山区库区强县富民现代化示范区\n云阳县委书记 覃昌德\n"
    "云阳县深入贯彻落实习近平总书记重要讲话重要指示精神。" + "国企止损扭亏全市第一。" * 10 + "\n"
)


def test_a_number_going_back_inside_a_speech_leaves_that_speaker() -> None:
    chunks = chunk_document("speeches.txt", SPEECHES, META, chunk_size=200, overlap=0)
    by_text = {c.text.split("。")[0]: c.heading_path for c in chunks}
    assert by_text["三、除险固安,构建平安新生态"][0] == "多措并举 承压前行 奋力夺取经济发展“开门红”"
    assert by_text["一、以“双试点”探新路"] == ("一、以“双试点”探新路",)  # no speaker claims it
    assert by_text["下一步,云阳县将持续深化改革"] == (  # it names its speaker
        "改革突破 创新赋能 奋力建设山区库区强县富民现代化示范区",
        "一、以“双试点”探新路",
    )
    assert by_text[
        "改革突破 创新赋能 奋力建设山区库区强县富民现代化示范区\n云阳县委书记 覃昌德\n云阳县深入贯彻落实习近平总书记重要讲话重要指示精神"
    ] == ("改革突破 创新赋能 奋力建设山区库区强县富民现代化示范区",)


def test_numbering_restarts_outside_speeches_keep_their_path() -> None:
    """Only a speech's numbering is checked: a plan may restart 一、 in its annex."""
    text = (
        "行动方案\n为推动高质量发展,制定本方案。\n"
        "一、总体要求。" + "坚持稳中求进。" * 12 + "\n"
        "二、重点任务。" + "加快产业升级。" * 12 + "\n"
        "一、附件说明。" + "附件列明项目清单。" * 10 + "\n"
    )
    chunks = chunk_document("plan.txt", text, META, chunk_size=200, overlap=0)
    assert chunks[-1].heading_path == ("一、附件说明",)
    assert [c.heading_path for c in chunks[:2]] == [("一、总体要求",), ("二、重点任务",)]


def test_speech_byline_goes_into_the_index_text_of_every_chunk_of_that_speech() -> None:
    from index.textnorm import fold
    from rag.documents.chunking import chunk_document
    from rag.models import DocMeta

    text = (
        "4月26日上午,市委召开区县委书记和部门一把手例会。以下是发言摘登。\n"
        "多措并举 承压前行 奋力夺取经济发展“开门红”\n沙坪坝区委书记 唐小平\n"
        "沙坪坝区统筹高水平化债与高质量发展,一季度地区生产总值增长8.5%。\n"
        "一、狠抓投资放量,筑牢经济增长基本盘。一季度固定资产投资增长12.1%,工业投资增长49.7%。"
        + "项目建设提速。" * 40
        + "\n二、狠抓产业链强链。实际利用外资增长302.1%。"
        + "企业增订单。" * 40
    )
    chunks = chunk_document("s.txt", text, DocMeta(title="发言摘登"), chunk_size=200, overlap=40)
    assert len(chunks) >= 3
    for chunk in chunks[1:]:
        assert fold("沙坪坝区委书记 唐小平") in chunk.index_text  # retrievable as 沙坪坝's
    plain = chunk_document("p.txt", "第一段说明情况。\n第二段继续说明。", DocMeta(title="通知"))
    assert plain[0].index_text.startswith(fold("通知 "))


def test_sentences_come_from_the_shared_splitter() -> None:
    """A citation mark stays with the sentence it closes (rag.lang.split_sentences), so no chunk starts with it."""
    from rag.documents.chunking import chunk_document
    from rag.models import DocMeta

    sentence = "全年实现生产总值262.6亿元,同比增长5.3%。[1]"
    text = "\n".join([sentence * 6, "第二段说明其他情况,全年新增就业3892人。" * 6])
    chunks = chunk_document("s.txt", text, DocMeta(title="t"), chunk_size=60, overlap=0)
    assert all(not c.text.startswith("[") for c in chunks)
    assert "".join(c.text for c in chunks).count("[1]") == 6
