"""Small edit forms: a case's details (case screen, e), a new follow-up picked from the agenda (n), one contact
point (contact screen, p). Each saves in a worker; the store's validation problems appear under their fields,
in the UI language, and nothing is written until they are fixed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ...domain.enums import CasePriority, FollowUpKind
from ...domain.i18n import t
from ...domain.models import Case, ContactPoint
from ...domain.times import to_utc
from ...domain.validation import FieldProblem, ValidationFailed
from ...store import queries
from ..db import run_db
from .dialogs import ErrorLine, FormDialog, next_morning, parse_local


def _field(name: str, label: str, widget: Any) -> ComposeResult:
    yield Label(label)
    yield widget
    yield ErrorLine(id=f"err-{name}", classes="error")


def _text(form: FormDialog, widget_id: str) -> str:
    return form.query_one(f"#{widget_id}", Input).value.strip()


def _select(form: FormDialog, widget_id: str) -> Any:
    value = form.query_one(f"#{widget_id}", Select).value
    return None if value is Select.NULL else value


def _local(when: datetime | None, tz: Any) -> str:
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M") if when else ""


class SavingForm(FormDialog):
    """A form that writes through ``fn(store)`` in a worker and closes when the store accepts it."""

    DONE_KEY = "app.saved"
    LAST_INPUT = ""  # Enter here saves; Enter elsewhere moves on

    def write(self, fn: Any) -> None:
        def saved(result: Any) -> None:
            self.dismiss(result)
            self.app.notify(t(self.DONE_KEY), timeout=3)
            self.app.data_changed()  # type: ignore[attr-defined]

        def failed(error: BaseException) -> None:
            if isinstance(error, ValidationFailed):
                self.show_problems(error.problems)
                first = next((p.field for p in error.problems if p.field in self.FIELDS), None)
                if first and self.query(f"#f-{first}"):
                    self.query_one(f"#f-{first}").focus()
            else:
                self.app.show_error(error)  # type: ignore[attr-defined]

        run_db(self, fn, saved, on_error=failed)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if event.input.id == self.LAST_INPUT:
            self.action_save()
        elif event.input.id != "f-contact":
            self.focus_next()


class CaseEditDialog(SavingForm):
    """Title, priority, due date (local time), owner and description of one case."""

    FIELDS = ("title", "priority", "due_at", "owner_id", "description")
    LAST_INPUT = "f-description"

    def __init__(self, case: Case) -> None:
        super().__init__()
        self.case = case

    def compose(self) -> ComposeResult:
        case, tz = self.case, self.liaison.tz
        with Vertical(classes="dialog edit-form", id="case-edit"):
            yield Label(t("case.edit_title", number=case.number), classes="dialog-title")
            with VerticalScroll():
                yield from _field("title", t("dialog.title"), Input(case.title, id="f-title"))
                yield from _field(
                    "priority",
                    t("dialog.priority"),
                    Select(
                        [(p.label(), p.value) for p in CasePriority],
                        value=case.priority.value,
                        allow_blank=False,
                        id="f-priority",
                    ),
                )
                yield from _field(
                    "due_at", t("case.due_label"), Input(_local(case.due_at, tz), id="f-due_at")
                )
                yield from _field("owner_id", t("field.owner_id"), Select([], id="f-owner_id"))
                yield from _field(
                    "description", t("field.description"), Input(case.description or "", id="f-description")
                )
            yield Static(t("form.hint"), classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#f-title", Input).focus()
        run_db(self, queries.staff_names, self._staff)

    def _staff(self, names: dict[str, str]) -> None:
        owner = self.query_one("#f-owner_id", Select)
        owner.set_options([(name, staff_id) for staff_id, name in names.items()])
        if self.case.owner_id in names:
            owner.value = self.case.owner_id

    def action_save(self) -> None:
        due_text = _text(self, "f-due_at")
        due = parse_local(due_text, self.liaison.tz, self.liaison.now()) if due_text else None
        if due_text and due is None:
            self.show_problems([FieldProblem("due_at", "err.when")])
            self.query_one("#f-due_at").focus()
            return
        changes = {
            "title": _text(self, "f-title"),
            "priority": _select(self, "f-priority"),
            "due_at": to_utc(due) if due else None,
            "owner_id": _select(self, "f-owner_id"),
            "description": _text(self, "f-description") or None,
        }
        case_id = self.case.id
        self.write(lambda store: store.cases.update(case_id, changes))


class AgendaFollowUpDialog(SavingForm):
    """A follow-up from the agenda: type part of a name, pick the contact, then kind, title and due date."""

    FIELDS = ("contact_id", "kind", "title", "due_at")
    DONE_KEY = "followup.created"
    LAST_INPUT = "f-due_at"

    def __init__(self) -> None:
        super().__init__()
        self.contact_id: str | None = None
        self._query = ""

    def compose(self) -> ComposeResult:
        due = next_morning(self.liaison.now(), self.liaison.tz)
        with Vertical(classes="dialog edit-form", id="agenda-new"):
            yield Label(t("followup.title"), classes="dialog-title")
            with VerticalScroll():
                yield Label(t("agenda.new.contact"))
                yield Input(placeholder=t("agenda.new.search"), id="f-contact")
                yield OptionList(id="f-contact-hits")
                yield Static(id="f-contact-chosen")
                yield ErrorLine(id="err-contact_id", classes="error")
                yield from _field(
                    "kind",
                    t("dialog.kind"),
                    Select(
                        [(k.label(), k.value) for k in FollowUpKind],
                        value=FollowUpKind.CALL_BACK.value,
                        allow_blank=False,
                        id="f-kind",
                    ),
                )
                yield from _field(
                    "title", t("dialog.title"), Input(FollowUpKind.CALL_BACK.label(), id="f-title")
                )
                yield from _field(
                    "due_at", t("followup.due"), Input(due.strftime("%Y-%m-%d %H:%M"), id="f-due_at")
                )
            yield Static(t("form.hint"), classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#f-contact-hits").display = False
        self.query_one("#f-contact", Input).focus()

    @on(Input.Changed, "#f-contact")
    def _search(self, event: Input.Changed) -> None:
        query = event.value.strip()
        self._query = query
        if not query:
            self._hits([], "")
            return
        finder = self.liaison.lookup

        def find(store: Any) -> list[tuple[str, str]]:
            from ...store import search

            if finder is None:
                return [
                    (r["id"], " ".join(p for p in (r["native_name"], r["latin_name"]) if p))
                    for r in queries.like_contacts(store.conn, query, 10)
                ]
            with finder.lock:
                try:
                    return [
                        (h.id, h.title)
                        for h in search.search(finder.conn, query, types=["contact"], limit=10)
                    ]
                except Exception:  # the index may be mid-rebuild: a plain name match instead
                    return [
                        (r["id"], " ".join(p for p in (r["native_name"], r["latin_name"]) if p))
                        for r in queries.like_contacts(finder.conn, query, 10)
                    ]

        run_db(
            self,
            find,
            lambda hits: self._hits(hits, query),
            group="agenda-new-search",
            exclusive=True,
            store_lock=finder is None,
        )

    def _hits(self, hits: list[tuple[str, str]], query: str) -> None:
        if query != self._query:
            return  # an answer to an older query
        options = self.query_one("#f-contact-hits", OptionList)
        options.clear_options()
        options.add_options([Option(title, id=contact_id) for contact_id, title in hits])
        options.display = bool(hits)
        if hits:
            options.highlighted = 0

    @on(Input.Submitted, "#f-contact")
    def _contact_entered(self) -> None:
        options = self.query_one("#f-contact-hits", OptionList)
        if options.option_count:
            self._choose(options.get_option_at_index(options.highlighted or 0))
        else:
            options.focus()

    @on(OptionList.OptionSelected, "#f-contact-hits")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option)

    def _choose(self, option: Option) -> None:
        self.contact_id = option.id
        self.query_one("#f-contact-chosen", Static).update(f"✓ {option.prompt}")
        self.query_one("#err-contact_id", ErrorLine).show([])
        self.query_one("#f-kind").focus()

    @on(Select.Changed, "#f-kind")
    def _kind(self, event: Select.Changed) -> None:
        title = self.query_one("#f-title", Input)
        labels = {k.label() for k in FollowUpKind}
        if event.value is not Select.NULL and (not title.value.strip() or title.value in labels):
            title.value = FollowUpKind(event.value).label()

    def action_save(self) -> None:
        problems = []
        if not self.contact_id:
            problems.append(FieldProblem("contact_id", "err.link_required"))
        due = parse_local(_text(self, "f-due_at"), self.liaison.tz, self.liaison.now())
        if due is None:
            problems.append(FieldProblem("due_at", "err.when"))
        if problems:
            self.show_problems(problems)
            return
        assert due is not None
        me = self.liaison.me
        data = {
            "contact_id": self.contact_id,
            "kind": _select(self, "f-kind"),
            "title": _text(self, "f-title"),
            "due_at": to_utc(due),
            "assignee_id": me["id"] if me else None,
        }
        self.write(lambda store: store.followups.create(data))


class PointEditDialog(SavingForm):
    """One way to reach a contact: what was typed (re-normalised by the store) and its label."""

    FIELDS = ("raw", "label")
    LAST_INPUT = "f-label"

    def __init__(self, point: ContactPoint) -> None:
        super().__init__()
        self.point = point

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog edit-form", id="point-edit"):
            yield Label(t("point.edit_title", kind=self.point.kind.label()), classes="dialog-title")
            yield from _field("raw", t("field.raw"), Input(self.point.raw, id="f-raw"))
            yield from _field("label", t("field.label"), Input(self.point.label or "", id="f-label"))
            yield Static(t("form.hint"), classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#f-raw", Input).focus()

    def action_save(self) -> None:
        changes = {"raw": _text(self, "f-raw"), "label": _text(self, "f-label") or None}
        point_id = self.point.id
        self.write(lambda store: store.contact_points.update(point_id, changes))
