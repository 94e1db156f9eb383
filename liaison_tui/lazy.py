"""Package names that load on first use (PEP 562 ``__getattr__``).

The terminal must paint its first screen quickly, and a package ``__init__`` that imports everything it
exports would drag pydantic, the models and httpx into every start-up. Each package lists where its names
live and imports a module only when one of them is first asked for."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(package: str, homes: Mapping[str, tuple[str, ...]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``homes`` maps a submodule to the names it provides."""
    where = {name: module for module, names in homes.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{module}"), name)

    return __getattr__
