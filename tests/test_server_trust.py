"""The central service trusts no laptop: each test plays an attacker holding one valid device token against
a real ``liaison serve`` process (or a careless client), and checks that the service refuses cleanly, keeps
its data whole, and that honest laptops go on syncing."""

from __future__ import annotations

import json
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from liaison_tui.domain.sync_protocol import (
    HEADER_DEVICE,
    HEADER_PROTOCOL,
    HEADER_SCHEMA,
    PROTOCOL,
    schema_fingerprint,
)
from liaison_tui.store import outbox
from liaison_tui.sync import SyncError

from .sync_support import LIAISON, Laptop, ServerProcess, laptop


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("server") / "server.db").start()
    yield proc
    proc.stop()


@pytest.fixture
def make(tmp_path: Path, server: ServerProcess) -> Iterator[Any]:
    made: list[Laptop] = []

    def factory(name: str, role: str = "supervisor") -> Laptop:
        lap = laptop(tmp_path, server, name, role=role)
        made.append(lap)
        return lap

    yield factory
    for lap in made:
        lap.close()


def headers(token: str, device: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {token}",
        HEADER_PROTOCOL: str(PROTOCOL),
        HEADER_SCHEMA: schema_fingerprint(),
        HEADER_DEVICE: device,
    }


def push(
    server: ServerProcess, token: str, device: str, changes: list[dict[str, Any]], **body: Any
) -> httpx.Response:
    return httpx.post(
        server.url + "/v1/push", json={"changes": changes, **body}, headers=headers(token, device), timeout=60
    )


def stamp(device: str, wall_ms: int = 1_790_000_000_000, counter: int = 0) -> str:
    return f"{wall_ms:013d}-{counter:04x}-{device}"


def contact_create(seq: int, device: str, row_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "seq": seq,
        "tbl": "contacts",
        "row_id": row_id,
        "op": "create",
        "fields": {"native_name": "测试", **fields},
        "hlc": stamp(device, counter=seq),
    }


def new_id(n: int) -> str:
    return f"0190a000-0000-7000-8000-{n:012d}"


# ------------------------------------------------------------------------------------- 1. impersonation
def test_a_fresh_token_cannot_take_another_laptops_device_id(server: ServerProcess, make: Any) -> None:
    a = make("imp.a")
    a.store.contacts.create({"native_name": "甲"})
    a.sync()
    intruder = server.token("imp.intruder", role="officer")
    answer = push(server, intruder, a.store.device_id, [contact_create(1, a.store.device_id, new_id(1))])
    assert answer.status_code == 409 and answer.json()["error"] == "device_taken"
    # the real laptop is untouched and keeps syncing
    a.store.contacts.create({"native_name": "乙"})
    report = a.sync()
    assert report.pushed == 1 and a.store.pending_changes() == 0


def test_huge_change_numbers_are_refused_and_never_break_the_laptop(server: ServerProcess, make: Any) -> None:
    a = make("imp.b")
    a.store.contacts.create({"native_name": "丙"})
    a.sync()
    # the laptop's own token, replayed with an absurd number
    answer = push(
        server, a.token, a.store.device_id, [contact_create(2**63 - 1, a.store.device_id, new_id(2))]
    )
    assert answer.status_code == 422 and answer.json()["error"] == "invalid_request"
    a.store.contacts.create({"native_name": "丁"})
    a.sync()
    assert a.store.pending_changes() == 0
    with pytest.raises(Exception) as err:
        outbox.renumber_pending(a.store, after=2**63 - 1)
    assert getattr(err.value, "key", "") == "sync.err.numbering"


# ------------------------------------------------------------------------------------- 2. server-owned
def test_staff_cannot_be_changed_through_sync(server: ServerProcess, make: Any) -> None:
    a = make("own.a", role="officer")
    a.sync()  # pulls the staff list
    me = server.query("SELECT id, role FROM staff WHERE username = 'own.a'")[0]
    device = a.store.device_id
    changes = [
        {
            "seq": 1,
            "tbl": "staff",
            "row_id": me[0],
            "op": "update",
            "fields": {"role": "admin"},
            "hlc": stamp(device, counter=1),
        },
        {
            "seq": 2,
            "tbl": "staff",
            "row_id": me[0],
            "op": "update",
            "fields": {"username": "bob"},
            "hlc": stamp(device, counter=2),
        },
        {
            "seq": 3,
            "tbl": "staff",
            "row_id": new_id(3),
            "op": "create",
            "fields": {"username": "own.a", "display_name": "Twin", "role": "admin"},
            "hlc": stamp(device, counter=3),
        },
        {
            "seq": 4,
            "tbl": "staff",
            "row_id": me[0],
            "op": "delete",
            "fields": {},
            "hlc": stamp(device, counter=4),
        },
    ]
    answer = push(server, a.token, device, changes)
    assert answer.status_code == 200
    result = answer.json()
    assert result["acked_through"] == 4
    assert [r["reason"] for r in result["refused"]] == ["sync.refused.server_owned"] * 4
    assert server.query("SELECT username, role, deleted FROM staff WHERE id = ?", (me[0],)) == [
        ("own.a", "officer", 0)
    ]
    assert server.query("SELECT count(*) FROM staff WHERE username = 'own.a'")[0][0] == 1


def test_deactivated_or_deleted_staff_are_refused_at_once(server: ServerProcess, make: Any) -> None:
    a = make("own.gone")
    a.sync()
    subprocess.run(
        [LIAISON, "serve", "admin", "deactivate-staff", "own.gone", "--db", str(server.db)],
        check=True,
        capture_output=True,
    )
    a.store.contacts.create({"native_name": "戊"})
    with pytest.raises(SyncError) as err:
        a.sync()
    assert err.value.key == "sync.err.staff_inactive" and a.store.pending_changes() == 1


def test_user_names_are_unique(server: ServerProcess) -> None:
    server.token("uniq.a")
    result = subprocess.run(
        [LIAISON, "--lang", "en", "serve", "admin", "add-staff", "uniq.a", "--db", str(server.db)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "already exists" in result.stderr and "Traceback" not in result.stderr


# ------------------------------------------------------------------------------------- 3. authorship
def test_author_device_and_time_are_the_servers_facts(server: ServerProcess, make: Any) -> None:
    a, b = make("auth.a"), make("auth.b")
    device = a.store.device_id
    forged = {**contact_create(1, device, new_id(31)), "author": "alice", "at": "2020-01-01T00:00:00Z"}
    answer = push(server, a.token, device, [forged])
    assert answer.status_code == 200 and not answer.json()["refused"]
    author, at, dev = server.query(
        "SELECT author, at, device_id FROM change_log WHERE row_id = ?", (new_id(31),)
    )[0]
    assert (author, dev) == ("auth.a", device) and at > "2026"
    # an honest edit on a, pulled by b: b's history names the server's author
    contact = a.store.contacts.create({"native_name": "己"})
    a.sync()
    b.sync()
    b.store.contacts.update(contact.id, {"title": "Prof."})
    b.sync()
    a.sync()
    history = a.store.history("contacts", contact.id)
    assert [h["author"] for h in history if h["field"] == "title"] == ["auth.b"]


# ------------------------------------------------------------------------------------- 4. frozen fields
@pytest.mark.parametrize(
    "bad",
    [
        "99-0000-{d}",
        "1_795_975_165_065-0000-{d}",
        "1795975165065-00000-{d}",
        "1795975165065-0000-{d}-x",
        "１７９５９７５１６５０６５-0000-{d}",
        "1795975165065-ABCD-{d}",
    ],
)
def test_non_canonical_stamps_are_refused_and_later_edits_apply(
    server: ServerProcess, make: Any, bad: str
) -> None:
    a = make("frz.a")
    contact = a.store.contacts.create({"native_name": "庚"})
    a.sync()
    device = a.store.device_id
    change = {
        "seq": 10_000,
        "tbl": "contacts",
        "row_id": contact.id,
        "op": "update",
        "fields": {"title": "frozen"},
        "hlc": bad.format(d=device),
    }
    result = push(server, a.token, device, [change], pushed_through=outbox.pushed_through(a.store)).json()
    assert [r["reason"] for r in result["refused"]] == ["sync.refused.malformed"]
    a.store.contacts.update(contact.id, {"title": "honest"})
    a.sync()
    assert server.query("SELECT title FROM contacts WHERE id = ?", (contact.id,)) == [("honest",)]


# ------------------------------------------------------------------------------------- 5. bounded cost
def test_oversized_lists_are_refused_as_invalid(server: ServerProcess, make: Any) -> None:
    a = make("big.a")
    device = a.store.device_id
    change = contact_create(1, device, new_id(51), tags=[f"t{i}" for i in range(100_000)])
    answer = push(server, a.token, device, [change, contact_create(2, device, new_id(52))])
    assert answer.status_code == 200
    result = answer.json()
    assert [r["seq"] for r in result["refused"]] == [1] and result["refused"][0][
        "reason"
    ] == "sync.refused.invalid"
    assert server.query("SELECT count(*) FROM contacts WHERE id IN (?, ?)", (new_id(51), new_id(52))) == [
        (1,)
    ]


def test_bodies_over_the_limit_get_413_and_change_nothing(server: ServerProcess, make: Any) -> None:
    a = make("big.b")
    device = a.store.device_id
    before = server.query("SELECT max(seq) FROM change_log")
    filler = "x" * (9 * 1024 * 1024)
    answer = push(server, a.token, device, [contact_create(1, device, new_id(53), notes=filler)])
    assert answer.status_code == 413 and answer.json()["error"] == "body_too_large"

    # a chunked body with no length announced is counted as it arrives
    def chunks() -> Iterator[bytes]:
        yield b'{"changes": [], "padding": "'
        for _ in range(10):
            yield b"y" * (1024 * 1024)
        yield b'"}'

    answer = httpx.post(
        server.url + "/v1/push", content=chunks(), headers=headers(a.token, device), timeout=60
    )
    assert answer.status_code == 413
    assert server.query("SELECT max(seq) FROM change_log") == before


# ------------------------------------------------------------------------------------- 6. no 500s
def test_malformed_requests_get_json_4xx_and_one_bad_change_is_refused_alone(
    server: ServerProcess, make: Any
) -> None:
    a = make("bad.a")
    device = a.store.device_id
    h = headers(a.token, device)
    for query in ("after=9223372036854775808", "after=-1", "limit=0", "after=abc", "gaps=5-1", "gaps=1-2-3"):
        answer = httpx.get(server.url + "/v1/pull?" + query, headers=h)
        assert 400 <= answer.status_code < 500 and "error" in answer.json(), query
    bad = {
        "seq": 1,
        "tbl": "contacts",
        "row_id": "LONE",
        "op": "create",
        "fields": {},
        "hlc": stamp(device, counter=1),
    }
    body = json.dumps({"changes": [bad, contact_create(2, device, new_id(61))]})
    lone = body.replace('"LONE"', '"\\ud800"')  # a lone surrogate, as raw JSON can carry it
    answer = httpx.post(
        server.url + "/v1/push", content=lone.encode(), headers={**h, "Content-Type": "application/json"}
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert [r["seq"] for r in result["refused"]] == [1] and result["acked_through"] == 2
    assert server.query("SELECT count(*) FROM contacts WHERE id = ?", (new_id(61),)) == [(1,)]
    for body in (b"not json", b"[]", b'{"changes": "x"}', b"[" * 100_000):
        answer = httpx.post(
            server.url + "/v1/push", content=body, headers={**h, "Content-Type": "application/json"}
        )
        assert 400 <= answer.status_code < 500 and "error" in answer.json(), body[:20]


# ------------------------------------------------------------------------------------- 7. brake
def test_repeated_failures_are_slowed_then_refused_with_429(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    srv = ServerProcess(
        tmp_path / "brake.db",
        args=("--auth-free", "2", "--auth-block-after", "5", "--auth-block-seconds", "30"),
        log=log,
    ).start()
    try:
        good = srv.token("brk.a")
        guesses = [f"lsn_guess{i:04d}" for i in range(5)]
        codes = [
            httpx.get(srv.url + "/v1/session", headers=headers(g, "abc123"), timeout=30).status_code
            for g in guesses
        ]
        assert codes == [401] * 5
        blocked = httpx.get(srv.url + "/v1/session", headers=headers(good, "abc123"), timeout=30)
        assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
        assert blocked.json()["error"] == "too_many_attempts"
    finally:
        srv.stop()
    text = log.read_text()
    assert '"auth_throttled"' in text and "lsn_guess" not in text and good not in text


# ------------------------------------------------------------------------------------- 8. transport
def test_plain_http_to_another_host_is_refused_unless_allowed(tmp_path: Path, make: Any) -> None:
    from liaison_tui.sync import sync_once

    a = make("tls.a")
    with pytest.raises(SyncError) as err:
        sync_once(a.store, "http://liaison.example.org", a.token, retries=0)
    assert err.value.key == "sync.err.insecure_url" and "allow_insecure_http" in err.value.message("en")
    with pytest.raises(SyncError) as err:  # allowed: then it is merely unreachable
        sync_once(a.store, "http://192.0.2.1:9", a.token, retries=0, allow_insecure_http=True, timeout=0.5)
    assert err.value.key == "sync.err.offline"


def test_a_certificate_problem_is_not_called_offline(tmp_path: Path) -> None:
    import trustme

    from liaison_tui.store import Store
    from liaison_tui.sync import sync_once

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    key, chain = tmp_path / "key.pem", tmp_path / "cert.pem"
    cert.private_key_pem.write_to_path(str(key))
    cert.cert_chain_pems[0].write_to_path(str(chain))
    context = ssl.create_default_context()
    ca.configure_trust(context)
    srv = ServerProcess(
        tmp_path / "tls.db",
        args=("--ssl-keyfile", str(key), "--ssl-certfile", str(chain)),
        scheme="https",
        verify=context,
    ).start()
    try:
        token = srv.token("tls.b")
        with Store.open(tmp_path / "lap.db", author="x") as store:
            with pytest.raises(SyncError) as err:  # the laptop does not trust this CA: someone in the middle?
                sync_once(store, srv.url, token, retries=0)
            assert err.value.key == "sync.err.certificate"
            assert "不是网络中断" in err.value.message("zh")
            report = sync_once(store, srv.url, token, retries=0, tls_verify=context)  # trusted: syncs
            assert report.pushed == 0
    finally:
        srv.stop()


# ------------------------------------------------------------------------------------- 9. roles
def test_a_viewer_cannot_write_and_the_queue_moves_on(server: ServerProcess, make: Any) -> None:
    v = make("role.viewer", role="viewer")
    mine = v.store.contacts.create({"native_name": "辛"})
    report = v.sync()
    assert report.refused == 1 and v.store.pending_changes() == 0
    refused = outbox.rejected(v.store, lang="en")
    assert "Viewer" in refused[0]["message"] and "may not create" in refused[0]["message"]
    assert v.store.row("contacts", mine.id) is None  # put back to the server's state: never created


def test_token_days_must_be_sensible_and_list_tokens_shows_expired(server: ServerProcess) -> None:
    server.token("tok.a")
    for days in ("0", "-3", "100000"):
        result = subprocess.run(
            [
                LIAISON,
                "--lang",
                "en",
                "serve",
                "admin",
                "issue-device-token",
                "tok.a",
                "--days",
                days,
                "--db",
                str(server.db),
            ],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 1 and "--days must be" in result.stderr, days
    from liaison_tui.store.crypto import connect_file

    conn = connect_file(server.db)
    conn.execute(
        "UPDATE sync_tokens SET expires_at = '2001-01-01T00:00:00Z' WHERE staff_id = "
        "(SELECT id FROM staff WHERE username = 'tok.a')"
    )
    conn.close()
    listing = subprocess.run(
        [LIAISON, "--lang", "en", "serve", "admin", "list-tokens", "--db", str(server.db)],
        capture_output=True,
        text=True,
    ).stdout
    assert any("tok.a" in line and "expired" in line for line in listing.splitlines())
