"""Terminal-app benchmark, on a big demo store (1M contacts by default).

    python benchmarks/tui.py [--contacts 1000000] [--runs 5]

Reports:
* lookup: time from a keystroke in the lookup box to its results rendered (median, p95; goal median <= 50 ms),
* case list: time from pressing "2" to the first page of cases on screen,
* cold start: from the process's first line to the home screen painted with its data (the first screen
  refresh after the rows are in its tables), next to a bare Textual app started the same way (a process
  that imports Textual and shows one widget, timed at its first refresh); goal <= 1.5x,
* peak memory (max RSS) of the process that did all of the above; goal <= 200 MB.

Everything runs headless (``App.run_test``) in child processes, so imports and start-up are measured as a
user would feel them. The store is built once and cached in benchmarks/_data/ (a ``demo-<n>.db`` built by
benchmarks/search.py is reused if present). Results also go to benchmarks/_data/tui-results-<n>.json."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

START = time.perf_counter()  # as near the process's start as Python code gets (same for both apps)

from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "_data"
QUERIES = ["zhang wei", "zw", "müller", "wang li", "+49 151", "qd-2025", "tum.de", "李", "chen", "schmidt"]


# ---------------------------------------------------------------------------- children
def child_bare() -> None:
    import asyncio

    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    painted: list[float] = []

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("ready")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(lambda: painted.append(time.perf_counter()))

    async def main() -> float:
        async with Bare().run_test(size=(120, 36)) as pilot:
            while not painted:
                await asyncio.sleep(0.0005)
            await pilot.pause()
            return painted[0] - START

    print(json.dumps({"first_screen_s": asyncio.run(main())}))


def child_app(db: str, interactive: bool) -> None:
    import asyncio
    import resource

    sys.path.insert(0, str(ROOT))
    from textual import events
    from textual.widgets import Input

    # what `liaison` loads before its first screen (its command line included), and no more: the rest is
    # imported after the measurement
    import liaison_tui.cli.main  # noqa: F401
    from liaison_tui.store.crypto import use_passphrase
    from liaison_tui.tui.screens.home import HomeScreen
    from liaison_tui.tui.testing import make_app
    from liaison_tui.tui.widgets.nav_table import NavTable

    async def wait_until(predicate: Any, timeout: float = 30.0) -> float:
        started = time.perf_counter()
        while not predicate():
            if time.perf_counter() - started > timeout:
                raise TimeoutError
            await asyncio.sleep(0.0005)
        return time.perf_counter() - started

    async def main() -> dict[str, Any]:
        out: dict[str, Any] = {}
        use_passphrase(os.environ.get("LIAISON_PASSPHRASE"))  # as `liaison` does with it
        app = make_app(Path(db))
        painted: list[float] = []
        show = HomeScreen._show

        def timed_home_show(screen: HomeScreen, summary: Any) -> None:
            show(screen, summary)
            if screen.query_one("#home-followups", NavTable).row_count > 0:
                screen.call_after_refresh(lambda: painted.append(time.perf_counter()))

        HomeScreen._show = timed_home_show  # type: ignore[method-assign]
        first_frame: list[float] = []  # the app's own first frame: "opening…", before home has its rows
        mount = type(app).on_mount

        def timed_mount(self: Any) -> None:
            mount(self)
            self.call_after_refresh(lambda: first_frame.append(time.perf_counter()))

        type(app).on_mount = timed_mount  # type: ignore[method-assign]
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_until(lambda: bool(painted), 120)
            await pilot.pause()
            out["first_screen_s"] = painted[0] - START
            out["first_frame_s"] = first_frame[0] - START
            if not interactive:
                return out
            from liaison_tui.tui.screens.cases import CasesScreen
            from liaison_tui.tui.screens.lookup import LookupScreen
            from liaison_tui.tui.widgets.paged_table import PagedTable

            await pilot.pause(1.5)  # let the lookup warm-up (started 1 s after the first screen) finish
            await app.workers.wait_for_complete()

            def key(name: str, char: str | None = None) -> float:
                app.post_message(events.Key(name, char))  # as the terminal driver does: no Pilot waits
                return time.perf_counter()

            # case list: "2" -> first page on screen
            started = key("2", "2")
            await wait_until(
                lambda: isinstance(app.screen, CasesScreen) and app.screen.query_one(PagedTable).row_count > 0
            )
            await pilot.pause()
            out["case_list_s"] = time.perf_counter() - started
            await pilot.press("o")  # everyone's
            await wait_until(lambda: not app.screen.query_one(PagedTable).fetching)
            await pilot.pause(0.3)
            table = app.screen.query_one(PagedTable)
            started = key("G", "G")
            await wait_until(lambda: table.at_end and not table.fetching)
            out["case_list_end_s"] = time.perf_counter() - started
            # lookup: keystroke -> results painted
            key("slash", "/")
            await wait_until(lambda: isinstance(app.screen, LookupScreen))
            await pilot.pause()
            lookup = app.screen
            painted: dict[str, float] = {}
            show = lookup._show

            def timed_show(result: Any) -> None:
                show(result)
                if lookup.result is result:  # not dropped as stale: record when it is on screen
                    lookup.call_after_refresh(
                        lambda q=result.query: painted.setdefault(q, time.perf_counter())
                    )

            lookup._show = timed_show  # type: ignore[method-assign]
            box = lookup.query_one(Input)
            times: list[float] = []
            for query in QUERIES:
                box.value = ""
                await pilot.pause(0.1)
                painted.clear()
                for n, char in enumerate(query, 1):
                    started = key("space" if char == " " else char, char)
                    expected = query[:n]
                    await wait_until(lambda e=expected: e in painted)
                    times.append(painted[expected] - started)
                    await asyncio.sleep(0.03)  # a quick typist: ~30 keys a second at most
            out["lookup_ms"] = [round(t * 1000, 2) for t in times]
        out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return out

    print(json.dumps(asyncio.run(main())))


# ---------------------------------------------------------------------------- parent
def run_child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {}), "BENCH_START": repr(time.time())},
    )
    if proc.returncode:
        sys.exit(f"child {args} failed:\n{proc.stderr[-3000:]}")
    elapsed = time.perf_counter() - started
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    return elapsed, (json.loads(lines[-1]) if lines else {})


def store_for(contacts: int) -> Path:
    mine = DATA / f"tui-{contacts}.db"
    if mine.exists():
        return mine
    theirs = DATA / f"demo-{contacts}.db"
    if theirs.exists() and theirs.with_suffix(".json").exists():  # search benchmark's store, finished
        return theirs
    sys.path.insert(0, str(ROOT))
    from liaison_tui.tui.testing import build_store

    DATA.mkdir(parents=True, exist_ok=True)
    print(f"building a {contacts:,}-contact store (once)…", flush=True)
    return build_store(DATA / f"tui-{contacts}.db", contacts)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = store_for(args.contacts)
    print(f"store: {db} ({db.stat().st_size / 1e6:,.0f} MB)")
    run_child(["--child", "app", str(db)])  # warm the OS file cache once, as on a machine in daily use
    # time from the process's first line to the first screen painted (home: with its data), in the child
    bare = [run_child(["--child", "bare"])[1]["first_screen_s"] for _ in range(args.runs)]
    starts = [run_child(["--child", "app", str(db)])[1] for _ in range(args.runs)]
    cold = [run["first_screen_s"] for run in starts]
    frame = [run["first_frame_s"] for run in starts]
    _, inter = run_child(["--child", "interactive", str(db)])
    lookup = inter["lookup_ms"]
    result = {
        "contacts": args.contacts,
        "lookup_keystroke_ms": {
            "median": statistics.median(lookup),
            "p95": pct(lookup, 0.95),
            "n": len(lookup),
        },
        "case_list_open_ms": round(inter["case_list_s"] * 1000, 1),
        "case_list_jump_to_end_ms": round(inter["case_list_end_s"] * 1000, 1),
        "cold_start_s": {
            "app": round(statistics.median(cold), 3),
            "bare_textual": round(statistics.median(bare), 3),
            "ratio": round(statistics.median(cold) / statistics.median(bare), 2),
            "app_first_frame": round(statistics.median(frame), 3),
            "first_frame_ratio": round(statistics.median(frame) / statistics.median(bare), 2),
        },
        "peak_rss_mb": round(inter["max_rss_mb"], 1),
    }
    print(json.dumps(result, indent=2))
    (DATA / f"tui-results-{args.contacts}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        if sys.argv[2] == "bare":
            child_bare()
        else:
            child_app(sys.argv[3], interactive=sys.argv[2] == "interactive")
    else:
        main()
