"""Field-level validation errors in the user's language.

Pydantic reports errors in English with its own codes; we map each code to a catalog key so a staff member
reads e.g. "电话: 无法识别的电话号码" instead of a pydantic dump. Custom rules raise
``PydanticCustomError("liaison.<key>", ...)`` whose type *is* the catalog key.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic loads with the models; the workflow rules and messages need none of it
    from pydantic import ValidationError
    from pydantic_core import PydanticCustomError

from .errors import LiaisonError
from .i18n import has, list_sep, register, t

register(
    {
        "err.validation": ("{count} problems: {details}", "有 {count} 处问题：{details}"),
        "err.required": ("is required", "为必填项"),
        "err.control_chars": (
            "contains control characters (e.g. terminal escape codes), which are not allowed",
            "包含控制字符（如终端转义序列），不允许保存",
        ),
        "err.reference": (
            "'{value}' is not a known record of that kind (check the id, or use `liaison search`)",
            "“{value}”不是已知的相应记录（请检查编号，或使用 `liaison search` 查找）",
        ),
        "err.too_many": ("has too many items (at most {max_length})", "条目过多（最多 {max_length} 项）"),
        "err.invalid": ("is not valid", "无效"),
        "err.too_long": ("is too long (at most {max_length} characters)", "过长（最多 {max_length} 个字符）"),
        "err.too_short": ("is too short", "过短"),
        "err.choice": ("must be one of: {choices}", "必须是以下之一：{choices}"),
        "err.datetime": (
            "is not a valid date and time (use YYYY-MM-DD HH:MM)",
            "不是有效的日期时间（格式 YYYY-MM-DD HH:MM）",
        ),
        "err.date": ("is not a valid date (use YYYY-MM-DD)", "不是有效的日期（格式 YYYY-MM-DD）"),
        "err.bool": ("must be yes or no", "只能为是或否"),
        "err.int": ("must be a whole number", "必须是整数"),
        "err.list": ("must be a list", "必须是列表"),
        "err.text": ("must be text", "必须是文本"),
        "err.unknown_field": ("is not a field of this record", "不是此记录的字段"),
        "err.phone": ("'{value}' is not a phone number that can be dialled", "“{value}”不是可拨打的电话号码"),
        "err.email": ("'{value}' is not an email address", "“{value}”不是有效的邮箱地址"),
        "err.wechat": (
            "'{value}' is not a WeChat ID (6–20 letters, digits, - or _, starting with a letter; or a phone number)",
            "“{value}”不是有效的微信号（6–20 位字母、数字、- 或 _，以字母开头；或手机号）",
        ),
        "err.url": ("'{value}' is not a web address", "“{value}”不是有效的网址"),
        "err.country": ("'{value}' is not a known country", "“{value}”不是已知的国家或地区"),
        "err.language": ("'{value}' is not a known language", "“{value}”不是已知的语言"),
        "err.timezone": (
            "'{value}' is not a time zone (e.g. Europe/Berlin)",
            "“{value}”不是有效的时区（如 Europe/Berlin）",
        ),
        "err.name_required": ("a name is required (Chinese or Latin)", "至少需要一个姓名（中文或外文）"),
        "err.org_name_required": ("a Chinese or English name is required", "至少需要中文或英文名称"),
        "err.link_required": ("link it to a contact or a case", "必须关联联系人或服务事项"),
        "err.view_params": ("not a valid set of filters", "筛选条件无效"),
        "err.snooze_until_required": (
            "a snoozed follow-up needs a date to come back",
            "推迟的待办需要设置提醒时间",
        ),
        "err.end_before_start": ("ends before it starts", "结束日期早于开始日期"),
        "err.case.transition": (
            "cannot go from '{old}' to '{new}'; allowed next: {allowed}",
            "不能从“{old}”变为“{new}”；可选的下一步：{allowed}",
        ),
        "err.case.reason_required": ("moving to '{new}' needs a reason", "变为“{new}”需要填写原因"),
        "err.case.resolution_required": ("a resolved case needs a resolution", "结案需要填写办理结果"),
        "err.case.number": (
            "'{value}' is not a case number (e.g. QD-2026-K7M-0042)",
            "“{value}”不是有效的事项编号（如 QD-2026-K7M-0042）",
        ),
        "err.demand.package": ("is below the lower end of the package", "低于年薪下限"),
        "err.demand.skill_twice": (
            "'{value}' is both required and preferred",
            "“{value}”同时是必备技能和优先技能",
        ),
        "err.match.reason_required": ("dismissing a talent needs a reason", "排除人才需要填写原因"),
        "err.intro.reason_required": (
            "a declined or withdrawn introduction needs a reason",
            "婉拒或撤回推荐需要填写原因",
        ),
        "err.username": (
            "use 2–32 lower-case letters, digits, '.', '-' or '_'",
            "请使用 2–32 位小写字母、数字、“.”、“-”或“_”",
        ),
    }
)

# pydantic error type -> catalog key
_PYDANTIC_CODES: dict[str, str] = {
    "missing": "err.required",
    "string_too_long": "err.too_long",
    "too_long": "err.too_many",  # collections; text has string_too_long
    "string_too_short": "err.too_short",
    "too_short": "err.too_short",
    "enum": "err.choice",
    "literal_error": "err.choice",
    "datetime_parsing": "err.datetime",
    "datetime_from_date_parsing": "err.datetime",
    "datetime_type": "err.datetime",
    "date_parsing": "err.date",
    "date_from_datetime_parsing": "err.date",
    "date_from_datetime_inexact": "err.date",
    "date_type": "err.date",
    "bool_parsing": "err.bool",
    "bool_type": "err.bool",
    "int_parsing": "err.int",
    "int_type": "err.int",
    "list_type": "err.list",
    "string_type": "err.text",
    "extra_forbidden": "err.unknown_field",
}


def custom(key: str, **ctx: object) -> PydanticCustomError:
    """An error raised inside a validator that carries a catalog key."""
    from pydantic_core import PydanticCustomError

    return PydanticCustomError(key, key, dict(ctx))


@dataclass(frozen=True)
class FieldProblem:
    field: str
    key: str
    params: dict[str, object] = dataclasses.field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        params = dict(self.params)
        if "old" in params:
            params["old"] = _status_label(str(params["old"]), lang)
        if "new" in params:
            params["new"] = _status_label(str(params["new"]), lang)
        if "allowed" in params and isinstance(params["allowed"], list | tuple):
            params["allowed"] = (
                list_sep(lang).join(_status_label(str(a), lang) for a in params["allowed"]) or "—"
            )
        if "choices" in params and isinstance(params["choices"], list | tuple):
            params["choices"] = ", ".join(str(c) for c in params["choices"])
        return f"{field_label(self.field, lang)}: {t(self.key, lang, **params)}"


def _status_label(value: str, lang: str | None) -> str:
    key = f"enum.CaseStatus.{value}"
    return t(key, lang) if has(key) else value


def field_label(name: str, lang: str | None = None) -> str:
    key = f"field.{name}"
    return t(key, lang) if has(key) else name


class ValidationFailed(LiaisonError):
    """One or more fields were rejected; each problem renders as "<field label>: <reason>"."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("err.validation", count=len(problems))
        self.problems = problems

    def __reduce__(self) -> tuple[Any, ...]:  # pickled whole: import rows are checked in worker processes
        return (type(self), (self.problems,))

    def message(self, lang: str | None = None) -> str:
        if len(self.problems) == 1:  # "Phone: '12' is not a phone number that can be dialled"
            return self.problems[0].message(lang)
        details = "; ".join(p.message(lang) for p in self.problems)
        return t("err.validation", lang, count=len(self.problems), details=details)

    @property
    def fields(self) -> set[str]:
        return {p.field for p in self.problems}

    @classmethod
    def one(cls, field_name: str, key: str, **params: object) -> ValidationFailed:
        return cls([FieldProblem(field_name, key, params)])

    @classmethod
    def from_pydantic(cls, exc: ValidationError) -> ValidationFailed:
        problems: list[FieldProblem] = []
        for err in exc.errors(include_url=False):
            loc = [str(p) for p in err.get("loc", ()) if not isinstance(p, int)]
            name = loc[0] if loc else "*"
            kind = err.get("type", "")
            ctx = dict(err.get("ctx") or {})
            key = kind if has(kind) else _PYDANTIC_CODES.get(kind, "err.invalid")
            if key == "err.choice" and "expected" in ctx:
                ctx["choices"] = str(ctx["expected"]).replace("'", "")
            # A model-level rule reports on the field it names.
            if name == "*" and "field" in ctx:
                name = str(ctx.pop("field"))
            problems.append(FieldProblem(name, key, {k: v for k, v in ctx.items() if k != "error"}))
        return cls(problems)
