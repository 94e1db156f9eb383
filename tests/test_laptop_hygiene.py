"""What a laptop writes is its owner's alone, a config file that exposes the token is flagged, and a bad
reference in an edit is a clear one-line error (not an internal one)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from liaison_tui.store import Store


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "liaison_tui.cli.main", *args],
        env={**os.environ, "LIAISON_LANG": "en", **env},
        capture_output=True,
        text=True,
    )


def test_database_exports_and_person_exports_are_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)  # a permissive umask, as most desktops have
    try:
        db = tmp_path / "lap.db"
        with Store.open(db, author="t") as store:
            contact = store.contacts.create({"native_name": "权限", "latin_name": "Private Person"})
            assert mode(db) == 0o600 and mode(Path(f"{db}-wal")) == 0o600 and mode(Path(f"{db}-shm")) == 0o600
        env = {"LIAISON_DB": str(db)}
        for fmt, name in (("csv", "list.csv"), ("xlsx", "list.xlsx"), ("vcard", "list.vcf")):
            result = run(env, "export", "contacts", "--format", fmt, "-o", str(tmp_path / name))
            assert result.returncode == 0, result.stderr
            assert mode(tmp_path / name) == 0o600, name
        folder = tmp_path / "access-request"
        result = run(env, "person", "export", contact.id, "-o", str(folder))
        assert result.returncode == 0, result.stderr
        assert mode(folder) == 0o700 and all(mode(f) == 0o600 for f in folder.iterdir())
    finally:
        os.umask(old)


def test_an_existing_readable_database_is_tightened(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    Store.open(db).close()
    os.chmod(db, 0o644)
    Store.open(db).close()
    assert mode(db) == 0o600


def test_a_config_file_others_can_read_is_flagged_when_it_holds_a_token(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('server_url = "https://liaison.example.org"\ntoken = "lsn_secret"\n', encoding="utf-8")
    os.chmod(config, 0o644)
    env = {"LIAISON_CONFIG": str(config), "LIAISON_DB": str(tmp_path / "x.db")}
    result = run(env, "db", "info")
    assert result.returncode == 0 and "chmod 600" in result.stderr and "lsn_secret" not in result.stderr
    os.chmod(config, 0o600)
    assert "chmod 600" not in run(env, "db", "info").stderr


def test_bad_references_are_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "refs.db"
    with Store.open(db, author="t") as store:
        contact = store.contacts.create({"native_name": "引用"})
        store.staff.create({"username": "wang.li", "display_name": "王丽"})
    env = {"LIAISON_DB": str(db)}
    for assignment in ("owner_id=nobody", "org_id=nonexistent"):
        result = run(env, "contact", "edit", contact.id, "--set", assignment)
        assert result.returncode == 1, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "not a known record" in lines[0] and "went wrong" not in lines[0]
    result = run(env, "contact", "edit", contact.id, "--set", "owner_id=wang.li")  # a user name is resolved
    assert result.returncode == 0, result.stderr
    with Store.open(db) as store:
        assert (
            store.contacts.get(contact.id).owner_id
            == store.conn.execute("SELECT id FROM staff").fetchone()[0]
        )
