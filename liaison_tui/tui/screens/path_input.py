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
        """The one name that fits, or the part all the fitting names share (``summit_guests`` for
        ``summit_guests.xlsx`` and ``summit_guests_excel_gbk.csv``): never one of several picked."""
        found = self.candidates(value)
        if not found:
            return None
        prefix = value.rpartition(os.sep)[0] + (os.sep if os.sep in value else "")
        if len(found) == 1:
            return prefix + found[0]
        shared = os.path.commonprefix(found)  # noqa: RUF071  (names, not paths: letter by letter is meant)
        stem = value.rpartition(os.sep)[2]
        return prefix + shared if len(shared) > len(stem) else None

    def candidates(self, value: str) -> list[str]:
        """Names in the folder typed so far that start with what follows it: folders (with a trailing
        separator) and the files the screen can use, hidden ones left out. Lists the folder: call it off
        the event loop."""
        folder, sep, stem = value.rpartition(os.sep)
        base = Path(os.path.expanduser(folder or (os.sep if sep else ".")))
        try:
            names = sorted(os.listdir(base))
        except OSError:
            return []
        out = []
        for name in names:
            if not name.startswith(stem) or name == stem or name.startswith("."):
                continue
            if (base / name).is_dir():
                out.append(name + os.sep)
            elif not self.suffixes or name.lower().endswith(self.suffixes):
                out.append(name)
        return out
