"""Plan an import without writing anything: what each row would do.

    table = read_file(path)                          # readers.py
    mapping = Mapping.guess("x", table.headers)      # or a saved one (saved_mappings.py), edited freely
    plan = plan_import(store, table, mapping, progress=cb, cancel=event.is_set)
    plan.counts / plan.rows / plan.failed            # the preview and the dry run
    result = apply_import(store, plan, progress=cb, cancel=event.is_set)   # apply.py

Every row ends in one action: ``create``; ``update`` (an existing contact has the same email, E.164 phone,
WeChat id or Liaison id: empty fields get filled, new contact points added) or ``unchanged`` (that
contact already holds everything the row says: what re-importing a file gives); ``duplicate`` (an
earlier row of the same file is the same person, and the two were combined); or ``failed`` (with the
reasons, per field, in the user's language). A created row whose name key and organization or country
match another contact is also marked ``suspect``: it is created, and ``liaison dedupe`` lists it.

Planning is split in two: interpreting the rows (pure, the expensive part: phone parsing and validation,
done in this process: see :func:`plan_import`) and matching them with the store (a few indexed queries).
``apply_import`` redoes only the matching, inside its write transaction, so a change made in another
window between preview and apply cannot lead to a duplicate; when nothing was written to the store since
the plan, the plan's matches stand.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .. import gc_pause
from ..domain.errors import LiaisonError
from ..domain.i18n import register, t
from ..domain.identity_keys import duplicate_keys, org_key
from ..domain.validation import ValidationFailed
from ..store import Store, imports
from .columns import id_column
from .grouping import Group, group_rows
from .incoming import LISTS, SCALARS, Failed, Incoming, Point, build_rows, used_columns
from .mapping import Mapping
from .readers import RawTable

register(
    {
        "import.cancelled": ("Import cancelled; nothing was written.", "已取消导入；未写入任何数据。"),
        "import.err.no_name_column": (
            "No column is mapped to a name (姓名, 英文名, Name, ...). Map one with --map HEADER=native_name.",
            "没有任何列对应到姓名（姓名、英文名、Name 等）。请用 --map 表头=native_name 指定。",
        ),
        "import.phase.read": ("Reading rows", "读取数据行"),
        "import.phase.match": ("Looking for existing contacts", "查找已有联系人"),
        "import.phase.write": ("Writing contacts", "写入联系人"),
        "import.phase.index": ("Updating the search index", "更新搜索索引"),
        "import.action.create": ("new", "新建"),
        "import.action.update": ("updates an existing contact", "更新已有联系人"),
        "import.action.unchanged": ("already up to date", "已是最新"),
        "import.action.duplicate": ("same person as row {row}; combined", "与第 {row} 行为同一人，已合并"),
        "import.action.failed": ("not imported", "未导入"),
        "import.suspect": ("looks like {who}", "疑似与 {who} 重复"),
        "import.suspect.row": ("row {row}", "第 {row} 行"),
        "import.suspect.contact": ("contact {id}", "联系人 {id}"),
    }
)

Progress = Callable[[str, int, int], None]  # (phase key: read | match | write | index, done, total)
Cancel = Callable[[], bool]
_CHUNK = 500
CHECK_EVERY = 2000


class ImportCancelled(LiaisonError):
    def __init__(self) -> None:
        super().__init__("import.cancelled")


def check_cancel(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise ImportCancelled()


@dataclass
class RowOutcome:
    number: int
    action: str  # create | update | unchanged | duplicate | failed
    contact_id: str | None = None  # the existing contact an update goes to
    same_as: int | None = None  # duplicate: the row it was combined into
    fills: list[str] = field(default_factory=list)  # update: fields it fills, "+email" etc. for new points
    suspects: list[str] = field(
        default_factory=list
    )  # "row:N" or "contact:ID" that look like the same person
    error: ValidationFailed | None = None

    def describe(self, lang: str | None = None) -> str:
        if self.action == "failed" and self.error is not None:
            return "; ".join(p.message(lang) for p in self.error.problems)
        text = t(f"import.action.{self.action}", lang, row=self.same_as)
        if self.action == "update" and self.fills:
            text += f" ({', '.join(self.fills)})"
        if self.suspects:
            who = ", ".join(
                t(f"import.suspect.{s.split(':')[0]}", lang, row=s.split(":", 1)[1], id=s.split(":", 1)[1])
                for s in self.suspects
            )
            text += "; " + t("import.suspect", lang, who=who)
        return text


@dataclass
class Target:
    """What one group of rows does to the store."""

    group: Group
    incoming: Incoming  # the combined rows
    contact_id: str | None = None  # None: create
    fills: dict[str, Any] = field(default_factory=dict)  # update: contact fields to set
    new_points: list[Point] = field(default_factory=list)
    set_org: bool = False  # update: the contact has no organization and the rows name one
    suspects: list[str] = field(default_factory=list)
    created_id: str | None = None  # set when applied

    @property
    def action(self) -> str:
        if self.contact_id is None:
            return "create"
        return "update" if (self.fills or self.new_points or self.set_org) else "unchanged"


@dataclass
class ImportPlan:
    file_name: str
    sha256: str
    table: RawTable
    mapping: Mapping
    prepared: list[Incoming]
    failed: list[Failed]
    targets: list[Target]
    previous_imports: list[dict[str, Any]]  # earlier imports of the same bytes: at, counts
    store_version: tuple[int, int] | None = None  # the store as matched (see imports.store_version)

    @property
    def rows(self) -> list[RowOutcome]:
        out: list[RowOutcome] = [RowOutcome(f.number, "failed", error=f.error) for f in self.failed]
        for target in self.targets:
            first = target.group.first
            fills = list(target.fills) + ["org"] * target.set_org + [f"+{p.kind}" for p in target.new_points]
            out.append(
                RowOutcome(
                    first.number,
                    target.action,
                    target.contact_id or target.created_id,
                    None,
                    fills,
                    target.suspects,
                )
            )
            out += [
                RowOutcome(r.number, "duplicate", target.contact_id or target.created_id, first.number)
                for r in target.group.rows[1:]
            ]
        return sorted(out, key=lambda r: r.number)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("create", "update", "unchanged", "duplicate", "failed", "suspect"), 0)
        for target in self.targets:
            counts[target.action] += 1
            counts["duplicate"] += len(target.group.rows) - 1
            counts["suspect"] += bool(target.suspects) and target.action == "create"
        counts["failed"] = len(self.failed)
        counts["skipped"] = len(self.table.skipped)
        return counts


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@gc_pause.paused()
def plan_import(
    store: Store,
    table: RawTable,
    mapping: Mapping,
    *,
    file_name: str = "",
    sha256: str = "",
    lang: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ImportPlan:
    """Interpret every row and match it with the store; writes nothing.

    Rows are interpreted here, not in worker processes: an interpreted row is a dict of some thirty
    values, and sending it back from a worker (pickling, then unpickling here) costs this process about
    as much as interpreting it, so workers made a 20,000-row plan twice as slow on two cores."""
    columns = dict(mapping.columns)
    if not {"native_name", "latin_name", "family_name", "given_name"} & set(columns.values()):
        raise LiaisonError("import.err.no_name_column")
    id_col = id_column(table.headers)
    if id_col is not None and columns.get(id_col, "ignore") != "ignore":
        id_col = None  # the staff member mapped that column to something else on purpose
    prepared: list[Incoming] = []
    failed: list[Failed] = []
    total = len(table.rows)
    interpret = partial(build_rows, mapping=used_columns(columns), id_column=id_col, note_lang=lang)
    keys: dict[int, set[str]] = {}  # row number -> its suspect keys, which matching looks for
    for start in range(0, total, CHECK_EVERY):
        for built in interpret(table.rows[start : start + CHECK_EVERY]):
            if isinstance(built, Incoming):
                prepared.append(built)
                keys[built.number] = suspect_keys(built)
            else:
                failed.append(built)
        check_cancel(cancel)
        if progress:
            progress("read", min(start + CHECK_EVERY, total), total)
    if progress:
        progress("read", total, total)
    groups = group_rows(prepared)
    version = imports.store_version(store)
    targets = match(store, groups, progress=progress, cancel=cancel, keys=keys)
    previous = imports.earlier_imports(store, sha256)
    return ImportPlan(file_name, sha256, table, mapping, prepared, failed, targets, previous, version)


# ---------------------------------------------------------------- matching with the store


def _chunks(items: list[Any], size: int = _CHUNK) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _owners(store: Store, groups: list[Group]) -> dict[tuple[str, str], str]:
    """Existing live contact for each exact key of the file (indexed lookups, only the file's values)."""
    by_kind: dict[str, set[str]] = {}
    for group in groups:
        for row in group.rows:
            for kind, value in row.identity_keys():
                by_kind.setdefault(kind, set()).add(value)
    owners: dict[tuple[str, str], str] = {}
    for kind, values in by_kind.items():
        found = (
            imports.live_contact_ids(store, values)
            if kind == "id"
            else imports.point_owners(store, kind, values)
        )
        owners.update(((kind, value), cid) for value, cid in found.items())
    return owners


def match(
    store: Store,
    groups: list[Group],
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    suspects: bool = True,
    keys: dict[int, set[str]] | None = None,
) -> list[Target]:
    """Targets for the groups; ``suspects=False`` skips the name-key pass (apply keeps the preview's).
    ``keys``: :func:`suspect_keys` of rows already worked out, by row number."""
    owners = _owners(store, groups)
    targets: list[Target] = []
    for group in groups:
        incoming = group.combined()
        hits: dict[str, int] = {}
        for key in incoming.identity_keys():
            owner = owners.get(key)
            if owner:
                hits[owner] = hits.get(owner, 0) + (100 if key[0] == "id" else 1)
        target = Target(group, incoming)
        if hits:
            ranked = sorted(hits, key=lambda c: (-hits[c], c))
            target.contact_id = ranked[0]
            target.suspects = [f"contact:{c}" for c in ranked[1:]]
        targets.append(target)
    check_cancel(cancel)
    _fill_updates(store, [t for t in targets if t.contact_id])
    check_cancel(cancel)
    if suspects:
        _mark_suspects(store, [t for t in targets if t.contact_id is None], keys or {})
    if progress:
        progress("match", len(groups), len(groups))
    return targets


def _fill_updates(store: Store, targets: list[Target]) -> None:
    """Fields and contact points an update adds: only what the existing contact lacks."""
    for chunk in _chunks(targets):
        rows, points = imports.contacts_with_points(store, {t.contact_id for t in chunk if t.contact_id})
        for target in chunk:
            assert target.contact_id is not None
            row = rows[target.contact_id]
            new = target.incoming.contact
            for name in SCALARS:
                if name == "source":
                    continue  # the category an existing contact came from stays as it is
                if row.get(name) in (None, "") and new.get(name) not in (None, ""):
                    target.fills[name] = new[name]
            for name in LISTS:
                old = json.loads(row[name]) if row.get(name) else []
                united = list(dict.fromkeys([*old, *new.get(name, [])]))
                if united != old:
                    target.fills[name] = united
            held = points.get(target.contact_id, set())
            target.new_points = [p for p in target.incoming.points if p.key not in held]
            target.set_org = not row.get("org_id") and bool(target.incoming.org_name)


def suspect_keys(incoming: Incoming) -> set[str]:
    """The keys under which a new contact looks like another: name with organization, name with country."""
    c = incoming.contact
    return duplicate_keys(
        c.get("native_name"), c.get("latin_name"), org_key(incoming.org_name, None), c.get("country")
    )


def _mark_suspects(store: Store, creates: list[Target], known: dict[int, set[str]]) -> None:
    """Name key + organization/country matches among the new contacts and against the stored ones.
    ``known``: the keys of single rows, by row number (a group of several rows has its combined own)."""
    if not creates:
        return
    wanted: dict[str, list[Target]] = {}
    for target in creates:
        single = len(target.group.rows) == 1
        keys = known.get(target.incoming.number) if single else None
        for key in suspect_keys(target.incoming) if keys is None else keys:
            wanted.setdefault(key, []).append(target)
    for targets in wanted.values():
        for later in targets[1:]:
            ref = f"row:{targets[0].group.first.number}"
            if later is not targets[0] and ref not in later.suspects:
                later.suspects.append(ref)
    # stored contacts: a linear pass over names (keys are computed, not stored); skipped for an empty store
    for cid, native, latin, country, zh, en in imports.named_contacts(store):
        for key in duplicate_keys(native, latin, org_key(zh, en), country):
            for target in wanted.get(key, ()):
                ref = f"contact:{cid}"
                if ref not in target.suspects:
                    target.suspects.append(ref)
