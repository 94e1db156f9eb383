"""Merging two records of one person: both side by side, the chosen values onto the survivor, every linked
record moved, the other tombstoned with ``merged_into``. One transaction through the write path, so a
merge is an ordinary set of changes that syncs and leaves audit history."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..domain.errors import LiaisonError
from ..domain.i18n import register, t
from ..domain.models import Contact
from .rows import row_to_fields
from .services import log_activity
from .store import Store

register(
    {
        "people.err.same": ("A contact cannot be merged with itself.", "不能把联系人与其自身合并。"),
        "people.err.merged": (
            "Contact {id} was already merged into {into}.",
            "联系人 {id} 已合并至 {into}。",
        ),
        "people.err.choice": (
            "'{value}' is not a choice for {field}: use keep or other.",
            "“{value}”不是字段 {field} 的有效选择：请用 keep 或 other。",
        ),
        "people.merged_activity": (
            "Merged duplicate record {id} into this contact",
            "已将重复记录 {id} 合并到此联系人",
        ),
    }
)


# Fields staff choose between; bookkeeping-like fields follow rules instead.
MERGE_FIELDS = [f for f in Contact.model_fields if f not in ("id", "merged_into", "last_activity_at")]
_LIST_FIELDS = ("aliases", "nationalities", "languages", "industry_chains", "tags")


@dataclass
class MergeField:
    name: str
    keep: Any
    other: Any
    chosen: str  # "keep" | "other" | "both" (lists are united, notes joined, unless chosen otherwise)
    value: Any

    @property
    def differs(self) -> bool:
        return bool(self.keep != self.other)


@dataclass
class MergePreview:
    keep: dict[str, Any]
    other: dict[str, Any]
    fields: list[MergeField]
    moves: dict[str, int]  # table -> linked records of ``other`` that will move to ``keep``


def _live_contact(store: Store, contact_id: str) -> dict[str, Any]:
    row = store.row("contacts", contact_id)
    if row is None:
        raise LiaisonError("store.err.not_found", table="contacts", id=contact_id)
    if row["merged_into"]:
        raise LiaisonError("people.err.merged", id=contact_id, into=row["merged_into"])
    if row["deleted"]:
        raise LiaisonError("store.err.deleted", table="contacts")
    return row


def _empty(value: Any) -> bool:
    return value in (None, "", [])


def _choose(name: str, keep: Any, other: Any, choice: str | None) -> tuple[str, Any]:
    if choice not in (None, "keep", "other"):
        raise LiaisonError("people.err.choice", value=choice, field=name)
    if choice == "keep" or (choice is None and _empty(other)):
        return "keep", keep
    if choice == "other" or _empty(keep):
        return "other", other
    if name in _LIST_FIELDS:
        return "both", list(dict.fromkeys([*keep, *other]))
    if name == "notes" and keep != other:
        return "both", f"{keep}\n{other}"
    return "keep", keep


def preview_merge(
    store: Store, keep_id: str, other_id: str, choose: Mapping[str, str] | None = None
) -> MergePreview:
    """Both records side by side with the value each field would take (``choose``: field -> keep|other)."""
    if keep_id == other_id:
        raise LiaisonError("people.err.same")
    entity = store.entity("contacts")
    keep = row_to_fields(entity, _live_contact(store, keep_id))
    other = row_to_fields(entity, _live_contact(store, other_id))
    fields = []
    for name in MERGE_FIELDS:
        chosen, value = _choose(name, keep[name], other[name], (choose or {}).get(name))
        fields.append(MergeField(name, keep[name], other[name], chosen, value))
    moves = {
        table: int(
            store.conn.execute(
                f"SELECT count(*) FROM {table} WHERE {col} = ? AND deleted = 0", (other_id,)
            ).fetchone()[0]
        )
        for table, col in _LINKS
    }
    moves["cases"] = moves.pop("cases") + int(
        store.conn.execute(
            "SELECT count(*) FROM cases WHERE deleted = 0 AND beneficiary_id != ? AND related_ids LIKE ?",
            (other_id, f'%"{other_id}"%'),
        ).fetchone()[0]
    )
    return MergePreview(keep, other, fields, moves)


# (table, column naming the contact); cases also list contacts in related_ids
_LINKS = (
    ("contact_points", "contact_id"),
    ("affiliations", "contact_id"),
    ("attendances", "contact_id"),
    ("cases", "beneficiary_id"),
    ("followups", "contact_id"),
    ("activities", "contact_id"),
    ("introductions", "contact_id"),
)


@dataclass
class MergeResult:
    keep: str
    other: str
    moved: dict[str, int]
    dropped: dict[str, int]  # equal contact points, affiliations to the same org, attendances of one event


def merge_contacts(
    store: Store,
    keep_id: str,
    other_id: str,
    choose: Mapping[str, str] | None = None,
    *,
    lang: str | None = None,
) -> MergeResult:
    """Merge ``other`` into ``keep`` in one transaction: chosen field values onto ``keep``; every linked
    record moved (equal contact points dropped rather than doubled); ``other`` tombstoned with
    ``merged_into = keep``. Its history stays under its own id (see :func:`person_record`)."""
    moved: dict[str, int] = {}
    dropped: dict[str, int] = {}

    def count(bucket: dict[str, int], table: str) -> None:
        bucket[table] = bucket.get(table, 0) + 1

    with store.transaction() as conn:
        preview = preview_merge(store, keep_id, other_id, choose)
        changes = {f.name: f.value for f in preview.fields if f.value != f.keep}
        actives = [
            v for v in (preview.keep.get("last_activity_at"), preview.other.get("last_activity_at")) if v
        ]
        if actives and max(actives) != preview.keep.get("last_activity_at"):
            changes["last_activity_at"] = max(actives)
        if changes:
            store.contacts.update(keep_id, changes)

        def live(table: str, column: str, value: str) -> list[dict[str, Any]]:
            cur = conn.execute(
                f"SELECT * FROM {table} WHERE {column} = ? AND deleted = 0 ORDER BY id", (value,)
            )
            names = [c[0] for c in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

        kept_points = {(p["kind"], p["value"]) for p in live("contact_points", "contact_id", keep_id)}
        primary_kinds = {p["kind"] for p in live("contact_points", "contact_id", keep_id) if p["is_primary"]}
        for p in live("contact_points", "contact_id", other_id):
            if (p["kind"], p["value"]) in kept_points:
                store.write("contact_points", p["id"], "delete", {})
                count(dropped, "contact_points")
                continue
            update: dict[str, Any] = {"contact_id": keep_id}
            if p["is_primary"] and p["kind"] in primary_kinds:
                update["is_primary"] = False
            store.write("contact_points", p["id"], "update", update)
            kept_points.add((p["kind"], p["value"]))
            count(moved, "contact_points")
        for table, same in (("affiliations", "org_id"), ("attendances", "event_id")):
            held = {r[same] for r in live(table, "contact_id", keep_id)}
            for r in live(table, "contact_id", other_id):
                if r[same] in held:
                    store.write(table, r["id"], "delete", {})
                    count(dropped, table)
                else:
                    store.write(table, r["id"], "update", {"contact_id": keep_id})
                    held.add(r[same])
                    count(moved, table)
        # one talent profile, one of each skill, one mark per demand: the survivor's where both have one
        for table, same in (
            ("talent_profiles", "contact_id"),
            ("talent_skills", "skill_id"),
            ("match_marks", "demand_id"),
        ):
            held = {r[same] if same != "contact_id" else "" for r in live(table, "contact_id", keep_id)}
            for r in live(table, "contact_id", other_id):
                key = r[same] if same != "contact_id" else ""
                if key in held:
                    store.write(table, r["id"], "delete", {})
                    count(dropped, table)
                else:
                    store.write(table, r["id"], "update", {"contact_id": keep_id})
                    held.add(key)
                    count(moved, table)
        for table in ("followups", "activities", "introductions"):
            for r in live(table, "contact_id", other_id):
                store.write(table, r["id"], "update", {"contact_id": keep_id})
                count(moved, table)
        for r in live("cases", "beneficiary_id", other_id):
            store.write(
                "cases",
                r["id"],
                "update",
                {
                    "beneficiary_id": keep_id,
                    "related_ids": _swap(r["related_ids"], other_id, keep_id, keep_id),
                },
            )
            count(moved, "cases")
        for r in conn.execute(
            "SELECT id, beneficiary_id, related_ids FROM cases WHERE deleted = 0 AND related_ids LIKE ?",
            (f'%"{other_id}"%',),
        ).fetchall():
            store.write("cases", r[0], "update", {"related_ids": _swap(r[2], other_id, keep_id, r[1])})
            count(moved, "cases")
        # records merged into ``other`` earlier now point straight at the survivor
        for (rid,) in conn.execute("SELECT id FROM contacts WHERE merged_into = ?", (other_id,)).fetchall():
            store.write("contacts", rid, "update", {"merged_into": keep_id})
        store.write("contacts", other_id, "update", {"merged_into": keep_id})
        store.write("contacts", other_id, "delete", {})
        log_activity(store, "note", t("people.merged_activity", lang, id=other_id), contact_id=keep_id)
    return MergeResult(keep_id, other_id, moved, dropped)


def _swap(related: str | list[str], old: str, new: str, beneficiary: str | None) -> list[str]:
    ids = json.loads(related) if isinstance(related, str) else list(related)
    out = [new if i == old else i for i in ids]
    return [i for i in dict.fromkeys(out) if i != beneficiary]
