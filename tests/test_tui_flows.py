"""Pilot walks through the terminal's everyday flows on a small deterministic demo store."""

from __future__ import annotations

from pathlib import Path

import pytest

from liaison_tui.domain.i18n import set_lang
from liaison_tui.settings import load_settings
from liaison_tui.tui.screens.agenda import AgendaScreen
from liaison_tui.tui.screens.case import CaseScreen
from liaison_tui.tui.screens.cases import CasesScreen
from liaison_tui.tui.screens.contact import ContactScreen
from liaison_tui.tui.screens.contact_form import ContactForm
from liaison_tui.tui.screens.help import HelpScreen
from liaison_tui.tui.screens.home import HomeScreen
from liaison_tui.tui.screens.lookup import LookupScreen
from liaison_tui.tui.testing import build_store, copy_store, make_app, settle
from liaison_tui.tui.widgets.nav_table import NavTable
from liaison_tui.tui.widgets.paged_table import PagedTable

from .conftest import rows

pytestmark = pytest.mark.anyio
SIZE = (120, 36)


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("tui-demo") / "demo-800.db", 800)


@pytest.fixture
def db(demo_source: Path, tmp_path: Path) -> Path:
    yield copy_store(demo_source, tmp_path / "t.db")
    set_lang("en")


async def open_zw_contact(pilot) -> str:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("slash", "z", "w")
    await settle(pilot)
    lookup = pilot.app.screen
    assert isinstance(lookup, LookupScreen)
    assert lookup.result is not None and lookup.result.found
    first = lookup.result.found[0]
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ContactScreen)
    return first.id


async def test_lookup_zw_finds_zhang_wei_like_names_and_opens_the_contact(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+k", "z", "w")
        await settle(pilot)
        found = app.screen.result.found
        contacts = [f for f in found if f.kind == "contact"]
        # 张伟-like: a two-character Chinese name whose pinyin initials are z and w, highlighted
        assert any(f.field == "initials" and f.span == (0, 2) for f in contacts)
        await pilot.press("down", "up", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactScreen)
        assert screen.contact_id == found[0].id
        assert screen.view is not None and screen.view.points
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_stale_lookup_results_are_dropped(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "w", "a", "n", "g")
        await settle(pilot)
        screen = app.screen
        assert screen.result.query == "wang"
        from liaison_tui.tui.lookup import LookupResult

        screen._show(LookupResult("wan", [], 1.0, False))  # a late answer to an older query
        assert screen.result.query == "wang"


async def test_log_a_call_in_three_keys(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await open_zw_contact(pilot)
        await pilot.press("l", "c")
        await pilot.press(*"Talked about the offer")
        await pilot.press("enter")
        await settle(pilot)
        logged = rows(
            db,
            "SELECT kind, summary FROM activities WHERE contact_id = ? ORDER BY occurred_at DESC LIMIT 1",
            contact_id,
        )
        assert logged == [("call", "Talked about the offer")]
        timeline = app.screen.query_one("#contact-timeline", NavTable)
        assert "Talked about the offer" in str(timeline.get_row_at(0)[2])


async def test_copy_a_contact_point(db: Path) -> None:
    app = make_app(db)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await open_zw_contact(pilot)
        await pilot.press("y")
        assert (copied and copied[0] == app.screen.view.points[0].value) or copied[0] in {
            p.value for p in app.screen.view.points
        }


async def test_stage_change_is_kept_in_history(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await open_zw_contact(pilot)
        before = app.screen.view.contact.stage.value
        await pilot.press("s")
        target = "8" if before != "on_hold" else "7"  # on hold (or signed)
        await pilot.press(target)
        await settle(pilot)
        stage = rows(db, "SELECT stage FROM contacts WHERE id = ?", contact_id)[0][0]
        assert stage != before
        history = rows(
            db,
            "SELECT old_value, new_value FROM history WHERE tbl = 'contacts' AND row_id = ? AND "
            "field = 'stage'",
            contact_id,
        )
        assert (before, stage) in history
        assert app.screen.query_one("#contact-stages", NavTable).row_count >= 1


async def test_create_a_case_and_move_it_through_allowed_statuses(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await open_zw_contact(pilot)
        await pilot.press("n")  # new case: category list focused
        await pilot.press("down", "enter")  # work permit; the title is pre-filled
        await pilot.press("enter")  # save
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseScreen)
        case_id = screen.case_id
        assert rows(db, "SELECT category, status, beneficiary_id FROM cases WHERE id = ?", case_id) == [
            ("work_permit", "new", contact_id)
        ]
        for keys, expected in ((["t", "1"], "triaged"), (["t", "1"], "in_progress")):
            await pilot.press(*keys)
            await settle(pilot)
            assert rows(db, "SELECT status FROM cases WHERE id = ?", case_id)[0][0] == expected
        # resolved needs a resolution: the dialog asks for it
        await pilot.press("t", "3")
        await pilot.press(*"Permit issued", "enter")
        await settle(pilot)
        assert rows(db, "SELECT status, resolution FROM cases WHERE id = ?", case_id) == [
            ("resolved", "Permit issued")
        ]
        await pilot.press("t", "2")  # closed (1 would reopen, which asks for a reason)
        await settle(pilot)
        assert rows(db, "SELECT status FROM cases WHERE id = ?", case_id)[0][0] == "closed"
        activities = rows(
            db, "SELECT count(*) FROM activities WHERE case_id = ? AND kind = 'status_change'", case_id
        )
        assert activities[0][0] == 4


async def test_forbidden_transition_is_refused_with_a_message(db: Path) -> None:
    case_id = rows(db, "SELECT id FROM cases WHERE status = 'new' ORDER BY id LIMIT 1")[0][0]
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseScreen)
        # the dialog offers only allowed moves; a forbidden one asked for anyway is refused by the store
        screen.set_status("closed")
        await settle(pilot)
        assert screen.last_error is not None
        assert "cannot go from 'New' to 'Closed'" in screen.last_error
        assert rows(db, "SELECT status FROM cases WHERE id = ?", case_id)[0][0] == "new"
        # cancelling needs a reason: left empty, the dialog says so and stays open
        await pilot.press("t", "4", "enter")
        await settle(pilot)
        dialog = app.screen
        assert "needs a reason" in str(dialog.query_one("#status-error").render())
        assert rows(db, "SELECT status FROM cases WHERE id = ?", case_id)[0][0] == "new"
        await pilot.press(*"Talent withdrew", "enter")
        await settle(pilot)
        assert rows(db, "SELECT status, status_reason FROM cases WHERE id = ?", case_id) == [
            ("cancelled", "Talent withdrew")
        ]


async def test_complete_and_snooze_follow_ups_in_the_agenda(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgendaScreen)
        first = screen.query_one(NavTable).selected_key()
        assert first in screen.rows
        await pilot.press("x")
        await settle(pilot)
        assert rows(db, "SELECT status FROM followups WHERE id = ?", first)[0][0] == "done"
        assert rows(db, "SELECT count(*) FROM activities WHERE summary LIKE 'Done: %'")[0][0] == 1
        second = screen.query_one(NavTable).selected_key()
        assert second and second != first
        await pilot.press("z", "2")  # tomorrow 09:00
        await settle(pilot)
        assert rows(db, "SELECT status, snoozed_until FROM followups WHERE id = ?", second) == [
            ("snoozed", "2026-03-11T01:00:00Z")
        ]
        third = screen.query_one(NavTable).selected_key()
        await pilot.press("r")
        await pilot.press(*["backspace"] * 16, *"2026-04-01 14:30", "enter")
        await settle(pilot)
        assert rows(db, "SELECT status, due_at FROM followups WHERE id = ?", third) == [
            ("open", "2026-04-01T06:30:00Z")
        ]


async def test_add_a_follow_up_from_a_contact(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await open_zw_contact(pilot)
        before = rows(db, "SELECT count(*) FROM followups WHERE contact_id = ?", contact_id)[0][0]
        await pilot.press("f", "enter", "enter", "enter")  # kind, title (pre-filled), due (next morning)
        await settle(pilot)
        after = rows(db, "SELECT count(*) FROM followups WHERE contact_id = ?", contact_id)[0][0]
        assert after == before + 1


async def test_remap_a_key_through_the_config_file(db: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "config.toml"
    config.write_text(
        'lang = "en"\n[keys]\n"app.lookup" = "ctrl+f"\n"agenda.complete" = "c"\n', encoding="utf-8"
    )
    monkeypatch.setenv("LIAISON_CONFIG", str(config))
    settings = load_settings(db=db)
    assert settings.keys == {"app.lookup": "ctrl+f", "agenda.complete": "c"}
    app = make_app(db, keys=settings.keys)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert not isinstance(app.screen, LookupScreen)
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        await pilot.press("escape", "3")
        await settle(pilot)
        first = app.screen.query_one(NavTable).selected_key()
        await pilot.press("c")
        await settle(pilot)
        assert rows(db, "SELECT status FROM followups WHERE id = ?", first)[0][0] == "done"


async def test_switch_language_at_runtime(db: Path) -> None:
    app = make_app(db, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        title = app.screen.query_one("#title")
        assert str(title.render()) == "Home"
        assert app.screen.active_bindings["slash"].binding.description == "Lookup"
        await pilot.press("f2")
        await settle(pilot)
        assert str(app.screen.query_one("#title").render()) == "首页"
        assert app.screen.active_bindings["slash"].binding.description == "查找"
        panel = app.screen.query_one("#home-left")
        assert panel.border_title == "我的待办"
        await pilot.press("2")
        await settle(pilot)
        assert str(app.screen.query_one("#title").render()) == "服务事项"
        await pilot.press("f2")
        await settle(pilot)
        assert str(app.screen.query_one("#title").render()) == "Cases"


async def test_language_from_config(db: Path) -> None:
    app = make_app(db, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert str(app.screen.query_one("#title").render()) == "首页"


async def test_help_lists_the_active_bindings_with_their_ids(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_zw_contact(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table")
        ids = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        assert {"app.lookup", "contact.copy", "record.log", "contact.stage"} <= ids
        await pilot.press("escape")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_contact_form_shows_problems_inline_in_the_ui_language(db: Path) -> None:
    app = make_app(db, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("N")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        form.query_one("#f-phone").value = "12"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(form.query_one("#err-phone").render())
        assert "电话" in error and "不是可拨打的电话号码" in error
        form.query_one("#f-phone").value = "+49 151 23456789"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "姓名" in str(form.query_one("#err-native_name").render())
        form.query_one("#f-native_name").value = "测试人"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert rows(db, "SELECT count(*) FROM contacts WHERE native_name = '测试人'")[0][0] == 1
        # looked after by whoever added it (the staff member the app shows as "me")
        assert rows(db, "SELECT owner_id FROM contacts WHERE native_name = '测试人'")[0][0] == app.me["id"]


async def test_case_list_pages_by_keyset_and_jumps_to_the_end(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CasesScreen)
        await pilot.press("o", "s", "2")  # everyone's cases, all statuses
        await settle(pilot)
        table = screen.query_one(PagedTable)
        total = rows(db, "SELECT count(*) FROM cases")[0][0]
        assert screen.total == total > 2 * table.PAGE
        assert table.row_count == table.PAGE
        await pilot.press("G")
        await settle(pilot)
        assert table.at_end and table.row_count <= table.PAGE * table.MAX_PAGES
        last_id = rows(db, "SELECT id FROM cases ORDER BY coalesce(due_at, '') DESC, id DESC LIMIT 1")[0][0]
        assert table.selected_key() == last_id
        await pilot.press("g")
        await settle(pilot)
        assert table.at_start
        for _ in range(table.PAGE):
            await pilot.press("j")
        await settle(pilot)
        assert table.row_count > table.PAGE  # the next page was fetched as the cursor neared the bottom
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)


async def test_command_palette_offers_actions_and_records(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from liaison_tui.tui.commands import LiaisonCommands

        provider = LiaisonCommands(app.screen)
        hits = [hit async for hit in provider.search("agenda")]
        assert any("agenda" in str(hit.text).lower() for hit in hits)
        hits = [hit async for hit in provider.search("zw")]
        assert any("Open Contact" in str(hit.text) for hit in hits)


async def test_keys_typed_in_one_burst_are_not_lost(db: Path) -> None:
    """ "/wang⏎" then "lc" + text + ⏎, all queued at once as a fast typist (or a paste) sends them."""
    from textual import events

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        def burst(text: str) -> None:
            names = {"/": "slash", " ": "space", "\n": "enter"}
            for ch in text:
                app.post_message(events.Key(names.get(ch, ch), "\r" if ch == "\n" else ch))

        burst("/wang\n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactScreen)
        assert screen.view is not None and "Wang" in (screen.view.contact.latin_name or "")
        burst("lcCalled about the visa\n")
        await settle(pilot)
        logged = rows(
            db,
            "SELECT kind, summary FROM activities WHERE contact_id = ? ORDER BY created_at DESC LIMIT 1",
            screen.contact_id,
        )
        assert logged == [("call", "Called about the visa")]


async def test_organization_screen_lists_its_people_and_opens_them(db: Path) -> None:
    """A contact's organization opens with o; it names the organization and lists its people, this contact
    among them; Enter on a person opens them, and an organization found by lookup opens the same screen."""
    from liaison_tui.tui.screens.org import OrgScreen

    org_id, contact_id = rows(
        db, "SELECT org_id, id FROM contacts WHERE org_id IS NOT NULL AND deleted = 0 ORDER BY id LIMIT 1"
    )[0]
    ((name_zh, name_en),) = rows(db, "SELECT name_zh, name_en FROM organizations WHERE id = ?", org_id)
    ((here,),) = rows(db, "SELECT count(*) FROM contacts WHERE org_id = ? AND deleted = 0", org_id)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_contact(contact_id)
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrgScreen) and screen.view is not None
        assert screen.view.org.id == org_id and screen.view.total == here
        assert (name_zh or name_en) in screen.screen_title()
        table = screen.query_one("#org-people", NavTable)
        assert f"contact:{contact_id}" in [row.key for row in table.rows]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        await pilot.press("escape", "escape", "escape")  # person -> organization -> contact -> home
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.open_org(org_id)  # what Enter on an organization in lookup or the command palette calls
        await settle(pilot)
        assert isinstance(app.screen, OrgScreen) and app.screen.org_id == org_id


async def test_lookup_says_how_many_match_and_shows_more_past_the_end(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "w", "a", "n", "g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LookupScreen)
        assert len(screen.result.found) == LookupScreen.FIRST
        assert screen.total is not None and screen.total > LookupScreen.FIRST
        status = str(screen.query_one("#lookup-status").render())
        assert f"20 of {screen.total:,} results" in status and "for more" in status
        await pilot.press(*["down"] * LookupScreen.FIRST)  # past the last one: the next ones arrive
        await settle(pilot)
        assert LookupScreen.FIRST < len(screen.result.found) <= LookupScreen.FIRST + LookupScreen.MORE
        from textual.widgets import OptionList

        assert screen.query_one(OptionList).highlighted == LookupScreen.FIRST  # the cursor went on

        number = rows(db, "SELECT number FROM cases LIMIT 1")[0][0]
        await pilot.press("ctrl+a", "ctrl+k", *number)  # clear the box, type a whole case number
        await settle(pilot)
        assert len(screen.result.found) == 1
        assert "1 result " in str(screen.query_one("#lookup-status").render())


async def test_enter_works_in_a_tab_reached_with_brackets_and_acts_on_a_follow_up(db: Path) -> None:
    from liaison_tui.tui.screens.dialogs import ChoiceDialog

    contact_id, followup_id = rows(
        db,
        "SELECT f.contact_id, f.id FROM followups f WHERE f.status = 'open' AND f.case_id IS NULL "
        "AND f.deleted = 0 AND EXISTS (SELECT 1 FROM cases k WHERE k.beneficiary_id = f.contact_id) LIMIT 1",
    )[0]
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_contact(contact_id)
        await settle(pilot)
        await pilot.press(
            "right_square_bracket", "left_square_bracket", "enter"
        )  # to Follow-ups, back to Cases
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("escape", "right_square_bracket")
        await settle(pilot)
        table = app.screen.query_one("#contact-followups", NavTable)
        table.move_cursor(row=[table.rows[i].key for i in range(table.row_count)].index(followup_id))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("1")  # done
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
    assert rows(db, "SELECT status FROM followups WHERE id = ?", followup_id) == [("done",)]


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_log_picker_shows_every_kind_above_the_footer(db: Path, size: tuple[int, int]) -> None:
    from textual.widgets import Footer, Static

    from liaison_tui.domain.enums import ActivityKind
    from liaison_tui.tui.widgets.log_bar import LOG_KEYS

    case_id = rows(db, "SELECT id FROM cases LIMIT 1")[0][0]
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        bar, footer = app.screen.query_one("#log-bar"), app.screen.query_one(Footer)
        assert bar.region.bottom <= footer.region.y  # not under the footer
        prompt = app.screen.query_one("#log-prompt", Static)
        shown = str(prompt.content)
        assert all(kind.label() in shown for kind in LOG_KEYS.values())
        assert ActivityKind.NOTE.label() in shown and ActivityKind.VIDEO_CALL.label() in shown
        assert prompt.region.height == len(shown.splitlines())  # every line of it on screen
