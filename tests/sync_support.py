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

    def __init__(
        self,
        db: Path,
        port: int | None = None,
        *,
        args: tuple[str, ...] = (),
        log: Path | None = None,
        scheme: str = "http",
        verify: Any = False,
    ) -> None:
        self.db = db
        self.port = port or free_port()
        self.args = args
        self.log = log
        self.scheme = scheme
        self.verify = verify
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        env = {**os.environ, "LIAISON_LANG": "en"}
        level = "info" if self.log else "warning"
        stderr = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                LIAISON,
                "serve",
                "--db",
                str(self.db),
                "--port",
                str(self.port),
                "--log-level",
                level,
                *self.args,
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )

        def up() -> bool:
            assert self.proc is not None and self.proc.poll() is None, "server exited"
            try:
                return httpx.get(self.url + "/health", timeout=0.5, verify=self.verify).status_code == 200
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

    def token(self, name: str, *, days: int | None = None, role: str = "supervisor", **options: Any) -> str:
        """Issue a device token through the same code as ``serve admin`` (in-process, same file). Laptops in
        these tests belong to supervisors unless a test is about roles."""
        store = Store.open(self.db, author="admin")
        try:
            hub = Hub(store)
            if not store.conn.execute("SELECT 1 FROM staff WHERE username = ?", (name,)).fetchone():
                hub.add_staff(name, role=role)
            return hub.issue_token(name, days, **options)[1]
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


def laptop(
    tmp: Path, server: ServerProcess, name: str, url: str | None = None, *, role: str = "supervisor"
) -> Laptop:
    store = Store.open(tmp / f"{name}.db", author=name)
    staff = name if "." in name else f"lap.{name}"
    return Laptop(name, store, url or server.url, server.token(staff, role=role))


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
    """An HTTP/1.1-aware proxy on 127.0.0.1 in front of the server. ``faults`` is a list consumed one per
    *request*; an entry is a fault, or ``(path prefix, fault)`` to wait for the first request to that path
    (``("/v1/push", "drop")``). Faults: ``None`` forwards; ``"drop"`` forwards the request, then closes
    without the response (lost ack); ``("cut", n)`` forwards ``n`` bytes of the response, then closes;
    ``("hold", s)`` delays the response ``s`` seconds (or until the server goes away); ``"refuse"`` closes
    at once (server unreachable)."""

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
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _fault_for(self, path: str) -> Any:
        with self.lock:
            if not self.faults:
                return None
            first = self.faults[0]
            if (
                isinstance(first, tuple)
                and len(first) == 2
                and isinstance(first[0], str)
                and first[0].startswith("/")
            ):
                if not path.startswith(first[0]):
                    return None
                self.faults.pop(0)
                return first[1]
            return self.faults.pop(0)

    @staticmethod
    def _read_message(sock: socket.socket, buffer: bytearray) -> bytes | None:
        """One HTTP message (head and Content-Length body) from ``sock``; None when the peer closed."""
        while b"\r\n\r\n" not in buffer:
            data = sock.recv(65536)
            if not data:
                return None
            buffer += data
        head_end = buffer.index(b"\r\n\r\n") + 4
        length = 0
        for line in bytes(buffer[:head_end]).split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(buffer) < head_end + length:
            data = sock.recv(65536)
            if not data:
                return None
            buffer += data
        message = bytes(buffer[: head_end + length])
        del buffer[: head_end + length]
        return message

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        try:
            from_client, from_server = bytearray(), bytearray()
            while True:
                request = self._read_message(client, from_client)
                if request is None:
                    return
                path = request.split(b" ", 2)[1].decode("latin-1") if b" " in request[:200] else ""
                fault = self._fault_for(path)
                if fault == "refuse":
                    return
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
                upstream.sendall(request)
                if isinstance(fault, tuple) and fault[0] == "hold":
                    deadline = time.monotonic() + fault[1]
                    upstream.settimeout(0.05)
                    response = None
                    while time.monotonic() < deadline:
                        try:
                            response = self._read_message(upstream, from_server)
                            break
                        except TimeoutError:
                            continue
                    if response is None:
                        return  # the server went away while we held its answer
                    while time.monotonic() < deadline:  # hold it, unless the server goes away meanwhile
                        try:
                            if not upstream.recv(1, socket.MSG_PEEK):
                                return
                        except TimeoutError:
                            continue
                    upstream.settimeout(None)
                else:
                    response = self._read_message(upstream, from_server)
                    if response is None:
                        return
                if fault == "drop":
                    return
                if isinstance(fault, tuple) and fault[0] == "cut":
                    client.sendall(response[: fault[1]])
                    return
                client.sendall(response)
        except OSError:
            return
        finally:
            for s in (client, upstream):
                if s is not None:
                    with contextlib.suppress(OSError):
                        s.shutdown(socket.SHUT_RDWR)
                    s.close()
