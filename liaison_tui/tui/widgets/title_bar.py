"""The bar at the top of every screen: where you are, who you are, and the sync badge."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from ..fmt import sync_text


class SyncBadge(Static):
    """Offline / N changes waiting / last synced at. Fed by the app's ``sync_state``, which the sync engine
    updates by posting :class:`~liaison_tui.tui.messages.SyncStatus`. A click opens the conflicts (or the
    refused changes) when there are any, else syncs now."""

    def on_mount(self) -> None:
        self.watch(self.app, "sync_state", self._show, init=True)

    def _show(self, state: object) -> None:
        text, variant = sync_text(state, self.app)  # type: ignore[arg-type]
        self.set_classes(f"-{variant}")
        self.update(text)

    def relabel(self) -> None:
        self._show(self.app.sync_state)  # type: ignore[attr-defined]

    def on_click(self) -> None:
        syncer = getattr(self.app, "syncer", None)
        if syncer is not None:
            syncer.badge_clicked()


class TitleBar(Horizontal):
    def __init__(self, title: str = "") -> None:
        super().__init__()
        self._title = title

    def compose(self) -> ComposeResult:
        yield Static(Text(self._title), id="title")
        yield Static(id="context")
        yield SyncBadge(id="sync-badge")

    def set_title(self, title: str, context: str = "") -> None:
        self._title = title
        self.query_one("#title", Static).update(Text(title))
        self.query_one("#context", Static).update(Text(context))
