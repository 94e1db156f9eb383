"""``liaison report NAME``: the station's figures from this laptop's store, as tables, JSON, CSV or XLSX."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from ..domain.errors import LiaisonError
from ..domain.i18n import register, t
from .context import CliContext

register(
    {
        "report.cli.written": ("Wrote {path}", "已写入 {path}"),
        "report.cli.need_output": ("--xlsx needs -o FILE.", "--xlsx 需要用 -o 指定文件。"),
        "report.cli.one_format": ("Use one of --json, --csv, --xlsx.", "--json、--csv、--xlsx 只能选一个。"),
        "report.cli.bad_date": ("Not a date (YYYY-MM-DD): {value}", "不是有效日期（YYYY-MM-DD）：{value}"),
        "report.cli.list": ("Reports:", "可用报表："),
        "report.cli.consent": (
            "People without valid consent (--purpose, default recruitment_contact)",
            "缺少有效同意的人员（--purpose，默认 recruitment_contact）",
        ),
        "report.cli.timing": ("Computed in {seconds:.2f} s.", "计算用时 {seconds:.2f} 秒。"),
        "report.err.export": (
            "Your role ({role}) may not export this report.",
            "您的角色（{role}）不能导出此报表。",
        ),
    }
)


def _day(value: str | None, *, after: bool = False) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise LiaisonError("report.cli.bad_date", value=value) from None
    return day + timedelta(days=1) if after else day


@click.command()
@click.argument("name", required=False)
@click.option("--year", type=int, help="Calendar year (station time). 统计年度。")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day. 开始日期。")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day (included). 结束日期（含）。")
@click.option("--owner", help="A staff member's user name. 负责人用户名。")
@click.option("--chain", help="An industry chain code (ai, biomedicine, …). 产业链代码。")
@click.option("--json", "as_json", is_flag=True, help="JSON. 输出 JSON。")
@click.option("--csv", "as_csv", is_flag=True, help="CSV (to -o FILE, else to the terminal). 输出 CSV。")
@click.option(
    "--xlsx", "as_xlsx", is_flag=True, help="Excel workbook with a chart (needs -o). 输出带图表的 Excel。"
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file. 输出文件。"
)
@click.option(
    "--purpose",
    type=click.Choice(["recruitment_contact", "share_with_employer", "cross_border_transfer", "publicity"]),
    default="recruitment_contact",
    help="For `report consent`: the purpose asked about. 同意目的（用于 consent）。",
)
@click.pass_obj
def report(
    obj: CliContext,
    name: str | None,
    year: int | None,
    start: str | None,
    end: str | None,
    owner: str | None,
    chain: str | None,
    as_json: bool,
    as_csv: bool,
    as_xlsx: bool,
    output: Path | None,
    purpose: str,
) -> None:
    """The station's reports: services, pipeline, talent_map, events, introductions, workload, quality;
    and consent (the people without valid consent, as `liaison consent missing`). 统计报表。"""
    from ..importer.report_text import title
    from ..store import reports
    from ..store.reports.model import Params

    if not name:
        click.echo(t("report.cli.list"))
        for key in reports.REPORTS:
            click.echo(f"  {key:<14} {title(key)} — {t('report.desc.' + key)}")
        click.echo(f"  {'consent':<14} {t('report.cli.consent')}")
        return
    if name.strip().lower() == "consent":  # a list of people, not figures: the consent ledger's own query
        from .consent_cmd import missing

        click.get_current_context().invoke(missing, purpose=purpose, limit=100_000, as_json=as_json)
        return
    if sum((as_json, as_csv, as_xlsx)) > 1:
        raise LiaisonError("report.cli.one_format")
    if as_xlsx and output is None:
        raise LiaisonError("report.cli.need_output")
    params = Params(year=year, start=_day(start), end=_day(end, after=True), owner=owner, chain=chain)
    store = obj.open_store()
    now = datetime.now().astimezone()
    key = reports.canonical(name)
    scope = reports.scope_of(store.conn, obj.settings.user)
    if (output is not None or as_csv or as_xlsx) and not scope.may_export(reports.export_table(key)):
        raise LiaisonError(
            "report.err.export",
            role=t(f"enum.StaffRole.{scope.role}") if scope.role != "local" else scope.role,
        )
    with store.lock:
        result = reports.run(store.conn, key, params, now=now, scope=scope)
    if as_json:
        text = json.dumps(_as_json(result), ensure_ascii=False, indent=2)
        if output is not None:
            from ..private_files import private_open

            with private_open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            click.echo(t("report.cli.written", path=output), err=True)
        else:
            click.echo(text)
        return
    if as_csv or as_xlsx:
        from ..importer.report_export import write

        if output is None:  # CSV to the terminal
            import tempfile

            with tempfile.TemporaryDirectory() as folder:
                path = write(result, "csv", Path(folder) / "report.csv", obj.lang)
                click.echo(path.read_text(encoding="utf-8-sig"), nl=False)
            return
        write(result, "xlsx" if as_xlsx else "csv", output, obj.lang)
        click.echo(t("report.cli.written", path=output), err=True)
        return
    _print(result, obj.lang)


def _as_json(result: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return {
        "report": result.name,
        "available": result.available,
        "period": result.period,
        "params": result.params.to_dict(),
        "scope": result.scope,
        "generated_at": result.generated_at.isoformat() if result.generated_at else None,
        "staff": result.staff,
        "chart": asdict(result.chart) if result.chart else None,
        "sections": [
            {
                "key": s.key,
                "columns": [c.key for c in s.columns],
                "rows": [
                    {
                        **r.cells,
                        **({"_total": True} if r.total else {}),
                        **({"_drill": asdict(r.drill)} if r.drill else {}),
                    }
                    for r in s.rows
                ],
            }
            for s in result.sections
        ],
    }


def _print(result: Any, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..importer.report_text import cell, header, notes, scope_line, title

    console = Console(highlight=False)
    console.print(f"[bold]{title(result.name, lang)}[/bold]  {scope_line(result, lang)}")
    for line in notes(result, lang):
        console.print(f"[yellow]{line}[/yellow]")
    if not result.available:
        console.print(t("report.unavailable", lang, name=title(result.name, lang)))
        return
    for section in result.sections:
        if not section.on_screen:
            continue
        table = Table(title=t(section.title, lang), title_justify="left", show_edge=False)
        for column in section.columns:
            numeric = column.kind in ("int", "pct", "days")
            table.add_column(header(column, lang), justify="right" if numeric else "left")
        for row in section.rows:
            table.add_row(
                *[cell(c, row, result, lang) for c in section.columns], style="bold" if row.total else None
            )
        console.print(table)
    console.print(f"[dim]{t('report.cli.timing', lang, seconds=result.seconds)}[/dim]")
