"""What every full screen shares: the title bar with the sync badge, the footer, relabelling when the
language changes, and reloading its data (in workers) whenever it becomes the current screen again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.screen import ModalScreen, Screen

from ...domain.i18n import get_lang, t
from ..fmt import column_stamps, stamp_width
from ..keymap import localize_tree
from ..widgets.keys_footer import KeysFooter
from ..widgets.nav_table import NavTable
from ..widgets.title_bar import SyncBadge, TitleBar

if TYPE_CHECKING:
    from ..app import LiaisonApp


# Columns shared by the record screens (contact and case): (key, header label key, width or share).
FOLLOWUP_COLUMNS: list[tuple[str, str, float]] = [
    ("due", "col.due", 11),
    ("what", "col.what", 1.0),
    ("status", "col.status", 8),
]
TIMELINE_COLUMNS: list[tuple[str, str, float]] = [
    ("when", "col.when", 11),
    ("kind", "col.kind", 8),
    ("what", "col.what", 1.0),
    ("by", "col.by", 6),
]


NARROW_BELOW = 100  # columns: an 80x24 terminal gets the narrow layouts


def time_column(
    table: NavTable, column: str, values: Sequence[str | datetime | None], tz: tzinfo, now: datetime
) -> list[str]:
    """The column's times in one format (see :func:`column_stamps`), widening or narrowing the column to
    fit that format before the rows are filled."""
    stamps = column_stamps(values, tz, now)
    width = stamp_width(stamps)
    if stamps and table.w(column) != width:
        table.set_columns([(n, label, width if n == column else w) for n, label, w in table.spec])
    return stamps


class BaseScreen(Screen[None]):
    TITLE_KEY = "screen.home"

    def __init__(self) -> None:
        super().__init__()
        self._lang: str | None = None
        self._resumed = False

    @property
    def liaison(self) -> LiaisonApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield TitleBar(t(self.TITLE_KEY))
        yield from self.compose_body()
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.relabel()

    def on_screen_resume(self) -> None:
        if self._resumed:  # Textual resumes a mode's first screen twice: one load is enough
            return
        self._resumed = True
        if self._lang != get_lang():
            self.relabel()
        self.reload()

    def on_screen_suspend(self) -> None:
        self._resumed = False

    def on_resize(self) -> None:
        """Below 100 columns the screen carries the ``-narrow`` class (its .tcss rules lay it out for 80x24)."""
        narrow = self.size.width < NARROW_BELOW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            for footer in self.query(KeysFooter):
                footer.compact = narrow  # 80 columns: less space between the keys, so more of them fit
            self.narrow_changed()

    def narrow_changed(self) -> None:
        """Called when the screen crosses NARROW_BELOW columns: refit what the stylesheet cannot."""

    def relabel(self) -> None:
        """Put every label in the current language (called on mount and after a language switch)."""
        self._lang = get_lang()
        localize_tree([self])
        self.query_one(TitleBar).set_title(self.screen_title(), self.screen_context())
        for badge in self.query(SyncBadge):
            badge.relabel()
        self.refresh_bindings()

    def screen_title(self) -> str:
        return t(self.TITLE_KEY)

    def screen_context(self) -> str:
        me = self.liaison.me
        return me["display_name"] if me else ""

    def reload(self) -> None:
        """Load this screen's data in workers; results arrive as messages."""


class Dialog(ModalScreen[Any]):
    """A modal form: Esc cancels. Labels are built in the current language when it opens."""

    BINDINGS = [("escape", "cancel", "")]

    @property
    def liaison(self) -> LiaisonApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        localize_tree([self])

    def action_cancel(self) -> None:
        self.dismiss(None)
