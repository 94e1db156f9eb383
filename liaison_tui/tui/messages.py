"""Messages between workers, widgets and screens. Database work happens in thread workers; its results
reach the event loop only as these messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.message import Message


class DbDone(Message):
    """A worker finished ``fn(store)``; ``apply`` runs on the event loop with the result (or the error)."""

    def __init__(
        self,
        apply: Callable[[Any], None],
        result: Any = None,
        error: BaseException | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        super().__init__()
        self.apply = apply
        self.result = result
        self.error = error
        self.on_error = on_error


@dataclass(frozen=True)
class SyncState:
    """What the sync badge shows. The sync engine posts :class:`SyncStatus` to the app when it knows more."""

    online: bool = False
    pending: int | None = None
    last_sync_at: str | None = None
    conflicts: int = 0
    syncing: bool = False
    rejected: int = 0  # refused changes the user has not looked at yet
    error: str | None = None  # message key of the last failed round (None after a success)
    configured: bool = True  # a station server is set up (else changes stay on this laptop)
    demo: bool = False  # the store holds `liaison demo` data, which never syncs


class SyncStatus(Message):
    def __init__(self, state: SyncState) -> None:
        super().__init__()
        self.state = state
