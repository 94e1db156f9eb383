"""Likely duplicate contacts, strongest first: why each pair matched (same email / phone / WeChat, same
name and organization or country). Enter (or m) opens the merge screen, d marks the pair as two different
people, r scans again. The scan runs in a thread worker with a progress bar; it reruns whenever the
screen comes back (after a merge the list has changed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ...domain.i18n import get_lang, t
from ..db import run_db
from ..fmt import clip
from ..keymap import key
from ..widgets.job_progress import JobProgress
from ..widgets.nav_table import NavTable
from . import data_strings  # noqa: F401  (registers the messages)
from .base import BaseScreen

MAX_LISTED = 500  # pairs listed (strongest first); a merge or dismissal and a rescan bring up the next


@dataclass
class Scan:
    pairs: list[Any]  # store.people.DuplicatePair, at most MAX_LISTED
    total: int
    names: dict[str, str]


def contact_names(store: Any, ids: set[str]) -> dict[str, str]:
    """Display names (native and Latin) of a few hundred ids, in chunks under SQLite's variable limit."""
    out: dict[str, str] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for cid, native, latin in store.conn.execute(
            f"SELECT id, native_name, latin_name FROM contacts WHERE id IN ({marks})", chunk
        ):
            out[cid] = " ".join(n for n in (native, latin) if n) or cid
    return out


class DuplicatesScreen(BaseScreen):
    TITLE_KEY = "screen.duplicates"
    BINDINGS = [
        key("m", "merge", "dup.merge"),
        key("d", "dismiss_pair", "dup.dismiss"),
        key("r", "rescan", "dup.rescan"),
    ]
    DEFAULT_CSS = """
    DuplicatesScreen #dup-status { height: auto; padding: 0 1; }
    DuplicatesScreen #dup-table { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.scan: Scan | None = None

    def compose_body(self) -> ComposeResult:
        yield JobProgress(lambda _phase: t("tui.dup.scanning"), id="dup-job")
        yield Static(id="dup-status")
        yield NavTable(id="dup-table")

    def relabel(self) -> None:
        super().relabel()
        self.query_one(NavTable).set_columns(
            [("keep", "tui.col.keep", 0.35), ("other", "tui.col.other", 0.35), ("why", "tui.col.why", 0.3)]
        )
        if self.scan:
            self._show(self.scan)

    def on_row_list_relaid(self) -> None:
        if self.scan:
            self._show(self.scan)

    def reload(self) -> None:
        job = self.query_one(JobProgress)
        if job.running:
            return
        cancel = job.start("scan")

        def scan(store: Any) -> Scan:
            from ...store.people import find_duplicates

            pairs = find_duplicates(
                store, progress=lambda done, total: job.report("scan", done, total), cancel=cancel.is_set
            )
            shown = pairs[:MAX_LISTED]
            return Scan(
                shown, len(pairs), contact_names(store, {i for p in shown for i in (p.keep, p.other)})
            )

        run_db(self, scan, self._show, on_error=self._failed, group="dup-scan")

    def _failed(self, error: BaseException) -> None:
        self.query_one(JobProgress).finish()
        self.liaison.show_error(error)

    def _show(self, scan: Scan) -> None:
        self.query_one(JobProgress).finish()
        self.scan = scan
        lang = get_lang()
        if not scan.pairs:
            status = Text(t("tui.dup.none"), style="dim")
        else:
            status = Text(t("tui.dup.count", count=scan.total))
            if scan.total > len(scan.pairs):
                status.append(f" ({t('tui.dup.capped', shown=len(scan.pairs))})", style="dim")
        self.query_one("#dup-status", Static).update(status)
        table = self.query_one(NavTable)
        keep_row = table.cursor_row
        table.clear()
        for pair in scan.pairs:
            why = ", ".join(dict.fromkeys(r.label(lang) for r in pair.reasons))
            table.add_row(
                clip(scan.names.get(pair.keep, pair.keep), table.w("keep")),
                clip(scan.names.get(pair.other, pair.other), table.w("other")),
                Text(clip(why, table.w("why")), style="bold" if pair.exact else ""),
                key=f"{pair.keep}:{pair.other}",
            )
        if scan.pairs:
            table.move_cursor(row=min(keep_row, len(scan.pairs) - 1))

    def _selected(self) -> tuple[str, str] | None:
        value = self.query_one(NavTable).selected_key()
        if not value:
            self.notify(t("tui.dup.none_selected"), severity="warning")
            return None
        keep, _, other = value.partition(":")
        return keep, other

    def action_rescan(self) -> None:
        self.reload()

    def action_merge(self) -> None:
        pair = self._selected()
        if pair:
            from .merge import MergeScreen

            self.app.push_screen(MergeScreen(*pair))

    def on_row_list_row_selected(self, event: NavTable.RowSelected) -> None:
        self.action_merge()

    def action_dismiss_pair(self) -> None:
        pair = self._selected()
        if not pair:
            return
        from ...store.people import dismiss_pair

        def dismissed(_: None) -> None:
            self.notify(t("tui.dup.dismissed"), timeout=3)
            self.reload()

        run_db(self, lambda store: dismiss_pair(store, *pair), dismissed)
