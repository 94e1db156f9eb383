"""Global lookup (``/`` or ctrl+k anywhere): search as you type over contacts, organizations and cases.

Every keystroke starts an exclusive thread worker (the previous query's worker is cancelled) and a result
is shown only if it answers what the box holds now, so a slow early query never overwrites a later one."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...domain.i18n import t, tn
from ..db import run_db
from ..fmt import clip
from ..keymap import localize_tree
from ..lookup import Found, LookupResult, kind_label

_KIND_STYLE = {"contact": "bold cyan", "org": "bold magenta", "case": "bold yellow"}


class LookupScreen(Screen[tuple[str, str, str] | None]):
    """A full screen, not a modal: a modal makes Textual repaint the screen beneath on every keystroke,
    which costs tens of milliseconds on a busy home screen."""

    BINDINGS = [
        ("escape", "cancel", ""),
        ("down", "move(1)", ""),
        ("up", "move(-1)", ""),
        ("pagedown", "move(8)", ""),
        ("pageup", "move(-8)", ""),
    ]

    FIRST = 20  # results asked for as you type
    MORE = 50  # added each time the cursor goes past the last one
    MOST = 500

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._initial = query
        self.result: LookupResult | None = None
        self.pending: str | None = None
        self.limit = self.FIRST
        self.total: int | None = None  # all matches for the query shown (when more than were listed)
        self._open_on_arrival = False
        self._highlight = 0  # where the cursor goes when the answer arrives (after "more": where it was)

    def compose(self) -> ComposeResult:
        with Vertical(id="lookup-box"):
            yield Input(self._initial, placeholder=t("lookup.placeholder"), id="lookup-input")
            yield OptionList(id="lookup-results")
            yield Static(Text(t("lookup.hint"), style="dim"), id="lookup-status")

    @property
    def liaison(self) -> Any:
        return self.app

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_mount(self) -> None:
        localize_tree([self])
        box = self.query_one(Input)
        box.focus()
        typed = self.liaison.take_typeahead()
        text, enter, _ = typed.partition("\n")
        if text:
            box.value = self._initial + text
            box.cursor_position = len(box.value)
        if enter:
            self._open_on_arrival = True
        elif self._initial and not text:
            self._search(self._initial)

    @on(Input.Changed, "#lookup-input")
    def _changed(self, event: Input.Changed) -> None:
        self.limit, self.total, self._highlight = self.FIRST, None, 0
        self._search(event.value)

    def _search(self, query: str) -> None:
        if not query.strip():
            self.result = None
            self.query_one(OptionList).clear_options()
            self.query_one("#lookup-status", Static).update(Text(t("lookup.hint"), style="dim"))
            return
        self.pending = query
        engine, limit = self.liaison.lookup, self.limit
        run_db(
            self,
            lambda _store: engine.find(query, limit),
            self._show,
            group="lookup",
            exclusive=True,
            store_lock=False,
            read_only=True,
        )

    def _show(self, result: LookupResult) -> None:
        if result.query != self.query_one(Input).value:
            return  # stale: the box has changed since this query started
        self.result = result
        self.pending = None
        options = self.query_one(OptionList)
        width = max(self.query_one("#lookup-box").size.width - 8, 30)
        options.clear_options()
        options.add_options(
            [Option(_prompt(found, width), id=f"{found.kind}:{found.id}") for found in result.found]
        )
        if result.found:
            options.highlighted = min(self._highlight, len(result.found) - 1)
            if self._open_on_arrival:  # Enter was pressed before the answer came: honour it
                self._open(options.get_option_at_index(0).id or "")
                return
        self._open_on_arrival = False
        if len(result.found) < self.limit:
            self.total = None  # all of them are listed (the index's count is only an upper bound)
        self._show_status()
        if len(result.found) >= self.limit and self.total is None:  # there may be more: how many?
            query, engine = result.query, self.liaison.lookup
            run_db(
                self,
                lambda _store: (query, engine.count(query)),
                self._counted,
                group="lookup-count",
                exclusive=True,
                store_lock=False,
                read_only=True,
            )

    def _counted(self, answer: tuple[str, int | None]) -> None:
        query, total = answer
        if self.result is not None and query == self.result.query:
            self.total = total
            self._show_status()

    def _show_status(self) -> None:
        result = self.result
        if result is None:
            return
        shown = len(result.found)
        more = self.total is not None and self.total > shown
        if not result.found:
            status = t("lookup.none", q=result.query)
        elif more:
            status = t("lookup.count_of", shown=shown, total=f"{self.total:,}")
            status += " · " + t("lookup.more" if shown < self.MOST else "lookup.narrow")
        else:
            status = tn("lookup.count_only", shown)
        if result.found and self.liaison.show_timings:  # not in snapshots: it changes from run to run
            status += " · " + t("lookup.ms", ms=f"{result.ms:.0f}")
        if result.fallback:
            status += "  " + t("lookup.fallback")
        self.query_one("#lookup-status", Static).update(Text(status + "   " + t("lookup.hint"), style="dim"))

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if not options.option_count:
            return
        current = options.highlighted if options.highlighted is not None else -1
        if delta > 0 and current + delta >= options.option_count and self._has_more():
            # past the last one while there are more: fetch the next few and go on from here
            self.limit = min(self.limit + self.MORE, self.MOST)
            self._highlight = current + 1
            self._search(self.query_one(Input).value)
        options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def _has_more(self) -> bool:
        found = len(self.result.found) if self.result else 0
        return self.pending is None and found >= self.limit and self.limit < self.MOST

    @on(Input.Submitted, "#lookup-input")
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if self.pending is not None:
            self._open_on_arrival = True
        elif options.highlighted is not None:
            self._open(options.get_option_at_index(options.highlighted).id or "")

    @on(OptionList.OptionSelected, "#lookup-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id or "")

    def _open(self, option_id: str) -> None:
        kind, _, row_id = option_id.partition(":")
        found = next((f for f in (self.result.found if self.result else []) if f.id == row_id), None)
        self.dismiss((kind, row_id, found.title if found else ""))


def _prompt(found: Found, width: int) -> Text:
    tag = Text(f"{kind_label(found.kind):<4} ", style=_KIND_STYLE.get(found.kind, "bold"))
    line = Text.assemble(tag)
    start = found.title.find(found.matched_text) if found.matched_text else -1
    if found.span and start >= 0:
        title = Text(found.title)
        title.stylize("bold reverse", start + found.span[0], start + found.span[1])
        line.append_text(title)
    else:
        line.append(found.title)
        if found.matched_text:
            matched = Text(found.matched_text, style="italic")
            if found.span:
                matched.stylize("bold reverse", *found.span)
            line.append("  ")
            line.append_text(matched)
    line.truncate(width, overflow="ellipsis")
    if found.subtitle:
        line.append("\n     ")
        line.append(clip(found.subtitle, width - 5), style="dim")
    return line
