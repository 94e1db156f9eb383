"""Files Liaison writes hold personal data: they are created readable by their owner only (0600, folders
0700), whatever the umask. Exports, person exports and the database go through here or ``store.crypto``."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO, Any


def private_open(path: str | Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """``open(path, mode)`` for writing, the file created (or truncated and tightened) as 0600."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    with contextlib.suppress(AttributeError, OSError):  # platforms without fchmod
        os.fchmod(fd, 0o600)
    return os.fdopen(fd, mode, **kwargs)


def private_file(path: str | Path) -> Path:
    """Create ``path`` empty as 0600 (for libraries that open it themselves and keep the mode)."""
    private_open(path, "wb").close()
    return Path(path)


def private_dir(path: str | Path) -> Path:
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    return folder


def readable_by_others(path: str | Path) -> bool:
    try:
        return bool(Path(path).stat().st_mode & 0o077)
    except OSError:
        return False
