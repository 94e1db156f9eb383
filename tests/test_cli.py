"""The ``liaison`` command: one clear line in the user's language on errors, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(db: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIAISON_DB": str(db), "LIAISON_CONFIG": str(db.parent / "none.toml")}
    return subprocess.run(
        [sys.executable, "-m", "liaison_tui.cli.main", "--lang", lang, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


def test_contact_round_trip(db: Path) -> None:
    added = run(
        db,
        "contact",
        "add",
        "--name",
        "张伟",
        "--latin",
        "Zhang Wei",
        "--phone",
        "0151 2345 6789",
        "--email",
        "Zhang.Wei@example.org",
        "--set",
        "country=DE",
        "--json",
    )
    assert added.returncode == 0, added.stderr
    contact = json.loads(added.stdout)
    phones = [p["value"] for p in contact["contact_points"] if p["kind"] == "phone"]
    assert phones == ["+4915123456789"]
    cid = contact["id"]
    edited = run(db, "contact", "edit", cid, "--set", "stage=engaged", "--set", "tags=PhD, 博士")
    assert edited.returncode == 0, edited.stderr
    shown = json.loads(run(db, "contact", "show", cid, "--json").stdout)
    assert shown["stage"] == "engaged" and shown["tags"] == ["PhD", "博士"]
    listed = json.loads(run(db, "contact", "list", "--limit", "5", "--json").stdout)
    assert [c["id"] for c in listed["items"]] == [cid]
    assert run(db, "contact", "delete", cid).returncode == 0
    assert json.loads(run(db, "contact", "list", "--json").stdout)["items"] == []
    info = json.loads(run(db, "db", "info", "--json").stdout)
    assert info["counts"]["contacts"] == 0 and info["pending_changes"] == 5


@pytest.mark.parametrize(
    ("lang", "args", "expected"),
    [
        ("en", ("contact", "add", "--latin", "X", "--phone", "12"), "is not a phone number"),
        ("zh", ("contact", "add", "--latin", "X", "--phone", "12"), "不是可拨打的电话号码"),
        ("zh", ("contact", "add"), "至少需要一个姓名"),
        ("en", ("contact", "show", "missing-id"), "liaison search missing-id"),
        ("zh", ("contact", "edit", "x", "--set", "colour=blue"), "不是联系人字段"),
        ("en", ("contact", "edit", "x", "--set", "novalue"), "FIELD=VALUE"),
        ("zh", ("demo", "--contacts", "0"), "必须在 1 到"),
    ],
)
def test_errors_are_one_clear_line(db: Path, lang: str, args: tuple[str, ...], expected: str) -> None:
    result = run(db, *args, lang=lang)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_a_corrupt_database_file_is_explained(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(os.urandom(8192))
    result = run(bad, "db", "info", lang="zh")
    assert result.returncode == 1
    assert "不是 Liaison 数据库" in result.stderr and "Traceback" not in result.stderr


def test_demo_then_info(db: Path) -> None:
    result = run(db, "demo", "--contacts", "300", "--seed", "1")
    assert result.returncode == 0, result.stderr
    assert "300" in result.stdout
    again = run(db, "demo", "--contacts", "300", "--if-empty")
    assert "nothing added" in again.stdout
    info = json.loads(run(db, "db", "info", "--json").stdout)
    assert info["counts"]["contacts"] == 300 and info["schema_version"] >= 1


def test_a_demo_store_refuses_to_sync(db: Path) -> None:
    assert run(db, "demo", "--contacts", "50").returncode == 0
    env = {
        **os.environ,
        "LIAISON_DB": str(db),
        "LIAISON_CONFIG": str(db.parent / "none.toml"),
        "LIAISON_SERVER_URL": "http://127.0.0.1:9",
        "LIAISON_TOKEN": "t",
    }
    result = subprocess.run(
        [sys.executable, "-m", "liaison_tui.cli.main", "--lang", "zh", "sync"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    assert "演示数据" in result.stderr and "Traceback" not in result.stderr


def test_contact_show_speaks_the_users_language_and_finds_a_unique_name(db: Path) -> None:
    added = run(
        db,
        "contact",
        "add",
        "--name",
        "欧阳娜娜",
        "--latin",
        "Nana Ouyang",
        "--phone",
        "+49 151 23456789",
        "--set",
        "country=GB",
        "--set",
        "languages=en, zh",
        "--set",
        "gender=female",
        "--json",
    )
    assert added.returncode == 0, added.stderr
    shown = run(db, "contact", "show", "欧阳娜娜", lang="zh")  # a name only one contact has
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    for label in ("人才", "姓在前", "未评级", "线索", "英国", "英语、中文", "女", "电话"):
        assert label in out, label
    for code in ("talent", "family_first", "unrated", "lead", " GB", "female"):
        assert code not in out, code
    run(db, "contact", "add", "--name", "欧阳娜", "--latin", "Ouyang Na")
    several = run(db, "contact", "show", "欧阳", lang="zh")
    assert several.returncode == 1 and "liaison search 欧阳" in several.stderr
    found = run(db, "search", "欧阳娜娜", lang="zh").stdout
    assert "中文姓名" in found and "native_name" not in found


def test_db_info_shows_the_absolute_path(tmp_path: Path) -> None:
    env = {**os.environ, "LIAISON_DB": "rel.db", "LIAISON_CONFIG": str(tmp_path / "none.toml")}
    result = subprocess.run(
        [sys.executable, "-m", "liaison_tui.cli.main", "--lang", "en", "db", "info"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"Database: {tmp_path / 'rel.db'}" in result.stdout


def test_help_is_in_the_users_language(db: Path) -> None:
    zh = run(db, "search", "--help", lang="zh").stdout
    assert "用法：" in zh and "只查此类记录" in zh and "显示多少条结果" in zh and "显示此帮助并退出" in zh
    assert "Only this kind of record" not in zh and "Show this message" not in zh
    en = run(db, "contact", "add", "--help", lang="en").stdout
    assert "Usage:" in en and "Phone in any format" in en and "电话" not in en
    top = run(db, "--help", lang="zh").stdout
    assert "按姓名、拼音、电话、邮箱或编号查找" in top and "Find contacts" not in top


def test_db_info_lists_tables_through_sqlite_utils(db: Path) -> None:
    result = run(db, "db", "info", "--tables", "--json")
    assert result.returncode == 0, result.stderr
    tables = {row["table"]: row for row in json.loads(result.stdout)["tables"]}
    assert {"contacts", "change_log", "search_doc", "search_names"} <= set(tables)
    assert not any(name.startswith("search_names_") for name in tables)  # FTS shadow tables left out
    assert tables["contacts"]["indexes"] >= 3
