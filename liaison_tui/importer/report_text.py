"""Reports in words: titles, headers and cells in the user's language, shared by the terminal, the command
line and the exports (a figure reads the same everywhere)."""

from __future__ import annotations

from typing import Any

from ..domain import enums
from ..domain.i18n import get_lang, register, t
from ..domain.recruiting import IntroStage
from ..store.reports.model import Column, Report, Row, Section
from .export import country_name

register(
    {
        "report.name.services": ("Services", "服务统计"),
        "report.name.pipeline": ("Pipeline funnel", "引才漏斗"),
        "report.name.talent_map": ("Talent map", "人才地图"),
        "report.name.events": ("Events", "活动成效"),
        "report.name.introductions": ("Introductions", "人才推荐"),
        "report.name.workload": ("Workload", "工作量"),
        "report.name.quality": ("Data quality", "数据质量"),
        "report.desc.services": (
            "Cases opened and resolved by category and month; talents served; days to resolve",
            "按类别和月份统计受理与办结的事项、服务人才数、办理天数",
        ),
        "report.desc.pipeline": (
            "Talents per stage, conversion and time in stage, by industry chain and source",
            "各阶段人才数、转化率与停留时间，按产业链和来源",
        ),
        "report.desc.talent_map": (
            "Talents by country, city, field, chain and tier; top employers and institutions",
            "按国家、城市、领域、产业链和层次统计人才；主要用人单位和院校",
        ),
        "report.desc.events": (
            "Registered, attended, followed up, introduced and arrived, per event",
            "每场活动的报名、出席、跟进、推荐与落地人数",
        ),
        "report.desc.introductions": (
            "Introductions per demand, employer and chain, by stage",
            "按需求、用人单位和产业链统计各阶段的推荐",
        ),
        "report.desc.workload": (
            "Open and overdue cases and follow-ups per staff member",
            "每位工作人员的在办与逾期事项和待办",
        ),
        "report.desc.quality": (
            "People without consent, phone or email, owner; likely duplicates",
            "缺少同意记录、电话或邮箱、负责人的人员；疑似重复",
        ),
        "report.services.by_category": ("By category", "按类别"),
        "report.services.by_month": ("By month", "按月份"),
        "report.services.matrix": ("Cases opened by category and month", "各类别逐月受理事项数"),
        "report.pipeline.funnel": ("Funnel", "漏斗"),
        "report.pipeline.by_chain": ("By industry chain", "按产业链"),
        "report.pipeline.by_source": ("By source", "按来源"),
        "report.pipeline.reached_note": (
            "Talents who reached each stage (now or before).",
            "达到各阶段（现在或曾经）的人才数。",
        ),
        "report.map.by_country": ("By country", "按国家/地区"),
        "report.map.by_city": ("By city", "按城市"),
        "report.map.by_chain": ("By industry chain", "按产业链"),
        "report.map.by_field": ("By field", "按研究领域"),
        "report.map.by_tier": ("By tier", "按人才层次"),
        "report.map.employers": ("Top employers", "主要用人单位"),
        "report.map.institutions": ("Top universities and institutes", "主要高校和科研院所"),
        "report.events.funnel": ("All events of the period", "期间全部活动"),
        "report.events.by_event": ("By event", "按活动"),
        "report.intro.by_stage": ("By stage", "按阶段"),
        "report.intro.by_demand": ("By demand", "按需求"),
        "report.intro.by_employer": ("By employer", "按用人单位"),
        "report.intro.by_chain": ("By industry chain", "按产业链"),
        "report.workload.by_staff": ("By staff member", "按工作人员"),
        "report.quality.problems": ("Gaps in the records", "记录缺项"),
        "report.col.category": ("Category", "类别"),
        "report.col.opened": ("Opened", "受理"),
        "report.col.resolved": ("Resolved", "办结"),
        "report.col.talents_served": ("Talents served", "服务人才"),
        "report.col.median_days": ("Median days", "办理天数中位数"),
        "report.col.on_time": ("On time", "按期办结率"),
        "report.col.month": ("Month", "月份"),
        "report.col.pipeline_stage": ("Stage", "阶段"),
        "report.col.reached": ("Reached", "达到"),
        "report.col.now": ("Now", "当前"),
        "report.col.conversion": ("Conversion", "转化率"),
        "report.col.median_days_in_stage": ("Median days in stage", "停留天数中位数"),
        "report.col.talents": ("Talents", "人才数"),
        "report.col.chain": ("Industry chain", "产业链"),
        "report.col.source": ("Source", "来源"),
        "report.col.country": ("Country", "国家/地区"),
        "report.col.city": ("City", "城市"),
        "report.col.field": ("Field", "领域"),
        "report.col.tier": ("Tier", "层次"),
        "report.col.employer": ("Employer", "用人单位"),
        "report.col.institution": ("Institution", "院校/院所"),
        "report.col.org_kind": ("Type", "类型"),
        "report.col.event": ("Event", "活动"),
        "report.col.date": ("Date", "日期"),
        "report.col.step": ("Step", "环节"),
        "report.col.step.registered": ("Registered", "报名"),
        "report.col.step.attended": ("Attended", "出席"),
        "report.col.step.followed": ("Followed up", "已跟进"),
        "report.col.step.introduced": ("Introduced", "已推荐"),
        "report.col.step.arrived": ("Arrived", "已落地"),
        "report.col.people": ("People", "人数"),
        "report.col.stage": ("Stage", "阶段"),
        "report.col.introductions": ("Introductions", "推荐数"),
        "report.col.total": ("Total", "合计"),
        "report.col.demand": ("Demand", "需求"),
        "report.col.staff": ("Staff", "工作人员"),
        "report.col.open_cases": ("Open cases", "在办事项"),
        "report.col.overdue_cases": ("Overdue cases", "逾期事项"),
        "report.col.open_followups": ("Open follow-ups", "待办"),
        "report.col.overdue_followups": ("Overdue follow-ups", "逾期待办"),
        "report.col.problem": ("Gap", "缺项"),
        "report.col.share": ("Share", "占比"),
        "report.problem.no_consent": ("No consent in force", "无有效同意"),
        "report.problem.no_reach": ("No phone or email", "无电话或邮箱"),
        "report.problem.no_owner": ("No owner", "无负责人"),
        "report.problem.duplicates": ("Likely duplicates", "疑似重复"),
        "report.total": ("Total", "合计"),
        "report.people_total": ("All people", "全部人员"),
        "report.nobody": ("Nobody", "无人负责"),
        "report.blank": ("(not given)", "（未填写）"),
        "report.note.no_introductions": (
            "Introductions are not available in this store yet.",
            "本数据库尚无推荐记录功能（暂不可用）。",
        ),
        "report.note.team_only": (
            "Your role shows your team's workload only.",
            "您的角色只能查看本团队的工作量。",
        ),
        "report.unavailable": (
            "{name} is not available in this store yet: it needs records this version does not keep.",
            "本数据库暂不支持{name}：所需的记录尚未启用。",
        ),
        "report.scope.whole_station": ("Whole-station store", "全站数据"),
        "report.scope.trip_kit": (
            "Trip kit {kit}: only the records on this laptop",
            "出访数据包 {kit}：仅含本机上的记录",
        ),
        "report.scope.local": ("This laptop's store (no station server)", "本机数据（未连接工作站服务器）"),
        "report.period": ("{start} to {end}", "{start} 至 {end}"),
        "report.no_period": ("As of now", "截至目前"),
        "report.filters.owner": ("owner {name}", "负责人 {name}"),
        "report.filters.chain": ("chain {name}", "产业链 {name}"),
    }
)

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def title(name: str, lang: str | None = None) -> str:
    return t(f"report.name.{name}", lang)


def scope_line(report: Report, lang: str | None = None) -> str:
    scope = report.scope
    if scope.get("store") == "trip_kit":
        where = t("report.scope.trip_kit", lang, kit=scope.get("kit") or "")
    elif scope.get("role") == "local":
        where = t("report.scope.local", lang)
    else:
        where = t("report.scope.whole_station", lang)
    parts = [where]
    if report.period:
        parts.append(t("report.period", lang, start=report.period[0], end=report.period[1]))
    else:
        parts.append(t("report.no_period", lang))
    if report.params.owner:
        parts.append(
            t("report.filters.owner", lang, name=report.staff.get(report.params.owner, report.params.owner))
        )
    if report.params.chain:
        parts.append(t("report.filters.chain", lang, name=_enum("IndustryChain", report.params.chain, lang)))
    return " · ".join(parts)


def notes(report: Report, lang: str | None = None) -> list[str]:
    return [t(key, lang) for key in report.scope.get("notes", [])]


def header(column: Column, lang: str | None = None) -> str:
    return t(column.label, lang)


def _enum(name: str, value: Any, lang: str | None) -> str:
    enum = getattr(enums, name, None)
    if enum is None:
        return str(value)
    try:
        return str(enum(value).label(lang))
    except ValueError:
        return str(value)


def month_label(value: str, lang: str | None, short: bool = False) -> str:
    year, month = value.split("-")
    if (lang or get_lang()) == "zh":
        return f"{int(month)}月" if short else f"{year}年{int(month)}月"
    return _MONTHS_EN[int(month) - 1] if short else f"{_MONTHS_EN[int(month) - 1]} {year}"


def raw_value(column: Column, row: Row, report: Report, lang: str | None = None) -> Any:
    """A cell for a spreadsheet: numbers as numbers, labels as text."""
    value = row.cells.get(column.key)
    if column.kind in ("int", "days", "pct"):
        return value
    return cell(column, row, report, lang)


def cell(column: Column, row: Row, report: Report, lang: str | None = None, *, short: bool = False) -> str:
    """The text of one cell."""
    lang = lang or get_lang()
    value = row.cells.get(column.key)
    kind = column.kind
    if row.total and value == "*":
        return t("report.people_total", lang) if column.kind == "problem" else t("report.total", lang)
    if kind == "int":
        return "—" if value is None else f"{value:,}"
    if kind == "pct":
        return "—" if value is None else f"{value * 100:.0f}%"
    if kind == "days":
        return "—" if value is None else f"{value:.1f}"
    if value is None or value == "":
        if kind == "staff":
            return t("report.nobody", lang)
        return t("report.blank", lang)
    if kind.startswith("enum:"):
        return _enum(kind[5:], value, lang)
    if kind == "month":
        return month_label(value, lang, short)
    if kind == "country":
        return country_name(value, lang) or value
    if kind == "staff":
        return report.staff.get(value, value)
    if kind == "step":
        return t(f"report.col.step.{value}", lang)
    if kind == "problem":
        return t(f"report.problem.{value}", lang)
    if kind == "intro_stage":  # the stage's own label, as the demand and contact screens show it
        try:
            return IntroStage(value).label(lang)
        except ValueError:
            return str(value)
    if kind == "org":
        return str(row.cells.get("org_en") if lang == "en" else value)
    return str(value)


def table(section: Section, report: Report, lang: str | None = None) -> tuple[list[str], list[list[str]]]:
    headers = [header(c, lang) for c in section.columns]
    return headers, [[cell(c, row, report, lang) for c in section.columns] for row in section.rows]
