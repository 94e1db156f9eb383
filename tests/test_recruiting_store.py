"""The recruiting operations on a real store: organizations and the alliance, affiliations from either
side, skills mapped from free text, events from registration to the follow-up list, and a person's
recruiting records through merge and erasure."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from liaison_tui.domain.errors import LiaisonError
from liaison_tui.domain.validation import ValidationFailed
from liaison_tui.store import Store
from liaison_tui.store import recruiting as R
from liaison_tui.store.checkin import CheckinIndex
from liaison_tui.store.erasure import erase_person
from liaison_tui.store.merge import merge_contacts
from liaison_tui.store.person import person_record


def test_alliance_membership_follows_the_role(store: Store) -> None:
    org = R.create_org(
        store, {"name_zh": "青岛海岸线人力资源", "kind": "hr_agency", "alliance_role": "council"}
    )
    assert org.alliance_member and org.alliance_role.value == "council"
    joined = R.update_org(store, org.id, {"alliance_since": "2024-05-01"})
    assert str(joined.alliance_since) == "2024-05-01"
    left = R.update_org(store, org.id, {"alliance_member": False})
    assert (left.alliance_member, left.alliance_role, left.alliance_since) == (False, None, None)
    plain = R.update_org(store, org.id, {"alliance_member": True})
    assert plain.alliance_role.value == "member"
    with pytest.raises(ValidationFailed) as bad:
        R.update_org(store, org.id, {"staff_ids": ["nobody.here"]})
    assert "Relationship owners" in bad.value.message("en")


def test_affiliations_from_both_sides(store: Store) -> None:
    org = R.create_org(store, {"name_en": "Lingxi Vision"})
    person = store.contacts.create({"latin_name": "Mia Sun"})
    aff = R.link_person(store, org.id, person.id, role="CTO", is_contact=True, since="2023-01-01")
    assert store.contacts.get(person.id).org_id == org.id  # a current affiliation becomes their organization
    with pytest.raises(LiaisonError):
        R.link_person(store, org.id, person.id)
    R.update_affiliation(store, aff.id, {"current": False, "until": "2025-06-30"})
    assert store.contacts.get(person.id).org_id is None  # left: no longer their organization
    with pytest.raises(ValidationFailed):
        R.update_affiliation(store, aff.id, {"until": "2022-01-01"})  # ends before it starts


def test_merging_organizations_moves_everything(store: Store) -> None:
    keep = R.create_org(store, {"name_zh": "青岛灵犀视觉", "industry_chains": ["ai"]})
    other = R.create_org(
        store, {"name_en": "Lingxi Vision", "industry_chains": ["vr"], "website": "lingxi.example"}
    )
    person = store.contacts.create({"latin_name": "Leo Wu", "org_id": other.id})
    R.link_person(store, other.id, person.id, role="Engineer")
    demand = R.create_demand(store, {"title": "Engineer", "org_id": other.id, "brought_by": other.id})
    event = R.create_event(store, {"name": "Fair", "starts_on": "2026-05-01", "organizer_ids": [other.id]})
    result = R.merge_orgs(store, keep.id, other.id)
    assert result.moved == {"contacts": 1, "affiliations": 1, "demands": 2, "events": 1}
    merged = store.organizations.get(keep.id)
    assert merged.industry_chains == ["ai", "vr"] and merged.name_en == "Lingxi Vision"
    assert store.repo("demands").get(demand.id).brought_by == keep.id
    assert store.events.get(event.id).organizer_ids == [keep.id]
    assert store.row("organizations", other.id)["merged_into"] == keep.id
    with pytest.raises(LiaisonError):
        R.merge_orgs(store, keep.id, other.id)


def test_skills_typed_as_free_text(store: Store) -> None:
    R.add_skill(store, "Machine learning", name_zh="机器学习", aliases=["ML"])
    person = store.contacts.create({"native_name": "李雷"})
    assert R.add_skills(store, person.id, ["ml", "機器學習"]) == ["sk-machine-learning"]  # traditional too
    with pytest.raises(ValidationFailed) as unknown:
        R.add_skills(store, person.id, ["machine lerning"])
    assert "did you mean: Machine learning" in unknown.value.message("en")
    assert "是否指" in unknown.value.message("zh")
    assert R.remove_skills(store, person.id, ["ML"]) == ["sk-machine-learning"]
    assert R.add_skills(store, person.id, ["Machine Learning"]) == [
        "sk-machine-learning"
    ]  # back, same record
    assert store.conn.execute("SELECT count(*) FROM talent_skills").fetchone()[0] == 1


def test_an_event_from_registration_to_follow_ups(store: Store) -> None:
    event = R.create_event(
        store,
        {
            "name": "峰会",
            "kind": "summit",
            "starts_on": "2026-03-10",
            "timezone": "Asia/Shanghai",
            "venue": "会议中心",
        },
    )
    people = [store.contacts.create({"latin_name": f"Person {n}"}).id for n in range(5)]
    first = R.register_people(store, event.id, people)
    assert len(first.added) == 5
    again = R.register_people(store, event.id, people[:2])
    assert again.added == [] and len(again.already) == 2
    door = CheckinIndex.load(store, event.id)
    hit = door.find("person 3")[0]
    when = datetime(2026, 3, 10, 1, 30, tzinfo=UTC)
    R.check_in(store, hit.attendance_id, when=when)
    R.check_in(store, hit.attendance_id)  # twice: the first time stays
    R.check_in(store, door.find("Person 1")[0].attendance_id)
    assert store.attendances.get(hit.attendance_id).checked_in_at == when
    assert R.mark_no_shows(store, event.id) == 3
    follow = R.followup_list(store, event.id)
    assert sorted(r["id"] for r in follow) == sorted([people[1], people[3]])
    R.create_event_followups(store, event.id, [people[3]])
    assert [r["id"] for r in R.followup_list(store, event.id)] == [people[1]]


def test_a_merged_or_erased_person_takes_their_recruiting_records_along(store: Store) -> None:
    R.add_skill(store, "Graphene")
    R.add_skill(store, "Coatings")
    org = R.create_org(store, {"name_en": "Employer"})
    demand = R.create_demand(
        store, {"title": "Materials lead", "org_id": org.id, "required_skills": ["graphene"]}
    )
    keep = store.contacts.create({"latin_name": "Ann Lee"}).id
    other = store.contacts.create({"latin_name": "Anne Lee"}).id
    R.save_profile(store, keep, {"degree": "phd"})
    R.save_profile(store, other, {"years_experience": 4, "notes": "prefers spring"})
    R.add_skills(store, keep, ["graphene"])
    R.add_skills(store, other, ["graphene", "coatings"])
    R.introduce(store, demand.id, other)
    R.dismiss(store, demand.id, other, "location")
    merged = merge_contacts(store, keep, other)
    assert merged.moved["talent_skills"] == 1 and merged.dropped["talent_skills"] == 1
    assert merged.dropped["talent_profiles"] == 1 and merged.moved["introductions"] == 1
    record = person_record(store, keep)
    assert {r["skill_id"] for r in record["talent_skills"] if not r["deleted"]} == {
        "sk-graphene",
        "sk-coatings",
    }
    assert len(record["introductions"]) == 1
    erase_person(store, keep, "asked to be forgotten")
    q = store.conn.execute
    assert q("SELECT count(*) FROM talent_skills WHERE deleted = 0").fetchone()[0] == 0
    assert q("SELECT count(*) FROM talent_profiles WHERE deleted = 0").fetchone()[0] == 0
    assert q("SELECT notes FROM talent_profiles WHERE contact_id IN (?, ?)", (keep, other)).fetchall() == [
        (None,),
        (None,),
    ]
    assert (
        q("SELECT count(*) FROM introductions WHERE deleted = 0").fetchone()[0] == 1
    )  # kept for the figures


def test_the_door_lists_the_registered_before_the_invited_and_the_checked_in_last(store: Store) -> None:
    event = R.create_event(store, {"name": "Roadshow", "kind": "roadshow", "starts_on": "2026-03-10"})
    # same name quality for all four ("lin" is the start of each surname); names sort the other way round
    people = {
        status: store.contacts.create({"latin_name": f"Lin {given}"}).id
        for status, given in (
            ("attended", "Aaron"),
            ("no_show", "Bea"),
            ("invited", "Cai"),
            ("registered", "Dora"),
        )
    }
    R.register_people(store, event.id, list(people.values()))
    for status, cid in people.items():
        att = store.conn.execute(
            "SELECT id FROM attendances WHERE event_id = ? AND contact_id = ?", (event.id, cid)
        ).fetchone()[0]
        if status != "registered":
            store.attendances.update(att, {"status": status})
    door = CheckinIndex.load(store, event.id)
    assert [f.name for f in door.find("lin")] == ["Lin Dora", "Lin Cai", "Lin Bea", "Lin Aaron"]
