"""The recruiting pipeline: talents per stage, how many got to each stage, conversion between stages, median
days in a stage, by industry chain and by source.

*Reached* a stage: the talent's furthest stage (now, or earlier by the record's history) is that one or
later; on hold and lost talents count as leads unless their history shows they got further. *Conversion* is
reached(stage) / reached(previous stage). *Median days in stage* is over stays that ended (the talent moved
on) within the period, from the record's stage history (the first stay starts when the record was made).
Live talents only (a merged record is counted once, as the survivor; erased people are gone). With a
period, the talents are those first recorded in it (a cohort); without, all.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime
from typing import Any

import orjson

from ...domain.enums import ContactSource, IndustryChain
from .base import Ctx
from .drill import STAGES, contact_where
from .model import Chart, Column, Drill, Row, Section

_OTHER_STAGES = ("on_hold", "lost")


def base_where(ctx: Ctx) -> dict[str, Any]:
    where: dict[str, Any] = {"kind": "talent"}
    if ctx.params.owner:
        where["owner"] = ctx.params.owner
    if ctx.params.chain:
        where["chain"] = ctx.params.chain
    if ctx.period is not None:
        where["created"] = [ctx.period.low, ctx.period.high]
    return where


def _chains(text: str, cache: dict[str, list[str]]) -> list[str]:
    found = cache.get(text)
    if found is None:
        found = cache[text] = list(orjson.loads(text or "[]")) or []
    return found


def profile(ctx: Ctx, where: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Live talents counted by (stage, source, tier, field, chains): one pass over an index in that order
    (db/0051), shared by the pipeline and the talent map; a few thousand groups at 1M."""
    return ctx.rows(
        "SELECT c.stage, c.source, c.tier, c.field, c.industry_chains, count(*) FROM contacts c "
        f"INDEXED BY contacts_report_profile WHERE {where} "
        "GROUP BY c.stage, c.source, c.tier, c.field, c.industry_chains",
        params,
    )


def build(ctx: Ctx) -> tuple[list[Section], Chart]:
    base = base_where(ctx)
    clauses, params = contact_where(base)
    where = " AND ".join(clauses)
    # talents by (stage, source, chains); the chains list is short text, parsed once per value
    merged: dict[tuple[str, str, str], int] = defaultdict(int)
    for stage, source, _tier, _field, chains, n in profile(ctx, where, params):
        merged[(stage, source, chains)] += n
    groups = [(*k, n) for k, n in merged.items()]
    rank = {stage: i for i, stage in enumerate(STAGES, 1)}
    history = _history(ctx, where, params)
    further = _further(history, rank)
    cache: dict[str, list[str]] = {}
    now: dict[str, int] = defaultdict(int)
    # reached[rank] per breakdown key: ("*",), ("chain", c), ("source", s)
    furthest: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def keys(source: str, chains_text: str) -> list[tuple[str, str]]:
        return [("*", ""), ("source", source)] + [("chain", c) for c in _chains(chains_text, cache)]

    for stage, source, chains, n in groups:
        now[stage] += n
        for key in keys(source, chains):
            furthest[key][rank.get(stage, 1)] += n
    for stage, source, chains, r, n in further:
        for key in keys(source, chains):
            furthest[key][rank.get(stage, 1)] -= n
            furthest[key][r] += n

    def reached(key: tuple[str, str], r: int) -> int:
        return sum(n for k, n in furthest.get(key, {}).items() if k >= r)

    medians = _median_days(ctx, history)
    funnel = Section(
        "funnel",
        "report.pipeline.funnel",
        [
            Column("stage", "report.col.pipeline_stage", "enum:PipelineStage"),
            Column("reached", "report.col.reached"),
            Column("now", "report.col.now"),
            Column("conversion", "report.col.conversion", "pct"),
            Column("median_days", "report.col.median_days_in_stage", "days"),
        ],
        primary="reached",
    )
    previous = None
    for stage in STAGES:
        r = rank[stage]
        value = reached(("*", ""), r)
        funnel.rows.append(
            Row(
                {
                    "stage": stage,
                    "reached": value,
                    "now": now.get(stage, 0),
                    "conversion": (value / previous) if previous else None,
                    "median_days": medians.get(stage),
                },
                Drill("contacts", {**base, "reached": r}),
            )
        )
        previous = value
    for stage in _OTHER_STAGES:
        funnel.rows.append(
            Row(
                {
                    "stage": stage,
                    "reached": None,
                    "now": now.get(stage, 0),
                    "conversion": None,
                    "median_days": medians.get(stage),
                },
                Drill("contacts", {**base, "stage": stage}),
            )
        )
    funnel.rows.append(
        Row(
            {"stage": "*", "reached": sum(now.values()), "now": sum(now.values())},
            Drill("contacts", base),
            total=True,
        )
    )

    steps = ("contacted", "engaged", "visiting", "signed", "landed")
    breakdown_columns = [Column("talents", "report.col.talents")] + [
        Column(s, f"enum.PipelineStage.{s}") for s in steps
    ]

    def breakdown(key: str, title: str, values: list[str], enum: str) -> Section:
        section = Section(
            f"by_{key}",
            title,
            [Column(key, f"report.col.{key}", f"enum:{enum}"), *breakdown_columns],
            primary="talents",
            note="report.pipeline.reached_note",
        )
        for value in values:
            cells: dict[str, Any] = {key: value, "talents": reached((key, value), 1)}
            if not cells["talents"]:
                continue
            cells.update({s: reached((key, value), rank[s]) for s in steps})
            section.rows.append(Row(cells, Drill("contacts", {**base, key: value})))
        section.rows.sort(key=lambda row: -row.cells["talents"])
        return section

    by_chain = breakdown(
        "chain", "report.pipeline.by_chain", [c.value for c in IndustryChain], "IndustryChain"
    )
    by_source = breakdown(
        "source", "report.pipeline.by_source", [s.value for s in ContactSource], "ContactSource"
    )
    chart = Chart("hbars", "funnel", "stage", ("reached",), limit=len(STAGES))
    return [funnel, by_chain, by_source], chart


def _history(ctx: Ctx, where: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The stage changes of the talents counted, in (talent, time) order, read once from the history's
    index (db/0051) for both the furthest stages and the days in stage: each talent's current stage, source
    and chains with them."""
    return ctx.rows(
        "SELECT h.row_id, h.at, h.old_value, h.new_value, c.created_at, c.stage, c.source, c.industry_chains "
        "FROM history h INDEXED BY history_stage "
        "CROSS JOIN contacts c INDEXED BY contacts_report_person ON c.id = h.row_id "
        f"WHERE h.tbl = 'contacts' AND h.field = 'stage' AND {where} ORDER BY h.row_id, h.at, h.id",
        params,
    )


def _further(history: list[tuple[Any, ...]], rank: dict[str, int]) -> list[tuple[Any, ...]]:
    """Talents whose history shows a further stage than their current one, counted by (stage, source,
    chains, furthest rank); one walk over the history in talent order. A stage outside the pipeline ranks
    as a lead."""
    counts: dict[tuple[Any, ...], int] = defaultdict(int)
    current: str | None = None
    best, talent = 1, ("", "", "")

    def close() -> None:
        if current is not None and best > rank.get(talent[0], 1):
            counts[(*talent, best)] += 1

    for row_id, _at, old, new, _created, stage, source, chains in history:
        if row_id != current:
            close()
            current, best, talent = row_id, 1, (stage, source, chains)
        best = max(best, rank.get(old, 1), rank.get(new, 1))
    close()
    return [(*key, n) for key, n in counts.items()]


def _median_days(ctx: Ctx, history: list[tuple[Any, ...]]) -> dict[str, float]:
    """Stage -> median days of the stays in it that ended in the period (all, without one). The stage
    history is walked in (talent, time) order: a window function over it costs seconds at 1M; the walk,
    tens of milliseconds (each time parsed once: a change's time is the next stay's start)."""
    low, high = (ctx.period.low, ctx.period.high) if ctx.period is not None else ("", "\uffff")
    stays: dict[str, list[float]] = defaultdict(list)
    parsed: dict[str, datetime] = {}

    def when(text: str) -> datetime:
        found = parsed.get(text)
        if found is None:
            found = parsed[text] = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return found

    previous_row, previous_at = None, None
    for row_id, at, stage, _new, created, *_talent in history:
        entered = previous_at if row_id == previous_row else created
        previous_row, previous_at = row_id, at
        if stage and low <= at < high and entered:
            days = (when(at) - when(entered)).total_seconds() / 86400
            stays[stage].append(max(days, 0.0))
    return {stage: round(statistics.median(days), 1) for stage, days in stays.items()}
