"""F1 / ?: the keys of the screen you came from, generated from its active bindings, with the binding ids
to use in the config file's ``[keys]`` table."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Static

from ...domain.i18n import t
from ..keymap import localize_node
from .base import Dialog

_HIDDEN_ACTIONS = {"command_palette"}
# Textual's own horizontal scrolling keys: the lists never scroll sideways.
_NOISE = ("scroll_left", "scroll_right", "page_left", "page_right")


class HelpScreen(Dialog):
    BINDINGS = [("escape,f1,question_mark,q", "cancel", "")]

    def __init__(self, active: dict[str, Any]) -> None:
        super().__init__()
        self._active = active

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-box"):
            yield Label(t("help.title"), classes="dialog-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static(Text(t("help.remap"), style="dim"))

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(t("help.col.key"), t("help.col.action"), t("help.col.id"))
        seen: dict[str, list[str]] = {}
        rows: dict[str, tuple[str, str]] = {}
        for active in self._active.values():
            binding = active.binding
            if not binding.description and not binding.id:
                continue
            ident = binding.id or binding.action
            if binding.action in _HIDDEN_ACTIONS and not binding.description:
                continue
            if binding.action.startswith(_NOISE):
                continue
            localize_node(active.node)
            description = binding.description or binding.action
            seen.setdefault(ident, []).append(self.app.get_key_display(binding))
            rows[ident] = (description, binding.id or "")
        for ident, (description, binding_id) in rows.items():
            table.add_row(Text(" ".join(dict.fromkeys(seen[ident])), style="bold"), description, binding_id)
        table.focus()
