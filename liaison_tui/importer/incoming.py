"""One spreadsheet row -> a validated contact with its contact points, or the reasons it cannot be one.

Pure: no database. Values are validated with the domain models (the same rules as a contact typed in the
app), so what the bulk path writes later is exactly what the repositories would accept. All of a row's
problems are collected, not just the first, so a staff member fixes a row once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from ..domain.enums import ContactPointKind
from ..domain.i18n import has, register, t
from ..domain.models import LONG_TEXT_MAX, SHORT_TEXT_MAX, Contact
from ..domain.text import has_control
from ..domain.validation import FieldProblem, ValidationFailed
from ..domain.values import (
    MAX_LIST_ITEMS,
    dialing_region,
    list_of,
    normalize_email,
    normalize_phone,
    normalize_url,
    normalize_wechat,
)
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


@dataclass(slots=True)
class Point:
    kind: str
    raw: str
    value: str  # normalised: E.164, lower-case email, WeChat id

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.value)


_IDENTITY_KINDS = frozenset({"email", "phone", "wechat"})


@dataclass(slots=True)
class Incoming:
    """A row that can become (or update) a contact. ``contact`` holds storable values without ``id``."""

    number: int
    contact: dict[str, Any]
    points: list[Point] = field(default_factory=list)
    org_name: str | None = None
    record_id: str | None = None  # a Liaison id from an export's ID column
    _keys: list[tuple[str, str]] | None = field(default=None, init=False, repr=False, compare=False)

    def identity_keys(self) -> list[tuple[str, str]]:
        """Exact identity keys: a row sharing any of these with another row or a stored contact is the
        same person. Worked out once (grouping, matching and the preview each ask; a row never changes)."""
        if self._keys is None:
            self._keys = [(p.kind, p.value) for p in self.points if p.kind in _IDENTITY_KINDS]
            if self.record_id:
                self._keys.append(("id", self.record_id))
        return self._keys


@dataclass
class Failed:
    number: int
    error: ValidationFailed

    def message(self, lang: str | None = None) -> str:
        return "; ".join(p.message(lang) for p in self.error.problems)


def used_columns(mapping: Mapping[str, str]) -> list[tuple[str, str]]:
    """(header, field) of the mapped columns, in file order: what :func:`build` reads of each row."""
    return [(header, target) for header, target in mapping.items() if target != "ignore"]


def build_rows(
    rows: Sequence[RawRow],
    mapping: Mapping[str, str] | list[tuple[str, str]],
    id_column: str | None = None,
    note_lang: str | None = None,
) -> list[Incoming | Failed]:
    """:func:`build` of each row: one batch of a file."""
    return [build(row, mapping, id_column, note_lang) for row in rows]


def build(
    row: RawRow,
    mapping: Mapping[str, str] | list[tuple[str, str]],
    id_column: str | None = None,
    note_lang: str | None = None,
) -> Incoming | Failed:
    """Interpret ``row`` with ``mapping`` (header -> canonical field, or :func:`used_columns` of it)."""
    columns = used_columns(mapping) if isinstance(mapping, Mapping) else mapping
    values = row.values
    text: dict[str, list[str]] = {}
    for header, target in columns:
        value = values.get(header)  # stripped by the reader (RawRow)
        if not value:
            continue
        if value[0] == "'" and len(value) > 1 and value[1] in "=+-@":
            value = value[1:].strip()  # our CSV export's guard against Excel formulas
            if not value:
                continue
        if target in text:
            text[target].append(value)
        else:
            text[target] = [value]
    problems: list[FieldProblem] = []

    def one(name: str) -> str:
        parts = text.get(name)
        return (parts[0] if len(parts) == 1 else " ".join(parts).strip()) if parts else ""

    data: dict[str, Any] = {"native_name": one("native_name"), "latin_name": one("latin_name")}
    if "family_name" in text or "given_name" in text:
        _names_from_parts(data, one("family_name"), one("given_name"))
    if data["native_name"] and not data["latin_name"] and cells.is_latin(data["native_name"]):
        data["latin_name"], data["native_name"] = data["native_name"], ""
    try:
        data["gender"] = cells.parse_gender(one("gender"))
    except PydanticCustomError as exc:
        data["gender"] = None
        problems.append(FieldProblem("gender", exc.type, dict(exc.context or {})))
    country_text = one("country")
    data["country"] = None
    if country_text:
        try:
            data["country"] = cells.parse_country(country_text)
        except PydanticCustomError as exc:
            problems.append(FieldProblem("country", exc.type, dict(exc.context or {})))
    nationalities: list[str] = []
    if "nationality" in text:
        for part in cells.split_list(" ,".join(text["nationality"])):
            try:
                code = cells.parse_country(part)
            except PydanticCustomError as exc:
                problems.append(FieldProblem("nationality", exc.type, dict(exc.context or {})))
                continue
            if code not in nationalities:
                nationalities.append(code)
    data["nationalities"] = nationalities
    data["city"] = one("city")
    data["title"] = one("title")
    data["field"] = one("field")
    chains, extra_tags = cells.parse_chains("、".join(text.get("industry_chain", ())))
    data["industry_chains"] = list(chains)
    data["tags"] = [*[t for v in text.get("tags", ()) for t in cells.split_list(v)], *extra_tags]
    data["source"], data["source_detail"] = cells.parse_source(one("source"))
    notes = list(dict.fromkeys(text.get("notes", ())))
    if "birth_date" in text:  # the contact record has no birth date; keep it readable rather than drop it
        notes.append(t("import.note.birth_date", note_lang, value=one("birth_date")))
    data["notes"] = "\n".join(notes)

    contact = light_contact(data)
    if contact is None:  # the model judges what the shortcut does not, in its own words
        try:
            contact = Contact.model_validate(data).storable()
        except ValidationError as exc:
            problems.extend(ValidationFailed.from_pydantic(exc).problems)
            contact = {}

    region = dialing_region(data["country"], nationalities)
    points: list[Point] = []
    seen: set[tuple[str, str]] = set()
    for name, kind in POINT_FIELDS.items():
        for cell in text.get(name, ()):
            for raw in _SPLITTERS[name](cell):
                try:
                    point = _point(kind, raw, region)
                except PydanticCustomError as exc:
                    problems.append(FieldProblem(name, exc.type, dict(exc.context or {})))
                    continue
                key = (point.kind, point.value)
                if key not in seen:
                    seen.add(key)
                    points.append(point)
    if problems:
        return Failed(row.number, ValidationFailed(problems))
    contact.pop("id", None)
    record_id = values.get(id_column, "").strip() if id_column else ""
    orgs = [o.strip() for cell in text.get("org", ()) for o in cell.split("\n") if o.strip()]
    return Incoming(row.number, contact, points, orgs[0] if orgs else None, record_id or None)


_SHORT_FIELDS = ("native_name", "latin_name", "city", "title", "field", "source_detail")


@cache
def _contact_defaults() -> dict[str, Any]:
    """The storable values of the fields an import never sets (kind, tier, stage, ...), without ``id``."""
    defaults = Contact.model_construct().storable()
    defaults.pop("id")
    return defaults


def light_contact(data: dict[str, Any]) -> dict[str, Any] | None:
    """``Contact.model_validate(data).storable()`` without ``id``, at a tenth of its cost, for a row whose
    values came from this module's parsers (countries, gender, chains and source already checked);
    ``None`` when the model must judge (a missing name, a text over its length limit).
    ``tests/test_import_limits.py`` checks that the two agree."""
    if not (data["native_name"] or data["latin_name"]):
        return None
    out = dict(_contact_defaults())
    for name in _SHORT_FIELDS:
        value = data[name]
        if value and (len(value) > SHORT_TEXT_MAX or has_control(value)):
            return None
        out[name] = value or None
    notes = data["notes"]
    if notes and (len(notes) > LONG_TEXT_MAX or has_control(notes)):
        return None
    tags = list_of(data["tags"])
    if len(tags) > MAX_LIST_ITEMS or any(
        not isinstance(t, str) or len(t) > 200 or has_control(t) for t in tags
    ):
        return None
    out["notes"] = notes or None
    out["gender"] = data["gender"]
    out["country"] = data["country"]
    out["source"] = data["source"]
    out["nationalities"] = list_of(data["nationalities"])
    out["industry_chains"] = list_of(data["industry_chains"])
    out["tags"] = tags
    return out


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
    if has_control(raw):
        raise PydanticCustomError("err.control_chars", "err.control_chars", {})
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
