"""National gazetteer: every province, prefecture-level and county-level division with its short forms.

Loaded from rag/lang/data/gazetteer.tsv (built once by eval/tools/build_gazetteer.py from
maintained administrative-division packages; sources and dates in the file header; abolished or
renamed divisions kept as aliases or ``historical`` rows for older documents), plus an optional
gazetteer_extra.tsv in the same format for places below or beside the official list. Short forms that
are ordinary words are removed at load time by place_exclusions.txt. Matching runs on an
offset-preserving simplified copy of the text, so 懷化市 is found as 怀化市 at the same offsets.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import rjieba

from rag.lang.data import data_path, read_list, read_optional_table, read_table
from rag.lang.normalize import MASK, fold_aligned, to_simplified

log = logging.getLogger(__name__)

Level = Literal["province", "prefecture", "county"]
_DEPTH: dict[str, int] = {"province": 0, "prefecture": 1, "county": 2}
EXTRA_FILE = "gazetteer_extra.tsv"


@dataclass(frozen=True)
class Place:
    """One administrative division."""

    code: str  # 6-digit administrative-division code, e.g. "500151"
    name: str  # full official name, e.g. "铜梁区"
    short: tuple[str, ...]  # short forms safe to match alone, e.g. ("铜梁",)
    level: Level
    parent: str | None  # parent code (None for provinces)
    historical: bool = False  # abolished or renamed since (渝北区 before the 2025 list), kept for older documents

    @property
    def depth(self) -> int:
        """0 for a province, 1 for a prefecture, 2 for a county-level division."""
        return _DEPTH[self.level]


@dataclass(frozen=True)
class PlaceMention:
    """A place found in a text: ``text[start:end] == surface``."""

    place: Place
    start: int
    end: int
    surface: str


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    candidates: tuple[Place, ...]
    short: bool  # matched a short form, not a full name


_WINDOW = 8  # characters of context each side when checking word boundaries


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    """True when jieba's segmentation of the surroundings has word boundaries at ``start`` and ``end``.

    A short form inside a word is no place: 和政 in 党和政府, 公安 in 公安局, 富裕 in 共同富裕.
    """
    lo = max(0, start - _WINDOW)
    bounds, pos = {lo}, lo
    for token in rjieba.cut(text[lo : min(len(text), end + _WINDOW)]):
        pos += len(token)
        bounds.add(pos)
    return start in bounds and end in bounds


LEVEL_NAMED_MIN = 3  # 清原县 yes; 和县-like two-character surfaces stay words to check


@lru_cache(maxsize=1)
def _level_endings() -> frozenset[str]:
    """Last characters of the division suffixes (rag/lang/data/place_suffixes.txt: 省 市 区 县 州 旗 …)."""
    return frozenset(s[-1] for s in read_list("place_suffixes.txt") if s)


def _level_named(surface: str) -> bool:
    """The surface ends in a level word and is long enough not to be an ordinary word."""
    return len(surface) >= LEVEL_NAMED_MIN and surface[-1] in _level_endings()


class Gazetteer:
    """Lookup and longest-match recognition of places; ambiguity is settled by the text's other places."""

    def __init__(
        self,
        places: Iterable[Place],
        national_terms: Sequence[str] = (),
        needs_context: Iterable[str] = (),
        secondary: Sequence[str] = (),
    ) -> None:
        self._by_code: dict[str, Place] = {}
        self._by_surface: dict[str, list[Place]] = defaultdict(list)
        for place in places:
            self._by_code[place.code] = place
            for surface in (place.name, *place.short):
                if place not in self._by_surface[surface]:
                    self._by_surface[surface].append(place)
        self._lengths: dict[str, list[int]] = defaultdict(list)
        for surface in self._by_surface:
            if len(surface) not in self._lengths[surface[0]]:
                self._lengths[surface[0]].append(len(surface))
        for lengths in self._lengths.values():
            lengths.sort(reverse=True)
        # Where a surface may start: the scan jumps from one such character to the next (C speed)
        # instead of visiting every character in Python.
        firsts = "".join(sorted(c for c in self._lengths if c != MASK))
        self._first_chars = re.compile(f"[{re.escape(firsts)}]") if firsts else None
        # A surface of two or more characters starts with one of these pairs: one set lookup rules
        # out most positions before any longer slice is tried.
        self._pairs = frozenset(s[:2] for s in self._by_surface if len(s) >= 2)
        self._singles = frozenset(s for s in self._by_surface if len(s) == 1)
        self.national_terms = tuple(national_terms)
        self._needs_context = frozenset(needs_context)
        self._secondary = tuple(secondary)

    def __len__(self) -> int:
        return len(self._by_code)

    @property
    def places(self) -> list[Place]:
        """Every place, in code order."""
        return sorted(self._by_code.values(), key=lambda p: p.code)

    def get(self, code: str) -> Place | None:
        """The place with this code, or None."""
        return self._by_code.get(code)

    def lookup(self, name: str) -> list[Place]:
        """Places whose full name or short form is ``name`` (traditional or simplified); [] for 全国."""
        key = to_simplified("".join(name.split()))
        return list(self._by_surface.get(key, ()))

    def is_national(self, name: str) -> bool:
        """True for words that mean the whole country (全国, 国务院 …): central level, no place."""
        return to_simplified("".join(name.split())) in self.national_terms

    def ancestors(self, place: Place) -> list[Place]:
        """County -> prefecture -> province, nearest first."""
        out: list[Place] = []
        code = place.parent
        while code is not None and (parent := self._by_code.get(code)) is not None and parent not in out:
            out.append(parent)
            code = parent.parent
        return out

    def related(self, a: Place, b: Place) -> bool:
        """Same place, or one is an ancestor of the other."""
        return a == b or a in self.ancestors(b) or b in self.ancestors(a)

    def find(self, text: str) -> list[PlaceMention]:
        """Places mentioned in ``text``, left to right, longest match first.

        A surface shared by several places (朝阳: a Beijing district, a Liaoning city …) is kept only
        when the text's other places single one candidate out: the candidate itself, else one whose
        ancestor, else one whose descendant is mentioned unambiguously; otherwise it is dropped.
        Short forms must stand on word boundaries (jieba), and a county's short form, like a name
        that is also an ordinary word (老城区, place_needs_context.txt), needs the place itself or one
        of its ancestors named elsewhere in the text (万载 next to 宜春).
        """
        matches = self._scan(fold_aligned(text))
        chosen: dict[int, Place] = {i: m.candidates[0] for i, m in enumerate(matches) if len(m.candidates) == 1}
        for _ in range(2):  # a resolved mention can settle another one
            context = set(chosen.values())
            for i, m in enumerate(matches):
                if i not in chosen and (place := self._resolve(m, context)) is not None:
                    chosen[i] = place
        supported = {i for i, m in enumerate(matches) if i in chosen and self._supported(i, matches, chosen)}
        for i, m in enumerate(matches):
            if i in chosen and self._needs_support(chosen[i], m) and i not in supported:
                del chosen[i]
        return [
            PlaceMention(place=chosen[i], start=m.start, end=m.end, surface=text[m.start : m.end])
            for i, m in enumerate(matches)
            if i in chosen
        ]

    def most_specific(self, text: str) -> Place | None:
        """The deepest-level place mentioned (ties: the first mentioned); None for purely central text."""
        best: Place | None = None
        for mention in self.find(text):
            if best is None or mention.place.depth > best.depth:
                best = mention.place
        return best

    def _supported(self, i: int, matches: list[_Match], chosen: dict[int, Place]) -> bool:
        """Another mention backs mention ``i``: the place by another surface, an ancestor, or a sibling
        county named by its own short form (仪陇、营山: two counties of one prefecture). The same short
        form repeated is no support (a brand word used twice is still a brand word)."""
        place = chosen[i]
        for j, other in chosen.items():
            if j == i or (other == place and matches[j].short):
                continue
            if other == place or other in self.ancestors(place):
                return True
            if place.level == "county" and other.level == "county" and other.parent == place.parent:
                return True
        return False

    def _needs_support(self, place: Place, match: _Match) -> bool:
        return (match.short and place.level == "county") or (not match.short and place.name in self._needs_context)

    def _scan(self, folded: str) -> list[_Match]:
        # Matching skips masked pinyin annotations (懷(huái)化市); offsets map back through ``where``.
        where: Sequence[int]
        if MASK in folded:
            where = [i for i, ch in enumerate(folded) if ch != MASK]
            compact = "".join(folded[i] for i in where)
        else:
            where, compact = range(len(folded)), folded
        out: list[_Match] = []
        i, n = 0, len(compact)
        while i < n:
            if self._first_chars is None:
                break
            jump = self._first_chars.search(compact, i)
            if jump is None:
                break
            i = jump.start()
            if compact[i : i + 2] not in self._pairs and compact[i] not in self._singles:
                i += 1
                continue
            for length in self._lengths.get(compact[i], ()):
                surface = compact[i : i + length] if i + length <= n else ""
                places = self._by_surface.get(surface)
                if not places:
                    continue
                # an alias ending in its level word (清原县 for 清原满族自治县) is as plain as a full name
                short = all(p.name != surface for p in places) and not _level_named(surface)
                # a short form, or a two-character name (和县 in 建议和县政协, 范县 in 示范县), must be a word
                if (short or length <= 2) and not _on_word_boundaries(compact, i, i + length):
                    continue  # a shorter surface at the same position may still fit
                out.append(_Match(where[i], where[i + length - 1] + 1, tuple(places), short))
                i += length
                break
            else:
                i += 1
        return out

    def _resolve(self, match: _Match, context: set[Place]) -> Place | None:
        candidates = match.candidates

        def score(c: Place) -> int:
            if c in context:
                return 3
            if any(a in context for a in self.ancestors(c)):
                return 2
            if any(c in self.ancestors(p) for p in context):
                return 1
            return 0

        scored = [(score(c), c) for c in candidates]
        top = max(s for s, _ in scored)
        if top == 0:
            if match.short:
                return None
            # a shared full name without context: a current place outside the secondary regions wins
            primary = [c for c in candidates if not c.historical and not c.code.startswith(self._secondary)]
            return primary[0] if len(primary) == 1 else None
        group = [c for s, c in scored if s == top]
        if len(group) == 1:
            return group[0]
        # 辽宁省 … 朝阳: the city and its county 朝阳县 both fit; the one containing the others wins.
        heads = [c for c in group if all(o == c or c in self.ancestors(o) for o in group)]
        return heads[0] if len(heads) == 1 else None


def _rows_to_places(rows: Iterable[tuple[str, ...]], exclusions: set[str]) -> list[Place]:
    places = []
    for code, name, short, level, parent, status in rows:
        if level not in _DEPTH:
            log.warning("gazetteer row %s %s has unknown level %r; skipped", code, name, level)
            continue
        shorts = () if name in exclusions else tuple(s for s in short.split("|") if s and s not in exclusions)
        places.append(
            Place(
                code=code,
                name=name,
                short=shorts,
                level=level,  # type: ignore[arg-type]
                parent=parent or None,
                historical=status == "historical",
            )
        )
    return places


def load_gazetteer(*extra: Path) -> Gazetteer:
    """The gazetteer from gazetteer.tsv plus gazetteer_extra.tsv (if present) plus ``extra`` files.

    Rows of a later file replace earlier rows with the same code.
    """
    exclusions = set(read_list("place_exclusions.txt"))
    rows: list[tuple[str, ...]] = list(read_table("gazetteer.tsv", 6))
    for path in (data_path(EXTRA_FILE), *extra):
        rows.extend(read_optional_table(path, 6))
    by_code = {p.code: p for p in _rows_to_places(rows, exclusions)}
    return Gazetteer(
        by_code.values(),
        national_terms=read_list("national_terms.txt"),
        needs_context=read_list("place_needs_context.txt"),
        secondary=read_list("place_secondary.txt"),
    )


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared gazetteer (cached singleton; loading ~3,400 rows takes a few milliseconds)."""
    return load_gazetteer()
