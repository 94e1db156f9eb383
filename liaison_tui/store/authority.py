"""The central service's side of a push: each change checked, authorised, stamped with the server's facts
and merged, or refused on its own.

What the server trusts is the token (:class:`~.accounts.Identity`): the author of every accepted change is
the token's staff member, its device the token's device, its time the moment the server received it;
whatever the laptop claims is ignored. Each change is parsed strictly (known table, well-formed id, one
canonical clock stamp made by this device), authorised against the role's grants
(``domain/permissions.py``), validated by the domain models on the merged record, and applied in a
SAVEPOINT: a change that fails any of this is refused alone and marked processed, so it never blocks the
queue behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import orjson

from ..domain.entities import ENTITIES
from ..domain.hlc import MAX_COUNTER, MAX_DRIFT_MS, Stamp, is_stamp
from ..domain.permissions import APPEND_ONLY, OWNER_FIELD, PERSONAL, SERVER_OWNED, grant
from ..domain.sync_protocol import (
    CONFLICTS_TABLE,
    MAX_SEQ,
    OPS,
    ROW_ID,
    TABLE_NAME,
    PushChange,
    PushResult,
    Refusal,
)
from ..domain.times import iso, utcnow
from ..domain.workflow import OPEN_STATUSES
from . import engine
from .accounts import Identity
from .replica import Change, Refused, apply_change
from .rows import dumps
from .store import Store

_OPEN = frozenset(s.value for s in OPEN_STATUSES)
_MERGEABLE = frozenset({"contacts", "organizations"})


class NumbersReused(Exception):
    """A laptop sent new changes under numbers the server processed before (its store went back in time)."""

    def __init__(self, last_seq: int) -> None:
        super().__init__(last_seq)
        self.last_seq = last_seq


class ServerBehind(Exception):
    """The laptop holds changes as acknowledged that this server has no record of: the server was restored
    from an older backup. The laptop sends them again."""

    def __init__(self, last_seq: int) -> None:
        super().__init__(last_seq)
        self.last_seq = last_seq


@dataclass
class _Batch:
    who: Identity
    now_ms: int
    at: str
    erased: frozenset[str]  # people erased so far: their records take no more changes
    conflicts: int = 0


def parse_change(raw: PushChange, who: Identity, at: str) -> Change:
    """A pushed change with the server's facts: strict shape, this device's clock, the token's author."""
    if raw.op not in OPS or not TABLE_NAME.fullmatch(raw.tbl) or not ROW_ID.fullmatch(raw.row_id):
        raise Refused("sync.refused.malformed", seq=raw.seq)
    if raw.tbl not in ENTITIES and raw.tbl != CONFLICTS_TABLE:
        raise Refused("sync.refused.malformed", seq=raw.seq)
    try:
        stamp = Stamp.decode(raw.hlc)
    except ValueError:
        raise Refused("sync.refused.malformed", seq=raw.seq) from None
    if stamp.device != who.device:
        raise Refused("sync.refused.malformed", seq=raw.seq)
    if any(not isinstance(k, str) or len(k) > 64 for k in raw.fields):
        raise Refused("sync.refused.malformed", seq=raw.seq)
    base = raw.base or None
    if base is not None and not all(isinstance(k, str) and is_stamp(v) for k, v in base.items()):
        raise Refused("sync.refused.malformed", seq=raw.seq)
    return Change(
        raw.seq, raw.tbl, raw.row_id, raw.op, raw.fields, base, raw.hlc, who.device, who.username, at
    )


class Authority:
    def __init__(self, store: Store, *, max_drift_ms: int = MAX_DRIFT_MS) -> None:
        self.store = store
        self.max_drift_ms = max_drift_ms

    # ------------------------------------------------------------------------------------- push
    def push(self, who: Identity, changes: list[PushChange], pushed_through: int = 0) -> PushResult:
        """Apply a batch of one laptop's changes. The laptop's last processed change number is stored in the
        same transaction as their effects, so a retried batch skips what was applied and reports the same
        refusals and clamps again."""
        store = self.store
        numbered = sorted(changes, key=lambda c: c.seq)
        with store.transaction() as conn:
            row = conn.execute(
                "SELECT last_seq FROM sync_peers WHERE client_device = ?", (who.device,)
            ).fetchone()
            last = start = row[0] if row else 0
            if pushed_through > last:
                raise ServerBehind(last)
            erased = frozenset(
                r[0] for r in conn.execute("SELECT contact_id FROM erasures WHERE deleted = 0")
            )
            batch = _Batch(who, store.wall_ms(), iso(utcnow()), erased)
            seen_in_batch: set[int] = set()
            for raw in numbered:
                seq = raw.seq
                if seq in seen_in_batch:
                    continue  # one number, one change: a repeat inside a batch is ignored
                seen_in_batch.add(seq)
                if seq <= last:
                    if not self._seen(who.device, raw):
                        # Not a retry: the laptop numbers changes again from an older state (restored from a
                        # backup). Skipping would lose them; refuse the batch so the laptop renumbers.
                        raise NumbersReused(last)
                    continue  # applied before: this is a retry of a batch whose answer was lost
                self._one(batch, raw)
                last = seq
            conn.execute(
                "INSERT INTO sync_peers (client_device, last_seq, last_push_at) VALUES (?, ?, ?) "
                "ON CONFLICT(client_device) DO UPDATE SET last_seq = excluded.last_seq, "
                "last_push_at = excluded.last_push_at",
                (who.device, last, batch.at),
            )
            result = self._result(who, numbered, last, batch.now_ms)
        result.conflicts = batch.conflicts
        result.replayed = bool(numbered) and numbered[-1].seq <= start
        return result

    def _one(self, batch: _Batch, raw: PushChange) -> None:
        conn = self.store.conn
        conn.execute("SAVEPOINT change")
        try:
            change = self._admit(parse_change(raw, batch.who, batch.at), batch.now_ms)
            old = self.store.row(change.tbl, change.row_id) if change.tbl in ENTITIES else None
            self.authorize(batch.who, change, old, batch.erased)
            outcome = apply_change(self.store, change, authority=True, row=old)
            if change.tbl == "erasures" and change.op == "create":
                batch.erased |= {str(change.fields.get("contact_id"))}
            if outcome.fields is not None:
                change = replace(change, fields=outcome.fields)
            batch.conflicts += len(outcome.conflicts)
            conn.execute(
                "INSERT INTO change_log (tbl, row_id, op, fields, base, hlc, device_id, author, at, pushed, "
                "origin_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
                (
                    change.tbl,
                    change.row_id,
                    change.op,
                    dumps(change.fields),
                    dumps(change.base) if change.base else None,
                    change.hlc,
                    change.device_id,
                    change.author,
                    change.at,
                    raw.seq,
                ),
            )
            self.store.clock.observe(change.hlc)
            self.after_accept(batch.who, change)
        except Refused as exc:
            conn.execute("ROLLBACK TO change")
            self._refuse(batch.who.device, raw, exc.reason, exc.params)
        except engine.IntegrityError:  # points to a record the server does not have
            conn.execute("ROLLBACK TO change")
            self._refuse(batch.who.device, raw, "sync.refused.reference", {"table": _safe(raw.tbl)})
        except Exception as exc:  # a change that always fails must not block the queue behind it
            conn.execute("ROLLBACK TO change")
            self._refuse(
                batch.who.device, raw, "sync.refused.internal", {"seq": raw.seq, "error": type(exc).__name__}
            )
        conn.execute("RELEASE change")

    def after_accept(self, who: Identity, change: Change) -> None:
        """Hook for what else an accepted change implies (trip-kit membership of records made on a trip)."""

    # ------------------------------------------------------------------------------------- roles
    def authorize(
        self, who: Identity, change: Change, old: dict[str, Any] | None, erased: frozenset[str] = frozenset()
    ) -> None:
        """Refuse a change the token's role may not make (docs/SECURITY.md), or one to an erased person's
        records (``erased``: the people erased, read once per push)."""
        table = change.tbl
        if table in SERVER_OWNED:
            raise Refused("sync.refused.server_owned", table=table)
        if table in APPEND_ONLY and change.op != "create":
            raise Refused("sync.refused.append_only", table=table)
        if erased and table in ENTITIES and table != "erasures":
            from .erasure import owner_erased

            if owner_erased(self.store, table, {**(old or {}), **change.fields, "id": change.row_id}):
                raise Refused("sync.refused.erased")
        for op in self._ops(who, table, change, old):
            level = grant(who.role, table, op)
            if level == "all" or (level == "own" and self._works(who, table, change, old)):
                continue
            raise Refused("sync.refused.role", role=who.role, op=op, table=table)

    @staticmethod
    def _ops(who: Identity, table: str, change: Change, old: dict[str, Any] | None) -> list[str]:
        fields = change.fields
        if change.op in ("delete", "undelete"):
            return ["delete"]
        if table not in ENTITIES:  # conflict records: only their status changes here
            return [change.op]
        if change.op == "create" or old is None:
            ops = ["create"]
            owner = OWNER_FIELD.get(table)
            if owner and table != "activities" and fields.get(owner) not in (None, who.staff_id):
                ops.append("reassign")
            return ops
        ops = ["update"]
        if table in _MERGEABLE and fields.get("merged_into"):
            ops.append("merge")
        owner = OWNER_FIELD.get(table)
        if (
            owner is not None
            and table != "activities"
            and owner in fields
            and fields[owner] != old.get(owner)
            and fields[owner] != who.staff_id
        ):
            ops.append("reassign")
        if (
            table == "cases"
            and "status" in fields
            and old.get("status") not in _OPEN
            and fields["status"] in _OPEN
        ):
            ops.append("reopen")
        return ops

    def _works(self, who: Identity, table: str, change: Change, old: dict[str, Any] | None) -> bool:
        """Whether the staff member works this record: it is theirs, their team's or nobody's (a contact
        point, affiliation, attendance or consent: its contact's)."""
        record = {**(old or {}), **change.fields}
        owner = OWNER_FIELD.get(table)
        if owner:
            value = (old or change.fields).get(owner)
            if table in PERSONAL:
                return value is not None and value == who.staff_id
            return value is None or value in who.team_ids
        if table in OWNER_FIELD:  # follows its contact; moving it checks both contacts
            contacts = {c for c in (record.get("contact_id"), (old or {}).get("contact_id")) if c is not None}
            return all(self._contact_works(who, c) for c in contacts)
        return False

    def _contact_works(self, who: Identity, contact_id: str) -> bool:
        row = self.store.conn.execute("SELECT owner_id FROM contacts WHERE id = ?", (contact_id,)).fetchone()
        return row is None or row[0] is None or row[0] in who.team_ids

    # ------------------------------------------------------------------------------------- clocks
    def _admit(self, change: Change, now_ms: int) -> Change:
        """Pull a stamp from a clock running ahead back to now + drift (keeping one laptop's stamps in
        order), and map a base that names such a stamp to the stored one."""
        limit = now_ms + self.max_drift_ms
        hlc = change.hlc
        if Stamp.decode(hlc).wall_ms > limit:
            hlc = self._clamp(change.hlc, change.device_id, limit)
        base = change.base
        if base and any(Stamp.decode(v).wall_ms > limit for v in base.values()):
            base = {k: self._clamped(v) for k, v in base.items()}
        if hlc == change.hlc and base is change.base:
            return change
        return replace(change, hlc=hlc, base=base)

    def _clamp(self, original: str, device: str, limit: int) -> str:
        conn = self.store.conn
        known = conn.execute("SELECT clamped FROM sync_clamps WHERE original = ?", (original,)).fetchone()
        if known:
            return str(known[0])
        stamp = Stamp(limit, 0, device)
        prev = conn.execute("SELECT max(clamped) FROM sync_clamps WHERE device = ?", (device,)).fetchone()[0]
        if prev and prev >= stamp.encode():
            p = Stamp.decode(prev)
            stamp = (
                Stamp(p.wall_ms, p.counter + 1, device)
                if p.counter < MAX_COUNTER
                else Stamp(p.wall_ms + 1, 0, device)
            )
        clamped = stamp.encode()
        conn.execute(
            "INSERT INTO sync_clamps (original, clamped, device) VALUES (?, ?, ?)",
            (original, clamped, device),
        )
        return clamped

    def _clamped(self, stamp: str) -> str:
        row = self.store.conn.execute(
            "SELECT clamped FROM sync_clamps WHERE original = ?", (stamp,)
        ).fetchone()
        return str(row[0]) if row else stamp

    # ------------------------------------------------------------------------------------- answers
    def _seen(self, device: str, raw: PushChange) -> bool:
        """Whether change ``seq`` of this laptop is the one already processed under that number: the same
        record with the same stamp was applied, or the refusal recorded for that number is for it."""
        conn = self.store.conn
        refusal = conn.execute(
            "SELECT tbl, row_id FROM sync_refusals WHERE client_device = ? AND seq = ?", (device, raw.seq)
        ).fetchone()
        if refusal is not None:
            return (refusal[0], refusal[1]) == (_safe(raw.tbl), _safe(raw.row_id))
        if not is_stamp(raw.hlc):
            return True
        stored = self._clamped(raw.hlc)
        return (
            conn.execute(
                "SELECT 1 FROM change_log WHERE device_id = ? AND origin_seq = ? AND hlc = ? LIMIT 1",
                (device, raw.seq, stored),
            ).fetchone()
            is not None
            or conn.execute(
                "SELECT 1 FROM change_log WHERE tbl = ? AND row_id = ? AND hlc = ? AND device_id = ? LIMIT 1",
                (raw.tbl, raw.row_id, stored, device),
            ).fetchone()
            is not None
        )

    def _refuse(self, device: str, raw: PushChange, reason: str, params: dict[str, Any]) -> None:
        self.store.conn.execute(
            "INSERT OR REPLACE INTO sync_refusals (client_device, seq, tbl, row_id, reason, params, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (device, raw.seq, _safe(raw.tbl), _safe(raw.row_id), reason, dumps(params), iso(utcnow())),
        )

    def _result(self, who: Identity, numbered: list[PushChange], last: int, now_ms: int) -> PushResult:
        conn = self.store.conn
        refused: list[Refusal] = []
        clamped: dict[str, str] = {}
        if numbered:
            first, top = numbered[0].seq, numbered[-1].seq
            by_seq = {c.seq: c for c in numbered}
            for seq, tbl, row_id, reason, params in conn.execute(
                "SELECT seq, tbl, row_id, reason, params FROM sync_refusals WHERE client_device = ? AND "
                "seq BETWEEN ? AND ? ORDER BY seq",
                (who.device, first, top),
            ).fetchall():
                exists, state = self._state(tbl, row_id, by_seq.get(seq))
                refused.append(
                    Refusal(
                        seq=seq,
                        tbl=tbl,
                        row_id=row_id,
                        reason=reason,
                        params=orjson.loads(params),
                        exists=exists,
                        state=state,
                    )
                )
            refused_seqs = {r.seq for r in refused}
            for raw in numbered:
                if raw.seq in refused_seqs or not is_stamp(raw.hlc):
                    continue
                mapped = self._clamped(raw.hlc)
                if mapped != raw.hlc:
                    clamped[str(raw.seq)] = mapped
        return PushResult(
            acked_through=last, refused=refused, clamped=clamped, server_time_ms=now_ms, author=who.username
        )

    def _state(self, tbl: str, row_id: str, raw: PushChange | None) -> tuple[bool, dict[str, list[Any]]]:
        """The server's current value and clock of each field a refused change touched, so the laptop can
        put its copy back."""
        entity = ENTITIES.get(tbl)
        if entity is None or not row_id:
            return False, {}
        row = self.store.row(tbl, row_id)
        if row is None:
            return False, {}
        fields = raw.fields if raw is not None else {}
        names = [n for n in fields if n in row and n != "id"]
        if raw is not None and raw.op in ("delete", "undelete"):
            names = ["deleted"]
        clocks = dict(
            self.store.conn.execute(
                "SELECT field, hlc FROM field_clocks WHERE tbl = ? AND row_id = ?", (tbl, row_id)
            ).fetchall()
        )
        return True, {n: [row[n], clocks.get(n, row["created_hlc"])] for n in names}


def _safe(text: str) -> str:
    """A table name or id from a laptop as the server may store and echo it: well-formed, or empty."""
    return text if isinstance(text, str) and ROW_ID.fullmatch(text) else ""


__all__ = ["MAX_SEQ", "Authority", "NumbersReused", "ServerBehind", "parse_change"]
