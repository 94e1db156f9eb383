"""Who this laptop's user is, as the station server last said (user name, role, team, trip kit).

Remembered at every sync so that the terminal app can hide what the role may not do, say which kit the
laptop carries, and lock the store when it has not reached the server for too long; and so that local
history names the author the server will record. A store that never met a server has no role: its one
user may do everything locally (``permissions.LOCAL``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from ..domain.permissions import LOCAL
from ..domain.sync_protocol import Session
from ..domain.times import iso, parse_iso, utcnow
from .store import Store

KEY = "sync_identity"
LAST_CONTACT = "sync_last_contact"


@dataclass(frozen=True)
class LocalIdentity:
    username: str | None
    display_name: str | None
    role: str
    team: str | None
    kit: dict[str, Any] | None
    last_contact: str | None

    @property
    def local_only(self) -> bool:
        return self.role == LOCAL

    def days_since_contact(self) -> float | None:
        if not self.last_contact:
            return None
        return (utcnow() - parse_iso(self.last_contact)).total_seconds() / 86400


def remember(store: Store, session: Session) -> None:
    """Store what the server said (in the caller's transaction if there is one)."""
    data = {
        "username": session.username,
        "display_name": session.display_name,
        "role": session.role,
        "team": session.team,
        "kit": session.kit,
    }
    text = orjson.dumps(data).decode()
    with store.transaction():
        if store.get_meta(KEY) != text:
            store.set_meta(KEY, text)
        store.set_meta(LAST_CONTACT, iso(utcnow()))
    store.author = session.username


def current(store: Any) -> LocalIdentity:
    """From the store or a read-only view of it (anything with ``get_meta``)."""
    text = store.get_meta(KEY)
    data = orjson.loads(text) if text else {}
    return LocalIdentity(
        username=data.get("username"),
        display_name=data.get("display_name"),
        role=data.get("role") or LOCAL,
        team=data.get("team"),
        kit=data.get("kit"),
        last_contact=store.get_meta(LAST_CONTACT),
    )
