"""A demand and its talents. Left: what the employer asks for. Right, in tabs: the best talents (pinned
first) with the reasons for the highlighted one under the list, the candidates by stage (the introductions
pipeline), and the talents set aside. p pins, x dismisses with a reason (the ranking learns from it), v marks
for comparing and c compares side by side, i introduces, t moves an introduction (and can add a follow-up),
e edits, o opens the employer. Also: a talent's best demands (from a contact, m)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static, TabbedContent, TabPane

from ...domain.display import language_name
from ...domain.enums import IndustryChain
from ...domain.i18n import list_sep, register, t
from ...domain.matching import Match, consent_note, describe, exclusion_text, tz_note
from ...domain.recruiting import INTRO_ENDED, INTRO_SHARED, DismissReason, IntroStage, intro_next
from ...domain.recruiting_models import Demand
from ...store import queries
from ...store import recruiting_queries as RQ
from ..db import run_db
from ..fmt import clip, enum_label, person, stamp
from ..keymap import key
from ..widgets.nav_table import NavTable
from .base import BaseScreen, Dialog
from .dialogs import ChoiceDialog

register(
    {
        "screen.demand": ("Demand", "用人需求"),
        "screen.compare": ("Compare", "对比"),
        "screen.talent_matches": ("Demands for", "适合的需求"),
        "demand.matches": ("Best talents", "匹配人才"),
        "demand.pipeline": ("Candidates", "候选人"),
        "demand.dismissed": ("Set aside", "已排除"),
        "demand.why": ("Why", "匹配理由"),
        "demand.found": (
            "{n} shown · {candidates:,} candidates read · {scored:,} scored",
            "显示 {n} 人 · 读取候选 {candidates:,} 人 · 评分 {scored:,} 人",
        ),
        "demand.none": (
            "Nobody fits yet: no talent holds a required skill, or the hard constraints exclude them.",
            "暂无匹配：无人具备必备技能，或被硬性条件排除。",
        ),
        "demand.introduced": ("introduced: {stage}", "已推荐：{stage}"),
        "demand.pinned": ("Pinned", "已置顶"),
        "demand.unpinned": ("Unpinned", "已取消置顶"),
        "demand.dismissed_one": (
            "Set aside ({reason}); the list learned from it",
            "已排除（{reason}），列表已据此调整",
        ),
        "demand.restored": ("Back in the list", "已恢复到列表"),
        "demand.reason_note": ("{reason}: {note}", "{reason}：{note}"),
        "demand.dismiss_title": ("Why set {name} aside?", "为何排除 {name}？"),
        "demand.dismiss_other": ("Why set {name} aside? In a few words", "为何排除 {name}？请简要说明"),
        "demand.intro_done": ("Introduced {name}", "已推荐 {name}"),
        "demand.move_title": ("{name}: {stage} →", "{name}：{stage} →"),
        "demand.reason_title": ("Why? ({stage})", "原因？（{stage}）"),
        "demand.followup_title": ("A follow-up for this step?", "为此步骤添加待办？"),
        "demand.followup.none": ("No follow-up", "不添加"),
        "demand.followup.tomorrow": ("Tomorrow", "明天"),
        "demand.followup.week": ("In a week", "一周后"),
        "demand.moved": ("{name}: {stage}", "{name}：{stage}"),
        "demand.no_intro": (
            "Select an introduced talent (Candidates tab).",
            "请选择已推荐的人才（候选人标签）。",
        ),
        "demand.compare_need": (
            "Mark talents with v first (or compare the first three).",
            "请先用 v 标记人才（否则对比前三名）。",
        ),
        "demand.learned_from": ("dismissed talents teach this list: {n}", "已排除人才 {n} 人，列表据此调整"),
        "demand.package": ("{low}–{high} ×10k CNY/yr", "{low}–{high} 万元/年"),
        "demand.package_label": ("Package", "年薪"),
        "demand.criterion": ("Criterion", "条件"),
        "demand.score": ("Score", "匹配度"),
        "demand.nothing_selected": ("Nothing selected.", "未选择。"),
        "key.demand.pin": ("Pin", "置顶"),
        "key.demand.dismiss": ("Set aside", "排除"),
        "key.demand.introduce": ("Introduce", "推荐"),
        "key.demand.stage": ("Move", "推进"),
        "key.demand.mark": ("Mark", "标记"),
        "key.demand.compare": ("Compare", "对比"),
        "key.demand.edit": ("Edit", "编辑"),
        "key.demand.employer": ("Employer", "用人单位"),
        "key.talent.profile": ("Profile", "画像"),
        "text.prompt_ok": ("Enter saves, Esc cancels", "回车保存，Esc 取消"),
    }
)


class TextDialog(Dialog):
    """One line of text (Enter), or nothing (Esc)."""

    def __init__(self, title: str, initial: str = "", suggester: Any = None) -> None:
        super().__init__()
        self._title, self._initial, self._suggester = title, initial, suggester

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            yield Input(self._initial, id="text-input", suggester=self._suggester)
            yield Static(t("text.prompt_ok"), classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())


def criteria_table(match: Match, skill_names: dict[str, str]) -> Table:
    """The explanation: each criterion with ✓/✗ and the points it gave."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=False, ratio=1)
    grid.add_column(justify="right", no_wrap=True, style="dim")
    for criterion in match.criteria:
        style = "green" if criterion.ok else "red" if criterion.ok is False else ""
        points = (
            f"{criterion.points:+.0f}"
            if criterion.key == "learned"
            else f"{criterion.points:.0f}/{criterion.max:.0f}"
        )
        grid.add_row(Text(describe(criterion, None, skill_names), style=style), points)
    return grid


def explanation(
    match: Match, skill_names: dict[str, str], consent: bool, introduced: str | None, now: Any
) -> Table:
    outer = Table.grid()
    outer.add_row(Text.assemble((f"{match.score:.0f}", "bold cyan"), " · ", (match.talent.name, "bold")))
    outer.add_row(criteria_table(match, skill_names))
    notes = Text()
    note = tz_note(match.talent.timezone, match.talent.city or match.talent.country, now)
    if note:
        notes.append(note + "\n", style="dim")
    notes.append(consent_note(consent), style="green" if consent else "yellow")
    if introduced:
        notes.append("  · " + t("demand.introduced", stage=enum_label(IntroStage, introduced)), style="cyan")
    for reason in match.excluded:
        notes.append("\n" + exclusion_text(reason), style="red")
    outer.add_row(notes)
    return outer


@dataclass
class DemandView:
    demand: Demand
    org: str
    brought: str | None
    owner: str | None
    skill_names: dict[str, str]
    matches: Any  # store.matching.DemandMatches
    pipeline: list[dict[str, Any]] = field(default_factory=list)


def load_demand(store: Any, demand_id: str) -> DemandView:
    from ...domain.i18n import get_lang
    from ...store.matching import match_demand

    demand: Demand = store.repo("demands").get(demand_id)
    orgs = RQ.org_names(store, [i for i in (demand.org_id, demand.brought_by) if i])
    owner = queries.staff_names(store).get(demand.owner_id or "")
    names = RQ.skill_labels(store, [*demand.required_skills, *demand.preferred_skills], get_lang())
    with store.lock:
        matches = match_demand(store, demand_id)
    return DemandView(
        demand,
        orgs.get(demand.org_id, ""),
        orgs.get(demand.brought_by or ""),
        owner,
        names,
        matches,
        RQ.demand_pipeline(store, demand_id),
    )


class DemandScreen(BaseScreen):
    TITLE_KEY = "screen.demand"
    AUTO_FOCUS = "#demand-matches"  # the arrow keys move through the talents from the start
    BINDINGS = [
        key("p", "pin", "demand.pin"),
        key("x", "dismiss", "demand.dismiss"),
        key("i", "introduce", "demand.introduce"),
        key("t", "move", "demand.stage"),
        key("v", "mark", "demand.mark"),
        key("c", "compare", "demand.compare"),
        key("e", "edit", "demand.edit"),
        key("o", "employer", "demand.employer"),
        key("right_square_bracket", "tab(1)", "record.next_tab", show=False),
        key("left_square_bracket", "tab(-1)", "record.prev_tab", show=False),
    ]
    PANES = ("tab-matches", "tab-pipeline", "tab-dismissed")

    def __init__(self, demand_id: str) -> None:
        super().__init__()
        self.demand_id = demand_id
        self.view: DemandView | None = None
        self.marked: list[str] = []

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="record-body"):
            with VerticalScroll(id="record-left"):
                yield Static(id="demand-details", classes="panel")
            with TabbedContent(id="record-tabs"):
                with TabPane("matches", id="tab-matches"), Vertical():
                    yield NavTable(id="demand-matches")
                    yield Static(id="match-why", classes="panel")
                with TabPane("pipeline", id="tab-pipeline"):
                    yield NavTable(id="demand-pipeline")
                with TabPane("dismissed", id="tab-dismissed"):
                    yield NavTable(id="demand-dismissed")

    def relabel(self) -> None:
        super().relabel()
        tabs = self.query_one(TabbedContent)
        for pane, label in zip(
            self.PANES, ("demand.matches", "demand.pipeline", "demand.dismissed"), strict=True
        ):
            tabs.get_tab(pane).label = t(label)
        narrow = self.has_class("-narrow")
        self.query_one("#demand-matches", NavTable).set_columns(
            [
                ("mark", "col.mark", 2),
                ("name", "col.name", 0.45),
                ("score", "demand.score", 6),
                ("why", "demand.why", 0.55),
            ]
        )
        self.query_one("#demand-pipeline", NavTable).set_columns(
            [
                ("stage", "col.stage", 10 if narrow else 20),
                ("name", "col.name", 0.5),
                ("since", "col.when", 10),
                ("note", "field.stage_reason", 0.5),
            ]
        )
        self.query_one("#demand-dismissed", NavTable).set_columns(
            [("name", "col.name", 0.5), ("reason", "field.reason", 0.5)]
        )
        self.query_one("#match-why").border_title = t("demand.why")
        if self.view:
            self._show(self.view)

    def narrow_changed(self) -> None:
        self.relabel()

    def on_row_list_relaid(self) -> None:
        if self.view:
            self._show(self.view)

    def screen_title(self) -> str:
        return f"{t('screen.demand')} · {self.view.demand.title}" if self.view else t("screen.demand")

    def reload(self) -> None:
        run_db(
            self, lambda store: load_demand(store, self.demand_id), self._show, group="demand", exclusive=True
        )

    # ---------------------------------------------------------------- rendering
    def _show(self, view: DemandView) -> None:
        self.view = view
        self.query_one("#title", Static).update(Text(self.screen_title()))
        self._details(view)
        tz = self.liaison.tz
        matches = self.query_one("#demand-matches", NavTable)
        keep = matches.cursor_row
        matches.clear()
        for proposal in view.matches.proposals:
            m = proposal.match
            cid = m.talent.contact_id
            mark = ("★" if proposal.pinned else "") + ("✓" if cid in self.marked else "")
            # the skills first, then what else decided it (met or missed)
            top = [describe(c, None, view.matches.skill_names) for c in m.criteria if c.key == "required"]
            top += [
                describe(c, None, view.matches.skill_names)
                for c in m.criteria
                if c.key != "required" and c.ok is not None
            ][:2]
            why = Text(clip("; ".join(top), matches.w("why")))
            if proposal.introduced:
                why = Text(
                    clip(enum_label(IntroStage, proposal.introduced) + " · " + why.plain, matches.w("why")),
                    style="cyan",
                )
            matches.add_row(
                Text(mark, style="yellow"),
                clip(m.talent.name, matches.w("name")),
                Text(f"{m.score:.0f}", style="bold"),
                why,
                key=cid,
            )
        if view.matches.proposals:
            matches.move_cursor(row=min(keep, matches.row_count - 1))
        self.query_one(TabbedContent).get_tab(
            "tab-matches"
        ).label = f"{t('demand.matches')} ({len(view.matches.proposals)})"
        pipeline = self.query_one("#demand-pipeline", NavTable)
        pipeline.clear()
        for row in view.pipeline:
            ended = row["stage"] in INTRO_ENDED
            pipeline.add_row(
                Text(enum_label(IntroStage, row["stage"]), style="dim" if ended else "bold"),
                clip(person(row["native_name"], row["latin_name"]), pipeline.w("name")),
                stamp(row["stage_at"], tz, with_time=False) if row["stage_at"] else "—",
                clip(row["stage_reason"] or "", pipeline.w("note")),
                key=row["id"],
            )
        self.query_one(TabbedContent).get_tab(
            "tab-pipeline"
        ).label = f"{t('demand.pipeline')} ({len(view.pipeline)})"
        dismissed = self.query_one("#demand-dismissed", NavTable)
        dismissed.clear()
        for row in view.matches.dismissed:
            reason = enum_label(DismissReason, row["reason"])
            if row.get("note"):
                reason = t("demand.reason_note", reason=reason, note=row["note"])
            dismissed.add_row(
                clip(row["name"], dismissed.w("name")),
                clip(reason, dismissed.w("reason")),
                key=row["contact_id"],
            )
        self._explain()
        self._focus_list()

    def _focus_list(self) -> None:
        """Keep the keys on the open tab's list after a reload, a dialog or a change of tab."""
        tabs = self.query_one(TabbedContent)
        if not tabs.active:
            return
        pane = tabs.get_pane(tabs.active)
        if isinstance(self.focused, NavTable) and pane in self.focused.ancestors:
            return
        found = pane.query(NavTable)
        if found:
            found.first().focus()

    def on_tabbed_content_tab_activated(self, _: TabbedContent.TabActivated) -> None:
        self.call_after_refresh(self._focus_list)

    def _details(self, view: DemandView) -> None:
        d = view.demand
        names = view.skill_names
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        package = (
            t("demand.package", low=d.package_min or "?", high=d.package_max or "?")
            if d.package_min or d.package_max
            else None
        )
        rows = [
            ("col.employer", view.org),
            ("field.status", d.status.label()),
            ("field.industry_chain", enum_label(IndustryChain, d.industry_chain)),
            ("field.required_skills", list_sep().join(names.get(s, s) for s in d.required_skills)),
            ("field.preferred_skills", list_sep().join(names.get(s, s) for s in d.preferred_skills)),
            ("field.min_degree", d.min_degree.label() if d.min_degree else None),
            ("field.min_years", str(d.min_years) if d.min_years else None),
            ("field.languages", list_sep().join(language_name(c) for c in d.languages)),
            ("field.city", " · ".join(p for p in (d.city, d.work_mode.label()) if p)),
            ("demand.package_label", package),
            ("field.headcount", str(d.headcount)),
            ("field.deadline", d.deadline.isoformat() if d.deadline else None),
            ("field.brought_by", view.brought),
            ("field.owner_id", view.owner),
            ("field.hard", list_sep().join(h.label() for h in d.hard)),
            ("field.notes", d.notes),
        ]
        for label_key, value in rows:
            if value:
                grid.add_row(t(label_key), Text(value))
        found = view.matches
        footer = Text(
            "\n"
            + t("demand.found", n=len(found.proposals), candidates=found.candidates, scored=found.scored),
            style="dim",
        )
        if found.dismissed:
            footer.append("\n" + t("demand.learned_from", n=len(found.dismissed)), style="dim")
        outer = Table.grid()
        outer.add_row(Text(d.title, style="bold"))
        outer.add_row(grid)
        outer.add_row(footer)
        panel = self.query_one("#demand-details", Static)
        panel.border_title = t("screen.demand")
        panel.update(outer)

    def on_row_list_row_highlighted(self, event: NavTable.RowHighlighted) -> None:
        if event.table.id == "demand-matches":
            self._explain()

    def _explain(self) -> None:
        panel = self.query_one("#match-why", Static)
        proposal = self._selected_proposal()
        if proposal is None or self.view is None:
            panel.update(Text(t("demand.none"), style="dim"))
            return
        panel.update(
            explanation(
                proposal.match,
                self.view.matches.skill_names,
                proposal.consent,
                proposal.introduced,
                self.liaison.now(),
            )
        )

    def _selected_proposal(self) -> Any:
        if self.view is None:
            return None
        cid = self.query_one("#demand-matches", NavTable).selected_key()
        return next((p for p in self.view.matches.proposals if p.match.talent.contact_id == cid), None)

    # ---------------------------------------------------------------- actions
    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        current = self.PANES.index(tabs.active) if tabs.active in self.PANES else 0
        tabs.active = self.PANES[(current + step) % len(self.PANES)]
        table = tabs.get_pane(tabs.active).query(NavTable)
        if table:
            table.first().focus()

    def _me(self) -> str | None:
        return (self.liaison.me or {}).get("id")

    def _done(self, message: str) -> Any:
        def after(_: Any) -> None:
            self.notify(message, timeout=4)
            self.liaison.data_changed()

        return after

    def action_pin(self) -> None:
        from ...store import recruiting as R

        proposal = self._selected_proposal()
        if proposal is None:
            return
        cid, did, me = proposal.match.talent.contact_id, self.demand_id, self._me()
        if proposal.pinned:
            run_db(self, lambda store: R.clear_mark(store, did, cid), self._done(t("demand.unpinned")))
        else:
            run_db(self, lambda store: R.pin(store, did, cid, staff_id=me), self._done(t("demand.pinned")))

    async def action_dismiss(self) -> None:
        from ...store import recruiting as R

        tabs = self.query_one(TabbedContent)
        if tabs.active == "tab-dismissed":  # in the set-aside list: x takes the talent back
            cid = self.query_one("#demand-dismissed", NavTable).selected_key()
            if cid:
                did = self.demand_id
                run_db(self, lambda store: R.clear_mark(store, did, cid), self._done(t("demand.restored")))
            return
        proposal = self._selected_proposal()
        if proposal is None:
            return
        cid, did, me = proposal.match.talent.contact_id, self.demand_id, self._me()

        def dismiss(reason: str, note: str | None = None) -> None:
            label = DismissReason(reason).label()
            run_db(
                self,
                lambda store: R.dismiss(store, did, cid, reason, note=note, staff_id=me),
                self._done(t("demand.dismissed_one", reason=label)),
            )

        def chosen(reason: str | None) -> None:
            if reason == DismissReason.OTHER:  # no reason of ours fits: the staff member says why
                self.app.push_screen(
                    TextDialog(t("demand.dismiss_other", name=proposal.match.talent.name)),
                    lambda note: dismiss(reason, note) if note else None,
                )
            elif reason:
                dismiss(reason)

        options = [(r.value, r.label()) for r in DismissReason]
        await self.app.push_screen(
            ChoiceDialog(t("demand.dismiss_title", name=proposal.match.talent.name), options), chosen
        )

    def action_introduce(self) -> None:
        from ...domain.i18n import get_lang
        from ...store import recruiting as R

        proposal = self._selected_proposal()
        if proposal is None:
            return
        m = proposal.match
        cid, did, me, lang = m.talent.contact_id, self.demand_id, self._me(), get_lang()

        def introduced(_: Any) -> None:
            self.notify(t("demand.intro_done", name=m.talent.name), timeout=4)
            self.liaison.data_changed()
            self.query_one(TabbedContent).active = "tab-pipeline"

        run_db(
            self,
            lambda store: R.introduce(store, did, cid, owner_id=me, score=m.score, lang=lang),
            introduced,
        )

    def _selected_intro(self) -> dict[str, Any] | None:
        if self.view is None:
            return None
        tabs = self.query_one(TabbedContent)
        if tabs.active == "tab-pipeline":
            intro_id = self.query_one("#demand-pipeline", NavTable).selected_key()
            return next((r for r in self.view.pipeline if r["id"] == intro_id), None)
        proposal = self._selected_proposal()
        if proposal is not None:
            cid = proposal.match.talent.contact_id
            return next(
                (r for r in self.view.pipeline if r["contact_id"] == cid and r["stage"] not in INTRO_ENDED),
                None,
            )
        return None

    async def action_move(self) -> None:
        intro = self._selected_intro()
        if intro is None:
            self.notify(t("demand.no_intro"), severity="warning", timeout=4)
            return
        name = person(intro["native_name"], intro["latin_name"])
        options = [(s, IntroStage(s).label()) for s in intro_next(intro["stage"])]

        def ask_followup(stage: str, reason: str | None) -> None:
            options = [
                ("none", t("demand.followup.none")),
                ("1", t("demand.followup.tomorrow")),
                ("7", t("demand.followup.week")),
            ]
            dialog = ChoiceDialog(t("demand.followup_title"), options, current="none")
            self.app.push_screen(dialog, lambda follow: self._move(intro["id"], name, stage, reason, follow))

        def go(stage: str) -> None:
            if stage in INTRO_ENDED:  # declining or withdrawing says why
                title = t("demand.reason_title", stage=IntroStage(stage).label())
                self.app.push_screen(TextDialog(title), lambda reason: reason and ask_followup(stage, reason))
            else:
                ask_followup(stage, None)

        def chosen(stage: str | None) -> None:
            if not stage:
                return
            if stage not in INTRO_SHARED or self.view is None:
                go(stage)
                return
            # the store refuses sharing without consent: say so before asking anything else
            from ...domain.consent import NEEDED_FOR_SHARING
            from ...store import recruiting  # noqa: F401  (registers the refusal's text)
            from ...store.consent import has_consent

            contact_id, org_id = intro["contact_id"], self.view.demand.org_id

            def checked(ok: bool) -> None:
                if ok:
                    go(stage)
                else:
                    self.notify(t("intro.err.consent", name=name), severity="error", timeout=8)

            run_db(
                self, lambda store: has_consent(store, contact_id, NEEDED_FOR_SHARING.value, org_id), checked
            )

        title = t("demand.move_title", name=name, stage=enum_label(IntroStage, intro["stage"]))
        await self.app.push_screen(ChoiceDialog(title, options), chosen)

    def _move(self, intro_id: str, name: str, stage: str, reason: str | None, follow: str | None) -> None:
        from ...domain.i18n import get_lang
        from ...store import recruiting as R
        from .dialogs import next_morning

        due = (
            next_morning(self.liaison.now(), self.liaison.tz, int(follow))
            if follow and follow != "none"
            else None
        )
        me, lang = self._me(), get_lang()
        run_db(
            self,
            lambda store: R.move_introduction(
                store, intro_id, stage, reason=reason, staff_id=me, followup_due=due, lang=lang
            ),
            self._done(t("demand.moved", name=name, stage=IntroStage(stage).label())),
        )

    def action_mark(self) -> None:
        proposal = self._selected_proposal()
        if proposal is None:
            return
        cid = proposal.match.talent.contact_id
        if cid in self.marked:
            self.marked.remove(cid)
        else:
            self.marked.append(cid)
        if self.view:
            self._show(self.view)
        self.query_one("#demand-matches", NavTable).action_cursor(1)

    async def action_compare(self) -> None:
        if self.view is None or not self.view.matches.proposals:
            return
        chosen = [p for p in self.view.matches.proposals if p.match.talent.contact_id in self.marked]
        if len(chosen) < 2:
            chosen = self.view.matches.proposals[:3]
            self.notify(t("demand.compare_need"), timeout=3)
        await self.app.push_screen(CompareScreen(self.view, chosen))

    async def action_edit(self) -> None:
        from .recruiting_forms import DemandForm

        if self.view:
            await self.app.push_screen(DemandForm(self.view.demand, skill_names=self.view.skill_names))

    def action_employer(self) -> None:
        if self.view:
            self.liaison.open_org(self.view.demand.org_id)

    def on_row_list_row_selected(self, event: NavTable.RowSelected) -> None:
        if event.table.id in ("demand-matches", "demand-dismissed") and event.key:
            self.liaison.open_contact(event.key)
        elif event.table.id == "demand-pipeline" and self.view:
            row = next((r for r in self.view.pipeline if r["id"] == event.key), None)
            if row:
                self.liaison.open_contact(row["contact_id"])


class CompareScreen(BaseScreen):
    """Talents side by side for one demand: a row per criterion, a column per talent."""

    TITLE_KEY = "screen.compare"

    def __init__(self, view: DemandView, proposals: list[Any]) -> None:
        super().__init__()
        self.view = view
        self.proposals = proposals

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="compare-body"):
            yield Static(id="compare", classes="panel")

    def screen_title(self) -> str:
        return f"{t('screen.compare')} · {self.view.demand.title}"

    def relabel(self) -> None:
        super().relabel()
        table = Table(expand=True, show_lines=True)
        table.add_column(t("demand.criterion"), style="dim", no_wrap=True)
        for proposal in self.proposals:
            table.add_column(Text(proposal.match.talent.name, style="bold"), ratio=1)
        names = self.view.matches.skill_names
        keys = list(dict.fromkeys(c.key for p in self.proposals for c in p.match.criteria))
        table.add_row(
            t("demand.score"), *[Text(f"{p.match.score:.0f}", style="bold") for p in self.proposals]
        )
        for criterion_key in keys:
            cells = []
            for p in self.proposals:
                c = next((c for c in p.match.criteria if c.key == criterion_key), None)
                if c is None:
                    cells.append(Text("—", style="dim"))
                    continue
                style = "green" if c.ok else "red" if c.ok is False else ""
                cells.append(Text(f"{describe(c, None, names)}  ({c.points:.0f})", style=style))
            table.add_row(t(f"match.key.{criterion_key}"), *cells)
        now = self.liaison.now()
        table.add_row(
            "",
            *[
                Text(
                    "\n".join(
                        n
                        for n in (
                            tz_note(
                                p.match.talent.timezone, p.match.talent.city or p.match.talent.country, now
                            ),
                            consent_note(p.consent),
                        )
                        if n
                    ),
                    style="dim",
                )
                for p in self.proposals
            ],
        )
        self.query_one("#compare", Static).update(table)


register(
    {
        "match.key.required": ("Required skills", "必备技能"),
        "match.key.preferred": ("Preferred skills", "优先技能"),
        "match.key.chain": ("Industry chain", "产业链"),
        "match.key.field": ("Field", "研究方向"),
        "match.key.degree": ("Degree", "学历"),
        "match.key.experience": ("Experience", "经验"),
        "match.key.languages": ("Languages", "语言"),
        "match.key.location": ("Location", "地点"),
        "match.key.availability": ("Availability", "到岗"),
        "match.key.learned": ("Learned", "排除学习"),
        "col.mark": (" ", " "),
    }
)


# ---------------------------------------------------------------------------- a talent's demands


@dataclass
class TalentMatchesView:
    name: str
    result: Any  # store.matching.TalentMatches


def load_talent_matches(store: Any, contact_id: str) -> TalentMatchesView:
    from ...store.matching import match_talent

    contact = store.contacts.get(contact_id)
    with store.lock:
        return TalentMatchesView(contact.display_name, match_talent(store, contact_id))


class TalentMatchesScreen(BaseScreen):
    """A talent's best open demands, with the reasons for the highlighted one. i introduces, Enter opens
    the demand, T edits the talent's profile."""

    TITLE_KEY = "screen.talent_matches"
    AUTO_FOCUS = "#talent-demands"
    BINDINGS = [key("i", "introduce", "demand.introduce"), key("T", "profile", "talent.profile")]

    def __init__(self, contact_id: str) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.view: TalentMatchesView | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="talent-body"):
            yield NavTable(id="talent-demands")
            yield Static(id="talent-why", classes="panel")

    def screen_title(self) -> str:
        return f"{t('screen.talent_matches')} · {self.view.name}" if self.view else t("screen.talent_matches")

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#talent-demands", NavTable).set_columns(
            [
                ("title", "col.title", 0.4),
                ("employer", "col.employer", 0.35),
                ("score", "demand.score", 6),
                ("deadline", "col.deadline", 10),
                ("stage", "col.stage", 0.25),
            ]
        )
        self.query_one("#talent-why").border_title = t("demand.why")
        if self.view:
            self._show(self.view)

    def on_row_list_relaid(self) -> None:
        if self.view:
            self._show(self.view)

    def reload(self) -> None:
        run_db(
            self,
            lambda store: load_talent_matches(store, self.contact_id),
            self._show,
            group="talent-matches",
            exclusive=True,
        )

    def _show(self, view: TalentMatchesView) -> None:
        self.view = view
        self.query_one("#title", Static).update(Text(self.screen_title()))
        table = self.query_one("#talent-demands", NavTable)
        keep = table.cursor_row
        table.clear()
        for proposal in view.result.proposals:
            info = view.result.titles.get(proposal.match.job.id, {})
            table.add_row(
                clip(info.get("title"), table.w("title")),
                clip(info.get("org"), table.w("employer")),
                Text(f"{proposal.match.score:.0f}", style="bold"),
                info.get("deadline") or "—",
                enum_label(IntroStage, proposal.introduced) if proposal.introduced else "",
                key=proposal.match.job.id,
            )
        if view.result.proposals:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self._explain()

    def on_row_list_row_highlighted(self, event: NavTable.RowHighlighted) -> None:
        self._explain()

    def _selected(self) -> Any:
        if self.view is None:
            return None
        did = self.query_one("#talent-demands", NavTable).selected_key()
        return next((p for p in self.view.result.proposals if p.match.job.id == did), None)

    def _explain(self) -> None:
        panel = self.query_one("#talent-why", Static)
        proposal = self._selected()
        if proposal is None or self.view is None:
            panel.update(Text(t("none"), style="dim"))
            return
        panel.update(
            explanation(
                proposal.match,
                self.view.result.skill_names,
                proposal.consent,
                proposal.introduced,
                self.liaison.now(),
            )
        )

    def action_introduce(self) -> None:
        from ...domain.i18n import get_lang
        from ...store import recruiting as R

        proposal = self._selected()
        if proposal is None:
            return
        did, cid, me, lang, value = (
            proposal.match.job.id,
            self.contact_id,
            (self.liaison.me or {}).get("id"),
            get_lang(),
            proposal.match.score,
        )

        def done(_: Any) -> None:
            self.notify(t("demand.intro_done", name=self.view.name if self.view else ""), timeout=4)
            self.liaison.data_changed()

        run_db(self, lambda store: R.introduce(store, did, cid, owner_id=me, score=value, lang=lang), done)

    async def action_profile(self) -> None:
        await open_talent_form(self, self.contact_id)

    def on_row_list_row_selected(self, event: NavTable.RowSelected) -> None:
        if event.key:
            self.liaison.open_demand(event.key)


async def open_talent_form(screen: Any, contact_id: str) -> None:
    """Load a talent's profile and skills, then open the form on them."""
    from ...domain.i18n import get_lang
    from ...store import recruiting as R
    from .recruiting_forms import TalentForm

    def load(store: Any) -> tuple[str, Any, list[str]]:
        zh = get_lang() == "zh"
        skills = [
            (zh and r["name_zh"]) or r["name_en"] or r["skill_id"]
            for r in R.talent_skill_rows(store, contact_id)
        ]
        return store.contacts.get(contact_id).display_name, R.get_profile(store, contact_id), skills

    def show(found: tuple[str, Any, list[str]]) -> None:
        name, profile, skills = found
        screen.app.push_screen(TalentForm(contact_id, name, profile, skills))

    run_db(screen, load, show)


__all__ = ["CompareScreen", "DemandScreen", "TalentMatchesScreen", "TextDialog"]
