"""Whether a person has consented to something, read from the consent ledger (table ``consents``: rows of
contact_id, action given|withdrawn, purpose such as ``share_with_employer`` with an optional org_id,
occurred_on, expires_on). No one is proposed to an employer without consent to share.

A store without the ledger has no consent for anyone: matching then says "consent to share: missing"."""

from __future__ import annotations

from datetime import date
from typing import Any

SHARE_WITH_EMPLOYER = "share_with_employer"


def _has_ledger(conn: Any) -> bool:
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'consents'").fetchone()
        is not None
    )


def has_consent(
    store: Any, contact_id: str, purpose: str, org_id: str | None = None, *, today: date | None = None
) -> bool:
    """The newest entry about ``purpose`` that covers ``org_id`` (one for that organization, or one for
    any organization) gives consent and has not expired; a later withdrawal takes it back."""
    conn = store.conn
    if not _has_ledger(conn):
        return False
    rows = conn.execute(
        "SELECT action, occurred_on, expires_on, id FROM consents WHERE deleted = 0 AND contact_id = ? "
        "AND purpose = ? AND (org_id IS NULL OR org_id = ?) ORDER BY occurred_on DESC, id DESC LIMIT 1",
        (contact_id, purpose, org_id),
    ).fetchall()
    if not rows:
        return False
    action, _occurred, expires, _id = rows[0]
    if action != "given":
        return False
    return not (expires and expires < (today or date.today()).isoformat())


def consented(
    store: Any, contact_ids: list[str], purpose: str, org_id: str | None = None, *, today: date | None = None
) -> set[str]:
    """The subset of ``contact_ids`` with consent (see :func:`has_consent`)."""
    return {c for c in contact_ids if has_consent(store, c, purpose, org_id, today=today)}
