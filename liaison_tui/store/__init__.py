"""The local SQLite store (sqlite-utils): migrations, the single write path, repositories, demo data.

Names load on first use (PEP 562), so that reading a few rows for the first screen (``store.queries``)
does not import the write path and the domain models behind it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .repos import Page, Repository
    from .store import Store, WriteResult

__getattr__ = lazy_exports(__name__, {"repos": ("Page", "Repository"), "store": ("Store", "WriteResult")})

__all__ = ["Page", "Repository", "Store", "WriteResult"]
