"""Home: my follow-ups (overdue, today, this week), my open cases by status and category with overdue
counts, and the contacts touched most recently. Enter opens whatever the cursor is on."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ...domain.enums import CaseCategory, FollowUpKind, PipelineStage
from ...domain.i18n import t
from ...domain.workflow import ORDER
from ...store import queries
from ..db import run_db
from ..fmt import clip, enum_label, person, relative, stamp, weekday
from ..keymap import key
from ..widgets.nav_table import NavTable
from .base import BaseScreen

_BUCKET_STYLE = {"overdue": "bold red", "today": "bold yellow", "week": "bold cyan"}


class HomeScreen(BaseScreen):
    TITLE_KEY = "screen.home"
    # The mode keys are shown in the footer here; elsewhere they work but stay out of the way.
    BINDINGS = [
        key("2", "app.cases", "app.cases"),
        key("3", "app.agenda", "app.agenda"),
        key("f2", "app.toggle_language", "app.language"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summary: queries.HomeSummary | None = None
        self.views: list[dict[str, Any]] = []  # saved views (store/saved_views.py)

    def compose_body(self) -> ComposeResult:
        with Vertical(id="home-left", classes="panel") as left:
            left.border_title = t("home.followups")
            yield NavTable(id="home-followups")
        with Vertical(id="home-right"):
            with Vertical(id="home-cases-panel", classes="panel") as cases:
                cases.border_title = t("home.cases")
                yield NavTable(id="home-cases")
            with Vertical(id="home-recent-panel", classes="panel") as recent:
                recent.border_title = t("home.recent")
                yield NavTable(id="home-recent")
            with Vertical(id="home-views-panel", classes="panel") as views:
                views.border_title = t("views.home")
                views.display = False  # shown once the user has saved views
                yield NavTable(id="home-views")
        yield Static(id="home-empty")

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#home-left").border_title = t("home.followups")
        self.query_one("#home-cases-panel").border_title = t("home.cases")
        self.query_one("#home-recent-panel").border_title = t("home.recent")
        self.query_one("#home-views-panel").border_title = t("views.home")
        self.query_one("#home-views", NavTable).set_columns(
            [("name", "col.name", 1.0), ("kind", "col.kind", 10)]
        )
        if self.views:
            self._fill_views(self.views)
        self.query_one("#home-followups", NavTable).set_columns(
            [("due", "col.due", 11), ("what", "col.what", 0.62), ("who", "col.who", 0.38)]
        )
        self.query_one("#home-cases", NavTable).set_columns(
            [("what", "col.status", 1.0), ("n", "col.count", 5), ("overdue", "col.overdue", 7)]
        )
        self._recent_columns()
        if self.summary:
            self._show(self.summary)

    def _recent_columns(self, width: int | None = None) -> None:
        table = self.query_one("#home-recent", NavTable)
        if (width or table.size.width or 80) < 56:  # 80 columns: the organization would leave no room
            spec = [("name", "col.name", 1.0), ("stage", "col.stage", 8), ("last", "col.last", 10)]
        else:
            spec = [
                ("name", "col.name", 0.55),
                ("org", "col.org", 0.45),
                ("stage", "col.stage", 10),
                ("last", "col.last", 13),
            ]
        table.set_columns(spec, width)

    def on_row_list_relaid(self, event: NavTable.Relaid) -> None:
        if event.table.id == "home-views":
            self._fill_views(self.views)
            return
        if event.table.id == "home-recent":
            self._recent_columns(event.table.size.width)
        if self.summary:
            self._show(self.summary)

    def screen_context(self) -> str:
        now = self.liaison.now().astimezone(self.liaison.tz)
        me = self.liaison.me
        return t(
            "home.greeting", name=me["display_name"] if me else "", date=f"{now:%Y-%m-%d} {weekday(now)}"
        )

    def reload(self) -> None:
        app = self.liaison
        self._load_views()
        first, app.first_home = app.first_home, None
        if first is not None:  # read at start-up, moments ago
            self._show(first)
            return
        staff_id = app.me["id"] if app.me else None
        run_db(
            self,
            lambda store: queries.home_summary(store, staff_id, app.now(), app.tz),
            self._show,
            group="home",
            exclusive=True,
            read_only=True,
        )

    def _load_views(self) -> None:
        me = (self.liaison.me or {}).get("id")

        def load(store: Any) -> list[dict[str, Any]]:
            from ...store.saved_views import views_for

            return views_for(store.conn, me)

        run_db(self, load, self._fill_views, group="home-views", exclusive=True, read_only=True)

    def _fill_views(self, views: list[dict[str, Any]]) -> None:
        from ...domain.enums import ViewKind

        self.views = views
        panel = self.query_one("#home-views-panel")
        panel.display = bool(views)
        panel.styles.height = min(len(views), 5) + 3  # border, header, a line per view
        table = self.query_one("#home-views", NavTable)
        table.clear()
        for i, view in enumerate(views):
            table.add_row(
                clip(view["name"], table.w("name")), enum_label(ViewKind, view["kind"]), key=f"view:{i}"
            )

    # ---------------------------------------------------------------- rendering
    def _show(self, summary: queries.HomeSummary) -> None:
        self.summary = summary
        self._fill_followups(summary)
        self._fill_cases(summary.cases)
        self._fill_recent(summary.recent)
        self.call_after_refresh(self.liaison.first_screen_shown.set)

    def _fill_followups(self, summary: queries.HomeSummary) -> None:
        table = self.query_one("#home-followups", NavTable)
        keep = table.cursor_row
        table.clear()
        now, tz = self.liaison.now(), self.liaison.tz
        what_width, who_width = table.w("what"), table.w("who")
        for bucket in ("overdue", "today", "week"):
            count = summary.followup_counts[bucket]
            label = Text(f"{t('home.' + bucket)} · {count}", style=_BUCKET_STYLE[bucket])
            table.add_row(Text("▌", style=_BUCKET_STYLE[bucket]), label, "", key=f"section:{bucket}")
            for row in summary.followups[bucket]:
                # one format a section: how long overdue, today's hour, this week's day and hour
                due = (
                    relative(row["due"], now)
                    if bucket == "overdue"
                    else stamp(row["due"], tz).split(" ")[1]
                    if bucket == "today"
                    else stamp(row["due"], tz)[5:]
                )
                what = row["title"] or enum_label(FollowUpKind, row["kind"])
                who = (
                    row["case_number"]
                    if row["case_id"] and not row["native_name"] and not row["latin_name"]
                    else person(row["native_name"], row["latin_name"])
                )
                style = "red" if bucket == "overdue" else ""
                table.add_row(
                    Text(due, style=style),
                    clip(what, what_width),
                    clip(who, who_width),
                    key=f"followup:{row['id']}:{row['contact_id'] or ''}:{row['case_id'] or ''}",
                )
            more = count - len(summary.followups[bucket])
            if more > 0:
                table.add_row("", Text(t("home.more", n=more), style="dim"), "", key=f"more:{bucket}")
        table.move_cursor(row=min(keep, max(table.row_count - 1, 0)))

    def _fill_cases(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one("#home-cases", NavTable)
        keep = table.cursor_row
        table.clear()
        by_status: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_status[row["status"]].append(row)
        total = overdue_total = 0
        for status in ORDER:
            group = sorted(by_status.get(status.value, []), key=lambda r: (-r["n"], r["category"]))
            if not group:
                continue
            n = sum(r["n"] for r in group)
            overdue = sum(r["overdue"] or 0 for r in group)
            total, overdue_total = total + n, overdue_total + overdue
            table.add_row(
                Text(status.label(), style="bold"),
                Text(str(n), style="bold"),
                _overdue_cell(overdue),
                key=f"status:{status.value}",
            )
            for row in group:
                table.add_row(
                    Text("  " + clip(enum_label(CaseCategory, row["category"]), table.w("what") - 2)),
                    str(row["n"]),
                    _overdue_cell(row["overdue"] or 0),
                    key=f"cat:{status.value}:{row['category']}",
                )
        table.add_row(
            Text(t("home.total"), style="bold"),
            Text(str(total), style="bold"),
            _overdue_cell(overdue_total),
            key="status:*",
        )
        table.move_cursor(row=min(keep, max(table.row_count - 1, 0)))

    def _fill_recent(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one("#home-recent", NavTable)
        keep = table.cursor_row
        table.clear()
        now = self.liaison.now()
        with_org = "org" in table.widths
        for row in rows:
            cells = [clip(person(row["native_name"], row["latin_name"]), table.w("name"))]
            if with_org:
                cells.append(clip(row["name_zh"] or row["name_en"], table.w("org")))
            cells += [enum_label(PipelineStage, row["stage"]), relative(row["last_activity_at"], now)]
            table.add_row(*cells, key=f"contact:{row['id']}")
        table.move_cursor(row=min(keep, max(table.row_count - 1, 0)))

    # ---------------------------------------------------------------- opening
    def on_row_list_row_selected(self, event: NavTable.RowSelected) -> None:
        key = event.key or ""
        kind, _, rest = key.partition(":")
        app = self.liaison
        if kind == "contact":
            app.open_contact(rest)
        elif kind == "followup":
            _fid, contact_id, case_id = rest.split(":")
            if case_id:
                app.open_case(case_id)
            elif contact_id:
                app.open_contact(contact_id)
        elif kind in ("section", "more"):
            app.action_agenda()
        elif kind == "status":
            app.show_cases(status=None if rest == "*" else rest, mine=True)
        elif kind == "view" and int(rest) < len(self.views):
            from ..saved_views import open_view

            open_view(app, self.views[int(rest)])
        elif kind == "cat":
            status, _, category = rest.partition(":")
            app.show_cases(status=status, category=category, mine=True)


def _overdue_cell(n: int) -> Text:
    return Text(str(n), style="bold red") if n else Text("0", style="dim")
