"""Palette commands for reports and saved views: "Reports", "Report: Services" …, and "Open view: NAME" for
each view the user has (their own and those shared with them)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..domain.i18n import t
from . import report_strings  # noqa: F401  (registers the messages)

_REPORTS = ("services", "pipeline", "talent_map", "events", "introductions", "workload", "quality")


class ReportCommands(Provider):
    async def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        app: Any = self.app
        out: list[tuple[str, Callable[[], Any], str]] = [
            (t("cmd.reports"), partial(app.run_action, "reports"), "4 R")
        ]
        out += [
            (t("cmd.report", name=t(f"report.name.{n}")), partial(app.open_report, n), "") for n in _REPORTS
        ]
        if app.store is not None:
            me = (app.me or {}).get("id")
            views = await asyncio.to_thread(_views, app.store, me)
            from .saved_views import open_view

            for view in views:
                out.append((t("views.open", name=view["name"]), partial(open_view, app, view), view["kind"]))
        return out

    async def discover(self) -> Hits:
        for text, run, help_text in await self._commands():
            yield DiscoveryHit(text, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, run, help_text in await self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), run, help=help_text)


def _views(store: Any, me: str | None) -> list[dict[str, Any]]:
    from ..store.saved_views import views_for

    with store.lock:
        return views_for(store.conn, me)
