"""Prompt templates are files in the ``prompts`` package, so they ship in the wheel and are reviewed as text.

Templates use ``{name}`` placeholders (LangChain f-string format); ``prompts/README.md`` lists
each template's variables. Rendering checks that exactly the documented variables are given, so a
renamed placeholder fails loudly in the golden tests instead of silently sending a broken prompt.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from langchain_core.prompts import PromptTemplate

from rag.errors import ConfigError

TEMPLATE_NAMES: tuple[str, ...] = ("answer_system", "answer", "passage", "refusal", "rewrite", "reply")


@cache
def load_template(name: str) -> PromptTemplate:
    """The template ``prompts/<name>.txt`` as a LangChain PromptTemplate."""
    try:
        text = resources.files("prompts").joinpath(f"{name}.txt").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(
            f"找不到提示词模板 prompts/{name}.txt：请确认安装包完整（可用模板：{', '.join(TEMPLATE_NAMES)}）。"
        ) from exc
    return PromptTemplate.from_template(text.rstrip("\n"))


def template_variables(name: str) -> list[str]:
    """The placeholders of a template, sorted."""
    return sorted(load_template(name).input_variables)


def render(name: str, **variables: object) -> str:
    """Fill a template; missing or unknown variables are a ConfigError naming the template."""
    template = load_template(name)
    expected = set(template.input_variables)
    given = set(variables)
    if expected != given:
        raise ConfigError(
            f"提示词模板 prompts/{name}.txt 需要变量 {sorted(expected)}，实际传入 {sorted(given)}："
            "请按 prompts/README.md 修改模板或调用处。"
        )
    return template.format(**{k: str(v) for k, v in variables.items()})
