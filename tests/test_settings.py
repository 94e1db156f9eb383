"""Settings: defaults, then the TOML config file, then LIAISON_* environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from liaison_tui.settings import load_settings


def test_config_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'db = "~/station.db"\nlang = "zh-CN"\nuser = "zhao.min"\n[keys]\n"app.lookup" = "ctrl+f"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("LIAISON_CONFIG", str(config))
    for var in ("LIAISON_DB", "LIAISON_LANG", "LIAISON_USER"):
        monkeypatch.delenv(var, raising=False)
    settings = load_settings()
    assert settings.db == Path("~/station.db").expanduser()
    assert settings.lang == "zh" and settings.username == "zhao.min"
    assert settings.keys == {"app.lookup": "ctrl+f"}
    monkeypatch.setenv("LIAISON_DB", str(tmp_path / "env.db"))
    monkeypatch.setenv("LIAISON_LANG", "en")
    settings = load_settings()
    assert settings.db == tmp_path / "env.db" and settings.lang == "en"
    assert load_settings(db=tmp_path / "arg.db").db == tmp_path / "arg.db"


def test_no_config_file_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIAISON_CONFIG", str(tmp_path / "missing.toml"))
    monkeypatch.delenv("LIAISON_DB", raising=False)
    assert load_settings().db.name == "liaison.db"
