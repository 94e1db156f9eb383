"""The recruiting half of the demo data: an alliance with roles, the skills vocabulary, talent profiles and
skills, employers' demands, introductions at every stage with their timeline entries, a few pinned and
dismissed talents, and events of realistic size with registrations, check-ins, no-shows and notes.

Driven by :class:`~.demo.DemoGenerator` (same seeded generator, same batches, same bulk path)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..domain.matching import Job, Talent, score
from ..domain.recruiting_models import derived_id, skill_slug
from ..domain.skills_vocabulary import STARTER
from ..domain.times import iso

if TYPE_CHECKING:
    from .demo import DemoGenerator, _Batch

# Registrants an event of each kind draws, whatever the size of the store.
_CAPACITY = {
    "summit": 600,
    "roadshow": 120,
    "exchange_fair": 250,
    "webinar": 300,
    "job_fair": 400,
    "matchmaking": 150,
}
_VENUES = {
    "Qingdao": ("青岛国际会议中心", "Asia/Shanghai"),
    "Munich": ("Munich Technology Centre", "Europe/Berlin"),
    "Boston": ("Harbor Innovation Hall", "America/New_York"),
    "Singapore": ("Marina Science Park", "Asia/Singapore"),
}
_ALLIANCE = [("chair", 0), ("vice_chair", 1)]  # roles of the two alliance chapters
# Qingdao organizations that are alliance members, by kind: (role, years in the alliance)
_MEMBER_KINDS = {
    "hr_agency": "council",
    "park": "council",
    "research_institute": "member",
    "enterprise": "member",
}
_DEMAND_TITLES: dict[str, list[str]] = {
    "ai": ["计算机视觉算法工程师", "Machine learning scientist", "大模型应用研发负责人", "NLP research lead"],
    "vr": ["近眼显示光学工程师", "XR interaction designer", "三维引擎开发专家"],
    "biomedicine": [
        "抗体药物研发总监",
        "Clinical trial manager",
        "基因治疗首席科学家",
        "Medical device R&D lead",
    ],
    "smart_manufacturing": ["工业机器人控制算法专家", "CNC systems architect", "智能工厂解决方案总监"],
    "marine": ["海洋工程装备总设计师", "Underwater acoustics engineer", "海洋牧场技术负责人"],
    "new_materials": ["碳纤维复合材料研发专家", "Battery materials scientist", "石墨烯应用工程师"],
    "integrated_circuits": ["模拟芯片设计专家", "Digital verification lead", "先进封装工艺工程师"],
}
_ATTENDEE_NOTES = [
    "对青岛人工智能岗位感兴趣",
    "Asked about housing for the family",
    "希望会后发送政策材料",
    "Brought two colleagues from the lab",
    "关注子女入学政策",
]
_DEGREE_BY_TIER = {"a": "phd", "b": "phd", "c": "phd", "d": "master", "e": "bachelor", "unrated": None}


class RecruitingDemo:
    def __init__(self, gen: DemoGenerator) -> None:
        self.gen = gen
        self.rng: random.Random = gen.rng
        self.expected = 1000  # contacts the demo will make (set by generate())
        self.skills_by_chain: dict[str, list[str]] = {}
        self.general: list[str] = []
        self.jobs: list[Job] = []
        self.demand_rows: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.alliance: list[str] = []

    # ------------------------------------------------------------------ reference data
    def prepare(self, org_rows: list[dict[str, Any]], event_rows: list[dict[str, Any]], qingdao: int) -> None:
        """Alliance roles and relationship owners on the organizations, venues and organisers on the
        events (before they are written)."""
        rng, staff = self.rng, self.gen.staff
        since = self.gen.now.date() - timedelta(days=3 * 365)
        chapters = [o for o in org_rows if o["kind"] == "hr_agency" and o["country"] is None]
        for (role, _), org in zip(_ALLIANCE, chapters, strict=False):
            org.update(alliance_member=True, alliance_role=role, alliance_since=since.isoformat())
        for org in org_rows[:qingdao]:
            member_role = _MEMBER_KINDS.get(org["kind"])
            if member_role and rng.random() < 0.6:
                joined = since + timedelta(days=rng.randrange(0, 900))
                org.update(alliance_member=True, alliance_role=member_role, alliance_since=joined.isoformat())
        for org in org_rows:
            if org["alliance_member"] or (org["country"] in (None, "CN") and rng.random() < 0.5):
                org["staff_ids"] = rng.sample(staff, min(len(staff), rng.choice([1, 1, 2])))
            else:
                org["staff_ids"] = []
            org.setdefault("merged_into", None)
        self.alliance = [o["id"] for o in org_rows if o["alliance_member"]]
        self.qingdao = org_rows[:qingdao]
        for event in event_rows:
            venue, tz = _VENUES.get(event["city"] or "", (None, None))
            event["venue"] = venue
            event["timezone"] = tz
            event["organizer_ids"] = rng.sample(self.alliance, min(len(self.alliance), rng.choice([1, 2])))
        self.events = event_rows
        total = sum(_CAPACITY.get(e["kind"], 200) for e in event_rows)
        self.attend_rate = min(0.5, total / max(self.expected, 1))

    def skill_rows(self) -> list[dict[str, Any]]:
        rows = []
        for name_en, name_zh, chain, aliases in STARTER:
            sid = skill_slug(name_en)
            rows.append(
                {"id": sid, "name_en": name_en, "name_zh": name_zh, "aliases": list(aliases), "chain": chain}
            )
            if chain:
                self.skills_by_chain.setdefault(chain, []).append(sid)
            else:
                self.general.append(sid)
        return rows

    def demand_rows_for(self) -> list[dict[str, Any]]:
        """Demands of the Qingdao employers, in proportion to the store (a station with a million contacts
        has a few thousand demands on its books)."""
        rng, now = self.rng, self.gen.now
        count = max(24, self.expected // 250)
        employers = [
            o for o in self.qingdao if o["kind"] in ("enterprise", "research_institute", "hospital", "park")
        ]
        rows: list[dict[str, Any]] = []
        for n in range(count):
            org = rng.choice(employers)
            chain = org["industry_chains"][0] if org["industry_chains"] else "ai"
            chain = chain if chain in self.skills_by_chain else "ai"
            pool = self.skills_by_chain[chain]
            required = rng.sample(pool, rng.choice([2, 3, 3, 4]))
            preferred = rng.sample(
                [s for s in pool + self.general if s not in required], rng.choice([0, 1, 2])
            )
            statuses = ["open", "on_hold", "filled", "closed"]
            status = statuses[n] if n < len(statuses) else rng.choices(statuses, [60, 12, 16, 12])[0]
            low = rng.choice([30, 40, 50, 60, 80])
            row = {
                "id": self.gen.new_id(),
                "title": rng.choice(_DEMAND_TITLES[chain]),
                "org_id": org["id"],
                "description": None,
                "field": None,
                "industry_chain": chain,
                "required_skills": required,
                "preferred_skills": preferred,
                "min_degree": rng.choice(["phd", "phd", "master", None]),
                "min_years": rng.choice([None, 3, 5, 8]),
                "languages": rng.choice([["zh"], ["zh"], ["zh", "en"], ["en"], []]),
                "city": "青岛",
                "country": "CN",
                "work_mode": rng.choices(["onsite", "hybrid", "remote"], [70, 22, 8])[0],
                "relocation_support": rng.random() < 0.6,
                "package_min": low,
                "package_max": low + rng.choice([20, 30, 50]),
                "headcount": rng.choice([1, 1, 1, 2, 3]),
                "deadline": (now.date() + timedelta(days=rng.randrange(-30, 150))).isoformat(),
                "status": status,
                "brought_by": rng.choice(self.alliance) if self.alliance and rng.random() < 0.5 else None,
                "owner_id": rng.choice(self.gen.staff),
                "hard": rng.choice([[], [], [], ["degree"], ["languages"]]),
                "notes": None,
            }
            rows.append(row)
        self.demand_rows = rows
        self.jobs = [
            Job(
                id=r["id"],
                title=r["title"],
                org_id=r["org_id"],
                chain=r["industry_chain"],
                required=tuple(r["required_skills"]),
                preferred=tuple(r["preferred_skills"]),
                min_degree=r["min_degree"],
                min_years=r["min_years"],
                languages=tuple(r["languages"]),
                city=r["city"],
                country=r["country"],
                work_mode=r["work_mode"],
                hard=frozenset(r["hard"]),
                deadline=r["deadline"],
            )
            for r in rows
        ]
        return rows

    # ------------------------------------------------------------------ per contact
    def talent(self, batch: _Batch, row: dict[str, Any], org: dict[str, Any]) -> None:
        """A talent's profile and skills, sometimes an introduction and a mark; a contact person of an
        employer marked as such on their affiliation."""
        rng = self.rng
        cid = row["id"]
        if row["kind"] == "employer_contact" and org in self.qingdao:
            for aff in reversed(batch.rows["affiliations"]):
                if aff["contact_id"] == cid:
                    aff["is_contact"] = True
                    break
        if row["kind"] != "talent" or rng.random() > 0.6:  # many contacts are leads with no profile yet
            return
        chain = row["industry_chains"][0] if row["industry_chains"] else "ai"
        pool = self.skills_by_chain.get(chain) or self.skills_by_chain["ai"]
        skills = rng.sample(pool, min(len(pool), rng.choice([2, 3, 3, 4, 4, 5, 6])))
        if rng.random() < 0.4:
            skills.append(rng.choice(self.general))
        landed = row["country"] == "CN"
        degree = _DEGREE_BY_TIER.get(row["tier"]) or rng.choice(["phd", "master", "bachelor"])
        profile = {
            "id": derived_id("talent_profile", cid),
            "contact_id": cid,
            "degree": degree,
            "years_experience": rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20]),
            "fields": [row["field"]] if row["field"] and rng.random() < 0.3 else [],
            "relocation": None if landed else rng.choices(["yes", "maybe", "no", None], [40, 30, 15, 15])[0],
            "preferred_cities": ["青岛"] if not landed and rng.random() < 0.3 else [],
            "availability": rng.choices(
                ["now", "three_months", "six_months", "one_year", "not_looking", None],
                [15, 25, 20, 15, 10, 15],
            )[0],
            "available_from": None,
            "expected_package": rng.choice([None, 40, 60, 80, 100, 150]),
            "notes": None,
        }
        batch.add("talent_profiles", profile)
        for sid in skills:
            batch.add(
                "talent_skills",
                {"id": derived_id("talent_skill", cid, sid), "contact_id": cid, "skill_id": sid, "raw": None},
            )
        if rng.random() < 0.04:
            self._introduce(batch, row, profile, frozenset(skills))

    def _introduce(
        self, batch: _Batch, row: dict[str, Any], profile: dict[str, Any], skills: frozenset[str]
    ) -> None:
        rng = self.rng
        facts = Talent(
            contact_id=row["id"],
            skills=skills,
            degree=profile["degree"],
            years=profile["years_experience"],
            fields=tuple(profile["fields"]),
            chains=frozenset(row["industry_chains"]),
            languages=frozenset(row["languages"]),
            country=row["country"],
            city=row["city"],
            relocation=profile["relocation"],
            preferred_cities=tuple(profile["preferred_cities"]),
            availability=profile["availability"],
        )
        fitting = [j for j in self.jobs if set(j.required) & skills]
        if not fitting:
            return
        job = rng.choice(fitting)
        match = score(job, facts)
        if not match.eligible:
            return
        when = self.gen.now - timedelta(days=rng.randrange(2, 200), hours=rng.randrange(10))
        if rng.random() < 0.25:
            reason = rng.choice(["seniority", "location", "availability", "not_interested"])
            batch.add(
                "match_marks",
                {
                    "id": derived_id("match_mark", job.id, row["id"]),
                    "demand_id": job.id,
                    "contact_id": row["id"],
                    "mark": "dismissed",
                    "reason": reason,
                    "note": None,
                    "staff_id": row["owner_id"],
                },
            )
            return
        stage = rng.choices(
            ["proposed", "shared", "interview", "offer", "signed", "arrived", "declined", "withdrawn"],
            [30, 22, 16, 8, 6, 4, 9, 5],
        )[0]
        stage_reason = {"declined": "对方已接受其他机会", "withdrawn": "用人单位暂停招聘"}.get(stage)
        batch.add(
            "introductions",
            {
                "id": self.gen.new_id(),
                "demand_id": job.id,
                "contact_id": row["id"],
                "stage": stage,
                "stage_reason": stage_reason,
                "stage_at": iso(when + timedelta(days=rng.randrange(0, 20))),
                "owner_id": row["owner_id"],
                "score": round(match.score, 1),
                "notes": None,
            },
        )
        batch.add(
            "activities",
            {
                "id": self.gen.new_id(),
                "kind": "status_change",
                "occurred_at": iso(when),
                "staff_id": row["owner_id"],
                "summary": f"推荐至用人需求：{job.title}",
                "details": None,
                "contact_id": row["id"],
                "case_id": None,
                "event_id": None,
            },
        )
        if rng.random() < 0.3:
            batch.add(
                "match_marks",
                {
                    "id": derived_id("match_mark", job.id, row["id"]),
                    "demand_id": job.id,
                    "contact_id": row["id"],
                    "mark": "pinned",
                    "reason": None,
                    "note": None,
                    "staff_id": row["owner_id"],
                },
            )

    def attend(self, batch: _Batch, contact_id: str) -> None:
        """Registration for an event, sized so that an event draws its usual crowd; past events have
        check-ins and no-shows, coming ones registrations and invitations."""
        rng = self.rng
        if not self.events or rng.random() >= self.attend_rate:
            return
        weights = [_CAPACITY.get(e["kind"], 200) for e in self.events]
        event = rng.choices(self.events, weights)[0]
        starts = event["starts_on"]
        past = starts < self.gen.now.date().isoformat()
        if past:
            status = rng.choices(["attended", "no_show", "invited"], [75, 15, 10])[0]
        else:
            status = rng.choices(["registered", "invited"], [70, 30])[0]
        checked = None
        if status == "attended":
            checked = f"{starts}T{rng.randrange(0, 3):02d}:{rng.randrange(60):02d}:00Z"
        batch.add(
            "attendances",
            {
                "id": derived_id("attendance", event["id"], contact_id),
                "event_id": event["id"],
                "contact_id": contact_id,
                "status": status,
                "notes": rng.choice(_ATTENDEE_NOTES)
                if status == "attended" and rng.random() < 0.15
                else None,
                "checked_in_at": checked,
            },
        )
