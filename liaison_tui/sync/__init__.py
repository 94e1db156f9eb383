"""sync layer: the laptop's client for the station's central service (see docs/SYNC.md)."""

from .backoff import Backoff
from .client import SyncClient, SyncReport, sync_once
from .errors import SyncError
from .status import SyncStatus, read_status

__all__ = ["Backoff", "SyncClient", "SyncError", "SyncReport", "SyncStatus", "read_status", "sync_once"]
