"""Command-palette provider (ctrl+p): the app's actions plus records found by lookup."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..domain.i18n import get_lang, t
from .lookup import kind_label

# (catalog key of the command, action, binding id whose key is shown beside it)
_ACTIONS = (
    ("cmd.home", "home", "app.home"),
    ("cmd.cases", "cases", "app.cases"),
    ("cmd.agenda", "agenda", "app.agenda"),
    ("cmd.lookup", "lookup", "app.lookup"),
    ("cmd.new_contact", "new_contact", "app.new_contact"),
    ("cmd.import", "import", "app.import"),
    ("cmd.export", "export", "app.export"),
    ("cmd.duplicates", "duplicates", "app.duplicates"),
    ("cmd.sync", "sync", "app.sync"),
    ("cmd.conflicts", "conflicts", "app.conflicts"),
    ("cmd.rejected", "rejected", "app.rejected"),
    ("cmd.language", "toggle_language", "app.language"),
    ("cmd.help", "help", "app.help"),
)


class LiaisonCommands(Provider):
    def _actions(self) -> list[tuple[str, str, Callable[[], Any], str]]:
        """(text in the UI language, text in the other language, run, its key)."""
        app: Any = self.app
        other = "en" if get_lang() == "zh" else "zh"
        return [
            (
                t(label),
                t(label, other),
                partial(app.run_action, action),
                t("cmd.key", key=app.key_of(binding_id)),
            )
            for label, action, binding_id in _ACTIONS
        ]

    async def discover(self) -> Hits:
        for text, _other, run, keys in self._actions():
            yield DiscoveryHit(text, run, help=keys)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, other, run, keys in self._actions():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), run, help=keys)
            elif matcher.match(other) > 0:  # "import" finds 导入… in a Chinese palette, and the reverse
                yield Hit(matcher.match(other) * 0.9, text, run, help=f"{other} · {keys}")
        app: Any = self.app
        if app.reader is not None and query.strip():
            # Always something to choose: look the words up (also keeps Textual's English "No matches found"
            # out of a Chinese palette).
            text = t("cmd.lookup_query", q=query.strip())
            yield Hit(
                0.01, text, partial(app.run_action, f"lookup({query.strip()!r})"), help=t("cmd.lookup_help")
            )
        if app.store is None or len(query.strip()) < 2:
            return

        result = await asyncio.to_thread(app.lookup.find, query, 10)  # SQLite off the event loop
        opener = {"contact": app.open_contact, "case": app.open_case, "org": app.open_org}
        for rank, found in enumerate(result.found):
            text = t("cmd.open", kind=kind_label(found.kind), title=found.title)
            args = (found.id, found.title) if found.kind == "org" else (found.id,)
            yield Hit(0.9 - rank * 0.01, text, partial(opener[found.kind], *args), help=found.subtitle)
