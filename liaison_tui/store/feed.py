"""The central service's feed: pages of accepted changes in server order, read on their own connections.

Pulls never queue behind a push: each request thread reads through its own read-only connection (WAL lets
readers see the last committed state while the one writer works), inside one read transaction per page so
that the page and its cursor come from the same snapshot. The sequence is allocated inside the single
writer's transaction, so it follows commit order and a cursor never skips a change that committed late.

A laptop's own changes are left out of its pulls (it has them), except those whose numbers it says it no
longer holds (``gaps``: a laptop restored from a backup): echo is decided by what the laptop holds, not by
its device id alone.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import orjson

from ..domain.sync_protocol import MAX_GAPS, MAX_PULL_PAGE
from .store import Store


class FeedRewound(Exception):
    """The laptop's cursor points into a feed this server does not have (it was restored from an older
    backup): the laptop must find a common checkpoint first."""

    def __init__(self, top: int) -> None:
        super().__init__(top)
        self.top = top


@dataclass(frozen=True)
class Gaps:
    """Ranges of a laptop's own change numbers it does not hold."""

    ranges: tuple[tuple[int, int], ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> Gaps:
        """``"12-40,77-77"``; raises ValueError on anything else (the server answers 422)."""
        if not text:
            return cls()
        ranges = []
        for part in text.split(",")[: MAX_GAPS + 1]:
            low, _, high = part.partition("-")
            a, b = int(low), int(high or low)
            if not (1 <= a <= b <= 2**53):
                raise ValueError(part)
            ranges.append((a, b))
        if len(ranges) > MAX_GAPS:
            raise ValueError("too many gaps")
        return cls(tuple(ranges))

    def encode(self) -> str:
        return ",".join(f"{a}-{b}" for a, b in self.ranges)


NO_GAPS = Gaps()


class Feed:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._local = threading.local()
        self._readers: list[Any] = []
        self._guard = threading.Lock()

    def reader(self) -> Any:
        """This thread's read-only connection (uvicorn runs requests on a pool of threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self.store.reader()
            self._local.conn = conn
            with self._guard:
                self._readers.append(conn)
        return conn

    def close(self) -> None:
        with self._guard:
            for conn in self._readers:
                conn.close()
            self._readers.clear()

    def top(self) -> int:
        return int(self.reader().execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0])

    def page(
        self,
        device: str,
        after: int,
        limit: int,
        *,
        after_hlc: str | None = None,
        gaps: Gaps = NO_GAPS,
        scoped: bool = False,
        session: dict[str, Any] | None = None,
    ) -> bytes:
        """One page of the feed after ``after`` as JSON bytes (the stored JSON of each change is spliced in,
        not decoded and re-encoded). ``scoped``: only records in the device's trip-kit scope."""
        limit = max(1, min(limit, MAX_PULL_PAGE))
        conn = self.reader()
        own = "c.device_id != :device"
        if gaps.ranges:
            inside = " OR ".join(f"c.origin_seq BETWEEN {a} AND {b}" for a, b in gaps.ranges)
            own = f"({own} OR {inside})"
        scope = (
            " AND EXISTS (SELECT 1 FROM sync_device_scope s WHERE s.device = :device AND s.tbl = c.tbl "
            "AND s.row_id = c.row_id)"
            if scoped
            else ""
        )
        conn.execute("BEGIN")
        try:
            top = int(conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0])
            if after > 0:
                at = conn.execute("SELECT hlc FROM change_log WHERE seq = ?", (after,)).fetchone()
                if after > top or (after_hlc is not None and (at is None or at[0] != after_hlc)):
                    raise FeedRewound(top)
            rows = conn.execute(
                "SELECT c.seq, c.tbl, c.row_id, c.op, c.fields, c.base, c.hlc, c.device_id, c.author, c.at "
                f"FROM change_log c WHERE c.seq > :after AND {own}{scope} ORDER BY c.seq LIMIT :limit",
                {"after": after, "device": device, "limit": limit},
            ).fetchall()
            more = len(rows) == limit
            nxt = rows[-1][0] if more else max(after, top)
            found = (
                conn.execute("SELECT hlc FROM change_log WHERE seq = ?", (nxt,)).fetchone() if nxt else None
            )
        finally:
            conn.execute("COMMIT")
        frag = orjson.Fragment
        changes = [
            [s, t, r, o, frag(f), frag(b) if b else None, h, d, a, at]
            for s, t, r, o, f, b, h, d, a, at in rows
        ]
        answer = {
            "changes": changes,
            "next": nxt,
            "next_hlc": found[0] if found else None,
            "more": more,
            "server_time_ms": self.store.wall_ms(),
        }
        if session is not None:
            answer["session"] = {**session, "feed_seq": top}
        return orjson.dumps(answer)

    def common_checkpoint(self, checkpoints: list[tuple[int, str]]) -> int:
        """The newest of a laptop's (seq, stamp) checkpoints this feed still holds unchanged, or 0."""
        conn = self.reader()
        for seq, hlc in sorted(checkpoints, reverse=True):
            row = conn.execute("SELECT hlc FROM change_log WHERE seq = ?", (seq,)).fetchone()
            if row is not None and row[0] == hlc:
                return seq
        return 0
