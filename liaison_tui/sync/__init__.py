"""sync layer: the laptop's client for the station's central service (see docs/SYNC.md).

Names load on first use (``liaison_tui.lazy``): the terminal app shows its first screen without httpx, the
store's write path or the models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .backoff import Backoff
    from .client import SyncClient, SyncReport, sync_once
    from .errors import SyncError
    from .status import SyncStatus, read_status

__getattr__ = lazy_exports(
    __name__,
    {
        "backoff": ("Backoff",),
        "client": ("SyncClient", "SyncReport", "sync_once"),
        "errors": ("SyncError",),
        "status": ("SyncStatus", "read_status"),
    },
)

__all__ = ["Backoff", "SyncClient", "SyncError", "SyncReport", "SyncStatus", "read_status", "sync_once"]
