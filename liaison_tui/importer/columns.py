"""Column headers of exported lists, in the user's language, chosen so that the importer's header guess
maps each one back to its field: an exported file imports again without any mapping work."""

from __future__ import annotations

from ..domain.i18n import register, t

# (key, English, Chinese). The ID column is recognised by the importer in both languages (ID_HEADERS).
CONTACT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "Liaison ID", "Liaison 编号"),
    ("native_name", "Native name", "姓名"),
    ("latin_name", "Latin name", "英文名"),
    ("gender", "Gender", "性别"),
    ("nationalities", "Nationality", "国籍"),
    ("country", "Country", "现居国家"),
    ("city", "City", "城市"),
    ("org", "Organization", "现任单位"),
    ("title", "Title", "职务/职称"),
    ("field", "Field", "研究领域"),
    ("industry_chains", "Industry chain", "产业链"),
    ("tags", "Tags", "标签"),
    ("phones", "Phone", "手机"),
    ("emails", "Email", "邮箱"),
    ("wechat", "WeChat", "微信号"),
    ("linkedin", "LinkedIn", "领英"),
    ("url", "Web page", "网址"),
    ("source", "Source", "来源"),
    ("tier", "Talent tier", "人才等级"),
    ("stage", "Pipeline stage", "引才阶段"),
    ("notes", "Notes", "备注"),
    ("created_at", "Created", "创建于"),
)

CASE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("number", "Case number", "事项编号"),
    ("title", "Title", "标题"),
    ("category", "Category", "类别"),
    ("priority", "Priority", "优先级"),
    ("status", "Status", "状态"),
    ("beneficiary", "Beneficiary", "服务对象"),
    ("beneficiary_id", "Beneficiary ID", "服务对象编号"),
    ("opened_at", "Opened", "受理时间"),
    ("first_response_due", "First response due", "首次响应期限"),
    ("due_at", "Due", "截止时间"),
    ("resolved_at", "Resolved", "解决时间"),
    ("closed_at", "Closed", "关闭时间"),
    ("id", "Liaison ID", "Liaison 编号"),
)

register({f"export.col.contacts.{k}": (en, zh) for k, en, zh in CONTACT_COLUMNS})
register({f"export.col.cases.{k}": (en, zh) for k, en, zh in CASE_COLUMNS})

ID_HEADERS = frozenset({"liaison id", "liaison 编号", "liaison编号"})


def headers(kind: str, lang: str | None = None) -> list[tuple[str, str]]:
    """(key, header in the user's language) for ``kind`` = contacts | cases."""
    columns = CONTACT_COLUMNS if kind == "contacts" else CASE_COLUMNS
    return [(key, t(f"export.col.{kind}.{key}", lang)) for key, _, _ in columns]


def id_column(headers_: list[str]) -> str | None:
    """The header of an exported file's Liaison ID column, if the file has one."""
    for header in headers_:
        if " ".join(header.casefold().split()) in ID_HEADERS:
            return header
    return None
