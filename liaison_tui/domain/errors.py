"""Errors that carry a message key, so every layer can fail in the user's language."""

from __future__ import annotations

from .i18n import t


class LiaisonError(Exception):
    """A failure a staff member can understand. ``key`` names a catalog message."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")


class NotFound(LiaisonError):
    pass


class Conflict(LiaisonError):
    pass
