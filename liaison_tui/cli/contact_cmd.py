"""``liaison contact``: add, show, list, edit and delete contacts from scripts."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from ..domain.errors import LiaisonError
from ..domain.i18n import register, t
from ..domain.models import Contact
from .context import CliContext
from .help_i18n import LocalizedGroup

register(
    {
        "cli.contact.created": ("Created contact {id}", "已创建联系人 {id}"),
        "cli.contact.updated": ("Updated contact {id}", "已更新联系人 {id}"),
        "cli.contact.unchanged": ("Nothing to change.", "没有需要修改的内容。"),
        "cli.contact.deleted": ("Deleted contact {id}", "已删除联系人 {id}"),
        "cli.contact.bad_set": (
            "Use --set FIELD=VALUE (got '{value}').",
            "请使用 --set 字段=值（收到“{value}”）。",
        ),
        "cli.contact.unknown_field": (
            "'{field}' is not a contact field. Fields: {fields}",
            "“{field}”不是联系人字段。可用字段：{fields}",
        ),
        "cli.contact.none": ("No contacts.", "没有联系人。"),
        "cli.contact.not_found": (
            "No contact has the id or name “{query}”. Look it up with: liaison search {query}",
            "没有编号或姓名为“{query}”的联系人。可用 liaison search {query} 查找",
        ),
        "cli.contact.several": (
            "{n} contacts match “{query}”: pick one by id from: liaison search {query}",
            "有 {n} 位联系人与“{query}”匹配：请从 liaison search {query} 的结果中按编号选择",
        ),
        "cli.contact.more": ("… more: --after {cursor}", "…… 更多：--after {cursor}"),
        "col.name": ("Name", "姓名"),
        "col.org": ("Organization", "机构"),
    }
)

_EDITABLE = [f for f in Contact.model_fields if f not in ("id", "last_activity_at", "merged_into")]


def _parse_sets(pairs: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise LiaisonError("cli.contact.bad_set", value=pair)
        name, value = pair.split("=", 1)
        name = name.strip()
        if name not in _EDITABLE:
            raise LiaisonError("cli.contact.unknown_field", field=name, fields=", ".join(_EDITABLE))
        out[name] = value.strip() or None
    return out


def _contact_json(store: Any, contact: Contact) -> dict[str, Any]:
    from ..store.services import contact_points

    data = contact.storable()
    data["contact_points"] = [
        {"kind": p.kind.value, "raw": p.raw, "value": p.value, "label": p.label, "primary": p.is_primary}
        for p in contact_points(store, contact.id)
    ]
    return data


@click.group(cls=LocalizedGroup)
def contact() -> None:
    """Contacts from the command line. 联系人。"""


@contact.command()
@click.option("--name", help="Native name (e.g. 张伟).")
@click.option("--latin", help="Name in Latin script (e.g. Zhang Wei).")
@click.option("--email", multiple=True, help="Email (repeatable).")
@click.option("--phone", multiple=True, help="Phone in any format (repeatable).")
@click.option("--wechat", multiple=True, help="WeChat ID (repeatable).")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE", help="Any other field.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def add(
    obj: CliContext,
    name: str | None,
    latin: str | None,
    email: tuple[str, ...],
    phone: tuple[str, ...],
    wechat: tuple[str, ...],
    sets: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add a contact. 新建联系人。"""
    from ..store.lookups import staff_id
    from ..store.services import create_contact

    data = {"native_name": name, "latin_name": latin, **_parse_sets(sets)}
    store = obj.open_store()
    if "owner_id" not in data:  # looked after by the staff member adding it, if the user name is one
        data["owner_id"] = staff_id(store, obj.settings.username)
    points = (
        [{"kind": "email", "raw": e, "is_primary": i == 0} for i, e in enumerate(email)]
        + [{"kind": "phone", "raw": p, "is_primary": i == 0} for i, p in enumerate(phone)]
        + [{"kind": "wechat", "raw": w} for w in wechat]
    )
    created = create_contact(store, data, points)
    if as_json:
        click.echo(json.dumps(_contact_json(store, created), ensure_ascii=False, indent=2))
    else:
        click.echo(t("cli.contact.created", id=created.id))


def _resolve(store: Any, wanted: str) -> Any:
    """The contact with id ``wanted``, else the one contact whose name (or phone, email…) matches it;
    several or none: say so, and how to look them up."""
    from ..store import search as engine

    found = store.contacts.find(wanted)
    if found is not None:
        return found
    hits = engine.search(store.conn, wanted, types=["contact"], limit=2)
    if len(hits) == 1:
        return store.contacts.get(hits[0].id)
    if hits:
        total = engine.count(store.conn, wanted, types=["contact"])
        raise LiaisonError("cli.contact.several", query=wanted, n=total)
    raise LiaisonError("cli.contact.not_found", query=wanted)


def _shown(store: Any, key: str, value: Any) -> str:
    """A field of ``contact show`` as staff read it: labels for codes, names for countries, languages,
    the organization and the owner."""
    from ..domain.display import model_value_label, point_label
    from ..domain.enums import ContactPointKind
    from ..store import queries

    if key == "contact_points":
        return "\n".join(
            f"{ContactPointKind(p['kind']).label()}: {p['raw']}"
            + (f" ({point_label(p['label'])})" if p.get("label") else "")
            for p in value
        )
    if key == "org_id":
        return queries.org_name(store, value) or value
    if key == "owner_id":
        return queries.staff_names(store).get(value, value)
    return model_value_label(Contact, key, value)


@contact.command()
@click.argument("contact")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def show(obj: CliContext, contact: str, as_json: bool) -> None:
    """Show one contact, by id or by a name, phone or email only one contact has. 查看联系人（编号，或仅一人匹配的姓名、电话、邮箱）。"""
    store = obj.open_store()
    found = _resolve(store, contact)
    data = _contact_json(store, found)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console = Console()
    table = Table(show_header=False, box=None)
    for key, value in data.items():
        if value in (None, [], ""):
            continue
        label = t(f"field.{key}") if key != "contact_points" else t("table.contact_points")
        table.add_row(f"[bold]{label}[/]", _shown(store, key, value))
    console.print(table)


@contact.command(name="list")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--after", help="Continue after this page position.")
@click.option("--stage", help="Only this pipeline stage.")
@click.option("--owner", help="Only this owner's contacts (staff id).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_(
    obj: CliContext, limit: int, after: str | None, stage: str | None, owner: str | None, as_json: bool
) -> None:
    """List contacts, most recently changed first. 联系人列表。"""
    store = obj.open_store()
    where: dict[str, Any] = {}
    if stage:
        where["stage"] = stage
    if owner:
        where["owner_id"] = owner
    page = store.contacts.list(where=where, limit=limit, after=after)
    if as_json:
        click.echo(
            json.dumps(
                {"items": [c.storable() for c in page.items], "next": page.next_cursor},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not page.items:
        click.echo(t("cli.contact.none"))
        return
    table = Table()
    table.add_column("id", no_wrap=True)
    for column in ("col.name", "field.stage", "field.country", "field.title"):
        table.add_column(t(column))
    for c in page.items:
        table.add_row(c.id, c.display_name, c.stage.label(), c.country or "", c.title or "")
    Console().print(table)
    if page.next_cursor:
        click.echo(t("cli.contact.more", cursor=page.next_cursor))


@contact.command()
@click.argument("contact_id")
@click.option("--set", "sets", multiple=True, required=True, metavar="FIELD=VALUE")
@click.pass_obj
def edit(obj: CliContext, contact_id: str, sets: tuple[str, ...]) -> None:
    """Change fields of a contact. 修改联系人。"""
    store = obj.open_store()
    changes = _parse_sets(sets)
    before = store.contacts.get(contact_id).storable()
    changed = store.contacts.update(contact_id, changes).storable() != before
    click.echo(t("cli.contact.updated", id=contact_id) if changed else t("cli.contact.unchanged"))


@contact.command()
@click.argument("contact_id")
@click.pass_obj
def delete(obj: CliContext, contact_id: str) -> None:
    """Delete a contact (kept as a tombstone so the delete syncs). 删除联系人。"""
    store = obj.open_store()
    store.contacts.delete(contact_id)
    click.echo(t("cli.contact.deleted", id=contact_id))
