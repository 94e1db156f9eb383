"""Data in and out: ``liaison import``, ``liaison export``, ``liaison dedupe``, ``liaison person``.

Thin: the work is in ``importer`` (plan/apply/export/report) and ``store.dedupe``, ``store.merge``, ``store.person`` and ``store.erasure`` (duplicates, merge,
erasure); this module prints previews and progress and asks before writing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..domain.errors import LiaisonError
from ..domain.i18n import register, t
from ..domain.validation import field_label
from .context import CliContext
from .help_i18n import LocalizedGroup

register(
    {
        "data.err.both": ("Use either --dry-run or --yes, not both.", "--dry-run 与 --yes 只能选一个。"),
        "data.err.map": (
            "Use --map HEADER=FIELD with a field from: {fields} (got '{value}').",
            "请使用 --map 表头=字段，字段可选：{fields}（收到“{value}”）。",
        ),
        "data.err.take": (
            "Use --take FIELD=keep|other (got '{value}').",
            "请使用 --take 字段=keep|other（收到“{value}”）。",
        ),
        "data.mapping": ("Columns", "列对应关系"),
        "data.col.header": ("Column in the file", "文件中的列"),
        "data.col.field": ("Imported as", "导入为"),
        "data.col.row": ("Row", "行"),
        "data.col.result": ("Result", "结果"),
        "data.file": (
            "{name}: {kind}, {rows} rows, header on row {header}{encoding}",
            "{name}：{kind}，{rows} 行，表头在第 {header} 行{encoding}",
        ),
        "data.skipped": ("Skipped row {row}: {reason}", "跳过第 {row} 行：{reason}"),
        "data.summary": (
            "{create} new, {update} update existing contacts, {unchanged} already up to date, "
            "{duplicate} duplicate rows combined, {suspect} look like existing contacts, {failed} failed",
            "新建 {create} 人，更新已有联系人 {update} 人，{unchanged} 人已是最新，合并文件内重复行 {duplicate} 行，"
            "疑似重复 {suspect} 人，失败 {failed} 行",
        ),
        "data.previous": ("This file was already imported on {at}.", "该文件已于 {at} 导入过。"),
        "data.more_rows": (
            "… {count} more rows (use --show to list more)",
            "…… 还有 {count} 行（用 --show 显示更多）",
        ),
        "data.dry_run": ("Dry run: nothing was written.", "试运行：未写入任何数据。"),
        "data.confirm": ("Import now?", "现在导入吗？"),
        "data.done": (
            "Imported: {create} new, {update} updated. Batch {batch}.",
            "导入完成：新建 {create} 人，更新 {update} 人。批次 {batch}。",
        ),
        "data.mapping_saved": ("Saved the column mapping as '{name}'.", "已将列对应关系保存为“{name}”。"),
        "data.nothing": ("Nothing written.", "未写入任何数据。"),
        "data.exported": ("Exported {count} records to {path}", "已导出 {count} 条记录到 {path}"),
        "data.dedupe.none": ("No likely duplicates.", "没有发现疑似重复。"),
        "data.dedupe.count": (
            "{count} likely duplicate pairs (strongest first).",
            "共 {count} 对疑似重复（按可能性排序）。",
        ),
        "data.col.keep": ("Keep", "保留"),
        "data.col.other": ("Merge in", "并入"),
        "data.col.why": ("Why", "原因"),
        "data.col.field2": ("Field", "字段"),
        "data.col.value": ("Result", "合并结果"),
        "data.merge.moves": ("Moves to the kept contact: {moves}", "将转移到保留联系人：{moves}"),
        "data.merge.confirm": ("Merge these two contacts?", "确认合并这两个联系人？"),
        "data.merge.done": ("Merged {other} into {keep}.", "已将 {other} 合并到 {keep}。"),
        "data.dismissed": ("Will not propose this pair again.", "以后不再提示这一对。"),
        "data.person.written": ("Wrote {paths}", "已写入 {paths}"),
        "data.erase.confirm": (
            "Erase the personal data of {id}? This cannot be undone.",
            "确认删除 {id} 的个人信息？此操作不可撤销。",
        ),
        "data.erase.done": (
            "Erased the personal data of {count} record(s); case statistics kept. Every other copy is "
            "erased as it syncs.",
            "已删除 {count} 条记录中的个人信息；保留了事项统计数据。其他所有副本将在同步时删除。",
        ),
    }
)

_err = Console(stderr=True)


@contextmanager
def _progress(labels: dict[str, str]) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar per phase on stderr; yields the callback the importer calls."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_err,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(labels.get(phase, phase), total=max(total, 1))
            bar.update(tasks[phase], completed=done, total=max(total, 1))

        yield update


def _phase_labels() -> dict[str, str]:
    return {p: t(f"import.phase.{p}") for p in ("read", "match", "write", "index")}


# ---------------------------------------------------------------- import


@click.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mapping", "mapping_name", help="Use a saved column mapping. 使用已保存的列对应关系。")
@click.option("--save-mapping", help="Save the mapping used under this name. 保存列对应关系。")
@click.option("--map", "overrides", multiple=True, metavar="HEADER=FIELD", help="Map a column (repeatable).")
@click.option("--dry-run", is_flag=True, help="Preview only; write nothing. 仅预览。")
@click.option("--yes", is_flag=True, help="Import without asking. 不询问直接导入。")
@click.option("--strict", is_flag=True, help="Refuse the file if any row fails. 有任何失败行则整体不导入。")
@click.option("--show", type=int, default=30, show_default=True, help="Rows to list in the preview.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan/result as JSON.")
@click.pass_obj
def import_(
    obj: CliContext,
    file: Path,
    mapping_name: str | None,
    save_mapping: str | None,
    overrides: tuple[str, ...],
    dry_run: bool,
    yes: bool,
    strict: bool,
    show: int,
    as_json: bool,
) -> None:
    """Import contacts from CSV, Excel (.xlsx) or vCard. 导入联系人。"""
    from ..importer.apply import apply_import
    from ..importer.mapping import CANONICAL_FIELDS, Mapping
    from ..importer.plan import fingerprint, plan_import
    from ..importer.readers import configured_limits, load_bytes, read_bytes
    from ..importer.saved_mappings import adapt, load_mapping
    from ..importer.saved_mappings import save_mapping as store_mapping

    if dry_run and yes:
        raise LiaisonError("data.err.both")
    limits = configured_limits(obj.settings.import_max_rows, obj.settings.import_max_mb)
    data = load_bytes(file, limits)
    table = read_bytes(data, file.name, limits)
    store = obj.open_store()
    mapping = (
        adapt(load_mapping(store, mapping_name), table.headers)
        if mapping_name
        else Mapping.guess(save_mapping or file.stem, table.headers)
    )
    columns = dict(mapping.columns)
    for pair in overrides:
        header, _, target = pair.partition("=")
        if not target or target.strip() not in CANONICAL_FIELDS or header.strip() not in columns:
            raise LiaisonError("data.err.map", fields=", ".join(CANONICAL_FIELDS), value=pair)
        columns[header.strip()] = target.strip()
    mapping = Mapping.model_validate({"name": save_mapping or mapping.name, "columns": columns})
    out = Console()
    if not as_json:
        _print_file(out, file.name, table, mapping.columns)
    with _progress(_phase_labels()) as progress:
        plan = plan_import(
            store,
            table,
            mapping,
            file_name=file.name,
            sha256=fingerprint(data),
            lang=obj.lang,
            progress=progress,
        )
    if save_mapping:
        store_mapping(store, mapping)
    if as_json and dry_run:
        click.echo(json.dumps(_plan_json(plan, obj.lang), ensure_ascii=False, indent=2))
        return
    if not as_json:
        _print_plan(out, plan, show, obj.lang)
        if save_mapping:
            out.print(t("data.mapping_saved", name=save_mapping))
    if dry_run:
        out.print(t("data.dry_run"))
        return
    if not yes and not click.confirm(t("data.confirm"), default=False):
        out.print(t("data.nothing"))
        return
    stop = threading.Event()
    with _progress(_phase_labels()) as progress:
        result = apply_import(
            store, plan, strict=strict, progress=progress, cancel=stop.is_set, lang=obj.lang
        )
    if as_json:
        click.echo(json.dumps({"batch": result.batch_id, "counts": result.counts}, ensure_ascii=False))
        return
    out.print(
        t("data.done", create=result.counts["create"], update=result.counts["update"], batch=result.batch_id)
    )


def _print_file(out: Console, name: str, table: Any, columns: dict[str, str]) -> None:
    encoding = f", {table.encoding}" if table.encoding else ""
    out.print(
        t(
            "data.file",
            name=name,
            kind=table.source_kind,
            rows=len(table.rows),
            header=table.header_row,
            encoding=encoding,
        )
    )
    grid = Table(title=t("data.mapping"), show_lines=False)
    grid.add_column(t("data.col.header"))
    grid.add_column(t("data.col.field"))
    for header, target in columns.items():
        grid.add_row(header, "—" if target == "ignore" else field_label(target))
    out.print(grid)
    for row, reason in table.skipped:
        out.print(t("data.skipped", row=row, reason=t(f"import.skip.{reason}")), style="dim")


def _print_plan(out: Console, plan: Any, show: int, lang: str) -> None:
    for previous in plan.previous_imports:
        out.print(t("data.previous", at=previous["at"]), style="yellow")
    grid = Table()
    grid.add_column(t("data.col.row"), justify="right")
    grid.add_column(t("data.col.result"))
    order = {"failed": 0, "duplicate": 1, "update": 3, "create": 4}
    notable = sorted(
        (r for r in plan.rows if r.action != "unchanged"),
        key=lambda r: (order[r.action] - (2 if r.suspects else 0), r.number),
    )
    for row in notable[:show]:
        style = {"failed": "red", "duplicate": "yellow", "create": "green"}.get(row.action, "")
        grid.add_row(str(row.number), row.describe(lang), style=style)
    if notable:
        out.print(grid)
    if len(notable) > show:
        out.print(t("data.more_rows", count=len(notable) - show))
    out.print(t("data.summary", **plan.counts), style="bold")


def _plan_json(plan: Any, lang: str) -> dict[str, Any]:
    return {
        "counts": plan.counts,
        "mapping": plan.mapping.columns,
        "rows": [
            {
                "row": r.number,
                "action": r.action,
                "contact_id": r.contact_id,
                "same_as": r.same_as,
                "suspects": r.suspects,
                "detail": r.describe(lang),
            }
            for r in plan.rows
        ],
    }


# ---------------------------------------------------------------- export


@click.command()
@click.argument("kind", type=click.Choice(["contacts", "cases"]))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "vcard"]),
    default=None,
    help="Default: from the file extension.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_obj
def export(obj: CliContext, kind: str, fmt: str | None, output: Path) -> None:
    """Export contacts or cases (CSV, XLSX, vCard). 导出联系人或服务事项。"""
    from ..importer.export import export as run_export

    fmt = fmt or {".xlsx": "xlsx", ".vcf": "vcard", ".vcard": "vcard"}.get(output.suffix.lower(), "csv")
    store = obj.open_store()
    obj.require(kind, "export")
    with _progress({"export": str(output.name)}) as progress:
        count = run_export(
            store,
            kind,
            fmt,
            output,
            lang=obj.lang,
            progress=lambda done, total: progress("export", done, total),
        )
    Console().print(t("data.exported", count=count, path=output))
    if kind == "contacts":
        _warn_consent(store)


def _warn_consent(store: Any) -> None:
    """An export carries people's data off the store: say who has not agreed to be contacted."""
    from ..domain.consent import NEEDED_FOR_EXPORT
    from ..domain.text import inert
    from ..store.consent import count_without_consent, names_of, without_consent

    missing = count_without_consent(store, NEEDED_FOR_EXPORT)
    if missing:
        names = names_of(store, [r["id"] for r in without_consent(store, NEEDED_FOR_EXPORT, limit=5)])
        more = ", …" if missing > len(names) else ""
        click.secho(
            inert(t("consent.warn_export", count=missing, names=", ".join(names) + more)),
            fg="yellow",
            err=True,
        )


# ---------------------------------------------------------------- dedupe


@click.group(cls=LocalizedGroup, invoke_without_command=True)
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def dedupe(ctx: click.Context, limit: int, as_json: bool) -> None:
    """List likely duplicate contacts; `dedupe merge KEEP OTHER` merges. 查找重复联系人。"""
    if ctx.invoked_subcommand is not None:
        return
    from ..store.dedupe import find_duplicates
    from ..store.imports import contact_display_names

    obj: CliContext = ctx.obj
    store = obj.open_store()
    with _progress({"scan": "dedupe"}) as progress:
        pairs = find_duplicates(store, progress=lambda d, n: progress("scan", d, n))
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "keep": p.keep,
                        "other": p.other,
                        "score": p.score,
                        "reasons": [r.kind for r in p.reasons],
                    }
                    for p in pairs[:limit]
                ],
                ensure_ascii=False,
            )
        )
        return
    out = Console()
    if not pairs:
        out.print(t("data.dedupe.none"))
        return
    names = contact_display_names(store, {i for p in pairs[:limit] for i in (p.keep, p.other)})
    grid = Table()
    for key in ("data.col.keep", "data.col.other", "data.col.why"):
        grid.add_column(t(key))
    for pair in pairs[:limit]:
        why = ", ".join(dict.fromkeys(r.label(obj.lang) for r in pair.reasons))
        grid.add_row(
            f"{names.get(pair.keep, '')}\n{pair.keep}", f"{names.get(pair.other, '')}\n{pair.other}", why
        )
    out.print(grid)
    out.print(t("data.dedupe.count", count=len(pairs)))


@dedupe.command()
@click.argument("keep")
@click.argument("other")
@click.option("--take", multiple=True, metavar="FIELD=keep|other", help="Which record's value a field takes.")
@click.option("--yes", is_flag=True)
@click.pass_obj
def merge(obj: CliContext, keep: str, other: str, take: tuple[str, ...], yes: bool) -> None:
    """Merge OTHER into KEEP, field by field. 合并两个联系人。"""
    from ..store.merge import merge_contacts, preview_merge

    choose: dict[str, str] = {}
    for pair in take:
        name, _, side = pair.partition("=")
        if side not in ("keep", "other"):
            raise LiaisonError("data.err.take", value=pair)
        choose[name.strip()] = side
    store = obj.open_store()
    preview = preview_merge(store, keep, other, choose)
    out = Console()
    grid = Table()
    for key in ("data.col.field2", "data.col.keep", "data.col.other", "data.col.value"):
        grid.add_column(t(key))
    for f in preview.fields:
        if f.keep in (None, "", []) and f.other in (None, "", []):
            continue
        grid.add_row(
            field_label(f.name),
            _cell(f.keep),
            _cell(f.other),
            _cell(f.value),
            style="bold" if f.differs else "dim",
        )
    out.print(grid)
    moves = ", ".join(f"{t(f'table.{k}')} {v}" for k, v in preview.moves.items() if v) or "—"
    out.print(t("data.merge.moves", moves=moves))
    if not yes and not click.confirm(t("data.merge.confirm"), default=False):
        out.print(t("data.nothing"))
        return
    merge_contacts(store, keep, other, choose, lang=obj.lang)
    out.print(t("data.merge.done", keep=keep, other=other))


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


@dedupe.command()
@click.argument("first")
@click.argument("second")
@click.pass_obj
def dismiss(obj: CliContext, first: str, second: str) -> None:
    """Mark a pair as two different people. 标记为不同的人。"""
    from ..store.dedupe import dismiss_pair

    dismiss_pair(obj.open_store(), first, second)
    Console().print(t("data.dismissed"))


# ---------------------------------------------------------------- person


@click.group(cls=LocalizedGroup)
def person() -> None:
    """One person's data: export for an access request, or erase (PIPL). 个人信息查阅与删除。"""


@person.command(name="export")
@click.argument("contact_id")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.pass_obj
def person_export(obj: CliContext, contact_id: str, output: Path) -> None:
    """Everything held about one person: JSON + readable report. 导出某人的全部信息。"""
    from ..importer.person_report import write_person_export

    paths = write_person_export(obj.open_store(), contact_id, output, lang=obj.lang)
    Console().print(t("data.person.written", paths=", ".join(str(p) for p in paths)))


@person.command()
@click.argument("contact_id")
@click.option(
    "--reason", required=True, help="Why (kept with the erasure; no personal data here). 删除原因。"
)
@click.option("--yes", is_flag=True)
@click.pass_obj
def erase(obj: CliContext, contact_id: str, reason: str, yes: bool) -> None:
    """Erase one person's personal data on every copy; keep anonymised case statistics. 删除某人的个人信息。"""
    from ..store.erasure import erase_person

    store = obj.open_store()
    obj.require("erasures", "create")
    if not yes and not click.confirm(t("data.erase.confirm", id=contact_id), default=False):
        Console().print(t("data.nothing"))
        return
    result = erase_person(store, contact_id, reason)
    Console().print(t("data.erase.done", count=len(result.contact_ids)))
