"""Command-palette provider (ctrl+p): the app's actions plus records found by lookup."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..domain.i18n import t
from .lookup import kind_label

_ACTIONS = (
    ("cmd.home", "home"),
    ("cmd.cases", "cases"),
    ("cmd.agenda", "agenda"),
    ("cmd.new_contact", "new_contact"),
    ("cmd.language", "toggle_language"),
    ("cmd.help", "help"),
)


class LiaisonCommands(Provider):
    def _actions(self) -> list[tuple[str, Callable[[], Any]]]:
        app = self.app
        return [(t(label), partial(app.run_action, action)) for label, action in _ACTIONS]

    async def discover(self) -> Hits:
        for text, run in self._actions():
            yield DiscoveryHit(text, run)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, run in self._actions():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), run)
        app: Any = self.app
        if app.store is None or len(query.strip()) < 2:
            return

        result = await asyncio.to_thread(app.lookup.find, query, 10)  # SQLite off the event loop
        opener = {"contact": app.open_contact, "case": app.open_case, "org": app.open_org}
        for rank, found in enumerate(result.found):
            text = t("cmd.open", kind=kind_label(found.kind), title=found.title)
            args = (found.id, found.title) if found.kind == "org" else (found.id,)
            yield Hit(0.9 - rank * 0.01, text, partial(opener[found.kind], *args), help=found.subtitle)
