"""The station's slice of a talent map: live talents by country and city, by field and industry chain, by tier,
and the employers and institutions (universities, research institutes) they are at now. With a period, the
talents first recorded in it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import orjson

from .base import Ctx
from .drill import contact_where
from .model import Chart, Column, Drill, Row, Section
from .pipeline import base_where, profile

TOP = 20
_ACADEMIC = ("university", "research_institute")


def build(ctx: Ctx) -> tuple[list[Section], Chart]:
    base = base_where(ctx)
    clauses, params = contact_where(base)
    where = " AND ".join(clauses)
    # one pass in (country, city, organization) order, one in profile order (db/0051)
    by_place = ctx.rows(
        "SELECT c.country, c.city, c.org_id, count(*) FROM contacts c INDEXED BY contacts_report_place "
        f"WHERE {where} GROUP BY c.country, c.city, c.org_id",
        params,
    )
    place_counts: dict[tuple[Any, Any], int] = defaultdict(int)
    org_counts: dict[str, int] = defaultdict(int)
    countries: dict[Any, int] = defaultdict(int)
    for country, city, org_id, n in by_place:
        place_counts[(country, city)] += n
        countries[country] += n
        if org_id:
            org_counts[org_id] += n
    places = [(country, city, n) for (country, city), n in place_counts.items()]
    orgs = list(org_counts.items())
    tiers: dict[str, int] = defaultdict(int)
    chains: dict[str, int] = defaultdict(int)
    fields: dict[Any, int] = defaultdict(int)
    parsed: dict[str, list[str]] = {}
    for _stage, _source, tier, field, chain_text, n in profile(ctx, where, params):
        tiers[tier] += n
        fields[field] += n
        if chain_text not in parsed:
            parsed[chain_text] = list(orjson.loads(chain_text or "[]"))
        for chain in parsed[chain_text]:
            chains[chain] += n

    def ranked(
        key: str,
        title: str,
        kind: str,
        counts: dict[Any, int],
        top: int | None = None,
        drill: str | None = None,
    ) -> Section:
        section = Section(
            f"by_{key}",
            title,
            [Column(key, f"report.col.{key}", kind), Column("talents", "report.col.talents")],
            primary="talents",
        )
        items = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0] or "")))
        for value, n in items[:top] if top else items:
            section.rows.append(
                Row({key: value, "talents": n}, Drill("contacts", {**base, drill or key: value}))
            )
        return section

    total = sum(countries.values())
    by_country = ranked("country", "report.map.by_country", "country", countries)
    by_country.rows.append(Row({"country": "*", "talents": total}, Drill("contacts", base), total=True))
    by_city = Section(
        "by_city",
        "report.map.by_city",
        [
            Column("city", "report.col.city", "text"),
            Column("country", "report.col.country", "country"),
            Column("talents", "report.col.talents"),
        ],
        primary="talents",
    )
    for country, city, n in sorted(places, key=lambda r: (-r[2], str(r[0] or ""), str(r[1] or "")))[
        : TOP * 2
    ]:
        by_city.rows.append(
            Row(
                {"city": city, "country": country, "talents": n},
                Drill("contacts", {**base, "country": country, "city": city}),
            )
        )
    by_field = ranked("field", "report.map.by_field", "text", fields, TOP * 2)
    by_chain = ranked("chain", "report.map.by_chain", "enum:IndustryChain", chains)
    by_tier = ranked("tier", "report.map.by_tier", "enum:TalentTier", tiers)
    employers, institutions = _organizations(ctx, orgs, base)
    chart = Chart("hbars", "by_country", "country", ("talents",), limit=10)
    return [by_country, by_city, by_chain, by_field, by_tier, employers, institutions], chart


def _organizations(ctx: Ctx, counts: list[tuple[Any, ...]], base: dict[str, Any]) -> tuple[Section, Section]:
    known = {
        r[0]: r[1:]
        for r in ctx.rows("SELECT id, name_zh, name_en, kind, country FROM organizations WHERE deleted = 0")
    }
    sections = []
    for key, title, academic in (
        ("employer", "report.map.employers", False),
        ("institution", "report.map.institutions", True),
    ):
        section = Section(
            f"by_{key}",
            title,
            [
                Column("org", f"report.col.{key}", "org"),
                Column("kind", "report.col.org_kind", "enum:OrgKind"),
                Column("country", "report.col.country", "country"),
                Column("talents", "report.col.talents"),
            ],
            primary="talents",
        )
        chosen = [
            (org_id, n)
            for org_id, n in counts
            if org_id in known and (known[org_id][2] in _ACADEMIC) == academic
        ]
        for org_id, n in sorted(chosen, key=lambda kv: (-kv[1], kv[0]))[:TOP]:
            name_zh, name_en, kind, country = known[org_id]
            section.rows.append(
                Row(
                    {
                        "org": name_zh or name_en,
                        "org_en": name_en or name_zh,
                        "kind": kind,
                        "country": country,
                        "talents": n,
                    },
                    Drill("contacts", {**base, "org": org_id}),
                )
            )
        sections.append(section)
    return sections[0], sections[1]
