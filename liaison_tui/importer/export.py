"""Lists out: contacts and cases as CSV (UTF-8 with BOM, so Excel opens Chinese correctly) or XLSX, and
contacts as vCard 3.0. Headers and labels in the user's language; an exported contact list imports back
into the same store without creating anyone twice (the Liaison ID column, then email/phone/WeChat).

Files are written to a temporary name and renamed at the end: a cancelled or failed export never leaves
a half-written file under the requested name. Records are read in keyset batches (flat memory).
"""

from __future__ import annotations

import csv
import gettext
import json
import os
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from ..domain.enums import (
    CaseCategory,
    CasePriority,
    CaseStatus,
    ContactSource,
    Gender,
    IndustryChain,
    PipelineStage,
    TalentTier,
)
from ..domain.errors import LiaisonError
from ..domain.i18n import get_lang, register
from ..domain.search_keys import has_cjk, split_chinese_name
from ..domain.values import format_phone
from ..private_files import private_file, private_open
from ..store import Store, imports
from .columns import headers
from .plan import Cancel, check_cancel

register(
    {
        "export.err.format": (
            "Cannot export {kind} as {format}: use {allowed}.",
            "无法将{kind}导出为 {format}：可用 {allowed}。",
        ),
        "export.err.write": ("Cannot write {path}: {reason}", "无法写入 {path}：{reason}"),
    }
)

FORMATS = {"contacts": ("csv", "xlsx", "vcard"), "cases": ("csv", "xlsx")}
Progress = Callable[[int, int], None]
_BATCH = 2000


def export(
    store: Store,
    kind: str,
    fmt: str,
    path: str | os.PathLike[str],
    *,
    lang: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> int:
    """Write ``kind`` (contacts | cases) to ``path`` as ``fmt``; returns the number of records."""
    if fmt not in FORMATS.get(kind, ()):
        raise LiaisonError(
            "export.err.format", kind=kind, format=fmt, allowed=", ".join(FORMATS.get(kind, ()))
        )
    lang = lang or get_lang()
    total = imports.exported_count(store, kind)
    records = _contact_records(store, lang) if kind == "contacts" else _case_records(store, lang)

    def counted() -> Iterator[dict[str, Any]]:
        for i, record in enumerate(records, 1):
            if i % 500 == 0:
                check_cancel(cancel)
                if progress:
                    progress(i, total)
            yield record

    target = Path(path)
    temp = target.with_name(f".{target.name}.part")
    try:
        if fmt == "vcard":
            _write_vcard(temp, counted())
        else:
            columns = headers(kind, lang)
            (_write_csv if fmt == "csv" else _write_xlsx)(temp, columns, counted())
        os.replace(temp, target)
    except OSError as exc:
        raise LiaisonError("export.err.write", path=str(target), reason=exc.strerror or str(exc)) from exc
    finally:
        temp.unlink(missing_ok=True)
    if progress:
        progress(total, total)
    return total


# ---------------------------------------------------------------- labels


@cache
def _zh_countries() -> gettext.NullTranslations:
    import pycountry

    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    except OSError:
        return gettext.NullTranslations()


@cache
def country_name(code: str | None, lang: str) -> str:
    """A country name the importer reads back: Chinese or English name, the code if the name has a comma."""
    if not code:
        return ""
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    english = getattr(country, "common_name", None) or country.name
    name = _zh_countries().gettext(country.name) if lang == "zh" else english
    return code if ("," in name or "，" in name) else name


def _label(enum: Any, value: str | None, lang: str) -> str:
    if not value:
        return ""
    try:
        return str(enum(value).label(lang))
    except ValueError:
        return value


def _join(items: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else "; ").join(i for i in items if i)


# ---------------------------------------------------------------- records


def _contact_records(store: Store, lang: str) -> Iterator[dict[str, Any]]:
    orgs = imports.all_organization_names(store)
    for rows in imports.exported_pages(store, "contacts", _BATCH):
        points = imports.points_by_kind(store, [r["id"] for r in rows])
        for row in rows:
            mine = points.get(row["id"], {})
            zh, en = orgs.get(row["org_id"], (None, None))
            yield {
                "id": row["id"],
                "native_name": row["native_name"] or "",
                "latin_name": row["latin_name"] or "",
                "gender": _label(Gender, row["gender"], lang),
                "nationalities": _join(
                    [country_name(c, lang) for c in json.loads(row["nationalities"])], lang
                ),
                "country": country_name(row["country"], lang),
                "city": row["city"] or "",
                "org": ((zh or en) if lang == "zh" else (en or zh)) or "",
                "title": row["title"] or "",
                "field": row["field"] or "",
                "industry_chains": _join(
                    [_label(IndustryChain, c, lang) for c in json.loads(row["industry_chains"])], lang
                ),
                "tags": "; ".join(json.loads(row["tags"])),
                "phones": "; ".join(format_phone(v) for _, v in mine.get("phone", [])),
                "emails": "; ".join(v for _, v in mine.get("email", [])),
                "wechat": "; ".join(r for r, _ in mine.get("wechat", [])),
                "linkedin": "\n".join(r for r, _ in mine.get("linkedin", [])),
                "url": "\n".join(r for r, _ in mine.get("url", [])),
                "source": row["source_detail"] or _label(ContactSource, row["source"], lang),
                "tier": _label(TalentTier, row["tier"], lang),
                "stage": _label(PipelineStage, row["stage"], lang),
                "notes": row["notes"] or "",
                "created_at": row["created_at"],
                "_points": mine,
            }


def _case_records(store: Store, lang: str) -> Iterator[dict[str, Any]]:
    for rows in imports.exported_pages(store, "cases", _BATCH):
        names = imports.contact_display_names(
            store, (r["beneficiary_id"] for r in rows if r["beneficiary_id"])
        )
        for row in rows:
            yield {
                "number": row["number"],
                "title": row["title"],
                "category": _label(CaseCategory, row["category"], lang),
                "priority": _label(CasePriority, row["priority"], lang),
                "status": _label(CaseStatus, row["status"], lang),
                "beneficiary": names.get(row["beneficiary_id"], ""),
                "beneficiary_id": row["beneficiary_id"] or "",
                "opened_at": row["opened_at"] or "",
                "first_response_due": row["first_response_due"] or "",
                "due_at": row["due_at"] or "",
                "resolved_at": row["resolved_at"] or "",
                "closed_at": row["closed_at"] or "",
                "id": row["id"],
            }


# ---------------------------------------------------------------- writers


def _csv_safe(key: str, value: Any) -> str:
    """Excel runs a cell starting with = + - @ as a formula (and "+49 151 ..." breaks): phones go out in
    the 00 international form, anything else formula-like gets a leading apostrophe (read back by the
    importer)."""
    text = "" if value is None else str(value)
    if key == "phones":
        return "; ".join("00" + p[1:] if p.startswith("+") else p for p in text.split("; ") if p)
    if text[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return text


def _write_csv(path: Path, columns: list[tuple[str, str]], records: Iterator[dict[str, Any]]) -> None:
    with private_open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([h for _, h in columns])
        for record in records:
            writer.writerow([_csv_safe(k, record.get(k)) for k, _ in columns])


def _write_xlsx(path: Path, columns: list[tuple[str, str]], records: Iterator[dict[str, Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.freeze_panes = "A2"
    for i, (key, _) in enumerate(columns):
        letter = _column_letter(i)
        sheet.column_dimensions[letter].width = 40 if key in ("notes", "title") else 18
    bold = Font(bold=True)
    head = []
    for _, header in columns:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for record in records:
        cells = []
        for key, _ in columns:
            cell = WriteOnlyCell(sheet, value=_xlsx_text(record.get(key)))
            cell.data_type = "s"  # text, never a formula: "=..." in a note stays text
            cells.append(cell)
        sheet.append(cells)
    book.save(private_file(path))


def _xlsx_text(value: Any) -> str:
    text = "" if value is None else str(value)
    # control characters are not allowed in XML cells
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)


def _column_letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _write_vcard(path: Path, records: Iterator[dict[str, Any]]) -> None:
    import vobject

    with private_open(path, "w", encoding="utf-8", newline="") as handle:
        for record in records:
            card = vobject.vCard()
            native, latin = record["native_name"], record["latin_name"]
            card.add("fn").value = native or latin
            family, given = _name_parts(latin or native)
            card.add("n").value = vobject.vcard.Name(family=family, given=given)
            if record["org"]:
                card.add("org").value = [record["org"]]
            if record["title"]:
                card.add("title").value = record["title"]
            points = record["_points"]
            for _, value in points.get("phone", []):
                tel = card.add("tel")
                tel.value = value
                tel.type_param = "CELL"
            for _, value in points.get("email", []):
                email = card.add("email")
                email.value = value
                email.type_param = "INTERNET"
            for raw, _ in points.get("wechat", []):
                card.add("x-wechat").value = raw
            for kind in ("linkedin", "url"):
                for raw, _ in points.get(kind, []):
                    card.add("url").value = raw
            if record["notes"]:
                card.add("note").value = record["notes"]
            tags = [t for t in record["tags"].split("; ") if t]
            if tags:
                card.add("categories").value = tags
            card.add("uid").value = record["id"]
            handle.write(card.serialize())


def _name_parts(name: str) -> tuple[str, str]:
    """(family, given): 张伟 -> 张, 伟; "Anna Schmidt" -> Schmidt, Anna (given-first Latin order)."""
    if has_cjk(name) and " " not in name.strip():
        return split_chinese_name(name.strip())
    words = name.split()
    if len(words) < 2:
        return name, ""
    return words[-1], " ".join(words[:-1])
