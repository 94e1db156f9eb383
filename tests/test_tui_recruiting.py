"""Pilot walks through the recruiting half: an organization joins the alliance, a demand is added and its
talents matched, explained, set aside and introduced; an event gets five people registered, two laptops
check three of them in at the door offline, sync through a real server and agree; the list of who to
follow up after the event."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import Input

from liaison_tui.domain.i18n import set_lang
from liaison_tui.store import Store
from liaison_tui.tui.screens.demand import DemandScreen
from liaison_tui.tui.screens.event import CheckinScreen, EventFollowupsScreen, EventScreen
from liaison_tui.tui.screens.org import OrgScreen
from liaison_tui.tui.screens.recruiting_lists import DemandsScreen, EventsScreen, OrgsScreen
from liaison_tui.tui.testing import build_store, copy_store, make_app, settle
from liaison_tui.tui.widgets.nav_table import NavTable

from .conftest import rows
from .sync_support import ServerProcess, laptop, snapshot
from .test_matching import give_consent

pytestmark = pytest.mark.anyio
SIZE = (120, 36)


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("tui-rec") / "demo-600.db", 600)


@pytest.fixture
def db(demo_source: Path, tmp_path: Path) -> Iterator[Path]:
    yield copy_store(demo_source, tmp_path / "t.db")
    set_lang("en")


def text_of(widget: Any) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


async def type_text(pilot: Any, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def test_an_organization_joins_the_alliance(db: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("O")
        await settle(pilot)
        assert isinstance(app.screen, OrgsScreen)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Harbor Robotics Alliance Partner")
        form = app.screen
        form.query_one("#f-name_en").value = "Harbor Robotics"
        form.query_one("#f-alliance_role").value = "council"
        form.query_one("#f-alliance_since").value = "2025-06-01"
        form.query_one("#f-industry_chains").value = "Smart manufacturing, ai"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrgScreen)
        found = rows(
            db,
            "SELECT alliance_member, alliance_role, alliance_since, industry_chains FROM organizations WHERE name_en = 'Harbor Robotics'",
        )
        assert found == [(1, "council", "2025-06-01", '["smart_manufacturing","ai"]')]
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#f-alliance_role").clear()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(
            db, "SELECT alliance_member, alliance_role FROM organizations WHERE name_en = 'Harbor Robotics'"
        ) == [(0, None)]


async def test_a_demand_its_matches_a_dismissal_and_an_introduction(db: Path) -> None:
    with Store.open(db) as store:
        employer = store.conn.execute("SELECT id FROM organizations WHERE name_zh LIKE '%星图%'").fetchone()[
            0
        ]
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, DemandsScreen)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        form.query_one("#f-title").value = "Vision algorithms lead"
        form.query_one("#f-org_id").value = employer
        form.query_one("#f-industry_chain").value = "ai"
        form.query_one("#f-required_skills").value = "机器学习, computer vision"
        form.query_one("#f-min_degree").value = "phd"
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DemandScreen)
        demand_id = screen.demand_id
        proposals = screen.view.matches.proposals
        assert len(proposals) >= 3
        why = text_of(screen.query_one("#match-why"))
        assert "required skills" in why and "consent to share: missing" in why
        # the arrow keys move through the talents as soon as the demand opens
        await pilot.press("down")
        await settle(pilot)
        assert screen.query_one("#demand-matches", NavTable).cursor_row == 1
        assert text_of(screen.query_one("#match-why")) != why
        await pilot.press("up")
        await settle(pilot)
        first = proposals[0].match.talent.contact_id
        # set the first aside as too junior: it leaves the list, the list learns
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("2")  # Too junior
        await settle(pilot)
        assert rows(
            db,
            "SELECT mark, reason FROM match_marks WHERE demand_id = ? AND contact_id = ?",
            demand_id,
            first,
        ) == [("dismissed", "seniority")]
        assert first not in [p.match.talent.contact_id for p in app.screen.view.matches.proposals]
        # the cursor stays at the top of the list, now without them
        second = app.screen.view.matches.proposals[0].match.talent.contact_id
        assert app.screen.query_one("#demand-matches", NavTable).selected_key() == second != first
        # introduce the talent now on top; with their consent recorded, move the introduction to interview
        with Store.open(db) as store:
            give_consent(store, second, employer)
        await pilot.press("i")
        await settle(pilot)
        intro = rows(
            db,
            "SELECT id, stage FROM introductions WHERE demand_id = ? AND contact_id = ?",
            demand_id,
            second,
        )
        assert intro and intro[0][1] == "proposed"
        assert app.screen.query_one("#demand-pipeline", NavTable).row_count == 1
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("2")  # interview (after shared)
        await settle(pilot)
        await pilot.press("3")  # a follow-up in a week
        await settle(pilot)
        assert rows(db, "SELECT stage FROM introductions WHERE id = ?", intro[0][0]) == [("interview",)]
        assert rows(
            db, "SELECT count(*) FROM followups WHERE contact_id = ? AND title LIKE 'Interview:%'", second
        ) == [(1,)]
        # compare the best two side by side
        app.screen.query_one(
            __import__("textual.widgets", fromlist=["TabbedContent"]).TabbedContent
        ).active = "tab-matches"
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert "Required skills" in text_of(app.screen.query_one("#compare"))


async def test_an_event_checked_in_on_two_laptops_and_its_follow_up_list(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "server.db").start()
    try:
        a, b = laptop(tmp_path, server, "door.a"), laptop(tmp_path, server, "door.b")
        names = ["Ada Lindqvist", "Bo Renshaw", "Cyra Malden", "Dov Hartigan", "Eun Sorel"]
        people = [a.store.contacts.create({"latin_name": n}).id for n in names]
        a.sync()
        b.sync()
        app = make_app(Path(a.store.path))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("6")
            await settle(pilot)
            assert isinstance(app.screen, EventsScreen)
            await pilot.press("n")
            await settle(pilot)
            form = app.screen
            form.query_one("#f-name").value = "Door test roadshow"
            form.query_one("#f-kind").value = "roadshow"
            form.query_one("#f-starts_on").value = "2026-03-10"
            form.query_one("#f-city").value = "Munich"
            form.query_one("#f-timezone").value = "Europe/Berlin"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, EventScreen)
            event_id = app.screen.event_id
            for name in names:  # r, type the name in the lookup, Enter
                await pilot.press("r")
                await settle(pilot)
                await type_text(pilot, name.split()[1].lower())
                await settle(pilot)
                await pilot.press("enter")
                await settle(pilot)
            assert sorted(
                r[0]
                for r in rows(
                    Path(a.store.path), "SELECT contact_id FROM attendances WHERE event_id = ?", event_id
                )
            ) == sorted(people)
        a.sync()
        b.sync()
        # the door: a checks in two people by name, b one by name, both offline
        for lap, queries in ((a, ["ada", "renshaw"]), (b, ["cyra m"])):
            app = make_app(Path(lap.store.path))
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                app.open_event(event_id)
                await settle(pilot)
                await pilot.press("c")
                await settle(pilot)
                assert isinstance(app.screen, CheckinScreen)
                for query in queries:
                    await type_text(pilot, query)
                    await settle(pilot)
                    await pilot.press("enter")
                    await settle(pilot)
                assert "✓" in text_of(app.screen.query_one("#checkin-status"))
        for lap in (a, b, a, b):
            lap.sync()
        assert snapshot(a.store.conn) == snapshot(b.store.conn)
        attended = {
            r[0]
            for r in rows(
                Path(b.store.path),
                "SELECT contact_id FROM attendances WHERE event_id = ? AND status = 'attended'",
                event_id,
            )
        }
        assert attended == set(people[:3])
        # after the event, on b: the three who came and have no follow-up yet; follow-ups for all of them
        app = make_app(Path(b.store.path))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_event(event_id)
            await settle(pilot)
            figures = text_of(app.screen.query_one("#event-details"))
            assert re.search(r"Attended\s+3\b", figures), figures
            await pilot.press("F")
            await settle(pilot)
            assert isinstance(app.screen, EventFollowupsScreen)
            assert app.screen.query_one(NavTable).row_count == 3
            await pilot.press("A")
            await settle(pilot)
            await pilot.press("1")
            await settle(pilot)
            assert rows(
                Path(b.store.path),
                "SELECT count(*) FROM followups WHERE title LIKE 'Follow up after Door test%'",
            ) == [(3,)]
        a.close()
        b.close()
    finally:
        server.stop()


async def test_a_contact_gets_a_second_phone_a_talent_profile_and_an_affiliation(db: Path) -> None:
    from liaison_tui.tui.screens.contact import ContactScreen
    from liaison_tui.tui.screens.demand import TalentMatchesScreen

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "z", "w")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactScreen)
        cid = screen.contact_id
        before = rows(db, "SELECT count(*) FROM contact_points WHERE contact_id = ? AND deleted = 0", cid)[0][
            0
        ]
        await pilot.press("plus")
        await settle(pilot)
        app.screen.query_one("#f-raw").value = "+49 151 9876 5432"
        app.screen.query_one("#f-label").value = "second mobile"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (
            rows(db, "SELECT count(*) FROM contact_points WHERE contact_id = ? AND deleted = 0", cid)[0][0]
            == before + 1
        )
        assert rows(
            db, "SELECT value FROM contact_points WHERE contact_id = ? AND label = 'second mobile'", cid
        ) == [("+4915198765432",)]
        await pilot.press("T")
        await settle(pilot)
        app.screen.query_one("#f-skills").value = "machine learning, 计算机视觉"
        app.screen.query_one("#f-degree").value = "phd"
        app.screen.query_one("#f-years_experience").value = "9"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert sorted(
            r[0]
            for r in rows(db, "SELECT skill_id FROM talent_skills WHERE contact_id = ? AND deleted = 0", cid)
        ) == [
            "sk-computer-vision",
            "sk-machine-learning",
        ]
        assert rows(db, "SELECT degree, years_experience FROM talent_profiles WHERE contact_id = ?", cid) == [
            ("phd", 9)
        ]
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, TalentMatchesScreen)
        assert app.screen.view is not None
        await pilot.press("escape")
        await settle(pilot)
        org = rows(db, "SELECT id FROM organizations WHERE name_en LIKE 'Qingdao Star Map%'")[0][0]
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#f-org_id").value = org
        app.screen.query_one("#f-role").value = "Visiting scientist"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(
            db, "SELECT role, current FROM affiliations WHERE contact_id = ? AND org_id = ?", cid, org
        ) == [("Visiting scientist", 1)]
        # the contact shows their introductions and events in their own tabs
        tabs = app.screen.query_one(__import__("textual.widgets", fromlist=["TabbedContent"]).TabbedContent)
        assert {"tab-intros", "tab-events"} <= {p.id for p in tabs.query("TabPane")}


async def test_the_check_in_desk_warns_when_the_event_is_not_today(db: Path) -> None:
    future_id, future_name = rows(
        db,
        "SELECT id, name FROM events WHERE deleted = 0 AND starts_on > '2026-04-01' ORDER BY starts_on LIMIT 1",
    )[0]
    with Store.open(db) as store:
        today_id = store.events.create(
            {"name": "Door today", "starts_on": "2026-03-10", "kind": "roadshow"}
        ).id
    app = make_app(db, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for event_id, name, warned in ((future_id, future_name, True), (today_id, "Door today", False)):
            await app.push_screen(CheckinScreen(event_id, name))
            await settle(pilot)
            count = text_of(app.screen.query_one("#checkin-count"))
            assert ("not today" in count) is warned, count
            app.pop_screen()
            await settle(pilot)


async def open_first_demand(pilot: Any) -> DemandScreen:
    """Demands (5), then the first one."""
    await settle(pilot)
    await pilot.press("5", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DemandScreen)
    return screen


async def test_sharing_without_consent_is_refused_before_anything_is_asked(db: Path) -> None:
    app = make_app(db, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_demand(pilot)
        lacking = [i for i, p in enumerate(screen.view.matches.proposals) if not p.consent]
        assert lacking, "the demo has talents without consent to share"
        for _ in range(lacking[0]):
            await pilot.press("down")
        await settle(pilot)
        contact_id = screen.view.matches.proposals[lacking[0]].match.talent.contact_id
        await pilot.press("i")  # introduce: proposed needs no consent
        await settle(pilot)
        await pilot.press("t", "1")  # move to the first next stage: shared with the employer
        await settle(pilot)
        assert app.screen is screen  # no follow-up question: refused at once
        notes = [n.message for n in app._notifications]
        assert any("has not consented" in str(m) for m in notes), notes
        assert rows(db, "SELECT stage FROM introductions WHERE contact_id = ?", contact_id) == [("proposed",)]


async def test_someone_new_at_the_door_is_added_registered_and_checked_in(db: Path) -> None:
    from liaison_tui.tui.screens.contact_form import ContactForm

    event_id, name = rows(db, "SELECT id, name FROM events WHERE deleted = 0 ORDER BY starts_on LIMIT 1")[0]
    app = make_app(db, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(CheckinScreen(event_id, name))
        await settle(pilot)
        await type_text(pilot, "Quentin Walkabout")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "Ctrl+N adds someone new" in text_of(app.screen.query_one("#checkin-status"))
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        assert app.screen.query_one("#f-latin_name", Input).value == "Quentin Walkabout"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CheckinScreen)
        assert "registered at the door and checked in" in text_of(app.screen.query_one("#checkin-status"))
        assert app.screen.query_one("#checkin-input", Input).value == ""
    assert rows(
        db,
        "SELECT a.status FROM attendances a JOIN contacts c ON c.id = a.contact_id "
        "WHERE a.event_id = ? AND c.latin_name = 'Quentin Walkabout' AND a.deleted = 0",
        event_id,
    ) == [("attended",)]


async def test_a_talent_set_aside_for_another_reason_says_why(db: Path) -> None:
    app = make_app(db, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_demand(pilot)
        demand_id = screen.demand_id
        first = screen.view.matches.proposals[0].match.talent.contact_id
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("9")  # Other: the reasons of the list do not fit
        await settle(pilot)
        await type_text(pilot, "took a post in Shenzhen")
        await pilot.press("enter")
        await settle(pilot)
        assert rows(
            db,
            "SELECT reason, note FROM match_marks WHERE demand_id = ? AND contact_id = ? AND deleted = 0",
            demand_id,
            first,
        ) == [("other", "took a post in Shenzhen")]
        dismissed = app.screen.view.matches.dismissed
        assert [r["note"] for r in dismissed if r["contact_id"] == first] == ["took a post in Shenzhen"]
        table = app.screen.query_one("#demand-dismissed", NavTable)
        assert [str(table.get_row_at(i)[1]) for i in range(table.row_count)] == [
            "Other: took a post in Shenzhen"
        ]
        await pilot.press("f2")  # Chinese: the reason and the note joined by a full-width colon
        await settle(pilot)
        table = app.screen.query_one("#demand-dismissed", NavTable)
        assert [str(table.get_row_at(i)[1]) for i in range(table.row_count)] == [
            "其他：took a post in Shenzhen"
        ]
        await pilot.press("f2")
        await settle(pilot)
        # Esc at the question sets nobody aside
        second = app.screen.view.matches.proposals[0].match.talent.contact_id
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("9")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert rows(
            db, "SELECT count(*) FROM match_marks WHERE demand_id = ? AND contact_id = ?", demand_id, second
        ) == [(0,)]
