"""Reports benchmark on a big demo store (1M contacts by default).

    python benchmarks/reports.py [--contacts 1000000] [--runs 3] [--skip-app] [--cold]

For every report: the time ``liaison report`` needs to compute it (``store.reports.run`` on a read-only
connection: the first run, then the median of ``--runs`` more), next to a naive computation of the same
figures in Python over all rows of the tables it reads (``SELECT *`` and loops), measured in the same run;
goal: every report <= 1 s. The first run is the first in this process; with ``--cold`` the store file's
pages are also dropped from the operating system's cache before it (``posix_fadvise(DONTNEED)`` on the
file: no privileges needed, other files untouched), so it reads from disk as after a reboot. Then the terminal app headless on the same store: the reports screen opened and
every report shown in turn while a 10 ms timer on the event loop records how late it fires (the loop is
frozen for as long as it is late); goal: no stall a person would notice (< 100 ms).

The store is built once into benchmarks/_data/ (~15-30 min for 1M contacts), seeded like the tests, without
the search index (reports do not read it), and given the stage history a year of use leaves (the demo's bulk
path writes none): 5 % of talents moved on one or two stages; and, when the store predates the recruiting
records, demands (one per 250 contacts) and introductions (one talent in 50) are added the cheap way.
Results go to benchmarks/_data/reports-<n>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "benchmarks" / "_data"

from liaison_tui.store import Store  # noqa: E402
from liaison_tui.store import reports as R  # noqa: E402
from liaison_tui.store.queries import read_only  # noqa: E402
from liaison_tui.store.reports.model import Params  # noqa: E402
from liaison_tui.tui.testing import DEVICE_CODE, FIXED_NOW  # noqa: E402


def ensure_store(contacts: int) -> Path:
    path = DATA / f"reports-{contacts}.db"
    if not path.exists():
        from liaison_tui.store import demo

        DATA.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".building")
        partial.unlink(missing_ok=True)
        with Store.open(partial, author="demo") as store:
            store.set_meta("device_code", DEVICE_CODE)
        with Store.open(partial, author="demo") as store:
            started = time.perf_counter()
            demo.generate(
                store,
                contacts,
                seed=7,
                now=FIXED_NOW,
                index=False,
                progress=lambda d, t: print(f"  {d:,}/{t:,}", end="\r", flush=True),
            )
            store.set_meta("demo_data", "1")
            print(f"\nbuilt in {time.perf_counter() - started:.0f} s")
        partial.rename(path)
    with Store.open(path, author="demo") as store:  # migrates (the report indexes of db/0051)
        _stage_history(store)
        _recruiting(store, contacts)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _stage_history(store: Store) -> None:
    """Stage changes as a year of use leaves them (the bulk path that made the demo writes no history)."""
    conn = store.conn
    if conn.execute("SELECT 1 FROM history WHERE tbl = 'contacts' AND field = 'stage' LIMIT 1").fetchone():
        return
    rng = random.Random(7)
    stages = ["lead", "contacted", "engaged", "visiting", "signed", "landed", "rooted"]
    rows = []
    for cid, stage in conn.execute(
        "SELECT id, stage FROM contacts WHERE deleted = 0 AND kind = 'talent' AND abs(random()) % 20 = 0"
    ):
        now = stages.index(stage) if stage in stages else rng.randrange(1, 4)
        path = stages[max(now - rng.choice([1, 2]), 0) : now + 1] if now else ["lead"]
        day = 0
        for old, new in zip(path, path[1:] + ([stage] if stage not in stages else []), strict=False):
            day += rng.randrange(5, 90)
            at = f"2025-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}T02:00:00Z"
            rows.append(
                ("contacts", cid, "stage", old, new, at, "demo", "bench", f"bench-{len(rows)}", "sync")
            )
    with store.transaction():
        conn.executemany(
            "INSERT INTO history (tbl, row_id, field, old_value, new_value, at, author, device_id, hlc, origin) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    print(f"added {len(rows):,} stage changes")


def _recruiting(store: Store, contacts: int) -> None:
    """Employers' demands and introductions of talents to them, for a store built before the demo made them:
    as many as the demo makes (a demand per 250 contacts, an introduction for about one talent in 50), at
    stages drawn with the demo's weights, over the year before the demo's day."""
    conn = store.conn
    if conn.execute("SELECT 1 FROM introductions LIMIT 1").fetchone():
        return
    from liaison_tui.domain.enums import IndustryChain
    from liaison_tui.domain.ids import new_id
    from liaison_tui.domain.times import iso

    rng = random.Random(7)
    employers = [
        r[0] for r in conn.execute("SELECT id FROM organizations WHERE deleted = 0 AND country = 'CN'")
    ]
    employers = employers or [r[0] for r in conn.execute("SELECT id FROM organizations WHERE deleted = 0")]
    staff = [r[0] for r in conn.execute("SELECT id FROM staff WHERE deleted = 0 AND role != 'admin'")]
    chains = [c.value for c in IndustryChain]
    demands = [
        {
            "id": new_id(),
            "title": f"Demand {n}",
            "org_id": rng.choice(employers),
            "industry_chain": rng.choice(chains),
            "required_skills": [],
            "preferred_skills": [],
            "languages": [],
            "work_mode": "onsite",
            "relocation_support": False,
            "headcount": 1,
            "status": rng.choices(["open", "on_hold", "filled", "closed"], [60, 12, 16, 12])[0],
            "owner_id": rng.choice(staff),
            "hard": [],
        }
        for n in range(max(24, contacts // 250))
    ]
    stages = ["proposed", "shared", "interview", "offer", "signed", "arrived", "declined", "withdrawn"]
    introductions = []
    for cid, owner in conn.execute(
        "SELECT id, owner_id FROM contacts INDEXED BY contacts_report_person "
        "WHERE deleted = 0 AND kind = 'talent' AND abs(random()) % 50 = 0"
    ):
        when = FIXED_NOW - timedelta(days=rng.randrange(2, 365))
        introductions.append(
            {
                "id": new_id(),
                "demand_id": rng.choice(demands)["id"],
                "contact_id": cid,
                "stage": rng.choices(stages, [30, 22, 16, 8, 6, 4, 9, 5])[0],
                "stage_at": iso(when),
                "owner_id": owner,
            }
        )
    with store.transaction():
        store.bulk_insert("demands", demands, at=FIXED_NOW)
        for at in range(0, len(introductions), 10_000):  # created over the year, a batch at a time
            batch = introductions[at : at + 10_000]
            store.bulk_insert("introductions", batch, at=FIXED_NOW - timedelta(days=rng.randrange(2, 365)))
    print(f"added {len(demands):,} demands and {len(introductions):,} introductions")


def _drop_cached_pages(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------- naive baselines
def _all(conn: Any, sql: str) -> list[tuple[Any, ...]]:
    return conn.execute(sql).fetchall()


def naive(conn: Any, name: str) -> Any:
    """The report's main figures the plain way: every row of its tables into Python, then loops."""
    if name == "services":
        people = dict(_all(conn, "SELECT id, merged_into FROM contacts"))
        opened: Counter[tuple[str, str]] = Counter()
        served: dict[str, set[str]] = defaultdict(set)
        for row in _all(conn, "SELECT * FROM cases WHERE deleted = 0"):
            category, status, opened_at = row[6], row[8], row[11]
            if status != "duplicate" and opened_at[:4] == "2025":
                opened[(category, opened_at[:7])] += 1
            if status not in ("duplicate", "rejected") and opened_at < "2026":
                served[category].add(people.get(row[4]) or row[4])
        return opened, {c: len(p) for c, p in served.items()}
    if name in ("pipeline", "talent_map", "quality"):
        counts: Counter[Any] = Counter()
        for row in _all(conn, "SELECT * FROM contacts WHERE deleted = 0"):
            counts[(row[1], row[17], row[19], row[8], row[9], row[16], row[15])] += 1
        if name == "quality":
            reach = {
                r[0] for r in _all(conn, "SELECT contact_id, kind FROM contact_points WHERE deleted = 0")
            }
            return len(counts), len(reach)
        return len(counts)
    if name == "events":
        stage = dict(_all(conn, "SELECT id, stage FROM contacts WHERE deleted = 0"))
        out: Counter[tuple[str, str]] = Counter()
        for row in _all(conn, "SELECT * FROM attendances WHERE deleted = 0"):
            if row[2] in stage:
                out[(row[1], row[3])] += 1
        return out
    if name == "introductions":
        people2 = {r[0]: (r[1], r[2]) for r in _all(conn, "SELECT id, merged_into, deleted FROM contacts")}
        demand = {r[0]: r for r in _all(conn, "SELECT * FROM demands WHERE deleted = 0")}
        out3: Counter[tuple[str, str]] = Counter()
        for row in _all(conn, "SELECT * FROM introductions WHERE deleted = 0"):
            merged, _ = people2.get(row[2], (None, 1))
            if row[1] in demand and not people2.get(merged or row[2], (None, 1))[1]:
                out3[(row[1], row[3])] += 1
        return out3
    if name == "workload":
        out2: Counter[Any] = Counter()
        for row in _all(conn, "SELECT * FROM cases WHERE deleted = 0"):
            out2[row[10]] += 1
        for row in _all(conn, "SELECT * FROM followups WHERE deleted = 0"):
            out2[row[5]] += 1
        return out2
    return None


# ---------------------------------------------------------------------------- the app
def app_stalls(path: Path) -> dict[str, float]:
    from liaison_tui.tui.screens.reports import ReportsScreen
    from liaison_tui.tui.testing import make_app

    async def main() -> dict[str, float]:
        app = make_app(path, lang="zh")
        lags: list[float] = []
        async with app.run_test(size=(120, 36)) as pilot:
            while app.store is None:
                await asyncio.sleep(0.1)
            await asyncio.sleep(5.0)  # the start-up warm-up (screens, pinyin tables) is done
            expected = time.perf_counter() + 0.01

            def tick() -> None:
                nonlocal expected
                now = time.perf_counter()
                lags.append(max(now - expected, 0.0))
                expected = now + 0.01

            timer = app.set_interval(0.01, tick)
            # the same timer with the app idle on its home screen first: on a shared machine the process is
            # not always scheduled, and that lateness is not the app's
            await asyncio.sleep(10)
            idle, lags[:] = sorted(lags), []
            started = time.perf_counter()
            await pilot.press("4")
            shown: list[float] = []
            for _ in R.REPORTS:
                screen = app.screen
                asked = time.perf_counter()
                while not (
                    isinstance(screen, ReportsScreen) and screen.report and screen.report.name == screen.name_
                ):
                    await asyncio.sleep(0.005)
                    screen = app.screen
                shown.append(time.perf_counter() - asked)
                await pilot.press("right_square_bracket")
            timer.stop()
            total = time.perf_counter() - started
        lags.sort()
        return {
            "idle_max_stall_ms": round(idle[-1] * 1000, 1),
            "idle_p99_stall_ms": round(idle[int(len(idle) * 0.99)] * 1000, 1),
            "max_stall_ms": round(lags[-1] * 1000, 1),
            "p99_stall_ms": round(lags[int(len(lags) * 0.99)] * 1000, 1),
            "median_stall_ms": round(statistics.median(lags) * 1000, 1),
            "report_on_screen_median_s": round(statistics.median(shown), 3),
            "report_on_screen_max_s": round(max(shown), 3),
            "ticks": len(lags),
            "seconds": round(total, 1),
        }

    return asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-app", action="store_true")
    parser.add_argument("--skip-reports", action="store_true", help="only the app's event loop")
    parser.add_argument("--cold", action="store_true", help="drop the store's cached pages before first runs")
    args = parser.parse_args()
    path = ensure_store(args.contacts)
    conn = read_only(str(path))
    results: dict[str, Any] = {"contacts": args.contacts, "cold": args.cold, "reports": {}}
    print(f"{'report':<14} {'first s':>8} {'median s':>9} {'naive s':>8} {'naive/report':>13}")
    for name, (_, periodic, _) in [] if args.skip_reports else R.REPORTS.items():
        params = Params(year=2025) if periodic else Params()
        if args.cold:
            conn.close()
            _drop_cached_pages(path)
            conn = read_only(str(path))
        started = time.perf_counter()
        R.run(conn, name, params, now=FIXED_NOW)
        first = time.perf_counter() - started
        runs = []
        for _ in range(args.runs):
            started = time.perf_counter()
            R.run(conn, name, params, now=FIXED_NOW)
            runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        naive(conn, name)
        base = time.perf_counter() - started
        median = statistics.median(runs)
        ratio = base / median if median else float("inf")
        results["reports"][name] = {"first_s": first, "median_s": median, "naive_s": base}
        print(f"{name:<14} {first:8.3f} {median:9.3f} {base:8.3f} {ratio:12.1f}x", flush=True)
    if not args.skip_app:
        results["app"] = app_stalls(path)
        print("reports screen:", results["app"])
    (DATA / f"reports-{args.contacts}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
