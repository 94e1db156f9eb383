"""The README is the contract with a newcomer: its two commands exist, and CI runs the test one."""

from __future__ import annotations

import re
import tomllib
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


def _ci_commands() -> list[str]:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    return [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_the_readme_command_is_the_default_run_and_ci_runs_the_big_data_tests_after_it() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_options = pyproject["tool"]["pytest"]["ini_options"]
    assert "-m 'not bigdata'" in pytest_options["addopts"]
    assert any(marker.startswith("bigdata:") for marker in pytest_options["markers"])
    commands = _ci_commands()
    default_run = commands.index(_commands()[1])
    big_data = next(i for i, c in enumerate(commands) if re.search(r"pytest\b.*-m bigdata\b", c))
    assert default_run < big_data


def test_ci_runs_the_linters() -> None:
    commands = _ci_commands()
    for linter in (".venv/bin/ruff check .", ".venv/bin/ruff format --check .", ".venv/bin/lint-imports"):
        assert linter in commands
