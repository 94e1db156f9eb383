"""The consent ledger in the store: recording events, reading a person's state, and who lacks consent.

What consent *means* is ``domain/consent.py``; this module reads and writes the ``consents`` table (synced,
append-only: the server refuses edits and deletes of its rows).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ..domain import consent as rules
from ..domain.models import Consent
from ..domain.times import utcnow
from .store import Store


def today() -> date:
    return utcnow().date()


def record(store: Store, data: dict[str, Any]) -> Consent:
    """Append one event (given or withdrawn) to a person's ledger."""
    model: Consent = store.repo("consents").create(data)
    return model


def ledger(store: Any, contact_id: str) -> list[dict[str, Any]]:
    """A person's consent events, oldest first, each with who recorded it."""
    with store.lock:
        cursor = store.conn.execute(
            "SELECT c.id, c.action, c.purpose, c.org_id, o.name_zh, o.name_en, c.scope, c.channel, c.occurred_on, "
            "c.expires_on, c.evidence, c.created_by, c.created_at, c.created_hlc FROM consents c "
            "LEFT JOIN organizations o ON o.id = c.org_id WHERE c.contact_id = ? AND c.deleted = 0 "
            "ORDER BY c.occurred_on, c.created_hlc",
            (contact_id,),
        )
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def events(store: Any, contact_id: str) -> list[rules.Event]:
    return [rules.Event.from_row(row) for row in ledger(store, contact_id)]


def states(store: Any, contact_id: str, on: date | None = None) -> list[rules.State]:
    return rules.summary(events(store, contact_id), on or today())


def has_consent(
    store: Any, contact_id: str, purpose: str, org_id: str | None = None, on: date | None = None
) -> bool:
    return rules.state(events(store, contact_id), purpose, on or today(), org_id).valid


def missing(
    store: Any, contact_ids: Sequence[str], purpose: str, org_id: str | None = None, on: date | None = None
) -> list[str]:
    """Those of ``contact_ids`` without valid consent for ``purpose`` (in their order)."""
    day = on or today()
    found: dict[str, list[rules.Event]] = {}
    with store.lock:
        for start in range(0, len(contact_ids), 500):
            chunk = list(contact_ids[start : start + 500])
            cursor = store.conn.execute(
                "SELECT contact_id, action, purpose, org_id, occurred_on, expires_on, created_hlc FROM consents "
                f"WHERE deleted = 0 AND purpose = ? AND contact_id IN ({','.join('?' * len(chunk))})",
                [purpose, *chunk],
            )
            names = [c[0] for c in cursor.description]
            for values in cursor.fetchall():
                row = dict(zip(names, values, strict=True))
                found.setdefault(row["contact_id"], []).append(rules.Event.from_row(row))
    return [cid for cid in contact_ids if not rules.state(found.get(cid, []), purpose, day, org_id).valid]


def count_without_consent(store: Any, purpose: str, *, on: date | None = None) -> int:
    """How many live people lack valid consent for ``purpose`` (general)."""
    day = (on or today()).isoformat()
    sql = """
        WITH ranked AS (
            SELECT contact_id, action, expires_on,
                   row_number() OVER (PARTITION BY contact_id ORDER BY occurred_on DESC,
                                      action = 'withdrawn' DESC, created_hlc DESC) AS rn
            FROM consents WHERE deleted = 0 AND purpose = :purpose AND org_id IS NULL AND occurred_on <= :day
        )
        SELECT count(*) FROM contacts c LEFT JOIN ranked r ON r.contact_id = c.id AND r.rn = 1
        WHERE c.deleted = 0 AND c.merged_into IS NULL
          AND (r.action IS NULL OR r.action = 'withdrawn' OR (r.expires_on IS NOT NULL AND r.expires_on < :day))
    """
    with store.lock:
        return int(store.conn.execute(sql, {"purpose": purpose, "day": day}).fetchone()[0])


def without_consent(
    store: Any, purpose: str, *, on: date | None = None, limit: int = 200, after: str = ""
) -> list[dict[str, Any]]:
    """Live people without valid consent for ``purpose`` (general, not per employer), by id: never
    recorded, withdrawn, or expired. For ``liaison report consent`` and the data-quality report."""
    day = (on or today()).isoformat()
    sql = """
        WITH ranked AS (
            SELECT contact_id, action, occurred_on, expires_on,
                   row_number() OVER (PARTITION BY contact_id ORDER BY occurred_on DESC,
                                      action = 'withdrawn' DESC, created_hlc DESC) AS rn
            FROM consents WHERE deleted = 0 AND purpose = :purpose AND org_id IS NULL AND occurred_on <= :day
        )
        SELECT c.id, c.native_name, c.latin_name, c.owner_id, r.action, r.occurred_on, r.expires_on
        FROM contacts c LEFT JOIN ranked r ON r.contact_id = c.id AND r.rn = 1
        WHERE c.deleted = 0 AND c.merged_into IS NULL AND c.id > :after
          AND (r.action IS NULL OR r.action = 'withdrawn' OR (r.expires_on IS NOT NULL AND r.expires_on < :day))
        ORDER BY c.id LIMIT :limit
    """
    with store.lock:
        cursor = store.conn.execute(sql, {"purpose": purpose, "day": day, "after": after, "limit": limit})
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    for row in rows:
        row["state"] = (
            "never" if row["action"] is None else ("withdrawn" if row["action"] == "withdrawn" else "expired")
        )
    return rows


def names_of(store: Any, contact_ids: Iterable[str], limit: int = 5) -> list[str]:
    ids = list(contact_ids)[:limit]
    if not ids:
        return []
    with store.lock:
        rows = dict(
            store.conn.execute(
                "SELECT id, coalesce(native_name, latin_name) FROM contacts "
                f"WHERE id IN ({','.join('?' * len(ids))})",
                ids,
            ).fetchall()
        )
    return [rows.get(i) or i for i in ids]
