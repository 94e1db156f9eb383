"""Create or edit a contact. Problems come back from the store's validation and appear under each field,
in the UI language ("电话: “123” 不是可拨打的电话号码")."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticCustomError
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from ...domain.enums import ContactKind, ContactPointKind, TalentTier
from ...domain.i18n import t
from ...domain.models import Contact, ContactPoint
from ...domain.validation import FieldProblem, ValidationFailed
from ...domain.values import country_code, dialing_region
from ...store import services
from ..db import run_db
from ..keymap import key
from .base import Dialog
from .dialogs import ErrorLine

TEXT_FIELDS = ("native_name", "latin_name", "title", "country", "city", "timezone", "notes")
POINT_FIELDS = {
    "phone": ContactPointKind.PHONE,
    "email": ContactPointKind.EMAIL,
    "wechat": ContactPointKind.WECHAT,
}


class ContactForm(Dialog):
    BINDINGS = [("escape", "cancel", ""), key("ctrl+s", "save", "form.save")]

    def __init__(self, contact_id: str | None, prefill: dict[str, str] | None = None) -> None:
        """``prefill``: field -> text for a new contact (a name or phone already typed elsewhere)."""
        super().__init__()
        self.contact_id = contact_id
        self.prefill = prefill or {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="contact-form"):
            yield Label(t("contact.edit" if self.contact_id else "contact.new"), classes="dialog-title")
            with VerticalScroll():
                for name in TEXT_FIELDS[:2]:
                    yield from self._field(name, t(f"field.{name}"))
                with Horizontal(classes="form-row"):
                    with Vertical():
                        yield Label(t("field.kind"))
                        yield Select(
                            [(k.label(), k.value) for k in ContactKind],
                            value="talent",
                            allow_blank=False,
                            id="f-kind",
                        )
                    with Vertical():
                        yield Label(t("field.tier"))
                        yield Select(
                            [(k.label(), k.value) for k in TalentTier],
                            value="unrated",
                            allow_blank=False,
                            id="f-tier",
                        )
                for name in TEXT_FIELDS[2:]:
                    yield from self._field(name, t(f"field.{name}"))
                if not self.contact_id:
                    for name in POINT_FIELDS:
                        yield from self._field(name, t(f"form.{name}"))
            yield Static(t("form.hint"), classes="hint")

    def _field(self, name: str, label: str) -> ComposeResult:
        yield Label(label)
        yield Input(id=f"f-{name}")
        yield ErrorLine(id=f"err-{name}", classes="error")

    def on_mount(self) -> None:
        super().on_mount()
        for line in self.query(ErrorLine):
            line.display = False
        for name, value in self.prefill.items():
            self.query_one(f"#f-{name}", Input).value = value
        self.query_one("#f-native_name", Input).focus()
        if self.contact_id:
            run_db(self, lambda store: store.contacts.get(self.contact_id), self._fill)

    def _fill(self, contact: Contact) -> None:
        for name in TEXT_FIELDS:
            value = getattr(contact, name)
            self.query_one(f"#f-{name}", Input).value = value or ""
        self.query_one("#f-kind", Select).value = contact.kind.value
        self.query_one("#f-tier", Select).value = contact.tier.value

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        contact: dict[str, Any] = {
            name: self.query_one(f"#f-{name}", Input).value.strip() or None for name in TEXT_FIELDS
        }
        contact["kind"] = self.query_one("#f-kind", Select).value
        contact["tier"] = self.query_one("#f-tier", Select).value
        points = (
            {}
            if self.contact_id
            else {name: self.query_one(f"#f-{name}", Input).value.strip() for name in POINT_FIELDS}
        )
        return contact, {k: v for k, v in points.items() if v}

    def action_save(self) -> None:
        contact, points = self.values()
        contact_id = self.contact_id
        me = getattr(self.app, "me", None)
        if not contact_id and me:  # a new contact is looked after by whoever adds it, until reassigned
            contact.setdefault("owner_id", me["id"])

        def save(store: Any) -> str:
            if contact_id:
                return store.contacts.update(contact_id, contact).id
            check_points(points, contact.get("country"))
            rows = [
                {"kind": POINT_FIELDS[name], "raw": raw, "is_primary": True} for name, raw in points.items()
            ]
            return services.create_contact(store, contact, rows).id

        run_db(self, save, self._saved, on_error=self._failed)

    def _saved(self, contact_id: str) -> None:
        self.notify(t("contact.created") if not self.contact_id else t("app.saved"), timeout=3)
        self.dismiss(contact_id)
        self.app.data_changed()  # type: ignore[attr-defined]

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, ValidationFailed):
            self.app.show_error(error)  # type: ignore[attr-defined]
            return
        by_field: dict[str, list[FieldProblem]] = {}
        for problem in error.problems:
            name = problem.field if self.query(f"#err-{problem.field}") else "native_name"
            by_field.setdefault(name, []).append(problem)
        for line in self.query(ErrorLine):
            line.show(by_field.get((line.id or "")[4:], []))
        first = next(iter(by_field), None)
        if first and self.query(f"#f-{first}"):
            self.query_one(f"#f-{first}").focus()


def check_points(points: dict[str, str], country: str | None) -> None:
    """Validate phone / email / WeChat before anything is written, reporting each on its own field."""
    problems: list[FieldProblem] = []
    try:  # the region numbers without a country code are read in, as the store will read them
        region = dialing_region(country_code(country) if country else None)
    except PydanticCustomError:
        region = dialing_region()  # the country field reports its own problem
    for name, raw in points.items():
        try:
            ContactPoint.model_validate(
                {"contact_id": "-", "kind": POINT_FIELDS[name], "raw": raw}, context={"region": region}
            )
        except ValidationError as exc:
            for problem in ValidationFailed.from_pydantic(exc).problems:
                problems.append(FieldProblem(name, problem.key, problem.params))
    if problems:
        raise ValidationFailed(problems)
