"""The case status workflow: an explicit table of allowed transitions and the rules that go with them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .enums import CaseStatus as S
from .validation import FieldProblem, ValidationFailed

TRANSITIONS: dict[S, frozenset[S]] = {
    S.NEW: frozenset({S.TRIAGED, S.REJECTED, S.DUPLICATE, S.CANCELLED}),
    S.TRIAGED: frozenset({S.IN_PROGRESS, S.REJECTED, S.DUPLICATE, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.WAITING_TALENT, S.WAITING_THIRD_PARTY, S.RESOLVED, S.CANCELLED}),
    S.WAITING_TALENT: frozenset({S.IN_PROGRESS, S.RESOLVED, S.CANCELLED}),
    S.WAITING_THIRD_PARTY: frozenset({S.IN_PROGRESS, S.RESOLVED, S.CANCELLED}),
    S.RESOLVED: frozenset({S.CLOSED, S.IN_PROGRESS}),  # back to in progress = reopen
    S.CLOSED: frozenset(),
    S.REJECTED: frozenset(),
    S.DUPLICATE: frozenset(),
    S.CANCELLED: frozenset(),
}

# Moves a supervisor must be able to explain later.
NEEDS_REASON: frozenset[tuple[S, S]] = frozenset(
    {(old, new) for old in S for new in (S.REJECTED, S.DUPLICATE, S.CANCELLED)}
    | {(S.RESOLVED, S.IN_PROGRESS)}
)
OPEN_STATUSES = frozenset({S.NEW, S.TRIAGED, S.IN_PROGRESS, S.WAITING_TALENT, S.WAITING_THIRD_PARTY})
ORDER: list[S] = list(S)


def allowed_next(status: S | str) -> list[S]:
    """Allowed next statuses, in workflow order."""
    allowed = TRANSITIONS[S(status)]
    return [s for s in ORDER if s in allowed]


def is_open(status: S | str) -> bool:
    return S(status) in OPEN_STATUSES


def check_transition(old: S | str, new: S | str, *, reason: str | None, resolution: str | None) -> None:
    """Raise :class:`ValidationFailed` (on field ``status``) unless ``old -> new`` is allowed."""
    old, new = S(old), S(new)
    if old == new:
        return
    if new not in TRANSITIONS[old]:
        raise ValidationFailed(
            [
                FieldProblem(
                    "status",
                    "err.case.transition",
                    {"old": old.value, "new": new.value, "allowed": [s.value for s in allowed_next(old)]},
                )
            ]
        )
    if (old, new) in NEEDS_REASON and not (reason and reason.strip()):
        raise ValidationFailed(
            [FieldProblem("status_reason", "err.case.reason_required", {"new": new.value})]
        )
    if new == S.RESOLVED and not (resolution and resolution.strip()):
        raise ValidationFailed([FieldProblem("resolution", "err.case.resolution_required", {})])


def status_side_effects(old: S | str, new: S | str, now: datetime) -> dict[str, Any]:
    """Fields that follow from a status change (resolution and closing times; a reopen clears them)."""
    old, new = S(old), S(new)
    if old == new:
        return {}
    if new == S.RESOLVED:
        return {"resolved_at": now}
    if new == S.CLOSED:
        return {"closed_at": now}
    if old == S.RESOLVED and new == S.IN_PROGRESS:
        return {"resolved_at": None}
    return {}


# The station's service-level defaults: a first response within two working days, and a due date that
# reflects how long each kind of service usually takes.
FIRST_RESPONSE_DAYS = 2
_DUE_DAYS: dict[str, int] = {
    "visa_entry": 15,
    "work_permit": 20,
    "residence_permit": 20,
    "talent_certification": 30,
    "housing": 30,
    "medical": 7,
    "children_education": 45,
    "spouse_employment": 60,
    "funding": 60,
    "company_registration": 45,
    "policy": 5,
    "daily_life": 7,
    "other": 30,
}


def due_days(category: str) -> int:
    return _DUE_DAYS.get(str(getattr(category, "value", category)), 30)
