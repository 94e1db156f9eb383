"""Convergence that does not trust a laptop's memory: a laptop restored from a backup gets back its own
later work, a server restored from a backup gets it again from the laptops, and a laptop whose file was
edited behind the sync layer is repaired by the digest check. Real ``liaison serve`` processes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from liaison_tui.store import Store
from liaison_tui.store.crypto import connect_file

from .sync_support import Laptop, ServerProcess, laptop, server_snapshot, snapshot


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path / "server.db").start()
    yield proc
    proc.stop()


def backup(lap: Laptop, to: Path) -> Path:
    lap.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(lap.store.path, to)
    return to


def restore(lap: Laptop, backup_file: Path) -> Laptop:
    path = Path(lap.store.path)
    lap.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copy(backup_file, path)
    return Laptop(lap.name, Store.open(path, author=lap.name), lap.url, lap.token)


def assert_equal(server: ServerProcess, *laptops: Laptop) -> None:
    expected = server_snapshot(server)
    for lap in laptops:
        assert snapshot(lap.store.conn) == expected, lap.name
        assert lap.store.pending_changes() == 0, lap.name


def test_a_laptop_restored_from_a_backup_gets_back_its_own_later_work(
    tmp_path: Path, server: ServerProcess
) -> None:
    a, b = laptop(tmp_path, server, "a"), laptop(tmp_path, server, "b")
    x = a.store.contacts.create({"native_name": "备份前", "title": "Dr."})
    a.sync()
    saved = backup(a, tmp_path / "a-backup.db")
    a.store.contacts.update(x.id, {"title": "Prof."})
    y = a.store.contacts.create({"native_name": "备份后"})
    a.sync()
    b.sync()
    a = restore(a, saved)  # the disk died
    b.store.contacts.update(y.id, {"notes": "edited by b after a's disk died"})
    b.sync()
    report = a.sync()
    assert report.pulled > 0, "the restored laptop must receive its own later changes"
    assert a.store.contacts.get(x.id).title == "Prof."
    assert a.store.contacts.get(y.id).notes == "edited by b after a's disk died"
    b.sync()
    assert_equal(server, a, b)
    a.close()
    b.close()


def test_a_restored_laptop_with_new_work_keeps_it_and_gets_the_rest(
    tmp_path: Path, server: ServerProcess
) -> None:
    a = laptop(tmp_path, server, "a")
    x = a.store.contacts.create({"native_name": "甲"})
    a.sync()
    saved = backup(a, tmp_path / "a-backup.db")
    y = a.store.contacts.create({"native_name": "乙"})
    a.sync()
    a = restore(a, saved)
    a.store.contacts.update(x.id, {"notes": "written after the restore"})
    a.sync()
    assert a.store.contacts.get(y.id).native_name == "乙"
    assert server.query("SELECT notes FROM contacts WHERE id = ?", (x.id,)) == [
        ("written after the restore",)
    ]
    assert_equal(server, a)
    a.close()


def test_a_server_restored_from_an_old_backup_gets_the_lost_work_again(tmp_path: Path) -> None:
    db = tmp_path / "server.db"
    server = ServerProcess(db).start()
    try:
        a, b = laptop(tmp_path, server, "a"), laptop(tmp_path, server, "b")
        first = a.store.contacts.create({"native_name": "早"})
        a.sync()
        b.sync()
        server.stop()
        shutil.copy(db, tmp_path / "server-backup.db")
        server.start()
        late_a = a.store.contacts.create({"native_name": "晚甲"})
        a.sync()
        late_b = b.store.contacts.create({"native_name": "晚乙"})
        b.store.contacts.update(first.id, {"title": "edited by b"})
        b.sync()
        a.sync()
        server.stop()  # the server's disk dies; yesterday's backup comes back
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copy(tmp_path / "server-backup.db", db)
        server.start()
        assert server.query("SELECT count(*) FROM contacts WHERE id IN (?, ?)", (late_a.id, late_b.id)) == [
            (0,)
        ]
        c = laptop(tmp_path, server, "c")
        c.store.contacts.create({"native_name": "恢复后"})
        c.sync()
        for lap in (a, b, a, b, c):
            lap.sync()
        assert server.query("SELECT count(*) FROM contacts WHERE id IN (?, ?)", (late_a.id, late_b.id)) == [
            (2,)
        ]
        assert server.query("SELECT title FROM contacts WHERE id = ?", (first.id,)) == [("edited by b",)]
        assert_equal(server, a, b, c)
        for lap in (a, b, c):
            lap.close()
    finally:
        server.stop()


def test_a_store_edited_behind_the_sync_layer_is_repaired_by_the_digest(
    tmp_path: Path, server: ServerProcess
) -> None:
    a = laptop(tmp_path, server, "a")
    people = [a.store.contacts.create({"native_name": f"人{i}", "notes": "原始"}) for i in range(30)]
    phone = a.store.contact_points.create(
        {"contact_id": people[0].id, "kind": "phone", "raw": "+49 151 23456789"}
    )
    a.sync()
    a.store.contacts.update(people[1].id, {"title": "synced edit"})
    a.sync()
    conn = connect_file(a.store.path)
    conn.execute("UPDATE contacts SET notes = 'tampered' WHERE id = ?", (people[2].id,))
    conn.execute("DELETE FROM contact_points WHERE id = ?", (phone.id,))
    conn.execute("DELETE FROM field_clocks WHERE row_id = ?", (people[1].id,))
    conn.execute("DELETE FROM contacts WHERE id = ?", (people[3].id,))
    conn.close()
    report = a.sync(verify=True)
    assert report.verified and report.repaired >= 4, report
    assert a.store.contacts.get(people[2].id).notes == "原始"
    assert a.store.contact_points.get(phone.id).value == "+4915123456789"
    assert_equal(server, a)
    again = a.sync(verify=True)
    assert again.repaired == 0
    a.close()


def test_a_new_laptop_fills_from_records_whole_and_catches_up(tmp_path: Path, server: ServerProcess) -> None:
    from liaison_tui.store.demo import generate

    seed = laptop(tmp_path, server, "seed")
    seed.sync()
    generate(seed.store, 120, seed=5, index=False)
    seed.sync()
    fresh = laptop(tmp_path, server, "fresh")
    report = fresh.sync(pull_page=137)  # several pages
    assert report.entered > 0
    seed.sync()  # learns of the new laptop's staff member
    assert_equal(server, seed, fresh)
    from liaison_tui.store import search

    hits = search.search(fresh.store.conn, "zh", limit=5)
    assert hits, "the search index is built after the fill"
    seed.close()
    fresh.close()
