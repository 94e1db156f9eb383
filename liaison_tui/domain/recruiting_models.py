"""Records of the recruiting half: the skills vocabulary, talent profiles and their skills, employers'
demands, staff's marks on proposed talents (pinned, dismissed) and introductions. Pure: no I/O.

Records that two laptops may well create for the same pair offline (a talent's profile, a talent's skill,
a mark on a talent for a demand) take ids derived from what they are about (:func:`derived_id`), so that
the two creations meet as one record when they sync instead of doubling."""

from __future__ import annotations

import re
import unicodedata
import uuid
from typing import Annotated, Self

from annotated_types import MaxLen
from pydantic import BeforeValidator, Field, StringConstraints, model_validator

from .enums import IndustryChain
from .models import IdList, LanguageList, LongText, Model, ShortText
from .recruiting import (
    Availability,
    Degree,
    DemandStatus,
    DismissReason,
    HardConstraint,
    IntroStage,
    MarkKind,
    Relocation,
    WorkMode,
)
from .validation import custom
from .values import CountryCode, IsoDate, TextList, UtcDateTime, list_of

_NAMESPACE = uuid.UUID("6f1d2c5e-0b7a-4c1e-9a43-1c2b3d4e5f60")
MAX_SKILLS = 30  # required or preferred skills of one demand

SkillList = Annotated[
    list[Annotated[str, StringConstraints(max_length=64)]], BeforeValidator(list_of), MaxLen(MAX_SKILLS)
]
HardList = Annotated[list[HardConstraint], BeforeValidator(list_of), MaxLen(10)]


def _optional(value: object) -> object:
    return value or None


def _optional_int(value: object) -> object:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


Years = Annotated[Annotated[int, Field(ge=0, le=70)] | None, BeforeValidator(_optional_int)]
Package = Annotated[
    Annotated[int, Field(ge=0, le=100_000)] | None, BeforeValidator(_optional_int)
]  # 10k CNY/yr


def derived_id(kind: str, *parts: str) -> str:
    """A UUID made from what a record is about: the same on every laptop."""
    return str(uuid.uuid5(_NAMESPACE, "|".join((kind, *parts))))


def skill_slug(name: str) -> str:
    """The id of a skill named ``name`` in English: ``sk-machine-learning``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9+#]+", "-", folded).strip("-").replace("+", "p").replace("#", "sharp")
    return f"sk-{slug[:60]}" if slug else f"sk-{derived_id('skill', name)[:8]}"


class Skill(Model):
    """One entry of the station's bilingual skills vocabulary; free text typed by staff maps to it by its
    names and aliases."""

    name_en: str = Field(min_length=1, max_length=100)
    name_zh: ShortText = None
    aliases: TextList = []
    chain: Annotated[IndustryChain | None, BeforeValidator(_optional)] = None


class TalentProfile(Model):
    """What matching needs to know about a talent beyond the contact record (which holds languages,
    country, city, time zone, field and industry chains)."""

    contact_id: str
    degree: Annotated[Degree | None, BeforeValidator(_optional)] = None
    years_experience: Years = None
    fields: TextList = []
    relocation: Annotated[Relocation | None, BeforeValidator(_optional)] = None
    preferred_cities: TextList = []
    availability: Annotated[Availability | None, BeforeValidator(_optional)] = None
    available_from: IsoDate | None = None
    expected_package: Package = None
    notes: LongText = None


class TalentSkill(Model):
    contact_id: str
    skill_id: str = Field(min_length=1, max_length=64)
    raw: ShortText = None  # as staff typed it


class Demand(Model):
    """What an employer or a project needs."""

    title: str = Field(min_length=1, max_length=200)
    org_id: str
    description: LongText = None
    field: ShortText = None
    industry_chain: Annotated[IndustryChain | None, BeforeValidator(_optional)] = None
    required_skills: SkillList = []
    preferred_skills: SkillList = []
    min_degree: Annotated[Degree | None, BeforeValidator(_optional)] = None
    min_years: Years = None
    languages: LanguageList = []
    city: ShortText = None
    country: Annotated[CountryCode | None, BeforeValidator(_optional)] = None
    work_mode: WorkMode = WorkMode.ONSITE
    relocation_support: bool = False
    package_min: Package = None
    package_max: Package = None
    headcount: int = Field(default=1, ge=1, le=10_000)
    deadline: IsoDate | None = None
    status: DemandStatus = DemandStatus.OPEN
    brought_by: ShortText = None  # the alliance member who brought it
    owner_id: ShortText = None
    hard: HardList = []
    notes: LongText = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (
            self.package_min is not None
            and self.package_max is not None
            and self.package_max < self.package_min
        ):
            raise custom("err.demand.package", field="package_max")
        twice = sorted(set(self.required_skills) & set(self.preferred_skills))
        if twice:
            raise custom("err.demand.skill_twice", field="preferred_skills", value=", ".join(twice))
        return self


class MatchMark(Model):
    """A staff member's mark on a proposed talent for one demand: pinned to the top, or dismissed with a
    reason (which the ranking for that demand learns from)."""

    demand_id: str
    contact_id: str
    mark: MarkKind
    reason: Annotated[DismissReason | None, BeforeValidator(_optional)] = None
    note: ShortText = None
    staff_id: ShortText = None

    @model_validator(mode="after")
    def _reasoned(self) -> Self:
        if self.mark == MarkKind.DISMISSED and self.reason is None:
            raise custom("err.match.reason_required", field="reason")
        return self


class Introduction(Model):
    """A talent introduced to an employer's demand, followed from proposal to arrival."""

    demand_id: str
    contact_id: str
    stage: IntroStage = IntroStage.PROPOSED
    stage_reason: ShortText = None
    stage_at: UtcDateTime | None = None
    owner_id: ShortText = None
    score: Annotated[float, Field(ge=-100, le=100)] | None = None  # the match score when proposed
    notes: LongText = None

    @model_validator(mode="after")
    def _reasoned(self) -> Self:
        if self.stage in (IntroStage.DECLINED, IntroStage.WITHDRAWN) and not self.stage_reason:
            raise custom("err.intro.reason_required", field="stage_reason")
        return self


__all__ = [
    "Demand",
    "IdList",
    "Introduction",
    "MatchMark",
    "Skill",
    "TalentProfile",
    "TalentSkill",
    "derived_id",
    "skill_slug",
]
