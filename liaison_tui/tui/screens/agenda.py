"""My follow-ups: overdue, today, upcoming. x completes (and logs an activity), z snoozes, r reschedules, n adds one for a contact picked by name,
Enter opens the case or contact it belongs to."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult

from ...domain.enums import FollowUpKind, FollowUpStatus
from ...domain.i18n import t
from ...store import queries
from ..db import run_db
from ..fmt import clip, enum_label, person, relative
from ..keymap import key
from ..widgets.nav_table import NavTable
from .base import NARROW_BELOW, BaseScreen, time_column
from .record_actions import complete_followup, reschedule_followup, snooze_followup

_SECTION_STYLE = {"overdue": "bold red", "today": "bold yellow", "upcoming": "bold cyan"}


class AgendaScreen(BaseScreen):
    TITLE_KEY = "screen.agenda"
    BINDINGS = [
        key("x,space", "complete", "agenda.complete", key_display="x"),
        key("z", "snooze", "agenda.snooze"),
        key("r", "reschedule", "agenda.reschedule"),
        key("n", "new", "agenda.new"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, Any]] = {}
        self.sections: queries.Agenda | None = None

    def compose_body(self) -> ComposeResult:
        yield NavTable(id="agenda-table")

    def relabel(self) -> None:
        super().relabel()
        self._set_columns()
        if self.sections is not None:
            self._show(self.sections)

    def narrow_changed(self) -> None:
        self._set_columns()
        if self.sections is not None:
            self._show(self.sections)

    def _set_columns(self) -> None:
        narrow = self.app.size.width < NARROW_BELOW
        spec: list[tuple[str, str, int | float]] = [
            ("due", "col.due", 11),
            ("rel", "col.section", 9),
            ("what", "col.what", 0.45),
            ("kind", "col.kind", 0.2),
            ("who", "col.who", 0.35),
        ]
        if narrow:  # 80 columns: the title says what kind it is; Enter opens the case it belongs to
            spec = [column for column in spec if column[0] != "kind"]
        else:
            spec.append(("case", "col.case", 16))
        spec.append(("status", "col.status", max(cell_len(s.label()) for s in FollowUpStatus)))
        self.query_one(NavTable).set_columns(spec)

    def on_row_list_relaid(self) -> None:
        if self.sections is not None:
            self._show(self.sections)

    def reload(self) -> None:
        app = self.liaison
        staff_id = app.me["id"] if app.me else None
        run_db(
            self,
            lambda store: queries.agenda(store, staff_id, app.now(), app.tz),
            self._show,
            group="agenda",
            exclusive=True,
            read_only=True,
        )

    def _show(self, agenda: queries.Agenda) -> None:
        self.sections = agenda
        table = self.query_one(NavTable)
        keep = table.cursor_row or table.kept_row
        table.clear()
        self.rows = {}
        now, tz = self.liaison.now(), self.liaison.tz
        every = [row for rows in agenda.sections.values() for row in rows]
        dues = iter(time_column(table, "due", [row["due"] for row in every], tz, now))
        columns = list(table.widths)

        def line(**cells: Any) -> list[Any]:
            return [cells.get(name, "") for name in columns]

        for name, rows in agenda.sections.items():
            table.add_row(
                *line(
                    due=Text("▌", style=_SECTION_STYLE[name]),
                    what=Text(f"{t('agenda.' + name)} · {agenda.counts[name]}", style=_SECTION_STYLE[name]),
                ),
                key=f"section:{name}",
            )
            for row in rows:
                self.rows[row["id"]] = row
                table.add_row(
                    *line(
                        due=Text(next(dues), style="red" if name == "overdue" else ""),
                        rel=Text(relative(row["due"], now), style="dim"),
                        what=clip(row["title"], table.w("what")),
                        kind=clip(enum_label(FollowUpKind, row["kind"]), table.w("kind")),
                        who=clip(person(row["native_name"], row["latin_name"]), table.w("who")),
                        case=row["case_number"] or "",
                        status=enum_label(FollowUpStatus, row["status"]),
                    ),
                    key=row["id"],
                )
            if agenda.counts[name] > len(rows):
                table.add_row(
                    *line(what=Text(t("home.more", n=agenda.counts[name] - len(rows)), style="dim")),
                    key=f"more:{name}",
                )
        if table.row_count:
            row = min(keep, table.row_count - 1)
            if row == 0 and table.row_count > 1:
                row = 1  # start on the first follow-up, not on a section heading
            table.move_cursor(row=row)

    def _selected(self) -> dict[str, Any] | None:
        key_value = self.query_one(NavTable).selected_key()
        row = self.rows.get(key_value or "")
        if row is None:
            self.notify(t("agenda.none_selected"), severity="warning", timeout=3)
        return row

    def action_complete(self) -> None:
        row = self._selected()
        if row is not None:
            complete_followup(self, row["id"])

    async def action_snooze(self) -> None:
        row = self._selected()
        if row is not None:
            await snooze_followup(self, row["id"])

    async def action_reschedule(self) -> None:
        row = self._selected()
        if row is not None:
            await reschedule_followup(self, row["id"])

    async def action_new(self) -> None:
        from .edit_forms import AgendaFollowUpDialog

        await self.app.push_screen(AgendaFollowUpDialog())

    def on_row_list_row_selected(self, event: NavTable.RowSelected) -> None:
        row = self.rows.get(event.key or "")
        if row is None:
            return
        if row["case_id"]:
            self.liaison.open_case(row["case_id"])
        elif row["contact_id"]:
            self.liaison.open_contact(row["contact_id"])
