"""Data quality: live people without a consent in force, without a phone or email, without an owner, and in a
likely duplicate pair (sharing an email, phone or WeChat id with another live person, a pair not already
judged to be two people).

Consent needs the consent ledger (table ``consents``); a store without it says so for that line. With a
period, the people first recorded in it.
"""

from __future__ import annotations

from typing import Any

from .base import Ctx
from .drill import contact_where, no_reach_sql
from .model import Chart, Column, Drill, Row, Section

_DUP_KINDS = ("email", "phone", "wechat")


def base_where(ctx: Ctx) -> dict[str, Any]:
    where: dict[str, Any] = {}
    if ctx.params.owner:
        where["owner"] = ctx.params.owner
    if ctx.params.chain:
        where["chain"] = ctx.params.chain
    if ctx.period is not None:
        where["created"] = [ctx.period.low, ctx.period.high]
    return where


def build(ctx: Ctx) -> tuple[list[Section], Chart]:
    base = base_where(ctx)
    clauses, params = contact_where(base)
    where = " AND ".join(clauses)
    total, no_owner = ctx.rows(
        f"SELECT count(*), sum(c.owner_id IS NULL) FROM contacts c WHERE {where}", params
    )[0]
    no_reach = ctx.one(f"SELECT count(*) FROM contacts c WHERE {where} AND {no_reach_sql()}", params)
    consent = ctx.has("consents")
    no_consent = None
    if consent:
        c_clauses, c_params = contact_where({**base, "no_consent": ctx.today})
        no_consent = ctx.one(f"SELECT count(*) FROM contacts c WHERE {' AND '.join(c_clauses)}", c_params)
    else:
        ctx.notes.append("report.note.no_consents")
    duplicates = len(_duplicate_people(ctx, where, params))
    section = Section(
        "problems",
        "report.quality.problems",
        [
            Column("problem", "report.col.problem", "problem"),
            Column("people", "report.col.people"),
            Column("share", "report.col.share", "pct"),
        ],
        primary="people",
    )

    def add(problem: str, n: int | None, drill: Drill | None) -> None:
        share = (n / total) if (n is not None and total) else None
        section.rows.append(Row({"problem": problem, "people": n, "share": share}, drill))

    add("no_consent", no_consent, Drill("contacts", {**base, "no_consent": ctx.today}) if consent else None)
    add("no_reach", no_reach, Drill("contacts", {**base, "no_reach": True}))
    add("no_owner", no_owner or 0, Drill("contacts", {**base, "owner": ""}))
    add("duplicates", duplicates, Drill("duplicates", {}))
    section.rows.append(
        Row({"problem": "*", "people": total, "share": None}, Drill("contacts", base), total=True)
    )
    return [section], Chart("hbars", "problems", "problem", ("people",))


def _duplicate_people(ctx: Ctx, where: str, params: list[Any]) -> set[str]:
    """Live people (matching the report's filter) sharing a normalised email, phone or WeChat id with another
    live person, unless the two were dismissed as different people."""
    kinds = ", ".join(f"'{k}'" for k in _DUP_KINDS)
    shared = ctx.rows(
        "SELECT p.kind, p.value, group_concat(p.contact_id) FROM contact_points p "
        f"WHERE p.deleted = 0 AND p.kind IN ({kinds}) GROUP BY p.kind, p.value "
        "HAVING count(DISTINCT p.contact_id) > 1"
    )
    candidates = {cid for *_, ids in shared for cid in ids.split(",")}
    if not candidates:
        return set()
    live: set[str] = set()
    ordered = sorted(candidates)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        live |= {
            r[0]
            for r in ctx.rows(
                f"SELECT c.id FROM contacts c WHERE c.id IN ({marks}) AND {where}", [*chunk, *params]
            )
        }
    everyone_live: set[str] = set()
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        everyone_live |= {
            r[0] for r in ctx.rows(f"SELECT id FROM contacts WHERE id IN ({marks}) AND deleted = 0", chunk)
        }
    dismissed = (
        {(a, b) for a, b in ctx.rows("SELECT a, b FROM dedupe_dismissed")}
        if ctx.has("dedupe_dismissed")
        else set()
    )
    people: set[str] = set()
    for *_, ids in shared:
        group = sorted({i for i in ids.split(",") if i in everyone_live})
        for x in group:
            if x in live and any(y != x and (min(x, y), max(x, y)) not in dismissed for y in group):
                people.add(x)
    return people
