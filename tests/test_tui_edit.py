"""Pilot tests for the edit forms: a case's details (e), a follow-up from the agenda (n), a contact point
(p edits, P deletes). Each checks what reached the store, and that a bad value is shown inline and writes
nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select

from liaison_tui.domain.i18n import set_lang
from liaison_tui.tui.screens.agenda import AgendaScreen
from liaison_tui.tui.screens.case import CaseScreen
from liaison_tui.tui.screens.contact import ContactScreen
from liaison_tui.tui.screens.dialogs import ChoiceDialog, ErrorLine
from liaison_tui.tui.screens.edit_forms import AgendaFollowUpDialog, CaseEditDialog, PointEditDialog
from liaison_tui.tui.testing import copy_store, make_app, settle
from liaison_tui.tui.widgets.nav_table import NavTable

from .conftest import rows

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


@pytest.fixture
def db(small_demo_source: Path, tmp_path: Path) -> Path:
    yield copy_store(small_demo_source, tmp_path / "t.db")
    set_lang("en")


def error_text(screen: object, name: str) -> str:
    line = screen.query_one(f"#err-{name}", ErrorLine)  # type: ignore[attr-defined]
    return str(line.content) if line.display else ""


def set_input(screen: object, widget_id: str, value: str) -> None:
    screen.query_one(f"#{widget_id}", Input).value = value  # type: ignore[attr-defined]


# ---------------------------------------------------------------- case
async def open_case(pilot, case_id: str) -> CaseScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.open_case(case_id)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseScreen) and screen.view is not None
    return screen


async def test_edit_a_case(db: Path) -> None:
    case_id, owner = rows(db, "SELECT id, owner_id FROM cases WHERE deleted = 0 ORDER BY number LIMIT 1")[0]
    other = rows(db, "SELECT id FROM staff WHERE id != ? AND deleted = 0 ORDER BY username LIMIT 1", owner)[
        0
    ][0]
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_case(pilot, case_id)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CaseEditDialog)
        set_input(form, "f-title", "Visa renewal for the spouse")
        set_input(form, "f-due_at", "2026-04-01 14:30")
        set_input(form, "f-description", "Needs the marriage certificate")
        form.query_one("#f-priority", Select).value = "urgent"
        form.query_one("#f-owner_id", Select).value = other
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert rows(
            db, "SELECT title, priority, due_at, owner_id, description FROM cases WHERE id = ?", case_id
        ) == [
            (
                "Visa renewal for the spouse",
                "urgent",
                "2026-04-01T06:30:00Z",
                other,
                "Needs the marriage certificate",
            )
        ]  # 14:30 in Qingdao is 06:30 UTC
        assert screen.view is not None and screen.view.case.title == "Visa renewal for the spouse"


async def test_case_edit_shows_bad_values_inline_and_writes_nothing(db: Path) -> None:
    case_id = rows(db, "SELECT id FROM cases WHERE deleted = 0 ORDER BY number LIMIT 1")[0][0]
    before = rows(db, "SELECT * FROM cases WHERE id = ?", case_id)
    app = make_app(db, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_case(pilot, case_id)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        set_input(form, "f-due_at", "下下周二")  # not one of the forms read
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "无法识别为日期时间" in error_text(form, "due_at")
        # a due date that parses, but an empty title: the store refuses it, and says so under the title
        set_input(form, "f-due_at", "2026-04-01")
        set_input(form, "f-title", "")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert error_text(form, "title") and not error_text(form, "due_at")
    assert rows(db, "SELECT * FROM cases WHERE id = ?", case_id) == before


# ---------------------------------------------------------------- agenda
async def open_agenda_form(pilot) -> AgendaFollowUpDialog:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AgendaScreen)
    await pilot.press("n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, AgendaFollowUpDialog)
    return form


async def test_new_follow_up_from_the_agenda(db: Path) -> None:
    contact_id, name = rows(
        db,
        "SELECT id, latin_name FROM contacts WHERE deleted = 0 AND latin_name IS NOT NULL "
        "ORDER BY latin_name LIMIT 1",
    )[0]
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_agenda_form(pilot)
        set_input(form, "f-contact", name)
        await settle(pilot)
        await pilot.press("enter")  # picks the first match
        await settle(pilot)
        assert form.contact_id == contact_id
        set_input(form, "f-title", "Send the lab tour invitation")
        set_input(form, "f-due_at", "2026-03-12 15:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        me = app.me["id"]
    assert rows(
        db,
        "SELECT kind, due_at, assignee_id, case_id FROM followups WHERE contact_id = ? AND title = ?",
        contact_id,
        "Send the lab tour invitation",
    ) == [("call_back", "2026-03-12T07:00:00Z", me, None)]


async def test_agenda_follow_up_needs_a_contact_and_a_date(db: Path) -> None:
    count = rows(db, "SELECT count(*) FROM followups")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_agenda_form(pilot)
        set_input(form, "f-due_at", "12/03/2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "Contact" in error_text(form, "contact_id")
        assert "date and time I can read" in error_text(form, "due_at")
    assert rows(db, "SELECT count(*) FROM followups") == count


# ---------------------------------------------------------------- contact points
def phone_contact(db: Path) -> tuple[str, str]:
    """A contact with a phone number, and that point's id."""
    return rows(
        db,
        "SELECT p.contact_id, p.id FROM contact_points p JOIN contacts c ON c.id = p.contact_id "
        "WHERE p.kind = 'phone' AND p.deleted = 0 AND c.deleted = 0 ORDER BY p.id LIMIT 1",
    )[0]


async def open_point(pilot, contact_id: str, point_id: str) -> ContactScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.open_contact(contact_id)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ContactScreen)
    table = screen.query_one("#contact-points", NavTable)
    for row in range(table.row_count):
        table.move_cursor(row=row)
        if table.selected_key() == point_id:
            break
    assert table.selected_key() == point_id
    return screen


async def test_edit_a_phone_number_is_renormalised(db: Path) -> None:
    contact_id, point_id = phone_contact(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_point(pilot, contact_id, point_id)
        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PointEditDialog)
        set_input(form, "f-raw", "+49 (0)151 2345 6789")
        set_input(form, "f-label", "mobile")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
    assert rows(db, "SELECT raw, value, label FROM contact_points WHERE id = ?", point_id) == [
        ("+49 (0)151 2345 6789", "+4915123456789", "mobile")
    ]


async def test_invalid_phone_is_shown_inline_in_chinese_and_not_saved(db: Path) -> None:
    contact_id, point_id = phone_contact(db)
    before = rows(db, "SELECT * FROM contact_points WHERE id = ?", point_id)
    app = make_app(db, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_point(pilot, contact_id, point_id)
        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        set_input(form, "f-raw", "12")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "“12”不是可拨打的电话号码" in error_text(form, "raw")
    assert rows(db, "SELECT * FROM contact_points WHERE id = ?", point_id) == before


async def test_delete_a_contact_point_after_confirming(db: Path) -> None:
    contact_id, point_id = phone_contact(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_point(pilot, contact_id, point_id)
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("1")  # keep it
        await settle(pilot)
        assert rows(db, "SELECT deleted FROM contact_points WHERE id = ?", point_id) == [(0,)]
        assert app.screen is screen
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("2")  # delete it
        await settle(pilot)
        assert app.screen is screen
        assert point_id not in {p.id for p in screen.view.points}
    assert rows(db, "SELECT deleted FROM contact_points WHERE id = ?", point_id) == [(1,)]


# ---------------------------------------------------------------- follow-up from a contact or case
async def test_follow_up_title_follows_the_kind_and_natural_dates_are_read(db: Path) -> None:
    from liaison_tui.tui.screens.dialogs import FollowUpDialog

    contact_id = rows(db, "SELECT id FROM contacts WHERE deleted = 0 ORDER BY id LIMIT 1")[0][0]
    app = make_app(db, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_contact(contact_id)
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FollowUpDialog)
        await pilot.press("down", "down", "tab")  # a kind chosen with the arrows, then on to the title
        assert form.query_one("#fu-title", Input).value == "收集材料"
        await pilot.press("tab")
        set_input(form, "fu-due", "明天 25点")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#fu-due", Input).value == "明天 25点"  # kept, with the reason below it
        assert "无法识别" in error_text(form, "due_at")
        set_input(form, "fu-due", "明天 10点")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
    # FIXED_NOW is Tuesday 2026-03-10 10:00 in Qingdao: tomorrow 10:00 there is 02:00 UTC
    assert rows(
        db,
        "SELECT kind, title, due_at FROM followups WHERE contact_id = ? ORDER BY created_at DESC LIMIT 1",
        contact_id,
    ) == [("collect_documents", "收集材料", "2026-03-11T02:00:00Z")]
