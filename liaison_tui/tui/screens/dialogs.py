"""Small modal dialogs: pick one of a few things, log an interaction, move a case, add a case or a
follow-up, pick a new date. Each returns what was chosen through ``dismiss``; the calling screen does the
write in a worker. Validation problems come back from the store and are shown under the field they concern."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...domain.enums import CaseCategory, CasePriority, CaseStatus, FollowUpKind
from ...domain.i18n import t
from ...domain.validation import FieldProblem
from ...domain.when import parse_when
from ...domain.workflow import NEEDS_REASON, ORDER, allowed_next
from ..keymap import key
from .base import Dialog


class ErrorLine(Static):
    """The inline message under a form field, in the UI language."""

    def show(self, problems: list[FieldProblem]) -> None:
        self.update(Text("\n".join(p.message() for p in problems)))
        self.display = bool(problems)


class ChoiceDialog(Dialog):
    """Pick one option (arrows + Enter, or the option's digit). Dismisses with the option id."""

    def __init__(
        self,
        title: str,
        options: list[tuple[str, str]],
        *,
        current: str | None = None,
        disabled: set[str] = frozenset(),
    ) -> None:  # type: ignore[assignment]
        super().__init__()
        self._title = title
        self._options = options
        self._current = current
        self._disabled = disabled

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            prompts = []
            for n, (option_id, text) in enumerate(self._options, 1):
                mark = "● " if option_id == self._current else "  "
                prefix = f"{n} " if n < 10 else "  "
                prompts.append(
                    Option(f"{prefix}{mark}{text}", id=option_id, disabled=option_id in self._disabled)
                )
            yield OptionList(*prompts, id="choices")

    def on_mount(self) -> None:
        super().on_mount()
        options = self.query_one(OptionList)
        options.focus()
        ids = [o for o, _ in self._options]
        if self._current in ids and self._current not in self._disabled:
            options.highlighted = ids.index(self._current)

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            index = int(event.character) - 1
            if index < len(self._options) and self._options[index][0] not in self._disabled:
                event.stop()
                self.dismiss(self._options[index][0])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


@dataclass(frozen=True)
class StatusChoice:
    status: CaseStatus
    reason: str | None
    resolution: str | None


class StatusDialog(Dialog):
    """Move a case: only the allowed next statuses can be chosen; a reason or resolution field appears
    when the move needs one. The store checks again and its refusal is shown here, inline."""

    BINDINGS = [("escape", "cancel", "")]

    def __init__(self, number: str, status: CaseStatus) -> None:
        super().__init__()
        self.number = number
        self.status = status
        self.allowed = allowed_next(status)
        self.choice: CaseStatus | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                t("case.status_title", number=self.number, status=self.status.label()), classes="dialog-title"
            )
            yield OptionList(
                *[Option(f"{n} {s.label()}", id=s.value) for n, s in enumerate(self.allowed, 1)],
                id="statuses",
            )
            yield Input(placeholder=t("case.reason"), id="status-reason")
            yield Input(placeholder=t("case.resolution"), id="status-resolution")
            yield ErrorLine(id="status-error", classes="error")

    def on_mount(self) -> None:
        super().on_mount()
        for widget_id in ("#status-reason", "#status-resolution", "#status-error"):
            self.query_one(widget_id).display = False
        self.query_one(OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        if isinstance(self.focused, OptionList) and event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.allowed):
                event.stop()
                self._pick(self.allowed[index])

    @on(OptionList.OptionSelected, "#statuses")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(CaseStatus(event.option.id))

    def _pick(self, status: CaseStatus) -> None:
        self.choice = status
        needs_reason = (self.status, status) in NEEDS_REASON
        needs_resolution = status == CaseStatus.RESOLVED
        reason, resolution = (
            self.query_one("#status-reason", Input),
            self.query_one("#status-resolution", Input),
        )
        reason.display, resolution.display = needs_reason, needs_resolution
        if needs_reason:
            reason.focus()
        elif needs_resolution:
            resolution.focus()
        else:
            self.dismiss(StatusChoice(status, None, None))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        if self.choice is None:
            return
        reason = self.query_one("#status-reason", Input)
        resolution = self.query_one("#status-resolution", Input)
        if reason.display and resolution.display and self.focused is reason:
            resolution.focus()
            return
        # Say what is missing here, before the dialog closes (the store checks again on save).
        problems = []
        if reason.display and not reason.value.strip():
            problems.append(
                FieldProblem("status_reason", "err.case.reason_required", {"new": self.choice.value})
            )
        if resolution.display and not resolution.value.strip():
            problems.append(FieldProblem("resolution", "err.case.resolution_required"))
        if problems:
            self.query_one(ErrorLine).show(problems)
            return
        self.dismiss(
            StatusChoice(self.choice, reason.value.strip() or None, resolution.value.strip() or None)
        )


def status_options(current: CaseStatus) -> list[tuple[str, str]]:
    allowed = set(allowed_next(current))
    return [(s.value, s.label()) for s in ORDER if s in allowed]


class FormDialog(Dialog):
    """A short form: Enter moves to the next field and saves on the last; ctrl+s saves from anywhere.
    ``show_problems`` puts the store's validation messages under their fields."""

    BINDINGS = [("escape", "cancel", ""), key("ctrl+s", "save", "form.save")]
    FIELDS: tuple[str, ...] = ()

    def show_problems(self, problems: list[FieldProblem]) -> None:
        by_field: dict[str, list[FieldProblem]] = {}
        for problem in problems:
            target = problem.field if problem.field in self.FIELDS else self.FIELDS[-1]
            by_field.setdefault(target, []).append(problem)
        for name in self.FIELDS:
            self.query_one(f"#err-{name}", ErrorLine).show(by_field.get(name, []))

    def on_mount(self) -> None:
        super().on_mount()
        for line in self.query(ErrorLine):
            line.display = False

    def action_save(self) -> None:
        raise NotImplementedError


class NewCaseDialog(FormDialog):
    """Category (arrows, Enter), then the title (pre-filled with the category), Enter saves."""

    FIELDS = ("category", "priority", "title")

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name
        self.on_save: Any = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(t("case.new_title", name=self._name), classes="dialog-title")
            yield Label(t("dialog.category"))
            yield OptionList(*[Option(c.label(), id=c.value) for c in CaseCategory], id="case-category")
            yield ErrorLine(id="err-category", classes="error")
            yield Label(t("dialog.priority"))
            yield OptionList(*[Option(p.label(), id=p.value) for p in CasePriority], id="case-priority")
            yield ErrorLine(id="err-priority", classes="error")
            yield Label(t("dialog.title"))
            yield Input(id="case-title")
            yield ErrorLine(id="err-title", classes="error")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#case-priority", OptionList).highlighted = 1
        categories = self.query_one("#case-category", OptionList)
        categories.highlighted = 0
        categories.focus()

    @on(OptionList.OptionSelected, "#case-category")
    def _category(self, event: OptionList.OptionSelected) -> None:
        title = self.query_one("#case-title", Input)
        title.value = CaseCategory(event.option.id).label()
        title.focus()

    @on(OptionList.OptionSelected, "#case-priority")
    def _priority(self) -> None:
        self.query_one("#case-title", Input).focus()

    @on(Input.Submitted, "#case-title")
    def _title(self) -> None:
        self.action_save()

    def values(self) -> dict[str, Any]:
        category = self.query_one("#case-category", OptionList)
        priority = self.query_one("#case-priority", OptionList)
        return {
            "category": category.get_option_at_index(category.highlighted or 0).id,
            "priority": priority.get_option_at_index(priority.highlighted or 0).id,
            "title": self.query_one("#case-title", Input).value,
        }

    def action_save(self) -> None:
        self.on_save(self, self.values())


class FollowUpDialog(FormDialog):
    """Kind (arrows, Enter), title (pre-filled from the kind), due date (pre-filled: next working morning)."""

    FIELDS = ("kind", "title", "due_at")

    def __init__(self, subject: str, default_due: datetime) -> None:
        super().__init__()
        self._subject = subject
        self._due = default_due
        self.on_save: Any = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"{t('followup.title')} · {self._subject}", classes="dialog-title")
            yield Label(t("dialog.kind"))
            yield OptionList(*[Option(k.label(), id=k.value) for k in FollowUpKind], id="fu-kind")
            yield ErrorLine(id="err-kind", classes="error")
            yield Label(t("dialog.title"))
            yield Input(FollowUpKind.CALL_BACK.label(), id="fu-title")
            yield ErrorLine(id="err-title", classes="error")
            yield Label(t("followup.due"))
            yield Input(self._due.strftime("%Y-%m-%d %H:%M"), id="fu-due")
            yield ErrorLine(id="err-due_at", classes="error")

    def on_mount(self) -> None:
        super().on_mount()
        kinds = self.query_one("#fu-kind", OptionList)
        kinds.highlighted = 0
        kinds.focus()

    @on(OptionList.OptionHighlighted, "#fu-kind")
    def _kind_moved(self, event: OptionList.OptionHighlighted) -> None:
        """The title follows the kind (arrows, Tab away) until staff write their own."""
        title = self.query_one("#fu-title", Input)
        if not title.value.strip() or title.value in {k.label() for k in FollowUpKind}:
            title.value = FollowUpKind(event.option.id).label()

    @on(OptionList.OptionSelected, "#fu-kind")
    def _kind(self, event: OptionList.OptionSelected) -> None:
        self._kind_moved(event)  # type: ignore[arg-type]
        self.query_one("#fu-title", Input).focus()

    @on(Input.Submitted, "#fu-title")
    def _title(self) -> None:
        self.query_one("#fu-due", Input).focus()

    @on(Input.Submitted, "#fu-due")
    def _due_entered(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        kinds = self.query_one("#fu-kind", OptionList)
        due_text = self.query_one("#fu-due", Input).value
        due = parse_local(due_text, self.liaison.tz, self.liaison.now())
        if due is None:  # say so under the field and keep what was typed
            self.show_problems([FieldProblem("due_at", "err.when")])
            self.query_one("#fu-due", Input).focus()
            return
        self.on_save(
            self,
            {
                "kind": kinds.get_option_at_index(kinds.highlighted or 0).id,
                "title": self.query_one("#fu-title", Input).value,
                "due_at": due,
            },
        )


class DateDialog(Dialog):
    """A new date and time, typed as ``YYYY-MM-DD HH:MM`` in the display time zone."""

    def __init__(self, title: str, initial: datetime) -> None:
        super().__init__()
        self._title = title
        self._initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            yield Input(self._initial.strftime("%Y-%m-%d %H:%M"), id="date-input")
            yield Static(id="date-error", classes="error")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#date-error").display = False
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        when = parse_local(event.value, self.liaison.tz, self.liaison.now())
        if when is None:
            error = self.query_one("#date-error", Static)
            error.update(t("agenda.bad_date", example=self._initial.strftime("%Y-%m-%d %H:%M")))
            error.display = True
            return
        self.dismiss(when)


def parse_local(text: str, tz: Any, now: datetime) -> datetime | None:
    """A date and time typed in the display time zone, as staff type them (``2026-12-01 09:30``,
    ``tomorrow 10:00``, ``明天 10点``, ``+2d``, ``mon``, ``下周一``; see :mod:`...domain.when`)."""
    return parse_when(text, now.astimezone(tz))


def next_morning(now: datetime, tz: Any, days: int = 1) -> datetime:
    """09:00 local ``days`` days from now, skipping to Monday if that is a weekend."""
    local = (now.astimezone(tz) + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)
    while local.weekday() >= 5:
        local += timedelta(days=1)
    return local
