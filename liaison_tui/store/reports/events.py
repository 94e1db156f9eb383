"""Events: registered -> attended -> followed up -> introduced -> arrived, per event held in the period.

*Registered*: signed up (attended and no-shows included; invitations alone are not); *followed up*: attended
and then had a recorded call, meeting, message or visit, or a follow-up due, on or after the event's first
day; *introduced*: attended and introduced to an employer (needs the introductions of the recruiting
work; "not available" before); *arrived*: attended and now landed or rooted in Qingdao. People are counted
once per event (and once in the totals), a merged record as its survivor; erased people are not counted.
"""

from __future__ import annotations

from typing import Any

from .base import Ctx
from .drill import EVENT_STEPS, contact_where, event_step_sql
from .model import Chart, Column, Drill, Row, Section


def build(ctx: Ctx) -> tuple[list[Section], Chart]:
    assert ctx.period is not None
    first, after = ctx.period.start.isoformat(), ctx.period.end.isoformat()
    intro = ctx.has("introductions")
    person_where: dict[str, Any] = {}
    if ctx.params.owner:
        person_where["owner"] = ctx.params.owner
    if ctx.params.chain:
        person_where["chain"] = ctx.params.chain
    p_clauses, p_params = contact_where(person_where, "p.")
    steps = [s for s in EVENT_STEPS if intro or s != "introduced"]
    # each (event, person) once, with the steps they reached: the probes (follow-ups, introductions) run
    # once per attendance, then per-event figures and the distinct totals are read from that
    flags = ", ".join(
        f"max(CASE WHEN {event_step_sql(s, 'p', intro)} THEN 1 ELSE 0 END) AS {s}" for s in steps
    )
    sql = (
        "WITH merged AS MATERIALIZED (SELECT id, merged_into FROM contacts INDEXED BY contacts_merged "
        "WHERE merged_into IS NOT NULL), "
        f"x AS MATERIALIZED (SELECT e.id AS event, p.id AS person, {flags} "
        # CROSS JOIN: in this order (events, their attendances, each one's person), never the other way
        "FROM events e CROSS JOIN attendances a INDEXED BY attendances_report ON a.event_id = e.id "
        "AND a.deleted = 0 LEFT JOIN merged m ON m.id = a.contact_id "
        "CROSS JOIN contacts p INDEXED BY contacts_report_person ON p.id = coalesce(m.merged_into, a.contact_id) "
        f"WHERE e.deleted = 0 AND e.starts_on >= ? AND e.starts_on < ? AND {' AND '.join(p_clauses)} "
        "GROUP BY e.id, p.id) "
        f"SELECT event, {', '.join(f'sum({s})' for s in steps)} FROM x GROUP BY event "
        f"UNION ALL SELECT NULL, {', '.join(f'count(DISTINCT CASE WHEN {s} THEN person END)' for s in steps)} FROM x"
    )
    result = ctx.rows(sql, [first, after, *p_params])
    per_event = [r for r in result if r[0] is not None]
    totals = next((r[1:] for r in result if r[0] is None), [0] * len(steps))
    events = ctx.rows(
        "SELECT id, name, starts_on, city, country FROM events WHERE deleted = 0 AND starts_on >= ? "
        "AND starts_on < ? ORDER BY starts_on, id",
        [first, after],
    )
    counted = {row[0]: row[1:] for row in per_event}
    columns = [
        Column("event", "report.col.event", "text"),
        Column("starts_on", "report.col.date", "text"),
        Column("city", "report.col.city", "text"),
    ] + [Column(s, f"report.col.step.{s}") for s in EVENT_STEPS]
    section = Section("by_event", "report.events.by_event", columns, primary="registered")
    for event_id, name, starts_on, city, _country in events:
        values = dict(zip(steps, counted.get(event_id, [0] * len(steps)), strict=True))
        cells: dict[str, Any] = {"event": name, "starts_on": starts_on, "city": city}
        cells.update({s: values.get(s) for s in EVENT_STEPS})
        drill = {**person_where, "event": event_id, "step": "registered", "introductions": intro}
        section.rows.append(Row(cells, Drill("contacts", drill)))
    total_values = dict(zip(steps, totals, strict=True))
    cells = {"event": "*", "starts_on": None, "city": None}
    cells.update({s: total_values.get(s) for s in EVENT_STEPS})
    period = [first, after]
    section.rows.append(
        Row(
            cells,
            Drill(
                "contacts",
                {
                    **person_where,
                    "event": "*",
                    "period": period,
                    "step": "registered",
                    "introductions": intro,
                },
            ),
            total=True,
        )
    )
    funnel = Section(
        "funnel",
        "report.events.funnel",
        [Column("step", "report.col.step", "step"), Column("people", "report.col.people")],
        primary="people",
    )
    for step in EVENT_STEPS:
        funnel.rows.append(
            Row(
                {"step": step, "people": total_values.get(step)},
                Drill(
                    "contacts",
                    {**person_where, "event": "*", "period": period, "step": step, "introductions": intro},
                )
                if step in total_values
                else None,
            )
        )
    if not intro:
        ctx.notes.append("report.note.no_introductions")
    return [funnel, section], Chart("hbars", "funnel", "step", ("people",))
