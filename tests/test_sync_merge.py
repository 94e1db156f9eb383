"""Sync against a real ``liaison serve`` process: field merge, free-text conflicts, deletes, refusals,
tokens, version mismatch and clock skew. One server for the module; each test uses fresh laptops."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from liaison_tui.domain.hlc import Stamp
from liaison_tui.store import conflicts, outbox
from liaison_tui.store.crypto import connect_file
from liaison_tui.store.services import change_case_status, create_case
from liaison_tui.sync import SyncError, read_status

from .sync_support import LIAISON, Laptop, ServerProcess, laptop, server_snapshot, snapshot


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("server") / "server.db").start()
    yield proc
    proc.stop()


@pytest.fixture
def make(tmp_path: Path, server: ServerProcess) -> Iterator[object]:
    made: list[Laptop] = []

    def factory(name: str) -> Laptop:
        lap = laptop(tmp_path, server, name)
        made.append(lap)
        return lap

    yield factory
    for lap in made:
        lap.close()


def converge(*laptops: Laptop) -> None:
    for _ in range(2):
        for lap in laptops:
            lap.sync()


def assert_replicas_equal(server: ServerProcess, *laptops: Laptop) -> None:
    expected = server_snapshot(server)
    for lap in laptops:
        assert snapshot(lap.store.conn) == expected, lap.name
        assert lap.store.pending_changes() == 0


def wait_until_after(lap: Laptop, stamp: str) -> None:
    """Block until ``lap``'s wall clock has passed ``stamp`` (a few milliseconds at most)."""
    while lap.store.wall_ms() <= Stamp.decode(stamp).wall_ms:
        time.sleep(0.001)


def new_contact(lap: Laptop, **fields: object) -> str:
    return lap.store.contacts.create({"native_name": "测试甲", "latin_name": "Test Alpha", **fields}).id


def test_health_and_openapi(server: ServerProcess) -> None:
    assert httpx.get(server.url + "/health").json()["status"] == "ok"
    paths = httpx.get(server.url + "/openapi.json").json()["paths"]
    assert {"/health", "/v1/push", "/v1/pull"} <= set(paths)


def test_admin_cli_prints_token_last(server: ServerProcess, tmp_path: Path) -> None:
    db = tmp_path / "admin.db"
    env = {"LIAISON_LANG": "en", "PATH": str(Path(LIAISON).parent)}
    subprocess.run(
        [LIAISON, "serve", "admin", "add-staff", "zhao.yi", "--db", str(db)],
        check=True,
        env=env,
        capture_output=True,
    )
    out = subprocess.run(
        [LIAISON, "serve", "admin", "issue-device-token", "zhao.yi", "--db", str(db)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    token = out.split()[-1]
    assert token.startswith("lsn_")
    assert token not in db.read_bytes().decode("latin-1")  # stored hashed only


def test_edits_to_different_fields_merge(server: ServerProcess, make: object) -> None:
    a, b = make("a"), make("b")  # type: ignore[operator]
    cid = new_contact(a)
    converge(a, b)
    a.store.contacts.update(cid, {"city": "Munich"})
    b.store.contacts.update(cid, {"title": "Professor"})
    converge(a, b)
    for lap in (a, b):
        got = lap.store.contacts.get(cid)
        assert (got.city, got.title) == ("Munich", "Professor")
    assert_replicas_equal(server, a, b)


def test_same_structured_field_latest_wins_loser_in_history(server: ServerProcess, make: object) -> None:
    a, b = make("a"), make("b")  # type: ignore[operator]
    cid = new_contact(a)
    converge(a, b)
    a.store.contacts.update(cid, {"stage": "contacted"})
    # Two edits in the same millisecond tie on wall time and the device id decides; this test is about the
    # later clock winning, so make b's edit strictly later.
    wait_until_after(b, a.store.clock.last)
    b.store.contacts.update(cid, {"stage": "engaged"})
    a.sync()
    b.sync()
    converge(a, b)
    assert {lap.store.contacts.get(cid).stage.value for lap in (a, b)} == {"engaged"}
    kept = [h for h in a.store.history("contacts", cid) if h["field"] == "stage"]
    assert any(
        h["new_value"] == "engaged" and h["old_value"] == "contacted" and h["origin"] == "sync" for h in kept
    )
    assert_replicas_equal(server, a, b)


def test_free_text_conflict_raised_resolved_and_synced(server: ServerProcess, make: object) -> None:
    a, b = make("a"), make("b")  # type: ignore[operator]
    cid = new_contact(a, notes="Met at the Munich summit.")
    converge(a, b)
    a.store.contacts.update(cid, {"notes": "Met at the Munich summit. Wants a lab visit in May."})
    b.store.contacts.update(cid, {"notes": "Met at the Munich summit. Spouse needs a job."})
    converge(a, b)
    open_a, open_b = conflicts.list_open(a.store), conflicts.list_open(b.store)
    assert len(open_a) == len(open_b) == 1 and open_a[0].id == open_b[0].id
    assert open_a[0].mine == "Met at the Munich summit. Wants a lab visit in May."
    assert open_b[0].mine == "Met at the Munich summit. Spouse needs a job."
    assert read_status(a.store).conflicts == 1
    merged = "Met at the Munich summit. Wants a lab visit in May. Spouse needs a job."
    conflicts.resolve(b.store, open_b[0].id, "merged", merged)
    converge(b, a)
    for lap in (a, b):
        assert lap.store.contacts.get(cid).notes == merged
        assert conflicts.list_open(lap.store) == []
    assert_replicas_equal(server, a, b)


def test_keep_theirs_resolution(server: ServerProcess, make: object) -> None:
    a, b = make("a"), make("b")  # type: ignore[operator]
    cid = new_contact(a)
    converge(a, b)
    b.store.contacts.update(cid, {"notes": "from b"})
    a.store.contacts.update(cid, {"notes": "from a"})
    converge(a, b)
    (c,) = conflicts.list_open(a.store)
    conflicts.resolve(a.store, c.id, "theirs")
    converge(a, b)
    assert {lap.store.contacts.get(cid).notes for lap in (a, b)} == {"from b"}
    assert_replicas_equal(server, a, b)


def test_delete_versus_edit_and_no_resurrection(server: ServerProcess, make: object) -> None:
    a, b = make("a"), make("b")  # type: ignore[operator]
    cid = new_contact(a)
    converge(a, b)
    a.store.contacts.delete(cid)
    b.store.contacts.update(cid, {"city": "Qingdao"})  # offline, concurrent with the delete
    converge(a, b)
    for lap in (a, b):
        assert lap.store.contacts.find(cid) is None
        assert lap.store.contacts.get(cid, include_deleted=True).city == "Qingdao"  # the edit is kept
    fresh = make("fresh")  # type: ignore[operator]
    fresh.sync()
    assert fresh.store.contacts.find(cid) is None  # pulling from zero never resurrects
    b.store.contacts.undelete(cid)
    converge(b, a, fresh)
    assert all(lap.store.contacts.find(cid) is not None for lap in (a, b, fresh))
    a.store.contacts.delete(cid)
    converge(a, b, fresh)
    assert all(lap.store.contacts.find(cid) is None for lap in (a, b, fresh))
    assert_replicas_equal(server, a, b, fresh)


def test_poison_change_is_refused_and_never_blocks_the_queue(server: ServerProcess, make: object) -> None:
    a, b = make("a"), make("b")  # type: ignore[operator]
    cid = new_contact(a)
    with a.store.transaction() as conn:  # damaged entries, as a bug or a bad disk might leave them
        hlc = a.store.clock.now()
        conn.execute(
            "INSERT INTO change_log (tbl, row_id, op, fields, hlc, device_id, at) VALUES "
            "('contacts', ?, 'update', '{\"stage\": \"nonsense\"}', ?, ?, '2026-01-01T00:00:00Z')",
            (cid, hlc, a.store.device_id),
        )
        conn.execute(
            "INSERT INTO change_log (tbl, row_id, op, fields, hlc, device_id, at) VALUES "
            "('no_such_table', 'x', 'create', '{}', ?, ?, '2026-01-01T00:00:00Z')",
            (a.store.clock.now(), a.store.device_id),
        )
        conn.execute(
            "INSERT INTO change_log (tbl, row_id, op, fields, hlc, device_id, at) VALUES "
            "('contacts', ?, 'update', '{\"city\": \"X\"}', 'not-a-clock', ?, '2026-01-01T00:00:00Z')",
            (cid, a.store.device_id),
        )
        conn.execute("UPDATE contacts SET stage = 'nonsense' WHERE id = ?", (cid,))
        conn.execute(
            "INSERT INTO field_clocks (tbl, row_id, field, hlc) VALUES ('contacts', ?, 'stage', ?)",
            (cid, hlc),
        )
    behind = new_contact(a, city="Berlin")  # a valid change behind the poison
    report = a.sync()
    assert report.refused == 3
    assert a.store.pending_changes() == 0
    refused = outbox.rejected(a.store)
    assert {r["reason"] for r in refused} >= {"sync.refused.invalid", "sync.refused.malformed"}
    assert all(r["message"] for r in refused)
    assert a.store.row("contacts", cid)["stage"] == "lead"  # back to the server's state
    b.sync()
    assert b.store.contacts.get(behind).city == "Berlin"
    converge(a, b)
    assert_replicas_equal(server, a, b)


def test_forbidden_case_transition_is_refused_and_reported(server: ServerProcess, make: object) -> None:
    a, b = make("a"), make("b")  # type: ignore[operator]
    cid = new_contact(a)
    case = create_case(a.store, {"title": "Work permit", "beneficiary_id": cid, "category": "work_permit"})
    converge(a, b)
    change_case_status(a.store, case.id, "cancelled", reason="withdrawn")
    change_case_status(b.store, case.id, "triaged")
    change_case_status(b.store, case.id, "in_progress")
    a.sync()
    report = b.sync()
    assert report.refused == 2 and b.store.pending_changes() == 0
    assert b.store.cases.get(case.id).status.value == "cancelled"
    messages = [r["message"] for r in outbox.rejected(b.store)]
    assert any("Cancelled" in m or "cancelled" in m for m in messages)
    assert read_status(b.store).rejected == 2
    converge(a, b)
    assert_replicas_equal(server, a, b)


def test_revoked_expired_and_foreign_tokens_keep_the_queue(server: ServerProcess, make: object) -> None:
    a = make("a")  # type: ignore[operator]
    new_contact(a)
    a.sync()
    new_contact(a)
    subprocess.run(
        [LIAISON, "serve", "admin", "revoke-device-token", "lap.a", "--db", str(server.db)],
        check=True,
        capture_output=True,
    )
    with pytest.raises(SyncError) as err:
        a.sync()
    assert err.value.key == "sync.err.token_revoked" and "revoked" in err.value.message("en")
    assert "吊销" in err.value.message("zh")
    assert a.store.pending_changes() == 1
    assert read_status(a.store).last_error == "sync.err.token_revoked"

    a.token = server.token("lap.a", days=1)
    with closing(connect_file(server.db)) as conn:
        conn.execute(
            "UPDATE sync_tokens SET expires_at = '2000-01-01T00:00:00Z' WHERE revoked_at IS NULL AND "
            "client_device IS NULL"
        )
    with pytest.raises(SyncError) as err:
        a.sync()
    assert err.value.key == "sync.err.token_expired" and a.store.pending_changes() == 1

    a.token = server.token("lap.a")
    a.sync()  # binds the new token to this laptop
    other = make("other")  # type: ignore[operator]
    other.token = a.token
    with pytest.raises(SyncError) as err:
        other.sync()
    assert err.value.key == "sync.err.token_other_device"
    assert a.store.pending_changes() == 0


def test_old_client_is_told_to_upgrade_and_keeps_its_queue(
    server: ServerProcess, make: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import liaison_tui.sync.client as client

    a = make("a")  # type: ignore[operator]
    new_contact(a)
    monkeypatch.setattr(client, "schema_fingerprint", lambda: "0ld")
    with pytest.raises(SyncError) as err:
        a.sync()
    assert err.value.key == "sync.err.upgrade" and "update Liaison" in err.value.message("en")
    assert a.store.pending_changes() > 0


@pytest.mark.parametrize(
    "skew_ms", [3 * 3_600_000, 4 * 86_400_000, 30 * 365 * 86_400_000, -5 * 3_600_000, -30 * 365 * 86_400_000]
)
def test_clock_skew_syncs_and_cannot_beat_later_honest_edits(
    server: ServerProcess, tmp_path: Path, make: object, skew_ms: int
) -> None:
    a, b = make("a"), make("b")  # type: ignore[operator]
    a.store.set_meta("clock_offset_ms", str(skew_ms))  # this laptop's clock is wrong by skew_ms
    a.store.clock_offset_ms = skew_ms
    cid = new_contact(a, title="Dr.")
    b.sync()
    a.store.contacts.update(cid, {"title": "Skewed"})
    report = a.sync()
    assert report.clock_warning and report.warning("en") and report.warning("zh")
    b.sync()
    b.store.contacts.update(cid, {"title": "Honest"})  # a later edit from a laptop with a good clock
    converge(b, a)
    assert {lap.store.contacts.get(cid).title for lap in (a, b)} == {"Honest"}
    # a's clock is corrected: its next edit is stamped near the real time and wins as it should
    assert abs(Stamp.decode(a.store.clock.now()).wall_ms - b.store.wall_ms()) < 10 * 60_000
    a.store.contacts.update(cid, {"title": "Later from a"})
    converge(a, b)
    assert {lap.store.contacts.get(cid).title for lap in (a, b)} == {"Later from a"}
    assert_replicas_equal(server, a, b)
