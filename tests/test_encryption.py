"""Encryption at rest: a store encrypted in place holds none of its data in the clear and no SQLite header;
the wrong passphrase or none is a clear refusal; a new passphrase replaces the old; the central service's
store can be encrypted the same way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from liaison_tui.store import Store
from liaison_tui.store.crypto import is_encrypted, use_passphrase

MARKER = "CIPHERMARKER-Zhao-8812"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "LIAISON_PASSPHRASE"}
    return subprocess.run(
        [sys.executable, "-m", "liaison_tui.cli.main", *args],
        env={**base, "LIAISON_LANG": "en", **env},
        capture_output=True,
        text=True,
    )


def raw(path: Path) -> bytes:
    return b"".join(Path(f"{path}{s}").read_bytes() for s in ("", "-wal") if Path(f"{path}{s}").exists())


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    db = tmp_path / "laptop.db"
    use_passphrase(None)
    try:
        with Store.open(db, author="t") as store:
            person = store.contacts.create(
                {"native_name": "加密测试", "latin_name": MARKER, "notes": "passport E778"}
            )
            store.contact_points.create(
                {"contact_id": person.id, "kind": "email", "raw": "cipher@example.org"}
            )
    finally:
        use_passphrase(os.environ.get("LIAISON_PASSPHRASE"))
    assert MARKER.encode() in raw(db)
    return db


def test_encrypt_in_place_then_open_only_with_the_passphrase(plain: Path, tmp_path: Path) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text("correct horse battery\n", encoding="utf-8")
    done = run({"LIAISON_DB": str(plain)}, "db", "encrypt", "--new-passphrase-file", str(secret))
    assert done.returncode == 0, done.stderr
    data = raw(plain)
    assert not data.startswith(b"SQLite format 3") and is_encrypted(plain)
    for text in (MARKER, "加密测试", "cipher@example.org", "passport E778"):
        assert text.encode() not in data, text
    assert not Path(f"{plain}.reencrypting").exists()
    ok = run({"LIAISON_DB": str(plain), "LIAISON_PASSPHRASE": "correct horse battery"}, "search", MARKER[:12])
    assert ok.returncode == 0 and MARKER in ok.stdout
    info = run({"LIAISON_DB": str(plain), "LIAISON_PASSPHRASE": "correct horse battery"}, "db", "info")
    assert "SQLCipher" in info.stdout
    wrong = run({"LIAISON_DB": str(plain), "LIAISON_PASSPHRASE": "wrong horse battery"}, "contact", "list")
    assert wrong.returncode == 1 and "Wrong passphrase" in wrong.stderr and "Traceback" not in wrong.stderr
    missing = run({"LIAISON_DB": str(plain)}, "contact", "list")
    assert missing.returncode == 1 and "give its passphrase" in missing.stderr
    zh = run(
        {"LIAISON_DB": str(plain), "LIAISON_PASSPHRASE": "wrong horse battery"}, "--lang", "zh", "db", "info"
    )
    assert "口令不正确" in zh.stderr


def test_rekey_replaces_the_passphrase(plain: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("first passphrase\n", encoding="utf-8")
    second.write_text("second passphrase\n", encoding="utf-8")
    assert (
        run({"LIAISON_DB": str(plain)}, "db", "encrypt", "--new-passphrase-file", str(first)).returncode == 0
    )
    done = run(
        {"LIAISON_DB": str(plain)},
        "--passphrase-file",
        str(first),
        "db",
        "rekey",
        "--new-passphrase-file",
        str(second),
    )
    assert done.returncode == 0, done.stderr
    assert (
        run({"LIAISON_DB": str(plain), "LIAISON_PASSPHRASE": "first passphrase"}, "db", "info").returncode
        == 1
    )
    assert (
        run({"LIAISON_DB": str(plain), "LIAISON_PASSPHRASE": "second passphrase"}, "db", "info").returncode
        == 0
    )
    short = run(
        {
            "LIAISON_DB": str(plain),
            "LIAISON_PASSPHRASE": "second passphrase",
            "LIAISON_NEW_PASSPHRASE": "short",
        },
        "db",
        "rekey",
    )
    assert short.returncode == 1 and "at least 8" in short.stderr


def test_a_new_store_given_a_passphrase_is_encrypted_and_the_server_can_be_too(tmp_path: Path) -> None:
    from .sync_support import ServerProcess, laptop

    env_before = os.environ.get("LIAISON_PASSPHRASE")
    os.environ["LIAISON_PASSPHRASE"] = "station server passphrase"
    use_passphrase("station server passphrase")
    try:
        server = ServerProcess(tmp_path / "server.db").start()
        try:
            a = laptop(tmp_path, server, "a")
            a.store.contacts.create({"native_name": "服务器加密", "latin_name": MARKER})
            a.sync()
            assert a.store.encrypted and is_encrypted(tmp_path / "a.db") and is_encrypted(server.db)
            assert MARKER.encode() not in raw(server.db) and MARKER.encode() not in raw(tmp_path / "a.db")
            a.close()
        finally:
            server.stop()
    finally:
        if env_before is None:
            os.environ.pop("LIAISON_PASSPHRASE", None)
        else:
            os.environ["LIAISON_PASSPHRASE"] = env_before
        use_passphrase(env_before)
