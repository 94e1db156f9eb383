"""``liaison talent`` (a talent's profile and skills for matching) and ``liaison skill`` (the bilingual
skills vocabulary the station extends)."""

from __future__ import annotations

from typing import Any

import click

from ..domain.enums import IndustryChain
from ..domain.i18n import get_lang, register, t
from ..domain.recruiting import Availability, Degree, Relocation
from ..domain.recruiting_models import TalentProfile
from .context import CliContext
from .record_options import enum_text, parse_sets, print_table, show_record

register(
    {
        "cli.talent.saved": ("Saved the talent profile of {id}.", "已保存 {id} 的人才画像。"),
        "cli.talent.skills": ("Skills: +{added} −{removed}", "技能：新增 {added}，移除 {removed}"),
        "cli.talent.none": ("No talent profile yet.", "尚无人才画像。"),
        "cli.skill.added": ("Skill {id}", "技能 {id}"),
        "cli.skill.seeded": ("The vocabulary holds {n} skills.", "技能词表共 {n} 项。"),
    }
)

_EDITABLE = [f for f in TalentProfile.model_fields if f not in ("id", "contact_id")]


@click.group()
def talent() -> None:
    """Talent profiles for matching. 人才画像。"""


@talent.command()
@click.argument("contact_id", metavar="CONTACT")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def show(obj: CliContext, contact_id: str, as_json: bool) -> None:
    """A talent's profile and skills. 查看人才画像。"""
    from ..store.recruiting import get_profile, talent_skill_rows

    store = obj.open_store()
    contact = store.contacts.get(contact_id)
    profile = get_profile(store, contact_id)
    zh = get_lang() == "zh"
    skills = [
        (zh and r["name_zh"]) or r["name_en"] or r["skill_id"] for r in talent_skill_rows(store, contact_id)
    ]
    data: dict[str, Any] = {
        "contact_id": contact_id,
        "native_name": contact.native_name,
        "latin_name": contact.latin_name,
    }
    if profile is not None:
        data.update(profile.storable())
        data.pop("id", None)
    if as_json:
        show_record(data, as_json=True, extra={"skills": skills, "languages": contact.languages})
        return
    if profile is not None:
        data.update(
            degree=enum_text(Degree, profile.degree),
            relocation=enum_text(Relocation, profile.relocation),
            availability=enum_text(Availability, profile.availability),
        )
    data["contact_id"] = None
    show_record(data, as_json=False, extra={"skills": skills, "languages": contact.languages})
    if profile is None:
        click.echo(t("cli.talent.none"))


@talent.command()
@click.argument("contact_id", metavar="CONTACT")
@click.option("--degree", type=click.Choice([d.value for d in Degree]))
@click.option("--years", type=click.IntRange(0, 70), help="Years of experience.")
@click.option("--relocate", type=click.Choice([r.value for r in Relocation]))
@click.option("--availability", type=click.Choice([a.value for a in Availability]))
@click.option("--city", "cities", multiple=True, help="A city they would work in (repeatable).")
@click.option("--skill", "skills", multiple=True, help="Add a skill, as free text (repeatable).")
@click.option("--drop-skill", "drops", multiple=True, help="Remove a skill (repeatable).")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE")
@click.pass_obj
def edit(
    obj: CliContext,
    contact_id: str,
    degree: str | None,
    years: int | None,
    relocate: str | None,
    availability: str | None,
    cities: tuple[str, ...],
    skills: tuple[str, ...],
    drops: tuple[str, ...],
    sets: tuple[str, ...],
) -> None:
    """Set a talent's degree, experience, skills, relocation and availability. 编辑人才画像。"""
    from ..store import recruiting as R

    store = obj.open_store()
    changes: dict[str, Any] = {
        k: v
        for k, v in {
            "degree": degree,
            "years_experience": years,
            "relocation": relocate,
            "availability": availability,
        }.items()
        if v is not None
    }
    if cities:
        changes["preferred_cities"] = list(cities)
    changes.update(parse_sets(sets, _EDITABLE))
    with store.transaction():
        if changes or not (skills or drops):
            R.save_profile(store, contact_id, changes)
        added = R.add_skills(store, contact_id, list(skills)) if skills else []
        removed = R.remove_skills(store, contact_id, list(drops)) if drops else []
    click.echo(t("cli.talent.saved", id=contact_id))
    if skills or drops:
        click.echo(t("cli.talent.skills", added=len(added), removed=len(removed)))


@click.group()
def skill() -> None:
    """The skills vocabulary. 技能词表。"""


@skill.command(name="list")
@click.option("--chain", type=click.Choice([c.value for c in IndustryChain]))
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_(obj: CliContext, chain: str | None, as_json: bool) -> None:
    """List the vocabulary. 技能词表。"""
    store = obj.open_store()
    where = {"chain": chain} if chain else None
    items = list(store.repo("skills").iterate(where=where, order_by="id", desc=False, limit=500))
    print_table(
        ["id", "field.name_en", "field.name_zh", "field.chain", "field.aliases"],
        [
            [s.id, s.name_en, s.name_zh or "", enum_text(IndustryChain, s.chain), ", ".join(s.aliases)]
            for s in items
        ],
        as_json=as_json,
        items=[s.storable() for s in items],
    )


@skill.command()
@click.argument("name_en")
@click.option("--zh", help="Chinese name.")
@click.option("--alias", "aliases", multiple=True, help="Another name it is known by (repeatable).")
@click.option("--chain", type=click.Choice([c.value for c in IndustryChain]))
@click.pass_obj
def add(obj: CliContext, name_en: str, zh: str | None, aliases: tuple[str, ...], chain: str | None) -> None:
    """Add a skill to the vocabulary (or change the one of that English name). 新增技能。"""
    from ..store.recruiting import add_skill

    store = obj.open_store()
    created = add_skill(store, name_en, name_zh=zh, aliases=aliases, chain=chain)
    click.echo(t("cli.skill.added", id=created.id))


@skill.command()
@click.pass_obj
def seed(obj: CliContext) -> None:
    """Load the starter vocabulary (skills of every industry chain, in both languages). 导入初始技能词表。"""
    from ..store.recruiting import seed_vocabulary

    store = obj.open_store()
    click.echo(t("cli.skill.seeded", n=seed_vocabulary(store)))
