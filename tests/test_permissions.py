"""The permission table of docs/SECURITY.md, pushed cell by cell against a real ``liaison serve``: for every
role, kind of record and operation the server enforces, a change on a record the staff member works (own,
team or unowned) and on someone else's is accepted or refused exactly as the page says."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from liaison_tui.domain import permissions
from liaison_tui.domain.sync_protocol import (
    HEADER_DEVICE,
    HEADER_PROTOCOL,
    HEADER_SCHEMA,
    PROTOCOL,
    schema_fingerprint,
)

from .sync_support import ServerProcess

DOC = Path(__file__).resolve().parents[1] / "docs" / "SECURITY.md"
ROLES = ("admin", "supervisor", "officer", "viewer")
# Operations the server sees in a pushed change (export is the laptop app's, admin is `serve admin`).
SERVER_OPS = ("create", "update", "delete", "merge", "reassign", "reopen")
# Where each operation means something.
APPLIES = {
    "merge": {"contacts", "organizations"},
    "reassign": {"contacts", "cases", "followups", "introductions", "saved_views"},
    "reopen": {"cases"},
}
TABLES = (
    "organizations",
    "events",
    "contacts",
    "contact_points",
    "affiliations",
    "attendances",
    "cases",
    "followups",
    "activities",
    "skills",
    "talent_profiles",
    "talent_skills",
    "demands",
    "match_marks",
    "introductions",
    "saved_views",
    "consents",
    "erasures",
    "staff",
)


def documented() -> dict[str, dict[str, dict[str, str]]]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- permissions:begin.*?-->\n(.*?)<!-- permissions:end -->", text, re.S)
    assert block, "docs/SECURITY.md lost its permission table"
    return permissions.parse_markdown(block.group(1))  # type: ignore[return-value]


def test_the_page_shows_exactly_the_enforced_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- permissions:begin.*?-->\n(.*?)<!-- permissions:end -->", text, re.S)
    assert block and block.group(1) == permissions.markdown()
    assert documented() == permissions.TABLE


class Pusher:
    """Raw pushes for one laptop (its device id and numbering), as the server sees them. ``http`` is the
    module's one client: a new client per push would load the CA bundle each time (~50 ms)."""

    def __init__(self, server: ServerProcess, http: httpx.Client, token: str, device: str) -> None:
        self.server, self.http, self.device, self.seq = server, http, device, 0
        self.headers = {
            "Authorization": f"Bearer {token}",
            HEADER_PROTOCOL: str(PROTOCOL),
            HEADER_SCHEMA: schema_fingerprint(),
            HEADER_DEVICE: device,
        }

    def change(self, tbl: str, row_id: str, op: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
        self.seq += 1
        return {
            "seq": self.seq,
            "tbl": tbl,
            "row_id": row_id,
            "op": op,
            "fields": fields or {},
            "hlc": f"{1_795_000_000_000 + self.seq:013d}-0000-{self.device}",
        }

    def push(self, changes: list[dict[str, Any]]) -> dict[int, str | None]:
        """change number -> refusal reason (None: accepted)."""
        answer = self.http.post(
            self.server.url + "/v1/push", json={"changes": changes}, headers=self.headers, timeout=120
        )
        assert answer.status_code == 200, answer.text
        refused = {r["seq"]: r["reason"] for r in answer.json()["refused"]}
        return {c["seq"]: refused.get(c["seq"]) for c in changes}


_ids = itertools.count(1)


def rid() -> str:
    return f"0190b000-0000-7000-8000-{next(_ids):012d}"


def case_number() -> str:
    return f"QD-2026-PRM-{next(_ids):04d}"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    server = ServerProcess(tmp_path_factory.mktemp("perm") / "server.db").start()
    tokens = {role: server.token(f"p.{role}", role=role) for role in ROLES}
    server.token("p.other", role="officer")
    staff = dict(server.query("SELECT username, id FROM staff"))
    devices = {role: f"dev{role}" for role in ROLES}
    http = httpx.Client()
    setup = Pusher(server, http, server.token("p.setup", role="supervisor"), "devsetup")
    yield {
        "server": server,
        "http": http,
        "tokens": tokens,
        "staff": staff,
        "devices": devices,
        "setup": setup,
    }
    http.close()
    server.stop()


def _records(world: dict[str, Any], owner: str | None) -> dict[str, str]:
    """A fresh record of every kind, owned (where a kind has an owner) by ``owner``, made by a supervisor."""
    s: Pusher = world["setup"]
    org, event, contact, case = rid(), rid(), rid(), rid()
    made = {
        "organizations": org,
        "events": event,
        "contacts": contact,
        "contact_points": rid(),
        "affiliations": rid(),
        "attendances": rid(),
        "cases": case,
        "followups": rid(),
        "activities": rid(),
        "saved_views": rid(),
        "consents": rid(),
        "erasures": rid(),
        "closed_case": rid(),
        "skills": f"sk-perm-{next(_ids)}",
        "talent_profiles": rid(),
        "talent_skills": rid(),
        "demands": rid(),
        "match_marks": rid(),
        "introductions": rid(),
    }
    changes = [
        s.change("organizations", org, "create", {"name_en": "Perm Org"}),
        s.change("events", event, "create", {"name": "Perm Summit", "starts_on": "2026-05-01"}),
        s.change("contacts", contact, "create", {"native_name": "权限测试", "owner_id": owner}),
        s.change(
            "contact_points",
            made["contact_points"],
            "create",
            {"contact_id": contact, "kind": "email", "raw": "perm@example.org", "value": "perm@example.org"},
        ),
        s.change("affiliations", made["affiliations"], "create", {"contact_id": contact, "org_id": org}),
        s.change("attendances", made["attendances"], "create", {"event_id": event, "contact_id": contact}),
        s.change(
            "cases",
            case,
            "create",
            {
                "number": case_number(),
                "title": "Housing",
                "beneficiary_id": contact,
                "category": "housing",
                "owner_id": owner,
            },
        ),
        s.change(
            "cases",
            made["closed_case"],
            "create",
            {
                "number": case_number(),
                "title": "Visa",
                "beneficiary_id": contact,
                "category": "visa_entry",
                "owner_id": owner,
                "status": "resolved",
                "resolution": "done",
            },
        ),
        s.change(
            "followups",
            made["followups"],
            "create",
            {"title": "Call", "due_at": "2026-12-01T01:00:00Z", "contact_id": contact, "assignee_id": owner},
        ),
        s.change(
            "activities",
            made["activities"],
            "create",
            {"kind": "call", "summary": "Called", "contact_id": contact, "staff_id": owner},
        ),
        s.change("skills", made["skills"], "create", {"name_en": f"Perm skill {made['skills']}"}),
        s.change(
            "talent_profiles", made["talent_profiles"], "create", {"contact_id": contact, "degree": "phd"}
        ),
        s.change(
            "talent_skills",
            made["talent_skills"],
            "create",
            {"contact_id": contact, "skill_id": made["skills"]},
        ),
        s.change("demands", made["demands"], "create", {"title": "Perm demand", "org_id": org}),
        s.change(
            "match_marks",
            made["match_marks"],
            "create",
            {"demand_id": made["demands"], "contact_id": contact, "mark": "pinned"},
        ),
        s.change(
            "introductions",
            made["introductions"],
            "create",
            {"demand_id": made["demands"], "contact_id": contact, "owner_id": owner},
        ),
        s.change(
            "consents",
            made["consents"],
            "create",
            {
                "contact_id": contact,
                "action": "given",
                "purpose": "recruitment_contact",
                "channel": "paper",
                "occurred_on": "2026-01-05",
            },
        ),
    ]
    if owner is not None:
        changes.append(
            s.change(
                "saved_views",
                made["saved_views"],
                "create",
                {"owner_id": owner, "name": "Mine", "kind": "cases"},
            )
        )
    outcome = s.push(changes)
    assert all(reason is None for reason in outcome.values()), {k: v for k, v in outcome.items() if v}
    return made


def _attempt(
    world: dict[str, Any], table: str, op: str, target: dict[str, str], actor_id: str, other_id: str
) -> tuple[str, str, str, dict[str, Any]]:
    """(table, row id, change op, fields) of an attempt to do ``op`` on ``table``."""
    contact = target["contacts"]
    if table == "staff":
        staff_row = world["staff"]["p.other"]
        return {
            "create": ("staff", rid(), "create", {"username": f"x{next(_ids)}", "display_name": "X"}),
            "update": ("staff", staff_row, "update", {"display_name": "Renamed"}),
            "delete": ("staff", staff_row, "delete", {}),
        }.get(op, ("staff", staff_row, "update", {"role": "admin"}))
    if op == "create":
        new = {
            "organizations": {"name_en": "New Org"},
            "events": {"name": "New Event", "starts_on": "2026-06-01"},
            "contacts": {"native_name": "新建", "owner_id": actor_id},
            "contact_points": {
                "contact_id": contact,
                "kind": "phone",
                "raw": "+4915123456789",
                "value": "+4915123456789",
            },
            "affiliations": {"contact_id": contact, "org_id": target["organizations"]},
            "attendances": {"contact_id": contact, "event_id": target["events"]},
            "cases": {
                "number": case_number(),
                "title": "New",
                "beneficiary_id": contact,
                "category": "medical",
                "owner_id": target["owner"],
            },
            "followups": {
                "title": "New",
                "due_at": "2026-12-02T01:00:00Z",
                "contact_id": contact,
                "assignee_id": target["owner"],
            },
            "activities": {"kind": "note", "summary": "New", "contact_id": contact, "staff_id": actor_id},
            "skills": {"name_en": "New skill"},
            "talent_profiles": {"contact_id": contact, "years_experience": 3},
            "talent_skills": {"contact_id": contact, "skill_id": target["skills"]},
            "demands": {"title": "New demand", "org_id": target["organizations"]},
            "match_marks": {
                "demand_id": target["demands"],
                "contact_id": contact,
                "mark": "dismissed",
                "reason": "other",
            },
            "introductions": {
                "demand_id": target["demands"],
                "contact_id": contact,
                "owner_id": target["owner"],
            },
            "saved_views": {
                "owner_id": target["owner"],
                "name": "New view",
                "kind": "report",
                "target": "services",
            },
            "consents": {
                "contact_id": contact,
                "action": "withdrawn",
                "purpose": "publicity",
                "channel": "email",
                "occurred_on": "2026-02-01",
            },
            "erasures": {"contact_id": contact, "reason": "asked to be forgotten"},
        }[table]
        if table == "skills":
            return table, f"sk-new-{next(_ids)}", "create", new
        return table, rid(), "create", new
    row = target[table]
    if op == "update":
        field = {
            "organizations": "notes",
            "events": "notes",
            "contacts": "title",
            "contact_points": "label",
            "affiliations": "role",
            "attendances": "notes",
            "cases": "description",
            "followups": "notes",
            "activities": "details",
            "skills": "name_zh",
            "talent_profiles": "notes",
            "talent_skills": "raw",
            "demands": "notes",
            "match_marks": "note",
            "introductions": "notes",
            "saved_views": "name",
            "consents": "evidence",
            "erasures": "reason",
        }[table]
        return table, row, "update", {field: "edited"}
    if op == "delete":
        return table, row, "delete", {}
    if op == "merge":
        into = target["merge_org"] if table == "organizations" else target["merge_into"]
        return table, row, "update", {"merged_into": into}
    if op == "reassign":
        field = {"contacts": "owner_id", "cases": "owner_id", "followups": "assignee_id"}.get(
            table, "owner_id"
        )
        return table, row, "update", {field: other_id}
    if op == "reopen":
        return table, target["closed_case"], "update", {"status": "in_progress", "status_reason": "again"}
    raise AssertionError(op)


@pytest.mark.parametrize("role", ROLES)
def test_every_cell_of_the_table_holds_on_the_server(world: dict[str, Any], role: str) -> None:
    table_doc = documented()[role]
    server: ServerProcess = world["server"]
    actor_id, other_id = world["staff"][f"p.{role}"], world["staff"]["p.other"]
    pusher = Pusher(server, world["http"], world["tokens"][role], world["devices"][role])
    attempts: list[tuple[str, str, bool, str]] = []  # (table, op, works, expected)
    changes: list[dict[str, Any]] = []
    for works in (True, False):
        for table in TABLES:
            for op in SERVER_OPS:
                if op in APPLIES and table not in APPLIES[op]:
                    continue
                target = _records(world, actor_id if works else other_id)
                target["owner"] = actor_id if works else other_id
                spare = _records(world, actor_id)
                target["merge_into"], target["merge_org"] = spare["contacts"], spare["organizations"]
                tbl, row_id, change_op, fields = _attempt(world, table, op, target, actor_id, other_id)
                grant = table_doc[table][op]
                expected = "accept" if grant == "all" or (grant == "own" and works) else "refuse"
                changes.append(pusher.change(tbl, row_id, change_op, fields))
                attempts.append((table, op, works, expected))
    outcome = pusher.push(changes)
    wrong = []
    for change, (table, op, works, expected) in zip(changes, attempts, strict=True):
        reason = outcome[change["seq"]]
        got = "accept" if reason is None else "refuse"
        if got != expected or (
            got == "refuse"
            and reason not in ("sync.refused.role", "sync.refused.server_owned", "sync.refused.append_only")
        ):
            wrong.append(f"{table}/{op} ({'works' if works else 'other'}): expected {expected}, got {reason}")
    assert not wrong, "\n".join(wrong)
