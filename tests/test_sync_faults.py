"""Sync under faults: lost responses, connections cut mid-pull, laptops and the server killed with SIGKILL
mid-sync. Each case ends with nothing lost, nothing duplicated, and every replica equal to the server."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from liaison_tui.store import Store, fill_indexes
from liaison_tui.store.crypto import connect_file
from liaison_tui.store.demo import generate
from liaison_tui.sync import SyncError

from .sync_support import (
    LIAISON,
    FaultProxy,
    Laptop,
    ServerProcess,
    count_feed,
    laptop,
    server_snapshot,
    snapshot,
    wait_until,
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("server") / "server.db").start()
    yield proc
    proc.stop()


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[FaultProxy]:
    p = FaultProxy(server.port)
    yield p
    p.close()


def contacts(lap: Laptop, n: int) -> list[str]:
    with lap.store.transaction():
        return [lap.store.contacts.create({"latin_name": f"Synthetic {lap.name} {i}"}).id for i in range(n)]


def assert_converged(server: ServerProcess, *paths_or_laptops: Laptop | Path) -> None:
    for item in paths_or_laptops:  # laptops in this process catch up on what the others sent meanwhile
        if isinstance(item, Laptop):
            item.sync(url=server.url)
    expected = server_snapshot(server)
    for item in paths_or_laptops:
        if isinstance(item, Laptop):
            assert snapshot(item.store.conn) == expected, item.name
            assert item.store.pending_changes() == 0
        else:
            conn = connect_file(item)
            try:
                assert snapshot(conn) == expected, item
                assert conn.execute("SELECT count(*) FROM change_log WHERE pushed = 0").fetchone()[0] == 0
            finally:
                conn.close()


def test_lost_push_response_is_replayed_without_duplicates(
    server: ServerProcess, proxy: FaultProxy, tmp_path: Path
) -> None:
    a = laptop(tmp_path, server, "a", url=proxy.url)
    contacts(a, 5)
    proxy.faults = [("/v1/push", "drop")]  # the server commits, the laptop never hears
    with pytest.raises(SyncError) as err:
        a.sync()
    assert err.value.key == "sync.err.interrupted"
    assert a.store.pending_changes() == 5  # not marked pushed without an answer
    assert count_feed(server, a.store.device_id) == 5  # but the server has them
    report = a.sync()
    assert report.replayed == 1 and a.store.pending_changes() == 0
    assert count_feed(server, a.store.device_id) == 5  # applied once
    proxy.faults = [("/v1/push", "drop")]
    contacts(a, 2)
    a.sync(retries=2)  # the client retries by itself
    assert count_feed(server, a.store.device_id) == 7
    a.close()


def test_connection_cut_mid_pull(server: ServerProcess, proxy: FaultProxy, tmp_path: Path) -> None:
    a = laptop(tmp_path, server, "a")
    contacts(a, 300)
    a.sync()
    b = laptop(tmp_path, server, "b", url=proxy.url)
    # a new laptop fills from records sent whole: cut the second page of that
    proxy.faults = [("/v1/snapshot", None), ("/v1/snapshot", ("cut", 20_000))]
    with pytest.raises(SyncError):
        b.sync(pull_page=200)
    # nothing moves without a whole page: the fill resumes after the first page, the cursor is not set yet
    assert int(b.store.get_meta("sync_cursor") or 0) == 0
    assert '"after"' in (b.store.get_meta("sync_fill") or "")
    b.sync(pull_page=200)
    assert_converged(server, a, b)
    a.close()
    b.close()


def test_a_fill_cut_short_leaves_no_store_without_its_indexes(
    server: ServerProcess, proxy: FaultProxy, tmp_path: Path
) -> None:
    """A fill sets the records' secondary indexes and the likely-duplicates trigger aside until it ends. Cut
    short, it builds them back before the app goes on; killed, the store builds them back when it is next
    opened; and the resumed fill ends with the same indexes and likely duplicates as the server."""
    a = laptop(tmp_path, server, "a")
    with a.store.transaction():
        for i in range(240):
            person = a.store.contacts.create({"latin_name": f"Synthetic shared {i}"})
            a.store.contact_points.create(
                {"contact_id": person.id, "kind": "phone", "raw": f"+49 151 {i % 60:07d}"}
            )
    a.sync()

    def schema(store: Store) -> set[str]:
        return {
            r[0]
            for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')")
        }

    complete = schema(a.store)
    b = laptop(tmp_path, server, "b", url=proxy.url)
    proxy.faults = [("/v1/snapshot", None), ("/v1/snapshot", ("cut", 20_000))]
    with pytest.raises(SyncError):
        b.sync(pull_page=200)
    assert schema(b.store) == complete and not b.store.get_meta(fill_indexes.KEY)
    with b.store.transaction() as conn:  # what a laptop killed in the middle of the fill leaves
        fill_indexes.defer(conn)
    assert "contacts_report_profile" not in schema(b.store) and "likely_duplicates_point_in" not in schema(
        b.store
    )
    b.close()
    b = Laptop("b", Store.open(tmp_path / "b.db", author="b"), proxy.url, b.token)
    assert schema(b.store) == complete
    b.sync(pull_page=200)
    assert schema(b.store) == complete and not b.store.get_meta(fill_indexes.KEY)
    assert_converged(server, a, b)
    likely = "SELECT contact_id FROM likely_duplicates ORDER BY 1"
    assert [r[0] for r in b.store.conn.execute(likely)] == [r[0] for r in server.query(likely)]
    assert len(server.query(likely)) == 240
    a.close()
    b.close()


def _spawn_sync(db: Path, url: str, token: str, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LIAISON_SERVER_URL": url, "LIAISON_TOKEN": token, "LIAISON_LANG": "en"}
    return subprocess.Popen(
        [LIAISON, "--db", str(db), "sync", "--quiet", *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _meta(db: Path, key: str) -> str | None:
    conn = connect_file(db, readonly=True)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def test_laptop_killed_during_push_then_restarted(
    server: ServerProcess, proxy: FaultProxy, tmp_path: Path
) -> None:
    a = laptop(tmp_path, server, "a")
    device, token, db = a.store.device_id, a.token, Path(a.store.path)
    contacts(a, 40)
    a.close()
    proxy.faults = [("/v1/push", ("hold", 30))]  # the answer is held back while we kill the laptop
    proc = _spawn_sync(db, proxy.url, token, "--batch-size", "1000")
    wait_until(lambda: count_feed(server, device) == 40)  # the server committed the batch
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store.open(db) as store:
        assert store.pending_changes() == 40  # the laptop never recorded the answer
    done = subprocess.run(
        [LIAISON, "--db", str(db), "sync", "--quiet"],
        capture_output=True,
        text=True,
        env={**os.environ, "LIAISON_SERVER_URL": server.url, "LIAISON_TOKEN": token},
    )
    assert done.returncode == 0, done.stderr
    assert count_feed(server, device) == 40
    assert_converged(server, db)


def test_laptop_killed_during_pull_apply_then_restarted(server: ServerProcess, tmp_path: Path) -> None:
    seed = laptop(tmp_path, server, "seed")
    seed.sync()  # staff come from the server: a laptop cannot create them
    generate(seed.store, 150, seed=7, index=False)
    seed.sync()
    b = laptop(tmp_path, server, "b")
    token, db = b.token, Path(b.store.path)
    b.close()

    def progress() -> str:  # where the fill (then the feed) has got to
        return f"{_meta(db, 'sync_fill') or ''}|{_meta(db, 'sync_cursor') or 0}"

    last = progress()
    for _ in range(3):  # kill a little further along each time
        proc = _spawn_sync(db, server.url, token, "--page-size", "50")
        wait_until(lambda last=last: progress() != last, step=0.002)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        last = progress()
    done = subprocess.run(
        [LIAISON, "--db", str(db), "sync", "--quiet"],
        capture_output=True,
        text=True,
        env={**os.environ, "LIAISON_SERVER_URL": server.url, "LIAISON_TOKEN": token},
    )
    assert done.returncode == 0, done.stderr
    assert_converged(server, seed, db)
    seed.close()


def test_server_killed_and_restarted_mid_sync(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "server.db").start()
    proxy = FaultProxy(server.port)
    try:
        a = laptop(tmp_path, server, "a", url=proxy.url)
        contacts(a, 30)
        proxy.faults = [("/v1/push", ("hold", 30))]
        with pytest.raises(SyncError):

            def kill_when_committed() -> None:
                wait_until(lambda: count_feed(server, a.store.device_id) == 30)
                server.kill()

            killer = threading.Thread(target=kill_when_committed)
            killer.start()
            a.sync()
        killer.join()
        proxy.faults = []
        server.start()  # same port, same file
        a.sync(retries=2)
        assert count_feed(server, a.store.device_id) == 30 and a.store.pending_changes() == 0

        b = laptop(tmp_path, server, "b", url=proxy.url)
        a.sync()
        generate(a.store, 60, seed=3, index=False)
        a.sync()
        proxy.faults = []

        def kill_mid_pull() -> None:  # a new laptop fills from records sent whole: kill while it does
            wait_until(lambda: bool(b.store.get_meta("sync_fill")), step=0.002)
            server.kill()

        killer = threading.Thread(target=kill_mid_pull)
        killer.start()
        with pytest.raises(SyncError):
            b.sync(pull_page=40)
        killer.join()
        server.start()
        b.sync(retries=2)
        a.sync(retries=2)
        assert_converged(server, a, b)
        a.close()
        b.close()
    finally:
        proxy.close()
        server.stop()
