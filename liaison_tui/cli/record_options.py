"""What the recruiting commands share: ``--set FIELD=VALUE`` for any field of a record, records printed as
a two-column table (labels in the user's language) or as JSON, and a record named by id."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from ..domain.errors import LiaisonError
from ..domain.i18n import has, register, t

register(
    {
        "cli.rec.bad_set": (
            "Use --set FIELD=VALUE (got '{value}').",
            "请使用 --set 字段=值（收到“{value}”）。",
        ),
        "cli.rec.unknown_field": (
            "'{field}' is not a field of this record. Fields: {fields}",
            "“{field}”不是该记录的字段。可用字段：{fields}",
        ),
        "cli.rec.none": ("Nothing to list.", "没有记录。"),
        "cli.rec.more": ("… more: --after {cursor}", "…… 更多：--after {cursor}"),
        "cli.rec.created": ("Created {what} {id}", "已创建{what} {id}"),
        "cli.rec.updated": ("Updated {what} {id}", "已更新{what} {id}"),
        "cli.rec.unchanged": ("Nothing to change.", "没有需要修改的内容。"),
    }
)


def _console() -> Console:
    """The terminal's width, or a wide page when the output goes to a file or a pipe (rich would take 80)."""
    return Console(width=None if sys.stdout.isatty() else 200)


def parse_sets(pairs: Iterable[str], editable: Iterable[str]) -> dict[str, Any]:
    """``FIELD=VALUE`` pairs for fields of the record (an empty value clears the field)."""
    fields = list(editable)
    out: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise LiaisonError("cli.rec.bad_set", value=pair)
        name, value = pair.split("=", 1)
        name = name.strip()
        if name not in fields:
            raise LiaisonError("cli.rec.unknown_field", field=name, fields=", ".join(fields))
        out[name] = value.strip() or None
    return out


def label(name: str) -> str:
    return t(f"field.{name}") if has(f"field.{name}") else name


def show_record(data: dict[str, Any], *, as_json: bool, extra: dict[str, Any] | None = None) -> None:
    """A record as ``label  value`` lines (empty fields left out), or as JSON."""
    if as_json:
        click.echo(json.dumps({**data, **(extra or {})}, ensure_ascii=False, indent=2, default=str))
        return
    table = Table(show_header=False, box=None)
    for key, value in {**data, **(extra or {})}.items():
        if value in (None, [], "", {}):
            continue
        if isinstance(value, list):
            value = (
                "\n".join(map(str, value))
                if any(isinstance(v, str) and len(v) > 30 for v in value)
                else ", ".join(map(str, value))
            )
        table.add_row(f"[bold]{label(key)}[/]", str(value))
    _console().print(table)


def print_table(
    columns: list[str], rows: list[list[Any]], *, as_json: bool = False, items: Any = None
) -> None:
    if as_json:
        click.echo(
            json.dumps(items if items is not None else rows, ensure_ascii=False, indent=2, default=str)
        )
        return
    if not rows:
        click.echo(t("cli.rec.none"))
        return
    table = Table()
    for n, column in enumerate(columns):
        table.add_column(t(column) if has(column) else column, no_wrap=n == 0)
    for row in rows:
        table.add_row(*[("" if v is None else str(v)) for v in row])
    _console().print(table)


def enum_text(enum: Any, value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return str(enum(getattr(value, "value", value)).label())
    except ValueError:
        return str(value)
