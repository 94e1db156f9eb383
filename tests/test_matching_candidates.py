"""The fast candidate search (``store/matching.py``) against a plain computation written here: every live
talent read with plain SQL, scored by the domain, ranked by score then id. On a generated store with the
cases the search must not get wrong: talents with none or all of a demand's skills, many exact ties (some
between talents lacking a skill and talents holding all), a skill recorded twice for one talent, demands
of 2 to 7 required skills, every hard constraint, dismissed and pinned talents, introductions, consent
given, given elsewhere and withdrawn, and people erased, merged and deleted after their skills were
recorded."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest

from liaison_tui.domain.matching import GENERALISING, Dismissal, Job, Talent, explain, score
from liaison_tui.store import Store
from liaison_tui.store import recruiting as R
from liaison_tui.store.consent import record
from liaison_tui.store.erasure import erase_person
from liaison_tui.store.matching import match_demand
from liaison_tui.store.merge import merge_contacts

SKILLS = [f"Skill {c}" for c in "ABCDEFGH"]
CITIES = ["Munich", "Qingdao", "青岛", "Boston", None]
DEGREES = ["bachelor", "master", "phd", None]
AVAILABILITY = ["now", "three_months", "six_months", "one_year", "not_looking", None]
RELOCATION = ["yes", "maybe", "no", None]
CHAINS = ["ai", "marine", "biomedicine"]


@dataclass
class World:
    store: Store
    org: str
    skills: list[str]  # ids, in the order of SKILLS
    demands: list[str] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)  # erased, merged away or deleted
    consent: set[str] = field(default_factory=set)  # may be shared with ``org``


def _rows(store: Store, sql: str, *params: Any) -> list[dict[str, Any]]:
    cursor = store.conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _talent(
    rng: random.Random, world: World, skills: list[str], *, profile: bool = True, **facts: Any
) -> str:
    store = world.store
    created = store.contacts.create(
        {
            "latin_name": f"Talent {rng.randrange(10**6)}",
            "industry_chains": facts.pop("chains", rng.sample(CHAINS, rng.randint(0, 2))),
            "languages": facts.pop("languages", rng.sample(["zh", "en", "de"], rng.randint(0, 3))),
            "country": facts.pop("country", rng.choice(["DE", "US", "CN"])),
            "city": facts.pop("city", rng.choice(CITIES)),
            "field": facts.pop("field", rng.choice(["computer vision", "robotics", None])),
        }
    )
    if profile:
        R.save_profile(
            store,
            created.id,
            {
                "degree": rng.choice(DEGREES),
                "years_experience": rng.choice([None, 0, 2, 5, 9]),
                "relocation": rng.choice(RELOCATION),
                "availability": rng.choice(AVAILABILITY),
                "preferred_cities": rng.choice([[], ["Qingdao"]]),
                "fields": rng.choice([[], ["machine vision"]]),
                **facts,
            },
        )
    if skills:
        R.set_skills(store, created.id, skills)
    return created.id


def _build(store: Store, seed: int) -> World:
    rng = random.Random(seed)
    with store.transaction():
        skills = [R.add_skill(store, name, chain="ai").id for name in SKILLS]
        org = R.create_org(store, {"name_zh": "青岛示例材料研究院", "kind": "research_institute"}).id
        elsewhere = R.create_org(store, {"name_en": "Another Employer", "kind": "enterprise"}).id
        world = World(store, org, skills)
        talents: list[str] = []
        for _ in range(260):
            # the first skills common, the last rare: every count of a demand's skills occurs
            held = [s for i, s in enumerate(skills) if rng.random() < 0.55 - 0.06 * i]
            talents.append(_talent(rng, world, held, profile=rng.random() < 0.9))
        # exact ties: the same facts and skills, told apart only by id
        for _ in range(12):
            talents.append(
                _talent(
                    rng,
                    world,
                    skills[:4],
                    chains=["ai"],
                    languages=["zh", "en"],
                    country="DE",
                    city="Munich",
                    field="computer vision",
                    degree="phd",
                    years_experience=9,
                    relocation="yes",
                    availability="now",
                    preferred_cities=[],
                    fields=[],
                )
            )
        talents.append(_talent(rng, world, skills))  # every skill
        talents.append(_talent(rng, world, []))  # a profile and no skill
        # skills recorded twice for one talent (two laptops, offline, before a merge reached both)
        twice = _talent(rng, world, skills[:3])
        talents.insert(0, twice)
        store.write(
            "talent_skills",
            str(uuid.uuid4()),
            "create",
            {"contact_id": twice, "skill_id": skills[0], "raw": None},
        )
        store.write(
            "talent_skills",
            str(uuid.uuid4()),
            "create",
            {"contact_id": twice, "skill_id": skills[1], "raw": None},
        )

        demands: list[dict[str, Any]] = [
            {"required_skills": SKILLS[:2]},
            {"required_skills": SKILLS[:3], "preferred_skills": SKILLS[5:7]},
            {"required_skills": SKILLS[:4], "preferred_skills": [SKILLS[7]], "hard": ["languages"]},
            {"required_skills": SKILLS[1:5], "preferred_skills": SKILLS[5:7], "hard": ["degree"]},
            {"required_skills": SKILLS[:3], "hard": ["required_skills"]},
            {"required_skills": SKILLS[2:7], "hard": ["experience", "relocation"], "min_years": 3},
            {"required_skills": SKILLS[:6], "preferred_skills": [SKILLS[6]]},
            {
                "required_skills": [SKILLS[0], SKILLS[6]],
                "preferred_skills": [SKILLS[1]],
                "work_mode": "remote",
            },
            {"required_skills": SKILLS[5:8]},  # rare skills: levels below "all but one" are needed
            {"required_skills": [], "preferred_skills": SKILLS[:2], "industry_chain": "marine"},
        ]
        for extra in demands:
            data = {
                "title": "Engineer",
                "org_id": org,
                "industry_chain": "ai",
                "min_degree": "master",
                "languages": ["zh"],
                "field": "vision",
                "deadline": "2027-01-01",
                **extra,
            }
            world.demands.append(R.create_demand(store, data).id)
        picked = rng.sample(talents[:-2], 60)
        for i, who in enumerate(picked[:12]):  # dismissed, each reason, on the first demands
            reason = sorted(GENERALISING)[i % len(GENERALISING)] if i % 4 else "other"
            R.dismiss(store, world.demands[i % 4], who, reason)
        for i, who in enumerate(picked[12:20]):  # pinned, strong or weak
            R.pin(store, world.demands[i % 5], who)
        for i, who in enumerate(picked[20:26]):
            R.introduce(store, world.demands[i % 3], who)
        for who in talents[-14:-2]:  # some of the ties
            R.pin(store, world.demands[2], who)

    # consent to share with the employer: given, given to someone else, given and withdrawn
    for i, who in enumerate(picked[26:44]):
        org_id = elsewhere if i % 3 == 1 else org
        record(store, _consent(who, org_id))
        if i % 3 == 2:
            record(store, _consent(who, None, action="withdrawn", on="2026-03-01"))
        elif i % 3 == 0:
            world.consent.add(who)
    for who in talents[-14:-10]:
        record(store, _consent(who, org))
        world.consent.add(who)
    # people who held skills and are gone: erased, merged into another, deleted (two of them pinned)
    for who in picked[44:47]:
        erase_person(store, who, "asked to be forgotten")
        world.gone.add(who)
        world.consent.discard(who)
    R.pin(store, world.demands[0], picked[50])  # moves to the one kept
    R.pin(store, world.demands[1], picked[53])  # deleted below: no longer shown
    for keep, other in zip(picked[47:50], picked[50:53], strict=True):
        merge_contacts(store, keep, other)
        world.gone.add(other)
        world.consent.discard(other)  # their ledger stays with the record merged away
    for who in picked[53:55]:
        store.contacts.delete(who)
        world.gone.add(who)
    world.demands += _ties_at_a_bound(rng, world, org)
    return world


def _ties_at_a_bound(rng: random.Random, world: World, org: str) -> list[str]:
    """Talents lacking required skills who score exactly as much as complete ones and come first by id,
    on skills nobody else holds: the search must read them although the list is already full."""
    store = world.store
    seven = [R.add_skill(store, f"Rare {i}").id for i in range(7)]
    perfect: dict[str, Any] = {
        "chains": ["ai"],
        "field": "computer vision",
        "degree": "phd",
        "languages": ["zh"],
        "city": "Qingdao",
        "availability": "now",
        "fields": [],
        "available_from": None,
    }
    # 7 required skills: one is worth what the field is (5 of 80 points), two what field and languages are
    for held, extra, times in (
        (seven[:6], {}, 2),
        (seven[:5], {}, 2),
        (seven, {"field": "marine biology"}, 3),
        (seven, {"field": "marine biology", "languages": ["en"]}, 4),
    ):
        for _ in range(times):
            _talent(rng, world, held, **{**perfect, **extra})
    seventh = {
        "title": "Seven skills",
        "org_id": org,
        "industry_chain": "ai",
        "field": "vision",
        "min_degree": "master",
        "languages": ["zh"],
        "required_skills": seven,
    }
    # 2 required skills: one is worth the industry chain and half the place (17.5 of 60 points)
    two = [R.add_skill(store, f"Pair {i}").id for i in range(2)]
    elsewhere: dict[str, Any] = {
        "chains": ["marine"],
        "city": "Munich",
        "relocation": "maybe",
        "preferred_cities": [],
    }
    for held, extra, times in ((two[:1], {}, 2), (two, elsewhere, 4)):
        for _ in range(times):
            _talent(rng, world, held, **{**perfect, **extra})
    pair = {"title": "Two skills", "org_id": org, "industry_chain": "ai", "required_skills": two}
    return [R.create_demand(store, seventh).id, R.create_demand(store, pair).id]


def _consent(
    who: str, org_id: str | None, *, action: str = "given", on: str = "2026-01-05"
) -> dict[str, Any]:
    return {
        "contact_id": who,
        "action": action,
        "purpose": "share_with_employer",
        "org_id": org_id,
        "channel": "paper",
        "occurred_on": on,
    }


# ---------------------------------------------------------------------------- the plain computation


def _list(text: str | None) -> list[Any]:
    return orjson.loads(text) if text else []


def _job(store: Store, demand_id: str) -> Job:
    (d,) = _rows(store, "SELECT * FROM demands WHERE id = ?", demand_id)
    return Job(
        id=d["id"],
        title=d["title"],
        org_id=d["org_id"],
        chain=d["industry_chain"],
        field=d["field"],
        required=tuple(_list(d["required_skills"])),
        preferred=tuple(_list(d["preferred_skills"])),
        min_degree=d["min_degree"],
        min_years=d["min_years"],
        languages=tuple(_list(d["languages"])),
        city=d["city"],
        country=d["country"],
        work_mode=d["work_mode"] or "onsite",
        hard=frozenset(_list(d["hard"])),
        deadline=d["deadline"],
    )


def _everyone(store: Store) -> dict[str, Talent]:
    """Every live talent (a contact with a skill or a profile) with all its facts."""
    skills: dict[str, set[str]] = {}
    for r in _rows(store, "SELECT contact_id, skill_id FROM talent_skills WHERE deleted = 0"):
        skills.setdefault(r["contact_id"], set()).add(r["skill_id"])
    profiles = {
        r["contact_id"]: r
        for r in _rows(store, "SELECT * FROM talent_profiles WHERE deleted = 0 ORDER BY id")
    }
    out: dict[str, Talent] = {}
    for c in _rows(store, "SELECT * FROM contacts WHERE deleted = 0 AND merged_into IS NULL"):
        cid = c["id"]
        p = profiles.get(cid, {})
        if cid not in skills and not p:
            continue
        out[cid] = Talent(
            contact_id=cid,
            name=" ".join(n for n in (c["native_name"], c["latin_name"]) if n),
            skills=frozenset(skills.get(cid, ())),
            degree=p.get("degree"),
            years=p.get("years_experience"),
            fields=tuple([*_list(p.get("fields")), *([c["field"]] if c["field"] else [])]),
            chains=frozenset(_list(c["industry_chains"])),
            languages=frozenset(_list(c["languages"])),
            country=c["country"],
            city=c["city"],
            timezone=c["timezone"],
            relocation=p.get("relocation"),
            preferred_cities=tuple(_list(p.get("preferred_cities"))),
            availability=p.get("availability"),
            available_from=p.get("available_from"),
        )
    return out


def _expected(world: World, demand_id: str, limit: int) -> list[tuple[Any, ...]]:
    store = world.store
    job = _job(store, demand_id)
    talents = _everyone(store)
    marks = _rows(
        store,
        "SELECT contact_id, mark, reason FROM match_marks WHERE deleted = 0 AND demand_id = ?",
        demand_id,
    )
    dismissals = [
        Dismissal(talents.get(m["contact_id"]) or Talent(m["contact_id"]), m["reason"] or "other")
        for m in marks
        if m["mark"] == "dismissed"
    ]
    pinned = {m["contact_id"] for m in marks if m["mark"] == "pinned"}
    matches = [score(job, t, dismissals) for t in talents.values()]
    best = sorted((m for m in matches if m.eligible), key=lambda m: (-m.score, m.talent.contact_id))[:limit]
    shown = {m.talent.contact_id for m in best}
    best += [m for m in matches if m.talent.contact_id in pinned - shown]
    stages = {
        r["contact_id"]: r["stage"]
        for r in _rows(
            store,
            "SELECT contact_id, stage FROM introductions WHERE deleted = 0 AND demand_id = ?",
            demand_id,
        )
    }
    out = [
        (
            m.talent.contact_id in pinned,
            m,
            m.talent.contact_id in world.consent,
            stages.get(m.talent.contact_id),
        )
        for m in best
    ]
    return sorted(out, key=lambda e: (not e[0], -e[1].score, e[1].talent.contact_id))


# ---------------------------------------------------------------------------- the comparison


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path: Path = tmp_path_factory.mktemp("candidates") / "m.db"
    with Store.open(path, author="tester") as store:
        yield _build(store, seed=11)


@pytest.mark.parametrize("limit", [1, 3, 10, 40])
def test_the_fast_search_proposes_exactly_what_scoring_everyone_proposes(world: World, limit: int) -> None:
    for demand_id in world.demands:
        expected = _expected(world, demand_id, limit)
        for naive in (False, True):
            found = match_demand(world.store, demand_id, limit, naive=naive)
            got = [(p.pinned, p.match, p.consent, p.introduced) for p in found.proposals]
            assert got == expected, (demand_id, limit, naive)
            for p, (_, m, _, _) in zip(found.proposals, expected, strict=True):
                for lang in ("en", "zh"):
                    assert explain(p.match, lang) == explain(m, lang)
            assert not {p.match.talent.contact_id for p in found.proposals} & world.gone


def test_the_generated_store_has_what_the_comparison_needs(world: World) -> None:
    """The cases above are there, and the search took each of its paths on them: it stopped after the
    talents holding every required skill, after those lacking one, and read further levels."""
    store = world.store
    held: dict[str, set[str]] = {}  # what the skills index holds, for people gone too
    for r in _rows(store, "SELECT contact_id, skill_id FROM talent_skills WHERE deleted = 0"):
        held.setdefault(r["contact_id"], set()).add(r["skill_id"])
    levels: set[str] = set()
    for demand_id in world.demands:
        proposed = _expected(world, demand_id, 40)
        assert any(not pinned for pinned, *_ in proposed)
        skills = set(_job(store, demand_id).required)
        if not skills:
            continue
        counts = [len(s & skills) for s in held.values()]
        assert 0 in counts and len(skills) in counts
        complete = counts.count(len(skills))
        lacking_one = counts.count(len(skills) - 1)
        for limit in (1, 3, 10, 40):
            read = match_demand(store, demand_id, limit).candidates
            levels.add(
                "complete"
                if read <= complete
                else "lacking one"
                if read <= complete + lacking_one
                else "further"
            )
    assert levels == {"complete", "lacking one", "further"}
    proposed = _expected(world, world.demands[2], 40)
    scores = [m.score for _, m, _, _ in proposed]
    assert len(set(scores)) < len(scores)  # ties, ranked by id
    assert {consent for *_, consent, _ in proposed} == {True, False}
    learned = [m for demand_id in world.demands[:4] for _, m, _, _ in _expected(world, demand_id, 40)]
    assert any(c.key == "learned" for m in learned for c in m.criteria)
