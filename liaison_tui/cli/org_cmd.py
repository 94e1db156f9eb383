"""``liaison org``: organizations and the alliance: add, edit, show, list, merge, and the people at an
organization (link and unlink, from the organization's side; the contact's side is the same record)."""

from __future__ import annotations

from typing import Any

import click

from ..domain.enums import IndustryChain, OrgKind
from ..domain.errors import LiaisonError
from ..domain.i18n import register, t
from ..domain.models import Organization
from ..domain.recruiting import AllianceRole, DemandStatus
from .context import CliContext
from .record_options import enum_text, parse_sets, print_table, show_record

register(
    {
        "cli.org.not_found": (
            "No organization '{value}' (give its id or its exact name; `liaison org list` lists them).",
            "找不到机构“{value}”（请给出编号或完整名称；`liaison org list` 可列出机构）。",
        ),
        "cli.org.ambiguous": (
            "'{value}' names {n} organizations; give the id.",
            "“{value}”对应 {n} 个机构，请给出编号。",
        ),
        "cli.org.merged": ("Merged {other} into {keep}: {moved}", "已将 {other} 合并至 {keep}：{moved}"),
        "cli.org.linked": ("Linked: {id}", "已关联：{id}"),
        "cli.org.unlinked": ("Ended {n} affiliation(s).", "已结束 {n} 条任职关系。"),
        "cli.org.what": ("organization", "机构"),
        "cli.org.people": ("People", "人员"),
        "cli.org.demands": ("Demands", "用人需求"),
        "col.alliance": ("Alliance", "联盟"),
    }
)

_EDITABLE = [f for f in Organization.model_fields if f not in ("id", "merged_into")]


def org_id(store: Any, text: str) -> str:
    """An organization by id, or by its exact name in either language."""
    from ..store.lookups import org_ids_named

    if store.row("organizations", text) is not None:
        return text
    rows = org_ids_named(store, text)
    if len(rows) == 1:
        return rows[0]
    if rows:
        raise LiaisonError("cli.org.ambiguous", value=text, n=len(rows))
    raise LiaisonError("cli.org.not_found", value=text)


def _values(
    zh: str | None,
    en: str | None,
    kind: str | None,
    alliance: str | None,
    since: str | None,
    chains: tuple[str, ...],
    owners: tuple[str, ...],
    sets: tuple[str, ...],
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in (("name_zh", zh), ("name_en", en), ("kind", kind), ("alliance_since", since)):
        if value is not None:
            data[name] = value
    if alliance is not None:
        data.update({"alliance_member": False} if alliance == "none" else {"alliance_role": alliance})
    if chains:
        data["industry_chains"] = list(chains)
    if owners:
        data["staff_ids"] = list(owners)
    data.update(parse_sets(sets, _EDITABLE))
    return data


_ALLIANCE = click.Choice([*[r.value for r in AllianceRole], "none"])


@click.group()
def org() -> None:
    """Organizations and the alliance. 机构与联盟。"""


@org.command()
@click.option("--zh", help="Chinese name.")
@click.option("--en", help="English name.")
@click.option("--kind", type=click.Choice([k.value for k in OrgKind]))
@click.option("--alliance", type=_ALLIANCE, help="Alliance role (none: not a member).")
@click.option("--since", help="In the alliance since (YYYY-MM-DD).")
@click.option("--chain", "chains", multiple=True, type=click.Choice([c.value for c in IndustryChain]))
@click.option("--owner", "owners", multiple=True, help="Staff member owning the relationship (repeatable).")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def add(
    obj: CliContext,
    zh: str | None,
    en: str | None,
    kind: str | None,
    alliance: str | None,
    since: str | None,
    chains: tuple[str, ...],
    owners: tuple[str, ...],
    sets: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add an organization. 新建机构。"""
    from ..store.recruiting import create_org

    store = obj.open_store()
    created = create_org(store, _values(zh, en, kind, alliance, since, chains, owners, sets))
    if as_json:
        show_record(created.storable(), as_json=True)
    else:
        click.echo(t("cli.rec.created", what=t("cli.org.what"), id=created.id))


@org.command()
@click.argument("org_ref", metavar="ORG")
@click.option("--zh")
@click.option("--en")
@click.option("--kind", type=click.Choice([k.value for k in OrgKind]))
@click.option("--alliance", type=_ALLIANCE)
@click.option("--since")
@click.option("--chain", "chains", multiple=True, type=click.Choice([c.value for c in IndustryChain]))
@click.option("--owner", "owners", multiple=True)
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE")
@click.pass_obj
def edit(
    obj: CliContext,
    org_ref: str,
    zh: str | None,
    en: str | None,
    kind: str | None,
    alliance: str | None,
    since: str | None,
    chains: tuple[str, ...],
    owners: tuple[str, ...],
    sets: tuple[str, ...],
) -> None:
    """Change an organization (alliance role, names, owners...). 修改机构。"""
    from ..store.recruiting import update_org

    store = obj.open_store()
    oid = org_id(store, org_ref)
    before = store.organizations.get(oid).storable()
    after = update_org(store, oid, _values(zh, en, kind, alliance, since, chains, owners, sets)).storable()
    click.echo(
        t("cli.rec.updated", what=t("cli.org.what"), id=oid) if after != before else t("cli.rec.unchanged")
    )


@org.command()
@click.argument("org_ref", metavar="ORG")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def show(obj: CliContext, org_ref: str, as_json: bool) -> None:
    """One organization with its people and demands. 查看机构。"""
    from ..store import queries
    from ..store.recruiting_queries import org_demands

    store = obj.open_store()
    oid = org_id(store, org_ref)
    found: Organization = store.organizations.get(oid)
    people, _total = queries.org_people(store, oid, limit=50)
    demands = org_demands(store, oid)
    data = found.storable()
    names = queries.staff_names(store)
    if as_json:
        show_record(data, as_json=True, extra={"people": people, "demands": demands})
        return
    data["kind"] = found.kind.label()
    data["alliance_role"] = (
        found.alliance_role.label() if found.alliance_role and found.alliance_member else None
    )
    data["alliance_member"] = None
    data["industry_chains"] = [c.label() for c in found.industry_chains]
    data["staff_ids"] = [names.get(s, s) for s in found.staff_ids]
    people_lines = [
        " ".join(p for p in (r["native_name"], r["latin_name"], f"· {r['role'] or r['title'] or ''}") if p)
        for r in people
    ]
    demand_lines = [f"{d['title']} · {enum_text(DemandStatus, d['status'])}" for d in demands]
    show_record(
        data, as_json=False, extra={t("cli.org.people"): people_lines, t("cli.org.demands"): demand_lines}
    )


@org.command(name="list")
@click.option("--alliance", "alliance_only", is_flag=True, help="Alliance members only.")
@click.option("--kind", type=click.Choice([k.value for k in OrgKind]))
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--after", help="Continue after this page position.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_(
    obj: CliContext, alliance_only: bool, kind: str | None, limit: int, after: str | None, as_json: bool
) -> None:
    """List organizations by name. 机构列表。"""
    from ..store.recruiting_queries import orgs_page

    store = obj.open_store()
    page = orgs_page(store, alliance=alliance_only, kind=kind, after=after, limit=limit)
    rows = [
        [
            r["id"],
            r["name_zh"] or "",
            r["name_en"] or "",
            enum_text(OrgKind, r["kind"]),
            enum_text(AllianceRole, r["alliance_role"]) if r["alliance_member"] else "",
            r["people"],
        ]
        for r in page.rows
    ]
    print_table(
        ["id", "field.name_zh", "field.name_en", "field.kind", "col.alliance", "cli.org.people"],
        rows,
        as_json=as_json,
        items={"items": page.rows, "next": page.after if not page.at_end else None},
    )
    if not as_json and not page.at_end and page.after:
        click.echo(t("cli.rec.more", cursor=page.after))


@org.command()
@click.argument("keep_ref", metavar="KEEP")
@click.argument("other_ref", metavar="OTHER")
@click.pass_obj
def merge(obj: CliContext, keep_ref: str, other_ref: str) -> None:
    """Merge OTHER into KEEP (people, affiliations, demands and events move). 合并机构。"""
    from ..store.recruiting import merge_orgs

    store = obj.open_store()
    keep, other = org_id(store, keep_ref), org_id(store, other_ref)
    result = merge_orgs(store, keep, other)
    moved = ", ".join(f"{t(f'table.{k}')} {v}" for k, v in result.moved.items()) or "—"
    click.echo(t("cli.org.merged", keep=keep, other=other, moved=moved))


@org.command()
@click.argument("org_ref", metavar="ORG")
@click.argument("contact_id", metavar="CONTACT")
@click.option("--role", help="Position at the organization.")
@click.option("--since", help="YYYY-MM-DD")
@click.option("--until", help="YYYY-MM-DD (a past affiliation).")
@click.option("--past", is_flag=True, help="Not there any more.")
@click.option("--contact-person", is_flag=True, help="The organization's contact person for the station.")
@click.pass_obj
def link(
    obj: CliContext,
    org_ref: str,
    contact_id: str,
    role: str | None,
    since: str | None,
    until: str | None,
    past: bool,
    contact_person: bool,
) -> None:
    """Record that a person works (or worked) at an organization. 关联人员。"""
    from ..store.recruiting import link_person

    store = obj.open_store()
    created = link_person(
        store,
        org_id(store, org_ref),
        contact_id,
        role=role,
        current=not (past or until),
        since=since,
        until=until,
        is_contact=contact_person,
    )
    click.echo(t("cli.org.linked", id=created.id))


@org.command()
@click.argument("org_ref", metavar="ORG")
@click.argument("contact_id", metavar="CONTACT")
@click.option("--until", help="YYYY-MM-DD")
@click.pass_obj
def unlink(obj: CliContext, org_ref: str, contact_id: str, until: str | None) -> None:
    """The person is no longer at the organization (the affiliation becomes a past one). 结束任职。"""
    from ..store.recruiting import end_affiliations

    store = obj.open_store()
    ended = end_affiliations(store, org_id(store, org_ref), contact_id, until)
    click.echo(t("cli.org.unlinked", n=ended))
