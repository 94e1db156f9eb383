"""Named column mappings saved on this laptop ("峰会报名表"), so a file of a familiar shape imports with
no questions. Local (not synced): mappings describe files that arrive at this desk."""

from __future__ import annotations

from ..domain.errors import LiaisonError
from ..domain.i18n import register
from ..domain.times import iso, utcnow
from ..store import Store
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
    now = iso(utcnow())
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO import_mappings (name, columns, created_at, updated_at, author) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET columns = excluded.columns, "
            "updated_at = excluded.updated_at, author = excluded.author",
            (mapping.name, mapping.to_json(), now, now, store.author),
        )


def load_mapping(store: Store, name: str) -> Mapping:
    row = store.conn.execute("SELECT columns FROM import_mappings WHERE name = ?", (name.strip(),)).fetchone()
    if row is None:
        raise LiaisonError(
            "import.err.mapping_unknown", name=name, names=", ".join(list_mappings(store)) or "—"
        )
    return Mapping.from_json(row[0])


def list_mappings(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT name FROM import_mappings ORDER BY name")]


def delete_mapping(store: Store, name: str) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM import_mappings WHERE name = ?", (name.strip(),))


def adapt(mapping: Mapping, headers: list[str]) -> Mapping:
    """A saved mapping applied to a file: its columns where the headers match, a fresh guess for any
    header it does not know (a column added to the sheet since)."""
    guessed = Mapping.guess(mapping.name, headers).columns
    columns = {h: mapping.columns.get(h, guessed[h]) for h in headers}
    return Mapping.model_validate({"name": mapping.name, "columns": columns})
