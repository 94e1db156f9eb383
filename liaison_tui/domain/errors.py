"""Errors that carry a message key, so every layer can fail in the user's language."""

from __future__ import annotations

from .i18n import has, t


class LiaisonError(Exception):
    """A failure a staff member can understand. ``key`` names a catalog message."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        params = dict(self.params)
        table = params.get("table")
        if isinstance(table, str) and has(f"table.{table}"):
            params["table"] = t(f"table.{table}", lang)
        return t(self.key, lang, **params)

    def __str__(self) -> str:
        return self.message("en")


class NotFound(LiaisonError):
    pass


class Conflict(LiaisonError):
    pass
