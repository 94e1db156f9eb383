"""F1 / ?: the keys of the screen you came from, generated from its active bindings, with the binding ids
to use in the config file's ``[keys]`` table."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Static

from ...domain.i18n import t
from ..keymap import localize_node
from .base import Dialog

_HIDDEN_ACTIONS = {"command_palette"}
# Textual's own horizontal scrolling keys: the lists never scroll sideways.
_NOISE = ("scroll_left", "scroll_right", "page_left", "page_right")
_FKEY = re.compile(r"f\d+")


class HelpScreen(Dialog):
    BINDINGS = [("escape,f1,question_mark,q", "cancel", "")]

    def __init__(self, active: dict[str, Any], screen: Any = None) -> None:
        super().__init__()
        self._active = active
        self._screen = screen  # the screen the keys are of (its own bindings are listed first)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-box"):
            yield Label(t("help.title"), classes="dialog-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static(Text(t("help.remap"), style="dim"))

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(t("help.col.key"), t("help.col.action"), t("help.col.id"))
        keys: dict[str, list[str]] = {}
        rows: dict[str, tuple[int, str, str]] = {}
        for active in self._active.values():
            binding = active.binding
            if not binding.description and not binding.id:
                continue
            if binding.action in _HIDDEN_ACTIONS and not binding.description:
                continue
            if binding.action.startswith(_NOISE):
                continue
            localize_node(active.node)
            binding = _current(active.node, binding)
            # one row per action ("q" and Textual's own "ctrl+q" both quit), every key of it shown
            ident = binding.action.removeprefix("app.").removeprefix("screen.")
            if binding.key.startswith("super+"):  # the Mac command key: not on the station's laptops
                continue
            display = self.app.get_key_display(dataclasses.replace(binding, key_display=None))
            keys.setdefault(ident, []).append(display.upper() if _FKEY.fullmatch(display) else display)
            # ours (with an id) before Textual's generic ones (focus, copy, text editing)
            rank = (
                (0 if active.node is self._screen else 1 if active.node is self.app else 2)
                if binding.id
                else 3
            )
            old = rows.get(ident)
            if old is None or rank < old[0] or (rank == old[0] and binding.id and not old[2]):
                rows[ident] = (rank, binding.description or binding.action, binding.id or "")
        # this screen's own keys first, then those that work everywhere, then the focused box's editing keys
        for ident, (_rank, description, binding_id) in sorted(rows.items(), key=lambda item: item[1][0]):
            table.add_row(Text(" ".join(dict.fromkeys(keys[ident])), style="bold"), description, binding_id)
        self._denied(table)
        table.focus()

    def _denied(self, table: DataTable[Any]) -> None:
        """What this user's role may not do here, and why (those keys are not offered)."""
        shown = False
        for node in (self._screen, self.app):
            listing = getattr(node, "denied_actions", None)
            if listing is None:
                continue
            for action, reason in listing():
                binding = next((b for b in node.BINDINGS if getattr(b, "action", None) == action), None)
                if binding is None:
                    continue
                if not shown:
                    table.add_row(Text(t("help.denied"), style="bold red"), "", "")
                    shown = True
                label = t(f"key.{binding.id}") if binding.id else action
                table.add_row(
                    Text(binding.key_display or binding.key, style="dim"), f"{label} — {reason}", ""
                )


def _current(node: Any, binding: Binding) -> Binding:
    """``binding`` as it is on ``node`` now (just relabelled in the UI language)."""
    for candidate in node._bindings.key_to_bindings.get(binding.key, []):
        if candidate.action == binding.action:
            return candidate
    return binding
