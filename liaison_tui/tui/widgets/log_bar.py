"""The inline "log an interaction" bar at the bottom of a contact or case screen.

``l`` then a kind key (c call, m meeting, w WeChat, e email, v visit, o video, n note), then the text,
Enter. It lives on the screen itself rather than in a dialog, and the screen feeds it from its own key
handler: keys typed in one fast burst ("lc" + text) all travel through the screen's queue in order, so
none is lost while something opens (a dialog would be a new screen that the keys in flight miss)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from ...domain.enums import ActivityKind
from ...domain.i18n import t

LOG_KEYS: dict[str, ActivityKind] = {
    "c": ActivityKind.CALL,
    "m": ActivityKind.MEETING,
    "w": ActivityKind.WECHAT,
    "e": ActivityKind.EMAIL,
    "v": ActivityKind.VISIT,
    "o": ActivityKind.VIDEO_CALL,
    "n": ActivityKind.NOTE,
}


class LogBar(Horizontal):
    """States: hidden; waiting for the kind key; taking the text (``kind`` set)."""

    def __init__(self) -> None:
        super().__init__(id="log-bar")
        self.active = False
        self.kind: ActivityKind | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="log-prompt")
        yield Input(id="log-input")

    def on_mount(self) -> None:
        self.display = False
        self.query_one(Input).display = False

    def start(self, subject: str) -> None:
        """Show every kind with its key: the title on one line, the keys packed into as many lines as the
        width needs (never cut, never split between a key and its kind)."""
        self.active, self.kind = True, None
        width = max((self.parent.size.width if self.parent else 80) - 4, 20)
        keys = Text(f"{t('log.title')} · {subject}", style="bold")
        line = Text()
        for letter, kind in LOG_KEYS.items():
            group = Text.assemble((f" {letter} ", "reverse"), f" {kind.label()}  ")
            if line and line.cell_len + group.cell_len > width:
                keys.append("\n")
                keys.append_text(line)
                line = Text()
            line.append_text(group)
        keys.append("\n")
        keys.append_text(line)
        prompt = self.query_one("#log-prompt", Static)
        prompt.styles.width = "1fr"
        prompt.update(keys)
        self.query_one(Input).display = False
        self.display = True

    def choose(self, kind: ActivityKind) -> None:
        self.kind = kind
        prompt = self.query_one("#log-prompt", Static)
        prompt.styles.width = "auto"
        prompt.update(Text(f"{kind.label()} ›", style="bold"))
        box = self.query_one(Input)
        box.value = ""
        box.placeholder = t("log.text")
        box.display = True
        box.focus()

    def stop(self) -> None:
        self.active, self.kind = False, None
        self.display = False

    def feed(self, event: events.Key) -> bool:
        """Handle a key that reached the screen while logging; True if it was used."""
        if not self.active:
            return False
        if event.key == "escape":
            self.stop()
            return True
        box = self.query_one(Input)
        if self.kind is None:
            if event.character in LOG_KEYS:
                self.choose(LOG_KEYS[event.character])
            return True  # other keys are ignored until a kind is chosen
        if event.key == "enter":
            box.post_message(Input.Submitted(box, box.value))
            return True
        if event.is_printable and event.character:
            box.insert_text_at_cursor(event.character)  # typed before the box had focus
            return True
        if event.key == "backspace":
            box.action_delete_left()
            return True
        return False
