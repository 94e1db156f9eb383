"""Everyday operations that touch several records at once, each one transaction.

The TUI and the CLI call these rather than composing repository calls themselves, so that e.g. completing
a follow-up always logs the activity that says so.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..domain import workflow
from ..domain.enums import (
    ActivityKind,
    CaseStatus,
    ContactPointKind,
    FollowUpKind,
    FollowUpStatus,
    PipelineStage,
)
from ..domain.i18n import register, t
from ..domain.models import Activity, Case, Contact, ContactPoint, FollowUp
from ..domain.times import utcnow
from ..domain.validation import FieldProblem, ValidationFailed
from .store import Store

register(
    {
        "activity.case_status": ("Case {number}: {old} → {new}", "事项 {number}：{old} → {new}"),
        "activity.followup_done": ("Done: {title}", "已完成：{title}"),
        "activity.stage": ("Pipeline stage: {old} → {new}", "引才阶段：{old} → {new}"),
    }
)

# After a follow-up of this kind is done, the timeline shows an activity of that kind.
_FOLLOWUP_ACTIVITY = {
    FollowUpKind.CALL_BACK: ActivityKind.CALL,
    FollowUpKind.ARRANGE_VISIT: ActivityKind.VISIT,
    FollowUpKind.POST_LANDING_CHECKIN: ActivityKind.VISIT,
}


def create_contact(store: Store, contact: dict[str, Any], points: list[dict[str, Any]] = ()) -> Contact:  # type: ignore[assignment]
    """A contact with its phones, emails and WeChat ids, all or nothing. A point's problem is reported on
    its kind ("Phone: '12' is not …"), not on the contact point's ``raw`` field."""
    with store.transaction():
        created: Contact = store.contacts.create(contact)
        problems: list[FieldProblem] = []
        for point in points:
            try:
                store.contact_points.create({**point, "contact_id": created.id})
            except ValidationFailed as exc:
                given = point.get("kind")
                kind = ContactPointKind(given).value if given else "raw"
                problems += [
                    FieldProblem(kind if p.field == "raw" else p.field, p.key, p.params) for p in exc.problems
                ]
        if problems:
            raise ValidationFailed(problems)
    return created


def contact_points(store: Store, contact_id: str) -> list[ContactPoint]:
    return store.contact_points.list(where={"contact_id": contact_id}, order_by="is_primary", limit=200).items


def log_activity(
    store: Store,
    kind: ActivityKind | str,
    summary: str,
    *,
    contact_id: str | None = None,
    case_id: str | None = None,
    event_id: str | None = None,
    details: str | None = None,
    occurred_at: datetime | None = None,
    staff_id: str | None = None,
) -> Activity:
    if case_id and not contact_id:
        case = store.cases.find(case_id)
        contact_id = case.beneficiary_id if case else None
    return store.activities.create(
        {
            "kind": kind,
            "summary": summary,
            "details": details,
            "contact_id": contact_id,
            "case_id": case_id,
            "event_id": event_id,
            "occurred_at": occurred_at or utcnow(),
            "staff_id": staff_id,
        }
    )


def change_stage(
    store: Store,
    contact_id: str,
    stage: PipelineStage | str,
    *,
    staff_id: str | None = None,
    lang: str | None = None,
) -> Contact:
    with store.transaction():
        old = store.contacts.get(contact_id)
        new_stage = PipelineStage(stage)
        contact: Contact = store.contacts.update(contact_id, {"stage": new_stage})
        if old.stage != new_stage:
            log_activity(
                store,
                ActivityKind.STATUS_CHANGE,
                t("activity.stage", lang, old=old.stage.label(lang), new=new_stage.label(lang)),
                contact_id=contact_id,
                staff_id=staff_id,
            )
    return contact


def stage_history(store: Store, contact_id: str) -> list[tuple[str, str | None, str]]:
    """``(when, from, to)`` for each pipeline-stage change, newest first (from the audit history)."""
    rows = store.conn.execute(
        "SELECT at, old_value, new_value FROM history WHERE tbl = 'contacts' AND row_id = ? AND field = 'stage' "
        "ORDER BY id DESC",
        (contact_id,),
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def create_case(store: Store, data: dict[str, Any]) -> Case:
    """A new case with the station's default response and due dates for its category."""
    opened = data.get("opened_at") or utcnow()
    data = {"opened_at": opened, **data}
    category = data.get("category")
    if category and not data.get("first_response_due"):
        data["first_response_due"] = opened + timedelta(days=workflow.FIRST_RESPONSE_DAYS)
    if category and not data.get("due_at"):
        data["due_at"] = opened + timedelta(days=workflow.due_days(category))
    return store.cases.create(data)


def change_case_status(
    store: Store,
    case_id: str,
    status: CaseStatus | str,
    *,
    reason: str | None = None,
    resolution: str | None = None,
    staff_id: str | None = None,
    lang: str | None = None,
) -> Case:
    """Move a case along the workflow (refused with a clear message if not allowed) and log it."""
    new_status = CaseStatus(status)
    with store.transaction():
        old = store.cases.get(case_id)
        changes: dict[str, Any] = {"status": new_status, "status_reason": reason}
        if resolution is not None:
            changes["resolution"] = resolution
        case: Case = store.cases.update(case_id, changes)
        if old.status != new_status:
            summary = t(
                "activity.case_status",
                lang,
                number=case.number,
                old=old.status.label(lang),
                new=new_status.label(lang),
            )
            log_activity(
                store,
                ActivityKind.STATUS_CHANGE,
                summary + (f" · {reason}" if reason else ""),
                case_id=case_id,
                contact_id=case.beneficiary_id,
                staff_id=staff_id,
            )
    return case


def complete_followup(
    store: Store,
    followup_id: str,
    *,
    note: str | None = None,
    staff_id: str | None = None,
    lang: str | None = None,
) -> FollowUp:
    with store.transaction():
        followup: FollowUp = store.followups.update(
            followup_id, {"status": FollowUpStatus.DONE, "completed_at": utcnow(), "snoozed_until": None}
        )
        kind = _FOLLOWUP_ACTIVITY.get(followup.kind, ActivityKind.NOTE)
        summary = t("activity.followup_done", lang, title=followup.title)
        log_activity(
            store,
            kind,
            summary,
            details=note,
            contact_id=followup.contact_id,
            case_id=followup.case_id,
            staff_id=staff_id,
        )
    return followup


def snooze_followup(store: Store, followup_id: str, until: datetime) -> FollowUp:
    return store.followups.update(followup_id, {"status": FollowUpStatus.SNOOZED, "snoozed_until": until})


def reschedule_followup(store: Store, followup_id: str, due_at: datetime) -> FollowUp:
    return store.followups.update(
        followup_id, {"status": FollowUpStatus.OPEN, "due_at": due_at, "snoozed_until": None}
    )
