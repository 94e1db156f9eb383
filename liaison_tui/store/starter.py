"""Starter stores: a new whole-station laptop is ready in seconds instead of minutes.

Filling an empty laptop record by record costs a minute at 100k contacts, and building its search index
another half minute. The central service therefore keeps a *starter*: a store file holding every record
(with its field clocks) as of a feed position, with the likely-duplicates table and the search index
already built. A blank laptop downloads it, copies its tables in with one ``INSERT … SELECT`` per table
(SQLite's transfer optimisation copies rows and indexes without decoding them), and then pulls the feed
from the starter's position like any laptop (docs/SYNC.md).

The starter is encrypted with a key of its own (SQLCipher), drawn at each build and kept in the server's
store (encrypted at rest when the server is): on the laptop the downloaded file stays ciphertext and the
key lives only in memory, and forgetting the key shreds every copy (an erasure does that at once).
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from collections.abc import Iterator
from pathlib import Path

from ..domain.entities import ENTITIES
from ..domain.sync_protocol import CONFLICTS_TABLE, StarterInfo
from ..domain.times import iso, utcnow
from . import crypto, engine, inbox, migrations
from .inbox import FILL_KEY
from .store import Store

# The tables a starter carries besides the records: kept by triggers or by the index build on a laptop.
_DERIVED = ("field_clocks", "likely_duplicates")
# Local to each store: never copied either way.
_LOCAL = frozenset({"meta", "schema_migrations"})
KEY_BYTES = 32
SALT_BYTES = 16


class NotBlank(Exception):
    """The laptop already holds records or changes of its own: it fills the ordinary way."""


class Mismatch(Exception):
    """The starter was not made by this schema (or is damaged): it fills the ordinary way."""


def new_key() -> str:
    """A fresh SQLCipher raw key (key and salt, hex) for one starter; "" where the engine cannot encrypt."""
    if not engine.CIPHER:
        return ""
    return secrets.token_bytes(KEY_BYTES).hex() + secrets.token_bytes(SALT_BYTES).hex()


def _pragma_key(key: str) -> str:
    return f"\"x'{key}'\"" if key else "''"


def _copy_order() -> list[str]:
    return [*ENTITIES, CONFLICTS_TABLE, *_DERIVED]


@contextlib.contextmanager
def _attached(
    conn: engine.Connection, path: Path | str, name: str, key: str | None, *, starter: bool = False
) -> Iterator[None]:
    """``path`` attached as ``name``, foreign keys off (the copy goes parent tables first, but the transfer
    optimisation only runs with them off); both restored after. ``starter``: a starter's pages carry no
    HMAC (its whole checksum is verified before it is used)."""
    conn.execute("PRAGMA foreign_keys = OFF")
    attach = f"ATTACH DATABASE ? AS {name}" + ("" if key is None else f" KEY {key}")
    with crypto.unchecked_pages(conn) if starter and key not in (None, "''") else contextlib.nullcontext():
        conn.execute(attach, (str(path),))
    try:
        yield
    finally:
        conn.execute(f"DETACH DATABASE {name}")
        conn.execute("PRAGMA foreign_keys = ON")


def _triggers(conn: engine.Connection, tables: set[str]) -> list[tuple[str, str]]:
    return [
        (name, sql)
        for name, table, sql in conn.execute(
            "SELECT name, tbl_name, sql FROM main.sqlite_master WHERE type = 'trigger'"
        )
        if table in tables
    ]


def _copy(conn: engine.Connection, source: str, tables: list[str]) -> None:
    """Copy ``tables`` from the attached ``source`` into main (in the caller's transaction). Triggers on them
    are set aside meanwhile: what they maintain is copied too, and a trigger disables the transfer."""
    held = _triggers(conn, set(tables))
    for name, _ in held:
        conn.execute(f'DROP TRIGGER main."{name}"')
    for table in tables:
        conn.execute(f'DELETE FROM main."{table}"')
        conn.execute(f'INSERT INTO main."{table}" SELECT * FROM {source}."{table}"')
    for _, sql in held:
        conn.execute(sql)


# ------------------------------------------------------------------------------------------ server side
def build(source: Store, target: Path, key: str) -> StarterInfo:
    """Write a starter of ``source`` (the central service's store) at ``target`` (replaced if present),
    encrypted with ``key`` (from :func:`new_key`). Reads one consistent snapshot of the source while the
    service goes on writing."""
    from .demo import rebuild_index

    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm"), Path(f"{target}-journal")):
        crypto.overwrite(leftover)
    crypto.owner_only(target)
    conn = engine.connect(str(target))
    crypto.apply_key(conn, _pragma_key(key) if key else None)
    # No per-page HMAC: laptops check the whole file's SHA-256 before they read it, and the page checks
    # were half of what copying a starter in cost.
    conn.execute("PRAGMA cipher_use_hmac = OFF")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")  # a half-written starter is thrown away, never used
    migrations.migrate(conn)
    store = Store(conn, str(target), author="starter")
    store.key = _pragma_key(key) if key else None
    try:
        with _attached(conn, source.path, "src", source.key or "''"), store.transaction():
            top = int(conn.execute("SELECT coalesce(max(seq), 0) FROM src.change_log").fetchone()[0])
            at = conn.execute("SELECT hlc FROM src.change_log WHERE seq = ?", (top,)).fetchone()
            _copy(conn, "src", _copy_order())
        records = sum(
            int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
            for table in (*ENTITIES, CONFLICTS_TABLE)
        )
        rebuild_index(store)
        conn.execute("DELETE FROM meta")  # the builder's own device id and clock are nobody's
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        conn.close()
    with open(target, "rb") as f:
        digest = hashlib.file_digest(f, "sha256")
    return StarterInfo(
        top=top,
        top_hlc=at[0] if at else None,
        records=records,
        size=target.stat().st_size,
        sha256=digest.hexdigest(),
        schema=str(migrations.current_version(source.conn)),
        built_at=iso(utcnow()),
    )


def still_valid(conn: engine.Connection, info: StarterInfo) -> bool:
    """Whether a starter built earlier may still be handed out: the same schema, a feed that still holds
    its position (not a server restored from an older backup), and no erasure since it was built."""
    if info.schema_ != str(migrations.current_version(conn)):
        return False
    row = conn.execute("SELECT hlc FROM change_log WHERE seq = ?", (info.top,)).fetchone()
    if info.top and (row is None or row[0] != info.top_hlc):
        return False
    erased = conn.execute(
        "SELECT 1 FROM change_log WHERE seq > ? AND tbl = 'erasures' LIMIT 1", (info.top,)
    ).fetchone()
    return erased is None


# ------------------------------------------------------------------------------------------ laptop side
def blank(store: Store) -> bool:
    """Nothing of the laptop's own to lose: no records, no changes made or pulled, no fill under way."""
    conn = store.conn
    if inbox.cursor(store) or store.get_meta(FILL_KEY):
        return False
    for table in ("change_log", "history", "search_doc", *ENTITIES, CONFLICTS_TABLE):
        if conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone():
            return False
    return True


def _tables(conn: engine.Connection, schema: str) -> dict[str, str]:
    return {
        name: sql
        for name, sql in conn.execute(
            f"SELECT name, sql FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }


def _carried(conn: engine.Connection) -> list[str]:
    """The starter's tables to copy, checked against this store's: the same migrations, the same
    definitions (the copy moves rows as they are)."""
    mine, theirs = _tables(conn, "main"), _tables(conn, "starter")
    versions = "SELECT group_concat(version) FROM (SELECT version FROM {}.schema_migrations ORDER BY version)"
    if (
        conn.execute(versions.format("main")).fetchone()
        != conn.execute(versions.format("starter")).fetchone()
    ):
        raise Mismatch("schema")
    carried: list[str] = []
    for name, sql in theirs.items():
        if name in _LOCAL or (sql or "").upper().startswith("CREATE VIRTUAL"):
            continue
        if mine.get(name) != sql:
            raise Mismatch(name)
        if conn.execute(f'SELECT 1 FROM starter."{name}" LIMIT 1').fetchone():
            carried.append(name)
    return carried


def _write_through(conn: engine.Connection) -> None:
    """A rollback journal for the copy when nothing else has the store open: the rows are written once, not
    to the WAL and then again into the file (a third of the time at 100k contacts). Still one transaction;
    a crash rolls back to the blank store."""
    with contextlib.suppress(*engine.OperationalError):
        conn.execute("PRAGMA main.journal_mode = DELETE")


def adopt(store: Store, path: Path, key: str, info: StarterInfo) -> int:
    """Copy the starter at ``path`` into the blank ``store`` in one transaction and point its cursor at the
    starter's position; the number of records taken. Raises :class:`NotBlank` (nothing done) when the
    store is no longer blank, :class:`Mismatch` when the starter does not fit this schema."""
    conn = store.conn
    with store.lock:
        try:
            _write_through(conn)
            with _attached(conn, path, "starter", _pragma_key(key), starter=True):
                try:
                    carried = _carried(conn)
                except engine.DatabaseError as exc:  # a wrong key or a damaged file
                    raise Mismatch("unreadable") from exc
                with store.transaction():
                    # checked again under the write lock: another window may have written meanwhile
                    if not blank(store):
                        raise NotBlank
                    order = [t for t in _copy_order() if t in carried]
                    _copy(conn, "starter", [*order, *(t for t in carried if t not in order)])
                    inbox.taken_whole(store, info.top, info.top_hlc)
        finally:
            # A fresh connection: FTS5 caches its index structure per connection and would not see the search
            # tables written below it; and the store's settings (WAL) come back.
            store.reconnect()
    if info.top_hlc:
        store.clock.observe(info.top_hlc)
    return info.records
