"""The reports screen in the terminal: snapshots with a chart at 120x36 and 80x24 in both languages, and
Pilot flows: a bar and a row open the records behind their figures, switching reports, saved views from the
reports screen and a drilled-down list, export."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from liaison_tui.domain.i18n import set_lang
from liaison_tui.tui.testing import build_store, copy_store, make_app, settle

WIDE, NARROW = (120, 36), (80, 24)


@pytest.fixture(scope="session")
def reports_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("tui-reports") / "demo-600.db", 600)


@pytest.fixture
def db(reports_source: Path, tmp_path: Path) -> Path:
    yield copy_store(reports_source, tmp_path / "t.db")
    set_lang("en")


def walk(*keys: str) -> Any:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["wide", "narrow"])
def test_services_report(snap_compare: Any, db: Path, lang: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(db, lang=lang), terminal_size=size, run_before=walk("4"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pipeline_report(snap_compare: Any, db: Path, lang: str) -> None:
    assert snap_compare(
        make_app(db, lang=lang), terminal_size=WIDE, run_before=walk("R", "right_square_bracket")
    )


def test_talent_map_narrow(snap_compare: Any, db: Path) -> None:
    keys = ("4", "right_square_bracket", "right_square_bracket")
    assert snap_compare(make_app(db, lang="zh"), terminal_size=NARROW, run_before=walk(*keys))


async def _open(pilot: Any, *keys: str) -> None:
    await settle(pilot)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


@pytest.mark.anyio
async def test_a_bar_opens_the_cases_behind_it(db: Path) -> None:
    from liaison_tui.tui.screens.cases import CasesScreen
    from liaison_tui.tui.screens.reports import ReportsScreen
    from liaison_tui.tui.widgets.report_chart import ReportChart

    app = make_app(db, lang="en")
    async with app.run_test(size=WIDE) as pilot:
        await _open(pilot, "4")
        screen = app.screen
        assert isinstance(screen, ReportsScreen) and screen.report is not None
        months = screen.report.section("by_month").rows
        chart = screen.query_one(ReportChart)
        chart.focus()
        await pilot.press("right", "right")  # March
        await settle(pilot)
        assert screen.query_one("#report-table").cursor_row == 2  # the table follows the chart
        await pilot.press("enter")
        await settle(pilot)
        cases = app.screen
        assert isinstance(cases, CasesScreen)
        assert cases.total == months[2].cells["opened"] > 0
        assert "Mar 2026" in (cases.caption or "")
        assert cases.query_one("#cases-table").row_count == min(cases.total, 150)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen  # back on the report


@pytest.mark.anyio
async def test_a_row_opens_the_people_behind_it(db: Path) -> None:
    from liaison_tui.tui.screens.contact import ContactScreen
    from liaison_tui.tui.screens.contacts import ContactsScreen

    app = make_app(db, lang="zh")
    async with app.run_test(size=NARROW) as pilot:
        await _open(pilot, "4", "right_square_bracket")
        report = app.screen.report
        assert report.name == "pipeline"
        engaged = report.section("funnel").rows[2]
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        people = app.screen
        assert isinstance(people, ContactsScreen)
        assert people.total == engaged.cells["reached"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)


@pytest.mark.anyio
async def test_switching_reports_quickly_shows_the_last_one(db: Path) -> None:
    app = make_app(db, lang="en")
    async with app.run_test(size=WIDE) as pilot:
        await _open(pilot, "4")
        for _ in range(4):  # services -> pipeline, map, events, introductions, without waiting
            await pilot.press("right_square_bracket")
        await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        assert app.screen.name_ == app.screen.report.name == "introductions"
        assert "By stage" in str(app.screen.query_one("#report-section").render())
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen.report.name == "workload"
        await pilot.press("f2")
        await settle(pilot)
        assert "工作量" in str(app.screen.query_one("#report-tabs").render())


@pytest.mark.anyio
async def test_saved_views_come_back_from_home_and_the_palette(db: Path) -> None:
    from liaison_tui.tui.screens.cases import CasesScreen
    from liaison_tui.tui.screens.home import HomeScreen
    from liaison_tui.tui.screens.reports import ReportsScreen

    app = make_app(db, lang="en")
    async with app.run_test(size=WIDE) as pilot:
        await _open(pilot, "4", "right_square_bracket", "right_square_bracket", "y")
        await pilot.press("4")  # any time, 2026, 2025, 2024
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        await pilot.press("ctrl+u", *"Map 2024", "enter")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.pause(0.2)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert [v["name"] for v in home.views] == ["Map 2024"]
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("left_square_bracket")  # somewhere else first
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        home.query_one("#home-views").focus()
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        assert screen.report.name == "talent_map" and screen.report.params.year == 2024
        # a drilled-down case list saved as a view opens with its filter
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        await pilot.press("enter")  # January's cases
        await settle(pilot)
        total = app.screen.total
        await pilot.press("S")
        await settle(pilot)
        await pilot.press("ctrl+u", *"January cases", "enter")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"January cases")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen) and app.screen.total == total


@pytest.mark.anyio
async def test_export_writes_a_workbook_with_a_chart(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "services.xlsx"
    app = make_app(db, lang="zh")
    async with app.run_test(size=WIDE) as pilot:
        await _open(pilot, "4", "x")
        await pilot.press("ctrl+u", *str(target), "enter")
        await settle(pilot)
        for _ in range(20):
            if target.exists():
                break
            await pilot.pause(0.1)
    with zipfile.ZipFile(target) as book:
        charts = [n for n in book.namelist() if n.startswith("xl/charts/chart")]
        assert charts and "barChart" in book.read(charts[0]).decode()
