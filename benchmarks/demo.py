"""``liaison demo`` against raw ``sqlite3.executemany`` of the same rows, in the same run.

    python benchmarks/demo.py                  # 100k and 1M contacts
    python benchmarks/demo.py --sizes 20000 --repeats 3

Both sides write the same tables (entities and the change log) in batches of the same size, one transaction
per batch, on fresh files with the same pragmas. The raw side gets its tuples ready-made outside the timed
region; the demo side is timed whole (generation, conversion, change-log encoding, inserts). Search indexing
is excluded on both sides (it is measured in benchmarks/search.py).
Goal: ratio raw/demo >= 0.3.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from liaison_tui.domain.entities import ENTITIES
from liaison_tui.store import Store
from liaison_tui.store.demo import _ORDER, DemoGenerator, generate
from liaison_tui.store.rows import BOOKKEEPING, column_kinds, dumps, to_columns

BATCH = 5000


def time_demo(folder: Path, contacts: int, seed: int) -> float:
    store = Store.open(folder / "demo.db", author="bench")
    started = time.perf_counter()
    generate(store, contacts, seed=seed, batch=BATCH, index=False)
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed


def time_raw(folder: Path, contacts: int, seed: int) -> tuple[float, int]:
    """Same rows, generated batch by batch outside the clock, inserted with bare executemany."""
    store = Store.open(folder / "raw.db", author="bench")
    gen = DemoGenerator(store, seed=seed)
    gen.reference()
    conn = store.conn
    sql = {}
    for table in _ORDER:
        cols = [n for n, _ in column_kinds(ENTITIES[table])] + list(BOOKKEEPING)
        sql[table] = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    log_sql = (
        "INSERT INTO change_log (tbl, row_id, op, fields, hlc, device_id, author, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    elapsed = 0.0
    rows = 0
    stamp = 0
    for batch in gen.batches(contacts, BATCH):
        prepared = []
        for table in _ORDER:
            records, logs = [], []
            for fields in batch.rows[table]:
                stamp += 1
                hlc = f"{stamp:013d}-0000-bench"
                records.append([*to_columns(ENTITIES[table], fields), "t", "t", "b", "b", "d", hlc, hlc, 0])
                logs.append((table, fields["id"], "create", dumps(fields), hlc, "d", "b", "t"))
            prepared.append((table, records, logs))
            rows += len(records)
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for table, records, logs in prepared:
            conn.executemany(sql[table], records)
            conn.executemany(log_sql, logs)
        conn.execute("COMMIT")
        elapsed += time.perf_counter() - started
    store.close()
    return elapsed, rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument(
        "--repeats", type=int, default=0, help="runs per size (default: 3 up to 100k, else 1)"
    )
    args = parser.parse_args()
    print(f"{'contacts':>10} {'rows':>10} {'raw s':>8} {'demo s':>8} {'demo rows/s':>12} {'raw/demo':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        repeats = args.repeats or (3 if size <= 100_000 else 1)
        raw_times, demo_times, rows = [], [], 0
        for i in range(repeats):
            with tempfile.TemporaryDirectory(dir=Path(__file__).parent) as tmp:
                raw, rows = time_raw(Path(tmp), size, seed=i)
                raw_times.append(raw)
            with tempfile.TemporaryDirectory(dir=Path(__file__).parent) as tmp:
                demo_times.append(time_demo(Path(tmp), size, seed=i))
        raw, demo = statistics.median(raw_times), statistics.median(demo_times)
        print(
            f"{size:>10,} {rows:>10,} {raw:>8.1f} {demo:>8.1f} {rows / demo:>12,.0f} {raw / demo:>9.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
