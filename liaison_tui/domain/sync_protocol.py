"""The sync wire protocol between a laptop and the station's central service (see docs/SYNC.md). Pure.

A pushed change is a dict (one per device change number); a pulled change is a compact list in
:data:`PULL_COLUMNS` order, because an initial pull carries hundreds of thousands of them.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from .entities import ENTITIES
from .i18n import register

PROTOCOL = 2
HEADER_PROTOCOL = "X-Liaison-Protocol"
HEADER_SCHEMA = "X-Liaison-Schema"
HEADER_DEVICE = "X-Liaison-Device"
HEADER_VERSION = "X-Liaison-Version"
# A starter store's facts and its key travel in headers beside the file (GET /v1/starter).
HEADER_STARTER = "X-Liaison-Starter"
HEADER_STARTER_KEY = "X-Liaison-Starter-Key"
PUSH_BATCH = 500
MAX_PUSH_BATCH = 2000
PULL_PAGE = 5000
MAX_PULL_PAGE = 20_000
# Change numbers and cursors stay far inside SQLite's 64-bit integers (and exact in JSON everywhere).
MAX_SEQ = 2**53
MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_FIELDS = 100
MAX_GAPS = 64
# Tables that sync besides the entities: conflict records (raised by the server, resolved by people).
CONFLICTS_TABLE = "sync_conflicts"
CONFLICT_STATUS_FIELDS = ("status", "choice", "resolved_by", "resolved_at")
PULL_COLUMNS = ("seq", "tbl", "row_id", "op", "fields", "base", "hlc", "device_id", "author", "at")
OPS = ("create", "update", "delete", "undelete")
ROW_ID = re.compile(r"[0-9A-Za-z_.:-]{1,64}")
TABLE_NAME = re.compile(r"[a-z_]{1,40}")


@cache
def schema_fingerprint() -> str:
    """What both ends must agree on: every synced table and its fields. Changes when a release adds or
    renames a field, so an old laptop is told to upgrade instead of pushing records the server cannot read."""
    parts = [f"{table}:{','.join(entity.fields)}" for table, entity in sorted(ENTITIES.items())]
    parts.append(f"{CONFLICTS_TABLE}:{','.join(CONFLICT_STATUS_FIELDS)}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _scrub(value: Any) -> Any:
    """Lone surrogates (which JSON can carry and no database can store) become U+FFFD, so that a change
    holding one is refused on its own by the content checks instead of failing the whole batch."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return value


Text = Annotated[str, BeforeValidator(_scrub)]


class PushChange(BaseModel):
    """One change as a laptop sends it. Only the shape is checked here (a malformed batch is refused
    whole, 422); its content is checked change by change, and a bad change is refused on its own. Who made
    it, from which device and when are the server's facts, not the laptop's: ``author`` and ``at``, sent by
    older laptops, are ignored."""

    model_config = ConfigDict(extra="ignore")

    seq: int = Field(ge=1, le=MAX_SEQ, description="The laptop's change number.")
    tbl: Text = Field(max_length=64)
    row_id: Text = Field(max_length=128)
    op: Text = Field(max_length=16)
    fields: dict[Text, Any] = Field(default_factory=dict, max_length=MAX_FIELDS)
    base: dict[Text, Any] | None = Field(default=None, max_length=MAX_FIELDS)
    hlc: Text = Field(max_length=64)


class PushRequest(BaseModel):
    device: str | None = Field(
        default=None,
        max_length=64,
        description="Ignored when it names the token's device; refused when it names another.",
    )
    changes: list[PushChange] = Field(
        max_length=MAX_PUSH_BATCH,
        description="Change-log entries in change-number order. Each is checked on its own; a bad one "
        "is refused, never the batch.",
    )
    pushed_through: int = Field(
        default=0,
        ge=0,
        le=MAX_SEQ,
        description="The highest change number the laptop holds as acknowledged: a server restored from "
        "an older backup answers 409 server_behind so that the laptop sends them again.",
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
    clamped: dict[str, str] = Field(default={}, description="Change number -> stamp as stored.")
    conflicts: int = 0
    server_time_ms: int
    replayed: bool = False
    author: str = Field(default="", description="The staff member the server recorded as the author.")


class PullPage(BaseModel):
    changes: list[list[Any]] = Field(description=f"Each change as [{', '.join(PULL_COLUMNS)}].")
    next: int = Field(description="Cursor for the next page (server sequence).")
    next_hlc: str | None = Field(
        default=None,
        description="Stamp of the change at the cursor: sent back, it proves the feed the "
        "cursor points into is the one the laptop read (a restored server's is not).",
    )
    more: bool
    server_time_ms: int


class Session(BaseModel):
    """Who the token says the laptop is, and what the server holds of it."""

    username: str
    display_name: str
    role: str
    team: str | None = None
    device: str
    last_seq: int = Field(description="The laptop's highest change number the server has processed.")
    feed_seq: int = Field(description="The newest server sequence.")
    server_time_ms: int
    kit: dict[str, Any] | None = None
    wipe: bool = False


class StarterInfo(BaseModel):
    """A starter store: every record of the station with its search index built, as of a feed position.
    A new whole-station laptop copies it in whole and pulls from ``top`` (docs/SYNC.md)."""

    model_config = ConfigDict(extra="forbid")

    top: int = Field(ge=0, le=MAX_SEQ, description="The feed position the starter holds everything up to.")
    top_hlc: str | None = Field(default=None, max_length=64)
    records: int = Field(ge=0, le=MAX_SEQ)
    size: int = Field(ge=0, le=2**48, description="Bytes of the file.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    schema_: str = Field(alias="schema", max_length=128)
    built_at: str = Field(max_length=40)


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
        "sync.refused.role": (
            "The server refused this change: {detail}",
            "服务器拒绝了这项修改：{detail}",
        ),
        "sync.refused.server_owned": (
            "The server refused a change to {table}: only the station's administrator changes those.",
            "服务器拒绝了对{table}的修改：只有工作站管理员可以修改。",
        ),
        "sync.refused.erased": (
            "The server refused a change to a person whose data was erased.",
            "服务器拒绝了对已删除个人信息的人员的修改。",
        ),
        "sync.refused.append_only": (
            "The server refused a change to a {table}: entries are never edited; add a new one instead.",
            "服务器拒绝了对{table}的修改：已有记录不可修改，请新增一条。",
        ),
        "sync.refused.internal": (
            "The server could not apply change #{seq}; it was set aside.",
            "服务器无法应用修改 #{seq}，已将其搁置。",
        ),
    }
)
