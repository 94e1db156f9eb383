"""The laptop's side of a push: the numbered outbox, and taking in the server's answer.

The outbox is the change log's unpushed entries in change-number order. The answer is taken in within one
transaction: acknowledged entries are marked pushed, refused ones are recorded for the user and the
laptop's copy of their record is put back to the server's state, and stamps the server pulled back from
a clock running ahead are rewritten here too, so that every replica compares the same clocks.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..domain.entities import ENTITIES
from ..domain.errors import LiaisonError
from ..domain.sync_protocol import CONFLICTS_TABLE, MAX_GAPS, MAX_SEQ, PushResult, Refusal
from ..domain.times import iso, utcnow
from . import engine
from .replica import refusal_message
from .store import Store


def pending_count(store: Store, cap: int | None = None) -> int:
    return store.pending_changes(cap)


def pushed_through(store: Store) -> int:
    """The highest change number the server acknowledged to this laptop."""
    with store.lock:
        row = store.conn.execute("SELECT max(seq) FROM change_log WHERE pushed = 1").fetchone()
    # A wiped store keeps how far its numbering had gone (its change log is gone).
    return max(int(row[0] or 0), int(store.get_meta("pushed_floor") or 0))


def renumber_pending(store: Store, after: int) -> int:
    """Give the waiting changes new numbers above ``after`` (and above every number in use), in order, in
    one transaction. For a store restored from a backup, whose numbers the server has already seen: the
    numbers between what this laptop holds as acknowledged and ``after`` are changes it no longer has,
    recorded as a gap so that the next pull brings them back."""
    if not 0 <= after <= MAX_SEQ:
        raise LiaisonError("sync.err.numbering", seq=after)
    with store.transaction() as conn:
        rows = conn.execute(
            "SELECT seq, tbl, row_id, op, fields, base, hlc, device_id, author, at "
            "FROM change_log WHERE pushed = 0 ORDER BY seq"
        ).fetchall()
        held = pushed_through(store)
        if held < after:
            add_gap(store, held + 1, after)
        if not rows:
            return 0
        top = conn.execute("SELECT max(seq) FROM change_log").fetchone()[0] or 0
        start = max(after, top) + 1
        conn.execute("DELETE FROM change_log WHERE pushed = 0")
        conn.executemany(
            "INSERT INTO change_log (seq, tbl, row_id, op, fields, base, hlc, device_id, author, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(start + i, *row[1:]) for i, row in enumerate(rows)],
        )
    return len(rows)


def requeue_after(store: Store, last_seq: int) -> int:
    """The server holds this laptop's changes only up to ``last_seq`` (it was restored from an older
    backup): mark the later ones, which this laptop holds as acknowledged, to be sent again."""
    with store.transaction() as conn:
        return int(
            conn.execute(
                "UPDATE change_log SET pushed = 0 WHERE pushed = 1 AND seq > ?", (last_seq,)
            ).rowcount
        )


def pending_within(store: Store, low: int, high: int) -> bool:
    with store.lock:
        return (
            store.conn.execute(
                "SELECT 1 FROM change_log WHERE pushed = 0 AND seq BETWEEN ? AND ? LIMIT 1", (low, high)
            ).fetchone()
            is not None
        )


# ------------------------------------------------------------------------------------------------ gaps
GAPS_KEY = "sync_gaps"


def gaps(store: Store) -> list[tuple[int, int]]:
    """Ranges of this laptop's own change numbers it does not hold (a restore lost them)."""
    text = store.get_meta(GAPS_KEY) or ""
    out = []
    for part in filter(None, text.split(",")):
        low, _, high = part.partition("-")
        out.append((int(low), int(high)))
    return out


def add_gap(store: Store, low: int, high: int) -> None:
    ranges = sorted([*gaps(store), (low, high)])
    merged: list[tuple[int, int]] = []
    for a, b in ranges:
        if merged and a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    store.set_meta(GAPS_KEY, ",".join(f"{a}-{b}" for a, b in merged[-MAX_GAPS:]))


def clear_gaps(store: Store) -> None:
    store.set_meta(GAPS_KEY, "")


def pending_batch(store: Store, limit: int) -> list[dict[str, Any]]:
    """The next ``limit`` unpushed changes, oldest first, as the push request carries them (no author or
    time: the server records its own)."""
    with store.lock:
        rows = store.conn.execute(
            "SELECT seq, tbl, row_id, op, fields, base, hlc FROM change_log WHERE pushed = 0 "
            "ORDER BY seq LIMIT ?",
            (limit,),
        ).fetchall()
    return [
        {
            "seq": seq,
            "tbl": tbl,
            "row_id": row_id,
            "op": op,
            "fields": orjson.Fragment(fields),
            "base": orjson.Fragment(base) if base else None,
            "hlc": hlc,
        }
        for seq, tbl, row_id, op, fields, base, hlc in rows
    ]


def take_result(store: Store, result: PushResult, pushed: list[dict[str, Any]] | None = None) -> int:
    """Record the server's answer to a push; returns how many changes it refused that were new to us.
    The server names the author it recorded: this laptop's own history then says the same."""
    with store.transaction() as conn:
        if result.author and pushed:
            conn.executemany(  # by record first: history is indexed by (tbl, row_id)
                "UPDATE history SET author = ? WHERE tbl = ? AND row_id = ? AND hlc = ? AND origin = 'local' "
                "AND author IS NOT ?",
                [(result.author, c["tbl"], c["row_id"], c["hlc"], result.author) for c in pushed],
            )
        for seq, stamp in result.clamped.items():
            _restamp(store, int(seq), stamp)
        fresh = 0
        for refusal in sorted(result.refused, key=lambda r: r.seq, reverse=True):  # children first
            fresh += _record_refusal(store, refusal)
        conn.execute(
            "UPDATE change_log SET pushed = 1 WHERE pushed = 0 AND seq <= ?", (result.acked_through,)
        )
    return fresh


def _restamp(store: Store, seq: int, stamp: str) -> None:
    conn = store.conn
    row = conn.execute("SELECT tbl, row_id, hlc FROM change_log WHERE seq = ?", (seq,)).fetchone()
    if row is None or row[2] == stamp:
        return
    tbl, row_id, original = row
    conn.execute("UPDATE change_log SET hlc = ? WHERE seq = ?", (stamp, seq))
    if tbl == CONFLICTS_TABLE:
        conn.execute(
            f"UPDATE {CONFLICTS_TABLE} SET resolved_hlc = ? WHERE id = ? AND resolved_hlc = ?",
            (stamp, row_id, original),
        )
        return
    if tbl not in ENTITIES:
        return
    conn.execute(
        "UPDATE field_clocks SET hlc = ? WHERE tbl = ? AND row_id = ? AND hlc = ?",
        (stamp, tbl, row_id, original),
    )
    conn.execute(
        f"UPDATE {tbl} SET created_hlc = ? WHERE id = ? AND created_hlc = ?", (stamp, row_id, original)
    )
    conn.execute(f"UPDATE {tbl} SET hlc = ? WHERE id = ? AND hlc = ?", (stamp, row_id, original))


def _record_refusal(store: Store, refusal: Refusal) -> int:
    conn = store.conn
    logged = conn.execute("SELECT op, fields, hlc FROM change_log WHERE seq = ?", (refusal.seq,)).fetchone()
    if logged is None:
        return 0
    op, fields, hlc = logged
    new: int = conn.execute(
        "INSERT OR IGNORE INTO sync_rejected (seq, tbl, row_id, op, fields, reason, params, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            refusal.seq,
            refusal.tbl,
            refusal.row_id,
            op,
            fields,
            refusal.reason,
            orjson.dumps(refusal.params).decode(),
            iso(utcnow()),
        ),
    ).rowcount
    if refusal.tbl in ENTITIES:
        _converge(store, refusal, hlc)
    return new


def _converge(store: Store, refusal: Refusal, hlc: str) -> None:
    """Put our copy of the record back to the server's state, field by field, where the refused change
    still holds the field (a later local edit keeps its value and is judged on its own push)."""
    conn = store.conn
    table, row_id = refusal.tbl, refusal.row_id
    row = store.row(table, row_id)
    if row is None:
        return
    if not refusal.exists:  # the server never accepted the record: it must not linger here either
        conn.execute("SAVEPOINT drop_row")
        try:
            conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
            conn.execute("DELETE FROM field_clocks WHERE tbl = ? AND row_id = ?", (table, row_id))
        except engine.IntegrityError:  # something still points to it: hide it instead
            conn.execute("ROLLBACK TO drop_row")
            conn.execute(f"UPDATE {table} SET deleted = 1 WHERE id = ?", (row_id,))
        conn.execute("RELEASE drop_row")
        store.note_search(table, row)
        return
    clocks = dict(
        conn.execute(
            "SELECT field, hlc FROM field_clocks WHERE tbl = ? AND row_id = ?", (table, row_id)
        ).fetchall()
    )
    back = {
        name: (value, clock)
        for name, (value, clock) in refusal.state.items()
        if name in row and clocks.get(name, row["created_hlc"]) == hlc
    }
    if not back:
        return
    conn.execute(
        f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in back)} WHERE id = ?",
        [v for v, _ in back.values()] + [row_id],
    )
    # A field never edited on the server has the record's creation clock and no entry of its own.
    conn.executemany(
        "DELETE FROM field_clocks WHERE tbl = ? AND row_id = ? AND field = ?",
        [(table, row_id, n) for n, (_, c) in back.items() if c == row["created_hlc"]],
    )
    conn.executemany(
        "INSERT INTO field_clocks (tbl, row_id, field, hlc) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc",
        [(table, row_id, n, c) for n, (_, c) in back.items() if c != row["created_hlc"]],
    )
    conn.executemany(
        "INSERT INTO history (tbl, row_id, field, old_value, new_value, at, author, device_id, hlc, "
        "origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'refused')",
        [
            (table, row_id, n, _text(row[n]), _text(v), iso(utcnow()), store.author, store.device_id, c)
            for n, (v, c) in back.items()
        ],
    )
    store.note_search(table, {**row, **{n: v for n, (v, _) in back.items()}})


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def rejected(
    store: Store, *, unseen_only: bool = False, lang: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Changes the server refused, newest first, each with its message in ``lang``."""
    sql = "SELECT seq, tbl, row_id, op, fields, reason, params, at, seen FROM sync_rejected"
    if unseen_only:
        sql += " WHERE seen = 0"
    cursor = store.conn.execute(sql + " ORDER BY seq DESC LIMIT ?", (limit,))
    names = [c[0] for c in cursor.description]
    out = []
    for values in cursor.fetchall():
        item = dict(zip(names, values, strict=True))
        item["fields"] = orjson.loads(item["fields"])
        item["params"] = orjson.loads(item["params"])
        item["message"] = refusal_message(item["reason"], item["params"], lang)
        out.append(item)
    return out


def rejected_count(store: Store, *, unseen_only: bool = False) -> int:
    sql = "SELECT count(*) FROM sync_rejected" + (" WHERE seen = 0" if unseen_only else "")
    return int(store.conn.execute(sql).fetchone()[0])


def mark_rejected_seen(store: Store) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE sync_rejected SET seen = 1 WHERE seen = 0")
