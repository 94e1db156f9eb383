"""Finding people at the door: an event's registrants held in memory with their lookup keys (names in any
script, pinyin and initials, phones, emails), so each keystroke at the check-in desk is answered without a
query, on the trip laptop, offline. The keys are the search index's own (``search_doc``); a registrant the
index does not hold yet gets them computed the same way."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..domain import search_keys as sk


@dataclass(slots=True)
class Registrant:
    attendance_id: str
    contact_id: str
    name: str
    status: str
    detail: str  # organization and title
    fields: list[list[Any]]
    hay: str  # every key joined: a cheap first test before the real match


@dataclass(frozen=True, slots=True)
class Found:
    attendance_id: str
    contact_id: str
    name: str
    status: str
    detail: str
    matched: str  # the value that matched (a phone as written, a name)
    quality: int


_DOOR_ORDER = {"registered": 0, "invited": 1, "no_show": 2, "attended": 3}


class CheckinIndex:
    def __init__(self, event_id: str, registrants: list[Registrant]) -> None:
        self.event_id = event_id
        self.registrants = registrants
        self._by_attendance = {r.attendance_id: r for r in registrants}

    @classmethod
    def load(cls, store: Any, event_id: str) -> CheckinIndex:
        conn = store.conn
        rows = conn.execute(
            "SELECT a.id, a.contact_id, a.status, c.native_name, c.latin_name, c.title, o.name_zh, o.name_en "
            "FROM attendances a JOIN contacts c ON c.id = a.contact_id LEFT JOIN organizations o ON o.id = c.org_id "
            "WHERE a.event_id = ? AND a.deleted = 0 AND c.deleted = 0",
            (event_id,),
        ).fetchall()
        ids = [r[1] for r in rows]
        fields: dict[str, list[list[Any]]] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            for ref, text in conn.execute(
                f"SELECT ref, fields FROM search_doc WHERE kind = 'contact' AND ref IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                fields[ref] = json.loads(text)
        missing = [i for i in ids if i not in fields]
        if missing:
            from .search import load_contact_fields

            for start in range(0, len(missing), 900):
                fields.update(load_contact_fields(conn, missing[start : start + 900]))
        registrants = []
        for att, cid, status, native, latin, title, org_zh, org_en in rows:
            keys = fields.get(cid, [])
            registrants.append(
                Registrant(
                    att,
                    cid,
                    " ".join(n for n in (native, latin) if n) or cid,
                    status,
                    " · ".join(p for p in (org_zh or org_en, title) if p),
                    keys,
                    "\n".join(k for f in keys for k in f[2]),
                )
            )
        registrants.sort(key=lambda r: r.name)
        return cls(event_id, registrants)

    def find(self, text: str, limit: int = 8) -> list[Found]:
        """The registrants ``text`` names (a few letters of a name, pinyin or initials, part of a phone or
        an email), best match first; among equal matches, who is most likely at the door first: the
        registered, then the invited, then those marked no-show, and those checked in already last."""
        query = sk.normalize_query(text)
        forms = query.forms
        if not forms:
            return []
        firsts = [sk.Form.of(f).first for f in forms]
        scored: list[tuple[tuple[int, int, int, str], Found]] = []
        for r in self.registrants:
            if not any(first and first in r.hay for first in firsts):
                continue
            best = sk.best_match(forms, r.fields)
            if best is None:
                continue
            quality, weight, fi, _ki, _qi = best
            field = r.fields[fi]
            shown = field[1] or field[2][0]
            found = Found(r.attendance_id, r.contact_id, r.name, r.status, r.detail, shown, quality)
            scored.append(((-quality, -weight, _DOOR_ORDER.get(r.status, 2), r.name), found))
        scored.sort(key=lambda pair: pair[0])
        return [f for _, f in scored[:limit]]

    def mark(self, attendance_id: str, status: str) -> None:
        """Keep the in-memory status in step after a check-in (or its undoing)."""
        found = self._by_attendance.get(attendance_id)
        if found is not None:
            found.status = status

    def add(self, attendance_id: str, contact_id: str, name: str, status: str = "attended") -> None:
        registrant = Registrant(attendance_id, contact_id, name, status, "", [], "")
        self.registrants.append(registrant)
        self._by_attendance[attendance_id] = registrant

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.registrants:
            out[r.status] = out.get(r.status, 0) + 1
        return out
