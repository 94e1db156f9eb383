"""Enumerations of the domain, each value with an English and a Simplified Chinese label."""

from __future__ import annotations

from enum import StrEnum

from .i18n import has, register, t


class LabeledEnum(StrEnum):
    """A string enum whose members carry bilingual labels, registered as ``enum.<Class>.<value>``."""

    @classmethod
    def register_labels(cls, labels: dict[str, tuple[str, str]]) -> None:
        missing = {m.value for m in cls} - set(labels)
        if missing:
            raise ValueError(f"{cls.__name__}: labels missing for {sorted(missing)}")
        register({f"enum.{cls.__name__}.{value}": pair for value, pair in labels.items()})

    def label(self, lang: str | None = None) -> str:
        return t(f"enum.{type(self).__name__}.{self.value}", lang)

    @classmethod
    def register_short_labels(cls, labels: dict[str, tuple[str, str]]) -> None:
        """Shorter labels for narrow table columns (``enum.<Class>.<value>.short``), where the full label
        would be cut to something ambiguous ("Waiting on…" for two statuses)."""
        unknown = set(labels) - {m.value for m in cls}
        if unknown:
            raise ValueError(f"{cls.__name__}: short labels for unknown values {sorted(unknown)}")
        register({f"enum.{cls.__name__}.{value}.short": pair for value, pair in labels.items()})

    def short_label(self, lang: str | None = None) -> str:
        key = f"enum.{type(self).__name__}.{self.value}.short"
        return t(key, lang) if has(key) else self.label(lang)


class ContactKind(LabeledEnum):
    TALENT = "talent"
    EMPLOYER_CONTACT = "employer_contact"
    REFERRER = "referrer"
    FAMILY = "family"


ContactKind.register_labels(
    {
        "talent": ("Talent", "人才"),
        "employer_contact": ("Employer contact", "用人单位联系人"),
        "referrer": ("Referrer", "推荐人"),
        "family": ("Family member", "家属"),
    }
)


class NameOrder(LabeledEnum):
    FAMILY_FIRST = "family_first"
    GIVEN_FIRST = "given_first"


NameOrder.register_labels(
    {
        "family_first": ("Family name first", "姓在前"),
        "given_first": ("Given name first", "名在前"),
    }
)


class IndustryChain(LabeledEnum):
    AI = "ai"
    VR = "vr"
    BIOMEDICINE = "biomedicine"
    SMART_MANUFACTURING = "smart_manufacturing"
    MARINE = "marine"
    NEW_MATERIALS = "new_materials"
    INTEGRATED_CIRCUITS = "integrated_circuits"
    OTHER = "other"


IndustryChain.register_labels(
    {
        "ai": ("Artificial intelligence", "人工智能"),
        "vr": ("Virtual reality", "虚拟现实"),
        "biomedicine": ("Biomedicine", "生物医药"),
        "smart_manufacturing": ("Smart manufacturing", "智能制造"),
        "marine": ("Marine economy", "海洋经济"),
        "new_materials": ("New materials", "新材料"),
        "integrated_circuits": ("Integrated circuits", "集成电路"),
        "other": ("Other", "其他"),
    }
)


class TalentTier(LabeledEnum):
    """The station's talent classification (top to reserve), as in Qingdao's A–E categories."""

    A = "a"
    B = "b"
    C = "c"
    D = "d"
    E = "e"
    UNRATED = "unrated"


TalentTier.register_labels(
    {
        "a": ("A · Top talent", "A类 · 顶尖人才"),
        "b": ("B · Leading talent", "B类 · 领军人才"),
        "c": ("C · High-level talent", "C类 · 高层次人才"),
        "d": ("D · Young talent", "D类 · 青年人才"),
        "e": ("E · Skilled talent", "E类 · 骨干人才"),
        "unrated": ("Unrated", "未评级"),
    }
)


class PipelineStage(LabeledEnum):
    LEAD = "lead"
    CONTACTED = "contacted"
    ENGAGED = "engaged"
    VISITING = "visiting"
    SIGNED = "signed"
    LANDED = "landed"
    ROOTED = "rooted"
    ON_HOLD = "on_hold"
    LOST = "lost"


PipelineStage.register_labels(
    {
        "lead": ("Lead", "线索"),
        "contacted": ("Contacted", "已联系"),
        "engaged": ("Engaged", "洽谈中"),
        "visiting": ("Visiting", "来青考察"),
        "signed": ("Signed", "已签约"),
        "landed": ("Landed", "已落地"),
        "rooted": ("Rooted", "已扎根"),
        "on_hold": ("On hold", "暂缓"),
        "lost": ("Lost", "已流失"),
    }
)


class ContactSource(LabeledEnum):
    EVENT = "event"
    ALLIANCE_REFERRAL = "alliance_referral"
    EMPLOYER_REFERRAL = "employer_referral"
    SELF = "self"
    OVERSEAS_STATION = "overseas_station"
    IMPORT = "import"
    OTHER = "other"


ContactSource.register_labels(
    {
        "event": ("Event", "活动"),
        "alliance_referral": ("Alliance referral", "联盟推荐"),
        "employer_referral": ("Employer referral", "用人单位推荐"),
        "self": ("Self-registered", "自主联系"),
        "overseas_station": ("Overseas station", "海外工作站"),
        "import": ("Imported list", "名单导入"),
        "other": ("Other", "其他"),
    }
)


class Gender(LabeledEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


Gender.register_labels(
    {
        "female": ("Female", "女"),
        "male": ("Male", "男"),
        "other": ("Other", "其他"),
    }
)


class ContactPointKind(LabeledEnum):
    EMAIL = "email"
    PHONE = "phone"
    WECHAT = "wechat"
    LINKEDIN = "linkedin"
    URL = "url"
    ADDRESS = "address"


ContactPointKind.register_labels(
    {
        "email": ("Email", "邮箱"),
        "phone": ("Phone", "电话"),
        "wechat": ("WeChat", "微信"),
        "linkedin": ("LinkedIn", "领英"),
        "url": ("Web page", "网页"),
        "address": ("Address", "地址"),
    }
)


class OrgKind(LabeledEnum):
    ENTERPRISE = "enterprise"
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    HOSPITAL = "hospital"
    HR_AGENCY = "hr_agency"
    GOVERNMENT = "government"
    PARK = "park"
    OVERSEAS_EMPLOYER = "overseas_employer"
    ASSOCIATION = "association"


OrgKind.register_labels(
    {
        "enterprise": ("Enterprise", "企业"),
        "university": ("University", "高校"),
        "research_institute": ("Research institute", "科研院所"),
        "hospital": ("Hospital", "医院"),
        "hr_agency": ("HR agency", "人力资源机构"),
        "government": ("Government", "政府部门"),
        "park": ("Industrial park", "产业园区"),
        "overseas_employer": ("Overseas employer", "海外雇主"),
        "association": ("Association", "协会学会"),
    }
)


class CaseCategory(LabeledEnum):
    VISA_ENTRY = "visa_entry"
    WORK_PERMIT = "work_permit"
    RESIDENCE_PERMIT = "residence_permit"
    TALENT_CERTIFICATION = "talent_certification"
    HOUSING = "housing"
    MEDICAL = "medical"
    CHILDREN_EDUCATION = "children_education"
    SPOUSE_EMPLOYMENT = "spouse_employment"
    FUNDING = "funding"
    COMPANY_REGISTRATION = "company_registration"
    POLICY = "policy"
    DAILY_LIFE = "daily_life"
    OTHER = "other"


CaseCategory.register_labels(
    {
        "visa_entry": ("Visa and entry", "签证与入境"),
        "work_permit": ("Work permit", "工作许可"),
        "residence_permit": ("Residence permit", "居留许可"),
        "talent_certification": ("Talent certification", "人才认定"),
        "housing": ("Housing", "住房安居"),
        "medical": ("Medical care", "医疗保障"),
        "children_education": ("Children's education", "子女入学"),
        "spouse_employment": ("Spouse employment", "配偶就业"),
        "funding": ("Funding and subsidies", "资金补贴"),
        "company_registration": ("Company registration and project landing", "企业注册与项目落地"),
        "policy": ("Policy consultation", "政策咨询"),
        "daily_life": ("Daily life", "生活服务"),
        "other": ("Other", "其他"),
    }
)
CaseCategory.register_short_labels(
    {
        "visa_entry": ("Visa & entry", "签证与入境"),
        "talent_certification": ("Talent cert.", "人才认定"),
        "children_education": ("Schooling", "子女入学"),
        "spouse_employment": ("Spouse job", "配偶就业"),
        "funding": ("Funding", "资金补贴"),
        "company_registration": ("Company setup", "企业注册落地"),
        "policy": ("Policy", "政策咨询"),
    }
)


class CasePriority(LabeledEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


CasePriority.register_labels(
    {
        "low": ("Low", "低"),
        "normal": ("Normal", "普通"),
        "high": ("High", "高"),
        "urgent": ("Urgent", "紧急"),
    }
)


class CaseStatus(LabeledEnum):
    NEW = "new"
    TRIAGED = "triaged"
    IN_PROGRESS = "in_progress"
    WAITING_TALENT = "waiting_talent"
    WAITING_THIRD_PARTY = "waiting_third_party"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    CANCELLED = "cancelled"


CaseStatus.register_labels(
    {
        "new": ("New", "新建"),
        "triaged": ("Triaged", "已分派"),
        "in_progress": ("In progress", "办理中"),
        "waiting_talent": ("Waiting on talent", "等待人才"),
        "waiting_third_party": ("Waiting on third party", "等待第三方"),
        "resolved": ("Resolved", "已解决"),
        "closed": ("Closed", "已关闭"),
        "rejected": ("Rejected", "已驳回"),
        "duplicate": ("Duplicate", "重复"),
        "cancelled": ("Cancelled", "已取消"),
    }
)
CaseStatus.register_short_labels(
    {
        "waiting_talent": ("Wait: talent", "等待人才"),
        "waiting_third_party": ("Wait: 3rd pty", "等待第三方"),
    }
)


class FollowUpKind(LabeledEnum):
    CALL_BACK = "call_back"
    SEND_MATERIALS = "send_materials"
    COLLECT_DOCUMENTS = "collect_documents"
    CHECK_APPLICATION = "check_application"
    ARRANGE_VISIT = "arrange_visit"
    POST_LANDING_CHECKIN = "post_landing_checkin"
    DOCUMENT_EXPIRY = "document_expiry"
    GREETING = "greeting"
    OTHER = "other"


FollowUpKind.register_labels(
    {
        "call_back": ("Call back", "回电"),
        "send_materials": ("Send materials", "发送材料"),
        "collect_documents": ("Collect documents", "收集材料"),
        "check_application": ("Check application status", "查询办理进度"),
        "arrange_visit": ("Arrange visit", "安排考察"),
        "post_landing_checkin": ("Post-landing check-in", "落地回访"),
        "document_expiry": ("Document expiry", "证件到期提醒"),
        "greeting": ("Greeting", "节日问候"),
        "other": ("Other", "其他"),
    }
)


class FollowUpStatus(LabeledEnum):
    OPEN = "open"
    SNOOZED = "snoozed"
    DONE = "done"
    CANCELLED = "cancelled"


FollowUpStatus.register_labels(
    {
        "open": ("Open", "待办"),
        "snoozed": ("Snoozed", "已推迟"),
        "done": ("Done", "已完成"),
        "cancelled": ("Cancelled", "已取消"),
    }
)


class ActivityKind(LabeledEnum):
    CALL = "call"
    VIDEO_CALL = "video_call"
    MEETING = "meeting"
    EMAIL = "email"
    WECHAT = "wechat"
    VISIT = "visit"
    EVENT_ATTENDANCE = "event_attendance"
    NOTE = "note"
    STATUS_CHANGE = "status_change"


ActivityKind.register_labels(
    {
        "call": ("Call", "电话"),
        "video_call": ("Video call", "视频通话"),
        "meeting": ("Meeting", "会面"),
        "email": ("Email", "邮件"),
        "wechat": ("WeChat", "微信"),
        "visit": ("Visit", "走访"),
        "event_attendance": ("Event attendance", "参加活动"),
        "note": ("Note", "备注"),
        "status_change": ("Status change", "状态变更"),
    }
)


class EventKind(LabeledEnum):
    SUMMIT = "summit"
    ROADSHOW = "roadshow"
    EXCHANGE_FAIR = "exchange_fair"
    WEBINAR = "webinar"
    JOB_FAIR = "job_fair"
    MATCHMAKING = "matchmaking"


EventKind.register_labels(
    {
        "summit": ("Summit", "峰会"),
        "roadshow": ("Overseas roadshow", "海外路演"),
        "exchange_fair": ("Exchange fair", "交流洽谈会"),
        "webinar": ("Webinar", "线上宣讲"),
        "job_fair": ("Job fair", "招聘会"),
        "matchmaking": ("Online matchmaking", "线上对接会"),
    }
)


class AttendanceStatus(LabeledEnum):
    INVITED = "invited"
    REGISTERED = "registered"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


AttendanceStatus.register_labels(
    {
        "invited": ("Invited", "已邀请"),
        "registered": ("Registered", "已报名"),
        "attended": ("Attended", "已出席"),
        "no_show": ("No-show", "未出席"),
    }
)


class StaffRole(LabeledEnum):
    """What a staff member may do (docs/SECURITY.md, ``domain/permissions.py``)."""

    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    OFFICER = "officer"
    VIEWER = "viewer"


StaffRole.register_labels(
    {
        "admin": ("Administrator", "管理员"),
        "supervisor": ("Supervisor", "主管"),
        "officer": ("Officer", "专员"),
        "viewer": ("Viewer", "只读用户"),
    }
)


class ViewKind(LabeledEnum):
    """What a saved view opens: a filtered case list, a filtered contact list or a report."""

    CASES = "cases"
    CONTACTS = "contacts"
    REPORT = "report"


ViewKind.register_labels(
    {
        "cases": ("Case list", "事项列表"),
        "contacts": ("Contact list", "联系人列表"),
        "report": ("Report", "报表"),
    }
)


class ConsentAction(LabeledEnum):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"


ConsentAction.register_labels({"given": ("Given", "已同意"), "withdrawn": ("Withdrawn", "已撤回")})


class ConsentPurpose(LabeledEnum):
    """What a person agreed to (PIPL: each purpose needs its own consent)."""

    RECRUITMENT_CONTACT = "recruitment_contact"
    SHARE_WITH_EMPLOYER = "share_with_employer"
    CROSS_BORDER_TRANSFER = "cross_border_transfer"
    PUBLICITY = "publicity"


ConsentPurpose.register_labels(
    {
        "recruitment_contact": ("Contact about recruitment", "招才引智联络"),
        "share_with_employer": ("Share profile with an employer", "向用人单位提供资料"),
        "cross_border_transfer": ("Cross-border transfer", "跨境传输"),
        "publicity": ("Names and photos in publicity", "宣传中使用姓名与照片"),
    }
)
ConsentPurpose.register_short_labels(
    {
        "recruitment_contact": ("contact", "联络"),
        "share_with_employer": ("share", "提供资料"),
        "cross_border_transfer": ("cross-border", "跨境"),
        "publicity": ("publicity", "宣传"),
    }
)


class ConsentChannel(LabeledEnum):
    PAPER = "paper"
    WECHAT = "wechat"
    EMAIL = "email"
    EVENT_REGISTRATION = "event_registration"
    ONLINE_FORM = "online_form"
    PHONE = "phone"
    IN_PERSON = "in_person"


ConsentChannel.register_labels(
    {
        "paper": ("Signed on paper", "纸质签署"),
        "wechat": ("WeChat", "微信"),
        "email": ("Email", "电子邮件"),
        "event_registration": ("Event registration", "活动报名"),
        "online_form": ("Online form", "在线表单"),
        "phone": ("Phone (noted by staff)", "电话（工作人员记录）"),
        "in_person": ("In person (noted by staff)", "当面（工作人员记录）"),
    }
)
