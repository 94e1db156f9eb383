"""Apply an import plan: one transaction, so a failure, a cancel or Ctrl+C leaves the store untouched.

Every new record (contacts, the organizations they name, contact points, also those added to an existing
contact) goes through the store's bulk path with its change-log rows, and is indexed for search as it is
written (a worker process computes a batch's index rows while the next batch is written); a file that at
least doubles a table has that table's indexes built once after its rows. Changes to existing contacts'
fields go through the repositories and the single write path, like an edit in the app. The matching is
redone inside the transaction (see plan.py), so the result is right even if the store changed since the
preview. No SQL here: reads and the batch
record are in ``store/imports.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .. import gc_pause
from ..domain.errors import LiaisonError
from ..domain.i18n import register
from ..domain.identity_keys import org_key
from ..domain.ids import new_id
from ..domain.models import Organization
from ..store import Store, bulk_indexes, imports, likely_duplicates, search
from .incoming import Point
from .plan import Cancel, ImportPlan, Progress, RowOutcome, Target, check_cancel, match

register(
    {
        "import.err.strict": (
            "{count} row(s) cannot be imported; nothing was written (strict mode). First: row "
            "{row}: {reason}",
            "有 {count} 行无法导入，未写入任何数据（严格模式）。第一处：第 {row} 行：{reason}",
        ),
        "import.err.nothing": ("No row of the file can be imported.", "文件中没有可以导入的行。"),
    }
)

_BATCH = 5000


@dataclass
class ImportResult:
    batch_id: str
    counts: dict[str, int]
    created: list[str]  # contact ids
    updated: list[str]
    plan: ImportPlan = field(repr=False)

    @cached_property
    def rows(self) -> list[RowOutcome]:
        """Each row's outcome, worked out when first asked for (a few tenths of a second for a big file,
        which the command line never asks for)."""
        return self.plan.rows


@gc_pause.paused()
def apply_import(
    store: Store,
    plan: ImportPlan,
    *,
    strict: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    lang: str | None = None,
) -> ImportResult:
    """Write the plan. ``strict``: refuse the whole file if any row failed."""
    if strict and plan.failed:
        first = plan.failed[0]
        raise LiaisonError(
            "import.err.strict", count=len(plan.failed), row=first.number, reason=first.message(lang)
        )
    if not plan.prepared:
        raise LiaisonError("import.err.nothing")
    groups = [target.group for target in plan.targets]
    with store.transaction():
        first_seq = imports.last_change_seq(store) + 1
        fresh = plan.store_version is not None and plan.store_version == imports.store_version(store)
        if fresh and not any(t.created_id for t in plan.targets):
            targets = plan.targets  # nothing was written since the plan: its matches stand
        else:
            targets = match(store, groups, cancel=cancel, suspects=False)  # again, under the write lock
            previous = {id(t.group): t.suspects for t in plan.targets}
            for target in targets:
                target.suspects = previous.get(id(target.group), [])
        creates = [t for t in targets if t.contact_id is None]
        updates = [t for t in targets if t.contact_id is not None and t.action == "update"]
        created = _write(store, creates, updates, progress, cancel)
        check_cancel(cancel)
        plan.targets = targets
        counts = plan.counts
        batch_id = imports.record_import(
            store,
            file_name=plan.file_name,
            sha256=plan.sha256,
            mapping=plan.mapping.to_json(),
            counts=counts,
            first_seq=first_seq,
        )
    return ImportResult(batch_id, counts, created, [t.contact_id for t in updates if t.contact_id], plan)


def _write(
    store: Store,
    creates: list[Target],
    updates: list[Target],
    progress: Progress | None,
    cancel: Cancel | None,
) -> list[str]:
    """Organizations, new contacts with their points, then the updates, all indexed for search; the ids
    of the contacts created."""
    total = len(creates) + len(updates)
    writing = True

    def report_index(done: int, expected: int) -> None:
        if progress and not writing:  # the bar shows the writes until they end, then the index's rest
            progress("index", done, expected)

    with search.Indexer(store.conn, len(creates), progress=report_index) as indexer:
        named = [t.incoming.org_name for t in creates + updates if t.contact_id is None or t.set_org]
        orgs = _organizations(store, named, indexer)
        points = sum(len(t.incoming.points) for t in creates)
        incoming = {"contacts": len(creates), "contact_points": points, "change_log": len(creates) + points}
        with (
            likely_duplicates.deferred(store.conn),
            # the indexer reads the new contacts' points by contact while they are written
            bulk_indexes.deferred(store.conn, incoming, keep=frozenset({"contact_points_contact"})),
        ):
            created = _create(store, creates, orgs, indexer, progress, cancel, total)
        _update(store, updates, orgs, progress, cancel, len(creates), total)
        if progress:
            progress("write", total, total)
        writing = False
        indexer.finish()
    return created


_UNIVERSITY = re.compile(
    r"大学|学院|university|college|école|hochschule|polytechnic|institute of technology|eth ", re.IGNORECASE
)
_INSTITUTE = re.compile(
    r"研究所|研究院|科学院|实验室|institut|laborator|max planck|cnrs|fraunhofer|academy", re.IGNORECASE
)
_HOSPITAL = re.compile(r"医院|hospital|klinik|clinic", re.IGNORECASE)


def _org_kind(name: str) -> str:
    if _UNIVERSITY.search(name + " "):
        return "university"
    if _INSTITUTE.search(name):
        return "research_institute"
    if _HOSPITAL.search(name):
        return "hospital"
    return "enterprise"


def _organizations(
    store: Store, names: list[str | None], indexer: search.Indexer
) -> dict[str, tuple[str, bool]]:
    """Normalised org name -> (organization id, created now). Existing organizations are reused by
    name (either language); the rest are created through the bulk path."""
    wanted = {key: name for name in names if name for key in sorted(org_key(name, None))[:1]}
    if not wanted:
        return {}
    found: dict[str, tuple[str, bool]] = {}
    for oid, zh, en in imports.organization_names(store):
        for key in org_key(zh, en):
            if key in wanted and key not in found:
                found[key] = (oid, False)
    rows: list[dict[str, Any]] = []
    from ..domain.search_keys import has_cjk

    for key, name in wanted.items():
        if key in found:
            continue
        cjk = has_cjk(name)
        org = Organization.model_validate(
            {"name_zh": name if cjk else None, "name_en": None if cjk else name, "kind": _org_kind(name)}
        )
        rows.append(org.storable())
        found[key] = (org.id, True)
    store.bulk_insert("organizations", rows)
    indexer.add("org", [row["id"] for row in rows])
    return found


def _org_id(orgs: dict[str, tuple[str, bool]], name: str | None) -> str | None:
    if not name:
        return None
    keys = sorted(org_key(name, None))
    return orgs[keys[0]][0] if keys and keys[0] in orgs else None


def _point_row(contact_id: str, point: Point, primary: bool) -> dict[str, Any]:
    # validated and normalised when the row was read (incoming.py): a storable ContactPoint, not re-parsed
    return {
        "id": new_id(),
        "contact_id": contact_id,
        "kind": point.kind,
        "raw": point.raw,
        "value": point.value,
        "label": None,
        "is_primary": primary,
    }


def _create(
    store: Store,
    creates: list[Target],
    orgs: dict[str, tuple[str, bool]],
    indexer: search.Indexer,
    progress: Progress | None,
    cancel: Cancel | None,
    total: int,
) -> list[str]:
    ids: list[str] = []
    for start in range(0, len(creates), _BATCH):
        check_cancel(cancel)
        contacts: list[dict[str, Any]] = []
        points: list[dict[str, Any]] = []
        for target in creates[start : start + _BATCH]:
            cid = new_id()
            contacts.append(
                {"id": cid, **target.incoming.contact, "org_id": _org_id(orgs, target.incoming.org_name)}
            )
            seen: set[str] = set()
            for point in target.incoming.points:
                points.append(_point_row(cid, point, point.kind not in seen))
                seen.add(point.kind)
            target.created_id = cid
            ids.append(cid)
        store.bulk_insert("contacts", contacts)
        store.bulk_insert("contact_points", points)
        indexer.add("contact", [row["id"] for row in contacts])
        if progress:
            progress("write", min(start + _BATCH, len(creates)), total)
    return ids


def _update(
    store: Store,
    updates: list[Target],
    orgs: dict[str, tuple[str, bool]],
    progress: Progress | None,
    cancel: Cancel | None,
    done: int,
    total: int,
) -> None:
    """Fill the existing contacts' empty fields through the repository (validated, with history), and
    add their new contact points through the bulk path; the search index catches up at commit."""
    primaries = imports.primary_point_kinds(store, [t.contact_id for t in updates if t.contact_id])
    points: list[dict[str, Any]] = []
    for i, target in enumerate(updates, 1):
        assert target.contact_id is not None
        changes = dict(target.fills)
        if target.set_org:
            changes["org_id"] = _org_id(orgs, target.incoming.org_name)
        if changes:
            store.contacts.update(target.contact_id, changes)
        held = primaries.setdefault(target.contact_id, set())
        for point in target.new_points:
            points.append(_point_row(target.contact_id, point, point.kind not in held))
            held.add(point.kind)
        if target.new_points:
            store.note_search("contacts", {"id": target.contact_id})
        if i % 200 == 0:
            check_cancel(cancel)
            if progress:
                progress("write", done + i, total)
    store.bulk_insert("contact_points", points)
