"""Records sent whole: the state of a record (every column and its field clocks) rather than the changes
that made it. The server sends puts to fill a new laptop, when records enter a trip kit's scope, and to
repair what a digest check found different; removes when records leave a kit's scope.

A put merges field by field like a change: the later clock wins; on equal clocks the server's value wins
(the laptop's copy was changed behind the sync layer); a local clock that is later (an edit not yet
pushed) keeps the local value. So a put can never undo work the laptop has not sent yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..domain.entities import ENTITIES
from ..domain.sync_protocol import CONFLICTS_TABLE
from .rows import BOOKKEEPING, column_kinds
from .store import Store

# Parents before children, so that foreign keys hold as a new laptop fills.
ORDER: tuple[str, ...] = (*ENTITIES, CONFLICTS_TABLE)
_CHUNK = 500


def _marks(n: int) -> str:
    return ",".join("?" * n)


def columns(table: str) -> list[str]:
    if table == CONFLICTS_TABLE:
        return []
    return [*(name for name, _ in column_kinds(ENTITIES[table])), *BOOKKEEPING]


# ------------------------------------------------------------------------------------------ server side
def read_puts(conn: Any, table: str, ids: Sequence[str]) -> list[list[Any]]:
    """``[table, row as a dict, {field: clock}]`` for each id that exists (any order)."""
    out: list[list[Any]] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        cursor = conn.execute(f"SELECT * FROM {table} WHERE id IN ({_marks(len(chunk))})", chunk)
        names = [c[0] for c in cursor.description]
        rows = {r[0]: dict(zip(names, r, strict=True)) for r in cursor.fetchall()}
        clocks: dict[str, dict[str, str]] = {}
        if table != CONFLICTS_TABLE:
            for row_id, field, hlc in conn.execute(
                f"SELECT row_id, field, hlc FROM field_clocks WHERE tbl = ? AND row_id IN ({_marks(len(chunk))})",
                [table, *chunk],
            ):
                clocks.setdefault(row_id, {})[field] = hlc
        out += [[table, row, clocks.get(row_id, {})] for row_id, row in rows.items()]
    return out


def page_table(conn: Any, table: str, after: str, limit: int) -> tuple[list[list[Any]], str | None]:
    """One page of a whole table in id order (a whole-station snapshot): puts and the last id."""
    ids = [
        r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE id > ? ORDER BY id LIMIT ?", (after, limit))
    ]
    puts = read_puts(conn, table, ids)
    puts.sort(key=lambda p: p[1]["id"])
    return puts, (ids[-1] if len(ids) == limit else None)


# ------------------------------------------------------------------------------------------ laptop side
def apply_puts(store: Store, puts: Iterable[Sequence[Any]], *, index: bool = True) -> int:
    """Merge puts into ``store`` (in the caller's transaction). Absent records are inserted in bulk."""
    applied = 0
    by_table: dict[str, list[Sequence[Any]]] = {}
    for put in puts:
        by_table.setdefault(put[0], []).append(put)
    for table in ORDER:
        batch = by_table.pop(table, [])
        if not batch:
            continue
        if table == CONFLICTS_TABLE:
            applied += _conflicts(store, batch)
        else:
            applied += _entities(store, table, batch, index=index)
    return applied


def _entities(store: Store, table: str, batch: list[Sequence[Any]], *, index: bool) -> int:
    conn = store.conn
    names = columns(table)
    ids = [put[1]["id"] for put in batch]
    present: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        cursor = conn.execute(f"SELECT * FROM {table} WHERE id IN ({_marks(len(chunk))})", chunk)
        cols = [c[0] for c in cursor.description]
        present.update({r[0]: dict(zip(cols, r, strict=True)) for r in cursor.fetchall()})
    fresh = [put for put in batch if put[1]["id"] not in present]
    if fresh:
        conn.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({_marks(len(names))})",
            [[put[1].get(name) for name in names] for put in fresh],
        )
        conn.executemany(
            "INSERT OR REPLACE INTO field_clocks (tbl, row_id, field, hlc) VALUES (?, ?, ?, ?)",
            [(table, put[1]["id"], field, hlc) for put in fresh for field, hlc in put[2].items()],
        )
        if index:
            for put in fresh:
                store.note_search(table, put[1])
        if table == "erasures":  # every replica applies an erasure it receives
            from .erasure import apply_erasure

            for put in fresh:
                apply_erasure(store, store.row(table, put[1]["id"]) or {})
    for put in batch:
        local = present.get(put[1]["id"])
        if local is not None:
            _merge(store, table, local, put[1], put[2])
    return len(batch)


def _merge(
    store: Store, table: str, local: dict[str, Any], theirs: dict[str, Any], their_clocks: dict[str, str]
) -> None:
    """Field by field: the later clock wins, the server's value on a tie; a later local clock stays."""
    conn = store.conn
    row_id = local["id"]
    ours = dict(
        conn.execute("SELECT field, hlc FROM field_clocks WHERE tbl = ? AND row_id = ?", (table, row_id))
    )
    take: dict[str, Any] = {}
    clocks: dict[str, str | None] = {}
    for name in [*(f for f in ENTITIES[table].fields if f != "id"), "deleted"]:
        mine = ours.get(name, local["created_hlc"])
        their = their_clocks.get(name, theirs["created_hlc"])
        if their > mine or (their == mine and local.get(name) != theirs.get(name)):
            take[name] = theirs.get(name)
            clocks[name] = their_clocks.get(name)
    if theirs["created_hlc"] != local["created_hlc"] and theirs["created_hlc"] > local["created_hlc"]:
        take["created_hlc"] = theirs["created_hlc"]
    if not take:
        return
    if theirs["hlc"] >= local["hlc"]:
        for name in ("updated_at", "updated_by", "device_id", "hlc"):
            take[name] = theirs.get(name)
    conn.execute(
        f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in take)} WHERE id = ?", [*take.values(), row_id]
    )
    for name, hlc in clocks.items():
        if hlc is None:
            conn.execute(
                "DELETE FROM field_clocks WHERE tbl = ? AND row_id = ? AND field = ?", (table, row_id, name)
            )
        else:
            conn.execute(
                "INSERT OR REPLACE INTO field_clocks (tbl, row_id, field, hlc) VALUES (?, ?, ?, ?)",
                (table, row_id, name, hlc),
            )
    store.note_search(table, {**local, **take})


def _conflicts(store: Store, batch: list[Sequence[Any]]) -> int:
    conn = store.conn
    for put in batch:
        row = put[1]
        found = conn.execute(
            f"SELECT coalesce(resolved_hlc, created_hlc) FROM {CONFLICTS_TABLE} WHERE id = ?", (row["id"],)
        ).fetchone()
        theirs = row.get("resolved_hlc") or row["created_hlc"]
        if found is None or theirs >= found[0]:
            names = list(row)
            conn.execute(
                f"INSERT OR REPLACE INTO {CONFLICTS_TABLE} ({', '.join(names)}) VALUES ({_marks(len(names))})",
                [row[n] for n in names],
            )
    return len(batch)


def apply_removes(store: Store, removes: Iterable[Sequence[str]]) -> int:
    """Records that left this laptop's trip-kit scope (not deletions: they live on at the station). A
    record with changes still waiting to be pushed stays until they are sent."""
    conn = store.conn
    removed = 0
    floor = 0
    rank = {table: i for i, table in enumerate(ORDER)}
    # Children first: a contact's points go before the contact.
    for table, row_id in sorted(removes, key=lambda r: -rank.get(r[0], -1)):
        if table not in ENTITIES and table != CONFLICTS_TABLE:
            continue
        if conn.execute(
            "SELECT 1 FROM change_log WHERE pushed = 0 AND tbl = ? AND row_id = ? LIMIT 1", (table, row_id)
        ).fetchone():
            continue
        row = store.row(table, row_id) if table in ENTITIES else None
        conn.execute("SAVEPOINT remove")
        try:
            conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
        except Exception:  # something this laptop still holds points to it: it stays for now
            conn.execute("ROLLBACK TO remove")
            conn.execute("RELEASE remove")
            continue
        conn.execute("RELEASE remove")
        conn.execute("DELETE FROM field_clocks WHERE tbl = ? AND row_id = ?", (table, row_id))
        conn.execute("DELETE FROM history WHERE tbl = ? AND row_id = ?", (table, row_id))
        conn.execute("DELETE FROM sync_rejected WHERE tbl = ? AND row_id = ?", (table, row_id))
        conn.execute(f"DELETE FROM {CONFLICTS_TABLE} WHERE tbl = ? AND row_id = ?", (table, row_id))
        top = conn.execute(
            "SELECT max(seq) FROM change_log WHERE tbl = ? AND row_id = ?", (table, row_id)
        ).fetchone()[0]
        if top:
            floor = max(floor, int(top))
            conn.execute("DELETE FROM change_log WHERE tbl = ? AND row_id = ?", (table, row_id))
        if row is not None:
            store.note_search(table, {**row, "deleted": 1})
        removed += 1
    if floor:
        current = int(store.get_meta("pushed_floor") or 0)
        if floor > current:
            store.set_meta("pushed_floor", str(floor))
    return removed
