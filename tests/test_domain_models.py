"""Every model accepts good data and rejects bad data with a field-level message in both languages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from liaison_tui.domain import (
    Activity,
    Affiliation,
    Attendance,
    Case,
    Contact,
    ContactPoint,
    Event,
    FollowUp,
    Organization,
    Staff,
    ValidationFailed,
)
from liaison_tui.domain.enums import CaseStatus, LabeledEnum
from liaison_tui.domain.i18n import has, t
from liaison_tui.domain.models import Model

DUE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

VALID: list[tuple[type[Model], dict[str, Any]]] = [
    (Staff, {"username": "Wang.Li", "display_name": "王丽"}),
    (
        Organization,
        {"name_zh": "青岛大学", "kind": "university", "country": "China", "industry_chains": "ai, marine"},
    ),
    (
        Contact,
        {
            "native_name": "張偉",
            "latin_name": "Zhang Wei",
            "nationalities": ["DE", "CHN"],
            "timezone": "Europe/Berlin",
            "languages": "zh, English",
            "industry_chains": ["biomedicine"],
            "stage": "engaged",
            "tags": "博士, PhD",
        },
    ),
    (ContactPoint, {"contact_id": "c1", "kind": "email", "raw": " Zhang.Wei@TUM.de "}),
    (ContactPoint, {"contact_id": "c1", "kind": "phone", "raw": "0049-151-2345-6789"}),
    (ContactPoint, {"contact_id": "c1", "kind": "wechat", "raw": "zhang_wei_85"}),
    (ContactPoint, {"contact_id": "c1", "kind": "url", "raw": "www.example.org/lab"}),
    (Affiliation, {"contact_id": "c1", "org_id": "o1", "role": "Professor", "since": "2020-09-01"}),
    (Event, {"name": "峰会", "starts_on": "2026-06-01", "ends_on": "2026-06-02", "country": "CN"}),
    (Attendance, {"event_id": "e1", "contact_id": "c1", "status": "attended"}),
    (
        Case,
        {
            "title": "人才签证",
            "beneficiary_id": "c1",
            "category": "visa_entry",
            "due_at": "2026-12-01T09:00:00Z",
        },
    ),
    (FollowUp, {"title": "回电", "due_at": DUE, "contact_id": "c1"}),
    (Activity, {"kind": "call", "summary": "电话沟通", "contact_id": "c1"}),
]

# (model, data, field that must be named, catalog key expected)
INVALID: list[tuple[type[Model], dict[str, Any], str, str]] = [
    (Staff, {"username": "A B", "display_name": "x"}, "username", "err.username"),
    (Organization, {"kind": "enterprise"}, "name_zh", "err.org_name_required"),
    (Organization, {"name_en": "X", "country": "Atlantis"}, "country", "err.country"),
    (Contact, {}, "native_name", "err.name_required"),
    (Contact, {"native_name": "张伟", "timezone": "Mars/Olympus"}, "timezone", "err.timezone"),
    (Contact, {"native_name": "张伟", "stage": "married"}, "stage", "err.choice"),
    (Contact, {"native_name": "张伟", "languages": ["klingonish"]}, "languages", "err.language"),
    (Contact, {"native_name": "张" * 201}, "native_name", "err.too_long"),
    (ContactPoint, {"contact_id": "c1", "kind": "phone", "raw": "12"}, "raw", "err.phone"),
    (ContactPoint, {"contact_id": "c1", "kind": "phone", "raw": "call me"}, "raw", "err.phone"),
    (ContactPoint, {"contact_id": "c1", "kind": "email", "raw": "zhang.wei@"}, "raw", "err.email"),
    (ContactPoint, {"contact_id": "c1", "kind": "wechat", "raw": "微信"}, "raw", "err.wechat"),
    (
        Event,
        {"name": "X", "starts_on": "2026-06-02", "ends_on": "2026-06-01"},
        "ends_on",
        "err.end_before_start",
    ),
    (Event, {"name": "X", "starts_on": "soon"}, "starts_on", "err.date"),
    (Attendance, {"event_id": "e1", "contact_id": "c1", "status": "maybe"}, "status", "err.choice"),
    (Case, {"title": "", "beneficiary_id": "c1", "category": "housing"}, "title", "err.too_short"),
    (Case, {"title": "x", "beneficiary_id": "c1", "category": "spaceflight"}, "category", "err.choice"),
    (
        Case,
        {"title": "x", "beneficiary_id": "c1", "category": "housing", "number": "42"},
        "number",
        "err.case.number",
    ),
    (FollowUp, {"title": "回电", "contact_id": "c1"}, "due_at", "err.required"),
    (FollowUp, {"title": "回电", "due_at": DUE}, "contact_id", "err.link_required"),
    (
        FollowUp,
        {"title": "x", "due_at": DUE, "case_id": "k", "status": "snoozed"},
        "snoozed_until",
        "err.snooze_until_required",
    ),
    (FollowUp, {"title": "x", "due_at": "tomorrow-ish", "case_id": "k"}, "due_at", "err.datetime"),
    (Activity, {"kind": "call", "summary": "x"}, "contact_id", "err.link_required"),
    (Activity, {"kind": "telepathy", "summary": "x", "contact_id": "c"}, "kind", "err.choice"),
]


@pytest.mark.parametrize(("model", "data"), VALID, ids=lambda v: getattr(v, "__name__", ""))
def test_valid_records_are_accepted(model: type[Model], data: dict[str, Any]) -> None:
    record = model.model_validate(data)
    assert record.id
    record.storable()  # serialises to storable JSON types


def test_normalisation_of_values() -> None:
    contact = Contact.model_validate(VALID[2][1])
    assert contact.nationalities == ["DE", "CN"]
    assert contact.languages == ["zh", "en"]
    assert contact.tags == ["博士", "PhD"]
    assert ContactPoint.model_validate(VALID[3][1]).value == "zhang.wei@tum.de"
    assert ContactPoint.model_validate(VALID[4][1]).value == "+4915123456789"
    national = ContactPoint.model_validate(
        {"contact_id": "c", "kind": "phone", "raw": "0151 2345 6789"}, context={"region": "DE"}
    )
    assert national.value == "+4915123456789"
    assert Staff.model_validate(VALID[0][1]).username == "wang.li"
    assert Organization.model_validate(VALID[1][1]).country == "CN"


@pytest.mark.parametrize(
    ("model", "data", "field", "key"), INVALID, ids=[f"{m.__name__}-{f}-{k}" for m, _, f, k in INVALID]
)
def test_invalid_records_name_the_field_in_both_languages(
    model: type[Model], data: dict[str, Any], field: str, key: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    failure = ValidationFailed.from_pydantic(caught.value)
    assert field in failure.fields
    problem = next(p for p in failure.problems if p.field == field)
    assert problem.key == key
    english, chinese = problem.message("en"), problem.message("zh")
    assert english != chinese
    assert t(f"field.{field}", "zh") in chinese
    assert t(f"field.{field}", "en") in english
    assert key not in english and key not in chinese  # translated, not the raw key


def test_every_enum_value_has_both_labels() -> None:
    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    enums = subclasses(LabeledEnum)
    assert len(enums) >= 15
    for enum in enums:
        for member in enum:
            assert has(f"enum.{enum.__name__}.{member.value}"), member
            assert member.label("zh") != member.label("en") or member.value in ("a", "b"), member


def test_case_status_labels_are_distinct_per_language() -> None:
    assert CaseStatus.WAITING_TALENT.label("zh") == "等待人才"
    assert CaseStatus.WAITING_TALENT.label("en") == "Waiting on talent"
