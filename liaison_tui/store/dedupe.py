"""Likely duplicate contacts, and the pairs staff judged to be two people.

Duplicate keys: the same normalised email, E.164 phone or WeChat id; or the same name key (pinyin of a
Chinese name, or a folded Latin name, word order ignored) together with the same organization name or the
same country (the latter only for names that few people in that country share). The scan is linear: SQL
GROUP BY over the indexed contact points, and name keys written to a temporary table and grouped the same
way, so 100k+ contacts never meet pairwise. The list of dismissed pairs is local (a review aid, not a
record).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..domain import search_keys as sk
from ..domain.i18n import register, t
from ..domain.identity_keys import duplicate_keys, org_key
from ..domain.times import iso, utcnow
from .store import Store

register(
    {
        "people.reason.email": ("same email", "邮箱相同"),
        "people.reason.phone": ("same phone", "电话相同"),
        "people.reason.wechat": ("same WeChat ID", "微信号相同"),
        "people.reason.name_org": ("same name and organization", "姓名和单位相同"),
        "people.reason.name_country": ("same name and country", "姓名和国家相同"),
    }
)

Progress = Callable[[int, int], None]
EXACT_KINDS = ("email", "phone", "wechat")
_REASON_WEIGHT = {"email": 10, "phone": 10, "wechat": 10, "name_org": 3, "name_country": 1}
# A name shared by more people than this in one country (张伟 in China, a common name anywhere) says nothing
# about any two of them: such groups are not proposed on name and country alone. Rare names still are.
NAME_COUNTRY_MAX_GROUP = 3


@dataclass(frozen=True)
class Reason:
    kind: str  # email | phone | wechat | name_org | name_country
    value: str  # the shared value or name key (shown to staff; never logged)

    def label(self, lang: str | None = None) -> str:
        return t(f"people.reason.{self.kind}", lang)


@dataclass
class DuplicatePair:
    keep: str  # the older record: the suggested survivor
    other: str
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(_REASON_WEIGHT[r.kind] for r in {r.kind: r for r in self.reasons}.values())

    @property
    def exact(self) -> bool:
        return any(r.kind in EXACT_KINDS for r in self.reasons)


def find_duplicates(
    store: Store, *, progress: Progress | None = None, cancel: Callable[[], bool] | None = None
) -> list[DuplicatePair]:
    """Pairs of live contacts that look like one person, strongest first. Each group of n contacts
    sharing a key yields n-1 pairs (each with the oldest), never n²."""
    conn = store.conn
    pairs: dict[tuple[str, str], DuplicatePair] = {}

    def add(ids: list[str], reason: Reason) -> None:
        ids = sorted(set(ids))  # UUIDv7: sorted = oldest first
        for other in ids[1:]:
            pair = pairs.setdefault((ids[0], other), DuplicatePair(ids[0], other))
            if reason not in pair.reasons:
                pair.reasons.append(reason)

    for kind, value, ids in conn.execute(
        "SELECT p.kind, p.value, group_concat(DISTINCT p.contact_id) FROM contact_points p "
        "JOIN contacts c ON c.id = p.contact_id "
        "WHERE p.deleted = 0 AND c.deleted = 0 AND c.merged_into IS NULL AND p.kind IN ('email', 'phone', 'wechat') "
        "GROUP BY p.kind, p.value HAVING count(DISTINCT p.contact_id) > 1"
    ):
        add(ids.split(","), Reason(kind, value))

    total = int(
        conn.execute("SELECT count(*) FROM contacts WHERE deleted = 0 AND merged_into IS NULL").fetchone()[0]
    )
    with store.lock:
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS dedupe_keys (key TEXT NOT NULL, contact_id TEXT NOT NULL)"
        )
        conn.execute("DELETE FROM dedupe_keys")
        try:
            batch: list[tuple[str, str]] = []
            cursor = conn.execute(
                "SELECT c.id, c.native_name, c.latin_name, c.country, o.name_zh, o.name_en FROM contacts c "
                "LEFT JOIN organizations o ON o.id = c.org_id AND o.deleted = 0 "
                "WHERE c.deleted = 0 AND c.merged_into IS NULL"
            )
            for done, (cid, native, latin, country, org_zh, org_en) in enumerate(cursor, 1):
                batch += [(k, cid) for k in duplicate_keys(native, latin, org_key(org_zh, org_en), country)]
                if done % 1000 == 0:  # the progress bar moves on a few thousand contacts too
                    conn.executemany("INSERT INTO dedupe_keys VALUES (?, ?)", batch)
                    batch.clear()
                    if progress:
                        progress(done, total)
                    if cancel and cancel():
                        return []
            conn.executemany("INSERT INTO dedupe_keys VALUES (?, ?)", batch)
            for key, ids in conn.execute(
                "SELECT key, group_concat(DISTINCT contact_id) FROM dedupe_keys GROUP BY key "
                "HAVING count(DISTINCT contact_id) > 1 "
                "AND (key NOT LIKE 'name_country|%' OR count(DISTINCT contact_id) <= ?)",
                (NAME_COUNTRY_MAX_GROUP,),
            ):
                kind, name, _ = key.split("|", 2)
                add(ids.split(","), Reason(kind, name))
        finally:
            conn.execute("DELETE FROM dedupe_keys")
    if progress:
        progress(total, total)
    dismissed = {(a, b) for a, b in conn.execute("SELECT a, b FROM dedupe_dismissed")}
    dismissed |= _reversed_chinese_names(conn, [p for p in pairs.values() if not p.exact])
    found = [p for p in pairs.values() if (p.keep, p.other) not in dismissed]
    found.sort(key=lambda p: (-p.score, p.keep, p.other))
    return found


def _reading(native: str | None) -> tuple[str, ...] | None:
    """The readings of a Chinese name in their written order (陈雨 → chen, yu), or None."""
    if not native or not sk.has_cjk(native):
        return None
    return tuple(sk.char_pinyin(c) for c in sk.base_text(native) if sk.is_cjk(c))


def _reversed_chinese_names(conn: Any, name_pairs: list[DuplicatePair]) -> set[tuple[str, str]]:
    """Name-only pairs of two Chinese names that read alike only once their order is ignored (陈雨 and
    于晨 both give "chen yu"): word order is ignored so that 张伟 meets "Wei Zhang", not so that two
    different Chinese names meet."""
    ids = sorted({i for p in name_pairs for i in (p.keep, p.other)})
    readings: dict[str, tuple[str, ...] | None] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for cid, native in conn.execute(f"SELECT id, native_name FROM contacts WHERE id IN ({marks})", chunk):
            readings[cid] = _reading(native)
    out = set()
    for pair in name_pairs:
        a, b = readings.get(pair.keep), readings.get(pair.other)
        if a and b and a != b:
            out.add((pair.keep, pair.other))
    return out


@dataclass
class ContactFacts:
    """What tells two records of one name apart: names, organization, place, emails and phones (primary
    first), the date added."""

    native_name: str | None
    latin_name: str | None
    org: str  # its Chinese name, else its English one
    country: str
    city: str
    added: str  # created_at, ISO
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)  # as stored (E.164 where it parsed)


def contact_facts(store: Store, ids: set[str]) -> dict[str, ContactFacts]:
    """The facts of a few hundred contacts, read in chunks under SQLite's variable limit."""
    out: dict[str, ContactFacts] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for cid, native, latin, country, city, added, org_zh, org_en in store.conn.execute(
            "SELECT c.id, c.native_name, c.latin_name, c.country, c.city, c.created_at, o.name_zh, o.name_en "
            f"FROM contacts c LEFT JOIN organizations o ON o.id = c.org_id WHERE c.id IN ({marks})",
            chunk,
        ):
            out[cid] = ContactFacts(
                native, latin, org_zh or org_en or "", country or "", city or "", added or ""
            )
        for cid, kind, value in store.conn.execute(
            "SELECT contact_id, kind, value FROM contact_points WHERE deleted = 0 AND kind IN ('email', 'phone') "
            f"AND contact_id IN ({marks}) ORDER BY is_primary DESC, kind",
            chunk,
        ):
            if cid in out:
                (out[cid].emails if kind == "email" else out[cid].phones).append(value)
    return out


def dismiss_pair(store: Store, a: str, b: str) -> None:
    """Remember that staff judged these two to be different people (local review aid)."""
    first, second = sorted((a, b))
    with store.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO dedupe_dismissed (a, b, at, author) VALUES (?, ?, ?, ?)",
            (first, second, iso(utcnow()), store.author),
        )
