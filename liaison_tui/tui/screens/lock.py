"""Locks: the passphrase of an encrypted store at start, the lock after idle minutes, and the lock of a trip
laptop that has not reached the station server for longer than its kit allows.

The passphrase is checked off the event loop (deriving the key is deliberately slow: argon2id, ~0.2 s).
A locked app shows nothing of the store: the lock screens are opaque and cover every other screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, Static

from ...domain.i18n import register, t
from ..keymap import key

register(
    {
        "lock.unlock_title": ("This database is encrypted", "此数据库已加密"),
        "lock.unlock_hint": (
            "Type its passphrase and press Enter. (Scripts: LIAISON_PASSPHRASE or --passphrase-file.)",
            "请输入口令并按回车。（脚本可用 LIAISON_PASSPHRASE 或 --passphrase-file。）",
        ),
        "lock.checking": ("Checking…", "正在验证…"),
        "lock.locked_title": ("Locked after {minutes} idle minutes", "闲置 {minutes} 分钟后已锁定"),
        "lock.locked_hint": ("Type the passphrase to go on.", "请输入口令以继续。"),
        "lock.wrong": ("Wrong passphrase.", "口令不正确。"),
        "lock.grace_title": ("This trip laptop is locked", "此出访电脑已锁定"),
        "lock.grace_hint": (
            "It has not reached the station server for {days} days (its kit allows {grace}). Connect to the "
            "network and press F5 to sync; it unlocks when the sync succeeds. q quits.",
            "本机已 {days} 天未连接工作站服务器（数据包允许 {grace} 天）。请连接网络并按 F5 同步，同步成功后自动解锁。"
            "按 q 退出。",
        ),
    }
)


class UnlockScreen(Screen[None]):
    """The passphrase of an encrypted store, before anything of it is read."""

    BINDINGS = [key("ctrl+q", "app.quit", "lock.quit", show=False)]

    def __init__(self, path: Path, on_unlocked: Callable[[str], None]) -> None:
        super().__init__(id="unlock")
        self.path = path
        self.on_unlocked = on_unlocked

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog lock-box"):
            yield Label(t("lock.unlock_title"), classes="dialog-title")
            yield Static(t("lock.unlock_hint"), classes="dim")
            yield Input(password=True, id="passphrase")
            yield Static(id="lock-message")

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#lock-message", Static).update(t("lock.checking"))
        self._check(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _check(self, passphrase: str) -> None:
        from ...store.crypto import passphrase_opens

        try:
            opens = passphrase_opens(self.path, passphrase)
        except Exception:  # an unreadable file: to the user, the passphrase did not open it
            opens = False
        if not opens:
            self.app.call_from_thread(self._wrong)
            return
        self.app.call_from_thread(self.on_unlocked, passphrase)

    def _wrong(self) -> None:
        box = self.query_one("#passphrase", Input)
        box.value = ""
        self.query_one("#lock-message", Static).update(t("lock.wrong"))
        box.focus()


class IdleLockScreen(ModalScreen[None]):
    """Covers everything after idle minutes; the store's own passphrase lifts it."""

    BINDINGS = [key("ctrl+q", "app.quit", "lock.quit", show=False)]

    def __init__(self, store: Any, minutes: int) -> None:
        super().__init__(id="idle-lock")
        self.store = store
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog lock-box"):
            yield Label(t("lock.locked_title", minutes=self.minutes), classes="dialog-title")
            yield Static(t("lock.locked_hint"), classes="dim")
            yield Input(password=True, id="passphrase")
            yield Static(id="lock-message")

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._check(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _check(self, passphrase: str) -> None:
        import hmac

        from ...store.crypto import derive_key, file_salt, raw_key

        salt = file_salt(self.store.path)
        right = hmac.compare_digest(raw_key(derive_key(passphrase, salt), salt), self.store.key or "")
        self.app.call_from_thread(self.dismiss if right else self._wrong)

    def _wrong(self) -> None:
        box = self.query_one("#passphrase", Input)
        box.value = ""
        self.query_one("#lock-message", Static).update(t("lock.wrong"))


class GraceLockScreen(ModalScreen[None]):
    """A trip laptop past its kit's grace period: only syncing (F5) or quitting."""

    BINDINGS = [
        key("f5", "app.sync", "lock.sync", key_display="F5"),
        key("q,ctrl+q", "app.quit", "lock.quit", key_display="q"),
    ]

    def __init__(self, days: int, grace: int) -> None:
        super().__init__(id="grace-lock")
        self.days = days
        self.grace = grace

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog lock-box"):
            yield Label(t("lock.grace_title"), classes="dialog-title")
            yield Static(t("lock.grace_hint", days=self.days, grace=self.grace))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action in ("sync", "quit")
