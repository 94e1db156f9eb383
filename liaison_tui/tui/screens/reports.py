"""Reports: the station's figures with a chart and the table under it (``4`` or ``R``, and the palette).

Each report is computed in a thread worker on a read-only connection of its own, so it never holds the
store's lock and the screen never waits: switching reports interrupts the one still computing. Enter on a
bar or a row opens the records behind its figure: the case list or the contact list with that filter.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from ...domain.enums import IndustryChain
from ...domain.i18n import get_lang, t
from ...importer.report_text import cell, header, notes, scope_line, title
from ...store import reports as R
from ...store.reports.model import Params, Report, Row, Section
from .. import report_strings  # noqa: F401  (registers the messages)
from ..keymap import key
from ..widgets.nav_table import NavTable
from ..widgets.report_chart import ChartData, ReportChart
from .base import BaseScreen, Dialog
from .dialogs import ChoiceDialog

NAMES = list(R.REPORTS)


class ReportsScreen(BaseScreen):
    TITLE_KEY = "screen.reports"
    BINDINGS = [
        key("left_square_bracket", "step(-1)", "reports.previous"),
        key("right_square_bracket", "step(1)", "reports.next"),
        key("s", "section", "reports.section"),
        key("y", "period", "reports.period"),
        key("o", "owner", "reports.owner"),
        key("c", "chain", "reports.chain"),
        key("x", "export", "reports.export"),
    ]

    def __init__(self, name: str = "services", params: Params | None = None) -> None:
        super().__init__()
        self.name_ = R.canonical(name)
        self.params = params or Params()
        self.report: Report | None = None
        self.section_index = 0
        self._conn: Any = None
        self._conn_lock = threading.Lock()
        self._computing = False

    # ---------------------------------------------------------------- layout
    def compose_body(self) -> ComposeResult:
        yield Static(id="report-tabs")
        yield Static(id="report-info")
        yield ReportChart(id="report-chart")
        yield Static(id="report-section")
        yield NavTable(id="report-table")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#report-table", NavTable).focus()

    def on_unmount(self) -> None:
        if self._conn is not None:
            self._conn.interrupt()
            with self._conn_lock:
                self._conn.close()

    def screen_context(self) -> str:
        return title(self.name_)

    def relabel(self) -> None:
        super().relabel()
        self._show_tabs()
        if self.report is not None:
            self._show(self.report, keep=True)

    # ---------------------------------------------------------------- computing
    def open_report(self, name: str, params: Params | None = None) -> None:
        self.name_ = R.canonical(name)
        if params is not None:
            self.params = params
        self.section_index = 0
        if self.is_mounted:
            self.query_one("#report-chart", ReportChart).selected = 0
            self.relabel()
            self.reload()

    def reload(self) -> None:
        app = self.liaison
        if app.reader is None:
            return
        if self._conn is None:
            from ...store.queries import read_only

            store = app.store or app.reader
            self._conn = read_only(str(store.path), getattr(store, "key", None))
        self._conn.interrupt()  # a report still computing for an earlier choice is not wanted any more
        self._computing = True
        self._show_info()
        name, params, now, user = self.name_, self.params, app.now(), app.settings.user
        conn, lock = self._conn, self._conn_lock

        def work() -> None:
            with lock:
                try:
                    report = R.run(conn, name, params, now=now, username=user)
                except Exception as exc:
                    if "interrupt" not in str(exc):
                        self.app.call_from_thread(self._failed, exc)
                    return
            if (report.name, report.params) == (self.name_, self.params) or report.name == self.name_:
                self.app.call_from_thread(self._arrived, report)

        self.run_worker(work, thread=True, group="report", exit_on_error=False)

    def _failed(self, exc: Exception) -> None:
        self._computing = False
        self._show_info()
        self.liaison.show_error(exc)

    def _arrived(self, report: Report) -> None:
        if report.name != self.name_:
            return
        keep = self.report is not None and self.report.name == report.name
        self._computing = False
        self.report = report
        self.params = report.params
        self._show(report, keep=keep)

    # ---------------------------------------------------------------- showing
    def _visible(self) -> list[Section]:
        return [s for s in (self.report.sections if self.report else []) if s.on_screen]

    def _section(self) -> Section | None:
        sections = self._visible()
        if not sections:
            return None
        self.section_index %= len(sections)
        return sections[self.section_index]

    def _show_tabs(self) -> None:
        text = Text()
        narrow = self.app.size.width < 100
        for name in NAMES:
            if narrow and name != self.name_:
                continue
            style = "reverse bold" if name == self.name_ else "dim"
            text.append(f" {title(name)} ", style=style)
            text.append(" ")
        if narrow:
            text.append(f"{NAMES.index(self.name_) + 1}/{len(NAMES)}  [ ]", style="dim")
        self.query_one("#report-tabs", Static).update(text)

    def _show_info(self) -> None:
        report = self.report
        text = Text()
        if report is not None and report.name == self.name_:
            text.append(scope_line(report), style="bold")
            for line in notes(report):
                text.append("  " + line, style="yellow")
            if self.liaison.show_timings:
                text.append("  " + t("reports.took", seconds=report.seconds), style="dim")
        if self._computing:
            text.append("  " + t("reports.computing"), style="italic")
        self.query_one("#report-info", Static).update(text)

    def _show(self, report: Report, keep: bool = False) -> None:
        self._show_tabs()
        self._show_info()
        chart = self.query_one("#report-chart", ReportChart)
        table = self.query_one("#report-table", NavTable)
        if not report.available:
            chart.show(None)
            chart.display = False
            self.query_one("#report-section", Static).update(
                Text(t("report.unavailable", name=title(report.name)), style="yellow")
            )
            table.set_columns([("x", "none", 1.0)])
            return
        chart.display = report.chart is not None
        chart.show(self._chart_data(report, chart.selected if keep else 0))
        self._fill_table(keep)

    def _chart_rows(self, report: Report) -> list[Row]:
        if report.chart is None:
            return []
        rows = [r for r in report.section(report.chart.section).rows if not r.total]
        return rows[: report.chart.limit]

    def _chart_data(self, report: Report, selected: int) -> ChartData | None:
        spec = report.chart
        if spec is None:
            return None
        section = report.section(spec.section)
        rows = self._chart_rows(report)
        label_column = next(c for c in section.columns if c.key == spec.label)
        labels = [cell(label_column, r, report, short=True) for r in rows]
        series = []
        for key_name in spec.series:
            column = next(c for c in section.columns if c.key == key_name)
            series.append((header(column), [float(r.cells.get(key_name) or 0) for r in rows]))
        return ChartData(spec.kind, labels, series, selected)

    def _fill_table(self, keep: bool) -> None:
        report, section = self.report, self._section()
        table = self.query_one("#report-table", NavTable)
        if report is None or section is None:
            return
        sections = self._visible()
        line = Text(
            t("reports.section", title=t(section.title), n=self.section_index + 1, of=len(sections)),
            style="bold",
        )
        if section.note:
            line.append("  " + t(section.note), style="dim")
        self.query_one("#report-section", Static).update(line)
        texts = [[cell(c, r, report) for c in section.columns] for r in section.rows]
        spec: list[tuple[str, str, int | float]] = []
        for i, column in enumerate(section.columns):
            if i == 0:
                spec.append((column.key, column.label, 1.0))
                continue
            widest = max([cell_len(header(column)), *(cell_len(row[i]) for row in texts)])
            spec.append((column.key, column.label, min(max(widest, 5), 24)))
        cursor = table.cursor_row if keep else 0
        table.set_columns(spec)
        for row, cells in zip(section.rows, texts, strict=True):
            shown: list[Any] = []
            for i, (column, value) in enumerate(zip(section.columns, cells, strict=True)):
                numeric = column.kind in ("int", "pct", "days")
                width = table.w(column.key)
                if numeric and i:
                    value = " " * max(width - cell_len(value), 0) + value
                shown.append(Text(value, style="bold" if row.total else ""))
            table.add_row(*shown, key=str(len(table.rows)))
        table.move_cursor(row=min(cursor, max(table.row_count - 1, 0)))

    def on_row_list_relaid(self, event: NavTable.Relaid) -> None:
        if event.table.id == "report-table":
            self._fill_table(keep=True)

    def narrow_changed(self) -> None:
        self._show_tabs()

    # ---------------------------------------------------------------- chart <-> table
    def _is_chart_section(self) -> bool:
        section = self._section()
        return bool(
            self.report and self.report.chart and section and section.key == self.report.chart.section
        )

    def on_report_chart_bar_moved(self, event: ReportChart.BarMoved) -> None:
        if self._is_chart_section():
            self.query_one("#report-table", NavTable).move_cursor(row=event.index)

    def on_row_list_row_highlighted(self, event: NavTable.RowHighlighted) -> None:
        if event.table.id != "report-table" or not self._is_chart_section() or self.report is None:
            return
        chart = self.query_one("#report-chart", ReportChart)
        if event.cursor_row < len(self._chart_rows(self.report)) and chart.selected != event.cursor_row:
            chart.selected = event.cursor_row

    def on_report_chart_bar_chosen(self, event: ReportChart.BarChosen) -> None:
        if self.report is None:
            return
        rows = self._chart_rows(self.report)
        if event.index < len(rows) and self.report.chart:
            self.drill(self.report.section(self.report.chart.section), rows[event.index])

    def on_row_list_row_selected(self, event: NavTable.RowSelected) -> None:
        section = self._section()
        if event.table.id == "report-table" and section is not None and event.cursor_row < len(section.rows):
            self.drill(section, section.rows[event.cursor_row])

    def drill(self, section: Section, row: Row) -> None:
        """Open the records behind ``row``'s figure."""
        report = self.report
        if report is None or row.drill is None:
            self.notify(t("reports.no_records"), timeout=3)
            return
        app = self.liaison
        if row.drill.kind == "duplicates":
            app.action_duplicates()
            return
        label = cell(section.columns[0], row, report)
        primary = next((c for c in section.columns if c.key == section.primary), None)
        caption = t(
            "reports.figure",
            report=title(report.name),
            row=label,
            column=header(primary) if primary else "",
            value=cell(primary, row, report) if primary else "",
        )
        where = json.dumps(row.drill.where, ensure_ascii=False, sort_keys=True)
        if row.drill.kind == "cases":
            from ...store.queries import CaseFilter
            from .cases import CasesScreen

            app.push_screen(CasesScreen(CaseFilter(statuses=(), scope=where), mine=False, caption=caption))
        else:
            from .contacts import ContactsScreen

            app.push_screen(ContactsScreen(where, caption))

    # ---------------------------------------------------------------- choices
    def action_step(self, step: int) -> None:
        self.open_report(NAMES[(NAMES.index(self.name_) + step) % len(NAMES)])

    def action_section(self) -> None:
        self.section_index += 1
        self._fill_table(keep=False)

    async def action_period(self) -> None:
        year = self.liaison.now().astimezone(self.liaison.tz).year
        options = [
            (str(y), t("reports.this_year", year=y) if y == year else str(y))
            for y in range(year, year - 6, -1)
        ]
        if not R.REPORTS[self.name_][1]:
            options.insert(0, ("*", t("reports.any_time")))
        current = (
            str(self.params.year)
            if self.params.year
            else ("*" if not R.REPORTS[self.name_][1] else str(year))
        )

        def chosen(value: str | None) -> None:
            if value is not None:
                self._set(year=None if value == "*" else int(value), start=None, end=None)

        await self.app.push_screen(ChoiceDialog(t("key.reports.period"), options, current=current), chosen)

    async def action_owner(self) -> None:
        staff = self.report.staff if self.report else {}
        options = [("*", t("reports.everyone")), *sorted(staff.items(), key=lambda kv: kv[1])]

        def chosen(value: str | None) -> None:
            if value is not None:
                self._set(owner=None if value == "*" else value)

        await self.app.push_screen(
            ChoiceDialog(t("key.reports.owner"), options, current=self.params.owner or "*"), chosen
        )

    async def action_chain(self) -> None:
        options = [("*", t("reports.any_chain"))] + [(c.value, c.label()) for c in IndustryChain]

        def chosen(value: str | None) -> None:
            if value is not None:
                self._set(chain=None if value == "*" else value)

        await self.app.push_screen(
            ChoiceDialog(t("key.reports.chain"), options, current=self.params.chain or "*"), chosen
        )

    def _set(self, **changes: Any) -> None:
        from dataclasses import replace

        self.params = replace(self.params, **changes)
        self.reload()

    async def action_export(self) -> None:
        report = self.report
        if report is None or not report.available:
            return
        scope = R.Scope(**{k: v for k, v in _scope_args(report).items()})
        if not scope.may_export(R.export_table(report.name)):
            self.notify(t("reports.no_export"), severity="error", timeout=5)
            return
        today = self.liaison.now().astimezone(self.liaison.tz).date()
        default = str(Path.home() / f"liaison-{report.name}-{today:%Y%m%d}.xlsx")

        def chosen(path: str | None) -> None:
            if path:
                self._export(report, path)

        await self.app.push_screen(
            TextDialog(t("reports.export_title"), t("reports.export_path"), default), chosen
        )

    def _export(self, report: Report, path: str) -> None:
        from ...importer.report_export import write

        fmt = "csv" if path.lower().endswith(".csv") else "xlsx"
        lang = get_lang()

        def work() -> None:
            try:
                written = write(report, fmt, Path(path).expanduser(), lang)
            except Exception as exc:
                self.app.call_from_thread(self.liaison.show_error, exc)
                return
            self.app.call_from_thread(self.notify, t("reports.exported", path=written), timeout=5)

        self.run_worker(work, thread=True, group="report-export", exit_on_error=False)

    def view_state(self) -> tuple[str, str | None, dict[str, Any]] | None:
        """What saving this screen as a view keeps: (kind, target, params)."""
        return "report", self.name_, self.params.to_dict()


def _scope_args(report: Report) -> dict[str, Any]:
    scope = report.scope
    return {
        "role": scope.get("role", "local"),
        "me": None,
        "team": scope.get("team"),
        "team_ids": frozenset(),
        "kit": scope.get("kit"),
    }


class TextDialog(Dialog):
    """One line of text: Enter dismisses with it, Esc with None."""

    def __init__(self, heading: str, prompt: str, value: str = "") -> None:
        super().__init__()
        self._heading, self._prompt, self._value = heading, prompt, value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._heading, classes="dialog-title")
            yield Label(self._prompt)
            yield Input(self._value, id="text-value")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)
