"""The recruiting records through a real ``liaison serve``: check-in on two laptops at once, walk-ins and
talents' skills entered on both offline meeting as one record, organizations merged, introductions moved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from liaison_tui.store import recruiting as R
from liaison_tui.store.checkin import CheckinIndex

from .sync_support import Laptop, ServerProcess, laptop, server_snapshot, snapshot


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("rec-server") / "server.db").start()
    yield proc
    proc.stop()


@pytest.fixture
def pair(tmp_path: Path, server: ServerProcess) -> Iterator[tuple[Laptop, Laptop]]:
    a, b = laptop(tmp_path, server, "door.a"), laptop(tmp_path, server, "door.b")
    yield a, b
    a.close()
    b.close()


def converge(*laptops: Laptop) -> None:
    for _ in range(2):
        for lap in laptops:
            lap.sync()


def assert_equal(server: ServerProcess, *laptops: Laptop) -> None:
    expected = server_snapshot(server)
    for lap in laptops:
        assert snapshot(lap.store.conn) == expected, lap.name
        assert lap.store.pending_changes() == 0


def test_two_laptops_check_in_at_the_same_door_and_agree(
    server: ServerProcess, pair: tuple[Laptop, Laptop]
) -> None:
    a, b = pair
    event = R.create_event(
        a.store, {"name": "Roadshow Munich", "kind": "roadshow", "starts_on": "2026-03-10"}
    )
    people = [
        a.store.contacts.create({"latin_name": name, "country": "DE"}).id
        for name in ("Anna Keller", "Ben Vogt", "Clara Stein", "David Roth", "Eva Brandt")
    ]
    for person, phone in zip(
        people,
        ("+4915111111101", "+4915111111102", "+4915111111103", "+4915111111104", "+4915111111105"),
        strict=True,
    ):
        a.store.contact_points.create({"contact_id": person, "kind": "phone", "raw": phone})
    R.register_people(a.store, event.id, people)
    converge(a, b)
    # at the door, both offline: a checks in two people found by name, b one by a pasted phone and one
    # walk-in; both check in Clara (she showed her ticket at both desks)
    door_a, door_b = CheckinIndex.load(a.store, event.id), CheckinIndex.load(b.store, event.id)
    for query in ("anna", "clara"):
        (hit, *_) = door_a.find(query)
        R.check_in(a.store, hit.attendance_id)
    (by_phone, *_) = door_b.find("+49 151 1111 1104")
    assert by_phone.contact_id == people[3]
    R.check_in(b.store, by_phone.attendance_id)
    R.check_in(b.store, door_b.find("Clara St")[0].attendance_id)
    walk = b.store.contacts.create({"latin_name": "Felix Walk-in"}).id
    R.walk_in(b.store, event.id, walk)
    converge(a, b)
    assert_equal(server, a, b)
    attended = {
        r[0]
        for r in a.store.conn.execute(
            "SELECT contact_id FROM attendances WHERE event_id = ? AND status = 'attended' AND deleted = 0",
            (event.id,),
        )
    }
    assert attended == {people[0], people[2], people[3], walk}
    R.mark_no_shows(a.store, event.id)
    converge(a, b)
    assert_equal(server, a, b)
    statuses = dict(
        b.store.conn.execute("SELECT contact_id, status FROM attendances WHERE event_id = ?", (event.id,))
    )
    assert statuses[people[1]] == statuses[people[4]] == "no_show"


def test_the_same_walk_in_and_the_same_skill_entered_on_both_laptops_meet_as_one(
    server: ServerProcess, pair: tuple[Laptop, Laptop]
) -> None:
    a, b = pair
    event = R.create_event(a.store, {"name": "Job fair", "kind": "job_fair", "starts_on": "2026-04-01"})
    R.add_skill(a.store, "Graphene", name_zh="石墨烯")
    person = a.store.contacts.create({"native_name": "王小明"}).id
    converge(a, b)
    R.walk_in(a.store, event.id, person)
    R.walk_in(b.store, event.id, person)
    R.add_skills(a.store, person, ["graphene"])
    R.add_skills(b.store, person, ["石墨烯"])
    R.save_profile(a.store, person, {"degree": "phd"})
    R.save_profile(b.store, person, {"years_experience": 6})
    converge(a, b)
    assert_equal(server, a, b)
    q = a.store.conn.execute
    assert (
        q("SELECT count(*) FROM attendances WHERE event_id = ? AND deleted = 0", (event.id,)).fetchone()[0]
        == 1
    )
    assert (
        q("SELECT count(*) FROM talent_skills WHERE contact_id = ? AND deleted = 0", (person,)).fetchone()[0]
        == 1
    )
    # two creations of one profile are one record (the later creation's values hold, equal everywhere)
    assert q("SELECT count(*) FROM talent_profiles WHERE contact_id = ?", (person,)).fetchone()[0] == 1


def test_an_organization_merge_and_an_introduction_sync(
    server: ServerProcess, pair: tuple[Laptop, Laptop]
) -> None:
    a, b = pair
    keep = R.create_org(a.store, {"name_zh": "青岛蓝海科技", "alliance_role": "member"})
    other = R.create_org(
        a.store, {"name_en": "Blue Ocean Tech Qingdao", "website": "https://blueocean.example"}
    )
    person = a.store.contacts.create({"latin_name": "Grace Lin", "org_id": other.id}).id
    R.link_person(a.store, other.id, person, role="CTO", is_contact=True)
    demand = R.create_demand(a.store, {"title": "CTO", "org_id": other.id})
    converge(a, b)
    R.merge_orgs(b.store, keep.id, other.id)
    intro = R.introduce(a.store, demand.id, person)
    R.move_introduction(a.store, intro.id, "withdrawn", reason="position frozen")
    converge(a, b)
    assert_equal(server, a, b)
    q = a.store.conn.execute
    assert q("SELECT org_id FROM contacts WHERE id = ?", (person,)).fetchone()[0] == keep.id
    assert q("SELECT org_id FROM demands WHERE id = ?", (demand.id,)).fetchone()[0] == keep.id
    assert q("SELECT website, merged_into FROM organizations WHERE id = ?", (keep.id,)).fetchone() == (
        "https://blueocean.example",
        None,
    )
    assert q("SELECT merged_into, deleted FROM organizations WHERE id = ?", (other.id,)).fetchone() == (
        keep.id,
        1,
    )
    assert q("SELECT stage, stage_reason FROM introductions WHERE id = ?", (intro.id,)).fetchone() == (
        "withdrawn",
        "position frozen",
    )
