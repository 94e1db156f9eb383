"""Repositories: validated create / get / update / delete / list for each kind of record.

They validate with the domain models, apply the domain rules (case workflow, contact-point normalisation
with the contact's country) and hand storable values to :meth:`Store.write`, the single write path.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import ValidationError

from ..domain import workflow
from ..domain.entities import ENTITIES, Entity
from ..domain.errors import LiaisonError, NotFound
from ..domain.i18n import register
from ..domain.models import Case, ContactPoint, Model
from ..domain.times import parse_iso, utcnow
from ..domain.validation import ValidationFailed
from ..domain.values import dialing_region
from .rows import row_to_fields, row_to_model

if TYPE_CHECKING:
    from .store import Store

register(
    {
        "store.err.bad_cursor": (
            "The page position is no longer valid; start from the first page.",
            "分页位置已失效，请从第一页开始。",
        ),
        "store.err.bad_filter": ("Cannot filter on '{field}'.", "不能按“{field}”筛选。"),
        "store.err.bad_order": ("Cannot sort on '{field}'.", "不能按“{field}”排序。"),
        "store.err.readonly_field": ("'{field}' cannot be changed directly.", "“{field}”不能直接修改。"),
    }
)

M = TypeVar("M", bound=Model)
_READONLY = {"id", "number", "value"}
# Fields that point to another record, and which table it lives in. A staff reference may be given as a
# user name (``--set owner_id=wang.li``): it is resolved to the staff member's id.
REFERENCES: dict[str, str] = {
    "org_id": "organizations",
    "owner_id": "staff",
    "assignee_id": "staff",
    "staff_id": "staff",
    "contact_id": "contacts",
    "beneficiary_id": "contacts",
    "merged_into": "contacts",
    "case_id": "cases",
    "event_id": "events",
    "demand_id": "demands",
    "skill_id": "skills",
    "brought_by": "organizations",
}
# A field whose target depends on the table (an organization is merged into another organization).
TABLE_REFERENCES: dict[tuple[str, str], str] = {("organizations", "merged_into"): "organizations"}
# List fields whose items point to records: staff (by id or user name), organizations, skills.
LIST_REFERENCES: dict[str, str] = {
    "staff_ids": "staff",
    "organizer_ids": "organizations",
    "required_skills": "skills",
    "preferred_skills": "skills",
}


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    rows: list[dict[str, Any]]
    next_cursor: str | None


def _encode_cursor(value: Any, row_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([value, row_id]).encode()).decode()


def _decode_cursor(cursor: str) -> tuple[Any, str]:
    try:
        value, row_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return value, str(row_id)
    except (ValueError, TypeError) as exc:
        raise LiaisonError("store.err.bad_cursor") from exc


class Repository(Generic[M]):
    def __init__(self, store: Store, entity: Entity) -> None:
        self.store = store
        self.entity = entity
        self.table = entity.table
        self._columns: set[str] | None = None

    # ----------------------------------------------------------- validation
    def context(self, data: Mapping[str, Any]) -> dict[str, Any] | None:
        return None

    def validate(self, data: Mapping[str, Any]) -> M:
        try:
            return self.entity.model.model_validate(dict(data), context=self.context(data))  # type: ignore[return-value]
        except ValidationError as exc:
            raise ValidationFailed.from_pydantic(exc) from None

    def resolve_references(self, data: dict[str, Any], fields: set[str] | None = None) -> dict[str, Any]:
        """Check that the records ``data`` points to exist (only ``fields`` when given: what changed), so a
        bad reference is a clear field error rather than a database failure; staff may be named by user
        name."""
        for name, target in REFERENCES.items():
            target = TABLE_REFERENCES.get((self.table, name), target)
            value = data.get(name)
            if name not in self.entity.fields or not value or (fields is not None and name not in fields):
                continue
            if not isinstance(value, str):
                continue
            data[name] = self._resolve(name, target, value)
        for name, target in LIST_REFERENCES.items():
            values = data.get(name)
            if name not in self.entity.fields or not values or (fields is not None and name not in fields):
                continue
            if isinstance(values, list):
                data[name] = [self._resolve(name, target, v) if isinstance(v, str) else v for v in values]
        return data

    def _resolve(self, name: str, target: str, value: str) -> str:
        """The id ``value`` names in ``target`` (a staff member may be named by user name)."""
        conn = self.store.conn
        row = conn.execute(f"SELECT deleted FROM {target} WHERE id = ?", (value,)).fetchone()
        if row is None and target == "staff":
            found = conn.execute(
                "SELECT id FROM staff WHERE username = ? AND deleted = 0", (value.strip().lower(),)
            ).fetchone()
            if found:
                return str(found[0])
        if row is None or (row[0] and name != "merged_into"):
            raise ValidationFailed.one(name, "err.reference", value=value, target=target)
        return value

    # ----------------------------------------------------------- writes
    def _refuse_erased(self, record: Mapping[str, Any]) -> None:
        if self.table == "erasures":
            return
        from .erasure import owner_erased

        when = owner_erased(self.store, self.table, dict(record))
        if when:
            raise LiaisonError("erase.err.erased", date=when[:10])

    def create(self, data: Mapping[str, Any] | M) -> M:
        payload = data.storable() if isinstance(data, Model) else dict(data)
        self._refuse_erased(payload)
        with self.store.transaction():
            model = self.validate(self.resolve_references(self.prepare_create(payload)))
            self.store.write(self.table, model.id, "create", model.storable())
            self.after_create(model)
        return model

    def prepare_create(self, data: dict[str, Any]) -> dict[str, Any]:
        return data

    def after_create(self, model: M) -> None:
        """Follow-on writes in the same transaction (e.g. a contact's last activity)."""

    def update(self, row_id: str, changes: Mapping[str, Any]) -> M:
        bad = sorted(set(changes) & _READONLY)
        if bad:
            raise ValidationFailed.one(bad[0], "store.err.readonly_field", field=bad[0])
        with self.store.transaction():
            found = self.store.row(self.table, row_id)
            if found is not None:
                self._refuse_erased(found)  # said before "deleted": an erased person's records are both
            row = self._live_row(row_id)
            current = row_to_fields(self.entity, row)
            merged = self.resolve_references({**current, **changes}, set(changes))
            if "raw" in changes:
                merged.pop("value", None)  # re-derive the normalised value from the new raw text
            model = self.validate(merged)
            extra = self.check_update(current, model, changes)
            if extra:
                model = self.validate({**model.storable(), **extra})
            self.store.write(self.table, row_id, "update", model.storable())
        return model

    def check_update(self, old: dict[str, Any], new: M, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Domain rules on an update; returns fields that follow from the change."""
        return {}

    def delete(self, row_id: str) -> None:
        with self.store.transaction():
            self._live_row(row_id)
            self.store.write(self.table, row_id, "delete", {})

    def undelete(self, row_id: str) -> None:
        with self.store.transaction():
            if self.store.row(self.table, row_id) is None:
                raise NotFound("store.err.not_found", table=self.table, id=row_id)
            self.store.write(self.table, row_id, "undelete", {})

    def _live_row(self, row_id: str) -> dict[str, Any]:
        row = self.store.row(self.table, row_id)
        if row is None:
            raise NotFound("store.err.not_found", table=self.table, id=row_id)
        if row["deleted"]:
            raise NotFound("store.err.deleted", table=self.table)
        return row

    # ----------------------------------------------------------- reads
    def get(self, row_id: str, *, include_deleted: bool = False) -> M:
        row = self.store.row(self.table, row_id) if include_deleted else self._live_row(row_id)
        if row is None:
            raise NotFound("store.err.not_found", table=self.table, id=row_id)
        return row_to_model(self.entity, row)  # type: ignore[return-value]

    def find(self, row_id: str) -> M | None:
        row = self.store.row(self.table, row_id)
        if row is None or row["deleted"]:
            return None
        return row_to_model(self.entity, row)  # type: ignore[return-value]

    @property
    def columns(self) -> set[str]:
        if self._columns is None:
            cursor = self.store.conn.execute(f"SELECT * FROM {self.table} LIMIT 0")
            self._columns = {c[0] for c in cursor.description}
        return self._columns

    def _where(self, where: Mapping[str, Any] | None, include_deleted: bool) -> tuple[list[str], list[Any]]:
        clauses: list[str] = [] if include_deleted else ["deleted = 0"]
        params: list[Any] = []
        for name, value in (where or {}).items():
            if name not in self.columns:
                raise LiaisonError("store.err.bad_filter", field=name)
            if isinstance(value, list | tuple | set | frozenset):
                values = [getattr(v, "value", v) for v in value]
                clauses.append(f"{name} IN ({', '.join('?' * len(values))})")
                params.extend(values)
            elif value is None:
                clauses.append(f"{name} IS NULL")
            else:
                clauses.append(f"{name} = ?")
                params.append(int(value) if isinstance(value, bool) else getattr(value, "value", value))
        return clauses, params

    def list(
        self,
        *,
        where: Mapping[str, Any] | None = None,
        order_by: str = "updated_at",
        desc: bool = True,
        after: str | None = None,
        limit: int = 50,
        include_deleted: bool = False,
    ) -> Page[M]:
        """One page in ``(order_by, id)`` order; pass the returned ``next_cursor`` as ``after`` for the next.

        Keyset pagination: the cost of a page does not grow with its position (no OFFSET)."""
        if order_by not in self.columns:
            raise LiaisonError("store.err.bad_order", field=order_by)
        clauses, params = self._where(where, include_deleted)
        key = order_by if order_by in ("id", "updated_at", "created_at") else f"coalesce({order_by}, '')"
        op = "<" if desc else ">"
        if after:
            value, last_id = _decode_cursor(after)
            clauses.append(f"({key} {op} ? OR ({key} = ? AND id {op} ?))")
            params += [value, value, last_id]
        direction = "DESC" if desc else "ASC"
        sql = (
            f"SELECT * FROM {self.table} {'WHERE ' + ' AND '.join(clauses) if clauses else ''} "
            f"ORDER BY {key} {direction}, id {direction} LIMIT ?"
        )
        cursor = self.store.conn.execute(sql, [*params, limit + 1])
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
        more = len(rows) > limit
        rows = rows[:limit]
        items = [row_to_model(self.entity, r) for r in rows]
        next_cursor = None
        if more and rows:
            last = rows[-1]
            value = last[order_by] if last[order_by] is not None or key == order_by else ""
            next_cursor = _encode_cursor(value, last["id"])
        return Page(items, rows, next_cursor)  # type: ignore[arg-type]

    def iterate(self, **kwargs: Any) -> Iterator[M]:
        after = None
        while True:
            page = self.list(after=after, **kwargs)
            yield from page.items
            if page.next_cursor is None:
                return
            after = page.next_cursor

    def count(self, *, where: Mapping[str, Any] | None = None, include_deleted: bool = False) -> int:
        clauses, params = self._where(where, include_deleted)
        sql = f"SELECT count(*) FROM {self.table} {'WHERE ' + ' AND '.join(clauses) if clauses else ''}"
        return int(self.store.conn.execute(sql, params).fetchone()[0])


class ContactPoints(Repository[ContactPoint]):
    def context(self, data: Mapping[str, Any]) -> dict[str, Any] | None:
        # National formats ("0151 2345 6789") are read in the contact's country of residence.
        contact_id = data.get("contact_id")
        if not contact_id:
            return None
        row = self.store.conn.execute(
            "SELECT country, nationalities FROM contacts WHERE id = ?", (contact_id,)
        ).fetchone()
        if row is None:
            return None
        return {"region": dialing_region(row[0], json.loads(row[1]) if row[1] else [])}


class Cases(Repository[Case]):
    def prepare_create(self, data: dict[str, Any]) -> dict[str, Any]:
        if not data.get("number"):
            data = {**data, "number": self.store.next_case_number()}
        return data

    def check_update(self, old: dict[str, Any], new: Case, changes: Mapping[str, Any]) -> dict[str, Any]:
        if old["status"] == new.status.value:
            return {}
        # A reason explains this move only: an old reason left on the record does not count.
        reason = changes.get("status_reason")
        workflow.check_transition(old["status"], new.status, reason=reason, resolution=new.resolution)
        extra = workflow.status_side_effects(old["status"], new.status, utcnow())
        if "status_reason" not in changes:
            extra["status_reason"] = None
        return extra

    def by_number(self, number: str) -> Case | None:
        row = self.store.conn.execute(
            "SELECT id FROM cases WHERE number = ?", (number.strip().upper(),)
        ).fetchone()
        return self.find(row[0]) if row else None


class Activities(Repository[Model]):
    def after_create(self, model: Model) -> None:
        # A contact's last activity orders "recently touched" lists and breaks search-ranking ties.
        contact_id = getattr(model, "contact_id", None)
        occurred = getattr(model, "occurred_at", None)
        if not contact_id or occurred is None:
            return
        row = self.store.row("contacts", contact_id)
        if row is None or row["deleted"]:
            return
        last = row.get("last_activity_at")
        if last is None or parse_iso(last) < occurred:
            self.store.write(
                "contacts",
                contact_id,
                "update",
                {"last_activity_at": occurred.strftime("%Y-%m-%dT%H:%M:%SZ")},
            )


_SPECIAL: dict[str, type[Repository[Any]]] = {
    "contact_points": ContactPoints,
    "cases": Cases,
    "activities": Activities,
}


class Repositories(dict[str, Repository[Any]]):
    def __init__(self, store: Store) -> None:
        super().__init__(
            {table: _SPECIAL.get(table, Repository)(store, entity) for table, entity in ENTITIES.items()}
        )
