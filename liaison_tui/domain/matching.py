"""Explainable matching of talents and employers' demands. Pure: the facts go in, a score and the reasons
for it come out, in the staff member's language.

A demand names what it asks for; each thing it asks for is a *criterion* worth a fixed number of points
(:data:`WEIGHTS`). A talent gets points per criterion (all of them, part, none), and the score is the points
got as a share of the points the demand's criteria are worth, 0-100. The explanation lists exactly the
criteria of the demand, each with the points it gave, and a "learned" line when the talent resembles one
that staff dismissed for this demand for a reason that generalises (too junior, wrong place...).

A talent is proposed only when it shares at least one required skill with the demand (or, for a demand
without required skills, a preferred skill or its industry chain) and meets the demand's hard constraints;
the score then never needs reading every talent: see :func:`upper_bound`. Consent does not change a score:
the store says whether a talent may be shared with the employer (``store/consent.py``: consent to share with that employer).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from . import search_keys as sk
from .i18n import get_lang, list_sep, register, t
from .recruiting import AVAILABILITY_RANK, DEGREE_RANK

WEIGHTS: dict[str, float] = {
    "required": 35,
    "preferred": 10,
    "chain": 15,
    "field": 5,
    "degree": 10,
    "experience": 10,
    "languages": 5,
    "location": 5,
    "availability": 5,
}
LEARNED_STEP = 5.0  # points taken for each dismissed talent this one resembles
LEARNED_CAP = 15.0
STATION_TZ = "Asia/Shanghai"
# Reasons for dismissing a talent that say something about other talents too.
GENERALISING = frozenset({"seniority", "overqualified", "field", "location", "language", "availability"})

register(
    {
        "match.required": ("{k} of {n} required skills", "必备技能 {k}/{n}"),
        "match.missing": ("missing: {skills}", "缺：{skills}"),
        "match.preferred": ("{k} of {n} preferred skills", "优先技能 {k}/{n}"),
        "match.chain.ok": ("same industry chain ({chain})", "同属{chain}产业链"),
        "match.chain.no": ("other industry chain (wants {chain})", "产业链不同（需{chain}）"),
        "match.field.ok": ("field fits ({field})", "研究方向相符（{field}）"),
        "match.field.no": ("other field (wants {field})", "研究方向不同（需{field}）"),
        "match.degree.ok": ("{degree}", "{degree}"),
        "match.degree.no": ("{degree} ({wanted} wanted)", "{degree}（要求{wanted}）"),
        "match.degree.unknown": ("degree unknown ({wanted} wanted)", "学历未知（要求{wanted}）"),
        "match.experience.ok": ("{years} years", "{years} 年经验"),
        "match.experience.part": ("{years} of {wanted} years", "经验 {years}/{wanted} 年"),
        "match.experience.unknown": ("experience unknown", "经验未知"),
        "match.speaks": ("speaks {language}", "会{language}"),
        "match.location.remote": ("remote work", "可远程"),
        "match.location.here": ("in {city}", "人在{city}"),
        "match.location.wants": ("wants to work in {city}", "意向城市{city}"),
        "match.location.yes": ("willing to relocate", "愿意迁居"),
        "match.location.maybe": ("might relocate", "视情况迁居"),
        "match.location.no": ("won't relocate", "不愿迁居"),
        "match.location.unknown": ("relocation unknown", "迁居意愿未知"),
        "match.available.from": ("available from {date}", "{date} 起可到岗"),
        "match.available.unknown": ("availability unknown", "到岗时间未知"),
        "match.learned": ("like a dismissed talent ({reasons})", "与已排除人才相似（{reasons}）"),
        "match.tz.behind": ("in {place}: {h} h behind Qingdao", "在{place}：比青岛晚 {h} 小时"),
        "match.tz.ahead": ("in {place}: {h} h ahead of Qingdao", "在{place}：比青岛早 {h} 小时"),
        "match.tz.same": ("in {place}: same time as Qingdao", "在{place}：与青岛同一时间"),
        "match.consent.ok": ("consent to share: given", "同意向用人单位提供信息：已同意"),
        "match.consent.missing": ("consent to share: missing", "同意向用人单位提供信息：缺失"),
        "match.excluded.no_skill": ("none of the required skills", "不具备任何必备技能"),
        "match.excluded.nothing": (
            "the demand names no skills or industry chain to match on",
            "该需求未填写可匹配的技能或产业链",
        ),
        "match.excluded.degree": ("below the minimum degree", "未达最低学历"),
        "match.excluded.experience": ("below the minimum years", "未达最低工作年限"),
        "match.excluded.languages": ("misses a required language", "缺少要求的语言"),
        "match.excluded.relocation": ("cannot work on site", "无法到岗"),
        "match.excluded.required_skills": ("misses a required skill", "缺少必备技能"),
        "match.excluded.dismissed": ("dismissed for this demand", "已针对该需求排除"),
    }
)

# Language names for explanations (codes as the contact records keep them).
_LANGUAGES: dict[str, tuple[str, str]] = {
    "zh": ("Chinese", "中文"),
    "en": ("English", "英语"),
    "de": ("German", "德语"),
    "ja": ("Japanese", "日语"),
    "fr": ("French", "法语"),
    "ko": ("Korean", "韩语"),
    "es": ("Spanish", "西班牙语"),
    "it": ("Italian", "意大利语"),
    "ru": ("Russian", "俄语"),
    "nl": ("Dutch", "荷兰语"),
    "sv": ("Swedish", "瑞典语"),
    "pl": ("Polish", "波兰语"),
    "cs": ("Czech", "捷克语"),
    "da": ("Danish", "丹麦语"),
    "pt": ("Portuguese", "葡萄牙语"),
}


def language_name(code: str, lang: str | None = None) -> str:
    pair = _LANGUAGES.get(code)
    if pair is None:
        return code
    return pair[1] if (lang or get_lang()) == "zh" else pair[0]


@lru_cache(maxsize=4096)
def place_key(text: str | None) -> str:
    """A city's name compared across scripts: ``青岛``, ``Qingdao`` and ``QINGDAO`` give ``qingdao``."""
    if not text:
        return ""
    base = sk.base_text(text)
    if sk.has_cjk(base):
        base = "".join(sk.char_pinyin(c) if sk.is_cjk(c) else c for c in base)
    return "".join(c for c in base if c.isalnum())


@lru_cache(maxsize=4096)
def field_key(text: str) -> str:
    return " ".join(sk.base_text(text).split())


# ---------------------------------------------------------------------------- the facts


@dataclass(slots=True)
class Talent:  # not frozen: thousands are built per query, and a frozen dataclass is slower to build
    contact_id: str
    name: str = ""
    skills: frozenset[str] = frozenset()
    degree: str | None = None
    years: int | None = None
    fields: tuple[str, ...] = ()
    chains: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    country: str | None = None
    city: str | None = None
    timezone: str | None = None
    relocation: str | None = None
    preferred_cities: tuple[str, ...] = ()
    availability: str | None = None
    available_from: str | None = None  # ISO date


@dataclass(frozen=True, slots=True)
class Job:
    """A demand as matching sees it."""

    id: str
    title: str = ""
    org_id: str = ""
    chain: str | None = None
    field: str | None = None
    required: tuple[str, ...] = ()
    preferred: tuple[str, ...] = ()
    min_degree: str | None = None
    min_years: int | None = None
    languages: tuple[str, ...] = ()
    city: str | None = None
    country: str | None = None
    work_mode: str = "onsite"
    hard: frozenset[str] = frozenset()
    deadline: str | None = None  # ISO date


@dataclass(frozen=True, slots=True)
class Dismissal:
    talent: Talent
    reason: str


@dataclass(frozen=True, slots=True)
class Criterion:
    key: str  # one of WEIGHTS, or "learned"
    points: float
    max: float
    ok: bool | None  # met, missed, or partly / unknown
    params: tuple[tuple[str, Any], ...] = ()

    def param(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)


@dataclass(frozen=True, slots=True)
class Match:
    talent: Talent
    job: Job
    score: float  # 0-100 (a little below 0 is possible when dismissals teach the ranking)
    criteria: tuple[Criterion, ...]
    excluded: tuple[str, ...] = ()  # why the talent is not proposed (empty: proposed)

    @property
    def eligible(self) -> bool:
        return not self.excluded

    @property
    def order(self) -> tuple[float, str]:
        """Best first, then by id: every way of ranking (fast or full scan) gives the same order."""
        return (-self.score, self.talent.contact_id)


@dataclass
class Notes:
    """What the staff member should know besides the score (never part of it)."""

    consent: bool | None = None
    tz_hours: float | None = None
    place: str | None = None
    extra: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- scoring


def applicable(job: Job) -> tuple[str, ...]:
    """The criteria a demand asks for (location and availability always count)."""
    keys: list[str] = []
    if job.required:
        keys.append("required")
    if job.preferred:
        keys.append("preferred")
    if job.chain:
        keys.append("chain")
    if job.field:
        keys.append("field")
    if job.min_degree and job.min_degree != "none":
        keys.append("degree")
    if job.min_years:
        keys.append("experience")
    if job.languages:
        keys.append("languages")
    keys += ["location", "availability"]
    return tuple(keys)


@lru_cache(maxsize=512)
def max_points(job: Job) -> float:
    return sum(WEIGHTS[k] for k in applicable(job))


@lru_cache(maxsize=512)
def _needs(job: Job) -> tuple[bool, float]:
    """(whether the degree counts, the points the demand's criteria are worth): worked out once a demand."""
    return "degree" in applicable(job), max_points(job)


def exact(value: float) -> float:
    """Scores and bounds are kept to 9 decimals, so that every way of computing them compares equal."""
    return round(value, 9)


def upper_bound(job: Job, matched_required: int) -> float:
    """The best score a talent holding ``matched_required`` of the demand's required skills can reach:
    candidates are read in buckets by that count, best bucket first, and reading stops when no later bucket
    can beat what was found."""
    total = max_points(job)
    if not job.required:
        return 100.0
    got = total - WEIGHTS["required"] + WEIGHTS["required"] * matched_required / len(job.required)
    return exact(100.0 * got / total)


def _share(weight: float, k: int, n: int) -> float:
    return weight * k / n if n else 0.0


def _ok(k: int, n: int) -> bool | None:
    return True if k == n else False if k == 0 else None


def _fields_of(talent: Talent) -> set[str]:
    return {field_key(f) for f in talent.fields if f and f.strip()}


def _field_fits(wanted: str, talent: Talent) -> bool:
    key = field_key(wanted)
    return bool(key) and any(key in f or f in key for f in _fields_of(talent) if f)


def _here(job: Job, talent: Talent) -> bool:
    city = place_key(job.city or "Qingdao")
    return bool(talent.city) and place_key(talent.city) == city


def _wants(job: Job, talent: Talent) -> bool:
    city = place_key(job.city or "Qingdao")
    return any(place_key(c) == city for c in talent.preferred_cities)


def _location_parts(job: Job, talent: Talent) -> tuple[float, bool | None, str]:
    weight = WEIGHTS["location"]
    if job.work_mode == "remote":
        return weight, True, "remote"
    if _here(job, talent):
        return weight, True, "here"
    if _wants(job, talent):
        return weight, True, "wants"
    how = talent.relocation or "unknown"
    return {"yes": weight, "maybe": weight / 2}.get(how, 0.0), {"yes": True, "no": False}.get(how), how


def _location(job: Job, talent: Talent) -> Criterion:
    points, ok, how = _location_parts(job, talent)
    params = (("how", how), ("city", job.city or "Qingdao")) if how in ("here", "wants") else (("how", how),)
    return Criterion("location", points, WEIGHTS["location"], ok, params)


def _availability_parts(job: Job, talent: Talent) -> tuple[float, bool | None]:
    weight = WEIGHTS["availability"]
    if talent.available_from and job.deadline and talent.available_from > job.deadline:
        return 0.0, False
    how = talent.availability
    points = {"now": weight, "three_months": weight, "six_months": 3.0, "one_year": 1.0}.get(how or "", 0.0)
    return points, True if points == weight else False if how == "not_looking" else None


def _availability(job: Job, talent: Talent) -> Criterion:
    points, ok = _availability_parts(job, talent)
    weight = WEIGHTS["availability"]
    if talent.available_from and job.deadline and talent.available_from > job.deadline:
        return Criterion("availability", points, weight, ok, (("from", talent.available_from),))
    return Criterion("availability", points, weight, ok, (("how", talent.availability or "unknown"),))


def _resembles(talent: Talent, other: Talent, reason: str, job: Job) -> bool:
    """Whether ``talent`` shares with a talent dismissed for ``reason`` what that reason is about."""
    if reason == "seniority":
        return talent.years is not None and other.years is not None and talent.years <= other.years
    if reason == "overqualified":
        return talent.years is not None and other.years is not None and talent.years >= other.years
    if reason == "field":
        return bool(_fields_of(talent) & _fields_of(other))
    if reason == "location":
        return (
            job.work_mode != "remote"
            and talent.country is not None
            and talent.country == other.country
            and talent.relocation != "yes"
            and not _here(job, talent)
        )
    if reason == "language":
        return any(lang not in talent.languages and lang not in other.languages for lang in job.languages)
    if reason == "availability":
        a, b = (
            AVAILABILITY_RANK.get(talent.availability or ""),
            AVAILABILITY_RANK.get(other.availability or ""),
        )
        return a is not None and b is not None and a >= b
    return False


def _penalty(job: Job, talent: Talent, dismissals: Sequence[Dismissal]) -> tuple[float, list[str], bool]:
    """(points taken for resembling dismissed talents, the reasons, whether this talent was dismissed)."""
    penalty = 0.0
    reasons: list[str] = []
    dismissed = False
    for dismissal in dismissals:
        if dismissal.talent.contact_id == talent.contact_id:
            dismissed = True
            continue
        if dismissal.reason in GENERALISING and _resembles(talent, dismissal.talent, dismissal.reason, job):
            penalty += LEARNED_STEP
            if dismissal.reason not in reasons:
                reasons.append(dismissal.reason)
    return min(penalty, LEARNED_CAP), reasons, dismissed


def quick_score(job: Job, talent: Talent, dismissals: Sequence[Dismissal] = ()) -> float | None:
    """:func:`score`'s number alone, or None when the talent is not proposed: what ranking many talents
    needs (no explanation is built). Adds the same points in the same order, so the two are equal to the
    last bit (the tests hold them to it)."""
    skills = talent.skills
    got = 0.0
    if job.required:
        k = sum(1 for s in job.required if s in skills)
        n = len(job.required)
        if k == 0 or (k < n and "required_skills" in job.hard):
            return None
        got += _share(WEIGHTS["required"], k, n)
    matched_preferred = 0
    if job.preferred:
        matched_preferred = sum(1 for s in job.preferred if s in skills)
        got += _share(WEIGHTS["preferred"], matched_preferred, len(job.preferred))
    same_chain = bool(job.chain) and job.chain in talent.chains
    if job.chain:
        got += WEIGHTS["chain"] if same_chain else 0.0
    if not job.required and not matched_preferred and not same_chain:
        return None
    if job.field:
        got += WEIGHTS["field"] if _field_fits(job.field, talent) else 0.0
    degree_counts, total = _needs(job)
    if degree_counts:
        have = DEGREE_RANK.get(talent.degree or "")
        ok = None if have is None else have >= DEGREE_RANK[job.min_degree or "none"]
        if ok is not True and "degree" in job.hard:
            return None
        got += WEIGHTS["degree"] if ok else 0.0
    if job.min_years:
        years = talent.years
        weight = WEIGHTS["experience"]
        if years is None or years < job.min_years:
            if "experience" in job.hard:
                return None
            got += 0.0 if years is None else weight * years / job.min_years
        else:
            got += weight
    if job.languages:
        k = sum(1 for lang in job.languages if lang in talent.languages)
        if k < len(job.languages) and "languages" in job.hard:
            return None
        got += _share(WEIGHTS["languages"], k, len(job.languages))
    points, ok, _how = _location_parts(job, talent)
    if ok is False and "relocation" in job.hard:
        return None
    got += points
    got += _availability_parts(job, talent)[0]
    if dismissals:
        penalty, _reasons, dismissed = _penalty(job, talent, dismissals)
        if dismissed:
            return None
        if penalty:
            got += -penalty
    return exact(100.0 * got / total)


def score(job: Job, talent: Talent, dismissals: Sequence[Dismissal] = ()) -> Match:
    """Score one talent for one demand, with the criteria behind the score and anything that excludes it."""
    criteria: list[Criterion] = []
    excluded: list[str] = []
    matched_required = [s for s in job.required if s in talent.skills]
    matched_preferred = [s for s in job.preferred if s in talent.skills]
    if job.required:
        k, n = len(matched_required), len(job.required)
        missing = tuple(s for s in job.required if s not in talent.skills)
        criteria.append(
            Criterion(
                "required",
                _share(WEIGHTS["required"], k, n),
                WEIGHTS["required"],
                _ok(k, n),
                (("k", k), ("n", n), ("missing", missing)),
            )
        )
        if k == 0:
            excluded.append("no_skill")
        elif k < n and "required_skills" in job.hard:
            excluded.append("required_skills")
    if job.preferred:
        k, n = len(matched_preferred), len(job.preferred)
        criteria.append(
            Criterion(
                "preferred",
                _share(WEIGHTS["preferred"], k, n),
                WEIGHTS["preferred"],
                _ok(k, n),
                (("k", k), ("n", n)),
            )
        )
    same_chain = bool(job.chain) and job.chain in talent.chains
    if job.chain:
        weight = WEIGHTS["chain"]
        criteria.append(
            Criterion("chain", weight if same_chain else 0.0, weight, same_chain, (("chain", job.chain),))
        )
    if not job.required and not matched_preferred and not same_chain:
        excluded.append("nothing" if not (job.preferred or job.chain) else "no_skill")
    if job.field:
        fits = _field_fits(job.field, talent)
        weight = WEIGHTS["field"]
        criteria.append(Criterion("field", weight if fits else 0.0, weight, fits, (("field", job.field),)))
    degree_counts, total = _needs(job)
    if degree_counts:
        weight = WEIGHTS["degree"]
        wanted = DEGREE_RANK[job.min_degree or "none"]
        have = DEGREE_RANK.get(talent.degree or "")
        ok = None if have is None else have >= wanted
        criteria.append(
            Criterion(
                "degree",
                weight if ok else 0.0,
                weight,
                ok,
                (("degree", talent.degree), ("wanted", job.min_degree)),
            )
        )
        if ok is not True and "degree" in job.hard:
            excluded.append("degree")
    if job.min_years:
        weight = WEIGHTS["experience"]
        years = talent.years
        if years is None:
            points, ok = 0.0, None
        elif years >= job.min_years:
            points, ok = weight, True
        else:
            points, ok = weight * years / job.min_years, (False if years == 0 else None)
        criteria.append(
            Criterion("experience", points, weight, ok, (("years", years), ("wanted", job.min_years)))
        )
        if ok is not True and "experience" in job.hard:
            excluded.append("experience")
    if job.languages:
        spoken = tuple(lang for lang in job.languages if lang in talent.languages)
        k, n = len(spoken), len(job.languages)
        criteria.append(
            Criterion(
                "languages",
                _share(WEIGHTS["languages"], k, n),
                WEIGHTS["languages"],
                _ok(k, n),
                (("spoken", spoken), ("wanted", job.languages)),
            )
        )
        if k < n and "languages" in job.hard:
            excluded.append("languages")
    location = _location(job, talent)
    criteria.append(location)
    if location.ok is False and "relocation" in job.hard:
        excluded.append("relocation")
    criteria.append(_availability(job, talent))
    penalty, reasons, dismissed = _penalty(job, talent, dismissals)
    if dismissed:
        excluded.append("dismissed")
    if penalty:
        criteria.append(Criterion("learned", -penalty, 0.0, False, (("reasons", tuple(reasons)),)))
    got = sum(c.points for c in criteria)
    return Match(talent, job, exact(100.0 * got / total), tuple(criteria), tuple(dict.fromkeys(excluded)))


def rank(matches: Iterable[Match], limit: int) -> list[Match]:
    """The best ``limit`` proposed matches, best first."""
    return sorted((m for m in matches if m.eligible), key=lambda m: m.order)[:limit]


# ---------------------------------------------------------------------------- explanations


def _enum(name: str, value: str | None, lang: str | None) -> str:
    return t(f"enum.{name}.{value}", lang) if value else "—"


def _mark(ok: bool | None) -> str:
    return " ✓" if ok is True else " ✗" if ok is False else ""


def describe(
    criterion: Criterion, lang: str | None = None, skill_names: Mapping[str, str] | None = None
) -> str:
    """One criterion as a staff member reads it: ``3 of 4 required skills (missing: Rust)``, ``PhD ✓``."""
    c, p = criterion, dict(criterion.params)
    names = skill_names or {}
    sep = list_sep(lang)
    if c.key == "required":
        text = t("match.required", lang, k=p["k"], n=p["n"]) + _mark(c.ok)
        if p["missing"] and p["k"]:
            missing = t("match.missing", lang, skills=sep.join(names.get(s, s) for s in p["missing"]))
            text += f"（{missing}）" if (lang or get_lang()) == "zh" else f" ({missing})"
        return text
    if c.key == "preferred":
        return t("match.preferred", lang, k=p["k"], n=p["n"]) + _mark(c.ok)
    if c.key == "chain":
        chain = _enum("IndustryChain", p["chain"], lang)
        return t("match.chain.ok" if c.ok else "match.chain.no", lang, chain=chain) + _mark(c.ok)
    if c.key == "field":
        return t("match.field.ok" if c.ok else "match.field.no", lang, field=p["field"]) + _mark(c.ok)
    if c.key == "degree":
        wanted = _enum("Degree", p["wanted"], lang)
        if c.ok is None:
            return t("match.degree.unknown", lang, wanted=wanted)
        degree = _enum("Degree", p["degree"], lang)
        return t(
            "match.degree.ok" if c.ok else "match.degree.no", lang, degree=degree, wanted=wanted
        ) + _mark(c.ok)
    if c.key == "experience":
        if p["years"] is None:
            return t("match.experience.unknown", lang)
        if c.ok:
            return t("match.experience.ok", lang, years=p["years"]) + " ✓"
        return t("match.experience.part", lang, years=p["years"], wanted=p["wanted"]) + _mark(c.ok)
    if c.key == "languages":
        spoken = set(p["spoken"])
        return sep.join(
            t("match.speaks", lang, language=language_name(code, lang)) + (" ✓" if code in spoken else " ✗")
            for code in p["wanted"]
        )
    if c.key == "location":
        how = p["how"]
        return t(f"match.location.{how}", lang, city=p.get("city", "")) + _mark(c.ok)
    if c.key == "availability":
        if "from" in p:
            return t("match.available.from", lang, date=p["from"]) + " ✗"
        how = p["how"]
        text = t("match.available.unknown", lang) if how == "unknown" else _enum("Availability", how, lang)
        return text + _mark(c.ok)
    if c.key == "learned":
        reasons = sep.join(_enum("DismissReason", r, lang) for r in p["reasons"])
        return t("match.learned", lang, reasons=reasons) + f" {c.points:+.0f}"
    return c.key


def explain(match: Match, lang: str | None = None, skill_names: Mapping[str, str] | None = None) -> list[str]:
    """Every criterion of the match, as text, in order."""
    return [describe(c, lang, skill_names) for c in match.criteria]


def exclusion_text(reason: str, lang: str | None = None) -> str:
    return t(f"match.excluded.{reason}", lang)


def tz_note(timezone: str | None, place: str | None, when: datetime, lang: str | None = None) -> str | None:
    """``in Munich: 7 h behind Qingdao``, or None when the talent's time zone is unknown."""
    if not timezone:
        return None
    try:
        there = when.astimezone(ZoneInfo(timezone)).utcoffset()
        here = when.astimezone(ZoneInfo(STATION_TZ)).utcoffset()
    except (KeyError, ValueError):
        return None
    if there is None or here is None:
        return None
    hours = (there - here).total_seconds() / 3600
    shown = f"{abs(hours):g}"
    where = place or timezone.rsplit("/", 1)[-1].replace("_", " ")
    if hours == 0:
        if where.strip().lower() in ("qingdao", "青岛"):
            return None  # a talent already here: nothing to say about the hour
        return t("match.tz.same", lang, place=where)
    return t("match.tz.behind" if hours < 0 else "match.tz.ahead", lang, place=where, h=shown)


def consent_note(consent: bool, lang: str | None = None) -> str:
    return t("match.consent.ok" if consent else "match.consent.missing", lang) + (" ✓" if consent else " ✗")
