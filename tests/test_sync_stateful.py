"""A hypothesis state machine: three laptops make random creates, edits (structured and free text), deletes
and undeletes, and sync partially (push only, pull only, both) through a proxy that drops answers, cuts
connections and refuses them at random; a laptop may be backed up and later restored from that backup (its
disk died), losing whatever it did since, synced or not. At the end, after a clean round: every outbox is empty, every
replica equals the server, and every acknowledged edit is present, superseded by a later one, or held in a
conflict record."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from liaison_tui.store import Store, conflicts
from liaison_tui.sync import SyncClient, SyncError, SyncReport

from .sync_support import FaultProxy, ServerProcess, server_snapshot, snapshot

_ctx: dict[str, Any] = {}

FAULTS = st.sampled_from([None, None, None, "drop", ("cut", 300), ("cut", 2000), "refuse"])
STAGES = ["lead", "contacted", "engaged", "visiting", "signed", "on_hold"]
CITIES = ["Munich", "Boston", "Qingdao", "Lyon", None]
NOTES = ["met at summit", "prefers email", "lab visit in May", "spouse needs job"]


@pytest.fixture(scope="module", autouse=True)
def _server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    server = ServerProcess(tmp_path_factory.mktemp("server") / "server.db").start()
    proxy = FaultProxy(server.port)
    _ctx.update(server=server, proxy=proxy)
    yield
    proxy.close()
    server.stop()


class Laptops(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        server: ServerProcess = _ctx["server"]
        self.server = server
        self.proxy: FaultProxy = _ctx["proxy"]
        self.dir = Path(tempfile.mkdtemp(prefix="sync-sm-"))
        self.stores: list[Store] = []
        self.tokens: list[str] = []
        for i in range(3):
            self.stores.append(Store.open(self.dir / f"l{i}.db", author=f"lap.{i}"))
            self.tokens.append(server.token(f"lap.sm{i}"))
        self.ids: list[str] = []
        self.backups: dict[int, Path] = {}

    def _client(self, i: int) -> SyncClient:
        return SyncClient(
            self.stores[i], self.proxy.url, self.tokens[i], retries=0, pull_page=7, push_batch=5
        )

    def _live(self, i: int) -> list[str]:
        return [
            r[0] for r in self.stores[i].conn.execute("SELECT id FROM contacts WHERE deleted = 0 ORDER BY id")
        ]

    def _dead(self, i: int) -> list[str]:
        return [
            r[0] for r in self.stores[i].conn.execute("SELECT id FROM contacts WHERE deleted = 1 ORDER BY id")
        ]

    @rule(i=st.integers(0, 2), city=st.sampled_from(CITIES))
    def create(self, i: int, city: str | None) -> None:
        contact = self.stores[i].contacts.create({"latin_name": f"Synthetic {len(self.ids)}", "city": city})
        self.ids.append(contact.id)

    @rule(i=st.integers(0, 2), pick=st.integers(0, 50), data=st.data())
    def edit(self, i: int, pick: int, data: st.DataObject) -> None:
        live = self._live(i)
        if not live:
            return
        field = data.draw(st.sampled_from(["stage", "city", "notes", "title"]))
        value: Any = {
            "stage": st.sampled_from(STAGES),
            "city": st.sampled_from(CITIES),
            "notes": st.sampled_from(NOTES),
            "title": st.sampled_from(["Dr.", "Prof.", None]),
        }[field]
        self.stores[i].contacts.update(live[pick % len(live)], {field: data.draw(value)})

    @rule(i=st.integers(0, 2), pick=st.integers(0, 50))
    def delete(self, i: int, pick: int) -> None:
        live = self._live(i)
        if live:
            self.stores[i].contacts.delete(live[pick % len(live)])

    @rule(i=st.integers(0, 2), pick=st.integers(0, 50))
    def undelete(self, i: int, pick: int) -> None:
        dead = self._dead(i)
        if dead:
            self.stores[i].contacts.undelete(dead[pick % len(dead)])

    @rule(i=st.integers(0, 2), choice=st.sampled_from(["mine", "theirs", "merged"]))
    def resolve(self, i: int, choice: str) -> None:
        found = conflicts.list_open(self.stores[i], limit=1)
        if found:
            conflicts.resolve(self.stores[i], found[0].id, choice, "merged text")  # type: ignore[arg-type]

    @rule(i=st.integers(0, 2))
    def back_up(self, i: int) -> None:
        store = self.stores[i]
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.backups[i] = shutil.copy(store.path, self.dir / f"l{i}.backup")

    @rule(i=st.integers(0, 2))
    def restore(self, i: int) -> None:
        """The disk dies; the laptop comes back from its last backup (work since then is the server's to
        give back, or lost if it was never sent: the acknowledged-edits check reads the restored outbox)."""
        if i not in self.backups:
            return
        path = Path(self.stores[i].path)
        self.stores[i].close()
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copy(self.backups[i], path)
        self.stores[i] = Store.open(path, author=f"lap.{i}")

    @rule(
        i=st.integers(0, 2),
        fault=FAULTS,
        where=st.sampled_from(["/v1/push", "/v1/pull"]),
        part=st.sampled_from(["both", "push", "pull"]),
    )
    def sync(self, i: int, fault: Any, where: str, part: str) -> None:
        self.proxy.faults = [(where, fault)]
        client = self._client(i)
        try:
            report = SyncReport()
            if part in ("both", "push"):
                client.push(report)
            if part in ("both", "pull"):
                client.pull(report)
        except SyncError:
            pass  # a fault; the next round must repair everything
        finally:
            client.close()
            self.proxy.faults = []

    def teardown(self) -> None:
        if not hasattr(self, "stores"):
            return
        try:
            self.proxy.faults = []
            for _ in range(2):
                for i in range(3):
                    with self._client(i) as client:
                        client.sync()
            expected = server_snapshot(self.server)
            for store in self.stores:
                assert store.pending_changes() == 0
                assert snapshot(store.conn) == expected
            self._check_acknowledged()
        finally:
            for store in self.stores:
                store.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def _check_acknowledged(self) -> None:
        """Each field value a laptop pushed and the server accepted is still there, lost to a later clock
        (kept in history), or held in a conflict record."""
        server = self.server
        clocks = {
            (t, r, f): h for t, r, f, h in server.query("SELECT tbl, row_id, field, hlc FROM field_clocks")
        }
        created = {r: h for r, h in server.query("SELECT id, created_hlc FROM contacts")}
        held = {h for row in server.query("SELECT hlc_a, hlc_b FROM sync_conflicts") for h in row}
        for store in self.stores:
            refused = {r[0] for r in store.conn.execute("SELECT seq FROM sync_rejected")}
            rows = store.conn.execute(
                "SELECT seq, tbl, row_id, op, fields, hlc FROM change_log "
                "WHERE pushed = 1 AND tbl = 'contacts'"
            ).fetchall()
            for seq, tbl, row_id, op, fields, hlc in rows:
                if seq in refused:
                    continue
                assert row_id in created, "an acknowledged record is missing on the server"
                names = ["deleted"] if op in ("delete", "undelete") else list(orjson.loads(fields))
                for name in names:
                    current = clocks.get((tbl, row_id, name), created[row_id])
                    assert current >= hlc or hlc in held, (name, current, hlc)


Laptops.TestCase.settings = settings(
    max_examples=10, stateful_step_count=20, deadline=None, suppress_health_check=list(HealthCheck)
)
test_laptops_converge = Laptops.TestCase
