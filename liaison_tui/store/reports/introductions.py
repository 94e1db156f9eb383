"""Introductions of talents to employers' demands, by stage: per demand, per employer and per industry chain.

Introductions made in the period count (all, without one), once each; those of
people since erased are left out, like their other personal records.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .base import Ctx
from .model import Chart, Column, Row, Section

# IntroStage in pipeline order; a stage added later is shown after these.
STAGE_ORDER = ("proposed", "shared", "interview", "offer", "signed", "arrived", "declined", "withdrawn")


def available(ctx: Ctx) -> bool:
    return ctx.has("introductions", "demands")


def build(ctx: Ctx) -> tuple[list[Section], Chart | None]:
    # the person an introduction counts for: the record's survivor if it was merged; erased people (and
    # any deleted record) left out by the few deleted ids, so without an owner no person is read at all
    survivor = "coalesce(m.merged_into, i.contact_id)"
    clauses = ["i.deleted = 0", "d.deleted = 0", f"{survivor} NOT IN (SELECT id FROM gone)"]
    params: list[Any] = []
    if ctx.period is not None:
        clauses.append("i.created_at >= ? AND i.created_at < ?")
        params += [ctx.period.low, ctx.period.high]
    if ctx.params.owner:
        clauses.append(
            "EXISTS (SELECT 1 FROM contacts p INDEXED BY contacts_report_person "
            f"WHERE p.id = {survivor} AND p.deleted = 0 AND p.owner_id = ?)"
        )
        params.append(ctx.params.owner)
    if ctx.params.chain:
        clauses.append("d.industry_chain = ?")
        params.append(ctx.params.chain)
    rows = ctx.rows(
        "WITH merged AS MATERIALIZED (SELECT id, merged_into FROM contacts INDEXED BY contacts_merged "
        "WHERE merged_into IS NOT NULL), "
        "gone AS MATERIALIZED (SELECT id FROM contacts INDEXED BY contacts_gone WHERE deleted = 1) "
        "SELECT d.id, d.title, d.org_id, d.industry_chain, i.stage, count(*) FROM introductions i "
        "JOIN demands d ON d.id = i.demand_id LEFT JOIN merged m ON m.id = i.contact_id "
        f"WHERE {' AND '.join(clauses)} GROUP BY d.id, i.stage",
        params,
    )
    orgs = {r[0]: r[1] or r[2] for r in ctx.rows("SELECT id, name_zh, name_en FROM organizations")}
    stages = sorted({r[4] for r in rows}, key=lambda s: (STAGE_ORDER.index(s) if s in STAGE_ORDER else 99, s))
    stage_columns = [Column(f"stage:{s}", f"enum.IntroStage.{s}") for s in stages]
    demand: dict[str, dict[str, Any]] = {}
    employer: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    chain: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    for demand_id, title, org_id, chain_code, stage, n in rows:
        cells = demand.setdefault(demand_id, {"demand": title, "employer": orgs.get(org_id), "total": 0})
        cells[f"stage:{stage}"] = cells.get(f"stage:{stage}", 0) + n
        cells["total"] += n
        employer[orgs.get(org_id)][stage] += n
        if chain_code:
            chain[chain_code][stage] += n
        totals[stage] += n

    def section(key: str, title: str, first: list[Column], items: list[dict[str, Any]]) -> Section:
        out = Section(
            key, title, [*first, Column("total", "report.col.total"), *stage_columns], primary="total"
        )
        out.rows = [Row(cells) for cells in sorted(items, key=lambda c: -c["total"])]
        return out

    def flat(name_key: str, counts: dict[Any, dict[str, int]]) -> list[dict[str, Any]]:
        return [
            {name_key: k, "total": sum(v.values()), **{f"stage:{s}": n for s, n in v.items()}}
            for k, v in counts.items()
        ]

    by_stage = Section(
        "by_stage",
        "report.intro.by_stage",
        [
            Column("stage", "report.col.stage", "intro_stage"),
            Column("introductions", "report.col.introductions"),
        ],
        primary="introductions",
    )
    by_stage.rows = [Row({"stage": s, "introductions": totals[s]}) for s in stages]
    sections = [
        by_stage,
        section(
            "by_demand",
            "report.intro.by_demand",
            [
                Column("demand", "report.col.demand", "text"),
                Column("employer", "report.col.employer", "text"),
            ],
            list(demand.values()),
        ),
        section(
            "by_employer",
            "report.intro.by_employer",
            [Column("employer", "report.col.employer", "text")],
            flat("employer", employer),
        ),
        section(
            "by_chain",
            "report.intro.by_chain",
            [Column("chain", "report.col.chain", "enum:IndustryChain")],
            flat("chain", chain),
        ),
    ]
    return sections, Chart("hbars", "by_stage", "stage", ("introductions",))
