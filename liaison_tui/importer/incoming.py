"""One spreadsheet row -> a validated contact with its contact points, or the reasons it cannot be one.

Pure: no database. Values are validated with the domain models (the same rules as a contact typed in the
app), so what the bulk path writes later is exactly what the repositories would accept. All of a row's
problems are collected, not just the first, so a staff member fixes a row once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from ..domain.enums import ContactPointKind
from ..domain.i18n import has, register
from ..domain.models import Contact
from ..domain.validation import FieldProblem, ValidationFailed
from ..domain.values import dialing_region, normalize_email, normalize_phone, normalize_url, normalize_wechat
from . import cells
from .readers import RawRow

# Field labels for problems reported on import columns (the domain registers the contact's own fields).
_LABELS = {
    "phones": ("Phone", "手机"),
    "emails": ("Email", "邮箱"),
    "wechat": ("WeChat", "微信号"),
    "nationality": ("Nationality", "国籍"),
    "org": ("Organization", "现任单位"),
    "linkedin": ("LinkedIn", "领英"),
    "url": ("Web page", "网址"),
    "industry_chain": ("Industry chain", "产业链"),
    "birth_date": ("Birth date", "出生日期"),
    "family_name": ("Family name", "姓"),
    "given_name": ("Given name", "名"),
    "record_id": ("Liaison ID", "Liaison 编号"),
}
register({f"field.{k}": v for k, v in _LABELS.items() if not has(f"field.{k}")})
register(
    {
        "import.note.birth_date": ("Birth date: {value}", "出生日期：{value}"),
    }
)

# Contact point kinds by import column; the first point of each kind becomes the primary one.
POINT_FIELDS: dict[str, ContactPointKind] = {
    "phones": ContactPointKind.PHONE,
    "emails": ContactPointKind.EMAIL,
    "wechat": ContactPointKind.WECHAT,
    "linkedin": ContactPointKind.LINKEDIN,
    "url": ContactPointKind.URL,
}
_SPLITTERS: dict[str, Callable[[str], list[str]]] = {
    "phones": cells.split_phones,
    "emails": cells.split_emails,
    "wechat": cells.split_phones,
    "linkedin": cells.split_lines,
    "url": cells.split_lines,
}
# Scalar contact fields an import may fill in (lists are merged separately).
SCALARS = (
    "native_name",
    "latin_name",
    "gender",
    "country",
    "city",
    "title",
    "field",
    "source",
    "source_detail",
    "notes",
)
LISTS = ("nationalities", "industry_chains", "tags")


@dataclass
class Point:
    kind: str
    raw: str
    value: str  # normalised: E.164, lower-case email, WeChat id

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.value)


@dataclass
class Incoming:
    """A row that can become (or update) a contact. ``contact`` holds storable values without ``id``."""

    number: int
    contact: dict[str, Any]
    points: list[Point] = field(default_factory=list)
    org_name: str | None = None
    record_id: str | None = None  # a Liaison id from an export's ID column

    def identity_keys(self) -> list[tuple[str, str]]:
        """Exact identity keys: a row sharing any of these with another row or a stored contact is the
        same person."""
        out = [p.key for p in self.points if p.kind in ("email", "phone", "wechat")]
        if self.record_id:
            out.append(("id", self.record_id))
        return out


@dataclass
class Failed:
    number: int
    error: ValidationFailed

    def message(self, lang: str | None = None) -> str:
        return "; ".join(p.message(lang) for p in self.error.problems)


def build(
    row: RawRow, mapping: Mapping[str, str], id_column: str | None = None, note_lang: str | None = None
) -> Incoming | Failed:
    """Interpret ``row`` with ``mapping`` (header -> canonical field)."""
    text: dict[str, list[str]] = {}
    for header, target in mapping.items():
        value = row.values.get(header, "")
        if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
            value = value[1:]  # our CSV export's guard against Excel formulas
        if target != "ignore" and value and value.strip():
            text.setdefault(target, []).append(value.strip())
    problems: list[FieldProblem] = []

    def one(name: str) -> str:
        return " ".join(text.get(name, [])).strip()

    def attempt(name: str, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except PydanticCustomError as exc:
            problems.append(FieldProblem(name, exc.type, dict(exc.context or {})))
            return None

    data: dict[str, Any] = {"native_name": one("native_name"), "latin_name": one("latin_name")}
    _names_from_parts(data, one("family_name"), one("given_name"))
    if data["native_name"] and cells.is_latin(data["native_name"]) and not data["latin_name"]:
        data["latin_name"], data["native_name"] = data["native_name"], ""
    data["gender"] = attempt("gender", lambda: cells.parse_gender(one("gender")))
    country_text = one("country")
    data["country"] = attempt("country", lambda: cells.parse_country(country_text)) if country_text else None
    nationalities: list[str] = []
    for part in cells.split_list(" ,".join(text.get("nationality", []))):
        code = attempt("nationality", lambda p=part: cells.parse_country(p))
        if code and code not in nationalities:
            nationalities.append(code)
    data["nationalities"] = nationalities
    data["city"] = one("city")
    data["title"] = one("title")
    data["field"] = one("field")
    chains, extra_tags = cells.parse_chains("、".join(text.get("industry_chain", [])))
    data["industry_chains"] = chains
    data["tags"] = [*[t for v in text.get("tags", []) for t in cells.split_list(v)], *extra_tags]
    data["source"], data["source_detail"] = cells.parse_source(one("source"))
    notes = list(dict.fromkeys(text.get("notes", [])))
    if one("birth_date"):  # the contact record has no birth date; keep it readable rather than drop it
        from ..domain.i18n import t

        notes.append(t("import.note.birth_date", note_lang, value=one("birth_date")))
    data["notes"] = "\n".join(notes)

    contact: dict[str, Any] = {}
    try:
        contact = Contact.model_validate(data).storable()
    except ValidationError as exc:
        problems.extend(ValidationFailed.from_pydantic(exc).problems)

    region = dialing_region(data.get("country"), nationalities)
    points: list[Point] = []
    seen: set[tuple[str, str]] = set()
    for name, kind in POINT_FIELDS.items():
        for cell in text.get(name, []):
            for raw in _SPLITTERS[name](cell):
                point = attempt(name, lambda r=raw, k=kind: _point(k, r, region))
                if point and point.key not in seen:
                    seen.add(point.key)
                    points.append(point)
    if problems:
        return Failed(row.number, ValidationFailed(problems))
    contact.pop("id", None)
    record_id = row.values.get(id_column, "").strip() if id_column else ""
    orgs = [o.strip() for cell in text.get("org", []) for o in cell.split("\n") if o.strip()]
    return Incoming(row.number, contact, points, orgs[0] if orgs else None, record_id or None)


_NORMALISERS: dict[ContactPointKind, Callable[[str, str | None], str]] = {
    ContactPointKind.PHONE: normalize_phone,
    ContactPointKind.EMAIL: lambda raw, _region: normalize_email(raw),
    ContactPointKind.WECHAT: lambda raw, _region: normalize_wechat(raw),
    ContactPointKind.LINKEDIN: lambda raw, _region: normalize_url(raw),
    ContactPointKind.URL: lambda raw, _region: normalize_url(raw),
}


def _point(kind: ContactPointKind, raw: str, region: str | None) -> Point:
    """The rules of ContactPoint (models.py) called directly: the model's validator is these normalisers
    plus a length limit, and skipping the model halves the cost of a 100k-row import."""
    if len(raw) > 500:
        raise PydanticCustomError("err.too_long", "err.too_long", {"max_length": 500})
    return Point(kind.value, raw, _NORMALISERS[kind](raw, region))


def _names_from_parts(data: dict[str, Any], family: str, given: str) -> None:
    """Separate family/given columns fill whichever full name is missing (张 + 伟; Anna + Schmidt)."""
    if not (family or given):
        return
    if cells.is_latin(family + given):
        if not data["latin_name"]:
            data["latin_name"] = " ".join(p for p in (given, family) if p)
    elif not data["native_name"]:
        data["native_name"] = family + given
