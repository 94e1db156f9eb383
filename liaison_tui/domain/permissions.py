"""Who may do what: the permission table the central service enforces on every pushed change, and the
terminal app reads to hide what a role cannot do. Pure data and a lookup; docs/SECURITY.md shows the same
table (tests/test_permissions_doc.py keeps the two equal).

A grant is ``all`` (any record), ``own`` (records the staff member works: owned by them, by someone in
their team, or by nobody; a record's contact points, affiliations, attendances, consents, talent profile
and skills follow their contact) or ``none``. Personal records (saved views) are ``own`` only when the
staff member owns them alone: not their team's, and never nobody's.
"""

from __future__ import annotations

from typing import Literal

from .enums import StaffRole
from .i18n import register, t

Grant = Literal["all", "own", "none"]
OPS = ("create", "update", "delete", "merge", "reassign", "reopen", "erase", "export", "admin")
# Tables whose rows belong to the service: laptops pull them, only `liaison serve admin` changes them.
SERVER_OWNED = frozenset({"staff"})
# Append-only ledgers: a row, once written, is never edited or deleted (erasure aside).
APPEND_ONLY = frozenset({"consents", "erasures"})
# What field says who works a record (None: the record follows its contact).
OWNER_FIELD: dict[str, str | None] = {
    "contacts": "owner_id",
    "cases": "owner_id",
    "followups": "assignee_id",
    "activities": "staff_id",
    "contact_points": None,
    "affiliations": None,
    "attendances": None,
    "consents": None,
    "talent_profiles": None,
    "talent_skills": None,
    "introductions": "owner_id",
    "saved_views": "owner_id",
}
# Records that belong to one staff member alone: "own" means owned by them (not their team, not nobody).
PERSONAL = frozenset({"saved_views"})
# Tables where reassigning means changing the owner field to someone else.
REASSIGNABLE = frozenset({"contacts", "cases", "followups", "introductions"})

_A: Grant = "all"
_O: Grant = "own"
_N: Grant = "none"


def _row(**grants: Grant) -> dict[str, Grant]:
    return {op: grants.get(op, _N) for op in OPS}


_OFFICER: dict[str, dict[str, Grant]] = {
    "contacts": _row(create=_A, update=_O, export=_A),
    "contact_points": _row(create=_O, update=_O, delete=_O, export=_A),
    "affiliations": _row(create=_O, update=_O, delete=_O),
    "attendances": _row(create=_O, update=_O, delete=_O),
    "consents": _row(create=_O),
    "cases": _row(create=_O, update=_O, export=_A),
    "followups": _row(create=_O, update=_O, delete=_O),
    "activities": _row(create=_A, update=_O, delete=_O),
    "organizations": _row(create=_A, update=_A, export=_A),
    "events": _row(create=_A, update=_A, export=_A),
    "skills": _row(create=_A, update=_A),
    "talent_profiles": _row(create=_O, update=_O, delete=_O),
    "talent_skills": _row(create=_O, update=_O, delete=_O),
    "demands": _row(create=_A, update=_A, export=_A),
    "match_marks": _row(create=_A, update=_A, delete=_A),
    "introductions": _row(create=_O, update=_O, delete=_O, export=_A),
    "sync_conflicts": _row(update=_A),
    "erasures": _row(),
    "staff": _row(),
    "saved_views": _row(create=_O, update=_O, delete=_O),
}
_SUPERVISOR: dict[str, dict[str, Grant]] = {
    "contacts": _row(create=_A, update=_A, delete=_A, merge=_A, reassign=_A, erase=_A, export=_A),
    "contact_points": _row(create=_A, update=_A, delete=_A, export=_A),
    "affiliations": _row(create=_A, update=_A, delete=_A),
    "attendances": _row(create=_A, update=_A, delete=_A),
    "consents": _row(create=_A, export=_A),
    "cases": _row(create=_A, update=_A, delete=_A, reassign=_A, reopen=_A, export=_A),
    "followups": _row(create=_A, update=_A, delete=_A, reassign=_A),
    "activities": _row(create=_A, update=_A, delete=_A),
    "organizations": _row(create=_A, update=_A, delete=_A, merge=_A, export=_A),
    "events": _row(create=_A, update=_A, delete=_A, export=_A),
    "skills": _row(create=_A, update=_A, delete=_A),
    "talent_profiles": _row(create=_A, update=_A, delete=_A),
    "talent_skills": _row(create=_A, update=_A, delete=_A),
    "demands": _row(create=_A, update=_A, delete=_A, export=_A),
    "match_marks": _row(create=_A, update=_A, delete=_A),
    "introductions": _row(create=_A, update=_A, delete=_A, reassign=_A, export=_A),
    "sync_conflicts": _row(update=_A),
    "erasures": _row(create=_A),
    "staff": _row(),
    "saved_views": _row(create=_A, update=_A, delete=_A, reassign=_A),
}
# The administrator manages staff and devices and works records like an officer, without bulk export.
_ADMIN = {
    table: {op: (_N if op == "export" else g) for op, g in grants.items()}
    for table, grants in _OFFICER.items()
}
_ADMIN["staff"] = _row(admin=_A)
_VIEWER = {table: _row() for table in _OFFICER}
# A viewer changes no station record, but keeps their own saved views.
_VIEWER["saved_views"] = _row(create=_O, update=_O, delete=_O)

TABLE: dict[str, dict[str, dict[str, Grant]]] = {
    StaffRole.ADMIN.value: _ADMIN,
    StaffRole.SUPERVISOR.value: _SUPERVISOR,
    StaffRole.OFFICER.value: _OFFICER,
    StaffRole.VIEWER.value: _VIEWER,
}
# A store that has never met a central service has no roles: its one user may do everything locally.
LOCAL = "local"


def grant(role: str | None, table: str, op: str) -> Grant:
    """The grant of ``role`` for ``op`` on ``table`` (``none`` for anything unknown)."""
    if role is None or role == LOCAL:
        return _N if table in SERVER_OWNED and op != "admin" else _A
    return TABLE.get(role, {}).get(table, {}).get(op, _N)


def may(role: str | None, table: str, op: str, *, works: bool = True) -> bool:
    """Whether ``role`` may do ``op`` on a record of ``table``; ``works``: whether the staff member works
    that record (owner, team or unowned), which an ``own`` grant needs."""
    g = grant(role, table, op)
    return g == _A or (g == _O and works)


register(
    {
        "perm.denied": (
            "Your role ({role}) may not {op} this {table}.",
            "您的角色（{role}）不能{op}该{table}。",
        ),
        "perm.denied_own": (
            "Your role ({role}) may {op} a {table} only when you, your team or nobody owns it.",
            "您的角色（{role}）只能{op}由您、您的团队负责或无人负责的{table}。",
        ),
        "perm.op.create": ("create", "新建"),
        "perm.op.update": ("change", "修改"),
        "perm.op.delete": ("delete", "删除"),
        "perm.op.merge": ("merge", "合并"),
        "perm.op.reassign": ("reassign", "改派"),
        "perm.op.reopen": ("reopen", "重新打开"),
        "perm.op.erase": ("erase", "删除（个人信息）"),
        "perm.op.export": ("export", "导出"),
        "perm.op.admin": ("administer", "管理"),
    }
)


def denied_message(role: str, table: str, op: str, lang: str | None = None) -> str:
    key = "perm.denied_own" if grant(role, table, op) == _O else "perm.denied"
    return t(
        key,
        lang,
        role=t(f"enum.StaffRole.{role}", lang),
        op=t(f"perm.op.{op}", lang),
        table=t(f"table.{table}", lang),
    )


_CELL = {"all": "yes", "own": "own", "none": "-"}


def markdown() -> str:
    """The permission table as docs/SECURITY.md shows it: one table per role, a row per kind of record."""
    out: list[str] = []
    for role, tables in TABLE.items():
        out.append(f"#### {role}\n")
        out.append("| table | " + " | ".join(OPS) + " |")
        out.append("|---|" + "---|" * len(OPS))
        for table, grants in tables.items():
            out.append(f"| {table} | " + " | ".join(_CELL[grants[op]] for op in OPS) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def parse_markdown(text: str) -> dict[str, dict[str, dict[str, Grant]]]:
    """The tables of :func:`markdown` read back (what tests hold the server to)."""
    back = {v: k for k, v in _CELL.items()}
    result: dict[str, dict[str, dict[str, Grant]]] = {}
    role = None
    for line in text.splitlines():
        if line.startswith("#### "):
            role = line[5:].strip()
            result[role] = {}
        elif role and line.startswith("| ") and not line.startswith("| table") and "---" not in line:
            cells = [c.strip() for c in line.strip("|").split("|")]
            result[role][cells[0]] = {op: back[c] for op, c in zip(OPS, cells[1:], strict=True)}  # type: ignore[misc]
    return result
