"""Schema migrations: from empty, from the previous version, and refusal of a newer database."""

from __future__ import annotations

from pathlib import Path

import pytest

from liaison_tui.domain import LiaisonError
from liaison_tui.store import Store
from liaison_tui.store.crypto import connect_file
from liaison_tui.store.migrations import current_version, load_migrations, migrate, split_statements


def test_from_empty_applies_every_migration_in_order(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "a.db")
    versions = [r[0] for r in store.conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [m.version for m in load_migrations()]
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.close()


def test_from_previous_schema_keeps_data_and_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    all_migrations = load_migrations()
    conn = connect_file(path)
    migrate(conn, all_migrations[:1])  # a database written by the first release
    conn.execute(
        "INSERT INTO staff (id, username, display_name, role, active, created_at, updated_at, "
        "created_hlc, hlc) VALUES ('s1', 'wang.li', '王丽', 'staff', 1, 'x', 'x', 'h', 'h')"
    )
    conn.close()
    store = Store.open(path)
    assert store.schema_version == all_migrations[-1].version
    assert store.staff.get("s1").display_name == "王丽"
    store.close()


def test_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store.open(path).close()
    conn = connect_file(path)
    conn.execute("INSERT INTO schema_migrations VALUES (9999, 'future', 'x')")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LiaisonError) as caught:
        Store.open(path)
    assert caught.value.key == "store.err.newer_schema"
    assert "9999" in caught.value.message("zh") and "升级" in caught.value.message("zh")
    assert path.read_bytes() == before


def test_a_failing_migration_rolls_back_whole(tmp_path: Path) -> None:
    from liaison_tui.store.migrations import Migration

    conn = connect_file(tmp_path / "m.db")
    with pytest.raises(LiaisonError):
        migrate(conn, [Migration(1, "bad", "CREATE TABLE a (x INT);\nCREATE TABLE a (y INT);")])
    assert current_version(conn) == 0
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'a'").fetchone()[0] == 0


def test_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LiaisonError) as caught:
        Store.open(path)
    assert caught.value.key == "store.err.not_db"


def test_split_statements_handles_semicolons_in_strings() -> None:
    sql = "CREATE TABLE t (x TEXT DEFAULT ';');\n-- comment; here\nINSERT INTO t VALUES ('a;b');\n"
    assert len(split_statements(sql)) == 2


def test_migrations_ship_inside_the_wheel() -> None:
    import tomllib

    config = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    include = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include["db"] == "liaison_tui/_migrations"
