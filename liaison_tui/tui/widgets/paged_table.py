"""A table over a keyset-paged query: the widget holds a window of a few pages, never the whole result.

Moving near the bottom of the window (cursor, page-down, mouse wheel) fetches the page after it in a thread
worker and drops the page furthest away; near the top it fetches the page before. ``G`` jumps to the last
page with one query (the keyset runs backwards), so the end of a million rows is as quick as the start."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from textual import events
from textual.message import Message

from ..db import run_db
from .nav_table import NavTable

if TYPE_CHECKING:
    from ...store.queries import CasePage
    from ...store.store import Store

Loader = Callable[..., "CasePage"]


class PagedTable(NavTable):
    PAGE = 50
    MAX_PAGES = 3
    EDGE = 5  # rows from the window's edge at which the next page is fetched

    class WindowChanged(Message):
        def __init__(self, table: PagedTable) -> None:
            super().__init__()
            self.table = table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.loader: Callable[..., CasePage] | None = None
        self.render_row: Callable[[dict[str, Any], PagedTable], list[RenderableType]] = lambda row, table: []
        self._pages: list[list[dict[str, Any]]] = []
        self._before: str | None = None
        self._after: str | None = None
        self.at_start = True
        self.at_end = True
        self.fetching = False
        self.first_index = 0  # position of the window's first row in the whole result, if known

    # ---------------------------------------------------------------- loading
    def reset(self) -> None:
        self._request("reset", lambda store: self._load(store))

    def reload(self) -> None:
        """Refresh the rows in place (after an edit), keeping the window where it is."""
        if not self._pages or self.at_start:
            self.reset()
            return
        cursor = self._before
        self._request("reload", lambda store: self._load(store, after=None, before=None, around=cursor))

    def _load(self, store: Store, **kwargs: Any) -> CasePage:
        assert self.loader is not None
        around = kwargs.pop("around", None)
        if around is not None:
            # the page starting at the first row on screen: page forward from the row before it
            page = self.loader(store, before=around, limit=1)
            return (
                self.loader(store, after=page.before, limit=self.PAGE)
                if page.rows
                else self.loader(store, limit=self.PAGE)
            )
        return self.loader(store, limit=self.PAGE, **kwargs)

    def _request(self, how: str, fn: Callable[[Store], CasePage]) -> None:
        if self.loader is None:
            return
        self.fetching = True
        run_db(
            self,
            fn,
            lambda page: self._arrived(how, page),
            group=f"page-{self.id}",
            exclusive=True,
            read_only=True,
        )

    def load_next(self) -> None:
        if not self.fetching and not self.at_end:
            after = self._after
            self._request("next", lambda store: self._load(store, after=after))

    def load_previous(self) -> None:
        if not self.fetching and not self.at_start:
            before = self._before
            self._request("previous", lambda store: self._load(store, before=before))

    def action_last(self) -> None:
        if self.at_end:
            super().action_last()
        else:
            self._request("last", lambda store: self._load(store, last=True))

    def action_first(self) -> None:
        if self.at_start:
            super().action_first()
        else:
            self._request("reset", lambda store: self._load(store))

    def _arrived(self, how: str, page: CasePage) -> None:
        self.fetching = False
        row = self.cursor_row
        if how in ("reset", "last", "reload"):
            self._pages = [page.rows] if page.rows else []
            self.at_start, self.at_end = page.at_start, page.at_end
            self._before, self._after = page.before, page.after
            if how == "reset":
                self.first_index = 0
            row = (len(page.rows) - 1) if how == "last" else min(row, max(len(page.rows) - 1, 0))
            if how == "reset":
                row = 0
        elif how == "next":
            if not page.rows:
                self.at_end = True
                return
            self._pages.append(page.rows)
            self._after, self.at_end = page.after, page.at_end
            dropped: list[dict[str, Any]] = []
            if len(self._pages) > self.MAX_PAGES:
                dropped = self._pages.pop(0)
                self.first_index += len(dropped)
                self._before, self.at_start = self._cursor_of(self._pages[0][0]), False
            self._append(page.rows, dropped)
            self.post_message(self.WindowChanged(self))
            return
        else:  # previous
            if not page.rows:
                self.at_start = True
                return
            self._pages.insert(0, page.rows)
            row += len(page.rows)
            self.first_index = max(self.first_index - len(page.rows), 0)
            self._before, self.at_start = page.before, page.at_start
            if len(self._pages) > self.MAX_PAGES:
                self._pages.pop()
                self._after, self.at_end = self._cursor_of(self._pages[-1][-1]), False
        self._fill(max(row, 0))
        self.post_message(self.WindowChanged(self))

    @staticmethod
    def _cursor_of(row: dict[str, Any]) -> str:
        from ...store.queries import _cursor

        return _cursor(row)

    def _append(self, rows: list[dict[str, Any]], dropped: list[dict[str, Any]]) -> None:
        """Add a page at the bottom and drop one from the top without rebuilding the table: the DataTable
        measures only the rows added, so this costs a page, not the window."""
        row = self.cursor_row
        for item in dropped:
            self.remove_row(item["id"])
        for item in rows:
            self.add_row(*self.render_row(item, self), key=item["id"])
        if dropped:
            self.move_cursor(row=max(row - len(dropped), 0), animate=False)

    def _fill(self, cursor_row: int) -> None:
        self.clear()
        for rows in self._pages:
            for row in rows:
                self.add_row(*self.render_row(row, self), key=row["id"])
        if self.row_count:
            self.move_cursor(row=min(cursor_row, self.row_count - 1), animate=False)

    @property
    def window_rows(self) -> int:
        return sum(len(p) for p in self._pages)

    def row_data(self, row_id: str) -> dict[str, Any] | None:
        for rows in self._pages:
            for row in rows:
                if row["id"] == row_id:
                    return row
        return None

    def refill(self) -> None:
        """Render the rows held again (after the columns changed), keeping the cursor at ``kept_row``."""
        self._fill(self.kept_row)

    def on_row_list_relaid(self, event: NavTable.Relaid) -> None:
        event.stop()
        self._fill(self.kept_row)

    # ---------------------------------------------------------------- edges
    def on_row_list_row_highlighted(self, event: NavTable.RowHighlighted) -> None:
        if event.cursor_row != self.cursor_row:
            return  # stale: sent while the window was being refilled
        if event.cursor_row >= self.row_count - self.EDGE:
            self.load_next()
        elif event.cursor_row < self.EDGE:
            self.load_previous()

    # The mouse wheel scrolls without moving the cursor: fetch at the edges too. (Not a scroll_y watcher:
    # refilling the table resets the scroll position, which must not count as the user scrolling up.)
    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if self.max_scroll_y and self.scroll_y >= self.max_scroll_y - 2:
            self.load_next()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if self.scroll_y <= 1:
            self.load_previous()
