"""``liaison org|demand|match|talent|skill|event``: a recruiting round trip from the command line, and one
translated line for every mistake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from liaison_tui.domain.skills_vocabulary import STARTER

from .test_cli import run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "rec.db"


def ok(db: Path, *args: str, lang: str = "en") -> str:
    done = run(db, *args, lang=lang)
    assert done.returncode == 0, done.stderr
    return done.stdout


def fails(db: Path, *args: str, lang: str = "en") -> str:
    done = run(db, *args, lang=lang)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_organizations_demands_matching_and_introductions(db: Path) -> None:
    assert f"{len(STARTER)} skills" in ok(db, "skill", "seed")
    org = json.loads(
        ok(
            db,
            "org",
            "add",
            "--zh",
            "青岛星图人工智能研究院",
            "--en",
            "Star Map AI",
            "--kind",
            "research_institute",
            "--json",
        )
    )["id"]
    ok(db, "org", "edit", "Star Map AI", "--alliance", "council", "--since", "2024-03-01")
    shown = json.loads(ok(db, "org", "show", org, "--json"))
    assert (shown["alliance_member"], shown["alliance_role"], shown["alliance_since"]) == (
        True,
        "council",
        "2024-03-01",
    )
    assert "Council member" in ok(db, "org", "list", "--alliance")
    twin = json.loads(ok(db, "org", "add", "--en", "StarMap AI Institute", "--json"))["id"]
    assert "Unknown" not in fails(db, "org", "edit", "Nowhere Ltd", "--kind", "park")
    assert "is not a known record" in fails(db, "org", "edit", org, "--owner", "nobody.here")

    person = json.loads(
        ok(
            db,
            "contact",
            "add",
            "--latin",
            "Lena Hoffmann",
            "--set",
            "country=DE",
            "--set",
            "languages=de,en,zh",
            "--set",
            "industry_chains=ai",
            "--json",
        )
    )["id"]
    other = json.loads(
        ok(db, "contact", "add", "--latin", "Tom Berg", "--set", "industry_chains=ai", "--json")
    )["id"]
    ok(
        db,
        "talent",
        "edit",
        person,
        "--degree",
        "phd",
        "--years",
        "9",
        "--relocate",
        "yes",
        "--availability",
        "now",
        "--skill",
        "computer vision",
        "--skill",
        "PyTorch",
    )
    ok(db, "talent", "edit", other, "--degree", "master", "--skill", "cv")
    assert "Computer vision" in ok(db, "talent", "show", person)
    assert "did you mean: PyTorch" in fails(db, "talent", "edit", person, "--skill", "pytorh")
    ok(db, "org", "link", twin, other, "--role", "Engineer", "--contact-person")

    demand = json.loads(
        ok(
            db,
            "demand",
            "add",
            "--title",
            "Vision lead",
            "--org",
            org,
            "--chain",
            "ai",
            "--require",
            "computer vision",
            "--require",
            "pytorch",
            "--degree",
            "phd",
            "--language",
            "zh",
            "--package",
            "60-90",
            "--json",
        )
    )["id"]
    assert "Required skills: 'rustt' is not in the skills vocabulary (did you mean: Rust?)" in fails(
        db, "demand", "add", "--title", "x", "--org", org, "--require", "rustt"
    )
    assert "低于年薪下限" in fails(db, "demand", "edit", demand, "--package", "90-60", lang="zh")
    listed = json.loads(ok(db, "demand", "list", "--json"))
    assert [d["id"] for d in listed["items"]] == [demand]

    matched = json.loads(ok(db, "match", "demand", demand, "--json"))["matches"]
    assert [m["contact_id"] for m in matched] == [person, other]
    top = matched[0]
    assert top["consent_to_share"] is False and top["proposable"] is False
    assert "2 of 2 required skills ✓" in [c["text"] for c in top["criteria"]]
    assert "consent to share: missing ✗" in top["notes"]
    zh = ok(db, "match", "demand", demand, lang="zh")
    assert "必备技能 2/2 ✓" in zh
    assert json.loads(ok(db, "match", "talent", person, "--json"))["matches"][0]["demand_id"] == demand

    ok(db, "match", "dismiss", demand, other, "--reason", "seniority")
    assert [m["contact_id"] for m in json.loads(ok(db, "match", "demand", demand, "--json"))["matches"]] == [
        person
    ]
    ok(db, "match", "pin", demand, person)
    intro = ok(db, "match", "introduce", demand, person).split()[-1]
    assert "has not consented" in fails(db, "match", "stage", intro, "shared")
    assert "needs a reason" in fails(db, "match", "stage", intro, "withdrawn")
    ok(db, "match", "stage", intro, "withdrawn", "--reason", "talent accepted another offer")
    assert "Withdrawn" in ok(db, "demand", "show", demand)

    merged = ok(db, "org", "merge", org, twin)
    assert "Contact 1" in merged or "Affiliation 1" in merged
    assert json.loads(ok(db, "org", "show", org, "--json"))["people"]


def test_an_event_from_sign_up_sheet_to_follow_ups(db: Path, tmp_path: Path) -> None:
    event = json.loads(
        ok(
            db,
            "event",
            "add",
            "--name",
            "青岛·慕尼黑路演",
            "--kind",
            "roadshow",
            "--starts",
            "2026-03-10",
            "--city",
            "Munich",
            "--country",
            "DE",
            "--venue",
            "Tech Centre",
            "--tz",
            "Europe/Berlin",
            "--json",
        )
    )["id"]
    assert "is not a time zone" in fails(db, "event", "edit", event, "--tz", "Mars/Base")
    sheet = tmp_path / "signup.csv"
    sheet.write_text(
        "姓名,英文名,手机,邮箱\n张三,Zhang San,+49 151 22223333,zhang.san@example.org\n"
        "李四,Li Si,+49 151 44445555,li.si@example.org\n王五,Wang Wu,+49 151 66667777,wang.wu@example.org\n",
        encoding="utf-8",
    )
    assert "3 new contacts, 0 updated; 3 registered" in ok(
        db, "event", "register", event, "--sheet", str(sheet)
    )
    assert "0 registered (3 already were)" in ok(db, "event", "register", event, "--sheet", str(sheet))
    assert "Zhang San" in ok(db, "event", "checkin", event, "zs")
    assert "Li Si" in ok(db, "event", "checkin", event, "+49 151 4444 5555")
    assert "Nobody registered matches" in fails(db, "event", "checkin", event, "nobody")
    walk = json.loads(ok(db, "contact", "add", "--name", "赵六", "--json"))["id"]
    assert "赵六" in ok(db, "event", "checkin", event, "--walk-in", walk)
    attended = json.loads(ok(db, "event", "attendees", event, "--status", "attended", "--json"))
    assert len(attended) == 3
    assert "Marked 1 no-show" in ok(db, "event", "attendees", event, "--mark-no-shows")
    todo = json.loads(ok(db, "event", "attendees", event, "--no-followup", "--json"))
    assert len(todo) == 3
    ok(db, "event", "attendees", event, "--no-followup", "--add-followups")
    assert json.loads(ok(db, "event", "attendees", event, "--no-followup", "--json")) == []
    shown = ok(db, "event", "show", event, lang="zh")
    assert "已出席 3" in shown and "未出席 1" in shown
