"""An event: details and attendance figures, and its people paged from SQLite (s filters by status). c opens
the check-in desk, r registers someone (lookup), I imports a sign-up sheet and registers everyone on it, a
marks the selected person present (again: back to registered), N notes something about them, x marks the
no-shows, F lists who attended and has no follow-up yet, e edits the event.

The check-in desk: type a few letters of a name (pinyin and initials work) or paste a phone, Enter checks in
the first match, and the box is ready for the next person. The registrants are held in memory, so it works
on the trip laptop offline; the check-ins sync like any change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from ...domain.display import country_name
from ...domain.enums import AttendanceStatus, EventKind
from ...domain.i18n import list_sep, register, t
from ...domain.models import Event
from ...domain.search_keys import has_cjk, looks_like_phone
from ...store import recruiting_queries as RQ
from ...store.queries import CasePage
from ..db import run_db
from ..fmt import clip, enum_label, person, short_stamp
from ..keymap import key
from ..widgets.nav_table import NavTable
from ..widgets.paged_table import PagedTable
from .base import BaseScreen
from .dialogs import ChoiceDialog

register(
    {
        "screen.event": ("Event", "活动"),
        "screen.checkin": ("Check-in", "现场签到"),
        "screen.event_followups": ("After the event", "会后跟进"),
        "event.people": ("People ({n})", "人员（{n}）"),
        "event.figures": ("Attendance", "出席情况"),
        "event.all": ("everyone", "全部"),
        "event.checkin.prompt": (
            "Name, pinyin, initials or phone — Enter checks in the first match",
            "姓名、拼音、首字母或电话——回车为第一位签到",
        ),
        "event.checkin.count": ("{done} of {total} checked in", "已签到 {done} / {total}"),
        "event.checkin.not_today": (
            "  ⚠ This event is on {date}, not today: check-ins are recorded as attendance",
            "  ⚠ 本活动日期为 {date}，不是今天：签到将记为出席",
        ),
        "event.checkin.done": ("✓ {name} checked in", "✓ {name} 已签到"),
        "event.checkin.again": ("{name} was already checked in", "{name} 此前已签到"),
        "event.checkin.none": (
            "Not on the list: Enter again looks everyone up to register them as a walk-in; "
            "Ctrl+N adds someone new",
            "名单中没有：再按回车在全部联系人中查找并现场报名；Ctrl+N 新建此人",
        ),
        "event.checkin.walk_in": (
            "✓ {name} registered at the door and checked in",
            "✓ {name} 现场报名并签到",
        ),
        "event.checkin.undone": ("Check-in of {name} undone", "已撤销 {name} 的签到"),
        "event.registered": ("Registered {name}", "已为 {name} 报名"),
        "event.marked": ("{name}: {status}", "{name}：{status}"),
        "event.note_title": ("Note about {name}", "关于 {name} 的备注"),
        "event.no_shows": ("{n} marked as no-shows", "已标记 {n} 人未出席"),
        "event.followups_added": ("{n} follow-up(s) added", "已添加 {n} 条待办"),
        "event.followups_all": ("Add a follow-up for all {n}?", "为全部 {n} 人添加待办？"),
        "event.yes": ("Yes, add them", "是，添加"),
        "event.no": ("No", "否"),
        "event.nobody_left": ("Everyone who attended has a follow-up.", "所有出席者均已有待办。"),
        "event.imported": (
            "Sign-up sheet: {created} new, {updated} updated; {added} registered ({already} already were)",
            "报名表：新建 {created}，更新 {updated}；报名 {added} 人（{already} 人此前已报名）",
        ),
        "event.import_title": (
            "Sign-up sheet to import (CSV, XLSX, vCard)",
            "要导入的报名表（CSV、XLSX、vCard）",
        ),
        "key.event.checkin": ("Check-in", "签到"),
        "key.event.register": ("Register", "报名"),
        "key.event.attend": ("Present", "出席"),
        "key.event.note": ("Note", "备注"),
        "key.event.no_shows": ("No-shows", "未出席"),
        "key.event.followups": ("Follow-ups", "会后跟进"),
        "key.event.import": ("Sign-up sheet", "导入报名表"),
        "key.event.status": ("Status", "状态"),
        "key.event.edit": ("Edit", "编辑"),
        "key.checkin.undo": ("Undo last", "撤销上一位"),
        "key.checkin.new": ("New walk-in", "新建现场来宾"),
        "key.followups.one": ("Follow-up", "待办"),
        "key.followups.all": ("For everyone", "全部添加"),
        "col.checked_in": ("Checked in", "签到"),
        "col.note": ("Note", "备注"),
    }
)


@dataclass
class EventView:
    event: Event
    counts: dict[str, int]
    organizers: list[str]


def load_event(store: Any, event_id: str) -> EventView:
    event: Event = store.events.get(event_id)
    names = RQ.org_names(store, event.organizer_ids)
    return EventView(event, RQ.event_counts(store, event_id), [names.get(o, o) for o in event.organizer_ids])


def _figures(counts: dict[str, int]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column()
    grid.add_column(justify="right")
    for status in AttendanceStatus:
        n = counts.get(status.value, 0)
        style = "bold green" if status == AttendanceStatus.ATTENDED else "dim" if not n else ""
        grid.add_row(Text(status.label(), style=style), Text(f"{n:,}", style=style))
    return grid


class EventScreen(BaseScreen):
    TITLE_KEY = "screen.event"
    BINDINGS: ClassVar[list[Any]] = [
        key("c", "checkin", "event.checkin"),
        key("r", "register", "event.register"),
        key("a", "attend", "event.attend"),
        key("N", "note", "event.note"),
        key("s", "status", "event.status"),
        key("x", "no_shows", "event.no_shows"),
        key("F", "followups", "event.followups"),
        key("I", "sheet", "event.import", show=False),
        key("e", "edit", "event.edit"),
    ]

    def __init__(self, event_id: str) -> None:
        super().__init__()
        self.event_id = event_id
        self.view: EventView | None = None
        self.status: str | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="record-body"):
            with Vertical(id="record-left"):
                yield Static(id="event-details", classes="panel")
            with Vertical(id="event-people-panel", classes="panel"):
                yield PagedTable(id="event-people")

    def on_mount(self) -> None:
        table = self.query_one(PagedTable)
        table.loader = self._page
        table.render_row = self._cells
        super().on_mount()

    def relabel(self) -> None:
        super().relabel()
        self.query_one(PagedTable).set_columns(
            [
                ("name", "col.name", 0.4),
                ("org", "col.org", 0.3),
                ("status", "col.status", 10),
                ("when", "col.checked_in", 11),
                ("note", "col.note", 0.3),
            ]
        )
        if self.view:
            self._show(self.view)
            self.query_one(PagedTable).reload()

    def screen_title(self) -> str:
        return f"{t('screen.event')} · {self.view.event.name}" if self.view else t("screen.event")

    def reload(self) -> None:
        run_db(
            self, lambda store: load_event(store, self.event_id), self._show, group="event", exclusive=True
        )
        table = self.query_one(PagedTable)
        if table.window_rows:
            table.reload()
        else:
            table.reset()

    def _page(self, store: Any, **kwargs: Any) -> CasePage:
        return RQ.attendees_page(store, self.event_id, status=self.status, **kwargs)

    def _cells(self, row: dict[str, Any], table: PagedTable) -> list[Any]:
        status = row["status"]
        style = {"attended": "green", "no_show": "red", "invited": "dim"}.get(status, "")
        return [
            clip(person(row["native_name"], row["latin_name"]), table.w("name")),
            clip(row["org_zh"] or row["org_en"], table.w("org")),
            Text(enum_label(AttendanceStatus, status), style=style),
            short_stamp(row["checked_in_at"], self.liaison.tz, self.liaison.now())
            if row["checked_in_at"]
            else "",
            clip(row["notes"], table.w("note")),
        ]

    def _show(self, view: EventView) -> None:
        self.view = view
        e = view.event
        self.query_one("#title", Static).update(Text(self.screen_title()))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        when = e.starts_on.isoformat() + (
            f" – {e.ends_on.isoformat()}" if e.ends_on and e.ends_on != e.starts_on else ""
        )
        for label_key, value in (
            ("field.kind", enum_label(EventKind, e.kind)),
            ("field.starts_on", when),
            ("field.venue", e.venue),
            (
                "field.city",
                " · ".join(p for p in (e.city, country_name(e.country) if e.country else None) if p),
            ),
            ("field.timezone", e.timezone),
            ("field.organizer_ids", list_sep().join(view.organizers)),
            ("field.notes", e.notes),
        ):
            if value:
                grid.add_row(t(label_key), Text(value))
        outer = Table.grid()
        outer.add_row(Text(e.name, style="bold"))
        outer.add_row(grid)
        outer.add_row(Text(""))
        outer.add_row(Text(t("event.figures"), style="bold"))
        outer.add_row(_figures(view.counts))
        panel = self.query_one("#event-details", Static)
        panel.border_title = t("screen.event")
        panel.update(outer)
        total = sum(view.counts.values())
        shown = enum_label(AttendanceStatus, self.status) if self.status else t("event.all")
        self.query_one("#event-people-panel").border_title = (
            t("event.people", n=f"{total:,}") + f" · s {shown}"
        )

    def _selected(self) -> dict[str, Any] | None:
        table = self.query_one(PagedTable)
        row_id = table.selected_key()
        return table.row_data(row_id) if row_id else None

    def _done(self, message: str) -> Any:
        def after(_: Any) -> None:
            self.notify(message, timeout=3)
            self.liaison.data_changed()

        return after

    # ---------------------------------------------------------------- actions
    async def action_checkin(self) -> None:
        await self.app.push_screen(CheckinScreen(self.event_id, self.view.event.name if self.view else ""))

    async def action_register(self) -> None:
        from ...store import recruiting as R
        from .lookup import LookupScreen

        event_id = self.event_id

        def chosen(choice: tuple[str, str, str] | None) -> None:
            if choice and choice[0] == "contact":
                run_db(
                    self,
                    lambda store: R.register_people(store, event_id, [choice[1]]),
                    self._done(t("event.registered", name=choice[2])),
                )

        await self.app.push_screen(LookupScreen(), chosen)

    def action_attend(self) -> None:
        from ...store import recruiting as R

        row = self._selected()
        if row is None:
            return
        name = person(row["native_name"], row["latin_name"])
        if row["status"] == "attended":
            run_db(
                self,
                lambda store: R.undo_check_in(store, row["id"]),
                self._done(t("event.checkin.undone", name=name)),
            )
        else:
            now = self.liaison.now()
            run_db(
                self,
                lambda store: R.check_in(store, row["id"], when=now),
                self._done(t("event.checkin.done", name=name)),
            )

    async def action_note(self) -> None:
        from .demand import TextDialog

        row = self._selected()
        if row is None:
            return
        name = person(row["native_name"], row["latin_name"])

        def written(text: str | None) -> None:
            if text:
                run_db(
                    self,
                    lambda store: store.attendances.update(row["id"], {"notes": text}),
                    self._done(t("app.saved")),
                )

        await self.app.push_screen(TextDialog(t("event.note_title", name=name), row["notes"] or ""), written)

    async def action_status(self) -> None:
        options = [("*", t("event.all"))] + [(s.value, s.label()) for s in AttendanceStatus]

        def chosen(value: str | None) -> None:
            if value is not None:
                self.status = None if value == "*" else value
                self.query_one(PagedTable).reset()
                if self.view:
                    self._show(self.view)

        await self.app.push_screen(ChoiceDialog(t("col.status"), options, current=self.status or "*"), chosen)

    def action_no_shows(self) -> None:
        from ...store import recruiting as R

        event_id = self.event_id

        def done(n: int) -> None:
            self.notify(t("event.no_shows", n=n), timeout=4)
            self.liaison.data_changed()

        run_db(self, lambda store: R.mark_no_shows(store, event_id), done)

    async def action_followups(self) -> None:
        await self.app.push_screen(
            EventFollowupsScreen(self.event_id, self.view.event.name if self.view else "")
        )

    async def action_sheet(self) -> None:
        from .demand import TextDialog
        from .path_input import PathSuggester

        dialog = TextDialog(t("event.import_title"), suggester=PathSuggester((".csv", ".xlsx", ".vcf")))
        await self.app.push_screen(dialog, self._import)

    def _import(self, path: str | None) -> None:
        if not path:
            return
        event_id = self.event_id

        def work(store: Any) -> str:
            from pathlib import Path

            from ...domain.i18n import get_lang
            from ...importer.apply import apply_import
            from ...importer.mapping import Mapping
            from ...importer.plan import plan_import
            from ...importer.readers import read_file
            from ...store import recruiting as R

            file = Path(path).expanduser()
            table = read_file(file)
            plan = plan_import(store, table, Mapping.guess(file.stem, table.headers), file_name=file.name)
            result = apply_import(store, plan, lang=get_lang())
            people = [
                *result.created,
                *result.updated,
                *(r.contact_id for r in result.rows if r.action == "unchanged" and r.contact_id),
            ]
            registered = R.register_people(store, event_id, people)
            return t(
                "event.imported",
                created=len(result.created),
                updated=len(result.updated),
                added=len(registered.added),
                already=len(registered.already),
            )

        run_db(self, work, lambda message: (self.notify(message, timeout=6), self.liaison.data_changed()))

    async def action_edit(self) -> None:
        from .recruiting_forms import EventForm

        if self.view:
            await self.app.push_screen(EventForm(self.view.event))

    def on_row_list_row_selected(self, event: NavTable.RowSelected) -> None:
        row = self._selected()
        if row:
            self.liaison.open_contact(row["contact_id"])


class CheckinScreen(BaseScreen):
    """The door: one box, the matches under it, Enter checks in the first (or the highlighted) one."""

    TITLE_KEY = "screen.checkin"
    BINDINGS: ClassVar[list[Any]] = [
        key("ctrl+z", "undo", "checkin.undo"),
        key("ctrl+n", "new_walk_in", "checkin.new"),
    ]

    def __init__(self, event_id: str, name: str) -> None:
        super().__init__()
        self.event_id = event_id
        self.event_name = name
        self.index: Any = None
        self.found: list[Any] = []
        self.last: tuple[str, str] | None = None  # (attendance id, name) of the last check-in
        self._walk_in_query: str | None = None
        self.event: Any = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="checkin-body"):
            yield Static(id="checkin-count")
            yield Input(id="checkin-input")
            yield NavTable(id="checkin-hits")
            yield Static(id="checkin-status")

    def screen_title(self) -> str:
        return f"{t('screen.checkin')} · {self.event_name}"

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#checkin-input", Input).placeholder = t("event.checkin.prompt")
        self.query_one("#checkin-hits", NavTable).set_columns(
            [
                ("name", "col.name", 0.35),
                ("detail", "col.org", 0.4),
                ("matched", "col.value", 0.25),
                ("status", "col.status", 10),
            ]
        )
        self._render_hits()
        self._count()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#checkin-input", Input).focus()

    def reload(self) -> None:
        from ...store.checkin import CheckinIndex

        event_id = self.event_id
        run_db(
            self,
            lambda store: (CheckinIndex.load(store, event_id), store.events.get(event_id)),
            self._loaded,
            group="checkin-load",
            exclusive=True,
        )

    def _loaded(self, loaded: tuple[Any, Any]) -> None:
        self.index, self.event = loaded
        self._count()
        self._search(self.query_one("#checkin-input", Input).value)

    def _count(self) -> None:
        if self.index is None:
            return
        counts = self.index.counts()
        done = counts.get("attended", 0)
        total = sum(n for s, n in counts.items() if s != "invited") or sum(counts.values())
        line = Text(t("event.checkin.count", done=done, total=total), style="bold")
        away = self._not_today()
        if away:
            line.append("  ")
            line.append(t("event.checkin.not_today", date=away).strip(), style="bold yellow")
        self.query_one("#checkin-count", Static).update(line)

    def _not_today(self) -> str | None:
        """The event's date when today (where it takes place) is not within a day of it, else None: a
        check-in at the wrong event's desk would record someone as attending weeks early."""
        event = self.event
        if event is None:
            return None
        from datetime import timedelta
        from zoneinfo import ZoneInfo

        now = self.liaison.now()
        today = (
            now.astimezone(ZoneInfo(event.timezone)) if event.timezone else now.astimezone(self.liaison.tz)
        ).date()
        first, last = event.starts_on, event.ends_on or event.starts_on
        if first - timedelta(days=1) <= today <= last + timedelta(days=1):
            return None
        return first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"

    @on(Input.Changed, "#checkin-input")
    def _changed(self, event: Input.Changed) -> None:
        self._walk_in_query = None
        self._search(event.value)

    def _search(self, text: str) -> None:
        # In memory (the event's registrants): answered on the event loop in a millisecond or two.
        self.found = self.index.find(text) if self.index is not None and text.strip() else []
        self._render_hits()

    def _render_hits(self) -> None:
        table = self.query_one("#checkin-hits", NavTable)
        table.clear()
        for hit in self.found:
            style = "green" if hit.status == "attended" else ""
            table.add_row(
                Text(clip(hit.name, table.w("name")), style=style),
                clip(hit.detail, table.w("detail")),
                clip(hit.matched, table.w("matched")),
                Text(enum_label(AttendanceStatus, hit.status), style=style),
                key=hit.attendance_id,
            )

    @on(Input.Submitted, "#checkin-input")
    async def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        if not self.found:
            if self._walk_in_query == text:
                await self._walk_in(text)
                return
            self._walk_in_query = text
            self._status(t("event.checkin.none"), "yellow")
            return
        table = self.query_one("#checkin-hits", NavTable)
        chosen = next((h for h in self.found if h.attendance_id == table.selected_key()), self.found[0])
        self._check(chosen.attendance_id, chosen.name, chosen.status == "attended")

    def on_row_list_row_selected(self, event: NavTable.RowSelected) -> None:
        hit = next((h for h in self.found if h.attendance_id == event.key), None)
        if hit is not None:
            self._check(hit.attendance_id, hit.name, hit.status == "attended")

    def _check(self, attendance_id: str, name: str, already: bool) -> None:
        from ...store import recruiting as R

        box = self.query_one("#checkin-input", Input)
        box.value = ""
        box.focus()
        if already:
            self._status(t("event.checkin.again", name=name), "yellow")
            return
        now = self.liaison.now()
        self.index.mark(attendance_id, "attended")
        self.last = (attendance_id, name)
        self._count()
        self._status(t("event.checkin.done", name=name), "bold green")

        def failed(error: BaseException) -> None:
            self.index.mark(attendance_id, "registered")
            self._count()
            self.liaison.show_error(error)

        run_db(
            self,
            lambda store: R.check_in(store, attendance_id, when=now),
            lambda _: self.liaison.refresh_sync_state(),
            on_error=failed,
        )

    async def _walk_in(self, text: str) -> None:
        from .lookup import LookupScreen

        def chosen(choice: tuple[str, str, str] | None) -> None:
            if choice and choice[0] == "contact":
                self._register_walk_in(choice[1], choice[2])

        await self.app.push_screen(LookupScreen(text), chosen)

    async def action_new_walk_in(self) -> None:
        """Someone at the door who is nowhere in the store: the contact form, with what was typed in the
        box as their name or phone; saved, they are registered and checked in at once."""
        from .contact_form import ContactForm

        typed = self.query_one("#checkin-input", Input).value.strip()
        if not typed:
            prefill = {}
        elif looks_like_phone(typed):
            prefill = {"phone": typed}
        else:
            prefill = {"native_name" if has_cjk(typed) else "latin_name": typed}

        def created(contact_id: str | None) -> None:
            if contact_id:
                self._register_walk_in(contact_id, typed if "phone" not in prefill else "")

        await self.app.push_screen(ContactForm(None, prefill), created)

    def _register_walk_in(self, contact_id: str, name: str) -> None:
        from ...store import recruiting as R

        event_id = self.event_id

        def work(store: Any) -> tuple[Any, str]:
            att = R.walk_in(store, event_id, contact_id)
            contact = store.contacts.get(contact_id)
            named = contact.native_name or contact.latin_name
            return att, person(contact.native_name, contact.latin_name) if named else name

        def done(result: tuple[Any, str]) -> None:
            att, shown = result
            self.index.add(att.id, contact_id, shown)
            self._count()
            self._status(t("event.checkin.walk_in", name=shown), "bold green")
            box = self.query_one("#checkin-input", Input)
            box.value = ""
            box.focus()

        run_db(self, work, done)

    def action_undo(self) -> None:
        from ...store import recruiting as R

        if self.last is None:
            return
        attendance_id, name = self.last
        self.last = None
        self.index.mark(attendance_id, "registered")
        self._count()
        run_db(
            self,
            lambda store: R.undo_check_in(store, attendance_id),
            lambda _: self._status(t("event.checkin.undone", name=name), "yellow"),
        )

    def _status(self, message: str, style: str) -> None:
        self.query_one("#checkin-status", Static).update(Text(message, style=style))


class EventFollowupsScreen(BaseScreen):
    """Everyone who attended and has no follow-up since the event began: f adds one for the selected person,
    A for everyone listed."""

    TITLE_KEY = "screen.event_followups"
    BINDINGS: ClassVar[list[Any]] = [key("f", "one", "followups.one"), key("A", "all", "followups.all")]

    def __init__(self, event_id: str, name: str) -> None:
        super().__init__()
        self.event_id = event_id
        self.event_name = name
        self.rows: list[dict[str, Any]] = []

    def compose_body(self) -> ComposeResult:
        yield NavTable(id="event-followups")

    def screen_title(self) -> str:
        return f"{t('screen.event_followups')} · {self.event_name} ({len(self.rows)})"

    def relabel(self) -> None:
        super().relabel()
        self.query_one(NavTable).set_columns(
            [
                ("name", "col.name", 0.35),
                ("org", "col.org", 0.35),
                ("when", "col.checked_in", 11),
                ("note", "col.note", 0.3),
            ]
        )
        self._fill()

    def on_row_list_relaid(self) -> None:
        self._fill()

    def reload(self) -> None:
        from ...store import recruiting as R

        event_id = self.event_id
        run_db(
            self,
            lambda store: R.followup_list(store, event_id),
            self._loaded,
            group="event-followups",
            exclusive=True,
        )

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(NavTable)
        keep = table.cursor_row
        table.clear()
        for row in self.rows:
            table.add_row(
                clip(person(row["native_name"], row["latin_name"]), table.w("name")),
                clip(row["name_zh"] or row["name_en"], table.w("org")),
                short_stamp(row["checked_in_at"], self.liaison.tz, self.liaison.now())
                if row["checked_in_at"]
                else "",
                clip(row["notes"], table.w("note")),
                key=row["id"],
            )
        if self.rows:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self.query_one("#title", Static).update(Text(self.screen_title()))

    async def action_one(self) -> None:
        from .record_actions import add_followup

        cid = self.query_one(NavTable).selected_key()
        row = next((r for r in self.rows if r["id"] == cid), None)
        if row:
            await add_followup(self, person(row["native_name"], row["latin_name"]), contact_id=cid)

    async def action_all(self) -> None:
        from ...domain.i18n import get_lang
        from ...store import recruiting as R

        if not self.rows:
            self.notify(t("event.nobody_left"), timeout=3)
            return
        ids, event_id, lang = [r["id"] for r in self.rows], self.event_id, get_lang()

        def chosen(answer: str | None) -> None:
            if answer == "yes":
                run_db(
                    self,
                    lambda store: R.create_event_followups(store, event_id, ids, lang=lang),
                    lambda n: (
                        self.notify(t("event.followups_added", n=n), timeout=4),
                        self.liaison.data_changed(),
                    ),
                )

        options = [("yes", t("event.yes")), ("no", t("event.no"))]
        await self.app.push_screen(
            ChoiceDialog(t("event.followups_all", n=len(ids)), options, current="no"), chosen
        )

    def on_row_list_row_selected(self, event: NavTable.RowSelected) -> None:
        if event.key:
            self.liaison.open_contact(event.key)
