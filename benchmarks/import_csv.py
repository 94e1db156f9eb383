"""``liaison import`` of a synthetic 100k-row CSV against raw ``executemany`` of the same rows, same run.

    python benchmarks/import_csv.py                     # 100k rows, 3 repeats
    python benchmarks/import_csv.py --rows 20000 --repeats 1

The import side is timed whole: reading and decoding the file, the column guess, normalising and validating
every row (E.164 phones, emails, countries, enums), in-file duplicate grouping, matching with the store,
writing contacts, contact points and organizations with their change-log rows, and indexing them all for
search (``store/search.py``'s Indexer, while the rows are written). Its two halves are printed: the plan
(reading, interpreting, matching) and the apply (writing and indexing, one transaction). The raw side
inserts the rows the import produced (read back from its database outside the clock) with bare
``executemany`` into a fresh store of the same schema, in one transaction: no parsing, no validation, no
change log, no search index. Raw runs several times per import run (it is short, and this machine's
timings swing by a third from one run to the next); each ratio is of the two medians.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from liaison_tui.importer.apply import apply_import
from liaison_tui.importer.mapping import Mapping
from liaison_tui.importer.plan import plan_import
from liaison_tui.importer.readers import read_file
from liaison_tui.store import Store

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力林斌宇浩凯鹏晨博思远嘉怡子涵雨桐一鸣天佑"
)
LATIN_GIVEN = [
    "Anna",
    "Lukas",
    "Sophie",
    "Jonas",
    "Marie",
    "Felix",
    "Zoë",
    "Björn",
    "José",
    "Élodie",
    "Omar",
    "Priya",
    "Hana",
    "Yuki",
    "Mateo",
    "Chloé",
    "Jürgen",
    "Søren",
]
LATIN_FAMILY = [
    "Müller",
    "Schmidt",
    "Dubois",
    "García",
    "Nielsen",
    "Østergaard",
    "Tanaka",
    "Kim",
    "Nguyen",
    "Novák",
    "Rossi",
    "Smith",
    "Jensen",
    "Kowalski",
    "Silva",
    "Cohen",
]
COUNTRIES = [
    ("德国", "+49 151 {:08d}"),
    ("美国", "+1 415 {:07d}"),
    ("英国", "+44 7700 {:06d}"),
    ("澳大利亚", "+61 4{:08d}"),
    ("日本", "+81 90 {:08d}"),
    ("法国", "+33 6 {:08d}"),
    ("瑞典", "+46 70 {:07d}"),
    ("加拿大", "+1 604 {:07d}"),
    ("中国香港", "+852 5{:07d}"),
    ("新加坡", "+65 8{:07d}"),
]
ORGS = [f"{c}大学" for c in "北清复交浙南武中华厦山"] + [
    "Max Planck Institute",
    "ETH Zürich",
    "CNRS",
    "Siemens",
    "KTH Royal Institute of Technology",
    "Fraunhofer IGD",
]
CHAINS = ["人工智能", "海洋", "生物医药", "智能制造", "新材料", "集成电路", "虚拟现实"]
HEADER = (
    "姓名,英文名,性别,国籍,现居国家,现任单位,职务/职称,研究领域,产业链,人才层次,手机,邮箱,微信号,来源,备注"
)


def make_csv(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(HEADER + "\n")
        for i in range(rows):
            country, phone = COUNTRIES[i % len(COUNTRIES)]
            chinese = rng.random() < 0.6
            native = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2]))) if chinese else ""
            latin = (
                f"{rng.choice(LATIN_GIVEN)} {rng.choice(LATIN_FAMILY)}"
                if not chinese or rng.random() < 0.3
                else ""
            )
            email = f"user{i}@example.{rng.choice(['org', 'com', 'de', 'edu'])}"
            if rng.random() < 0.3:
                email = email.upper()
            wechat = f"wx_{i:07d}" if rng.random() < 0.4 else ""
            chains = "、".join(rng.sample(CHAINS, rng.choice([1, 2])))
            note = rng.choice(["", "需要协助办理工作许可", "对人才公寓感兴趣", '"有意来青考察,关注子女入学"'])
            handle.write(
                ",".join(
                    [
                        native,
                        latin,
                        rng.choice(["男", "女", "M", "F", ""]),
                        country,
                        country,
                        rng.choice(ORGS),
                        rng.choice(["教授", "CTO", "Postdoc", "研究员"]),
                        "机器学习",
                        chains,
                        rng.choice(["", "省级", "国家级"]),
                        phone.format(i),
                        email,
                        wechat,
                        rng.choice(["2023千山峰会", "自荐", "海外引才联盟推荐"]),
                        note,
                    ]
                )
                + "\n"
            )


def time_import(folder: Path, csv_path: Path) -> tuple[float, float, dict[str, int], Path]:
    """(whole import, of which the plan, counts, database)."""
    db = folder / "import.db"
    store = Store.open(db, author="bench")
    started = time.perf_counter()
    table = read_file(csv_path)
    plan = plan_import(store, table, Mapping.guess("bench", table.headers))
    planned = time.perf_counter() - started
    result = apply_import(store, plan)
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed, planned, result.counts, db


def time_raw(folder: Path, source_db: Path, run: int) -> float:
    """The same contacts, contact points and organizations, bare executemany into a fresh store."""
    src = Store.open(source_db, author="bench")
    tables = {}
    for table in ("organizations", "contacts", "contact_points"):
        cur = src.conn.execute(f"SELECT * FROM {table}")
        tables[table] = ([c[0] for c in cur.description], cur.fetchall())
    src.close()
    store = Store.open(folder / f"raw{run}.db", author="bench")
    conn = store.conn
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for table, (cols, rows) in tables.items():
        conn.executemany(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows
        )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--raw-repeats", type=int, default=3, help="raw runs per import run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "contacts.csv"
        make_csv(csv_path, args.rows)
        print(f"{args.rows} rows, {csv_path.stat().st_size / 1e6:.1f} MB CSV")
        imports, raws = [], []
        for i in range(args.repeats):
            run = Path(tmp) / f"run{i}"
            run.mkdir()
            elapsed, planned, counts, db = time_import(run, csv_path)
            raw_runs = [time_raw(run, db, r) for r in range(args.raw_repeats)]
            imports.append(elapsed)
            raws.extend(raw_runs)
            print(
                f"  run {i + 1}: import {elapsed:.2f} s ({args.rows / elapsed:,.0f} rows/s; plan {planned:.2f} s, "
                f"apply {elapsed - planned:.2f} s), raw executemany "
                f"{' / '.join(f'{r:.2f}' for r in raw_runs)} s; created {counts['create']}, "
                f"failed {counts['failed']}"
            )
        imp, raw = statistics.median(imports), statistics.median(raws)
        print(
            f"median: import {imp:.2f} s, raw executemany {raw:.2f} s, ratio raw/import {raw / imp:.3f} "
            f"(import is {imp / raw:.1f}x raw)"
        )


if __name__ == "__main__":
    main()
