"""The filters behind report figures, as SQL: one vocabulary for the report that counts and the list that shows
the records counted, so that opening a figure lists exactly what it counts.

A filter is a plain dict (kept as JSON by saved views). Case filters (alias ``k``):

    opened [low, high]    opened in the period (duplicates left out)
    resolved [low, high]  resolved in the period (a reopened case counts when it is resolved again)
    served [low, high]    worked in the period: opened before its end, and open or finished after its start
                          (duplicates and rejected requests left out)
    category, owner ("" = nobody), chain (the beneficiary's industry chain), open, overdue (a time)

Contact filters (alias ``c``, live contacts only; a merged record counts as the one it was merged into):

    kind, stage, reached (furthest pipeline stage rank at least), source, tier, country, city, field (None
    matches an empty value), chain, org, owner ("" = nobody), created [low, high], no_reach (no phone or
    email), no_consent (a date: no consent in force that day), event + step (registered, attended, followed,
    introduced, arrived; event "*" with period [low, high] of event days), served {category, low, high}
"""

from __future__ import annotations

from typing import Any

from ...domain.workflow import OPEN_STATUSES
from .periods import STATION_TZ

OPEN_SQL = "(" + ", ".join(f"'{s}'" for s in sorted(s.value for s in OPEN_STATUSES)) + ")"
# The pipeline in order; on hold and lost count as leads unless their history shows they got further.
STAGES = ("lead", "contacted", "engaged", "visiting", "signed", "landed", "rooted")
ARRIVED = ("landed", "rooted")
REACH_KINDS = ("phone", "email")
FOLLOW_UP_ACTIVITIES = ("call", "video_call", "meeting", "email", "wechat", "visit")
EVENT_STEPS = ("registered", "attended", "followed", "introduced", "arrived")


def rank_sql(column: str) -> str:
    arms = " ".join(f"WHEN '{stage}' THEN {i}" for i, stage in enumerate(STAGES, 1))
    return f"(CASE {column} {arms} ELSE 1 END)"


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _station_offset() -> str:
    """SQLite modifier from a station date to the UTC instant of its midnight (the station keeps no DST)."""
    from datetime import datetime

    hours = -(datetime(2026, 1, 1, tzinfo=STATION_TZ).utcoffset() or 0).total_seconds() / 3600  # type: ignore[union-attr]
    return f"{hours:+g} hours"


def station_midnight_sql(day_column: str) -> str:
    return f"strftime('%Y-%m-%dT%H:%M:%SZ', {day_column}, '{_station_offset()}')"


def chain_sql(column: str) -> str:
    """Whether a JSON list column holds the chain bound to the next ``?`` (its codes are plain words)."""
    return f"instr({column}, '\"' || ? || '\"') > 0"


# ------------------------------------------------------------------------------------------------ cases
def case_where(where: dict[str, Any], a: str = "k.") -> tuple[list[str], list[Any]]:
    clauses: list[str] = [f"{a}deleted = 0"]
    params: list[Any] = []
    if "opened" in where:
        low, high = where["opened"]
        clauses.append(f"{a}status != 'duplicate' AND {a}opened_at >= ? AND {a}opened_at < ?")
        params += [low, high]
    if "resolved" in where:
        low, high = where["resolved"]
        clauses.append(f"{a}resolved_at IS NOT NULL AND {a}resolved_at >= ? AND {a}resolved_at < ?")
        params += [low, high]
    if "served" in where:
        low, high = where["served"]
        clauses.append(served_sql(a))
        params += [high, low]
    if where.get("category"):
        clauses.append(f"{a}category = ?")
        params.append(where["category"])
    if "owner" in where:
        if where["owner"]:
            clauses.append(f"{a}owner_id = ?")
            params.append(where["owner"])
        else:
            clauses.append(f"{a}owner_id IS NULL")
    if where.get("open"):
        clauses.append(f"{a}status IN {OPEN_SQL}")
    if where.get("overdue"):
        clauses.append(f"{a}status IN {OPEN_SQL} AND {a}due_at < ?")
        params.append(where["overdue"])
    if where.get("chain"):
        clauses.append(
            f"EXISTS (SELECT 1 FROM contacts b WHERE b.id = {a}beneficiary_id AND {chain_sql('b.industry_chains')})"
        )
        params.append(where["chain"])
    return clauses, params


def served_sql(a: str = "k.") -> str:
    """Worked in [low, high): params (high, low)."""
    return (
        f"{a}status NOT IN ('duplicate', 'rejected') AND {a}opened_at < ? AND "
        f"({a}status IN {OPEN_SQL} OR coalesce({a}resolved_at, {a}closed_at, {a}updated_at) >= ?)"
    )


# ------------------------------------------------------------------------------------------------ people
def person_ids_sql(c: str = "c") -> str:
    """The contact and the records merged into it, for ``x IN (...)``."""
    return f"SELECT {c}.id UNION ALL SELECT id FROM contacts WHERE merged_into = {c}.id"


def contact_where(where: dict[str, Any], a: str = "c.") -> tuple[list[str], list[Any]]:
    clauses: list[str] = [f"{a}deleted = 0"]
    params: list[Any] = []
    for key in ("kind", "stage", "source", "tier"):  # never empty: = lets an index seek
        if key in where:
            clauses.append(f"{a}{key} = ?")
            params.append(where[key])
    for key, column in (
        ("country", "country"),
        ("city", "city"),
        ("field", "field"),
        ("org", "org_id"),
    ):
        if key in where:
            clauses.append(f"{a}{column} IS ?")
            params.append(where[key])
    if "owner" in where:
        if where["owner"]:
            clauses.append(f"{a}owner_id = ?")
            params.append(where["owner"])
        else:
            clauses.append(f"{a}owner_id IS NULL")
    if where.get("chain"):
        clauses.append(chain_sql(f"{a}industry_chains"))
        params.append(where["chain"])
    if "created" in where:
        low, high = where["created"]
        clauses.append(f"{a}created_at >= ? AND {a}created_at < ?")
        params += [low, high]
    if where.get("reached"):
        clauses.append(
            f"({rank_sql(a + 'stage')} >= ? OR EXISTS (SELECT 1 FROM history h WHERE h.tbl = 'contacts' "
            f"AND h.field = 'stage' AND h.row_id = {a}id AND "
            f"max({rank_sql('h.old_value')}, {rank_sql('h.new_value')}) >= ?))"
        )
        params += [where["reached"], where["reached"]]
    if where.get("no_reach"):
        clauses.append(no_reach_sql(a))
    if where.get("no_consent"):
        clauses.append(f"{a}id NOT IN ({consented_sql()})")
        params += [where["no_consent"]] * 3
    if where.get("event"):
        step = where.get("step", "registered")
        event = where["event"]
        low, high = where.get("period") or (None, None)
        event_clause = "e.id = ?" if event != "*" else "e.starts_on >= ? AND e.starts_on < ?"
        clauses.append(
            f"EXISTS (SELECT 1 FROM attendances a JOIN events e ON e.id = a.event_id WHERE a.deleted = 0 "
            f"AND e.deleted = 0 AND {event_clause} AND a.contact_id IN ({person_ids_sql(a.rstrip('.'))}) "
            f"AND {event_step_sql(step, a.rstrip('.'), where.get('introductions', False))})"
        )
        params += [event] if event != "*" else [low, high]
    if "served" in where:
        served = where["served"]
        extra = " AND k.category = ?" if served.get("category") else ""
        clauses.append(
            f"EXISTS (SELECT 1 FROM cases k WHERE k.deleted = 0 AND k.beneficiary_id IN "
            f"({person_ids_sql(a.rstrip('.'))}) AND {served_sql()}{extra})"
        )
        params += [served["high"], served["low"]] + ([served["category"]] if served.get("category") else [])
    return clauses, params


def no_reach_sql(a: str = "c.") -> str:
    return (
        f"NOT EXISTS (SELECT 1 FROM contact_points p WHERE p.contact_id = {a}id AND p.deleted = 0 "
        f"AND p.kind IN {_in(REACH_KINDS)})"
    )


def consented_sql() -> str:
    """People with a general consent to be contacted about recruitment (``recruitment_contact``, the purpose
    ``liaison consent missing`` asks about by default) in force on the day bound to each of its three ``?``:
    given, not expired, and not withdrawn for the same purpose on or after the day it was given (the ledger is append-only: a later 'given'
    after a withdrawal gives it again). A consent recorded on a merged record belongs to the survivor."""
    return (
        "SELECT coalesce(m.merged_into, g.contact_id) FROM consents g LEFT JOIN contacts m ON m.id = g.contact_id "
        "WHERE g.deleted = 0 AND g.action = 'given' AND g.purpose = 'recruitment_contact' AND g.org_id IS NULL "
        "AND (g.expires_on IS NULL OR g.expires_on >= ?) "
        "AND g.occurred_on <= ? AND NOT EXISTS (SELECT 1 FROM consents w WHERE w.contact_id = g.contact_id "
        "AND w.purpose = g.purpose AND w.org_id IS NULL AND w.deleted = 0 AND w.action = 'withdrawn' "
        "AND w.occurred_on >= g.occurred_on AND w.occurred_on <= ?)"
    )


def event_step_sql(step: str, p: str = "p", introductions: bool = False) -> str:
    """Whether attendance ``a`` of person ``p`` at event ``e`` reached ``step``."""
    if step == "registered":
        return "a.status IN ('registered', 'attended', 'no_show')"
    attended = "a.status = 'attended'"
    if step == "attended":
        return attended
    since = station_midnight_sql("e.starts_on")
    if step == "followed":
        return (
            f"{attended} AND (EXISTS (SELECT 1 FROM activities x WHERE x.contact_id = {p}.id AND x.deleted = 0 "
            f"AND x.kind IN {_in(FOLLOW_UP_ACTIVITIES)} AND x.occurred_at >= {since}) OR EXISTS (SELECT 1 FROM "
            f"followups f WHERE f.contact_id = {p}.id AND f.deleted = 0 AND f.status != 'cancelled' "
            f"AND f.due_at >= {since}))"
        )
    if step == "introduced":
        if not introductions:
            return "0"
        return (
            f"{attended} AND EXISTS (SELECT 1 FROM introductions i WHERE i.contact_id IN ({person_ids_sql(p)}) "
            "AND i.deleted = 0)"
        )
    if step == "arrived":
        return f"{attended} AND {p}.stage IN {_in(ARRIVED)}"
    raise ValueError(step)
