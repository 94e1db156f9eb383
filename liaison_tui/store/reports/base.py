"""What every report query needs: the connection, the parameters, the period, the scope and the clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from ...domain.errors import LiaisonError
from ...domain.i18n import register
from .model import Params
from .periods import Period, station_today
from .scope import Scope

register(
    {
        "report.err.unknown": (
            "No report named '{name}'. Reports: {names}",
            "没有名为“{name}”的报表。可用：{names}",
        ),
        "report.err.owner": ("No staff member '{name}'.", "找不到工作人员“{name}”。"),
        "report.err.chain": (
            "Unknown industry chain '{value}'. Use: {allowed}",
            "未知的产业链“{value}”。可用：{allowed}",
        ),
        "report.err.team": (
            "Your role shows the workload of your team only; {name} is not in it.",
            "您的角色只能查看本团队的工作量；{name} 不在您的团队中。",
        ),
    }
)


@dataclass
class Ctx:
    conn: Any
    params: Params
    period: Period | None
    now: datetime
    scope: Scope
    notes: list[str] = field(default_factory=list)

    def rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        # in chunks: one fetchall of 100k rows holds the GIL for its whole length, and the terminal's
        # event loop waits that long
        cursor = self.conn.execute(sql, list(params))
        out: list[tuple[Any, ...]] = []
        while chunk := cursor.fetchmany(2000):
            out.extend(chunk)
        return out

    def one(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> Any:
        row = self.conn.execute(sql, list(params)).fetchone()
        return row[0] if row else None

    @cached_property
    def tables(self) -> frozenset[str]:
        return frozenset(r[0] for r in self.rows("SELECT name FROM sqlite_master WHERE type = 'table'"))

    def has(self, *tables: str) -> bool:
        return all(t in self.tables for t in tables)

    @property
    def today(self) -> str:
        return station_today(self.now).isoformat()

    def staff_names(self) -> dict[str, str]:
        return dict(self.rows("SELECT id, display_name FROM staff WHERE deleted = 0"))


def resolve_owner(conn: Any, value: str | None) -> str | None:
    """A staff id from an id or a user name (the CLI's --owner)."""
    if not value:
        return None
    row = conn.execute(
        "SELECT id FROM staff WHERE (id = ? OR username = ?) AND deleted = 0", (value, value.strip().lower())
    ).fetchone()
    if row is None:
        raise LiaisonError("report.err.owner", name=value)
    return str(row[0])


def check_chain(value: str | None) -> str | None:
    from ...domain.enums import IndustryChain

    if not value:
        return None
    allowed = [c.value for c in IndustryChain]
    if value not in allowed:
        raise LiaisonError("report.err.chain", value=value, allowed=", ".join(allowed))
    return value
