"""A laptop restored from a backup numbers its new changes again from where the backup stopped. The server
has seen those numbers already; it must notice that they are new changes (not a retry) and the laptop
renumbers them, so nothing edited after the restore is lost."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from liaison_tui.store import Store

from .sync_support import Laptop, ServerProcess, laptop


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("server") / "server.db").start()
    yield proc
    proc.stop()


def test_edits_after_restoring_a_backup_reach_the_server(tmp_path: Path, server: ServerProcess) -> None:
    a = laptop(tmp_path, server, "a")
    contact = a.store.contacts.create({"native_name": "备份甲"})
    a.sync()
    backup = tmp_path / "backup.db"
    a.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(tmp_path / "a.db", backup)
    # work after the backup: synced, then the laptop dies and is restored from the backup
    for title in ("after backup 1", "after backup 2", "after backup 3"):
        a.store.contacts.update(contact.id, {"title": title})
    a.sync()
    a.close()
    shutil.copy(backup, tmp_path / "a.db")
    restored = Laptop("a", Store.open(tmp_path / "a.db", author="a"), a.url, a.token)
    restored.store.contacts.update(contact.id, {"notes": "written after the restore"})
    restored.store.contacts.create({"native_name": "恢复后新建"})
    restored.sync()
    assert restored.store.pending_changes() == 0
    b = laptop(tmp_path, server, "b")
    b.sync()
    assert b.store.contacts.get(contact.id).notes == "written after the restore"
    assert {c.native_name for c in b.store.contacts.list(limit=10).items} == {"备份甲", "恢复后新建"}
    restored.close()
    b.close()
