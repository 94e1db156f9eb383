"""The terminal's half of sync, driven with Pilot against a real ``liaison serve`` on 127.0.0.1: the badge,
background rounds and backoff, the conflicts screen (keep / merge), refused changes, token and version
problems. One server for the module; each test uses fresh laptop store files. Synthetic data only."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import TextArea

from liaison_tui.domain.i18n import set_lang
from liaison_tui.settings import Settings
from liaison_tui.store import Store, conflicts, outbox
from liaison_tui.store.crypto import connect_file
from liaison_tui.store.services import change_case_status, create_case
from liaison_tui.sync import sync_once
from liaison_tui.tui.app import LiaisonApp
from liaison_tui.tui.screens.cases import CasesScreen
from liaison_tui.tui.screens.conflicts import ConflictsScreen, MergeDialog
from liaison_tui.tui.screens.rejected import RejectedScreen
from liaison_tui.tui.testing import STATION_TZ, settle
from liaison_tui.tui.widgets.title_bar import SyncBadge

from .sync_support import ServerProcess, free_port

pytestmark = pytest.mark.anyio
SIZE = (120, 36)
BASE = "Met at the Munich summit."
MINE = BASE + " Spouse needs a job."
THEIRS = BASE + " Wants a lab visit in May."
MERGED = BASE + " Wants a lab visit in May. Spouse needs a job."
_SERIAL = itertools.count()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("tui-sync-server") / "server.db").start()
    yield proc
    proc.stop()


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    set_lang("en")


class Lap:
    """A laptop: its store file and token (stores are opened only while the app is not running)."""

    def __init__(self, tmp: Path, server: ServerProcess, name: str, url: str | None = None) -> None:
        self.db = tmp / f"{name}.db"
        self.url = url or server.url
        self.token = server.token(f"tui.{name}.{next(_SERIAL)}")  # a staff account per laptop
        Store.open(self.db, author=name).close()

    def store(self) -> Store:
        return Store.open(self.db, author=self.db.stem)

    def sync(self) -> None:
        with self.store() as store:
            sync_once(store, self.url, self.token, retries=0)

    def app(
        self,
        *,
        lang: str = "en",
        first_delay: float = 3600,
        idle_delay: float = 3600,
        token: str | None = None,
    ) -> LiaisonApp:
        settings = Settings(
            db=self.db,
            lang=lang,
            user=self.db.stem,
            server_url=self.url,
            token=token or self.token,
            sync_interval=3600,
            theme="textual-dark",
        )
        app = LiaisonApp(settings, lang=lang, tz=STATION_TZ, show_timings=False)
        app.syncer.first_delay, app.syncer.idle_delay = first_delay, idle_delay
        return app

    def query(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        with connect_file(self.db) as conn:
            return conn.execute(sql, params).fetchall()


async def rounds_reach(pilot: Any, count: int) -> None:
    """Wait (by polling, no wall-clock limit asserted) until the app has finished ``count`` sync rounds."""
    app = pilot.app
    for _ in range(600):
        await settle(pilot)
        if app.syncer.rounds >= count and not app.syncer.running:
            await settle(pilot)
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"sync rounds: {app.syncer.rounds} < {count}")


async def sync_now(pilot: Any) -> None:
    done = pilot.app.syncer.rounds
    await settle(pilot)
    await pilot.press("f5")
    await rounds_reach(pilot, done + 1)


def badge(app: LiaisonApp) -> str:
    return str(app.screen.query_one(SyncBadge).content)


def notes(app: LiaisonApp) -> list[str]:
    return [n.message for n in app._notifications]


def new_contact(lap: Lap, **fields: object) -> str:
    with lap.store() as store:
        return store.contacts.create({"native_name": "测试甲", "latin_name": "Test Alpha", **fields}).id


async def test_badge_counts_pending_then_shows_synced(server: ServerProcess, tmp_path: Path) -> None:
    lap = Lap(tmp_path, server, "a")
    new_contact(lap)
    app = lap.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.sync_state.pending and "changes waiting" in badge(app)
        await sync_now(pilot)
        state = app.sync_state
        assert state.online and state.pending == 0 and state.last_sync_at
        assert "all synced" in badge(app) and "last sync" in badge(app)
        assert any(n.startswith("Synced:") for n in notes(app))  # F5 says what it did
    assert lap.query("SELECT count(*) FROM change_log WHERE pushed = 0") == [(0,)]


async def test_server_down_shows_offline_retries_on_a_timer_and_the_app_keeps_working(
    server: ServerProcess, tmp_path: Path
) -> None:
    lap = Lap(tmp_path, server, "down", url=f"http://127.0.0.1:{free_port()}")  # nothing listens there
    new_contact(lap)
    app = lap.app(first_delay=0.1)  # the first background round starts by itself
    async with app.run_test(size=SIZE) as pilot:
        await rounds_reach(pilot, 1)
        assert app.syncer.failing and app.syncer.next_delay is not None  # a retry is on the timer
        assert not app.sync_state.online and "offline" in badge(app) and "changes waiting" in badge(app)
        await pilot.press("2")  # the UI still answers
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen)
        await sync_now(pilot)  # asked for: the offline message is shown
        assert any("Cannot reach the station server" in n for n in notes(app))
        assert app.syncer.backoff.attempts == 2
    assert lap.query("SELECT count(*) FROM change_log WHERE pushed = 0")[0][0] > 0  # queue kept


async def test_server_down_with_nothing_to_send_never_claims_all_synced(
    server: ServerProcess, tmp_path: Path
) -> None:
    lap = Lap(tmp_path, server, "quiet", url=f"http://127.0.0.1:{free_port()}")
    app = lap.app(first_delay=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await rounds_reach(pilot, 1)
        assert not app.sync_state.online and app.sync_state.pending == 0
        assert "nothing to send" in badge(app) and "all synced" not in badge(app)


async def test_free_text_conflict_shown_merged_in_the_tui_and_synced(
    server: ServerProcess, tmp_path: Path
) -> None:
    a, b = Lap(tmp_path, server, "a"), Lap(tmp_path, server, "b")
    cid = new_contact(a, notes=BASE)
    a.sync()
    b.sync()  # same base on both laptops
    for lap, text in ((a, THEIRS), (b, MINE)):
        with lap.store() as store:
            store.contacts.update(cid, {"notes": text})

    app_a = a.app()
    async with app_a.run_test(size=SIZE) as pilot:
        await sync_now(pilot)
        assert app_a.sync_state.conflicts == 0

    app_b = b.app(idle_delay=0.2)  # the resolution syncs by itself, shortly after the edit
    async with app_b.run_test(size=SIZE) as pilot:
        await sync_now(pilot)
        assert app_b.sync_state.conflicts == 1 and "1 conflicts" in badge(app_b)
        assert any("F6" in n for n in notes(app_b))
        await pilot.press("f6")
        await settle(pilot)
        screen = app_b.screen
        assert isinstance(screen, ConflictsScreen) and screen.items is not None
        ((view, label),) = screen.items
        assert (view.mine, view.theirs, view.row_id) == (MINE, THEIRS, cid)
        assert "Test Alpha" in label
        await pilot.press("e")
        await settle(pilot)
        dialog = app_b.screen
        assert isinstance(dialog, MergeDialog)
        area = dialog.query_one(TextArea)
        assert MINE in area.text and THEIRS in area.text  # both versions, mine first
        area.text = MERGED
        await pilot.press("ctrl+s")
        await rounds_reach(pilot, 2)
        assert app_b.screen is screen and screen.items == []
        assert app_b.sync_state.conflicts == 0 and app_b.sync_state.pending == 0

    app_a = a.app()
    async with app_a.run_test(size=SIZE) as pilot:
        await sync_now(pilot)
    assert a.query("SELECT notes FROM contacts WHERE id = ?", cid) == [(MERGED,)]
    assert a.query("SELECT status FROM sync_conflicts") == [("resolved",)]


async def test_keep_mine_from_the_conflicts_screen(server: ServerProcess, tmp_path: Path) -> None:
    a, b = Lap(tmp_path, server, "a"), Lap(tmp_path, server, "b")
    cid = new_contact(a, notes=BASE)
    a.sync()
    b.sync()
    for lap, text in ((b, MINE), (a, THEIRS)):  # a pushes last, so a's text is shown: keeping mine changes it
        with lap.store() as store:
            store.contacts.update(cid, {"notes": text})
        lap.sync()
    app = b.app()
    async with app.run_test(size=SIZE) as pilot:
        await sync_now(pilot)
        app.syncer.idle_delay = 3600
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert app.screen.items == []  # type: ignore[attr-defined]
        await sync_now(pilot)
    a.sync()
    assert a.query("SELECT notes FROM contacts WHERE id = ?", cid) == [(MINE,)]


async def test_refused_change_is_listed_with_its_reason_and_marked_seen(
    server: ServerProcess, tmp_path: Path
) -> None:
    a, b = Lap(tmp_path, server, "a"), Lap(tmp_path, server, "b")
    cid = new_contact(a)
    with a.store() as store:
        case_id = create_case(
            store, {"title": "Work permit", "beneficiary_id": cid, "category": "work_permit"}
        ).id
    a.sync()
    b.sync()
    with a.store() as store:
        change_case_status(store, case_id, "cancelled", reason="withdrawn")
    a.sync()
    with b.store() as store:  # a move the server will refuse: the case is cancelled there
        change_case_status(store, case_id, "triaged")
    app = b.app(lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await sync_now(pilot)
        assert app.sync_state.rejected == 1 and "1 条被拒绝" in badge(app)
        assert any("F7" in n for n in notes(app))
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RejectedScreen) and screen.items
        (item,) = screen.items
        assert item["row_id"] == case_id and not item["seen"]
        assert "服务事项" in item["label"] and item["message"] and item["message"] != item["reason"]
        await pilot.press("x")
        await settle(pilot)
        assert app.sync_state.rejected == 0 and "被拒绝" not in badge(app)
        assert screen.items and screen.items[0]["seen"]
    with b.store() as store:
        assert outbox.rejected_count(store, unseen_only=True) == 0
        assert conflicts.count_open(store) == 0


@pytest.mark.parametrize(
    ("lang", "label", "message"),
    [
        ("en", "token problem", "does not recognise this laptop's token"),
        ("zh", "令牌无效", "不认可本机的令牌"),
    ],
)
async def test_bad_token_is_explained_once_and_the_queue_kept(
    server: ServerProcess, tmp_path: Path, lang: str, label: str, message: str
) -> None:
    lap = Lap(tmp_path, server, "t")
    new_contact(lap)
    app = lap.app(lang=lang, token="lsn_" + "0" * 43, first_delay=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await rounds_reach(pilot, 1)
        assert label in badge(app) and app.syncer.failing
        app.syncer.sync_now()  # a background retry: said once already, not again
        await rounds_reach(pilot, 2)
        assert sum(message in n for n in notes(app)) == 1
    assert lap.query("SELECT count(*) FROM change_log WHERE pushed = 0")[0][0] > 0


async def test_version_mismatch_asks_for_an_update(
    server: ServerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("liaison_tui.sync.client.schema_fingerprint", lambda: "an-older-schema")
    lap = Lap(tmp_path, server, "old")
    new_contact(lap)
    app = lap.app()
    async with app.run_test(size=SIZE) as pilot:
        await sync_now(pilot)
        assert "please update Liaison" in badge(app)
        assert any("please update Liaison" in n for n in notes(app))
        assert app.sync_state.pending
