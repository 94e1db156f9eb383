"""Duplicate scan and merge: keys, linear grouping, every linked record moved, all in the change log."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from liaison_tui.domain.errors import LiaisonError
from liaison_tui.domain.identity_keys import name_keys
from liaison_tui.domain.values import utcnow
from liaison_tui.store import Store
from liaison_tui.store.dedupe import dismiss_pair, find_duplicates
from liaison_tui.store.merge import merge_contacts, preview_merge
from liaison_tui.store.services import create_case, create_contact, log_activity

from .importing import import_file
from .samples import BOM_CSV, GBK_CSV, XLSX


def test_name_keys_meet_across_scripts_orders_and_spellings() -> None:
    assert name_keys("张伟", None) & name_keys(None, "Wei Zhang")
    assert name_keys("章伟", None) & name_keys("张伟", None)  # same pinyin
    assert name_keys(None, "Jürgen Müller") & name_keys(None, "Mueller Juergen")
    assert not name_keys("张伟", None) & name_keys("张伟明", None)


def test_scan_finds_exact_and_name_matches(store: Store) -> None:
    a = create_contact(
        store, {"native_name": "张伟", "country": "DE"}, [{"kind": "email", "raw": "zw@example.org"}]
    )
    b = create_contact(
        store, {"latin_name": "Zhang Wei", "country": "CN"}, [{"kind": "email", "raw": "ZW@example.org"}]
    )
    c = create_contact(
        store, {"latin_name": "Wei Zhang", "country": "DE"}, [{"kind": "phone", "raw": "+49 151 23456789"}]
    )
    d = create_contact(
        store, {"native_name": "李娜", "country": "DE"}, [{"kind": "phone", "raw": "015123456789"}]
    )
    create_contact(store, {"native_name": "王芳", "country": "DE"}, [])
    pairs = {(p.keep, p.other): p for p in find_duplicates(store)}
    assert {r.kind for r in pairs[(a.id, b.id)].reasons} == {"email"}
    assert {r.kind for r in pairs[(a.id, c.id)].reasons} == {"name_country"}
    assert {r.kind for r in pairs[(c.id, d.id)].reasons} == {"phone"}
    assert len(pairs) == 3
    ordered = find_duplicates(store)
    assert ordered[-1].reasons[0].kind == "name_country"  # exact matches first
    dismiss_pair(store, c.id, a.id)
    assert (a.id, c.id) not in {(p.keep, p.other) for p in find_duplicates(store)}


def test_scan_of_imported_samples_is_linear_and_finds_cross_file_people(store: Store, samples: Path) -> None:
    for name in (GBK_CSV, BOM_CSV, XLSX):
        import_file(store, samples / name)
    pairs = find_duplicates(store)
    # everything sharing an email was combined by the import itself; what remains are name matches
    assert all(not p.exact for p in pairs)


def _log(store: Store, since: int) -> list[tuple[str, str, str, dict]]:
    return [
        (t, r, op, json.loads(f))
        for t, r, op, f in store.conn.execute(
            "SELECT tbl, row_id, op, fields FROM change_log WHERE seq > ? ORDER BY seq", (since,)
        )
    ]


def test_merge_moves_every_linked_record_through_the_change_log(store: Store) -> None:
    org = store.organizations.create({"name_en": "TU Munich", "kind": "university"})
    org2 = store.organizations.create({"name_en": "Fraunhofer", "kind": "research_institute"})
    event = store.events.create({"name": "Summit", "starts_on": "2026-09-01"})
    keep = create_contact(
        store,
        {"native_name": "张伟", "country": "DE", "tags": ["AI"]},
        [{"kind": "email", "raw": "zw@example.org", "is_primary": True}],
    )
    other = create_contact(
        store,
        {"latin_name": "Zhang Wei", "title": "Professor", "tags": ["PhD"], "notes": "met in Munich"},
        [
            {"kind": "email", "raw": "ZW@example.org", "is_primary": True},
            {"kind": "phone", "raw": "+49 151 23456789", "is_primary": True},
        ],
    )
    third = store.contacts.create({"native_name": "李娜"})
    store.affiliations.create({"contact_id": keep.id, "org_id": org.id})
    store.affiliations.create({"contact_id": other.id, "org_id": org.id})
    store.affiliations.create({"contact_id": other.id, "org_id": org2.id})
    store.attendances.create({"event_id": event.id, "contact_id": other.id})
    case = create_case(
        store,
        {
            "title": "Work permit",
            "beneficiary_id": other.id,
            "category": "work_permit",
            "related_ids": [third.id],
        },
    )
    related = create_case(
        store,
        {"title": "Housing", "beneficiary_id": third.id, "category": "housing", "related_ids": [other.id]},
    )
    follow = store.followups.create(
        {"title": "Call back", "due_at": utcnow() + timedelta(days=1), "contact_id": other.id}
    )
    activity = log_activity(store, "call", "Talked about the move", contact_id=other.id)
    merged_earlier = store.contacts.create({"latin_name": "W. Zhang"})
    store.write("contacts", merged_earlier.id, "update", {"merged_into": other.id})
    seq = store.conn.execute("SELECT max(seq) FROM change_log").fetchone()[0]

    preview = preview_merge(store, keep.id, other.id, {"title": "other"})
    assert {f.name: f.value for f in preview.fields}["tags"] == ["AI", "PhD"]
    assert preview.moves["contact_points"] == 2 and preview.moves["cases"] == 2

    result = merge_contacts(store, keep.id, other.id, {"latin_name": "other"})
    assert result.moved == {
        "contact_points": 1,
        "affiliations": 1,
        "attendances": 1,
        "cases": 2,
        "followups": 1,
        "activities": 1,
    }
    assert result.dropped == {"contact_points": 1, "affiliations": 1}

    survivor = store.contacts.get(keep.id)
    assert (survivor.native_name, survivor.latin_name, survivor.title) == ("张伟", "Zhang Wei", "Professor")
    assert survivor.tags == ["AI", "PhD"] and survivor.notes == "met in Munich"
    gone = store.row("contacts", other.id)
    assert gone["deleted"] == 1 and gone["merged_into"] == keep.id
    assert store.row("contacts", merged_earlier.id)["merged_into"] == keep.id
    points = store.contact_points.list(where={"contact_id": keep.id}).items
    assert sorted(p.value for p in points) == ["+4915123456789", "zw@example.org"]
    assert sum(p.is_primary for p in points if p.kind == "email") == 1
    assert store.cases.get(case.id).beneficiary_id == keep.id
    assert store.cases.get(related.id).related_ids == [keep.id]
    assert store.followups.get(follow.id).contact_id == keep.id
    assert store.activities.get(activity.id).contact_id == keep.id
    assert store.attendances.count(where={"contact_id": keep.id}) == 1
    assert store.affiliations.count(where={"contact_id": keep.id}) == 2

    log = _log(store, seq)
    moved = {
        (t, r)
        for t, r, op, f in log
        if op == "update" and (f.get("contact_id") == keep.id or f.get("beneficiary_id") == keep.id)
    }
    assert (
        ("cases", case.id) in moved
        and ("followups", follow.id) in moved
        and ("activities", activity.id) in moved
    )
    assert ("contacts", other.id, "update", {"merged_into": keep.id}) in log
    assert ("contacts", other.id, "delete", {"deleted": 1}) in log
    assert any(t == "cases" and r == related.id and f == {"related_ids": [keep.id]} for t, r, _, f in log)
    # history kept under the old id, and the survivor's own edits recorded
    assert store.history("contacts", other.id)
    assert {h["field"] for h in store.history("contacts", keep.id)} >= {"latin_name", "title", "tags"}

    pytest.importorskip("liaison_tui.store.search")
    indexed = {r[0] for r in store.conn.execute("SELECT ref FROM search_doc WHERE kind = 'contact'")}
    assert keep.id in indexed and other.id not in indexed  # the merged-away record left the lookup index


def test_merge_refuses_nonsense(store: Store) -> None:
    a = store.contacts.create({"native_name": "张伟"})
    b = store.contacts.create({"native_name": "张伟"})
    with pytest.raises(LiaisonError):
        merge_contacts(store, a.id, a.id)
    with pytest.raises(LiaisonError):
        merge_contacts(store, a.id, b.id, {"title": "mine"})
    merge_contacts(store, a.id, b.id)
    with pytest.raises(LiaisonError) as caught:
        merge_contacts(store, a.id, b.id)
    assert caught.value.key == "people.err.merged"


def test_a_common_name_in_one_country_is_not_a_duplicate_on_its_own(store: Store) -> None:
    rare = [
        create_contact(store, {"latin_name": "Oliver Quarrington", "country": "GB"}, []) for _ in range(2)
    ]
    common = [create_contact(store, {"latin_name": "Oliver Evans", "country": "GB"}, []) for _ in range(5)]
    pairs = {(p.keep, p.other): p for p in find_duplicates(store)}
    assert (rare[0].id, rare[1].id) in pairs  # a rare name shared in one country is worth a look
    assert not {c.id for c in common} & {i for pair in pairs for i in pair}  # five Oliver Evanses: not
    # ... unless something else ties two of them together
    store.contact_points.create({"contact_id": common[0].id, "kind": "email", "raw": "oe@example.org"})
    store.contact_points.create({"contact_id": common[3].id, "kind": "email", "raw": "OE@example.org"})
    pairs = {(p.keep, p.other): p for p in find_duplicates(store)}
    assert {r.kind for r in pairs[(common[0].id, common[3].id)].reasons} == {"email"}


def test_two_chinese_names_in_reverse_order_are_not_the_same_name(store: Store) -> None:
    a = create_contact(store, {"native_name": "陈雨", "latin_name": "Chen Yu", "country": "US"}, [])
    b = create_contact(store, {"native_name": "于晨", "latin_name": "Yu Chen", "country": "US"}, [])
    c = create_contact(store, {"latin_name": "Yu Chen", "country": "US"}, [])  # may be 陈雨 on a form
    pairs = {(p.keep, p.other) for p in find_duplicates(store)}
    assert (a.id, b.id) not in pairs
    assert (a.id, c.id) in pairs


def test_the_demo_holds_a_realistic_handful_of_duplicates_and_the_scan_finds_them(store: Store) -> None:
    from liaison_tui.store.demo import DUPLICATE_RATE, generate

    generate(store, 3000, seed=5)
    pairs = find_duplicates(store)
    planted = 3000 * DUPLICATE_RATE
    assert planted / 3 <= len(pairs) <= planted * 3
    # each is tied by a contact point or by name and organization, never by a name and country alone
    assert all({r.kind for r in p.reasons} - {"name_country"} for p in pairs)
    emails = [r[0] for r in store.conn.execute("SELECT value FROM contact_points WHERE kind = 'email'")]
    assert len(emails) - len(set(emails)) <= planted  # only the planted duplicates share an email
