"""How many local changes wait to be pushed: the sync badge asks on every start and after every write.

Apart from ``store`` so that the first screen can ask through a plain read-only connection without
importing the write path and its models."""

from __future__ import annotations

from . import engine

# A badge needs no exact count of millions of waiting changes (a fresh demo store has them all pending):
# counting stops past this and the UI shows "100,000+". Counting 7M index entries took 0.35 s.
PENDING_CAP = 100_000


def count_pending(conn: engine.Connection, cap: int | None = None) -> int:
    if cap is None:
        return int(conn.execute("SELECT count(*) FROM change_log WHERE pushed = 0").fetchone()[0])
    sql = "SELECT count(*) FROM (SELECT 1 FROM change_log WHERE pushed = 0 LIMIT ?)"
    return int(conn.execute(sql, (cap + 1,)).fetchone()[0])
