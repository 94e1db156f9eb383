"""The service's starter store (store/starter.py): built in the background once the station is big enough
for a record-by-record fill to keep a new laptop waiting, rebuilt when it is a day old or far behind the
feed, and thrown away (file overwritten, key forgotten) the moment an erasure arrives."""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from pathlib import Path

import orjson

from ..domain.sync_protocol import StarterInfo
from ..domain.times import parse_iso, utcnow
from ..store import crypto, starter
from ..store.engine import Connection
from ..store.store import Store
from . import logs

META_KEY = "starter"
# Below this many changes in the feed, an ordinary fill takes seconds: no starter is kept.
STARTER_FROM = 50_000
MAX_AGE = timedelta(hours=24)
MAX_BEHIND = 20_000


class Starters:
    def __init__(
        self, store: Store, *, starter_from: int = STARTER_FROM, directory: Path | None = None
    ) -> None:
        self.store = store
        self.starter_from = starter_from
        base = Path(store.path)
        self.directory = directory or base.with_name(f"{base.name}.starters")
        self.path = self.directory / "station.starter"
        self._building: threading.Thread | None = None
        self._guard = threading.Lock()

    # ------------------------------------------------------------------------------------------ reading
    def _saved(self) -> tuple[StarterInfo, str] | None:
        text = self.store.get_meta(META_KEY)
        if not text:
            return None
        saved = orjson.loads(text)
        return StarterInfo.model_validate(saved["info"]), str(saved["key"])

    def current(self, reader: Connection) -> tuple[Path, StarterInfo, str] | None:
        """The starter to hand out, if a valid one is ready (an invalid one is thrown away)."""
        with self._guard:
            saved = self._saved()
            if saved is None:
                return None
            info, key = saved
            ready = self.path.exists() and self.path.stat().st_size == info.size
            if not (ready and starter.still_valid(reader, info)):
                self._forget()
                return None
            return self.path, info, key

    def due(self, feed_top: int) -> bool:
        if feed_top < self.starter_from:
            return False
        saved = self._saved()
        if saved is None:
            return True
        info = saved[0]
        return utcnow() - parse_iso(info.built_at) > MAX_AGE or feed_top - info.top > MAX_BEHIND

    # ------------------------------------------------------------------------------------------ writing
    def refresh(self, feed_top: int, *, wait: bool = False) -> None:
        """Start a build in the background when one is due and none is running."""
        with self._guard:
            if self._building is not None and self._building.is_alive():
                thread = self._building
            elif not self.due(feed_top):
                return
            else:
                thread = threading.Thread(target=self._build, name="starter-build", daemon=True)
                self._building = thread
                thread.start()
        if wait:
            thread.join()

    def build_now(self) -> StarterInfo | None:
        """Build one here and now (``liaison serve admin build-starter``); None if the build failed."""
        self._build()
        saved = self._saved()
        return saved[0] if saved else None

    def _build(self) -> None:
        timer = logs.Timer()
        building = self.directory / "station.building"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            os.chmod(self.directory, 0o700)
            key = starter.new_key()
            info = starter.build(self.store, building, key)
            saved = orjson.dumps({"info": info.model_dump(by_alias=True), "key": key}).decode()
            with self._guard:
                with self.store.transaction() as conn:
                    os.replace(building, self.path)
                    self.store.set_meta(META_KEY, saved)
                    fresh = starter.still_valid(conn, info)
                if not fresh:
                    self._forget()  # an erasure arrived while it was being built
        except Exception as exc:
            # the service goes on without one (or is stopping): laptops fill record by record
            crypto.overwrite(building)
            logs.event("starter_failed", error=type(exc).__name__)
            return
        logs.event("starter_built", records=info.records, top=info.top, mb=info.size >> 20, ms=timer.ms)

    def discard(self) -> None:
        """Throw the starter away now: the key is forgotten and the file overwritten."""
        with self._guard:
            self._forget()

    def _forget(self) -> None:
        if self.store.get_meta(META_KEY):
            with self.store.transaction():
                self.store.set_meta(META_KEY, "")
        crypto.overwrite(self.path)
