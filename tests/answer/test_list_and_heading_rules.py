"""List questions, heading-named words, rate and bound wording, counted nouns, scope words and zone names.

Hand-made hits only (no index). Each test pins one general rule that turned a false refusal into an
answer, next to a near miss that must still refuse.
"""

from __future__ import annotations

from index.records import Hit
from rag.answer.extractive import ExtractiveBackend, enumerates, heads_list, select
from rag.answer.passages import from_hits
from rag.answer.query import key_terms, places

from .conftest import make_hit

PLAN = "002_ab94c550cb50952a.txt"
PLAN_TITLE = "合川区制造业高质量发展行动方案(2023—2027年)"
SPEECH = "001_c05f8967b619d6a9.txt"
SPEECH_TITLE = "重庆市区县委书记和部门一把手例会发言摘登"


def _answer(question: str, hits: list[Hit]) -> str:
    return "".join(ExtractiveBackend().generate(question, from_hits(hits)))


def _plan(text: str, heading: str) -> Hit:
    return make_hit("p", text, source=PLAN, title=PLAN_TITLE, region="合川区", heading_path=heading)


def _speech(text: str, heading: str) -> Hit:
    return make_hit("s", text, source=SPEECH, title=SPEECH_TITLE, region="重庆市", heading_path=heading)


# -- list questions -------------------------------------------------------------------------------


def test_list_question_terms_name_the_category_not_the_verb() -> None:
    terms = key_terms("两江新区加快发展的新兴产业包括哪些？")
    assert terms.wants_list and terms.category == ("新兴产业",) and terms.focus == ("新兴产业",)
    assert key_terms("合川区计划引进培育哪些“新星”产业集群？").category == ("新星", "产业", "集群")
    assert key_terms("合川区的三大园区组团有哪些？").category == ("园区", "组团")  # the count is no category word
    assert key_terms("铜梁区在哪些地方设立了驻外招商点？").category == ()  # where, not what kind
    assert not key_terms("铜梁区有多少家企业？").wants_list


def test_enumeration_needs_items_not_a_heading_number() -> None:
    assert enumerates("加快发展低空经济、绿色低碳、卫星互联网等11个新兴产业")
    assert enumerates("一是强化政策兑现；二是提升保障能力")
    assert enumerates("三大园区组团：南溪组团，草街组团，天顶组团")
    assert not enumerates("三、加快构建现代制造业集群体系")
    assert not enumerates("加快发展新兴产业")


def test_the_category_must_head_the_list_not_be_one_of_its_items() -> None:
    assert heads_list("新兴产业", "加快发展低空经济、绿色低碳、卫星互联网等11个新兴产业。")
    assert heads_list("组团", "以高新区为核心引擎,3个园区组团(南溪组团、草街组团、天顶组团)为关键支撑")
    assert heads_list("组团", "三大园区组团:南溪组团、草街组团、天顶组团。")
    assert not heads_list("未来产业", "统筹推进传统产业转型升级、战略性新兴产业培育壮大、未来产业加快布局。")


def test_list_answer_quotes_the_enumerating_sentence() -> None:
    hit = _speech(
        "坚持应用导向和需求牵引,加快发展低空经济、绿色低碳、卫星互联网等11个新兴产业。加快推动数实融合,构建500P算力池。",
        "塑造两江新区高质量发展新动能 > 二、强化市场主导",
    )
    out = _answer("两江新区加快发展的新兴产业包括哪些？", [hit])
    assert "低空经济、绿色低碳、卫星互联网" in out and "[1]" in out
    # near miss: the category is only one item of another list
    other = _speech(
        "统筹推进传统产业转型升级、战略性新兴产业培育壮大、未来产业加快布局。", "塑造两江新区高质量发展新动能"
    )
    assert _answer("两江新区布局的未来产业包括哪些？", [other]) == ""


def test_a_list_names_its_category_as_subject_before_a_colon() -> None:
    hit = _plan("三大园区组团：南溪组团、草街组团、天顶组团。", "二、主要目标")
    assert "南溪组团、草街组团、天顶组团" in _answer("合川区的三大园区组团有哪些？", [hit])
    assert _answer("合川区的中小企业园区有哪些？", [hit]) == ""  # another category


def test_a_category_modifier_may_come_from_the_section_heading() -> None:
    text = (
        "(四)引进培育“新星”产业集群。\n聚焦细分领域,突出专业化、区域化发展路径,引进培育卫星互联网、智能家居、"
        "机器人、医疗器械等一批高成长性产业集群,进一步丰富全区现代制造业集群体系。"
    )
    hit = _plan(text, "三、加快构建现代制造业集群体系 > (四)引进培育“新星”产业集群")
    assert "卫星互联网、智能家居" in _answer("合川区计划引进培育哪些“新星”产业集群？", [hit])
    # near miss: the same list under a heading that is not about 新星 clusters
    plain = _plan(text.replace("“新星”", "优势"), "三、加快构建现代制造业集群体系 > (四)引进培育优势产业集群")
    assert _answer("合川区计划引进培育哪些“新星”产业集群？", [plain]) == ""


def test_a_category_heading_covers_only_the_list_right_under_it() -> None:
    text = "(一)聚力打造主导产业集群。\n汽车、摩托车、装备。\n重庆火锅食材。大力发展水发类、水产类、肉类等火锅食材。"
    hit = _plan(text, "三、加快构建现代制造业集群体系 > (一)聚力打造主导产业集群")
    out = _answer("合川区有哪些主导产业集群？", [hit])
    assert "汽车、摩托车、装备" in out and "水发类" not in out
    lower = _plan(
        text.replace("汽车、摩托车、装备。\n", ""), "三、加快构建现代制造业集群体系 > (一)聚力打造主导产业集群"
    )
    assert _answer("合川区有哪些主导产业集群？", [lower]) == ""  # the 火锅 list is of another category


# -- words named by the section heading (hf09) ------------------------------------------------------


def test_an_attribute_modifier_named_by_the_heading_counts() -> None:
    text = "二、打通国有资产确权难点堵点。对已核算入账无法确权登记资产统一登记。一季度,推进办证117宗70.2万平方米。"
    hit = make_hit("a", text, heading_path="有效盘活国有资产 推动经济稳进增效 > 二、打通国有资产确权难点堵点")
    assert "117宗" in _answer("铜梁区一季度推进国有资产办证多少宗？", [hit])
    near = make_hit(
        "b",
        text.replace("二、打通国有资产确权难点堵点。", "二、打通集体土地确权难点堵点。"),
        heading_path="推动经济稳进增效 > 二、打通集体土地确权难点堵点",
    )
    assert _answer("铜梁区一季度推进国有资产办证多少宗？", [near]) == ""


def test_the_attribute_head_is_never_taken_from_the_heading() -> None:
    hit = make_hit("a", "一季度,完成117宗。", heading_path="推动经济稳进增效 > 二、国有资产办证")
    assert _answer("铜梁区一季度国有资产办证多少宗？", [hit]) == ""


# -- rates, bounds, counted nouns, scope words -----------------------------------------------------


def test_a_rate_is_named_by_zengzhang_with_a_percentage() -> None:
    text = "规上工业增加值增长8.6%、高于全国2.5个百分点,排名全国第八位;工业投资增长16.7%,排名全国第十三位。"
    hit = _speech(text, "培育壮大现代制造业集群 > 一、主要指标好中有进")
    out = _answer("一季度重庆全市规上工业增加值增速排名全国第几位？", [hit])
    assert "第八位" in out and "第十三位" not in out
    near = _speech("规上工业增加值总量排名全国第八位。", "培育壮大现代制造业集群 > 一、主要指标好中有进")
    assert _answer("一季度重庆全市规上工业增加值增速排名全国第几位？", [near]) == ""


def test_scope_word_after_a_place_belongs_to_the_place() -> None:
    terms = key_terms("一季度重庆全市工业投资增长多少？")
    assert "全市" not in terms.focus and all(t != "全市" for t, _ in terms.terms)
    assert "全市" in key_terms("铜梁区工业投资占全市比重是多少？").focus  # a frame, not the place
    hit = _speech("工业投资增长16.7%、高于全国3.3个百分点,排名全国第十三位。", "培育壮大现代制造业集群 > 一、主要指标")
    out = _answer("一季度重庆全市工业投资增长多少，排名全国第几位？", [hit])
    assert "16.7%" in out and "第十三位" in out
    district = _speech("沙坪坝区一季度工业投资增长49.7%。", "多措并举 承压前行 > 一、狠抓投资放量")
    assert _answer("一季度重庆全市工业投资增长多少？", [district]) == ""  # another place's figure


def test_a_bound_word_is_not_part_of_the_attribute() -> None:
    hit = _speech("规上工业企业设立研发机构占比超40%、去年企业研发费用近80亿元。", "塑造两江新区高质量发展新动能 > 二")
    assert "40%" in _answer("两江新区规上工业企业设立研发机构占比超过多少？", [hit])
    assert _answer("两江新区规上工业企业设立实验室占比超过多少？", [hit]) == ""


def test_count_of_a_noun_answers_how_many_of_it() -> None:
    terms = key_terms("涪陵服务专员为辖区多少个企业提供服务？")
    assert terms.counted == "企业" and terms.unit == "个"
    text = "涪陵落实117名服务专员对辖区200余个企业全天候全覆盖保姆式服务,为企业协调事宜260余项。"
    hit = make_hit("f", text, source="004_46f7e9b34c242cae.txt", title="重庆沿江承接产业转移示范区", region="重庆市")
    assert "200余个企业" in _answer("涪陵服务专员为辖区多少个企业提供服务？", [hit])
    assert _answer("涪陵服务专员为辖区多少个项目提供服务？", [hit]) == ""  # counts enterprises, not projects


def test_zone_kinds_are_not_places() -> None:
    assert places("产业园区经济发展主战场地位更加巩固") == ()
    assert places("合川工业园区") == ("合川",)
    assert places("两江新区") == ("两江新区",)
    text = (
        "——空间布局实现新突破。产业园区经济发展主战场地位更加巩固,园区规模以上工业营业收入占全区比重提高至90%,"
        "单位工业用地产出提高至75亿元/平方公里。"
    )
    hit = _plan(text, "二、主要目标")
    assert "75亿元/平方公里" in _answer("合川区到2027年单位工业用地产出要提高到多少？", [hit])
    assert select("合川区到2027年单位工业用地税收要提高到多少？", from_hits([hit])) == []
