"""Erasing a laptop's whole store, at the station's request (a trip kit expired, or the token was revoked
with ``--wipe``), after everything it still had to push has reached the server.

Every row of every table goes, the full-text indexes are emptied through FTS5 itself, and the file is then
rebuilt (VACUUM) with ``secure_delete`` on and the WAL truncated: no page of the old content is left in the
database file or its WAL. What stays is the laptop's identity (device id and code, so a later token can be
bound to it again and case numbers never repeat), its change numbering, and a note of the wipe.
"""

from __future__ import annotations

from ..domain.times import iso, utcnow
from .store import Store

# Meta kept across a wipe: who this laptop is, and how far its numbering went.
_KEEP_META = ("device_id", "device_code", "station", "hlc_last")
WIPED_AT = "wiped_at"
WIPED_REASON = "wiped_reason"
PUSHED_FLOOR = "pushed_floor"


def wipe(store: Store, reason: str) -> None:
    """Empty ``store`` in place (it stays open and usable, empty). ``reason``: a message key."""
    conn = store.conn
    with store.lock:
        top = conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
        entries = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        virtual = [name for name, sql in entries if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
        shadows = {name for name, _ in entries for v in virtual if name.startswith(f"{v}_")}
        plain = [
            name
            for name, _ in entries
            if name not in virtual
            and name not in shadows
            and not name.startswith("sqlite_")
            and name not in ("schema_migrations", "meta")
        ]
        with store.transaction():
            conn.execute("PRAGMA defer_foreign_keys = ON")  # everything goes: order does not matter
            for table in virtual:
                conn.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
            for table in plain:
                conn.execute(f"DELETE FROM {table}")
            marks = ",".join("?" * len(_KEEP_META))
            conn.execute(f"DELETE FROM meta WHERE key NOT IN ({marks})", _KEEP_META)
            store.set_meta(WIPED_AT, iso(utcnow()))
            store.set_meta(WIPED_REASON, reason)
            store.set_meta(PUSHED_FLOOR, str(top))
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
