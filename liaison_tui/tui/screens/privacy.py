"""A person's consent (record an event of their ledger) and their erasure (typed confirmation), from the
contact screen (docs/SECURITY.md "Personal data")."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...domain.enums import ConsentAction, ConsentChannel, ConsentPurpose
from ...domain.i18n import register, t
from .dialogs import ErrorLine
from .edit_forms import SavingForm

register(
    {
        "consent.dialog_title": ("Consent · {name}", "同意记录 · {name}"),
        "consent.action": ("Given or withdrawn", "同意或撤回"),
        "consent.purpose": ("For what", "用途"),
        "consent.channel": ("How", "方式"),
        "consent.date": ("On (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
        "consent.expires_on": ("Until (optional)", "有效期至（可选）"),
        "consent.evidence": ("Where the proof is (optional)", "凭证所在（可选）"),
        "consent.saved": ("Consent recorded.", "已记录同意情况。"),
        "erase.title": ("Erase the personal data of {name}", "删除 {name} 的个人信息"),
        "erase.explain": (
            "Names, contact points, notes and free text go from this laptop now and from the station server "
            "and every other laptop as they sync; case categories, statuses and dates stay for the station's "
            "figures. This cannot be undone.",
            "姓名、联系方式、备注和其他文字将立即从本机删除，并在同步时从工作站服务器和所有其他电脑删除；"
            "事项类别、状态和日期保留用于统计。此操作不可撤销。",
        ),
        "erase.reason": ("Reason (no personal data here)", "原因（请勿填写个人信息）"),
        "erase.confirm": ("Type ERASE to confirm", "输入 ERASE 确认"),
        "erase.confirm_word": ("ERASE", "ERASE"),
        "erase.mismatch": ("Type ERASE exactly.", "请准确输入 ERASE。"),
        "erase.done": ("Erased. Every other copy is erased as it syncs.", "已删除。其他副本将在同步时删除。"),
    }
)


def _options(enum: Any, element_id: str) -> OptionList:
    return OptionList(*[Option(member.label(), id=member.value) for member in enum], id=element_id)


def _chosen(dialog: Any, element_id: str) -> str:
    options = dialog.query_one(f"#{element_id}", OptionList)
    return str(options.get_option_at_index(options.highlighted or 0).id)


class ConsentDialog(SavingForm):
    """One event of a person's consent ledger: given or withdrawn, purpose, channel, date, expiry, proof."""

    FIELDS = ("action", "purpose", "channel", "occurred_on", "expires_on", "evidence")
    DONE_KEY = "consent.saved"
    LAST_INPUT = "f-evidence"

    def __init__(self, contact_id: str, name: str) -> None:
        super().__init__()
        self.contact_id = contact_id
        self._name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog edit-form", id="consent-form"):
            yield Label(t("consent.dialog_title", name=self._name), classes="dialog-title")
            with VerticalScroll():  # scrolls on a small terminal; the title and the keys stay in view
                for name, label, widget in (
                    ("action", "consent.action", _options(ConsentAction, "f-action")),
                    ("purpose", "consent.purpose", _options(ConsentPurpose, "f-purpose")),
                    ("channel", "consent.channel", _options(ConsentChannel, "f-channel")),
                    ("occurred_on", "consent.date", Input(date.today().isoformat(), id="f-occurred_on")),
                    ("expires_on", "consent.expires_on", Input(id="f-expires_on")),
                    ("evidence", "consent.evidence", Input(id="f-evidence")),
                ):
                    yield Label(t(label))
                    yield widget
                    yield ErrorLine(id=f"err-{name}", classes="error")
            yield Static(t("form.hint"), classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        for element_id in ("f-action", "f-purpose", "f-channel"):
            self.query_one(f"#{element_id}", OptionList).highlighted = 0
        self.query_one("#f-action", OptionList).focus()

    @on(OptionList.OptionSelected)
    def _next_list(self) -> None:
        self.focus_next()

    def action_save(self) -> None:
        values = {
            "contact_id": self.contact_id,
            "action": _chosen(self, "f-action"),
            "purpose": _chosen(self, "f-purpose"),
            "channel": _chosen(self, "f-channel"),
            "occurred_on": self.query_one("#f-occurred_on", Input).value.strip() or date.today().isoformat(),
            "expires_on": self.query_one("#f-expires_on", Input).value.strip() or None,
            "evidence": self.query_one("#f-evidence", Input).value.strip() or None,
        }
        from ...store.consent import record

        self.write(lambda store: record(store, values))


class EraseDialog(SavingForm):
    """A reason and the word ERASE typed out: erasure is not a key to press by accident."""

    FIELDS = ("reason", "confirm")
    DONE_KEY = "erase.done"
    LAST_INPUT = "f-confirm"

    def __init__(self, contact_id: str, name: str) -> None:
        super().__init__()
        self.contact_id = contact_id
        self._name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog edit-form", id="erase-form"):
            yield Label(t("erase.title", name=self._name), classes="dialog-title")
            yield Static(t("erase.explain"), classes="hint")
            yield Label(t("erase.reason"))
            yield Input(id="f-reason")
            yield ErrorLine(id="err-reason", classes="error")
            yield Label(t("erase.confirm"))
            yield Input(id="f-confirm")
            yield ErrorLine(id="err-confirm", classes="error")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#f-reason", Input).focus()

    def action_save(self) -> None:
        from ...domain.validation import FieldProblem

        if self.query_one("#f-confirm", Input).value.strip() != t("erase.confirm_word"):
            self.show_problems([FieldProblem("confirm", "erase.mismatch")])
            self.query_one("#f-confirm", Input).focus()
            return
        reason = self.query_one("#f-reason", Input).value
        contact_id = self.contact_id
        from ...store.erasure import erase_person

        self.write(lambda store: erase_person(store, contact_id, reason))
