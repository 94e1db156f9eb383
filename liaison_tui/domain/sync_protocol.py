"""The sync wire protocol between a laptop and the station's central service (see docs/SYNC.md). Pure.

A pushed change is a dict (one per device change number); a pulled change is a compact list in
:data:`PULL_COLUMNS` order, because an initial pull carries hundreds of thousands of them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel, Field

from .entities import ENTITIES
from .i18n import register

PROTOCOL = 1
HEADER_PROTOCOL = "X-Liaison-Protocol"
HEADER_SCHEMA = "X-Liaison-Schema"
HEADER_DEVICE = "X-Liaison-Device"
HEADER_VERSION = "X-Liaison-Version"
PUSH_BATCH = 500
PULL_PAGE = 5000
MAX_PULL_PAGE = 20_000
# Tables that sync besides the entities: conflict records (raised by the server, resolved by people).
CONFLICTS_TABLE = "sync_conflicts"
CONFLICT_STATUS_FIELDS = ("status", "choice", "resolved_by", "resolved_at")
PULL_COLUMNS = ("seq", "tbl", "row_id", "op", "fields", "base", "hlc", "device_id", "author", "at")
OPS = ("create", "update", "delete", "undelete")


def schema_fingerprint() -> str:
    """What both ends must agree on: every synced table and its fields. Changes when a release adds or
    renames a field, so an old laptop is told to upgrade instead of pushing records the server cannot read."""
    parts = [f"{table}:{','.join(entity.fields)}" for table, entity in sorted(ENTITIES.items())]
    parts.append(f"{CONFLICTS_TABLE}:{','.join(CONFLICT_STATUS_FIELDS)}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


class PushRequest(BaseModel):
    device: str = Field(description="The laptop's device id (the origin of every change in the batch).")
    changes: list[dict[str, Any]] = Field(
        description="Change-log entries in device change-number order: seq, tbl, row_id, op, fields, base, "
        "hlc, author, at. Each is checked on its own; a bad one is refused, never the batch."
    )


class Refusal(BaseModel):
    seq: int
    tbl: str
    row_id: str
    reason: str = Field(description="Message key (bilingual catalog).")
    params: dict[str, Any] = {}
    exists: bool = Field(description="Whether the record exists on the server.")
    state: dict[str, list[Any]] = Field(
        default={}, description="Server state of the refused change's fields: field -> [value, clock]."
    )


class PushResult(BaseModel):
    acked_through: int = Field(description="Every change numbered up to this one is processed.")
    refused: list[Refusal] = []
    clamped: dict[str, str] = Field(default={}, description="Original stamp -> stamp as stored.")
    conflicts: int = 0
    server_time_ms: int
    replayed: bool = False


class PullPage(BaseModel):
    changes: list[list[Any]] = Field(description=f"Each change as [{', '.join(PULL_COLUMNS)}].")
    next: int = Field(description="Cursor for the next page (server sequence).")
    more: bool
    server_time_ms: int


class Health(BaseModel):
    status: str
    protocol: int
    schema_: str = Field(alias="schema")
    version: str


class ErrorBody(BaseModel):
    error: str
    detail: dict[str, Any] = {}


register(
    {
        "sync.refused.invalid": (
            "The server refused a change to this {table}: {detail}",
            "服务器拒绝了对该{table}的修改：{detail}",
        ),
        "sync.refused.transition": (
            "The server refused a case status change {old} → {new}: the case was changed on "
            "another laptop meanwhile.",
            "服务器拒绝了事项状态变更 {old} → {new}：该事项已在其他电脑上被修改。",
        ),
        "sync.refused.missing": (
            "The server refused a change to a {table} it does not have.",
            "服务器拒绝了对不存在的{table}的修改。",
        ),
        "sync.refused.reference": (
            "The server refused a change to this {table}: it points to a record the server does not have.",
            "服务器拒绝了对该{table}的修改：其引用的记录在服务器上不存在。",
        ),
        "sync.refused.malformed": (
            "The server refused a damaged change (#{seq}).",
            "服务器拒绝了一条损坏的修改（#{seq}）。",
        ),
        "sync.refused.internal": (
            "The server could not apply change #{seq}; it was set aside.",
            "服务器无法应用修改 #{seq}，已将其搁置。",
        ),
    }
)
