"""A person's consent, read from their ledger. Pure.

The ledger is append-only: each event gives or withdraws consent to one purpose (sharing: with one
employer, or with any), on a date, possibly until an expiry. The state for a purpose is the latest event
that concerns it; on the same day a withdrawal comes after a consent (a person who withdraws on the day
they agreed has withdrawn), and among events of one day and kind the later recorded one is later.
Consent is valid when that event gives consent and has not expired. For sharing with a named employer,
events about that employer and events about any employer both concern it: a general withdrawal stops
every sharing, a withdrawal for one employer stops only that one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .enums import ConsentPurpose
from .i18n import register, t

register(
    {
        "consent.valid": ("{purpose}: yes since {since}", "{purpose}：{since} 起同意"),
        "consent.valid_until": ("{purpose}: yes until {until}", "{purpose}：同意至 {until}"),
        "consent.withdrawn": ("{purpose}: withdrawn {since}", "{purpose}：{since} 已撤回"),
        "consent.expired": ("{purpose}: expired {until}", "{purpose}：{until} 已过期"),
        "consent.missing": ("{purpose}: none recorded", "{purpose}：无记录"),
        "consent.warn_export": (
            "{count} of these people have no valid consent to be contacted for recruitment: {names}",
            "其中 {count} 人没有有效的招才引智联络同意：{names}",
        ),
        "consent.warn_share": (
            "{name} has not agreed to have their profile shared with {org}.",
            "{name} 未同意向 {org} 提供其资料。",
        ),
    }
)

# What each use of a person's data needs.
NEEDED_FOR_EXPORT = ConsentPurpose.RECRUITMENT_CONTACT
NEEDED_FOR_SHARING = ConsentPurpose.SHARE_WITH_EMPLOYER


@dataclass(frozen=True)
class Event:
    action: str  # given | withdrawn
    purpose: str
    occurred_on: date
    org_id: str | None = None
    expires_on: date | None = None
    order: str = ""  # the event's creation clock: later recorded, later

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Event:
        def day(value: Any) -> date | None:
            return date.fromisoformat(str(value)[:10]) if value else None

        return cls(
            action=row["action"],
            purpose=row["purpose"],
            occurred_on=day(row["occurred_on"]) or date.min,
            org_id=row.get("org_id"),
            expires_on=day(row.get("expires_on")),
            order=row.get("created_hlc") or "",
        )


@dataclass(frozen=True)
class State:
    purpose: str
    valid: bool
    event: Event | None  # the event that decides

    def describe(self, lang: str | None = None) -> str:
        label = ConsentPurpose(self.purpose).short_label(lang)
        e = self.event
        if e is None:
            return t("consent.missing", lang, purpose=label)
        if e.action == "withdrawn":
            return t("consent.withdrawn", lang, purpose=label, since=e.occurred_on.isoformat())
        if not self.valid:
            return t(
                "consent.expired", lang, purpose=label, until=(e.expires_on or e.occurred_on).isoformat()
            )
        if e.expires_on:
            return t("consent.valid_until", lang, purpose=label, until=e.expires_on.isoformat())
        return t("consent.valid", lang, purpose=label, since=e.occurred_on.isoformat())


def _key(event: Event) -> tuple[date, int, str]:
    return (event.occurred_on, 1 if event.action == "withdrawn" else 0, event.order)


def state(events: Iterable[Event], purpose: str, today: date, org_id: str | None = None) -> State:
    """The consent for ``purpose`` (with ``org_id`` for sharing with one employer) on ``today``."""
    relevant = [
        e
        for e in events
        if e.purpose == purpose and (e.org_id is None or org_id is None or e.org_id == org_id)
    ]
    if org_id is None:
        relevant = [e for e in relevant if e.org_id is None]
    relevant = [e for e in relevant if e.occurred_on <= today]
    if not relevant:
        return State(purpose, False, None)
    last = max(relevant, key=_key)
    valid = last.action == "given" and (last.expires_on is None or last.expires_on >= today)
    return State(purpose, valid, last)


def summary(events: Iterable[Event], today: date) -> list[State]:
    """One state per purpose (general, not per employer): what the contact screen shows at a glance."""
    items = list(events)
    return [state(items, p.value, today) for p in ConsentPurpose]
