"""Named column mappings saved on this laptop ("峰会报名表"), so a file of a familiar shape imports with
no questions. Local (not synced): mappings describe files that arrive at this desk."""

from __future__ import annotations

from ..domain.errors import LiaisonError
from ..domain.i18n import register
from ..store import Store, imports
from .mapping import Mapping

register(
    {
        "import.err.mapping_unknown": (
            "No saved mapping named '{name}'. Saved: {names}",
            "没有名为“{name}”的已保存对应关系。已保存：{names}",
        ),
    }
)


def save_mapping(store: Store, mapping: Mapping) -> None:
    imports.save_mapping(store, mapping.name, mapping.to_json())


def load_mapping(store: Store, name: str) -> Mapping:
    found = imports.mapping_json(store, name.strip())
    if found is None:
        raise LiaisonError(
            "import.err.mapping_unknown", name=name, names=", ".join(list_mappings(store)) or "—"
        )
    return Mapping.from_json(found)


def list_mappings(store: Store) -> list[str]:
    return imports.mapping_names(store)


def delete_mapping(store: Store, name: str) -> None:
    imports.delete_mapping(store, name.strip())


def adapt(mapping: Mapping, headers: list[str]) -> Mapping:
    """A saved mapping applied to a file: its columns where the headers match, a fresh guess for any
    header it does not know (a column added to the sheet since)."""
    guessed = Mapping.guess(mapping.name, headers).columns
    columns = {h: mapping.columns.get(h, guessed[h]) for h in headers}
    return Mapping.model_validate({"name": mapping.name, "columns": columns})
