"""Data quality: live people without a consent in force, without a phone or email, without an owner, and in a
likely duplicate pair (sharing an email, phone or WeChat id with another live person, a pair not already
judged to be two people).

Consent is a general consent to be contacted about recruitment (``liaison consent missing``'s default purpose).
With a period, the people first recorded in it.
"""

from __future__ import annotations

from typing import Any

from .base import Ctx
from .drill import consented_sql, contact_where, no_reach_sql
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
    # the people, those without an owner and those without consent in one pass over the index
    total, no_owner, no_consent = ctx.rows(
        f"SELECT count(*), sum(c.owner_id IS NULL), sum(c.id NOT IN ({consented_sql()})) "
        f"FROM contacts c INDEXED BY contacts_report_place WHERE {where}",
        [ctx.today] * 3 + params,
    )[0]
    no_reach = _no_reach(ctx, base, where, params, total)
    duplicates = _duplicates(ctx, base, where, params)
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

    add("no_consent", no_consent or 0, Drill("contacts", {**base, "no_consent": ctx.today}))
    add("no_reach", no_reach, Drill("contacts", {**base, "no_reach": True}))
    add("no_owner", no_owner or 0, Drill("contacts", {**base, "owner": ""}))
    add("duplicates", duplicates, Drill("duplicates", {}))
    section.rows.append(
        Row({"problem": "*", "people": total, "share": None}, Drill("contacts", base), total=True)
    )
    return [section], Chart("hbars", "problems", "problem", ("people",))


_REACH = "p.deleted = 0 AND p.kind IN ('email', 'phone')"
_GONE = "SELECT id FROM contacts INDEXED BY contacts_gone WHERE deleted = 1"


def _no_reach(ctx: Ctx, base: dict[str, Any], where: str, params: list[Any], total: int) -> int:
    """Live people without a phone or email. For everyone: the live minus those with one, counted in one
    pass over the index of reachable points (a probe per person costs seconds at 1M); with a filter, a
    probe per person of the (smaller) filtered set."""
    if base:
        return int(
            ctx.one(
                f"SELECT count(*) FROM contacts c INDEXED BY contacts_report_place WHERE {where} AND {no_reach_sql()}",
                params,
            )
        )
    reachable = ctx.one(
        f"SELECT count(DISTINCT p.contact_id) FROM contact_points p INDEXED BY contact_points_reach WHERE {_REACH}"
    )
    gone = ctx.one(
        f"SELECT count(DISTINCT p.contact_id) FROM contact_points p INDEXED BY contact_points_reach "
        f"WHERE {_REACH} AND p.contact_id IN ({_GONE})"
    )
    return int(total - (reachable - gone))


def _duplicates(ctx: Ctx, base: dict[str, Any], where: str, params: list[Any]) -> int:
    """Live people sharing a normalised email, phone or WeChat id with another live person (unless staff
    dismissed every such pair as two people). The store keeps those people in ``likely_duplicates`` as
    points and people change (db/0052), so this counts that table, or probes it once per filtered person;
    only the few people of dismissed pairs are looked at one by one."""
    if base:
        count = ctx.one(
            f"SELECT count(*) FROM contacts c INDEXED BY contacts_report_place WHERE {where} "
            "AND EXISTS (SELECT 1 FROM likely_duplicates d WHERE d.contact_id = c.id)",
            params,
        )
    else:
        count = ctx.one("SELECT count(*) FROM likely_duplicates")
    dismissed = (
        {(a, b) for a, b in ctx.rows("SELECT a, b FROM dedupe_dismissed")}
        if ctx.has("dedupe_dismissed")
        else set()
    )
    for person in _counted(ctx, sorted({x for pair in dismissed for x in pair}), base, where, params):
        others = {r[0] for r in ctx.rows(_SHARERS, [person])}
        if all((min(person, o), max(person, o)) in dismissed for o in others):
            count -= 1  # every sharer was judged another person
    return int(count)


_KINDS = "(" + ", ".join(f"'{k}'" for k in _DUP_KINDS) + ")"
# the other live people holding one of a person's values (the partial index holds live points of the kinds)
_SHARERS = (
    "SELECT DISTINCT q.contact_id FROM contact_points p JOIN contact_points q INDEXED BY contact_points_shared "
    "ON q.kind = p.kind AND q.value = p.value "
    f"WHERE p.contact_id = ? AND p.deleted = 0 AND p.kind IN {_KINDS} AND q.deleted = 0 AND q.kind IN {_KINDS} "
    "AND q.contact_id != p.contact_id "
    "AND NOT EXISTS (SELECT 1 FROM contacts g WHERE g.id = q.contact_id AND g.deleted = 1)"
)


def _counted(ctx: Ctx, people: list[str], base: dict[str, Any], where: str, params: list[Any]) -> list[str]:
    """Those of ``people`` the duplicates figure counts: likely duplicates, and in the filtered set."""
    out: list[str] = []
    for at in range(0, len(people), 500):
        chunk = people[at : at + 500]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT d.contact_id FROM likely_duplicates d WHERE d.contact_id IN ({marks})"
        if base:
            sql = (
                f"SELECT c.id FROM likely_duplicates d JOIN contacts c ON c.id = d.contact_id "
                f"WHERE d.contact_id IN ({marks}) AND {where}"
            )
        out += [r[0] for r in ctx.rows(sql, [*chunk, *(params if base else [])])]
    return out
