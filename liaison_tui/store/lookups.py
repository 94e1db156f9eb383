"""Small reads by key for the screens and commands: a meta value, a staff member's id by user name, user
names by id, organizations by exact name. Each takes the store lock (or a bare connection where a caller
reads without a store) and returns plain values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import engine


def meta_value(conn: engine.Connection, key: str) -> str | None:
    """A value of the store's ``meta`` table, None when the key is unset."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def staff_id(store: Any, username: str | None) -> str | None:
    """The id of the live staff member with this user name, if there is one."""
    if not username:
        return None
    with store.lock:
        row = store.conn.execute(
            "SELECT id FROM staff WHERE username = ? AND deleted = 0", (username,)
        ).fetchone()
    return str(row[0]) if row else None


def usernames(store: Any, ids: Sequence[str]) -> dict[str, str]:
    """Staff id -> user name, for the ids that name a staff member (deleted ones included)."""
    if not ids:
        return {}
    with store.lock:
        return {
            sid: name
            for sid, name in store.conn.execute(
                f"SELECT id, username FROM staff WHERE id IN ({','.join('?' * len(ids))})", list(ids)
            )
        }


def org_ids_named(store: Any, name: str) -> list[str]:
    """Ids of live organizations whose Chinese or English name is exactly ``name``."""
    with store.lock:
        return [
            str(oid)
            for (oid,) in store.conn.execute(
                "SELECT id FROM organizations WHERE deleted = 0 AND (name_zh = ? OR name_en = ?)",
                (name, name),
            )
        ]
