"""What encryption at rest costs: the same work on a plain and on an SQLCipher store, in one run.

    python benchmarks/encryption.py [--contacts 100000] [--queries 30] [--import-rows 20000]
                                    [--sync-contacts 20000] [--runs 3]

1. lookup: the same queries (every class of benchmarks/search.py, drawn from the data) against a plain and an
   encrypted copy of one demo store, interleaved; p50 / p95 per store (goal: encrypted p95 <= 1.2x plain);
2. import: a synthetic CSV into a fresh plain and a fresh encrypted store, rows per second (goal >= 0.8x);
3. sync pull: a new laptop filling from a real ``liaison serve`` on loopback, plain vs encrypted laptop
   store, records per second (goal >= 0.8x);
4. cold start of the terminal app to home with its data painted, plain vs encrypted (the encrypted one
   includes deriving the key from the passphrase: argon2id, ~0.2 s by design), and that key derivation alone.
Medians over ``--runs``. The stores are cached under benchmarks/_data/ (synthetic demo data only).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import search as search_bench  # noqa: E402
import sync as sync_bench  # noqa: E402
import tui as tui_bench  # noqa: E402
from import_csv import make_csv  # noqa: E402

from liaison_tui.store import Store, crypto, search  # noqa: E402

DATA = ROOT / "benchmarks" / "_data"
PASSPHRASE = "synthetic benchmark passphrase"  # the stores hold invented data only


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def stores(contacts: int) -> tuple[Path, Path]:
    """A plain demo store of ``contacts`` and an encrypted copy of it (built once, then cached)."""
    plain = tui_bench.store_for(contacts)
    cipher = DATA / f"encrypted-{contacts}.db"
    if not cipher.exists():
        print(f"encrypting a copy of {plain.name} (once)…", flush=True)
        work = cipher.with_name(cipher.name + ".tmp")
        for side in ("", "-wal", "-shm"):
            if Path(f"{plain}{side}").exists():
                shutil.copyfile(f"{plain}{side}", f"{work}{side}")
        crypto.reencrypt(work, PASSPHRASE)
        work.rename(cipher)
    return plain, cipher


def lookup(plain: Path, cipher: Path, per_class: int) -> dict[str, Any]:
    a = Store.open(plain, author="bench")
    b = Store.open(cipher, author="bench", passphrase=PASSPHRASE)
    try:
        queries = [
            q
            for group in search_bench.make_queries(a, per_class, random.Random(7)).values()
            for q, _ in group
        ]
        times: dict[str, list[float]] = {"plain": [], "encrypted": []}
        for store in (a, b):  # warm both caches once, as a laptop in daily use has them
            for q in queries:
                search.search(store.conn, q, limit=50)
        for q in queries:
            for name, store in (("plain", a), ("encrypted", b)):
                started = time.perf_counter()
                search.search(store.conn, q, limit=50)
                times[name].append((time.perf_counter() - started) * 1000)
    finally:
        a.close()
        b.close()
    return {
        "queries": len(queries),
        **{f"{n}_p50_ms": statistics.median(v) for n, v in times.items()},
        **{f"{n}_p95_ms": _pct(v, 0.95) for n, v in times.items()},
    }


def import_rate(rows: int, runs: int) -> dict[str, Any]:
    from liaison_tui.importer.apply import apply_import
    from liaison_tui.importer.mapping import Mapping
    from liaison_tui.importer.plan import plan_import
    from liaison_tui.importer.readers import read_file

    rates: dict[str, list[float]] = {"plain": [], "encrypted": []}
    with tempfile.TemporaryDirectory(prefix="liaison-enc-bench-") as folder:
        csv_path = Path(folder) / "contacts.csv"
        make_csv(csv_path, rows)
        for n in range(runs):
            for name, phrase in (("plain", None), ("encrypted", PASSPHRASE)):
                store = Store.open(Path(folder) / f"{name}{n}.db", author="bench", passphrase=phrase)
                started = time.perf_counter()
                table = read_file(csv_path)
                plan = plan_import(store, table, Mapping.guess("bench", table.headers))
                apply_import(store, plan)
                rates[name].append(rows / (time.perf_counter() - started))
                store.close()
    return {f"{n}_rows_per_s": statistics.median(v) for n, v in rates.items()}


def pull_rate(contacts: int, runs: int) -> dict[str, Any]:
    from liaison_tui.store.demo import generate
    from liaison_tui.sync import sync_once

    rates: dict[str, list[float]] = {"plain": [], "encrypted": []}
    with tempfile.TemporaryDirectory(prefix="liaison-enc-bench-") as folder:
        tmp = Path(folder)
        db = tmp / "server.db"
        with Store.open(db, author="bench") as store:
            generate(store, contacts, seed=11, index=False)
        with sync_bench._Server(db) as server:
            for n in range(runs):
                for name, phrase in (("plain", None), ("encrypted", PASSPHRASE)):
                    store = Store.open(tmp / f"{name}{n}.db", author="bench", passphrase=phrase)
                    token = server.token(f"bench.{name}{n}")
                    started = time.perf_counter()
                    report = sync_once(store, server.url, token)
                    elapsed = time.perf_counter() - started - report.index_seconds
                    rates[name].append((report.entered or report.pulled) / elapsed)
                    store.close()
    return {f"{n}_records_per_s": statistics.median(v) for n, v in rates.items()}


def cold_start(plain: Path, cipher: Path, runs: int) -> dict[str, Any]:
    os.environ.pop("LIAISON_PASSPHRASE", None)
    tui_bench.run_child(["--child", "app", str(plain)])  # warm the OS file cache once
    starts: dict[str, list[float]] = {"plain": [], "encrypted": []}
    for _ in range(runs):
        starts["plain"].append(tui_bench.run_child(["--child", "app", str(plain)])[1]["first_screen_s"])
        env = {"LIAISON_PASSPHRASE": PASSPHRASE}
        starts["encrypted"].append(
            tui_bench.run_child(["--child", "app", str(cipher)], env=env)[1]["first_screen_s"]
        )
    kdf = []
    for _ in range(runs):
        started = time.perf_counter()
        crypto.derive_key(PASSPHRASE, os.urandom(16))
        kdf.append(time.perf_counter() - started)
    return {
        **{f"{n}_s": statistics.median(v) for n, v in starts.items()},
        "key_derivation_s": statistics.median(kdf),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=30, help="Queries per query class.")
    parser.add_argument("--import-rows", type=int, default=20_000)
    parser.add_argument("--sync-contacts", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    plain, cipher = stores(args.contacts)
    found = lookup(plain, cipher, args.queries)
    imported = import_rate(args.import_rows, args.runs)
    pulled = pull_rate(args.sync_contacts, args.runs)
    started = cold_start(plain, cipher, args.runs)
    rows = [
        (
            f"lookup p50 (ms), {args.contacts:,} contacts",
            found["plain_p50_ms"],
            found["encrypted_p50_ms"],
            "",
        ),
        (
            f"lookup p95 (ms), {found['queries']} queries",
            found["plain_p95_ms"],
            found["encrypted_p95_ms"],
            "goal <= 1.2",
        ),
        (
            f"import rows/s ({args.import_rows:,} rows)",
            imported["plain_rows_per_s"],
            imported["encrypted_rows_per_s"],
            "goal >= 0.8",
        ),
        (
            f"sync fill records/s ({args.sync_contacts:,} contacts)",
            pulled["plain_records_per_s"],
            pulled["encrypted_records_per_s"],
            "goal >= 0.8",
        ),
        ("terminal app cold start to home (s)", started["plain_s"], started["encrypted_s"], ""),
    ]
    print(f"{'':52}{'plain':>12}{'encrypted':>12}{'enc/plain':>11}")
    for label, a, b, goal in rows:
        print(f"{label:52}{a:>12,.2f}{b:>12,.2f}{b / a:>11.2f}  {goal}")
    print(f"of which deriving the key from the passphrase (argon2id): {started['key_derivation_s']:.2f} s")
    out = {"lookup": found, "import": imported, "pull": pulled, "cold_start": started}
    (DATA / f"encryption-results-{args.contacts}.json").write_text(
        json.dumps(out, indent=2), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
