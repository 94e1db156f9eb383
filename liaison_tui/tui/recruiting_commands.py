"""The command palette's recruiting entries: the demand, event and organization lists, new records, and
demands and events found by title (a plain indexed read of a few thousand rows at most)."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..domain.i18n import register, t
from ..store.recruiting_queries import titles_like

register(
    {
        "key.app.demands": ("Demands", "用人需求"),
        "key.app.events": ("Events", "活动"),
        "key.app.organizations": ("Organizations", "机构"),
        "cmd.demands": ("Demands (employers' needs and matching)", "用人需求（需求与人才匹配）"),
        "cmd.events": ("Events and check-in", "活动与签到"),
        "cmd.organizations": ("Organizations and the alliance", "机构与联盟"),
        "cmd.new_demand": ("New demand", "新建用人需求"),
        "cmd.new_event": ("New event", "新建活动"),
        "cmd.new_org": ("New organization", "新建机构"),
        "cmd.open_demand": ("Demand: {title}", "用人需求：{title}"),
        "cmd.open_event": ("Event: {title}", "活动：{title}"),
    }
)

_ACTIONS = (
    ("cmd.demands", "demands"),
    ("cmd.events", "events"),
    ("cmd.organizations", "organizations"),
    ("cmd.new_demand", "new_record('demand')"),
    ("cmd.new_event", "new_record('event')"),
    ("cmd.new_org", "new_record('org')"),
)


class RecruitingCommands(Provider):
    def _actions(self) -> list[tuple[str, Any]]:
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
        found = await asyncio.to_thread(titles_like, app.store, query)
        for rank, (kind, row_id, title) in enumerate(found):
            opener = app.open_demand if kind == "demand" else app.open_event
            yield Hit(0.8 - rank * 0.01, t(f"cmd.open_{kind}", title=title), partial(opener, row_id))
