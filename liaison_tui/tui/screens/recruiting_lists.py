"""The recruiting half's lists, each paged from SQLite by keyset: employers' demands (key 5) by deadline,
events (key 6) newest first, organizations (key O) by name with the alliance marked. A filter bar names the
keys that change what is listed; Enter opens the record, n makes a new one."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ...domain.display import country_name
from ...domain.enums import EventKind, IndustryChain, OrgKind
from ...domain.i18n import register, t
from ...domain.recruiting import AllianceRole, DemandStatus
from ...store import recruiting_queries as RQ
from ...store.queries import CasePage
from ..fmt import clip, enum_label
from ..keymap import key
from ..widgets.paged_table import PagedTable
from .base import BaseScreen
from .dialogs import ChoiceDialog

register(
    {
        "screen.demands": ("Demands", "用人需求"),
        "screen.events": ("Events", "活动"),
        "screen.orgs": ("Organizations", "机构"),
        "key.demands.status": ("Status", "状态"),
        "key.demands.chain": ("Chain", "产业链"),
        "key.demands.owner": ("Mine/all", "我的/全部"),
        "key.list.new": ("New", "新建"),
        "key.events.when": ("Upcoming/past", "即将/已办"),
        "key.orgs.alliance": ("Alliance only", "仅联盟"),
        "key.orgs.kind": ("Type", "类型"),
        "list.all": ("all", "全部"),
        "list.any_chain": ("any chain", "全部产业链"),
        "list.mine": ("mine", "我的"),
        "list.everyone": ("everyone's", "全部人员"),
        "list.upcoming": ("upcoming", "即将举办"),
        "list.past": ("past", "已举办"),
        "list.alliance": ("alliance members", "联盟成员"),
        "list.every_org": ("every organization", "全部机构"),
        "list.any_kind": ("any type", "全部类型"),
        "col.employer": ("Employer", "用人单位"),
        "col.deadline": ("Deadline", "截止"),
        "col.candidates": ("Candidates", "候选"),
        "col.head": ("Need", "人数"),
        "col.starts": ("Starts", "日期"),
        "col.place": ("Place", "地点"),
        "col.title_name": ("Name", "名称"),  # of an event or organization (姓名 is a person's)
        "col.registered": ("Registered", "报名"),
        "col.attended": ("Attended", "出席"),
        "col.alliance": ("Alliance", "联盟"),
        "col.people": ("People", "人员"),
        "col.chains": ("Chains", "产业链"),
    }
)


class RecordList(BaseScreen):
    """A filter bar over a keyset-paged table."""

    TABLE_ID = "rec-table"

    def compose_body(self) -> ComposeResult:
        yield Static(id="rec-filters", classes="filter-bar")
        yield PagedTable(id=self.TABLE_ID)

    def on_mount(self) -> None:
        table = self.query_one(PagedTable)
        table.loader = self.page
        table.render_row = self.cells
        super().on_mount()

    def relabel(self) -> None:
        super().relabel()
        table = self.query_one(PagedTable)
        table.set_columns(self.spec())
        self.show_filters()
        if table.window_rows:
            table.reload()

    def reload(self) -> None:
        table = self.query_one(PagedTable)
        if table.window_rows:
            table.reload()
        else:
            table.reset()
        self.show_filters()

    def refilter(self) -> None:
        self.query_one(PagedTable).reset()
        self.show_filters()

    def show_filters(self) -> None:
        text = Text()
        for letter, label in self.filters():
            text.append(f" {letter} ", style="reverse")
            text.append(f" {label}  ")
        self.query_one("#rec-filters", Static).update(text)

    def spec(self) -> list[tuple[str, str, int | float]]:
        raise NotImplementedError

    def page(self, store: Any, **kwargs: Any) -> CasePage:
        raise NotImplementedError

    def cells(self, row: dict[str, Any], table: PagedTable) -> list[Any]:
        raise NotImplementedError

    def filters(self) -> list[tuple[str, str]]:
        return []

    async def choose(self, title: str, options: list[tuple[str, str]], current: str, done: Any) -> None:
        def chosen(value: str | None) -> None:
            if value is not None:
                done(value)
                self.refilter()

        await self.app.push_screen(ChoiceDialog(title, options, current=current), chosen)


class DemandsScreen(RecordList):
    TITLE_KEY = "screen.demands"
    BINDINGS: ClassVar[list[Any]] = [
        key("s", "status", "demands.status"),
        key("c", "chain", "demands.chain"),
        key("o", "owner", "demands.owner"),
        key("n", "new", "list.new"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = "open"
        self.chain: str | None = None
        self.mine = False

    def spec(self) -> list[tuple[str, str, int | float]]:
        narrow = self.app.size.width < 100
        return [
            ("title", "col.title", 0.45),
            ("employer", "col.employer", 0.35),
            ("chain", "col.chains", 0.2),
            ("status", "col.status", 8),
            ("head", "col.head", 4),
            ("deadline", "col.deadline", 10),
            ("candidates", "col.candidates", 5 if narrow else 10),
        ]

    def page(self, store: Any, **kwargs: Any) -> CasePage:
        owner = (self.liaison.me or {}).get("id") if self.mine else None
        return RQ.demands_page(store, status=self.status, chain=self.chain, owner_id=owner, **kwargs)

    def cells(self, row: dict[str, Any], table: PagedTable) -> list[Any]:
        now, tz = self.liaison.now(), self.liaison.tz
        late = (
            row["deadline"]
            and row["status"] == "open"
            and row["deadline"] < now.astimezone(tz).date().isoformat()
        )
        return [
            clip(row["title"], table.w("title")),
            clip(row["org_zh"] or row["org_en"], table.w("employer")),
            clip(enum_label(IndustryChain, row["industry_chain"]), table.w("chain")),
            Text(enum_label(DemandStatus, row["status"]), style="bold" if row["status"] == "open" else "dim"),
            str(row["headcount"]),
            Text(
                row["deadline"] or "—",  # a date: one format for the whole column
                style="red" if late else "",
            ),
            str(row["active"] or "—"),
        ]

    def filters(self) -> list[tuple[str, str]]:
        return [
            ("s", enum_label(DemandStatus, self.status) if self.status else t("list.all")),
            ("c", enum_label(IndustryChain, self.chain) if self.chain else t("list.any_chain")),
            ("o", t("list.mine") if self.mine else t("list.everyone")),
        ]

    async def action_status(self) -> None:
        options = [(s.value, s.label()) for s in DemandStatus] + [("*", t("list.all"))]
        await self.choose(
            t("col.status"),
            options,
            self.status or "*",
            lambda v: setattr(self, "status", None if v == "*" else v),
        )

    async def action_chain(self) -> None:
        options = [("*", t("list.any_chain"))] + [(c.value, c.label()) for c in IndustryChain]
        await self.choose(
            t("col.chains"),
            options,
            self.chain or "*",
            lambda v: setattr(self, "chain", None if v == "*" else v),
        )

    def action_owner(self) -> None:
        self.mine = not self.mine
        self.refilter()

    async def action_new(self) -> None:
        from .recruiting_forms import DemandForm

        await self.app.push_screen(DemandForm(None), self._created)

    def _created(self, demand: Any) -> None:
        if demand is not None:
            self.liaison.open_demand(demand.id)

    def on_row_list_row_selected(self, event: PagedTable.RowSelected) -> None:
        if event.key:
            self.liaison.open_demand(event.key)


class EventsScreen(RecordList):
    TITLE_KEY = "screen.events"
    BINDINGS: ClassVar[list[Any]] = [key("u", "when", "events.when"), key("n", "new", "list.new")]

    def __init__(self) -> None:
        super().__init__()
        self.when: bool | None = None  # True upcoming, False past, None all

    def spec(self) -> list[tuple[str, str, int | float]]:
        return [
            ("starts", "col.starts", 10),
            ("name", "col.title_name", 0.55),
            ("kind", "col.kind", 0.2),
            ("place", "col.place", 0.25),
            ("registered", "col.registered", 10),
            ("attended", "col.attended", 10),
        ]

    def page(self, store: Any, **kwargs: Any) -> CasePage:
        today = self.liaison.now().astimezone(self.liaison.tz).date().isoformat()
        return RQ.events_page(store, upcoming=self.when, today=today, **kwargs)

    def cells(self, row: dict[str, Any], table: PagedTable) -> list[Any]:
        today = self.liaison.now().astimezone(self.liaison.tz).date().isoformat()
        return [
            Text(row["starts_on"], style="bold" if row["starts_on"] >= today else "dim"),
            clip(row["name"], table.w("name")),
            clip(enum_label(EventKind, row["kind"]), table.w("kind")),
            clip(" · ".join(p for p in (row["venue"], row["city"]) if p), table.w("place")),
            f"{row['registered']:,}",
            f"{row['attended']:,}" if row["starts_on"] < today else "—",
        ]

    def filters(self) -> list[tuple[str, str]]:
        label = t("list.all") if self.when is None else t("list.upcoming") if self.when else t("list.past")
        return [("u", label)]

    def action_when(self) -> None:
        self.when = True if self.when is None else False if self.when else None
        self.refilter()

    async def action_new(self) -> None:
        from .recruiting_forms import EventForm

        await self.app.push_screen(EventForm(None), self._created)

    def _created(self, event: Any) -> None:
        if event is not None:
            self.liaison.open_event(event.id)

    def on_row_list_row_selected(self, event: PagedTable.RowSelected) -> None:
        if event.key:
            self.liaison.open_event(event.key)


class OrgsScreen(RecordList):
    TITLE_KEY = "screen.orgs"
    BINDINGS: ClassVar[list[Any]] = [
        key("a", "alliance", "orgs.alliance"),
        key("k", "kind", "orgs.kind"),
        key("n", "new", "list.new"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.alliance = False
        self.kind: str | None = None

    def spec(self) -> list[tuple[str, str, int | float]]:
        return [
            ("name", "col.title_name", 0.6),
            ("kind", "col.kind", 0.2),
            ("alliance", "col.alliance", 14),
            ("place", "col.place", 0.2),
            ("people", "col.people", 7),
        ]

    def page(self, store: Any, **kwargs: Any) -> CasePage:
        return RQ.orgs_page(store, alliance=self.alliance, kind=self.kind, **kwargs)

    def cells(self, row: dict[str, Any], table: PagedTable) -> list[Any]:
        name = " · ".join(n for n in (row["name_zh"], row["name_en"]) if n)
        role = enum_label(AllianceRole, row["alliance_role"]) if row["alliance_member"] else ""
        people = f"{row['people']:,}" + ("+" if row["people"] >= 1000 else "")
        return [
            clip(name, table.w("name")),
            clip(enum_label(OrgKind, row["kind"]), table.w("kind")),
            Text(("★ " + role) if role else "", style="green"),
            clip(
                " · ".join(
                    p
                    for p in (
                        row["district"],
                        row["city"],
                        country_name(row["country"]) if row["country"] else None,
                    )
                    if p
                ),
                table.w("place"),
            ),
            people,
        ]

    def filters(self) -> list[tuple[str, str]]:
        return [
            ("a", t("list.alliance") if self.alliance else t("list.every_org")),
            ("k", enum_label(OrgKind, self.kind) if self.kind else t("list.any_kind")),
        ]

    def action_alliance(self) -> None:
        self.alliance = not self.alliance
        self.refilter()

    async def action_kind(self) -> None:
        options = [("*", t("list.any_kind"))] + [(k.value, k.label()) for k in OrgKind]
        await self.choose(
            t("col.kind"), options, self.kind or "*", lambda v: setattr(self, "kind", None if v == "*" else v)
        )

    async def action_new(self) -> None:
        from .recruiting_forms import OrgForm

        await self.app.push_screen(OrgForm(None), self._created)

    def _created(self, org: Any) -> None:
        if org is not None:
            self.liaison.open_org(org.id)

    def on_row_list_row_selected(self, event: PagedTable.RowSelected) -> None:
        if event.key:
            self.liaison.open_org(event.key)
