"""What every command needs: settings, the user's language, and the store opened on demand."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..domain.i18n import get_lang, set_lang
from ..settings import Settings

if TYPE_CHECKING:
    from ..store import Store


@dataclass
class CliContext:
    settings: Settings
    lang: str
    _store: Store | None = field(default=None, repr=False)

    def open_store(self) -> Store:
        if self._store is None:
            from ..store import Store

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

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    @classmethod
    def create(cls, settings: Settings, lang: str | None) -> CliContext:
        chosen = lang or settings.lang
        if chosen:
            set_lang(chosen)
        return cls(settings=settings, lang=get_lang())
