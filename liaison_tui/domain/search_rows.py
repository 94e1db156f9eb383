"""What the lookup index stores for a record: its fields as compact JSON and the three FTS texts.

Pure functions over plain row tuples (no I/O), so that a big build can compute them in worker processes
while the store writes (see ``store/search.py``). :func:`index_texts` is the one definition of a
document's FTS texts: the contentless FTS tables need exactly the same text again to delete a row, and
that text is re-derived from the stored JSON. :func:`doc_texts` computes the same thing from ``Field``
tuples much faster, because most fields (a name, an organization, a title, a tag) repeat across
thousands of records and their share is computed once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from . import search_keys as sk
from .search_keys import Field

# (ref, recency in µs, fields JSON, name words, other words, substrings): one document, ready to store
IndexRow = tuple[str, int, str, str, str, str]
# id, native_name, latin_name, aliases, title, field, tags, updated_at, last_activity_at, the organization's
# name_zh and name_en, and the live contact points as a JSON array of [is_primary, created_at, id, kind,
# raw, value] in any order
ContactRow = tuple[str, Any, Any, Any, Any, Any, Any, Any, Any, Any, Any, "str | None"]
OrgRow = tuple[str, Any, Any, Any]  # id, name_zh, name_en, updated_at
CaseRow = tuple[str, Any, Any, Any, "tuple[Any, Any] | None"]  # id, number, title, updated_at, beneficiary

# Codes of fields that belong to one person (an e-mail, a phone): never worth remembering.
_UNIQUE = frozenset("emwkud")
_CACHE_MAX = 1 << 16


_quote: Callable[[str], str] = json.encoder.encode_basestring


def _encode(field: Sequence[Any]) -> str:
    """``json.dumps([code, display, keys, infix], ensure_ascii=False, separators=(",", ":"))``, written
    out: the encoder object json.dumps builds per call is most of its cost for a list this small."""
    code, display, keys, infix = field
    shown = "" if keys[0] == display else display
    return f"[{_quote(code)},{_quote(shown)},[{','.join(map(_quote, keys))}],{int(infix)}]"


def encode_fields(fields: Iterable[Field]) -> str:
    """Compact JSON laid out like :class:`Field`: ``[[code, display, [key, ...], infix], ...]``, with
    display ``""`` when it is the first key (most Latin and simplified text), stored once."""
    return "[" + ",".join(_encode(f) for f in fields if f[2]) + "]"


def _words(keys: Sequence[str]) -> list[str]:
    out: list[str] = []
    for key in keys:
        out.append(key)
        if key.isalnum():  # one token already (a phone, a joined pinyin): nothing to glue
            continue
        glue = sk.glued(key)
        if sk.GLUE in glue:
            out.append(glue)
    return out


def index_texts(fields: Iterable[Sequence[Any]]) -> tuple[str, str, str]:
    """(name words, other words, substrings): the FTS texts of a document. Words are every key plus, for a
    key of several words, those words glued into one token (see :func:`search_keys.glued`).
    Deterministic in ``fields``: the contentless FTS tables need exactly the same text again to delete."""
    names: dict[str, None] = {}
    other: dict[str, None] = {}
    grams: dict[str, None] = {}
    for code, _display, keys, infix in fields:
        words = names if sk.FIELD_WEIGHT.get(code, 0) == 2 else other
        words.update(dict.fromkeys(_words(keys)))
        grams.update(dict.fromkeys(keys[:infix]))
    return "\n".join(names), "\n".join(other), "\n".join(grams)


_Share = tuple[str, bool, dict[str, None], dict[str, None]]  # JSON, in names, words, substrings
_shares: dict[Field, _Share] = {}


def _share(field: Field) -> _Share:
    got = _shares.get(field)
    if got is None:
        got = (
            _encode(field),
            sk.FIELD_WEIGHT.get(field[0], 0) == 2,
            dict.fromkeys(_words(field[2])),
            dict.fromkeys(field[2][: field[3]]),
        )
        if field[0] not in _UNIQUE:
            if len(_shares) >= _CACHE_MAX:
                _shares.clear()
            _shares[field] = got
    return got


def doc_texts(fields: Iterable[Field]) -> tuple[str, str, str, str]:
    """(fields JSON, name words, other words, substrings): ``encode_fields`` and ``index_texts`` at once,
    with exactly their results."""
    pieces: list[str] = []
    names: dict[str, None] = {}
    other: dict[str, None] = {}
    grams: dict[str, None] = {}
    for field in fields:
        if not field[2]:
            continue
        piece, in_names, words, infix = _share(field)
        pieces.append(piece)
        (names if in_names else other).update(words)
        grams.update(infix)
    return "[" + ",".join(pieces) + "]", "\n".join(names), "\n".join(other), "\n".join(grams)


def _row(ref: str, recency: int, fields: Iterable[Field]) -> IndexRow:
    return (ref, recency, *doc_texts(fields))


def _points(text: str | None) -> list[tuple[Any, Any, Any]]:
    """(kind, raw, value) of the points in ``text``, primary first, then oldest first."""
    if not text or text == "[]":
        return []
    points = json.loads(text)
    if len(points) > 1:
        points.sort(key=lambda p: (-(p[0] or 0), p[1] or "", p[2] or ""))
    return [(p[3], p[4], p[5]) for p in points]


def contact_rows(batch: Sequence[ContactRow]) -> list[IndexRow]:
    out: list[IndexRow] = []
    for cid, native, latin, aliases, title, fld, tags, updated, active, org_zh, org_en, points_json in batch:
        org = {"name_zh": org_zh, "name_en": org_en} if org_zh or org_en else None
        fields = sk.contact_fields_of(native, latin, aliases, title, fld, tags, _points(points_json), org)
        # recently *active* first; a contact never worked with falls back to its last edit
        out.append(_row(cid, sk.recency_seq(active or updated), fields))
    return out


def org_rows(batch: Sequence[OrgRow]) -> list[IndexRow]:
    return [
        _row(oid, sk.recency_seq(updated), sk.org_fields({"name_zh": zh, "name_en": en}))
        for oid, zh, en, updated in batch
    ]


def case_rows(batch: Sequence[CaseRow]) -> list[IndexRow]:
    out: list[IndexRow] = []
    for cid, number, title, updated, person in batch:
        beneficiary = {"native_name": person[0], "latin_name": person[1]} if person else None
        fields = sk.case_fields({"number": number, "title": title}, beneficiary)
        out.append(_row(cid, sk.recency_seq(updated), fields))
    return out
