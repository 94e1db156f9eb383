"""The central service without HTTP: accounts, pushes, the feed, and what a laptop's session looks like.

The service keeps an ordinary :class:`Store`; its ``change_log`` is the feed every laptop pulls. A pushed
change that the authority accepts is appended there, so ``change_log.seq`` is the server sequence,
allocated inside the push transaction. ``server/app.py`` is the FastAPI face of this class; the CLI's
``liaison serve admin`` and the tests call it directly.
"""

from __future__ import annotations

from typing import Any

from ..domain.hlc import MAX_DRIFT_MS
from ..domain.sync_protocol import PushChange, PushResult, Session
from .accounts import Accounts, AuthError, Identity, hash_token
from .authority import Authority, NumbersReused, ServerBehind
from .feed import NO_GAPS, Feed, FeedRewound, Gaps
from .store import Store

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
        self.authority = Authority(store, max_drift_ms=max_drift_ms)
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
        row = (
            self.feed.reader()
            .execute("SELECT last_seq FROM sync_peers WHERE client_device = ?", (who.device,))
            .fetchone()
        )
        return Session(
            username=who.username,
            display_name=who.display_name,
            role=who.role,
            team=who.team,
            device=who.device,
            last_seq=int(row[0]) if row else 0,
            feed_seq=self.feed.top(),
            server_time_ms=self.store.wall_ms(),
            kit=None,
            wipe=who.wipe,
        )

    def push(self, who: Identity, changes: list[PushChange], pushed_through: int = 0) -> PushResult:
        return self.authority.push(who, changes, pushed_through)

    def pull(
        self, who: Identity, after: int, limit: int, *, after_hlc: str | None = None, gaps: Gaps = NO_GAPS
    ) -> bytes:
        return self.feed.page(
            who.device, after, limit, after_hlc=after_hlc, gaps=gaps, scoped=who.kit is not None
        )
