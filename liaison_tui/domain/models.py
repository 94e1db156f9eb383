"""The station's records as pydantic models. Pure: no I/O.

Models hold the fields a staff member edits. Bookkeeping (created/updated time, author, device, clocks,
tombstone) belongs to the store and is carried beside a model, not inside it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Self

from annotated_types import MaxLen
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .enums import (
    ActivityKind,
    AttendanceStatus,
    CaseCategory,
    CasePriority,
    CaseStatus,
    ConsentAction,
    ConsentChannel,
    ConsentPurpose,
    ContactKind,
    ContactPointKind,
    ContactSource,
    EventKind,
    FollowUpKind,
    FollowUpStatus,
    Gender,
    IndustryChain,
    NameOrder,
    OrgKind,
    PipelineStage,
    StaffRole,
    TalentTier,
    ViewKind,
)
from .ids import new_id
from .recruiting import AllianceRole
from .text import has_control
from .validation import custom
from .values import (
    MAX_LIST_ITEMS,
    CountryCode,
    IsoDate,
    LanguageCode,
    TextList,
    TimeZoneName,
    UtcDateTime,
    blank_to_none,
    list_of,
    normalize_email,
    normalize_phone,
    normalize_url,
    normalize_wechat,
    utcnow,
)

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 20_000
ShortText = Annotated[
    Annotated[str, StringConstraints(max_length=SHORT_TEXT_MAX)] | None, BeforeValidator(blank_to_none)
]
LongText = Annotated[
    Annotated[str, StringConstraints(max_length=LONG_TEXT_MAX)] | None, BeforeValidator(blank_to_none)
]
ChainList = Annotated[list[IndustryChain], BeforeValidator(list_of), MaxLen(MAX_LIST_ITEMS)]
CountryList = Annotated[list[CountryCode], BeforeValidator(list_of), MaxLen(MAX_LIST_ITEMS)]
LanguageList = Annotated[list[LanguageCode], BeforeValidator(list_of), MaxLen(MAX_LIST_ITEMS)]
IdList = Annotated[
    list[Annotated[str, StringConstraints(max_length=64)]], BeforeValidator(list_of), MaxLen(MAX_LIST_ITEMS)
]
CASE_NUMBER = re.compile(r"^[A-Z]{2,4}-\d{4}-[A-Z0-9]{2,4}-\d{4,6}$")


class Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, validate_default=False, defer_build=True
    )

    id: str = Field(default_factory=new_id, max_length=64)

    @field_validator("*", mode="after")
    @classmethod
    def _plain(cls, value: Any, info: ValidationInfo) -> Any:
        """No field holds terminal control characters (escape sequences, bidi overrides): text from an
        import, a form or another laptop is refused here, at the boundary. Rows already stored are read
        as they are (and shown inertly)."""
        context = info.context or {}
        if context.get("stored") and info.field_name not in context.get("check", ()):
            return value
        items = value if isinstance(value, list) else (value,)
        if any(isinstance(item, str) and has_control(item) for item in items):
            raise custom("err.control_chars")
        return value

    def storable(self) -> dict[str, Any]:
        """Field values as the store keeps them (enums as values, times as ISO text, lists as lists)."""
        return self.model_dump(mode="json")


class Staff(Model):
    username: str
    display_name: str = Field(min_length=1, max_length=100)
    role: StaffRole = StaffRole.OFFICER
    team: Annotated[str | None, StringConstraints(max_length=40)] = None
    active: bool = True

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        value = value.strip().lower()
        if not re.fullmatch(r"[a-z0-9._-]{2,32}", value):
            raise custom("err.username")
        return value


class Organization(Model):
    name_zh: ShortText = None
    name_en: ShortText = None
    kind: OrgKind = OrgKind.ENTERPRISE
    alliance_member: bool = False
    district: ShortText = None
    country: Annotated[CountryCode | None, BeforeValidator(lambda v: v or None)] = None
    city: ShortText = None
    industry_chains: ChainList = []
    website: ShortText = None
    notes: LongText = None
    # The alliance: its role and since when (meaningful while ``alliance_member``), the station staff who
    # own the relationship, and the organization this one was merged into.
    alliance_role: Annotated[AllianceRole | None, BeforeValidator(lambda v: v or None)] = None
    alliance_since: IsoDate | None = None
    staff_ids: IdList = []
    merged_into: ShortText = None

    @model_validator(mode="after")
    def _named(self) -> Self:
        if not (self.name_zh or self.name_en):
            raise custom("err.org_name_required", field="name_zh")
        return self

    @property
    def display_name(self) -> str:
        return " · ".join(n for n in (self.name_zh, self.name_en) if n)


class Contact(Model):
    kind: ContactKind = ContactKind.TALENT
    native_name: ShortText = None
    latin_name: ShortText = None
    name_order: NameOrder = NameOrder.FAMILY_FIRST
    aliases: TextList = []
    gender: Annotated[Gender | None, BeforeValidator(lambda v: v or None)] = None
    nationalities: CountryList = []
    country: Annotated[CountryCode | None, BeforeValidator(lambda v: v or None)] = None
    city: ShortText = None
    timezone: Annotated[TimeZoneName | None, BeforeValidator(lambda v: v or None)] = None
    languages: LanguageList = []
    org_id: ShortText = None
    title: ShortText = None
    field: ShortText = None
    industry_chains: ChainList = []
    tier: TalentTier = TalentTier.UNRATED
    stage: PipelineStage = PipelineStage.LEAD
    owner_id: ShortText = None
    source: ContactSource = ContactSource.OTHER
    source_detail: ShortText = None
    tags: TextList = []
    notes: LongText = None
    merged_into: ShortText = None
    last_activity_at: UtcDateTime | None = None

    @model_validator(mode="after")
    def _named(self) -> Self:
        if not (self.native_name or self.latin_name):
            raise custom("err.name_required", field="native_name")
        return self

    @property
    def display_name(self) -> str:
        if self.native_name and self.latin_name:
            return f"{self.native_name} ({self.latin_name})"
        return self.native_name or self.latin_name or ""


class ContactPoint(Model):
    """One way to reach a contact. ``value`` is derived from ``raw``; pass the contact's country as
    validation context ``{"region": "DE"}`` so that national phone formats parse."""

    contact_id: str
    kind: ContactPointKind
    raw: str = Field(min_length=1, max_length=500)
    value: str = ""
    label: ShortText = None
    is_primary: bool = False

    @model_validator(mode="after")
    def _normalise(self, info: ValidationInfo) -> Self:
        context = (info.context or {}) if info else {}
        if context.get("stored") and self.value:
            return self
        region = context.get("region")
        try:
            self.value = self._normal_value(self.raw, region)
        except PydanticCustomError as exc:  # report it on the field the staff member typed
            raise custom(exc.type, field="raw", **(exc.context or {})) from None
        return self

    def _normal_value(self, raw: str, region: str | None) -> str:
        match self.kind:
            case ContactPointKind.PHONE:
                return normalize_phone(raw, region)
            case ContactPointKind.EMAIL:
                return normalize_email(raw)
            case ContactPointKind.WECHAT:
                return normalize_wechat(raw)
            case ContactPointKind.URL | ContactPointKind.LINKEDIN:
                return normalize_url(raw)
            case _:
                return " ".join(raw.split())


class Affiliation(Model):
    contact_id: str
    org_id: str
    role: ShortText = None
    current: bool = True
    since: IsoDate | None = None
    until: IsoDate | None = None
    is_contact: bool = False  # the organization's contact person for the station

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.since and self.until and self.until < self.since:
            raise custom("err.end_before_start", field="until")
        return self


class Event(Model):
    name: str = Field(min_length=1, max_length=200)
    kind: EventKind = EventKind.SUMMIT
    starts_on: IsoDate
    ends_on: IsoDate | None = None
    city: ShortText = None
    country: Annotated[CountryCode | None, BeforeValidator(lambda v: v or None)] = None
    notes: LongText = None
    venue: ShortText = None
    timezone: Annotated[TimeZoneName | None, BeforeValidator(lambda v: v or None)] = None
    organizer_ids: IdList = []

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.ends_on and self.ends_on < self.starts_on:
            raise custom("err.end_before_start", field="ends_on")
        return self


class Attendance(Model):
    event_id: str
    contact_id: str
    status: AttendanceStatus = AttendanceStatus.INVITED
    notes: LongText = None
    checked_in_at: UtcDateTime | None = None


class Case(Model):
    number: str = ""
    title: str = Field(min_length=1, max_length=200)
    description: LongText = None
    beneficiary_id: str
    related_ids: IdList = []
    category: CaseCategory
    priority: CasePriority = CasePriority.NORMAL
    status: CaseStatus = CaseStatus.NEW
    status_reason: ShortText = None
    owner_id: ShortText = None
    opened_at: UtcDateTime = Field(default_factory=utcnow)
    first_response_due: UtcDateTime | None = None
    due_at: UtcDateTime | None = None
    resolved_at: UtcDateTime | None = None
    closed_at: UtcDateTime | None = None
    resolution: LongText = None

    @field_validator("number")
    @classmethod
    def _number(cls, value: str) -> str:
        value = value.strip().upper()
        if value and not CASE_NUMBER.match(value):
            raise custom("err.case.number", value=value)
        return value


class FollowUp(Model):
    kind: FollowUpKind = FollowUpKind.CALL_BACK
    title: str = Field(min_length=1, max_length=200)
    notes: LongText = None
    due_at: UtcDateTime
    assignee_id: ShortText = None
    status: FollowUpStatus = FollowUpStatus.OPEN
    snoozed_until: UtcDateTime | None = None
    completed_at: UtcDateTime | None = None
    contact_id: ShortText = None
    case_id: ShortText = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if not (self.contact_id or self.case_id):
            raise custom("err.link_required", field="contact_id")
        if self.status == FollowUpStatus.SNOOZED and self.snoozed_until is None:
            raise custom("err.snooze_until_required", field="snoozed_until")
        return self

    def is_overdue(self, now: datetime | None = None) -> bool:
        if self.status not in (FollowUpStatus.OPEN, FollowUpStatus.SNOOZED):
            return False
        when = (
            self.snoozed_until
            if self.status == FollowUpStatus.SNOOZED and self.snoozed_until
            else self.due_at
        )
        return when < (now or utcnow())


class Activity(Model):
    kind: ActivityKind
    occurred_at: UtcDateTime = Field(default_factory=utcnow)
    staff_id: ShortText = None
    summary: str = Field(min_length=1, max_length=2000)
    details: LongText = None
    contact_id: ShortText = None
    case_id: ShortText = None
    event_id: ShortText = None

    @model_validator(mode="after")
    def _linked(self) -> Self:
        if not (self.contact_id or self.case_id or self.event_id):
            raise custom("err.link_required", field="contact_id")
        return self


class SavedView(Model):
    """A named case list, contact list or report with its filters, kept for its owner (and synced to their
    other laptops); ``shared`` shows it to everyone as well. ``params`` is a JSON object."""

    owner_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=80)
    kind: ViewKind
    target: ShortText = None  # the report's name, for a report view
    params: str = Field(default="{}", max_length=4000)
    shared: bool = False

    @field_validator("params")
    @classmethod
    def _json_object(cls, value: str) -> str:
        import json

        try:
            parsed = json.loads(value or "{}")
        except ValueError:
            raise custom("err.view_params") from None
        if not isinstance(parsed, dict):
            raise custom("err.view_params")
        return json.dumps(parsed, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Consent(Model):
    """One event of a person's consent ledger (append-only): agreeing to a purpose, or withdrawing."""

    contact_id: str
    action: ConsentAction
    purpose: ConsentPurpose
    org_id: ShortText = None  # sharing with this employer only (None: any employer, or not about sharing)
    scope: ShortText = None
    channel: ConsentChannel
    occurred_on: IsoDate
    expires_on: IsoDate | None = None
    evidence: LongText = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.expires_on and self.expires_on < self.occurred_on:
            raise custom("err.end_before_start", field="expires_on")
        return self


class Erasure(Model):
    """A person's data erased on request: the tombstone that stays (who did it is its author)."""

    contact_id: str
    reason: str = Field(min_length=1, max_length=200)
    erased_at: UtcDateTime = Field(default_factory=utcnow)
