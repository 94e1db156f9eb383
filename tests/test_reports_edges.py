"""Reports on hand-made edge cases: a case reopened across a year boundary, a case opened on New Year's Eve
UTC (New Year's Day at the station), an erased person, two records of one person merged (and a record that
still pointed at the merged one arriving later), withdrawn and expired consents, a talent's stage history,
and the role and store the figures come from."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from liaison_tui.domain.ids import new_id
from liaison_tui.store import Store, consent
from liaison_tui.store import reports as R
from liaison_tui.store.contact_list import ContactFilter, contacts_count
from liaison_tui.store.erasure import erase_person
from liaison_tui.store.merge import merge_contacts
from liaison_tui.store.reports.model import Params, Report
from liaison_tui.tui.testing import FIXED_NOW

from .test_reports import assert_drills_match, rows_of


def run(store: Store, name: str, **params: Any) -> Report:
    return R.run(store.conn, name, Params(**params), now=FIXED_NOW)


def person(store: Store, name: str, owner: str | None = None, **fields: Any) -> str:
    return store.contacts.create({"latin_name": name, "owner_id": owner, **fields}).id


def case(store: Store, who: str, category: str, opened: str, **fields: Any) -> str:
    return store.cases.create(
        {
            "title": f"{category} help",
            "beneficiary_id": who,
            "category": category,
            "opened_at": opened,
            **fields,
        }
    ).id


def attend(store: Store, event: str, who: str, status: str = "attended") -> None:
    store.attendances.create({"event_id": event, "contact_id": who, "status": status})


@pytest.fixture
def world(store: Store) -> dict[str, Any]:
    staff = store.staff.create({"username": "wang.li", "display_name": "王丽"}).id
    a = person(store, "Anna Reopened", staff)
    # opened 20 Dec 2025, resolved 28 Dec, reopened in January, resolved again 3 Feb 2026
    k = case(store, a, "housing", "2025-12-20T02:00:00Z")
    store.write(
        "cases",
        k,
        "update",
        {"status": "resolved", "resolved_at": "2025-12-28T02:00:00Z", "resolution": "ok"},
    )
    store.write("cases", k, "update", {"status": "in_progress", "resolved_at": None})
    store.write("cases", k, "update", {"status": "resolved", "resolved_at": "2026-02-03T02:00:00Z"})
    # 20:00 UTC on 31 Dec 2025 is 04:00 on 1 Jan 2026 in Qingdao
    newyear = person(store, "Nico Newyear", staff)
    case(store, newyear, "policy", "2025-12-31T20:00:00Z")
    event = store.events.create({"name": "Munich Roadshow", "starts_on": "2025-10-01"}).id
    later = store.events.create({"name": "Boston Fair", "starts_on": "2025-11-01"}).id
    erased = person(store, "Eve Erased", staff)
    case(store, erased, "medical", "2025-05-01T02:00:00Z")
    attend(store, event, erased)
    keep, dup = person(store, "Max Merged", staff), person(store, "Max  Merged", staff)
    case(store, keep, "visa_entry", "2025-03-01T02:00:00Z")
    case(store, dup, "visa_entry", "2025-04-01T02:00:00Z")
    attend(store, event, keep)
    attend(store, event, dup)
    erase_person(store, erased, "asked to be forgotten")
    merge_contacts(store, keep, dup)
    # a laptop that had not heard of the merge: its records still name the merged-away record
    late_case = new_id()
    store.write(
        "cases",
        late_case,
        "create",
        {
            "number": store.next_case_number(2025),
            "title": "late",
            "beneficiary_id": dup,
            "category": "visa_entry",
            "opened_at": "2025-06-01T02:00:00Z",
            "status": "new",
            "priority": "normal",
            "related_ids": [],
        },
    )
    store.write(
        "attendances", new_id(), "create", {"event_id": later, "contact_id": dup, "status": "registered"}
    )
    return {
        "staff": staff,
        "a": a,
        "event": event,
        "later": later,
        "keep": keep,
        "dup": dup,
        "erased": erased,
    }


def test_case_reopened_across_the_year_boundary(store: Store, world: dict[str, Any]) -> None:
    y2025 = rows_of(run(store, "services", year=2025), "by_category")
    y2026 = rows_of(run(store, "services", year=2026), "by_category")
    assert (y2025["housing"]["opened"], y2025["housing"]["resolved"], y2025["housing"]["talents"]) == (
        1,
        0,
        1,
    )
    assert (y2026["housing"]["opened"], y2026["housing"]["resolved"], y2026["housing"]["talents"]) == (
        0,
        1,
        1,
    )
    assert y2026["housing"]["median_days"] == 45.0  # 20 Dec to 3 Feb
    months = rows_of(run(store, "services", year=2025), "by_month")
    assert (
        months["2025-12"]["opened"] == 1
    )  # the policy case opened on New Year's Day at the station is not here
    assert "policy" not in y2025 and y2026["policy"]["opened"] == 1


def test_erased_people_keep_case_statistics_but_leave_the_people_figures(
    store: Store, world: dict[str, Any]
) -> None:
    services = run(store, "services", year=2025)
    assert rows_of(services, "by_category")["medical"]["talents"] == 1
    assert_drills_match(store, services)
    events = rows_of(run(store, "events", year=2025), "by_event")
    assert events["Munich Roadshow"]["registered"] == 1  # Max once; Eve erased
    talents = rows_of(run(store, "talent_map"), "by_country")["*"]["talents"]
    assert talents == store.conn.execute("SELECT count(*) FROM contacts WHERE deleted = 0").fetchone()[0] == 3


def test_a_merged_person_counts_once(store: Store, world: dict[str, Any]) -> None:
    services = run(store, "services", year=2025)
    visa = rows_of(services, "by_category")["visa_entry"]
    assert visa["opened"] == 3 and visa["talents"] == 1  # three cases, one person
    events = run(store, "events", year=2025)
    by_event = rows_of(events, "by_event")
    assert by_event["Munich Roadshow"]["registered"] == by_event["Munich Roadshow"]["attended"] == 1
    assert by_event["Boston Fair"]["registered"] == 1  # the late record counts as the survivor
    assert by_event["*"]["registered"] == 1
    assert assert_drills_match(store, events) >= 3
    listed = contacts_count(store, ContactFilter(json.dumps({"event": world["later"], "step": "registered"})))
    assert listed == 1


def test_withdrawn_and_expired_consents(store: Store, world: dict[str, Any]) -> None:
    given = person(store, "Gina Given")
    withdrawn = person(store, "Walt Withdrawn")
    again = person(store, "Gus Again")
    expired = person(store, "Ed Expired")
    ledger = [
        (given, "given", "2025-01-01", None),
        (withdrawn, "given", "2025-01-01", None),
        (withdrawn, "withdrawn", "2025-06-01", None),
        (again, "given", "2025-01-01", None),
        (again, "withdrawn", "2025-03-01", None),
        (again, "given", "2025-05-01", None),
        (expired, "given", "2024-01-01", "2025-01-01"),
    ]
    for contact, action, day, expires in ledger:
        consent.record(
            store,
            {
                "contact_id": contact,
                "action": action,
                "purpose": "recruitment_contact",
                "channel": "paper",
                "occurred_on": day,
                "expires_on": expires,
            },
        )
    # recorded on a laptop that had not heard of the merge: on the merged-away record, so Max's
    store.conn.execute(
        "INSERT INTO consents (id, contact_id, action, purpose, channel, occurred_on, created_at, updated_at, "
        "created_hlc, hlc) SELECT ?, ?, action, purpose, channel, '2025-02-01', created_at, updated_at, "
        "created_hlc, hlc FROM consents WHERE contact_id = ?",
        (new_id(), world["dup"], given),
    )
    # consent to other purposes, or to one employer only, is not consent to be contacted
    employer = store.organizations.create({"name_en": "Haier Biomedical"}).id
    for purpose, org in (("publicity", None), ("share_with_employer", employer)):
        consent.record(
            store,
            {
                "contact_id": withdrawn,
                "action": "given",
                "purpose": purpose,
                "org_id": org,
                "channel": "email",
                "occurred_on": "2025-07-01",
            },
        )
    report = run(store, "quality")
    problems = rows_of(report, "problems")
    live = {r[0] for r in store.conn.execute("SELECT id FROM contacts WHERE deleted = 0")}
    assert problems["no_consent"]["people"] == len(live - {given, again, world["keep"]})
    assert report.scope["notes"] == []
    assert assert_drills_match(store, report) >= 3


def test_stage_history_sets_reached_and_time_in_stage(store: Store, world: dict[str, Any]) -> None:
    h = person(store, "Hana History", kind="talent")
    store.contacts.update(h, {"stage": "engaged"})
    store.contacts.update(h, {"stage": "lost"})
    # the times such a history would have: made on 1 Jan, engaged 11 Jan, lost 41 Jan
    store.conn.execute("UPDATE contacts SET created_at = '2026-01-01T00:00:00Z' WHERE id = ?", (h,))
    for at, new in (("2026-01-11T00:00:00Z", "engaged"), ("2026-02-10T00:00:00Z", "lost")):
        store.conn.execute(
            "UPDATE history SET at = ? WHERE tbl = 'contacts' AND row_id = ? AND field = 'stage' AND new_value = ?",
            (at, h, new),
        )
    report = run(store, "pipeline")
    funnel = rows_of(report, "funnel")
    assert funnel["engaged"]["reached"] == 1 and funnel["visiting"]["reached"] == 0
    assert funnel["lost"]["now"] == 1
    assert funnel["lead"]["median_days"] == 10.0 and funnel["engaged"]["median_days"] == 30.0
    assert assert_drills_match(store, report) >= 7
    # more talents, each history walked on its own: one went back a stage, one put on hold after signing
    for name, path in (
        ("Ben Back", ["contacted", "visiting", "engaged"]),
        ("Oda Hold", ["signed", "on_hold"]),
        ("Cai Calm", ["contacted"]),  # after Oda's: nothing of hers carries over
    ):
        t = person(store, name, kind="talent")
        for stage in path:
            store.contacts.update(t, {"stage": stage})
    stages = ["lead", "contacted", "engaged", "visiting", "signed", "landed", "rooted"]

    def rank(stage: str | None) -> int:
        return stages.index(stage) + 1 if stage in stages else 1

    furthest = {
        cid: rank(stage)
        for cid, stage in store.conn.execute(
            "SELECT id, stage FROM contacts WHERE deleted = 0 AND kind = 'talent'"
        )
    }
    for cid, old, new in store.conn.execute(
        "SELECT row_id, old_value, new_value FROM history WHERE tbl = 'contacts' AND field = 'stage'"
    ):
        if cid in furthest:
            furthest[cid] = max(furthest[cid], rank(old), rank(new))
    funnel = rows_of(run(store, "pipeline"), "funnel")
    assert {s: funnel[s]["reached"] for s in stages} == {
        s: sum(r >= rank(s) for r in furthest.values()) for s in stages
    }
    assert funnel["signed"]["reached"] == 1 and funnel["visiting"]["reached"] == 2


def _identity(store: Store, **data: Any) -> None:
    store.set_meta("sync_identity", orjson.dumps(data).decode())


def test_an_officer_sees_the_workload_of_their_team(store: Store, world: dict[str, Any]) -> None:
    mate = store.staff.create({"username": "zhao.min", "display_name": "赵敏", "team": "north"}).id
    other = store.staff.create({"username": "sun.yu", "display_name": "孙宇", "team": "south"}).id
    store.staff.update(world["staff"], {"team": "north"})
    case(store, world["a"], "funding", "2026-03-01T02:00:00Z", owner_id=other)
    everyone = rows_of(run(store, "workload"), "by_staff")
    assert other in everyone  # a store without a server: everyone's
    _identity(store, username="wang.li", role="officer", team="north")
    mine = run(store, "workload")
    assert set(rows_of(mine, "by_staff")) == {world["staff"], mate, "*"}
    assert mine.scope["workload_limited_to_team"] and mine.scope["notes"] == ["report.note.team_only"]
    with pytest.raises(Exception, match="team"):
        run(store, "workload", owner="sun.yu")
    _identity(store, username="wang.li", role="supervisor")
    assert other in rows_of(run(store, "workload"), "by_staff")


def test_workload_takes_a_snoozed_follow_up_as_due_when_it_comes_back(
    store: Store, world: dict[str, Any]
) -> None:
    me = store.staff.create({"username": "qian.yi", "display_name": "钱一"}).id
    past, future = "2025-06-01T02:00:00Z", "2027-06-01T02:00:00Z"
    for status, due, snoozed in [
        ("open", past, future),  # an old snooze left on an open follow-up does not count: due_at does
        ("open", future, None),
        ("snoozed", past, future),  # comes back later: not overdue
        ("snoozed", future, past),  # came back already: overdue
        ("done", past, None),
        ("cancelled", past, None),
    ]:
        store.followups.create(
            {
                "title": status,
                "due_at": due,
                "status": status,
                "snoozed_until": snoozed,
                "assignee_id": me,
                "contact_id": world["a"],
            }
        )
    case(store, world["a"], "funding", "2025-03-01T02:00:00Z", owner_id=me)  # open, no due date
    case(store, world["a"], "funding", "2025-03-01T02:00:00Z", owner_id=me, due_at=past)
    mine = rows_of(run(store, "workload", owner=me), "by_staff")[me]
    assert (mine["open_followups"], mine["overdue_followups"]) == (4, 2)
    assert (mine["open_cases"], mine["overdue_cases"]) == (2, 1)


def test_a_trip_kit_says_it_is_a_slice(store: Store, world: dict[str, Any]) -> None:
    from liaison_tui.importer.report_text import scope_line

    _identity(store, username="wang.li", role="officer", kit={"name": "Munich 2026"})
    report = run(store, "talent_map")
    assert report.scope["store"] == "trip_kit" and report.scope["kit"] == "Munich 2026"
    assert "Munich 2026" in scope_line(report, "en") and "出访数据包" in scope_line(report, "zh")
    _identity(store, username="wang.li", role="officer")
    assert "Whole-station" in scope_line(run(store, "talent_map"), "en")


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIAISON_DB": str(db), "LIAISON_CONFIG": str(db.parent / "none.toml")}
    return subprocess.run(
        [sys.executable, "-m", "liaison_tui.cli.main", "--lang", "en", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_cli_exports_need_the_export_grant(store: Store, world: dict[str, Any], tmp_path: Path) -> None:
    _identity(store, username="wang.li", role="viewer")
    out = tmp_path / "r.csv"
    refused = _cli(Path(store.path), "report", "services", "--year", "2025", "--csv", "-o", str(out))
    assert refused.returncode == 1 and "may not export" in refused.stderr and not out.exists()
    shown = _cli(Path(store.path), "report", "services", "--year", "2025")
    assert shown.returncode == 0 and "Visa and entry" in shown.stdout
    _identity(store, username="wang.li", role="officer")
    done = _cli(Path(store.path), "report", "services", "--year", "2025", "--csv", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    bad = _cli(Path(store.path), "report", "nonsense")
    assert bad.returncode == 1 and "No report named" in bad.stderr
    bad_date = _cli(Path(store.path), "report", "services", "--from", "2025-13-01")
    assert bad_date.returncode == 1 and "Not a date" in bad_date.stderr


def test_quality_counts_shared_values_and_dismissed_pairs(store: Store, world: dict[str, Any]) -> None:
    from liaison_tui.store.dedupe import dismiss_pair
    from liaison_tui.store.services import create_contact

    staff = world["staff"]
    a = create_contact(
        store, {"latin_name": "Ada One", "owner_id": staff}, [{"kind": "email", "raw": "ada@example.org"}]
    ).id
    b = create_contact(store, {"latin_name": "Ada Two"}, [{"kind": "email", "raw": "ADA@example.org"}]).id
    c = create_contact(store, {"latin_name": "Cy"}, [{"kind": "phone", "raw": "+49 151 1111 2222"}]).id
    d = create_contact(
        store, {"latin_name": "Di", "owner_id": staff}, [{"kind": "phone", "raw": "+4915111112222"}]
    ).id
    gone = create_contact(store, {"latin_name": "Gone"}, [{"kind": "email", "raw": "solo@example.org"}]).id
    solo = create_contact(store, {"latin_name": "Solo"}, [{"kind": "email", "raw": "solo@example.org"}]).id
    store.contacts.delete(gone)  # deleted by hand: its points stay, but it shares nothing any more
    problems = rows_of(run(store, "quality"), "problems")
    assert problems["duplicates"]["people"] == 4  # a, b, c, d; not solo
    dismiss_pair(store, c, d)
    assert rows_of(run(store, "quality"), "problems")["duplicates"]["people"] == 2
    mine = rows_of(run(store, "quality", owner=staff), "problems")
    assert mine["duplicates"]["people"] == 1  # a (d's only pair was dismissed)
    everyone = {r[0] for r in store.conn.execute("SELECT id FROM contacts WHERE deleted = 0")}
    reachable = {
        r[0]
        for r in store.conn.execute(
            "SELECT contact_id FROM contact_points WHERE deleted = 0 AND kind IN ('email', 'phone')"
        )
    }
    assert rows_of(run(store, "quality"), "problems")["no_reach"]["people"] == len(everyone - reachable)
    owned = {
        r[0]
        for r in store.conn.execute("SELECT id FROM contacts WHERE deleted = 0 AND owner_id = ?", (staff,))
    }
    assert mine["no_reach"]["people"] == len(owned - reachable)
    assert solo in everyone and gone not in everyone
    dismiss_pair(store, a, b)
    assert rows_of(run(store, "quality"), "problems")["duplicates"]["people"] == 0


def test_introductions_by_stage_demand_employer_and_chain(store: Store, world: dict[str, Any]) -> None:
    conn = store.conn
    org = store.organizations.create({"name_zh": "青岛海洋所", "name_en": "Qingdao Marine Lab"}).id
    d1 = (
        store.repo("demands")
        .create({"title": "Marine biologist", "org_id": org, "industry_chain": "marine"})
        .id
    )
    d2 = store.repo("demands").create({"title": "AI lead", "org_id": org, "industry_chain": "ai"}).id
    # as they may arrive by sync: on a merged-away record, on someone erased since, deleted, another year
    rows = [
        ("i1", d1, world["a"], "interview", "2025-03-01T00:00:00Z", 0),
        ("i2", d1, world["keep"], "proposed", "2025-03-02T00:00:00Z", 0),
        ("i3", d1, world["dup"], "signed", "2025-03-03T00:00:00Z", 0),  # the merged-away record: Max's
        ("i4", d2, world["erased"], "offer", "2025-03-04T00:00:00Z", 0),  # erased: left out
        ("i5", d2, world["a"], "proposed", "2025-03-05T00:00:00Z", 1),  # deleted
        ("i6", d2, world["a"], "shared", "2024-03-05T00:00:00Z", 0),  # another year
    ]
    conn.executemany(
        "INSERT INTO introductions (id, demand_id, contact_id, stage, created_at, updated_at, created_hlc, hlc, "
        "deleted) VALUES (?, ?, ?, ?, ?, ?, '0', '0', ?)",
        [(i, d, c, st, at, at, gone) for i, d, c, st, at, gone in rows],
    )
    report = run(store, "introductions", year=2025)
    assert report.available
    assert {k: r["introductions"] for k, r in rows_of(report, "by_stage").items()} == {
        "interview": 1,
        "proposed": 1,
        "signed": 1,
    }
    demand = rows_of(report, "by_demand")["Marine biologist"]
    assert (demand["total"], demand["employer"], demand["stage:signed"]) == (3, "青岛海洋所", 1)
    assert rows_of(report, "by_chain")["marine"]["total"] == 3 and "ai" not in rows_of(report, "by_chain")
    everything = run(store, "introductions")
    assert sum(r["introductions"] for r in rows_of(everything, "by_stage").values()) == 4
    events = run(store, "events", year=2025)
    assert (
        rows_of(events, "by_event")["Munich Roadshow"]["introduced"] == 1
    )  # Max attended and was introduced
    # someone else's talent, introduced in 2025: in the station's figures, not in wang.li's
    other = person(
        store, "Olga Other", store.staff.create({"username": "zhou.ke", "display_name": "周可"}).id
    )
    conn.execute(
        "INSERT INTO introductions (id, demand_id, contact_id, stage, created_at, updated_at, created_hlc, hlc) "
        "VALUES ('i7', ?, ?, 'proposed', '2025-04-01T00:00:00Z', '2025-04-01T00:00:00Z', '0', '0')",
        (d2, other),
    )
    station = rows_of(run(store, "introductions", year=2025), "by_stage")
    mine = rows_of(run(store, "introductions", year=2025, owner=world["staff"]), "by_stage")
    assert sum(r["introductions"] for r in station.values()) == 4
    assert {k: r["introductions"] for k, r in mine.items()} == {"interview": 1, "proposed": 1, "signed": 1}


def test_report_consent_lists_who_lacks_valid_consent(store: Store, world: dict[str, Any]) -> None:
    given, withdrawn = person(store, "Gina Given"), person(store, "Walt Withdrawn")
    for contact, action, day in ((given, "given", "2025-01-01"), (withdrawn, "given", "2025-01-01")):
        consent.record(
            store,
            {
                "contact_id": contact,
                "action": action,
                "purpose": "recruitment_contact",
                "channel": "paper",
                "occurred_on": day,
            },
        )
    consent.record(
        store,
        {
            "contact_id": withdrawn,
            "action": "withdrawn",
            "purpose": "recruitment_contact",
            "channel": "email",
            "occurred_on": "2025-02-01",
        },
    )
    store.close()
    listed = _cli(Path(store.path), "report", "consent", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {r["id"]: r["state"] for r in json.loads(listed.stdout)}
    assert given not in rows and rows[withdrawn] == "withdrawn"
    assert rows[world["a"]] == "never"
    publicity = _cli(Path(store.path), "report", "consent", "--purpose", "publicity", "--json")
    assert given in {r["id"] for r in json.loads(publicity.stdout)}
