"""``liaison db``: facts about the database file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from ..domain.errors import LiaisonError
from ..domain.i18n import register, t
from .context import CliContext
from .lazy_group import LazyGroup

register(
    {
        "db.path": ("Database", "数据库"),
        "db.schema": ("Schema version", "结构版本"),
        "db.size": ("Size", "大小"),
        "db.device": ("This device", "本机设备"),
        "db.pending": ("Changes waiting to sync", "待同步的修改"),
        "db.counts": ("Records", "记录数"),
        "db.migrated": ("The database is at schema version {version}.", "数据库结构版本为 {version}。"),
        "db.new_passphrase": ("New passphrase (at least 8 characters)", "新口令（至少 8 个字符）"),
        "db.encrypted": (
            "{path} is encrypted now; the plain copy was overwritten. Keep the passphrase safe: without it the "
            "data cannot be read.",
            "{path} 已加密；原明文副本已被覆盖。请妥善保管口令：没有口令将无法读取数据。",
        ),
        "db.rekeyed": ("{path} has its new passphrase.", "{path} 已更换口令。"),
        "db.encryption": ("Encryption", "加密"),
        "db.table_row": (
            "  {table}: {rows} rows, {indexes} indexes",
            "  {table}：{rows} 行，{indexes} 个索引",
        ),
        "db.encryption.on": ("on (SQLCipher, AES-256)", "已启用（SQLCipher，AES-256）"),
        "db.encryption.off": ("off — liaison db encrypt", "未启用 — liaison db encrypt"),
    }
)


@click.group(cls=LazyGroup, lazy={"reindex": "liaison_tui.cli.search_cmd:reindex"})
def db() -> None:
    """The database file. 数据库。"""


@db.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--tables", "show_tables", is_flag=True, help="Every table with its rows and indexes.")
@click.pass_obj
def info(obj: CliContext, as_json: bool, show_tables: bool) -> None:
    """Path, schema version and counts. 路径、结构版本与记录数。"""
    from ..domain.i18n import t as tr

    store = obj.open_store()
    size = os.path.getsize(store.path) if os.path.exists(store.path) else 0
    data = {
        "path": os.path.abspath(store.path),
        "schema_version": store.schema_version,
        "size_bytes": size,
        "device_id": store.device_id,
        "device_code": store.device_code,
        "station": store.station,
        "pending_changes": store.pending_changes(),
        "encrypted": store.encrypted,
        "counts": store.counts(),
    }
    if show_tables:
        data["tables"] = store.tables()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{t('db.path')}: {data['path']}")
    click.echo(f"{t('db.schema')}: {data['schema_version']}")
    click.echo(f"{t('db.size')}: {size / 1_048_576:.1f} MiB")
    click.echo(f"{t('db.device')}: {store.device_id} ({store.station}-…-{store.device_code})")
    click.echo(
        f"{t('db.encryption')}: {t('db.encryption.on') if store.encrypted else t('db.encryption.off')}"
    )
    click.echo(f"{t('db.pending')}: {data['pending_changes']}")
    click.echo(f"{t('db.counts')}:")
    for table, count in data["counts"].items():
        click.echo(f"  {tr('table.' + table)}: {count}")
    for row in data.get("tables", []):
        click.echo(t("db.table_row", **row))


def _new_passphrase(path_option: Path | None) -> str:
    if path_option is not None:
        lines = path_option.read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    from_env = os.environ.get("LIAISON_NEW_PASSPHRASE")
    if from_env:
        return from_env
    return str(click.prompt(t("db.new_passphrase"), hide_input=True, confirmation_prompt=True, err=True))


@db.command()
@click.option(
    "--new-passphrase-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File whose first line is the passphrase (else $LIAISON_NEW_PASSPHRASE, else asked twice).",
)
@click.pass_obj
def encrypt(obj: CliContext, new_passphrase_file: Path | None) -> None:
    """Encrypt this database in place (SQLCipher; all or nothing). 加密数据库。"""
    from ..store.crypto import is_encrypted, reencrypt

    path = obj.settings.db
    if is_encrypted(path):
        raise LiaisonError("store.err.already_encrypted", path=str(path))
    obj.close()
    reencrypt(path, _new_passphrase(new_passphrase_file))
    click.echo(t("db.encrypted", path=path.resolve()))


@db.command()
@click.option(
    "--new-passphrase-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File whose first line is the new passphrase (else $LIAISON_NEW_PASSPHRASE, else asked twice).",
)
@click.pass_obj
def rekey(obj: CliContext, new_passphrase_file: Path | None) -> None:
    """Give an encrypted database a new passphrase. 更换数据库口令。"""
    from ..store.crypto import is_encrypted, reencrypt

    path = obj.settings.db
    if not is_encrypted(path):
        raise LiaisonError("store.err.not_encrypted", path=str(path))
    obj.open_store()  # asks for the current passphrase if needed, and checks it
    obj.close()
    reencrypt(path, _new_passphrase(new_passphrase_file), old_passphrase=obj.passphrase)
    click.echo(t("db.rekeyed", path=path.resolve()))


@db.command()
@click.pass_obj
def migrate(obj: CliContext) -> None:
    """Upgrade the database to this version's schema. 升级数据库结构。"""
    store = obj.open_store()  # opening migrates
    click.echo(t("db.migrated", version=store.schema_version))
