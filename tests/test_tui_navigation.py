"""The number keys always land on the screen they name, whatever was opened on top of a mode before."""

from __future__ import annotations

from pathlib import Path

import pytest

from liaison_tui.tui.screens.agenda import AgendaScreen
from liaison_tui.tui.screens.case import CaseScreen
from liaison_tui.tui.screens.cases import CasesScreen
from liaison_tui.tui.screens.contact import ContactScreen
from liaison_tui.tui.screens.duplicates import DuplicatesScreen
from liaison_tui.tui.screens.home import HomeScreen
from liaison_tui.tui.testing import copy_store, make_app, settle

from .conftest import rows

pytestmark = pytest.mark.anyio
SIZE = (120, 36)


@pytest.fixture
def db(small_demo_source: Path, tmp_path: Path) -> Path:
    return copy_store(small_demo_source, tmp_path / "nav.db")


async def test_number_keys_land_on_the_screen_they_name(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        for _ in range(3):  # the reported walk, repeated: home, cases, open a case, home, cases
            await pilot.press("2")
            await settle(pilot)
            assert isinstance(app.screen, CasesScreen)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, CaseScreen)
            await pilot.press("1")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen)

        # a data screen opened over the case list does not come back with "2"
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        await pilot.press("1", "2")
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen)

        # the agenda: open the contact or case of a follow-up, then 2 and 3
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen | ContactScreen)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)

        # Esc on a mode's own screen goes home, and home is home (not what was opened there before)
        await pilot.press("1")
        await settle(pilot)
        app.open_contact(rows(db, "SELECT id FROM contacts LIMIT 1")[0][0])
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 1


async def test_home_case_counts_open_the_case_list_not_a_case_left_open(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("1")
        await settle(pilot)
        app.show_cases(status="in_progress")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CasesScreen)
        assert screen.filter.statuses == ("in_progress",)
