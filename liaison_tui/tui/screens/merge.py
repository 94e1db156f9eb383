"""Merge two contacts side by side: one row per field that either record fills, the left (kept) value, the
right (merged-in) value and what the survivor will hold. ← or 1 takes the left value for the focused row,
→ or 2 the right one; lists and notes are united unless a side is chosen. Below: what moves to the kept
contact (cases, follow-ups, activities, contact points...). ctrl+s asks, merges in a worker (one
transaction in the store) and opens the survivor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ...domain.display import model_value_label
from ...domain.i18n import get_lang, t
from ...domain.models import Contact
from ...domain.validation import field_label
from ..db import run_db
from ..fmt import clip
from ..keymap import key
from ..widgets.nav_table import NavTable
from ..widgets.title_bar import TitleBar
from . import data_strings  # noqa: F401  (registers the messages)
from .base import BaseScreen
from .dialogs import ChoiceDialog

_MOVE_ORDER = ("cases", "followups", "activities", "contact_points", "affiliations", "attendances")


_REFERENCES = ("org_id", "owner_id")  # ids shown by the name of what they point to


@dataclass
class MergeView:
    preview: Any  # store.merge.MergePreview
    names: dict[str, str]  # organization and staff ids of both records -> their names


def load_merge(store: Any, keep_id: str, other_id: str, choose: dict[str, str]) -> MergeView:
    from ...store import queries
    from ...store.merge import preview_merge

    preview = preview_merge(store, keep_id, other_id, choose)
    names = queries.staff_names(store)
    for record in (preview.keep, preview.other):
        if record.get("org_id"):
            names[record["org_id"]] = queries.org_name(store, record["org_id"]) or record["org_id"]
    return MergeView(preview, names)


def cell(value: Any, name: str = "", names: dict[str, str] | None = None) -> str:
    """A field's value as staff read it: labels for codes, names of countries, languages, the
    organization and the owner (never their ids), in the UI language."""
    if name in _REFERENCES and value:
        return (names or {}).get(value, str(value))
    return model_value_label(Contact, name, value)


def blank(value: Any) -> bool:
    return value in (None, "", [])


def display_name(record: dict[str, Any]) -> str:
    return " ".join(n for n in (record.get("native_name"), record.get("latin_name")) if n) or str(
        record.get("id")
    )


class FieldTable(NavTable):
    """The field rows; ←/→ and 1/2 choose a side (the list's own ←/→ would scroll sideways)."""

    BINDINGS: ClassVar[list[Any]] = [
        key("left,1", "screen.take('keep')", "merge.keep"),
        key("right,2", "screen.take('other')", "merge.other"),
    ]


class MergeScreen(BaseScreen):
    TITLE_KEY = "screen.merge"
    BINDINGS = [key("ctrl+s", "confirm", "merge.confirm")]
    DEFAULT_CSS = """
    MergeScreen #merge-fields { height: 1fr; }
    MergeScreen #merge-moves, MergeScreen #merge-hint { height: auto; padding: 0 1; }
    """

    def __init__(self, keep_id: str, other_id: str) -> None:
        super().__init__()
        self.keep_id = keep_id
        self.other_id = other_id
        self.choose: dict[str, str] = {}
        self.preview: Any = None
        self.names: dict[str, str] = {}
        self.result: Any = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="merge-hint")
        yield FieldTable(id="merge-fields")
        yield Static(id="merge-moves")

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#merge-hint", Static).update(Text(t("tui.merge.hint"), style="dim"))
        self.query_one(FieldTable).set_columns(
            [
                ("field", "tui.col.field", 16),
                ("keep", "tui.col.keep", 0.35),
                ("other", "tui.col.other", 0.35),
                ("take", "tui.col.take", 8),
                ("value", "tui.col.merged", 0.3),
            ]
        )
        if self.preview is not None:
            self._show(self.preview)

    def on_row_list_relaid(self) -> None:
        if self.preview is not None:
            self._show(self.preview)

    def screen_context(self) -> str:
        if self.preview is None:
            return ""
        return f"{display_name(self.preview.keep)} ← {display_name(self.preview.other)}"

    def reload(self) -> None:
        if self.result is not None:
            return  # merged: the records are gone
        choose = dict(self.choose)
        run_db(
            self,
            lambda store: load_merge(store, self.keep_id, self.other_id, choose),
            self._loaded,
            group="merge-preview",
            exclusive=True,
        )

    def _loaded(self, view: MergeView) -> None:
        self.names = view.names
        self._show(view.preview)

    def _show(self, preview: Any) -> None:
        self.preview = preview
        names = self.names
        table = self.query_one(FieldTable)
        keep_row = table.cursor_row
        table.clear()
        sides = {"keep": "←", "other": "→", "both": t("tui.merge.both")}
        for f in preview.fields:
            if blank(f.keep) and blank(f.other):
                continue
            style = "bold" if f.differs else "dim"
            table.add_row(
                Text(clip(field_label(f.name), table.w("field")), style=style),
                Text(
                    clip(cell(f.keep, f.name, names), table.w("keep")),
                    style="green" if f.chosen == "keep" else "",
                ),
                Text(
                    clip(cell(f.other, f.name, names), table.w("other")),
                    style="green" if f.chosen == "other" else "",
                ),
                sides.get(f.chosen, f.chosen),
                clip(cell(f.value, f.name, names), table.w("value")),
                key=f.name,
            )
        if table.row_count:
            table.move_cursor(row=min(keep_row, table.row_count - 1))
        moves = ", ".join(
            f"{t(f'table.{name}')} {preview.moves[name]}" for name in _MOVE_ORDER if preview.moves.get(name)
        ) or t("tui.merge.nothing_moves")
        self.query_one("#merge-moves", Static).update(Text(t("tui.merge.moves", moves=moves), style="bold"))
        self.query_one(TitleBar).set_title(self.screen_title(), self.screen_context())

    def action_take(self, side: str) -> None:
        name = self.query_one(FieldTable).selected_key()
        if not name or self.preview is None:
            return
        self.choose[name] = side
        self.reload()

    async def action_confirm(self) -> None:
        if self.preview is None or self.result is not None:
            return
        question = t(
            "tui.merge.confirm", keep=display_name(self.preview.keep), other=display_name(self.preview.other)
        )
        await self.app.push_screen(
            ChoiceDialog(question, [("yes", t("tui.merge.yes")), ("no", t("tui.merge.no"))]), self._answered
        )

    def _answered(self, answer: str | None) -> None:
        if answer != "yes":
            return
        from ...store.merge import merge_contacts

        choose, lang = dict(self.choose), get_lang()
        run_db(
            self,
            lambda store: merge_contacts(store, self.keep_id, self.other_id, choose, lang=lang),
            self._merged,
            group="merge",
        )

    def _merged(self, result: Any) -> None:
        self.result = result
        self.notify(t("tui.merge.done", moved=sum(result.moved.values())), timeout=5)
        app = self.liaison
        app.pop_screen()
        app.open_contact(result.keep)
        app.refresh_sync_state()
