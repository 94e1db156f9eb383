"""Read-only queries of the recruiting screens and commands: keyset-paged lists of organizations, demands,
events and an event's attendees, a demand's candidates by stage, a contact's introductions and events.
Plain SQL returning plain dicts (each page one indexed query); run them in worker threads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .queries import CasePage, _dicts, _uncursor, fetch_page


def _page(
    store: Any,
    select: str,
    key: str,
    clauses: list[str],
    params: list[Any],
    *,
    after: str | None,
    before: str | None,
    last: bool,
    limit: int,
    desc: bool = False,
) -> CasePage:
    """One page of ``select`` (which names its table ``x``) in ``(key, x.id)`` order, either way."""
    forward = not (before or last)
    ascending = (not desc) if forward else desc
    cursor = after if forward else before
    clauses = list(clauses)
    params = list(params)
    if cursor:
        value, row_id = _uncursor(cursor)
        clauses.append(f"({key}, x.id) {'>' if ascending else '<'} (?, ?)")
        params += [value, row_id]
    direction = "ASC" if ascending else "DESC"
    sql = f"{select} WHERE {' AND '.join(clauses)} ORDER BY _key {direction}, x.id {direction} LIMIT ?"
    return fetch_page(store, sql, params, limit, forward=forward, after=after, last=last)


# ---------------------------------------------------------------------------- organizations
_ORG_KEY = "lower(coalesce(x.name_zh, x.name_en, ''))"


def orgs_page(
    store: Any,
    *,
    alliance: bool = False,
    kind: str | None = None,
    after: str | None = None,
    before: str | None = None,
    last: bool = False,
    limit: int = 50,
) -> CasePage:
    clauses, params = ["x.deleted = 0"], []
    if alliance:
        clauses.append("x.alliance_member = 1")
    if kind:
        clauses.append("x.kind = ?")
        params.append(kind)
    select = (
        "SELECT x.id, x.name_zh, x.name_en, x.kind, x.alliance_member, x.alliance_role, x.alliance_since, "
        "x.district, x.country, x.city, x.industry_chains, x.staff_ids, "
        "(SELECT count(*) FROM (SELECT 1 FROM contacts c WHERE c.org_id = x.id AND c.deleted = 0 LIMIT 1000)) "
        f"AS people, {_ORG_KEY} AS _key FROM organizations x"
    )
    return _page(store, select, _ORG_KEY, clauses, params, after=after, before=before, last=last, limit=limit)


def org_demands(store: Any, org_id: str, limit: int = 100) -> list[dict[str, Any]]:
    with store.lock:
        return _dicts(
            store.conn.execute(
                "SELECT id, title, status, deadline, headcount, industry_chain, brought_by = ? AS brought FROM demands "
                "WHERE deleted = 0 AND (org_id = ? OR brought_by = ?) "
                "ORDER BY status != 'open', coalesce(deadline, '9999'), id LIMIT ?",
                (org_id, org_id, org_id, limit),
            )
        )


def org_contacts(store: Any, org_id: str) -> list[dict[str, Any]]:
    """The organization's contact persons for the station."""
    with store.lock:
        return _dicts(
            store.conn.execute(
                "SELECT c.id, c.native_name, c.latin_name, a.role FROM affiliations a JOIN contacts c ON c.id = a.contact_id "
                "WHERE a.org_id = ? AND a.deleted = 0 AND a.is_contact = 1 AND a.current = 1 AND c.deleted = 0 "
                "ORDER BY coalesce(c.native_name, c.latin_name)",
                (org_id,),
            )
        )


def contact_affiliations(store: Any, contact_id: str) -> list[dict[str, Any]]:
    with store.lock:
        return _dicts(
            store.conn.execute(
                "SELECT a.id, a.org_id, a.role, a.current, a.since, a.until, a.is_contact, o.name_zh, o.name_en "
                "FROM affiliations a JOIN organizations o ON o.id = a.org_id WHERE a.contact_id = ? AND a.deleted = 0 "
                "ORDER BY a.current DESC, coalesce(a.since, '') DESC",
                (contact_id,),
            )
        )


# ---------------------------------------------------------------------------- demands
_DEMAND_KEY = "coalesce(x.deadline, '9999')"
DEMAND_STATUSES = ("open", "on_hold", "filled", "closed")


def demands_page(
    store: Any,
    *,
    status: str | None = "open",
    chain: str | None = None,
    owner_id: str | None = None,
    org_id: str | None = None,
    after: str | None = None,
    before: str | None = None,
    last: bool = False,
    limit: int = 50,
) -> CasePage:
    """Demands by deadline (soonest first; none last), open ones by default."""
    clauses, params = ["x.deleted = 0"], []
    if status == "open":
        clauses.append("x.status = 'open'")  # written out: the partial index over open demands
    elif status:
        clauses.append("x.status = ?")
        params.append(status)
    for column, value in (("x.industry_chain", chain), ("x.owner_id", owner_id), ("x.org_id", org_id)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    select = (
        "SELECT x.id, x.title, x.status, x.deadline, x.headcount, x.industry_chain, x.org_id, x.owner_id, "
        "o.name_zh AS org_zh, o.name_en AS org_en, s.display_name AS owner_name, "
        "(SELECT count(*) FROM introductions i WHERE i.demand_id = x.id AND i.deleted = 0 "
        "AND i.stage NOT IN ('declined', 'withdrawn')) AS active, "
        f"{_DEMAND_KEY} AS _key FROM demands x LEFT JOIN organizations o ON o.id = x.org_id "
        "LEFT JOIN staff s ON s.id = x.owner_id"
    )
    return _page(
        store, select, _DEMAND_KEY, clauses, params, after=after, before=before, last=last, limit=limit
    )


def demand_pipeline(store: Any, demand_id: str) -> list[dict[str, Any]]:
    """The demand's introductions, by stage in pipeline order."""
    order = (
        "CASE i.stage "
        + " ".join(
            f"WHEN '{s}' THEN {n}"
            for n, s in enumerate(
                ("proposed", "shared", "interview", "offer", "signed", "arrived", "declined", "withdrawn")
            )
        )
        + " END"
    )
    with store.lock:
        return _dicts(
            store.conn.execute(
                "SELECT i.id, i.contact_id, i.stage, i.stage_reason, i.stage_at, i.score, i.owner_id, "
                "c.native_name, c.latin_name, c.country, s.display_name AS owner_name FROM introductions i "
                "JOIN contacts c ON c.id = i.contact_id LEFT JOIN staff s ON s.id = i.owner_id "
                f"WHERE i.demand_id = ? AND i.deleted = 0 ORDER BY {order}, i.stage_at DESC, i.id",
                (demand_id,),
            )
        )


def contact_introductions(store: Any, contact_id: str) -> list[dict[str, Any]]:
    with store.lock:
        return _dicts(
            store.conn.execute(
                "SELECT i.id, i.demand_id, i.stage, i.stage_reason, i.stage_at, i.score, d.title, d.org_id, "
                "o.name_zh AS org_zh, o.name_en AS org_en FROM introductions i JOIN demands d ON d.id = i.demand_id "
                "LEFT JOIN organizations o ON o.id = d.org_id WHERE i.contact_id = ? AND i.deleted = 0 "
                "ORDER BY i.stage_at DESC, i.id DESC",
                (contact_id,),
            )
        )


def skill_labels(store: Any, ids: Sequence[str], lang: str) -> dict[str, str]:
    if not ids:
        return {}
    with store.lock:
        return {
            sid: (lang == "zh" and zh) or en
            for sid, en, zh in store.conn.execute(
                f"SELECT id, name_en, name_zh FROM skills WHERE id IN ({','.join('?' * len(ids))})", list(ids)
            )
        }


# ---------------------------------------------------------------------------- events
_EVENT_KEY = "x.starts_on"


def events_page(
    store: Any,
    *,
    upcoming: bool | None = None,
    today: str | None = None,
    after: str | None = None,
    before: str | None = None,
    last: bool = False,
    limit: int = 50,
) -> CasePage:
    """Events, newest start first; ``upcoming`` True/False for those starting on or after / before ``today``."""
    clauses, params = ["x.deleted = 0"], []
    if upcoming is not None and today:
        clauses.append("x.starts_on >= ?" if upcoming else "x.starts_on < ?")
        params.append(today)
    select = (
        "SELECT x.id, x.name, x.kind, x.starts_on, x.ends_on, x.city, x.country, x.venue, x.timezone, "
        "(SELECT count(*) FROM attendances a WHERE a.event_id = x.id AND a.deleted = 0 AND a.status != 'invited') AS registered, "
        "(SELECT count(*) FROM attendances a WHERE a.event_id = x.id AND a.deleted = 0 AND a.status = 'attended') AS attended, "
        f"{_EVENT_KEY} AS _key FROM events x"
    )
    return _page(
        store,
        select,
        _EVENT_KEY,
        clauses,
        params,
        after=after,
        before=before,
        last=last,
        limit=limit,
        desc=True,
    )


def event_counts(store: Any, event_id: str) -> dict[str, int]:
    with store.lock:
        return dict(
            store.conn.execute(
                "SELECT status, count(*) FROM attendances WHERE event_id = ? AND deleted = 0 GROUP BY status",
                (event_id,),
            ).fetchall()
        )


_ATTENDEE_KEY = "lower(coalesce(c.native_name, c.latin_name, ''))"


def attendees_page(
    store: Any,
    event_id: str,
    *,
    status: str | None = None,
    after: str | None = None,
    before: str | None = None,
    last: bool = False,
    limit: int = 50,
) -> CasePage:
    clauses, params = ["x.event_id = ?", "x.deleted = 0", "c.deleted = 0"], [event_id]
    if status:
        clauses.append("x.status = ?")
        params.append(status)
    select = (
        "SELECT x.id, x.contact_id, x.status, x.notes, x.checked_in_at, c.native_name, c.latin_name, c.title, "
        f"c.country, o.name_zh AS org_zh, o.name_en AS org_en, {_ATTENDEE_KEY} AS _key FROM attendances x "
        "JOIN contacts c ON c.id = x.contact_id LEFT JOIN organizations o ON o.id = c.org_id"
    )
    return _page(
        store, select, _ATTENDEE_KEY, clauses, params, after=after, before=before, last=last, limit=limit
    )


def contact_events(store: Any, contact_id: str) -> list[dict[str, Any]]:
    with store.lock:
        return _dicts(
            store.conn.execute(
                "SELECT a.id, a.event_id, a.status, a.checked_in_at, a.notes, e.name, e.kind, e.starts_on, e.city "
                "FROM attendances a JOIN events e ON e.id = a.event_id WHERE a.contact_id = ? AND a.deleted = 0 "
                "AND e.deleted = 0 ORDER BY e.starts_on DESC",
                (contact_id,),
            )
        )


def org_names(store: Any, ids: Sequence[str]) -> dict[str, str]:
    if not ids:
        return {}
    with store.lock:
        return {
            oid: zh or en or oid
            for oid, zh, en in store.conn.execute(
                f"SELECT id, name_zh, name_en FROM organizations WHERE id IN ({','.join('?' * len(ids))})",
                list(ids),
            )
        }


def titles_like(store: Any, text: str, limit: int = 8) -> list[tuple[str, str, str]]:
    """(kind, id, title) of live demands (open ones and the nearest deadline first) and events (the latest
    first) whose title holds ``text``: at most ``limit`` of each."""
    pattern = f"%{text.strip()}%"
    with store.lock:
        demands = store.conn.execute(
            "SELECT 'demand', id, title FROM demands WHERE deleted = 0 AND title LIKE ? "
            "ORDER BY status != 'open', coalesce(deadline, '9999') LIMIT ?",
            (pattern, limit),
        ).fetchall()
        events = store.conn.execute(
            "SELECT 'event', id, name FROM events WHERE deleted = 0 AND name LIKE ? ORDER BY starts_on DESC LIMIT ?",
            (pattern, limit),
        ).fetchall()
    return [(kind, rid, title) for kind, rid, title in [*demands, *events]]


def org_choices(store: Any, limit: int = 2000) -> list[tuple[str, str, str | None]]:
    """(id, name, English name) of live organizations to pick from: alliance members first, then by name
    (the Chinese name when there is one)."""
    with store.lock:
        rows = store.conn.execute(
            "SELECT id, coalesce(name_zh, name_en), name_en FROM organizations WHERE deleted = 0 "
            "ORDER BY alliance_member DESC, coalesce(name_zh, name_en) LIMIT ?",
            (limit,),
        ).fetchall()
    return [(oid, name, en) for oid, name, en in rows]


def alliance_members(store: Any) -> list[tuple[str, str]]:
    """(id, name) of the live alliance member organizations, by name (the Chinese name when there is one)."""
    with store.lock:
        rows = store.conn.execute(
            "SELECT id, coalesce(name_zh, name_en) FROM organizations WHERE deleted = 0 AND alliance_member = 1 "
            "ORDER BY coalesce(name_zh, name_en)"
        ).fetchall()
    return [(oid, name) for oid, name in rows]
