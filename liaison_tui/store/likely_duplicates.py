"""Bulk inserts of contact points with the ``likely_duplicates`` table kept exact (db/0052).

The table's insert trigger looks up every new point's value among the others: a statement per point,
about a third of a bulk insert's time. :func:`deferred` takes that trigger away for the length of a block
of the caller's transaction and, at its end, puts it back and adds in one statement what the trigger would
have added for every point inserted meanwhile (every one after the highest rowid seen at the start). DDL
is transactional in SQLite: a rollback puts the trigger back too, and other connections never see the
table without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from . import engine

TRIGGER = "likely_duplicates_point_in"

# What the insert trigger adds for a new point, for all the points after rowid ? at once: everyone live
# holding its value, when two different live people hold it. Only the insert trigger is deferred, so
# whatever else changes meanwhile keeps the table right through the other triggers, and this adds exactly
# the people the new points made duplicates (whether or not a new point's own person is deleted: all it
# adds are people the definition includes).
_REFILL = """
INSERT OR IGNORE INTO likely_duplicates (contact_id)
SELECT q.contact_id FROM contact_points q
WHERE (q.kind, q.value) IN (
        SELECT n.kind, n.value FROM contact_points n NOT INDEXED  -- the rowid range, not every point
        WHERE n.rowid > ? AND n.deleted = 0 AND n.kind IN ('email', 'phone', 'wechat')
    )
    AND q.deleted = 0 AND q.kind IN ('email', 'phone', 'wechat')
    AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = q.contact_id AND g.deleted = 1)
    AND EXISTS (
        SELECT 1 FROM contact_points r
        WHERE r.kind = q.kind AND r.kind IN ('email', 'phone', 'wechat') AND r.value = q.value
            AND r.deleted = 0 AND r.contact_id != q.contact_id
            AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = r.contact_id AND g.deleted = 1)
    )
"""


@contextmanager
def deferred(conn: engine.Connection) -> Iterator[None]:
    """Within the caller's transaction: contact points inserted in the block reach ``likely_duplicates``
    in one statement at its end rather than one trigger run each. Nests (an inner block does nothing)."""
    if not conn.in_transaction:
        raise RuntimeError("likely_duplicates.deferred needs the caller's transaction")
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (TRIGGER,)
    ).fetchone()
    if row is None:  # an outer block has it off already
        yield
        return
    start = conn.execute("SELECT coalesce(max(rowid), 0) FROM contact_points").fetchone()[0]
    conn.execute(f"DROP TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        # also after an error the caller might catch and commit past; if SQLite has rolled the
        # transaction back already, the trigger is back and there is nothing to add
        if conn.in_transaction:
            conn.execute(row[0])
            refill_after(conn, start)


def refill_after(conn: engine.Connection, rowid: int) -> None:
    """Add what the insert trigger would have added for every contact point after ``rowid`` (0: all)."""
    conn.execute(_REFILL, (rowid,))
