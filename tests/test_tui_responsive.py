"""The event loop keeps ticking on a big store: scroll the whole case list to its end and type into lookup
while a 10 ms timer records the longest gap between its ticks (a freeze shows up as a long gap).

Big data: marked ``bigdata``, so left out of the default run; ``pytest -m bigdata`` runs it (CI does, as a
second job). The store (100k contacts by default; LIAISON_TUI_BIG_CONTACTS to change) takes a few
minutes to build and is cached outside the work tree (tests/store_cache.py); later runs take seconds."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from liaison_tui.domain.i18n import set_lang
from liaison_tui.tui.screens.cases import CasesScreen
from liaison_tui.tui.screens.lookup import LookupScreen
from liaison_tui.tui.testing import make_app, settle
from liaison_tui.tui.widgets.paged_table import PagedTable

from .store_cache import cached_demo_store

pytestmark = [pytest.mark.anyio, pytest.mark.bigdata]
CONTACTS = int(os.environ.get("LIAISON_TUI_BIG_CONTACTS", "100000"))
# The bar is 100 ms, and the longest gap is printed against it (measured here: 45-98 ms). The test
# fails only on a real freeze: on a shared two-core machine (CI, or a laptop busy with other work) the
# scheduler alone can delay a 10 ms timer by more than 100 ms, and a flaky wall-clock assertion would
# hide real results.
# A freeze of the kind this guards against (a table loading all rows) lasts seconds.
# LIAISON_TUI_MAX_GAP_MS=100 applies that bar on a quiet machine.
MAX_GAP = float(os.environ.get("LIAISON_TUI_MAX_GAP_MS", "500")) / 1000


@pytest.fixture(scope="session")
def big_store() -> Path:
    return cached_demo_store(CONTACTS)


class Ticker:
    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.step = ""
        self.worst_step = ""

    def tick(self) -> None:
        now = time.perf_counter()
        if now - self.last > self.worst:
            self.worst, self.worst_step = now - self.last, self.step
        self.last = now

    def reset(self) -> None:
        self.last, self.worst = time.perf_counter(), 0.0


async def test_event_loop_never_freezes_on_a_big_store(big_store: Path) -> None:
    app = make_app(big_store)
    ticker = Ticker()
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("2")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CasesScreen)
            await pilot.press("o", "s", "2")  # everyone's cases, every status: the whole table
            await settle(pilot)
            table = screen.query_one(PagedTable)
            assert screen.total and screen.total > 10_000
            # measure from here: scrolling and typing (screens are composed once, before)
            app.set_interval(0.01, ticker.tick)
            ticker.reset()
            for _ in range(6):  # scroll down through a few pages
                ticker.step = "pagedown"
                await pilot.press("pagedown")
                await settle(pilot)
            ticker.step = "G"
            await pilot.press("G")  # to the very end
            await settle(pilot)
            assert table.at_end and table.row_count <= table.PAGE * table.MAX_PAGES
            for _ in range(4):
                ticker.step = "pageup"
                await pilot.press("pageup")
                await settle(pilot)
            ticker.step = "open lookup"
            await pilot.press("slash")
            ticker.step = "typing"
            for key in "zhang wei":  # type without waiting: workers overlap and stale ones are dropped
                await pilot.press("space" if key == " " else key)
            await settle(pilot)
            lookup = app.screen
            assert isinstance(lookup, LookupScreen)
            assert lookup.result is not None and lookup.result.query == "zhang wei" and lookup.result.found
            await pilot.pause(0.05)
            print(f"longest event-loop gap: {ticker.worst * 1000:.0f} ms ({ticker.worst_step})")
            assert ticker.worst < MAX_GAP, f"the event loop stalled for {ticker.worst * 1000:.0f} ms"
    finally:
        set_lang("en")
