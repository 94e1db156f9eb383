"""Writes shared by the contact and case screens: log an interaction, add a follow-up, each in a worker."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from textual import events
from textual.widgets import Input

from ...domain.enums import FollowUpStatus
from ...domain.i18n import get_lang, t
from ...domain.times import to_utc
from ...domain.validation import ValidationFailed
from ...store import services
from ..db import run_db
from ..fmt import enum_label, short_stamp
from ..widgets.log_bar import LogBar
from ..widgets.nav_table import NavTable
from .dialogs import ChoiceDialog, DateDialog, FollowUpDialog, next_morning

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


# ---------------------------------------------------------------- acting on a follow-up
def complete_followup(screen: BaseScreen, followup_id: str) -> None:
    """Mark it done (the store logs an activity), in a worker."""
    app = screen.liaison
    staff_id = app.me["id"] if app.me else None
    run_db(
        screen,
        lambda store: services.complete_followup(store, followup_id, staff_id=staff_id, lang=get_lang()),
        lambda fu: (app.notify(t("agenda.done", title=fu.title), timeout=3), app.data_changed()),
    )


async def snooze_followup(screen: BaseScreen, followup_id: str) -> None:
    """Ask until when (three hours, next working morning, three days, next week), then snooze."""
    app = screen.liaison
    now, tz = app.now(), app.tz
    choices = {
        "hours": now + timedelta(hours=3),
        "tomorrow": next_morning(now, tz, 1),
        "days": next_morning(now, tz, 3),
        "week": next_morning(now, tz, 7),
    }

    def chosen(value: str | None) -> None:
        if value:
            until = to_utc(choices[value])
            run_db(
                screen,
                lambda store: services.snooze_followup(store, followup_id, until),
                lambda fu: (
                    app.notify(t("agenda.snoozed", when=short_stamp(until, tz, now)), timeout=3),
                    app.data_changed(),
                ),
            )

    options = [
        (name, f"{t('agenda.snooze.' + name)}  ({short_stamp(when, tz, now)})")
        for name, when in choices.items()
    ]
    await app.push_screen(ChoiceDialog(t("agenda.snooze_title"), options), chosen)


async def reschedule_followup(screen: BaseScreen, followup_id: str) -> None:
    """Ask for the new due date and time (typed as staff type them), then move it."""
    app = screen.liaison
    now, tz = app.now(), app.tz

    def chosen(when: Any) -> None:
        if when is not None:
            due = to_utc(when)
            run_db(
                screen,
                lambda store: services.reschedule_followup(store, followup_id, due),
                lambda fu: (
                    app.notify(t("agenda.rescheduled", when=short_stamp(due, tz, now)), timeout=3),
                    app.data_changed(),
                ),
            )

    await app.push_screen(DateDialog(t("agenda.reschedule_title"), next_morning(now, tz, 1)), chosen)


async def followup_menu(screen: BaseScreen, row: dict[str, Any], *, open_case: bool = True) -> None:
    """Enter on a follow-up in a contact's or case's list: what to do with it (the agenda's keys)."""
    live = row["status"] in ("open", "snoozed")
    options: list[tuple[str, str]] = []
    if live:
        options += [
            ("done", t("followup.menu.done")),
            ("snooze", t("followup.menu.snooze")),
            ("reschedule", t("followup.menu.reschedule")),
        ]
    if open_case and row.get("case_id"):
        options.append(("case", t("followup.menu.case", number=row.get("case_number") or "")))
    if not options:
        screen.notify(t("followup.menu.closed"), timeout=3)
        return

    async def act(choice: str | None) -> None:
        if choice == "done":
            complete_followup(screen, row["id"])
        elif choice == "snooze":
            await snooze_followup(screen, row["id"])
        elif choice == "reschedule":
            await reschedule_followup(screen, row["id"])
        elif choice == "case":
            screen.liaison.open_case(row["case_id"])

    title = f"{row['title']} · {enum_label(FollowUpStatus, row['status'])}"
    await screen.app.push_screen(ChoiceDialog(title, options), act)


def focus_tab_list(tabs: Any) -> None:
    """Put the focus on the list in the tab just shown, so that Enter opens its row at once."""
    pane = tabs.get_pane(tabs.active) if tabs.active else None
    if pane is not None:
        for table in pane.query(NavTable):
            table.focus()
            return
