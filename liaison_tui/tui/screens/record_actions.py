"""Writes shared by the contact and case screens: log an interaction, add a follow-up, each in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.widgets import Input

from ...domain.i18n import t
from ...domain.times import to_utc
from ...domain.validation import ValidationFailed
from ...store import services
from ..db import run_db
from ..widgets.log_bar import LogBar
from .dialogs import FollowUpDialog, next_morning

if TYPE_CHECKING:
    from .base import BaseScreen


class LogsInteractions:
    """Mixin for record screens: the inline log bar, driven from the screen's own key handler."""

    LOG_BINDING = "record.log"

    def log_subject(self) -> str | None:
        raise NotImplementedError

    def log_target(self) -> dict[str, str | None]:
        raise NotImplementedError

    def _log_keys(self) -> set[str]:
        keymap: dict[str, str] = getattr(self.app, "_keymap", {})  # type: ignore[attr-defined]
        return {k.strip() for k in (keymap.get(self.LOG_BINDING) or "l").split(",")}

    def action_log(self) -> None:
        subject = self.log_subject()
        if subject:
            self.query_one(LogBar).start(subject)  # type: ignore[attr-defined]

    def on_key(self, event: events.Key) -> None:
        bar = self.query_one(LogBar)  # type: ignore[attr-defined]
        if bar.feed(event):
            event.stop()
            event.prevent_default()
        elif not bar.active and event.key in self._log_keys() and not isinstance(self.focused, Input):  # type: ignore[attr-defined]
            # handled here, in order with the keys that follow, rather than as an app-level binding
            event.stop()
            event.prevent_default()
            self.action_log()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "log-input":
            return
        event.stop()
        bar = self.query_one(LogBar)  # type: ignore[attr-defined]
        text, kind = event.value.strip(), bar.kind
        if not text or kind is None:
            return
        bar.stop()
        screen: Any = self
        app = screen.liaison
        staff_id = app.me["id"] if app.me else None
        target = self.log_target()
        run_db(
            screen,
            lambda store: services.log_activity(
                store, kind, text, staff_id=staff_id, occurred_at=app.now(), **target
            ),
            lambda _: (app.notify(t("log.saved", kind=kind.label()), timeout=3), app.data_changed()),
        )


async def add_followup(
    screen: BaseScreen, subject: str, *, contact_id: str | None = None, case_id: str | None = None
) -> None:
    app = screen.liaison
    dialog = FollowUpDialog(subject, next_morning(app.now(), app.tz))
    staff_id = app.me["id"] if app.me else None

    def save(form: FollowUpDialog, values: dict[str, Any]) -> None:
        data = {
            **values,
            "due_at": to_utc(values["due_at"]),
            "assignee_id": staff_id,
            "contact_id": contact_id,
            "case_id": case_id,
        }

        def saved(_: Any) -> None:
            form.dismiss(True)
            app.notify(t("followup.created"), timeout=3)
            app.data_changed()

        def failed(error: BaseException) -> None:
            if isinstance(error, ValidationFailed):
                form.show_problems(error.problems)
            else:
                app.show_error(error)

        run_db(form, lambda store: store.followups.create(data), saved, on_error=failed)

    dialog.on_save = save
    await app.push_screen(dialog)
