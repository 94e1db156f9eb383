"""The terminal app with personal data to protect: the passphrase of an encrypted store, the idle lock, the
trip laptop's grace lock and kit on the title bar, what a role is offered, consent at a glance and
erasure with a typed confirmation."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable

from liaison_tui.domain.sync_protocol import Session
from liaison_tui.domain.times import iso, utcnow
from liaison_tui.store import Store
from liaison_tui.store.crypto import session_passphrase, use_passphrase
from liaison_tui.store.identity import LAST_CONTACT, remember
from liaison_tui.tui.screens.contact import ContactScreen
from liaison_tui.tui.screens.help import HelpScreen
from liaison_tui.tui.screens.home import HomeScreen
from liaison_tui.tui.screens.lock import GraceLockScreen, IdleLockScreen, UnlockScreen
from liaison_tui.tui.testing import copy_store, make_app, settle

from .conftest import rows

pytestmark = pytest.mark.anyio
SIZE = (120, 36)


@pytest.fixture
def db(small_demo_source: Path, tmp_path: Path) -> Iterator[Path]:
    yield copy_store(small_demo_source, tmp_path / "t.db")


def shown_text(app) -> str:  # type: ignore[no-untyped-def]
    """What the screen shows, as plain text (the SVG export writes spaces as &#160;)."""
    svg = app.export_screenshot()
    lines: dict[str, list[str]] = {}
    for line, text in re.findall(r'clip-path="url\(#terminal-\d+-line-(\d+)\)">([^<]*)</text>', svg):
        lines.setdefault(line, []).append(html.unescape(text).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(lines.items(), key=lambda kv: int(kv[0])))


def first_contact(db: Path) -> str:
    return rows(db, "SELECT id FROM contacts WHERE deleted = 0 ORDER BY id LIMIT 1")[0][0]


def set_identity(db: Path, role: str, kit: dict | None = None, last_contact_days: float = 0) -> None:
    with Store.open(db) as store:
        remember(
            store,
            Session(
                username="wang.li",
                display_name="王丽",
                role=role,
                device=store.device_id,
                last_seq=0,
                feed_seq=0,
                server_time_ms=0,
                kit=kit,
            ),
        )
        store.set_meta(LAST_CONTACT, iso(utcnow() - timedelta(days=last_contact_days)))


async def open_contact(pilot, contact_id: str) -> ContactScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.open_contact(contact_id)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ContactScreen)
    return pilot.app.screen


async def test_an_encrypted_store_asks_for_its_passphrase_first(tmp_path: Path) -> None:
    before = session_passphrase()
    db = tmp_path / "enc.db"
    with Store.open(db, passphrase="station passphrase 1") as store:
        store.contacts.create({"native_name": "加密人", "latin_name": "Locked Person"})
    use_passphrase(None)
    try:
        app = make_app(db)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, UnlockScreen)
            assert "Locked Person" not in shown_text(app)
            await pilot.press(*"wrong passphrase", "enter")
            await settle(pilot)
            await pilot.pause(0.5)
            await settle(pilot)
            assert isinstance(app.screen, UnlockScreen) and "Wrong passphrase" in shown_text(app)
            await pilot.press(*"station passphrase 1", "enter")
            for _ in range(20):
                await settle(pilot)
                if app.store is not None:
                    break
            assert isinstance(app.screen, HomeScreen) and app.store.encrypted
            # idle: the lock covers everything until the passphrase is typed again
            app.last_input = time.monotonic() - 3600
            app.check_locks()
            await settle(pilot)
            assert isinstance(app.screen, IdleLockScreen)
            await pilot.press(*"station passphrase 1", "enter")
            for _ in range(20):
                await settle(pilot)
                if not isinstance(app.screen, IdleLockScreen):
                    break
            assert isinstance(app.screen, HomeScreen)
    finally:
        use_passphrase(before)


async def test_an_officer_is_not_offered_erasure_or_merge_and_help_says_why(db: Path) -> None:
    set_identity(db, "officer")
    contact_id = first_contact(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contact(pilot, contact_id)
        assert screen.check_action("erase", ()) is False and screen.check_action("merge_with", ()) is False
        assert screen.check_action("log", ()) is True
        await pilot.press("W")
        await settle(pilot)
        assert app.screen is screen  # nothing opened
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        listed = " | ".join(
            " ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)
        )
        assert "Not for your role" in listed
        assert "Erase personal data — Your role (Officer) may not erase" in listed
        assert "Merge with… — Your role (Officer) may not merge" in listed


async def test_erasure_from_the_contact_needs_the_typed_word_and_then_shows_the_date(db: Path) -> None:
    contact_id = first_contact(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(pilot, contact_id)
        await pilot.press("W")
        await settle(pilot)
        await pilot.press(*"asked to be forgotten", "enter", *"erase", "enter")
        await settle(pilot)
        assert "ERASE" in shown_text(app)  # lower case is not the word: nothing erased yet
        assert rows(db, "SELECT count(*) FROM erasures") == [(0,)]
        await pilot.press(*["backspace"] * 5, *"ERASE", "enter")
        await settle(pilot)
        await settle(pilot)
        assert rows(db, "SELECT count(*) FROM erasures WHERE contact_id = ?", contact_id) == [(1,)]
        assert "Personal data erased on" in shown_text(app)


async def test_consent_is_recorded_from_the_contact_and_shown_at_a_glance(db: Path) -> None:
    contact_id = rows(  # someone with nothing recorded yet (the demo records most talents' consent)
        db,
        "SELECT id FROM contacts c WHERE deleted = 0 AND NOT EXISTS "
        "(SELECT 1 FROM consents g WHERE g.contact_id = c.id) ORDER BY id LIMIT 1",
    )[0][0]
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(pilot, contact_id)
        assert "contact ○" in shown_text(app)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press(
            "enter", "enter", "enter", "enter", "enter", "enter"
        )  # given, contact, paper, today
        await settle(pilot)
        await settle(pilot)
        assert rows(db, "SELECT action, purpose FROM consents WHERE contact_id = ?", contact_id) == [
            ("given", "recruitment_contact")
        ]
        assert "contact ✓" in shown_text(app)


async def test_a_trip_laptop_shows_its_kit_and_locks_past_the_grace_period(db: Path) -> None:
    kit = {"name": "munich", "expires_at": "2027-01-31T23:59:59Z", "grace_days": 3, "summary": {}}
    set_identity(db, "officer", kit, last_contact_days=5)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(10):
            await settle(pilot)
            if app.store is not None:
                break
        app.check_locks()
        await settle(pilot)
        assert isinstance(app.screen, GraceLockScreen)
        shown = shown_text(app)
        assert "5 days" in shown and "F5" in shown
    set_identity(db, "officer", kit, last_contact_days=0)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(10):
            await settle(pilot)
            if app.store is not None:
                break
        app.check_locks()
        await settle(pilot)
        assert not isinstance(app.screen, GraceLockScreen)
        assert "munich" in shown_text(app) and "2027-01-31" in shown_text(app)


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_the_consent_dialog_fits_with_its_keys_in_view(db: Path, size: tuple[int, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await open_contact(pilot, first_contact(db))
        await pilot.press("c")
        await settle(pilot)
        shown = shown_text(app)
        assert "ctrl+s save · Esc cancel" in shown and "Consent" in shown
        app.screen.query_one("#f-evidence").focus()  # the last field scrolls into view
        await settle(pilot)
        assert "Where the proof is" in shown_text(app)
