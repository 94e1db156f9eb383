"""Deterministic demo stores and apps for tests, snapshots, screenshots and benchmarks.

A fixed seed, a fixed "now", a fixed device code (it appears in case numbers) and a frozen clock in the app
make every screen render the same way on every run."""

from __future__ import annotations

import contextlib
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from ..settings import Settings

FIXED_NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Qingdao
STATION_TZ = ZoneInfo("Asia/Shanghai")
DEVICE_CODE = "K7M"


def build_store(path: Path, contacts: int, *, seed: int = 7, now: datetime = FIXED_NOW) -> Path:
    """A demo store at ``path`` (built once; reused if the file exists)."""
    from ..store import demo
    from ..store.store import Store

    if path.exists():
        return path
    partial = path.with_suffix(".building")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    with Store.open(partial, author="demo") as store:
        store.set_meta("device_code", DEVICE_CODE)
    with Store.open(partial, author="demo") as store:
        demo.generate(store, contacts, seed=seed, now=now)
        store.checkpoint()
    partial.rename(path)
    return path


def copy_store(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def steady_cursor() -> None:
    """Inputs without a blinking cursor: a blink every 0.5 s would make a snapshot depend on when, under
    load, it was taken (part of rendering the same way on every run, like the frozen clock)."""
    from textual.widgets import Input

    if getattr(Input, "_liaison_steady", False):
        return
    original = Input._on_mount

    def _on_mount(self: Any, event: Any) -> Any:
        self.cursor_blink = False
        return original(self, event)

    Input._on_mount = _on_mount  # type: ignore[method-assign]
    Input._liaison_steady = True  # type: ignore[attr-defined]


def make_app(db: Path, *, lang: str = "en", keys: dict[str, str] | None = None, **overrides: Any) -> Any:
    from .app import LiaisonApp

    steady_cursor()

    settings = Settings(db=db, lang=lang, keys=keys or {}, theme="textual-dark")
    return LiaisonApp(
        settings, lang=lang, clock=lambda: FIXED_NOW, tz=STATION_TZ, show_timings=False, **overrides
    )


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages land: wait until two pauses in a row begin and end with no
    worker running. Results often start more work, and a screen mounted in one pause starts its loads in
    the next; a pause returns only once the app has been idle for a moment."""
    app = pilot.app
    quiet = 0
    for _round in range(100):
        busy = bool(app.workers)
        if busy:
            with contextlib.suppress(WorkerCancelled):  # an exclusive worker replaced by a newer one
                await app.workers.wait_for_complete()
        await pilot.pause()
        quiet = 0 if busy or app.workers else quiet + 1
        if quiet == 2:
            return
    raise AssertionError("the app kept starting workers: it never settled")
