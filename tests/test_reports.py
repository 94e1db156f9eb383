"""Every report against an independent computation over the same store: the figures recomputed in plain Python
from the rows (the test's own reading of the definitions in docs/REPORTS.md), on a demo store; and every
figure's drill-down lists exactly as many records as the figure counts."""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from liaison_tui.store import Store
from liaison_tui.store import reports as R
from liaison_tui.store.contact_list import ContactFilter, contacts_count
from liaison_tui.store.queries import CaseFilter, cases_count
from liaison_tui.store.reports.model import Params, Report
from liaison_tui.tui.testing import FIXED_NOW, build_store, copy_store

TZ = ZoneInfo("Asia/Shanghai")
OPEN = {"new", "triaged", "in_progress", "waiting_talent", "waiting_third_party"}
STAGES = ["lead", "contacted", "engaged", "visiting", "signed", "landed", "rooted"]


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("reports") / "demo-400.db", 400, seed=11)


@pytest.fixture
def demo(demo_source: Path, tmp_path: Path) -> Iterator[Store]:
    s = Store.open(copy_store(demo_source, tmp_path / "demo.db"), author="tester")
    yield s
    s.close()


def table(store: Store, name: str) -> list[dict[str, Any]]:
    cur = store.conn.execute(f"SELECT * FROM {name}")
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def local(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(TZ) if text else None


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def run(store: Store, name: str, **params: Any) -> Report:
    return R.run(store.conn, name, Params(**params), now=FIXED_NOW)


def rows_of(report: Report, section: str) -> dict[Any, dict[str, Any]]:
    sec = report.section(section)
    key = sec.columns[0].key
    return {r.cells[key]: r.cells for r in sec.rows}


def assert_drills_match(store: Store, report: Report) -> int:
    """Each row's drill-down lists as many records as its primary figure; returns how many were checked."""
    checked = 0
    for section in report.sections:
        for row in section.rows:
            if row.drill is None or section.primary is None or row.drill.kind == "duplicates":
                continue
            figure = row.cells[section.primary]
            if figure is None:
                continue
            where = json.dumps(row.drill.where)
            if row.drill.kind == "cases":
                listed = cases_count(store, CaseFilter(statuses=(), scope=where), FIXED_NOW)
            else:
                listed = contacts_count(store, ContactFilter(where))
            assert listed == figure, (report.name, section.key, row.cells, row.drill.where)
            checked += 1
    return checked


# ---------------------------------------------------------------------------------------------- services
def expected_services(store: Store, year: int) -> dict[str, Any]:
    start, end = datetime(year, 1, 1, tzinfo=TZ), datetime(year + 1, 1, 1, tzinfo=TZ)
    contacts = {c["id"]: c for c in table(store, "contacts")}
    opened: Counter[str] = Counter()
    resolved: Counter[str] = Counter()
    by_month: Counter[str] = Counter()
    served: dict[str, set[str]] = defaultdict(set)
    days: dict[str, list[float]] = defaultdict(list)
    on_time: dict[str, list[bool]] = defaultdict(list)
    for k in table(store, "cases"):
        if k["deleted"]:
            continue
        o, r = local(k["opened_at"]), local(k["resolved_at"])
        assert o is not None
        if k["status"] != "duplicate" and start <= o < end:
            opened[k["category"]] += 1
            by_month[f"{o:%Y-%m}"] += 1
        if r is not None and start <= r < end:
            resolved[k["category"]] += 1
            d = (utc(k["resolved_at"]) - utc(k["opened_at"])).total_seconds() / 86400
            days[k["category"]].append(d)
            if k["due_at"]:
                on_time[k["category"]].append(k["resolved_at"] <= k["due_at"])
        finished = k["resolved_at"] or k["closed_at"] or k["updated_at"]
        if (
            k["status"] not in ("duplicate", "rejected")
            and o < end
            and (k["status"] in OPEN or local(finished) >= start)  # type: ignore[operator]
        ):
            b = contacts.get(k["beneficiary_id"]) or {}
            served[k["category"]].add(b.get("merged_into") or k["beneficiary_id"])
    return {
        "opened": opened,
        "resolved": resolved,
        "by_month": by_month,
        "served": {c: len(p) for c, p in served.items()},
        "served_total": len(set().union(*served.values())) if served else 0,
        "median": {c: round(statistics.median(v), 1) for c, v in days.items()},
        "on_time": {c: sum(v) / len(v) for c, v in on_time.items() if v},
    }


def test_services_against_python(demo: Store) -> None:
    for year in (2025, 2026):
        report = run(demo, "services", year=year)
        want = expected_services(demo, year)
        cats = rows_of(report, "by_category")
        total = cats.pop("*")
        assert {c: r["opened"] for c, r in cats.items() if r["opened"]} == dict(want["opened"])
        assert {c: r["resolved"] for c, r in cats.items() if r["resolved"]} == dict(want["resolved"])
        assert {c: r["talents"] for c, r in cats.items() if r["talents"]} == want["served"]
        assert total["talents"] == want["served_total"]
        assert total["opened"] == sum(want["opened"].values())
        for c, r in cats.items():
            assert r["median_days"] == pytest.approx(want["median"].get(c), abs=0.051), c
            assert r["on_time"] == pytest.approx(want["on_time"].get(c)), c
        months = rows_of(report, "by_month")
        assert {m: r["opened"] for m, r in months.items() if r["opened"]} == dict(want["by_month"])
        assert len(months) == 12
        assert assert_drills_match(demo, report) >= 12


# ---------------------------------------------------------------------------------------------- pipeline
def live_talents(store: Store) -> list[dict[str, Any]]:
    return [c for c in table(store, "contacts") if not c["deleted"] and c["kind"] == "talent"]


def rank(stage: str) -> int:
    return STAGES.index(stage) + 1 if stage in STAGES else 1


def test_pipeline_against_python(demo: Store) -> None:
    report = run(demo, "pipeline")
    talents = live_talents(demo)
    funnel = rows_of(report, "funnel")
    for stage in STAGES:
        assert funnel[stage]["reached"] == sum(rank(c["stage"]) >= rank(stage) for c in talents)
        assert funnel[stage]["now"] == sum(c["stage"] == stage for c in talents)
    assert funnel["*"]["now"] == len(talents)
    chains = rows_of(report, "by_chain")
    for chain, row in chains.items():
        members = [c for c in talents if chain in json.loads(c["industry_chains"])]
        assert row["talents"] == len(members)
        assert row["signed"] == sum(rank(c["stage"]) >= rank("signed") for c in members)
    sources = rows_of(report, "by_source")
    assert {s: r["talents"] for s, r in sources.items()} == dict(Counter(c["source"] for c in talents))
    assert assert_drills_match(demo, report) >= 10


def test_talent_map_against_python(demo: Store) -> None:
    report = run(demo, "talent_map")
    talents = live_talents(demo)
    countries = rows_of(report, "by_country")
    assert countries.pop("*")["talents"] == len(talents)
    assert {k: r["talents"] for k, r in countries.items()} == dict(Counter(c["country"] for c in talents))
    tiers = rows_of(report, "by_tier")
    assert {k: r["talents"] for k, r in tiers.items()} == dict(Counter(c["tier"] for c in talents))
    chains = Counter(ch for c in talents for ch in json.loads(c["industry_chains"]))
    assert {k: r["talents"] for k, r in rows_of(report, "by_chain").items()} == dict(chains)
    orgs = {o["id"]: o for o in table(demo, "organizations")}
    employers = Counter(
        c["org_id"]
        for c in talents
        if c["org_id"] and orgs[c["org_id"]]["kind"] not in ("university", "research_institute")
    )
    top = report.section("by_employer").rows
    assert [r.cells["talents"] for r in top] == sorted(employers.values(), reverse=True)[: len(top)]
    assert assert_drills_match(demo, report) >= 20


# ---------------------------------------------------------------------------------------------- events
def expected_events(store: Store, year: int) -> dict[str, dict[str, set[str]]]:
    contacts = {c["id"]: c for c in table(store, "contacts")}
    activities = table(store, "activities")
    followups = table(store, "followups")
    introduced = {
        contacts[i["contact_id"]]["merged_into"] or i["contact_id"]
        for i in table(store, "introductions")
        if not i["deleted"]
    }
    out: dict[str, dict[str, set[str]]] = {}
    for e in table(store, "events"):
        if e["deleted"] or not e["starts_on"].startswith(str(year)):
            continue
        since = datetime.fromisoformat(e["starts_on"]).replace(tzinfo=TZ)
        steps: dict[str, set[str]] = defaultdict(set)
        for a in table(store, "attendances"):
            if a["deleted"] or a["event_id"] != e["id"]:
                continue
            person = contacts[a["contact_id"]]["merged_into"] or a["contact_id"]
            p = contacts[person]
            if p["deleted"]:
                continue
            if a["status"] in ("registered", "attended", "no_show"):
                steps["registered"].add(person)
            if a["status"] != "attended":
                continue
            steps["attended"].add(person)
            if any(
                x["contact_id"] == person
                and not x["deleted"]
                and x["kind"] in ("call", "video_call", "meeting", "email", "wechat", "visit")
                and utc(x["occurred_at"]) >= since
                for x in activities
            ) or any(
                f["contact_id"] == person
                and not f["deleted"]
                and f["status"] != "cancelled"
                and utc(f["due_at"]) >= since
                for f in followups
            ):
                steps["followed"].add(person)
            if p["stage"] in ("landed", "rooted"):
                steps["arrived"].add(person)
            if person in introduced:
                steps["introduced"].add(person)
        out[e["name"]] = steps
    return out


def test_events_against_python(demo: Store) -> None:
    report = run(demo, "events", year=2026)
    want = expected_events(demo, 2026)
    got = rows_of(report, "by_event")
    total = got.pop("*")
    assert set(got) == set(want)
    for name, steps in want.items():
        for step in ("registered", "attended", "followed", "introduced", "arrived"):
            assert got[name][step] == len(steps[step]), (name, step)
    everyone = {s: set().union(*(w[s] for w in want.values())) for s in ("registered", "attended", "arrived")}
    for step, people in everyone.items():
        assert total[step] == len(people)
    assert report.scope["notes"] == []
    assert any(w["introduced"] for w in want.values())  # the demo introduces some who attended
    assert assert_drills_match(demo, report) >= 5


# ---------------------------------------------------------------------------------------------- workload
def test_workload_against_python(demo: Store) -> None:
    report = run(demo, "workload")
    now = FIXED_NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = rows_of(report, "by_staff")
    rows.pop("*")
    cases = [k for k in table(demo, "cases") if not k["deleted"] and k["status"] in OPEN]
    follow = [f for f in table(demo, "followups") if not f["deleted"] and f["status"] in ("open", "snoozed")]
    for staff_id, row in rows.items():
        owner = staff_id or None
        mine = [k for k in cases if k["owner_id"] == owner]
        assert row["open_cases"] == len(mine)
        assert row["overdue_cases"] == sum(bool(k["due_at"]) and k["due_at"] < now for k in mine)
        theirs = [f for f in follow if f["assignee_id"] == owner]
        assert row["open_followups"] == len(theirs)
        due = [
            (f["snoozed_until"] or f["due_at"]) if f["status"] == "snoozed" else f["due_at"] for f in theirs
        ]
        assert row["overdue_followups"] == sum(d < now for d in due)
    assert sum(r["open_cases"] for r in rows.values()) == len(cases)
    assert assert_drills_match(demo, report) >= 4


def test_quality_against_python(demo: Store) -> None:
    report = run(demo, "quality")
    people = [c for c in table(demo, "contacts") if not c["deleted"]]
    live = {c["id"] for c in people}
    points = [p for p in table(demo, "contact_points") if not p["deleted"]]
    reachable = {p["contact_id"] for p in points if p["kind"] in ("phone", "email")}
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for p in points:
        if p["kind"] in ("email", "phone", "wechat") and p["contact_id"] in live:
            groups[(p["kind"], p["value"])].add(p["contact_id"])
    doubles = set().union(*(g for g in groups.values() if len(g) > 1))
    problems = rows_of(report, "problems")
    assert problems["*"]["people"] == len(people)
    assert problems["no_reach"]["people"] == len(live - reachable)
    assert problems["no_owner"]["people"] == sum(c["owner_id"] is None for c in people)
    assert problems["duplicates"]["people"] == len(doubles)
    from liaison_tui.store.consent import count_without_consent

    today = FIXED_NOW.astimezone(TZ).date()  # the day the report was run for
    assert problems["no_consent"]["people"] == count_without_consent(demo, "recruitment_contact", on=today)
    assert assert_drills_match(demo, report) >= 3


def test_every_report_names_its_store_and_filters_by_owner(demo: Store) -> None:
    owner = demo.conn.execute(
        "SELECT id FROM staff WHERE role != 'admin' ORDER BY username LIMIT 1"
    ).fetchone()[0]
    for name in R.REPORTS:
        report = run(demo, name, owner=owner)
        assert report.scope["store"] == "whole_station"
        assert report.available and report.sections
        assert_drills_match(demo, report)
    services = rows_of(run(demo, "services", year=2025, owner=owner), "by_category")["*"]
    mine = [
        k
        for k in table(demo, "cases")
        if not k["deleted"]
        and k["owner_id"] == owner
        and k["status"] != "duplicate"
        and local(k["opened_at"]).year == 2025  # type: ignore[union-attr]
    ]
    assert services["opened"] == len(mine)
