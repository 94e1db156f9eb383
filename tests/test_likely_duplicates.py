"""The people the data-quality report counts as likely duplicates, which the store keeps as contact points
and people change (db/0052): after every kind of write (random edits of every column the definition
reads, the app's forms, an import, a merge, an erasure, sync from another laptop) the kept set equals the
set computed here from all rows, and the report's figure follows it."""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest

from liaison_tui.domain.ids import new_id
from liaison_tui.importer import apply as apply_module
from liaison_tui.importer.apply import apply_import
from liaison_tui.importer.plan import ImportCancelled
from liaison_tui.store import Store, bulk_indexes, engine, likely_duplicates
from liaison_tui.store import reports as R
from liaison_tui.store.dedupe import dismiss_pair
from liaison_tui.store.erasure import erase_person
from liaison_tui.store.merge import merge_contacts
from liaison_tui.store.reports.model import Params
from liaison_tui.store.services import create_contact
from liaison_tui.tui.testing import FIXED_NOW

from .importing import import_bytes, plan_bytes, snapshot
from .sync_support import Laptop, ServerProcess, laptop

KINDS = ("email", "phone", "wechat")


def expected(conn: Any) -> set[str]:
    """Live people holding a live email, phone or WeChat value that another live person holds too."""
    gone = {r[0] for r in conn.execute("SELECT id FROM contacts WHERE deleted = 1")}
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for contact_id, kind, value, deleted in conn.execute(
        "SELECT contact_id, kind, value, deleted FROM contact_points"
    ):
        if not deleted and kind in KINDS and contact_id not in gone:
            holders[(kind, value)].add(contact_id)
    return set().union(*(h for h in holders.values() if len(h) > 1))


def kept(conn: Any) -> set[str]:
    return {r[0] for r in conn.execute("SELECT contact_id FROM likely_duplicates")}


def figure(store: Store, **params: Any) -> int:
    report = R.run(store.conn, "quality", Params(**params), now=FIXED_NOW)
    return int(
        next(r for r in report.section("problems").rows if r.cells["problem"] == "duplicates").cells["people"]
    )


def email(store: Store, name: str, address: str, **fields: Any) -> str:
    return create_contact(store, {"latin_name": name, **fields}, [{"kind": "email", "raw": address}]).id


def test_random_edits_of_points_and_people_keep_the_set_exact(store: Store) -> None:
    rng = random.Random(5)
    people = [store.contacts.create({"latin_name": f"Person {n}"}).id for n in range(10)]
    points: list[str] = []
    values = ["a", "b", "c", "d"]
    conn = store.conn

    def insert_point() -> None:
        pid = new_id()
        value = rng.choice(values)
        conn.execute(
            "INSERT INTO contact_points (id, contact_id, kind, raw, value, created_at, updated_at, created_hlc, "
            "hlc, deleted) VALUES (?, ?, ?, ?, ?, '2025-01-01', '2025-01-01', 'h', 'h', ?)",
            (pid, rng.choice(people), rng.choice([*KINDS, "url"]), value, value, rng.random() < 0.2),
        )
        points.append(pid)

    def edit_point() -> None:
        column, value = rng.choice(
            [
                ("value", rng.choice(values)),
                ("kind", rng.choice([*KINDS, "url"])),
                ("deleted", rng.choice([0, 1])),
                ("contact_id", rng.choice(people)),
            ]
        )
        conn.execute(f"UPDATE contact_points SET {column} = ? WHERE id = ?", (value, rng.choice(points)))

    def remove_point() -> None:
        pid = points.pop(rng.randrange(len(points)))
        conn.execute("DELETE FROM contact_points WHERE id = ?", (pid,))

    def toggle_person() -> None:
        conn.execute("UPDATE contacts SET deleted = 1 - deleted WHERE id = ?", (rng.choice(people),))

    def rename_person() -> None:  # a write to a person that leaves `deleted` alone changes nothing
        conn.execute(
            "UPDATE contacts SET city = ?, deleted = deleted WHERE id = ?", ("Jinan", rng.choice(people))
        )

    steps = [insert_point, edit_point, remove_point, toggle_person, rename_person]
    seen = set()
    for _ in range(600):
        step = insert_point if len(points) < 3 else rng.choices(steps, [3, 5, 1, 1, 1])[0]
        step()
        assert kept(conn) == expected(conn), step.__name__
        seen.add(len(kept(conn)))
    assert len(seen) > 5  # the set grew and shrank through many sizes


def test_app_edits_merge_and_erasure(store: Store) -> None:
    staff = store.staff.create({"username": "li.na", "display_name": "李娜"}).id
    a = email(store, "Ada One", "ada@example.org", owner_id=staff)
    b = email(store, "Ada Two", "ADA@example.org")  # the same address once normalised
    c = create_contact(store, {"latin_name": "Cy"}, [{"kind": "wechat", "raw": "cy_2024"}]).id
    d = create_contact(store, {"latin_name": "Di"}, [{"kind": "wechat", "raw": "cy_2024"}]).id
    email(store, "Solo", "solo@example.org")
    assert kept(store.conn) == expected(store.conn) == {a, b, c, d}
    assert figure(store) == 4 and figure(store, owner=staff) == 1
    b_point = store.contact_points.list(where={"contact_id": b}).items[0].id
    store.contact_points.update(b_point, {"raw": "ada.two@example.org"})
    assert kept(store.conn) == expected(store.conn) == {c, d}
    store.contact_points.update(b_point, {"raw": "ada@example.org"})
    assert figure(store) == 4
    dismiss_pair(store, a, b)
    assert figure(store) == 2 and kept(store.conn) == {a, b, c, d}  # the report leaves dismissed pairs out
    merge_contacts(store, a, b)  # b's equal address is dropped, b tombstoned: a shares nothing now
    assert kept(store.conn) == expected(store.conn) == {c, d}
    erase_person(store, c, "asked to be forgotten")
    assert kept(store.conn) == expected(store.conn) == set()
    assert figure(store) == 0
    store.contact_points.delete(store.contact_points.list(where={"contact_id": d}).items[0].id)
    assert kept(store.conn) == expected(store.conn) == set()


def test_an_import_that_gives_a_person_someone_elses_phone(store: Store) -> None:
    ada = email(store, "Ada", "ada@example.org")
    bo = create_contact(store, {"latin_name": "Bo"}, [{"kind": "phone", "raw": "+65 8123 4567"}]).id
    assert figure(store) == 0
    # the row is Ada (her address); the phone it adds to her is Bo's
    import_bytes(store, b"Latin name,Email,Phone\nAda,ada@example.org,+65 8123 4567\n", "a.csv")
    assert kept(store.conn) == expected(store.conn) == {ada, bo}
    assert figure(store) == 2


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("server") / "server.db").start()
    yield proc
    proc.stop()


def test_a_duplicate_made_on_another_laptop_arrives_by_sync(server: ServerProcess, tmp_path: Path) -> None:
    a, b = laptop(tmp_path, server, "a"), laptop(tmp_path, server, "b")
    try:
        mine = email(a.store, "Ada", "ada@example.org")
        theirs = email(b.store, "Ada L.", "ada@example.org")

        def converge(*laptops: Laptop) -> None:
            for _ in range(2):
                for lap in laptops:
                    lap.sync()

        converge(a, b)
        for lap in (a, b):
            assert kept(lap.store.conn) == expected(lap.store.conn) == {mine, theirs}
            assert figure(lap.store) == 2
        b.store.contacts.delete(theirs)
        converge(a, b)
        for lap in (a, b):
            assert kept(lap.store.conn) == expected(lap.store.conn) == set()
            assert figure(lap.store) == 0
    finally:
        a.close()
        b.close()


# ---------------------------------------------------------------- bulk inserts (store/likely_duplicates.py)


def triggers(conn: Any) -> dict[str, str]:
    return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))


def schema(conn: Any) -> dict[str, str]:
    """Every table, index and trigger, by name, with its SQL."""
    return dict(conn.execute("SELECT name, coalesce(sql, '') FROM sqlite_master"))


def index_count(conn: Any) -> int:
    return int(conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'index'").fetchone()[0])


@pytest.fixture(params=["indexes kept up", "indexes built after"])
def bulk_load(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Both ways an import writes: indexes kept up row by row, or (as for a file that more than doubles
    the store) set aside and built once at the end, which these small files reach with the threshold at 1."""
    if request.param == "indexes built after":
        monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 1)
        return True
    return False


def table_rows(conn: Any) -> list[tuple[str, ...]]:
    return conn.execute("SELECT * FROM likely_duplicates ORDER BY contact_id").fetchall()


def test_points_inserted_with_the_trigger_deferred_give_the_set_the_trigger_gives(tmp_path: Path) -> None:
    """The same random writes, on two stores: one with every step under the trigger, one with the insert
    trigger deferred for the whole run (inserts, but also edits, removals and people deleted meanwhile)."""
    stores = [Store.open(tmp_path / f"{name}.db", author="tester") for name in ("trigger", "deferred")]
    try:
        ends = []
        for deferring, store in zip((False, True), stores, strict=True):
            rng = random.Random(11)
            people = [store.contacts.create({"latin_name": f"Person {n}"}).id for n in range(12)]
            conn = store.conn
            points: list[str] = []
            with store.transaction(), likely_duplicates.deferred(conn) if deferring else nullcontext():
                if deferring:
                    assert "likely_duplicates_point_in" not in triggers(conn)
                for step in range(400):
                    roll = rng.random()
                    if roll < 0.6 or len(points) < 3:
                        pid = f"p{step}"
                        value = rng.choice("abcdefgh")
                        conn.execute(
                            "INSERT INTO contact_points (id, contact_id, kind, raw, value, created_at, "
                            "updated_at, created_hlc, hlc, deleted) VALUES (?, ?, ?, ?, ?, 'x', 'x', 'h', "
                            "'h', ?)",
                            (
                                pid,
                                rng.choice(people),
                                rng.choice([*KINDS, "url"]),
                                value,
                                value,
                                rng.random() < 0.1,
                            ),
                        )
                        points.append(pid)
                    elif roll < 0.8:
                        conn.execute(
                            "UPDATE contact_points SET value = ? WHERE id = ?",
                            (rng.choice("abcdefgh"), rng.choice(points)),
                        )
                    elif roll < 0.9:
                        conn.execute(
                            "DELETE FROM contact_points WHERE id = ?",
                            (points.pop(rng.randrange(len(points))),),
                        )
                    else:
                        conn.execute(
                            "UPDATE contacts SET deleted = 1 - deleted WHERE id = ?",
                            (rng.choice(people),),
                        )
            assert kept(conn) == expected(conn)
            ends.append({people.index(c) for c in kept(conn)})
        assert ends[0] == ends[1] and len(ends[0]) > 3
        assert triggers(stores[0].conn) == triggers(stores[1].conn)
    finally:
        for store in stores:
            store.close()


def _copy_row_by_row(source: Store, target: Store) -> None:
    """The organizations, people and points of ``source`` written into ``target`` one row at a time, in
    the order they were written there, each under the triggers."""
    with target.transaction() as conn:
        for table in ("organizations", "contacts", "contact_points"):
            cursor = source.conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
            columns = [c[0] for c in cursor.description]
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            for row in cursor.fetchall():
                conn.execute(insert, row)


def test_an_import_keeps_the_table_as_writing_its_points_one_by_one_would(
    tmp_path: Path, bulk_load: bool
) -> None:
    store = Store.open(tmp_path / "import.db", author="tester")
    try:
        people = [
            create_contact(
                store,
                {"latin_name": f"Person {n}"},
                [
                    {"kind": "email", "raw": f"p{n}@example.org"},
                    {"kind": "phone", "raw": f"+65 8123 {n:04d}"},
                ],
            ).id
            for n in range(20)
        ]
        gone = create_contact(store, {"latin_name": "Cy"}, [{"kind": "wechat", "raw": "cy_2024"}]).id
        store.contacts.delete(gone)
        lines = [
            "Latin name,Email,Phone,WeChat",
            # each of the first ten rows is one person and carries the next one's phone
            *(f"Person {n},p{n}@example.org,+65 8123 {n + 1:04d}," for n in range(10)),
            "Eve,eve@example.org,,cy_2024",  # a value only a deleted person holds: nobody
            *(f"New {n},new{n}@example.org,+65 9123 {n:04d},wx_new_{n}" for n in range(30)),
        ]
        data = "\n".join(lines).encode()
        plan = plan_bytes(store, data, "people.csv")
        while_written: list[int] = []

        def progress(phase: str, done: int, total: int) -> None:
            if phase == "write" and done < total:
                while_written.append(index_count(store.conn))

        indexes = index_count(store.conn)
        apply_import(store, plan, progress=progress)
        assert while_written and (max(while_written) < indexes) == bulk_load
        assert set(people[:11]) <= kept(store.conn)
        assert gone not in kept(store.conn)
        assert kept(store.conn) == expected(store.conn)
        fresh = Store.open(tmp_path / "fresh.db", author="tester")
        assert schema(store.conn) == schema(fresh.conn)  # every index and the trigger back, as migrated
        fresh.close()
        replay = Store.open(tmp_path / "replay.db", author="tester")
        try:
            _copy_row_by_row(store, replay)
            assert table_rows(replay.conn) == table_rows(store.conn)
        finally:
            replay.close()
        # the trigger is back: a point written afterwards is counted at once
        fay = email(store, "Fay", "new7@example.org")
        assert fay in kept(store.conn) and kept(store.conn) == expected(store.conn)
    finally:
        store.close()


def test_a_failed_bulk_insert_of_points_leaves_trigger_and_table_as_they_were(store: Store) -> None:
    ada = email(store, "Ada", "ada@example.org")
    bo = email(store, "Bo", "ada@example.org")
    before = (triggers(store.conn), table_rows(store.conn), snapshot(store))
    rows = [
        {"id": new_id(), "contact_id": ada, "kind": "phone", "raw": "+65 8123 4567", "value": "+6581234567"},
        {
            "id": new_id(),
            "contact_id": "nobody",
            "kind": "phone",
            "raw": "+65 8123 4567",
            "value": "+6581234567",
        },
    ]
    with pytest.raises(engine.IntegrityError):  # the second point's person does not exist
        store.bulk_insert("contact_points", rows)
    assert (triggers(store.conn), table_rows(store.conn), snapshot(store)) == before
    assert kept(store.conn) == {ada, bo}


def test_an_error_inside_a_deferred_block_still_leaves_the_table_exact(store: Store) -> None:
    """A caller that catches the error and commits the rest gets the trigger and an exact table."""
    ada = email(store, "Ada", "ada@example.org")
    bo = store.contacts.create({"latin_name": "Bo"}).id
    with store.transaction() as conn, pytest.raises(ValueError), likely_duplicates.deferred(conn):
        store.bulk_insert(
            "contact_points",
            [
                {
                    "id": new_id(),
                    "contact_id": bo,
                    "kind": "email",
                    "raw": "ada@example.org",
                    "value": "ada@example.org",
                }
            ],
        )
        raise ValueError("something else went wrong")
    assert "likely_duplicates_point_in" in triggers(store.conn)
    assert kept(store.conn) == expected(store.conn) == {ada, bo}


def test_a_rejected_import_leaves_trigger_and_table_as_they_were(store: Store) -> None:
    """Cancelled once its contacts and points are written (the trigger was off for those): rolled back."""
    ada = email(store, "Ada", "ada@example.org")
    email(store, "Bo", "bo@example.org")
    before = (schema(store.conn), table_rows(store.conn), snapshot(store))
    data = b"Latin name,Email,Phone\nBo Two,bo@example.org,+65 8123 4567\nNew,new@example.org,+65 8123 4567\n"
    plan = plan_bytes(store, data, "a.csv")
    stop = threading.Event()

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "write" and done == total:
            stop.set()

    with pytest.raises(ImportCancelled):
        apply_import(store, plan, progress=progress, cancel=stop.is_set)
    assert (schema(store.conn), table_rows(store.conn), snapshot(store)) == before
    assert kept(store.conn) == set() and ada


def test_an_import_cancelled_with_its_indexes_set_aside_leaves_the_store_as_it_was(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelled between two batches of new contacts, while the tables' indexes are set aside: every index,
    the trigger, the table and the file's bytes are as before."""
    email(store, "Ada", "ada@example.org")
    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 1)
    monkeypatch.setattr(apply_module, "_BATCH", 3)
    before = (schema(store.conn), table_rows(store.conn), snapshot(store))
    lines = ["Latin name,Email,Phone", *(f"New {n},new{n}@example.org,+65 9123 {n:04d}" for n in range(8))]
    plan = plan_bytes(store, "\n".join(lines).encode(), "people.csv")
    stop = threading.Event()
    indexes, while_written = index_count(store.conn), []

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "write":
            while_written.append(index_count(store.conn))
            stop.set()  # seen at the start of the next batch

    with pytest.raises(ImportCancelled):
        apply_import(store, plan, progress=progress, cancel=stop.is_set)
    # set aside: the contacts' eight secondary indexes, the change log's three, three of the points' four
    assert while_written == [indexes - 14]
    assert (schema(store.conn), table_rows(store.conn), snapshot(store)) == before


def test_indexes_are_set_aside_only_for_a_table_the_load_at_least_doubles(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 1)
    for n in range(3):
        email(store, f"P{n}", f"p{n}@example.org")
    indexes = index_count(store.conn)
    with pytest.raises(ImportCancelled), store.transaction() as conn:
        assert bulk_indexes.set_aside(conn, {"contacts": 2}, frozenset()) == []
        dropped = bulk_indexes.set_aside(conn, {"contacts": 3}, frozenset({"contacts_org"}))
        assert len(dropped) == 7 and all(" ON contacts(" in sql for sql in dropped)
        assert index_count(conn) == indexes - 7
        raise ImportCancelled()
    assert index_count(store.conn) == indexes
