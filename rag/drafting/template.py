"""The reply template: the fixed phrases of a 复函 and the register markers, read from
rag/data/reply_template.toml so wording is reviewed as data and code holds none of it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from rag.errors import ConfigError

TEMPLATE_FILE = "data/reply_template.toml"


@dataclass(frozen=True)
class ReplyTemplate:
    """Sections of the template file: ``frame`` (letter lines), ``placeholders``, ``suggestion``, ``register``."""

    frame: dict[str, str]
    placeholders: dict[str, str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    aspects: tuple[str, ...]
    max_asks: int
    frame_markers: tuple[str, ...]
    next_markers: tuple[str, ...]
    opening_markers: tuple[str, ...]
    closing_markers: tuple[str, ...]
    kinds: dict[str, dict[str, Any]]

    def line(self, key: str, **values: object) -> str:
        """A frame line with its {placeholders} filled."""
        return self.frame[key].format(**values)

    def placeholder(self, key: str, **values: object) -> str:
        return self.placeholders[key].format(**values)

    def is_frame(self, sentence: str) -> bool:
        """A sentence of the letter's frame (receipt, thanks, contact), not of its matter."""
        words = "".join(sentence.split())  # 联 系 人
        return any(m in words for m in self.frame_markers)

    def kind(self, *texts: str) -> tuple[str, str]:
        """(noun, addressee) of what is answered: 建议/代表, or 提案/委员 when the texts say so."""
        for entry in self.kinds.values():
            markers = entry.get("markers", ())
            if markers and any(m in t for t in texts for m in markers):
                return str(entry["noun"]), str(entry["addressee"])
        default = self.kinds.get("suggestion", {"noun": "建议", "addressee": "代表"})
        return str(default["noun"]), str(default["addressee"])

    def is_next_step(self, sentence: str) -> bool:
        return any(m in sentence for m in self.next_markers)


def _strings(section: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(str(v) for v in section.get(key, ()))


@cache
def reply_template() -> ReplyTemplate:
    """The packaged template (one read per process)."""
    try:
        raw = resources.files("rag").joinpath(TEMPLATE_FILE).read_text(encoding="utf-8")
        data = tomllib.loads(raw)
    except (FileNotFoundError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"复函模板 rag/{TEMPLATE_FILE} 缺失或格式有误（{exc}）：请确认安装包完整。") from exc
    suggestion, register = data.get("suggestion", {}), data.get("register", {})
    return ReplyTemplate(
        frame={k: str(v) for k, v in data.get("frame", {}).items()},
        placeholders={k: str(v) for k, v in data.get("placeholders", {}).items()},
        prefixes=_strings(suggestion, "prefixes"),
        suffixes=_strings(suggestion, "suffixes"),
        aspects=_strings(suggestion, "aspects"),
        max_asks=int(suggestion.get("max_asks", 6)),
        frame_markers=_strings(register, "frame_markers"),
        next_markers=_strings(register, "next_markers"),
        opening_markers=_strings(register, "opening_markers"),
        closing_markers=_strings(register, "closing_markers"),
        kinds=dict(data.get("kinds", {})),
    )
