"""Matching: hand-made cases where the right answer is known, properties of the scoring (hypothesis), and
the fast candidate search giving exactly what scoring every talent gives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liaison_tui.domain.errors import LiaisonError
from liaison_tui.domain.matching import (
    GENERALISING,
    WEIGHTS,
    Dismissal,
    Job,
    Talent,
    applicable,
    explain,
    max_points,
    quick_score,
    score,
    tz_note,
    upper_bound,
)
from liaison_tui.store import Store
from liaison_tui.store import recruiting as R
from liaison_tui.store.consent import has_consent, record
from liaison_tui.store.matching import match_demand, match_talent

SKILLS = [
    ("Machine learning", "机器学习"),
    ("Computer vision", "计算机视觉"),
    ("Rust", None),
    ("PyTorch", None),
    ("Gene therapy", "基因治疗"),
]


def give_consent(
    store: Store, contact_id: str, org_id: str | None = None, *, action: str = "given", on: str = "2026-01-05"
) -> None:
    """An event of the person's consent ledger: sharing their profile with ``org_id`` (None: any employer)."""
    record(
        store,
        {
            "contact_id": contact_id,
            "action": action,
            "purpose": "share_with_employer",
            "org_id": org_id,
            "channel": "paper",
            "occurred_on": on,
        },
    )


@pytest.fixture
def world(store: Store) -> dict[str, Any]:
    for name, zh in SKILLS:
        R.add_skill(store, name, name_zh=zh, chain="ai")
    org = R.create_org(store, {"name_zh": "青岛星图人工智能研究院", "kind": "research_institute"})
    return {"store": store, "org": org.id}


def talent(store: Store, name: str, skills: list[str], **profile: Any) -> str:
    contact = {
        "latin_name": name,
        "industry_chains": profile.pop("chains", ["ai"]),
        "languages": profile.pop("languages", ["zh", "en"]),
        "country": profile.pop("country", "DE"),
        "city": profile.pop("city", "Munich"),
        "timezone": profile.pop("timezone", "Europe/Berlin"),
    }
    created = store.contacts.create(contact)
    R.save_profile(
        store,
        created.id,
        {"degree": "phd", "years_experience": 8, "relocation": "yes", "availability": "now", **profile},
    )
    R.set_skills(store, created.id, skills)
    return created.id


def demand(store: Store, org: str, **data: Any) -> str:
    base = {
        "title": "Vision engineer",
        "org_id": org,
        "industry_chain": "ai",
        "required_skills": ["Machine learning", "Computer vision", "Rust", "PyTorch"],
        "min_degree": "phd",
        "languages": ["zh"],
    }
    return R.create_demand(store, {**base, **data}).id


def ranked(store: Store, demand_id: str) -> list[str]:
    return [p.match.talent.contact_id for p in match_demand(store, demand_id).proposals]


# ---------------------------------------------------------------------------- hand-made cases


def test_meeting_every_requirement_ranks_above_missing_a_required_skill(world: dict[str, Any]) -> None:
    store, org = world["store"], world["org"]
    complete = talent(store, "Complete Candidate", ["Machine learning", "Computer vision", "Rust", "PyTorch"])
    missing = talent(store, "Missing Rust", ["Machine learning", "Computer vision", "PyTorch"])
    d = demand(store, org)
    order = ranked(store, d)
    assert order.index(complete) < order.index(missing)
    found = {p.match.talent.contact_id: p.match for p in match_demand(store, d).proposals}
    assert found[complete].score == pytest.approx(100.0)
    lines = explain(found[missing], "en", {"sk-rust": "Rust"})
    assert "3 of 4 required skills (missing: Rust)" in lines


def test_a_hard_constraint_excludes_and_a_soft_one_only_lowers(world: dict[str, Any]) -> None:
    store, org = world["store"], world["org"]
    phd = talent(store, "Doctor Phd", ["Machine learning"])
    master = talent(store, "Master Only", ["Machine learning", "Computer vision"], degree="master")
    soft = demand(store, org)
    assert set(ranked(store, soft)) == {phd, master}
    hard = demand(store, org, hard=["degree"])
    assert ranked(store, hard) == [phd]
    result = match_demand(store, hard, naive=True)
    assert [p.match.talent.contact_id for p in result.proposals] == [phd]


def test_a_talent_without_any_required_skill_is_not_proposed(world: dict[str, Any]) -> None:
    store, org = world["store"], world["org"]
    other = talent(store, "Gene Person", ["Gene therapy"])
    d = demand(store, org)
    assert other not in ranked(store, d)


def test_no_consent_means_not_proposed_to_the_employer(world: dict[str, Any]) -> None:
    store, org = world["store"], world["org"]
    who = talent(store, "Consent Check", ["Machine learning"])
    d = demand(store, org)
    (proposal,) = match_demand(store, d).proposals
    assert proposal.consent is False  # nothing in the ledger: "consent to share: missing"
    intro = R.introduce(store, d, who)
    with pytest.raises(LiaisonError) as refused:
        R.move_introduction(store, intro.id, "shared")
    assert refused.value.key == "intro.err.consent"
    another = R.create_org(store, {"name_en": "Another Employer", "kind": "enterprise"}).id
    give_consent(store, who, org_id=another)
    assert not has_consent(store, who, "share_with_employer", org)  # consent for someone else
    with pytest.raises(LiaisonError):
        R.move_introduction(store, intro.id, "shared")
    give_consent(store, who, org_id=org, on="2026-02-01")
    assert match_demand(store, d).proposals[0].consent is True
    moved = R.move_introduction(store, intro.id, "shared")
    assert moved.stage.value == "shared"
    give_consent(store, who, org_id=None, action="withdrawn", on="2026-03-01")
    assert match_demand(store, d).proposals[0].consent is False
    with pytest.raises(LiaisonError):
        R.move_introduction(store, intro.id, "interview")


def test_dismissing_with_a_reason_teaches_the_ranking_for_that_demand(world: dict[str, Any]) -> None:
    store, org = world["store"], world["org"]
    skills = ["Machine learning", "Computer vision"]
    junior = talent(store, "Junior One", skills, years_experience=2)
    junior2 = talent(store, "Junior Two", skills, years_experience=1)
    senior = talent(store, "Senior", [*skills, "Rust"], years_experience=12)
    senior_less = talent(store, "Senior Fewer Skills", ["Machine learning"], years_experience=12)
    d = demand(store, org, min_years=3)
    other = demand(store, org, min_years=3, title="Second demand")
    before = {p.match.talent.contact_id: p.match.score for p in match_demand(store, d).proposals}
    assert before[junior2] > before[senior_less]
    R.dismiss(store, d, junior, "seniority")
    after = {p.match.talent.contact_id: p.match for p in match_demand(store, d).proposals}
    assert junior not in after  # set aside
    assert after[junior2].score < before[junior2]  # as junior as the one dismissed
    assert after[senior].score == before[senior]  # more senior: untouched
    assert after[junior2].score < after[senior_less].score
    assert any("like a dismissed talent (Too junior)" in line for line in explain(after[junior2], "en"))
    # the other demand learned nothing
    assert {p.match.talent.contact_id for p in match_demand(store, other).proposals} >= {junior, junior2}
    assert R.clear_mark(store, d, junior)
    assert junior in ranked(store, d)


def test_pinned_talents_come_first(world: dict[str, Any]) -> None:
    store, org = world["store"], world["org"]
    best = talent(store, "Best", ["Machine learning", "Computer vision", "Rust", "PyTorch"])
    weak = talent(store, "Weak", ["Rust"], degree="bachelor")
    d = demand(store, org)
    assert ranked(store, d) == [best, weak]
    R.pin(store, d, weak)
    result = match_demand(store, d)
    assert [p.match.talent.contact_id for p in result.proposals] == [weak, best]
    assert result.proposals[0].pinned


def test_a_talents_demands_and_the_explanation_in_chinese(world: dict[str, Any]) -> None:
    store, org = world["store"], world["org"]
    who = talent(store, "Zhang Example", ["Machine learning", "PyTorch"])
    fits = demand(store, org, title="Fits", required_skills=["Machine learning", "PyTorch"])
    half = demand(store, org, title="Half", required_skills=["Machine learning", "Rust"])
    demand(store, org, title="Elsewhere", required_skills=["Gene therapy"], industry_chain="biomedicine")
    closed = demand(store, org, title="Closed", required_skills=["Machine learning"])
    R.update_demand(store, closed, {"status": "filled"})
    result = match_talent(store, who)
    assert [p.match.job.id for p in result.proposals] == [fits, half]
    zh = explain(result.proposals[1].match, "zh", {"sk-rust": "Rust"})
    assert "必备技能 1/2（缺：Rust）" in zh
    assert "同属人工智能产业链 ✓" in zh


def test_time_zone_note() -> None:
    winter = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)
    assert tz_note("Europe/Berlin", "Germany", winter, "en") == "in Germany: 7 h behind Qingdao"
    assert tz_note("Asia/Tokyo", "Tokyo", winter, "zh") == "在Tokyo：比青岛早 1 小时"
    assert tz_note("Asia/Shanghai", "Qingdao", winter, "en") is None  # already here: nothing to say
    assert tz_note(None, "x", winter) is None


def test_introductions_move_through_their_stages_and_log_the_timeline(world: dict[str, Any]) -> None:
    store, org = world["store"], world["org"]
    who = talent(store, "Pipeline Person", ["Machine learning"])
    d = demand(store, org)
    give_consent(store, who, org)
    intro = R.introduce(store, d, who, score=80)
    with pytest.raises(LiaisonError):
        R.introduce(store, d, who)  # once per demand while it is going on
    due = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    R.move_introduction(store, intro.id, "shared")
    R.move_introduction(store, intro.id, "interview", followup_due=due)
    with pytest.raises(LiaisonError) as backwards:
        R.move_introduction(store, intro.id, "shared")
    assert backwards.value.key == "intro.err.move"
    from liaison_tui.domain.validation import ValidationFailed

    with pytest.raises(ValidationFailed):
        R.move_introduction(store, intro.id, "declined")  # needs a reason
    R.move_introduction(store, intro.id, "signed")
    assert store.contacts.get(who).stage.value == "signed"
    summaries = [
        r[0]
        for r in store.conn.execute(
            "SELECT summary FROM activities WHERE contact_id = ? ORDER BY occurred_at", (who,)
        )
    ]
    assert any("Proposed for Vision engineer" in s for s in summaries)
    assert any("Interview → Signed" in s for s in summaries)
    followup = store.conn.execute(
        "SELECT title, due_at FROM followups WHERE contact_id = ?", (who,)
    ).fetchall()
    assert followup == [("Interview: Vision engineer (青岛星图人工智能研究院)", "2026-12-01T01:00:00Z")]


# ---------------------------------------------------------------------------- properties of the scoring

SKILL_IDS = [f"s{i}" for i in range(8)]
LANGS = ["zh", "en", "de", "ja"]


@st.composite
def jobs(draw: Any) -> Job:
    required = draw(st.lists(st.sampled_from(SKILL_IDS), max_size=4, unique=True))
    preferred = draw(
        st.lists(st.sampled_from([s for s in SKILL_IDS if s not in required]), max_size=3, unique=True)
    )
    return Job(
        id="d1",
        chain=draw(st.sampled_from([None, "ai", "marine"])),
        field=draw(st.sampled_from([None, "computer vision", "海洋工程"])),
        required=tuple(required),
        preferred=tuple(preferred),
        min_degree=draw(st.sampled_from([None, "bachelor", "master", "phd"])),
        min_years=draw(st.sampled_from([None, 0, 3, 10])),
        languages=tuple(draw(st.lists(st.sampled_from(LANGS), max_size=2, unique=True))),
        city=draw(st.sampled_from([None, "Qingdao", "青岛", "Shanghai"])),
        work_mode=draw(st.sampled_from(["onsite", "hybrid", "remote"])),
        hard=frozenset(
            draw(
                st.lists(
                    st.sampled_from(["degree", "experience", "languages", "relocation", "required_skills"]),
                    max_size=2,
                )
            )
        ),
        deadline=draw(st.sampled_from([None, "2026-06-01"])),
    )


@st.composite
def talents(draw: Any, contact_id: str = "t1") -> Talent:
    return Talent(
        contact_id=contact_id,
        skills=frozenset(draw(st.lists(st.sampled_from(SKILL_IDS), max_size=6, unique=True))),
        degree=draw(st.sampled_from([None, "none", "bachelor", "master", "phd"])),
        years=draw(st.sampled_from([None, 0, 2, 5, 12])),
        fields=tuple(
            draw(st.lists(st.sampled_from(["Computer Vision", "海洋工程", "chemistry"]), max_size=2))
        ),
        chains=frozenset(draw(st.lists(st.sampled_from(["ai", "marine", "vr"]), max_size=2))),
        languages=frozenset(draw(st.lists(st.sampled_from(LANGS), max_size=3))),
        country=draw(st.sampled_from([None, "DE", "CN"])),
        city=draw(st.sampled_from([None, "Qingdao", "Munich"])),
        relocation=draw(st.sampled_from([None, "yes", "maybe", "no"])),
        preferred_cities=tuple(draw(st.lists(st.sampled_from(["Qingdao", "Shanghai"]), max_size=1))),
        availability=draw(st.sampled_from([None, "now", "six_months", "not_looking"])),
        available_from=draw(st.sampled_from([None, "2026-03-01", "2027-01-01"])),
    )


@st.composite
def dismissals(draw: Any) -> list[Dismissal]:
    reasons = sorted(GENERALISING | {"skills", "other"})
    return [
        Dismissal(draw(talents(contact_id=f"x{i}")), draw(st.sampled_from(reasons)))
        for i in range(draw(st.integers(0, 3)))
    ]


@settings(max_examples=300, deadline=None)
@given(jobs(), talents(), dismissals(), st.sampled_from(SKILL_IDS))
def test_adding_a_matching_skill_never_lowers_a_score(
    job: Job, who: Talent, learned: list[Dismissal], skill: str
) -> None:
    before = score(job, who, learned)
    more = score(job, Talent(**{**_fields(who), "skills": who.skills | {skill}}), learned)
    assert more.score >= before.score - 1e-9
    assert more.eligible or not before.eligible  # a skill more never takes a proposed talent out


@settings(max_examples=300, deadline=None)
@given(jobs(), talents(), dismissals())
def test_explanations_name_exactly_the_criteria_that_counted(
    job: Job, who: Talent, learned: list[Dismissal]
) -> None:
    match = score(job, who, learned)
    keys = [c.key for c in match.criteria]
    penalty = [c for c in match.criteria if c.key == "learned"]
    assert keys == [*applicable(job), *(["learned"] if penalty else [])]
    assert all(c.points != 0 for c in penalty)
    # the points of the criteria named are the score, and no criterion gives more than it is worth
    assert match.score == pytest.approx(100 * sum(c.points for c in match.criteria) / max_points(job))
    assert all(c.points <= c.max + 1e-9 for c in match.criteria if c.key != "learned")
    for lang in ("en", "zh"):
        lines = explain(match, lang)
        assert len(lines) == len(match.criteria) and all(lines)
    # a score never beats what its bucket of required skills allows (what the fast search relies on)
    held = sum(1 for s in job.required if s in who.skills)
    assert match.score <= upper_bound(job, held) + 1e-9


@settings(max_examples=400, deadline=None)
@given(jobs(), talents(), dismissals())
def test_the_quick_score_is_the_score(job: Job, who: Talent, learned: list[Dismissal]) -> None:
    match = score(job, who, learned)
    assert quick_score(job, who, learned) == (match.score if match.eligible else None)


def _fields(who: Talent) -> dict[str, Any]:
    return {name: getattr(who, name) for name in Talent.__slots__}


def test_weights_add_up_to_a_hundred() -> None:
    assert sum(WEIGHTS.values()) == 100


# ---------------------------------------------------------------------------- fast search = full scan


def test_the_fast_search_finds_what_scoring_everyone_finds(small_demo_source: Path, tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "m.db"
    shutil.copyfile(small_demo_source, db)
    with Store.open(db) as store:
        demands = [
            r[0] for r in store.conn.execute("SELECT id FROM demands WHERE deleted = 0 AND status = 'open'")
        ]
        assert demands, "the demo has open demands"
        proposed = 0
        for d in demands:
            fast = [
                (p.match.talent.contact_id, round(p.match.score, 9))
                for p in match_demand(store, d, limit=10).proposals
            ]
            full = [
                (p.match.talent.contact_id, round(p.match.score, 9))
                for p in match_demand(store, d, limit=10, naive=True).proposals
            ]
            assert fast == full
            proposed += len(fast)
        assert proposed
        talents_ = [
            r[0]
            for r in store.conn.execute(
                "SELECT DISTINCT contact_id FROM talent_skills WHERE deleted = 0 LIMIT 40"
            )
        ]
        for c in talents_:
            fast = [(p.match.job.id, p.match.score) for p in match_talent(store, c).proposals]
            full = [(p.match.job.id, p.match.score) for p in match_talent(store, c, naive=True).proposals]
            assert fast == full
