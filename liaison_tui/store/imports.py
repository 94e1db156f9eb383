"""The store side of imports and exports: the reads that match incoming rows with stored contacts, the
record of each import batch, saved column mappings, and the pages an export reads. The importer holds no
SQL; what it writes goes through :meth:`Store.bulk_insert` (new records) and the repositories (changes).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..domain.ids import new_id
from ..domain.times import iso, utcnow
from .store import Store

_CHUNK = 500  # values per IN (...) list: well under SQLite's variable limit


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


# ---------------------------------------------------------------- matching


def _survivor(store: Store, cid: str, merged_into: str | None, deleted: int) -> str | None:
    """A merged-away contact stands for its survivor; a deleted one for nobody."""
    for _ in range(10):
        if not merged_into:
            return None if deleted else cid
        row = store.conn.execute(
            "SELECT id, merged_into, deleted FROM contacts WHERE id = ?", (merged_into,)
        ).fetchone()
        if row is None:
            return None
        cid, merged_into, deleted = row
    return None


def point_owners(store: Store, kind: str, values: Iterable[str]) -> dict[str, str]:
    """Normalised value -> the live contact holding a contact point of ``kind`` with that value (the
    oldest, by id, if several do). Indexed lookups for exactly these values."""
    owners: dict[str, str] = {}
    for chunk in _chunks(sorted(set(values))):
        sql = (
            "SELECT p.value, c.id, c.merged_into, c.deleted FROM contact_points p "
            f"JOIN contacts c ON c.id = p.contact_id WHERE p.kind = ? AND p.value IN ({_marks(len(chunk))}) "
            "AND p.deleted = 0 ORDER BY c.id"
        )
        for value, cid, merged_into, deleted in store.conn.execute(sql, [kind, *chunk]):
            live = _survivor(store, cid, merged_into, deleted)
            if live:
                owners.setdefault(value, live)
    return owners


def live_contact_ids(store: Store, ids: Iterable[str]) -> dict[str, str]:
    """Contact id (as an export's ID column gives it) -> the live contact it stands for now."""
    out: dict[str, str] = {}
    for chunk in _chunks(sorted(set(ids))):
        for cid, merged_into, deleted in store.conn.execute(
            f"SELECT id, merged_into, deleted FROM contacts WHERE id IN ({_marks(len(chunk))})", chunk
        ):
            live = _survivor(store, cid, merged_into, deleted)
            if live:
                out[cid] = live
    return out


def contacts_with_points(
    store: Store, ids: Iterable[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, set[tuple[str, str]]]]:
    """The stored rows of these contacts, and the (kind, value) of each one's live contact points."""
    rows: dict[str, dict[str, Any]] = {}
    points: dict[str, set[tuple[str, str]]] = {}
    for chunk in _chunks(sorted(set(ids))):
        cur = store.conn.execute(f"SELECT * FROM contacts WHERE id IN ({_marks(len(chunk))})", chunk)
        names = [c[0] for c in cur.description]
        rows.update((r[0], dict(zip(names, r, strict=True))) for r in cur.fetchall())
        for cid, kind, value in store.conn.execute(
            "SELECT contact_id, kind, value FROM contact_points WHERE deleted = 0 "
            f"AND contact_id IN ({_marks(len(chunk))})",
            chunk,
        ):
            points.setdefault(cid, set()).add((kind, value))
    return rows, points


def primary_point_kinds(store: Store, ids: Iterable[str]) -> dict[str, set[str]]:
    """Contact id -> the kinds it already has a primary contact point of."""
    out: dict[str, set[str]] = {}
    for chunk in _chunks(sorted(set(ids))):
        for cid, kind in store.conn.execute(
            "SELECT DISTINCT contact_id, kind FROM contact_points WHERE deleted = 0 AND is_primary = 1 "
            f"AND contact_id IN ({_marks(len(chunk))})",
            chunk,
        ):
            out.setdefault(cid, set()).add(kind)
    return out


def named_contacts(
    store: Store,
) -> Iterator[tuple[str, str | None, str | None, str | None, str | None, str | None]]:
    """(id, native name, latin name, country, organization's Chinese and English names) of every live
    contact: a linear pass for name-key matching, whose keys are computed rather than stored."""
    yield from store.conn.execute(
        "SELECT c.id, c.native_name, c.latin_name, c.country, o.name_zh, o.name_en FROM contacts c "
        "LEFT JOIN organizations o ON o.id = c.org_id AND o.deleted = 0 "
        "WHERE c.deleted = 0 AND c.merged_into IS NULL"
    )


def organization_names(store: Store) -> Iterator[tuple[str, str | None, str | None]]:
    """(id, Chinese name, English name) of every live organization, oldest first."""
    yield from store.conn.execute(
        "SELECT id, name_zh, name_en FROM organizations WHERE deleted = 0 ORDER BY id"
    )


def store_version(store: Store) -> tuple[int, int]:
    """Changes when anything is written to the store, by this connection (its change count) or another
    one (SQLite's data_version): a plan matched at one version still holds at the same version."""
    return int(store.conn.execute("PRAGMA data_version").fetchone()[0]), store.conn.total_changes


# ---------------------------------------------------------------- batches


def last_change_seq(store: Store) -> int:
    return int(store.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0])


def earlier_imports(store: Store, sha256: str) -> list[dict[str, Any]]:
    """Earlier imports of the same bytes: when, and what they did."""
    if not sha256:
        return []
    return [
        {"at": at, "counts": json.loads(counts)}
        for at, counts in store.conn.execute(
            "SELECT at, counts FROM import_batches WHERE sha256 = ? ORDER BY at", (sha256,)
        )
    ]


def record_import(
    store: Store, *, file_name: str, sha256: str, mapping: str, counts: dict[str, int], first_seq: int
) -> str:
    """Record an import batch (in the caller's transaction): which change-log entries it wrote."""
    batch_id = new_id()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO import_batches (id, file_name, sha256, mapping, counts, at, author, first_seq, "
            "last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                batch_id,
                file_name,
                sha256,
                mapping,
                json.dumps(counts),
                iso(utcnow()),
                store.author,
                first_seq,
                last_change_seq(store),
            ),
        )
    return batch_id


# ---------------------------------------------------------------- saved column mappings


def save_mapping(store: Store, name: str, columns_json: str) -> None:
    now = iso(utcnow())
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO import_mappings (name, columns, created_at, updated_at, author) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET columns = excluded.columns, "
            "updated_at = excluded.updated_at, author = excluded.author",
            (name, columns_json, now, now, store.author),
        )


def mapping_json(store: Store, name: str) -> str | None:
    row = store.conn.execute("SELECT columns FROM import_mappings WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def mapping_names(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT name FROM import_mappings ORDER BY name")]


def delete_mapping(store: Store, name: str) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM import_mappings WHERE name = ?", (name,))


# ---------------------------------------------------------------- export pages

_EXPORTED = {
    "contacts": "SELECT * FROM contacts WHERE deleted = 0 AND merged_into IS NULL",
    "cases": "SELECT * FROM cases WHERE deleted = 0",
}


def exported_count(store: Store, kind: str) -> int:
    """How many records an export of ``kind`` (contacts | cases) writes: the live, unmerged ones."""
    sql = _EXPORTED[kind].replace("SELECT *", "SELECT count(*)", 1)
    return int(store.conn.execute(sql).fetchone()[0])


def exported_pages(store: Store, kind: str, size: int = 2000) -> Iterator[list[dict[str, Any]]]:
    """The records of an export in id order, a keyset page at a time (the lock is held per page only)."""
    last = ""
    while True:
        with store.lock:
            cur = store.conn.execute(_EXPORTED[kind] + " AND id > ? ORDER BY id LIMIT ?", (last, size))
            names = [c[0] for c in cur.description]
            rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def all_organization_names(store: Store) -> dict[str, tuple[str | None, str | None]]:
    """Organization id -> (Chinese name, English name), deleted ones included (a contact may still
    point at one)."""
    return {
        oid: (zh, en) for oid, zh, en in store.conn.execute("SELECT id, name_zh, name_en FROM organizations")
    }


def points_by_kind(store: Store, ids: Sequence[str]) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """Contact id -> kind -> [(raw, value)] of its live contact points, primary first."""
    points: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for chunk in _chunks(list(ids)):
        for cid, kind, raw, value in store.conn.execute(
            "SELECT contact_id, kind, raw, value FROM contact_points WHERE deleted = 0 AND contact_id IN "
            f"({_marks(len(chunk))}) ORDER BY is_primary DESC, created_at, id",
            chunk,
        ):
            points.setdefault(cid, {}).setdefault(kind, []).append((raw, value))
    return points


def contact_display_names(store: Store, ids: Iterable[str]) -> dict[str, str]:
    """Contact id -> its native and Latin names, space-separated."""
    out: dict[str, str] = {}
    for chunk in _chunks(sorted(set(ids))):
        for cid, native, latin in store.conn.execute(
            f"SELECT id, native_name, latin_name FROM contacts WHERE id IN ({_marks(len(chunk))})", chunk
        ):
            out[cid] = " ".join(n for n in (native, latin) if n)
    return out
