"""F7: changes the station server refused (invalid, a forbidden case move...), newest first, each with the
server's reason in the UI language and the record it touched; x marks them all seen (the badge stops
counting them). The refused change is already undone locally: this list is how the person learns why."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ...domain.i18n import get_lang, has, t
from ...store import outbox
from ..db import run_db
from ..fmt import short_stamp
from ..keymap import key
from ..widgets.nav_table import NavTable
from .base import BaseScreen
from .conflicts import field_label, record_label


def load_rejected(store: Any) -> list[dict[str, Any]]:
    items = outbox.rejected(store, lang=get_lang())
    for item in items:
        item["label"] = record_label(store, item["tbl"], item["row_id"])
    return items


def change_text(item: dict[str, Any]) -> str:
    table = t(f"table.{item['tbl']}") if has(f"table.{item['tbl']}") else item["tbl"]
    if item["op"] == "update":
        names = item["fields"] if isinstance(item["fields"], dict) else {}
        return t("rejected.op.update", fields=", ".join(field_label(n) for n in names))
    return t("rejected.op.delete" if item["op"] == "delete" else "rejected.op.create", table=table)


class RejectedScreen(BaseScreen):
    TITLE_KEY = "screen.rejected"
    BINDINGS: ClassVar[list[Any]] = [key("x", "seen", "rejected.seen")]
    DEFAULT_CSS = """
    RejectedScreen #rejected-table { height: 1fr; }
    RejectedScreen #rejected-none { height: auto; padding: 1 2; color: $text-muted; }
    RejectedScreen #rejected-reason { height: auto; max-height: 8; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, Any]] | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="rejected-none")
        yield NavTable(id="rejected-table")
        yield Static(id="rejected-reason", classes="panel")

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#rejected-none", Static).update(t("rejected.none"))
        self.query_one(NavTable).set_columns(
            [
                ("new", "col.section", 1),
                ("when", "col.when", 11),
                ("record", "col.record", 0.35),
                ("change", "col.change", 0.25),
                ("reason", "col.reason", 0.4),
            ]
        )
        if self.items is not None:
            self._show(self.items)

    def on_row_list_relaid(self) -> None:
        if self.items is not None:
            self._show(self.items)

    def reload(self) -> None:
        run_db(self, load_rejected, self._show, group="rejected", exclusive=True)

    def _show(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        table = self.query_one(NavTable)
        keep = table.cursor_row
        table.clear()
        now, tz = self.liaison.now(), self.liaison.tz
        for item in items:
            table.add_row(
                Text("●", style="bold yellow") if not item["seen"] else "",
                short_stamp(item["at"], tz, now),
                item["label"],
                change_text(item),
                item["message"],
                key=str(item["seq"]),
            )
        self.query_one("#rejected-none").display = not items
        self.query_one("#rejected-reason").display = bool(items)
        if items:
            table.move_cursor(row=min(keep, len(items) - 1))
            table.focus()
        self._show_reason()

    def on_row_list_row_highlighted(self, event: NavTable.RowHighlighted) -> None:
        self._show_reason()

    def _show_reason(self) -> None:
        row_key = self.query_one(NavTable).selected_key()
        item = next((i for i in self.items or [] if str(i["seq"]) == row_key), None)
        panel = self.query_one("#rejected-reason", Static)
        if item is not None:
            panel.border_title = item["label"]
            panel.update(Text(item["message"]))

    def action_seen(self) -> None:
        app = self.liaison

        def done(_: None) -> None:
            self.notify(t("rejected.marked"), timeout=3)
            self.reload()
            app.refresh_sync_state()

        run_db(self, outbox.mark_rejected_seen, done, group="rejected-write")
