"""Helpers for the sync tests: a real ``liaison serve`` process on a free port, laptops on their own store
files, a fault-injecting TCP proxy, and replica comparison. Synthetic data only."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from liaison_tui.domain.entities import ENTITIES
from liaison_tui.store import Store
from liaison_tui.store.crypto import connect_file
from liaison_tui.store.hub import Hub
from liaison_tui.sync import SyncReport, sync_once

LIAISON = shutil.which("liaison") or str(Path(sys.executable).parent / "liaison")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: Any, timeout: float = 20.0, step: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(step)
    raise AssertionError("condition not reached")


class ServerProcess:
    """``liaison serve`` as a subprocess; ``kill`` is SIGKILL (no graceful shutdown)."""

    def __init__(self, db: Path, port: int | None = None) -> None:
        self.db = db
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        env = {**os.environ, "LIAISON_LANG": "en"}
        self.proc = subprocess.Popen(
            [LIAISON, "serve", "--db", str(self.db), "--port", str(self.port), "--log-level", "warning"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def up() -> bool:
            assert self.proc is not None and self.proc.poll() is None, "server exited"
            try:
                return httpx.get(self.url + "/health", timeout=0.5).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(up, timeout=30, step=0.05)
        return self

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def token(self, name: str, *, days: int | None = None) -> str:
        """Issue a device token through the same code as ``serve admin`` (in-process, same file)."""
        store = Store.open(self.db, author="admin")
        try:
            hub = Hub(store)
            if not store.conn.execute("SELECT 1 FROM staff WHERE username = ?", (name,)).fetchone():
                hub.add_staff(name)
            return hub.issue_token(name, days)[1]
        finally:
            store.close()

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        conn = connect_file(self.db, readonly=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()


@dataclass
class Laptop:
    """One laptop: its own store file and token."""

    name: str
    store: Store
    url: str
    token: str
    options: dict[str, Any] = field(default_factory=dict)

    def sync(self, url: str | None = None, **options: Any) -> SyncReport:
        return sync_once(self.store, url or self.url, self.token, **{"retries": 0, **self.options, **options})

    def close(self) -> None:
        self.store.close()


def laptop(tmp: Path, server: ServerProcess, name: str, url: str | None = None) -> Laptop:
    store = Store.open(tmp / f"{name}.db", author=name)
    return Laptop(name, store, url or server.url, server.token(f"lap.{name}"))


def snapshot(conn: Any, tables: Any = None) -> dict[str, dict[str, tuple[Any, ...]]]:
    """Every record's fields, tombstone and field clocks, by table and id: what replicas must agree on."""
    out: dict[str, dict[str, tuple[Any, ...]]] = {}
    for table in tables or ENTITIES:
        names = [n for n in ENTITIES[table].fields if n != "id"] + ["deleted", "created_hlc"]
        clocks: dict[str, list[tuple[str, str]]] = {}
        for row_id, name, hlc in conn.execute(
            "SELECT row_id, field, hlc FROM field_clocks WHERE tbl = ?", (table,)
        ):
            clocks.setdefault(row_id, []).append((name, hlc))
        out[table] = {
            r[0]: (*r[1:], tuple(sorted(clocks.get(r[0], []))))
            for r in conn.execute(f"SELECT id, {', '.join(names)} FROM {table}")
        }
    conflicts = conn.execute(
        "SELECT id, tbl, row_id, field, value_a, value_b, status, choice FROM sync_conflicts"
    )
    out["sync_conflicts"] = {r[0]: tuple(r[1:]) for r in conflicts}
    return out


def server_snapshot(server: ServerProcess) -> dict[str, dict[str, tuple[Any, ...]]]:
    conn = connect_file(server.db, readonly=True)
    try:
        return snapshot(conn)
    finally:
        conn.close()


def count_feed(server: ServerProcess, device: str) -> int:
    return int(server.query("SELECT count(*) FROM change_log WHERE device_id = ?", (device,))[0][0])


class FaultProxy:
    """A TCP proxy on 127.0.0.1 in front of the server. ``faults`` is a list consumed one per connection:
    ``None`` forwards; ``"drop"`` forwards the request, then closes without the response (lost ack);
    ``("cut", n)`` forwards ``n`` bytes of the response, then closes; ``("hold", s)`` delays the response
    ``s`` seconds; ``"refuse"`` closes at once (server unreachable)."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.faults: list[Any] = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = int(self.sock.getsockname()[1])
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.closed = True
        self.sock.close()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                fault = self.faults.pop(0) if self.faults else None
            threading.Thread(target=self._serve, args=(client, fault), daemon=True).start()

    @staticmethod
    def _hold(upstream: socket.socket, data: bytes, seconds: float) -> bytes | None:
        """Keep the response back for ``seconds``, or until the server closes the connection."""
        deadline = time.monotonic() + seconds
        upstream.settimeout(0.05)
        try:
            while time.monotonic() < deadline:
                try:
                    more = upstream.recv(65536)
                except TimeoutError:
                    continue
                if not more:
                    return None
                data += more
        except OSError:
            return None
        finally:
            with contextlib.suppress(OSError):
                upstream.settimeout(None)
        return data

    def _serve(self, client: socket.socket, fault: Any) -> None:
        if fault == "refuse":
            client.close()
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        except OSError:
            client.close()
            return
        done = threading.Event()

        def close_both() -> None:
            done.set()
            for s in (client, upstream):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

        def requests() -> None:
            try:
                while not done.is_set():
                    data = client.recv(65536)
                    if not data:
                        break
                    upstream.sendall(data)
            except OSError:
                pass
            close_both()

        threading.Thread(target=requests, daemon=True).start()
        sent = 0
        try:
            while not done.is_set():
                data = upstream.recv(65536)
                if not data:
                    break
                if fault == "drop":
                    break
                if isinstance(fault, tuple) and fault[0] == "hold":
                    data = self._hold(upstream, data, fault[1])
                    if data is None:
                        break  # the server went away while we held its answer
                    fault = None
                if isinstance(fault, tuple) and fault[0] == "cut":
                    room = fault[1] - sent
                    client.sendall(data[:room])
                    sent += min(room, len(data))
                    if sent >= fault[1]:
                        break
                    continue
                client.sendall(data)
        except OSError:
            pass
        close_both()
