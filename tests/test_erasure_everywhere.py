"""Erasure that reaches every copy: a person with marker strings in every personal field is synced to a real
server and three laptops, edited, argued over (a conflict on their notes), then erased on one laptop; after
everyone syncs, and on a laptop set up afterwards, the raw bytes of every database file and its WAL hold
none of the markers. Also when the erasing process is killed halfway."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from liaison_tui.store import Store
from liaison_tui.store.erasure import erase_person, erased_on
from liaison_tui.store.services import create_case, create_contact

from .sync_support import ServerProcess, laptop, server_snapshot, snapshot

MARKERS = {
    "native": "秘密人名甲",
    "latin": "Secretperson Zyxwv",
    "phone": "4915177788899",
    "email": "hidden.marker@example.org",
    "wechat": "wxmarker123",
    "notes": "NOTEMARKER-passport-X99",
    "case": "CASEMARKER-housing-Q7",
    "edit_b": "EDITMARKER-from-b",
    "edit_c": "EDITMARKER-from-c",
}


def raw(path: str | Path) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        item = Path(f"{path}{suffix}")
        if item.exists():
            data += item.read_bytes()
    return data


def leaks(path: str | Path) -> list[str]:
    data = raw(path)
    return [name for name, marker in MARKERS.items() if marker.encode() in data]


def make_person(store: Store) -> tuple[str, str]:
    person = create_contact(
        store,
        {
            "native_name": MARKERS["native"],
            "latin_name": MARKERS["latin"],
            "country": "DE",
            "notes": MARKERS["notes"],
        },
        [
            {"kind": "phone", "raw": "+49 151 777 888 99"},
            {"kind": "email", "raw": MARKERS["email"]},
            {"kind": "wechat", "raw": MARKERS["wechat"]},
        ],
    )
    case = create_case(
        store,
        {
            "title": "Housing",
            "beneficiary_id": person.id,
            "category": "housing",
            "description": MARKERS["case"],
        },
    )
    return person.id, case.id


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path / "server.db").start()
    yield proc
    proc.stop()


def test_an_erasure_reaches_the_server_every_laptop_and_a_new_one(
    tmp_path: Path, server: ServerProcess
) -> None:
    a, b, c = (laptop(tmp_path, server, name) for name in ("a", "b", "c"))
    pid, case_id = make_person(a.store)
    other = a.store.contacts.create({"native_name": "旁人", "notes": "stays"})
    for lap in (a, b, c):
        lap.sync()
    b.store.contacts.update(pid, {"notes": MARKERS["edit_b"]})
    c.store.contacts.update(pid, {"notes": MARKERS["edit_c"]})
    for lap in (b, c, a, b, c):
        lap.sync()
    assert server.query("SELECT count(*) FROM sync_conflicts WHERE row_id = ?", (pid,)) == [(1,)]

    result = erase_person(a.store, pid, "asked to be forgotten")
    assert pid in result.contact_ids and erased_on(a.store, pid)
    for lap in (a, b, c, a, b, c):
        lap.sync()
    d = laptop(tmp_path, server, "d")
    d.sync()
    for lap in (a, b, c):
        lap.sync()  # they learn of d's staff member
    expected = server_snapshot(server)
    for lap in (a, b, c, d):
        assert snapshot(lap.store.conn) == expected, lap.name
        assert lap.store.contacts.get(other.id).notes == "stays"
        assert lap.store.row("cases", case_id)["category"] == "housing"  # the figures stay
        assert erased_on(lap.store, pid)
    for lap in (a, b, c, d):
        lap.close()
    for path in (server.db, *(tmp_path / f"{n}.db" for n in "abcd")):
        assert leaks(path) == [], path.name


def test_edits_to_an_erased_person_are_refused_everywhere(tmp_path: Path, server: ServerProcess) -> None:
    a, b = laptop(tmp_path, server, "a"), laptop(tmp_path, server, "b")
    pid, _ = make_person(a.store)
    a.sync()
    b.sync()
    b.store.contacts.update(pid, {"title": MARKERS["edit_b"]})  # offline, not yet sent
    erase_person(a.store, pid, "request")
    a.sync()
    report = b.sync()
    assert report.refused == 1  # the server refuses it; b's copy then follows the erasure
    b.sync()
    assert b.store.contacts.get(pid, include_deleted=True).latin_name == "[erased]"
    with pytest.raises(Exception) as err:
        b.store.contacts.update(pid, {"title": "again"})
    assert "erased" in getattr(err.value, "message", lambda _l: str(err.value))("en")
    a.close()
    b.close()
    for path in (server.db, tmp_path / "a.db", tmp_path / "b.db"):
        assert leaks(path) == [], path


_KILL = """
import os, signal, sys
from liaison_tui.store import Store
from liaison_tui.store import erasure
from liaison_tui.store.crypto import use_passphrase
use_passphrase(os.environ.get("LIAISON_PASSPHRASE"))
def die(*_a, **_k):
    os.kill(os.getpid(), signal.SIGKILL)
setattr(erasure, sys.argv[3], die)
store = Store.open(sys.argv[1], author="x")
erasure.erase_person(store, sys.argv[2], "request")
"""


@pytest.mark.parametrize("where", ["_redact_copies", "finish_purge"])
def test_killed_halfway_the_erasure_is_finished_or_never_started(tmp_path: Path, where: str) -> None:
    db = tmp_path / "k.db"
    with Store.open(db, author="x") as store:
        pid, _ = make_person(store)
        store.contacts.update(pid, {"notes": MARKERS["edit_b"]})
    proc = subprocess.run([sys.executable, "-c", _KILL, str(db), pid, where], env=os.environ.copy())
    assert proc.returncode == -signal.SIGKILL
    with Store.open(db, author="x") as store:  # opening finishes an erasure that committed
        if where == "_redact_copies":  # died inside the transaction: nothing happened; erase again
            assert not erased_on(store, pid)
            erase_person(store, pid, "request")
        assert erased_on(store, pid)
    assert leaks(db) == []


def test_a_laptop_records_the_person_was_erased_and_shows_when(tmp_path: Path, server: ServerProcess) -> None:
    a = laptop(tmp_path, server, "a")
    pid, _ = make_person(a.store)
    erase_person(a.store, pid, "request")
    when = erased_on(a.store, pid)
    assert when and when[:4] == "2026"
    a.close()
