"""Sync benchmarks against a real ``liaison serve`` process on loopback (synthetic demo data only), the
current code against an earlier commit's in the same run.

    .venv/bin/python benchmarks/sync.py [--contacts 100000] [--repeats 3] [--clients 20] [--base 0affc4c]

For each code version, in a fresh process (the earlier one extracted with ``git archive``):
1. a new laptop filling from a server holding N contacts with their cases, follow-ups, points,
   activities: records per second (transfer, merge, commit), then the search index, and the total;
2. one incremental round (10 local changes pushed, then a pull): median ms, client kept open;
3. ``--clients`` laptops pushing at once: errors (goal 0) and p50 / p99 per push request.
Then, for the current code only:
4. the largest push the service accepts (2,000 changes filling the 8 MB body limit): the server's time
   for it, and the longest a pull from another laptop waits while it runs (goal <= 1 s).
Figures are medians over ``--repeats``; the ratio is current / earlier (for times, lower is better).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------------------------------- the child
# Runs inside one code version: only APIs both versions share.
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Server:
    def __init__(self, db: Path, *args: str) -> None:
        self.db, self.port, self.args = db, _free_port(), args
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> _Server:
        import httpx

        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "liaison_tui.cli.main",
                "serve",
                "--db",
                str(self.db),
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                *self.args,
            ],
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(600):
            try:
                if httpx.get(self.url + "/health", timeout=0.5).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        self.proc.terminate()
        self.proc.wait(timeout=20)

    def token(self, name: str) -> str:
        from liaison_tui.store import Store
        from liaison_tui.store.hub import Hub

        store = Store.open(self.db, author="admin")
        try:
            hub = Hub(store)
            try:  # a supervisor edits anyone's records (the earlier version has no roles)
                hub.add_staff(name, role="supervisor")
            except TypeError:
                hub.add_staff(name)
            return hub.issue_token(name)[1]
        finally:
            store.close()


def _fill(server: _Server, tmp: Path, repeats: int, name: str = "fresh") -> dict[str, float]:
    from liaison_tui.store import Store
    from liaison_tui.sync import sync_once

    rates, seconds, index, total = [], [], [], []
    started_from = False
    for n in range(repeats):
        store = Store.open(tmp / f"{name}{n}.db", author="bench")
        token = server.token(f"bench.{name}{n}")
        started = time.perf_counter()
        report = sync_once(store, server.url, token)
        elapsed = time.perf_counter() - started
        records = getattr(report, "entered", 0) or report.pulled
        rates.append(records / max(elapsed - report.index_seconds, 1e-9))
        seconds.append(elapsed - report.index_seconds)
        index.append(report.index_seconds)
        total.append(elapsed)
        started_from = bool(getattr(report, "started_from", False))
        store.close()
    return {
        "started_from": started_from,
        "records": records,
        "fill_rate": statistics.median(rates),
        "fill_s": statistics.median(seconds),
        "index_s": statistics.median(index),
        "total_s": statistics.median(total),
    }


def _incremental(server: _Server, tmp: Path, repeats: int) -> dict[str, float]:
    from liaison_tui.store import Store
    from liaison_tui.sync import SyncClient, sync_once

    store = Store.open(tmp / "incr.db", author="bench")
    token = server.token("bench.incr")
    sync_once(store, server.url, token)  # catch up first (not timed)
    ids = [r[0] for r in store.conn.execute("SELECT id FROM contacts WHERE deleted = 0 LIMIT 10")]
    kept = []
    with SyncClient(store, server.url, token) as client:
        client.sync()  # the first round after a fill may run the digest check: not what is measured here
        for n in range(max(repeats, 7)):
            for i, cid in enumerate(ids):
                store.contacts.update(cid, {"title": f"Round {n}.{i}"})
            started = time.perf_counter()
            client.sync()
            kept.append((time.perf_counter() - started) * 1000)
    store.close()
    return {"round_ms": statistics.median(kept)}


def _concurrent(server: _Server, tmp: Path, clients: int, rounds: int = 10) -> dict[str, float]:
    from liaison_tui.store import Store
    from liaison_tui.sync import SyncClient, SyncReport

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
                except BaseException as exc:  # counted: the figure is the error count
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
    return {"errors": len(errors), "push_p50_ms": statistics.median(durations), "push_p99_ms": p99}


def _largest_push(server: _Server, tmp: Path) -> dict[str, float]:
    """The largest push the service takes, timed on the server, while another laptop keeps pulling."""
    import httpx

    from liaison_tui.domain.sync_protocol import (
        HEADER_DEVICE,
        HEADER_PROTOCOL,
        HEADER_SCHEMA,
        MAX_BODY_BYTES,
        MAX_PUSH_BATCH,
        PROTOCOL,
        schema_fingerprint,
    )
    from liaison_tui.store import Store
    from liaison_tui.sync import sync_once

    device = "benchbig0001"
    token = server.token("bench.big")
    headers = {
        "Authorization": f"Bearer {token}",
        HEADER_PROTOCOL: str(PROTOCOL),
        HEADER_SCHEMA: schema_fingerprint(),
        HEADER_DEVICE: device,
    }
    note = "备注" * 1700  # ~3.4k characters, ~10 KB of UTF-8 JSON per change
    changes = []
    size = 0
    for seq in range(1, MAX_PUSH_BATCH + 1):
        change = {
            "seq": seq,
            "tbl": "contacts",
            "row_id": f"0190c000-0000-7000-8000-{seq:012d}",
            "op": "create",
            "fields": {"native_name": f"最大{seq}", "notes": note},
            "hlc": f"{1_795_000_000_000 + seq:013d}-0000-{device}",
        }
        size += len(json.dumps(change, ensure_ascii=False).encode()) + 2
        if size > MAX_BODY_BYTES - 4096:
            break
        changes.append(change)
    body = json.dumps({"changes": changes}, ensure_ascii=False).encode()
    reader = Store.open(tmp / "reader.db", author="bench")
    reader_token = server.token("bench.reader")
    sync_once(reader, server.url, reader_token)
    waits: list[float] = []
    done = threading.Event()

    def pull_meanwhile() -> None:
        from liaison_tui.domain.sync_protocol import HEADER_DEVICE as D

        h = {**headers, "Authorization": f"Bearer {reader_token}", D: reader.device_id}
        with httpx.Client(base_url=server.url, headers=h, timeout=60) as client:
            while not done.is_set():
                started = time.perf_counter()
                client.get("/v1/pull", params={"after": 0, "limit": 500})
                waits.append((time.perf_counter() - started) * 1000)

    thread = threading.Thread(target=pull_meanwhile)
    thread.start()
    time.sleep(0.3)
    started = time.perf_counter()
    answer = httpx.post(
        server.url + "/v1/push",
        content=body,
        headers={**headers, "Content-Type": "application/json"},
        timeout=300,
    )
    push_ms = (time.perf_counter() - started) * 1000
    done.set()
    thread.join()
    reader.close()
    assert answer.status_code == 200, answer.text[:200]
    return {
        "big_changes": len(changes),
        "big_mb": len(body) / 1e6,
        "big_push_ms": push_ms,
        "pull_wait_max_ms": max(waits) if waits else float("nan"),
        "pull_wait_p50_ms": statistics.median(waits) if waits else float("nan"),
    }


def child(args: argparse.Namespace) -> None:
    from liaison_tui.store import Store
    from liaison_tui.store.demo import generate

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="liaison-sync-bench-") as folder:
        tmp = Path(folder)
        db = tmp / "server.db"
        started = time.perf_counter()
        with Store.open(db, author="bench") as store:  # the station's data, written on the server itself
            counts = generate(store, args.contacts, seed=11, index=False)
        results["server_records"] = sum(counts.values())
        results["generate_s"] = time.perf_counter() - started
        if importlib.util.find_spec("liaison_tui.server.starters") is not None:
            from liaison_tui.server.starters import Starters

            # First record by record (no starter kept), then from the starter the service keeps.
            with _Server(db, "--starter-from", str(2**53)) as server:
                plain = _fill(server, tmp, 1, name="plain")
            results.update({f"plain_{key}": value for key, value in plain.items()})
            started = time.perf_counter()
            with Store.open(db, author="bench", index=False) as store:
                Starters(store).build_now()
            results["starter_build_s"] = time.perf_counter() - started
        with _Server(db) as server:
            results.update(_fill(server, tmp, args.repeats))
            results.update(_incremental(server, tmp, args.repeats))
            results.update(_concurrent(server, tmp, args.clients))
            if args.largest:
                results.update(_largest_push(server, tmp))
    Path(args.child).write_text(json.dumps(results), encoding="utf-8")


# ------------------------------------------------------------------------------------------- the parent
def _tree(base: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", base], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def _run(code: Path, args: argparse.Namespace, out: Path, largest: bool) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        str(out),
        "--contacts",
        str(args.contacts),
        "--repeats",
        str(args.repeats),
        "--clients",
        str(args.clients),
    ]
    if largest:
        command.append("--largest")
    subprocess.run(command, check=True, env=env, cwd=str(code))
    return dict(json.loads(out.read_text(encoding="utf-8")))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--base", default="0affc4c", help="The earlier commit to compare with.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--largest", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="liaison-sync-versions-") as folder:
        base = _tree(args.base, Path(folder) / "base")
        before = _run(base, args, Path(folder) / "before.json", largest=False)
        after = _run(REPO, args, Path(folder) / "after.json", largest=True)
    print(f"server data: {after['server_records']:,} records ({args.contacts:,} contacts); base {args.base}")
    rows = [
        ("new laptop: records/s (transfer, merge, commit)", "fill_rate", "{:,.0f}"),
        ("new laptop: transfer, merge, commit (s)", "fill_s", "{:.1f}"),
        ("new laptop: search index (s)", "index_s", "{:.1f}"),
        ("new laptop: searchable, end to end (s)", "total_s", "{:.1f}"),
        ("incremental round, client kept open (ms)", "round_ms", "{:.1f}"),
        (f"{args.clients} laptops pushing: errors", "errors", "{:.0f}"),
        ("  push p50 (ms)", "push_p50_ms", "{:.1f}"),
        ("  push p99 (ms)", "push_p99_ms", "{:.1f}"),
    ]
    print(f"{'':52} {'before':>12} {'after':>12} {'after/before':>13}")
    for label, key, fmt in rows:
        b, a = before.get(key, float("nan")), after.get(key, float("nan"))
        ratio = a / b if b else float("nan")
        print(f"{label:52} {fmt.format(b):>12} {fmt.format(a):>12} {ratio:>13.2f}")
    if "starter_build_s" in after:
        print(
            f"this code, new laptop record by record (no starter kept): transfer, merge, commit "
            f"{after['plain_fill_s']:.1f} s, search index {after['plain_index_s']:.1f} s, end to end "
            f"{after['plain_total_s']:.1f} s; the service built its starter in {after['starter_build_s']:.1f} s "
            f"(in the background, once a day); 'after' above started from it: {after['started_from']}"
        )
    print(
        f"largest push accepted: {after['big_changes']:,} changes, {after['big_mb']:.1f} MB, "
        f"{after['big_push_ms']:,.0f} ms on the server; a pull meanwhile waited at most "
        f"{after['pull_wait_max_ms']:,.0f} ms (p50 {after['pull_wait_p50_ms']:,.0f} ms; goal <= 1,000 ms)"
    )


if __name__ == "__main__":
    main()
