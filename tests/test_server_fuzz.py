"""schemathesis against the live OpenAPI of a real ``liaison serve``, with a valid token: whatever the
generated requests hold, the service never answers 500 or more, and its database stays whole."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from liaison_tui.domain.sync_protocol import (
    HEADER_DEVICE,
    HEADER_PROTOCOL,
    HEADER_SCHEMA,
    PROTOCOL,
    schema_fingerprint,
)
from liaison_tui.store.crypto import connect_file

from .sync_support import ServerProcess

DEVICE = "fuzzdevice01"


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    db: Path = tmp_path_factory.mktemp("fuzz") / "server.db"
    server = ServerProcess(db, args=("--auth-free", "1000", "--auth-block-after", "10000")).start()
    token = server.token("fuzz.sup", role="supervisor")
    yield {"server": server, "token": token}
    server.stop()
    conn = connect_file(db)
    try:  # every generated request left the database whole
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


@pytest.fixture(scope="module")
def api_schema(fuzz_server: dict[str, Any]) -> Any:
    return schemathesis.openapi.from_url(fuzz_server["server"].url + "/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_answer_is_a_server_error(case: Any, fuzz_server: dict[str, Any]) -> None:
    server: ServerProcess = fuzz_server["server"]
    headers = {
        "Authorization": f"Bearer {fuzz_server['token']}",
        HEADER_PROTOCOL: str(PROTOCOL),
        HEADER_SCHEMA: schema_fingerprint(),
        HEADER_DEVICE: DEVICE,
    }
    response = case.call(base_url=server.url, headers=headers, timeout=60)
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])
    kind = response.headers.get("content-type") or [""]
    kind = kind[0] if isinstance(kind, list) else kind
    assert kind.startswith("application/json") or response.status_code == 204, kind
