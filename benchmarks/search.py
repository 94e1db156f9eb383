"""Lookup benchmark: the search index against a naive ``LIKE '%q%'`` scan, in the same run.

    python benchmarks/search.py [--sizes 10000,100000,1000000] [--queries 40] [--naive-queries 8]

For each size it builds (once, cached under benchmarks/_data/) a store of that many demo contacts, times
the index build and measures the database, then for every query class draws queries from the data itself
(each query is derived from one "target" record) and reports p50 / p95 latency of ``search.search``
(limit 50) next to the naive scan (LIKE over the raw columns of contacts, contact points, organizations
and cases, newest update first, LIMIT 50), their ratio, and recall: the share of queries whose target is
in the returned 50. For 1-character queries no single row is "the" answer, so it reports the number of
matching records instead. Results also go to benchmarks/_data/results-<size>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from liaison_tui.domain import search_keys as sk  # noqa: E402
from liaison_tui.store import Store, demo, search  # noqa: E402

DATA = ROOT / "benchmarks" / "_data"
SEED = 20260
LIMIT = 50

NAIVE_SQL = """
SELECT kind, id FROM (
    SELECT 'contact' AS kind, c.id AS id, c.updated_at AS updated_at FROM contacts c
    WHERE c.deleted = 0 AND (c.native_name LIKE :q OR c.latin_name LIKE :q OR c.aliases LIKE :q
        OR c.title LIKE :q OR c.field LIKE :q OR c.tags LIKE :q
        OR c.id IN (SELECT contact_id FROM contact_points WHERE deleted = 0 AND raw LIKE :q))
    UNION ALL
    SELECT 'org', id, updated_at FROM organizations WHERE deleted = 0 AND (name_zh LIKE :q OR name_en LIKE :q)
    UNION ALL
    SELECT 'case', id, updated_at FROM cases WHERE deleted = 0 AND (number LIKE :q OR title LIKE :q)
) ORDER BY updated_at DESC LIMIT 50
"""
NAIVE_ALL_SQL = NAIVE_SQL.replace("LIMIT 50", "")  # every match: what the index must find too
COVERAGE_CAP = 20_000  # above this many naive matches, coverage is not checked (too slow to list ours)

CLASSES = (
    "cjk_1",
    "cjk_2",
    "cjk_3",
    "traditional",
    "pinyin_full",
    "pinyin_spaced",
    "pinyin_initials",
    "latin_2_3",
    "latin_full",
    "email_fragment",
    "phone_digits",
    "phone_intl",
    "phone_national",
    "case_number",
    "case_number_short",
)


# ---------------------------------------------------------------- building stores


def build(size: int, rebuild: bool = False, reindex: bool = False) -> tuple[Path, dict[str, Any]]:
    """The cached store for ``size`` contacts and its build facts (times measured when it was built).
    ``reindex``: keep the cached records but recreate the index tables from db/0002_search.sql and time a
    fresh rebuild (for comparing index designs without regenerating the data)."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"demo-{size}.db"
    meta_path = DATA / f"demo-{size}.json"
    if path.exists() and meta_path.exists() and not rebuild:
        meta = json.loads(meta_path.read_text())
        if reindex:
            meta.update(_reindex(path))
            meta_path.write_text(json.dumps(meta, indent=2))
        return path, meta
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = Store.open(path)
    t0 = time.perf_counter()
    demo.generate(store, contacts=size, seed=SEED, index=False, progress=_progress(f"generate {size:,}"))
    t1, c1 = time.perf_counter(), time.process_time()
    with store.transaction() as conn:
        search.rebuild(conn, progress=_progress(f"index {size:,}"))
    t2, c2 = time.perf_counter(), time.process_time()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    meta = {
        "size": size,
        "generate_s": round(t1 - t0, 1),
        "index_build_s": round(t2 - t1, 1),
        "index_build_cpu_s": round(c2 - c1, 1),
        "docs": store.conn.execute("SELECT count(*) FROM search_doc").fetchone()[0],
    }
    meta.update(_sizes(store))
    store.close()
    meta_path.write_text(json.dumps(meta, indent=2))
    return path, meta


def _reindex(path: Path) -> dict[str, Any]:
    from liaison_tui.store.migrations import split_statements

    store = Store.open(path)
    conn = store.conn
    with store.transaction():
        for name in (
            "search_doc",
            "search_words",
            "search_names",
            "search_other",
            "search_grams",
            "search_gram_stats",
        ):
            conn.execute(f"DROP TABLE IF EXISTS {name}")  # FTS5 drops its shadow tables itself
        for statement in split_statements((ROOT / "db" / "0002_search.sql").read_text(encoding="utf-8")):
            conn.execute(statement)
    t0, c0 = time.perf_counter(), time.process_time()
    with store.transaction() as tx:
        search.rebuild(tx, progress=_progress("reindex"))
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    out = {
        "index_build_s": round(took, 1),
        "index_build_cpu_s": round(cpu, 1),
        "docs": conn.execute("SELECT count(*) FROM search_doc").fetchone()[0],
    }
    out.update(_sizes(store))
    store.close()
    return out


def _sizes(store: Store) -> dict[str, Any]:
    conn = store.conn
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    # pages in use (a dropped index leaves free pages behind until a VACUUM)
    total = (
        conn.execute("PRAGMA page_count").fetchone()[0] - conn.execute("PRAGMA freelist_count").fetchone()[0]
    ) * page
    try:
        index = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%'").fetchone()[0] or 0
    except Exception:  # dbstat not compiled in
        index = None
    return {"db_bytes": total, "index_bytes": index}


def _progress(label: str) -> Callable[[int, int], None]:
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 5 or done == total:
            last[0] = now
            print(f"  {label}: {done:,}/{total:,}", file=sys.stderr, flush=True)

    return report


# ---------------------------------------------------------------- queries drawn from the data


def _t2s_s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def make_queries(store: Store, per_class: int, rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """{class: [(query, target id)]}, each query derived from one live record."""
    conn = store.conn
    total = conn.execute("SELECT max(rowid) FROM contacts").fetchone()[0]
    s2t = _t2s_s2t()
    out: dict[str, list[tuple[str, str]]] = {c: [] for c in CLASSES}

    def sample(sql: str, n: int) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        tries = 0
        while len(rows) < n and tries < n * 50:
            tries += 1
            row = conn.execute(sql, (rng.randrange(1, total + 1),)).fetchone()
            if row:
                rows.append(row)
        return rows

    cn = sample(
        "SELECT id, native_name, latin_name FROM contacts WHERE rowid = ? AND deleted = 0 "
        "AND native_name IS NOT NULL",
        per_class * 3,
    )
    simple = [(i, sk.base_text(n), lat) for i, n, lat in cn]
    for cid, name, latin in simple[:per_class]:
        out["cjk_1"].append((name[:1], cid))
        out["cjk_2"].append((name[:2], cid))
        out["pinyin_full"].append((latin.replace(" ", "").lower(), cid))
        out["pinyin_spaced"].append((latin.lower(), cid))
        out["pinyin_initials"].append((sk.chinese_name_keys(name).initials[0], cid))
    out["cjk_3"] = [(n, i) for i, n, _ in simple if len(n) >= 3][:per_class]
    trad = [(s2t.convert(n), i) for i, n, _ in simple]
    out["traditional"] = ([(t, i) for t, i in trad if t != sk.base_text(t)] + trad)[:per_class]
    west = sample(
        "SELECT id, latin_name FROM contacts WHERE rowid = ? AND deleted = 0 AND native_name IS NULL",
        per_class,
    )
    for cid, latin in west:
        family = latin.split()[-1]
        out["latin_2_3"].append((sk.fold_variants(family.lower())[0][: rng.choice([2, 3])], cid))
        out["latin_full"].append((latin, cid))
    emails = sample(
        "SELECT c.id, p.raw FROM contacts c JOIN contact_points p ON p.contact_id = c.id "
        "WHERE c.rowid = ? AND c.deleted = 0 AND p.kind = 'email' AND p.deleted = 0",
        per_class,
    )
    for cid, raw in emails:
        local, _, domain = raw.partition("@")
        out["email_fragment"].append((rng.choice([local[: max(3, len(local) // 2)], "@" + domain]), cid))
    phones = sample(
        "SELECT c.id, p.raw, p.value FROM contacts c JOIN contact_points p ON p.contact_id = c.id "
        "WHERE c.rowid = ? AND c.deleted = 0 AND p.kind = 'phone' AND p.deleted = 0",
        per_class,
    )
    for cid, _raw, value in phones:
        keys = sk.phone_keys(value, value)
        e164, nsn = keys[0], keys[1] if len(keys) > 1 else keys[0]
        cc = e164[: len(e164) - len(nsn)]
        start = rng.randrange(0, max(1, len(nsn) - 6))
        out["phone_digits"].append((nsn[start : start + 6], cid))
        out["phone_intl"].append((f"+{cc} {nsn[:3]} {nsn[3:5]}", cid))
        out["phone_national"].append((f"0{nsn[:3]} {nsn[3:5]}", cid))
    cases = sample("SELECT id, number FROM cases WHERE rowid = ? AND deleted = 0", per_class)
    for cid, number in cases:
        out["case_number"].append((number, cid))
        parts = number.split("-")
        out["case_number_short"].append(("-".join([parts[0], parts[1], parts[-1]]), cid))
    return out


# ---------------------------------------------------------------- measuring


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def measure(
    path: Path, meta: dict[str, Any], per_class: int, naive_per_class: int, repeats: int
) -> dict[str, Any]:
    store = Store.open(path)
    conn = store.conn
    rng = random.Random(SEED + meta["size"])
    queries = make_queries(store, per_class, rng)
    for cls in CLASSES:  # warm caches and lazy imports once
        for q, _ in queries[cls][:2]:
            search.search(conn, q, limit=LIMIT)
    results: dict[str, Any] = {}
    for cls in CLASSES:
        qs = queries[cls]
        ours: list[float] = []
        cpu: list[float] = []
        found = 0
        for q, target in qs:
            for _ in range(repeats):
                c = time.process_time()
                t = time.perf_counter()
                hits = search.search(conn, q, limit=LIMIT)
                ours.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            found += any(h.id == target for h in hits)
        naive: list[float] = []
        naive_found = ours_found_same = 0
        covered = naive_total = ours_total = 0
        for q, target in qs[:naive_per_class]:
            t = time.perf_counter()
            rows = conn.execute(NAIVE_SQL, {"q": f"%{q}%"}).fetchall()
            naive.append((time.perf_counter() - t) * 1000)
            naive_found += any(r[1] == target for r in rows)
            ours_found_same += any(h.id == target for h in search.search(conn, q, limit=LIMIT))
            # coverage: of every record the naive scan matches, how many the index finds (untimed)
            every = {(k, i) for k, i in conn.execute(NAIVE_ALL_SQL, {"q": f"%{q}%"})}
            if len(every) <= COVERAGE_CAP:
                mine = {(h.kind, h.id) for h in search.search(conn, q, limit=COVERAGE_CAP * 3)}
                covered += len(every & mine)
                naive_total += len(every)
                ours_total += len(mine)
        row: dict[str, Any] = {
            "queries": len(qs),
            "example": qs[0][0] if qs else "",
            "p50_ms": round(statistics.median(ours), 2) if ours else None,
            "p95_ms": round(_pct(ours, 0.95), 2),
            "cpu_p50_ms": round(statistics.median(cpu), 2) if cpu else None,
            "cpu_p95_ms": round(_pct(cpu, 0.95), 2),
            "naive_p50_ms": round(statistics.median(naive), 1) if naive else None,
            "naive_p95_ms": round(_pct(naive, 0.95), 1),
            "recall": round(found / len(qs), 3) if qs else None,
            "recall_on_naive_queries": round(ours_found_same / max(1, len(naive)), 3),
            "naive_recall": round(naive_found / max(1, len(naive)), 3),
            "coverage": round(covered / naive_total, 3) if naive_total else None,
            "naive_matches": naive_total,
            "our_matches": ours_total,
        }
        if naive and ours:
            row["speedup_p50"] = round(statistics.median(naive) / statistics.median(ours), 1)
        if cls == "cjk_1":
            counts = []
            for q, _ in qs[:naive_per_class]:
                t = time.perf_counter()
                n = search.count(conn, q)
                ms = (time.perf_counter() - t) * 1000
                naive_n = conn.execute(f"SELECT count(*) FROM ({NAIVE_ALL_SQL})", {"q": f"%{q}%"}).fetchone()[
                    0
                ]
                counts.append({"q": q, "count": n, "count_ms": round(ms, 1), "naive_count": naive_n})
            row["counts"] = counts
        results[cls] = row
        print(
            f"  {cls:18} p50 {row['p50_ms']:7.2f} ms  p95 {row['p95_ms']:7.2f} ms  naive p50 "
            f"{row['naive_p50_ms']} ms  recall {row['recall']} (naive {row['naive_recall']})",
            file=sys.stderr,
            flush=True,
        )
    store.close()
    return {"meta": meta, "classes": results, "load_avg": os.getloadavg()}


def report(all_results: list[dict[str, Any]]) -> str:
    lines = []
    for res in all_results:
        meta = res["meta"]
        per_m = 1_000_000 / meta["size"]
        lines.append(f"\n### {meta['size']:,} contacts ({meta['docs']:,} index documents)\n")
        lines.append(
            f"index build {meta['index_build_s']} s, CPU {meta.get('index_build_cpu_s', '?')} s "
            f"(~{meta['index_build_s'] * per_m:.0f} s per 1M); "
            f"database {meta['db_bytes'] / 1e6:.0f} MB, of which index "
            f"{(meta['index_bytes'] or 0) / 1e6:.0f} MB (~{(meta['index_bytes'] or 0) * per_m / 1e6:.0f} MB "
            f"per 1M contacts); demo data generation {meta['generate_s']} s\n"
        )
        lines.append(
            f"(load average after the run: {', '.join(f'{x:.1f}' for x in res.get('load_avg', ()))}; "
            "CPU = process time, what the query costs when the machine is not shared)\n"
        )
        lines.append(
            "| class | example | p50 ms | p95 ms | CPU p50 | CPU p95 | naive p50 ms | naive p95 ms "
            "| x faster (p50) | target in top 50 | naive: target in top 50 (ours, same queries) "
            "| coverage of naive matches (naive / ours matches) |"
        )
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for cls, row in res["classes"].items():
            rec = row["recall"]
            naive_rec = row["naive_recall"]
            if cls == "cjk_1":
                counts = row.get("counts", [])
                rec = "n/a: " + ", ".join(f"{c['q']} {c['count']:,}" for c in counts[:3]) + " matches"
                naive_rec = ", ".join(f"{c['naive_count']:,}" for c in counts[:3])
            if cls != "cjk_1":
                naive_rec = f"{naive_rec} ({row['recall_on_naive_queries']})"
            coverage = (
                f"{row['coverage']} ({row['naive_matches']:,} / {row['our_matches']:,})"
                if row.get("coverage") is not None
                else "n/a"
            )
            lines.append(
                f"| {cls} | `{row['example']}` | {row['p50_ms']} | {row['p95_ms']} | {row['cpu_p50_ms']} "
                f"| {row['cpu_p95_ms']} | {row['naive_p50_ms']} | {row['naive_p95_ms']} "
                f"| {row.get('speedup_p50', '')} | {rec} | {naive_rec} | {coverage} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=40, help="queries per class")
    parser.add_argument("--naive-queries", type=int, default=8, help="of those, how many also run naively")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each query")
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached stores")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="print the table from the saved results-<size>.json, measuring nothing",
    )
    parser.add_argument(
        "--reindex",
        action="store_true",
        help="keep the cached records, recreate and time the index (after changing its design)",
    )
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    out = []
    for size in sizes:
        if args.report_only:
            out.append(json.loads((DATA / f"results-{size}.json").read_text()))
            continue
        print(f"size {size:,}", file=sys.stderr, flush=True)
        path, meta = build(size, rebuild=args.rebuild, reindex=args.reindex)
        naive_n = args.naive_queries if size <= 100_000 else max(3, args.naive_queries // 2)
        res = measure(path, meta, args.queries, naive_n, args.repeats)
        (DATA / f"results-{size}.json").write_text(json.dumps(res, indent=2, ensure_ascii=False))
        out.append(res)
    print(f"SQLite {search.sqlite3.sqlite_version}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print(report(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
