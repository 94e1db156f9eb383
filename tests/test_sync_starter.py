"""A new whole-station laptop starts from the server's starter store (every record with its search index,
ready) and catches up from there; a laptop with work of its own, a damaged starter or an erasure send it
the ordinary way. Real ``liaison serve`` process, real files, synthetic people."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from liaison_tui.domain.kits import KitSpec
from liaison_tui.domain.sync_protocol import (
    HEADER_DEVICE,
    HEADER_PROTOCOL,
    HEADER_SCHEMA,
    PROTOCOL,
    schema_fingerprint,
)
from liaison_tui.server.starters import Starters
from liaison_tui.store import Store, search
from liaison_tui.store.erasure import erase_person
from liaison_tui.store.hub import Hub
from liaison_tui.store.services import create_case, create_contact

from .sync_support import Laptop, ServerProcess, laptop, server_snapshot, snapshot, wait_until


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path / "server.db").start()
    yield proc
    proc.stop()


def build_starter(server: ServerProcess) -> Path:
    """What ``liaison serve admin build-starter`` does, on the running service's file."""
    store = Store.open(server.db, author="admin", index=False)
    try:
        starters = Starters(Hub(store).store)
        assert starters.build_now() is not None
        return starters.path
    finally:
        store.close()


def station(store: Store) -> dict[str, str]:
    people = {
        "zhang": create_contact(
            store,
            {"native_name": "张伟明", "latin_name": "Zhang Weiming", "country": "DE"},
            [{"kind": "phone", "raw": "+49 151 2345 6789"}, {"kind": "email", "raw": "wm.zhang@example.org"}],
        ).id,
        "mueller": create_contact(store, {"latin_name": "Jonas Müller", "country": "DE"}, []).id,
        "sato": create_contact(store, {"latin_name": "Hana Sato", "country": "JP"}, []).id,
    }
    create_case(store, {"title": "Housing", "beneficiary_id": people["zhang"], "category": "housing"})
    return people


def station_on(tmp_path: Path, server: ServerProcess) -> tuple[Laptop, dict[str, str]]:
    """Laptop "a" with the station's people, synced to ``server``."""
    a = laptop(tmp_path, server, "a")
    people = station(a.store)
    a.sync()
    return a, people


def test_a_new_laptop_starts_from_the_starter_and_catches_up(tmp_path: Path, server: ServerProcess) -> None:
    a, people = station_on(tmp_path, server)
    starter_file = build_starter(server)
    assert starter_file.exists()
    a.store.contacts.update(people["sato"], {"title": "Professor"})  # after the starter: pulled on top
    a.sync()

    b = laptop(tmp_path, server, "b")
    device = b.store.device_id
    report = b.sync()
    assert report.started_from
    assert not Path(f"{b.store.path}.starter").exists()
    assert snapshot(b.store.conn) == server_snapshot(server)
    assert b.store.contacts.get(people["sato"]).title == "Professor"
    assert b.store.device_id == device  # its own identity, not the builder's
    found = {hit.id for hit in search.search(b.store.conn, "zwm", limit=10)}
    assert people["zhang"] in found
    assert people["zhang"] in {hit.id for hit in search.search(b.store.conn, "2345 67", limit=10)}

    b.store.contacts.update(people["mueller"], {"title": "Engineer"})  # it works on from there
    assert b.sync().pushed == 1
    a.sync()
    assert a.store.contacts.get(people["mueller"]).title == "Engineer"
    assert b.store.contacts.get(b.store.contacts.create({"latin_name": "New Person"}).id) is not None
    a.close()
    b.close()


def test_a_laptop_with_records_of_its_own_fills_the_ordinary_way(
    tmp_path: Path, server: ServerProcess
) -> None:
    a, _ = station_on(tmp_path, server)
    build_starter(server)
    c = laptop(tmp_path, server, "c")
    mine = c.store.contacts.create({"latin_name": "Written Offline First"}).id
    report = c.sync()
    assert not report.started_from
    assert c.store.pending_changes() == 0
    assert snapshot(c.store.conn) == server_snapshot(server)
    assert server.query("SELECT latin_name FROM contacts WHERE id = ?", (mine,)) == [
        ("Written Offline First",)
    ]
    a.close()
    c.close()


def test_a_damaged_starter_is_not_used(tmp_path: Path, server: ServerProcess) -> None:
    a, _ = station_on(tmp_path, server)
    path = build_starter(server)
    with open(path, "r+b") as f:  # same size, other bytes: the checksum no longer matches
        f.seek(path.stat().st_size // 2)
        f.write(b"\x00" * 64)
    d = laptop(tmp_path, server, "d")
    report = d.sync()
    assert not report.started_from
    assert snapshot(d.store.conn) == server_snapshot(server)
    a.close()
    d.close()


def test_an_erasure_throws_the_starter_away(tmp_path: Path, server: ServerProcess) -> None:
    a, people = station_on(tmp_path, server)
    path = build_starter(server)
    erase_person(a.store, people["zhang"], "asked to be forgotten")
    a.sync()
    assert not path.exists()  # its bytes were overwritten, then it was removed
    assert server.query("SELECT value FROM meta WHERE key = 'starter'") in ([], [("",)])
    e = laptop(tmp_path, server, "e")
    assert not e.sync().started_from
    assert snapshot(e.store.conn) == server_snapshot(server)
    a.close()
    e.close()


def test_the_starter_is_for_whole_station_laptops_only(tmp_path: Path, server: ServerProcess) -> None:
    a, _ = station_on(tmp_path, server)
    build_starter(server)
    store = Store.open(server.db, author="admin", index=False)
    try:
        hub = Hub(store)
        hub.add_staff("lap.trip", role="officer")
        hub.kits.create("munich", KitSpec(countries=["DE"]))
        token = hub.issue_token("lap.trip", kit="munich")[1]
    finally:
        store.close()
    headers = {
        "Authorization": f"Bearer {token}",
        HEADER_PROTOCOL: str(PROTOCOL),
        HEADER_SCHEMA: schema_fingerprint(),
        HEADER_DEVICE: "a1b2c3d4e5f6",
    }
    answer = httpx.get(server.url + "/v1/starter", headers=headers, timeout=10)
    assert answer.status_code == 409 and answer.json()["error"] == "kit_laptop"
    anonymous = httpx.get(server.url + "/v1/starter", headers={**headers, "Authorization": ""}, timeout=10)
    assert anonymous.status_code == 401
    a.close()


def test_the_service_keeps_a_starter_once_the_station_is_big_enough(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "server.db", args=("--starter-from", "5")).start()
    try:
        a, _ = station_on(tmp_path, server)
        b = laptop(tmp_path, server, "b")
        assert not b.sync().started_from  # none yet: the service looks when it starts and when asked
        server.stop()
        server.start()

        def ready() -> bool:
            return bool(server.query("SELECT value FROM meta WHERE key = 'starter' AND value != ''"))

        wait_until(ready, timeout=60)
        c = laptop(tmp_path, server, "c")
        assert c.sync().started_from
        assert snapshot(c.store.conn) == server_snapshot(server)
        for lap in (a, b, c):
            lap.close()
    finally:
        server.stop()
