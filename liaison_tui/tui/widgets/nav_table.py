"""The list widget every screen uses: a :class:`RowList` (virtual, light) under the name the screens know."""

from __future__ import annotations

from .row_list import ColumnSpec, RowList

__all__ = ["ColumnSpec", "NavTable"]


class NavTable(RowList):
    """A row-cursor list driven like a pager: j/k, g/G, page keys, Enter; the mouse clicks and scrolls."""
