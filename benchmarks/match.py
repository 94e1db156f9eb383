"""Matching and check-in on a big demo store (1M contacts by default), against naive baselines measured in
the same run.

    python benchmarks/match.py [--contacts 1000000] [--demands 40] [--talents 200] [--naive 3]

Reports, each with the baseline beside it and the ratio:
* one demand's top 50 talents (p50, p95; goal p95 <= 200 ms) against scoring every talent (full scan),
* one talent's top 20 demands (p50, p95; goal p95 <= 50 ms) against scoring every open demand,
* check-in at the door: find a registrant from a few typed letters or a pasted phone and mark them present
  (median; goal <= 50 ms) against a LIKE query over the event's registrants and the same mark.
The fast answers are checked equal to the full scans' (same people, same scores, same order).

The store is built once (without the lookup index, which none of this reads) and cached in
benchmarks/_data/match-<n>.db; check-ins made by the run are undone at its end."""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "benchmarks" / "_data"

from liaison_tui.store import Store  # noqa: E402
from liaison_tui.store import recruiting as R  # noqa: E402
from liaison_tui.store.checkin import CheckinIndex  # noqa: E402
from liaison_tui.store.matching import match_demand, match_talent  # noqa: E402


def build(contacts: int) -> Path:
    from liaison_tui.store.demo import generate
    from liaison_tui.tui.testing import FIXED_NOW

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"match-{contacts}.db"
    if path.exists():
        return path
    partial = path.with_suffix(".building")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    with Store.open(partial, author="bench") as store:

        def progress(done: int, total: int) -> None:
            if done % 100_000 < 5000:
                print(
                    f"  built {done:,} of {total:,} contacts ({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )

        generate(store, contacts, seed=7, now=FIXED_NOW, progress=progress, index=False)
        store.conn.execute("ANALYZE")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)
    print(f"built {path.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def timed(fn: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(name: str, fast: list[float], naive: list[float], goal: str) -> None:
    ratio = statistics.median(naive) / statistics.median(fast)
    print(
        f"{name}: p50 {statistics.median(fast):.1f} ms, p95 {pct(fast, 95):.1f} ms ({goal}); "
        f"baseline p50 {statistics.median(naive):.1f} ms; {ratio:.0f}x faster"
    )


def bench_demands(store: Store, count: int, naive_runs: int, rng: random.Random) -> None:
    demands = [
        r[0] for r in store.conn.execute("SELECT id FROM demands WHERE deleted = 0 AND status = 'open'")
    ]
    sample = rng.sample(demands, min(count, len(demands)))
    match_demand(store, sample[0])  # warm the page cache once
    fast, scored, read = [], [], []
    for d in sample:
        ms, result = timed(lambda d=d: match_demand(store, d, limit=50))
        fast.append(ms)
        scored.append(result.scored)
        read.append(result.candidates)
    naive = []
    for d in sample[:naive_runs]:
        ms, full = timed(lambda d=d: match_demand(store, d, limit=50, naive=True))
        naive.append(ms)
        quick = match_demand(store, d, limit=50)
        same = [(p.match.talent.contact_id, p.match.score) for p in quick.proposals] == [
            (p.match.talent.contact_id, p.match.score) for p in full.proposals
        ]
        print(
            f"  demand {d[:8]}: full scan scored {full.scored:,} talents, fast {quick.scored:,}; same answer: {same}"
        )
        assert same
    print(
        f"  talents scored per demand by the fast search: median {statistics.median(scored):,.0f}, "
        f"max {max(scored):,}; candidates read: median {statistics.median(read):,.0f}, max {max(read):,}"
    )
    report("demand -> top 50 talents", fast, naive, "goal p95 <= 200 ms")


def bench_talents(store: Store, count: int, naive_runs: int, rng: random.Random) -> None:
    total = store.conn.execute("SELECT max(rowid) FROM talent_profiles").fetchone()[0]
    ids: list[str] = []
    while len(ids) < count:
        row = store.conn.execute(
            "SELECT contact_id FROM talent_profiles WHERE rowid >= ? AND deleted = 0 LIMIT 1",
            (rng.randrange(total),),
        ).fetchone()
        if row:
            ids.append(row[0])
    fast = [timed(lambda c=c: match_talent(store, c, limit=20))[0] for c in ids]
    naive = []
    for c in ids[: max(naive_runs * 10, 10)]:
        ms, full = timed(lambda c=c: match_talent(store, c, limit=20, naive=True))
        naive.append(ms)
        quick = match_talent(store, c, limit=20)
        assert [(p.match.job.id, p.match.score) for p in quick.proposals] == [
            (p.match.job.id, p.match.score) for p in full.proposals
        ]
    open_demands = store.conn.execute("SELECT count(*) FROM demands WHERE deleted = 0 AND status = 'open'")
    print(f"  open demands: {open_demands.fetchone()[0]:,}")
    report("talent -> top 20 demands", fast, naive, "goal p95 <= 50 ms")


def _typed(name: str, phone: str | None, n: int) -> str:
    """What someone at the door types: a phone's last digits (every third), else a few letters of the name."""
    if phone and n % 3 == 0:
        return phone[-8:]
    words = name.split()
    return words[-1][:4] if n % 3 == 1 else "".join(w[0] for w in words if w).lower()


def _like_lookup(store: Store, event_id: str, text: str) -> list[tuple[str, str]]:
    pattern = f"%{text}%"
    return store.conn.execute(
        "SELECT a.id, a.contact_id FROM attendances a JOIN contacts c ON c.id = a.contact_id WHERE a.event_id = ? "
        "AND a.deleted = 0 AND (c.native_name LIKE ? OR c.latin_name LIKE ? OR EXISTS (SELECT 1 FROM contact_points p "
        "WHERE p.contact_id = a.contact_id AND p.deleted = 0 AND p.value LIKE ?)) LIMIT 8",
        (event_id, pattern, pattern, pattern),
    ).fetchall()


def bench_checkin(store: Store, count: int) -> None:
    event_id, size = store.conn.execute(
        "SELECT event_id, count(*) AS n FROM attendances WHERE status = 'registered' AND deleted = 0 "
        "GROUP BY event_id ORDER BY n DESC LIMIT 1"
    ).fetchone()
    load_ms, door = timed(lambda: CheckinIndex.load(store, event_id))
    people = store.conn.execute(
        "SELECT a.id, a.contact_id, coalesce(c.latin_name, c.native_name), (SELECT p.value FROM contact_points p "
        "WHERE p.contact_id = a.contact_id AND p.kind = 'phone' AND p.deleted = 0 LIMIT 1) FROM attendances a "
        "JOIN contacts c ON c.id = a.contact_id WHERE a.event_id = ? AND a.status = 'registered' AND a.deleted = 0 "
        "ORDER BY a.id LIMIT ?",
        (event_id, count),
    ).fetchall()
    fast, naive, marked = [], [], []
    try:
        for n, (att, cid, name, phone) in enumerate(people):
            typed = _typed(name, phone, n)

            def door_step(typed: str = typed, cid: str = cid) -> bool:
                found = door.find(typed)
                hit = next((f for f in found if f.contact_id == cid), None)
                if hit is None:
                    return False
                R.check_in(store, hit.attendance_id)
                door.mark(hit.attendance_id, "attended")
                return True

            ms, done = timed(door_step)
            if done:
                fast.append(ms)
                marked.append(att)

            def like_step(typed: str = typed, att: str = att) -> None:
                _like_lookup(store, event_id, typed)
                store.write("attendances", att, "update", {"notes": "benchmark"})

            naive.append(timed(like_step)[0])
            store.write("attendances", att, "update", {"notes": None})
    finally:
        with store.transaction():
            for att in marked:
                R.undo_check_in(store, att)
    print(
        f"  event with {size:,} registered; its registrants loaded for the door in {load_ms:.0f} ms; {len(fast)} of {len(people)} found by what was typed"
    )
    report("check-in lookup-and-mark", fast, naive, "goal median <= 50 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--demands", type=int, default=40)
    parser.add_argument("--talents", type=int, default=200)
    parser.add_argument("--naive", type=int, default=3, help="full scans per measurement (they take seconds)")
    parser.add_argument("--checkins", type=int, default=100)
    args = parser.parse_args()
    path = build(args.contacts)
    rng = random.Random(1)
    with Store.open(path, author="bench") as store:
        counts = {
            t: store.conn.execute(f"SELECT count(*) FROM {t} WHERE deleted = 0").fetchone()[0]
            for t in ("contacts", "talent_profiles", "talent_skills", "demands")
        }
        print("store: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
        bench_demands(store, args.demands, args.naive, rng)
        bench_talents(store, args.talents, args.naive, rng)
        bench_checkin(store, args.checkins)


if __name__ == "__main__":
    main()
