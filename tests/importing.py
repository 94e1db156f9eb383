"""Helpers for the import/export/people tests: the whole import pipeline and a byte-exact store snapshot."""

from __future__ import annotations

from pathlib import Path

from liaison_tui.importer.apply import ImportResult, apply_import
from liaison_tui.importer.mapping import Mapping
from liaison_tui.importer.plan import ImportPlan, fingerprint, plan_import
from liaison_tui.importer.readers import read_bytes
from liaison_tui.store import Store


def plan_bytes(store: Store, data: bytes, name: str) -> ImportPlan:
    table = read_bytes(data, name)
    return plan_import(
        store, table, Mapping.guess(name, table.headers), file_name=name, sha256=fingerprint(data)
    )


def import_bytes(store: Store, data: bytes, name: str) -> tuple[ImportPlan, ImportResult]:
    plan = plan_bytes(store, data, name)
    return plan, apply_import(store, plan)


def import_file(store: Store, path: Path) -> tuple[ImportPlan, ImportResult]:
    return import_bytes(store, path.read_bytes(), path.name)


def snapshot(store: Store) -> bytes:
    """The database file's bytes with the WAL folded in: equal snapshots mean nothing was written."""
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(store.path).read_bytes()
