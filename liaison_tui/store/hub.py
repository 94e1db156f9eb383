"""The central service without HTTP: accounts, pushes, the feed, and what a laptop's session looks like.

The service keeps an ordinary :class:`Store`; its ``change_log`` is the feed every laptop pulls. A pushed
change that the authority accepts is appended there, so ``change_log.seq`` is the server sequence,
allocated inside the push transaction. ``server/app.py`` is the FastAPI face of this class; the CLI's
``liaison serve admin`` and the tests call it directly.
"""

from __future__ import annotations

from typing import Any

from ..domain.entities import ENTITIES
from ..domain.hlc import MAX_DRIFT_MS
from ..domain.sync_protocol import PushChange, PushResult, Session
from . import digest, puts
from .accounts import Accounts, AuthError, Identity, hash_token
from .authority import Authority, NumbersReused, ServerBehind
from .feed import NO_GAPS, Feed, FeedRewound, Gaps
from .kits import DeviceScope, Kits
from .replica import Change
from .store import Store

_SCOPE = "SELECT tbl, row_id FROM sync_device_scope WHERE device = ?"


class KitAuthority(Authority):
    """Records a trip laptop creates belong to its kit from then on."""

    def __init__(self, store: Store, scope: DeviceScope, **options: Any) -> None:
        super().__init__(store, **options)
        self.scope = scope

    def after_accept(self, who: Identity, change: Change) -> None:
        if who.kit and change.op == "create" and change.tbl in ENTITIES:
            self.scope.join(who.device, who.kit, change.tbl, change.row_id)


__all__ = [
    "AuthError",
    "FeedRewound",
    "Gaps",
    "Hub",
    "Identity",
    "NumbersReused",
    "ServerBehind",
    "hash_token",
]


class Hub:
    def __init__(self, store: Store, *, max_drift_ms: int = MAX_DRIFT_MS) -> None:
        self.store = store
        self.accounts = Accounts(store)
        self.kits = Kits(store)
        self.scope = DeviceScope(store, self.kits)
        self.authority = KitAuthority(store, self.scope, max_drift_ms=max_drift_ms)
        self.feed = Feed(store)

    def close(self) -> None:
        self.feed.close()

    # ------------------------------------------------------------------------------------- accounts
    def add_staff(
        self,
        username: str,
        display_name: str | None = None,
        *,
        role: str = "officer",
        team: str | None = None,
    ) -> str:
        return self.accounts.add_staff(username, display_name, role=role, team=team)

    def issue_token(
        self, username: str, days: int | None = None, *, device: str | None = None, kit: str | None = None
    ) -> tuple[str, str]:
        return self.accounts.issue_token(username, days, device=device, kit=kit)

    def revoke(self, name_or_id: str, *, wipe: bool = False) -> int:
        return self.accounts.revoke(name_or_id, wipe=wipe)

    def tokens(self) -> list[dict[str, Any]]:
        return self.accounts.tokens()

    def authenticate(self, token: str | None, device: str | None) -> Identity:
        return self.accounts.authenticate(token, device)

    def touch(self, token_id: str) -> None:
        self.accounts.touch(token_id)

    # ------------------------------------------------------------------------------------- sync
    def session(self, who: Identity) -> Session:
        return Session(**self.session_facts(who), feed_seq=self.feed.top())

    def session_facts(self, who: Identity) -> dict[str, Any]:
        """Who the laptop is and what the server holds of it (also sent with the first page of a pull)."""
        row = (
            self.feed.reader()
            .execute("SELECT last_seq FROM sync_peers WHERE client_device = ?", (who.device,))
            .fetchone()
        )
        return {
            "username": who.username,
            "display_name": who.display_name,
            "role": who.role,
            "team": who.team,
            "device": who.device,
            "last_seq": int(row[0]) if row else 0,
            "server_time_ms": self.store.wall_ms(),
            "kit": self.kits.info(who.kit).model_dump() if who.kit else None,
            "wipe": who.wipe,
        }

    def push(self, who: Identity, changes: list[PushChange], pushed_through: int = 0) -> PushResult:
        return self.authority.push(who, changes, pushed_through)

    def pull(
        self,
        who: Identity,
        after: int,
        limit: int,
        *,
        after_hlc: str | None = None,
        gaps: Gaps = NO_GAPS,
        first: bool = False,
    ) -> bytes:
        return self.feed.page(
            who.device,
            after,
            limit,
            after_hlc=after_hlc,
            gaps=gaps,
            scoped=who.kit is not None,
            session=self.session_facts(who) if first else None,
        )

    # ------------------------------------------------------------------------------------- whole records
    def snapshot(self, who: Identity, table_index: int, after: str, limit: int) -> dict[str, Any]:
        """A page of every record, for a whole-station laptop filling up (a kit laptop fills through its
        scope instead). ``top``: the feed position to pull from afterwards."""
        reader = self.feed.reader()
        reader.execute("BEGIN")
        try:
            top = int(reader.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0])
            at = reader.execute("SELECT hlc FROM change_log WHERE seq = ?", (top,)).fetchone()
            order = puts.ORDER
            out: list[list[Any]] = []
            position: list[Any] | None = None
            index, since = table_index, after
            while index < len(order) and len(out) < limit:
                page, last = puts.page_table(reader, order[index], since, limit - len(out))
                out += page
                if last is not None:
                    position = [index, last]
                    break
                index, since = index + 1, ""
            if position is None and index < len(order):
                position = [index, since]
        finally:
            reader.execute("COMMIT")
        return {"puts": out, "next": position, "top": top, "top_hlc": at[0] if at else None}

    def scope_begin(self, who: Identity) -> dict[str, Any]:
        return (
            self.scope.stage(who.device, who.kit or "", self.feed.top())
            if who.kit
            else {"token": "", "changed": False}
        )

    def scope_page(self, who: Identity, after: tuple[int, str] | None, limit: int) -> dict[str, Any]:
        return self.scope.page(self.feed.reader(), who.device, after, limit)

    def scope_ack(self, who: Identity, token: str) -> bool:
        return self.scope.ack(who.device, token)

    def digests(self, who: Identity) -> dict[str, dict[str, str]]:
        reader = self.feed.reader()
        if who.kit:
            return digest.digests(reader, _SCOPE, (who.device,))
        return digest.digests(reader)

    def bucket(self, who: Identity, table: str, bucket: str, theirs: dict[str, int]) -> dict[str, Any]:
        """What a laptop must take or let go of to match this bucket."""
        reader = self.feed.reader()
        mine = (
            digest.record_hashes(reader, table, bucket, _SCOPE, (who.device,))
            if who.kit
            else digest.record_hashes(reader, table, bucket)
        )
        send = [row_id for row_id, value in mine.items() if theirs.get(row_id) != value]
        extra = [row_id for row_id in theirs if row_id not in mine]
        known: set[str] = set()
        for start in range(0, len(extra), 500):
            chunk = extra[start : start + 500]
            known.update(
                r[0]
                for r in reader.execute(
                    f"SELECT id FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk
                )
            )
        return {
            "puts": puts.read_puts(reader, table, send),
            "removes": [[table, row_id] for row_id in extra if row_id in known],
            "unknown": len([row_id for row_id in extra if row_id not in known]),
        }
