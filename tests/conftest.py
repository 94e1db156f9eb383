"""Shared fixtures: real SQLite files in temporary folders, never mocks of our own store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from liaison_tui.domain.i18n import set_lang
from liaison_tui.store import Store
from liaison_tui.store.crypto import connect_file

FIXED_NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """With LIAISON_PASSPHRASE set, every store the tests create in this process is encrypted (subprocesses
    read the same variable): the suite, or a part of it, runs on SQLCipher stores (.ci/run does)."""
    from liaison_tui.store.crypto import use_passphrase

    use_passphrase(os.environ.get("LIAISON_PASSPHRASE"))


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one worker more than this machine's CPUs. Many tests spend part of their time waiting
    (a server or a command-line call starting in another process, the terminal app's idle pauses): with a
    worker per CPU the CPUs sat idle a fifth of the run."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return cpus + 1


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    set_lang("en")
    yield
    set_lang("en")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "liaison.db", author="tester")
    yield s
    s.close()


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with every sample import file (tests/samples.py), written once per test process."""
    from .samples import write_samples

    return write_samples(tmp_path_factory.mktemp("samples"))


@pytest.fixture
def anyio_backend() -> str:
    """Async tests (Textual's run_test) run on asyncio."""
    return "asyncio"


@pytest.fixture(scope="session")
def small_demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 60-contact demo store built once per test process; tests copy it before changing it."""
    from liaison_tui.tui.testing import build_store

    return build_store(tmp_path_factory.mktemp("small-demo") / "demo-60.db", 60)


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    conn = connect_file(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def dump_text(conn: Any) -> str:
    """Every row of every table as text (``iterdump`` is not available on every engine)."""
    out: list[str] = []
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        out += [repr(row) for row in conn.execute(f'SELECT * FROM "{table}"')]
    return "\n".join(out)
