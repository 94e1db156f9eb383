"""The case list: filtered by status, category, owner and overdue; sortable; paged from SQLite by keyset
(the table holds a few pages at a time, see :class:`PagedTable`)."""

from __future__ import annotations

import dataclasses
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ...domain.enums import CaseCategory, CasePriority, CaseStatus
from ...domain.i18n import t
from ...domain.workflow import ORDER
from ...store import queries
from ...store.queries import CaseFilter
from ..db import run_db
from ..fmt import clip, enum_label, person, short_label, stamp
from ..keymap import key
from ..widgets.paged_table import PagedTable
from .base import NARROW_BELOW, BaseScreen
from .dialogs import ChoiceDialog

_PRIORITY_STYLE = {"urgent": "bold red", "high": "yellow", "low": "dim"}
NUMBER_WIDTH = 16  # QD-2026-K7M-0042: always whole (staff read and type it)


class CasesScreen(BaseScreen):
    TITLE_KEY = "screen.cases"
    BINDINGS = [
        key("s", "filter_status", "cases.status"),
        key("c", "filter_category", "cases.category"),
        key("o", "toggle_owner", "cases.owner"),
        key("d", "toggle_overdue", "cases.overdue"),
        key("r", "sort", "cases.sort"),
        key("R", "reverse", "cases.reverse", show=False),
    ]

    def __init__(
        self, flt: CaseFilter | None = None, *, mine: bool = True, caption: str | None = None
    ) -> None:
        super().__init__()
        self.filter = flt or CaseFilter()
        self.mine = mine
        self.caption = caption  # the report figure this list was opened from
        self.total: int | None = None
        self._loaded = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="cases-filters")
        yield PagedTable(id="cases-table")

    def on_mount(self) -> None:
        table = self.query_one(PagedTable)
        table.loader = self._page
        table.render_row = self._cells
        super().on_mount()

    def relabel(self) -> None:
        super().relabel()
        table = self.query_one(PagedTable)
        table.set_columns(self._spec())
        self._show_filters()
        if self._loaded:
            table.reload()

    def narrow_changed(self) -> None:
        self._set_columns()
        self._show_filters()

    def _set_columns(self) -> None:
        """New columns for the rows already held (the layout or the owner filter changed)."""
        table = self.query_one(PagedTable)
        table.kept_row = table.cursor_row
        table.set_columns(self._spec())
        table.refill()

    def _spec(self) -> list[tuple[str, str, int | float]]:
        """Fixed columns as wide as their longest label; the title takes what is left. At 80 columns the
        category goes (it is in the filter bar when filtered); the owner shows only for everyone's cases."""
        narrow = self.app.size.width < NARROW_BELOW
        status = max(cell_len(s.short_label()) for s in CaseStatus)
        priority = max(cell_len(p.label()) for p in CasePriority)
        spec: list[tuple[str, str, int | float]] = [
            ("number", "col.number", NUMBER_WIDTH),
            ("title", "col.title", 0.6 if narrow else 0.45),
            ("who", "col.beneficiary", 0.4 if narrow else 0.3),
        ]
        if not narrow:
            spec.append(("category", "col.category", 0.25))
        spec.append(("status", "col.status", status))
        if not narrow:
            spec.append(("priority", "col.priority", max(priority, cell_len(t("col.priority")))))
        spec.append(("due", "col.due", 10))
        if not self.mine:
            spec.append(("owner", "col.owner", 6))
        return spec

    def _effective(self) -> CaseFilter:
        owner = (self.liaison.me or {}).get("id") if self.mine else None
        return dataclasses.replace(self.filter, owner_id=owner)

    def _page(self, store: Any, **kwargs: Any) -> queries.CasePage:
        return queries.cases_page(store, self._effective(), self.liaison.now(), **kwargs)

    def _cells(self, row: dict[str, Any], table: PagedTable) -> list[Any]:
        now, tz = self.liaison.now(), self.liaison.tz
        overdue = (
            row["due_at"]
            and row["status"] in queries.OPEN
            and row["due_at"] < now.strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        style = _PRIORITY_STYLE.get(row["priority"], "")
        cells: dict[str, Any] = {
            "number": row["number"],
            # without a priority column (80 columns) the title carries the priority's colour
            "title": Text(
                clip(row["title"], table.w("title")), style="" if "priority" in table.widths else style
            ),
            "who": clip(person(row["native_name"], row["latin_name"]), table.w("who")),
            "category": clip(short_label(CaseCategory, row["category"]), table.w("category")),
            "status": clip(short_label(CaseStatus, row["status"]), table.w("status")),
            "priority": Text(enum_label(CasePriority, row["priority"]), style=style),
            "due": Text(stamp(row["due_at"], tz, with_time=False), style="bold red" if overdue else ""),
            "owner": clip(row["owner_name"], table.w("owner")),
        }
        return [cells[name] for name in table.widths]

    def reload(self) -> None:
        pending = self.liaison.pending_case_filter
        if pending is not None:  # opened from home with a filter (e.g. "my cases in progress")
            self.liaison.pending_case_filter = None
            self._loaded = True
            self.apply_filter(**pending)
            return
        self._loaded = True
        table = self.query_one(PagedTable)
        if table.window_rows:
            table.reload()
        else:
            table.reset()
        flt, now = self._effective(), self.liaison.now()
        run_db(
            self,
            lambda store: queries.cases_count(store, flt, now),
            self._counted,
            group="cases-count",
            exclusive=True,
            read_only=True,
        )

    def _counted(self, total: int) -> None:
        self.total = total
        self._show_filters()

    def on_paged_table_window_changed(self, _: PagedTable.WindowChanged) -> None:
        self._show_filters()

    def _show_filters(self) -> None:
        """The filter bar; at 80 columns in a compact form, so the sort and the count stay in view."""
        flt = self.filter
        narrow = self.app.size.width < NARROW_BELOW
        if not flt.statuses:
            status = t("cases.all_statuses")
        elif set(flt.statuses) == set(queries.OPEN):
            status = t("cases.open_statuses")
        else:
            status = ", ".join(CaseStatus(s).short_label() for s in flt.statuses)
        category = (
            (CaseCategory(flt.category).short_label() if narrow else CaseCategory(flt.category).label())
            if flt.category
            else t("cases.any_category_short" if narrow else "cases.any_category")
        )
        direction = t("cases.desc") if flt.desc else t("cases.asc")
        parts = [
            ("s", status),
            ("c", category),
            ("o", t("cases.mine") if self.mine else t("cases.everyone")),
            (
                "d",
                f"{'☑' if flt.overdue else '☐'} {t('cases.overdue_short' if narrow else 'cases.overdue_only')}",
            ),
            ("r", t(f"sort.{flt.sort}") if narrow else t("cases.sorted_by", key=t(f"sort.{flt.sort}"))),
            ("R", direction),  # R reverses: shown here, not only in the help
        ]
        gap = " " if narrow else "  "
        text = Text()
        if self.caption:
            text.append(" " + self.caption + "  ", style="bold")
        for letter, label in parts:
            text.append(f" {letter} " if not narrow else letter, style="reverse")
            text.append(f" {label}{gap}")
        if self.total is not None:
            text.append(t("cases.count", n=f"{self.total:,}"), style="bold")
            table = self.query_one(PagedTable)
            if not narrow and table.window_rows and table.at_start:
                text.append("  " + t("cases.window", first=1, last=table.window_rows), style="dim")
        self.query_one("#cases-filters", Static).update(text)

    # ---------------------------------------------------------------- filters
    def apply_filter(
        self,
        *,
        status: str | None = None,
        category: str | None = None,
        mine: bool = True,
        overdue: bool = False,
    ) -> None:
        statuses = (status,) if status else queries.OPEN
        self.filter = dataclasses.replace(self.filter, statuses=statuses, category=category, overdue=overdue)
        self.mine = mine
        self._refilter()

    def _refilter(self) -> None:
        self.query_one(PagedTable).reset()
        self.total = None
        self._show_filters()
        flt, now = self._effective(), self.liaison.now()
        run_db(
            self,
            lambda store: queries.cases_count(store, flt, now),
            self._counted,
            group="cases-count",
            exclusive=True,
            read_only=True,
        )

    async def action_filter_status(self) -> None:
        options = [("*open", t("cases.open_statuses")), ("*all", t("cases.all_statuses"))]
        options += [(s.value, s.label()) for s in ORDER]

        def chosen(value: str | None) -> None:
            if value is None:
                return
            statuses = queries.OPEN if value == "*open" else () if value == "*all" else (value,)
            self.filter = dataclasses.replace(self.filter, statuses=statuses)
            self._refilter()

        await self.app.push_screen(ChoiceDialog(t("col.status"), options), chosen)

    async def action_filter_category(self) -> None:
        options = [("*", t("cases.any_category"))] + [(c.value, c.label()) for c in CaseCategory]

        def chosen(value: str | None) -> None:
            if value is None:
                return
            self.filter = dataclasses.replace(self.filter, category=None if value == "*" else value)
            self._refilter()

        await self.app.push_screen(
            ChoiceDialog(t("col.category"), options, current=self.filter.category or "*"), chosen
        )

    def action_toggle_owner(self) -> None:
        self.mine = not self.mine
        self.query_one(PagedTable).set_columns(self._spec())  # the owner column shows for everyone's cases
        self._refilter()

    def action_toggle_overdue(self) -> None:
        self.filter = dataclasses.replace(self.filter, overdue=not self.filter.overdue)
        self._refilter()

    async def action_sort(self) -> None:
        options = [(name, t(f"sort.{name}")) for name in queries.SORTS]

        def chosen(value: str | None) -> None:
            if value:
                self.filter = dataclasses.replace(self.filter, sort=value)
                self._refilter()

        await self.app.push_screen(
            ChoiceDialog(t("key.cases.sort"), options, current=self.filter.sort), chosen
        )

    def action_reverse(self) -> None:
        self.filter = dataclasses.replace(self.filter, desc=not self.filter.desc)
        self._refilter()

    def on_row_list_row_selected(self, event: PagedTable.RowSelected) -> None:
        if event.key:
            self.liaison.open_case(event.key)

    def view_state(self) -> tuple[str, str | None, dict[str, Any]] | None:
        """What saving this list as a view keeps: (kind, target, params)."""
        return "cases", None, {**dataclasses.asdict(self.filter), "mine": self.mine, "caption": self.caption}
