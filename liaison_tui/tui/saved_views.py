"""Saved views in the terminal: S saves the case list, contact list or report on screen under a name; the
palette and the home screen open them again (on any of the user's laptops, once synced)."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

from ..domain.i18n import t
from . import report_strings  # noqa: F401  (registers the messages)
from .db import run_db

if TYPE_CHECKING:
    from .app import LiaisonApp


def save_current_view(app: LiaisonApp) -> None:
    screen = app.screen
    state = getattr(screen, "view_state", None)
    if state is None or app.reader is None:
        app.notify(t("views.nothing"), timeout=3)
        return
    kind, target, params = state()
    from .screens.reports import TextDialog

    suggestion = params.get("caption") or (t(f"report.name.{target}") if target else "")

    def named(name: str | None) -> None:
        if not name:
            return
        me = (app.me or {}).get("id")

        def save(store: Any) -> str:
            from ..store.reports.scope import scope_of
            from ..store.saved_views import save_view

            role = scope_of(store.conn, app.settings.user).role
            return save_view(store, me, role, name, kind, params, target=target)

        def saved(_: str) -> None:
            app.notify(t("views.saved", name=name), timeout=3)
            app.data_changed()

        run_db(app.screen, save, saved, group="save-view")

    app.push_screen(TextDialog(t("views.title"), t("views.name"), suggestion), named)


def open_view(app: LiaisonApp, view: dict[str, Any]) -> None:
    params = view.get("params") or {}
    if view["kind"] == "report":
        app.open_report(view.get("target") or "services", params)
    elif view["kind"] == "cases":
        from ..store.queries import CaseFilter
        from .screens.cases import CasesScreen

        fields = {f.name for f in dataclasses.fields(CaseFilter)}
        known = {k: (tuple(v) if k == "statuses" else v) for k, v in params.items() if k in fields}
        app.push_screen(CasesScreen(CaseFilter(**known), mine=bool(params.get("mine")), caption=view["name"]))
    elif view["kind"] == "contacts":
        from .screens.contacts import ContactsScreen

        app.push_screen(ContactsScreen(json.dumps(params.get("where") or {}), view["name"]))
