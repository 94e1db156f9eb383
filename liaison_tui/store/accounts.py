"""The central service's accounts: staff members with their roles and teams, and device tokens.

Both are the server's own: staff rows change only here (through the ordinary write path, so laptops pull
them like any record, but a push to ``staff`` is always refused), and tokens never leave the server. A
token is bound to exactly one laptop's device id, at issue time (``--device``) or at first use, and never to
a device id another token already holds; who a request comes from is what its token says, nothing else.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..domain.enums import StaffRole
from ..domain.errors import LiaisonError
from ..domain.hlc import DEVICE_ID
from ..domain.i18n import register
from ..domain.times import iso, parse_iso, utcnow
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
        "hub.err.days": (
            "--days must be a whole number from 1 to {max} (or leave it out for a token that does not expire).",
            "--days 必须是 1 到 {max} 之间的整数（不设则令牌不过期）。",
        ),
        "hub.err.role": ("Unknown role {role}: use {roles}.", "未知角色 {role}：可选 {roles}。"),
        "hub.err.device": (
            "'{device}' is not a device id (1-32 lower-case letters and digits; `liaison db info` on the "
            "laptop shows it).",
            "“{device}”不是有效的设备编号（1-32 位小写字母和数字；在该电脑上运行 `liaison db info` 可查看）。",
        ),
        "hub.err.device_held": (
            "Device {device} already has an active token ({token}); revoke it first.",
            "设备 {device} 已有有效令牌（{token}）；请先吊销。",
        ),
        "hub.err.no_kit": ("No trip kit named {name}.", "没有名为 {name} 的出访数据包。"),
    }
)

MAX_TOKEN_DAYS = 3650
ROLES = tuple(r.value for r in StaffRole)


class AuthError(Exception):
    """``code``: token_missing, token_invalid, token_revoked, token_expired, token_other_device,
    device_taken, device_invalid, staff_inactive."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Identity:
    """Who a request comes from, as the server knows it (never as the laptop says)."""

    token_id: str
    staff_id: str
    username: str
    display_name: str
    role: str
    team: str | None
    team_ids: frozenset[str]  # the staff member and everyone in their team
    device: str
    kit: str | None = None
    wipe: bool = False  # revoked with --wipe (or its kit expired): push what is left, then erase


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is enough to make the stored copy useless.
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------------------------------- staff
    def staff_id(self, username: str) -> str | None:
        row = self.store.conn.execute(
            "SELECT id FROM staff WHERE username = ? AND deleted = 0", (username.strip().lower(),)
        ).fetchone()
        return row[0] if row else None

    def _require(self, username: str) -> str:
        staff_id = self.staff_id(username)
        if staff_id is None:
            raise LiaisonError("hub.err.no_staff", name=username)
        return staff_id

    @staticmethod
    def _role(role: str) -> str:
        if role not in ROLES:
            raise LiaisonError("hub.err.role", role=role, roles=", ".join(ROLES))
        return role

    def add_staff(
        self,
        username: str,
        display_name: str | None = None,
        *,
        role: str = "officer",
        team: str | None = None,
    ) -> str:
        name = username.strip().lower()
        with self.store.transaction():
            if self.staff_id(name):
                raise LiaisonError("hub.err.staff_exists", name=name)
            staff = self.store.staff.create(
                {
                    "username": name,
                    "display_name": display_name or username,
                    "role": self._role(role),
                    "team": team,
                }
            )
        return staff.id

    def set_role(self, username: str, role: str) -> None:
        with self.store.transaction():
            self.store.staff.update(self._require(username), {"role": self._role(role)})

    def set_team(self, username: str, team: str | None) -> None:
        with self.store.transaction():
            self.store.staff.update(self._require(username), {"team": team or None})

    def set_active(self, username: str, active: bool) -> None:
        with self.store.transaction():
            self.store.staff.update(self._require(username), {"active": active})

    def staff(self) -> list[dict[str, Any]]:
        cursor = self.store.conn.execute(
            "SELECT s.username, s.display_name, s.role, s.team, s.active, "
            "(SELECT count(*) FROM sync_tokens t WHERE t.staff_id = s.id AND t.revoked_at IS NULL "
            " AND (t.expires_at IS NULL OR t.expires_at > ?)) AS tokens "
            "FROM staff s WHERE s.deleted = 0 ORDER BY s.username",
            (iso(utcnow()),),
        )
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    # ------------------------------------------------------------------------------------- tokens
    def issue_token(
        self, username: str, days: int | None = None, *, device: str | None = None, kit: str | None = None
    ) -> tuple[str, str]:
        """A new token for one of a staff member's laptops: ``(token id, token)``; the token is shown once.
        ``device`` binds it to that laptop at once (re-issuing for a known laptop); ``kit`` limits what it
        may pull to that trip kit."""
        if days is not None and not (1 <= days <= MAX_TOKEN_DAYS):
            raise LiaisonError("hub.err.days", max=MAX_TOKEN_DAYS)
        if device is not None and not DEVICE_ID.fullmatch(device):
            raise LiaisonError("hub.err.device", device=device)
        staff_id = self._require(username)
        conn = self.store.conn
        if (
            kit is not None
            and conn.execute("SELECT 1 FROM sync_kits WHERE name = ?", (kit,)).fetchone() is None
        ):
            raise LiaisonError("hub.err.no_kit", name=kit)
        token = "lsn_" + secrets.token_urlsafe(32)
        token_id = secrets.token_hex(4)
        now = utcnow()
        expires = iso(now + timedelta(days=days)) if days else None
        with self.store.transaction() as conn:
            if device is not None:
                held = self._active_token_of(device)
                if held:
                    raise LiaisonError("hub.err.device_held", device=device, token=held)
            conn.execute(
                "INSERT INTO sync_tokens (id, staff_id, token_hash, client_device, created_at, expires_at, kit) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (token_id, staff_id, hash_token(token), device, iso(now), expires, kit),
            )
        return token_id, token

    def _active_token_of(self, device: str) -> str | None:
        row = self.store.conn.execute(
            "SELECT id FROM sync_tokens WHERE client_device = ? AND revoked_at IS NULL "
            "AND (expires_at IS NULL OR expires_at > ?) LIMIT 1",
            (device, iso(utcnow())),
        ).fetchone()
        return row[0] if row else None

    def revoke(self, name_or_id: str, *, wipe: bool = False) -> int:
        """Revoke one token (by id) or every token of a staff member; effective on the next request. With
        ``wipe`` the laptop, on its next contact, pushes what it still has and then erases its store."""
        now = iso(utcnow())
        with self.store.transaction() as conn:
            count: int = conn.execute(
                "UPDATE sync_tokens SET revoked_at = coalesce(revoked_at, ?), wipe = max(wipe, ?) "
                "WHERE id = ? AND (revoked_at IS NULL OR ?)",
                (now, int(wipe), name_or_id, int(wipe)),
            ).rowcount
            staff_id = self.staff_id(name_or_id)
            if staff_id:
                count += conn.execute(
                    "UPDATE sync_tokens SET revoked_at = coalesce(revoked_at, ?), wipe = max(wipe, ?) "
                    "WHERE staff_id = ? AND (revoked_at IS NULL OR ?)",
                    (now, int(wipe), staff_id, int(wipe)),
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
        """Every token with its state: active, expired, revoked, wipe pending, wiped."""
        cursor = self.store.conn.execute(
            "SELECT t.id, s.username, t.client_device, t.kit, t.created_at, t.expires_at, t.revoked_at, "
            "t.last_seen_at, t.wipe, t.wiped_at FROM sync_tokens t JOIN staff s ON s.id = t.staff_id "
            "ORDER BY t.created_at"
        )
        names = [c[0] for c in cursor.description]
        now = utcnow()
        out = []
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            if row["wiped_at"]:
                row["state"] = "wiped"
            elif row["wipe"]:
                row["state"] = "wipe_pending"
            elif row["revoked_at"]:
                row["state"] = "revoked"
            elif row["expires_at"] and parse_iso(row["expires_at"]) <= now:
                row["state"] = "expired"
            else:
                row["state"] = "active"
            out.append(row)
        return out

    def mark_wiped(self, token_id: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE sync_tokens SET wiped_at = ?, revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
                (iso(utcnow()), iso(utcnow()), token_id),
            )

    # ------------------------------------------------------------------------------------- requests
    def authenticate(self, token: str | None, device: str | None) -> Identity:
        """The identity a request's token stands for. The first laptop to use an unbound token owns it,
        unless another staff member's token, or a live token, already holds that laptop's device id (a
        fresh token presenting a known laptop's id would otherwise push in its name)."""
        if not token or not device:
            raise AuthError("token_missing")
        if not DEVICE_ID.fullmatch(device):
            raise AuthError("device_invalid")
        store = self.store
        with store.lock:
            row = store.conn.execute(
                "SELECT t.id, t.staff_id, t.client_device, t.expires_at, t.revoked_at, t.kit, t.wipe, t.wiped_at, "
                "s.username, s.display_name, s.role, s.team, s.active, s.deleted "
                "FROM sync_tokens t JOIN staff s ON s.id = t.staff_id WHERE t.token_hash = ?",
                (hash_token(token),),
            ).fetchone()
            if row is None:
                raise AuthError("token_invalid")
            (
                token_id,
                staff_id,
                bound,
                expires,
                revoked,
                kit,
                wipe,
                wiped,
                username,
                display,
                role,
                team,
                active,
                deleted,
            ) = row
            if bound and bound != device:
                raise AuthError("token_other_device")
            if deleted or not active:
                raise AuthError("staff_inactive")
            if wiped:
                raise AuthError("token_revoked")
            wipe_now = bool(wipe) or self._kit_expired(kit)
            if revoked and not wipe:
                raise AuthError("token_revoked")
            if expires and parse_iso(expires) <= utcnow() and not wipe_now:
                raise AuthError("token_expired")
            if not bound:
                with store.transaction() as conn:
                    # A staff member's new token may take over their own laptop once its old tokens are
                    # dead; anyone else's needs the administrator (issue-device-token --device).
                    other = conn.execute(
                        "SELECT 1 FROM sync_tokens WHERE client_device = ? AND id != ? AND (staff_id != ? OR "
                        "(revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?))) LIMIT 1",
                        (device, token_id, staff_id, iso(utcnow())),
                    ).fetchone()
                    if other:
                        raise AuthError("device_taken")
                    conn.execute("UPDATE sync_tokens SET client_device = ? WHERE id = ?", (device, token_id))
            team_ids = {staff_id}
            if team:
                team_ids |= {
                    r[0]
                    for r in store.conn.execute(
                        "SELECT id FROM staff WHERE team = ? AND deleted = 0", (team,)
                    )
                }
            return Identity(
                token_id, staff_id, username, display, role, team, frozenset(team_ids), device, kit, wipe_now
            )

    def _kit_expired(self, kit: str | None) -> bool:
        if not kit:
            return False
        row = self.store.conn.execute("SELECT expires_at FROM sync_kits WHERE name = ?", (kit,)).fetchone()
        return bool(row and row[0] and parse_iso(row[0]) <= utcnow())

    def touch(self, token_id: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("UPDATE sync_tokens SET last_seen_at = ? WHERE id = ?", (iso(utcnow()), token_id))
