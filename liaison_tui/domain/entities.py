"""How each kind of record is stored and synced: its table, its model, and which fields are free text.

Free-text fields matter to sync: two edits of the same note from the same base are kept side by side as a
conflict for a human, whereas structured fields (status, phone, owner, due date) resolve last-writer-wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import register
from .models import (
    Activity,
    Affiliation,
    Attendance,
    Case,
    Consent,
    Contact,
    ContactPoint,
    Erasure,
    Event,
    FollowUp,
    Model,
    Organization,
    SavedView,
    Staff,
)
from .recruiting_models import Demand, Introduction, MatchMark, Skill, TalentProfile, TalentSkill


@dataclass(frozen=True)
class Entity:
    table: str
    model: type[Model]
    free_text: frozenset[str] = frozenset()
    # JSON-encoded list fields (stored as text)
    lists: frozenset[str] = frozenset()
    # fields with an index worth filtering on (the rest are rejected as filters)
    filters: frozenset[str] = frozenset()

    @property
    def fields(self) -> list[str]:
        return list(self.model.model_fields)


ENTITIES: dict[str, Entity] = {
    e.table: e
    for e in (
        Entity("staff", Staff, filters=frozenset({"username", "role", "active"})),
        Entity(
            "organizations",
            Organization,
            free_text=frozenset({"notes"}),
            lists=frozenset({"industry_chains", "staff_ids"}),
            filters=frozenset({"kind", "alliance_member", "alliance_role", "country", "merged_into"}),
        ),
        Entity(
            "contacts",
            Contact,
            free_text=frozenset({"notes"}),
            lists=frozenset({"aliases", "nationalities", "languages", "industry_chains", "tags"}),
            filters=frozenset({"owner_id", "stage", "org_id", "kind", "tier", "country", "merged_into"}),
        ),
        Entity("contact_points", ContactPoint, filters=frozenset({"contact_id", "kind", "value"})),
        Entity("affiliations", Affiliation, filters=frozenset({"contact_id", "org_id", "current"})),
        Entity(
            "events",
            Event,
            free_text=frozenset({"notes"}),
            lists=frozenset({"organizer_ids"}),
            filters=frozenset({"kind"}),
        ),
        Entity(
            "attendances",
            Attendance,
            free_text=frozenset({"notes"}),
            filters=frozenset({"event_id", "contact_id", "status"}),
        ),
        Entity(
            "cases",
            Case,
            free_text=frozenset({"description", "resolution"}),
            lists=frozenset({"related_ids"}),
            filters=frozenset({"status", "category", "owner_id", "beneficiary_id", "priority", "number"}),
        ),
        Entity(
            "followups",
            FollowUp,
            free_text=frozenset({"notes"}),
            filters=frozenset({"assignee_id", "status", "contact_id", "case_id", "kind"}),
        ),
        Entity(
            "consents",
            Consent,
            filters=frozenset({"contact_id", "purpose", "action"}),
        ),
        Entity("erasures", Erasure, filters=frozenset({"contact_id"})),
        Entity(
            "activities",
            Activity,
            free_text=frozenset({"summary", "details"}),
            filters=frozenset({"contact_id", "case_id", "event_id", "kind", "staff_id"}),
        ),
        # the recruiting half
        Entity("skills", Skill, lists=frozenset({"aliases"}), filters=frozenset({"chain"})),
        Entity(
            "talent_profiles",
            TalentProfile,
            free_text=frozenset({"notes"}),
            lists=frozenset({"fields", "preferred_cities"}),
            filters=frozenset({"contact_id", "degree", "relocation", "availability"}),
        ),
        Entity("talent_skills", TalentSkill, filters=frozenset({"contact_id", "skill_id"})),
        Entity(
            "demands",
            Demand,
            free_text=frozenset({"description", "notes"}),
            lists=frozenset({"required_skills", "preferred_skills", "languages", "hard"}),
            filters=frozenset({"org_id", "status", "industry_chain", "owner_id", "brought_by"}),
        ),
        Entity("match_marks", MatchMark, filters=frozenset({"demand_id", "contact_id", "mark"})),
        Entity(
            "introductions",
            Introduction,
            free_text=frozenset({"notes"}),
            filters=frozenset({"demand_id", "contact_id", "stage", "owner_id"}),
        ),
        Entity("saved_views", SavedView, filters=frozenset({"owner_id", "kind"})),
    )
}

register(
    {
        "table.staff": ("Staff", "工作人员"),
        "table.organizations": ("Organization", "机构"),
        "table.contacts": ("Contact", "联系人"),
        "table.contact_points": ("Contact point", "联系方式"),
        "table.affiliations": ("Affiliation", "任职关系"),
        "table.events": ("Event", "活动"),
        "table.attendances": ("Attendance", "活动出席"),
        "table.cases": ("Case", "服务事项"),
        "table.followups": ("Follow-up", "待办"),
        "table.activities": ("Activity", "动态"),
        "table.skills": ("Skill", "技能"),
        "table.talent_profiles": ("Talent profile", "人才画像"),
        "table.talent_skills": ("Talent's skill", "人才技能"),
        "table.demands": ("Demand", "用人需求"),
        "table.match_marks": ("Match mark", "匹配标记"),
        "table.introductions": ("Introduction", "人才推荐"),
        "table.saved_views": ("Saved view", "常用视图"),
        "table.consents": ("Consent", "同意记录"),
        "table.erasures": ("Erasure", "个人信息删除"),
    }
)

register(
    {
        f"field.{k}": v
        for k, v in {
            "id": ("ID", "编号"),
            "username": ("User name", "用户名"),
            "display_name": ("Display name", "显示名称"),
            "role": ("Role", "角色"),
            "active": ("Active", "启用"),
            "name_zh": ("Chinese name", "中文名称"),
            "name_en": ("English name", "英文名称"),
            "kind": ("Type", "类型"),
            "alliance_member": ("Alliance member", "联盟成员"),
            "district": ("District", "区（市）"),
            "country": ("Country", "国家/地区"),
            "city": ("City", "城市"),
            "industry_chains": ("Industry chains", "产业链"),
            "website": ("Website", "网站"),
            "notes": ("Notes", "备注"),
            "native_name": ("Native name", "姓名"),
            "latin_name": ("Latin name", "外文名"),
            "name_order": ("Name order", "姓名顺序"),
            "aliases": ("Aliases", "别名"),
            "gender": ("Gender", "性别"),
            "nationalities": ("Nationalities", "国籍"),
            "timezone": ("Time zone", "时区"),
            "languages": ("Languages", "语言"),
            "org_id": ("Organization", "所在机构"),
            "title": ("Title", "职务"),
            "field": ("Field", "研究领域"),
            "tier": ("Talent tier", "人才层次"),
            "stage": ("Pipeline stage", "引才阶段"),
            "owner_id": ("Owner", "负责人"),
            "source": ("Source", "来源"),
            "source_detail": ("Source detail", "来源说明"),
            "tags": ("Tags", "标签"),
            "merged_into": ("Merged into", "已合并至"),
            "last_activity_at": ("Last activity", "最近动态"),
            "contact_id": ("Contact", "联系人"),
            "raw": ("Value", "内容"),
            "value": ("Normalised value", "规范值"),
            "label": ("Label", "标签"),
            "is_primary": ("Primary", "首选"),
            "role_title": ("Role", "职位"),
            "current": ("Current", "现任"),
            "since": ("Since", "起始"),
            "until": ("Until", "截止"),
            "name": ("Name", "名称"),
            "starts_on": ("Starts", "开始日期"),
            "ends_on": ("Ends", "结束日期"),
            "event_id": ("Event", "活动"),
            "status": ("Status", "状态"),
            "number": ("Case number", "事项编号"),
            "description": ("Description", "描述"),
            "beneficiary_id": ("Beneficiary", "服务对象"),
            "related_ids": ("Related contacts", "相关人员"),
            "category": ("Category", "类别"),
            "priority": ("Priority", "优先级"),
            "status_reason": ("Reason", "原因"),
            "opened_at": ("Opened", "受理时间"),
            "first_response_due": ("First response due", "首次响应期限"),
            "due_at": ("Due", "截止时间"),
            "resolved_at": ("Resolved", "解决时间"),
            "closed_at": ("Closed", "关闭时间"),
            "resolution": ("Resolution", "办理结果"),
            "assignee_id": ("Assignee", "经办人"),
            "snoozed_until": ("Snoozed until", "推迟至"),
            "completed_at": ("Completed", "完成时间"),
            "case_id": ("Case", "服务事项"),
            "occurred_at": ("When", "时间"),
            "staff_id": ("Staff", "工作人员"),
            "summary": ("Summary", "摘要"),
            "action": ("Action", "操作"),
            "purpose": ("Purpose", "目的"),
            "scope": ("Scope", "范围"),
            "channel": ("Channel", "方式"),
            "occurred_on": ("Date", "日期"),
            "expires_on": ("Expires", "到期"),
            "evidence": ("Evidence", "凭证"),
            "reason": ("Reason", "原因"),
            "erased_at": ("Erased", "删除时间"),
            "details": ("Details", "详情"),
            "phone": ("Phone", "电话"),
            "email": ("Email", "邮箱"),
            "wechat": ("WeChat", "微信号"),
            "alliance_role": ("Alliance role", "联盟角色"),
            "alliance_since": ("In the alliance since", "入盟时间"),
            "staff_ids": ("Relationship owners", "联络负责人"),
            "is_contact": ("Contact person", "对接人"),
            "venue": ("Venue", "地点"),
            "organizer_ids": ("Organisers", "主办单位"),
            "checked_in_at": ("Checked in", "签到时间"),
            "chain": ("Industry chain", "产业链"),
            "degree": ("Degree", "学历"),
            "years_experience": ("Years of experience", "工作年限"),
            "fields": ("Fields", "研究方向"),
            "relocation": ("Relocation", "迁居意愿"),
            "preferred_cities": ("Preferred cities", "意向城市"),
            "availability": ("Availability", "到岗时间"),
            "available_from": ("Available from", "可到岗日期"),
            "expected_package": ("Expected package (10k CNY/yr)", "期望年薪（万元）"),
            "skill_id": ("Skill", "技能"),
            "industry_chain": ("Industry chain", "产业链"),
            "required_skills": ("Required skills", "必备技能"),
            "preferred_skills": ("Preferred skills", "优先技能"),
            "min_degree": ("Minimum degree", "最低学历"),
            "min_years": ("Minimum years", "最低年限"),
            "work_mode": ("Work mode", "工作方式"),
            "relocation_support": ("Relocation support", "提供安家支持"),
            "package_min": ("Package from (10k CNY/yr)", "年薪下限（万元）"),
            "package_max": ("Package to (10k CNY/yr)", "年薪上限（万元）"),
            "headcount": ("Headcount", "需求人数"),
            "deadline": ("Deadline", "截止日期"),
            "brought_by": ("Brought by", "推荐单位"),
            "hard": ("Hard constraints", "硬性条件"),
            "demand_id": ("Demand", "用人需求"),
            "mark": ("Mark", "标记"),
            "note": ("Note", "备注"),
            "stage_reason": ("Reason", "原因"),
            "stage_at": ("Stage since", "进入阶段时间"),
            "score": ("Score", "匹配度"),
            "target": ("Report", "报表"),
            "params": ("Filters", "筛选条件"),
            "shared": ("Shared", "共享"),
            "*": ("Record", "记录"),
        }.items()
    }
)
