"""Erasure on request (PIPL): a person's values removed from every copy, on every replica.

An erasure is a record (``erasures``: whose, why, when; who did it is its author on the server), made by a
supervisor and synced like any record. Applying it is the same deterministic step on every replica, the
server included, whether the record was written here, pulled, or received whole: the person's personal
fields are blanked (their contact and contact points tombstoned, names replaced by a placeholder, free
text cleared; categories, statuses and dates stay for the station's figures), those fields' clocks set to
the erasure's clock, and every copy of the old values removed: the audit history, the change log (the
server's feed and the laptop's outbox alike, rewritten in place so entries keep their shape), conflict
records, refused-change records, the dismissed-duplicates list, and the search index with its trigram
statistics. After the transaction the FTS segments are rewritten and the WAL truncated; ``secure_delete``
(on for every store) has zeroed the freed pages. A crash between the two is finished when the store next
opens. The server refuses any later change to an erased person's records, so nothing brings them back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..domain.entities import ENTITIES
from ..domain.errors import LiaisonError
from ..domain.i18n import register
from ..domain.sync_protocol import CONFLICTS_TABLE
from .person import person_ids
from .rows import dumps, to_column
from .store import Store

register(
    {
        "erase.err.already": ("This person was already erased on {date}.", "此人的信息已于 {date} 删除。"),
        "erase.err.reason": (
            "Give a reason for the erasure (at most 200 characters).",
            "请填写删除原因（不超过 200 字）。",
        ),
        "erase.err.erased": (
            "This person's data was erased on {date}; their records cannot be changed.",
            "此人的信息已于 {date} 删除，其记录不能再修改。",
        ),
    }
)

ERASED = "[erased]"
PURGE_PENDING = "erasure_purge_pending"
# Values that pass each kind's validation (the server re-validates what it receives), clearly not real.
_ERASED_POINT = {
    "email": "erased@erased.invalid",
    "phone": "+12025550100",
    "wechat": "erased",
    "linkedin": "https://erased.invalid",
    "url": "https://erased.invalid",
    "address": "-",
}
# Personal fields per table, and what they become. Kept: categories, statuses, dates, ids and links (the
# station's figures), and the contact's kind, stage, tier, source and country of residence.
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
    "contact_points": {"label": None},  # raw and value: a placeholder of the point's kind
    "affiliations": {"role": None},
    "attendances": {"notes": None},
    "consents": {"scope": None, "evidence": None},
    "cases": {
        "title": ERASED,
        "description": None,
        "resolution": None,
        "status_reason": None,
        "related_ids": [],
    },
    "followups": {"title": ERASED, "notes": None},
    "activities": {"summary": ERASED, "details": None},
    "talent_profiles": {"fields": [], "preferred_cities": [], "expected_package": None, "notes": None},
    "talent_skills": {"raw": None},
    "introductions": {"stage_reason": None, "notes": None},
    "match_marks": {"note": None},
}
# Records that go with the person (tombstoned), rather than stay as anonymous figures.
_TOMBSTONED = (
    "contacts",
    "contact_points",
    "affiliations",
    "talent_profiles",
    "talent_skills",
    "match_marks",
)
# Records of a person by ``contact_id`` (introductions stay, without their text, for the figures).
_BY_CONTACT = (
    "contact_points",
    "affiliations",
    "attendances",
    "consents",
    "followups",
    "activities",
    "talent_profiles",
    "talent_skills",
    "introductions",
    "match_marks",
)


@dataclass
class EraseResult:
    contact_ids: list[str]
    changed: dict[str, int] = field(default_factory=dict)
    erasure_id: str | None = None


def erased_on(store: Any, contact_id: str) -> str | None:
    """When this person was erased (ISO time), or None."""
    row = store.conn.execute(
        "SELECT erased_at FROM erasures WHERE contact_id = ? AND deleted = 0 ORDER BY erased_at LIMIT 1",
        (contact_id,),
    ).fetchone()
    return row[0] if row else None


def owner_erased(store: Any, table: str, record: dict[str, Any]) -> str | None:
    """When the person this record belongs to was erased, or None (a record of no one: None)."""
    conn = store.conn
    people: set[str | None] = set()
    if table == "contacts":
        people |= {record.get("id"), record.get("merged_into")}
    elif table in _BY_CONTACT:
        people.add(record.get("contact_id"))
    if table == "cases":
        people.add(record.get("beneficiary_id"))
    case_id = record.get("id") if table == "cases" else record.get("case_id")
    if case_id and table in ("followups", "activities"):
        row = conn.execute("SELECT beneficiary_id FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row:
            people.add(row[0])
    people.discard(None)
    if not people:
        return None
    marks = ",".join("?" * len(people))
    row = conn.execute(
        f"SELECT min(erased_at) FROM erasures WHERE deleted = 0 AND contact_id IN ({marks})", list(people)
    ).fetchone()
    return row[0] if row and row[0] else None


def erase_person(store: Store, contact_id: str, reason: str) -> EraseResult:
    """Erase one person here and now, and record it for every other replica (one transaction)."""
    if store.row("contacts", contact_id) is None:
        raise LiaisonError("store.err.not_found", table="contacts", id=contact_id)
    if not reason or not reason.strip() or len(reason.strip()) > 200:
        raise LiaisonError("erase.err.reason")
    root = store.row("contacts", contact_id)
    target = (root or {}).get("merged_into") or contact_id
    done = erased_on(store, target)
    if done:
        raise LiaisonError("erase.err.already", date=done[:10])
    with store.transaction():
        record = store.repo("erasures").create({"contact_id": target, "reason": reason.strip()})
        result = apply_erasure(store, store.row("erasures", record.id) or {})
    result.erasure_id = record.id
    return result


def apply_erasure(store: Store, erasure: dict[str, Any]) -> EraseResult:
    """The erasure step, in the caller's transaction: the same outcome on every replica."""
    conn = store.conn
    contact_id = erasure["contact_id"]
    hlc = erasure["created_hlc"]
    at = erasure.get("erased_at") or erasure.get("created_at")
    by = erasure.get("created_by")
    ids = person_ids(store, contact_id)
    result = EraseResult(ids)
    if not ids or store.row("contacts", contact_id) is None:
        return result  # a replica that never held this person (a trip kit elsewhere)
    marks = ",".join("?" * len(ids))
    from . import search

    cases = [r[0] for r in conn.execute(f"SELECT id FROM cases WHERE beneficiary_id IN ({marks})", ids)]
    search.forget_grams(conn, "contact", ids)
    search.forget_grams(conn, "case", cases)
    case_marks = ",".join("?" * len(cases))
    by_table: dict[str, list[str]] = {
        "contacts": ids,
        "contact_points": _ids(conn, f"SELECT id FROM contact_points WHERE contact_id IN ({marks})", ids),
        "affiliations": _ids(conn, f"SELECT id FROM affiliations WHERE contact_id IN ({marks})", ids),
        "attendances": _ids(conn, f"SELECT id FROM attendances WHERE contact_id IN ({marks})", ids),
        "cases": cases,
    }
    for table in ("consents", "talent_profiles", "talent_skills", "introductions", "match_marks"):
        by_table[table] = _ids(conn, f"SELECT id FROM {table} WHERE contact_id IN ({marks})", ids)
    for table in ("followups", "activities"):
        where = f"contact_id IN ({marks})" + (f" OR case_id IN ({case_marks})" if cases else "")
        by_table[table] = _ids(conn, f"SELECT id FROM {table} WHERE {where}", [*ids, *cases])
    touched: list[tuple[str, str, list[str]]] = []
    for table, rows in by_table.items():
        for row_id in rows:
            names = _blank(store, table, row_id, hlc, at, by)
            touched.append((table, row_id, names))
        if rows:
            result.changed[table] = len(rows)
    # other people's cases that list this person among their related people: drop the id there
    for cid, related in conn.execute(
        "SELECT id, related_ids FROM cases WHERE " + " OR ".join("related_ids LIKE ?" for _ in ids),
        [f'%"{i}"%' for i in ids],
    ).fetchall():
        if cid in cases:
            continue
        kept = [i for i in json.loads(related) if i not in ids]
        conn.execute("UPDATE cases SET related_ids = ? WHERE id = ?", (dumps(kept), cid))
    _redact_copies(store, touched, by_table)
    for table in ("contacts", "cases"):
        for row_id in by_table.get(table, []):
            store.note_search(table, {"id": row_id, "deleted": 1})
    store.set_meta(PURGE_PENDING, "1")
    store.after_commit(lambda: finish_purge(store))
    return result


def _ids(conn: Any, sql: str, params: list[Any]) -> list[str]:
    return [r[0] for r in conn.execute(sql, params)]


def _blank(store: Store, table: str, row_id: str, hlc: str, at: str | None, by: str | None) -> list[str]:
    """Set one record's personal fields to their erased values, with the erasure's clock."""
    conn = store.conn
    entity = ENTITIES[table]
    row = store.row(table, row_id) or {}
    values = dict(_ERASE.get(table, {}))
    if table == "contact_points":
        placeholder = _ERASED_POINT.get(row.get("kind") or "", "-")
        values.update(raw=placeholder, value=placeholder)
    if table in _TOMBSTONED:
        values["deleted"] = 1
    columns = {n: (v if n == "deleted" else to_column(entity, n, v)) for n, v in values.items()}
    newest = max(row.get("hlc") or "", hlc)
    conn.execute(
        f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in columns)}, updated_at = coalesce(?, updated_at), "
        "updated_by = ?, hlc = ? WHERE id = ?",
        [*columns.values(), at, by, newest, row_id],
    )
    conn.executemany(
        "INSERT INTO field_clocks (tbl, row_id, field, hlc) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc",
        [(table, row_id, name, hlc) for name in columns],
    )
    return list(columns)


def _redact_copies(
    store: Store, touched: list[tuple[str, str, list[str]]], by_table: dict[str, list[str]]
) -> None:
    """Remove the old values wherever they were copied: history, change log, conflicts, refusals."""
    conn = store.conn
    lists = {t: ENTITIES[t].lists for t, _, _ in touched}
    for table, row_id, fields in touched:
        conn.execute("DELETE FROM history WHERE tbl = ? AND row_id = ?", (table, row_id))
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
                    json.loads(value) if name in lists[table] and isinstance(value, str) else value
                )
            conn.execute("UPDATE change_log SET fields = ? WHERE seq = ?", (dumps(payload), seq))
        conflicts = [
            r[0]
            for r in conn.execute(
                f"SELECT id FROM {CONFLICTS_TABLE} WHERE tbl = ? AND row_id = ?", (table, row_id)
            )
        ]
        conn.execute(
            f"UPDATE {CONFLICTS_TABLE} SET value_a = NULL, value_b = NULL, status = 'resolved', choice = NULL "
            "WHERE tbl = ? AND row_id = ?",
            (table, row_id),
        )
        for conflict in conflicts:  # the conflict's own entries in the feed carry both versions
            for seq, text in conn.execute(
                "SELECT seq, fields FROM change_log WHERE tbl = ? AND row_id = ?", (CONFLICTS_TABLE, conflict)
            ).fetchall():
                payload = json.loads(text)
                if "value_a" in payload or "value_b" in payload:
                    payload.update({k: None for k in ("value_a", "value_b") if k in payload})
                    conn.execute("UPDATE change_log SET fields = ? WHERE seq = ?", (dumps(payload), seq))
        conn.execute("DELETE FROM sync_rejected WHERE tbl = ? AND row_id = ?", (table, row_id))
        conn.execute("UPDATE sync_refusals SET params = '{}' WHERE tbl = ? AND row_id = ?", (table, row_id))
    ids = by_table.get("contacts", [])
    if ids:
        marks = ",".join("?" * len(ids))
        conn.execute(f"DELETE FROM dedupe_dismissed WHERE a IN ({marks}) OR b IN ({marks})", [*ids, *ids])


def finish_purge(store: Store) -> None:
    """After the erasure committed: rewrite the FTS segments without the removed entries and truncate the
    WAL, so no byte of the old values stays in the file (secure_delete zeroed the freed pages)."""
    from . import search

    with store.transaction() as conn:
        search.purge(conn)
        store.set_meta(PURGE_PENDING, "0")
    store.checkpoint()
