"""Trip kits: what a laptop taken abroad may carry. Pure: the selection and its checks.

A kit selects people by any of its headings (the union): country, city, event attended, owner or team,
industry chain, or an explicit list; it always carries what those people need (their contact points,
affiliations, attendances, consents, cases, follow-ups, activities, the organizations they belong to, every
event and every staff member), and everything created on the trip laptop itself. ``open_only`` leaves
closed cases and finished follow-ups at the station. A kit expires: the laptop then sends what it still
has and erases its store.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from .enums import IndustryChain
from .i18n import register
from .values import country_code

register(
    {
        "kit.err.name": (
            "A kit name is 2-40 letters, digits, '.', '-' or '_'.",
            "数据包名称为 2-40 位字母、数字、“.”、“-”或“_”。",
        ),
        "kit.err.empty": (
            "A kit needs at least one heading: --country, --city, --event, --owner, --chain or --contact.",
            "数据包至少需要一个筛选条件：--country、--city、--event、--owner、--chain 或 --contact。",
        ),
        "kit.summary.countries": ("countries {value}", "国家/地区 {value}"),
        "kit.summary.cities": ("cities {value}", "城市 {value}"),
        "kit.summary.events": ("{count} event(s)", "{count} 个活动"),
        "kit.summary.owners": ("owners {value}", "负责人 {value}"),
        "kit.summary.chains": ("chains {value}", "产业链 {value}"),
        "kit.summary.contacts": ("{count} named contact(s)", "{count} 位指定联系人"),
        "kit.summary.open_only": ("open cases only", "仅未结事项"),
    }
)

KIT_NAME = re.compile(r"[A-Za-z0-9._-]{2,40}")
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class KitSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    countries: list[Short] = Field(default_factory=list, max_length=50)
    cities: list[Short] = Field(default_factory=list, max_length=50)
    events: list[Short] = Field(default_factory=list, max_length=50)
    owners: list[Short] = Field(default_factory=list, max_length=50)  # user names, or "team:NAME"
    chains: list[IndustryChain] = Field(default_factory=list, max_length=30)
    contacts: list[Short] = Field(default_factory=list, max_length=10_000)
    open_only: bool = False

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        return sorted({country_code(v) for v in value})

    @field_validator("cities")
    @classmethod
    def _cities(cls, value: list[str]) -> list[str]:
        return sorted({v.casefold() for v in value})

    @property
    def empty(self) -> bool:
        return not (
            self.countries or self.cities or self.events or self.owners or self.chains or self.contacts
        )

    def summary(self, lang: str | None = None) -> str:
        from .i18n import t

        parts = []
        if self.countries:
            parts.append(t("kit.summary.countries", lang, value=", ".join(self.countries)))
        if self.cities:
            parts.append(t("kit.summary.cities", lang, value=", ".join(self.cities)))
        if self.events:
            parts.append(t("kit.summary.events", lang, count=len(self.events)))
        if self.owners:
            parts.append(t("kit.summary.owners", lang, value=", ".join(self.owners)))
        if self.chains:
            parts.append(t("kit.summary.chains", lang, value=", ".join(c.value for c in self.chains)))
        if self.contacts:
            parts.append(t("kit.summary.contacts", lang, count=len(self.contacts)))
        if self.open_only:
            parts.append(t("kit.summary.open_only", lang))
        return "; ".join(parts)


class KitInfo(BaseModel):
    """What a laptop is told about its kit (session), and remembers."""

    name: str
    expires_at: str | None = None
    grace_days: int | None = None
    summary: dict[str, Any] = Field(default_factory=dict)

    def expires_on(self) -> date | None:
        return date.fromisoformat(self.expires_at[:10]) if self.expires_at else None
