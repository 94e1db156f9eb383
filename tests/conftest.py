"""Shared fixtures: real SQLite files in temporary folders, never mocks of our own store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from liaison_tui.domain.i18n import set_lang
from liaison_tui.store import Store

FIXED_NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"


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
