"""``liaison event``: events and attendance: add, edit, show, list, register (people, or a sign-up sheet
through the importer), checkin (by name, pinyin, initials or phone), attendees (with the no-shows and the
after-event follow-up list)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..domain.enums import AttendanceStatus, EventKind
from ..domain.errors import LiaisonError
from ..domain.i18n import get_lang, register, t
from ..domain.models import Event
from ..domain.times import utcnow
from .context import CliContext
from .org_cmd import org_id
from .record_options import enum_text, parse_sets, print_table, show_record

register(
    {
        "cli.event.what": ("event", "活动"),
        "cli.event.registered": (
            "Registered {added} ({already} already were).",
            "已报名 {added} 人（{already} 人此前已报名）。",
        ),
        "cli.event.imported": (
            "Sign-up sheet: {created} new contacts, {updated} updated; {added} registered ({already} already were).",
            "报名表：新建联系人 {created} 人，更新 {updated} 人；报名 {added} 人（{already} 人此前已报名）。",
        ),
        "cli.event.checked_in": ("Checked in: {name}", "已签到：{name}"),
        "cli.event.walk_in": ("Walk-in registered and checked in: {name}", "现场报名并签到：{name}"),
        "cli.event.no_match": (
            "Nobody registered matches '{query}' (add --walk-in CONTACT to register and check in someone else).",
            "没有与“{query}”匹配的报名者（用 --walk-in 联系人编号 可现场报名并签到）。",
        ),
        "cli.event.ambiguous": ("'{query}' matches {n} people:", "“{query}”匹配到 {n} 人："),
        "cli.event.no_shows": ("Marked {n} no-show(s).", "已标记 {n} 人未出席。"),
        "cli.event.followups": ("Added {n} follow-up(s).", "已添加 {n} 条待办。"),
        "cli.event.counts": ("Attendance", "出席情况"),
        "col.checked_in": ("Checked in", "签到"),
    }
)

_EDITABLE = [f for f in Event.model_fields if f != "id"]


def _event_values(
    name: str | None,
    kind: str | None,
    starts: str | None,
    ends: str | None,
    city: str | None,
    country: str | None,
    venue: str | None,
    tz: str | None,
    organizers: tuple[str, ...],
    sets: tuple[str, ...],
    store: Any,
) -> dict[str, Any]:
    simple = {
        "name": name,
        "kind": kind,
        "starts_on": starts,
        "ends_on": ends,
        "city": city,
        "country": country,
        "venue": venue,
        "timezone": tz,
    }
    data = {k: v for k, v in simple.items() if v is not None}
    if organizers:
        data["organizer_ids"] = [org_id(store, o) for o in organizers]
    data.update(parse_sets(sets, _EDITABLE))
    return data


def _event_options(fn: Any) -> Any:
    for option in reversed(
        [
            click.option("--name"),
            click.option("--kind", type=click.Choice([k.value for k in EventKind])),
            click.option("--starts", help="YYYY-MM-DD"),
            click.option("--ends", help="YYYY-MM-DD"),
            click.option("--city"),
            click.option("--country"),
            click.option("--venue"),
            click.option("--tz", help="Time zone, e.g. Europe/Berlin."),
            click.option(
                "--organizer", "organizers", multiple=True, help="Organising organization (repeatable)."
            ),
            click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE"),
        ]
    ):
        fn = option(fn)
    return fn


@click.group()
def event() -> None:
    """Events and attendance. 活动与出席。"""


@event.command()
@_event_options
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def add(obj: CliContext, as_json: bool, **options: Any) -> None:
    """Add an event. 新建活动。"""
    from ..store.recruiting import create_event

    store = obj.open_store()
    created = create_event(store, _event_values(store=store, **options))
    if as_json:
        show_record(created.storable(), as_json=True)
    else:
        click.echo(t("cli.rec.created", what=t("cli.event.what"), id=created.id))


@event.command()
@click.argument("event_id", metavar="EVENT")
@_event_options
@click.pass_obj
def edit(obj: CliContext, event_id: str, **options: Any) -> None:
    """Change an event. 修改活动。"""
    store = obj.open_store()
    before = store.events.get(event_id).storable()
    after = store.events.update(event_id, _event_values(store=store, **options)).storable()
    click.echo(
        t("cli.rec.updated", what=t("cli.event.what"), id=event_id)
        if after != before
        else t("cli.rec.unchanged")
    )


@event.command()
@click.argument("event_id", metavar="EVENT")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def show(obj: CliContext, event_id: str, as_json: bool) -> None:
    """One event with its attendance figures. 查看活动。"""
    from ..store.recruiting_queries import event_counts, org_names

    store = obj.open_store()
    found: Event = store.events.get(event_id)
    counts = event_counts(store, event_id)
    data = found.storable()
    if as_json:
        show_record(data, as_json=True, extra={"attendance": counts})
        return
    names = org_names(store, found.organizer_ids)
    data.update(kind=found.kind.label(), organizer_ids=[names.get(o, o) for o in found.organizer_ids])
    figures = ", ".join(f"{enum_text(AttendanceStatus, s)} {n}" for s, n in sorted(counts.items()))
    show_record(data, as_json=False, extra={t("cli.event.counts"): figures})


@event.command(name="list")
@click.option("--upcoming", "when", flag_value="upcoming", help="Only events starting today or later.")
@click.option("--past", "when", flag_value="past", help="Only events that have started.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--after")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_(obj: CliContext, when: str | None, limit: int, after: str | None, as_json: bool) -> None:
    """List events, newest first. 活动列表。"""
    from ..store.recruiting_queries import events_page

    store = obj.open_store()
    page = events_page(
        store,
        upcoming=None if when is None else when == "upcoming",
        today=utcnow().date().isoformat(),
        after=after,
        limit=limit,
    )
    rows = [
        [
            r["id"],
            r["name"],
            enum_text(EventKind, r["kind"]),
            r["starts_on"],
            r["city"] or "",
            r["registered"],
            r["attended"],
        ]
        for r in page.rows
    ]
    print_table(
        [
            "id",
            "field.name",
            "field.kind",
            "field.starts_on",
            "field.city",
            "enum.AttendanceStatus.registered",
            "enum.AttendanceStatus.attended",
        ],
        rows,
        as_json=as_json,
        items={"items": page.rows, "next": None if page.at_end else page.after},
    )
    if not as_json and not page.at_end and page.after:
        click.echo(t("cli.rec.more", cursor=page.after))


@event.command(name="register")
@click.argument("event_id", metavar="EVENT")
@click.argument("contact_ids", nargs=-1, metavar="[CONTACT]...")
@click.option(
    "--sheet",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A sign-up sheet (CSV, XLSX, vCard) to import and register.",
)
@click.option("--invited", is_flag=True, help="Invited, not yet signed up.")
@click.pass_obj
def register_(
    obj: CliContext, event_id: str, contact_ids: tuple[str, ...], sheet: Path | None, invited: bool
) -> None:
    """Register people for an event, or everyone on a sign-up sheet. 活动报名。"""
    from ..store.recruiting import register_people

    store = obj.open_store()
    status = "invited" if invited else "registered"
    store.events.get(event_id)
    created = updated = 0
    people = list(contact_ids)
    if sheet is not None:
        from ..importer.apply import apply_import
        from ..importer.mapping import Mapping
        from ..importer.plan import plan_import
        from ..importer.readers import read_file

        table = read_file(sheet)
        plan = plan_import(store, table, Mapping.guess(sheet.name, table.headers))
        result = apply_import(store, plan, lang=get_lang())
        created, updated = len(result.created), len(result.updated)
        people += [*result.created, *result.updated]
        people += [r.contact_id for r in result.rows if r.action == "unchanged" and r.contact_id]
    for contact_id in people:
        store.contacts.get(contact_id)
    registration = register_people(store, event_id, people, status=status)
    if sheet is not None:
        click.echo(
            t(
                "cli.event.imported",
                created=created,
                updated=updated,
                added=len(registration.added),
                already=len(registration.already),
            )
        )
    else:
        click.echo(
            t("cli.event.registered", added=len(registration.added), already=len(registration.already))
        )


@event.command()
@click.argument("event_id", metavar="EVENT")
@click.argument("query", required=False)
@click.option(
    "--walk-in", "walk_in", metavar="CONTACT", help="Register and check in someone not on the list."
)
@click.pass_obj
def checkin(obj: CliContext, event_id: str, query: str | None, walk_in: str | None) -> None:
    """Check someone in: a few letters of a name, pinyin, initials or a phone. 现场签到。"""
    from ..store import recruiting as R
    from ..store.checkin import CheckinIndex

    store = obj.open_store()
    if walk_in:
        att = R.walk_in(store, event_id, walk_in)
        click.echo(t("cli.event.walk_in", name=store.contacts.get(att.contact_id).display_name))
        return
    if not query:
        raise click.UsageError("QUERY")
    found = CheckinIndex.load(store, event_id).find(query, limit=10)
    if not found:
        raise LiaisonError("cli.event.no_match", query=query)
    exact = [f for f in found if f.quality == found[0].quality]
    if len(exact) > 1:
        click.echo(t("cli.event.ambiguous", query=query, n=len(exact)))
        for f in exact:
            click.echo(f"  {f.contact_id}  {f.name}  {f.detail}  ({enum_text(AttendanceStatus, f.status)})")
        raise SystemExit(1)
    R.check_in(store, found[0].attendance_id)
    click.echo(t("cli.event.checked_in", name=found[0].name))


@event.command()
@click.argument("event_id", metavar="EVENT")
@click.option("--status", type=click.Choice([s.value for s in AttendanceStatus]))
@click.option("--no-followup", is_flag=True, help="Who attended and has no follow-up since the event began.")
@click.option("--mark-no-shows", is_flag=True, help="Everyone registered who did not come becomes a no-show.")
@click.option("--add-followups", is_flag=True, help="With --no-followup: add a follow-up for each of them.")
@click.option("--limit", type=click.IntRange(1, 100_000), default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def attendees(
    obj: CliContext,
    event_id: str,
    status: str | None,
    no_followup: bool,
    mark_no_shows: bool,
    add_followups: bool,
    limit: int,
    as_json: bool,
) -> None:
    """The people of an event, the no-shows, the follow-up list. 出席名单。"""
    from ..store import recruiting as R
    from ..store.recruiting_queries import attendees_page

    store = obj.open_store()
    store.events.get(event_id)
    if mark_no_shows:
        click.echo(t("cli.event.no_shows", n=R.mark_no_shows(store, event_id)), err=as_json)
    if no_followup:
        rows = R.followup_list(store, event_id, limit=limit)
        if add_followups:
            n = R.create_event_followups(store, event_id, [r["id"] for r in rows], lang=get_lang())
            click.echo(t("cli.event.followups", n=n), err=as_json)
        print_table(
            ["field.contact_id", "col.name", "col.org", "col.checked_in"],
            [
                [
                    r["id"],
                    " ".join(p for p in (r["native_name"], r["latin_name"]) if p),
                    r["name_zh"] or r["name_en"] or "",
                    r["checked_in_at"] or "",
                ]
                for r in rows
            ],
            as_json=as_json,
            items=rows,
        )
        return
    page = attendees_page(store, event_id, status=status, limit=limit)
    print_table(
        ["field.contact_id", "col.name", "col.org", "field.status", "col.checked_in", "field.notes"],
        [
            [
                r["contact_id"],
                " ".join(p for p in (r["native_name"], r["latin_name"]) if p),
                r["org_zh"] or r["org_en"] or "",
                enum_text(AttendanceStatus, r["status"]),
                r["checked_in_at"] or "",
                r["notes"] or "",
            ]
            for r in page.rows
        ],
        as_json=as_json,
        items=page.rows,
    )
