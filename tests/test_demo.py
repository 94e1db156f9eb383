"""Demo data: deterministic for a seed, valid against the domain models, covering what staff expect."""

from __future__ import annotations

from pathlib import Path

from liaison_tui.domain.entities import ENTITIES
from liaison_tui.domain.enums import CaseCategory, CaseStatus
from liaison_tui.store import Store
from liaison_tui.store.demo import generate
from liaison_tui.store.rows import BOOKKEEPING, row_to_fields

from .conftest import FIXED_NOW

TABLES = [
    "staff",
    "organizations",
    "events",
    "contacts",
    "contact_points",
    "affiliations",
    "cases",
    "followups",
    "activities",
    "attendances",
    "skills",
    "talent_profiles",
    "talent_skills",
    "demands",
    "introductions",
    "match_marks",
]


def _content(store: Store) -> dict[str, list[tuple]]:
    out = {}
    for table in TABLES:
        cur = store.conn.execute(f"SELECT * FROM {table} ORDER BY id")
        names = [c[0] for c in cur.description]
        out[table] = [
            tuple(v for n, v in zip(names, row, strict=True) if n not in BOOKKEEPING)
            for row in cur.fetchall()
        ]
    return out


def _fill(path: Path, seed: int, n: int = 400) -> Store:
    store = Store.open(path, author="demo")
    store.set_meta("device_code", "ABC")  # case numbers embed the device code
    store.device_code = "ABC"
    generate(store, n, seed=seed, now=FIXED_NOW, batch=150)
    return store


def test_same_seed_same_data(tmp_path: Path) -> None:
    a, b = _fill(tmp_path / "a.db", 7), _fill(tmp_path / "b.db", 7)
    assert _content(a) == _content(b)
    c = _fill(tmp_path / "c.db", 8)
    assert _content(c)["contacts"] != _content(a)["contacts"]


def test_every_generated_row_is_valid(tmp_path: Path) -> None:
    store = _fill(tmp_path / "v.db", 3, n=600)
    for table in TABLES:
        entity = ENTITIES[table]
        cur = store.conn.execute(f"SELECT * FROM {table}")
        names = [c[0] for c in cur.description]
        for row in cur.fetchall():
            fields = row_to_fields(entity, dict(zip(names, row, strict=True)))
            context = None
            if table == "contact_points":
                country = store.conn.execute(
                    "SELECT country FROM contacts WHERE id = ?", (fields["contact_id"],)
                ).fetchone()[0]
                context = {"region": country}
            model = entity.model.model_validate(fields, context=context)
            if table == "contact_points":
                assert model.value == fields["value"], fields["raw"]  # the raw text really normalises to it


def test_nothing_happened_after_today(tmp_path: Path) -> None:
    store = _fill(tmp_path / "t.db", 5, n=600)
    now = FIXED_NOW.isoformat().replace("+00:00", "Z")
    for column in ("resolved_at", "closed_at", "opened_at"):
        late = store.conn.execute(f"SELECT count(*) FROM cases WHERE {column} > ?", (now,)).fetchone()[0]
        assert late == 0, column
    assert store.conn.execute(
        "SELECT count(*) FROM consents WHERE occurred_on > ?", (FIXED_NOW.date().isoformat(),)
    ).fetchone() == (0,)
    # records are created on the demo's day, not the day the store was built (snapshots show it)
    for table in ("contacts", "organizations", "events", "demands"):
        late = store.conn.execute(f"SELECT count(*) FROM {table} WHERE created_at > ?", (now,)).fetchone()[0]
        assert late == 0, table


def test_realistic_variety(tmp_path: Path) -> None:
    store = _fill(tmp_path / "r.db", 11, n=1500)
    q = store.conn.execute
    assert q("SELECT count(*) FROM contacts WHERE native_name IS NULL").fetchone()[0] > 300  # Western names
    assert (
        q("SELECT count(*) FROM contacts WHERE latin_name GLOB '*[^ -~]*'").fetchone()[0] > 50
    )  # diacritics
    assert (
        q(
            "SELECT count(*) FROM contacts WHERE length(native_name) >= 4 AND "
            "substr(native_name, 1, 2) IN ('欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '慕容')"
        ).fetchone()[0]
        > 0
    )
    traditional = q(
        "SELECT count(*) FROM contacts WHERE native_name GLOB '*[張陳楊黃趙劉吳鄭偉華東龍]*'"
    ).fetchone()[0]
    assert traditional > 5
    raws = [r[0] for r in q("SELECT raw FROM contact_points WHERE kind = 'phone'")]
    assert any(r.startswith("00") for r in raws) and any(r.startswith("(+") for r in raws)
    assert any(r.startswith("0") and not r.startswith("00") for r in raws)
    assert {r[0] for r in q("SELECT DISTINCT category FROM cases")} == {c.value for c in CaseCategory}
    assert {r[0] for r in q("SELECT DISTINCT status FROM cases")} == {s.value for s in CaseStatus}
    now = "2026-11-20T09:00:00Z"
    assert q("SELECT count(*) FROM followups WHERE status = 'open' AND due_at < ?", (now,)).fetchone()[0] > 0
    assert (
        q(
            "SELECT count(*) FROM followups WHERE status = 'open' AND substr(due_at, 1, 10) = '2026-11-20'"
        ).fetchone()[0]
        > 0
    )
    assert q("SELECT count(*) FROM followups WHERE status = 'open' AND due_at > ?", (now,)).fetchone()[0] > 0
    assert q("SELECT count(*) FROM events").fetchone()[0] >= 4
    assert store.get_meta("default_user") == "wang.li"
    # every record is in the change log, ready to sync
    total = sum(store.counts().values())
    assert store.pending_changes() == total


def test_case_counter_moves_past_demo_numbers(tmp_path: Path) -> None:
    store = _fill(tmp_path / "n.db", 5)
    used = {r[0] for r in store.conn.execute("SELECT number FROM cases")}
    assert store.next_case_number(2026) not in used


def test_the_recruiting_half_has_realistic_data(tmp_path: Path) -> None:
    store = _fill(tmp_path / "rec.db", 5, n=1500)
    q = store.conn.execute
    roles = {r[0] for r in q("SELECT alliance_role FROM organizations WHERE alliance_member = 1")}
    assert {"chair", "vice_chair"} <= roles and None not in roles
    assert (
        q(
            "SELECT count(*) FROM organizations WHERE alliance_member = 0 AND alliance_role IS NOT NULL"
        ).fetchone()[0]
        == 0
    )
    statuses = {r[0] for r in q("SELECT status FROM demands")}
    assert statuses == {"open", "on_hold", "filled", "closed"}
    assert len({r[0] for r in q("SELECT stage FROM introductions")}) >= 5
    assert (
        q(
            "SELECT count(*) FROM talent_skills s LEFT JOIN skills k ON k.id = s.skill_id WHERE k.id IS NULL"
        ).fetchone()[0]
        == 0
    )
    # past events have check-ins and no-shows, coming ones registrations; never the other way round
    today = FIXED_NOW.date().isoformat()
    wrong = q(
        "SELECT count(*) FROM attendances a JOIN events e ON e.id = a.event_id WHERE "
        "(e.starts_on >= ? AND a.status IN ('attended', 'no_show')) OR (e.starts_on < ? AND a.status = 'registered') "
        "OR ((a.status = 'attended') != (a.checked_in_at IS NOT NULL))",
        (today, today),
    ).fetchone()[0]
    assert wrong == 0
    assert q("SELECT count(*) FROM affiliations WHERE is_contact = 1").fetchone()[0] > 0
    assert (
        q("SELECT count(*) FROM events WHERE venue IS NOT NULL AND organizer_ids != '[]'").fetchone()[0] >= 4
    )
