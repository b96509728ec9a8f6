"""Question handling before retrieval: folding, follow-up rewriting, metadata routing, key terms.

Rules first, because they need no model and are testable; an LLM rewrite (prompts/rewrite.txt) is
used only when an LLM backend is configured, and falls back to the rules if its output looks wrong.
The key terms (places, years, the asked attribute) also drive the refusal decision: a question about
北京市 must not be answered from a Chongqing document just because the rest of the words match.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Literal

import rjieba

from index.textnorm import fold
from rag.prompts import render

log = logging.getLogger(__name__)

MetaIntent = Literal[
    "doc_number",
    "issuer",
    "date",
    "doc_type",
    "visibility",
    "period",
    "page_info",
    "speaker",
    "proposer",
    "meeting_date",
]

_PUNCT = "？?！!。，,、；;：:“”\"'‘’（）()《》〈〉【】[] \t\r\n"
_INTERROGATIVES = (
    "是多少",
    "有多少",
    "多少",
    "是什么",
    "什么",
    "有哪些",
    "哪些",
    "是哪",
    "哪个",
    "哪家",
    "哪天",
    "哪一天",
    "哪年",
    "几月",
    "几个",
    "几家",
    "几",
    "如何",
    "怎么",
    "怎样",
    "为何",
    "为什么",
    "吗",
    "呢",
    "何时",
)
_STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "及",
        "对",
        "把",
        "被",
        "为",
        "有",
        "中",
        "上",
        "下",
        "里",
        "请问",
        "请",
        "问",
        "我",
        "我们",
        "你",
        "您",
        "它",
        "其",
        "该",
        "这",
        "那",
        "这个",
        "那个",
        "这份",
        "那份",
        "这些",
        "那些",
        "一下",
        "一个",
        "情况",
        "相关",
        "关于",
        "怎么样",
        "方面",
        "主要",
        "具体",
        "目前",
        "现在",
        "今年",
        "去年",
        "吗",
        "呢",
        "吧",
        "啊",
        "么",
        "到",
        "达到",
        "实现",
        "多",
        "少",
        "都",
        "也",
        "又",
        "还",
        "就",
        "要",
        "会",
        "能",
        "可以",
        "哪",
        "几",
        "什么",
        "多少",
        "哪些",
        "哪个",
        "哪家",
        "哪天",
        "如何",
        "怎么",
        "怎样",
        "为何",
        "为什么",
        "何时",
        "是否",
        "有没有",
        "文件",
        "提到",
        "说",
        "讲",
        "根据",
        "按照",
        "以及",
        "或者",
        "并",
        "等",
        "共",
        "总共",
        "一共",
        "大约",
        "约",
        "印发",
        "发布",
        "发",
        "日期",
        "时间",
    ]
)
_FIGURE_WORDS = re.compile(
    r"目标(?:是什么|是|为)|多少|几[个家项户人亩月年天]?|比例|占比|比重|百分之|增速|增幅|增长率|多大|规模|金额|数量|总量|总额|多高"
)
_DATE_ASKED = re.compile(r"几月|几年|哪一?年|何时|什么时候|哪一?天|几日|几号|日期|时间")
_ANAPHORA = re.compile(r"^(?:那么|那|还有|另外|此外|再问一下|再问|同时)[,，]?")
_PRONOUN = re.compile(
    r"(?:这份文件|那份文件|这个文件|该文件|这个方案|该方案|这份方案|这个复函|该复函|它|其|该|这个|那个)"
)
_FOLLOWUP_TAIL = re.compile(r"(?:呢|的呢|又如何|又是多少|怎么样)[？?。]?$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_NOT_PLACES = frozenset(
    [
        "园区",
        "示范区",
        "开发区",
        "高新区",
        "城区",
        "市区",
        "辖区",
        "片区",
        "库区",
        "景区",
        "小区",
        "社区",
        "地区",
        "山区",
        "集聚区",
        "全区",
        "本区",
        "我区",
        "该区",
        "各区",
        "全市",
        "本市",
        "我市",
        "该市",
        "各市",
        "城市",
        "全县",
        "本县",
        "各县",
        "县区",
        "区县",
        "省市",
        "全省",
        "本省",
        "各省",
        "超市",
        "上市",
        "股市",
        "新区",
        "区域",
        "城镇",
        "乡镇",
        "直管区",
        "主城区",
        "中心城区",
        "新城区",
        "老城区",
        "行政区",
        "功能区",
        "保税区",
        "自贸区",
        "作业区",
        "核心区",
        "先行区",
        "试验区",
        "创新区",
        "承载区",
    ]
)
# Chongqing's districts and counties (the corpus's home) by stem: documents name them without 区/县
# (永川积极组建…, 璧山全年新获批…), which the suffix rule alone cannot see.
_DISTRICTS = frozenset(
    [
        "万州",
        "涪陵",
        "渝中",
        "大渡口",
        "江北",
        "沙坪坝",
        "九龙坡",
        "南岸",
        "北碚",
        "綦江",
        "大足",
        "渝北",
        "巴南",
        "黔江",
        "长寿",
        "江津",
        "合川",
        "永川",
        "南川",
        "璧山",
        "铜梁",
        "潼南",
        "荣昌",
        "开州",
        "梁平",
        "武隆",
        "城口",
        "丰都",
        "垫江",
        "忠县",
        "云阳",
        "奉节",
        "巫山",
        "巫溪",
        "石柱",
        "秀山",
        "酉阳",
        "彭水",
        "万盛",
        "两江新区",
    ]
)
# State-level new areas (两江新区): "新区" after other words (梳理新区8条产业链) is not a place.
_NEW_AREAS = frozenset(
    [
        "浦东",
        "滨海",
        "两江",
        "舟山",
        "兰州",
        "南沙",
        "西咸",
        "贵安",
        "西海岸",
        "金普",
        "天府",
        "湘江",
        "江北",
        "福州",
        "滇中",
        "哈尔滨",
        "长春",
        "赣江",
        "雄安",
    ]
)
_FUNCTION_WORDS = frozenset(
    [
        "已经",
        "正在",
        "曾经",
        "所在",
        "其中",
        "全部",
        "每个",
        "分别",
        "以及",
        "同时",
        "通过",
        "经过",
        "位于",
        "来自",
        "属于",
    ]
)
_NOT_PLACE_CHARS = re.compile(r"[哪几多各全本该我某其]")
_PROVINCES = frozenset(
    [
        "北京",
        "天津",
        "上海",
        "重庆",
        "河北",
        "山西",
        "辽宁",
        "吉林",
        "黑龙江",
        "江苏",
        "浙江",
        "安徽",
        "福建",
        "江西",
        "山东",
        "河南",
        "湖北",
        "湖南",
        "广东",
        "海南",
        "四川",
        "贵州",
        "云南",
        "陕西",
        "甘肃",
        "青海",
        "台湾",
        "内蒙古",
        "广西",
        "西藏",
        "宁夏",
        "新疆",
        "香港",
        "澳门",
        "深圳",
        "广州",
        "成都",
        "武汉",
        "杭州",
        "南京",
        "西安",
        "苏州",
        "南充",
    ]
)
_PLACE_SUFFIX = ("省", "市", "区", "县", "镇", "乡")
# Kinds of zone, not places: 产业园区 or 承接产业转移示范区 name no place unless a place's name opens them
# (合川工业园区), so a sentence about 产业园区 is not about "another place" than the asked district.
_ZONE_SUFFIXES = (
    "园区",
    "开发区",
    "集聚区",
    "示范区",
    "功能区",
    "片区",
    "承载区",
    "先行区",
    "试验区",
    "创新区",
    "核心区",
    "作业区",
    "保税区",
    "自贸区",
)
_MEASURE_WORDS = frozenset(
    [
        "个",
        "家",
        "项",
        "户",
        "名",
        "人",
        "亩",
        "笔",
        "批",
        "宗",
        "口",
        "场",
        "的",
        "亿元",
        "万元",
        "元",
        "亿",
        "万",
        "百分点",
        "个百分点",
        "钱",
        "平方米",
        "平方公里",
        "吨",
        "万吨",
        "次",
        "倍",
    ]
)


@dataclass(frozen=True)
class QueryTerms:
    """What a passage must contain to answer the question."""

    places: tuple[str, ...]  # 铜梁区, 北京市: a passage about another place does not answer
    years: tuple[str, ...]  # 2023: a figure for another year is not the answer
    terms: tuple[tuple[str, float], ...]  # content words and their weights
    focus: tuple[str, ...]  # the asked attribute, e.g. (规上, 工业, 总产值) before 是多少
    wants_figure: bool  # 多少/几/比例: the answer sentence must hold a figure
    numbers: tuple[str, ...] = ()  # other numbers in the question (第126号)
    unit: str = ""  # the unit the asked figure is counted in (多少亿元 -> 亿元, 多少家 -> 家), if named
    phrases: tuple[str, ...] = ()  # adjacent content words as asked (新型储能, 工业投资): the subject's wording
    wants_list: bool = False  # 有哪些/包括哪些: the answer enumerates items of the asked category (the focus)
    category: tuple[str, ...] = ()  # 新兴产业包括哪些 -> (新兴产业,): what a list question's items are
    counted: str = ""  # 多少个企业 -> 企业: the noun the asked figure counts, written right after it in answers
    wants_date: bool = False  # 几月/哪年/什么时候: a date is the asked figure (otherwise a date answers no 多少)


# Generic words that name the kind of figure asked, not what it is about: a figure question
# "产业集群目标规模是多少" is answered by "打造300亿级产业集群" without the words 目标/规模.
_SOFT_WHEN_FIGURE = frozenset(
    ["目标", "规模", "数量", "总量", "金额", "数额", "数字", "数据", "水平", "情况", "指标", "多大", "钱"]
)


# 重庆全市 / 合川全区: right after a place these name its whole territory, not what is measured.
_SCOPE_WORDS = frozenset(["全市", "全区", "全县", "全省", "全镇"])


# When a figure is about, not what it is: a constraint like a year, never the asked attribute.
_TIME_WORDS = frozenset(
    ["一季度", "二季度", "三季度", "四季度", "上半年", "下半年", "全年", "年底", "年初", "以来", "当年"]
)


def normalise_question(question: str) -> str:
    """Traditional -> simplified, full -> half width, pinyin annotations stripped, spaces trimmed."""
    return fold(question).strip().replace("?", "？")


@lru_cache(maxsize=2048)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in rjieba.cut(text) if t.strip())


def _place_stem(place: str) -> str:
    return place[:-1] if len(place) > 2 and place.endswith(_PLACE_SUFFIX) else place


def places(text: str) -> tuple[str, ...]:
    """Place names in a question: tokens ending in 省/市/区/县 (or split as 铜梁 + 区) and province-level names.

    Lines are read one by one: a heading ending in 攻坚战 followed by a byline starting with 市国资委
    is not a place called 攻坚战市.
    """
    found: list[str] = []
    for line in fold(text).splitlines():
        for name in _places_in_line(line):
            if name not in found:
                found.append(name)
    return tuple(found)


@lru_cache(maxsize=4096)
def _is_noun(word: str) -> bool:
    """Whether jieba's dictionary tags a word as a noun (place names are ns/nr/n): 深化 + 区领导 or
    建立 + 市领导 put a verb before a 区/市 that belongs to the next word, and name no place."""
    tagged = rjieba.tag(word)
    return len(tagged) == 1 and tagged[0][1].startswith("n")


def _places_in_line(line: str) -> list[str]:
    toks = _tokens(line)
    found: list[str] = []
    for i, tok in enumerate(toks):
        name = ""
        if len(tok) >= 3 and tok.endswith(_PLACE_SUFFIX) and tok not in _NOT_PLACES:
            name = tok
        elif (
            i + 1 < len(toks)
            and toks[i + 1] in _PLACE_SUFFIX
            and len(tok) >= 2
            and re.fullmatch(r"[\u4e00-\u9fff]+", tok)
            and tok not in _STOPWORDS
            and tok not in _FUNCTION_WORDS
            and (_is_noun(tok) or is_known_place(tok))
        ):
            name = tok + toks[i + 1]
        elif tok in _PROVINCES or tok in _DISTRICTS:
            name = tok
        elif tok == "新区" and i > 0 and toks[i - 1] in _NEW_AREAS:
            name = toks[i - 1] + tok  # 两江 + 新区: a state-level new area is a place of its own
            if found and found[-1] == toks[i - 1]:
                found.pop()
        if name and _NOT_PLACE_CHARS.search(name):
            name = ""
        if name and name.endswith(_ZONE_SUFFIXES) and not is_known_place(name[:2]) and not is_known_place(name[:3]):
            name = ""
        if name and name not in _NOT_PLACES and name not in found:
            found.append(name)
    return found


def is_known_place(place: str) -> bool:
    """A Chongqing district/county or a province-level name (产业园区 ends with 区 but is no place)."""
    stem = _place_stem(place)
    return stem in _DISTRICTS or stem in _PROVINCES or place in _DISTRICTS or place in _PROVINCES


def place_in(place: str, text: str) -> bool:
    """Whether ``text`` mentions the place, with or without its 区/县/市 suffix."""
    return _place_stem(place) in text


def years(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_YEAR.findall(fold(text))))


def _interrogative_at(toks: Sequence[str], i: int) -> bool:
    return any("".join(toks[i : i + 2]).startswith(w) or toks[i] == w for w in _INTERROGATIVES)


_TO_VERBS = frozenset(["提高", "提升", "增加", "增长", "扩大", "降低", "下降", "压减", "压缩"])
# Words relating the asked figure to a bound (超过多少, 突破多少户): they say how the answer is phrased
# (超40%, 突破130户), not what is measured; answers may word the bound differently.
RELATION_WORDS = frozenset(["超过", "超", "突破", "不低于", "不少于", "高达", "达"])
_QUOTES = "“”\"'‘’「」《》"


def _focus(toks: Sequence[str], content: set[str]) -> tuple[tuple[str, ...], str]:
    """The asked attribute: words right after the interrogative (多少个项目) or right before it (总产值是多少);
    and, when a measure word follows the interrogative (多少个企业), the noun it counts."""
    for i in range(len(toks)):
        if not _interrogative_at(toks, i):
            continue
        after: list[str] = []
        k = i + 1
        measured = False
        while k < len(toks) and (toks[k] in _INTERROGATIVES or toks[k] in _MEASURE_WORDS):
            measured = measured or toks[k] in _MEASURE_WORDS
            k += 1
        while k < len(toks) and toks[k] in content and len(after) < 4:
            after.append(toks[k])
            k += 1
        if after:
            return tuple(after), after[0] if measured else ""
        before: list[str] = []
        j = i - 1
        if j >= 1 and toks[j] in ("到", "至") and toks[j - 1] in _TO_VERBS:
            # 产出要提高到多少 asks the level of 产出: the verb says how the target is phrased (提高至75亿元)
            j -= 2
            while j >= 0 and toks[j] in ("要", "将", "力争", "分别"):
                j -= 1
            if j >= 0 and len(toks[j]) == 2 and toks[j][1] in "要将" and toks[j][0] in "".join(content):
                before.append(toks[j][0])  # 比重要提高到 is cut 比/重要: the modal is glued to the attribute
                j -= 1
        while j >= 0 and (
            toks[j] in ("是", "有", "的", "为", "达到", "共", "总共", "一共", "了")
            or (toks[j] in _SOFT_WHEN_FIGURE and toks[j] not in content)
        ):
            j -= 1  # 氢能产业产值目标是多少 asks about 氢能产业产值: 目标 only says it is a target
        while j >= 0 and toks[j] in content and len(before) < 4:
            before.insert(0, toks[j])
            j -= 1
        if before:
            return tuple(before), ""
    return (), ""


_LIST_Q = re.compile(r"哪些|包括什么|包含什么")
# 新兴产业包括哪些 / 主导产业集群有哪些: the verb before 哪些 links the category to its items.
_LIST_VERBS = frozenset(["包括", "包含", "涵盖", "涉及", "有", "是", "为", "分别", "主要", "都"])


_COUNT_WORD = re.compile(r"[一二三四五六七八九十两几\d]+[大个项类种条]")


def _category(toks: Sequence[str], content: set[str]) -> tuple[str, ...]:
    """What a list question asks to enumerate: words after 哪些 (引进哪些“新星”产业集群), else before it.

    A count in it (三大园区组团) is left out: documents write it as 3个园区组团, or not at all.
    """
    content = {t for t in content if not _COUNT_WORD.fullmatch(t)}
    for i, tok in enumerate(toks):
        if not (tok.startswith(("哪些", "什么")) or tok.endswith("哪些")):
            continue
        if len(tok) > 2 and tok.startswith("哪些"):
            return ()  # 哪些地方 / 哪些方面: asks where or in what respect, names no category
        after: list[str] = []
        k = i + 1
        while k < len(toks) and len(after) < 4 and (toks[k] in content or toks[k].strip(_QUOTES) == ""):
            if toks[k] in content:
                after.append(toks[k])
            k += 1
        if after:
            return tuple(after)
        before: list[str] = []
        j = i - 1
        while j >= 0 and toks[j] in _LIST_VERBS:
            j -= 1
        while j >= 0 and len(before) < 4 and (toks[j] in content or toks[j].strip(_QUOTES) == ""):
            if toks[j] in content:
                before.insert(0, toks[j])
            j -= 1
        return tuple(before)
    return ()


# 多少亿元 / 几个百分点 / 多少家: the answer is a figure in that unit, not a growth rate of it.
_ASKED_UNIT = re.compile(
    r"(?:多少|几)(个百分点|百分点|亿元|万元|元|平方公里|平方米|万吨|吨|家|个|项|户|人|名|亩|宗|场|口|次|座|台|辆|所|件|条)"
)


def key_terms(question: str) -> QueryTerms:
    """Places, years, weighted content words and the asked attribute of a (standalone) question."""
    q = normalise_question(question)
    found_places = places(q)
    found_years = years(q)
    toks = _tokens(q)
    place_parts = {p for pl in found_places for p in (pl, _place_stem(pl))} | set(_PLACE_SUFFIX)
    content: list[tuple[str, float]] = []
    kept: list[str | None] = []  # the content word at each token position, None for the rest
    for i, tok in enumerate(toks):
        kept.append(None)
        if i > 0 and len(tok) > 1 and tok[0] in _PLACE_SUFFIX and toks[i - 1] in place_parts:
            tok = tok[1:]  # 合川 + 区到: the suffix belongs to the place, 到 is left
        if tok in _STOPWORDS or tok in place_parts or tok.strip(_PUNCT) == "" or _YEAR.fullmatch(tok):
            continue
        if tok in _SCOPE_WORDS and i > 0 and toks[i - 1] in place_parts:
            continue  # 重庆全市: the whole of the named place, part of the place, not of the attribute
        if re.fullmatch(r"\d+(?:\.\d+)?", tok) or tok in ("年", "月", "日", "号"):
            continue
        if len(tok) == 1 and not re.fullmatch(r"[\u4e00-\u9fff]", tok):
            continue
        if any(tok.startswith(w) for w in _INTERROGATIVES):
            continue
        weight = 0.5 if len(tok) == 1 else float(min(len(tok), 4))
        kept[-1] = tok
        if all(t != tok for t, _ in content):
            content.append((tok, weight))
    wants_figure = bool(_FIGURE_WORDS.search(q))
    if wants_figure and any(t not in _SOFT_WHEN_FIGURE for t, _ in content):
        content = [(t, w) for t, w in content if t not in _SOFT_WHEN_FIGURE]
    focus, counted = _focus(toks, {t for t, _ in content if t not in _TIME_WORDS})
    wants_list = not wants_figure and bool(_LIST_Q.search(q))
    category = _category(toks, {t for t, _ in content if t not in _LIST_VERBS}) if wants_list else ()
    focus = category or focus
    words = {t for t, _ in content}  # soft words (目标, 规模) are gone: they name no subject
    phrases = tuple(dict.fromkeys(a + b for a, b in pairwise(kept) if a in words and b in words))
    numbers = tuple(n for n in re.findall(r"\d+(?:\.\d+)?", q) if n not in found_years)
    unit = _ASKED_UNIT.search(q)
    return QueryTerms(
        places=found_places,
        years=found_years,
        terms=tuple(content),
        focus=focus,
        wants_figure=wants_figure,
        wants_date=bool(_DATE_ASKED.search(q)),
        numbers=numbers,
        unit=unit.group(1) if unit else "",
        phrases=phrases,
        wants_list=wants_list,
        category=category,
        counted=counted if unit else "",
    )


_DOC_NUMBER_Q = re.compile(r"文号|发文字号|发文编号")
_ISSUER_Q = re.compile(
    r"哪个单位|哪个部门|哪家单位|哪个机关|哪个机构|什么单位|什么部门|什么机关|发文机关|发文单位|印发单位|谁发(?!言)|谁印发|由谁(?:印发|发布|发文|出具)|谁出具|哪个委|哪里发"
)
_DATE_Q = re.compile(
    r"哪天|哪一天|什么时候|何时|什么时间|哪年哪月|几月几[日号]|成文日期|发文日期|印发日期|发布日期|日期是"
)
_DOC_VERB = re.compile(r"印发|发布|发文|签发|出台|成文|发的|下发|公布|日期")


_PAGE_INFO_Q = re.compile(
    r"更新时间|更新日期|出处|(?:新闻|文章|报道|汇报|稿件|信息|页面|网页|发布|文件|通知|复函)[^？?，,]{0,8}来源"
    r"|来源(?:网站|单位)?(?:是|为)(?:什么|哪)|出自哪"
    r"|(?:哪家|哪个|哪一家|什么)(?:媒体|网站|新闻网站|报社|报纸|通讯社)|采写"
)
_SPEAKER_Q = re.compile(r"发言人|发言者|谁[^？?，,]{0,14}发言|发言的(?:是|人)|代表[^？?，,]{1,14}发言|署名")
_PROPOSER_Q = re.compile(r"哪位代表|哪位委员|哪个代表|谁提出|由谁提出|提出人|提出者|建议人|提案人|提出的代表")
_VISIBILITY_Q = re.compile(r"公开属性|公开方式|公开类型|是否(?:主动)?公开|公开范围")
_DOC_TYPE_Q = re.compile(r"文种|公文种类|文件类型|什么类型的(?:文件|公文)|哪类公文|公文类型")
_PERIOD_Q = re.compile(r"实施期限|实施期|执行期|有效期|规划期|起止年|时间跨度|哪几年")
_MEETING_Q = re.compile(r"召开|举行|举办|开幕")


# First match wins: a 文号 question that also says 发文 is about the 文号, a speaker question is not an issuer one.
_INTENT_ORDER: tuple[tuple[re.Pattern[str], MetaIntent], ...] = (
    (_DOC_NUMBER_Q, "doc_number"),
    (_PAGE_INFO_Q, "page_info"),
    (_SPEAKER_Q, "speaker"),
    (_PROPOSER_Q, "proposer"),
    (_VISIBILITY_Q, "visibility"),
    (_DOC_TYPE_Q, "doc_type"),
    (_PERIOD_Q, "period"),
    (_ISSUER_Q, "issuer"),
)


def metadata_intent(question: str) -> MetaIntent | None:
    """Route questions about a document (文号, issuer, date, 文种, 公开属性, 实施期限, 来源, speaker…)
    to the metadata route, which quotes the line stating the fact instead of scoring passages."""
    q = normalise_question(question)
    for pattern, intent in _INTENT_ORDER:
        if pattern.search(q):
            return intent
    if _DATE_Q.search(q) and _MEETING_Q.search(q):
        return "meeting_date"
    if _DATE_Q.search(q) and _DOC_VERB.search(q):
        return "date"
    return None


def is_follow_up(question: str) -> bool:
    """A question that leans on the previous turn (那…, …呢, 它/该文件, or too short to stand alone)."""
    q = normalise_question(question).strip(_PUNCT)
    if _ANAPHORA.match(q) or _FOLLOWUP_TAIL.search(q) or _PRONOUN.search(q):
        return True
    return len(q) <= 6


def _tail(question: str) -> str:
    """The interrogative ending of a question (是多少？), to complete a bare follow-up like 工业增加值呢？."""
    q = question.rstrip(_PUNCT)
    for w in _INTERROGATIVES:
        idx = q.rfind(w)
        if idx >= 0 and w not in ("吗", "呢"):
            start = idx - 1 if idx > 0 and q[idx - 1] == "是" and not w.startswith("是") else idx
            return q[start:] + "？"
    return "？"


def _topic(question: str) -> str:
    """What the previous question was about: its text before the first 的 or interrogative."""
    q = question.rstrip(_PUNCT)
    terms = key_terms(q)
    if terms.places and re.search(r"多少|几", q):
        # a figure question's text before 多少 ends with the figure's name: only its place carries over
        return "".join(terms.places) + "".join(f"{y}年" for y in terms.years)
    m = re.search(r"的|是|由|对|有(?:多少|几)|(?:多少|几|什么|哪|谁)", q)
    if m is not None and m.start() > 0:
        return q[: m.start()]
    return "".join(terms.places) + "".join(f"{y}年" for y in terms.years)


def _rule_rewrite(question: str, previous: str) -> str:
    q = normalise_question(question)
    core = _ANAPHORA.sub("", q).strip()
    bare = bool(_FOLLOWUP_TAIL.search(core))
    core = _FOLLOWUP_TAIL.sub("", core).rstrip(_PUNCT)
    prev_terms = key_terms(previous)
    cur_terms = key_terms(core)
    if _PRONOUN.search(core):
        core = _PRONOUN.sub(_topic(previous), core, count=1)
        cur_terms = key_terms(core)
    prefix = ""
    if not cur_terms.places and prev_terms.places and not any(place_in(p, core) for p in prev_terms.places):
        prefix += "".join(prev_terms.places)
    if not cur_terms.years and prev_terms.years:
        prefix += "".join(f"{y}年" for y in prev_terms.years)
    has_content = bool(cur_terms.terms)
    if not has_content and cur_terms.years and prev_terms.years:
        # 2022年呢？ -> the previous question with the year replaced.
        swapped = previous.rstrip(_PUNCT)
        for old, new in zip(prev_terms.years, cur_terms.years, strict=False):
            swapped = swapped.replace(old, new)
        return swapped + "？"
    if bare or not re.search("|".join(map(re.escape, _INTERROGATIVES)), core):
        core += _tail(previous)
    elif not core.endswith(("？", "?")):
        core += "？"
    if prefix and core.startswith(prefix):
        prefix = ""
    return prefix + core


def rewrite(
    question: str,
    history: Sequence[tuple[str, str]] = (),
    llm: Callable[[str], str | None] | None = None,
) -> str:
    """A standalone question: the follow-up completed with the place, year and topic of earlier turns.

    ``llm`` is a text-completion function (the configured LLM backend's ``complete``); when it is
    None or its output is unusable the rule-based rewrite is used.
    """
    q = normalise_question(question)
    if not history or not is_follow_up(q):
        return q
    previous = ""
    for user_turn, _ in history:
        turn = normalise_question(user_turn)
        previous = _rule_rewrite(turn, previous) if previous and is_follow_up(turn) else turn
    if llm is not None:
        lines = "\n".join(f"用户：{u}\n助手：{a}" for u, a in history)
        try:
            out = llm(render("rewrite", history=lines, question=q))
        except Exception as exc:  # a flaky endpoint must not stop the answer: fall back to rules
            log.warning("LLM 改写问题失败，改用规则改写：%s", exc)
            out = None
        if out:
            candidate = normalise_question(out.strip().splitlines()[0] if out.strip() else "")
            if 2 <= len(candidate) <= 200:
                return candidate
    return _rule_rewrite(q, previous)
