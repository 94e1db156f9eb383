"""A contact: profile, ways to reach them (y copies one, OSC 52), their local time and whether it is a
sensible hour to call, affiliations, pipeline stage (s changes it; history kept), cases, follow-ups and the
timeline. l logs an interaction, o opens their organization, n opens a case, f adds a follow-up, e edits, p edits the selected contact point
and P deletes it (after a confirmation)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static, TabbedContent, TabPane

from ...domain.display import country_name, point_label
from ...domain.enums import (
    ActivityKind,
    AttendanceStatus,
    CaseStatus,
    ConsentPurpose,
    ContactKind,
    ContactPointKind,
    FollowUpStatus,
    PipelineStage,
    TalentTier,
)
from ...domain.i18n import has, register, t
from ...domain.models import Contact, ContactPoint
from ...domain.recruiting import IntroStage
from ...domain.validation import ValidationFailed
from ...domain.values import format_phone
from ...store import queries, services
from ...store import recruiting_queries as RQ
from .. import access
from ..db import run_db
from ..fmt import (
    call_verdict,
    clip,
    enum_label,
    person,
    relative,
    short_label,
    stamp,
    weekday,
)
from ..keymap import key
from ..widgets.log_bar import LogBar
from ..widgets.nav_table import NavTable
from .base import FOLLOWUP_COLUMNS, NARROW_BELOW, TIMELINE_COLUMNS, BaseScreen, time_column
from .dialogs import ChoiceDialog, NewCaseDialog
from .record_actions import LogsInteractions, add_followup, focus_tab_list, followup_menu

register(
    {
        "contact.introductions": ("Introductions", "人才推荐"),
        "contact.events": ("Events", "活动"),
        "key.contact.talent": ("Talent profile", "人才画像"),
        "key.contact.matches": ("Matching demands", "匹配需求"),
        "key.contact.affiliate": ("Add affiliation", "添加任职"),
        "demand.score": ("Score", "匹配度"),
    }
)


@dataclass
class ContactView:
    contact: Contact
    points: list[ContactPoint]
    affiliations: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    followups: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    stages: list[tuple[str, str | None, str]]
    org: str | None
    owner: str | None
    introductions: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    consent: list[Any] = field(default_factory=list)  # domain.consent.State per purpose
    erased_on: str | None = None


def load_contact(store: Any, contact_id: str) -> ContactView:
    from ...store.consent import states
    from ...store.erasure import erased_on

    erased = erased_on(store, contact_id)
    contact: Contact = store.contacts.get(contact_id, include_deleted=bool(erased))
    owner = None
    if contact.owner_id:
        staff = store.staff.find(contact.owner_id)
        owner = staff.display_name if staff else None
    return ContactView(
        contact,
        services.contact_points(store, contact_id),
        queries.affiliations(store, contact_id),
        queries.contact_cases(store, contact_id),
        queries.contact_followups(store, contact_id),
        queries.timeline(store, contact_id=contact_id),
        services.stage_history(store, contact_id),
        queries.org_name(store, contact.org_id),
        owner,
        RQ.contact_introductions(store, contact_id),
        RQ.contact_events(store, contact_id),
        states(store, contact_id),
        erased,
    )


class ContactScreen(LogsInteractions, BaseScreen):
    TITLE_KEY = "screen.contact"
    BINDINGS = [
        key("l", "log", "record.log"),
        key("f", "followup", "record.followup"),
        key("n", "new_case", "contact.new_case"),
        key("s", "stage", "contact.stage"),
        key("y", "copy", "contact.copy"),
        key("e", "edit", "contact.edit"),
        key("o", "org", "contact.org"),
        key("p", "point_edit", "contact.point_edit", show=False),
        key("P", "point_delete", "contact.point_delete", show=False),
        key("X", "export_person", "contact.export_person", show=False),
        key("M", "merge_with", "contact.merge_with", show=False),
        key("T", "talent", "contact.talent", show=False),
        key("m", "matches", "contact.matches", show=False),
        key("a", "affiliate", "contact.affiliate", show=False),
        key("plus", "point_add", "contact.point_add", show=False),
        key("c", "consent", "contact.consent", show=False),
        key("W", "erase", "contact.erase", show=False),
        key("right_square_bracket", "tab(1)", "record.next_tab", show=False),
        key("left_square_bracket", "tab(-1)", "record.prev_tab", show=False),
    ]

    def __init__(self, contact_id: str) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.view: ContactView | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """What the role may not do is not offered (F1 lists it with the reason); an erased person's
        record can only be looked at."""
        if self.view is not None and self.view.erased_on and action in access.GATES:
            return False
        return access.allowed(self.app, action)

    def denied_actions(self) -> list[tuple[str, str]]:
        return access.denied_actions(self.app, [b.action for b in self.BINDINGS])  # type: ignore[union-attr]

    async def action_consent(self) -> None:
        if self.view is not None:
            from .privacy import ConsentDialog

            await self.app.push_screen(ConsentDialog(self.contact_id, self.view.contact.display_name))

    async def action_erase(self) -> None:
        if self.view is not None:
            from .privacy import EraseDialog

            await self.app.push_screen(EraseDialog(self.contact_id, self.view.contact.display_name))

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="record-body"):
            with Vertical(id="record-left"):
                yield Static(id="contact-profile", classes="panel")
                with Vertical(id="points-panel", classes="panel"):
                    yield NavTable(id="contact-points")
                yield Static(id="contact-affiliations", classes="panel")
            with TabbedContent(id="record-tabs"):
                with TabPane("cases", id="tab-cases"):
                    yield NavTable(id="contact-cases")
                with TabPane("followups", id="tab-followups"):
                    yield NavTable(id="contact-followups")
                with TabPane("timeline", id="tab-timeline"):
                    yield NavTable(id="contact-timeline")
                with TabPane("stages", id="tab-stages"):
                    yield NavTable(id="contact-stages")
                with TabPane("introductions", id="tab-intros"):
                    yield NavTable(id="contact-intros")
                with TabPane("events", id="tab-events"):
                    yield NavTable(id="contact-events")
        yield LogBar()

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(30, self._tick)  # the contact's local time moves on

    def narrow_changed(self) -> None:
        self._set_columns()
        if self.view:
            self._show(self.view)

    def relabel(self) -> None:
        super().relabel()
        self._set_columns()
        self.query_one("#points-panel").border_title = t("contact.points") + "  (y p P)"
        if self.view:
            self._show(self.view)

    def _set_columns(self) -> None:
        narrow = self.app.size.width < NARROW_BELOW
        tabs = self.query_one(TabbedContent)
        for pane, label in (
            ("tab-cases", "contact.cases"),
            ("tab-followups", "contact.followups"),
            ("tab-timeline", "contact.timeline"),
            ("tab-stages", "contact.stage_history"),
            ("tab-intros", "contact.introductions"),
            ("tab-events", "contact.events"),
        ):
            tabs.get_tab(pane).label = t(f"{label}.short" if narrow and has(f"{label}.short") else label)
        # 80 columns: a person's cases are told apart by their titles; the number is on the case screen
        cases: list[tuple[str, str, int | float]] = [] if narrow else [("number", "col.number", 16)]
        cases += [
            ("title", "col.title", 1.0),
            ("status", "col.status", max(cell_len(s.short_label()) for s in CaseStatus)),
            ("due", "col.due", 10),
        ]
        for table_id, columns in (
            ("#contact-points", [("kind", "col.kind", 9), ("value", "col.value", 1.0)]),
            ("#contact-cases", cases),
            ("#contact-followups", FOLLOWUP_COLUMNS),
            ("#contact-timeline", TIMELINE_COLUMNS),
            ("#contact-stages", [("when", "col.when", 16), ("stage", "col.stage", 1.0)]),
            (
                "#contact-intros",
                [("stage", "col.stage", 12), ("what", "col.what", 1.0), ("score", "demand.score", 6)],
            ),
            (
                "#contact-events",
                [("when", "col.when", 10), ("what", "col.what", 1.0), ("status", "col.status", 8)],
            ),
        ):
            self.query_one(table_id, NavTable).set_columns(columns)

    def on_row_list_relaid(self) -> None:
        if self.view:
            self._show(self.view)

    def screen_title(self) -> str:
        if self.view:
            return f"{t('screen.contact')} · {self.view.contact.display_name}"
        return t("screen.contact")

    def reload(self) -> None:
        run_db(
            self,
            lambda store: load_contact(store, self.contact_id),
            self._show,
            group="contact",
            exclusive=True,
        )

    # ---------------------------------------------------------------- rendering
    def _show(self, view: ContactView) -> None:
        self.view = view
        self.query_one("#title", Static).update(Text(self.screen_title()))
        self._tick()
        self._fill_points(view.points)
        self._fill_affiliations(view)
        now, tz = self.liaison.now(), self.liaison.tz
        w = self._width
        cases = self.query_one("#contact-cases", NavTable)
        self._fill(
            "#contact-cases",
            [
                (
                    row["id"],
                    [
                        cell
                        for name, cell in (
                            ("number", row["number"]),
                            ("title", clip(row["title"], w("#contact-cases", "title"))),
                            ("status", _status_text(row["status"])),
                            ("due", _due_text(row["due_at"], row["status"], now, tz)),
                        )
                        if name in cases.widths
                    ],
                )
                for row in view.cases
            ],
        )
        followups = self.query_one("#contact-followups", NavTable)
        dues = time_column(followups, "due", [row["due"] for row in view.followups], tz, now)
        self._fill(
            "#contact-followups",
            [
                (
                    row["id"],
                    [
                        _followup_due(row, due, now),
                        clip(row["title"], w("#contact-followups", "what")),
                        enum_label(FollowUpStatus, row["status"]),
                    ],
                )
                for row, due in zip(view.followups, dues, strict=True)
            ],
        )
        timeline = self.query_one("#contact-timeline", NavTable)
        whens = time_column(timeline, "when", [row["occurred_at"] for row in view.timeline], tz, now)
        self._fill(
            "#contact-timeline",
            [
                (
                    row["id"],
                    [
                        when,
                        enum_label(ActivityKind, row["kind"]),
                        clip(row["summary"], w("#contact-timeline", "what")),
                        clip(row["staff_name"], 6),
                    ],
                )
                for row, when in zip(view.timeline, whens, strict=True)
            ],
        )
        self._fill(
            "#contact-stages",
            [
                (
                    f"s{n}",
                    [stamp(at, tz), f"{enum_label(PipelineStage, old)} → {enum_label(PipelineStage, new)}"],
                )
                for n, (at, old, new) in enumerate(view.stages)
            ],
        )
        self._fill(
            "#contact-intros",
            [
                (
                    row["demand_id"],
                    [
                        enum_label(IntroStage, row["stage"]),
                        clip(
                            f"{row['title']} · {row['org_zh'] or row['org_en'] or ''}",
                            w("#contact-intros", "what"),
                        ),
                        f"{row['score']:.0f}" if row["score"] is not None else "—",
                    ],
                )
                for row in view.introductions
            ],
        )
        self._fill(
            "#contact-events",
            [
                (
                    row["event_id"],
                    [
                        row["starts_on"],
                        clip(row["name"], w("#contact-events", "what")),
                        enum_label(AttendanceStatus, row["status"]),
                    ],
                )
                for row in view.events
            ],
        )

    def _width(self, selector: str, column: str) -> int:
        return self.query_one(selector, NavTable).w(column)

    def _fill(self, selector: str, rows: list[tuple[str, list[Any]]]) -> None:
        table = self.query_one(selector, NavTable)
        keep = table.cursor_row
        table.clear()
        for row_key, cells in rows:
            table.add_row(*cells, key=row_key)
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))

    def _tick(self) -> None:
        if self.view is None:
            return
        c = self.view.contact
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        name = Text(person(c.native_name, c.latin_name), style="bold")
        name.append(f"  {c.kind.label() if isinstance(c.kind, ContactKind) else c.kind}", style="dim")
        if self.view.erased_on:
            name.append(f"\n{t('contact.erased_on', date=self.view.erased_on[:10])}", style="bold red")
        narrow = self.has_class("-narrow")
        if narrow:  # 80 columns: one line each, the essentials only, so the contact points stay in view
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True, overflow="ellipsis")
            grid.add_row(Text(clip(" · ".join(p for p in (c.title, self.view.org) if p) or "—", 40)))
            grid.add_row(Text.assemble((c.stage.label(), "bold"), " · ", TalentTier(c.tier).label()))
            grid.add_row(self._local_time(c.timezone, short=True))
            grid.add_row(_consent_text(self.view.consent))
            outer = Table.grid()
            outer.add_row(name)
            outer.add_row(grid)
            profile = self.query_one("#contact-profile", Static)
            profile.border_title = t("contact.profile")
            profile.update(outer)
            return
        grid.add_row(t("field.title"), Text(" · ".join(p for p in (c.title, self.view.org) if p) or "—"))
        grid.add_row(t("field.stage"), Text(c.stage.label(), style="bold"))
        grid.add_row(t("field.tier"), TalentTier(c.tier).label())
        place = " · ".join(p for p in (c.city, country_name(c.country)) if p) or "—"
        grid.add_row(t("field.country"), place)
        grid.add_row(t("contact.local_time"), self._local_time(c.timezone))
        if c.field:
            grid.add_row(t("field.field"), clip(c.field, 40))
        if c.tags:
            grid.add_row(t("field.tags"), ", ".join(c.tags))
        grid.add_row(t("field.owner_id"), self.view.owner or "—")
        grid.add_row(t("field.last_activity_at"), relative(c.last_activity_at, self.liaison.now()))
        grid.add_row(t("contact.consent"), _consent_text(self.view.consent))
        profile = self.query_one("#contact-profile", Static)
        profile.border_title = t("contact.profile")
        outer = Table.grid()
        outer.add_row(name)
        outer.add_row(grid)
        profile.update(outer)

    def _local_time(self, zone: str | None, *, short: bool = False) -> Text:
        if not zone:
            return Text(t("contact.call.unknown"), style="dim")
        local = self.liaison.now().astimezone(ZoneInfo(zone))
        verdict, variant = call_verdict(local)
        style = {"success": "green", "warning": "yellow", "error": "red"}[variant]
        place = zone.rsplit("/", 1)[-1].replace("_", " ") if short else zone
        text = Text(f"{local:%H:%M} {weekday(local)} ({place}) ")
        text.append(t(verdict), style=f"bold {style}")
        return text

    def _fill_points(self, points: list[ContactPoint]) -> None:
        rows = []
        for point in sorted(points, key=lambda p: (not p.is_primary, p.kind.value)):
            shown = format_phone(point.value) if point.kind == ContactPointKind.PHONE else point.raw
            label = point.kind.label() + (" ★" if point.is_primary else "")
            value = shown + (f"  ({point_label(point.label)})" if point.label else "")
            rows.append((point.id, [label, clip(value, self._width("#contact-points", "value"))]))
        self._fill("#contact-points", rows)

    def _fill_affiliations(self, view: ContactView) -> None:
        panel = self.query_one("#contact-affiliations", Static)
        panel.border_title = t("contact.affiliations")
        text = Text()
        for row in view.affiliations:
            if text:
                text.append("\n")
            text.append(row["name_zh"] or row["name_en"] or "—", style="bold")
            if row["name_zh"] and row["name_en"]:
                text.append(f" {row['name_en']}", style="dim")
            if row["role"]:
                text.append(f" · {row['role']}")
            if row["current"]:
                text.append(f" ({t('contact.current')})", style="green")
        panel.update(text or Text(t("none"), style="dim"))

    # ---------------------------------------------------------------- actions
    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        panes = ["tab-cases", "tab-followups", "tab-timeline", "tab-stages", "tab-intros", "tab-events"]
        current = panes.index(tabs.active) if tabs.active in panes else 0
        tabs.active = panes[(current + step) % len(panes)]
        focus_tab_list(tabs)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        focus_tab_list(event.tabbed_content)  # a click on a tab too: Enter then opens the row

    def action_copy(self) -> None:
        if not self.view or not self.view.points:
            self.notify(t("app.nothing_to_copy"), severity="warning")
            return
        table = self.query_one("#contact-points", NavTable)
        point_id = table.selected_key()
        point = next((p for p in self.view.points if p.id == point_id), self.view.points[0])
        self.liaison.copy(point.value, f"{point.kind.label()} {point.value}")

    def _selected_point(self) -> ContactPoint | None:
        point_id = self.query_one("#contact-points", NavTable).selected_key()
        point = next((p for p in self.view.points if p.id == point_id), None) if self.view else None
        if point is None:
            self.notify(t("point.none_selected"), severity="warning", timeout=3)
        return point

    async def action_point_edit(self) -> None:
        from .edit_forms import PointEditDialog

        point = self._selected_point()
        if point is not None:
            await self.app.push_screen(PointEditDialog(point))

    async def action_point_delete(self) -> None:
        point = self._selected_point()
        if point is None:
            return

        def chosen(answer: str | None) -> None:
            if answer == "delete":
                run_db(
                    self,
                    lambda store: store.contact_points.delete(point.id),
                    lambda _: (self.notify(t("point.deleted"), timeout=3), self.liaison.data_changed()),
                )

        options = [("keep", t("point.delete_no")), ("delete", t("point.delete_yes"))]
        await self.app.push_screen(
            ChoiceDialog(
                t("point.delete_title", what=f"{point.kind.label()} {point.raw}"), options, current="keep"
            ),
            chosen,
        )

    def log_subject(self) -> str | None:
        return self.view.contact.display_name if self.view else None

    def log_target(self) -> dict[str, str | None]:
        return {"contact_id": self.contact_id}

    async def action_followup(self) -> None:
        if self.view:
            await add_followup(self, self.view.contact.display_name, contact_id=self.contact_id)

    async def action_stage(self) -> None:
        if not self.view:
            return
        current = self.view.contact.stage
        options = [(s.value, s.label()) for s in PipelineStage]
        staff_id = self.liaison.me["id"] if self.liaison.me else None

        def chosen(stage: str | None) -> None:
            if not stage or stage == current.value:
                return
            run_db(
                self,
                lambda store: services.change_stage(store, self.contact_id, stage, staff_id=staff_id),
                lambda contact: (
                    self.notify(t("contact.stage_changed", stage=contact.stage.label())),
                    self.liaison.data_changed(),
                ),
            )

        await self.app.push_screen(
            ChoiceDialog(t("stage.title", stage=current.label()), options, current=current.value), chosen
        )

    async def action_new_case(self) -> None:
        if not self.view:
            return
        app = self.liaison
        dialog = NewCaseDialog(self.view.contact.display_name)
        owner = app.me["id"] if app.me else None

        def save(form: NewCaseDialog, values: dict[str, Any]) -> None:
            data = {**values, "beneficiary_id": self.contact_id, "owner_id": owner, "opened_at": app.now()}

            def saved(case: Any) -> None:
                form.dismiss(None)
                app.notify(t("case.created", number=case.number), timeout=4)
                app.open_case(case.id)

            def failed(error: BaseException) -> None:
                if isinstance(error, ValidationFailed):
                    form.show_problems(error.problems)
                else:
                    app.show_error(error)

            run_db(form, lambda store: services.create_case(store, data), saved, on_error=failed)

        dialog.on_save = save
        await app.push_screen(dialog)

    async def action_edit(self) -> None:
        from .contact_form import ContactForm

        await self.app.push_screen(ContactForm(self.contact_id))

    async def action_export_person(self) -> None:
        """Everything held about this person, for an access request (PIPL)."""
        from pathlib import Path

        from .export_screen import PersonExportDialog

        if self.view:
            folder = str(Path.home() / "liaison-access-requests")
            await self.app.push_screen(
                PersonExportDialog(self.contact_id, self.view.contact.display_name, folder)
            )

    async def action_merge_with(self) -> None:
        """Look up the duplicate record, then merge it into this contact (this one is kept)."""
        from .lookup import LookupScreen
        from .merge import MergeScreen

        def chosen(choice: tuple[str, str, str] | None) -> None:
            if not choice or choice[0] != "contact":
                return
            if choice[1] == self.contact_id:
                self.notify(t("tui.merge.same"), severity="warning")
                return
            self.app.push_screen(MergeScreen(self.contact_id, choice[1]))

        self.notify(t("tui.merge.pick"), timeout=4)
        await self.app.push_screen(LookupScreen(), chosen)

    def action_org(self) -> None:
        """Open the contact's organization (the current one, else the first affiliation listed)."""
        if self.view is None:
            return
        org_id = self.view.contact.org_id or next((a["org_id"] for a in self.view.affiliations), None)
        if org_id:
            self.liaison.open_org(org_id)
        else:
            self.notify(t("contact.no_org"), severity="warning", timeout=4)

    def on_row_list_row_selected(self, event: NavTable.RowSelected) -> None:
        value = event.key or ""
        if event.table.id == "contact-cases":
            self.liaison.open_case(value)
        elif event.table.id == "contact-followups" and self.view:
            row = next((f for f in self.view.followups if f["id"] == value), None)
            if row is not None:
                self.run_worker(followup_menu(self, row))
        elif event.table.id == "contact-points":
            self.action_copy()
        elif event.table.id == "contact-intros" and value:
            self.liaison.open_demand(value)
        elif event.table.id == "contact-events" and value:
            self.liaison.open_event(value)

    # ---------------------------------------------------------------- recruiting
    async def action_talent(self) -> None:
        from .demand import open_talent_form

        await open_talent_form(self, self.contact_id)

    def action_matches(self) -> None:
        from .demand import TalentMatchesScreen

        self.app.push_screen(TalentMatchesScreen(self.contact_id))

    async def action_point_add(self) -> None:
        from .recruiting_forms import PointAddDialog

        if self.view:
            await self.app.push_screen(PointAddDialog(self.contact_id, self.view.contact.display_name))

    async def action_affiliate(self) -> None:
        from .recruiting_forms import AffiliationForm

        name = self.view.contact.display_name if self.view else ""
        await self.app.push_screen(AffiliationForm(contact_id=self.contact_id, name=name))


def _status_text(status: str) -> Text:
    style = (
        "bold"
        if status in ("new", "triaged", "in_progress")
        else "dim"
        if status in ("closed", "rejected", "duplicate", "cancelled")
        else ""
    )
    return Text(short_label(CaseStatus, status), style=style)


def _due_text(due: str | None, status: str, now: datetime, tz: Any) -> Text:
    """A case's due date (the day is what counts), red when an open case is past it."""
    from ...domain.workflow import is_open

    overdue = due is not None and is_open(status) and due < now.strftime("%Y-%m-%dT%H:%M:%SZ")
    return Text(stamp(due, tz, with_time=False), style="bold red" if overdue else "")


def _followup_due(row: dict[str, Any], shown: str, now: datetime) -> Text:
    """``shown`` (from :func:`time_column`), red when a live follow-up is past due, dim when it is done."""
    live = row["status"] in ("open", "snoozed")
    overdue = live and row["due"] < now.strftime("%Y-%m-%dT%H:%M:%SZ")
    return Text(shown, style="bold red" if overdue else "" if live else "dim")


def _consent_text(states: list[Any]) -> Text:
    """Consent at a glance: each purpose, ✓ valid, ✗ withdrawn or expired, ○ never recorded."""
    text = Text()
    for state in states:
        if text:
            text.append("  ")
        mark, style = (
            ("✓", "green") if state.valid else (("○", "dim") if state.event is None else ("✗", "red"))
        )
        label = ConsentPurpose(state.purpose).short_label()
        text.append(f"{label} {mark}", style=style)
    return text
