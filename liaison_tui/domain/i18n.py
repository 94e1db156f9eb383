"""Bilingual message catalog (Simplified Chinese and English).

Every user-facing string goes through :func:`t`. Modules register their own messages with
:func:`register` so that each catalog lives next to the code that uses it; a key registered twice with
different text is a programming error and fails loudly at import time.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping
from typing import Literal

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_CATALOG: dict[str, tuple[str, str]] = {}
_current: Lang | None = None


def register(messages: Mapping[str, tuple[str, str]]) -> None:
    """Add ``{key: (english, chinese)}`` entries to the catalog."""
    for key, pair in messages.items():
        old = _CATALOG.get(key)
        if old is not None and old != pair:
            raise ValueError(f"message key registered twice with different text: {key}")
        _CATALOG[key] = pair


def detect_lang() -> Lang:
    """The language from the environment: LIAISON_LANG, then the locale, defaulting to Chinese."""
    explicit = os.environ.get("LIAISON_LANG", "").strip().lower()
    if explicit:
        return normalize_lang(explicit)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    loc = (locale.getlocale()[0] or "").lower()
    return "zh" if loc.startswith("zh") else "en"


def normalize_lang(value: str) -> Lang:
    v = value.strip().lower().replace("_", "-")
    if v.startswith("zh") or v in {"cn", "chinese", "中文"}:
        return "zh"
    return "en"


def set_lang(lang: str) -> None:
    global _current
    _current = normalize_lang(lang)


def get_lang() -> Lang:
    global _current
    if _current is None:
        _current = detect_lang()
    return _current


def list_sep(lang: str | None = None) -> str:
    """Between the items of a list in running text: 、 in Chinese, a comma in English."""
    return "、" if (lang or get_lang()) == "zh" else ", "


def has(key: str) -> bool:
    return key in _CATALOG


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """Translate ``key`` into ``lang`` (default: the current language) and fill ``{params}``."""
    pair = _CATALOG.get(key)
    if pair is None:
        return key
    text = pair[1] if normalize_lang(lang or get_lang()) == "zh" else pair[0]
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def tn(key: str, n: int, /, **params: object) -> str:
    """``key`` for a count of ``n`` (filled in as ``{n}``): ``<key>.one`` when n is 1 and the catalog has it,
    for the English singular ("1 result"); Chinese has one form."""
    if n == 1 and f"{key}.one" in _CATALOG:
        key = f"{key}.one"
    return t(key, n=n, **params)


def all_keys() -> list[str]:
    return sorted(_CATALOG)
