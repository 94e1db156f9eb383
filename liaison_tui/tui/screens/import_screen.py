"""Import contacts from CSV, Excel (.xlsx) or vCard: open a file, check and edit the column mapping (save
it by name, load a saved one), preview what every row would do, then import with a progress bar.

Reading, planning and applying run in thread workers. The apply is one transaction in the importer, so
Esc during the import (the cancel flag) or any failure leaves the store as it was. Errors from the reader
are :class:`LiaisonError` with a message in the UI language; anything else is shown by its type, never as
a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from ...domain.i18n import get_lang, t, tn
from ...domain.validation import field_label
from ..db import run_db
from ..fmt import clip
from ..keymap import key
from ..widgets.job_progress import JobProgress
from ..widgets.nav_table import NavTable
from . import data_strings  # noqa: F401  (registers the messages)
from .base import BaseScreen
from .dialogs import ChoiceDialog
from .path_input import PathSuggester

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".vcf", ".vcard")
MAX_LISTED = 2000  # rows listed in the preview; the counts cover all of them
_ORDER = {"failed": 0, "duplicate": 1, "update": 3, "unchanged": 4, "create": 5}
_STYLE = {"failed": "red", "duplicate": "yellow", "create": "green"}


@dataclass
class OpenedFile:
    name: str
    sha256: str
    table: Any  # importer.readers.RawTable
    mapping: Any  # importer.mapping.Mapping
    saved: list[str]


def error_text(error: BaseException) -> str:
    """A reader/importer error in the UI language; an unexpected one by its type only."""
    if hasattr(error, "message"):
        return str(error.message(get_lang()))
    return t("tui.import.unexpected", error=type(error).__name__)


def open_file(store: Any, path: Path, caps: tuple[int, int] | None = None) -> OpenedFile:
    """Read the file in a worker; ``caps`` are the settings' (import_max_rows, import_max_mb)."""
    from ...importer.mapping import Mapping
    from ...importer.plan import fingerprint
    from ...importer.readers import DEFAULT_LIMITS, configured_limits, load_bytes, read_bytes
    from ...importer.saved_mappings import list_mappings

    limits = configured_limits(*caps) if caps else DEFAULT_LIMITS
    data = load_bytes(path, limits)
    table = read_bytes(data, path.name, limits)
    return OpenedFile(
        path.name, fingerprint(data), table, Mapping.guess(path.stem, table.headers), list_mappings(store)
    )


def counts_text(counts: dict[str, int]) -> str:
    """The preview's counts, each with the singular form for 1."""
    parts = ("create", "update", "unchanged", "duplicate", "suspect", "failed")
    return " · ".join(tn(f"tui.import.count.{part}", counts.get(part, 0)) for part in parts)


def notable_rows(plan: Any) -> tuple[list[Any], int]:
    """The rows a preview lists, problems first (at most MAX_LISTED), and how many more there are:
    worked out in the job's thread, as sorting a big file's rows would stall the screen."""
    notable = sorted(
        (r for r in plan.rows if r.action != "unchanged"),
        key=lambda r: (_ORDER[r.action] - (2 if r.suspects else 0), r.number),
    )
    return notable[:MAX_LISTED], max(0, len(notable) - MAX_LISTED)


def describe(row: Any, lang: str) -> str:
    """What the import does with a row, in the UI language, the fields it fills by their labels
    ("Native name, +Phone", not ``native_name, +phone``)."""
    from ...domain.enums import ContactPointKind

    if row.action == "failed" and row.error is not None:
        return "; ".join(problem.message(lang) for problem in row.error.problems)
    text = t(f"import.action.{row.action}", lang, row=row.same_as)
    if row.action == "update" and row.fills:
        names = []
        for name in row.fills:
            if name.startswith("+"):
                try:
                    names.append("+" + ContactPointKind(name[1:]).label(lang))
                except ValueError:
                    names.append(name)
            else:
                names.append(field_label("org_id" if name == "org" else name, lang))
        text += f"（{'、'.join(names)}）" if lang == "zh" else f" ({', '.join(names)})"
    if row.suspects:
        who = ", ".join(
            t(f"import.suspect.{s.split(':')[0]}", lang, row=s.split(":", 1)[1], id=s.split(":", 1)[1])
            for s in row.suspects
        )
        text += "; " + t("import.suspect", lang, who=who)
    return text


class ImportScreen(BaseScreen):
    TITLE_KEY = "screen.import"
    BINDINGS = [
        key("ctrl+r", "preview", "import.preview"),
        key("ctrl+g", "apply", "import.apply"),
        key("ctrl+s", "save_mapping", "import.save_mapping"),
        key("escape", "cancel", "import.cancel"),
    ]

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.initial_path = path
        self.file: OpenedFile | None = None
        self.columns: dict[str, str] = {}
        self.plan: Any = None
        self.result: Any = None
        self.error: str | None = None  # the last error shown (tests read it)
        self.failed_after: list[int] = []  # rows listed as not imported after an import
        self.listed: list[Any] = []  # the preview's rows (notable_rows)
        self.unlisted = 0
        self.candidates: list[str] = []  # files fitting the path typed so far

    def compose_body(self) -> ComposeResult:
        with Vertical(id="import-body"):
            yield Input(self.initial_path, id="import-path", suggester=PathSuggester(SUFFIXES))
            yield Static(id="import-file-info")
            with Horizontal(id="import-mapping-bar"):
                yield Select[str]([], id="import-saved")
                yield Input(id="import-mapping-name")
                yield Button("", id="import-save")
            yield VerticalScroll(id="import-columns", classes="panel")
            with Horizontal(id="import-actions"):
                yield Button("", id="import-preview", variant="primary")
                yield Button("", id="import-apply", variant="success")
            yield JobProgress(lambda phase: t(f"import.phase.{phase}") if phase else "", id="import-job")
            yield Static(id="import-counts")
            yield NavTable(id="import-rows")

    DEFAULT_CSS = """
    ImportScreen #import-body { height: 1fr; padding: 0 1; }
    ImportScreen #import-file-info, ImportScreen #import-counts { height: auto; max-height: 6; }
    ImportScreen #import-mapping-bar, ImportScreen #import-actions { height: 3; }
    ImportScreen #import-saved { width: 40; }
    ImportScreen #import-mapping-name { width: 1fr; }
    ImportScreen #import-columns { height: 1fr; min-height: 6; display: none; }
    ImportScreen #import-columns.-loaded { display: block; }
    ImportScreen .import-column { height: 3; }
    ImportScreen .import-column Label { width: 40; padding: 1 1 0 0; }
    ImportScreen .import-column Select { width: 1fr; }
    ImportScreen #import-rows { height: 1fr; min-height: 4; }
    """

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#import-mapping-bar").display = False
        self.query_one("#import-actions").display = False
        self.query_one("#import-path", Input).focus()
        if self.initial_path:
            self.load(self.initial_path)

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#import-path", Input).placeholder = t("tui.import.path")
        self.query_one("#import-saved", Select).prompt = t("tui.import.saved")
        self.query_one("#import-mapping-name", Input).placeholder = t("tui.import.mapping_name")
        self.query_one("#import-save", Button).label = t("tui.import.save")
        self.query_one("#import-preview", Button).label = t("tui.import.preview_btn")
        self.query_one("#import-apply", Button).label = t("tui.import.apply_btn")
        self.query_one("#import-columns").border_title = t("tui.import.columns")
        self.query_one("#import-rows", NavTable).set_columns(
            [("row", "tui.col.row", 6), ("result", "tui.col.result", 1.0)]
        )
        if self.plan is not None:
            self._show_plan(self.plan)

    def on_row_list_relaid(self) -> None:
        if self.plan is not None:
            self._show_plan(self.plan)

    @property
    def job(self) -> JobProgress:
        return self.query_one("#import-job", JobProgress)

    # ---------------------------------------------------------------- reading the file
    @on(Input.Changed, "#import-path")
    def _path_changed(self, event: Input.Changed) -> None:
        """When what is typed fits several files, list them (→ completes only what they share)."""
        value = event.value
        if not value or self.file is not None or self.job.running:
            return
        suggester = self.query_one("#import-path", Input).suggester
        assert isinstance(suggester, PathSuggester)
        self.run_worker(
            lambda: (value, suggester.candidates(value)), thread=True, group="import-paths", exclusive=True
        )

    def on_worker_state_changed(self, event: Any) -> None:
        worker = event.worker
        if worker.group != "import-paths" or worker.state.name != "SUCCESS" or self.file is not None:
            return
        value, found = worker.result
        if value != self.query_one("#import-path", Input).value:
            return  # typed on since
        self.candidates = found
        if len(found) > 1:
            shown = ", ".join(found[:8]) + (" …" if len(found) > 8 else "")
            self._info(Text(t("tui.import.matches", n=len(found), names=shown), style="dim"))
        else:
            self._info(Text(""))

    @on(Input.Submitted, "#import-path")
    def _path_entered(self, event: Input.Submitted) -> None:
        self.load(event.value)

    def load(self, text: str) -> None:
        if self.job.running or not text.strip():
            return
        path = Path(text.strip()).expanduser()
        settings = self.app.settings  # type: ignore[attr-defined]
        caps = (settings.import_max_rows, settings.import_max_mb)
        self._reset()
        self._info(Text(t("tui.import.reading", name=path.name), style="dim"))
        run_db(
            self,
            lambda store: open_file(store, path, caps),
            self._opened,
            on_error=self._read_failed,
            group="import-read",
            exclusive=True,
        )

    def _reset(self) -> None:
        self.file, self.plan, self.result, self.error = None, None, None, None
        self.query_one("#import-columns").remove_children()
        self.query_one("#import-columns").remove_class("-loaded")
        self.query_one("#import-mapping-bar").display = False
        self.query_one("#import-actions").display = False
        self.query_one("#import-counts", Static).update("")
        self.query_one("#import-rows", NavTable).clear()

    def _read_failed(self, error: BaseException) -> None:
        self.error = error_text(error)
        self._info(Text(self.error, style="bold red"))

    def _info(self, text: Text) -> None:
        self.query_one("#import-file-info", Static).update(text)

    def _opened(self, opened: OpenedFile) -> None:
        self.file = opened
        table = opened.table
        encoding = f", {table.encoding}" if table.encoding else ""
        # a vCard file has no header row (header_row 0): do not say "header on row 0"
        key = "tui.import.file" if table.header_row else "tui.import.file_no_header"
        info = Text(
            t(
                key,
                name=opened.name,
                kind=t(f"tui.import.kind.{table.source_kind}"),
                rows=len(table.rows),
                header=table.header_row,
                encoding=encoding,
            ),
            style="bold",
        )
        for row, reason in table.skipped[:3]:
            info.append(
                "\n" + t("tui.import.skipped", row=row, reason=t(f"import.skip.{reason}")), style="dim"
            )
        if len(table.skipped) > 3:
            info.append("\n" + t("tui.import.more", count=len(table.skipped) - 3), style="dim")
        self._info(info)
        saved = self.query_one("#import-saved", Select)
        saved.set_options([(name, name) for name in opened.saved])
        self.query_one("#import-mapping-name", Input).value = opened.mapping.name
        self.query_one("#import-mapping-bar").display = True
        self.query_one("#import-actions").display = True
        self._show_columns(opened.mapping.columns)

    def _show_columns(self, columns: dict[str, str]) -> None:
        from ...importer.mapping import CANONICAL_FIELDS

        assert self.file is not None
        self.columns = dict(columns)
        options = [(t("tui.import.ignore") if f == "ignore" else field_label(f), f) for f in CANONICAL_FIELDS]
        box = self.query_one("#import-columns", VerticalScroll)
        box.remove_children()
        rows = self.file.table.rows[:20]
        for n, (header, target) in enumerate(self.columns.items()):
            sample = next((r.values.get(header, "") for r in rows if r.values.get(header)), "")
            label = Text(clip(header, 18), style="bold")
            if sample:
                label.append(f"  {clip(sample, 18)}", style="dim")
            select = Select(options, value=target, allow_blank=False, id=f"import-col-{n}")
            select.header = header  # type: ignore[attr-defined]
            box.mount(Horizontal(Label(label), select, classes="import-column"))
        box.add_class("-loaded")

    @on(Select.Changed, ".import-column Select")
    def _column_changed(self, event: Select.Changed) -> None:
        header = getattr(event.select, "header", None)
        if header is None or self.columns.get(header) == event.value:
            return
        self.columns[header] = str(event.value)
        if self.plan is not None:
            self.plan = None
            self.query_one("#import-rows", NavTable).clear()
            self.query_one("#import-counts", Static).update(Text(t("tui.import.changed"), style="yellow"))

    # ---------------------------------------------------------------- saved mappings
    @on(Select.Changed, "#import-saved")
    def _load_saved(self, event: Select.Changed) -> None:
        if event.value is Select.NULL or self.file is None:
            return
        name, headers = str(event.value), list(self.file.table.headers)

        def load(store: Any) -> Any:
            from ...importer.saved_mappings import adapt, load_mapping

            return adapt(load_mapping(store, name), headers)

        def loaded(mapping: Any) -> None:
            self.query_one("#import-mapping-name", Input).value = mapping.name
            self._show_columns(mapping.columns)
            self.plan = None
            self.notify(t("tui.import.mapping_loaded", name=mapping.name), timeout=3)

        run_db(self, load, loaded, group="import-mapping")

    @on(Button.Pressed, "#import-save")
    def _save_pressed(self) -> None:
        self.action_save_mapping()

    def _mapping(self) -> Any:
        from ...importer.mapping import Mapping

        assert self.file is not None
        name = self.query_one("#import-mapping-name", Input).value.strip() or self.file.mapping.name
        return Mapping.model_validate({"name": name, "columns": self.columns})

    def action_save_mapping(self) -> None:
        if self.file is None:
            self.notify(t("tui.import.no_file"), severity="warning")
            return
        mapping = self._mapping()

        def save(store: Any) -> list[str]:
            from ...importer.saved_mappings import list_mappings, save_mapping

            save_mapping(store, mapping)
            return list_mappings(store)

        def saved(names: list[str]) -> None:
            self.query_one("#import-saved", Select).set_options([(n, n) for n in names])
            self.notify(t("tui.import.mapping_saved", name=mapping.name), timeout=3)

        run_db(self, save, saved, group="import-mapping")

    # ---------------------------------------------------------------- preview and apply
    @on(Button.Pressed, "#import-preview")
    def _preview_pressed(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#import-apply")
    def _apply_pressed(self) -> None:
        self.action_apply()

    def action_preview(self) -> None:
        if self.job.running:
            return
        if self.file is None:
            self.notify(t("tui.import.no_file"), severity="warning")
            return
        opened, mapping, lang = self.file, self._mapping(), get_lang()
        cancel = self.job.start("read")
        self.query_one("#import-counts", Static).update("")
        self.query_one("#import-rows", NavTable).clear()

        def plan(store: Any) -> Any:
            from ...importer.plan import plan_import

            planned = plan_import(
                store,
                opened.table,
                mapping,
                file_name=opened.name,
                sha256=opened.sha256,
                lang=lang,
                progress=self.job.report,
                cancel=cancel.is_set,
            )
            return planned, notable_rows(planned)

        run_db(self, plan, self._planned, on_error=self._job_failed, group="import-job")

    def _planned(self, planned: tuple[Any, tuple[list[Any], int]]) -> None:
        self.job.finish()
        self.plan, (self.listed, self.unlisted) = planned
        self._show_plan(self.plan)

    def _show_plan(self, plan: Any) -> None:
        lang = get_lang()
        text = Text(counts_text(plan.counts), style="bold")
        for previous in plan.previous_imports:
            text.append("\n" + t("tui.import.previous", at=previous["at"]), style="yellow")
        if self.unlisted:
            text.append("\n" + t("tui.import.more", count=self.unlisted), style="dim")
        self.query_one("#import-counts", Static).update(text)
        table = self.query_one("#import-rows", NavTable)
        table.clear()
        width = table.w("result")
        for row in self.listed:
            table.add_row(
                str(row.number),
                Text(clip(describe(row, lang), width), style=_STYLE.get(row.action, "")),
                key=f"r{row.number}",
            )

    def action_apply(self) -> None:
        if self.job.running:
            return
        if self.plan is None:
            self.notify(
                t("tui.import.preview_first" if self.file else "tui.import.no_file"), severity="warning"
            )
            return
        plan = self.plan
        c = plan.counts
        question = t(
            "tui.import.confirm",
            name=self.file.name if self.file else "",
            create=c["create"],
            update=c["update"],
            failed=c["failed"],
        )
        options = [("yes", t("tui.import.confirm_yes")), ("no", t("tui.import.confirm_no"))]
        self.app.push_screen(ChoiceDialog(question, options, current="no"), self._confirmed)

    def _confirmed(self, answer: str | None) -> None:
        if answer != "yes" or self.plan is None or self.job.running:
            return
        plan, lang = self.plan, get_lang()
        cancel = self.job.start("write")

        def apply(store: Any) -> Any:
            from ...importer.apply import apply_import

            result = apply_import(store, plan, progress=self.job.report, cancel=cancel.is_set, lang=lang)
            return result, [row for row in result.rows if row.action == "failed"]

        run_db(self, apply, self._applied, on_error=self._job_failed, group="import-job")

    def _applied(self, applied: tuple[Any, list[Any]]) -> None:
        self.job.finish()
        result, failed = applied
        self.plan, self.result = None, result
        c = result.counts
        self.query_one("#import-counts", Static).update(
            Text(
                t(
                    "tui.import.done",
                    create=c["create"],
                    update=c["update"],
                    unchanged=c["unchanged"],
                    failed=c["failed"],
                    batch=result.batch_id,
                ),
                style="bold green",
            ).append("\n" + t("tui.import.failed_listed") if c["failed"] else "", style="yellow")
        )
        # The rows that were not imported stay listed, so staff can fix them in the file.
        table = self.query_one("#import-rows", NavTable)
        table.clear()
        for row in failed[:MAX_LISTED]:
            table.add_row(
                str(row.number),
                Text(clip(describe(row, get_lang()), table.w("result")), style="red"),
                key=f"r{row.number}",
            )
        self.failed_after = [row.number for row in failed]
        self.liaison.data_changed()

    def _job_failed(self, error: BaseException) -> None:
        self.job.finish()
        self.error = error_text(error)
        self.query_one("#import-counts", Static).update(Text(self.error, style="bold red"))

    def action_cancel(self) -> None:
        """Esc: stop the running job (nothing is written), otherwise leave the screen."""
        if self.job.running:
            self.job.request_cancel(t("tui.import.cancelling"))
        else:
            self.app.pop_screen()
