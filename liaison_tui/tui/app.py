"""The station's terminal: a keyboard-first Textual app over the local store.

Screens: home, cases, agenda (the three modes, keys 1/2/3), contact and case screens pushed on top, and
lookup (``/`` or ctrl+k) from anywhere. The store is opened in a worker; all database work runs in thread
workers (see :mod:`.db`) and reaches the UI as messages, so the event loop never waits on SQLite."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from ..domain.i18n import get_lang, set_lang, t
from ..domain.times import utcnow
from ..settings import Settings
from ..store import crypto, queries
from . import (
    access,
    report_strings,  # noqa: F401  (registers the catalog)
    strings,  # noqa: F401  (registers the catalog)
)
from .commands import LiaisonCommands
from .inert import install as install_inert
from .keymap import key, localize_tree
from .lookup import Lookup, ReadView
from .messages import DbDone, SyncState, SyncStatus
from .recruiting_commands import RecruitingCommands
from .report_commands import ReportCommands
from .screens import is_screen, screen_class
from .screens.base import BaseScreen
from .screens.home import HomeScreen
from .sync_worker import SyncEngine
from .widgets import notices

if TYPE_CHECKING:
    from .screens.lookup import LookupScreen


class LiaisonApp(App[None]):
    CSS_PATH = "styles/app.tcss"
    TITLE = "Liaison"
    COMMANDS = App.COMMANDS | {LiaisonCommands, RecruitingCommands, ReportCommands}
    # Only home is imported with the app; the other screens load on first use (and in the background once
    # the first screen is up), which keeps their imports out of the start-up time.
    MODES = {
        "home": HomeScreen,
        "cases": lambda: screen_class("CasesScreen")(),
        "agenda": lambda: screen_class("AgendaScreen")(),
        "demands": lambda: screen_class("DemandsScreen")(),
        "events": lambda: screen_class("EventsScreen")(),
        "reports": lambda: screen_class("ReportsScreen")(),
    }
    BINDINGS = [
        key("slash,ctrl+k", "lookup", "app.lookup", key_display="/"),
        key("f1,question_mark", "help", "app.help", key_display="F1"),
        key("1", "home", "app.home", show=False),
        key("2", "cases", "app.cases", show=False),
        key("3", "agenda", "app.agenda", show=False),
        key("5", "demands", "app.demands", show=False),
        key("6", "events", "app.events", show=False),
        key("O", "organizations", "app.organizations", show=False),
        key("4,R", "reports", "app.reports", show=False),
        key("S", "save_view", "app.save_view", show=False),
        key("N", "new_contact", "app.new_contact", show=False),
        key("I", "import", "app.import", show=False),
        key("D", "duplicates", "app.duplicates", show=False),
        key("E", "export", "app.export", show=False),
        key("f2", "toggle_language", "app.language", show=False),
        key("f5", "sync", "app.sync", show=False),
        key("f6", "conflicts", "app.conflicts", show=False),
        key("f7", "rejected", "app.rejected", show=False),
        key("escape", "back", "app.back", show=False),
        key("q", "quit", "app.quit", show=False),
    ]

    sync_state: reactive[SyncState] = reactive(SyncState, always_update=True)

    def __init__(
        self,
        settings: Settings,
        *,
        lang: str | None = None,
        clock: Callable[[], datetime] | None = None,
        tz: tzinfo | None = None,
        show_timings: bool = True,
    ) -> None:
        super().__init__()
        install_inert()  # text from other laptops and imports never reaches the terminal as control codes
        notices.install()  # Chinese notifications stay whole over the widgets under them
        self.show_timings = show_timings
        self.settings = settings
        if lang or settings.lang:
            set_lang(lang or settings.lang or "zh")
        self.clock = clock or utcnow
        self.tz: tzinfo = tz or datetime.now().astimezone().tzinfo or UTC
        self.store: Any = None  # the Store: all writes and record screens (set once it has opened)
        self.reader: Any = None  # what home and the badge read from: a ReadView at first, then the store
        self._opened = threading.Event()
        self.first_screen_shown = threading.Event()  # set by the home screen when its data is on screen
        self.lookup: Lookup | None = None
        self.first_home: queries.HomeSummary | None = None  # home's data, read while the store opened
        self.me: dict[str, Any] | None = None
        self.identity: Any = None  # store.identity.LocalIdentity: role, kit (None until the store opens)
        self.last_input = time.monotonic()
        self.pending_case_filter: dict[str, Any] | None = None
        self.typeahead: list[str] | None = None
        self.syncer = SyncEngine(self)  # background sync with the station server (if configured)
        self.theme = settings.theme
        if settings.keys:
            self.set_keymap(settings.keys)

    # ---------------------------------------------------------------- start-up
    def now(self) -> datetime:
        return self.clock()

    def compose(self) -> ComposeResult:
        yield Static(t("app.opening"), id="opening")

    def on_mount(self) -> None:
        self.title = t("app.title")
        localize_tree([self])
        path = Path(self.settings.db)
        if crypto.is_encrypted(path) and not crypto.session_passphrase():
            from .screens.lock import UnlockScreen

            self.push_screen(UnlockScreen(path, self._unlocked))
        else:
            self.run_worker(self._open_store, thread=True, group="open", exit_on_error=False)
        self.set_interval(15, self.refresh_sync_state)
        self.set_interval(10, self.check_locks)

    def _unlocked(self, passphrase: str) -> None:
        crypto.use_passphrase(passphrase)
        self.pop_screen()
        self.run_worker(self._open_store, thread=True, group="open", exit_on_error=False)

    # ---------------------------------------------------------------- locks and the role
    def check_locks(self) -> None:
        """Lock an encrypted store after idle minutes; lock a trip laptop past its kit's grace period."""
        store = self.store
        if store is None or self.screen.id in ("idle-lock", "grace-lock", "unlock"):
            return
        minutes = self.settings.lock_after_minutes
        if store.encrypted and minutes > 0 and time.monotonic() - self.last_input > minutes * 60:
            from .screens.lock import IdleLockScreen

            self.push_screen(IdleLockScreen(store, minutes))
            return
        grace = self.grace_exceeded()
        if grace:
            from .screens.lock import GraceLockScreen

            self.push_screen(GraceLockScreen(*grace))

    def grace_exceeded(self) -> tuple[int, int] | None:
        identity = self.identity
        kit = (identity.kit or {}) if identity is not None else {}
        grace = kit.get("grace_days")
        days = identity.days_since_contact() if identity is not None else None
        if grace and days is not None and days > grace:
            return int(days), int(grace)
        return None

    def identity_changed(self, identity: Any) -> None:
        """After the store opened and after every sync: who the server says we are, and what we carry."""
        self.identity = identity
        if self.screen.id == "grace-lock" and not self.grace_exceeded():
            self.pop_screen()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return access.allowed(self, action)

    def denied_actions(self) -> list[tuple[str, str]]:
        return access.denied_actions(self, [b.action for b in self.BINDINGS])  # type: ignore[union-attr]

    def _open_store(self) -> None:
        """Show the home screen from a read-only connection first, then open the store proper: opening it
        reads the whole change log (seconds on a big store), and the first screen should not wait."""
        path = Path(self.settings.db)
        try:
            if path.exists():
                view = ReadView(str(path))
                me = queries.current_staff(view, self.settings.user)  # type: ignore[arg-type]
                # Home's data is read here, before its screen exists, so that it opens with its rows: a
                # query started by the screen would compete with its mounting for the GIL (~0.1 s at 1M).
                first = queries.home_summary(view, me["id"] if me else None, self.now(), self.tz)  # type: ignore[arg-type]
                self.call_from_thread(self._reader_ready, view, me, Lookup(str(path)), first)
                self.first_screen_shown.wait(5)  # the first screen's queries first, then the slow open
            from ..store.store import Store  # the write path and the models: not needed to show home

            store = Store.open(path, author=self.settings.username)
            if not path.exists() or self.reader is None:
                me = queries.current_staff(store, self.settings.user)
                self.call_from_thread(self._reader_ready, store, me, Lookup(store.path))
        except Exception as exc:
            self.call_from_thread(self._open_failed, exc)
            self._opened.set()
            return
        self.call_from_thread(self._store_opened, store)

    def _reader_ready(
        self, reader: Any, me: dict[str, Any] | None, finder: Lookup, first: queries.HomeSummary | None = None
    ) -> None:
        self.reader, self.me, self.lookup = reader, me, finder
        self.first_home = first
        self.switch_mode("home")
        # After the first screen has its data: warming (pinyin tables) would compete with it for the GIL.
        self.set_timer(
            1.0,
            lambda: self.run_worker(
                lambda: _warm(finder, self), thread=True, group="warm", exit_on_error=False
            ),
        )

    def _store_opened(self, store: Any) -> None:
        from ..store.identity import current

        self.store = store
        self._opened.set()
        self.identity_changed(current(store))
        view, self.reader = self.reader, store
        if isinstance(view, ReadView):  # closed a little later: a worker may still be reading from it
            self.set_timer(10, view.close)
        self.refresh_sync_state()
        self.syncer.start()

    def wait_for_store(self, timeout: float = 300) -> Any:
        """The store proper, from a worker thread (it may still be opening)."""
        self._opened.wait(timeout)
        if self.reader is None:
            raise RuntimeError("store not open")
        return self.store

    def _open_failed(self, exc: Exception) -> None:
        message = exc.message(get_lang()) if hasattr(exc, "message") else type(exc).__name__
        self.query_one("#opening", Static).update(message)

    def on_unmount(self) -> None:
        if self.lookup is not None:
            self.lookup.close()
        if self.store is not None:
            self.store.close()

    # ---------------------------------------------------------------- messages
    def on_db_done(self, message: DbDone) -> None:
        sender = message._sender
        if sender is not None and not getattr(sender, "is_attached", True):
            return  # the screen that asked has closed
        if message.error is None:
            # NoMatches: the screen is being torn down (app exit) while its answer arrived
            with contextlib.suppress(NoMatches):
                message.apply(message.result)
        elif message.on_error is not None:
            message.on_error(message.error)
        else:
            self.show_error(message.error)

    def show_error(self, error: BaseException) -> None:
        text = error.message(get_lang()) if hasattr(error, "message") else type(error).__name__
        self.notify(text, severity="error", timeout=8)

    def on_sync_status(self, message: SyncStatus) -> None:
        self.sync_state = message.state

    def refresh_sync_state(self) -> None:
        """Re-read the badge's local facts (pending, last sync, conflicts, refusals) in a worker."""
        if self.reader is None:
            return
        self.syncer.refresh_badge()

    def data_changed(self) -> None:
        """After a write: refresh the current screen and the badge."""
        screen = self.screen
        if isinstance(screen, BaseScreen):
            screen.reload()
        self.refresh_sync_state()
        self.syncer.nudge()

    # ---------------------------------------------------------------- navigation
    async def action_lookup(self, query: str = "") -> None:
        if is_screen(self.screen, "LookupScreen") or self.reader is None:
            return
        self.typeahead = []
        try:
            lookup: LookupScreen = screen_class("LookupScreen")(query)
            await self.push_screen(lookup, self._lookup_done)
        finally:
            self.typeahead = None

    # Type-ahead: "/zhang⏎" typed in one burst. Keys are handed to the focused widget of the screen that is
    # current when they are read, so the letters after "/" would land on the list below the lookup box
    # while it opens. The lookup key is therefore handled here, in the app's own queue, and keys that
    # arrive while the box opens are kept for it.
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self.last_input = time.monotonic()
        if isinstance(event, events.Key):
            if self.typeahead is not None:
                if event.key == "enter":
                    self.typeahead.append("\n")
                    return
                if event.is_printable and event.character:
                    self.typeahead.append(event.character)
                    return
            elif (
                self._is_lookup_key(event.key)
                and self.reader is not None
                and not isinstance(self.focused, Input)
                and not isinstance(self.screen, ModalScreen)
                and not is_screen(self.screen, "LookupScreen")
            ):
                await self.action_lookup()
                return
            event._read_on = self.screen  # type: ignore[attr-defined]  # see _on_key
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        # A key read while another screen was current ("lc…" typed in one burst: "l" opened a dialog and
        # "c…" were already on their way through the screen below) belongs to the screen now on top.
        read_on = getattr(event, "_read_on", None)
        if read_on is not None and read_on is not self.screen and read_on in self.screen_stack:
            event.prevent_default()  # not App._on_key: its bindings are the top screen's
            target = self.screen.focused or self.screen
            target.post_message(events.Key(event.key, event.character))

    def _is_lookup_key(self, key_name: str) -> bool:
        keys = self._keymap.get("app.lookup") or "slash,ctrl+k"
        return key_name in {k.strip() for k in keys.split(",")}

    def take_typeahead(self) -> str:
        keys, self.typeahead = self.typeahead or [], None
        return "".join(keys)

    def _lookup_done(self, choice: tuple[str, str, str] | None) -> None:
        if not choice:
            return
        kind, row_id, title = choice
        if kind == "contact":
            self.open_contact(row_id)
        elif kind == "case":
            self.open_case(row_id)
        elif kind == "org":
            self.open_org(row_id, title)

    def open_contact(self, contact_id: str) -> None:
        self.push_screen(screen_class("ContactScreen")(contact_id))

    def open_case(self, case_id: str) -> None:
        self.push_screen(screen_class("CaseScreen")(case_id))

    def open_org(self, org_id: str, title: str = "") -> None:
        self.push_screen(screen_class("OrgScreen")(org_id))

    # the recruiting half (screens/recruiting_lists.py, demand.py, event.py)
    def open_demand(self, demand_id: str) -> None:
        self.push_screen(screen_class("DemandScreen")(demand_id))

    def open_event(self, event_id: str) -> None:
        self.push_screen(screen_class("EventScreen")(event_id))

    def action_demands(self) -> None:
        if self.reader is not None:
            self._go("demands")

    def action_events(self) -> None:
        if self.reader is not None:
            self._go("events")

    def action_organizations(self) -> None:
        if self.reader is not None and not is_screen(self.screen, "OrgsScreen"):
            self.push_screen(screen_class("OrgsScreen")())

    async def action_new_record(self, kind: str) -> None:
        if self.reader is None:
            return
        forms = {"demand": "DemandForm", "event": "EventForm", "org": "OrgForm"}
        openers = {"demand": self.open_demand, "event": self.open_event, "org": self.open_org}

        def created(record: Any) -> None:
            if record is not None:
                openers[kind](record.id)

        await self.push_screen(screen_class(forms[kind])(None), created)

    def show_cases(
        self, *, status: str | None = None, category: str | None = None, mine: bool = True
    ) -> None:
        self.pending_case_filter = {"status": status, "category": category, "mine": mine}
        already = self.current_mode == "cases"
        self.enter_mode("cases")
        if already and is_screen(self.screen, "CasesScreen"):
            self.screen.reload()

    def action_home(self) -> None:
        if self.reader is not None:
            self._go("home")

    def action_cases(self) -> None:
        if self.reader is not None:
            self._go("cases")

    def action_agenda(self) -> None:
        if self.reader is not None:
            self._go("agenda")

    def action_reports(self) -> None:
        if self.reader is not None:
            self._go("reports")

    def open_report(self, name: str, params: dict[str, Any] | None = None) -> None:
        """The reports screen on ``name`` with ``params`` (a saved view, the palette)."""
        from ..store.reports.model import Params

        if self.reader is None:
            return
        self._go("reports")
        screen = self.screen
        if is_screen(screen, "ReportsScreen"):
            screen.open_report(name, Params.from_dict(params or {}))

    def action_save_view(self) -> None:
        from .saved_views import save_current_view

        save_current_view(self)

    def _go(self, mode: str) -> None:
        self.enter_mode(mode)

    def enter_mode(self, mode: str) -> None:
        """Land on ``mode``'s own screen (home, the case list, the agenda). The screens opened on top of a
        mode close when it is left, so every way into a mode (``1``/``2``/``3``, Esc, home's case counts)
        shows the screen it names; the list itself keeps its filters and cursor."""
        self._close_opened()
        if self.current_mode != mode:
            self.switch_mode(mode)

    def _close_opened(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()
        elif self.current_mode not in ("home", "_default") and self.reader is not None:
            self.enter_mode("home")

    def action_sync(self) -> None:
        self.syncer.sync_now(manual=True)

    def action_conflicts(self) -> None:
        self.syncer.open_conflicts()

    def action_rejected(self) -> None:
        self.syncer.open_rejected()

    # ---------------------------------------------------------------- command palette
    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=t("cmd.placeholder")))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette commands, in the UI language."""
        yield SystemCommand(t("cmd.theme"), t("cmd.theme_help"), self.action_change_theme)
        yield SystemCommand(t("cmd.quit"), t("cmd.quit_help"), self.action_quit)
        if screen.maximized is not None:
            yield SystemCommand(t("cmd.minimize"), t("cmd.minimize_help"), screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(t("cmd.maximize"), t("cmd.maximize_help"), screen.action_maximize)
        yield SystemCommand(
            t("cmd.screenshot"),
            t("cmd.screenshot_help"),
            lambda: self.set_timer(0.1, self.deliver_screenshot),
        )

    def key_of(self, binding_id: str) -> str:
        """The keys bound to ``binding_id`` as shown to people (after any remapping in the config)."""
        found = [
            b for bindings in self._bindings.key_to_bindings.values() for b in bindings if b.id == binding_id
        ]
        if not found:
            return ""
        keys = self._keymap.get(binding_id) or ",".join(b.key for b in found)
        shown = (
            self.get_key_display(dataclasses.replace(found[0], key=k.strip(), key_display=None))
            for k in keys.split(",")
        )
        return " ".join(dict.fromkeys(k.upper() if k[:1] == "f" and k[1:].isdigit() else k for k in shown))

    def action_help(self) -> None:
        if not is_screen(self.screen, "HelpScreen"):
            self.push_screen(screen_class("HelpScreen")(self.screen.active_bindings, self.screen))

    async def action_new_contact(self) -> None:
        if self.reader is not None:
            await self.push_screen(screen_class("ContactForm")(None), self._contact_created)

    def _contact_created(self, contact_id: str | None) -> None:
        if contact_id:
            self.open_contact(contact_id)

    # data in and out (screens/import_screen.py, duplicates.py, merge.py, export_screen.py)
    def action_import(self) -> None:
        from .screens.import_screen import ImportScreen

        if self.reader is not None and not isinstance(self.screen, ImportScreen):
            self.push_screen(ImportScreen())

    def action_duplicates(self) -> None:
        from .screens.duplicates import DuplicatesScreen

        if self.reader is not None and not isinstance(self.screen, DuplicatesScreen):
            self.push_screen(DuplicatesScreen())

    def action_export(self) -> None:
        from .screens.export_screen import ExportDialog

        if self.reader is not None and not isinstance(self.screen, ModalScreen):
            self.push_screen(ExportDialog(self.now().astimezone(self.tz).date()))

    def action_toggle_language(self) -> None:
        set_lang("en" if get_lang() == "zh" else "zh")
        self.title = t("app.title")
        localize_tree([self])
        for screen in self.screen_stack:
            if isinstance(screen, BaseScreen):
                screen.relabel()
                screen.reload()
        self.refresh_bindings()
        self.notify(t("app.lang_switched"), timeout=2)

    def copy(self, text: str, what: str) -> None:
        """Copy through the terminal (OSC 52), which also works over SSH."""
        self.copy_to_clipboard(text)
        self.notify(t("app.copied", what=what), timeout=3)


def _warm(finder: Lookup, app: App[Any]) -> None:
    """Pay the one-off costs (the other screens' imports, pinyin tables, phone metadata) before the first
    keystroke needs them, then
    move everything loaded so far out of the garbage collector's sight: a full collection walking those
    few hundred thousand long-lived objects would otherwise stall the UI for a few hundred ms now and then."""
    from ..domain.values import format_phone
    from .screens import preload

    preload()
    finder.warm()
    format_phone("+8653288886666")
    app.call_from_thread(gc.freeze)


def run_app(settings: Settings, lang: str) -> None:
    LiaisonApp(settings, lang=lang).run()
