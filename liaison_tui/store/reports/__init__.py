"""The station's reports, computed from this laptop's store with plain SQL (docs/REPORTS.md).

``run(conn, name, params, now=..., scope=...)`` reads through any connection to the store (the terminal
gives each report a read-only connection of its own, so a report never holds the store's lock) and returns
a :class:`~.model.Report`: sections of raw figures, the chart to draw, and for each row the filter listing
the records behind its figure.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from ...domain.errors import LiaisonError
from .base import Ctx, check_chain, resolve_owner
from .model import Chart, Column, Drill, Params, Report, Row, Section
from .periods import period_of
from .scope import Scope, scope_of

# name -> (module, covers a period by default, the kind of record it counts: what exporting it needs)
REPORTS: dict[str, tuple[str, bool, str]] = {
    "services": ("services", True, "cases"),
    "pipeline": ("pipeline", False, "contacts"),
    "talent_map": ("talent_map", False, "contacts"),
    "events": ("events", True, "contacts"),
    "introductions": ("introductions", False, "contacts"),
    "workload": ("workload", False, "cases"),
    "quality": ("quality", False, "contacts"),
}
ALIASES = {"funnel": "pipeline", "map": "talent_map", "talents": "talent_map", "data_quality": "quality"}


def canonical(name: str) -> str:
    key = name.strip().lower().replace("-", "_")
    key = ALIASES.get(key, key)
    if key not in REPORTS:
        raise LiaisonError("report.err.unknown", name=name, names=", ".join(REPORTS))
    return key


def run(
    conn: Any,
    name: str,
    params: Params | None = None,
    *,
    now: datetime,
    scope: Scope | None = None,
    username: str | None = None,
) -> Report:
    from importlib import import_module

    started = time.perf_counter()
    name = canonical(name)
    module_name, periodic, _ = REPORTS[name]
    params = params or Params()
    params = replace(params, owner=resolve_owner(conn, params.owner), chain=check_chain(params.chain))
    scope = scope or scope_of(conn, username)
    period = period_of(params, now, default_year=periodic) if name != "workload" else None
    ctx = Ctx(conn, params, period, now, scope)
    module = import_module(f"{__name__}.{module_name}")
    report = Report(name, params, [], None, generated_at=now, scope=scope.to_dict())
    if period is not None:
        report.period = (period.start.isoformat(), period.last_day.isoformat())
    check: Callable[[Ctx], bool] | None = getattr(module, "available", None)
    if check is not None and not check(ctx):
        report.available = False
    else:
        conn.execute("BEGIN")  # one snapshot: every figure of a report from the same state of the store
        try:
            report.sections, report.chart = module.build(ctx)
        finally:
            conn.execute("COMMIT")
    report.scope["notes"] = ctx.notes
    report.staff = ctx.staff_names()
    report.seconds = time.perf_counter() - started
    return report


def export_table(name: str) -> str:
    """The kind of record whose export grant exporting report ``name`` needs."""
    return REPORTS[canonical(name)][2]


__all__ = [
    "ALIASES",
    "REPORTS",
    "Chart",
    "Column",
    "Drill",
    "Params",
    "Report",
    "Row",
    "Scope",
    "Section",
    "canonical",
    "export_table",
    "run",
    "scope_of",
]
