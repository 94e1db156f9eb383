"""A filtered contact list, keyset-paged like the case list: the records behind a report's figure or a saved
view. The filter is the report filter vocabulary of :mod:`.reports.drill`, so a list opened from a figure
holds exactly the people it counts. Most recently touched first (the ``(updated_at, id)`` index)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .queries import CasePage, _cursor, _dicts, _uncursor
from .reports.drill import contact_where

if TYPE_CHECKING:
    from .store import Store


@dataclass(frozen=True)
class ContactFilter:
    where: str = "{}"  # JSON of a contact filter (store/reports/drill.py)
    desc: bool = True

    @property
    def filters(self) -> dict[str, Any]:
        return dict(json.loads(self.where or "{}"))


def contacts_page(
    store: Store,
    flt: ContactFilter,
    *,
    after: str | None = None,
    before: str | None = None,
    last: bool = False,
    limit: int = 50,
) -> CasePage:
    clauses, params = contact_where(flt.filters)
    forward = not (before or last)
    ascending = (not flt.desc) if forward else flt.desc
    cursor = after if forward else before
    if cursor:
        value, row_id = _uncursor(cursor)
        clauses.append(f"(c.updated_at, c.id) {'>' if ascending else '<'} (?, ?)")
        params += [value, row_id]
    direction = "ASC" if ascending else "DESC"
    sql = (
        "SELECT c.id, c.native_name, c.latin_name, c.country, c.city, c.stage, c.tier, c.kind, "
        "c.last_activity_at, o.name_zh, o.name_en, s.display_name AS owner_name, c.updated_at AS _key "
        "FROM contacts c LEFT JOIN organizations o ON o.id = c.org_id LEFT JOIN staff s ON s.id = c.owner_id "
        f"WHERE {' AND '.join(clauses)} ORDER BY c.updated_at {direction}, c.id {direction} LIMIT ?"
    )
    with store.lock:
        rows = _dicts(store.conn.execute(sql, [*params, limit + 1]))
    more = len(rows) > limit
    rows = rows[:limit]
    if not forward:
        rows.reverse()
    if not rows:
        return CasePage([], None, None, True, True)
    at_start = (forward and not after) or (not forward and not more)
    at_end = (forward and not more) or last
    return CasePage(rows, _cursor(rows[0]), _cursor(rows[-1]), at_start, at_end)


def contacts_count(store: Store, flt: ContactFilter) -> int:
    clauses, params = contact_where(flt.filters)
    with store.lock:
        return int(
            store.conn.execute(
                f"SELECT count(*) FROM contacts c WHERE {' AND '.join(clauses)}", params
            ).fetchone()[0]
        )
