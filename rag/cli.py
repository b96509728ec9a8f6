"""The `rag` command line: the composition root.

Each command maps to one Assistant call; settings are built here (environment + flags) and passed
down. Heavy imports (models, gradio) happen inside the commands that need them so `rag --help`
stays instant.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from index.records import Filter
from rag.errors import RagError
from rag.filters import DATE_KEYS, FILTER_KEYS
from rag.models import VISIBILITIES, Answer, DocumentRecord
from rag.server.serialize import answer_json, hit_json
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.assistant import Assistant
    from rag.documents.ingest import ProgressCallback


def _fail(message: str, code: int = 1) -> NoReturn:
    click.secho(f"错误：{message}", fg="red", err=True)
    sys.exit(code)


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj["settings"]
    return settings


def _assistant(ctx: click.Context, *, for_rebuild: bool = False) -> Assistant:
    if "assistant" not in ctx.obj:
        from rag.assistant import Assistant

        ctx.obj["assistant"] = Assistant.from_settings(_settings(ctx), for_rebuild=for_rebuild)
    assistant: Assistant = ctx.obj["assistant"]
    return assistant


def _dump(obj: Any) -> None:
    """One JSON line, always valid UTF-8: a stray surrogate (an undecodable file name) is escaped, never fatal."""
    text = json.dumps(obj, ensure_ascii=False)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = json.dumps(obj, ensure_ascii=True).encode("ascii")
    click.echo(data)


def _safe(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _warn_failed(failed: Sequence[tuple[str, str]]) -> None:
    """One stderr line per file that was not ingested, with its reason."""
    for path, error in failed:
        click.secho(f"  ✗ {_safe(path)}: {_safe(error)}", fg="yellow", err=True)


def _notify(message: str) -> None:
    click.secho(message, fg="yellow", err=True)


def parse_filters(items: tuple[str, ...]) -> Filter | None:
    """KEY=VALUE pairs into a Filter; repeating a key allows any of its values."""
    equals: dict[str, list[str | None]] = {}
    dates: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise click.BadParameter(f"{item!r} 不是 KEY=VALUE 形式", param_hint="--filter")
        if key in DATE_KEYS:
            dates[key] = value.strip()
        elif key in FILTER_KEYS:
            equals.setdefault(key, []).append(value.strip())
        else:
            allowed = ", ".join(FILTER_KEYS + DATE_KEYS)
            raise click.BadParameter(f"未知的过滤字段 {key!r}；可用：{allowed}", param_hint="--filter")
    if not equals and not dates:
        return None
    return Filter(equals=equals, date_from=dates.get("date_from"), date_to=dates.get("date_to"))


def _read_queries(path: Path) -> Iterator[dict[str, Any]]:
    """The --queries file line by line, so answers stream out while later lines are still unread."""
    try:
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    _fail(f"{path} 第 {lineno} 行不是合法 JSON：{exc.msg}")
                if not isinstance(obj, dict) or "question" not in obj:
                    _fail(f'{path} 第 {lineno} 行缺少 question 字段：每行至少要有 {{"id": ..., "question": ...}}')
                yield obj
    except UnicodeDecodeError:
        _fail(f"{path} 不是 UTF-8 编码的文本：请另存为 UTF-8 后重试。")


@contextmanager
def _progress(enabled: bool) -> Iterator[ProgressCallback | None]:
    """A rich progress bar per stage on a terminal; nothing under --json or when piped."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=False
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(done: int, total: int, message: str) -> None:
            stage = message.split(" ", 1)[0]
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total, description=message[:40])

        yield update


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""\b
例子 / Examples:
  rag ingest eval/corpus/                      入库一个文件夹
  rag ask "铜梁区2023年规上工业总产值是多少？"
  rag search "新型储能" -k 3 --filter region=铜梁区
  rag eval --dataset eval/datasets/dev.jsonl --report reports/dev
  rag draft "关于加快工业经济发展的建议" --deputy 周练 --region 铜梁区 --docx 复函.docx
  rag serve --port 7860                        网页界面 + HTTP API（/docs）
设置：环境变量 RAG_*（见 README），RAG_HOME 默认 ./.rag""",
)
@click.option("--home", type=click.Path(path_type=Path), envvar="RAG_HOME", help="数据目录（默认 ./.rag）。")
@click.option("-v", "--verbose", count=True, help="输出日志（-v 信息，-vv 调试）。")
@click.version_option(None, "--version", package_name="gov-rag", prog_name="rag", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, verbose: int) -> None:
    """政务文件智能问答：入库、检索、带引用的回答、评测与网页界面。

    \b
    命令补全（bash；zsh/fish 把 bash 换成 zsh/fish）：
      eval "$(_RAG_COMPLETE=bash_source rag)"
    设置 NO_COLOR=1 可关闭彩色输出。
    """
    if os.environ.get("NO_COLOR"):  # https://no-color.org: any non-empty value turns colour off
        ctx.color = False
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        settings = Settings(home=home) if home is not None else Settings()
    except Exception as exc:  # pydantic ValidationError: a bad RAG_* variable
        _fail(f"设置有误：{exc}\n请检查 RAG_* 环境变量。", 2)
    ctx.obj = {"settings": settings}


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--visibility",
    type=click.Choice(VISIBILITIES),
    default=None,
    help="public：市民可见；internal：仅工作人员可见。不给出时：新文档为 public，已入库的文档保持原来的可见范围。",
)
@click.option("--json", "as_json", is_flag=True, help="只输出一行 JSON 摘要。")
@click.option("--rebuild", is_flag=True, help="用已登记的文档重建索引（换了向量模型或索引格式后使用）。")
@click.option(
    "--follow-symlinks",
    is_flag=True,
    default=None,
    help="导入指向本文件夹内部文件的符号链接（指向文件夹之外的链接始终跳过）。",
)
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    visibility: str | None,
    as_json: bool,
    rebuild: bool,
    follow_symlinks: bool | None,
) -> None:
    """入库文件或文件夹（.txt .md .html .docx .pdf；UTF-8 或 GBK）。

    文档以路径区分（相对于给出的文件夹，例如 corpus/sub/a.txt），同名文件不会互相覆盖。
    另一个写入操作正在进行时会等待（RAG_LOCK_TIMEOUT_S）。

    \b
    例子：
      rag ingest eval/corpus/
      rag ingest 内部材料/ --visibility internal --json
      rag ingest --rebuild
    """
    if not paths and not rebuild:
        raise click.UsageError("请给出至少一个文件或文件夹，或使用 --rebuild。")
    try:
        assistant = _assistant(ctx, for_rebuild=rebuild)
        with _progress(not as_json) as progress:
            if rebuild:
                n = assistant.rebuild(progress)
                if not as_json:
                    click.echo(f"已重建索引：{n} 个文本块。")
            if not paths:
                if as_json:
                    from rag.documents.ingest import IngestReport

                    _dump(IngestReport().to_json())  # nothing ingested, in the contract's shape
                return
            report = assistant.ingest(
                list(paths), visibility, progress, follow_symlinks=follow_symlinks or None, notify=_notify
            )
    except RagError as exc:
        _fail(_safe(str(exc)))
    if as_json:
        _dump(report.to_json())
    else:
        click.echo(
            f"新增 {report.added}，更新 {report.updated}，未变 {report.unchanged}，失败 {len(report.failed)}；"
            f"文本块 {report.chunks}。"
        )
        _warn_failed(report.failed)
        for path, reason in report.skipped:
            click.secho(f"  - {_safe(path)}: {_safe(reason)}", fg="bright_black", err=True)
    if report.failed and report.ingested == 0 and report.unchanged == 0:
        sys.exit(1)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def remove(ctx: click.Context, sources: tuple[str, ...], as_json: bool) -> None:
    """删除文档及其全部文本块：给出文件名（唯一时）或路径（rag docs 中的 path）。

    \b
    例子：
      rag remove 000_d5e02e9cc017770c.txt
      rag remove corpus/sub/通知.txt
    """
    try:
        removed = _assistant(ctx).remove(list(sources))
    except RagError as exc:
        _fail(str(exc))
    missing = [s for s in sources if s not in removed]
    if as_json:
        _dump({"removed": removed, "missing": missing})
    else:
        for s in removed:
            click.echo(f"已删除 {s}")
        for s in missing:
            click.secho(f"没有名为 {s} 的文档（用 rag docs 查看）", fg="yellow", err=True)
    if missing and not removed:
        sys.exit(1)


@cli.command()
@click.argument("source")
@click.argument("visibility", type=click.Choice(VISIBILITIES))
@click.pass_context
def visibility(ctx: click.Context, source: str, visibility: str) -> None:
    """修改文档的可见范围：给出文件名（唯一时）或路径。例子：rag visibility 000_d5e02e9cc017770c.txt internal"""
    try:
        _assistant(ctx).set_visibility(source, visibility)
    except RagError as exc:
        _fail(str(exc))
    click.echo(f"{source} 的可见范围已改为 {visibility}")


DOCS_PAGE = 50  # documents a terminal listing shows at a time (--all or --limit for more)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON 数组（不给 --limit/--offset 时为全部文档）。")
@click.option("--limit", type=click.IntRange(min=1), default=None, help=f"本页最多列出几个（终端默认 {DOCS_PAGE}）。")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="跳过前面几个（按路径排序）。")
@click.option("--all", "show_all", is_flag=True, help="列出全部文档，不分页。")
@click.pass_context
def docs(ctx: click.Context, as_json: bool, limit: int | None, offset: int, show_all: bool) -> None:
    """列出已入库文档及其元数据（标题、文号、发文机关、日期、地区、类型），按路径排序、分页。

    \b
    例子：
      rag docs                         前 50 个
      rag docs --offset 50             下一页
      rag docs --json                  全部文档的 JSON 数组（脚本用）
      rag docs --json --limit 100 --offset 200   一页的 JSON 数组；总数写在标准错误
    """
    if show_all and limit is not None:
        raise click.UsageError("--all 与 --limit 只能二选一。")
    # --json keeps its contract (every document) unless a page is asked for; a terminal gets a page
    paged = limit is not None or offset > 0 or not (as_json or show_all)
    size = None if show_all or not paged else (limit or DOCS_PAGE)
    try:
        records, total = _catalog(_settings(ctx), offset, size)
    except RagError as exc:
        _fail(str(exc))
    if as_json:
        _dump([d.to_json() for d in records])
        if paged:
            click.echo(f"共 {total} 个文档，本页第 {offset + 1}–{offset + len(records)} 个。", err=True)
        return
    if not total:
        click.echo("还没有文档。先运行：rag ingest 文件或文件夹")
        return
    names = [d.source for d in records]
    for d in records:
        m = d.meta
        shown = d.path if names.count(d.source) > 1 else d.source
        click.echo(f"{shown}  [{d.visibility}] {m.doc_type}  {d.meta.date or '-'}  块 {len(d.chunk_ids)}")
        click.echo(f"    {m.title}")
        if m.doc_number or m.issuer:
            click.echo(f"    {m.doc_number or ''}  {m.issuer or ''}  {m.region or ''}")
    if not records:
        click.echo(f"第 {offset + 1} 个之后没有文档了（共 {total} 个）。")
    elif paged:
        shown_to = offset + len(records)
        more = f"；下一页：rag docs --offset {shown_to}" if shown_to < total else ""
        click.echo(f"第 {offset + 1}–{shown_to} 个，共 {total} 个{more}（--all 列出全部）。")


def _catalog(settings: Settings, offset: int = 0, limit: int | None = None) -> tuple[list[DocumentRecord], int]:
    """A page of the documents as the registry lists them, and their total. Listing needs neither the
    embedding model nor the index, so `rag docs` works whatever RAG_EMBED_MODEL says and never loads a model."""
    from rag.documents.registry import open_registry, registry_exists

    if not registry_exists(settings):
        return [], 0
    registry = open_registry(settings)
    try:
        return registry.page(offset, limit)
    finally:
        registry.close()


@cli.command()
@click.argument("question", required=False)
@click.option("-k", "k", type=click.IntRange(1, 100), default=None, help="返回条数（默认 RAG_TOP_K=5）。")
@click.option("--json", "as_json", is_flag=True)
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="JSONL 批量查询。")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=VALUE",
    help="按元数据过滤：issuer, doc_number, region, doc_type, visibility, source, date_from, date_to。",
)
@click.option("--audience", type=click.Choice(["citizen", "staff"]), default="staff", show_default=True)
@click.pass_context
def search(
    ctx: click.Context,
    question: str | None,
    k: int | None,
    as_json: bool,
    queries: Path | None,
    filters: tuple[str, ...],
    audience: str,
) -> None:
    """检索文本块（不生成回答）。

    \b
    例子：
      rag search "规上工业总产值" -k 3
      rag search "储能" --filter region=合川区 --filter date_from=2023-01-01 --json
      rag search --queries questions.jsonl -k 10 --json
    """
    if (question is None) == (queries is None):
        raise click.UsageError("请给出一个问题，或用 --queries FILE.jsonl（二选一）。")
    flt = parse_filters(filters)
    try:
        assistant = _assistant(ctx)
        if queries is not None:
            for obj in _read_queries(queries):
                hits = assistant.search(str(obj["question"]), k, flt, audience)
                _dump({"id": obj.get("id"), "hits": [hit_json(i, h) for i, h in enumerate(hits, 1)]})
            return
        assert question is not None
        hits = assistant.search(question, k, flt, audience)
    except RagError as exc:
        _fail(str(exc))
    if as_json:
        _dump({"id": None, "hits": [hit_json(i, h) for i, h in enumerate(hits, 1)]})
        return
    if not hits:
        click.echo("没有找到相关内容。")
    for i, h in enumerate(hits, 1):
        click.secho(f"[{i}] {h.meta.get('title')}  ({h.meta.get('source')}, {h.score:.4f})", bold=True)
        click.echo(f"    {str(h.meta.get('display_text', h.text))[:200]}")


def _stream_answer(assistant: Assistant, question: str, audience: str) -> Answer:
    """Print verified sentences as the chain emits them (an LLM's answer appears while it is written)."""
    from rag.events import DoneEvent, RefusalEvent, TokenEvent

    answer: Answer | None = None
    for event in assistant.stream(question, (), audience):
        if isinstance(event, TokenEvent | RefusalEvent):
            click.echo(event.text, nl=False)
        elif isinstance(event, DoneEvent):
            answer = event.answer
    click.echo()
    if answer is None:
        raise RagError("回答流程没有给出结果：这是程序错误，请报告维护者。")
    return answer


@cli.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True)
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="JSONL 批量提问。")
@click.option(
    "--audience",
    type=click.Choice(["citizen", "staff"]),
    default="citizen",
    show_default=True,
    help="citizen 只检索公开文件；staff 含内部文件。",
)
@click.pass_context
def ask(ctx: click.Context, question: str | None, as_json: bool, queries: Path | None, audience: str) -> None:
    """提问，得到带编号引用的回答；文件中没有依据时明确拒答。QUESTION 为 - 时从标准输入逐行读取问题。

    \b
    例子：
      rag ask "铜梁区2023年规上工业总产值是多少？"
      rag ask "合川区新型储能产业产值目标是多少？" --json
      rag ask --queries questions.jsonl --json
      printf '问题一\n问题二\n' | rag ask - --json      每行一个问题，id 为行号
    """
    if (question is None) == (queries is None):
        raise click.UsageError("请给出一个问题，或用 --queries FILE.jsonl（二选一）。")
    try:
        assistant = _assistant(ctx)
        if queries is not None:
            for obj in _read_queries(queries):
                history = [tuple(t) for t in obj.get("history", [])]
                ans = assistant.ask(str(obj["question"]), history, audience)
                _dump(answer_json(obj.get("id"), ans))
            return
        assert question is not None
        if question == "-":
            _ask_lines(assistant, sys.stdin, audience, as_json)
            return
        if as_json:
            _dump(answer_json(None, assistant.ask(question, (), audience)))
            return
        ans = _stream_answer(assistant, question, audience)
    except RagError as exc:
        _fail(str(exc))
    _print_citations(ans)


def _print_answer(ans: Answer) -> None:
    click.echo(ans.answer)
    _print_citations(ans)


def _print_citations(ans: Answer) -> None:
    for c in ans.citations:
        click.secho(f"[{c.n}] {c.title}（{c.source}）", fg="cyan")
        click.echo(f"    “{c.quote}”")


def _ask_lines(assistant: Assistant, lines: Iterable[str], audience: str, as_json: bool) -> None:
    """One question per non-empty line; a bad question is reported on its own line and the rest go on."""
    for lineno, line in enumerate(lines, 1):
        question = line.strip()
        if not question:
            continue
        try:
            ans = assistant.ask(question, (), audience)
        except RagError as exc:
            if as_json:
                _dump({"id": lineno, "error": str(exc)})
            else:
                click.secho(f"第 {lineno} 行：{exc}", fg="red", err=True)
            continue
        if as_json:
            _dump(answer_json(lineno, ans))
        else:
            click.secho(f"问：{question}", bold=True)
            _print_answer(ans)
            click.echo()


@cli.command()
@click.argument("title")
@click.option(
    "--text-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="建议正文（UTF-8 或 GBK 文本文件）；起草时逐条回应其中的诉求。",
)
@click.option("--deputy", default="", help="代表（委员）姓名，例如 周练。")
@click.option("--number", default="", help="建议编号，例如 第61号。")
@click.option("--session", default="", help="会议届次，例如 区十九届人大六次会议。")
@click.option("--office", "--issuer", "office", default="", help="承办单位，例如 区经济信息委。")
@click.option("--region", default="", help="承办单位所在地区：只引用本地区、上级地区和中央文件，例如 铜梁区。")
@click.option(
    "--docx", "--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="另存为 .docx（公文格式）。"
)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：正文、分条表述、引用、待补充项。")
@click.pass_context
def draft(
    ctx: click.Context,
    title: str,
    text_file: Path | None,
    deputy: str,
    number: str,
    session: str,
    office: str,
    region: str,
    out: Path | None,
    as_json: bool,
) -> None:
    """起草人大代表建议（政协提案）复函：每条表述都标注来源（含内部文件），缺少依据处留【待补充】。

    \b
    例子：
      rag draft "关于加快全区工业经济发展的建议" --deputy 周练 --number 第61号 \\
          --session 区十九届人大六次会议 --office 区经济信息委 --region 铜梁区 --docx 复函.docx
      rag draft "关于加强垃圾分类工作的建议" --text-file 建议正文.txt --region 上街区 --json
    """
    from rag.drafting import Suggestion

    try:
        suggestion = Suggestion.from_inputs(
            title, text_file, deputy=deputy, number=number, session=session, office=office, region=region
        )
        assistant = _assistant(ctx)
        reply = assistant.draft_reply(suggestion)
        if out is not None:
            assistant.export_reply_docx(reply, out)
    except RagError as exc:
        _fail(str(exc))
    if as_json:
        _dump(reply.to_json())
    else:
        click.echo(reply.text())
    if out is not None:
        click.echo(f"已保存 {out}", err=True)


@cli.command(name="eval")
@click.option("--dataset", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="评测集 JSONL。")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path), help="报告输出目录。")
@click.option("-k", "k", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--baselines", is_flag=True, help="同时评测 LangChain 基线检索器，输出对比表。")
@click.option("--compare", nargs=2, type=click.Path(exists=True, path_type=Path), help="比较两份 report.json。")
@click.option(
    "--ingest",
    "ingest_path",
    type=click.Path(exists=True, path_type=Path),
    help="评测前先入库这个文件夹（例如 eval/corpus）。",
)
@click.pass_context
def eval_cmd(
    ctx: click.Context,
    dataset: Path | None,
    report_dir: Path | None,
    k: int,
    baselines: bool,
    compare: tuple[Path, Path] | None,
    ingest_path: Path | None,
) -> None:
    """在评测集上计算检索、回答、引用、拒答和延迟指标。

    \b
    例子：
      rag eval --dataset eval/datasets/dev.jsonl --report reports/dev
      rag eval --dataset eval/datasets/dev.jsonl --baselines
      rag eval --compare reports/a/report.json reports/b/report.json
    """
    if compare:
        from eval.compare import compare as compare_reports

        click.echo(compare_reports(compare[0], compare[1]))
        return
    if dataset is None:
        raise click.UsageError("请用 --dataset 指定评测集，或用 --compare 比较两份报告。")
    from eval.report import render_table
    from eval.runner import run_eval

    try:
        assistant = _assistant(ctx)
        if ingest_path is not None:
            _warn_failed(assistant.ingest([ingest_path]).failed)
        report = run_eval(assistant, dataset, report_dir, k=k, baselines=baselines, progress=sys.stderr.isatty())
    except RagError as exc:
        _fail(str(exc))
    except OSError as exc:  # the report folder cannot be written
        _fail(
            f"无法写入评测报告（{exc.strerror or exc}：{exc.filename or report_dir}）：请检查 --report 的路径和写权限。"
        )
    click.echo(render_table(report))
    if report_dir is not None:
        click.echo(f"报告已写入 {report_dir}")


def _serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    settings = _settings(ctx)
    try:
        assistant = _assistant(ctx)
    except RagError as exc:
        _fail(str(exc))
    from rag.server.app import create_app, run
    from ui.app import mount

    host, port = host or settings.ui_host, port or settings.ui_port
    app = create_app(assistant, settings, lambda api: mount(api, assistant, settings))
    click.echo(f"网页界面 http://{host}:{port}/  ·  API 文档 http://{host}:{port}/docs", err=True)
    try:
        run(app, host, port)
    except RagError as exc:
        _fail(str(exc))


_HOST = click.option("--host", default=None, help="监听地址（默认 RAG_UI_HOST=127.0.0.1）。")
_PORT = click.option("--port", type=int, default=None, help="端口（默认 RAG_UI_PORT=7860）。")


@cli.command()
@_HOST
@_PORT
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """启动服务：网页界面在 /，HTTP API 在 /api 与 /v1（OpenAI 兼容），接口文档在 /docs。

    \b
    例子：
      rag serve --port 7860
      RAG_API_TOKEN=换成随机长串 rag serve --host 0.0.0.0     启用工作人员接口
    """
    _serve(ctx, host, port)


@cli.command()
@_HOST
@_PORT
@click.pass_context
def ui(ctx: click.Context, host: str | None, port: int | None) -> None:
    """只启动网页界面（市民问答 + 工作人员工作台）。要同时提供 HTTP API，请用 rag serve。例子：rag ui --port 7860"""
    settings = _settings(ctx)
    try:
        assistant = _assistant(ctx)
    except RagError as exc:
        _fail(str(exc))
    from ui.app import launch

    try:
        launch(assistant, settings, host, port)  # launch falls back to RAG_UI_HOST / RAG_UI_PORT
    except RagError as exc:  # the port is taken: the message says so and what to do
        _fail(str(exc))
    except OSError as exc:
        where = f"{host or settings.ui_host}:{port or settings.ui_port}"
        _fail(f"无法在 {where} 启动网页界面（{exc}）：请用 --port 换一个端口。")


@cli.command(name="ensure-sample")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_context
def ensure_sample(ctx: click.Context, corpus: Path) -> None:
    """RAG_HOME 为空时入库示例语料（make run 使用）。"""
    try:
        assistant = _assistant(ctx)
        existing = assistant.doc_count()
        if existing:
            click.echo(f"{_settings(ctx).home} 已有 {existing} 个文档，跳过示例语料入库。")
            return
        with _progress(True) as progress:
            report = assistant.ingest([corpus], "public", progress)
    except RagError as exc:
        _fail(str(exc))
    click.echo(f"已入库示例语料：{report.added} 个文档，{report.chunks} 个文本块。")
    if report.failed:
        _fail("; ".join(f"{p}: {e}" for p, e in report.failed))


def main() -> None:
    try:
        cli(prog_name="rag")
    except Exception as exc:  # the last resort: a clean message instead of a traceback
        logging.getLogger("rag").debug("unexpected error", exc_info=True)
        _fail(f"意外的内部错误（{type(exc).__name__}: {exc}）。加 -vv 重新运行可看到详细信息，请把它报告给维护者。")


if __name__ == "__main__":
    main()
