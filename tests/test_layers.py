"""Lower layers never import the UI, the network or higher layers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_domain_and_store_load_without_ui_or_network_libraries() -> None:
    code = (
        "import sys, liaison_tui.domain, liaison_tui.store, liaison_tui.store.services, "
        "liaison_tui.store.demo\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'textual', 'httpx', 'fastapi', 'uvicorn'} or m.startswith('liaison_tui.tui') "
        "or m.startswith('liaison_tui.cli'))\n"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == ""


def test_import_linter_contracts_hold() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([exe], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower() or "0 broken" in result.stdout.lower()
