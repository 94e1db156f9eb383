"""A bulk load that at least doubles a table builds that table's secondary indexes once, sorted, at its end.

Kept up row by row, every insert updates each of a table's indexes at a random place: for a contact, nine
B-trees; for an import of 100k rows into a store of a few thousand, most of the load's write time. Built
from sorted keys after the load, the same indexes cost a fraction of that. Rebuilding covers the rows the
table held before too, so a table's indexes are set aside only when the load brings at least as many rows
as it holds (and a few thousand at least).

All in the caller's transaction: DDL is transactional in SQLite, so a rollback (a failed or cancelled
import) puts every index back as it was, and other connections never see a table without them. Unique
indexes stay (they are constraints), and so do the indexes the load reads by while it writes (``keep``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from . import engine

MIN_ROWS = 5_000  # below this a row-by-row upkeep costs less than a rebuild's fixed work


def _held(conn: engine.Connection, table: str) -> int:
    """About how many rows the table holds (its highest rowid: no count over the table)."""
    return int(conn.execute(f'SELECT coalesce(max(rowid), 0) FROM "{table}"').fetchone()[0])


def secondary(conn: engine.Connection, tables: Sequence[str]) -> list[tuple[str, str]]:
    """(name, sql) of the tables' indexes that are neither automatic nor unique, by name."""
    if not tables:
        return []
    marks = ",".join("?" * len(tables))
    rows: list[tuple[str, str]] = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({marks}) ORDER BY name",
        list(tables),
    ).fetchall()
    return rows


def set_aside(conn: engine.Connection, incoming: Mapping[str, int], keep: frozenset[str]) -> list[str]:
    """Drop the secondary indexes of each table about to receive ``incoming[table]`` rows, if that is at
    least as many as it holds; their SQL, to build them again."""
    tables = [t for t, rows in incoming.items() if rows >= MIN_ROWS and rows >= _held(conn, t)]
    statements = []
    for name, sql in secondary(conn, tables):
        if name in keep:
            continue
        conn.execute(f'DROP INDEX "{name}"')
        statements.append(sql)
    return statements


@contextmanager
def deferred(
    conn: engine.Connection, incoming: Mapping[str, int], keep: frozenset[str] = frozenset()
) -> Iterator[None]:
    """Within the caller's transaction: see the module's text. ``incoming``: rows about to be inserted,
    by table; ``keep``: indexes the block reads by."""
    if not conn.in_transaction:
        raise RuntimeError("bulk_indexes.deferred needs the caller's transaction")
    statements = set_aside(conn, incoming, keep)
    try:
        yield
    finally:
        if conn.in_transaction:  # after a rollback the indexes are back already
            for sql in statements:
                conn.execute(sql)
