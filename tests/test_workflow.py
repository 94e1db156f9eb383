"""Every allowed and every forbidden case transition, in the domain and through the store."""

from __future__ import annotations

import itertools

import pytest

from liaison_tui.domain import ValidationFailed
from liaison_tui.domain.enums import CaseStatus as S
from liaison_tui.domain.workflow import NEEDS_REASON, TRANSITIONS, allowed_next, check_transition
from liaison_tui.store import Store
from liaison_tui.store.services import change_case_status, create_case

ALLOWED = sorted((a, b) for a in S for b in TRANSITIONS[a])
FORBIDDEN = sorted((a, b) for a, b in itertools.permutations(S, 2) if b not in TRANSITIONS[a])

EXPECTED_ALLOWED = {
    (S.NEW, S.TRIAGED),
    (S.NEW, S.REJECTED),
    (S.NEW, S.DUPLICATE),
    (S.NEW, S.CANCELLED),
    (S.TRIAGED, S.IN_PROGRESS),
    (S.TRIAGED, S.REJECTED),
    (S.TRIAGED, S.DUPLICATE),
    (S.TRIAGED, S.CANCELLED),
    (S.IN_PROGRESS, S.WAITING_TALENT),
    (S.IN_PROGRESS, S.WAITING_THIRD_PARTY),
    (S.IN_PROGRESS, S.RESOLVED),
    (S.IN_PROGRESS, S.CANCELLED),
    (S.WAITING_TALENT, S.IN_PROGRESS),
    (S.WAITING_TALENT, S.RESOLVED),
    (S.WAITING_TALENT, S.CANCELLED),
    (S.WAITING_THIRD_PARTY, S.IN_PROGRESS),
    (S.WAITING_THIRD_PARTY, S.RESOLVED),
    (S.WAITING_THIRD_PARTY, S.CANCELLED),
    (S.RESOLVED, S.CLOSED),
    (S.RESOLVED, S.IN_PROGRESS),
}


def test_the_table_is_the_one_the_station_agreed() -> None:
    assert set(ALLOWED) == EXPECTED_ALLOWED


@pytest.mark.parametrize(("old", "new"), ALLOWED, ids=lambda s: s.value)
def test_allowed_transition(old: S, new: S) -> None:
    check_transition(old, new, reason="because", resolution="done")


@pytest.mark.parametrize(("old", "new"), FORBIDDEN, ids=lambda s: s.value)
def test_forbidden_transition(old: S, new: S) -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_transition(old, new, reason="because", resolution="done")
    problem = caught.value.problems[0]
    assert problem.field == "status"
    assert new.label("zh") in problem.message("zh")
    assert old.label("en") in problem.message("en")


@pytest.mark.parametrize(
    ("old", "new"), sorted(p for p in NEEDS_REASON if p[1] in TRANSITIONS[p[0]]), ids=lambda s: s.value
)
def test_reason_required(old: S, new: S) -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_transition(old, new, reason=" ", resolution="done")
    assert caught.value.problems[0].field == "status_reason"


def test_resolution_required_to_resolve() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_transition(S.IN_PROGRESS, S.RESOLVED, reason=None, resolution=None)
    assert caught.value.problems[0].field == "resolution"


def test_allowed_next_in_workflow_order() -> None:
    assert allowed_next(S.NEW) == [S.TRIAGED, S.REJECTED, S.DUPLICATE, S.CANCELLED]
    assert allowed_next(S.CLOSED) == []


def _case(store: Store) -> str:
    contact = store.contacts.create({"native_name": "测试人"})
    return create_case(store, {"title": "住房", "beneficiary_id": contact.id, "category": "housing"}).id


def test_store_walks_a_case_to_closed_and_logs_each_step(store: Store) -> None:
    case_id = _case(store)
    for status in (S.TRIAGED, S.IN_PROGRESS, S.WAITING_THIRD_PARTY, S.IN_PROGRESS):
        change_case_status(store, case_id, status)
    change_case_status(store, case_id, S.RESOLVED, resolution="入住人才公寓")
    resolved = store.cases.get(case_id)
    assert resolved.resolved_at is not None
    change_case_status(store, case_id, S.IN_PROGRESS, reason="钥匙未交付")  # reopen
    assert store.cases.get(case_id).resolved_at is None
    change_case_status(store, case_id, S.RESOLVED, resolution="已交付")
    closed = change_case_status(store, case_id, S.CLOSED)
    assert closed.closed_at is not None
    timeline = store.activities.list(where={"case_id": case_id}, limit=50).items
    assert len(timeline) == 8
    statuses = [h["new_value"] for h in store.history("cases", case_id) if h["field"] == "status"]
    assert statuses[0] == "closed" and len(statuses) == 8


def test_store_refuses_a_jump_and_writes_nothing(store: Store) -> None:
    case_id = _case(store)
    before = store.pending_changes()
    with pytest.raises(ValidationFailed) as caught:
        change_case_status(store, case_id, S.CLOSED)
    assert "新建" in caught.value.message("zh")
    assert store.cases.get(case_id).status == S.NEW
    assert store.pending_changes() == before


def test_a_stale_reason_does_not_count_for_the_next_move(store: Store) -> None:
    case_id = _case(store)
    change_case_status(store, case_id, S.TRIAGED)
    store.cases.update(case_id, {"status_reason": "old note"})
    with pytest.raises(ValidationFailed):
        store.cases.update(case_id, {"status": S.CANCELLED})
    store.cases.update(case_id, {"status": S.CANCELLED, "status_reason": "人才放弃"})
    assert store.cases.get(case_id).status == S.CANCELLED
