"""Big demo stores for the big-data tests (marker ``bigdata``), built once and kept between runs.

A 100k-contact store takes minutes to build, so it is cached outside the work tree, where it survives a
fresh clone: ``$LIAISON_TEST_CACHE``, else the user's cache folder (``~/.cache/liaison-tests`` on Linux).
The file name carries a digest of everything that shapes the store (schema migrations, the store
package with the demo generator and the search index, the test build helper), so a change to any of
them builds a new store and removes the stale one.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

from liaison_tui.tui.testing import build_store

ROOT = Path(__file__).resolve().parents[1]
_SHAPES_THE_STORE = ("db/*.sql", "liaison_tui/store/**/*.py", "liaison_tui/domain/search_keys.py")


def cache_dir() -> Path:
    folder = Path(os.environ.get("LIAISON_TEST_CACHE") or platformdirs.user_cache_dir("liaison-tests"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def generator_version(contacts: int, seed: int) -> str:
    digest = hashlib.sha256(f"{contacts}/{seed}".encode())
    files = {path for pattern in _SHAPES_THE_STORE for path in ROOT.glob(pattern)}
    files.add(ROOT / "liaison_tui" / "tui" / "testing.py")
    for path in sorted(files):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cached_demo_store(contacts: int, *, seed: int = 7) -> Path:
    """The path of a demo store with ``contacts`` contacts, built now if the cache has none of this version."""
    folder = cache_dir()
    path = folder / f"demo-{contacts}-seed{seed}-{generator_version(contacts, seed)}.db"
    if path.exists():
        return path
    for stale in folder.glob(f"demo-{contacts}-seed{seed}-*"):
        if not stale.name.startswith(path.stem):  # another version's store, not a build under way
            stale.unlink(missing_ok=True)
    # built under a name of this process's own, then renamed: two runs at once never see half a store
    own = build_store(folder / f"{path.stem}.{os.getpid()}.db", contacts, seed=seed)
    own.replace(path)
    return path
