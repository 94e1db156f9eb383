"""The laptop's side of a pull: a page of the server's feed and the cursor after it, in one transaction
(a crash mid-page leaves neither), and this laptop's clock kept in step with the server's."""

from __future__ import annotations

from typing import Any

from ..domain.hlc import MAX_DRIFT_MS, Clock, Stamp, clamp
from .replica import apply_pulled, change_from_row
from .store import Store

CURSOR_KEY = "sync_cursor"
# Set while records pulled into an empty laptop wait for one bulk search-index rebuild (set in the same
# transaction as the page, so a crash mid-pull still rebuilds the index on the next sync).
STALE_INDEX_KEY = "sync_search_stale"
OFFSET_KEY = "clock_offset_ms"
# Differences below this are network delay and ordinary drift, not a wrong clock.
SKEW_TOLERANCE_MS = 60_000


def cursor(store: Store) -> int:
    return int(store.get_meta(CURSOR_KEY) or 0)


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
    return len(changes)


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
