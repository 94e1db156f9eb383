"""The laptop's side of a pull: a page of the server's feed and the cursor after it, in one transaction
(a crash mid-page leaves neither), and this laptop's clock kept in step with the server's."""

from __future__ import annotations

from typing import Any

from ..domain.hlc import MAX_DRIFT_MS, Clock, Stamp, clamp
from ..domain.times import iso, utcnow
from .replica import apply_pulled, change_from_row
from .store import Store

CURSOR_KEY = "sync_cursor"
CURSOR_HLC_KEY = "sync_cursor_hlc"
CHECKPOINTS_KEPT = 64
# Set while records pulled into an empty laptop wait for one bulk search-index rebuild (set in the same
# transaction as the page, so a crash mid-pull still rebuilds the index on the next sync).
STALE_INDEX_KEY = "sync_search_stale"
# Where an interrupted fill of an empty laptop resumes; when the laptop last matched the server as a whole;
# whether a digest check is due at the next sync.
FILL_KEY = "sync_fill"
VERIFIED_KEY = "sync_verified_at"
VERIFY_DUE_KEY = "sync_verify_due"
OFFSET_KEY = "clock_offset_ms"
# Differences below this are network delay and ordinary drift, not a wrong clock.
SKEW_TOLERANCE_MS = 60_000


def cursor(store: Store) -> int:
    return int(store.get_meta(CURSOR_KEY) or 0)


def cursor_hlc(store: Store) -> str | None:
    return store.get_meta(CURSOR_HLC_KEY) or None


def checkpoints(store: Store) -> list[tuple[int, str]]:
    with store.lock:
        return [
            (int(s), h) for s, h in store.conn.execute("SELECT seq, hlc FROM sync_checkpoints ORDER BY seq")
        ]


def _checkpoint(store: Store, seq: int, hlc: str | None) -> None:
    """Remember (seq, stamp) of the feed; keep the newest half as they come and every other one of the
    older, so the kept points thin out with age (the rewind after a server restore needs a few, not all)."""
    if not seq or not hlc:
        return
    conn = store.conn
    conn.execute("INSERT OR REPLACE INTO sync_checkpoints (seq, hlc) VALUES (?, ?)", (seq, hlc))
    kept = [r[0] for r in conn.execute("SELECT seq FROM sync_checkpoints ORDER BY seq DESC")]
    if len(kept) > CHECKPOINTS_KEPT:
        drop = kept[CHECKPOINTS_KEPT // 2 :: 2]
        conn.executemany("DELETE FROM sync_checkpoints WHERE seq = ?", [(d,) for d in drop])


def rewind_to(store: Store, seq: int) -> None:
    """Pull again from ``seq``, a point of the feed this laptop and a restored server both hold."""
    with store.transaction() as conn:
        row = conn.execute("SELECT hlc FROM sync_checkpoints WHERE seq = ?", (seq,)).fetchone()
        conn.execute("DELETE FROM sync_checkpoints WHERE seq > ?", (seq,))
        store.set_meta(CURSOR_KEY, str(seq))
        store.set_meta(CURSOR_HLC_KEY, row[0] if row else "")


def bulk_pull(store: Store) -> bool:
    """Whether this pull fills a laptop from scratch: then one index rebuild beats per-record updates."""
    return cursor(store) == 0 or store.get_meta(STALE_INDEX_KEY) == "1"


def take_page(store: Store, page: dict[str, Any], *, bulk: bool = False) -> int:
    """Merge one pulled page and move the cursor past it; returns the number of changes applied."""
    changes = [change_from_row(row) for row in page["changes"]]
    with store.transaction():
        apply_pulled(store, changes, index=not bulk)
        if bulk and changes:
            store.set_meta(STALE_INDEX_KEY, "1")
        if changes:
            _advance(store, max(c.hlc for c in changes), int(page["server_time_ms"]))
        store.set_meta(CURSOR_KEY, str(int(page["next"])))
        store.set_meta(CURSOR_HLC_KEY, page.get("next_hlc") or "")
        _checkpoint(store, int(page["next"]), page.get("next_hlc"))
    return len(changes)


def take_puts(
    store: Store, records: list[Any], removes: list[Any] | None = None, *, bulk: bool = False
) -> tuple[int, int]:
    """Merge records sent whole and drop those that left this laptop's scope, in one transaction.
    ``bulk``: filling an empty laptop; the search index is rebuilt once at the end (finish_pull)."""
    from .puts import apply_puts, apply_removes

    with store.transaction():
        taken = apply_puts(store, records, index=not bulk)
        if bulk and records:
            store.set_meta(STALE_INDEX_KEY, "1")
        left = apply_removes(store, removes or [])
        newest = max((p[1].get("hlc") or "" for p in records if isinstance(p[1], dict)), default="")
        if newest:
            store.clock.observe(newest)
    return taken, left


def taken_whole(store: Store, top: int, top_hlc: str | None) -> None:
    """The laptop now holds everything as of feed position ``top`` (a fill ended, or a starter was copied
    in): pull on from there; no digest check is due (in the caller's transaction)."""
    store.set_meta(CURSOR_KEY, str(top))
    store.set_meta(CURSOR_HLC_KEY, top_hlc or "")
    store.set_meta(FILL_KEY, "")
    store.set_meta(VERIFIED_KEY, iso(utcnow()))


def finish_pull(store: Store) -> None:
    """Rebuild the search index once after a bulk pull."""
    if store.get_meta(STALE_INDEX_KEY) != "1":
        return
    from .demo import rebuild_index

    with store.transaction():
        rebuild_index(store)
        store.set_meta(STALE_INDEX_KEY, "0")


def _advance(store: Store, newest: str, server_time_ms: int) -> None:
    """Move our clock past what we have seen, so a later local edit wins over it. The server's stamps
    are at most its now + drift, so they are trusted even when our own clock runs far behind."""
    newest = clamp(newest, server_time_ms)
    if store.clock.observe(newest):
        return
    seen = Stamp.decode(newest)
    if seen.encode() > store.clock.last:
        store.clock = Clock(
            store.device_id, Stamp(seen.wall_ms, seen.counter, store.device_id).encode(), wall=store.wall_ms
        )


def correct_clock(store: Store, server_time_ms: int, floor: str | None = None) -> int:
    """Measure this laptop's clock against the server's; past the tolerance, stamp local edits with the
    corrected time from now on and pull a clock that ran ahead back. Returns the skew found (ms)."""
    skew = server_time_ms - store.wall_ms()
    wrong = abs(skew) > SKEW_TOLERANCE_MS
    if wrong:
        store.clock_offset_ms += skew
    last = clamp(store.clock.last, server_time_ms, MAX_DRIFT_MS)
    if floor and floor > last:
        last = floor
    if wrong or last != store.clock.last:
        store.clock = Clock(store.device_id, last, wall=store.wall_ms)
        store.set_meta(OFFSET_KEY, str(store.clock_offset_ms))  # the commit also persists the clock
    return skew
