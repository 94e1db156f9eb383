"""The local store: one SQLite file, one write path.

Every change to a record goes through :meth:`Store.write`, which in the same transaction updates the row,
appends the change to the device's numbered change log (what sync pushes), advances the per-field clocks,
writes the readable audit history and refreshes the search index. Nothing else writes entity tables.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.entities import ENTITIES, Entity

if TYPE_CHECKING:
    import sqlite_utils
from ..domain.errors import LiaisonError
from ..domain.hlc import Clock
from ..domain.i18n import register
from ..domain.models import (
    Activity,
    Affiliation,
    Attendance,
    Contact,
    Event,
    FollowUp,
    Organization,
    Staff,
)
from ..domain.times import iso, utcnow
from . import crypto, engine, fill_indexes, likely_duplicates, migrations
from .lookups import meta_value
from .pending import count_pending
from .repos import Cases, ContactPoints, Repositories, Repository
from .rows import BOOKKEEPING, column_kinds, dumps, to_column, to_columns

register(
    {
        "store.err.open": ("Cannot open the database {path}: {reason}", "无法打开数据库 {path}：{reason}"),
        "store.err.not_db": (
            "{path} is not a Liaison database (or it is damaged).",
            "{path} 不是 Liaison 数据库（或文件已损坏）。",
        ),
        "store.err.busy": (
            "The database is busy in another window; try again in a moment.",
            "数据库正被其他窗口使用，请稍后再试。",
        ),
        "store.err.unknown_table": ("Unknown kind of record: {table}", "未知的记录类型：{table}"),
        "store.err.not_found": ("No {table} with id {id}.", "找不到编号为 {id} 的{table}。"),
        "store.err.deleted": ("This {table} was deleted.", "该{table}已被删除。"),
        "store.err.write": (
            "The change could not be saved ({reason}); nothing was written.",
            "无法保存修改（{reason}）；未写入任何数据。",
        ),
    }
)

# Alphabet for device codes in case numbers: no 0/O, 1/I/L to keep numbers easy to read out on the phone.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# Tables whose writes change what lookup finds, and which ids they touch.
_SEARCH_TABLES = {"contacts", "contact_points", "organizations", "cases", "affiliations"}


@dataclass
class _Pending:
    """Search-index work collected during a transaction and done once, just before COMMIT."""

    contacts: set[str] = field(default_factory=set)
    orgs: set[str] = field(default_factory=set)
    cases: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.contacts or self.orgs or self.cases)


@dataclass(frozen=True)
class WriteResult:
    table: str
    row_id: str
    op: str
    changed: dict[str, Any]
    hlc: str | None


class Store:
    """A Liaison store on one SQLite file. Thread-safe: one connection guarded by a re-entrant lock."""

    def __init__(self, conn: engine.Connection, path: str, author: str | None = None) -> None:
        self.conn = conn
        self.key: str | None = None
        # False on the central service: it answers no lookups, so it keeps no search index (and no copy of
        # names in one).
        self.indexing = True
        self.path = path
        self.author = author
        self.lock = threading.RLock()
        self._depth = 0
        self._pending = _Pending()
        self._after_commit: list[Any] = []
        self._retired: list[engine.Connection] = []
        self.device_id = self._meta_or_create("device_id", lambda: secrets.token_hex(6))
        self.device_code = self._meta_or_create(
            "device_code", lambda: "".join(secrets.choice(_CODE_ALPHABET) for _ in range(3))
        )
        self.station = self._meta_or_create("station", lambda: "QD")
        last = self.get_meta("hlc_last")
        # Every commit persists the clock in meta; the newest change-log entry covers a store written by an
        # older version. Both are O(1): max(hlc) over millions of entries took seconds at start-up.
        row = conn.execute("SELECT hlc FROM change_log ORDER BY seq DESC LIMIT 1").fetchone()
        newest = max(filter(None, [last, row[0] if row else None]), default=None)
        # Sync measures this laptop's clock against the server's and stores the difference (a laptop dated
        # 2099 or 1990 still stamps its edits near the real time).
        self.clock_offset_ms = int(self.get_meta("clock_offset_ms") or 0)
        self.clock = Clock(self.device_id, newest, wall=self.wall_ms)
        self.repos = Repositories(self)

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils handle on the same connection, for introspection and scripting. Imported on first
        use (0.1 s at start-up); the hot paths use the connection directly (executemany, explicit
        transactions), which the bulk paths need for speed."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(
        cls, path: str | Path, *, author: str | None = None, passphrase: str | None = None, index: bool = True
    ) -> Store:
        """Open (creating if needed) and migrate the store at ``path``. An encrypted file needs its
        passphrase (``passphrase``, else the one given to :func:`crypto.use_passphrase`); a new file given
        a passphrase is created encrypted; a plain file opens as it is (``liaison db encrypt`` converts it)."""
        text = str(path)
        key = None
        if text != ":memory:":
            crypto.owner_only(text)
            phrase = passphrase if passphrase is not None else crypto.session_passphrase()
            encrypted = crypto.is_encrypted(text)
            if encrypted and not phrase:
                raise LiaisonError("store.err.locked", path=text)
            if phrase and (encrypted or Path(text).stat().st_size == 0):
                key = crypto.key_for(text, phrase)
        try:
            conn = engine.connect(text)
            crypto.apply_key(conn, key)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except engine.DatabaseError as exc:
                conn.close()
                if key is not None:
                    raise LiaisonError("store.err.passphrase", path=text) from exc
                raise
            _settle(conn)
            if fill_indexes.pending(conn):  # a fill was interrupted: nothing may read the store without them
                conn.execute("BEGIN IMMEDIATE")
                fill_indexes.restore(conn)
                conn.execute("COMMIT")
            migrations.migrate(conn)
        except engine.DatabaseError as exc:
            reason = str(exc)
            if "not a database" in reason or "malformed" in reason:
                raise LiaisonError("store.err.not_db", path=text) from exc
            raise LiaisonError("store.err.open", path=text, reason=reason) from exc
        store = cls(conn, text, author=author)
        store.key = key
        store.indexing = index
        if store.get_meta("erasure_purge_pending") == "1":  # an erasure committed, then the process died
            from .erasure import finish_purge

            finish_purge(store)
        return store

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def reader(self) -> Any:
        """A second, read-only connection on the same file (WAL lets it read while this one writes)."""
        from .queries import read_only

        return read_only(self.path, self.key)

    def close(self) -> None:
        with self.lock:
            for conn in [*self._retired, self.conn]:
                conn.close()

    def reconnect(self) -> None:
        """Replace this store's connection with a fresh one on the same file. Needed after tables were
        written below a virtual table's feet (a starter store copied in): FTS5 caches its index structure
        per connection and would not see them."""
        with self.lock:
            fresh = engine.connect(self.path)
            crypto.apply_key(fresh, self.key)
            _settle(fresh)
            # The old one is closed with the store: a thread that took it just before may still be reading.
            self._retired.append(self.conn)
            self.conn = fresh
            self.__dict__.pop("db", None)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- repositories
    @property
    def staff(self) -> Repository[Staff]:
        return self.repos["staff"]

    @property
    def organizations(self) -> Repository[Organization]:
        return self.repos["organizations"]

    @property
    def contacts(self) -> Repository[Contact]:
        return self.repos["contacts"]

    @property
    def contact_points(self) -> ContactPoints:
        return self.repos["contact_points"]  # type: ignore[return-value]

    @property
    def affiliations(self) -> Repository[Affiliation]:
        return self.repos["affiliations"]

    @property
    def events(self) -> Repository[Event]:
        return self.repos["events"]

    @property
    def attendances(self) -> Repository[Attendance]:
        return self.repos["attendances"]

    @property
    def cases(self) -> Cases:
        return self.repos["cases"]  # type: ignore[return-value]

    @property
    def followups(self) -> Repository[FollowUp]:
        return self.repos["followups"]

    @property
    def activities(self) -> Repository[Activity]:
        return self.repos["activities"]

    def repo(self, table: str) -> Repository[Any]:
        self.entity(table)
        return self.repos[table]

    def entity(self, table: str) -> Entity:
        try:
            return ENTITIES[table]
        except KeyError:
            raise LiaisonError("store.err.unknown_table", table=table) from None

    # ----------------------------------------------------------------- meta
    def get_meta(self, key: str) -> str | None:
        return meta_value(self.conn, key)

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def _meta_or_create(self, key: str, make: Any) -> str:
        value = self.get_meta(key)
        if value is None:
            value = make()
            self.set_meta(key, value)
        return value

    @property
    def schema_version(self) -> int:
        return migrations.current_version(self.conn)

    # ----------------------------------------------------------------- transactions
    @contextmanager
    def transaction(self) -> Iterator[engine.Connection]:
        """One atomic unit; nests (inner blocks join the outer transaction)."""
        with self.lock:
            outer = self._depth == 0
            if outer:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                except engine.OperationalError as exc:
                    raise LiaisonError("store.err.busy") from exc
            self._depth += 1
            try:
                yield self.conn
                if outer:
                    self._flush_pending()
                    clock = self.__dict__.get("clock")
                    if clock is not None:
                        self.conn.execute(
                            "INSERT INTO meta (key, value) VALUES ('hlc_last', ?) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                            (clock.last,),
                        )
                    self.conn.execute("COMMIT")
            except BaseException:
                if outer:
                    self.conn.execute("ROLLBACK")
                    self._pending = _Pending()
                    self._after_commit.clear()
                raise
            finally:
                self._depth -= 1
            if outer:
                callbacks, self._after_commit = self._after_commit, []
                for callback in callbacks:
                    callback()

    def _flush_pending(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, _Pending()
        from . import search

        search.reindex(self.conn, contacts=pending.contacts, orgs=pending.orgs, cases=pending.cases)

    def after_commit(self, callback: Any) -> None:
        """Run ``callback`` once the current transaction has committed (dropped if it rolls back)."""
        if self._depth == 0:
            callback()
        else:
            self._after_commit.append(callback)

    def wall_ms(self) -> int:
        """This device's wall clock in ms, corrected by the offset measured by sync."""
        return time.time_ns() // 1_000_000 + self.clock_offset_ms

    def note_search(self, table: str, row: dict[str, Any]) -> None:
        """Queue a search reindex of ``row`` (done once, just before COMMIT)."""
        if self.indexing:
            self._note_search(table, row)

    def _note_search(self, table: str, row: dict[str, Any]) -> None:
        if not self.indexing:
            return
        if table == "contacts":
            self._pending.contacts.add(row["id"])
        elif table in ("contact_points", "affiliations"):
            if row.get("contact_id"):
                self._pending.contacts.add(row["contact_id"])
        elif table == "organizations":
            self._pending.orgs.add(row["id"])
        elif table == "cases":
            self._pending.cases.add(row["id"])

    # ----------------------------------------------------------------- reads
    def row(self, table: str, row_id: str) -> dict[str, Any] | None:
        self.entity(table)
        cursor = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        found = cursor.fetchone()
        if found is None:
            return None
        return dict(zip([c[0] for c in cursor.description], found, strict=True))

    def field_clock(
        self, table: str, row_id: str, name: str, row: dict[str, Any] | None = None
    ) -> str | None:
        got = self.conn.execute(
            "SELECT hlc FROM field_clocks WHERE tbl = ? AND row_id = ? AND field = ?", (table, row_id, name)
        ).fetchone()
        if got:
            return str(got[0])
        row = row if row is not None else self.row(table, row_id)
        return row["created_hlc"] if row else None

    # ----------------------------------------------------------------- the write path
    def write(self, table: str, row_id: str, op: str, fields: dict[str, Any]) -> WriteResult:
        """Apply one local change: ``fields`` are storable values (``model_dump(mode='json')``).

        ``op`` is create, update, delete or undelete. Unchanged fields are dropped; an update that changes
        nothing writes nothing. Callers validate first (the repositories do).
        """
        entity = self.entity(table)
        now = iso(utcnow())
        with self.transaction() as conn:
            old = self.row(table, row_id)
            hlc = self.clock.now()
            if op == "create":
                if old is not None:
                    raise LiaisonError("store.err.write", reason=f"duplicate id {row_id}")
                columns = {name: to_column(entity, name, value) for name, value in fields.items()}
                columns.update(
                    id=row_id,
                    created_at=now,
                    updated_at=now,
                    created_by=self.author,
                    updated_by=self.author,
                    device_id=self.device_id,
                    created_hlc=hlc,
                    hlc=hlc,
                    deleted=0,
                )
                names = list(columns)
                conn.execute(
                    f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                    [columns[n] for n in names],
                )
                changed = {k: v for k, v in fields.items() if k != "id"}
                self._log(table, row_id, op, changed, None, hlc, now)
                self._note_search(table, columns)
                return WriteResult(table, row_id, op, changed, hlc)

            if old is None:
                raise LiaisonError("store.err.not_found", table=table, id=row_id)
            if op in ("delete", "undelete"):
                fields = {"deleted": 1 if op == "delete" else 0}
            changed = {}
            for name, value in fields.items():
                if name == "id":
                    continue
                column = to_column(entity, name, value) if name != "deleted" else value
                if old.get(name) != column:
                    changed[name] = (value, column)
            if not changed:
                return WriteResult(table, row_id, op, {}, None)
            base = {name: self.field_clock(table, row_id, name, old) for name in changed}
            sets = ", ".join(f"{name} = ?" for name in changed)
            conn.execute(
                f"UPDATE {table} SET {sets}, updated_at = ?, updated_by = ?, device_id = ?, hlc = ? "
                "WHERE id = ?",
                [c for _, c in changed.values()] + [now, self.author, self.device_id, hlc, row_id],
            )
            conn.executemany(
                "INSERT INTO field_clocks (tbl, row_id, field, hlc) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc",
                [(table, row_id, name, hlc) for name in changed],
            )
            conn.executemany(
                "INSERT INTO history (tbl, row_id, field, old_value, new_value, at, author, "
                "device_id, hlc, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'local')",
                [
                    (
                        table,
                        row_id,
                        name,
                        _audit(old.get(name)),
                        _audit(column),
                        now,
                        self.author,
                        self.device_id,
                        hlc,
                    )
                    for name, (_, column) in changed.items()
                ],
            )
            plain = {name: value for name, (value, _) in changed.items()}
            self._log(table, row_id, op, plain, base, hlc, now)
            self._note_search(table, {**old, **{n: c for n, (_, c) in changed.items()}})
            return WriteResult(table, row_id, op, plain, hlc)

    def _log(
        self,
        table: str,
        row_id: str,
        op: str,
        fields: dict[str, Any],
        base: dict[str, Any] | None,
        hlc: str,
        now: str,
    ) -> None:
        self.conn.execute(
            "INSERT INTO change_log (tbl, row_id, op, fields, base, hlc, device_id, author, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                table,
                row_id,
                op,
                dumps(fields),
                dumps(base) if base else None,
                hlc,
                self.device_id,
                self.author,
                now,
            ),
        )

    # ----------------------------------------------------------------- bulk path
    def bulk_insert(self, table: str, rows: Iterable[dict[str, Any]], *, at: datetime | None = None) -> int:
        """Insert many new, already validated records in the caller's transaction, with their change-log
        rows, using ``executemany``. The search index is *not* touched: call
        ``search.rebuild`` (or ``index_bulk``) once afterwards. ``at`` is the records' creation time (the
        demo's "now", so a demo built for a fixed day says so everywhere); the present by default."""
        entity = self.entity(table)
        names = [name for name, _ in column_kinds(entity)]
        now = iso(at or utcnow())
        batch = rows if isinstance(rows, list) else list(rows)
        stamps = self.clock.now_many(len(batch))
        device, author = self.device_id, self.author
        records: list[list[Any]] = []
        logs: list[tuple[Any, ...]] = []
        for fields, hlc in zip(batch, stamps, strict=True):
            row_id = fields["id"]
            record = to_columns(entity, fields)
            record += (now, now, author, author, device, hlc, hlc, 0)
            records.append(record)
            payload = dict(fields)
            del payload["id"]
            logs.append((table, row_id, "create", dumps(payload), hlc, device, author, now))
        if not records:
            return 0
        columns = [*names, *BOOKKEEPING]
        with self.transaction() as conn:
            # new points reach likely_duplicates in one statement, not one trigger run each
            with likely_duplicates.deferred(conn) if table == "contact_points" else nullcontext():
                conn.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                    records,
                )
            conn.executemany(
                "INSERT INTO change_log (tbl, row_id, op, fields, hlc, device_id, author, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                logs,
            )
        return len(records)

    # ----------------------------------------------------------------- case numbers
    def next_case_number(self, year: int | None = None) -> str:
        """``QD-2026-K7M-0042``: station, year, this device's code, then the device's own counter, so two
        laptops offline never hand out the same number."""
        year = year or utcnow().year
        prefix = f"{self.station}-{year}-{self.device_code}"
        with self.transaction() as conn:
            row = conn.execute("SELECT next FROM case_counters WHERE prefix = ?", (prefix,)).fetchone()
            number = row[0] if row else 1
            conn.execute(
                "INSERT INTO case_counters (prefix, next) VALUES (?, ?) "
                "ON CONFLICT(prefix) DO UPDATE SET next = excluded.next",
                (prefix, number + 1),
            )
        return f"{prefix}-{number:04d}"

    # ----------------------------------------------------------------- facts
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for table in ENTITIES:
            row = self.conn.execute(f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()
            out[table] = int(row[0])
        return out

    def tables(self) -> list[dict[str, Any]]:
        """Every table of the file with its rows and indexes (``liaison db info --tables``), through
        sqlite-utils' introspection; full-text shadow tables are left out."""
        db = self.db
        hidden = {
            name
            for table in db.tables
            if table.detect_fts()
            for name in db.table_names()
            if name.startswith(f"{table.detect_fts()}_")
        }
        out = []
        with self.lock:
            for table in db.tables:
                if table.name in hidden or table.name.startswith("sqlite_"):
                    continue
                out.append({"table": table.name, "rows": table.count, "indexes": len(table.indexes)})
        return out

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file and truncate it: the file then holds everything alone
        (to be copied whole) and the log no old bytes."""
        with self.lock:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def pending_changes(self, cap: int | None = None) -> int:
        """Changes not yet pushed; with ``cap``, counting stops past it (see ``count_pending``)."""
        return count_pending(self.conn, cap)

    def history(self, table: str, row_id: str, limit: int = 200) -> list[dict[str, Any]]:
        cursor = self.conn.execute(
            "SELECT field, old_value, new_value, at, author, device_id, hlc, origin FROM history "
            "WHERE tbl = ? AND row_id = ? ORDER BY id DESC LIMIT ?",
            (table, row_id, limit),
        )
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _settle(conn: engine.Connection) -> None:
    """The settings every connection of a store runs with."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA temp_store = MEMORY")
    # Deleted content is overwritten, so an erased person's data does not linger in free pages.
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA cache_size = -65536")


def _audit(value: Any) -> str | None:
    """History keeps values as text, exactly as stored."""
    if value is None:
        return None
    return value if isinstance(value, str) else dumps(value)
