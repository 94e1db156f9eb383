"""The README is the contract with a newcomer: its two commands exist, and CI runs the test one."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", quick, re.S)
    return [
        next(line for line in b.splitlines() if line.strip() and not line.startswith("#")) for b in blocks
    ]


def test_quick_start_has_exactly_two_commands() -> None:
    run_app, run_tests = _commands()
    assert "liaison demo" in run_app and run_app.rstrip().endswith("liaison")
    assert "pytest" in run_tests


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert _commands()[1] in ci.splitlines()
