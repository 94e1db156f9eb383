"""``liaison demand`` (employers' demands: add, edit, show, list) and ``liaison match`` (a demand's best
talents, a talent's best demands, each with its explanation; pin, dismiss, introduce, move an
introduction)."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import click

from ..domain.enums import IndustryChain
from ..domain.errors import LiaisonError
from ..domain.i18n import get_lang, register, t
from ..domain.matching import consent_note, explain, tz_note
from ..domain.recruiting import Degree, DemandStatus, DismissReason, IntroStage, WorkMode
from ..domain.recruiting_models import Demand
from ..domain.times import utcnow
from .context import CliContext
from .org_cmd import org_id
from .record_options import enum_text, parse_sets, print_table, show_record

register(
    {
        "cli.demand.what": ("demand", "用人需求"),
        "cli.demand.pipeline": ("Candidates", "候选人"),
        "cli.match.none": (
            "No talent fits this demand yet (none holds a required skill, or the hard constraints exclude them).",
            "暂无符合该需求的人才（无人具备必备技能，或被硬性条件排除）。",
        ),
        "cli.match.none_talent": ("No open demand fits this talent.", "暂无适合该人才的在招需求。"),
        "cli.match.pinned": ("Pinned.", "已置顶。"),
        "cli.match.dismissed": ("Dismissed ({reason}).", "已排除（{reason}）。"),
        "cli.match.cleared": ("Mark removed.", "已取消标记。"),
        "cli.match.no_mark": ("There was no mark.", "没有标记。"),
        "cli.match.introduced": ("Introduced: {id}", "已推荐：{id}"),
        "cli.match.moved": ("Introduction {id}: {stage}", "推荐 {id}：{stage}"),
        "cli.match.header": (
            "{title} · {n} shown ({candidates} candidates read, {scored} scored)",
            "{title} · 显示 {n} 人（读取候选 {candidates} 人，评分 {scored} 人）",
        ),
        "cli.err.date": (
            "'{value}' is not a date (use YYYY-MM-DD).",
            "“{value}”不是有效日期（格式 YYYY-MM-DD）。",
        ),
        "col.score": ("Score", "匹配度"),
        "col.why": ("Why", "理由"),
        "col.consent": ("Consent", "授权"),
    }
)

_EDITABLE = [f for f in Demand.model_fields if f != "id"]


def _demand_values(
    title: str | None,
    org: str | None,
    chain: str | None,
    require: tuple[str, ...],
    prefer: tuple[str, ...],
    degree: str | None,
    years: int | None,
    languages: tuple[str, ...],
    city: str | None,
    mode: str | None,
    package: str | None,
    headcount: int | None,
    deadline: str | None,
    status: str | None,
    brought_by: str | None,
    hard: tuple[str, ...],
    sets: tuple[str, ...],
    store: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    simple = {
        "title": title,
        "industry_chain": chain,
        "min_degree": degree,
        "min_years": years,
        "city": city,
        "work_mode": mode,
        "headcount": headcount,
        "deadline": deadline,
        "status": status,
    }
    data.update({k: v for k, v in simple.items() if v is not None})
    if org:
        data["org_id"] = org_id(store, org)
    if brought_by:
        data["brought_by"] = org_id(store, brought_by)
    if require:
        data["required_skills"] = list(require)
    if prefer:
        data["preferred_skills"] = list(prefer)
    if languages:
        data["languages"] = list(languages)
    if hard:
        data["hard"] = list(hard)
    if package:
        low, _, high = package.partition("-")
        data["package_min"], data["package_max"] = low.strip() or None, high.strip() or None
    data.update(parse_sets(sets, _EDITABLE))
    return data


def _demand_options(fn: Any) -> Any:
    for option in reversed(
        [
            click.option("--title"),
            click.option("--org", help="The employer (id or exact name)."),
            click.option("--chain", type=click.Choice([c.value for c in IndustryChain])),
            click.option("--require", multiple=True, help="A required skill, as free text (repeatable)."),
            click.option("--prefer", multiple=True, help="A preferred skill (repeatable)."),
            click.option("--degree", type=click.Choice([d.value for d in Degree]), help="Minimum degree."),
            click.option("--years", type=click.IntRange(0, 60), help="Minimum years of experience."),
            click.option("--language", "languages", multiple=True, help="Language needed (zh, en, de...)."),
            click.option("--city"),
            click.option("--mode", type=click.Choice([m.value for m in WorkMode])),
            click.option("--package", metavar="MIN-MAX", help="Annual package in 10k CNY, e.g. 60-100."),
            click.option("--headcount", type=click.IntRange(1, 10_000)),
            click.option("--deadline", help="YYYY-MM-DD"),
            click.option("--status", type=click.Choice([s.value for s in DemandStatus])),
            click.option("--brought-by", help="The alliance member who brought it (id or name)."),
            click.option(
                "--hard",
                multiple=True,
                type=click.Choice(["degree", "experience", "languages", "relocation", "required_skills"]),
                help="A requirement that excludes (repeatable).",
            ),
            click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE"),
        ]
    ):
        fn = option(fn)
    return fn


@click.group()
def demand() -> None:
    """Employers' demands. 用人需求。"""


@demand.command()
@_demand_options
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def add(obj: CliContext, as_json: bool, **options: Any) -> None:
    """Add a demand (skills as free text, mapped to the vocabulary). 新建用人需求。"""
    from ..store.lookups import staff_id
    from ..store.recruiting import create_demand

    store = obj.open_store()
    data = _demand_values(store=store, **options)
    data.setdefault("owner_id", staff_id(store, obj.settings.username))
    created = create_demand(store, data)
    if as_json:
        show_record(created.storable(), as_json=True)
    else:
        click.echo(t("cli.rec.created", what=t("cli.demand.what"), id=created.id))


@demand.command()
@click.argument("demand_id", metavar="DEMAND")
@_demand_options
@click.pass_obj
def edit(obj: CliContext, demand_id: str, **options: Any) -> None:
    """Change a demand (status, skills, deadline...). 修改用人需求。"""
    from ..store.recruiting import update_demand

    store = obj.open_store()
    before = store.repo("demands").get(demand_id).storable()
    after = update_demand(store, demand_id, _demand_values(store=store, **options)).storable()
    changed = after != before
    click.echo(
        t("cli.rec.updated", what=t("cli.demand.what"), id=demand_id) if changed else t("cli.rec.unchanged")
    )


@demand.command()
@click.argument("demand_id", metavar="DEMAND")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def show(obj: CliContext, demand_id: str, as_json: bool) -> None:
    """One demand with its candidates by stage. 查看用人需求。"""
    from ..store import queries
    from ..store.recruiting_queries import demand_pipeline, org_names, skill_labels

    store = obj.open_store()
    found: Demand = store.repo("demands").get(demand_id)
    pipeline = demand_pipeline(store, demand_id)
    data = found.storable()
    if as_json:
        show_record(data, as_json=True, extra={"candidates": pipeline})
        return
    lang = get_lang()
    names = skill_labels(store, [*found.required_skills, *found.preferred_skills], lang)
    orgs = org_names(store, [i for i in (found.org_id, found.brought_by) if i])
    staff = queries.staff_names(store)
    data.update(
        org_id=orgs.get(found.org_id, found.org_id),
        brought_by=orgs.get(found.brought_by or "", found.brought_by),
        owner_id=staff.get(found.owner_id or "", found.owner_id),
        required_skills=[names.get(s, s) for s in found.required_skills],
        preferred_skills=[names.get(s, s) for s in found.preferred_skills],
        industry_chain=enum_text(IndustryChain, found.industry_chain),
        min_degree=enum_text(Degree, found.min_degree),
        work_mode=enum_text(WorkMode, found.work_mode),
        status=enum_text(DemandStatus, found.status),
        relocation_support=None,
        hard=[h.label() for h in found.hard],
    )
    lines = [
        f"{enum_text(IntroStage, r['stage'])} · {' '.join(n for n in (r['native_name'], r['latin_name']) if n)}"
        + (f" · {r['stage_reason']}" if r["stage_reason"] else "")
        for r in pipeline
    ]
    show_record(data, as_json=False, extra={t("cli.demand.pipeline"): lines})


@demand.command(name="list")
@click.option(
    "--status",
    type=click.Choice([*[s.value for s in DemandStatus], "all"]),
    default="open",
    show_default=True,
)
@click.option("--chain", type=click.Choice([c.value for c in IndustryChain]))
@click.option("--org", help="One employer's demands (id or name).")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--after")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_(
    obj: CliContext,
    status: str,
    chain: str | None,
    org: str | None,
    limit: int,
    after: str | None,
    as_json: bool,
) -> None:
    """List demands by deadline. 用人需求列表。"""
    from ..store.recruiting_queries import demands_page

    store = obj.open_store()
    page = demands_page(
        store,
        status=None if status == "all" else status,
        chain=chain,
        org_id=org_id(store, org) if org else None,
        after=after,
        limit=limit,
    )
    rows = [
        [
            r["id"],
            r["title"],
            r["org_zh"] or r["org_en"] or "",
            enum_text(DemandStatus, r["status"]),
            r["deadline"] or "",
            r["active"],
        ]
        for r in page.rows
    ]
    print_table(
        ["id", "field.title", "field.org_id", "field.status", "field.deadline", "cli.demand.pipeline"],
        rows,
        as_json=as_json,
        items={"items": page.rows, "next": None if page.at_end else page.after},
    )
    if not as_json and not page.at_end and page.after:
        click.echo(t("cli.rec.more", cursor=page.after))


# ---------------------------------------------------------------------------- match


@click.group()
def match() -> None:
    """Matching talents and demands, with reasons. 人岗匹配。"""


def _match_json(proposal: Any, skill_names: dict[str, str], lang: str) -> dict[str, Any]:
    m = proposal.match
    return {
        "contact_id": m.talent.contact_id,
        "name": m.talent.name,
        "demand_id": m.job.id,
        "score": round(m.score, 1),
        "pinned": proposal.pinned,
        "consent_to_share": proposal.consent,
        "proposable": proposal.consent and m.eligible,
        "introduced": proposal.introduced,
        "excluded": list(m.excluded),
        "criteria": [
            {"criterion": c.key, "points": round(c.points, 2), "max": c.max, "met": c.ok, "text": line}
            for c, line in zip(m.criteria, explain(m, lang, skill_names), strict=True)
        ],
        "notes": [
            n for n in (tz_note(m.talent.timezone, m.talent.city or m.talent.country, utcnow(), lang),) if n
        ]
        + [consent_note(proposal.consent, lang)],
    }


@match.command(name="demand")
@click.argument("demand_id", metavar="DEMAND")
@click.option("--limit", type=click.IntRange(1, 500), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def match_demand_cmd(obj: CliContext, demand_id: str, limit: int, as_json: bool) -> None:
    """A demand's best talents, each with the reasons. 为需求匹配人才。"""
    import json

    from ..store.matching import match_demand

    store = obj.open_store()
    lang = get_lang()
    result = match_demand(store, demand_id, limit=limit)
    items = [_match_json(p, result.skill_names, lang) for p in result.proposals]
    if as_json:
        click.echo(json.dumps({"demand_id": demand_id, "matches": items}, ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo(t("cli.match.none"))
        return
    click.echo(
        t(
            "cli.match.header",
            title=result.job.title,
            n=len(items),
            candidates=result.candidates,
            scored=result.scored,
        )
    )
    rows = [
        [
            ("★ " if i["pinned"] else "") + i["name"],
            f"{i['score']:.0f}",
            "; ".join(c["text"] for c in i["criteria"]) + "".join(f"; {n}" for n in i["notes"][:-1]),
            ("✓" if i["consent_to_share"] else "✗")
            + (f" · {enum_text(IntroStage, i['introduced'])}" if i["introduced"] else ""),
        ]
        for i in items
    ]
    print_table(["col.name", "col.score", "col.why", "col.consent"], rows)


@match.command(name="talent")
@click.argument("contact_id", metavar="CONTACT")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def match_talent_cmd(obj: CliContext, contact_id: str, limit: int, as_json: bool) -> None:
    """A talent's best open demands, each with the reasons. 为人才匹配需求。"""
    import json

    from ..store.matching import match_talent

    store = obj.open_store()
    lang = get_lang()
    result = match_talent(store, contact_id, limit=limit)
    items = []
    for proposal in result.proposals:
        item = _match_json(proposal, result.skill_names, lang)
        title = result.titles.get(proposal.match.job.id, {})
        item.update(title=title.get("title"), employer=title.get("org"), deadline=title.get("deadline"))
        items.append(item)
    if as_json:
        click.echo(json.dumps({"contact_id": contact_id, "matches": items}, ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo(t("cli.match.none_talent"))
        return
    rows = [
        [
            f"{i['title']} · {i['employer']}",
            f"{i['score']:.0f}",
            "; ".join(c["text"] for c in i["criteria"]),
            "✓" if i["consent_to_share"] else "✗",
        ]
        for i in items
    ]
    print_table(["field.demand_id", "col.score", "col.why", "col.consent"], rows)


def _me(obj: CliContext, store: Any) -> str | None:
    from ..store.lookups import staff_id

    return staff_id(store, obj.settings.username)


@match.command()
@click.argument("demand_id", metavar="DEMAND")
@click.argument("contact_id", metavar="CONTACT")
@click.option("--clear", is_flag=True, help="Remove the mark (unpin or undismiss).")
@click.pass_obj
def pin(obj: CliContext, demand_id: str, contact_id: str, clear: bool) -> None:
    """Keep a talent at the top of a demand's list. 置顶人才。"""
    from ..store import recruiting as R

    store = obj.open_store()
    if clear:
        click.echo(
            t("cli.match.cleared") if R.clear_mark(store, demand_id, contact_id) else t("cli.match.no_mark")
        )
        return
    R.pin(store, demand_id, contact_id, staff_id=_me(obj, store))
    click.echo(t("cli.match.pinned"))


@match.command()
@click.argument("demand_id", metavar="DEMAND")
@click.argument("contact_id", metavar="CONTACT")
@click.option("--reason", required=True, type=click.Choice([r.value for r in DismissReason]))
@click.option("--note")
@click.pass_obj
def dismiss(obj: CliContext, demand_id: str, contact_id: str, reason: str, note: str | None) -> None:
    """Set a talent aside for a demand; the ranking learns from the reason. 排除人才。"""
    from ..store import recruiting as R

    store = obj.open_store()
    R.dismiss(store, demand_id, contact_id, reason, note=note, staff_id=_me(obj, store))
    click.echo(t("cli.match.dismissed", reason=DismissReason(reason).label()))


@match.command()
@click.argument("demand_id", metavar="DEMAND")
@click.argument("contact_id", metavar="CONTACT")
@click.pass_obj
def introduce(obj: CliContext, demand_id: str, contact_id: str) -> None:
    """Turn a match into an introduction (proposed). 推荐人才。"""
    from ..domain.matching import score
    from ..store import recruiting as R
    from ..store.matching import load_job, load_talent

    store = obj.open_store()
    value = score(load_job(store, demand_id), load_talent(store, contact_id)).score
    created = R.introduce(
        store, demand_id, contact_id, owner_id=_me(obj, store), score=value, lang=get_lang()
    )
    click.echo(t("cli.match.introduced", id=created.id))


@match.command()
@click.argument("intro_id", metavar="INTRODUCTION")
@click.argument("stage", type=click.Choice([s.value for s in IntroStage]))
@click.option("--reason", help="Why (needed to decline or withdraw).")
@click.option("--followup", metavar="YYYY-MM-DD", help="Also add a follow-up due that day.")
@click.pass_obj
def stage(obj: CliContext, intro_id: str, stage: str, reason: str | None, followup: str | None) -> None:
    """Move an introduction (shared, interview, offer, signed, arrived, declined, withdrawn). 推进推荐。"""
    from datetime import datetime, time

    from ..store import recruiting as R

    store = obj.open_store()
    try:
        due = datetime.combine(datetime.fromisoformat(followup).date(), time(1, 0), UTC) if followup else None
    except ValueError:
        raise LiaisonError("cli.err.date", value=followup) from None
    moved = R.move_introduction(
        store, intro_id, stage, reason=reason, staff_id=_me(obj, store), followup_due=due, lang=get_lang()
    )
    click.echo(t("cli.match.moved", id=moved.id, stage=moved.stage.label()))
