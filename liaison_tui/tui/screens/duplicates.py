"""Likely duplicate contacts, strongest first: why each pair matched (same email / phone / WeChat, same
name and organization or country). Enter (or m) opens the merge screen, d marks the pair as two different
people, r scans again. The scan runs in a thread worker with a progress bar; it reruns whenever the
screen comes back (after a merge the list has changed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ...domain.display import country_name
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
class Person:
    """What tells two records of one name apart, for the pair under the cursor."""

    name: str
    org: str
    country: str
    city: str
    emails: list[str]
    phones: list[str]
    added: str  # created_at, ISO

    def facts(self) -> list[tuple[str, str]]:
        """(label key, value) rows of the detail panel, in the UI language."""
        return [
            ("field.org_id", self.org),
            ("tui.dup.place", " · ".join(p for p in (self.city, country_name(self.country)) if p)),
            ("form.email", ", ".join(self.emails)),
            ("form.phone", ", ".join(self.phones)),
            ("tui.dup.added", self.added[:10]),
        ]


@dataclass
class Scan:
    pairs: list[Any]  # store.dedupe.DuplicatePair, at most MAX_LISTED
    total: int
    people: dict[str, Person]

    def name(self, contact_id: str) -> str:
        person = self.people.get(contact_id)
        return person.name if person else contact_id


def load_people(store: Any, ids: set[str]) -> dict[str, Person]:
    """Names, organization, place, emails, phones and the date added of a few hundred contacts, as the
    detail panel shows them."""
    from ...domain.values import format_phone
    from ...store.dedupe import contact_facts

    return {
        cid: Person(
            " ".join(n for n in (f.native_name, f.latin_name) if n) or cid,
            f.org,
            f.country,
            f.city,
            list(f.emails),
            [format_phone(p) for p in f.phones],
            f.added,
        )
        for cid, f in contact_facts(store, ids).items()
    }


def _telling(a: Person, b: Person) -> tuple[str, str]:
    """The first fact that differs between two records of one name (organization, country, email,
    phone, date added), to show beside each name."""
    for (_, left), (_, right) in zip(a.facts(), b.facts(), strict=True):
        if left != right:
            return left, right
    return "", ""


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
    DuplicatesScreen #dup-detail { height: auto; display: none; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.scan: Scan | None = None

    def compose_body(self) -> ComposeResult:
        yield JobProgress(lambda _phase: t("tui.dup.scanning"), id="dup-job")
        yield Static(id="dup-status")
        yield NavTable(id="dup-table")
        yield Static(id="dup-detail", classes="panel")

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
            from ...store.dedupe import find_duplicates

            pairs = find_duplicates(
                store, progress=lambda done, total: job.report("scan", done, total), cancel=cancel.is_set
            )
            shown = pairs[:MAX_LISTED]
            return Scan(shown, len(pairs), load_people(store, {i for p in shown for i in (p.keep, p.other)}))

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
            kinds = {r.kind for r in pair.reasons}
            # "same name and organization" says what "same name and country" would, and more
            reasons = [r for r in pair.reasons if not (r.kind == "name_country" and "name_org" in kinds)]
            why = ", ".join(dict.fromkeys(r.label(lang) for r in reasons))
            table.add_row(
                self._side(scan, pair.keep, pair.other, table.w("keep")),
                self._side(scan, pair.other, pair.keep, table.w("other")),
                Text(clip(why, table.w("why")), style="bold" if pair.exact else ""),
                key=f"{pair.keep}:{pair.other}",
            )
        if scan.pairs:
            table.move_cursor(row=min(keep_row, len(scan.pairs) - 1))
        self._show_detail()

    @staticmethod
    def _side(scan: Scan, this: str, that: str, width: int) -> Text:
        """The name; when both records carry the same one, what tells this one apart (dim)."""
        name = scan.name(this)
        text = Text(clip(name, width))
        a, b = scan.people.get(this), scan.people.get(that)
        if a and b and name == scan.name(that):
            telling = _telling(a, b)[0]
            if telling:
                text.append(" · " + telling, style="dim")
                text.truncate(width, overflow="ellipsis")
        return text

    def on_row_list_row_highlighted(self, event: NavTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The pair under the cursor side by side: organization, place, emails, phones, date added; the
        facts that differ in bold."""
        panel = self.query_one("#dup-detail", Static)
        pair = self.query_one(NavTable).selected_key()
        scan = self.scan
        if not pair or scan is None:
            panel.display = False
            return
        keep_id, _, other_id = pair.partition(":")
        keep, other = scan.people.get(keep_id), scan.people.get(other_id)
        if keep is None or other is None:
            panel.display = False
            return
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
        grid.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
        grid.add_row("", Text(keep.name, style="bold"), Text(other.name, style="bold"))
        for (label, left), (_, right) in zip(keep.facts(), other.facts(), strict=True):
            style = "bold" if left != right else "dim"
            grid.add_row(t(label), Text(left or "—", style=style), Text(right or "—", style=style))
        panel.border_title = t("tui.dup.detail")
        panel.update(grid)
        panel.display = True

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
        from ...store.dedupe import dismiss_pair

        def dismissed(_: None) -> None:
            self.notify(t("tui.dup.dismissed"), timeout=3)
            self.reload()

        run_db(self, lambda store: dismiss_pair(store, *pair), dismissed)
