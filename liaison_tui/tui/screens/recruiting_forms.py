"""Forms of the recruiting half: an organization (with its alliance membership and relationship owners), an
affiliation (from the organization's side or the person's), a demand, a talent profile, an event. Each
saves in a worker through the store's services; problems come back under their fields in the UI language."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ...domain.enums import EventKind, IndustryChain, OrgKind
from ...domain.i18n import register, t
from ...domain.models import Event, Organization
from ...domain.recruiting import (
    AllianceRole,
    Availability,
    Degree,
    DemandStatus,
    HardConstraint,
    Relocation,
    WorkMode,
)
from ...domain.recruiting_models import Demand, TalentProfile
from ...domain.validation import FieldProblem
from ...store import lookups, queries, recruiting_queries
from ..db import run_db
from .dialogs import ErrorLine
from .edit_forms import SavingForm

register(
    {
        "form.org.new": ("New organization", "新建机构"),
        "form.org.edit": ("Organization · {name}", "机构 · {name}"),
        "form.demand.new": ("New demand", "新建用人需求"),
        "form.demand.edit": ("Demand · {title}", "用人需求 · {title}"),
        "form.talent": ("Talent profile · {name}", "人才画像 · {name}"),
        "form.event.new": ("New event", "新建活动"),
        "form.event.edit": ("Event · {name}", "活动 · {name}"),
        "form.aff.title": ("Affiliation · {name}", "任职关系 · {name}"),
        "form.aff.person": ("Person (type a name)", "人员（输入姓名查找）"),
        "form.aff.org": ("Organization", "机构"),
        "form.none": ("—", "—"),
        "form.list_hint": ("comma-separated", "用逗号分隔"),
        "form.skills_hint": (
            "comma-separated, in either language (mapped to the skills vocabulary)",
            "用逗号分隔，中英文均可（对应技能词表）",
        ),
        "form.staff_hint": ("user names, comma-separated", "用户名，用逗号分隔"),
        "form.org_pick": ("pick one…", "请选择…"),
    }
)


def _blank(value: Any) -> Any:
    return None if value is Select.NULL or value == "" else value


class RecordForm(SavingForm):
    """A scrolling form built from (field, label, widget) rows."""

    TITLE = ""

    def rows(self) -> list[tuple[str, str, Any]]:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog edit-form rec-form"):
            yield Label(self.title_text(), classes="dialog-title")
            with VerticalScroll():
                for name, label, widget in self.rows():
                    if label:
                        yield Label(label)
                    yield widget
                    yield ErrorLine(id=f"err-{name}", classes="error")
            yield Static(t("form.hint"), classes="hint")

    def title_text(self) -> str:
        return t(self.TITLE)

    def on_mount(self) -> None:
        super().on_mount()
        first = self.query(Input)
        if first:
            first.first().focus()

    def text(self, name: str) -> str | None:
        return self.query_one(f"#f-{name}", Input).value.strip() or None

    def choice(self, name: str) -> Any:
        return _blank(self.query_one(f"#f-{name}", Select).value)

    def checked(self, name: str) -> bool:
        return bool(self.query_one(f"#f-{name}", Checkbox).value)


def _select(name: str, options: list[tuple[str, str]], value: Any, *, blank: bool = True) -> Select[str]:
    return Select(
        options,
        value=value if value is not None else Select.NULL,
        allow_blank=blank,
        prompt=t("form.none"),  # Textual's own prompt is the English "Select"
        id=f"f-{name}",
    )


def _input(name: str, value: Any = None, placeholder: str = "") -> Input:
    shown = (
        ", ".join(str(v) for v in value) if isinstance(value, list) else ("" if value is None else str(value))
    )
    return Input(shown, placeholder=placeholder, id=f"f-{name}")


def _chains() -> list[tuple[str, str]]:
    return [(c.label(), c.value) for c in IndustryChain]


# ---------------------------------------------------------------------------- organizations


class OrgForm(RecordForm):
    FIELDS = (
        "name_zh",
        "name_en",
        "kind",
        "alliance_role",
        "alliance_since",
        "district",
        "city",
        "country",
        "industry_chains",
        "staff_ids",
        "website",
        "notes",
    )
    LAST_INPUT = "f-notes"

    def __init__(self, org: Organization | None) -> None:
        super().__init__()
        self.org = org

    def title_text(self) -> str:
        if self.org is None:
            return t("form.org.new")
        return t("form.org.edit", name=self.org.name_zh or self.org.name_en)

    def rows(self) -> list[tuple[str, str, Any]]:
        o = self.org
        role = o.alliance_role.value if o and o.alliance_member and o.alliance_role else None
        return [
            ("name_zh", t("field.name_zh"), _input("name_zh", o and o.name_zh)),
            ("name_en", t("field.name_en"), _input("name_en", o and o.name_en)),
            (
                "kind",
                t("field.kind"),
                _select(
                    "kind",
                    [(k.label(), k.value) for k in OrgKind],
                    o.kind.value if o else "enterprise",
                    blank=False,
                ),
            ),
            (
                "alliance_role",
                t("field.alliance_role"),
                _select("alliance_role", [(r.label(), r.value) for r in AllianceRole], role),
            ),
            (
                "alliance_since",
                t("field.alliance_since"),
                _input("alliance_since", o and o.alliance_since, "YYYY-MM-DD"),
            ),
            ("district", t("field.district"), _input("district", o and o.district)),
            ("city", t("field.city"), _input("city", o and o.city)),
            ("country", t("field.country"), _input("country", o and o.country)),
            (
                "industry_chains",
                t("field.industry_chains"),
                _input(
                    "industry_chains",
                    [c.label() for c in o.industry_chains] if o else None,
                    t("form.list_hint"),
                ),
            ),
            ("staff_ids", t("field.staff_ids"), _input("staff_ids", None, t("form.staff_hint"))),
            ("website", t("field.website"), _input("website", o and o.website)),
            ("notes", t("field.notes"), _input("notes", o and o.notes)),
        ]

    def on_mount(self) -> None:
        super().on_mount()
        if self.org and self.org.staff_ids:
            ids = list(self.org.staff_ids)
            run_db(
                self,
                lambda store: _usernames(store, ids),
                lambda names: setattr(self.query_one("#f-staff_ids", Input), "value", ", ".join(names)),
            )

    def action_save(self) -> None:
        from ...domain.values import list_of

        chains_text = list_of(self.text("industry_chains") or "")
        by_label = {c.label(lang): c.value for c in IndustryChain for lang in ("zh", "en")} | {
            c.value: c.value for c in IndustryChain
        }
        chains = [by_label.get(c, c) for c in chains_text]
        role = self.choice("alliance_role")
        data: dict[str, Any] = {
            "name_zh": self.text("name_zh"),
            "name_en": self.text("name_en"),
            "kind": self.choice("kind"),
            "alliance_since": self.text("alliance_since"),
            "district": self.text("district"),
            "city": self.text("city"),
            "country": self.text("country"),
            "industry_chains": chains,
            "staff_ids": list_of(self.text("staff_ids") or ""),
            "website": self.text("website"),
            "notes": self.text("notes"),
        }
        data.update({"alliance_role": role} if role else {"alliance_member": False})
        org = self.org
        from ...store import recruiting as R

        self.write(lambda store: R.update_org(store, org.id, data) if org else R.create_org(store, data))


def _usernames(store: Any, ids: list[str]) -> list[str]:
    names = lookups.usernames(store, ids)
    return [names.get(i, i) for i in ids]


# ---------------------------------------------------------------------------- affiliations


class AffiliationForm(RecordForm):
    """Link a person and an organization: from the organization (type a person's name) or from the person
    (pick the organization)."""

    FIELDS = ("contact_id", "org_id", "role", "since", "until", "current", "is_contact")
    LAST_INPUT = "f-until"

    def __init__(self, *, org_id: str | None = None, contact_id: str | None = None, name: str = "") -> None:
        super().__init__()
        self.org_id, self.contact_id, self.person = org_id, contact_id, name
        self._query = ""

    def title_text(self) -> str:
        return t("form.aff.title", name=self.person)

    def rows(self) -> list[tuple[str, str, Any]]:
        out: list[tuple[str, str, Any]] = []
        if self.contact_id is None:
            out += [
                ("contact_id", t("form.aff.person"), Input(id="f-contact")),
                ("hits", "", OptionList(id="f-contact-hits")),
                ("chosen", "", Static(id="f-contact-chosen")),
            ]
        else:
            out.append(("org_id", t("form.aff.org"), Select([], prompt=t("form.org_pick"), id="f-org_id")))
        out += [
            ("role", t("col.position"), _input("role")),
            ("since", t("field.since"), _input("since", None, "YYYY-MM-DD")),
            ("until", t("field.until"), _input("until", None, "YYYY-MM-DD")),
            ("current", "", Checkbox(t("field.current"), True, id="f-current")),
            ("is_contact", "", Checkbox(t("field.is_contact"), False, id="f-is_contact")),
        ]
        return out

    def on_mount(self) -> None:
        super().on_mount()
        if self.contact_id is None:
            self.query_one("#f-contact-hits").display = False
        else:
            run_db(self, _org_options, self._orgs)

    def _orgs(self, options: list[tuple[str, str]]) -> None:
        self.query_one("#f-org_id", Select).set_options(options)

    @on(Input.Changed, "#f-contact")
    def _search(self, event: Input.Changed) -> None:
        query = event.value.strip()
        self._query = query
        if not query:
            return
        run_db(
            self,
            lambda store: [
                (r["id"], " ".join(p for p in (r["native_name"], r["latin_name"]) if p))
                for r in _find_people(store, query)
            ],
            lambda hits: self._hits(hits, query),
            group="aff-search",
            exclusive=True,
        )

    def _hits(self, hits: list[tuple[str, str]], query: str) -> None:
        if query != self._query:
            return
        options = self.query_one("#f-contact-hits", OptionList)
        options.clear_options()
        options.add_options([Option(title, id=cid) for cid, title in hits])
        options.display = bool(hits)
        if hits:
            options.highlighted = 0

    @on(Input.Submitted, "#f-contact")
    def _entered(self) -> None:
        options = self.query_one("#f-contact-hits", OptionList)
        if options.option_count:
            self._choose(options.get_option_at_index(options.highlighted or 0))

    @on(OptionList.OptionSelected, "#f-contact-hits")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option)

    def _choose(self, option: Option) -> None:
        self.contact_id = option.id
        self.query_one("#f-contact-chosen", Static).update(f"✓ {option.prompt}")
        self.query_one("#f-role").focus()

    def action_save(self) -> None:
        org_id = self.org_id or self.choice("org_id")
        if not self.contact_id or not org_id:
            self.show_problems(
                [FieldProblem("contact_id" if not self.contact_id else "org_id", "err.required")]
            )
            return
        from ...store import recruiting as R

        contact_id, values = (
            self.contact_id,
            {
                "role": self.text("role"),
                "since": self.text("since"),
                "until": self.text("until"),
                "current": self.checked("current") and not self.text("until"),
                "is_contact": self.checked("is_contact"),
            },
        )
        self.write(lambda store: R.link_person(store, org_id, contact_id, **values))


def _org_options(store: Any) -> list[tuple[str, str]]:
    rows = recruiting_queries.org_choices(store)
    return [(f"{zh} · {en}" if en and en != zh else zh, oid) for oid, zh, en in rows]


def _find_people(store: Any, query: str) -> list[dict[str, Any]]:
    from ...store import search

    try:
        hits = search.search(store.conn, query, types=["contact"], limit=10)
        return [{"id": h.id, "native_name": h.title, "latin_name": None} for h in hits]
    except Exception:  # the index may be missing or mid-rebuild: a plain name match instead
        return queries.like_contacts(store.conn, query, 10)


# ---------------------------------------------------------------------------- demands


class DemandForm(RecordForm):
    FIELDS = (
        "title",
        "org_id",
        "industry_chain",
        "field",
        "required_skills",
        "preferred_skills",
        "min_degree",
        "min_years",
        "languages",
        "city",
        "work_mode",
        "package_min",
        "package_max",
        "headcount",
        "deadline",
        "status",
        "brought_by",
        "hard",
        "notes",
    )
    LAST_INPUT = "f-notes"

    def __init__(
        self, demand: Demand | None, *, org_id: str | None = None, skill_names: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self.demand = demand
        self.org_id = org_id
        self.skill_names = skill_names or {}

    def title_text(self) -> str:
        return t("form.demand.edit", title=self.demand.title) if self.demand else t("form.demand.new")

    def rows(self) -> list[tuple[str, str, Any]]:
        d = self.demand
        names = self.skill_names
        return [
            ("title", t("dialog.title"), _input("title", d and d.title)),
            ("org_id", t("col.employer"), Select([], prompt=t("form.org_pick"), id="f-org_id")),
            (
                "industry_chain",
                t("field.industry_chain"),
                _select(
                    "industry_chain", _chains(), d.industry_chain.value if d and d.industry_chain else None
                ),
            ),
            ("field", t("field.field"), _input("field", d and d.field)),
            (
                "required_skills",
                t("field.required_skills"),
                _input(
                    "required_skills",
                    [names.get(s, s) for s in d.required_skills] if d else None,
                    t("form.skills_hint"),
                ),
            ),
            (
                "preferred_skills",
                t("field.preferred_skills"),
                _input(
                    "preferred_skills",
                    [names.get(s, s) for s in d.preferred_skills] if d else None,
                    t("form.skills_hint"),
                ),
            ),
            (
                "min_degree",
                t("field.min_degree"),
                _select(
                    "min_degree",
                    [(g.label(), g.value) for g in Degree],
                    d.min_degree.value if d and d.min_degree else None,
                ),
            ),
            ("min_years", t("field.min_years"), _input("min_years", d and d.min_years)),
            (
                "languages",
                t("field.languages"),
                _input("languages", d.languages if d else ["zh"], "zh, en, de"),
            ),
            ("city", t("field.city"), _input("city", d.city if d else "青岛")),
            (
                "work_mode",
                t("field.work_mode"),
                _select(
                    "work_mode",
                    [(m.label(), m.value) for m in WorkMode],
                    d.work_mode.value if d else "onsite",
                    blank=False,
                ),
            ),
            ("package_min", t("field.package_min"), _input("package_min", d and d.package_min)),
            ("package_max", t("field.package_max"), _input("package_max", d and d.package_max)),
            ("headcount", t("field.headcount"), _input("headcount", d.headcount if d else 1)),
            ("deadline", t("field.deadline"), _input("deadline", d and d.deadline, "YYYY-MM-DD")),
            (
                "status",
                t("field.status"),
                _select(
                    "status",
                    [(s.label(), s.value) for s in DemandStatus],
                    d.status.value if d else "open",
                    blank=False,
                ),
            ),
            ("brought_by", t("field.brought_by"), Select([], prompt=t("form.none"), id="f-brought_by")),
            (
                "hard",
                t("field.hard"),
                _input(
                    "hard",
                    [h.label() for h in d.hard] if d else None,
                    ", ".join(h.label() for h in HardConstraint),
                ),
            ),
            ("notes", t("field.notes"), _input("notes", d and d.notes)),
        ]

    def on_mount(self) -> None:
        super().on_mount()
        run_db(self, lambda store: (_org_options(store), _alliance_options(store)), self._orgs)

    def _orgs(self, options: tuple[list[tuple[str, str]], list[tuple[str, str]]]) -> None:
        employers, alliance = options
        org = self.query_one("#f-org_id", Select)
        org.set_options(employers)
        chosen = self.demand.org_id if self.demand else self.org_id
        if chosen and any(v == chosen for _, v in employers):
            org.value = chosen
        brought = self.query_one("#f-brought_by", Select)
        brought.set_options(alliance)
        if self.demand and self.demand.brought_by and any(v == self.demand.brought_by for _, v in alliance):
            brought.value = self.demand.brought_by

    def action_save(self) -> None:
        from ...domain.values import list_of

        hard_labels = {h.label(lang): h.value for h in HardConstraint for lang in ("zh", "en")} | {
            h.value: h.value for h in HardConstraint
        }
        data: dict[str, Any] = {
            "title": self.text("title"),
            "org_id": self.choice("org_id"),
            "industry_chain": self.choice("industry_chain"),
            "field": self.text("field"),
            "required_skills": list_of(self.text("required_skills") or ""),
            "preferred_skills": list_of(self.text("preferred_skills") or ""),
            "min_degree": self.choice("min_degree"),
            "min_years": self.text("min_years"),
            "languages": list_of(self.text("languages") or ""),
            "city": self.text("city"),
            "work_mode": self.choice("work_mode"),
            "package_min": self.text("package_min"),
            "package_max": self.text("package_max"),
            "headcount": self.text("headcount") or 1,
            "deadline": self.text("deadline"),
            "status": self.choice("status"),
            "brought_by": self.choice("brought_by"),
            "hard": [hard_labels.get(h, h) for h in list_of(self.text("hard") or "")],
            "notes": self.text("notes"),
        }
        if not data["org_id"]:
            self.show_problems([FieldProblem("org_id", "err.required")])
            return
        demand = self.demand
        me = (self.liaison.me or {}).get("id")
        from ...store import recruiting as R

        if demand:
            self.write(lambda store: R.update_demand(store, demand.id, data))
        else:
            self.write(lambda store: R.create_demand(store, {**data, "owner_id": me}))


def _alliance_options(store: Any) -> list[tuple[str, str]]:
    return [(name, oid) for oid, name in recruiting_queries.alliance_members(store)]


# ---------------------------------------------------------------------------- talent profiles


class TalentForm(RecordForm):
    FIELDS = (
        "skills",
        "degree",
        "years_experience",
        "fields",
        "relocation",
        "preferred_cities",
        "availability",
        "available_from",
        "expected_package",
        "notes",
    )
    LAST_INPUT = "f-notes"

    def __init__(self, contact_id: str, name: str, profile: TalentProfile | None, skills: list[str]) -> None:
        super().__init__()
        self.contact_id, self.person, self.profile, self.skills = contact_id, name, profile, skills

    def title_text(self) -> str:
        return t("form.talent", name=self.person)

    def rows(self) -> list[tuple[str, str, Any]]:
        p = self.profile
        return [
            ("skills", t("field.skills"), _input("skills", self.skills, t("form.skills_hint"))),
            (
                "degree",
                t("field.degree"),
                _select(
                    "degree",
                    [(g.label(), g.value) for g in Degree],
                    p.degree.value if p and p.degree else None,
                ),
            ),
            (
                "years_experience",
                t("field.years_experience"),
                _input("years_experience", p and p.years_experience),
            ),
            ("fields", t("field.fields"), _input("fields", p.fields if p else None, t("form.list_hint"))),
            (
                "relocation",
                t("field.relocation"),
                _select(
                    "relocation",
                    [(r.label(), r.value) for r in Relocation],
                    p.relocation.value if p and p.relocation else None,
                ),
            ),
            (
                "preferred_cities",
                t("field.preferred_cities"),
                _input("preferred_cities", p.preferred_cities if p else None, t("form.list_hint")),
            ),
            (
                "availability",
                t("field.availability"),
                _select(
                    "availability",
                    [(a.label(), a.value) for a in Availability],
                    p.availability.value if p and p.availability else None,
                ),
            ),
            (
                "available_from",
                t("field.available_from"),
                _input("available_from", p and p.available_from, "YYYY-MM-DD"),
            ),
            (
                "expected_package",
                t("field.expected_package"),
                _input("expected_package", p and p.expected_package),
            ),
            ("notes", t("field.notes"), _input("notes", p and p.notes)),
        ]

    def action_save(self) -> None:
        from ...domain.values import list_of
        from ...store import recruiting as R

        data = {
            "degree": self.choice("degree"),
            "years_experience": self.text("years_experience"),
            "fields": list_of(self.text("fields") or ""),
            "relocation": self.choice("relocation"),
            "preferred_cities": list_of(self.text("preferred_cities") or ""),
            "availability": self.choice("availability"),
            "available_from": self.text("available_from"),
            "expected_package": self.text("expected_package"),
            "notes": self.text("notes"),
        }
        skills = list_of(self.text("skills") or "")
        contact_id = self.contact_id

        def save(store: Any) -> Any:
            with store.transaction():
                R.set_skills(store, contact_id, skills)
                return R.save_profile(store, contact_id, data)

        self.write(save)


# ---------------------------------------------------------------------------- events


class EventForm(RecordForm):
    FIELDS = (
        "name",
        "kind",
        "starts_on",
        "ends_on",
        "venue",
        "city",
        "country",
        "timezone",
        "organizer_ids",
        "notes",
    )
    LAST_INPUT = "f-notes"

    def __init__(self, event: Event | None) -> None:
        super().__init__()
        self.event = event

    def title_text(self) -> str:
        return t("form.event.edit", name=self.event.name) if self.event else t("form.event.new")

    def rows(self) -> list[tuple[str, str, Any]]:
        e = self.event
        return [
            ("name", t("field.name"), _input("name", e and e.name)),
            (
                "kind",
                t("field.kind"),
                _select(
                    "kind",
                    [(k.label(), k.value) for k in EventKind],
                    e.kind.value if e else "summit",
                    blank=False,
                ),
            ),
            ("starts_on", t("field.starts_on"), _input("starts_on", e and e.starts_on, "YYYY-MM-DD")),
            ("ends_on", t("field.ends_on"), _input("ends_on", e and e.ends_on, "YYYY-MM-DD")),
            ("venue", t("field.venue"), _input("venue", e and e.venue)),
            ("city", t("field.city"), _input("city", e and e.city)),
            ("country", t("field.country"), _input("country", e and e.country)),
            (
                "timezone",
                t("field.timezone"),
                _input("timezone", e.timezone if e else "Asia/Shanghai", "Europe/Berlin"),
            ),
            (
                "organizer_ids",
                t("field.organizer_ids"),
                Select([], prompt=t("form.none"), id="f-organizer_ids"),
            ),
            ("notes", t("field.notes"), _input("notes", e and e.notes)),
        ]

    def on_mount(self) -> None:
        super().on_mount()
        run_db(self, _alliance_options, self._orgs)

    def _orgs(self, options: list[tuple[str, str]]) -> None:
        select = self.query_one("#f-organizer_ids", Select)
        select.set_options(options)
        if (
            self.event
            and self.event.organizer_ids
            and any(v == self.event.organizer_ids[0] for _, v in options)
        ):
            select.value = self.event.organizer_ids[0]

    def action_save(self) -> None:
        organizer = self.choice("organizer_ids")
        data = {
            "name": self.text("name"),
            "kind": self.choice("kind"),
            "starts_on": self.text("starts_on"),
            "ends_on": self.text("ends_on"),
            "venue": self.text("venue"),
            "city": self.text("city"),
            "country": self.text("country"),
            "timezone": self.text("timezone"),
            "notes": self.text("notes"),
        }
        event = self.event
        if organizer:
            data["organizer_ids"] = list(
                dict.fromkeys([organizer, *(event.organizer_ids[1:] if event else [])])
            )
        if event:
            self.write(lambda store: store.events.update(event.id, data))
        else:
            self.write(lambda store: store.events.create(data))


__all__ = ["AffiliationForm", "DemandForm", "EventForm", "OrgForm", "TalentForm"]


# ---------------------------------------------------------------------------- another way to reach someone


class PointAddDialog(RecordForm):
    """A second phone, email or WeChat id (or a web page, an address) for an existing contact."""

    FIELDS = ("kind", "raw", "label")
    LAST_INPUT = "f-label"

    def __init__(self, contact_id: str, name: str) -> None:
        super().__init__()
        self.contact_id, self.person = contact_id, name

    def title_text(self) -> str:
        return t("form.point.title", name=self.person)

    def rows(self) -> list[tuple[str, str, Any]]:
        from ...domain.enums import ContactPointKind

        kinds = [(k.label(), k.value) for k in ContactPointKind]
        return [
            ("kind", t("field.kind"), _select("kind", kinds, "phone", blank=False)),
            ("raw", t("field.raw"), _input("raw")),
            ("label", t("field.label"), _input("label")),
        ]

    def action_save(self) -> None:
        data = {
            "contact_id": self.contact_id,
            "kind": self.choice("kind"),
            "raw": self.text("raw") or "",
            "label": self.text("label"),
        }
        self.write(lambda store: store.contact_points.create(data))


register(
    {
        "form.point.title": ("Another way to reach {name}", "为 {name} 添加联系方式"),
        "key.contact.point_add": ("Add phone/email", "添加联系方式"),
    }
)
