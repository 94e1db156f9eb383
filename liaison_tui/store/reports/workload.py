"""Workload: open and overdue cases and follow-ups per staff member, as of now.

A follow-up is live when open or snoozed; a snoozed one is due when it comes back. Overdue: due before now.
An officer sees their team (see :mod:`.scope`); supervisors, administrators and a store without a server
see everyone, and the work nobody owns.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ...domain.errors import LiaisonError
from ...domain.times import iso
from .base import Ctx
from .drill import OPEN_SQL
from .model import Chart, Column, Drill, Row, Section

_FIGURES = ("open_cases", "overdue_cases", "open_followups", "overdue_followups")


def build(ctx: Ctx) -> tuple[list[Section], Chart]:
    now = iso(ctx.now)
    allowed = ctx.scope.workload_staff
    if ctx.params.owner and allowed is not None and ctx.params.owner not in allowed:
        names = ctx.staff_names()
        raise LiaisonError("report.err.team", name=names.get(ctx.params.owner, ctx.params.owner))
    figures: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_FIGURES, 0))
    for owner, n, overdue in ctx.rows(
        "SELECT owner_id, count(*), sum(due_at < ?) FROM cases INDEXED BY cases_workload "
        f"WHERE deleted = 0 AND status IN {OPEN_SQL} GROUP BY owner_id",
        [now],
    ):
        figures[owner]["open_cases"] = n
        figures[owner]["overdue_cases"] = overdue or 0
    for owner, n, overdue in ctx.rows(
        "SELECT assignee_id, count(*), "
        "sum(CASE status WHEN 'snoozed' THEN coalesce(snoozed_until, due_at) ELSE due_at END < ?) "
        "FROM followups INDEXED BY followups_workload WHERE deleted = 0 AND status IN ('open', 'snoozed') "
        "GROUP BY assignee_id",
        [now],
    ):
        figures[owner]["open_followups"] = n
        figures[owner]["overdue_followups"] = overdue or 0
    staff = ctx.rows(
        "SELECT id, display_name, active FROM staff WHERE deleted = 0 AND role != 'admin' ORDER BY username"
    )
    shown: list[Any] = [sid for sid, _, active in staff if active or sid in figures]
    if allowed is not None:
        shown = [sid for sid in shown if sid in allowed]
    elif None in figures:
        shown.append(None)  # work nobody owns
    if ctx.params.owner:
        shown = [sid for sid in shown if sid == ctx.params.owner]
    section = Section(
        "by_staff",
        "report.workload.by_staff",
        [Column("staff", "report.col.staff", "staff")] + [Column(f, f"report.col.{f}") for f in _FIGURES],
        primary="open_cases",
    )
    for sid in shown:
        cells: dict[str, Any] = {"staff": sid if sid is not None else ""}
        cells.update(figures.get(sid, dict.fromkeys(_FIGURES, 0)))
        section.rows.append(Row(cells, Drill("cases", {"owner": sid or "", "open": True})))
    section.rows.sort(key=lambda r: -r.cells["open_cases"])
    total: dict[str, Any] = {"staff": "*"}
    total.update({f: sum(r.cells[f] for r in section.rows) for f in _FIGURES})
    section.rows.append(Row(total, None, total=True))
    if allowed is not None:
        ctx.notes.append("report.note.team_only")
    return [section], Chart("grouped", "by_staff", "staff", ("open_cases", "overdue_cases"), limit=12)
