"""Digests: is what a laptop holds what the server holds for it, record by record?

Each synced record hashes its id, every synced field as stored, its tombstone and its creation clock, plus
its field clocks; records fall into buckets by the last two characters of their id (random in UUIDv7). A
bucket's digest is the count and the sums of those hashes, so it is cheap to combine and order-free. Both
sides compute them from the data itself (not from bookkeeping kept beside it), so a laptop whose file was
edited behind the sync layer shows up as different, like one that missed changes. The laptop sends its
digests; for the buckets that differ it sends its records' hashes; the server answers with puts for
records it has and the laptop lacks or holds differently, and removes for records outside the laptop's
scope. Records the server has never had (created here, not sent yet, or lost by a server restored from an
old backup and not yet sent again by their laptop) stay.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..domain.entities import ENTITIES
from ..domain.sync_protocol import CONFLICTS_TABLE

# 40-bit hashes: sums over a million records stay far inside SQLite's 64-bit integers.
_MASK = (1 << 40) - 1
_SEP = "\x1f"


def _hash(text: str | None) -> int:
    digest = hashlib.blake2b((text or "").encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") & _MASK


def register(conn: Any) -> None:
    conn.create_function("lx_hash", 1, _hash, deterministic=True)


def _row_text(table: str) -> str:
    if table == CONFLICTS_TABLE:
        names = ["id", "tbl", "row_id", "field", "hlc_a", "hlc_b", "status", "choice", "created_hlc"]
    else:
        names = ["id", *(f for f in ENTITIES[table].fields if f != "id"), "deleted", "created_hlc"]
    # NULL as char(30): a NUL would end the text where SQLite hands it to the hash function.
    return " || char(31) || ".join(f"coalesce(CAST({n} AS TEXT), char(30))" for n in names)


def tables() -> list[str]:
    return [*ENTITIES, CONFLICTS_TABLE]


def digests(conn: Any, scope: str | None = None, params: tuple[Any, ...] = ()) -> dict[str, dict[str, str]]:
    """``{table: {bucket: "count:rows:clocks"}}``. ``scope``: SQL selecting (tbl, row_id) pairs the digest
    is limited to (a kit laptop's scope on the server)."""
    register(conn)
    out: dict[str, dict[str, str]] = {}
    for table in tables():
        where = f" WHERE id IN (SELECT row_id FROM ({scope}) WHERE tbl = '{table}')" if scope else ""
        rows = {
            b: (n, s)
            for b, n, s in conn.execute(
                f"SELECT substr(id, -2), count(*), sum(lx_hash({_row_text(table)})) FROM {table}{where} GROUP BY 1",
                params,
            )
        }
        clocks: dict[str, int] = {}
        if table != CONFLICTS_TABLE:
            clock_where = (
                f" AND row_id IN (SELECT row_id FROM ({scope}) WHERE tbl = '{table}')" if scope else ""
            )
            clocks = dict(
                conn.execute(
                    "SELECT substr(row_id, -2), sum(lx_hash(row_id || char(31) || field || char(31) || hlc)) "
                    f"FROM field_clocks WHERE tbl = ?{clock_where} GROUP BY 1",
                    (table, *params),
                )
            )
        buckets = set(rows) | set(clocks)
        if buckets:
            out[table] = {
                b: f"{rows.get(b, (0, 0))[0]}:{rows.get(b, (0, 0))[1]}:{clocks.get(b, 0)}" for b in buckets
            }
    return out


def record_hashes(
    conn: Any, table: str, bucket: str, scope: str | None = None, params: tuple[Any, ...] = ()
) -> dict[str, int]:
    """``{id: hash}`` of the records of one bucket (row and its field clocks together)."""
    register(conn)
    where = f" AND id IN (SELECT row_id FROM ({scope}) WHERE tbl = '{table}')" if scope else ""
    out = {
        row_id: value
        for row_id, value in conn.execute(
            f"SELECT id, lx_hash({_row_text(table)}) FROM {table} WHERE substr(id, -2) = ?{where}",
            (bucket, *params),
        )
    }
    if table != CONFLICTS_TABLE:
        for row_id, value in conn.execute(
            "SELECT row_id, sum(lx_hash(row_id || char(31) || field || char(31) || hlc)) FROM field_clocks "
            "WHERE tbl = ? AND substr(row_id, -2) = ? GROUP BY row_id",
            (table, bucket),
        ):
            if row_id in out:
                out[row_id] = (out[row_id] + value) & ((1 << 62) - 1)
    return out


def differing(mine: dict[str, dict[str, str]], theirs: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """(table, bucket) pairs whose digests differ (a bucket missing on one side differs)."""
    out = []
    for table in sorted(set(mine) | set(theirs)):
        a, b = mine.get(table, {}), theirs.get(table, {})
        out += [(table, bucket) for bucket in sorted(set(a) | set(b)) if a.get(bucket) != b.get(bucket)]
    return out
