"""Saved views: a staff member's named case lists, contact lists and reports, kept as synced records (table
``saved_views``), so that a view saved on the office desktop is on the trip laptop after the next sync.

A view belongs to its owner: only they (or a supervisor) may change or delete it; ``shared`` views are
listed for everyone. Writes go through the repositories and the single write path like any record.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..domain.errors import LiaisonError
from ..domain.i18n import register, t
from ..domain.permissions import may

if TYPE_CHECKING:
    from .store import Store

register(
    {
        "views.err.no_owner": (
            "Saving a view needs to know who you are: set `user` in the config file.",
            "保存视图需要知道您是谁：请在配置文件中设置 user。",
        ),
        "views.err.not_found": ("No saved view named '{name}'.", "没有名为“{name}”的视图。"),
        "views.err.not_yours": (
            "Your role ({role}) may {op} only your own saved views.",
            "您的角色（{role}）只能{op}自己的常用视图。",
        ),
    }
)

_COLUMNS = "id, owner_id, name, kind, target, params, shared, updated_at"


def views_for(conn: Any, me: str | None) -> list[dict[str, Any]]:
    """The views ``me`` sees: their own, then those others share, by name (none in a store that predates
    saved views and is read before its upgrade)."""
    if not conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'saved_views'"
    ).fetchone():
        return []
    cur = conn.execute(
        f"SELECT {_COLUMNS} FROM saved_views WHERE deleted = 0 AND (owner_id IS ? OR shared = 1) "
        "ORDER BY owner_id IS NOT ? , name COLLATE NOCASE, id",
        (me, me),
    )
    names = [c[0] for c in cur.description]
    out = []
    for row in cur.fetchall():
        item = dict(zip(names, row, strict=True))
        item["params"] = json.loads(item["params"] or "{}")
        item["mine"] = item["owner_id"] == me
        out.append(item)
    return out


def _check(role: str, op: str, mine: bool) -> None:
    if not may(role, "saved_views", op, works=mine):
        raise LiaisonError(
            "views.err.not_yours" if not mine and may(role, "saved_views", op, works=True) else "perm.denied",
            role=t(f"enum.StaffRole.{role}") if role != "local" else role,
            op=t(f"perm.op.{op}"),
            table="saved_views",
        )


def save_view(
    store: Store,
    me: str | None,
    role: str,
    name: str,
    kind: str,
    params: dict[str, Any],
    *,
    target: str | None = None,
    shared: bool = False,
) -> str:
    """Create the view ``name`` of ``me``, or replace the filters of their view of that name; its id."""
    if not me:
        raise LiaisonError("views.err.no_owner")
    fields = {
        "name": name.strip(),
        "kind": kind,
        "target": target,
        "params": json.dumps(params, ensure_ascii=False, sort_keys=True),
        "shared": shared,
    }
    with store.transaction():
        row = store.conn.execute(
            "SELECT id FROM saved_views WHERE owner_id = ? AND name = ? AND deleted = 0", (me, fields["name"])
        ).fetchone()
        repo = store.repo("saved_views")
        if row:
            _check(role, "update", True)
            repo.update(row[0], fields)
            return str(row[0])
        _check(role, "create", True)
        return str(repo.create({**fields, "owner_id": me}).id)


def delete_view(store: Store, view_id: str, me: str | None, role: str) -> None:
    with store.transaction():
        row = store.conn.execute("SELECT owner_id FROM saved_views WHERE id = ?", (view_id,)).fetchone()
        if row is None:
            raise LiaisonError("store.err.not_found", table="saved_views", id=view_id)
        _check(role, "delete", row[0] == me)
        store.repo("saved_views").delete(view_id)
