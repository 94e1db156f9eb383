"""Everything the store holds about one person: for an access request under PIPL (``person export``),
and the set of records an erasure reaches."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..domain.errors import LiaisonError
from ..domain.times import iso, utcnow
from .store import Store


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
    for table in (
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
    ):
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
            "consents",
            "followups",
            "activities",
            "cases",
            "talent_profiles",
            "talent_skills",
            "introductions",
            "match_marks",
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
