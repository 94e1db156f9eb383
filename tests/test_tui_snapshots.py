"""Snapshots of the main screens at 120x36 and 80x24, on a deterministic store with a frozen clock.

Update after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and look at
the SVGs in ``tests/__snapshots__`` before committing them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from liaison_tui.domain.i18n import set_lang
from liaison_tui.tui.testing import build_store, copy_store, make_app, settle

WIDE, NARROW = (120, 36), (80, 24)


@pytest.fixture(scope="session")
def snapshot_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("tui-snap") / "demo-600.db", 600)


@pytest.fixture
def db(snapshot_source: Path, tmp_path: Path) -> Path:
    yield copy_store(snapshot_source, tmp_path / "t.db")
    set_lang("en")


def walk(*keys: str) -> Any:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await settle(pilot)

    return run_before


SCREENS = {
    "home": (),
    "lookup": ("slash", "z", "w"),
    "contact": ("slash", "z", "w", "enter"),
    "case": ("2", "enter"),
    "cases": ("2",),
    "agenda": ("3",),
    "org": ("slash", "z", "w", "enter", "o"),
    "demands": ("5",),
    "demand": ("5", "enter"),
    "event": ("6", "down", "down", "enter"),
    "checkin": ("6", "down", "enter", "c", "w", "a", "n", "g"),
    "orgs": ("O",),
    "talent": ("slash", "z", "w", "enter", "m"),
    "duplicates": ("D",),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_wide(snap_compare: Any, db: Path, screen: str, lang: str) -> None:
    assert snap_compare(make_app(db, lang=lang), terminal_size=WIDE, run_before=walk(*SCREENS[screen]))


@pytest.mark.parametrize("screen", ["home", "contact", "case", "cases", "agenda", "org", "demand", "event"])
def test_screen_narrow(snap_compare: Any, db: Path, screen: str) -> None:
    assert snap_compare(make_app(db, lang="zh"), terminal_size=NARROW, run_before=walk(*SCREENS[screen]))


def test_help(snap_compare: Any, db: Path) -> None:
    assert snap_compare(
        make_app(db, lang="en"), terminal_size=WIDE, run_before=walk("slash", "z", "w", "enter", "f1")
    )
