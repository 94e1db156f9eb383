"""``liaison db``: facts about the database file."""

from __future__ import annotations

import json
import os

import click

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
    }
)


@click.group(cls=LazyGroup, lazy={"reindex": "liaison_tui.cli.search_cmd:reindex"})
def db() -> None:
    """The database file. 数据库。"""


@db.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def info(obj: CliContext, as_json: bool) -> None:
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
        "counts": store.counts(),
    }
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{t('db.path')}: {data['path']}")
    click.echo(f"{t('db.schema')}: {data['schema_version']}")
    click.echo(f"{t('db.size')}: {size / 1_048_576:.1f} MiB")
    click.echo(f"{t('db.device')}: {store.device_id} ({store.station}-…-{store.device_code})")
    click.echo(f"{t('db.pending')}: {data['pending_changes']}")
    click.echo(f"{t('db.counts')}:")
    for table, count in data["counts"].items():
        click.echo(f"  {tr('table.' + table)}: {count}")


@db.command()
@click.pass_obj
def migrate(obj: CliContext) -> None:
    """Upgrade the database to this version's schema. 升级数据库结构。"""
    store = obj.open_store()  # opening migrates
    click.echo(t("db.migrated", version=store.schema_version))
