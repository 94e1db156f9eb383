"""The single write path: atomic, and every field written leaves a change-log entry and history."""

from __future__ import annotations

import json

import pytest

from liaison_tui.domain import LiaisonError, NotFound, ValidationFailed
from liaison_tui.domain.hlc import Stamp
from liaison_tui.store import Store
from liaison_tui.store.services import create_contact


def _log(store: Store) -> list[dict]:
    cur = store.conn.execute(
        "SELECT seq, tbl, row_id, op, fields, base, hlc, device_id FROM change_log ORDER BY seq"
    )
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def test_create_logs_every_field(store: Store) -> None:
    contact = store.contacts.create(
        {"native_name": "张伟", "latin_name": "Zhang Wei", "country": "DE", "tags": ["PhD"]}
    )
    (entry,) = _log(store)
    assert entry["op"] == "create" and entry["row_id"] == contact.id and entry["tbl"] == "contacts"
    fields = json.loads(entry["fields"])
    assert set(fields) == set(type(contact).model_fields) - {"id"}
    assert fields["native_name"] == "张伟" and fields["tags"] == ["PhD"]
    assert entry["device_id"] == store.device_id
    assert Stamp.decode(entry["hlc"]).device == store.device_id


def test_update_logs_exactly_the_changed_fields_with_their_base(store: Store) -> None:
    contact = store.contacts.create({"native_name": "张伟", "country": "DE"})
    store.contacts.update(contact.id, {"stage": "contacted", "notes": "Met in Munich", "country": "DE"})
    create, update = _log(store)
    assert update["op"] == "update"
    assert json.loads(update["fields"]) == {"stage": "contacted", "notes": "Met in Munich"}
    assert json.loads(update["base"]) == {"stage": create["hlc"], "notes": create["hlc"]}
    assert update["hlc"] > create["hlc"]
    history = {h["field"]: h for h in store.history("contacts", contact.id)}
    assert history["stage"]["old_value"] == "lead" and history["stage"]["new_value"] == "contacted"
    assert history["notes"]["author"] == "tester"
    clocks = dict(store.conn.execute("SELECT field, hlc FROM field_clocks WHERE row_id = ?", (contact.id,)))
    assert clocks == {"stage": update["hlc"], "notes": update["hlc"]}


def test_an_update_that_changes_nothing_writes_nothing(store: Store) -> None:
    contact = store.contacts.create({"native_name": "张伟"})
    store.contacts.update(contact.id, {"native_name": "张伟"})
    assert len(_log(store)) == 1


def test_delete_is_a_tombstone_that_syncs_and_can_be_undone(store: Store) -> None:
    contact = store.contacts.create({"native_name": "张伟"})
    store.contacts.delete(contact.id)
    with pytest.raises(NotFound):
        store.contacts.get(contact.id)
    assert store.contacts.count() == 0
    assert store.row("contacts", contact.id)["deleted"] == 1
    store.contacts.undelete(contact.id)
    assert store.contacts.get(contact.id).native_name == "张伟"
    ops = [(e["op"], json.loads(e["fields"])) for e in _log(store)][1:]
    assert ops == [("delete", {"deleted": 1}), ("undelete", {"deleted": 0})]


def test_a_write_failing_half_way_leaves_nothing_behind(store: Store) -> None:
    before = {
        t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("contacts", "contact_points", "change_log", "history")
    }
    with pytest.raises(ValidationFailed) as caught:
        create_contact(
            store,
            {"native_name": "张伟"},
            [{"kind": "email", "raw": "zw@example.org"}, {"kind": "phone", "raw": "not a phone"}],
        )
    assert caught.value.fields == {"phone"}  # reported on the kind the staff member typed
    after = {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
    assert after == before
    # and the store still works afterwards
    create_contact(store, {"native_name": "张伟"}, [{"kind": "phone", "raw": "+86 138 0532 1234"}])
    assert store.contacts.count() == 1


def test_an_exception_inside_a_transaction_rolls_back_everything(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.contacts.create({"native_name": "甲"})
        store.organizations.create({"name_zh": "乙公司"})
        raise RuntimeError("power cut")
    assert store.contacts.count() == 0 and store.organizations.count() == 0
    assert store.pending_changes() == 0


def test_phone_in_national_format_uses_the_contacts_country(store: Store) -> None:
    contact = create_contact(
        store, {"latin_name": "Jürgen Müller", "country": "DE"}, [{"kind": "phone", "raw": "0151 2345 6789"}]
    )
    point = store.contact_points.list(where={"contact_id": contact.id}).items[0]
    assert point.value == "+4915123456789"
    assert point.raw == "0151 2345 6789"


def test_read_only_fields_cannot_be_edited(store: Store) -> None:
    contact = store.contacts.create({"native_name": "张伟"})
    with pytest.raises(ValidationFailed):
        store.contacts.update(contact.id, {"id": "other"})


def test_unknown_ids_are_reported_in_the_users_language(store: Store) -> None:
    with pytest.raises(NotFound) as caught:
        store.cases.get("nope")
    assert "服务事项" in caught.value.message("zh")


def test_bad_filters_are_refused(store: Store) -> None:
    with pytest.raises(LiaisonError):
        store.contacts.list(where={"1=1; DROP TABLE contacts; --": 1})


def test_case_numbers_are_unique_per_device_and_readable(store: Store) -> None:
    numbers = [store.next_case_number(2026) for _ in range(3)]
    assert numbers == [f"QD-2026-{store.device_code}-{n:04d}" for n in (1, 2, 3)]
    assert not set(store.device_code) & set("0O1IL")


def test_clock_survives_reopen(tmp_path) -> None:
    path = tmp_path / "c.db"
    first = Store.open(path)
    first.contacts.create({"native_name": "张伟"})
    last = first.clock.last
    device = first.device_id
    first.close()
    again = Store.open(path)
    assert again.device_id == device
    assert again.clock.now() > last
    again.close()
