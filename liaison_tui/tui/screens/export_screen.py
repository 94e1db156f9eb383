"""Export dialogs. The list export: contacts or cases as CSV (UTF-8 with BOM, so Excel shows Chinese),
XLSX or vCard, to a path; it runs in a thread worker with a progress bar and Esc cancels (the exporter
writes to a temporary name, so a cancelled export leaves no file). The person export: everything held
about one contact (JSON + readable report) into a folder, for an access request under PIPL."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from ...domain.i18n import get_lang, t
from ..db import run_db
from ..widgets.job_progress import JobProgress
from . import data_strings  # noqa: F401  (registers the messages)
from .base import Dialog
from .import_screen import error_text
from .path_input import PathSuggester

EXTENSIONS = {"csv": ".csv", "xlsx": ".xlsx", "vcard": ".vcf"}


def default_path(kind: str, fmt: str, today: date) -> str:
    return str(Path.home() / f"liaison-{kind}-{today:%Y%m%d}{EXTENSIONS[fmt]}")


class ExportDialog(Dialog):
    """Dismisses with the written path, or None."""

    DEFAULT_CSS = """
    ExportDialog Select { margin-bottom: 1; }
    ExportDialog #export-error { color: $text-error; height: auto; }
    """

    def __init__(self, today: date, kind: str = "contacts") -> None:
        super().__init__()
        self.today = today
        self.kind, self.fmt = kind, "csv"
        self._default = default_path(kind, "csv", today)
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-box"):
            yield Label(t("screen.export"), classes="dialog-title")
            yield Label(t("tui.export.kind"))
            yield Select(
                [(t("tui.export.contacts"), "contacts"), (t("tui.export.cases"), "cases")],
                value=self.kind,
                allow_blank=False,
                id="export-kind",
            )
            yield Label(t("tui.export.format"))
            yield Select(
                [("CSV", "csv"), ("Excel (.xlsx)", "xlsx"), ("vCard (.vcf)", "vcard")],
                value="csv",
                allow_blank=False,
                id="export-format",
            )
            yield Label(t("tui.export.path"))
            yield Input(self._default, id="export-path", suggester=PathSuggester((".csv", ".xlsx", ".vcf")))
            yield JobProgress(lambda _phase: t("tui.export.running"), id="export-job")
            yield Static(id="export-error")
            yield Static(Text(t("tui.export.hint"), style="dim"))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        if event.select.id == "export-kind":
            self.kind = str(event.value)
        elif event.select.id == "export-format":
            self.fmt = str(event.value)
        path = self.query_one("#export-path", Input)
        if path.value == self._default:  # untouched: follow the choices
            self._default = path.value = default_path(self.kind, self.fmt, self.today)
        elif Path(path.value).suffix.lower() in EXTENSIONS.values():
            path.value = str(Path(path.value).with_suffix(EXTENSIONS[self.fmt]))

    @on(Input.Submitted, "#export-path")
    def _submitted(self) -> None:
        self.run_export()

    def _fail(self, text: str) -> None:
        self.error = text
        self.query_one("#export-error", Static).update(text)

    def run_export(self) -> None:
        job = self.query_one(JobProgress)
        if job.running:
            return
        if self.kind == "cases" and self.fmt == "vcard":
            self._fail(t("tui.export.vcard_cases"))
            return
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self._fail(t("tui.export.no_path"))
            return
        target = Path(text).expanduser()
        kind, fmt, lang = self.kind, self.fmt, get_lang()
        cancel = job.start("export")
        self._fail("")

        def work(store: Any) -> int:
            from ...importer.export import export

            return export(
                store,
                kind,
                fmt,
                target,
                lang=lang,
                progress=lambda done, total: job.report("export", done, total),
                cancel=cancel.is_set,
            )

        def done(count: int) -> None:
            job.finish()
            self.app.notify(t("tui.export.done", count=count, path=str(target)), timeout=6)
            self.dismiss(str(target))

        def failed(error: BaseException) -> None:
            job.finish()
            cancelled = type(error).__name__ == "ImportCancelled"
            self._fail(t("tui.export.cancelled") if cancelled else error_text(error))

        run_db(self, work, done, on_error=failed, group="export")

    def action_cancel(self) -> None:
        job = self.query_one(JobProgress)
        if job.running:
            job.request_cancel(t("tui.import.cancelling"))
        else:
            self.dismiss(None)


class PersonExportDialog(Dialog):
    """Everything held about one contact into a folder: ``person-<id>.json`` and ``person-<id>.md``."""

    def __init__(self, contact_id: str, name: str, folder: str) -> None:
        super().__init__()
        self.contact_id, self.person_name, self.folder = contact_id, name, folder
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(t("tui.person.title", name=self.person_name), classes="dialog-title")
            yield Input(self.folder, id="person-folder", suggester=PathSuggester((".none",)))
            yield Static(id="person-error", classes="error")
            yield Static(Text(t("tui.export.hint"), style="dim"))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        folder = Path(event.value.strip() or self.folder).expanduser()
        contact_id, lang = self.contact_id, get_lang()

        def work(store: Any) -> list[Path]:
            from ...importer.person_report import write_person_export

            return write_person_export(store, contact_id, folder, lang=lang)

        def done(paths: list[Path]) -> None:
            self.app.notify(t("tui.person.written", paths=", ".join(str(p) for p in paths)), timeout=8)
            self.dismiss(paths)

        def failed(error: BaseException) -> None:
            self.error = error_text(error) if hasattr(error, "message") else str(error)
            self.query_one("#person-error", Static).update(self.error)

        run_db(self, work, done, on_error=failed, group="person-export")
