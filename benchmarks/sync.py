"""Sync benchmarks against a real ``liaison serve`` process on loopback (synthetic demo data only).

    /work/venv/bin/python benchmarks/sync.py [--contacts 100000] [--repeats 3] [--clients 20]

1. initial pull of N contacts with their cases, follow-ups, contact points, activities... into an empty
   laptop: records (changes) per second, goal >= 10k/s;
2. one incremental round (10 local changes pushed, then a pull), goal <= 50 ms;
3. 20 laptops pushing at once: errors (goal 0) and p50 / p99 per push request.
Figures are medians over ``--repeats``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from liaison_tui.store import Store
from liaison_tui.store.demo import generate
from liaison_tui.sync import SyncClient, SyncReport, sync_once
from tests.sync_support import ServerProcess


def initial_pull(server: ServerProcess, tmp: Path, repeats: int) -> tuple[float, int, float, float]:
    rates, seconds, index = [], [], []
    pulled = 0
    for n in range(repeats):
        store = Store.open(tmp / f"fresh{n}.db", author="bench")
        token = server.token(f"bench.fresh{n}")
        started = time.perf_counter()
        report = sync_once(store, server.url, token)
        elapsed = time.perf_counter() - started
        pulled = report.pulled
        rates.append(report.pulled / (elapsed - report.index_seconds))
        seconds.append(elapsed - report.index_seconds)
        index.append(report.index_seconds)
        store.close()
    return statistics.median(rates), pulled, statistics.median(seconds), statistics.median(index)


def incremental(server: ServerProcess, tmp: Path, repeats: int) -> tuple[float, float]:
    """One round = 10 local edits pushed, then a pull. Measured with the client kept open (as the TUI's
    background worker does) and with a fresh ``sync_once`` each time (as ``liaison sync`` does)."""
    store = Store.open(tmp / "incr.db", author="bench")
    token = server.token("bench.incr")
    sync_once(store, server.url, token)  # catch up first (not timed)
    ids = [r[0] for r in store.conn.execute("SELECT id FROM contacts LIMIT 10")]
    kept, fresh = [], []
    with SyncClient(store, server.url, token) as client:
        for n in range(max(repeats, 7)):
            for i, cid in enumerate(ids):
                store.contacts.update(cid, {"title": f"Round {n}.{i}"})
            started = time.perf_counter()
            client.sync()
            kept.append((time.perf_counter() - started) * 1000)
    for n in range(max(repeats, 7)):
        for i, cid in enumerate(ids):
            store.contacts.update(cid, {"title": f"Fresh {n}.{i}"})
        started = time.perf_counter()
        sync_once(store, server.url, token)
        fresh.append((time.perf_counter() - started) * 1000)
    store.close()
    return statistics.median(kept), statistics.median(fresh)


def concurrent_pushes(
    server: ServerProcess, tmp: Path, clients: int, rounds: int = 10
) -> tuple[int, float, float]:
    stores = [Store.open(tmp / f"c{n}.db", author="bench") for n in range(clients)]
    tokens = [server.token(f"bench.c{n}") for n in range(clients)]
    durations: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def work(n: int) -> None:
        store = stores[n]
        with SyncClient(store, server.url, tokens[n], push_batch=100) as client:
            barrier.wait()
            for r in range(rounds):
                with store.transaction():
                    for i in range(10):
                        store.contacts.create({"latin_name": f"Synthetic {n}-{r}-{i}"})
                started = time.perf_counter()
                try:
                    client.push(SyncReport())
                except BaseException as exc:  # counted, not raised: the figure is the error count
                    with lock:
                        errors.append(exc)
                    continue
                with lock:
                    durations.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        errors.extend([AssertionError("outbox not empty")] if store.pending_changes() else [])
        store.close()
    durations.sort()
    p99 = durations[min(len(durations) - 1, int(len(durations) * 0.99))] if durations else float("nan")
    return len(errors), statistics.median(durations) if durations else float("nan"), p99


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="liaison-sync-bench-") as folder:
        tmp = Path(folder)
        db = tmp / "server.db"
        started = time.perf_counter()
        with Store.open(db, author="bench") as store:  # the station's data, written on the server itself
            counts = generate(store, args.contacts, seed=11, index=False)
        print(
            f"server data: {sum(counts.values()):,} records ({counts['contacts']:,} contacts, "
            f"{counts['cases']:,} cases, {counts['followups']:,} follow-ups) in {time.perf_counter() - started:.0f} s"
        )
        server = ServerProcess(db).start()
        try:
            rate, pulled, seconds, index = initial_pull(server, tmp, args.repeats)
            print(
                f"initial pull: {pulled:,} changes in {seconds:.1f} s = {rate:,.0f} records/s "
                f"(transfer, merge, commit; median of {args.repeats}; goal >= 10,000/s)"
            )
            print(
                f"  then one search-index rebuild: {index:.1f} s "
                f"(overall {pulled / (seconds + index):,.0f} records/s)"
            )
            kept, fresh = incremental(server, tmp, args.repeats)
            print(
                f"incremental round (10 changes pushed, then pull): {kept:.1f} ms with the client kept open, "
                f"{fresh:.1f} ms with a new client per round (medians; goal <= 50 ms)"
            )
            errors, p50, p99 = concurrent_pushes(server, tmp, args.clients)
            print(
                f"{args.clients} laptops pushing at once (10 rounds of 10 changes each): {errors} errors, "
                f"per push p50 {p50:.1f} ms, p99 {p99:.1f} ms"
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
