"""The first screen's code path stays light: the app module and home load without the write path, the
pydantic models, phone metadata, httpx or the other screens (each is tens of ms of every start-up; the
cold-start figure in benchmarks/tui.py depends on it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

HEAVY = [
    "liaison_tui.domain.models",
    "liaison_tui.store.store",
    "liaison_tui.sync.status",
    "phonenumbers",
    "httpx",
    "sqlite_utils",
    "pypinyin",
    "opencc",
    "liaison_tui.tui.screens.cases",
    "liaison_tui.tui.screens.contact",
    "liaison_tui.tui.screens.case",
    "liaison_tui.tui.screens.lookup",
    "liaison_tui.tui.screens.dialogs",
]


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True
    )
    return set(result.stdout.split())


def test_app_module_and_home_load_without_heavy_imports() -> None:
    loaded = loaded_after(
        "import liaison_tui.tui.app, liaison_tui.tui.screens.home, liaison_tui.store.queries"
    )
    assert "liaison_tui.tui.app" in loaded  # the probe did import what it should
    assert sorted(m for m in HEAVY if m in loaded) == []


def test_lazy_package_names_still_resolve() -> None:
    loaded = loaded_after(
        "from liaison_tui.domain import Contact, ValidationFailed\n"
        "from liaison_tui.store import Store\nfrom liaison_tui.sync import SyncError, read_status\n"
        "from liaison_tui.tui.screens import screen_class\nscreen_class('CasesScreen')"
    )
    assert {
        "liaison_tui.domain.models",
        "liaison_tui.store.store",
        "liaison_tui.sync.status",
        "liaison_tui.tui.screens.cases",
    } <= loaded
