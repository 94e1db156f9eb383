"""Keys under which two records of one person, or of one organization, meet. Pure.

The same name key (pinyin of a Chinese name with the surname's own readings, or a folded Latin name, word
order ignored) qualified by the same organization or the same country marks likely duplicates
(``store/dedupe.py``); the importer matches incoming rows with the same keys (``importer/plan.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from . import search_keys as sk

_WORDS = re.compile(r"[^\W_]+")


def name_keys(native: str | None, latin: str | None) -> set[str]:
    """Keys under which two spellings of one person's name meet: ``张伟``, ``章伟`` (same pinyin),
    ``Zhang Wei`` and ``Wei Zhang`` all give ``wei zhang``; ``Müller``/``Mueller`` both fold."""
    return set(_name_keys(native)) | _name_keys(latin)


@lru_cache(maxsize=1 << 16)  # per name, not per pair: names repeat (张伟 thousands of times)
def _name_keys(name: str | None) -> frozenset[str]:
    if not name or not name.strip():
        return frozenset()
    keys: set[str] = set()
    base = sk.base_text(name)
    if sk.has_cjk(base) and " " not in base and len(base) <= 6:
        surname, given = sk.split_chinese_name(base)
        given_py = "".join(sk.char_pinyin(c) if sk.is_cjk(c) else c for c in given)
        for reading in sk.surname_readings(surname):
            sur = "".join(reading)
            if sur:
                keys.add(" ".join(sorted(w for w in (sur, given_py) if w)))
        return frozenset(keys)
    for fold in sk.fold_variants(base):
        words = _WORDS.findall(fold.replace("-", "").replace("'", ""))
        if words:
            keys.add(" ".join(sorted(words)))
    return frozenset(keys)


@lru_cache(maxsize=1 << 14)
def org_key(name_zh: str | None, name_en: str | None) -> frozenset[str]:
    """Normalised organization names (either language), for "same organization"."""
    return frozenset(
        {
            "".join(_WORDS.findall(sk.fold_variants(sk.base_text(n))[0]))
            for n in (name_zh, name_en)
            if n and n.strip()
        }
        - {""}
    )


def duplicate_keys(
    native: str | None, latin: str | None, org_names: Iterable[str], country: str | None
) -> set[str]:
    """Name keys qualified by organization or country (a name alone is too common to mean anything)."""
    names = name_keys(native, latin)
    out = {f"name_org|{n}|{o}" for n in names for o in org_names}
    if country:
        out |= {f"name_country|{n}|{country}" for n in names}
    return out
