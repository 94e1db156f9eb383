"""The local SQLite store (sqlite-utils): migrations, the single write path, repositories, demo data."""

from .repos import Page, Repository
from .store import Store, WriteResult

__all__ = ["Page", "Repository", "Store", "WriteResult"]
