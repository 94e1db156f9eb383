"""Rows of one file that are the same person (same email, phone, WeChat id or Liaison id) collapse into
one: the first row is the base, later rows fill what it lacks. Union-find over the rows' exact keys, so a
chain (row 2 shares an email with row 9, row 9 a phone with row 30) ends as one group. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from .incoming import LISTS, SCALARS, Incoming


@dataclass
class Group:
    rows: list[Incoming] = field(default_factory=list)

    @property
    def first(self) -> Incoming:
        return self.rows[0]

    def combined(self) -> Incoming:
        base = self.rows[0]
        if len(self.rows) == 1:
            return base
        contact = dict(base.contact)
        points = list(base.points)
        seen = {p.key for p in points}
        org_name, record_id = base.org_name, base.record_id
        for row in self.rows[1:]:
            for name in SCALARS:
                value = row.contact.get(name)
                if name == "notes" and value and contact.get(name) and value not in contact[name]:
                    contact[name] = f"{contact[name]}\n{value}"
                elif contact.get(name) in (None, "") and value not in (None, ""):
                    contact[name] = value
            for name in LISTS:
                contact[name] = list(dict.fromkeys([*contact.get(name, []), *row.contact.get(name, [])]))
            for point in row.points:
                if point.key not in seen:
                    seen.add(point.key)
                    points.append(point)
            org_name = org_name or row.org_name
            record_id = record_id or row.record_id
        return Incoming(base.number, contact, points, org_name, record_id)


def group_rows(items: list[Incoming]) -> list[Group]:
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str], int] = {}
    for i, item in enumerate(items):
        for key in item.identity_keys():
            j = owner.setdefault(key, i)
            if j != i:
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)  # the earliest row stays the base
    groups: dict[int, Group] = {}
    for i, item in enumerate(items):
        groups.setdefault(find(i), Group()).rows.append(item)
    return list(groups.values())
