"""Names and notes that arrive by sync or import are shown inertly: terminal control sequences (OSC 52
clipboard writes, OSC 0 titles, OSC 8 links, raw ESC) never reach the terminal, in the CLI or the app;
``--json`` stays exact. The models refuse such text on the way in; these records are written behind them,
as an older version or another tool could have."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from liaison_tui.domain.models import Contact
from liaison_tui.domain.validation import ValidationFailed
from liaison_tui.store import Store
from liaison_tui.tui.testing import make_app, settle

HOSTILE = "Evil\x1b]52;c;cm0gLXJmIH4=\x07Name\x1b]0;pwned\x07\x1b]8;;https://x.invalid\x1b\\link\x1b]8;;\x1b\\\x1b[2J"


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "hostile.db"
    with Store.open(path, author="t") as store:
        record = Contact(native_name="正常", latin_name="Plain Name").storable()
        record["latin_name"] = HOSTILE
        record["notes"] = "note \x1b[31mred\x9b31m \u202egnp.exe"
        store.write("contacts", record["id"], "create", {k: v for k, v in record.items() if k != "id"})
        return path, record["id"]


def run(db: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LIAISON_DB": str(db), "LIAISON_LANG": "en", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "liaison_tui.cli.main", *args], env=env, capture_output=True)


@pytest.mark.parametrize("args", [("contact", "list"), ("contact", "show", "{id}"), ("search", "Evil")])
def test_the_cli_shows_control_sequences_as_pictures(db: tuple[Path, str], args: tuple[str, ...]) -> None:
    path, contact_id = db
    result = run(path, *(a.format(id=contact_id) for a in args))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert b"\x1b" not in out and b"\x9b" not in out.decode().encode("latin-1", "ignore")
    assert "␛]52" in out.decode()


def test_json_output_stays_exact(db: tuple[Path, str]) -> None:
    path, contact_id = db
    result = run(path, "contact", "show", contact_id, "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["latin_name"] == HOSTILE
    assert b"\x1b" not in result.stdout  # JSON escapes it: \u001b


def test_the_models_refuse_control_characters_on_the_way_in() -> None:
    for text in (HOSTILE, "a\x9bb", "right\u202eleft", "bell\x07"):
        with pytest.raises(Exception) as err:
            Contact.model_validate({"native_name": text})
        assert "control characters" in ValidationFailed.from_pydantic(err.value).message("en")
    assert Contact.model_validate({"native_name": "张伟", "notes": "line one\nline two\ttab"}).notes


@pytest.mark.anyio
async def test_the_app_shows_them_inertly(db: tuple[Path, str]) -> None:
    path, _ = db
    app = make_app(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Evil")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        shown = app.export_screenshot()
    assert "\x1b" not in shown and "\x9b" not in shown
    assert "␛]52" in shown or "␛]0" in shown, [line for line in shown.splitlines() if "Evil" in line][:3]
