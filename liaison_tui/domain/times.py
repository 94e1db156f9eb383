"""Times as the store keeps them: aware UTC, whole seconds, ISO text with a ``Z``.

Kept apart from ``values`` (phone numbers, pydantic types) so that code which only reads and shows times,
such as the first screen, does not pay for importing those."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def to_utc(value: datetime) -> datetime:
    """Aware UTC; a naive time is the laptop's local time, which is what a staff member typed."""
    if value.tzinfo is None:
        value = value.astimezone()
    return value.astimezone(UTC).replace(microsecond=0)


def iso(value: datetime) -> str:
    return to_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    return to_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def local_time(zone: str, at: datetime | None = None) -> datetime:
    return (at or utcnow()).astimezone(ZoneInfo(zone))
