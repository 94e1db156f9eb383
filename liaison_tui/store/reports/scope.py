"""Whose figures a report may show, and from what store.

The figures come from this laptop's store: a whole-station copy on a supervisor's machine, or a trip kit's
slice on a trip laptop (``identity.current(store).kit``), which the report says. The role decides what is
shown: every role may read the station's figures (they are counts, and every role may read the records
behind them), but an officer's *workload* report covers only their team (themselves and the staff who share
their team; only themselves without a team), and exporting a report needs the role's export grant on the
records it counts (viewers and administrators have none).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from ...domain.enums import StaffRole
from ...domain.permissions import LOCAL, may

_IDENTITY = "sync_identity"  # see store/identity.py (kept as text here: the reader has no Store)
_ALL_STAFF_ROLES = {LOCAL, StaffRole.SUPERVISOR.value, StaffRole.ADMIN.value}


@dataclass(frozen=True)
class Scope:
    role: str
    me: str | None  # staff id of the user, if the store knows them
    team: str | None
    team_ids: frozenset[str]  # staff who share the user's team (the user included)
    kit: str | None  # trip kit name: this store is a slice of the station's records

    @property
    def whole_station(self) -> bool:
        return self.kit is None

    @property
    def workload_staff(self) -> frozenset[str] | None:
        """Whose workload may be shown: None for everyone."""
        if self.role in _ALL_STAFF_ROLES:
            return None
        return self.team_ids or frozenset({self.me} if self.me else ())

    def may_export(self, table: str) -> bool:
        return may(self.role, table, "export")

    def to_dict(self) -> dict[str, Any]:
        return {
            "store": "trip_kit" if self.kit else "whole_station",
            "kit": self.kit,
            "role": self.role,
            "team": self.team,
            "workload_limited_to_team": self.workload_staff is not None,
        }


def scope_of(conn: Any, username: str | None = None) -> Scope:
    """The scope for the store behind ``conn`` (a read-only connection will do). ``username``: who is using
    the laptop when the store has not been told by a server (the settings' user)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_IDENTITY,)).fetchone()
    data = orjson.loads(row[0]) if row and row[0] else {}
    role = data.get("role") or LOCAL
    name = data.get("username") or username
    if not name:
        default = conn.execute("SELECT value FROM meta WHERE key = 'default_user'").fetchone()
        name = default[0] if default else None
    me_row = (
        conn.execute("SELECT id, team FROM staff WHERE username = ? AND deleted = 0", (name,)).fetchone()
        if name
        else None
    )
    me = me_row[0] if me_row else None
    team = data.get("team") or (me_row[1] if me_row else None)
    team_ids = {me} if me else set()
    if team:
        team_ids |= {
            r[0] for r in conn.execute("SELECT id FROM staff WHERE team = ? AND deleted = 0", (team,))
        }
    kit = data.get("kit")
    kit_name = (kit.get("name") or "?") if isinstance(kit, dict) else (str(kit) if kit else None)
    return Scope(role, me, team, frozenset(team_ids), kit_name)
