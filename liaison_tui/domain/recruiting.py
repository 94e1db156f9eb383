"""Enumerations of the recruiting half: the alliance, employers' demands, talent profiles, matching and the
introductions pipeline. Each value carries an English and a Simplified Chinese label."""

from __future__ import annotations

from .enums import LabeledEnum


class AllianceRole(LabeledEnum):
    """An organization's place in the station's overseas recruitment alliance."""

    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    COUNCIL = "council"
    MEMBER = "member"
    OVERSEAS_PARTNER = "overseas_partner"


AllianceRole.register_labels(
    {
        "chair": ("Chair", "理事长单位"),
        "vice_chair": ("Vice chair", "副理事长单位"),
        "council": ("Council member", "理事单位"),
        "member": ("Member", "成员单位"),
        "overseas_partner": ("Overseas partner", "海外合作机构"),
    }
)


class Degree(LabeledEnum):
    NONE = "none"
    BACHELOR = "bachelor"
    MASTER = "master"
    PHD = "phd"


Degree.register_labels(
    {
        "none": ("No degree", "无学位"),
        "bachelor": ("Bachelor", "学士"),
        "master": ("Master", "硕士"),
        "phd": ("PhD", "博士"),
    }
)
DEGREE_RANK = {"none": 0, "bachelor": 1, "master": 2, "phd": 3}


class DemandStatus(LabeledEnum):
    OPEN = "open"
    ON_HOLD = "on_hold"
    FILLED = "filled"
    CLOSED = "closed"


DemandStatus.register_labels(
    {
        "open": ("Open", "招聘中"),
        "on_hold": ("On hold", "暂停"),
        "filled": ("Filled", "已满足"),
        "closed": ("Closed", "已关闭"),
    }
)


class WorkMode(LabeledEnum):
    ONSITE = "onsite"
    HYBRID = "hybrid"
    REMOTE = "remote"


WorkMode.register_labels(
    {
        "onsite": ("On site", "驻场"),
        "hybrid": ("Hybrid", "线上线下结合"),
        "remote": ("Remote", "远程"),
    }
)


class Relocation(LabeledEnum):
    """Whether a talent would move for a position."""

    YES = "yes"
    MAYBE = "maybe"
    NO = "no"


Relocation.register_labels(
    {
        "yes": ("Willing to relocate", "愿意迁居"),
        "maybe": ("Might relocate", "视情况迁居"),
        "no": ("Will not relocate", "不愿迁居"),
    }
)


class Availability(LabeledEnum):
    NOW = "now"
    THREE_MONTHS = "three_months"
    SIX_MONTHS = "six_months"
    ONE_YEAR = "one_year"
    NOT_LOOKING = "not_looking"


Availability.register_labels(
    {
        "now": ("Available now", "随时到岗"),
        "three_months": ("Within 3 months", "三个月内"),
        "six_months": ("Within 6 months", "半年内"),
        "one_year": ("Within a year", "一年内"),
        "not_looking": ("Not looking", "暂不考虑"),
    }
)
AVAILABILITY_RANK = {"now": 0, "three_months": 1, "six_months": 2, "one_year": 3, "not_looking": 4}


class HardConstraint(LabeledEnum):
    """Requirements of a demand that exclude a talent who misses them (the others only lower the score)."""

    DEGREE = "degree"
    EXPERIENCE = "experience"
    LANGUAGES = "languages"
    RELOCATION = "relocation"
    REQUIRED_SKILLS = "required_skills"


HardConstraint.register_labels(
    {
        "degree": ("Minimum degree", "最低学历"),
        "experience": ("Minimum years of experience", "最低工作年限"),
        "languages": ("Every language", "全部语言"),
        "relocation": ("Works on site (or relocates)", "须到岗（或迁居）"),
        "required_skills": ("Every required skill", "全部必备技能"),
    }
)


class MarkKind(LabeledEnum):
    PINNED = "pinned"
    DISMISSED = "dismissed"


MarkKind.register_labels({"pinned": ("Pinned", "已置顶"), "dismissed": ("Dismissed", "已排除")})


class DismissReason(LabeledEnum):
    """Why a staff member set a proposed talent aside. Some reasons generalise: the ranking for that demand
    then gives less to other talents who share what the reason names."""

    SKILLS = "skills"
    SENIORITY = "seniority"
    OVERQUALIFIED = "overqualified"
    FIELD = "field"
    LOCATION = "location"
    LANGUAGE = "language"
    AVAILABILITY = "availability"
    NOT_INTERESTED = "not_interested"
    OTHER = "other"


DismissReason.register_labels(
    {
        "skills": ("Skills do not fit", "技能不符"),
        "seniority": ("Too junior", "资历不足"),
        "overqualified": ("Overqualified", "资历过高"),
        "field": ("Wrong field", "研究方向不符"),
        "location": ("Location", "地点不合适"),
        "language": ("Language", "语言不符"),
        "availability": ("Not available in time", "到岗时间不符"),
        "not_interested": ("Not interested", "本人无意向"),
        "other": ("Other", "其他"),
    }
)


class IntroStage(LabeledEnum):
    """An introduction of a talent to an employer's demand, from proposal to arrival."""

    PROPOSED = "proposed"
    SHARED = "shared"
    INTERVIEW = "interview"
    OFFER = "offer"
    SIGNED = "signed"
    ARRIVED = "arrived"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


IntroStage.register_labels(
    {
        "proposed": ("Proposed", "拟推荐"),
        "shared": ("Shared with employer", "已推荐给用人单位"),
        "interview": ("Interview", "面试"),
        "offer": ("Offer", "录用意向"),
        "signed": ("Signed", "已签约"),
        "arrived": ("Arrived", "已到岗"),
        "declined": ("Declined", "已婉拒"),
        "withdrawn": ("Withdrawn", "已撤回"),
    }
)

# The way forward; declined and withdrawn end it from any stage before arrival, with a reason.
INTRO_ORDER = ("proposed", "shared", "interview", "offer", "signed", "arrived")
INTRO_ENDED = ("declined", "withdrawn")
# Stages at which the employer has seen the talent: reaching them needs the talent's consent to share.
INTRO_SHARED = frozenset(INTRO_ORDER[1:])


def intro_next(stage: str) -> list[str]:
    """The stages an introduction may move to from ``stage``."""
    if stage in INTRO_ENDED:
        return ["proposed"]  # reopened
    if stage == INTRO_ORDER[-1]:
        return []
    later = list(INTRO_ORDER[INTRO_ORDER.index(stage) + 1 :])
    return [*later, *INTRO_ENDED]
