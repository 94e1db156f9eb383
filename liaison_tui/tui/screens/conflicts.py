"""F6: free-text fields edited on two laptops from the same base. For the selected conflict: m keeps mine,
t keeps theirs, e edits a merge (both versions prefilled). A resolution is an ordinary edit plus marking the
conflict resolved; both sync like any change. Enter opens the record."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static, TextArea

from ...domain.entities import ENTITIES
from ...domain.i18n import has, t
from ...store import conflicts
from ...store.conflicts import Choice, ConflictView
from ..db import run_db
from ..fmt import person, short_stamp
from ..keymap import key
from ..widgets.nav_table import NavTable
from .base import BaseScreen, Dialog

_NAME_FIELDS = ("number", "name_zh", "name_en", "name", "title", "summary")


def record_label(store: Any, table: str, row_id: str) -> str:
    """``Contact · 张伟 Zhang Wei``: what a person recognises a record by (read in a worker)."""
    kind = t(f"table.{table}") if has(f"table.{table}") else table
    row = store.row(table, row_id) if table in ENTITIES else None  # a damaged entry may name no table
    if row is None:
        return f"{kind} · {row_id[:8]}"
    if table == "contacts":
        name = person(row.get("native_name"), row.get("latin_name"))
    else:
        name = " ".join(str(row[k]) for k in _NAME_FIELDS if row.get(k))
    return f"{kind} · {name[:60] or row_id[:8]}"


def field_label(name: str) -> str:
    return t(f"field.{name}") if has(f"field.{name}") else name


def load_conflicts(store: Any) -> list[tuple[ConflictView, str]]:
    return [(c, record_label(store, c.table, c.row_id)) for c in conflicts.list_open(store)]


class ConflictsScreen(BaseScreen):
    TITLE_KEY = "screen.conflicts"
    BINDINGS: ClassVar[list[Any]] = [
        key("m", "resolve('mine')", "conflict.mine"),
        key("t", "resolve('theirs')", "conflict.theirs"),
        key("e", "merge", "conflict.merge"),
    ]
    DEFAULT_CSS = """
    ConflictsScreen #conflicts-table { height: 2fr; }
    ConflictsScreen #conflicts-none { height: auto; padding: 1 2; color: $text-muted; }
    ConflictsScreen #conflicts-versions { height: 3fr; }
    ConflictsScreen #conflicts-versions Static { width: 1fr; height: 1fr; overflow-y: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[ConflictView, str]] | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="conflicts-none")
        yield NavTable(id="conflicts-table")
        with Horizontal(id="conflicts-versions"):
            yield Static(id="conflict-mine", classes="panel")
            yield Static(id="conflict-theirs", classes="panel")

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#conflicts-none", Static).update(t("conflicts.none"))
        self.query_one(NavTable).set_columns(
            [("record", "col.record", 0.6), ("field", "col.field", 0.4), ("raised", "col.raised", 12)]
        )
        if self.items is not None:
            self._show(self.items)

    def on_row_list_relaid(self) -> None:
        if self.items is not None:
            self._show(self.items)

    def reload(self) -> None:
        run_db(self, load_conflicts, self._show, group="conflicts", exclusive=True)

    def _show(self, items: list[tuple[ConflictView, str]]) -> None:
        self.items = items
        table = self.query_one(NavTable)
        keep = table.cursor_row
        table.clear()
        now, tz = self.liaison.now(), self.liaison.tz
        for view, label in items:
            record = label + (f" {t('conflicts.deleted')}" if view.deleted else "")
            table.add_row(record, field_label(view.field), short_stamp(view.created_at, tz, now), key=view.id)
        self.query_one("#conflicts-none").display = not items
        if items:
            table.move_cursor(row=min(keep, len(items) - 1))
            table.focus()
        self._show_versions()

    def on_row_list_row_highlighted(self, event: NavTable.RowHighlighted) -> None:
        self._show_versions()

    def on_row_list_row_selected(self, event: NavTable.RowSelected) -> None:
        view = self.selected(quiet=True)
        if view is None:
            return
        if view.table == "contacts":
            self.liaison.open_contact(view.row_id)
        elif view.table == "cases":
            self.liaison.open_case(view.row_id)

    def _show_versions(self) -> None:
        view = self.selected(quiet=True)
        for side, text, who in (
            ("mine", view.mine if view else None, view.mine_author if view else None),
            ("theirs", view.theirs if view else None, view.theirs_author if view else None),
        ):
            panel = self.query_one(f"#conflict-{side}", Static)
            panel.display = view is not None
            if view is None:
                continue
            title = t(f"conflicts.{side}", who=who or "—")
            if text == view.current:
                title += f" · {t('conflicts.shown')}"
            panel.border_title = title
            panel.update(Text(text) if text else Text(t("conflicts.empty"), style="dim"))

    def selected(self, *, quiet: bool = False) -> ConflictView | None:
        row_key = self.query_one(NavTable).selected_key()
        found = next((view for view, _ in self.items or [] if view.id == row_key), None)
        if found is None and not quiet:
            self.notify(t("conflicts.select"), severity="warning", timeout=3)
        return found

    def action_resolve(self, choice: Choice, text: str | None = None) -> None:
        view = self.selected()
        if view is None:
            return
        app = self.liaison

        def done(_: None) -> None:
            app.notify(t("conflicts.resolved", choice=t(f"conflicts.choice.{choice}")), timeout=4)
            app.data_changed()  # reloads this list, the badge, and schedules the sync of the resolution

        run_db(
            self, lambda store: conflicts.resolve(store, view.id, choice, text), done, group="conflict-write"
        )

    async def action_merge(self) -> None:
        view = self.selected()
        if view is None:
            return
        label = next(lbl for v, lbl in self.items or [] if v.id == view.id)
        prefill = "\n\n".join(part for part in (view.mine, view.theirs) if part)

        def merged(text: str | None) -> None:
            if text is not None:
                self.action_resolve("merged", text)

        await self.app.push_screen(
            MergeDialog(t("conflicts.merge_title", field=field_label(view.field), record=label), prefill),
            merged,
        )


class MergeDialog(Dialog):
    """A text area prefilled with both versions; ctrl+s saves the merged text, Esc cancels."""

    BINDINGS: ClassVar[list[Any]] = [("escape", "cancel", ""), key("ctrl+s", "save", "form.save")]
    DEFAULT_CSS = """
    MergeDialog #merge-box { width: 90; height: 80%; }
    MergeDialog TextArea { height: 1fr; }
    """

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self._title = title
        self._text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="merge-box"):
            yield Label(self._title, classes="dialog-title")
            yield TextArea(self._text, id="merge-text", soft_wrap=True)
            yield Static(t("conflicts.merge_hint"), classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)
