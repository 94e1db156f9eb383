"""What an import writes goes through the store's own paths: new records (also a new phone of an existing
contact) through the bulk path with their change-log rows, filled fields through the repository with
history; lookup finds all of it, and sync would send all of it."""

from __future__ import annotations

import json

import pytest

from liaison_tui.importer.apply import apply_import
from liaison_tui.importer.mapping import Mapping
from liaison_tui.importer.plan import plan_import
from liaison_tui.importer.readers import read_bytes
from liaison_tui.store import Store, search
from liaison_tui.store.services import create_contact

from .importing import import_bytes, plan_bytes


def _changes(store: Store, table: str, row_id: str) -> list[tuple[str, dict]]:
    return [
        (op, json.loads(fields))
        for op, fields in store.conn.execute(
            "SELECT op, fields FROM change_log WHERE tbl = ? AND row_id = ? ORDER BY seq", (table, row_id)
        )
    ]


def test_an_update_adds_points_through_the_bulk_path_and_fills_through_the_repository(store: Store) -> None:
    known = create_contact(store, {"native_name": "王测试"}, [{"kind": "email", "raw": "wang@example.org"}])
    data = "姓名,邮箱,手机,现居国家,职务\n王测试,WANG@example.org,0151 2345 6789,德国,教授\n".encode()
    _plan, result = import_bytes(store, data, "update.csv")
    assert result.counts["update"] == 1 and result.updated == [known.id]

    phone = store.conn.execute(
        "SELECT id, raw, value, is_primary FROM contact_points WHERE contact_id = ? AND kind = 'phone'",
        (known.id,),
    ).fetchone()
    assert phone[1:] == ("0151 2345 6789", "+4915123456789", 1)  # read in the row's country
    assert _changes(store, "contact_points", phone[0]) == [
        (
            "create",
            {
                "contact_id": known.id,
                "is_primary": True,
                "kind": "phone",
                "label": None,
                "raw": "0151 2345 6789",
                "value": "+4915123456789",
            },
        )
    ]
    contact = store.row("contacts", known.id)
    assert contact["title"] == "教授" and contact["country"] == "DE"
    filled = {row["field"] for row in store.history("contacts", known.id)}
    assert {"title", "country"} <= filled  # history written by the write path
    assert [h.id for h in search.search(store.conn, "+49 151 2345")] == [known.id]
    batch = store.conn.execute("SELECT first_seq, last_seq FROM import_batches").fetchone()
    logged = store.conn.execute(
        "SELECT count(*) FROM change_log WHERE seq BETWEEN ? AND ?", batch
    ).fetchone()[0]
    assert logged == 2  # the contact's update and its new phone


def test_new_contacts_come_with_change_log_rows_and_are_found(store: Store) -> None:
    data = "姓名,英文名,手机,现任单位\n李测试,Li Ceshi,+86 138 0000 1234,青岛测试大学\n".encode()
    _plan, result = import_bytes(store, data, "new.csv")
    (cid,) = result.created
    assert [op for op, _ in _changes(store, "contacts", cid)] == ["create"]
    org_id = store.row("contacts", cid)["org_id"]
    assert _changes(store, "organizations", org_id)[0][1]["name_zh"] == "青岛测试大学"
    assert [h.id for h in search.search(store.conn, "lcs", types="contact")] == [cid]
    assert [h.id for h in search.search(store.conn, "13800001234")] == [cid]


def test_a_new_phone_alone_is_indexed(store: Store) -> None:
    known = create_contact(store, {"native_name": "赵测试"}, [{"kind": "email", "raw": "zhao@example.org"}])
    _plan, result = import_bytes(
        store, "姓名,邮箱,手机\n赵测试,zhao@example.org,+65 8123 4567\n".encode(), "p.csv"
    )
    assert result.rows[0].fills == ["+phone"]
    assert [h.id for h in search.search(store.conn, "8123 4567")] == [known.id]


@pytest.mark.parametrize("writer", ["same connection", "another connection"])
def test_a_contact_added_between_preview_and_apply_is_updated_not_duplicated(
    store: Store, writer: str
) -> None:
    data = "姓名,邮箱,职务\n钱测试,qian@example.org,研究员\n".encode()
    plan = plan_bytes(store, data, "later.csv")
    assert plan.rows[0].action == "create"
    if writer == "same connection":
        create_contact(store, {"native_name": "钱测试"}, [{"kind": "email", "raw": "qian@example.org"}])
    else:
        with Store.open(store.path, author="other") as other:
            create_contact(other, {"native_name": "钱测试"}, [{"kind": "email", "raw": "qian@example.org"}])
    result = apply_import(store, plan)
    assert result.counts["create"] == 0 and result.counts["update"] == 1
    assert store.contacts.count() == 1


def test_new_contacts_that_look_like_others_are_marked_suspect(store: Store) -> None:
    """Same name key with the same organization or country, against earlier rows (a group of rows with
    what it has combined) and stored contacts; a name alone is not enough."""
    li = create_contact(
        store, {"native_name": "李娜", "country": "DE"}, [{"kind": "email", "raw": "li@example.org"}]
    )
    data = (
        "姓名,邮箱,现任单位,现居国家\n"
        "张伟,a@example.org,清华大学,德国\n"
        "章伟,b@example.org,清华大学,德国\n"  # 3: the same pinyin at the same university as row 2
        "王芳,c@example.org,,德国\n"
        "王芳,c2@example.org,,法国\n"  # 5: the same name elsewhere: no
        "李娜,d@example.org,,德国\n"  # 6: like the stored 李娜
        "赵敏,e@example.org,,日本\n"
        "赵敏,e@example.org,北京大学,日本\n"  # 8: row 7 again, which gives row 7 its university
        "赵敏,f@example.org,北京大学,法国\n"  # 9: like rows 7 and 8 combined (not like row 7 alone)
    ).encode()
    table = read_bytes(data, "people.csv")
    plan = plan_import(store, table, Mapping.guess("people", table.headers))
    suspects = {r.number: r.suspects for r in plan.rows if r.suspects}
    assert suspects == {3: ["row:2"], 6: [f"contact:{li.id}"], 9: ["row:7"]}
    assert plan.counts["suspect"] == 3
