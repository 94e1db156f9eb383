"""Trip kits against a real ``liaison serve``: a laptop carries only its kit, follows the kit as records
move in and out, never loses an offline edit, keeps what it created on the trip, and erases itself (after
sending everything) when the kit expires or its token is revoked with --wipe."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from liaison_tui.domain.kits import KitSpec
from liaison_tui.store import Store
from liaison_tui.store.crypto import connect_file
from liaison_tui.store.hub import Hub
from liaison_tui.sync import SyncError

from .sync_support import LIAISON, Laptop, ServerProcess, laptop


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path / "server.db").start()
    yield proc
    proc.stop()


def make_kit(server: ServerProcess, name: str, **spec: Any) -> None:
    expires = spec.pop("expires_at", "2099-12-31T23:59:59Z")
    with Store.open(server.db, author="admin") as store:
        Hub(store).kits.create(name, KitSpec(**spec), expires_at=expires, grace_days=14, replace=True)


def trip_laptop(
    tmp_path: Path, server: ServerProcess, name: str, kit: str, role: str = "supervisor"
) -> Laptop:
    store = Store.open(tmp_path / f"{name}.db", author=name)
    return Laptop(name, store, server.url, server.token(name, role=role, kit=kit))


def raw_bytes(path: str | Path) -> bytes:
    out = b""
    for suffix in ("", "-wal", "-shm"):
        item = Path(f"{path}{suffix}")
        if item.exists():
            out += item.read_bytes()
    return out


@pytest.fixture
def station(tmp_path: Path, server: ServerProcess) -> Iterator[dict[str, Any]]:
    """Headquarters' laptop with people in Germany and France, their contact points, cases and follow-ups."""
    hq = laptop(tmp_path, server, "hq")
    hq.sync()
    org = hq.store.organizations.create({"name_en": "TU München", "country": "DE"})
    people: dict[str, Any] = {}
    for key, country, city in (("de1", "DE", "Munich"), ("de2", "DE", "Berlin"), ("fr1", "FR", "Lyon")):
        person = hq.store.contacts.create(
            {
                "native_name": f"测试{key}",
                "latin_name": f"Kit {key}",
                "country": country,
                "city": city,
                "org_id": org.id if country == "DE" else None,
            }
        )
        hq.store.contact_points.create(
            {"contact_id": person.id, "kind": "email", "raw": f"{key}@example.org"}
        )
        people[key] = person
    from liaison_tui.store.services import create_case

    people["fr_case"] = create_case(
        hq.store, {"title": "法国住房", "beneficiary_id": people["fr1"].id, "category": "housing"}
    )
    people["de_case"] = create_case(
        hq.store, {"title": "德国签证", "beneficiary_id": people["de1"].id, "category": "visa_entry"}
    )
    hq.store.followups.create(
        {"title": "Call Lyon", "contact_id": people["fr1"].id, "due_at": "2026-12-15T02:00:00Z"}
    )
    hq.sync()
    yield {"hq": hq, "org": org, **people}
    hq.close()


def ids(lap: Laptop, table: str) -> set[str]:
    return {r[0] for r in lap.store.conn.execute(f"SELECT id FROM {table}")}


def test_a_country_kit_carries_its_people_and_what_they_need_only(
    tmp_path: Path, server: ServerProcess, station: dict[str, Any]
) -> None:
    make_kit(server, "germany", countries=["DE"])
    trip = trip_laptop(tmp_path, server, "trip.de", "germany")
    report = trip.sync()
    assert report.entered > 0
    assert ids(trip, "contacts") == {station["de1"].id, station["de2"].id}
    assert len(ids(trip, "contact_points")) == 2
    assert ids(trip, "cases") == {station["de_case"].id}
    assert ids(trip, "followups") == set()
    assert station["org"].id in ids(trip, "organizations")
    assert ids(trip, "staff") >= {r[0] for r in server.query("SELECT id FROM staff")}
    assert trip.store.get_meta("sync_identity") and '"germany"' in trip.store.get_meta("sync_identity")
    # nothing of the French person anywhere in the file
    assert b"Kit fr1" not in raw_bytes(trip.store.path) and b"fr1@example.org" not in raw_bytes(
        trip.store.path
    )
    # a second sync with nothing new moves nothing
    again = trip.sync()
    assert again.entered == 0 and again.left == 0
    trip.close()


def test_records_follow_the_kit_and_offline_edits_are_never_lost(
    tmp_path: Path, server: ServerProcess, station: dict[str, Any]
) -> None:
    hq: Laptop = station["hq"]
    wang = server.token("wang.li", role="officer")  # the staff member whose work the kit carries
    del wang
    wang_id = server.query("SELECT id FROM staff WHERE username = 'wang.li'")[0][0]
    hq.sync()
    hq.store.cases.update(station["fr_case"].id, {"owner_id": wang_id})
    hq.sync()
    make_kit(server, "wang", owners=["wang.li"])
    trip = trip_laptop(tmp_path, server, "trip.wang", "wang")
    trip.sync()
    assert ids(trip, "cases") == {station["fr_case"].id} and station["fr1"].id in ids(trip, "contacts")
    # offline, on the trip: an edit of the case; meanwhile headquarters reassigns it to someone else
    trip.store.cases.update(station["fr_case"].id, {"description": "Landlord called back; flat from May."})
    hq.sync()
    hq.store.cases.update(station["fr_case"].id, {"owner_id": None})
    hq.sync()
    report = trip.sync()
    assert report.pushed == 1 and report.left > 0
    assert station["fr_case"].id not in ids(trip, "cases") and station["fr1"].id not in ids(trip, "contacts")
    assert server.query("SELECT description FROM cases WHERE id = ?", (station["fr_case"].id,)) == [
        ("Landlord called back; flat from May.",)
    ]
    # what the trip laptop creates stays in its kit, though it matches none of its headings
    met = trip.store.contacts.create({"native_name": "路演新识", "country": "FR"})
    trip.sync()
    trip.sync()
    assert met.id in ids(trip, "contacts")
    # the kit itself changes: its laptops take the difference
    make_kit(server, "wang", owners=["wang.li"], countries=["DE"])
    moved = trip.sync()
    assert {station["de1"].id, station["de2"].id} <= ids(trip, "contacts") and moved.entered > 0
    trip.close()


def test_revoke_with_wipe_sends_everything_then_erases_the_store(
    tmp_path: Path, server: ServerProcess, station: dict[str, Any]
) -> None:
    make_kit(server, "germany", countries=["DE"])
    trip = trip_laptop(tmp_path, server, "trip.wipe", "germany")
    trip.sync()
    marker = "WIPEMARKER7731"
    trip.store.contacts.update(station["de1"].id, {"notes": f"met again {marker}"})
    subprocess.run(
        [LIAISON, "serve", "admin", "revoke-device-token", "trip.wipe", "--wipe", "--db", str(server.db)],
        check=True,
        capture_output=True,
    )
    with pytest.raises(SyncError) as err:
        trip.sync()
    assert err.value.key == "sync.err.wiped" and "erased" in err.value.message("en")
    assert server.query("SELECT notes FROM contacts WHERE id = ?", (station["de1"].id,)) == [
        (f"met again {marker}",)
    ]
    assert trip.store.counts()["contacts"] == 0 and trip.store.get_meta("wiped_at")
    trip.close()
    data = raw_bytes(tmp_path / "trip.wipe.db")
    for secret in (marker, "Kit de1", "de1@example.org", "测试de1"):
        assert secret.encode() not in data, secret
    states = subprocess.run(
        [LIAISON, "--lang", "en", "serve", "admin", "list-tokens", "--db", str(server.db)],
        capture_output=True,
        text=True,
    ).stdout
    assert any("trip.wipe" in line and "wiped" in line for line in states.splitlines())


def test_an_expired_kit_wipes_its_laptop_after_sending(
    tmp_path: Path, server: ServerProcess, station: dict[str, Any]
) -> None:
    make_kit(server, "short", countries=["DE"])
    trip = trip_laptop(tmp_path, server, "trip.short", "short")
    trip.sync()
    trip.store.contacts.create({"native_name": "最后一天", "latin_name": "EXPIRYMARKER55"})
    conn = connect_file(server.db)
    conn.execute("UPDATE sync_kits SET expires_at = '2020-01-01T00:00:00Z' WHERE name = 'short'")
    conn.close()
    with pytest.raises(SyncError) as err:
        trip.sync()
    assert err.value.key == "sync.err.wiped"
    assert server.query("SELECT count(*) FROM contacts WHERE latin_name = 'EXPIRYMARKER55'") == [(1,)]
    trip.close()
    assert b"EXPIRYMARKER55" not in raw_bytes(tmp_path / "trip.short.db")
