"""The sync badge's facts, read from the local store only (never waits for the network)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from ..domain.i18n import register, t
from ..store import conflicts, outbox
from ..store.pending import PENDING_CAP
from ..store.store import Store

register(
    {
        "sync.status.never": ("Never synced", "从未同步"),
        "sync.status.ok": ("Synced {at}", "已同步 {at}"),
        "sync.status.pending": ("{count} to send", "{count} 条待发送"),
        "sync.status.conflicts": ("{count} conflicts", "{count} 处冲突"),
        "sync.status.rejected": ("{count} refused", "{count} 条被拒绝"),
        "sync.status.off": ("Sync off", "未启用同步"),
    }
)

LAST_OK = "sync_last_ok"
LAST_ERROR = "sync_last_error"
LAST_ERROR_PARAMS = "sync_last_error_params"
LAST_SKEW = "sync_skew_ms"


@dataclass(frozen=True)
class SyncStatus:
    configured: bool
    pending: int
    last_synced_at: str | None
    last_error: str | None  # message key, None after a successful sync
    last_error_params: dict[str, Any]
    conflicts: int
    rejected: int  # refused changes the user has not looked at yet
    skew_ms: int

    def error_message(self, lang: str | None = None) -> str | None:
        return t(self.last_error, lang, **self.last_error_params) if self.last_error else None

    def badge(self, lang: str | None = None) -> str:
        if not self.configured:
            return t("sync.status.off", lang)
        parts = [
            t("sync.status.ok", lang, at=self.last_synced_at[:16].replace("T", " "))
            if self.last_synced_at
            else t("sync.status.never", lang)
        ]
        if self.pending:
            parts.append(t("sync.status.pending", lang, count=self.pending))
        if self.conflicts:
            parts.append(t("sync.status.conflicts", lang, count=self.conflicts))
        if self.rejected:
            parts.append(t("sync.status.rejected", lang, count=self.rejected))
        return " · ".join(parts)


def read_status(store: Store, *, configured: bool = True) -> SyncStatus:
    with store.lock:
        params = store.get_meta(LAST_ERROR_PARAMS)
        return SyncStatus(
            configured=configured,
            pending=outbox.pending_count(store, PENDING_CAP),
            last_synced_at=store.get_meta(LAST_OK),
            last_error=store.get_meta(LAST_ERROR) or None,
            last_error_params=orjson.loads(params) if params else {},
            conflicts=conflicts.count_open(store),
            rejected=outbox.rejected_count(store, unseen_only=True),
            skew_ms=int(store.get_meta(LAST_SKEW) or 0),
        )


def record_outcome(
    store: Store,
    *,
    ok_at: str | None,
    error: str | None = None,
    params: dict[str, Any] | None = None,
    skew_ms: int | None = None,
) -> None:
    with store.transaction():
        if ok_at:
            store.set_meta(LAST_OK, ok_at)
        store.set_meta(LAST_ERROR, error or "")
        store.set_meta(
            LAST_ERROR_PARAMS, orjson.dumps({k: str(v) for k, v in (params or {}).items()}).decode()
        )
        if skew_ms is not None:
            store.set_meta(LAST_SKEW, str(skew_ms))
