"""Conversion between domain models and SQLite rows (lists as JSON text, booleans as integers)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import orjson

from ..domain.entities import Entity
from ..domain.models import Model

BOOKKEEPING = (
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "device_id",
    "created_hlc",
    "hlc",
    "deleted",
)


def dumps(value: Any) -> str:
    """Compact JSON with sorted keys (stable text for the change log); orjson because the bulk path
    encodes millions of these."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


@cache
def column_kinds(entity: Entity) -> tuple[tuple[str, int], ...]:
    """``(field, kind)`` for each model field: 1 = JSON list, 2 = boolean, 0 = as is."""
    kinds = []
    for name, info in entity.model.model_fields.items():
        kind = 1 if name in entity.lists else 2 if info.annotation is bool else 0
        kinds.append((name, kind))
    return tuple(kinds)


@cache
def _column_plan(entity: Entity) -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]:
    """(names in ``column_kinds`` order, positions of the JSON lists, positions of the booleans)."""
    kinds = column_kinds(entity)
    return (
        tuple(name for name, _ in kinds),
        tuple(i for i, (_, kind) in enumerate(kinds) if kind == 1),
        tuple(i for i, (_, kind) in enumerate(kinds) if kind == 2),
    )


def to_columns(entity: Entity, fields: dict[str, Any]) -> list[Any]:
    """All model fields of a storable record as column values, in ``column_kinds`` order (bulk path)."""
    names, lists, flags = _column_plan(entity)
    get = fields.get
    out = [get(name) for name in names]
    for i in lists:
        value = out[i]
        out[i] = dumps(value) if value else "[]"  # most list fields of a new record are empty
    for i in flags:
        value = out[i]
        if value is None and names[i] not in fields:  # a flag a record predates: the model's default
            value = entity.model.model_fields[names[i]].default
        if value is not None:
            out[i] = int(value)
    return out


def to_column(entity: Entity, name: str, value: Any) -> Any:
    """A storable field value (``model_dump(mode='json')``) as the column holds it."""
    if name in entity.lists:
        return dumps(value if value is not None else [])
    if isinstance(value, bool):
        return int(value)
    return value


def from_column(entity: Entity, name: str, value: Any) -> Any:
    """A column value as the model's input (and as the change log carries it)."""
    if name in entity.lists:
        return json.loads(value) if value else []
    field = entity.model.model_fields.get(name)
    if field is not None and field.annotation is bool and value is not None:
        return bool(value)
    return value


def row_to_fields(entity: Entity, row: dict[str, Any]) -> dict[str, Any]:
    """The model fields of a row, in storable form."""
    return {name: from_column(entity, name, row.get(name)) for name in entity.model.model_fields}


def row_to_model(entity: Entity, row: dict[str, Any]) -> Model:
    # Rows were validated on the way in; the "stored" context tells validators not to re-derive values
    # (a national phone number parsed with its contact's country must not be re-parsed without it).
    return entity.model.model_validate(row_to_fields(entity, row), context={"stored": True})


def model_to_columns(entity: Entity, model: Model) -> dict[str, Any]:
    return {name: to_column(entity, name, value) for name, value in model.storable().items()}
