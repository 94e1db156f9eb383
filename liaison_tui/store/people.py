"""One person across the store: duplicate candidates, merging two records, everything held about someone,
and erasing it on request (PIPL).

Every change goes through :meth:`Store.write` inside one transaction, so a merge or an erasure is an
ordinary set of changes that syncs field by field and leaves audit history. Only two things bypass it,
on purpose: blanking personal values in the local audit history and change log after an erasure (those
copies are what the erasure must remove), and the local list of pairs staff dismissed as "not the same
person" (a review aid, not a record).

Duplicate keys (issue 6): the same normalised email, E.164 phone or WeChat id; or the same name key (pinyin
of a Chinese name, or a folded Latin name, word order ignored) together with the same organization name or
the same country (the latter only for names that few people in that country share). The scan is linear: SQL GROUP BY over the indexed contact points, and name keys written
to a temporary table and grouped the same way, so 100k+ contacts never meet pairwise.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..domain import search_keys as sk
from ..domain.errors import LiaisonError
from ..domain.i18n import register, t
from ..domain.models import Contact
from ..domain.times import iso, utcnow
from .rows import dumps, row_to_fields
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
        "people.reason.email": ("same email", "邮箱相同"),
        "people.reason.phone": ("same phone", "电话相同"),
        "people.reason.wechat": ("same WeChat ID", "微信号相同"),
        "people.reason.name_org": ("same name and organization", "姓名和单位相同"),
        "people.reason.name_country": ("same name and country", "姓名和国家相同"),
    }
)

Progress = Callable[[int, int], None]
EXACT_KINDS = ("email", "phone", "wechat")
ERASED = "[erased]"
# Values that pass each kind's validation (the server re-validates what it receives), clearly not real.
_ERASED_POINT = {
    "email": "erased@erased.invalid",
    "phone": "+12025550100",
    "wechat": "erased",
    "linkedin": "https://erased.invalid",
    "url": "https://erased.invalid",
    "address": "-",
}
_REASON_WEIGHT = {"email": 10, "phone": 10, "wechat": 10, "name_org": 3, "name_country": 1}
# A name shared by more people than this in one country (张伟 in China, a common name anywhere) says nothing
# about any two of them: such groups are not proposed on name and country alone. Rare names still are.
NAME_COUNTRY_MAX_GROUP = 3
_WORDS = re.compile(r"[^\W_]+")


# ---------------------------------------------------------------- name keys


def name_keys(native: str | None, latin: str | None) -> set[str]:
    """Keys under which two spellings of one person's name meet: ``张伟``, ``章伟`` (same pinyin),
    ``Zhang Wei`` and ``Wei Zhang`` all give ``wei zhang``; ``Müller``/``Mueller`` both fold."""
    return set(_name_keys(native)) | _name_keys(latin)


@lru_cache(maxsize=1 << 16)  # per name, not per pair: names repeat (张伟 thousands of times)
def _name_keys(name: str | None) -> frozenset[str]:
    if not name or not name.strip():
        return frozenset()
    keys: set[str] = set()
    base = sk.base_text(name)
    if sk.has_cjk(base) and " " not in base and len(base) <= 6:
        surname, given = sk.split_chinese_name(base)
        given_py = "".join(sk.char_pinyin(c) if sk.is_cjk(c) else c for c in given)
        for reading in sk.surname_readings(surname):
            sur = "".join(reading)
            if sur:
                keys.add(" ".join(sorted(w for w in (sur, given_py) if w)))
        return frozenset(keys)
    for fold in sk.fold_variants(base):
        words = _WORDS.findall(fold.replace("-", "").replace("'", ""))
        if words:
            keys.add(" ".join(sorted(words)))
    return frozenset(keys)


@lru_cache(maxsize=1 << 14)
def org_key(name_zh: str | None, name_en: str | None) -> frozenset[str]:
    """Normalised organization names (either language), for "same organization"."""
    return frozenset(
        {
            "".join(_WORDS.findall(sk.fold_variants(sk.base_text(n))[0]))
            for n in (name_zh, name_en)
            if n and n.strip()
        }
        - {""}
    )


def duplicate_keys(
    native: str | None, latin: str | None, org_names: Iterable[str], country: str | None
) -> set[str]:
    """Name keys qualified by organization or country (a name alone is too common to mean anything)."""
    names = name_keys(native, latin)
    out = {f"name_org|{n}|{o}" for n in names for o in org_names}
    if country:
        out |= {f"name_country|{n}|{country}" for n in names}
    return out


# ---------------------------------------------------------------- duplicate scan


@dataclass(frozen=True)
class Reason:
    kind: str  # email | phone | wechat | name_org | name_country
    value: str  # the shared value or name key (shown to staff; never logged)

    def label(self, lang: str | None = None) -> str:
        return t(f"people.reason.{self.kind}", lang)


@dataclass
class DuplicatePair:
    keep: str  # the older record: the suggested survivor
    other: str
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(_REASON_WEIGHT[r.kind] for r in {r.kind: r for r in self.reasons}.values())

    @property
    def exact(self) -> bool:
        return any(r.kind in EXACT_KINDS for r in self.reasons)


def find_duplicates(
    store: Store, *, progress: Progress | None = None, cancel: Callable[[], bool] | None = None
) -> list[DuplicatePair]:
    """Pairs of live contacts that look like one person, strongest first. Each group of n contacts
    sharing a key yields n-1 pairs (each with the oldest), never n²."""
    conn = store.conn
    pairs: dict[tuple[str, str], DuplicatePair] = {}

    def add(ids: list[str], reason: Reason) -> None:
        ids = sorted(set(ids))  # UUIDv7: sorted = oldest first
        for other in ids[1:]:
            pair = pairs.setdefault((ids[0], other), DuplicatePair(ids[0], other))
            if reason not in pair.reasons:
                pair.reasons.append(reason)

    for kind, value, ids in conn.execute(
        "SELECT p.kind, p.value, group_concat(DISTINCT p.contact_id) FROM contact_points p "
        "JOIN contacts c ON c.id = p.contact_id "
        "WHERE p.deleted = 0 AND c.deleted = 0 AND c.merged_into IS NULL AND p.kind IN ('email', 'phone', 'wechat') "
        "GROUP BY p.kind, p.value HAVING count(DISTINCT p.contact_id) > 1"
    ):
        add(ids.split(","), Reason(kind, value))

    total = int(
        conn.execute("SELECT count(*) FROM contacts WHERE deleted = 0 AND merged_into IS NULL").fetchone()[0]
    )
    with store.lock:
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS dedupe_keys (key TEXT NOT NULL, contact_id TEXT NOT NULL)"
        )
        conn.execute("DELETE FROM dedupe_keys")
        try:
            batch: list[tuple[str, str]] = []
            cursor = conn.execute(
                "SELECT c.id, c.native_name, c.latin_name, c.country, o.name_zh, o.name_en FROM contacts c "
                "LEFT JOIN organizations o ON o.id = c.org_id AND o.deleted = 0 "
                "WHERE c.deleted = 0 AND c.merged_into IS NULL"
            )
            for done, (cid, native, latin, country, org_zh, org_en) in enumerate(cursor, 1):
                batch += [(k, cid) for k in duplicate_keys(native, latin, org_key(org_zh, org_en), country)]
                if done % 1000 == 0:  # the progress bar moves on a few thousand contacts too
                    conn.executemany("INSERT INTO dedupe_keys VALUES (?, ?)", batch)
                    batch.clear()
                    if progress:
                        progress(done, total)
                    if cancel and cancel():
                        return []
            conn.executemany("INSERT INTO dedupe_keys VALUES (?, ?)", batch)
            for key, ids in conn.execute(
                "SELECT key, group_concat(DISTINCT contact_id) FROM dedupe_keys GROUP BY key "
                "HAVING count(DISTINCT contact_id) > 1 "
                "AND (key NOT LIKE 'name_country|%' OR count(DISTINCT contact_id) <= ?)",
                (NAME_COUNTRY_MAX_GROUP,),
            ):
                kind, name, _ = key.split("|", 2)
                add(ids.split(","), Reason(kind, name))
        finally:
            conn.execute("DELETE FROM dedupe_keys")
    if progress:
        progress(total, total)
    dismissed = {(a, b) for a, b in conn.execute("SELECT a, b FROM dedupe_dismissed")}
    dismissed |= _reversed_chinese_names(conn, [p for p in pairs.values() if not p.exact])
    found = [p for p in pairs.values() if (p.keep, p.other) not in dismissed]
    found.sort(key=lambda p: (-p.score, p.keep, p.other))
    return found


def _reading(native: str | None) -> tuple[str, ...] | None:
    """The readings of a Chinese name in their written order (陈雨 → chen, yu), or None."""
    if not native or not sk.has_cjk(native):
        return None
    return tuple(sk.char_pinyin(c) for c in sk.base_text(native) if sk.is_cjk(c))


def _reversed_chinese_names(conn: Any, name_pairs: list[DuplicatePair]) -> set[tuple[str, str]]:
    """Name-only pairs of two Chinese names that read alike only once their order is ignored (陈雨 and
    于晨 both give "chen yu"): word order is ignored so that 张伟 meets "Wei Zhang", not so that two
    different Chinese names meet."""
    ids = sorted({i for p in name_pairs for i in (p.keep, p.other)})
    readings: dict[str, tuple[str, ...] | None] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for cid, native in conn.execute(f"SELECT id, native_name FROM contacts WHERE id IN ({marks})", chunk):
            readings[cid] = _reading(native)
    out = set()
    for pair in name_pairs:
        a, b = readings.get(pair.keep), readings.get(pair.other)
        if a and b and a != b:
            out.add((pair.keep, pair.other))
    return out


def dismiss_pair(store: Store, a: str, b: str) -> None:
    """Remember that staff judged these two to be different people (local review aid)."""
    first, second = sorted((a, b))
    with store.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO dedupe_dismissed (a, b, at, author) VALUES (?, ?, ?, ?)",
            (first, second, iso(utcnow()), store.author),
        )


# ---------------------------------------------------------------- merge

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
        return self.keep != self.other


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
        for table in ("followups", "activities"):
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


# ---------------------------------------------------------------- everything about a person


def person_ids(store: Store, contact_id: str) -> list[str]:
    """The contact and every record merged into it (directly or through earlier merges)."""
    ids = [contact_id]
    frontier = [contact_id]
    while frontier:
        marks = ",".join("?" * len(frontier))
        frontier = [
            r[0]
            for r in store.conn.execute(f"SELECT id FROM contacts WHERE merged_into IN ({marks})", frontier)
            if r[0] not in ids
        ]
        ids += frontier
    return ids


def _rows(store: Store, sql: str, params: Iterable[Any]) -> list[dict[str, Any]]:
    cur = store.conn.execute(sql, list(params))
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def person_record(store: Store, contact_id: str) -> dict[str, Any]:
    """Everything the store holds about one person, as plain rows (deleted ones included and flagged):
    the contact and the records merged into it, contact points, affiliations with their organizations,
    cases where they are the beneficiary or a related person, follow-ups, activities, attendances with their
    events, and the audit history of all of these. For an access request under PIPL."""
    if store.row("contacts", contact_id) is None:
        raise LiaisonError("store.err.not_found", table="contacts", id=contact_id)
    ids = person_ids(store, contact_id)
    marks = ",".join("?" * len(ids))
    out: dict[str, Any] = {"contact_id": contact_id, "exported_at": iso(utcnow())}
    out["contacts"] = _rows(store, f"SELECT * FROM contacts WHERE id IN ({marks})", ids)
    for table in ("contact_points", "affiliations", "attendances", "followups", "activities"):
        out[table] = _rows(
            store, f"SELECT * FROM {table} WHERE contact_id IN ({marks}) ORDER BY created_at, id", ids
        )
    related = " OR ".join("related_ids LIKE ?" for _ in ids)
    out["cases"] = _rows(
        store,
        f"SELECT * FROM cases WHERE beneficiary_id IN ({marks}) OR {related} ORDER BY opened_at, id",
        [*ids, *(f'%"{i}"%' for i in ids)],
    )
    org_ids = sorted(
        {r["org_id"] for r in out["affiliations"]} | {r["org_id"] for r in out["contacts"] if r["org_id"]}
    )
    out["organizations"] = _rows(
        store,
        f"SELECT id, name_zh, name_en, kind, country, city FROM organizations "
        f"WHERE id IN ({','.join('?' * len(org_ids))})",
        org_ids,
    )
    event_ids = sorted({r["event_id"] for r in out["attendances"]})
    out["events"] = _rows(
        store,
        f"SELECT id, name, kind, starts_on, ends_on, city, country FROM events "
        f"WHERE id IN ({','.join('?' * len(event_ids))})",
        event_ids,
    )
    refs = [
        (table, r["id"])
        for table in (
            "contacts",
            "contact_points",
            "affiliations",
            "attendances",
            "followups",
            "activities",
            "cases",
        )
        for r in out[table]
    ]
    history: list[dict[str, Any]] = []
    for i in range(0, len(refs), 400):
        chunk = refs[i : i + 400]
        where = " OR ".join("(tbl = ? AND row_id = ?)" for _ in chunk)
        history += _rows(
            store,
            f"SELECT tbl, row_id, field, old_value, new_value, at, author, origin FROM history WHERE {where}",
            [v for ref in chunk for v in ref],
        )
    out["history"] = sorted(history, key=lambda h: (h["at"], h["tbl"], h["row_id"]))
    return out


# ---------------------------------------------------------------- erasure

# Personal fields per table, and what they become. Kept: categories, statuses, dates, ids and links
# (case statistics), and the contact's kind, stage, tier, source and country of residence.
_ERASE: dict[str, dict[str, Any]] = {
    "contacts": {
        "native_name": None,
        "latin_name": ERASED,
        "aliases": [],
        "gender": None,
        "nationalities": [],
        "city": None,
        "timezone": None,
        "languages": [],
        "org_id": None,
        "title": None,
        "field": None,
        "tags": [],
        "notes": None,
        "source_detail": None,
    },
    "affiliations": {"role": None},
    "attendances": {"notes": None},
    "cases": {
        "title": ERASED,
        "description": None,
        "resolution": None,
        "status_reason": None,
        "related_ids": [],
    },
    "followups": {"title": ERASED, "notes": None},
    "activities": {"summary": ERASED, "details": None},
}


@dataclass
class EraseResult:
    contact_ids: list[str]
    changed: dict[str, int]


def erase_person(store: Store, contact_id: str) -> EraseResult:
    """Remove one person's personal data, keep anonymised case statistics; one transaction, synced.

    Names become a neutral placeholder, free text and contact points are cleared, and the records are
    tombstoned (the contact and the records merged into it, their contact points and affiliations); the
    cases stay, with category, status, priority and dates. Then the old values of those fields are blanked
    in this laptop's audit history and change log, which would otherwise still hold them."""
    if store.row("contacts", contact_id) is None:
        raise LiaisonError("store.err.not_found", table="contacts", id=contact_id)
    changed: dict[str, int] = {}
    touched: list[tuple[str, str, list[str]]] = []
    with store.transaction() as conn:
        ids = person_ids(store, contact_id)
        marks = ",".join("?" * len(ids))

        def blank(
            table: str, row_id: str, extra: Mapping[str, Any] | None = None, delete: bool = False
        ) -> None:
            values = {**_ERASE.get(table, {}), **(extra or {})}
            result = store.write(table, row_id, "update", values)
            if delete:
                store.write(table, row_id, "delete", {})
            touched.append((table, row_id, list(values)))
            if result.changed or delete:
                changed[table] = changed.get(table, 0) + 1

        for pid, kind in conn.execute(
            f"SELECT id, kind FROM contact_points WHERE contact_id IN ({marks})", ids
        ).fetchall():
            placeholder = _ERASED_POINT.get(kind, "-")
            blank(
                "contact_points", pid, {"raw": placeholder, "value": placeholder, "label": None}, delete=True
            )
        for (aid,) in conn.execute(
            f"SELECT id FROM affiliations WHERE contact_id IN ({marks})", ids
        ).fetchall():
            blank("affiliations", aid, delete=True)
        for (aid,) in conn.execute(
            f"SELECT id FROM attendances WHERE contact_id IN ({marks})", ids
        ).fetchall():
            blank("attendances", aid)
        case_ids = [
            r[0] for r in conn.execute(f"SELECT id FROM cases WHERE beneficiary_id IN ({marks})", ids)
        ]
        for cid in case_ids:
            blank("cases", cid)
        # other people's cases that list this person: drop them from the list, nothing else
        for cid, ben, related in conn.execute(
            "SELECT id, beneficiary_id, related_ids FROM cases WHERE "
            + " OR ".join("related_ids LIKE ?" for _ in ids),
            [f'%"{i}"%' for i in ids],
        ).fetchall():
            if cid in case_ids:
                continue
            kept = [i for i in json.loads(related) if i not in ids and i != ben]
            store.write("cases", cid, "update", {"related_ids": kept})
            changed["cases"] = changed.get("cases", 0) + 1
        case_marks = ",".join("?" * len(case_ids))
        for table in ("followups", "activities"):
            for (rid,) in conn.execute(
                f"SELECT id FROM {table} WHERE contact_id IN ({marks})"
                + (f" OR case_id IN ({case_marks})" if case_ids else ""),
                [*ids, *case_ids],
            ).fetchall():
                blank(table, rid)
        for cid in ids:
            blank("contacts", cid, delete=not store.row("contacts", cid)["deleted"])
        _redact_copies(store, touched)
    # FTS5 on this SQLite keeps removed words in old segments until they merge: rewrite them now, after the
    # erasure's own reindex has committed (secure_delete, set when the store opens, zeroes the freed pages).
    from . import search

    with store.transaction() as conn:
        search.purge(conn)
    return EraseResult(ids, changed)


def _redact_copies(store: Store, touched: list[tuple[str, str, list[str]]]) -> None:
    """Blank the erased fields' earlier values in the audit history and the change log (local copies).

    Change-log entries keep their shape and stay valid (placeholders, not deletions), so entries not yet
    pushed still sync and end in the same erased state."""
    conn = store.conn
    entity_lists = {t: store.entity(t).lists for t, _, _ in touched}
    for table, row_id, fields in touched:
        marks = ",".join("?" * len(fields))
        conn.execute(
            f"UPDATE history SET old_value = CASE WHEN old_value IS NULL THEN NULL ELSE ? END, "
            f"new_value = CASE WHEN new_value IS NULL THEN NULL ELSE ? END "
            f"WHERE tbl = ? AND row_id = ? AND field IN ({marks})",
            [ERASED, ERASED, table, row_id, *fields],
        )
        final = store.row(table, row_id) or {}
        for seq, text in conn.execute(
            "SELECT seq, fields FROM change_log WHERE tbl = ? AND row_id = ?", (table, row_id)
        ).fetchall():
            payload = json.loads(text)
            hit = [f for f in fields if f in payload]
            if not hit:
                continue
            for name in hit:
                value = final.get(name)
                payload[name] = (
                    json.loads(value) if name in entity_lists[table] and isinstance(value, str) else value
                )
            conn.execute("UPDATE change_log SET fields = ? WHERE seq = ?", (dumps(payload), seq))
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sync_conflicts'").fetchone():
            conn.execute(
                f"UPDATE sync_conflicts SET value_a = NULL, value_b = NULL "
                f"WHERE tbl = ? AND row_id = ? AND field IN ({marks})",
                [table, row_id, *fields],
            )
