"""A new laptop filling record by record builds its secondary indexes once, at the end, not row by row.

The records tables carry some fifty indexes for lookups, lists and reports. Kept up during a fill, each of a
million inserts updates every index of its table at a random place, and at 100k contacts they no longer fit
the cache: most of the fill's time. So the fill drops them first (noting their SQL in meta in the same
transaction) and builds them again, each from sorted keys, when it ends. Unique indexes stay: they are
constraints. If the fill is interrupted, the next opening of the store builds them back before anything
reads it (``restore``), and the resumed fill drops them again.
"""

from __future__ import annotations

import orjson

from ..domain.entities import ENTITIES
from . import bulk_indexes, engine, likely_duplicates

KEY = "sync_fill_deferred_indexes"
# The trigger that keeps likely_duplicates as points arrive reads contact_points by value: without its
# index each run would scan the table. It is set aside with the indexes and the table filled once after.
_TRIGGER = likely_duplicates.TRIGGER


def _secondary(conn: engine.Connection) -> list[tuple[str, str, str]]:
    """(type, name, sql) of what the fill sets aside: the secondary indexes, then the trigger."""
    held = [("index", name, sql) for name, sql in bulk_indexes.secondary(conn, list(ENTITIES))]
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_TRIGGER,)
    ).fetchone()
    return held + ([("trigger", _TRIGGER, trigger[0])] if trigger else [])


def defer(conn: engine.Connection) -> None:
    """Drop the records tables' secondary indexes (in the caller's transaction), noting how to rebuild them."""
    if _saved(conn):
        return
    held = _secondary(conn)
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (KEY, orjson.dumps([sql for _, _, sql in held]).decode()),
    )
    for kind, name, _ in held:
        conn.execute(f'DROP {kind.upper()} "{name}"')


def _saved(conn: engine.Connection) -> list[str]:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (KEY,)).fetchone()
    except engine.OperationalError:  # a store being created: no meta table yet
        return []
    return list(orjson.loads(row[0])) if row and row[0] else []


def restore(conn: engine.Connection) -> None:
    """Build the deferred indexes again (in the caller's transaction); nothing when none are deferred."""
    statements = _saved(conn)
    if not statements:
        return
    for sql in statements:
        for plain in ("CREATE INDEX ", "CREATE TRIGGER "):
            if sql.startswith(plain):
                sql = sql.replace(plain, f"{plain}IF NOT EXISTS ", 1)
        conn.execute(sql)
    likely_duplicates.refill_after(conn, 0)
    conn.execute("DELETE FROM meta WHERE key = ?", (KEY,))


def pending(conn: engine.Connection) -> bool:
    return bool(_saved(conn))
