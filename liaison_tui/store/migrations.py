"""Numbered SQL migrations (``db/NNNN_name.sql``), applied in order, each in its own transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..domain.errors import LiaisonError
from ..domain.i18n import register
from ..domain.times import iso, utcnow
from . import engine

register(
    {
        "store.err.newer_schema": (
            "This database was written by a newer Liaison (schema {found}, this version knows up to {known}). "
            "Update Liaison; the file has not been changed.",
            "该数据库由更新版本的 Liaison 创建（结构版本 {found}，当前程序最高支持 {known}）。请升级 Liaison；文件未作任何修改。",
        ),
        "store.err.migration": (
            "Could not upgrade the database at step {version} ({name}); nothing was changed by it.",
            "数据库升级在第 {version} 步（{name}）失败；该步骤未作任何修改。",
        ),
    }
)

_NAME = re.compile(r"^(\d{4})_([\w-]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations_dir() -> Path:
    """The packaged copy inside a wheel, or the repository's ``db/`` in a development checkout."""
    packaged = resources.files("liaison_tui") / "_migrations"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "db"


def load_migrations(directory: Path | None = None) -> list[Migration]:
    found: list[Migration] = []
    for path in sorted((directory or migrations_dir()).glob("*.sql")):
        match = _NAME.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError("two migrations share a version number")
    return found


def split_statements(sql: str) -> list[str]:
    """Split a script into statements (``executescript`` would commit behind our back)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if engine.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(part.strip().startswith("--") for part in buffer.strip().splitlines()):
        statements.append(buffer.strip())
    return statements


def current_version(conn: engine.Connection) -> int:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def _applied_versions(conn: engine.Connection) -> set[int]:
    if current_version(conn) == 0:
        return set()
    return {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations")}


def migrate(conn: engine.Connection, migrations: list[Migration] | None = None) -> list[int]:
    """Bring the schema up to date; returns the versions applied. Refuses a newer database untouched."""
    todo = migrations if migrations is not None else load_migrations()
    known = max((m.version for m in todo), default=0)
    found = current_version(conn)
    if found > known:
        raise LiaisonError("store.err.newer_schema", found=found, known=known)
    done = _applied_versions(conn)
    applied: list[int] = []
    for migration in todo:
        if migration.version in done:  # by set, not by max: a migration merged late still runs
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            for statement in split_statements(migration.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, iso(utcnow())),
            )
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
        except engine.Error as exc:
            conn.execute("ROLLBACK")
            raise LiaisonError("store.err.migration", version=migration.version, name=migration.name) from exc
        applied.append(migration.version)
    return applied
