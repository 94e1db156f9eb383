"""A light, virtual table: a header line and rows rendered one Rich line each, only those on screen.

Why not the built-in DataTable: it renders every cell separately (~1 ms a cell here), so a page-down on an
eight-column table costs a few hundred milliseconds of event loop, and it measures every row it is given.
This widget renders a visible row as one ``Text`` (cells already cut to their column's width in terminal
cells, so CJK text stays aligned), caches the line, and never measures anything. It keeps the small part of
the DataTable API the screens use: ``add_row``/``remove_row``/``clear``, ``cursor_row``/``move_cursor``,
``RowHighlighted``/``RowSelected``, and j/k, g/G, page keys, mouse clicks and the wheel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...domain.i18n import has, t
from ..keymap import key

# (column key, catalog key of its label, width: int = fixed cells, float = share of what is left)
ColumnSpec = tuple[str, str, int | float]


@dataclass
class _Row:
    key: str
    cells: tuple[RenderableType, ...]


def header_label(key: str, width: int) -> str:
    """A column's header, or its short form (``<key>.short``) where the full one would be cut."""
    text = t(key)
    if cell_len(text) > width and has(f"{key}.short"):
        return t(f"{key}.short")
    return text


class RowList(ScrollView, can_focus=True):
    BINDINGS: ClassVar[list[Any]] = [
        key("down,j", "cursor(1)", "list.down", show=False),
        key("up,k", "cursor(-1)", "list.up", show=False),
        key("pagedown", "page(1)", "list.page_down", show=False),
        key("pageup", "page(-1)", "list.page_up", show=False),
        key("g,home", "first", "list.top", show=False),
        key("G,end", "last", "list.bottom", show=False),
        key("enter", "select", "list.open", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-list--header",
        "row-list--cursor",
        "row-list--even",
        "row-list--cursor-blurred",
    }
    DEFAULT_CSS = """
    RowList { background: $surface; scrollbar-size-vertical: 1; overflow-x: hidden; }
    RowList > .row-list--header { text-style: bold; color: $text-muted; background: $panel; }
    RowList > .row-list--even { background: $boost; }
    RowList > .row-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground;
                                  text-style: $block-cursor-text-style; }
    RowList > .row-list--cursor-blurred { background: $block-cursor-blurred-background;
                                          color: $block-cursor-blurred-foreground; }
    """

    cursor_row: reactive[int] = reactive(0, init=False)

    class RowHighlighted(Message):
        def __init__(self, table: RowList, cursor_row: int, key: str | None) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.key = key

        @property
        def control(self) -> RowList:
            return self.table

    class RowSelected(Message):
        def __init__(self, table: RowList, cursor_row: int, key: str) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.key = key

        @property
        def control(self) -> RowList:
            return self.table

    class Relaid(Message):
        """The columns were recomputed for a new width and the rows cleared: refill them."""

        def __init__(self, table: RowList) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> RowList:
            return self.table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[_Row] = []
        self._index: dict[str, int] = {}
        self.widths: dict[str, int] = {}
        self._spec: Sequence[ColumnSpec] = ()
        self._labels: list[str] = []
        self._laid_width = 0
        self.kept_row = 0  # the cursor row before a relayout cleared the rows
        self._cache: dict[tuple[int, int, str], Strip] = {}
        self._sync_pending = False

    # ---------------------------------------------------------------- columns
    def set_columns(self, spec: Sequence[ColumnSpec], width: int | None = None) -> None:
        """(Re)create the columns for ``width`` cells (default: the widget's own width); clears the rows."""
        self._spec = spec
        self._laid_width = width or self.size.width
        total = (width or self.size.width or 80) - 1  # the vertical scrollbar
        total -= 2 * len(spec)  # one space either side of a cell
        fixed = sum(int(w) for _, _, w in spec if isinstance(w, int))
        flex = sum(w for _, _, w in spec if isinstance(w, float)) or 1.0
        left = max(total - fixed, 4 * sum(1 for _, _, w in spec if isinstance(w, float)))
        self.widths = {name: w if isinstance(w, int) else max(int(left * w / flex), 4) for name, _, w in spec}
        self._labels = [header_label(label, self.widths[name]) for name, label, _ in spec]
        self.clear()

    @property
    def spec(self) -> Sequence[ColumnSpec]:
        return self._spec

    def w(self, name: str, default: int = 20) -> int:
        return self.widths.get(name, default)

    def on_resize(self, event: events.Resize) -> None:
        if self._spec and event.size.width != self._laid_width:
            self.kept_row = self.cursor_row
            self.set_columns(self._spec, event.size.width)
            self.post_message(self.Relaid(self))
        self._cache.clear()

    # ---------------------------------------------------------------- rows
    @property
    def row_count(self) -> int:
        return len(self.rows)

    def clear(self, columns: bool = False) -> None:
        self.rows = []
        self._index = {}
        self._changed()
        if self.cursor_row:
            self.set_reactive(RowList.cursor_row, 0)

    def add_row(self, *cells: RenderableType, key: str) -> None:
        self._index[key] = len(self.rows)
        self.rows.append(_Row(key, cells))
        self._changed()

    def remove_row(self, row_key: str) -> None:
        index = self._index.pop(row_key, None)
        if index is None:
            return
        del self.rows[index]
        self._index = {row.key: i for i, row in enumerate(self.rows)}
        self._changed()

    def get_row_at(self, index: int) -> tuple[RenderableType, ...]:
        return self.rows[index].cells

    def selected_key(self) -> str | None:
        if 0 <= self.cursor_row < len(self.rows):
            return self.rows[self.cursor_row].key
        return None

    def _changed(self) -> None:
        # Rows usually arrive a page at a time: size the scroll area once for the batch, not per row.
        self._cache.clear()
        if not self._sync_pending:
            self._sync_pending = True
            self.call_next(self._sync_size)

    def _sync_size(self) -> None:
        self._sync_pending = False
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        if self.cursor_row >= len(self.rows) and self.rows:
            self.cursor_row = len(self.rows) - 1
        self.refresh()

    # ---------------------------------------------------------------- cursor
    def move_cursor(self, *, row: int, animate: bool = False) -> None:
        self.cursor_row = max(0, min(row, len(self.rows) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._cache.clear()
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.RowHighlighted(self, new, self.selected_key()))

    def _scroll_to_cursor(self) -> None:
        visible = max(self.size.height - 1, 1)
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self.move_cursor(row=self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self.move_cursor(row=self.cursor_row + step * max(self.size.height - 2, 1))

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=len(self.rows) - 1)

    def action_select(self) -> None:
        key_value = self.selected_key()
        if key_value is not None:
            self.post_message(self.RowSelected(self, self.cursor_row, key_value))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            return
        row = int(self.scroll_y) + event.y - 1
        if 0 <= row < len(self.rows):
            self.focus()
            if row == self.cursor_row or event.chain > 1:
                self.move_cursor(row=row)
                self.action_select()
            else:
                self.move_cursor(row=row)

    def watch_scroll_y(self, old: float, new: float) -> None:
        self._cache.clear()
        super().watch_scroll_y(old, new)

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()

    # ---------------------------------------------------------------- rendering
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return self._line(-1, self._labels, "row-list--header", width)
        index = int(self.scroll_y) + y - 1
        if index >= len(self.rows):
            if index == 0 and self._spec:  # say "nothing here" rather than show a bare header
                return Strip(
                    [Segment(" " + t("none"), self.rich_style + Style(dim=True))]
                ).adjust_cell_length(width, self.rich_style)
            return Strip.blank(width, self.rich_style)
        if index == self.cursor_row:
            style = "row-list--cursor" if self.has_focus else "row-list--cursor-blurred"
        else:
            style = "row-list--even" if index % 2 else ""
        return self._line(index, self.rows[index].cells, style, width)

    def _line(self, index: int, cells: Sequence[RenderableType], component: str, width: int) -> Strip:
        cache_key = (index, width, component)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        base: Style = self.rich_style + (self.get_component_rich_style(component) if component else Style())
        console = self.app.console
        segments: list[Segment] = []
        # Each cell's text and its padding are separate runs, tagged with their column (as DataTable does):
        # a screenshot (SVG) then places every run at its own column even where the font draws CJK glyphs
        # a little off two cells wide, and the columns stay aligned there as they are in the terminal.
        for column, ((name, _, _), cell) in enumerate(zip(self._spec, cells, strict=False)):
            text = cell.copy() if isinstance(cell, Text) else Text(str(cell) if cell is not None else "")
            width_cells = self.widths.get(name, 10)
            text.truncate(width_cells, overflow="ellipsis")
            tag = Style.from_meta({"row": index, "column": column})
            segments.append(Segment(" ", base + tag))
            # Text.render leaves out the Text's own style (its caller normally applies it): add it here
            own = console.get_style(text.style, default=Style()) if text.style else Style()
            segments.extend(Segment.apply_style(list(text.render(console)), style=base + own, post_style=tag))
            pad = width_cells - text.cell_len + 1
            segments.append(Segment(" " * pad, base + Style.from_meta({"row": index, "pad": column})))
        strip = Strip(segments).adjust_cell_length(width, base)
        self._cache[cache_key] = strip
        return strip
