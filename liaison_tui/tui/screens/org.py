"""An organization: who it is (names, kind, alliance membership, district, industry chains, website, notes)
and its people, those there now first. Enter opens a person."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from ...domain.display import country_name
from ...domain.enums import IndustryChain, PipelineStage
from ...domain.i18n import list_sep, register, t
from ...domain.models import Organization
from ...domain.recruiting import DemandStatus
from ...store import queries
from ..db import run_db
from ..fmt import clip, enum_label, person, relative
from ..keymap import key
from ..widgets.nav_table import NavTable
from .base import BaseScreen

register(
    {
        "screen.org": ("Organization", "机构"),
        "org.people": ("People ({n})", "人员（{n}）"),
        "org.alliance": ("Alliance member", "联盟成员"),
        "org.former": ("formerly", "曾任职"),
        "org.no_people": ("Nobody from this organization yet.", "暂无该机构人员。"),
        "col.position": ("Position", "职务"),
        "org.owners": ("Relationship owners", "联络负责人"),
        "org.contacts": ("Contact persons", "对接人"),
        "org.demands": ("Demands", "用人需求"),
        "org.merge_pick": ("Look up the organization to merge into this one", "查找要并入此机构的机构"),
        "org.merged": ("Merged into this organization", "已合并到此机构"),
        "key.org.edit": ("Edit", "编辑"),
        "key.org.person": ("Add person", "添加人员"),
        "key.org.merge": ("Merge with…", "与…合并"),
        "key.org.demand": ("New demand", "新需求"),
    }
)


@dataclass
class OrgView:
    org: Organization
    people: list[dict[str, Any]]
    total: int
    owners: list[str] = dataclasses.field(default_factory=list)
    contacts: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    demands: list[dict[str, Any]] = dataclasses.field(default_factory=list)


def load_org(store: Any, org_id: str) -> OrgView:
    from ...store import recruiting_queries as RQ

    org: Organization = store.organizations.get(org_id)
    people, total = queries.org_people(store, org_id)
    staff = queries.staff_names(store)
    owners = [staff.get(s, s) for s in org.staff_ids]
    return OrgView(org, people, total, owners, RQ.org_contacts(store, org_id), RQ.org_demands(store, org_id))


class OrgScreen(BaseScreen):
    TITLE_KEY = "screen.org"
    BINDINGS = [
        key("e", "edit", "org.edit"),
        key("a", "person", "org.person"),
        key("D", "demand", "org.demand"),
        key("M", "merge", "org.merge", show=False),
    ]

    def __init__(self, org_id: str) -> None:
        super().__init__()
        self.org_id = org_id
        self.view: OrgView | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="record-body"):
            with Vertical(id="record-left"):
                yield Static(id="org-details", classes="panel")
            with Vertical(id="org-people-panel", classes="panel"):
                yield NavTable(id="org-people")

    def narrow_changed(self) -> None:
        self._set_columns()

    def relabel(self) -> None:
        super().relabel()
        self._set_columns()
        if self.view:
            self._show(self.view)

    def _set_columns(self) -> None:
        narrow = self.has_class("-narrow")
        self.query_one("#org-people", NavTable).set_columns(
            [
                ("name", "col.name", 0.55),
                ("title", "col.position", 0.45),
                ("stage", "col.stage", 8 if narrow else 10),
                ("last", "col.last", 9 if narrow else 12),
            ]
        )

    def on_row_list_relaid(self) -> None:
        if self.view:
            self._show(self.view)

    def screen_title(self) -> str:
        if self.view:
            org = self.view.org
            return f"{t('screen.org')} · {org.name_zh or org.name_en}"
        return t("screen.org")

    def reload(self) -> None:
        run_db(self, lambda store: load_org(store, self.org_id), self._show, group="org", exclusive=True)

    def _show(self, view: OrgView) -> None:
        self.view = view
        org = view.org
        self.query_one("#title", Static).update(Text(self.screen_title()))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        for field, value in (
            ("name_zh", org.name_zh),
            ("name_en", org.name_en),
            ("kind", org.kind.label()),
            ("district", org.district),
            ("city", org.city),
            ("country", country_name(org.country)),
            ("industry_chains", " · ".join(enum_label(IndustryChain, c) for c in org.industry_chains)),
            ("website", org.website),
            ("notes", org.notes),
        ):
            if value:
                grid.add_row(t(f"field.{field}"), Text(value, style="bold" if field == "name_zh" else ""))
        if org.alliance_member:
            role = f" · {org.alliance_role.label()}" if org.alliance_role else ""
            since = f" · {org.alliance_since.isoformat()}" if org.alliance_since else ""
            grid.add_row("", Text("★ " + t("org.alliance") + role + since, style="bold green"))
        if view.owners:
            grid.add_row(t("org.owners"), Text(list_sep().join(view.owners)))
        if view.contacts:
            grid.add_row(
                t("org.contacts"),
                Text(
                    "\n".join(
                        f"{person(c['native_name'], c['latin_name'])} · {c['role'] or ''}"
                        for c in view.contacts
                    )
                ),
            )
        if view.demands:
            grid.add_row(
                t("org.demands"),
                Text(
                    "\n".join(
                        f"{d['title']} · {enum_label(DemandStatus, d['status'])}" for d in view.demands[:6]
                    )
                ),
            )
        self.query_one("#org-details", Static).update(grid)
        shown = f"{queries.ORG_PEOPLE_CAP:,}+" if view.total > queries.ORG_PEOPLE_CAP else f"{view.total:,}"
        self.query_one("#org-people-panel").border_title = t("org.people", n=shown)
        table = self.query_one("#org-people", NavTable)
        keep = table.cursor_row
        table.clear()
        now = self.liaison.now()
        for row in view.people:
            title = " · ".join(
                p for p in (row["title"] or row["role"], None if row["here"] else t("org.former")) if p
            )
            table.add_row(
                clip(person(row["native_name"], row["latin_name"]), table.w("name")),
                Text(clip(title, table.w("title")), style="" if row["here"] else "dim"),
                enum_label(PipelineStage, row["stage"]),
                relative(row["last_activity_at"], now),
                key=f"contact:{row['id']}",
            )
        if not view.people:
            table.add_row(Text(t("org.no_people"), style="dim"), "", "", "", key="none")
        table.move_cursor(row=min(keep, max(table.row_count - 1, 0)))

    def on_row_list_row_selected(self, event: NavTable.RowSelected) -> None:
        kind, _, contact_id = (event.key or "").partition(":")
        if kind == "contact":
            self.liaison.open_contact(contact_id)

    # ---------------------------------------------------------------- the recruiting half
    async def action_edit(self) -> None:
        from .recruiting_forms import OrgForm

        if self.view:
            await self.app.push_screen(OrgForm(self.view.org))

    async def action_person(self) -> None:
        from .recruiting_forms import AffiliationForm

        if self.view:
            name = self.view.org.name_zh or self.view.org.name_en or ""
            await self.app.push_screen(AffiliationForm(org_id=self.org_id, name=name))

    async def action_demand(self) -> None:
        from .recruiting_forms import DemandForm

        def created(demand: Any) -> None:
            if demand is not None:
                self.liaison.open_demand(demand.id)

        await self.app.push_screen(DemandForm(None, org_id=self.org_id), created)

    async def action_merge(self) -> None:
        from ...store import recruiting as R
        from .lookup import LookupScreen

        keep = self.org_id

        def chosen(choice: tuple[str, str, str] | None) -> None:
            if not choice or choice[0] != "org" or choice[1] == keep:
                return
            other = choice[1]
            run_db(
                self,
                lambda store: R.merge_orgs(store, keep, other),
                lambda _: (self.notify(t("org.merged"), timeout=4), self.liaison.data_changed()),
            )

        self.notify(t("org.merge_pick"), timeout=4)
        await self.app.push_screen(LookupScreen(), chosen)
