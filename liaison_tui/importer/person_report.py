"""Everything held about one person, written for an access request under PIPL: the complete record as JSON
(machine-readable, every stored column) and a readable Markdown report with labels in the user's language.
The data comes from :func:`liaison_tui.store.person.person_record`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson

from ..domain.i18n import get_lang, has, register, t
from ..domain.validation import field_label
from ..private_files import private_dir, private_open
from ..store import Store
from ..store.person import person_record

register(
    {
        "person.report.title": ("Personal data held about {name}", "关于 {name} 的个人信息"),
        "person.report.intro": (
            "Exported {at} from the Liaison database of this laptop, for an access request under the Personal "
            "Information Protection Law. The file {json} holds the same data in full.",
            "于 {at} 从本机 Liaison 数据库导出，用于《个人信息保护法》规定的查阅请求。文件 {json} 包含完整的同一份数据。",
        ),
        "person.report.history": ("Change history", "修改记录"),
        "person.report.none": ("(none)", "（无）"),
        "person.report.deleted": ("deleted", "已删除"),
        "person.report.events": ("Events", "活动"),
        "person.report.orgs": ("Organizations", "机构"),
    }
)

_SECTIONS = (
    "contacts",
    "contact_points",
    "affiliations",
    "organizations",
    "cases",
    "followups",
    "activities",
    "attendances",
    "events",
    "talent_profiles",
    "talent_skills",
    "introductions",
    "match_marks",
    "consents",
)
_SKIP = {"created_hlc", "hlc", "device_id", "created_by", "updated_by"}


def write_person_export(
    store: Store, contact_id: str, out_dir: str | Path, *, lang: str | None = None
) -> list[Path]:
    """Write ``person-<id>.json`` and ``person-<id>.md`` into ``out_dir``; returns both paths."""
    lang = lang or get_lang()
    record = person_record(store, contact_id)
    folder = Path(out_dir)
    private_dir(folder)
    json_path = folder / f"person-{contact_id}.json"
    md_path = folder / f"person-{contact_id}.md"
    with private_open(json_path, "wb") as handle:
        handle.write(orjson.dumps(record, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS))
    with private_open(md_path, "w", encoding="utf-8") as handle:
        handle.write(render_markdown(record, lang, json_path.name))
    return [json_path, md_path]


def _section_title(name: str, lang: str) -> str:
    if name == "events":
        return t("person.report.events", lang)
    if name == "organizations":
        return t("person.report.orgs", lang)
    return t(f"table.{name}", lang) if has(f"table.{name}") else name


def _value(value: Any) -> str:
    if value is None or value == "" or value == "[]":
        return "—"
    if isinstance(value, str) and value.startswith("["):
        try:
            return ", ".join(str(v) for v in json.loads(value)) or "—"
        except ValueError:
            return value
    return str(value).replace("\n", " ⏎ ")


def render_markdown(record: dict[str, Any], lang: str, json_name: str) -> str:
    main = next((c for c in record["contacts"] if c["id"] == record["contact_id"]), record["contacts"][0])
    name = " ".join(n for n in (main.get("native_name"), main.get("latin_name")) if n) or main["id"]
    lines = [
        f"# {t('person.report.title', lang, name=name)}",
        "",
        t("person.report.intro", lang, at=record["exported_at"], json=json_name),
        "",
    ]
    for section in _SECTIONS:
        rows = record.get(section) or []
        lines += [f"## {_section_title(section, lang)} ({len(rows)})", ""]
        if not rows:
            lines += [t("person.report.none", lang), ""]
            continue
        for row in rows:
            flag = f" ({t('person.report.deleted', lang)})" if row.get("deleted") else ""
            lines.append(f"### {row.get('id', '')}{flag}")
            for key, value in row.items():
                if key in _SKIP or key in ("id", "deleted"):
                    continue
                lines.append(f"- **{field_label(key, lang)}**: {_value(value)}")
            lines.append("")
    lines += [f"## {t('person.report.history', lang)} ({len(record['history'])})", ""]
    if record["history"]:
        lines += [
            f"| {field_label('occurred_at', lang)} | {field_label('*', lang)} | {field_label('name', lang)} | "
            f"← | → |",
            "|---|---|---|---|---|",
        ]
        for h in record["history"]:
            lines.append(
                f"| {h['at']} | {_section_title(h['tbl'], lang)} {h['row_id'][:8]} | "
                f"{field_label(h['field'], lang)} | {_value(h['old_value'])} | {_value(h['new_value'])} |"
            )
    else:
        lines.append(t("person.report.none", lang))
    return "\n".join(lines) + "\n"
