"""Operations of the recruiting half, each one transaction through the store's write path (so each syncs):
organizations and the alliance, affiliations from either side, the skills vocabulary, talent profiles,
demands, marks on proposed talents, the introductions pipeline, and events with registration, check-in,
no-shows and the follow-ups after an event."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..domain.consent import NEEDED_FOR_SHARING
from ..domain.enums import ActivityKind, AttendanceStatus, FollowUpKind, PipelineStage
from ..domain.errors import LiaisonError
from ..domain.i18n import list_sep, register, t
from ..domain.models import Affiliation, Attendance, Event, Organization
from ..domain.recruiting import INTRO_SHARED, IntroStage, MarkKind, intro_next
from ..domain.recruiting_models import (
    Demand,
    Introduction,
    MatchMark,
    Skill,
    TalentProfile,
    derived_id,
    skill_slug,
)
from ..domain.search_keys import base_text, has_cjk
from ..domain.times import utcnow
from ..domain.validation import FieldProblem, ValidationFailed
from ..domain.values import list_of
from .consent import has_consent
from .repos import Repository
from .rows import row_to_fields
from .services import log_activity
from .store import Store

register(
    {
        "org.err.same": ("An organization cannot be merged with itself.", "不能把机构与其自身合并。"),
        "org.err.merged": (
            "Organization {id} was already merged into {into}.",
            "机构 {id} 已合并至 {into}。",
        ),
        "aff.err.exists": (
            "This person is already listed at this organization (current).",
            "此人已在该机构任职（现任）。",
        ),
        "err.skill.unknown": (
            "'{value}' is not in the skills vocabulary (add it with `liaison skill add`)",
            "“{value}”不在技能词表中（可用 `liaison skill add` 添加）",
        ),
        "err.skill.near": (
            "'{value}' is not in the skills vocabulary (did you mean: {names}?)",
            "“{value}”不在技能词表中（是否指：{names}？）",
        ),
        "field.skills": ("Skills", "技能"),
        "intro.err.exists": (
            "This talent is already introduced for this demand ({stage}).",
            "该人才已就此需求推荐（{stage}）。",
        ),
        "intro.err.move": (
            "An introduction cannot go from '{old}' to '{new}'; allowed next: {allowed}",
            "推荐不能从“{old}”变为“{new}”；可选的下一步：{allowed}",
        ),
        "intro.err.consent": (
            "{name} has not consented to being shared with this employer: record their consent first.",
            "{name} 尚未同意向该用人单位提供个人信息：请先记录其同意。",
        ),
        "intro.activity.proposed": (
            "Proposed for {demand} ({org})",
            "推荐至 {org}：{demand}",
        ),
        "intro.activity.moved": (
            "Introduction to {org} ({demand}): {old} → {new}",
            "推荐至 {org}（{demand}）：{old} → {new}",
        ),
        "intro.followup.title": ("{stage}: {demand} ({org})", "{stage}：{demand}（{org}）"),
        "event.err.not_registered": ("{name} is not registered for this event.", "{name} 未报名该活动。"),
        "event.followup.title": ("Follow up after {event}", "{event} 会后跟进"),
    }
)


def _fields(store: Store, table: str, row_id: str) -> dict[str, Any]:
    row = store.row(table, row_id)
    if row is None:
        raise LiaisonError("store.err.not_found", table=table, id=row_id)
    if row["deleted"]:
        raise LiaisonError("store.err.deleted", table=table)
    return row_to_fields(store.entity(table), row)


def _upsert(store: Store, table: str, row_id: str, data: dict[str, Any]) -> Any:
    """Create the record with a derived id, or bring back and update the one that has it."""
    row = store.row(table, row_id)
    repo = store.repo(table)
    if row is None:
        return repo.create({**data, "id": row_id})
    if row["deleted"]:
        repo.undelete(row_id)
    return repo.update(row_id, {k: v for k, v in data.items() if k != "id"})


# ---------------------------------------------------------------------------- organizations


def _alliance(data: dict[str, Any], current: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A role makes an organization a member; leaving the alliance clears role and date."""
    merged = {**(current or {}), **data}
    if data.get("alliance_role"):
        data = {**data, "alliance_member": True}
    elif "alliance_member" in data and not data["alliance_member"]:
        data = {**data, "alliance_role": None, "alliance_since": None}
    elif data.get("alliance_member") and not merged.get("alliance_role"):
        data = {**data, "alliance_role": "member"}
    return data


def create_org(store: Store, data: Mapping[str, Any]) -> Organization:
    return store.organizations.create(_alliance(dict(data)))


def update_org(store: Store, org_id: str, changes: Mapping[str, Any]) -> Organization:
    with store.transaction():
        current = _fields(store, "organizations", org_id)
        return store.organizations.update(org_id, _alliance(dict(changes), current))


@dataclass
class OrgMergeResult:
    keep: str
    other: str
    moved: dict[str, int]


def merge_orgs(store: Store, keep_id: str, other_id: str) -> OrgMergeResult:
    """Merge ``other`` into ``keep``: empty fields of ``keep`` take ``other``'s values, lists are united,
    everything pointing to ``other`` (people, affiliations, demands, events) moves, and ``other`` is
    tombstoned with ``merged_into``."""
    if keep_id == other_id:
        raise LiaisonError("org.err.same")
    moved: dict[str, int] = {}

    def count(table: str) -> None:
        moved[table] = moved.get(table, 0) + 1

    with store.transaction() as conn:
        keep = _fields(store, "organizations", keep_id)
        other_row = store.row("organizations", other_id)
        if other_row is not None and other_row["merged_into"]:
            raise LiaisonError("org.err.merged", id=other_id, into=other_row["merged_into"])
        other = _fields(store, "organizations", other_id)
        changes: dict[str, Any] = {}
        for name, value in other.items():
            if name in ("id", "merged_into", "notes"):
                continue
            if isinstance(value, list):
                united = list(dict.fromkeys([*keep[name], *value]))
                if united != keep[name]:
                    changes[name] = united
            elif keep[name] in (None, "", False) and value not in (None, "", False):
                changes[name] = value
        if other["notes"] and other["notes"] != keep["notes"]:
            changes["notes"] = "\n".join(n for n in (keep["notes"], other["notes"]) if n)
        if changes:
            update_org(store, keep_id, changes)
        for (cid,) in conn.execute(
            "SELECT id FROM contacts WHERE org_id = ? AND deleted = 0", (other_id,)
        ).fetchall():
            store.write("contacts", cid, "update", {"org_id": keep_id})
            count("contacts")
        held = {
            (r[0], r[1])
            for r in conn.execute(
                "SELECT contact_id, current FROM affiliations WHERE org_id = ? AND deleted = 0", (keep_id,)
            )
        }
        for aid, cid, current in conn.execute(
            "SELECT id, contact_id, current FROM affiliations WHERE org_id = ? AND deleted = 0", (other_id,)
        ).fetchall():
            if (cid, current) in held:
                store.write("affiliations", aid, "delete", {})
            else:
                store.write("affiliations", aid, "update", {"org_id": keep_id})
                held.add((cid, current))
                count("affiliations")
        for column in ("org_id", "brought_by"):
            for (did,) in conn.execute(
                f"SELECT id FROM demands WHERE {column} = ? AND deleted = 0", (other_id,)
            ).fetchall():
                store.write("demands", did, "update", {column: keep_id})
                count("demands")
        for eid, organizers in conn.execute(
            "SELECT id, organizer_ids FROM events WHERE deleted = 0 AND organizer_ids LIKE ?",
            (f'%"{other_id}"%',),
        ).fetchall():
            ids = [keep_id if i == other_id else i for i in json.loads(organizers)]
            store.write("events", eid, "update", {"organizer_ids": list(dict.fromkeys(ids))})
            count("events")
        for (rid,) in conn.execute(
            "SELECT id FROM organizations WHERE merged_into = ?", (other_id,)
        ).fetchall():
            store.write("organizations", rid, "update", {"merged_into": keep_id})
        store.write("organizations", other_id, "update", {"merged_into": keep_id})
        store.write("organizations", other_id, "delete", {})
    return OrgMergeResult(keep_id, other_id, moved)


def link_person(
    store: Store,
    org_id: str,
    contact_id: str,
    *,
    role: str | None = None,
    current: bool = True,
    since: Any = None,
    until: Any = None,
    is_contact: bool = False,
) -> Affiliation:
    """An affiliation of a person with an organization (editable later from either side). A current one
    becomes the person's organization when they have none."""
    with store.transaction() as conn:
        if (
            current
            and conn.execute(
                "SELECT 1 FROM affiliations WHERE org_id = ? AND contact_id = ? AND current = 1 AND deleted = 0",
                (org_id, contact_id),
            ).fetchone()
        ):
            raise LiaisonError("aff.err.exists")
        created: Affiliation = store.affiliations.create(
            {
                "org_id": org_id,
                "contact_id": contact_id,
                "role": role,
                "current": current,
                "since": since,
                "until": until,
                "is_contact": is_contact,
            }
        )
        contact = store.contacts.get(contact_id)
        if current and not contact.org_id:
            store.contacts.update(contact_id, {"org_id": org_id})
    return created


def end_affiliations(store: Store, org_id: str, contact_id: str, until: Any = None) -> int:
    """The person is no longer at the organization: each current affiliation between the two becomes a
    past one (ended ``until``). How many there were."""
    with store.transaction() as conn:
        ids = [
            aid
            for (aid,) in conn.execute(
                "SELECT id FROM affiliations WHERE org_id = ? AND contact_id = ? AND current = 1 AND deleted = 0",
                (org_id, contact_id),
            )
        ]
        for aid in ids:
            update_affiliation(store, aid, {"current": False, "until": until})
    return len(ids)


def update_affiliation(store: Store, affiliation_id: str, changes: Mapping[str, Any]) -> Affiliation:
    """Change an affiliation; one that ends stops being the person's organization."""
    with store.transaction() as conn:
        updated: Affiliation = store.affiliations.update(affiliation_id, changes)
        contact = store.contacts.get(updated.contact_id)
        if not updated.current and contact.org_id == updated.org_id:
            other = conn.execute(
                "SELECT org_id FROM affiliations WHERE contact_id = ? AND current = 1 AND deleted = 0 "
                "AND id != ? ORDER BY since DESC LIMIT 1",
                (updated.contact_id, affiliation_id),
            ).fetchone()
            store.contacts.update(updated.contact_id, {"org_id": other[0] if other else None})
        elif updated.current and not contact.org_id:
            store.contacts.update(updated.contact_id, {"org_id": updated.org_id})
    return updated


def unlink_person(store: Store, affiliation_id: str) -> None:
    with store.transaction():
        update_affiliation(store, affiliation_id, {"current": False})
        store.affiliations.delete(affiliation_id)


# ---------------------------------------------------------------------------- skills


def skill_key(text: str) -> str:
    """Free text as the vocabulary compares it: ``Machine-Learning``, ``machine learning`` and ``ＭＬ``-like
    forms meet; Chinese in simplified characters."""
    base = base_text(text)
    if has_cjk(base):
        return "".join(c for c in base if c.isalnum())
    return " ".join("".join(c if c.isalnum() or c in "+#" else " " for c in base).split())


@dataclass
class Vocabulary:
    """The skills vocabulary with its lookup keys (names in both languages and aliases)."""

    skills: dict[str, Skill]
    keys: dict[str, str]  # key -> skill id

    @classmethod
    def load(cls, store: Store) -> Vocabulary:
        skills: dict[str, Skill] = {}
        keys: dict[str, str] = {}
        for skill in store.repo("skills").iterate(order_by="id", desc=False, limit=500):
            skills[skill.id] = skill
            for name in (skill.name_en, skill.name_zh, *skill.aliases):
                if name:
                    keys.setdefault(skill_key(name), skill.id)
        return cls(skills, keys)

    def find(self, text: str) -> str | None:
        text = text.strip()
        if text in self.skills:
            return text
        return self.keys.get(skill_key(text))

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Skill names close to a mistyped one."""
        from rapidfuzz import fuzz, process

        found = process.extract(skill_key(text), list(self.keys), scorer=fuzz.WRatio, limit=limit * 2)
        out: list[str] = []
        for key, similarity, _ in found:
            name = self.skills[self.keys[key]].name_en
            if similarity >= 70 and name not in out:
                out.append(name)
        return out[:limit]

    def name(self, skill_id: str, lang: str | None = None) -> str:
        from ..domain.i18n import get_lang

        skill = self.skills.get(skill_id)
        if skill is None:
            return skill_id
        return (
            skill.name_zh if (lang or get_lang()) == "zh" and skill.name_zh else skill.name_en
        ) or skill_id

    def resolve(self, texts: Iterable[str], field: str) -> list[str]:
        """Skill ids for free text, or one error per unknown text (naming close matches)."""
        ids: list[str] = []
        problems: list[FieldProblem] = []
        for text in texts:
            if not text or not text.strip():
                continue
            found = self.find(text)
            if found is None:
                near = self.suggest(text)
                key, params = (
                    ("err.skill.near", {"names": ", ".join(near)}) if near else ("err.skill.unknown", {})
                )
                problems.append(FieldProblem(field, key, {"value": text.strip(), **params}))
            elif found not in ids:
                ids.append(found)
        if problems:
            raise ValidationFailed(problems)
        return ids


def add_skill(
    store: Store,
    name_en: str,
    *,
    name_zh: str | None = None,
    aliases: Sequence[str] = (),
    chain: str | None = None,
) -> Skill:
    """Extend the vocabulary (a skill named the same in English is the same record on every laptop)."""
    data = {"name_en": name_en, "name_zh": name_zh, "aliases": list(aliases), "chain": chain}
    with store.transaction():
        return _upsert(store, "skills", skill_slug(name_en), data)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------- talent profiles


def profile_id(contact_id: str) -> str:
    return derived_id("talent_profile", contact_id)


def talent_skill_id(contact_id: str, skill_id: str) -> str:
    return derived_id("talent_skill", contact_id, skill_id)


def get_profile(store: Store, contact_id: str) -> TalentProfile | None:
    row = store.conn.execute(
        "SELECT id FROM talent_profiles WHERE contact_id = ? AND deleted = 0 ORDER BY id LIMIT 1",
        (contact_id,),
    ).fetchone()
    return store.repo("talent_profiles").find(row[0]) if row else None


def save_profile(store: Store, contact_id: str, changes: Mapping[str, Any]) -> TalentProfile:
    """Create or change a talent's profile."""
    with store.transaction():
        store.contacts.get(contact_id)
        existing = get_profile(store, contact_id)
        profiles: Repository[TalentProfile] = store.repo("talent_profiles")
        if existing is not None:
            return profiles.update(existing.id, dict(changes))
        saved: TalentProfile = _upsert(
            store, "talent_profiles", profile_id(contact_id), {**changes, "contact_id": contact_id}
        )
        return saved


def talent_skill_rows(store: Store, contact_id: str) -> list[dict[str, Any]]:
    cursor = store.conn.execute(
        "SELECT ts.id, ts.skill_id, ts.raw, s.name_en, s.name_zh FROM talent_skills ts "
        "LEFT JOIN skills s ON s.id = ts.skill_id WHERE ts.contact_id = ? AND ts.deleted = 0 ORDER BY s.name_en",
        (contact_id,),
    )
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def set_skills(
    store: Store, contact_id: str, texts: Sequence[str], *, vocabulary: Vocabulary | None = None
) -> tuple[list[str], list[str]]:
    """Make a talent's skills exactly those named (free text mapped to the vocabulary): (added, removed)."""
    with store.transaction():
        store.contacts.get(contact_id)
        vocab = vocabulary or Vocabulary.load(store)
        raw = {vocab.find(text) or "": text.strip() for text in texts if text.strip()}
        wanted = vocab.resolve(texts, "skills")
        held = {r["skill_id"]: r["id"] for r in talent_skill_rows(store, contact_id)}
        added = [s for s in wanted if s not in held]
        removed = [s for s in held if s not in wanted]
        for skill_id in added:
            _upsert(
                store,
                "talent_skills",
                talent_skill_id(contact_id, skill_id),
                {"contact_id": contact_id, "skill_id": skill_id, "raw": raw.get(skill_id)},
            )
        for skill_id in removed:
            store.write("talent_skills", held[skill_id], "delete", {})
    return added, removed


def add_skills(store: Store, contact_id: str, texts: Sequence[str]) -> list[str]:
    """Add skills to a talent's (keeping the others): the ids added."""
    with store.transaction():
        held = [r["skill_id"] for r in talent_skill_rows(store, contact_id)]
        added, _ = set_skills(store, contact_id, [*held, *texts])
    return added


def remove_skills(store: Store, contact_id: str, texts: Sequence[str]) -> list[str]:
    with store.transaction():
        vocab = Vocabulary.load(store)
        drop = set(vocab.resolve(texts, "skills"))
        held = [r["skill_id"] for r in talent_skill_rows(store, contact_id)]
        _, removed = set_skills(store, contact_id, [s for s in held if s not in drop], vocabulary=vocab)
    return removed


# ---------------------------------------------------------------------------- demands


def _demand_skills(store: Store, data: dict[str, Any]) -> dict[str, Any]:
    vocab: Vocabulary | None = None
    for name in ("required_skills", "preferred_skills"):
        if data.get(name):
            vocab = vocab or Vocabulary.load(store)
            data[name] = vocab.resolve(list_of(data[name]), name)
    return data


def create_demand(store: Store, data: Mapping[str, Any]) -> Demand:
    """A new demand; skills may be given as free text (mapped to the vocabulary)."""
    with store.transaction():
        return store.repo("demands").create(_demand_skills(store, dict(data)))  # type: ignore[no-any-return]


def update_demand(store: Store, demand_id: str, changes: Mapping[str, Any]) -> Demand:
    with store.transaction():
        return store.repo("demands").update(demand_id, _demand_skills(store, dict(changes)))  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------- marks on proposed talents


def mark_id(demand_id: str, contact_id: str) -> str:
    return derived_id("match_mark", demand_id, contact_id)


def pin(store: Store, demand_id: str, contact_id: str, *, staff_id: str | None = None) -> MatchMark:
    with store.transaction():
        return _upsert(  # type: ignore[no-any-return]
            store,
            "match_marks",
            mark_id(demand_id, contact_id),
            {
                "demand_id": demand_id,
                "contact_id": contact_id,
                "mark": MarkKind.PINNED,
                "reason": None,
                "staff_id": staff_id,
            },
        )


def dismiss(
    store: Store,
    demand_id: str,
    contact_id: str,
    reason: str,
    *,
    note: str | None = None,
    staff_id: str | None = None,
) -> MatchMark:
    """Set a proposed talent aside for this demand; the reason teaches the ranking (see domain/matching)."""
    with store.transaction():
        return _upsert(  # type: ignore[no-any-return]
            store,
            "match_marks",
            mark_id(demand_id, contact_id),
            {
                "demand_id": demand_id,
                "contact_id": contact_id,
                "mark": MarkKind.DISMISSED,
                "reason": reason,
                "note": note,
                "staff_id": staff_id,
            },
        )


def clear_mark(store: Store, demand_id: str, contact_id: str) -> bool:
    """Unpin or undismiss: whether there was a mark."""
    row = store.row("match_marks", mark_id(demand_id, contact_id))
    if row is None or row["deleted"]:
        row_id = store.conn.execute(
            "SELECT id FROM match_marks WHERE demand_id = ? AND contact_id = ? AND deleted = 0",
            (demand_id, contact_id),
        ).fetchone()
        if row_id is None:
            return False
        store.repo("match_marks").delete(row_id[0])
        return True
    store.repo("match_marks").delete(row["id"])
    return True


# ---------------------------------------------------------------------------- introductions


def _labels(store: Store, demand_id: str) -> tuple[str, str, str]:
    """(demand title, employer name, employer id)."""
    row = store.conn.execute(
        "SELECT d.title, o.name_zh, o.name_en, d.org_id FROM demands d LEFT JOIN organizations o ON o.id = d.org_id "
        "WHERE d.id = ?",
        (demand_id,),
    ).fetchone()
    if row is None:
        raise LiaisonError("store.err.not_found", table="demands", id=demand_id)
    return row[0], row[1] or row[2] or "", row[3]


def introduce(
    store: Store,
    demand_id: str,
    contact_id: str,
    *,
    owner_id: str | None = None,
    score: float | None = None,
    lang: str | None = None,
) -> Introduction:
    """A match becomes an introduction (proposed), logged on the talent's timeline."""
    with store.transaction() as conn:
        existing = conn.execute(
            "SELECT stage FROM introductions WHERE demand_id = ? AND contact_id = ? AND deleted = 0 "
            "AND stage NOT IN ('declined', 'withdrawn')",
            (demand_id, contact_id),
        ).fetchone()
        if existing:
            raise LiaisonError("intro.err.exists", stage=IntroStage(existing[0]).label(lang))
        demand, org, _ = _labels(store, demand_id)
        created: Introduction = store.repo("introductions").create(
            {
                "demand_id": demand_id,
                "contact_id": contact_id,
                "owner_id": owner_id,
                "score": round(score, 1) if score is not None else None,
                "stage_at": utcnow(),
            }
        )
        log_activity(
            store,
            ActivityKind.STATUS_CHANGE,
            t("intro.activity.proposed", lang, demand=demand, org=org),
            contact_id=contact_id,
            staff_id=owner_id,
        )
    return created


# When an introduction reaches these stages, the talent's pipeline stage follows (never backwards).
_CONTACT_STAGE = {"signed": PipelineStage.SIGNED, "arrived": PipelineStage.LANDED}
_PIPELINE = [s.value for s in PipelineStage]


def move_introduction(
    store: Store,
    intro_id: str,
    stage: str,
    *,
    reason: str | None = None,
    staff_id: str | None = None,
    followup_due: datetime | None = None,
    lang: str | None = None,
) -> Introduction:
    """Move an introduction along its stages (refused with the allowed ones when not possible, and when
    the employer would see the talent without their consent to share), logged on the talent's timeline;
    ``followup_due`` adds a follow-up for the new stage."""
    new = IntroStage(stage)
    with store.transaction():
        current: Introduction = store.repo("introductions").get(intro_id)
        old = current.stage
        if new == old:
            return current
        allowed = intro_next(old.value)
        if new.value not in allowed:
            sep = list_sep(lang)
            raise LiaisonError(
                "intro.err.move",
                old=old.label(lang),
                new=new.label(lang),
                allowed=sep.join(IntroStage(s).label(lang) for s in allowed) or "—",
            )
        demand, org, org_id = _labels(store, current.demand_id)
        if new.value in INTRO_SHARED and not has_consent(
            store, current.contact_id, NEEDED_FOR_SHARING.value, org_id
        ):
            contact = store.contacts.get(current.contact_id)
            raise LiaisonError("intro.err.consent", name=contact.display_name)
        moved: Introduction = store.repo("introductions").update(
            intro_id, {"stage": new, "stage_reason": reason, "stage_at": utcnow()}
        )
        summary = t(
            "intro.activity.moved", lang, org=org, demand=demand, old=old.label(lang), new=new.label(lang)
        )
        log_activity(
            store,
            ActivityKind.STATUS_CHANGE,
            summary + (f" · {reason}" if reason else ""),
            contact_id=current.contact_id,
            staff_id=staff_id,
        )
        target = _CONTACT_STAGE.get(new.value)
        if target is not None:
            contact = store.contacts.get(current.contact_id)
            if _PIPELINE.index(contact.stage.value) < _PIPELINE.index(target.value):
                from .services import change_stage

                change_stage(store, current.contact_id, target, staff_id=staff_id, lang=lang)
        if followup_due is not None:
            store.followups.create(
                {
                    "kind": FollowUpKind.CALL_BACK,
                    "title": t("intro.followup.title", lang, stage=new.label(lang), demand=demand, org=org)[
                        :200
                    ],
                    "due_at": followup_due,
                    "contact_id": current.contact_id,
                    "assignee_id": staff_id or current.owner_id,
                }
            )
    return moved


# ---------------------------------------------------------------------------- events and attendance


def attendance_id(event_id: str, contact_id: str) -> str:
    return derived_id("attendance", event_id, contact_id)


def _attendance_row(store: Store, event_id: str, contact_id: str) -> dict[str, Any] | None:
    row = store.row("attendances", attendance_id(event_id, contact_id))
    if row is not None:
        return row
    found = store.conn.execute(
        "SELECT id FROM attendances WHERE event_id = ? AND contact_id = ? ORDER BY deleted, id LIMIT 1",
        (event_id, contact_id),
    ).fetchone()
    return store.row("attendances", found[0]) if found else None


def create_event(store: Store, data: Mapping[str, Any]) -> Event:
    return store.events.create(dict(data))


@dataclass
class Registration:
    added: list[str]  # attendance ids
    already: list[str]


def register_people(
    store: Store, event_id: str, contact_ids: Iterable[str], *, status: str = AttendanceStatus.REGISTERED
) -> Registration:
    """Register people for an event (an invitee who signs up becomes registered; someone registered or
    attending is left as they are). Attendances take ids derived from event and person, so two laptops
    registering the same walk-in meet as one record."""
    out = Registration([], [])
    with store.transaction():
        store.events.get(event_id)
        for contact_id in dict.fromkeys(contact_ids):
            row = _attendance_row(store, event_id, contact_id)
            if row is None:
                created = store.attendances.create(
                    {
                        "id": attendance_id(event_id, contact_id),
                        "event_id": event_id,
                        "contact_id": contact_id,
                        "status": status,
                    }
                )
                out.added.append(created.id)
            elif row["deleted"]:
                store.attendances.undelete(row["id"])
                store.attendances.update(row["id"], {"status": status})
                out.added.append(row["id"])
            elif row["status"] == "invited" and status != "invited":
                store.attendances.update(row["id"], {"status": status})
                out.added.append(row["id"])
            else:
                out.already.append(row["id"])
    return out


def check_in(store: Store, attendance_id_: str, *, when: datetime | None = None) -> Attendance:
    """Mark someone present (again is harmless: the first check-in time stays)."""
    with store.transaction():
        current: Attendance = store.attendances.get(attendance_id_)
        if current.status == AttendanceStatus.ATTENDED and current.checked_in_at:
            return current
        return store.attendances.update(
            attendance_id_, {"status": AttendanceStatus.ATTENDED, "checked_in_at": when or utcnow()}
        )


def walk_in(store: Store, event_id: str, contact_id: str, *, when: datetime | None = None) -> Attendance:
    """Someone at the door who had not registered: registered and checked in at once."""
    with store.transaction():
        registration = register_people(store, event_id, [contact_id])
        att = (registration.added or registration.already)[0]
        return check_in(store, att, when=when)


def undo_check_in(store: Store, attendance_id_: str) -> Attendance:
    return store.attendances.update(
        attendance_id_, {"status": AttendanceStatus.REGISTERED, "checked_in_at": None}
    )


def mark_no_shows(store: Store, event_id: str) -> int:
    """After the event: everyone registered who did not check in is a no-show."""
    with store.transaction() as conn:
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM attendances WHERE event_id = ? AND deleted = 0 AND status = 'registered'",
                (event_id,),
            )
        ]
        for att in ids:
            store.write("attendances", att, "update", {"status": AttendanceStatus.NO_SHOW.value})
    return len(ids)


def followup_list(store: Store, event_id: str, limit: int = 2000) -> list[dict[str, Any]]:
    """Everyone who attended and has no follow-up made since the event began."""
    event: Event = store.events.get(event_id)
    cursor = store.conn.execute(
        "SELECT a.id AS attendance_id, c.id, c.native_name, c.latin_name, c.title, c.owner_id, a.checked_in_at, "
        "a.notes, o.name_zh, o.name_en FROM attendances a JOIN contacts c ON c.id = a.contact_id "
        "LEFT JOIN organizations o ON o.id = c.org_id "
        "WHERE a.event_id = ? AND a.deleted = 0 AND a.status = 'attended' AND c.deleted = 0 "
        "AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.contact_id = a.contact_id AND f.deleted = 0 "
        "AND f.created_at >= ?) ORDER BY coalesce(c.native_name, c.latin_name), c.id LIMIT ?",
        (event_id, event.starts_on.isoformat(), limit),
    )
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def create_event_followups(
    store: Store,
    event_id: str,
    contact_ids: Sequence[str],
    *,
    due: datetime | None = None,
    assignee_id: str | None = None,
    lang: str | None = None,
) -> int:
    """A follow-up for each of these people after the event (default: in three days), one transaction."""
    event: Event = store.events.get(event_id)
    when = due or (utcnow() + timedelta(days=3))
    title = t("event.followup.title", lang, event=event.name)[:200]
    with store.transaction():
        for contact_id in contact_ids:
            owner = store.conn.execute("SELECT owner_id FROM contacts WHERE id = ?", (contact_id,)).fetchone()
            store.followups.create(
                {
                    "kind": FollowUpKind.CALL_BACK,
                    "title": title,
                    "due_at": when,
                    "contact_id": contact_id,
                    "assignee_id": assignee_id or (owner[0] if owner else None),
                }
            )
    return len(contact_ids)


def seed_vocabulary(store: Store) -> int:
    """Add the starter skills (``domain/skills_vocabulary.py``) that the store lacks; skills the station
    changed keep its changes. Returns the size of the vocabulary."""
    from ..domain.skills_vocabulary import STARTER

    with store.transaction() as conn:
        for name_en, name_zh, chain, aliases in STARTER:
            if store.row("skills", skill_slug(name_en)) is None:
                add_skill(store, name_en, name_zh=name_zh, aliases=aliases, chain=chain)
        return int(conn.execute("SELECT count(*) FROM skills WHERE deleted = 0").fetchone()[0])
