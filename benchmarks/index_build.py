"""Search index build: the current code against an earlier commit's, on the same store, in the same run.

    .venv/bin/python benchmarks/index_build.py [--db STORE | --contacts 100000] [--base f375798] [--runs 1]

The store is copied once into benchmarks/_data/ (the copy is removed at the end); every version then
rebuilds the whole index of that copy (``search.rebuild``, what ``liaison db reindex``, a large import
and a new laptop's first pull run), each in a fresh process, the earlier one extracted with
``git archive``. Without ``--db`` it uses the search benchmark's cached store of ``--contacts`` demo
contacts (building it first if needed: ``benchmarks/search.py --sizes N``). Reports seconds, documents
per second and the ratio against the earlier commit; the current code is measured with its default
worker processes and with none (everything in one process), to show what each part of the change buys.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "_data"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync import _tree  # noqa: E402  (the earlier commit's tree, extracted with git archive)


def child(db: str, workers: str, out: str) -> None:
    from liaison_tui.store import Store, search

    store = Store.open(db)
    kwargs = {} if workers == "default" else {"workers": int(workers)}
    started, cpu = time.perf_counter(), time.process_time()
    search.rebuild(store.conn, **kwargs)
    seconds = time.perf_counter() - started
    docs = store.conn.execute("SELECT count(*) FROM search_doc").fetchone()[0]
    result = {"docs": docs, "seconds": seconds, "main_cpu_s": time.process_time() - cpu}
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    Path(out).write_text(json.dumps(result), encoding="utf-8")


def _run(code: Path, db: Path, workers: str, folder: Path) -> dict[str, float]:
    out = folder / "result.json"
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(db), workers, str(out)]
    subprocess.run(command, check=True, env=env, cwd=str(code))
    return dict(json.loads(out.read_text(encoding="utf-8")))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, help="a store to rebuild (copied first; never changed)")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--base", default="f375798", help="the earlier commit to compare with")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--skip-one-process", action="store_true", help="at 1M it takes minutes")
    parser.add_argument("--skip-base", action="store_true", help="the earlier commit's figure is known")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    source = args.db or DATA / f"demo-{args.contacts}.db"
    if not source.exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "search.py"),
                "--sizes",
                str(args.contacts),
                "--queries",
                "1",
                "--naive-queries",
                "1",
            ],
            check=True,
        )
    copy = DATA / f"index-build-{os.getpid()}.db"
    DATA.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, copy)
    results: dict[str, list[dict[str, float]]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="liaison-index-build-") as folder:
            base = _tree(args.base, Path(folder) / "base")
            versions = [
                (f"{args.base} (earlier)", base, "default"),
                ("current, one process", ROOT, "0"),
                ("current, worker processes", ROOT, "default"),
            ]
            if args.skip_one_process:
                del versions[1]
            if args.skip_base:
                del versions[0]
            for _ in range(args.runs):
                for label, code, workers in versions:
                    results.setdefault(label, []).append(_run(code, copy, workers, Path(folder)))
                    print(f"  {label}: {results[label][-1]['seconds']:.1f} s", flush=True)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    docs = next(iter(results.values()))[0]["docs"]
    print(f"index build of {docs:,} documents ({source.name}), median of {args.runs}; cpus {os.cpu_count()}")
    base_s = statistics.median(r["seconds"] for r in next(iter(results.values())))
    print(f"{'':32} {'seconds':>9} {'docs/s':>9} {'main cpu s':>11} {'vs first':>11}")
    for label, runs in results.items():
        s = statistics.median(r["seconds"] for r in runs)
        cpu = statistics.median(r["main_cpu_s"] for r in runs)
        print(f"{label:32} {s:>9.1f} {docs / s:>9,.0f} {cpu:>11.1f} {base_s / s:>10.2f}x")


if __name__ == "__main__":
    main()
