"""A path Input that completes file and folder names as you type (→ accepts), showing only folders and
the kinds of file the screen can use. Listing a folder runs off the event loop."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual.suggester import Suggester


class PathSuggester(Suggester):
    def __init__(self, suffixes: tuple[str, ...] = ()) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = suffixes

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        return await asyncio.to_thread(self._complete, value)

    def _complete(self, value: str) -> str | None:
        folder, sep, stem = value.rpartition(os.sep)
        prefix = folder + sep  # what the user typed up to the last separator, kept as typed
        base = Path(os.path.expanduser(folder or (os.sep if sep else ".")))
        try:
            names = sorted(os.listdir(base))
        except OSError:
            return None
        for name in names:
            if not name.startswith(stem) or name == stem or name.startswith("."):
                continue
            full = base / name
            if full.is_dir():
                return f"{prefix}{name}{os.sep}"
            if not self.suffixes or name.lower().endswith(self.suffixes):
                return f"{prefix}{name}"
        return None
