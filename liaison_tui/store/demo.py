"""Realistic synthetic demo data, deterministic for a seed, in bounded memory.

Records are generated in batches straight into storable form and written through the store's bulk path
(change log included); the search index is rebuilt once at the end. The generator is checked against the
domain models in the tests, so skipping per-row validation here does not let bad data in.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..domain import workflow
from ..domain.enums import CaseCategory, CaseStatus
from ..domain.times import iso, utcnow
from . import demo_data as V
from .demo_recruiting import RecruitingDemo
from .store import Store

if TYPE_CHECKING:
    import opencc

Progress = Callable[[int, int], None]
_S = CaseStatus
DUPLICATE_RATE = 0.004  # planted second records of one person: a realistic handful (20 in 5,000)
_RECENT = 200  # contacts a planted duplicate may copy
_CONSENT_CHANNELS = ("event_registration", "online_form", "email", "wechat", "paper", "in_person")
_NAME_TRIES = 20  # draws for a name not taken yet, before accepting a taken one
_SEEN_CAP = 400_000  # names and emails remembered (bounded memory for multi-million demos)


class _Ids:
    """UUIDv7-shaped ids drawn from the seeded generator, so that a seed always gives the same data."""

    def __init__(self, rng: random.Random, start_ms: int) -> None:
        self.rng = rng
        self.ms = start_ms

    def __call__(self) -> str:
        self.ms += 1
        value = (self.ms & ((1 << 48) - 1)) << 80
        value |= 0x7 << 76
        value |= self.rng.getrandbits(12) << 64
        value |= 0b10 << 62
        value |= self.rng.getrandbits(62)
        h = f"{value:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass
class _Batch:
    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {
            t: []
            for t in (
                "contacts",
                "contact_points",
                "affiliations",
                "cases",
                "followups",
                "activities",
                "attendances",
                "talent_profiles",
                "talent_skills",
                "introductions",
                "match_marks",
                "consents",
            )
        }
    )

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows[table].append(row)


class DemoGenerator:
    def __init__(self, store: Store, seed: int = 42, now: datetime | None = None) -> None:
        self.store = store
        self.rng = random.Random(seed)
        self.now = (now or utcnow()).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        self.new_id = _Ids(
            self.rng, int(datetime(2025, 1, 1, tzinfo=UTC).timestamp() * 1000) + seed * 10_000_000
        )
        self._surnames = [s for s in V.CN_SURNAMES]
        self._surname_weights = [w for *_, w in V.CN_SURNAMES]
        self.staff: list[str] = []
        self.orgs: list[dict[str, Any]] = []
        self.events: list[str] = []
        self._t2s: opencc.OpenCC | None = None
        self._case_counter: dict[int, int] = {}
        self.recruiting = RecruitingDemo(self)
        # consents draw from their own stream: adding them left every other record of a seed as it was
        self._consent_rng = random.Random(f"{seed}-consent")
        self._consent_id = _Ids(self._consent_rng, int(datetime(2025, 1, 2, tzinfo=UTC).timestamp() * 1000))
        self._names: set[str] = set()
        self._emails: set[str] = set()
        self._recent: list[tuple[dict[str, Any], list[str], list[tuple[str, str]]]] = []

    # ------------------------------------------------------------------ reference data
    def reference(self) -> None:
        rng = self.rng
        existing = self.store.conn.execute(
            "SELECT id FROM staff WHERE deleted = 0 AND role != 'admin' ORDER BY username"
        ).fetchall()
        staff_rows: list[dict[str, Any]] = []
        if existing:  # a store that already knows its staff (pulled from a server): work with them
            self.staff = [r[0] for r in existing]
        for username, name, role in [] if existing else V.STAFF:
            row = {
                "id": self.new_id(),
                "username": username,
                "display_name": name,
                "role": role,
                "active": True,
            }
            staff_rows.append(row)
        if not existing:
            self.staff = [r["id"] for r in staff_rows if r["role"] != "admin"]
        org_rows: list[dict[str, Any]] = []
        for zh, en, kind, district, chain, domain in V.QINGDAO_ORGS:
            org_rows.append(self._org(zh, en, kind, "CN", "Qingdao", [chain], district, domain))
        for zh, en, country, domain in V.UNIVERSITIES_ABROAD:
            org_rows.append(self._org(zh, en, "university", country, None, [], None, domain))
        for en, country, domain in V.OVERSEAS_COMPANIES:
            org_rows.append(
                self._org(
                    None,
                    en,
                    "overseas_employer",
                    country,
                    None,
                    [rng.choice(["ai", "biomedicine", "marine", "new_materials"])],
                    None,
                    domain,
                )
            )
        for zh, en in V.ALLIANCE_ORGS:
            row = self._org(zh, en, "hr_agency", None, None, [], None, None)
            row["alliance_member"] = True
            org_rows.append(row)
        self.orgs = org_rows
        event_rows: list[dict[str, Any]] = []
        for name, kind, city, country, offset in V.EVENTS:
            start = (self.now + timedelta(days=offset)).date()
            event_rows.append(
                {
                    "id": self.new_id(),
                    "name": name,
                    "kind": kind,
                    "starts_on": start.isoformat(),
                    "ends_on": (start + timedelta(days=rng.choice([0, 1, 2]))).isoformat(),
                    "city": city,
                    "country": country,
                    "notes": None,
                }
            )
        self.events = [e["id"] for e in event_rows]
        self.recruiting.prepare(org_rows, event_rows, len(V.QINGDAO_ORGS))
        with self.store.transaction():
            self.store.bulk_insert("staff", staff_rows, at=self.now)
            self.store.bulk_insert(
                "organizations",
                [{k: v for k, v in o.items() if not k.startswith("_")} for o in org_rows],
                at=self.now,
            )
            self.store.bulk_insert("events", event_rows, at=self.now)
            self.store.bulk_insert("skills", self.recruiting.skill_rows(), at=self.now)
            self.store.bulk_insert("demands", self.recruiting.demand_rows_for(), at=self.now)
            if self.store.get_meta("default_user") is None:
                self.store.set_meta("default_user", V.STAFF[0][0])

    def _org(
        self,
        zh: str | None,
        en: str | None,
        kind: str,
        country: str | None,
        city: str | None,
        chains: list[str],
        district: str | None,
        domain: str | None,
    ) -> dict[str, Any]:
        return {
            "id": self.new_id(),
            "name_zh": zh,
            "name_en": en,
            "kind": kind,
            "alliance_member": False,
            "district": district,
            "country": country,
            "city": city,
            "industry_chains": chains,
            "website": f"https://www.{domain}" if domain else None,
            "notes": None,
            "_domain": domain,
        }

    # ------------------------------------------------------------------ people
    def _chinese_name(self) -> tuple[str, str, str, str]:
        rng = self.rng
        surname, surname_py, _ = rng.choices(self._surnames, self._surname_weights)[0]
        given = rng.sample(V.CN_GIVEN, rng.choice([1, 2, 2, 2]))
        given_cn = "".join(c for c, _ in given)
        given_py = "".join(p for _, p in given)
        return surname, given_cn, surname_py, given_py.capitalize()

    def _traditional(self, text: str) -> str:
        if self._t2s is None:
            import opencc

            self._t2s = opencc.OpenCC("s2t")
        traditional: str = self._t2s.convert(text)
        return traditional

    def _phone(self, country: str, home: str | None) -> tuple[str, str]:
        """(raw as the person wrote it, E.164)."""
        rng = self.rng
        cc, plan = V.PHONE_PLANS[country]
        digits = []
        i = 0
        while i < len(plan):
            ch = plan[i]
            if ch == "#":
                digits.append(str(rng.randrange(10)))
            elif ch == "{":
                lo, hi = int(plan[i + 1]), int(plan[i + 3])
                digits.append(str(rng.randint(lo, hi)))
                i += 4
            else:
                digits.append(ch)
            i += 1
        national = "".join(digits)
        e164 = f"+{cc}{national}"
        groups = f"{national[:3]} {national[3:7]} {national[7:]}".strip()
        style = rng.randrange(6)
        if style == 0 or (style == 4 and (home != country or country not in V.TRUNK_ZERO)):
            raw = f"+{cc} {groups}"
        elif style == 1:
            raw = f"00{cc}-{national[:3]}-{national[3:]}"
        elif style == 2:
            raw = f"(+{cc}) {national}"
        elif style == 3:
            raw = f"+{cc}{national}"
        elif style == 4:
            raw = f"0{groups}"  # national format with trunk 0, read in the contact's country
        else:
            raw = f"+{cc}-{national[:3]}-{national[3:7]}-{national[7:]}".rstrip("-")
        if country == "CN" and home == "CN" and rng.random() < 0.5:
            raw = f"{national[:3]} {national[3:7]} {national[7:]}"
        return raw, e164

    def _unused_name(self, draw: Callable[[], tuple[str, ...]], key: Callable[[tuple[str, ...]], str]) -> Any:
        """A name nobody in the demo has yet, if a few draws find one: a demo where many people share a name
        and country would be full of look-alike "duplicates" that no real list has."""
        for _ in range(_NAME_TRIES):
            name = draw()
            if key(name) not in self._names:
                break
        if len(self._names) < _SEEN_CAP:
            self._names.add(key(name))
        return name

    def _unique_email(self, local: str, domain: str) -> str:
        """``local@domain``, with digits added when someone has it already (as mail providers do)."""
        email = f"{local}@{domain}"
        while email in self._emails:
            email = f"{local}{self.rng.randrange(2, 100)}@{domain}"
        if len(self._emails) < _SEEN_CAP:
            self._emails.add(email)
        return email

    def contact(self, batch: _Batch) -> None:
        rng = self.rng
        if self._recent and rng.random() < DUPLICATE_RATE:
            self._duplicate(batch)
            return
        cid = self.new_id()
        chinese = rng.random() < 0.6
        aliases: list[str] = []
        if chinese:
            surname, given, s_py, g_py = self._unused_name(
                self._chinese_name, lambda n: f"{n[2]} {n[3]}".lower()
            )
            native = surname + given
            latin = f"{s_py} {g_py}"
            if rng.random() < 0.08:
                native = self._traditional(native)
            if rng.random() < 0.15:
                aliases.append(f"{rng.choice(['David', 'Grace', 'Kevin', 'Amy', 'Leo', 'Iris'])} {s_py}")
            landed = rng.random() < 0.2
            country, city, tz = ("CN", "Qingdao", "Asia/Shanghai") if landed else rng.choice(V.ABROAD)
            nationalities = ["CN"] if rng.random() < 0.7 or landed else [country]
            languages = ["zh", "en"]
            name_order = "family_first"
            email_local = rng.choice(
                [f"{s_py}.{g_py}", f"{g_py[0]}{s_py}", f"{s_py}{g_py}{rng.randrange(100)}"]
            )
        else:
            givens, families, country, lang = rng.choice(V.WESTERN)
            first, last = self._unused_name(
                lambda: (rng.choice(givens), rng.choice(families)), lambda n: f"{n[0]} {n[1]}"
            )
            native, latin = None, f"{first} {last}"
            landed = rng.random() < 0.1
            city, tz = V.CITY_OF[country]
            nationalities = [country]
            if landed:
                country, city, tz = "CN", "Qingdao", "Asia/Shanghai"
            languages = [lang, "en"] if lang != "en" else ["en"]
            name_order = "given_first"
            email_local = (
                f"{_ascii(first)}.{_ascii(last)}"
                if rng.random() < 0.6
                else f"{_ascii(first)[0]}{_ascii(last)}"
            )
        email_local = email_local.lower().replace("'", "").replace(" ", "")
        if landed:
            org = rng.choice(self.orgs[: len(V.QINGDAO_ORGS)])
        else:
            candidates = [o for o in self.orgs if o["country"] == country] or self.orgs
            org = rng.choice(candidates)
        field_name, chain = rng.choice(V.FIELDS)
        stage = (
            rng.choice(["landed", "landed", "rooted", "signed"])
            if landed
            else rng.choices(
                ["lead", "contacted", "engaged", "visiting", "signed", "on_hold", "lost"],
                [30, 25, 18, 8, 5, 8, 6],
            )[0]
        )
        row: dict[str, Any] = {
            "id": cid,
            "kind": rng.choices(["talent", "employer_contact", "referrer"], [90, 6, 4])[0],
            "native_name": native,
            "latin_name": latin,
            "name_order": name_order,
            "aliases": aliases,
            "gender": rng.choice(["female", "male", None]),
            "nationalities": nationalities,
            "country": country,
            "city": city,
            "timezone": tz,
            "languages": languages,
            "org_id": org["id"],
            "title": rng.choice(V.TITLES),
            "field": field_name,
            "industry_chains": [chain],
            "tier": rng.choices(["a", "b", "c", "d", "e", "unrated"], [2, 6, 20, 25, 12, 35])[0],
            "stage": stage,
            "owner_id": rng.choices(self.staff, [40] + [15] * (len(self.staff) - 1))[0],
            "source": rng.choice(
                [
                    "event",
                    "alliance_referral",
                    "employer_referral",
                    "self",
                    "overseas_station",
                    "import",
                    "other",
                ]
            ),
            "source_detail": None,
            "tags": rng.sample(V.TAGS, rng.choice([0, 0, 1, 2])),
            "notes": rng.choice(V.ACTIVITY_SUMMARIES["note"]) if rng.random() < 0.3 else None,
            "merged_into": None,
            "last_activity_at": None,
        }
        # contact points
        own_domain: str | None = org.get("_domain")
        domain = (
            own_domain
            if rng.random() < 0.6 and own_domain
            else rng.choice(["gmail.com", "outlook.com", "163.com", "qq.com", "yahoo.com", "proton.me"])
        )
        emails = [self._unique_email(email_local, domain)]
        if rng.random() < 0.25:
            emails.append(
                self._unique_email(f"{email_local.replace('.', '_')}{rng.randrange(10, 99)}", "gmail.com")
            )
        for n, email in enumerate(emails):
            batch.add(
                "contact_points",
                {
                    "id": self.new_id(),
                    "contact_id": cid,
                    "kind": "email",
                    "raw": email,
                    "value": email.lower(),
                    "label": "work" if n == 0 else "personal",
                    "is_primary": n == 0,
                },
            )
        phone_countries = [country if country in V.PHONE_PLANS else "CN"]
        if chinese and country != "CN" and rng.random() < 0.4:
            phone_countries.append("CN")
        phones: list[tuple[str, str]] = []
        for n, pc in enumerate(phone_countries):
            raw, e164 = self._phone(pc, country)
            phones.append((pc, e164))
            batch.add(
                "contact_points",
                {
                    "id": self.new_id(),
                    "contact_id": cid,
                    "kind": "phone",
                    "raw": raw,
                    "value": e164,
                    "label": "mobile",
                    "is_primary": n == 0,
                },
            )
        if chinese and rng.random() < 0.5:
            wechat = f"{email_local.replace('.', '_')[:12]}_{rng.randrange(1000, 9999)}"
            if not wechat[0].isalpha():
                wechat = "wx" + wechat
            batch.add(
                "contact_points",
                {
                    "id": self.new_id(),
                    "contact_id": cid,
                    "kind": "wechat",
                    "raw": wechat,
                    "value": wechat.lower(),
                    "label": None,
                    "is_primary": False,
                },
            )
        batch.add(
            "affiliations",
            {
                "id": self.new_id(),
                "contact_id": cid,
                "org_id": org["id"],
                "role": row["title"],
                "current": True,
                "since": None,
                "until": None,
            },
        )
        # timeline
        last_activity = None
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            kind = rng.choice(list(V.ACTIVITY_SUMMARIES))
            when = self.now - timedelta(days=rng.randrange(0, 400), minutes=rng.randrange(0, 1440))
            batch.add(
                "activities",
                {
                    "id": self.new_id(),
                    "kind": kind,
                    "occurred_at": iso(when),
                    "staff_id": row["owner_id"],
                    "summary": rng.choice(V.ACTIVITY_SUMMARIES[kind]),
                    "details": None,
                    "contact_id": cid,
                    "case_id": None,
                    "event_id": None,
                },
            )
            last_activity = max(last_activity or when, when)
        row["last_activity_at"] = iso(last_activity) if last_activity else None
        self.recruiting.attend(batch, cid)
        # services and tasks
        if rng.random() < (0.6 if landed else 0.1):
            for _ in range(rng.choice([1, 1, 2])):
                self._case(batch, cid, row["owner_id"])
        if rng.random() < 0.25:
            self._followup(batch, cid, None, row["owner_id"])
        self.recruiting.talent(batch, row, org)
        batch.add("contacts", row)
        self._consents(batch, row)
        self._recent.append((row, emails, phones))
        del self._recent[:-_RECENT]

    def _consents(self, batch: _Batch, row: dict[str, Any]) -> None:
        """Most talents agreed to be contacted about recruitment (at an event, on a form); those already
        shared with an employer, and some others, agreed to that too; a few withdrew, a few consents ran
        out. About one in five has nothing recorded yet: the data-quality report's work list."""
        if row["kind"] != "talent":
            return
        rng, cid = self._consent_rng, row["id"]
        shared = any(
            i["contact_id"] == cid and i["stage"] != "proposed" for i in batch.rows["introductions"][-8:]
        )
        if not shared and rng.random() < 0.2:
            return
        day = (self.now - timedelta(days=rng.randrange(30, 700))).date()

        def add(action: str, purpose: str, on: date, expires: date | None = None) -> None:
            batch.add(
                "consents",
                {
                    "id": self._consent_id(),
                    "contact_id": cid,
                    "action": action,
                    "purpose": purpose,
                    "org_id": None,
                    "scope": None,
                    "channel": rng.choice(_CONSENT_CHANNELS),
                    "occurred_on": on.isoformat(),
                    "expires_on": expires.isoformat() if expires else None,
                    "evidence": None,
                },
            )

        expires = day + timedelta(days=365) if rng.random() < 0.1 else None  # some of them lapsed
        add("given", "recruitment_contact", day, expires)
        if shared or rng.random() < 0.3:
            add("given", "share_with_employer", day)
        if not shared and rng.random() < 0.03:
            add("withdrawn", "recruitment_contact", day + timedelta(days=rng.randrange(1, 29)))

    def _duplicate(self, batch: _Batch) -> None:
        """A second record of someone already in the demo, as lists bring them in: the same email under a
        name written another way, the same phone in another format, or the same name at the same
        organization with a private email. The duplicate scan should find each of these."""
        rng = self.rng
        original, emails, phones = rng.choice(self._recent)
        cid = self.new_id()
        row = {
            **original,
            "id": cid,
            "aliases": [],
            "stage": "lead",
            "source": "import",
            "tags": [],
            "notes": None,
            "last_activity_at": None,
        }
        native, latin = original["native_name"], original["latin_name"]
        how = rng.choice(["email", "phone", "name_org"])
        points: list[tuple[str, str, str]] = []  # (kind, raw, value)
        if how == "email":
            if native:  # 张伟 → Zhang Wei only, as on an English-language list
                row["native_name"] = None
            else:  # Oliver Evans → EVANS Oliver, as on a form that asks for the family name first
                first, _, last = (latin or "").partition(" ")
                row["latin_name"] = f"{last.upper()} {first}"
                row["name_order"] = "family_first"
            points.append(("email", emails[0], emails[0].lower()))
        elif how == "phone":
            country, e164 = phones[0]
            code = V.PHONE_PLANS[country][0]
            points.append(("phone", f"+{code} {e164[len(code) + 1 :]}", e164))
        else:
            local = _ascii((latin or native or "x").replace(" ", ".")).lower().replace("'", "")
            email = self._unique_email(f"{local}.{rng.randrange(10, 99)}", "gmail.com")
            points.append(("email", email, email))
        for n, (kind, raw, value) in enumerate(points):
            batch.add(
                "contact_points",
                {
                    "id": self.new_id(),
                    "contact_id": cid,
                    "kind": kind,
                    "raw": raw,
                    "value": value,
                    "label": None,
                    "is_primary": n == 0,
                },
            )
        batch.add(
            "affiliations",
            {
                "id": self.new_id(),
                "contact_id": cid,
                "org_id": row["org_id"],
                "role": row["title"],
                "current": True,
                "since": None,
                "until": None,
            },
        )
        batch.add("contacts", row)

    def _case(self, batch: _Batch, contact_id: str, owner: str) -> None:
        rng = self.rng
        category = rng.choice(list(CaseCategory)).value
        status = rng.choices(list(CaseStatus), [10, 10, 20, 8, 8, 10, 25, 3, 2, 4])[0]
        opened = self.now - timedelta(days=rng.randrange(0, 500), hours=rng.randrange(24))
        year = opened.year
        number = self._case_counter.get(year, 0) + 1
        self._case_counter[year] = number
        resolved = status in (_S.RESOLVED, _S.CLOSED)
        case_id = self.new_id()
        due = opened + timedelta(days=workflow.due_days(category))
        batch.add(
            "cases",
            {
                "id": case_id,
                "number": f"{self.store.station}-{year}-{self.store.device_code}-{number:04d}",
                "title": rng.choice(V.CASE_TITLES[category]),
                "description": None,
                "beneficiary_id": contact_id,
                "related_ids": [],
                "category": category,
                "priority": rng.choices(["low", "normal", "high", "urgent"], [15, 60, 20, 5])[0],
                "status": status.value,
                "status_reason": "重复提交"
                if status == _S.DUPLICATE
                else ("对方放弃" if status in (_S.CANCELLED, _S.REJECTED) else None),
                "owner_id": owner,
                "opened_at": iso(opened),
                "first_response_due": iso(opened + timedelta(days=workflow.FIRST_RESPONSE_DAYS)),
                "due_at": iso(due),
                # a case opened lately was not resolved or closed after today (clamped, same draws)
                "resolved_at": iso(min(opened + timedelta(days=rng.randrange(1, 40)), self.now))
                if resolved
                else None,
                "closed_at": iso(min(opened + timedelta(days=rng.randrange(41, 60)), self.now))
                if status == _S.CLOSED
                else None,
                "resolution": rng.choice(V.RESOLUTIONS) if resolved else None,
            },
        )
        if workflow.is_open(status) and rng.random() < 0.5:
            self._followup(batch, contact_id, case_id, owner)

    def _followup(self, batch: _Batch, contact_id: str, case_id: str | None, owner: str) -> None:
        rng = self.rng
        kind = rng.choice(list(V.FOLLOWUP_TITLES))
        when = rng.choices(["overdue", "today", "upcoming"], [30, 15, 55])[0]
        if when == "overdue":
            due = self.now - timedelta(days=rng.randrange(1, 20), hours=rng.randrange(8))
        elif when == "today":
            # Later today in Qingdao (UTC+8), so "today" is not empty when the demo is opened in the evening.
            local_midnight = (
                (self.now + timedelta(hours=8)).replace(hour=0) + timedelta(days=1) - timedelta(hours=8)
            )
            minutes_left = max(31, int((local_midnight - self.now).total_seconds() // 60))
            due = self.now + timedelta(minutes=rng.randrange(30, minutes_left))
        else:
            due = self.now + timedelta(days=rng.randrange(1, 30), hours=rng.randrange(8))
        status = rng.choices(["open", "done", "snoozed", "cancelled"], [75, 15, 5, 5])[0]
        batch.add(
            "followups",
            {
                "id": self.new_id(),
                "kind": kind,
                "title": rng.choice(V.FOLLOWUP_TITLES[kind]),
                "notes": None,
                "due_at": iso(due),
                "assignee_id": owner,
                "status": status,
                "snoozed_until": iso(due + timedelta(days=3)) if status == "snoozed" else None,
                "completed_at": iso(due) if status == "done" else None,
                "contact_id": contact_id,
                "case_id": case_id,
            },
        )

    def batches(self, contacts: int, size: int) -> Iterator[_Batch]:
        made = 0
        while made < contacts:
            batch = _Batch()
            for _ in range(min(size, contacts - made)):
                self.contact(batch)
            made += min(size, contacts - made)
            yield batch


# Parents before children, so foreign keys hold inside each batch.
_ORDER = (
    "contacts",
    "contact_points",
    "affiliations",
    "cases",
    "followups",
    "activities",
    "attendances",
    "talent_profiles",
    "talent_skills",
    "introductions",
    "match_marks",
    "consents",
)


def generate(
    store: Store,
    contacts: int,
    *,
    seed: int = 42,
    now: datetime | None = None,
    batch: int = 5000,
    progress: Progress | None = None,
    index: bool = True,
) -> dict[str, int]:
    """Fill ``store`` with ``contacts`` synthetic contacts and everything around them."""
    gen = DemoGenerator(store, seed=seed, now=now)
    gen.recruiting.expected = contacts
    gen.reference()
    counts = {table: 0 for table in _ORDER}
    done = 0
    for chunk in gen.batches(contacts, batch):
        with store.transaction():
            for table in _ORDER:
                counts[table] += store.bulk_insert(table, chunk.rows[table], at=gen.now)
        done += len(chunk.rows["contacts"])
        if progress:
            progress(done, contacts)
    _reserve_case_numbers(store, gen)
    if index:
        rebuild_index(store)
    return counts


def _reserve_case_numbers(store: Store, gen: DemoGenerator) -> None:
    """Move this device's counters past the numbers the demo used."""
    with store.transaction() as conn:
        for year, last in gen._case_counter.items():
            prefix = f"{store.station}-{year}-{store.device_code}"
            conn.execute(
                "INSERT INTO case_counters (prefix, next) VALUES (?, ?) ON CONFLICT(prefix) DO UPDATE "
                "SET next = max(next, excluded.next)",
                (prefix, last + 1),
            )


def rebuild_index(store: Store, progress: Progress | None = None) -> None:
    from . import search

    with store.transaction() as conn:
        search.rebuild(conn, progress=progress)


def _ascii(text: str) -> str:
    import unicodedata

    folded = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L")
    return "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)).lower()
