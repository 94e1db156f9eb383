"""What every command needs: settings, the user's language, and the store opened on demand."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..domain.errors import LiaisonError
from ..domain.i18n import get_lang, register, set_lang, t
from ..settings import Settings

register(
    {
        "cli.passphrase": ("Passphrase of the database", "数据库口令"),
        "cli.err.passphrase_file": ("Cannot read {path}: {reason}", "无法读取 {path}：{reason}"),
        "cli.err.denied": ("{detail}", "{detail}"),
    }
)

if TYPE_CHECKING:
    from ..store import Store


@dataclass
class CliContext:
    settings: Settings
    lang: str
    passphrase: str | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)

    def open_store(self) -> Store:
        if self._store is None:
            from ..store import Store
            from ..store.crypto import is_encrypted

            if self.passphrase is None and is_encrypted(self.settings.db) and sys.stdin.isatty():
                self.use_passphrase(click.prompt(t("cli.passphrase"), hide_input=True, err=True))
            store = Store.open(self.settings.db, author=self.settings.username)
            if (
                self.settings.station
                and store.station != self.settings.station
                and store.counts()["cases"] == 0
            ):
                store.set_meta("station", self.settings.station)
                store.station = self.settings.station
            self._store = store
        return self._store

    def require(self, table: str, op: str) -> None:
        """Refuse, in the user's language, what this laptop's role (as the station server last said) may
        not do; the server refuses it too, this says so before anything is written."""
        from ..domain.permissions import denied_message, may
        from ..store.identity import current

        role = current(self.open_store()).role
        if not may(role, table, op):
            raise LiaisonError("cli.err.denied", detail=denied_message(role, table, op))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def use_passphrase(self, passphrase: str | None) -> None:
        from ..store.crypto import use_passphrase

        self.passphrase = passphrase or None
        use_passphrase(self.passphrase)

    @classmethod
    def create(cls, settings: Settings, lang: str | None, passphrase_file: Path | None = None) -> CliContext:
        chosen = lang or settings.lang
        if chosen:
            set_lang(chosen)
        obj = cls(settings=settings, lang=get_lang())
        obj.use_passphrase(read_passphrase(passphrase_file))
        return obj


def read_passphrase(path: Path | None) -> str | None:
    """``--passphrase-file`` (its first line), else ``LIAISON_PASSPHRASE``; never the config file, which
    would put the key next to the lock."""
    if path is not None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise LiaisonError("cli.err.passphrase_file", path=str(path), reason=exc.strerror or "") from None
        return lines[0] if lines else None
    return os.environ.get("LIAISON_PASSPHRASE") or None
