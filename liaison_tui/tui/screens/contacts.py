"""A filtered contact list: the people behind a report's figure or a saved view, paged from SQLite by
keyset like the case list. Enter opens the contact."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ...domain.enums import PipelineStage
from ...domain.i18n import t
from ...store.contact_list import ContactFilter, contacts_count, contacts_page
from .. import report_strings  # noqa: F401  (registers the messages)
from ..db import run_db
from ..fmt import clip, enum_label, person, relative
from ..widgets.paged_table import PagedTable
from .base import BaseScreen


class ContactsScreen(BaseScreen):
    TITLE_KEY = "screen.contacts"

    def __init__(self, where: str = "{}", caption: str | None = None) -> None:
        super().__init__()
        self.filter = ContactFilter(where)
        self.caption = caption
        self.total: int | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="contacts-filters")
        yield PagedTable(id="contacts-table")

    def on_mount(self) -> None:
        table = self.query_one(PagedTable)
        table.loader = lambda store, **kw: contacts_page(store, self.filter, **kw)
        table.render_row = self._cells
        super().on_mount()
        table.focus()

    def relabel(self) -> None:
        super().relabel()
        narrow = self.app.size.width < 100
        self.query_one(PagedTable).set_columns(
            [
                ("name", "col.name", 0.4),
                ("org", "col.org", 0.35),
                ("place", "report.col.country", 0.25),
                ("stage", "col.stage", 8 if narrow else 10),
                ("owner", "col.owner", 6),
                ("last", "col.last", 10),
            ]
        )
        self._show_filters()

    def reload(self) -> None:
        table = self.query_one(PagedTable)
        table.reload() if table.window_rows else table.reset()
        flt = self.filter
        run_db(
            self,
            lambda store: contacts_count(store, flt),
            self._counted,
            group="contacts-count",
            exclusive=True,
            read_only=True,
        )

    def _counted(self, total: int) -> None:
        self.total = total
        self._show_filters()

    def _show_filters(self) -> None:
        text = Text()
        if self.caption:
            text.append(" " + self.caption + "  ", style="bold")
        if self.total is not None:
            text.append(t("contacts.count", n=f"{self.total:,}"), style="dim")
        self.query_one("#contacts-filters", Static).update(text)

    def _cells(self, row: dict[str, Any], table: PagedTable) -> list[Any]:
        place = " · ".join(p for p in (row["city"], row["country"]) if p)
        return [
            clip(person(row["native_name"], row["latin_name"]), table.w("name")),
            clip(row["name_zh"] or row["name_en"], table.w("org")),
            clip(place, table.w("place")),
            clip(enum_label(PipelineStage, row["stage"]), table.w("stage")),
            clip(row["owner_name"], table.w("owner")),
            relative(row["last_activity_at"], self.liaison.now()),
        ]

    def on_row_list_row_selected(self, event: PagedTable.RowSelected) -> None:
        if event.key:
            self.liaison.open_contact(event.key)

    def view_state(self) -> tuple[str, str | None, dict[str, Any]] | None:
        return "contacts", None, {"where": self.filter.filters, "caption": self.caption}
