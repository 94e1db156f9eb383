"""Background sync for the terminal: when a server is configured, a round shortly after start, then every
``settings.sync_interval`` seconds, a few seconds after local edits go quiet, and on F5. A failed round is
retried on a timer with :class:`~liaison_tui.sync.Backoff`, so a queue never waits for the next edit.

The network only ever runs in a thread worker (``group="sync"``); its outcome reaches the event loop as a
:class:`~.messages.DbDone` (see :mod:`.db`) and the badge as the app's ``sync_state``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from textual.timer import Timer

from ..domain.i18n import get_lang, t
from ..store.pending import PENDING_CAP
from ..sync.backoff import Backoff
from ..sync.errors import SyncError
from .db import run_db
from .messages import SyncState

if TYPE_CHECKING:
    from ..store.store import Store
    from ..sync.client import SyncReport
    from ..sync.status import SyncStatus
    from .app import LiaisonApp

# Short badge labels for failures a person must act on; anything else reads as "offline".
_ERROR_LABELS = {
    "sync.err.upgrade": "sync.badge.upgrade",
    "sync.err.server": "sync.badge.server",
    "sync.err.token_missing": "sync.badge.token",
}


def error_label(key: str | None) -> str | None:
    if not key:
        return None
    if key.startswith("sync.err.token_"):
        return "sync.badge.token"
    return _ERROR_LABELS.get(key)


@dataclass(frozen=True)
class RoundResult:
    report: SyncReport | None
    error: BaseException | None
    status: SyncStatus
    identity: Any = None  # store.identity.LocalIdentity after the round (role, kit, last contact)


class SyncEngine:
    """Owned by the app; every method runs on the event loop except :meth:`_round`."""

    first_delay: float = 2.0  # after the store opens: let the first screen get its data first
    idle_delay: float = 4.0  # after the last local edit

    def __init__(self, app: LiaisonApp) -> None:
        self.app = app
        self.backoff = Backoff()
        self.running = False
        self.rounds = 0  # finished rounds (tests wait on it)
        self.failing = False
        self.next_delay: float | None = None  # seconds until the scheduled round (None: nothing scheduled)
        self._again: bool | None = None  # asked for while a round ran: one more round after it (manual?)
        self._manual = False
        self._timer: Timer | None = None
        self._idle: Timer | None = None
        self._told: set[str] = set()  # error keys already shown once (cleared by a success)
        self._skew_told = False
        self._state = SyncState()

    # ------------------------------------------------------------------ configuration and timers
    @property
    def configured(self) -> bool:
        settings = self.app.settings
        return bool(settings.server_url and settings.token)

    def start(self) -> None:
        """Called once the store proper is open."""
        if self.configured:
            self._schedule(self.first_delay)

    def stop(self) -> None:
        for timer in (self._timer, self._idle):
            if timer is not None:
                timer.stop()
        self._timer = self._idle = None
        self.next_delay = None

    def _schedule(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.next_delay = delay
        self._timer = self.app.set_timer(delay, self.sync_now, name="sync")

    def nudge(self) -> None:
        """After a local write: sync once the edits have been idle for a moment (not while the server is
        known to be away: the backoff timer owns that)."""
        if not self.configured or self.failing:
            return
        if self._idle is not None:
            self._idle.stop()
        self._idle = self.app.set_timer(self.idle_delay, self.sync_now, name="sync-idle")

    # ------------------------------------------------------------------ a round
    def sync_now(self, manual: bool = False) -> None:
        if self._state.demo:  # invented people never leave this laptop (the sync client refuses too)
            if manual:
                self.app.notify(t("tui.sync.demo"), severity="warning", timeout=8)
            return
        if not self.configured:
            if manual:
                from ..settings import config_path

                self.app.notify(
                    t("tui.sync.not_configured", path=str(config_path())), severity="warning", timeout=15
                )
            return
        if self.app.store is None:  # still opening: start() will schedule the first round
            return
        if self.running:
            self._again = bool(self._again) or manual
            return
        self.stop()
        self.running, self._manual = True, manual
        self._publish(syncing=True)
        run_db(
            self.app,
            self._round,
            self._done,
            on_error=self._crashed,
            group="sync",
            exclusive=True,
            store_lock=False,
        )

    def _round(self, store: Store) -> RoundResult:
        """Worker thread: the whole network exchange, then the badge's facts (local reads only)."""
        settings = self.app.settings
        report: SyncReport | None = None
        error: BaseException | None = None
        try:
            from ..sync.client import sync_once  # httpx loads here, off the start-up path

            report = sync_once(
                store, settings.server_url, settings.token, allow_insecure_http=settings.allow_insecure_http
            )
        except Exception as exc:  # every failure must reach the UI (and reschedule), not kill the worker
            error = exc
        from ..store.identity import current
        from ..sync.status import read_status

        return RoundResult(report, error, read_status(store, configured=True), current(store))

    def _done(self, result: RoundResult) -> None:
        self.running = False
        self.rounds += 1
        if result.identity is not None:
            self.app.identity_changed(result.identity)
        manual, self._manual = self._manual, False
        error = result.error
        if error is None:
            self.failing = False
            self.backoff.success()
            self._told.clear()
            self._after_success(result.report, manual)  # type: ignore[arg-type]
            delay = float(max(self.app.settings.sync_interval, 5))
        else:
            self.failing = True
            self._tell(error, manual)
            delay = self.backoff.failure()
        self._publish(status=result.status, online=error is None)
        if self._again is not None:
            again, self._again = self._again, None
            self.app.call_later(self.sync_now, again)
        else:
            self._schedule(delay)

    def _crashed(self, error: BaseException) -> None:
        """The status read itself failed (e.g. the store is closing): say so and try again later."""
        self.running = False
        self.failing = True
        self._tell(error, self._manual)
        self._manual = False
        self._publish(online=False)
        self._schedule(self.backoff.failure())

    def _after_success(self, report: SyncReport, manual: bool) -> None:
        app = self.app
        if report.pulled:
            self._reload_visible()
        if report.refused:
            app.notify(
                t("sync.new_refused", n=report.refused, key=self._key("app.rejected", "F7")),
                severity="warning",
                timeout=10,
            )
        if report.conflicts_open > self._state.conflicts:  # new ones only, not every round while one is open
            app.notify(
                t("sync.new_conflicts", n=report.conflicts_open, key=self._key("app.conflicts", "F6")),
                severity="warning",
                timeout=10,
            )
        warning = report.warning(get_lang())
        if warning and not self._skew_told:  # once a session: the offset is corrected from now on
            self._skew_told = True
            app.notify(warning, severity="warning", timeout=15)
        if manual:
            app.notify(t("sync.done", pushed=report.pushed, pulled=report.pulled), timeout=3)

    def _tell(self, error: BaseException, manual: bool) -> None:
        """Offline is the badge's business; a problem a person must act on is said once (until a success)."""
        key = getattr(error, "key", type(error).__name__)
        retryable = isinstance(error, SyncError) and error.retryable
        if manual or (not retryable and key not in self._told):
            self._told.add(key)
            if isinstance(error, SyncError):
                self.app.notify(
                    error.message(get_lang()), severity="warning" if retryable else "error", timeout=12
                )
            else:
                self.app.show_error(error)

    def _reload_visible(self) -> None:
        from .screens.base import BaseScreen

        screen = self.app.screen
        if isinstance(screen, BaseScreen):
            screen.reload()

    def _key(self, binding_id: str, default: str) -> str:
        keys = self.app._keymap.get(binding_id) if getattr(self.app, "_keymap", None) else None
        return (keys or default).split(",")[0].upper()

    # ------------------------------------------------------------------ the badge
    def refresh_badge(self) -> None:
        """Re-read the local facts (pending, conflicts, refusals) in a worker; never the network."""
        app = self.app

        def read(store: Any) -> tuple[SyncStatus | int, bool]:
            demo = store.get_meta("demo_data") == "1"
            if app.store is None:  # the read-only view at start-up: only the count is cheap to read
                return int(store.pending_changes(PENDING_CAP)), demo
            from ..sync.status import read_status  # the store proper is open: its imports are paid

            return read_status(store, configured=self.configured), demo

        def show(answer: tuple[SyncStatus | int, bool]) -> None:
            found, demo = answer
            if isinstance(found, int):
                self._publish(pending=found, demo=demo)
            else:
                self._publish(status=found, demo=demo)

        run_db(app, read, show, group="sync-count", exclusive=True, read_only=True)

    def _publish(
        self,
        *,
        status: SyncStatus | None = None,
        online: bool | None = None,
        pending: int | None = None,
        syncing: bool | None = None,
        demo: bool | None = None,
    ) -> None:
        state = self._state
        if status is not None:
            known_good = status.configured and not status.last_error and status.last_synced_at is not None
            state = SyncState(
                online=known_good,
                pending=status.pending,
                last_sync_at=status.last_synced_at if status.configured else None,
                conflicts=status.conflicts,
                rejected=status.rejected,
                error=status.last_error if status.configured else None,
            )
        state = replace(
            state,
            online=state.online if online is None else online,
            pending=state.pending if pending is None else pending,
            syncing=self.running if syncing is None else syncing,
            configured=self.configured,
            demo=state.demo if demo is None else demo,
        )
        self._state = state
        self.app.sync_state = state

    # ------------------------------------------------------------------ the badge's click and the screens
    def badge_clicked(self) -> None:
        state = self._state
        if state.conflicts:
            self.open_conflicts()
        elif state.rejected:
            self.open_rejected()
        else:
            self.sync_now(manual=True)

    def open_conflicts(self) -> None:
        from .screens.conflicts import ConflictsScreen

        if self.app.reader is not None and not isinstance(self.app.screen, ConflictsScreen):
            self.app.push_screen(ConflictsScreen())

    def open_rejected(self) -> None:
        from .screens.rejected import RejectedScreen

        if self.app.reader is not None and not isinstance(self.app.screen, RejectedScreen):
            self.app.push_screen(RejectedScreen())
