"""``liaison consent``: a person's consent ledger (PIPL): record consent, record a withdrawal, read it,
and list who lacks consent."""

from __future__ import annotations

import json
from datetime import date

import click

from ..domain.enums import ConsentChannel, ConsentPurpose
from ..domain.i18n import register, t
from ..domain.text import inert
from .context import CliContext

register(
    {
        "consent.recorded": ("Recorded: {what}.", "已记录：{what}。"),
        "consent.none": ("No consent recorded for {name}.", "{name} 没有同意记录。"),
        "consent.row": (
            "{date}  {action}  {purpose}{org}  {channel}{expires}  by {by}",
            "{date}  {action}  {purpose}{org}  {channel}{expires}  记录人 {by}",
        ),
        "consent.expires": ("  until {date}", "  至 {date}"),
        "consent.now": ("Now:", "当前："),
        "consent.missing_row": ("{id}  {name}  {state}", "{id}  {name}  {state}"),
        "consent.state.never": ("never recorded", "从未记录"),
        "consent.state.withdrawn": ("withdrawn", "已撤回"),
        "consent.state.expired": ("expired", "已过期"),
        "consent.missing_none": (
            "Everyone has valid consent for {purpose}.",
            "所有人都有有效的{purpose}同意。",
        ),
    }
)

_PURPOSES = click.Choice([p.value for p in ConsentPurpose])
_CHANNELS = click.Choice([c.value for c in ConsentChannel])


@click.group()
def consent() -> None:
    """A person's consent ledger. 个人信息同意记录。"""


def _record(obj: CliContext, contact_id: str, action: str, **fields: object) -> None:
    from ..store.consent import record

    store = obj.open_store()
    obj.require("consents", "create")
    data = {"contact_id": contact_id, "action": action, **{k: v for k, v in fields.items() if v is not None}}
    data.setdefault("occurred_on", date.today().isoformat())
    event = record(store, data)
    what = f"{t('enum.ConsentAction.' + action)} · {ConsentPurpose(event.purpose).label()}"
    click.echo(t("consent.recorded", what=what))


@consent.command("add")
@click.argument("contact_id")
@click.option("--purpose", type=_PURPOSES, required=True, help="What the person agreed to.")
@click.option("--channel", type=_CHANNELS, required=True, help="How they said so.")
@click.option("--date", "occurred_on", default=None, help="When (YYYY-MM-DD; default today).")
@click.option("--expires", "expires_on", default=None, help="Until when (YYYY-MM-DD).")
@click.option("--org", "org_id", default=None, help="Sharing with this employer only (organization id).")
@click.option("--scope", default=None, help="What exactly, in a few words.")
@click.option("--evidence", default=None, help="Where the proof is (e.g. 'signed form, folder 2026/03').")
@click.pass_obj
def add(obj: CliContext, contact_id: str, **fields: object) -> None:
    """Record that a person gave consent. 记录同意。"""
    _record(obj, contact_id, "given", **fields)


@consent.command("withdraw")
@click.argument("contact_id")
@click.option("--purpose", type=_PURPOSES, required=True)
@click.option("--channel", type=_CHANNELS, required=True)
@click.option("--date", "occurred_on", default=None, help="When (YYYY-MM-DD; default today).")
@click.option("--org", "org_id", default=None, help="Only sharing with this employer (organization id).")
@click.option("--evidence", default=None)
@click.pass_obj
def withdraw(obj: CliContext, contact_id: str, **fields: object) -> None:
    """Record that a person withdrew consent. 记录撤回同意。"""
    _record(obj, contact_id, "withdrawn", **fields)


@consent.command("list")
@click.argument("contact_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_(obj: CliContext, contact_id: str, as_json: bool) -> None:
    """A person's consent events and where they stand now. 查看同意记录。"""
    from ..store.consent import ledger, states

    store = obj.open_store()
    contact = store.contacts.get(contact_id, include_deleted=True)
    rows = ledger(store, contact_id)
    now = states(store, contact_id)
    if as_json:
        click.echo(
            json.dumps(
                {"events": rows, "now": [{"purpose": s.purpose, "valid": s.valid} for s in now]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not rows:
        click.echo(inert(t("consent.none", name=contact.display_name)))
    for row in rows:
        org = f" ({row['name_zh'] or row['name_en']})" if row["org_id"] else ""
        expires = t("consent.expires", date=row["expires_on"]) if row["expires_on"] else ""
        click.echo(
            inert(
                t(
                    "consent.row",
                    date=row["occurred_on"],
                    action=t(f"enum.ConsentAction.{row['action']}"),
                    purpose=ConsentPurpose(row["purpose"]).label(),
                    org=org,
                    channel=ConsentChannel(row["channel"]).label(),
                    expires=expires,
                    by=row["created_by"] or "-",
                )
            )
        )
    click.echo(t("consent.now") + " " + " · ".join(s.describe() for s in now))


@consent.command("missing")
@click.option(
    "--purpose", type=_PURPOSES, default=ConsentPurpose.RECRUITMENT_CONTACT.value, show_default=True
)
@click.option("--limit", type=click.IntRange(1, 100_000), default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def missing(obj: CliContext, purpose: str, limit: int, as_json: bool) -> None:
    """People without valid consent for a purpose. 缺少有效同意的人员。"""
    from ..store.consent import without_consent

    rows = without_consent(obj.open_store(), purpose, limit=limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(t("consent.missing_none", purpose=ConsentPurpose(purpose).label()))
    for row in rows:
        name = " ".join(n for n in (row["native_name"], row["latin_name"]) if n)
        click.echo(
            inert(t("consent.missing_row", id=row["id"], name=name, state=t(f"consent.state.{row['state']}")))
        )
