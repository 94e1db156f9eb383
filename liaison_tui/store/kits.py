"""Trip kits on the central service: their definitions (``serve admin kit …``), the scope a kit's laptops
may hold, and the difference a laptop takes in when that scope moves.

The server computes the scope; the laptop never widens it. Each kit laptop has the records it was given
(``sync_device_scope``): pulls are filtered by it. At every sync after the feed catch-up the server
computes the kit's current scope, stages it (``sync_scope_next``) and pages out the difference: puts for
records that entered, removes for records that left (PowerSync's rule: a record leaves a device only when
it has left the device's scope; leaving is not deleting). When the laptop has taken all pages it
acknowledges, and the staged scope becomes what it holds. A lost acknowledgement only means the same
difference is sent again; puts and removes are idempotent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import orjson

from ..domain.entities import ENTITIES
from ..domain.errors import LiaisonError
from ..domain.i18n import register
from ..domain.kits import KIT_NAME, KitInfo, KitSpec
from ..domain.sync_protocol import CONFLICTS_TABLE
from ..domain.times import iso, parse_iso, utcnow
from ..domain.workflow import OPEN_STATUSES
from . import puts
from .store import Store

register(
    {
        "kit.err.exists": ("A kit named {name} already exists.", "已存在名为 {name} 的数据包。"),
        "kit.err.unknown_owner": (
            "No staff member or team named {name}.",
            "没有名为 {name} 的工作人员或团队。",
        ),
        "kit.err.unknown_event": ("No event {id}.", "没有编号为 {id} 的活动。"),
        "kit.err.expires": ("The expiry date {date} is in the past.", "到期日 {date} 已过。"),
    }
)

_OPEN = "(" + ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES, key=str)) + ")"
_STAGE_CHUNK = 20_000
PAGE = 2_000


def spec_hash(spec: KitSpec, expires_at: str | None) -> str:
    return hashlib.sha256(spec.model_dump_json().encode() + (expires_at or "").encode()).hexdigest()[:16]


class Kits:
    """Kit definitions (server side)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def create(
        self,
        name: str,
        spec: KitSpec,
        *,
        expires_at: str | None = None,
        grace_days: int | None = None,
        author: str | None = None,
        replace: bool = False,
    ) -> None:
        if not KIT_NAME.fullmatch(name):
            raise LiaisonError("kit.err.name")
        if spec.empty:
            raise LiaisonError("kit.err.empty")
        if expires_at and parse_iso(expires_at) <= utcnow():
            raise LiaisonError("kit.err.expires", date=expires_at[:10])
        self._check(spec)
        now = iso(utcnow())
        with self.store.transaction() as conn:
            exists = conn.execute("SELECT 1 FROM sync_kits WHERE name = ?", (name,)).fetchone()
            if exists and not replace:
                raise LiaisonError("kit.err.exists", name=name)
            conn.execute(
                "INSERT INTO sync_kits (name, spec, expires_at, grace_days, created_at, created_by, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET spec = excluded.spec, "
                "expires_at = excluded.expires_at, grace_days = excluded.grace_days, updated_at = excluded.updated_at",
                (name, spec.model_dump_json(), expires_at, grace_days, now, author, now),
            )

    def _check(self, spec: KitSpec) -> None:
        conn = self.store.conn
        for owner in spec.owners:
            if owner.startswith("team:"):
                found = conn.execute(
                    "SELECT 1 FROM staff WHERE team = ? AND deleted = 0", (owner[5:],)
                ).fetchone()
            else:
                found = conn.execute(
                    "SELECT 1 FROM staff WHERE username = ? AND deleted = 0", (owner,)
                ).fetchone()
            if not found:
                raise LiaisonError("kit.err.unknown_owner", name=owner)
        for event in spec.events:
            if not conn.execute("SELECT 1 FROM events WHERE id = ?", (event,)).fetchone():
                raise LiaisonError("kit.err.unknown_event", id=event)

    def get(self, name: str) -> tuple[KitSpec, str | None, int | None]:
        row = self.store.conn.execute(
            "SELECT spec, expires_at, grace_days FROM sync_kits WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            raise LiaisonError("hub.err.no_kit", name=name)
        return KitSpec.model_validate_json(row[0]), row[1], row[2]

    def info(self, name: str, lang: str | None = None) -> KitInfo:
        spec, expires, grace = self.get(name)
        return KitInfo(name=name, expires_at=expires, grace_days=grace, summary=spec.model_dump(mode="json"))

    def list(self) -> list[dict[str, Any]]:
        cursor = self.store.conn.execute(
            "SELECT k.name, k.spec, k.expires_at, k.grace_days, k.updated_at, "
            "(SELECT count(*) FROM sync_tokens t WHERE t.kit = k.name AND t.revoked_at IS NULL) AS tokens "
            "FROM sync_kits k ORDER BY k.name"
        )
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    def delete(self, name: str) -> None:
        self.get(name)
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM sync_kit_members WHERE kit = ?", (name,))
            conn.execute("DELETE FROM sync_kits WHERE name = ?", (name,))

    def counts(self, name: str) -> dict[str, int]:
        """How many records of each kind the kit carries now."""
        spec, _, _ = self.get(name)
        conn = scope_connection(self.store)
        try:
            scope = compute(conn, name, spec)
        finally:
            conn.close()
        return {table: len(ids) for table, ids in scope.items()}


def scope_connection(store: Store) -> Any:
    """A read-only connection on the server's file with its own temporary tables (scope computation)."""
    from . import crypto, engine

    conn = engine.connect(f"file:{store.path}?mode=ro", uri=True)
    crypto.apply_key(conn, store.key)
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.create_function(
        "lx_fold", 1, lambda s: s.casefold() if isinstance(s, str) else s, deterministic=True
    )
    return conn


def _in(values: list[str]) -> tuple[str, list[str]]:
    return "(" + ", ".join("?" * len(values)) + ")", values


def compute(conn: Any, kit: str, spec: KitSpec) -> dict[str, list[str]]:
    """The records a kit carries now: table -> ids. One read transaction, so the scope is consistent."""
    conn.execute("BEGIN")
    try:
        return _compute(conn, kit, spec)
    finally:
        conn.execute("COMMIT")


def _owner_ids(conn: Any, owners: list[str]) -> list[str]:
    ids: set[str] = set()
    for owner in owners:
        if owner.startswith("team:"):
            ids.update(r[0] for r in conn.execute("SELECT id FROM staff WHERE team = ?", (owner[5:],)))
        else:
            ids.update(r[0] for r in conn.execute("SELECT id FROM staff WHERE username = ?", (owner,)))
    return sorted(ids)


def _compute(conn: Any, kit: str, spec: KitSpec) -> dict[str, list[str]]:
    for name in ("kc", "kk", "kf", "ka"):
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (id TEXT PRIMARY KEY) WITHOUT ROWID")
        conn.execute(f"DELETE FROM {name}")
    open_cases = f" AND status IN {_OPEN}" if spec.open_only else ""
    live_followups = " AND status IN ('open', 'snoozed')" if spec.open_only else ""
    owners = _owner_ids(conn, spec.owners)

    def add(target: str, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> None:
        conn.execute(f"INSERT OR IGNORE INTO {target} (id) SELECT x FROM ({sql}) WHERE x IS NOT NULL", params)

    if spec.countries:
        marks, values = _in(spec.countries)
        add("kc", f"SELECT id AS x FROM contacts WHERE country IN {marks}", values)
    if spec.cities:
        marks, values = _in(spec.cities)
        add("kc", f"SELECT id AS x FROM contacts WHERE lx_fold(city) IN {marks}", values)
    if spec.events:
        marks, values = _in(spec.events)
        add(
            "kc", f"SELECT contact_id AS x FROM attendances WHERE deleted = 0 AND event_id IN {marks}", values
        )
    if owners:
        marks, values = _in(owners)
        add("kc", f"SELECT id AS x FROM contacts WHERE owner_id IN {marks}", values)
        add("kk", f"SELECT id AS x FROM cases WHERE owner_id IN {marks}{open_cases}", values)
        add("kf", f"SELECT id AS x FROM followups WHERE assignee_id IN {marks}{live_followups}", values)
    if spec.chains:
        marks, values = _in([c.value for c in spec.chains])
        add(
            "kc",
            f"SELECT c.id AS x FROM contacts c, json_each(c.industry_chains) j WHERE j.value IN {marks}",
            values,
        )
    for start in range(0, len(spec.contacts), 500):
        marks, values = _in(spec.contacts[start : start + 500])
        add("kc", f"SELECT id AS x FROM contacts WHERE id IN {marks}", values)
    for table, target in (("contacts", "kc"), ("cases", "kk"), ("followups", "kf"), ("activities", "ka")):
        add(target, "SELECT row_id AS x FROM sync_kit_members WHERE kit = ? AND tbl = ?", (kit, table))

    # What the people need, until nothing more is pulled in: their cases, the follow-ups and activities
    # of people and cases, and whatever those point to.
    for _ in range(6):
        before = conn.total_changes
        add("kk", f"SELECT id AS x FROM cases WHERE beneficiary_id IN (SELECT id FROM kc){open_cases}")
        add(
            "kf",
            "SELECT id AS x FROM followups WHERE (contact_id IN (SELECT id FROM kc) OR case_id IN "
            f"(SELECT id FROM kk)){live_followups}",
        )
        add(
            "ka",
            "SELECT id AS x FROM activities WHERE contact_id IN (SELECT id FROM kc) OR case_id IN "
            "(SELECT id FROM kk)",
        )
        add("kc", "SELECT beneficiary_id AS x FROM cases WHERE id IN (SELECT id FROM kk)")
        for source, target, column in (("followups", "kf", "contact_id"), ("activities", "ka", "contact_id")):
            add("kc", f"SELECT {column} AS x FROM {source} WHERE id IN (SELECT id FROM {target})")
        for source, target in (("followups", "kf"), ("activities", "ka")):
            add("kk", f"SELECT case_id AS x FROM {source} WHERE id IN (SELECT id FROM {target})")
        if conn.total_changes == before:
            break

    def ids(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[str]:
        return [r[0] for r in conn.execute(sql, params)]

    scope: dict[str, list[str]] = {
        "staff": ids("SELECT id FROM staff"),
        "organizations": ids(
            "SELECT id FROM organizations WHERE alliance_member = 1 OR id IN (SELECT org_id FROM contacts WHERE id "
            "IN (SELECT id FROM kc)) OR id IN (SELECT org_id FROM affiliations WHERE contact_id IN (SELECT id FROM kc))"
            " OR id IN (SELECT row_id FROM sync_kit_members WHERE kit = ? AND tbl = 'organizations')",
            (kit,),
        ),
        "events": ids("SELECT id FROM events"),
        "contacts": ids("SELECT id FROM kc"),
        "cases": ids("SELECT id FROM kk"),
        "followups": ids("SELECT id FROM kf"),
        "activities": ids("SELECT id FROM ka"),
    }
    for table in ("contact_points", "affiliations", "attendances"):
        scope[table] = ids(f"SELECT id FROM {table} WHERE contact_id IN (SELECT id FROM kc)")
    for table in ENTITIES:  # kinds added later (consents, erasures…): by contact where they have one
        if table in scope:
            continue
        if "contact_id" in ENTITIES[table].fields:
            scope[table] = ids(f"SELECT id FROM {table} WHERE contact_id IN (SELECT id FROM kc)")
        else:
            scope[table] = ids(f"SELECT id FROM {table}")
    held = {(t, i) for t, rows in scope.items() for i in rows}
    scope[CONFLICTS_TABLE] = [
        cid
        for cid, tbl, row_id in conn.execute(f"SELECT id, tbl, row_id FROM {CONFLICTS_TABLE}")
        if (tbl, row_id) in held
    ]
    return scope


# ------------------------------------------------------------------------------------- a laptop's scope
class DeviceScope:
    """The scope difference for one kit laptop: stage, page out, acknowledge."""

    def __init__(self, store: Store, kits: Kits) -> None:
        self.store = store
        self.kits = kits

    def stage(self, device: str, kit: str, top: int) -> dict[str, Any]:
        """Compute the kit's scope and stage it for ``device``, unless nothing moved since the last one."""
        spec, expires, _ = self.kits.get(kit)
        version = spec_hash(spec, expires)
        state = self.store.conn.execute(
            "SELECT staged_top, staged_spec, held_top, held_spec FROM sync_device_state WHERE device = ?",
            (device,),
        ).fetchone()
        if state and state[2] == top and state[3] == version:
            return {"token": f"{top}:{version}", "changed": False}
        if not (state and state[0] == top and state[1] == version):
            conn = scope_connection(self.store)
            try:
                scope = compute(conn, kit, spec)
            finally:
                conn.close()
            rows = [(device, table, row_id) for table, ids in scope.items() for row_id in ids]
            with self.store.transaction() as conn:
                conn.execute("DELETE FROM sync_scope_next WHERE device = ?", (device,))
            for start in range(0, len(rows), _STAGE_CHUNK):  # short transactions: pushes are not held up
                with self.store.transaction() as conn:
                    conn.executemany(
                        "INSERT OR IGNORE INTO sync_scope_next (device, tbl, row_id) VALUES (?, ?, ?)",
                        rows[start : start + _STAGE_CHUNK],
                    )
            with self.store.transaction() as conn:
                conn.execute(
                    "INSERT INTO sync_device_state (device, staged_top, staged_spec) VALUES (?, ?, ?) ON CONFLICT"
                    "(device) DO UPDATE SET staged_top = excluded.staged_top, staged_spec = excluded.staged_spec",
                    (device, top, version),
                )
        return {"token": f"{top}:{version}", "changed": True}

    def page(
        self, reader: Any, device: str, after: tuple[int, str] | None, limit: int = PAGE
    ) -> dict[str, Any]:
        """Records that entered (as puts) and that left (as removes), in table order then id order."""
        order = list(puts.ORDER)
        start_table, start_id = after or (0, "")
        out_puts: list[list[Any]] = []
        removes: list[list[str]] = []
        position: tuple[int, str] | None = None
        for index in range(start_table, len(order)):
            table = order[index]
            since = start_id if index == start_table else ""
            entered = [
                r[0]
                for r in reader.execute(
                    "SELECT n.row_id FROM sync_scope_next n WHERE n.device = ? AND n.tbl = ? AND n.row_id > ? AND "
                    "NOT EXISTS (SELECT 1 FROM sync_device_scope s WHERE s.device = n.device AND s.tbl = n.tbl AND "
                    "s.row_id = n.row_id) ORDER BY n.row_id LIMIT ?",
                    (device, table, since, limit),
                )
            ]
            left = [
                r[0]
                for r in reader.execute(
                    "SELECT s.row_id FROM sync_device_scope s WHERE s.device = ? AND s.tbl = ? AND s.row_id > ? AND "
                    "NOT EXISTS (SELECT 1 FROM sync_scope_next n WHERE n.device = s.device AND n.tbl = s.tbl AND "
                    "n.row_id = s.row_id) ORDER BY s.row_id LIMIT ?",
                    (device, table, since, limit),
                )
            ]
            if len(entered) == limit or len(left) == limit:
                # A page ends inside this table: stop at the smaller of the two last ids, so nothing is skipped.
                stop = min(x[-1] for x in (entered, left) if len(x) == limit)
                entered = [i for i in entered if i <= stop]
                left = [i for i in left if i <= stop]
                position = (index, stop)
            out_puts += puts.read_puts(reader, table, entered)
            removes += [[table, row_id] for row_id in left]
            if position is not None or len(out_puts) + len(removes) >= limit:
                position = position or (index + 1, "")
                break
        return {"puts": out_puts, "removes": removes, "next": list(position) if position else None}

    def ack(self, device: str, token: str) -> bool:
        """The laptop took the whole difference in: the staged scope is what it holds now."""
        state = self.store.conn.execute(
            "SELECT staged_top, staged_spec FROM sync_device_state WHERE device = ?", (device,)
        ).fetchone()
        if state is None or f"{state[0]}:{state[1]}" != token:
            return False
        with self.store.transaction() as conn:
            conn.execute(
                "DELETE FROM sync_device_scope WHERE device = ? AND NOT EXISTS (SELECT 1 FROM sync_scope_next n "
                "WHERE n.device = sync_device_scope.device AND n.tbl = sync_device_scope.tbl AND "
                "n.row_id = sync_device_scope.row_id)",
                (device,),
            )
            conn.execute(
                "INSERT OR IGNORE INTO sync_device_scope (device, tbl, row_id) "
                "SELECT device, tbl, row_id FROM sync_scope_next WHERE device = ?",
                (device,),
            )
            conn.execute(
                "UPDATE sync_device_state SET held_top = staged_top, held_spec = staged_spec WHERE device = ?",
                (device,),
            )
        return True

    def join(self, device: str, kit: str, table: str, row_id: str) -> None:
        """A record created on the trip laptop: it belongs to the kit from now on (in the push transaction)."""
        conn = self.store.conn
        conn.execute(
            "INSERT OR IGNORE INTO sync_kit_members (kit, tbl, row_id) VALUES (?, ?, ?)", (kit, table, row_id)
        )
        conn.execute(
            "INSERT OR IGNORE INTO sync_device_scope (device, tbl, row_id) VALUES (?, ?, ?)",
            (device, table, row_id),
        )


def iter_ids(scope: dict[str, list[str]]) -> Iterator[tuple[str, str]]:
    for table, ids in scope.items():
        for row_id in ids:
            yield table, row_id


def dumps_spec(spec: KitSpec) -> str:
    return orjson.dumps(spec.model_dump(mode="json")).decode()
