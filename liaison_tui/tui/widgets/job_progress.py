"""A progress line for long store/file jobs run in thread workers (import, export, duplicate scan).

The worker only stores ``(phase, done, total)`` through :meth:`JobProgress.report` (one attribute write,
safe from any thread, never blocks on the event loop); a timer on the UI side paints it. The cancel flag
is a :class:`threading.Event` the job polls: the importer and exporter roll back / discard on cancel."""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class JobProgress(Horizontal):
    DEFAULT_CSS = """
    JobProgress { height: 1; display: none; }
    JobProgress.-running { display: block; }
    JobProgress Label { width: auto; max-width: 50%; margin-right: 1; }
    """

    def __init__(self, label: Callable[[str], str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._label = label  # phase -> text in the UI language
        self._state: tuple[str, int, int] | None = None
        self._shown: tuple[str, int, int] | None = None
        self.cancel = threading.Event()

    def compose(self) -> ComposeResult:
        yield Label()
        yield ProgressBar(show_eta=False)

    def on_mount(self) -> None:
        self.set_interval(0.1, self._paint)

    @property
    def running(self) -> bool:
        return self.has_class("-running")

    def start(self, phase: str = "") -> threading.Event:
        """Show the bar; returns a fresh cancel flag for the job."""
        self.cancel = threading.Event()
        self._state, self._shown = (phase, 0, 0), None
        self.add_class("-running")
        self.query_one(ProgressBar).update(total=None, progress=0)
        self._paint()
        return self.cancel

    def report(self, phase: str, done: int, total: int) -> None:
        """From the worker thread."""
        self._state = (phase, done, total)

    def finish(self) -> None:
        self.remove_class("-running")
        self._state = None

    def request_cancel(self, text: str) -> None:
        self.cancel.set()
        self.query_one(Label).update(text)

    def _paint(self) -> None:
        state = self._state
        if state is None or state == self._shown or self.cancel.is_set():
            return
        self._shown = state
        phase, done, total = state
        self.query_one(Label).update(self._label(phase))
        self.query_one(ProgressBar).update(total=total or None, progress=done)
