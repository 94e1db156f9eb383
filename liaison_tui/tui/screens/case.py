"""A case: details, its status with only the allowed next moves (t), follow-ups and timeline.
l logs an interaction, f adds a follow-up, e edits the details, c opens the beneficiary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static, TabbedContent, TabPane

from ...domain.enums import ActivityKind, CaseStatus, FollowUpStatus
from ...domain.i18n import get_lang, list_sep, t
from ...domain.models import Case, Contact
from ...domain.validation import ValidationFailed
from ...domain.workflow import allowed_next, is_open
from ...store import queries, services
from ..db import run_db
from ..fmt import clip, enum_label, person, relative, stamp
from ..keymap import key
from ..widgets.log_bar import LogBar
from ..widgets.nav_table import NavTable
from .base import FOLLOWUP_COLUMNS, TIMELINE_COLUMNS, BaseScreen, time_column
from .contact import _followup_due
from .dialogs import StatusChoice, StatusDialog
from .record_actions import LogsInteractions, add_followup, focus_tab_list, followup_menu


@dataclass
class CaseView:
    case: Case
    beneficiary: Contact | None
    owner: str | None
    followups: list[dict[str, Any]]
    timeline: list[dict[str, Any]]


def load_case(store: Any, case_id: str) -> CaseView:
    case: Case = store.cases.get(case_id)
    owner = store.staff.find(case.owner_id) if case.owner_id else None
    return CaseView(
        case,
        store.contacts.find(case.beneficiary_id),
        owner.display_name if owner else None,
        queries.case_followups(store, case_id),
        queries.timeline(store, case_id=case_id),
    )


class CaseScreen(LogsInteractions, BaseScreen):
    TITLE_KEY = "screen.case"
    BINDINGS = [
        key("t", "status", "case.status"),
        key("l", "log", "record.log"),
        key("f", "followup", "record.followup"),
        key("c", "contact", "case.contact"),
        key("e", "edit", "case.edit"),
        key("right_square_bracket", "tab(1)", "record.next_tab", show=False),
        key("left_square_bracket", "tab(-1)", "record.prev_tab", show=False),
    ]

    def __init__(self, case_id: str) -> None:
        super().__init__()
        self.case_id = case_id
        self.view: CaseView | None = None
        self.last_error: str | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="record-body"):
            with Vertical(id="record-left"):
                yield Static(id="case-details", classes="panel")
                yield Static(id="case-workflow", classes="panel")
            with TabbedContent(id="record-tabs"):
                with TabPane("followups", id="tab-followups"):
                    yield NavTable(id="case-followups")
                with TabPane("timeline", id="tab-timeline"):
                    yield NavTable(id="case-timeline")
        yield LogBar()

    def relabel(self) -> None:
        super().relabel()
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("tab-followups").label = t("contact.followups")
        tabs.get_tab("tab-timeline").label = t("contact.timeline")
        self.query_one("#case-followups", NavTable).set_columns(FOLLOWUP_COLUMNS)
        self.query_one("#case-timeline", NavTable).set_columns(TIMELINE_COLUMNS)
        if self.view:
            self._show(self.view)

    def on_row_list_relaid(self) -> None:
        if self.view:
            self._show(self.view)

    def screen_title(self) -> str:
        if self.view:
            return f"{t('screen.case')} · {self.view.case.number}"
        return t("screen.case")

    def reload(self) -> None:
        run_db(self, lambda store: load_case(store, self.case_id), self._show, group="case", exclusive=True)

    def _show(self, view: CaseView) -> None:
        self.view = view
        case, now, tz = view.case, self.liaison.now(), self.liaison.tz
        self.query_one("#title", Static).update(Text(self.screen_title()))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        grid.add_row(t("dialog.title"), Text(case.title, style="bold"))
        beneficiary = view.beneficiary
        grid.add_row(
            t("field.beneficiary_id"),
            person(beneficiary.native_name, beneficiary.latin_name) if beneficiary else "—",
        )
        grid.add_row(t("field.category"), case.category.label())
        grid.add_row(
            t("field.priority"),
            Text(case.priority.label(), style="bold red" if case.priority.value == "urgent" else ""),
        )
        grid.add_row(t("field.status"), Text(case.status.label(), style="bold"))
        if case.status_reason:
            grid.add_row(t("field.status_reason"), case.status_reason)
        grid.add_row(t("field.owner_id"), view.owner or "—")
        grid.add_row(t("field.opened_at"), stamp(case.opened_at, tz))
        due = Text(stamp(case.due_at, tz, with_time=False))
        if case.due_at and is_open(case.status):
            overdue = case.due_at < now
            due.append(
                f"  {t('case.overdue') if overdue else relative(case.due_at, now)}",
                style="bold red" if overdue else "dim",
            )
        grid.add_row(t("field.due_at"), due)
        if case.resolution:
            grid.add_row(t("field.resolution"), case.resolution)
        if case.description:
            grid.add_row(t("field.description"), clip(case.description, 200))
        details = self.query_one("#case-details", Static)
        details.border_title = t("case.details")
        details.update(grid)
        self._show_workflow(case.status)
        followups = self.query_one("#case-followups", NavTable)
        dues = time_column(followups, "due", [row["due"] for row in view.followups], tz, now)
        self._fill(
            "#case-followups",
            [
                (
                    row["id"],
                    [
                        _followup_due(row, due, now),
                        clip(row["title"], self._w("#case-followups", "what")),
                        enum_label(FollowUpStatus, row["status"]),
                    ],
                )
                for row, due in zip(view.followups, dues, strict=True)
            ],
        )
        timeline = self.query_one("#case-timeline", NavTable)
        whens = time_column(timeline, "when", [row["occurred_at"] for row in view.timeline], tz, now)
        self._fill(
            "#case-timeline",
            [
                (
                    row["id"],
                    [
                        when,
                        enum_label(ActivityKind, row["kind"]),
                        clip(row["summary"], self._w("#case-timeline", "what")),
                        clip(row["staff_name"], 6),
                    ],
                )
                for row, when in zip(view.timeline, whens, strict=True)
            ],
        )

    def _show_workflow(self, status: CaseStatus) -> None:
        """`` t  Allowed next:`` and the statuses, packed into lines by hand so that a line never breaks
        inside a status (Chinese has no spaces to break at: 已解决 would split as 已 / 解决)."""
        panel = self.query_one("#case-workflow", Static)
        panel.border_title = t("field.status")
        allowed = allowed_next(status)
        if not allowed:
            text = Text(t("case.final"))
        else:
            text = Text()
            text.append(" t ", style="reverse")
            text.append(" " + t("case.allowed_head"))
            width = max(panel.content_size.width, 20)
            sep = list_sep()
            line = ""
            for n, label in enumerate(s.label() for s in allowed):
                piece = label + (sep if n < len(allowed) - 1 else "")
                if line and cell_len(line + piece) > width:
                    text.append("\n" + line.rstrip())
                    line = ""
                line += piece
            text.append("\n" + line)
        if self.last_error:
            text.append("\n" + self.last_error, style="bold red")
        panel.update(text)

    def on_resize(self) -> None:
        super().on_resize()
        if self.view:  # the statuses are packed for the panel's width
            self.call_after_refresh(self._show_workflow, self.view.case.status)

    def _w(self, selector: str, column: str) -> int:
        return self.query_one(selector, NavTable).w(column)

    def _fill(self, selector: str, rows: list[tuple[str, list[Any]]]) -> None:
        table = self.query_one(selector, NavTable)
        table.clear()
        for row_key, cells in rows:
            table.add_row(*cells, key=row_key)

    # ---------------------------------------------------------------- actions
    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "tab-timeline" if tabs.active == "tab-followups" else "tab-followups"
        focus_tab_list(tabs)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        focus_tab_list(event.tabbed_content)

    async def action_status(self) -> None:
        if not self.view:
            return
        case = self.view.case
        if not allowed_next(case.status):
            self.notify(t("case.final"), severity="warning")
            return
        await self.app.push_screen(StatusDialog(case.number, case.status), self._status_chosen)

    def _status_chosen(self, choice: StatusChoice | None) -> None:
        if choice:
            self.set_status(choice.status, reason=choice.reason, resolution=choice.resolution)

    def set_status(
        self, status: CaseStatus | str, *, reason: str | None = None, resolution: str | None = None
    ) -> None:
        """Ask the store to move the case; a refusal (forbidden move, missing reason) is shown in the
        workflow panel and as a notification, in the UI language."""
        staff_id = self.liaison.me["id"] if self.liaison.me else None

        def moved(case: Case) -> None:
            self.last_error = None
            self.notify(t("case.moved", number=case.number, status=case.status.label()), timeout=3)
            self.liaison.data_changed()

        def refused(error: BaseException) -> None:
            message = error.message(get_lang()) if isinstance(error, ValidationFailed) else str(error)
            if isinstance(error, ValidationFailed):
                message = "\n".join(p.message(get_lang()) for p in error.problems)
            self.last_error = message
            if self.view:
                self._show_workflow(self.view.case.status)
            self.notify(message, severity="error", timeout=8)

        run_db(
            self,
            lambda store: services.change_case_status(
                store,
                self.case_id,
                status,
                reason=reason,
                resolution=resolution,
                staff_id=staff_id,
                lang=get_lang(),
            ),
            moved,
            on_error=refused,
        )

    def log_subject(self) -> str | None:
        return self.view.case.number if self.view else None

    def log_target(self) -> dict[str, str | None]:
        return {"case_id": self.case_id}

    async def action_followup(self) -> None:
        if self.view:
            await add_followup(
                self, self.view.case.number, case_id=self.case_id, contact_id=self.view.case.beneficiary_id
            )

    async def action_edit(self) -> None:
        from .edit_forms import CaseEditDialog

        if self.view:
            await self.app.push_screen(CaseEditDialog(self.view.case))

    def action_contact(self) -> None:
        if self.view and self.view.case.beneficiary_id:
            self.liaison.open_contact(self.view.case.beneficiary_id)

    def on_row_list_row_selected(self, event: NavTable.RowSelected) -> None:
        if event.table.id == "case-followups" and self.view:
            row = next((f for f in self.view.followups if f["id"] == event.key), None)
            if row is not None:
                self.run_worker(followup_menu(self, row, open_case=False))
