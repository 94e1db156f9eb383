"""Placeholder app until the full terminal UI lands: shows the store's counts and quits cleanly."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from ..domain.i18n import register, t
from ..settings import Settings

register({
    "app.title": ("Liaison — talent liaison station", "Liaison 人才工作站"),
    "app.quit": ("Quit", "退出"),
})


class LiaisonApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="counts")
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("app.title")
        self.load_counts()

    def load_counts(self) -> None:
        from ..store import Store

        with Store.open(self.settings.db, author=self.settings.username) as store:
            counts = store.counts()
        self.query_one("#counts", Static).update(
            "\n".join(f"{t('table.' + k)}: {v}" for k, v in counts.items()))


def run_app(settings: Settings, lang: str) -> None:
    LiaisonApp(settings).run()
