"""The central service's side of sync, without HTTP: device tokens, processing a push, pages for a pull.

The service keeps an ordinary :class:`Store`; its ``change_log`` is the feed every laptop pulls. A pushed
change that the merge accepts is appended there, so ``change_log.seq`` is the server sequence, allocated
inside the push transaction: SQLite has one writer, so the sequence follows commit order and a cursor on
it never skips a change that committed late.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson

from ..domain.errors import LiaisonError
from ..domain.hlc import MAX_COUNTER, MAX_DRIFT_MS, Stamp
from ..domain.i18n import register
from ..domain.sync_protocol import MAX_PULL_PAGE, PushResult, Refusal
from ..domain.times import iso, parse_iso, utcnow
from . import engine
from .replica import Change, Refused, apply_change, parse_change
from .rows import dumps
from .store import Store

register(
    {
        "hub.err.no_staff": (
            "No staff member named {name}; add them first (serve admin add-staff).",
            "没有名为 {name} 的工作人员；请先添加（serve admin add-staff）。",
        ),
        "hub.err.staff_exists": (
            "A staff member named {name} already exists.",
            "已存在名为 {name} 的工作人员。",
        ),
        "hub.err.no_token": (
            "No device token or staff member matches {name}.",
            "没有与 {name} 匹配的设备令牌或工作人员。",
        ),
    }
)


class NumbersReused(Exception):
    """A laptop sent new changes under numbers the server processed before (its store went back in time)."""

    def __init__(self, last_seq: int) -> None:
        super().__init__(last_seq)
        self.last_seq = last_seq


class AuthError(Exception):
    """``code``: token_missing, token_invalid, token_revoked, token_expired, token_other_device."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class TokenInfo:
    id: str
    staff_id: str
    client_device: str


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is enough to make the stored copy useless.
    return hashlib.sha256(token.encode()).hexdigest()


class Hub:
    def __init__(self, store: Store, *, max_drift_ms: int = MAX_DRIFT_MS) -> None:
        self.store = store
        self.max_drift_ms = max_drift_ms

    # ------------------------------------------------------------------------------------- accounts
    def add_staff(self, username: str, display_name: str | None = None) -> str:
        name = username.strip().lower()
        if self._staff_id(name):
            raise LiaisonError("hub.err.staff_exists", name=name)
        staff = self.store.staff.create({"username": name, "display_name": display_name or username})
        return staff.id

    def _staff_id(self, username: str) -> str | None:
        row = self.store.conn.execute(
            "SELECT id FROM staff WHERE username = ? AND deleted = 0", (username.strip().lower(),)
        ).fetchone()
        return row[0] if row else None

    def issue_token(self, username: str, days: int | None = None) -> tuple[str, str]:
        """A new token for a staff member's laptop: ``(token id, token)``. The token is shown once."""
        staff_id = self._staff_id(username)
        if staff_id is None:
            raise LiaisonError("hub.err.no_staff", name=username)
        token = "lsn_" + secrets.token_urlsafe(32)
        token_id = secrets.token_hex(4)
        now = utcnow()
        expires = iso(now + timedelta(days=days)) if days else None
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO sync_tokens (id, staff_id, token_hash, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (token_id, staff_id, hash_token(token), iso(now), expires),
            )
        return token_id, token

    def revoke(self, name_or_id: str) -> int:
        """Revoke one token (by id) or every token of a staff member; effective on the next request."""
        now = iso(utcnow())
        with self.store.transaction() as conn:
            count = conn.execute(
                "UPDATE sync_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (now, name_or_id)
            ).rowcount
            staff_id = self._staff_id(name_or_id)
            if staff_id:
                count += conn.execute(
                    "UPDATE sync_tokens SET revoked_at = ? WHERE staff_id = ? AND revoked_at IS NULL",
                    (now, staff_id),
                ).rowcount
        if not count and not staff_id and not self._token_exists(name_or_id):
            raise LiaisonError("hub.err.no_token", name=name_or_id)
        return count

    def _token_exists(self, token_id: str) -> bool:
        return (
            self.store.conn.execute("SELECT 1 FROM sync_tokens WHERE id = ?", (token_id,)).fetchone()
            is not None
        )

    def tokens(self) -> list[dict[str, Any]]:
        cursor = self.store.conn.execute(
            "SELECT t.id, s.username, t.client_device, t.created_at, t.expires_at, t.revoked_at, t.last_seen_at "
            "FROM sync_tokens t JOIN staff s ON s.id = t.staff_id ORDER BY t.created_at"
        )
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    def authenticate(self, token: str | None, client_device: str | None) -> TokenInfo:
        """The token's device binding; the first laptop to use a token owns it."""
        if not token or not client_device:
            raise AuthError("token_missing")
        with self.store.lock:
            row = self.store.conn.execute(
                "SELECT id, staff_id, client_device, expires_at, revoked_at FROM sync_tokens WHERE token_hash = ?",
                (hash_token(token),),
            ).fetchone()
            if row is None:
                raise AuthError("token_invalid")
            token_id, staff_id, bound, expires, revoked = row
            if revoked:
                raise AuthError("token_revoked")
            if expires and parse_iso(expires) <= utcnow():
                raise AuthError("token_expired")
            if bound and bound != client_device:
                raise AuthError("token_other_device")
            if not bound:
                with self.store.transaction() as conn:
                    conn.execute(
                        "UPDATE sync_tokens SET client_device = ? WHERE id = ?", (client_device, token_id)
                    )
            return TokenInfo(token_id, staff_id, client_device)

    def touch(self, token_id: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("UPDATE sync_tokens SET last_seen_at = ? WHERE id = ?", (iso(utcnow()), token_id))

    # ------------------------------------------------------------------------------------- push
    def push(self, client_device: str, raw_changes: list[Any]) -> PushResult:
        """Apply a batch of one laptop's changes. Each change is applied, or refused on its own, in a
        savepoint; the laptop's last processed change number is stored in the same transaction, so a
        retried batch skips what was applied and reports the same refusals and clamps again."""
        store = self.store
        seqs = [_seq(raw) for raw in raw_changes]
        numbered = sorted((s, raw) for s, raw in zip(seqs, raw_changes, strict=True) if s is not None)
        conflicts = 0
        with store.transaction() as conn:
            row = conn.execute(
                "SELECT last_seq FROM sync_peers WHERE client_device = ?", (client_device,)
            ).fetchone()
            last = start = row[0] if row else 0
            now_ms = store.wall_ms()
            for seq, raw in numbered:
                if seq <= last:
                    if not self._seen(client_device, seq, raw):
                        # Not a retry: the laptop numbers changes again from an older state (restored from a
                        # backup). Skipping would lose them; refuse the batch so the laptop renumbers.
                        raise NumbersReused(last)
                    continue  # applied before: this is a retry of a batch whose answer was lost
                conn.execute("SAVEPOINT change")
                try:
                    change = self._admit(parse_change(raw, client_device), now_ms)
                    outcome = apply_change(store, change, authority=True)
                    conflicts += len(outcome.conflicts)
                    conn.execute(
                        "INSERT INTO change_log (tbl, row_id, op, fields, base, hlc, device_id, author, at, pushed) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                        (
                            change.tbl,
                            change.row_id,
                            change.op,
                            dumps(change.fields),
                            dumps(change.base) if change.base else None,
                            change.hlc,
                            client_device,
                            change.author,
                            change.at,
                        ),
                    )
                    store.clock.observe(change.hlc)
                except Refused as exc:
                    conn.execute("ROLLBACK TO change")
                    self._refuse(client_device, seq, raw, exc.reason, exc.params)
                except engine.IntegrityError:  # points to a record the server does not have
                    conn.execute("ROLLBACK TO change")
                    self._refuse(
                        client_device,
                        seq,
                        raw,
                        "sync.refused.reference",
                        {"table": raw.get("tbl") if isinstance(raw, dict) else None},
                    )
                except Exception as exc:  # a change that always fails must not block the queue behind it
                    conn.execute("ROLLBACK TO change")
                    self._refuse(
                        client_device,
                        seq,
                        raw,
                        "sync.refused.internal",
                        {"seq": seq, "error": type(exc).__name__},
                    )
                conn.execute("RELEASE change")
                last = seq
            conn.execute(
                "INSERT INTO sync_peers (client_device, last_seq, last_push_at) VALUES (?, ?, ?) "
                "ON CONFLICT(client_device) DO UPDATE SET last_seq = excluded.last_seq, "
                "last_push_at = excluded.last_push_at",
                (client_device, last, iso(utcnow())),
            )
            result = self._result(client_device, numbered, last, now_ms)
        result.conflicts = conflicts
        result.replayed = bool(numbered) and numbered[-1][0] <= start
        return result

    def _seen(self, client_device: str, seq: int, raw: Any) -> bool:
        """Whether change ``seq`` of this laptop is the one already processed under that number: the same
        record with the same stamp was applied, or the refusal recorded for that number is for it."""
        if not isinstance(raw, dict):
            return True
        tbl, row_id, hlc = str(raw.get("tbl", "")), str(raw.get("row_id", "")), raw.get("hlc")
        conn = self.store.conn
        refusal = conn.execute(
            "SELECT tbl, row_id FROM sync_refusals WHERE client_device = ? AND seq = ?", (client_device, seq)
        ).fetchone()
        if refusal is not None:
            return (refusal[0], refusal[1]) == (tbl, row_id)
        if not isinstance(hlc, str) or not _is_stamp(hlc):
            return True
        stored = self._clamped(hlc)
        return (
            conn.execute(
                "SELECT 1 FROM change_log WHERE tbl = ? AND row_id = ? AND hlc = ? AND device_id = ? LIMIT 1",
                (tbl, row_id, stored, client_device),
            ).fetchone()
            is not None
        )

    def _admit(self, change: Change, now_ms: int) -> Change:
        """Pull a stamp from a clock running ahead back to now + drift (keeping one laptop's stamps in
        order), and map a base that names such a stamp to the stored one."""
        limit = now_ms + self.max_drift_ms
        hlc = change.hlc
        if Stamp.decode(hlc).wall_ms > limit:
            hlc = self._clamp(change.hlc, change.device_id, limit)
        base = change.base
        if base and any(Stamp.decode(v).wall_ms > limit for v in base.values() if _is_stamp(v)):
            base = {k: self._clamped(v) for k, v in base.items()}
        if hlc == change.hlc and base is change.base:
            return change
        return Change(
            change.seq,
            change.tbl,
            change.row_id,
            change.op,
            change.fields,
            base,
            hlc,
            change.device_id,
            change.author,
            change.at,
        )

    def _clamp(self, original: str, device: str, limit: int) -> str:
        conn = self.store.conn
        known = conn.execute("SELECT clamped FROM sync_clamps WHERE original = ?", (original,)).fetchone()
        if known:
            return known[0]
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
        return row[0] if row else stamp

    def _refuse(self, client_device: str, seq: int, raw: Any, reason: str, params: dict[str, Any]) -> None:
        tbl = str(raw.get("tbl", "")) if isinstance(raw, dict) else ""
        row_id = str(raw.get("row_id", "")) if isinstance(raw, dict) else ""
        self.store.conn.execute(
            "INSERT OR REPLACE INTO sync_refusals (client_device, seq, tbl, row_id, reason, params, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (client_device, seq, tbl, row_id, reason, dumps(params), iso(utcnow())),
        )

    def _result(
        self, client_device: str, numbered: list[tuple[int, Any]], last: int, now_ms: int
    ) -> PushResult:
        conn = self.store.conn
        refused: list[Refusal] = []
        clamped: dict[str, str] = {}
        if numbered:
            first, top = numbered[0][0], numbered[-1][0]
            by_seq = dict(numbered)
            for seq, tbl, row_id, reason, params in conn.execute(
                "SELECT seq, tbl, row_id, reason, params FROM sync_refusals WHERE client_device = ? AND "
                "seq BETWEEN ? AND ? ORDER BY seq",
                (client_device, first, top),
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
            for seq, raw in numbered:
                hlc = raw.get("hlc") if isinstance(raw, dict) else None
                if seq in refused_seqs or not isinstance(hlc, str) or not _is_stamp(hlc):
                    continue
                mapped = self._clamped(hlc)
                if mapped != hlc:
                    clamped[str(seq)] = mapped
        return PushResult(acked_through=last, refused=refused, clamped=clamped, server_time_ms=now_ms)

    def _state(self, tbl: str, row_id: str, raw: Any) -> tuple[bool, dict[str, list[Any]]]:
        """The server's current value and clock of each field a refused change touched, so the laptop can
        put its copy back."""
        from ..domain.entities import ENTITIES

        entity = ENTITIES.get(tbl)
        if entity is None:
            return False, {}
        row = self.store.row(tbl, row_id)
        if row is None:
            return False, {}
        fields = raw.get("fields") if isinstance(raw, dict) else None
        names = [n for n in (fields or {}) if n in row and n != "id"]
        if isinstance(raw, dict) and raw.get("op") in ("delete", "undelete"):
            names = ["deleted"]
        clocks = dict(
            self.store.conn.execute(
                "SELECT field, hlc FROM field_clocks WHERE tbl = ? AND row_id = ?", (tbl, row_id)
            ).fetchall()
        )
        return True, {n: [row[n], clocks.get(n, row["created_hlc"])] for n in names}

    # ------------------------------------------------------------------------------------- pull
    def pull(self, client_device: str, after: int, limit: int) -> bytes:
        """One page of the feed after ``after``, without the laptop's own changes, as JSON bytes (the
        stored JSON of each change is spliced in, not decoded and re-encoded)."""
        limit = max(1, min(limit, MAX_PULL_PAGE))
        store = self.store
        with store.lock:
            rows = store.conn.execute(
                "SELECT seq, tbl, row_id, op, fields, base, hlc, device_id, author, at FROM change_log "
                "WHERE seq > ? AND device_id != ? ORDER BY seq LIMIT ?",
                (after, client_device, limit),
            ).fetchall()
            more = len(rows) == limit
            if more:
                nxt = rows[-1][0]
            else:
                top = store.conn.execute("SELECT max(seq) FROM change_log").fetchone()[0]
                nxt = max(after, top or 0)
            now_ms = store.wall_ms()
        frag = orjson.Fragment
        changes = [
            [s, t, r, o, frag(f), frag(b) if b else None, h, d, a, at]
            for s, t, r, o, f, b, h, d, a, at in rows
        ]
        return orjson.dumps({"changes": changes, "next": nxt, "more": more, "server_time_ms": now_ms})


def _seq(raw: Any) -> int | None:
    try:
        return int(raw["seq"])
    except (KeyError, TypeError, ValueError):
        return None


def _is_stamp(value: Any) -> bool:
    try:
        Stamp.decode(value)
        return True
    except (ValueError, AttributeError):
        return False
