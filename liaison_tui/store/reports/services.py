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

    def grouped(kind: str, column: str, index: str) -> dict[tuple[str, str], int]:
        clauses, params = case_where({**base, kind: [low, high]})
        sql = (
            f"SELECT k.category, {month_case('k.' + column, months)} AS m, count(*) FROM cases k "
            f"INDEXED BY {index} WHERE {' AND '.join(clauses)} GROUP BY k.category, m"
        )
        return {(cat, m): n for cat, m, n in ctx.rows(sql, params)}

    opened = grouped("opened", "opened_at", "cases_report_opened")
    resolved = grouped("resolved", "resolved_at", "cases_report_resolved")

    # talents served: distinct people (a beneficiary merged into another counts as the survivor)
    clauses, params = case_where(base)
    served_rows = ctx.rows(
        "WITH merged AS MATERIALIZED (SELECT id, merged_into FROM contacts INDEXED BY contacts_merged "
        "WHERE merged_into IS NOT NULL), "
        "s AS MATERIALIZED (SELECT k.category AS category, coalesce(m.merged_into, k.beneficiary_id) AS person "
        "FROM cases k INDEXED BY cases_report_opened LEFT JOIN merged m ON m.id = k.beneficiary_id "
        f"WHERE {' AND '.join([*clauses, served_sql()])}) "
        "SELECT category, count(DISTINCT person) FROM s GROUP BY category "
        "UNION ALL SELECT NULL, count(DISTINCT person) FROM s",
        [*params, high, low],
    )
    served = {cat: n for cat, n in served_rows if cat is not None}
    served_total = next((n for cat, n in served_rows if cat is None), 0)

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
