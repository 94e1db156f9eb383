"""Every user-facing message exists in Simplified Chinese and English with the same placeholders."""

from __future__ import annotations

import importlib
import pkgutil
import string

import liaison_tui
from liaison_tui.domain import i18n


def _load_everything() -> None:
    for module in pkgutil.walk_packages(liaison_tui.__path__, "liaison_tui."):
        if module.name.endswith("__main__"):
            continue
        importlib.import_module(module.name)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalog_is_complete_and_consistent() -> None:
    _load_everything()
    keys = i18n.all_keys()
    assert len(keys) > 300
    for key in keys:
        english, chinese = i18n._CATALOG[key]
        # a deliberately blank label (an unnamed column) is blank in both languages
        assert bool(english.strip()) == bool(chinese.strip()), key
        assert _fields(english) == _fields(chinese), key


def test_unknown_key_falls_back_to_the_key() -> None:
    assert i18n.t("no.such.key", "zh") == "no.such.key"


def test_language_normalisation() -> None:
    assert i18n.normalize_lang("zh_CN.UTF-8") == "zh"
    assert i18n.normalize_lang("en-GB") == "en"
