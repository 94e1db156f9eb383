"""PIPL: everything about one person (JSON + readable report), and erasure that keeps case statistics."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from liaison_tui.domain.values import utcnow
from liaison_tui.importer.person_report import write_person_export
from liaison_tui.store import Store
from liaison_tui.store.erasure import erase_person
from liaison_tui.store.merge import merge_contacts
from liaison_tui.store.person import person_record
from liaison_tui.store.services import change_case_status, create_case, create_contact, log_activity

from .conftest import dump_text


def _person(store: Store) -> tuple[str, str, str]:
    org = store.organizations.create({"name_en": "TU Munich"})
    p = create_contact(
        store,
        {
            "native_name": "欧阳娜娜",
            "latin_name": "Nana Ouyang",
            "country": "DE",
            "org_id": org.id,
            "notes": "Prefers WeChat",
        },
        [
            {"kind": "email", "raw": "nana.ouyang@example.org"},
            {"kind": "phone", "raw": "+49 151 98765432"},
            {"kind": "wechat", "raw": "nana_ouyang"},
        ],
    )
    store.contacts.update(p.id, {"title": "Postdoc", "notes": "Prefers WeChat; spouse Li"})
    dup = create_contact(store, {"latin_name": "Nana Ouyang"}, [{"kind": "email", "raw": "nana@example.net"}])
    merge_contacts(store, p.id, dup.id)
    case = create_case(
        store,
        {
            "title": "Work permit for Nana Ouyang",
            "beneficiary_id": p.id,
            "category": "work_permit",
            "description": "Passport E1234567",
        },
    )
    change_case_status(store, case.id, "triaged")
    store.followups.create({"title": "Call Nana", "due_at": utcnow() + timedelta(days=2), "contact_id": p.id})
    log_activity(store, "call", "Nana asked about housing", contact_id=p.id)
    return p.id, dup.id, case.id


def test_person_export_holds_everything(store: Store, tmp_path: Path) -> None:
    pid, dup, case_id = _person(store)
    record = person_record(store, pid)
    assert {c["id"] for c in record["contacts"]} == {pid, dup}
    assert {p["value"] for p in record["contact_points"]} >= {
        "nana.ouyang@example.org",
        "nana@example.net",
        "+4915198765432",
        "nana_ouyang",
    }
    assert [c["id"] for c in record["cases"]] == [case_id]
    assert record["followups"] and record["activities"] and record["organizations"]
    assert any(h["field"] == "title" and h["new_value"] == "Postdoc" for h in record["history"])
    json_path, md_path = write_person_export(store, pid, tmp_path / "out", lang="zh")
    assert json.loads(json_path.read_text(encoding="utf-8"))["contact_id"] == pid
    report = md_path.read_text(encoding="utf-8")
    assert "关于 欧阳娜娜 Nana Ouyang 的个人信息" in report and "修改记录" in report and "服务事项" in report
    english = write_person_export(store, pid, tmp_path / "en", lang="en")[1].read_text(encoding="utf-8")
    assert "Personal data held about" in english and "Change history" in english


def test_erase_removes_personal_data_keeps_case_statistics_and_syncs(store: Store) -> None:
    pid, dup, case_id = _person(store)
    seq = store.conn.execute("SELECT max(seq) FROM change_log").fetchone()[0]
    result = erase_person(store, pid, "asked by email to be forgotten")
    assert set(result.contact_ids) == {pid, dup}

    row = store.row("contacts", pid)
    assert row["deleted"] == 1 and row["native_name"] is None and row["latin_name"] == "[erased]"
    assert row["notes"] is None and row["org_id"] is None and row["country"] == "DE"
    case = store.row("cases", case_id)
    assert (case["category"], case["status"], case["deleted"]) == ("work_permit", "triaged", 0)
    assert case["opened_at"] and case["description"] is None and case["title"] == "[erased]"
    assert (
        store.conn.execute(
            "SELECT count(*) FROM contact_points WHERE contact_id IN (?, ?) AND deleted = 0", (pid, dup)
        ).fetchone()[0]
        == 0
    )

    # one record in the change log says it all (every replica applies it the same way)
    ops = store.conn.execute("SELECT tbl, op FROM change_log WHERE seq > ?", (seq,)).fetchall()
    assert ops == [("erasures", "create")]
    assert store.conn.execute("SELECT count(*) FROM history WHERE row_id = ?", (pid,)).fetchone()[0] == 0

    # no trace of the personal values left in the file's tables, history and change log included
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    dump = dump_text(store.conn)
    for secret in (
        "欧阳娜娜",
        "Nana Ouyang",
        "nana.ouyang@example.org",
        "4915198765432",
        "nana_ouyang",
        "spouse Li",
        "E1234567",
        "Postdoc",
        "nana@example.net",
    ):
        assert secret not in dump, secret
