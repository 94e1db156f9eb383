"""Services: cases opened and resolved by category and month, talents served, resolution times.

Definitions (docs/REPORTS.md): *opened* counts cases opened in the period (duplicates left out);
*resolved* counts cases whose resolution falls in the period (a case reopened and resolved again counts when
it is resolved again; its first resolution was undone); a talent is *served* in the period by a case worked
in it (opened before its end, and still open or finished after its start; duplicates and rejected requests
left out), counted once however many cases they had, and once when two records of them were merged. Erased
people keep their cases as anonymous statistics, so they stay counted. *Median days* and *on time* are
over the cases resolved in the period (on time: resolved by the due date, among those that had one).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from ...domain.enums import CaseCategory
from .base import Ctx
from .drill import case_where, served_sql
from .model import Chart, Column, Drill, Row, Section
from .periods import month_case


def _filters(ctx: Ctx) -> dict[str, Any]:
    where: dict[str, Any] = {}
    if ctx.params.owner:
        where["owner"] = ctx.params.owner
    if ctx.params.chain:
        where["chain"] = ctx.params.chain
    return where


def build(ctx: Ctx) -> tuple[list[Section], Chart]:
    assert ctx.period is not None
    low, high = ctx.period.low, ctx.period.high
    months = ctx.period.months()
    base = _filters(ctx)

    clauses, params = case_where(base)
    where = " AND ".join(clauses)
    # opened: a count per (category, month), each a range of an index in (category, opened_at) order
    # (db/0051): the rows of the period are visited once, nothing is sorted and no expression is computed
    # per row (sums of month ranges over every case cost seconds at 1M)
    count_sql = (
        f"SELECT count(*) FROM cases k INDEXED BY cases_report_opened WHERE {where} AND k.category = ? "
        "AND k.opened_at >= ? AND k.opened_at < ? AND k.status != 'duplicate'"
    )
    opened: dict[tuple[str, str], int] = {}
    for category in CaseCategory:
        for label, m_low, m_high in months:
            n = ctx.one(count_sql, [*params, category.value, m_low, m_high])
            if n:
                opened[(category.value, label)] = n
    # people served per category: distinct beneficiaries, in (category, beneficiary) order
    served = dict(
        ctx.rows(
            f"SELECT k.category, count(DISTINCT k.beneficiary_id) FROM cases k INDEXED BY cases_report_category "
            f"WHERE {where} AND {served_sql()} GROUP BY k.category",
            [*params, high, low],
        )
    )
    served_total = ctx.one(
        f"SELECT count(*) FROM (SELECT 1 FROM cases k INDEXED BY cases_report_person WHERE {where} "
        f"AND {served_sql()} GROUP BY k.beneficiary_id)",
        [*params, high, low],
    )
    served, served_total = _merged_once(ctx, base, low, high, served, served_total or 0)
    clauses_r, params_r = case_where({**base, "resolved": [low, high]})
    resolved = {
        (cat, m): n
        for cat, m, n in ctx.rows(
            f"SELECT k.category, {month_case('k.resolved_at', months)} AS m, count(*) FROM cases k "
            f"INDEXED BY cases_report_resolved WHERE {' AND '.join(clauses_r)} GROUP BY k.category, m",
            params_r,
        )
    }
    served = {c: n for c, n in served.items() if n or any(k == c for k, _ in opened)}

    timing = _timing(ctx, base, low, high)

    categories = sorted(
        {c for c, _ in opened} | {c for c, _ in resolved} | set(served),
        key=lambda c: (-served.get(c, 0), -sum(n for (k, _), n in opened.items() if k == c), c),
    )
    by_category = Section(
        "by_category",
        "report.services.by_category",
        [
            Column("category", "report.col.category", "enum:CaseCategory"),
            Column("opened", "report.col.opened"),
            Column("resolved", "report.col.resolved"),
            Column("talents", "report.col.talents_served"),
            Column("median_days", "report.col.median_days", "days"),
            Column("on_time", "report.col.on_time", "pct"),
        ],
        primary="opened",
    )
    for cat in categories:
        median, on_time = timing.get(cat, (None, None))
        by_category.rows.append(
            Row(
                {
                    "category": cat,
                    "opened": sum(n for (k, _), n in opened.items() if k == cat),
                    "resolved": sum(n for (k, _), n in resolved.items() if k == cat),
                    "talents": served.get(cat, 0),
                    "median_days": median,
                    "on_time": on_time,
                },
                Drill("cases", {**base, "opened": [low, high], "category": cat}),
            )
        )
    median, on_time = timing.get(None, (None, None))
    by_category.rows.append(
        Row(
            {
                "category": "*",
                "opened": sum(opened.values()),
                "resolved": sum(resolved.values()),
                "talents": served_total,
                "median_days": median,
                "on_time": on_time,
            },
            Drill("cases", {**base, "opened": [low, high]}),
            total=True,
        )
    )

    by_month = Section(
        "by_month",
        "report.services.by_month",
        [
            Column("month", "report.col.month", "month"),
            Column("opened", "report.col.opened"),
            Column("resolved", "report.col.resolved"),
        ],
        primary="opened",
    )
    for label, m_low, m_high in months:
        by_month.rows.append(
            Row(
                {
                    "month": label,
                    "opened": sum(n for (_, m), n in opened.items() if m == label),
                    "resolved": sum(n for (_, m), n in resolved.items() if m == label),
                },
                Drill("cases", {**base, "opened": [m_low, m_high]}),
            )
        )

    matrix = Section(
        "matrix",
        "report.services.matrix",
        [Column("category", "report.col.category", "enum:CaseCategory")]
        + [Column(label, label, "int") for label, _, _ in months],
        on_screen=False,
    )
    for cat in [c.value for c in CaseCategory]:
        cells: dict[str, Any] = {"category": cat}
        cells.update({label: opened.get((cat, label), 0) for label, _, _ in months})
        matrix.rows.append(Row(cells))
    chart = Chart("grouped", "by_month", "month", ("opened", "resolved"), limit=len(months))
    return [by_month, by_category, matrix], chart


def _timing(
    ctx: Ctx, base: dict[str, Any], low: str, high: str
) -> dict[Any, tuple[float | None, float | None]]:
    """category (None: all) -> (median days to resolve, share resolved by the due date), over the cases
    resolved in the period (a few tens of thousands a year at 1M: read from their index)."""
    clauses, params = case_where({**base, "resolved": [low, high]})
    rows = ctx.rows(
        "SELECT k.category, julianday(k.resolved_at) - julianday(k.opened_at), k.resolved_at <= k.due_at "
        f"FROM cases k INDEXED BY cases_report_resolved WHERE {' AND '.join(clauses)}",
        params,
    )
    days: dict[Any, list[float]] = defaultdict(list)
    on_time: dict[Any, list[int]] = defaultdict(list)
    for category, d, in_time in rows:
        for key in (category, None):
            days[key].append(d)
            if in_time is not None:  # had a due date
                on_time[key].append(in_time)
    return {
        key: (
            round(statistics.median(values), 1),
            (sum(on_time[key]) / len(on_time[key])) if on_time.get(key) else None,
        )
        for key, values in days.items()
    }


def _merged_once(
    ctx: Ctx, base: dict[str, Any], low: str, high: str, served: dict[str, int], total: int
) -> tuple[dict[str, int], int]:
    """The counts above are of beneficiary records; a record merged into another (its cases still name it:
    they arrived from a laptop that had not seen the merge) is the same person as the survivor. Few such
    cases exist: they are looked at one by one."""
    clauses, params = case_where(base)
    where = " AND ".join([*clauses, served_sql()])
    rows = ctx.rows(
        f"SELECT k.category, k.beneficiary_id, c.merged_into FROM contacts c INDEXED BY contacts_merged "
        f"CROSS JOIN cases k ON k.beneficiary_id = c.id WHERE c.merged_into IS NOT NULL AND {where}",
        [*params, high, low],
    )
    if not rows:
        return served, total
    survivors = sorted({r[2] for r in rows})
    marks = ", ".join("?" * len(survivors))
    direct = ctx.rows(
        f"SELECT DISTINCT k.category, k.beneficiary_id FROM cases k WHERE {where} AND k.beneficiary_id IN ({marks})",
        [*params, high, low, *survivors],
    )
    served = dict(served)
    for category in {r[0] for r in rows} | {None}:
        mine = [r for r in rows if category is None or r[0] == category]
        away = {r[1] for r in mine}
        kept = {r[2] for r in mine} - {b for c, b in direct if category is None or c == category}
        change = len(kept) - len(away)
        if category is None:
            total += change
        else:
            served[category] = served.get(category, 0) + change
    return served, total
