"""Read-only queries for the terminal's screens: a home summary, a keyset-paged case list, agenda rows,
a contact's surroundings. Plain SQL over the store's connection, returning plain dicts; every function
takes the store lock and is meant to run in a worker thread, never on the UI's event loop.

Rows here carry only what a screen shows, so a page costs one indexed query however large the store is.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..domain.errors import LiaisonError
from ..domain.times import iso
from ..domain.workflow import OPEN_STATUSES
from . import crypto, engine

if TYPE_CHECKING:
    from .store import Store

OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))
# Written into the SQL, not bound: the partial indexes of db/0006 over open cases are only used when the
# query repeats their WHERE text exactly.
OPEN_SQL = "(" + ", ".join(f"'{status}'" for status in OPEN) + ")"
LIVE_FOLLOWUP = ("open", "snoozed")
# When a snoozed follow-up comes back is when it is due.
_EFFECTIVE_DUE = "coalesce(CASE WHEN f.status = 'snoozed' THEN f.snoozed_until END, f.due_at)"


def _dicts(cursor: Any) -> list[dict[str, Any]]:
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _marks(values: Iterable[Any]) -> str:
    return ", ".join("?" for _ in values)


# ---------------------------------------------------------------------------- who am I
def current_staff(store: Store, username: str | None) -> dict[str, Any] | None:
    """The staff row for ``username``, else the store's default user, else the first staff member."""
    with store.lock:
        for name in (username, store.get_meta("default_user")):
            if name:
                rows = _dicts(
                    store.conn.execute(
                        "SELECT id, username, display_name FROM staff WHERE username = ? AND deleted = 0",
                        (name,),
                    )
                )
                if rows:
                    return rows[0]
        rows = _dicts(
            store.conn.execute(
                "SELECT id, username, display_name FROM staff WHERE deleted = 0 ORDER BY username LIMIT 1"
            )
        )
        return rows[0] if rows else None


def staff_names(store: Store) -> dict[str, str]:
    with store.lock:
        return dict(
            store.conn.execute("SELECT id, display_name FROM staff WHERE deleted = 0 ORDER BY username")
        )


# ---------------------------------------------------------------------------- home
@dataclass
class HomeSummary:
    followups: dict[str, list[dict[str, Any]]]  # overdue / today / week -> first rows
    followup_counts: dict[str, int]
    cases: list[dict[str, Any]]  # status, category, n, overdue
    recent: list[dict[str, Any]]
    counts: dict[str, int] = field(default_factory=dict)


def day_bounds(now: datetime, tz: Any) -> tuple[datetime, datetime]:
    """Start and end of ``now``'s local day, as aware datetimes."""
    local = now.astimezone(tz)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def followup_buckets(
    store: Store, staff_id: str | None, now: datetime, tz: Any, per_bucket: int = 8
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int]]:
    _, end_today = day_bounds(now, tz)
    bounds = {
        "overdue": (None, iso(now)),
        "today": (iso(now), iso(end_today)),
        "week": (iso(end_today), iso(now + timedelta(days=7))),
    }
    rows: dict[str, list[dict[str, Any]]] = {}
    counts: dict[str, int] = {}
    for name, (low, high) in bounds.items():
        with store.lock:
            counts[name] = _live_count(store, staff_id, low, high)
            rows[name] = _live_rows(store, staff_id, low, high, per_bucket)
    return rows, counts


def _live_rows(
    store: Store, staff_id: str | None, low: str | None, high: str | None, limit: int
) -> list[dict[str, Any]]:
    """The first ``limit`` live follow-ups due in [low, high): open ones by due date and snoozed ones by
    their return date, each read in index order (no sort of everything due), then merged."""
    out: list[dict[str, Any]] = []
    for status in ("open", "snoozed"):
        column, where, params = _live_where("f.", status, staff_id, low, high)
        out += _dicts(
            store.conn.execute(
                f"{_FOLLOWUP_SELECT} WHERE {where} ORDER BY {column}, f.id LIMIT ?", [*params, limit]
            )
        )
    out.sort(key=lambda r: (r["due"], r["id"]))
    return out[:limit]


def _live_count(store: Store, staff_id: str | None, low: str | None, high: str | None) -> int:
    """Count open follow-ups by due date and snoozed ones by their return date, separately: each half can
    then use the (assignee, status, due) index instead of evaluating the effective due date row by row."""
    total = 0
    for status in ("open", "snoozed"):
        _, where, params = _live_where("", status, staff_id, low, high)
        total += int(
            store.conn.execute(f"SELECT count(*) FROM followups WHERE {where}", params).fetchone()[0]
        )
    return total


def _live_where(
    alias: str, status: str, staff_id: str | None, low: str | None, high: str | None
) -> tuple[str, str, list[Any]]:
    """(effective due column, WHERE clause, params) for one status of live follow-ups: open ones are due at
    ``due_at``, snoozed ones come back at ``snoozed_until``."""
    a = alias
    if status not in LIVE_FOLLOWUP:
        raise ValueError(status)
    column = f"{a}due_at" if status == "open" else f"coalesce({a}snoozed_until, {a}due_at)"
    # The status is written into the SQL, not bound: the partial index for snoozed rows is only chosen
    # when the planner can see the literal its WHERE names.
    clauses, params = [f"{a}deleted = 0", f"{a}status = '{status}'"], []
    if staff_id:
        clauses.append(f"{a}assignee_id = ?")
        params.append(staff_id)
    if low is not None:
        clauses.append(f"{column} >= ?")
        params.append(low)
    if high is not None:
        clauses.append(f"{column} < ?")
        params.append(high)
    return column, " AND ".join(clauses), params


_FOLLOWUP_SELECT = (
    f"SELECT f.id, f.kind, f.title, f.status, f.due_at, f.snoozed_until, {_EFFECTIVE_DUE} AS due, "
    "f.contact_id, f.case_id, c.native_name, c.latin_name, k.number AS case_number "
    "FROM followups f LEFT JOIN contacts c ON c.id = f.contact_id LEFT JOIN cases k ON k.id = f.case_id"
)


def _followup_where(staff_id: str | None, low: str | None, high: str | None) -> tuple[str, list[Any]]:
    clauses = ["f.deleted = 0", f"f.status IN ({_marks(LIVE_FOLLOWUP)})"]
    params: list[Any] = [*LIVE_FOLLOWUP]
    if staff_id:
        clauses.append("f.assignee_id = ?")
        params.append(staff_id)
    if low is not None:
        clauses.append(f"{_EFFECTIVE_DUE} >= ?")
        params.append(low)
    if high is not None:
        clauses.append(f"{_EFFECTIVE_DUE} < ?")
        params.append(high)
    return " AND ".join(clauses), params


def case_summary(store: Store, owner_id: str | None, now: datetime) -> list[dict[str, Any]]:
    """My open cases grouped by status and category, with how many are past their due date."""
    clauses = ["deleted = 0", f"status IN {OPEN_SQL}"]
    params: list[Any] = []
    if owner_id:
        clauses.append("owner_id = ?")
        params.append(owner_id)
    with store.lock:
        return _dicts(
            store.conn.execute(
                "SELECT status, category, count(*) AS n, sum(due_at IS NOT NULL AND due_at < ?) AS overdue "
                f"FROM cases WHERE {' AND '.join(clauses)} GROUP BY status, category",
                [iso(now), *params],
            )
        )


def recent_contacts(store: Store, limit: int = 12) -> list[dict[str, Any]]:
    """Contacts most recently touched (created, edited or given an activity: each bumps updated_at,
    which is indexed, unlike last_activity_at)."""
    with store.lock:
        return _dicts(
            store.conn.execute(
                "SELECT c.id, c.native_name, c.latin_name, c.stage, c.country, c.last_activity_at, "
                "o.name_zh, o.name_en FROM contacts c LEFT JOIN organizations o ON o.id = c.org_id "
                "WHERE c.deleted = 0 ORDER BY c.updated_at DESC, c.id DESC LIMIT ?",
                (limit,),
            )
        )


def home_summary(store: Store, staff_id: str | None, now: datetime, tz: Any) -> HomeSummary:
    buckets, counts = followup_buckets(store, staff_id, now, tz)
    return HomeSummary(buckets, counts, case_summary(store, staff_id, now), recent_contacts(store))


# ---------------------------------------------------------------------------- cases list
SORTS: dict[str, str] = {
    "due_at": "coalesce(k.due_at, '')",
    "opened_at": "k.opened_at",
    "updated_at": "k.updated_at",
    "number": "k.number",
    "priority": "(CASE k.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END)",
}


@dataclass(frozen=True)
class CaseFilter:
    statuses: tuple[str, ...] = OPEN  # empty = any status
    category: str | None = None
    owner_id: str | None = None
    overdue: bool = False
    sort: str = "due_at"
    desc: bool = False
    # The records behind a report's figure: a JSON filter of store/reports/drill.py, added to the above.
    scope: str | None = None


@dataclass
class CasePage:
    rows: list[dict[str, Any]]
    before: str | None  # cursor of the first row, to page backwards; None at the very start
    after: str | None  # cursor of the last row; None at the very end
    at_start: bool
    at_end: bool


def _cursor(row: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps([row["_key"], row["id"]]).encode()).decode()


def _uncursor(cursor: str) -> tuple[Any, str]:
    key, row_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    return key, row_id


def _case_where(flt: CaseFilter, now: datetime) -> tuple[list[str], list[Any]]:
    clauses = ["k.deleted = 0"]
    params: list[Any] = []
    if set(flt.statuses) == set(OPEN):
        clauses.append(f"k.status IN {OPEN_SQL}")
    elif flt.statuses:
        clauses.append(f"k.status IN ({_marks(flt.statuses)})")
        params += list(flt.statuses)
    if flt.category:
        clauses.append("k.category = ?")
        params.append(flt.category)
    if flt.owner_id:
        clauses.append("k.owner_id = ?")
        params.append(flt.owner_id)
    if flt.overdue:
        clauses.append(f"k.due_at < ? AND k.status IN {OPEN_SQL}")
        params.append(iso(now))
    if flt.scope:
        from .reports.drill import case_where

        extra, values = case_where(json.loads(flt.scope))
        clauses += extra[1:]  # the first is "not deleted", already there
        params += values
    return clauses, params


def cases_page(
    store: Store,
    flt: CaseFilter,
    now: datetime,
    *,
    after: str | None = None,
    before: str | None = None,
    last: bool = False,
    limit: int = 50,
) -> CasePage:
    """One page of cases in ``(sort key, id)`` order: the first page, the page after ``after``, the page
    before ``before``, or the last page (``last``). Keyset pagination in both directions, so the last of a
    million rows costs what the first does."""
    key = SORTS[flt.sort]
    clauses, params = _case_where(flt, now)
    forward = not (before or last)
    ascending = (not flt.desc) if forward else flt.desc
    cursor = after if forward else before
    if cursor:
        value, row_id = _uncursor(cursor)
        op = ">" if ascending else "<"
        clauses.append(f"({key}, k.id) {op} (?, ?)")  # a row value: one range over (key, id) indexes
        params += [value, row_id]
    direction = "ASC" if ascending else "DESC"
    # Everyone's open cases by due date: without statistics the planner prefers (status, due_at) and sorts
    # all 134k open cases at 1M contacts (0.75 s); the partial index reads them in order (<1 ms a page).
    hint = (
        " INDEXED BY cases_open_due"
        if (flt.sort == "due_at" and set(flt.statuses) == set(OPEN) and not flt.owner_id)
        else ""
    )
    sql = (
        f"SELECT k.id, k.number, k.title, k.category, k.priority, k.status, k.due_at, k.opened_at, "
        f"k.owner_id, c.native_name, c.latin_name, s.display_name AS owner_name, {key} AS _key "
        f"FROM cases k{hint} LEFT JOIN contacts c ON c.id = k.beneficiary_id "
        "LEFT JOIN staff s ON s.id = k.owner_id "
        f"WHERE {' AND '.join(clauses)} ORDER BY _key {direction}, k.id {direction} LIMIT ?"
    )
    return fetch_page(store, sql, params, limit, forward=forward, after=after, last=last)


def fetch_page(
    store: Any, sql: str, params: list[Any], limit: int, *, forward: bool, after: str | None, last: bool
) -> CasePage:
    """Run a keyset page query (``sql`` ends in ``LIMIT ?``, sorted by ``_key`` then id, in the direction
    of travel): one row more than ``limit`` says whether there is more, a backward page is turned round."""
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


def cases_count(store: Store, flt: CaseFilter, now: datetime) -> int:
    clauses, params = _case_where(flt, now)
    with store.lock:
        return int(
            store.conn.execute(
                f"SELECT count(*) FROM cases k WHERE {' AND '.join(clauses)}", params
            ).fetchone()[0]
        )


# ---------------------------------------------------------------------------- agenda
@dataclass
class Agenda:
    sections: dict[str, list[dict[str, Any]]]  # overdue / today / upcoming -> first rows, earliest first
    counts: dict[str, int]  # all of them, not just the rows shown


def agenda(
    store: Store, staff_id: str | None, now: datetime, tz: Any, *, upcoming_days: int = 30, limit: int = 200
) -> Agenda:
    """My live follow-ups: overdue, today, and upcoming (next ``upcoming_days`` days), each at most
    ``limit`` rows, earliest first, with the full counts."""
    _, end_today = day_bounds(now, tz)
    out: dict[str, list[dict[str, Any]]] = {}
    counts: dict[str, int] = {}
    for name, (low, high) in {
        "overdue": (None, iso(now)),
        "today": (iso(now), iso(end_today)),
        "upcoming": (iso(end_today), iso(now + timedelta(days=upcoming_days))),
    }.items():
        with store.lock:
            out[name] = _live_rows(store, staff_id, low, high, limit)
            counts[name] = _live_count(store, staff_id, low, high)
    return Agenda(out, counts)


# ---------------------------------------------------------------------------- one contact / one case
def contact_followups(store: Store, contact_id: str, limit: int = 100) -> list[dict[str, Any]]:
    with store.lock:
        return _dicts(
            store.conn.execute(
                f"{_FOLLOWUP_SELECT} WHERE f.deleted = 0 AND f.contact_id = ? "
                "ORDER BY (f.status IN ('open', 'snoozed')) DESC, due ASC LIMIT ?",
                (contact_id, limit),
            )
        )


def case_followups(store: Store, case_id: str, limit: int = 100) -> list[dict[str, Any]]:
    with store.lock:
        return _dicts(
            store.conn.execute(
                f"{_FOLLOWUP_SELECT} WHERE f.deleted = 0 AND f.case_id = ? "
                "ORDER BY (f.status IN ('open', 'snoozed')) DESC, due ASC LIMIT ?",
                (case_id, limit),
            )
        )


def contact_cases(store: Store, contact_id: str, limit: int = 100) -> list[dict[str, Any]]:
    with store.lock:
        return _dicts(
            store.conn.execute(
                "SELECT id, number, title, category, status, priority, due_at, opened_at FROM cases "
                "WHERE deleted = 0 AND beneficiary_id = ? ORDER BY opened_at DESC LIMIT ?",
                (contact_id, limit),
            )
        )


def timeline(
    store: Store, *, contact_id: str | None = None, case_id: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    column, value = ("case_id", case_id) if case_id else ("contact_id", contact_id)
    with store.lock:
        return _dicts(
            store.conn.execute(
                f"SELECT a.id, a.kind, a.occurred_at, a.summary, a.details, s.display_name AS staff_name "
                f"FROM activities a LEFT JOIN staff s ON s.id = a.staff_id WHERE a.deleted = 0 AND a.{column} = ? "
                "ORDER BY a.occurred_at DESC, a.id DESC LIMIT ?",
                (value, limit),
            )
        )


def affiliations(store: Store, contact_id: str) -> list[dict[str, Any]]:
    with store.lock:
        return _dicts(
            store.conn.execute(
                "SELECT a.role, a.current, a.since, a.until, o.id AS org_id, o.name_zh, o.name_en, o.kind, o.city, "
                "o.country FROM affiliations a JOIN organizations o ON o.id = a.org_id "
                "WHERE a.deleted = 0 AND a.contact_id = ? ORDER BY a.current DESC, a.since DESC",
                (contact_id,),
            )
        )


def org_name(store: Store, org_id: str | None) -> str | None:
    if not org_id:
        return None
    with store.lock:
        row = store.conn.execute(
            "SELECT name_zh, name_en FROM organizations WHERE id = ?", (org_id,)
        ).fetchone()
    return (row[0] or row[1]) if row else None


def like_contacts(conn: engine.Connection, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """A plain substring match on names: the fallback when the search index cannot answer."""
    pattern = f"%{text.strip()}%"
    return _dicts(
        conn.execute(
            "SELECT id, native_name, latin_name, title FROM contacts WHERE deleted = 0 AND "
            "(native_name LIKE ? OR latin_name LIKE ?) ORDER BY updated_at DESC LIMIT ?",
            (pattern, pattern, limit),
        )
    )


def read_only(path: str, key: str | None = None) -> Any:
    """A second, read-only connection (WAL lets it read while the store writes), for lookups that must
    not queue behind the store's lock. ``key``: the store's SQLCipher key, if it is encrypted; when not
    given, the session's passphrase opens an encrypted file."""
    if key is None and crypto.is_encrypted(path):
        phrase = crypto.session_passphrase()
        if not phrase:
            raise LiaisonError("store.err.locked", path=path)
        key = crypto.key_for(path, phrase)
    conn = engine.connect(f"file:{path}?mode=ro", uri=True)
    crypto.apply_key(conn, key)
    conn.execute("PRAGMA query_only = ON")
    conn.execute("PRAGMA cache_size = -16384")
    return conn


# ---------------------------------------------------------------------------- an organization's people
ORG_PEOPLE_CAP = 1000


def org_people(store: Store, org_id: str, limit: int = 200) -> tuple[list[dict[str, Any]], int]:
    """People whose organization this is, most recently touched first, then others affiliated with it
    (past or present): at most ``limit`` rows; and how many have it as their organization, counted up to
    ORG_PEOPLE_CAP + 1 (a university in a million-contact store has tens of thousands: ~0.3 s to count)."""
    params = {"org": org_id, "limit": limit, "cap": ORG_PEOPLE_CAP + 1}
    columns = "c.id, c.native_name, c.latin_name, c.title, c.stage, c.last_activity_at"
    with store.lock:
        total = int(
            store.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM contacts WHERE org_id = :org AND deleted = 0 LIMIT :cap)",
                params,
            ).fetchone()[0]
        )
        here = _dicts(
            store.conn.execute(
                f"SELECT {columns}, 1 AS here, (SELECT a.role FROM affiliations a WHERE a.contact_id = c.id "
                # unary +: look affiliations up by contact (a handful), not by organization (tens of thousands)
                "AND +a.org_id = :org AND a.deleted = 0 ORDER BY a.current DESC LIMIT 1) AS role "
                "FROM contacts c WHERE c.org_id = :org AND c.deleted = 0 "
                "ORDER BY c.updated_at DESC, c.id LIMIT :limit",
                params,
            )
        )
        others = _dicts(
            store.conn.execute(
                f"SELECT {columns}, a.current AS here, a.role FROM affiliations a JOIN contacts c ON c.id = a.contact_id "
                "WHERE a.org_id = :org AND a.deleted = 0 AND c.deleted = 0 AND c.org_id IS NOT :org "
                "ORDER BY a.current DESC, c.updated_at DESC, c.id LIMIT :limit",
                params,
            )
        )
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in here + others:  # someone with two affiliations here (a past and a present role) is listed once
        if row["id"] not in seen:
            seen.add(row["id"])
            rows.append(row)
    return rows[:limit], total
