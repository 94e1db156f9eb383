"""Conflict records: two versions of one free-text field, kept for a person to choose from.

The central service raises them (see :mod:`.replica`); they sync to every laptop like records. A person
resolves one by keeping their version, the other one, or a merged text: an ordinary edit of the field
(which syncs and, being newest, wins everywhere) plus marking the record resolved (which syncs too).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..domain.errors import LiaisonError, NotFound
from ..domain.hlc import Stamp
from ..domain.i18n import register
from ..domain.sync_protocol import CONFLICTS_TABLE
from ..domain.times import iso, utcnow
from .rows import dumps

if TYPE_CHECKING:
    from .replica import Change
    from .store import Store

register(
    {
        "sync.conflict.resolved_already": ("This conflict was already resolved.", "该冲突已解决。"),
        "sync.conflict.bad_choice": (
            "Choose keep mine, keep theirs, or a merged text.",
            "请选择保留我的、保留对方的或合并后的文本。",
        ),
        "sync.conflict.gone": ("The record of this conflict no longer exists.", "该冲突所属的记录已不存在。"),
    }
)

Choice = Literal["mine", "theirs", "merged"]
_NAMESPACE = uuid.UUID("5d1c2a0e-8f1b-4c57-9a3e-7c1f0b6d2e41")


@dataclass(frozen=True)
class ConflictView:
    """One open conflict as this laptop's user sees it: *mine* is the version written on this device (or,
    when neither was, the version the field shows now)."""

    id: str
    table: str
    row_id: str
    field: str
    mine: str | None
    theirs: str | None
    mine_author: str | None
    theirs_author: str | None
    current: str | None
    created_at: str
    deleted: bool
    mine_is: str  # which stored version ("a" or "b") is mine


def raise_conflict(
    store: Store, change: Change, name: str, *, base: str | None, held: tuple[Any, str], incoming: Any
) -> str:
    """Record that ``change`` edited ``name`` concurrently with the value the authority holds (``held`` is
    ``(value, clock)``). The record enters the change log, so it is pulled like any change."""
    held_value, held_hlc = held
    conflict_id = str(uuid.uuid5(_NAMESPACE, f"{change.tbl}/{change.row_id}/{name}/{held_hlc}/{change.hlc}"))
    author_row = store.conn.execute(
        "SELECT author FROM change_log WHERE tbl = ? AND row_id = ? AND hlc = ? LIMIT 1",
        (change.tbl, change.row_id, held_hlc),
    ).fetchone()
    hlc = store.clock.now()
    now = iso(utcnow())
    record = {
        "tbl": change.tbl,
        "row_id": change.row_id,
        "field": name,
        "base_hlc": base,
        "value_a": held_value,
        "hlc_a": held_hlc,
        "device_a": Stamp.decode(held_hlc).device,
        "author_a": author_row[0] if author_row else None,
        "value_b": incoming,
        "hlc_b": change.hlc,
        "device_b": change.device_id,
        "author_b": change.author,
        "status": "open",
        "choice": None,
        "resolved_by": None,
        "resolved_at": None,
        "created_at": now,
        "created_hlc": hlc,
    }
    names = ["id", *record]
    inserted = store.conn.execute(
        f"INSERT OR IGNORE INTO {CONFLICTS_TABLE} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [conflict_id, *record.values()],
    ).rowcount
    if inserted:
        _log(store, conflict_id, "create", record, None, hlc, now)
    return conflict_id


def _log(
    store: Store,
    row_id: str,
    op: str,
    fields: dict[str, Any],
    base: dict[str, Any] | None,
    hlc: str,
    now: str,
) -> None:
    store.conn.execute(
        "INSERT INTO change_log (tbl, row_id, op, fields, base, hlc, device_id, author, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            CONFLICTS_TABLE,
            row_id,
            op,
            dumps(fields),
            dumps(base) if base else None,
            hlc,
            store.device_id,
            store.author,
            now,
        ),
    )


def _row(store: Store, conflict_id: str) -> dict[str, Any]:
    cursor = store.conn.execute(f"SELECT * FROM {CONFLICTS_TABLE} WHERE id = ?", (conflict_id,))
    found = cursor.fetchone()
    if found is None:
        raise NotFound("store.err.not_found", table=CONFLICTS_TABLE, id=conflict_id)
    return dict(zip([c[0] for c in cursor.description], found, strict=True))


def _view(store: Store, c: dict[str, Any]) -> ConflictView:
    row = store.row(c["tbl"], c["row_id"])
    current = row[c["field"]] if row else None
    mine_is_b = c["device_b"] == store.device_id or (
        c["device_a"] != store.device_id and current == c["value_b"]
    )
    mine, theirs = ("b", "a") if mine_is_b else ("a", "b")
    return ConflictView(
        id=c["id"],
        table=c["tbl"],
        row_id=c["row_id"],
        field=c["field"],
        mine=c[f"value_{mine}"],
        theirs=c[f"value_{theirs}"],
        mine_author=c[f"author_{mine}"],
        theirs_author=c[f"author_{theirs}"],
        current=current,
        created_at=c["created_at"],
        deleted=bool(row["deleted"]) if row else True,
        mine_is=mine,
    )


def list_open(store: Store, limit: int = 200) -> list[ConflictView]:
    """Open conflicts, oldest first (for the conflicts screen)."""
    with store.lock:
        ids = [
            r[0]
            for r in store.conn.execute(
                f"SELECT id FROM {CONFLICTS_TABLE} WHERE status = 'open' ORDER BY created_hlc LIMIT ?",
                (limit,),
            )
        ]
        return [_view(store, _row(store, i)) for i in ids]


def count_open(store: Store) -> int:
    return int(
        store.conn.execute(f"SELECT count(*) FROM {CONFLICTS_TABLE} WHERE status = 'open'").fetchone()[0]
    )


def resolve(store: Store, conflict_id: str, choice: Choice, merged_text: str | None = None) -> None:
    """Keep mine, keep theirs, or save ``merged_text``; the edit and the resolution sync like any change."""
    if choice not in ("mine", "theirs", "merged") or (choice == "merged" and merged_text is None):
        raise LiaisonError("sync.conflict.bad_choice")
    with store.transaction() as conn:
        c = _row(store, conflict_id)
        if c["status"] == "resolved":
            raise LiaisonError("sync.conflict.resolved_already")
        view = _view(store, c)
        mine_is = view.mine_is
        if choice == "merged":
            text, absolute = merged_text, "merged"
        elif choice == "mine":
            text, absolute = view.mine, mine_is
        else:
            text, absolute = view.theirs, "a" if mine_is == "b" else "b"
        row = store.row(c["tbl"], c["row_id"])
        if row is None:
            raise LiaisonError("sync.conflict.gone")
        if row[c["field"]] != text:
            if row["deleted"]:
                store.write(c["tbl"], c["row_id"], "update", {c["field"]: text})
            else:  # validated like any edit
                store.repos[c["tbl"]].update(c["row_id"], {c["field"]: text})
        hlc = store.clock.now()
        now = iso(utcnow())
        fields = {"status": "resolved", "choice": absolute, "resolved_by": store.author, "resolved_at": now}
        base = {"status": c["resolved_hlc"] or c["created_hlc"]}
        conn.execute(
            f"UPDATE {CONFLICTS_TABLE} SET status = ?, choice = ?, resolved_by = ?, resolved_at = ?, "
            "resolved_hlc = ? WHERE id = ?",
            [*fields.values(), hlc, conflict_id],
        )
        _log(store, conflict_id, "update", fields, base, hlc, now)
