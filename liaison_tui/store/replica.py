"""Applying changes made on other devices: the per-field merge that the laptops and the server share.

Every field of a record is a last-writer-wins register whose clock is its ``field_clocks`` entry (or the
record's ``created_hlc``); the tombstone ``deleted`` is one more such field, so delete, undelete and edits
converge the same way everywhere whatever order they arrive in. Applying a change is idempotent: a field
whose clock already equals the change's clock is skipped.

The *authority* (the central service) additionally validates each change against the domain rules and
raises a conflict record when a free-text field was edited concurrently from the same base; laptops trust
what the authority accepted and only merge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..domain import workflow
from ..domain.entities import ENTITIES, Entity
from ..domain.i18n import t
from ..domain.sync_protocol import CONFLICT_STATUS_FIELDS, CONFLICTS_TABLE
from ..domain.validation import FieldProblem, ValidationFailed
from .rows import BOOKKEEPING, column_kinds, dumps, row_to_fields, to_column, to_columns
from .store import Store


@dataclass(frozen=True, slots=True)
class Change:
    """One change-log entry as it travels: ``seq`` is the origin's change number (or the server sequence
    in a pulled page)."""

    seq: int
    tbl: str
    row_id: str
    op: str
    fields: dict[str, Any]
    base: dict[str, str] | None
    hlc: str
    device_id: str
    author: str | None
    at: str


class Refused(Exception):
    """The authority will not apply this change; ``reason`` is a message key."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass
class Applied:
    """What applying one change did (the authority uses it for the conflict count and logs)."""

    won: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    # The authority's create as stored: every field, validated and with defaults filled in (the feed
    # carries this, not what the laptop sent).
    fields: dict[str, Any] | None = None


def change_from_row(row: Sequence[Any]) -> Change:
    """A pulled change, ``[seq, tbl, row_id, op, fields, base, hlc, device_id, author, at]``."""
    seq, tbl, row_id, op, fields, base, hlc, device_id, author, at = row
    return Change(seq, tbl, row_id, op, fields or {}, base or None, hlc, device_id, author, at)


# --------------------------------------------------------------------------------------------- merging
_UNREAD: Any = object()


def apply_change(store: Store, change: Change, *, authority: bool, row: Any = _UNREAD) -> Applied:
    """Merge one change into ``store`` (in the caller's transaction). ``row``: the record as it is, when
    the caller has read it already."""
    if change.tbl == CONFLICTS_TABLE:
        return _apply_conflict_change(store, change, authority=authority)
    entity = ENTITIES.get(change.tbl)
    if entity is None:
        raise Refused("sync.refused.malformed", seq=change.seq)
    return _apply_entity(store, entity, change, authority=authority, row=row)


def apply_pulled(store: Store, changes: Sequence[Change], *, index: bool = True) -> int:
    """Merge a pulled page in order (in the caller's transaction). Creates of records this replica does not
    have yet, the bulk of an initial pull, are inserted with ``executemany``; the rest merge one by one.
    ``index=False`` leaves new records out of the search index (the caller rebuilds it once)."""
    fresh = _absent_creates(store, changes)
    run: list[Change] = []
    for change in changes:
        if change.op == "create" and (change.tbl, change.row_id) in fresh:
            fresh.discard((change.tbl, change.row_id))
            run.append(change)
            continue
        _insert_many(store, run, index=index)
        run = []
        apply_change(store, change, authority=False)
    _insert_many(store, run, index=index)
    return len(changes)


def _absent_creates(store: Store, changes: Sequence[Change]) -> set[tuple[str, str]]:
    wanted: dict[str, list[str]] = {}
    for change in changes:
        if change.op == "create" and change.tbl in ENTITIES:
            wanted.setdefault(change.tbl, []).append(change.row_id)
    absent: set[tuple[str, str]] = set()
    for table, ids in wanted.items():
        present: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            present.update(
                r[0] for r in store.conn.execute(f"SELECT id FROM {table} WHERE id IN ({marks})", chunk)
            )
        absent.update((table, i) for i in ids if i not in present)
    return absent


def _insert_many(store: Store, changes: Sequence[Change], *, index: bool = True) -> None:
    """Insert new records; consecutive runs of one table go in one ``executemany`` (the feed keeps parents
    before children, so foreign keys hold)."""
    start = 0
    while start < len(changes):
        table = changes[start].tbl
        end = start
        while end < len(changes) and changes[end].tbl == table:
            end += 1
        entity = ENTITIES[table]
        columns = [*(name for name, _ in column_kinds(entity)), *BOOKKEEPING]
        records = []
        for change in changes[start:end]:
            values = {**change.fields, "id": change.row_id}
            record = to_columns(entity, values)
            record += (
                change.at,
                change.at,
                change.author,
                change.author,
                change.device_id,
                change.hlc,
                change.hlc,
                0,
            )
            records.append(record)
            if index:
                store.note_search(table, values)
        store.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", records
        )
        if table == "erasures":  # every replica applies an erasure it receives
            from .erasure import apply_erasure

            for change in changes[start:end]:
                apply_erasure(store, store.row(table, change.row_id) or {})
        start = end


def _writable(entity: Entity) -> set[str]:
    return {name for name in entity.fields if name != "id"} | {"deleted"}


def _apply_entity(
    store: Store, entity: Entity, change: Change, *, authority: bool, row: Any = _UNREAD
) -> Applied:
    conn = store.conn
    table = entity.table
    fields = {k: v for k, v in change.fields.items() if k != "id"}
    if change.op in ("delete", "undelete"):
        fields = {"deleted": 1 if change.op == "delete" else 0}
    unknown = set(fields) - _writable(entity)
    if unknown:
        if authority:
            raise Refused("sync.refused.malformed", seq=change.seq)
        fields = {k: v for k, v in fields.items() if k not in unknown}  # a newer server's extra field
    if row is _UNREAD:
        row = store.row(table, change.row_id)
    if row is None:
        if change.op != "create":
            if authority:
                raise Refused("sync.refused.missing", table=table)
            return Applied()
        if authority:
            model = _validate(entity, {**fields, "id": change.row_id}, None, set(fields))
            fields = {k: v for k, v in model.storable().items() if k != "id"}
        _insert_many(
            store,
            [
                Change(
                    change.seq,
                    table,
                    change.row_id,
                    change.op,
                    fields,
                    None,
                    change.hlc,
                    change.device_id,
                    change.author,
                    change.at,
                )
            ],
        )
        return Applied(won=list(fields), fields=fields if authority else None)

    clocks = dict(
        conn.execute(
            "SELECT field, hlc FROM field_clocks WHERE tbl = ? AND row_id = ?", (table, change.row_id)
        ).fetchall()
    )
    created = row["created_hlc"]
    if change.op == "create" and change.hlc < created:
        created = _adopt_earlier_creation(store, entity, row, clocks, change.hlc)
    outcome = Applied()
    winners: dict[str, Any] = {}
    losers: dict[str, Any] = {}
    concurrent: list[tuple[str, str | None, str, Any]] = []
    for name, value in fields.items():
        local = clocks.get(name, created)
        if change.hlc == local:
            continue  # this very change was applied before
        column = (1 if value else 0) if name == "deleted" else to_column(entity, name, value)
        if authority and change.op == "update" and name in entity.free_text and column != row[name]:
            base = (change.base or {}).get(name)
            if base is not None and base != local:
                concurrent.append((name, base, local, column))
        if change.hlc > local:
            winners[name] = column
        else:
            losers[name] = column
    if authority and winners:
        merged = {**row, **winners}
        _validate(entity, row_to_fields(entity, merged), row, set(winners))

    if winners:
        newest = change.hlc > row["hlc"]
        sets = [f"{name} = ?" for name in winners]
        params = list(winners.values())
        if newest:
            sets += ["updated_at = ?", "updated_by = ?", "device_id = ?", "hlc = ?"]
            params += [change.at, change.author, change.device_id, change.hlc]
        conn.execute(f"UPDATE {table} SET {', '.join(sets)} WHERE id = ?", [*params, change.row_id])
        conn.executemany(
            "INSERT INTO field_clocks (tbl, row_id, field, hlc) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc",
            [(table, change.row_id, name, change.hlc) for name in winners],
        )
        if not authority:
            store.note_search(table, {**row, **winners})
        outcome.won = list(winners)
    # The audit trail keeps both sides: values replaced by the merge ('sync') and incoming values that lost
    # to a later edit already here ('superseded').
    audit = [
        (
            table,
            change.row_id,
            name,
            _text(row[name]),
            _text(value),
            change.at,
            change.author,
            change.device_id,
            change.hlc,
            "sync",
        )
        for name, value in winners.items()
        if value != row[name]
    ]
    audit += [
        (
            table,
            change.row_id,
            name,
            _text(row[name]),
            _text(value),
            change.at,
            change.author,
            change.device_id,
            change.hlc,
            "superseded",
        )
        for name, value in losers.items()
        if value != row[name]
    ]
    if audit:
        conn.executemany(
            "INSERT INTO history (tbl, row_id, field, old_value, new_value, at, author, device_id, "
            "hlc, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            audit,
        )
    outcome.superseded = list(losers)
    if concurrent:
        from .conflicts import raise_conflict

        for name, base, local, column in concurrent:
            raise_conflict(store, change, name, base=base, held=(row[name], local), incoming=column)
            outcome.conflicts.append(name)
    return outcome


def _adopt_earlier_creation(
    store: Store, entity: Entity, row: dict[str, Any], clocks: dict[str, str], stamp: str
) -> str:
    """The same record created on two replicas (records whose ids are derived from what they are about,
    such as a walk-in's attendance): every replica keeps the earlier creation's stamp, whatever order the
    two arrive in, and each field keeps the clock it had (written out where it was the creation's)."""
    table, row_id, old = entity.table, row["id"], row["created_hlc"]
    kept = [(table, row_id, name, old) for name in entity.fields if name != "id" and name not in clocks]
    store.conn.executemany("INSERT INTO field_clocks (tbl, row_id, field, hlc) VALUES (?, ?, ?, ?)", kept)
    clocks.update({name: old for _, _, name, _ in kept})
    store.conn.execute(f"UPDATE {table} SET created_hlc = ? WHERE id = ?", (stamp, row_id))
    return stamp


def _validate(entity: Entity, fields: dict[str, Any], old: dict[str, Any] | None, incoming: set[str]) -> Any:
    """The domain rules the laptop's repositories applied, checked again on the merged record."""
    try:
        # Stored form (a phone's normalised value is kept); the fields the laptop sent are checked for
        # control characters, the others were checked when they arrived.
        model = entity.model.model_validate(fields, context={"stored": True, "check": incoming})
    except Exception as exc:  # pydantic ValidationError
        from pydantic import ValidationError

        if isinstance(exc, ValidationError):
            raise Refused(
                "sync.refused.invalid",
                table=entity.table,
                problems=_problems(ValidationFailed.from_pydantic(exc)),
            ) from None
        raise
    if entity.table == "cases" and old is not None and old["status"] != fields["status"]:
        try:
            # The reason and resolution on the merged record explain the move.
            workflow.check_transition(
                old["status"],
                fields["status"],
                reason=fields.get("status_reason"),
                resolution=getattr(model, "resolution", None),
            )
        except ValidationFailed as exc:
            if any(p.key == "err.case.transition" for p in exc.problems):
                raise Refused("sync.refused.transition", old=old["status"], new=fields["status"]) from None
            raise Refused("sync.refused.invalid", table=entity.table, problems=_problems(exc)) from None
    return model


def _problems(exc: ValidationFailed) -> list[list[Any]]:
    def plain(value: Any) -> Any:
        return value if isinstance(value, str | int | float | bool | list | type(None)) else str(value)

    return [[p.field, p.key, {k: plain(v) for k, v in p.params.items()}] for p in exc.problems]


def refusal_message(reason: str, params: dict[str, Any], lang: str | None = None) -> str:
    """A refusal in the user's language (the server sends keys, never text)."""
    params = dict(params)
    if reason == "sync.refused.role":
        from ..domain.permissions import denied_message

        detail = denied_message(
            str(params.get("role")), str(params.get("table")), str(params.get("op")), lang
        )
        return t(reason, lang, detail=detail)
    problems = params.pop("problems", None)
    if problems:
        params["detail"] = "; ".join(FieldProblem(f, k, dict(p)).message(lang) for f, k, p in problems)
    table = params.get("table")
    if isinstance(table, str):
        params["table"] = t(f"table.{table}", lang)
    for key in ("old", "new"):
        if key in params:
            params[key] = t(f"enum.CaseStatus.{params[key]}", lang)
    return t(reason, lang, **params)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else dumps(value)


# --------------------------------------------------------------------------------------------- conflicts
def _apply_conflict_change(store: Store, change: Change, *, authority: bool) -> Applied:
    conn = store.conn
    if change.op == "create":
        if authority:  # only the service raises conflicts
            raise Refused("sync.refused.malformed", seq=change.seq)
        names = ["id", *change.fields]
        conn.execute(
            f"INSERT OR IGNORE INTO {CONFLICTS_TABLE} ({', '.join(names)}) VALUES "
            f"({', '.join('?' * len(names))})",
            [change.row_id, *change.fields.values()],
        )
        return Applied(won=list(change.fields))
    fields = change.fields
    if change.op != "update" or not set(fields) <= set(CONFLICT_STATUS_FIELDS):
        raise Refused("sync.refused.malformed", seq=change.seq)
    if authority and (
        fields.get("status", "resolved") not in ("open", "resolved")
        or fields.get("choice") not in (None, "a", "b", "merged")
    ):
        raise Refused("sync.refused.malformed", seq=change.seq)
    found = conn.execute(
        f"SELECT coalesce(resolved_hlc, created_hlc) FROM {CONFLICTS_TABLE} WHERE id = ?", (change.row_id,)
    ).fetchone()
    if found is None:
        if authority:
            raise Refused("sync.refused.missing", table=CONFLICTS_TABLE)
        return Applied()
    if change.hlc <= found[0]:
        return Applied(superseded=list(fields))
    sets = ", ".join(f"{name} = ?" for name in fields)
    conn.execute(
        f"UPDATE {CONFLICTS_TABLE} SET {sets}, resolved_hlc = ? WHERE id = ?",
        [*fields.values(), change.hlc, change.row_id],
    )
    return Applied(won=list(fields))
