"""sync layer: the laptop's client for the station's central service (see docs/SYNC.md).

The HTTP client (httpx) is imported on first use: the terminal app shows its first screen without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .backoff import Backoff
from .errors import SyncError
from .status import SyncStatus, read_status

if TYPE_CHECKING:
    from .client import SyncClient, SyncReport, sync_once

__all__ = ["Backoff", "SyncClient", "SyncError", "SyncReport", "SyncStatus", "read_status", "sync_once"]


def __getattr__(name: str) -> Any:
    if name in ("SyncClient", "SyncReport", "sync_once"):
        from . import client

        return getattr(client, name)
    raise AttributeError(name)
