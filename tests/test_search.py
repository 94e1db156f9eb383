"""Lookup through the store: recall for every query class (names in any script, pinyin, initials, phones, emails, case numbers), and an index that never goes stale."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, rule

from liaison_tui.domain import search_keys as sk
from liaison_tui.domain.values import normalize_phone
from liaison_tui.store import Store, demo, search
from liaison_tui.store.services import create_case, create_contact

from .conftest import FIXED_NOW
from .samples import PHONE_STYLES

# Phone formats as the sample files write them (tests/samples.py PHONE_STYLES), each on its own synthetic
# contact: (raw as written, contact's country for national formats, queries that must find it)
SAMPLE_PHONES: list[tuple[str, str | None, tuple[str, ...]]] = [
    ("+61758513893", None, ("+61758513893", "758513893", "0758 513")),
    ("(+852) 175081954", None, ("(+852) 175081954", "+852 1750", "5081954")),
    ("+33 6742-58915", None, ("+33 6742-58915", "0674258915", "674258")),
    ("001-2137352522", None, ("001-2137352522", "+1 213 735", "7352522")),
    ("+61 834 993 792", None, ("+61 834 993 792", "0061834993792", "993 792")),
    ("0061-941473791", None, ("0061-941473791", "+61 941", "0941 473")),
    ("00852-593771193", None, ("00852-593771193", "+852 5937", "771193")),
    ("+1 135 109 5875", None, ("+1 135 109 5875", "1351095875", "109 5875")),
    ("+49 5658-13352", None, ("+49 5658-13352", "0049565813352", "05658 13")),
    ("+44 20 7946 0000", None, ("+44 20 7946 0000", "020 7946", "79460000")),
    ("0151 1234567", "DE", ("0151 1234567", "+49 151 1234", "00491511234567")),
    ("（+86）13912345678", None, ("（+86）13912345678", "+86 139 1234", "12345678")),
]


def _ids(hits: list[search.Hit]) -> list[str]:
    return [h.id for h in hits]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, str]]]:
    """A few hundred demo contacts as distractors, then the records the queries are about."""
    store = Store.open(tmp_path_factory.mktemp("search") / "liaison.db", author="tester")
    demo.generate(store, contacts=300, seed=11, now=FIXED_NOW)
    ids: dict[str, str] = {}

    def person(
        label: str,
        native: str | None = None,
        latin: str | None = None,
        phones: tuple[str, ...] = (),
        emails: tuple[str, ...] = (),
        **extra: Any,
    ) -> None:
        points = [{"kind": "phone", "raw": p} for p in phones] + [{"kind": "email", "raw": e} for e in emails]
        ids[label] = create_contact(store, {"native_name": native, "latin_name": latin, **extra}, points).id

    org = store.organizations.create({"name_zh": "青岛海洋大学", "name_en": "Ocean University of Qingdao"})
    ids["org"] = org.id
    person(
        "zhang",
        "张伟",
        "Zhang Wei",
        ("+49 151 2345 6789",),
        ("zhang.wei@tum.de",),
        country="DE",
        org_id=org.id,
    )
    person("shan", "单海明")
    person("zeng", "曾敏")
    person("xie", "解静")
    person("ou", "区军")
    person("shen", "沈伟明")
    person("ouyang", "欧阳志伟")
    person("trad", "陳志華")
    person("soren", latin="Søren Kjærgaard")
    person("lukasiewicz", latin="Paweł Łukasiewicz")
    person("mueller", latin="Jonas Müller", emails=("jonas.mueller@example.de",))
    for i, (raw, country, _queries) in enumerate(SAMPLE_PHONES):
        person(f"phone{i}", latin=f"Sample Phone{i}", phones=(raw,), country=country)
    case = create_case(
        store, {"title": "工作许可办理", "beneficiary_id": ids["zhang"], "category": "work_permit"}
    )
    ids["case"] = case.id
    ids["case_number"] = case.number
    yield store, ids
    store.close()


def _case_queries(number: str) -> list[str]:
    station, year, _device, seq = number.split("-")
    return [number[:-2], f"{station}-{year}-{seq}", number.lower(), number]


RECALL = [
    ("张伟", "zhang"),
    ("張偉", "zhang"),
    ("zhangwei", "zhang"),
    ("zhang wei", "zhang"),
    ("zw", "zhang"),
    ("Wei Zhang", "zhang"),
    ("ZHANG", "zhang"),
    ("+49 151", "zhang"),
    ("0049151", "zhang"),
    ("0151 23", "zhang"),
    ("15123", "zhang"),
    ("@tum.de", "zhang"),
    ("zhang.wei@", "zhang"),
    ("mueller", "mueller"),
    ("muller", "mueller"),
    ("Müller", "mueller"),
    ("jonas m", "mueller"),
    ("单海明", "shan"),
    ("shan haiming", "shan"),
    ("shanhaiming", "shan"),
    ("dan haiming", "shan"),
    ("曾敏", "zeng"),
    ("zeng min", "zeng"),
    ("解静", "xie"),
    ("xie jing", "xie"),
    ("区军", "ou"),
    ("ou jun", "ou"),
    ("沈伟明", "shen"),
    ("shen weiming", "shen"),
    ("chen weiming", "shen"),
    ("swm", "shen"),
    ("欧阳", "ouyang"),
    ("欧阳志伟", "ouyang"),
    ("ouyang zhiwei", "ouyang"),
    ("zhiwei ouyang", "ouyang"),
    ("oyzw", "ouyang"),
    ("歐陽志偉", "ouyang"),
    ("陈志华", "trad"),
    ("陳志華", "trad"),
    ("chen zhihua", "trad"),
    ("Søren", "soren"),
    ("soren", "soren"),
    ("soeren kj", "soren"),
    ("Kjaergaard", "soren"),
    ("Łukasiewicz", "lukasiewicz"),
    ("lukasiewicz", "lukasiewicz"),
    ("Pawel", "lukasiewicz"),
    ("青岛海洋", "org"),
    ("ocean univ", "org"),
    ("qingdao", "org"),
]


@pytest.mark.parametrize(("query", "label"), RECALL)
def test_recall_top10(world: tuple[Store, dict[str, str]], query: str, label: str) -> None:
    store, ids = world
    assert ids[label] in _ids(search.search(store.conn, query, limit=10)), query


def test_sample_phones_cover_every_format_of_the_sample_files() -> None:
    def style(raw: str, country: str | None) -> str | None:
        number = phonenumbers.parse(normalize_phone(raw, country))
        parts = (str(number.country_code), phonenumbers.national_significant_number(number))
        return next((name for name, write in PHONE_STYLES.items() if write(*parts) == raw), None)

    assert {style(raw, country) for raw, country, _ in SAMPLE_PHONES} >= set(PHONE_STYLES)


@pytest.mark.parametrize(
    ("index", "query"), [(i, q) for i, (_, _, qs) in enumerate(SAMPLE_PHONES) for q in qs]
)
def test_recall_every_sample_phone_format(
    world: tuple[Store, dict[str, str]], index: int, query: str
) -> None:
    store, ids = world
    hits = search.search(store.conn, query, limit=10)
    assert ids[f"phone{index}"] in _ids(hits), query
    hit = next(h for h in hits if h.id == ids[f"phone{index}"])
    assert hit.field == "phone" and hit.span is not None and hit.matched_text == SAMPLE_PHONES[index][0]


def test_recall_case_numbers(world: tuple[Store, dict[str, str]]) -> None:
    store, ids = world
    for query in _case_queries(ids["case_number"]):
        hits = search.search(store.conn, query, limit=10)
        assert ids["case"] in _ids(hits), query
    (hit,) = search.search(store.conn, ids["case_number"], types="case", limit=1)
    assert hit.kind == "case" and hit.field == "number" and hit.span == (0, len(ids["case_number"]))
    assert hit.title.startswith(ids["case_number"]) and "张伟" in hit.subtitle
    assert ids["case"] in _ids(search.search(store.conn, "张伟", types=["case"], limit=10))  # its beneficiary


def test_hits_say_what_matched_and_where(world: tuple[Store, dict[str, str]]) -> None:
    store, ids = world
    top = search.search(store.conn, "張偉", limit=5)[0]
    assert (top.kind, top.id, top.field, top.matched_text, top.span) == (
        "contact",
        ids["zhang"],
        "native_name",
        "张伟",
        (0, 2),
    )
    assert top.title == "张伟 Zhang Wei" and "青岛海洋大学" in top.subtitle
    phone = next(h for h in search.search(store.conn, "0151 23", limit=10) if h.id == ids["zhang"])
    assert phone.field == "phone" and phone.matched_text[phone.span[0] : phone.span[1]] == "151 23"
    org = search.search(store.conn, "ocean univ", types="org", limit=1)[0]
    assert org.kind == "org" and org.field == "name_en" and org.span == (0, 10)


def test_ranking_exact_then_prefix_then_infix_names_first(world: tuple[Store, dict[str, str]]) -> None:
    store, _ = world
    hits = search.search(store.conn, "zhang", limit=50)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    hits = search.search(store.conn, "明", limit=200)
    assert all(h.field in ("native_name", "beneficiary", "alias") or h.score < 30 for h in hits)


def test_recent_activity_breaks_ties(world: tuple[Store, dict[str, str]]) -> None:
    store, _ = world
    a = create_contact(store, {"native_name": "雷霆钧"})
    b = create_contact(store, {"native_name": "雷霆钧"})
    assert _ids(search.search(store.conn, "雷霆钧", limit=2)) == [b.id, a.id]
    store.contacts.update(a.id, {"last_activity_at": "2099-01-01T00:00:00Z"})
    assert _ids(search.search(store.conn, "雷霆钧", limit=2)) == [a.id, b.id]


def test_one_character_gives_top_n_and_a_count(world: tuple[Store, dict[str, str]]) -> None:
    store, _ = world
    hits = search.search(store.conn, "张", limit=5)
    assert len(hits) == 5 and all(h.score >= 30 for h in hits)
    total = search.count(store.conn, "张")
    brute = _brute(store, sk.normalize_query("张").forms)
    assert total == len(brute) > 5


def test_user_input_is_never_query_syntax(world: tuple[Store, dict[str, str]]) -> None:
    store, _ = world
    for query in [
        '"',
        'a" OR "b',
        "zhang*",
        "NEAR(a b)",
        "%",
        "_",
        "50%",
        "'; DROP TABLE contacts; --",
        "^张",
        "names : x",
        "(",
        "-",
        "\\",
    ]:
        search.search(store.conn, query)
        search.count(store.conn, query)
    assert search.search(store.conn, "%") == [] and search.search(store.conn, "") == []


def test_type_filter_and_limit(world: tuple[Store, dict[str, str]]) -> None:
    store, _ = world
    assert {h.kind for h in search.search(store.conn, "qingdao", types="org", limit=30)} == {"org"}
    assert len(search.search(store.conn, "a", limit=3)) == 3
    with pytest.raises(ValueError):
        search.search(store.conn, "x", types="people")


def test_rebuild_gives_the_same_answers(world: tuple[Store, dict[str, str]]) -> None:
    store, _ = world
    before = {q: _ids(search.search(store.conn, q, limit=20)) for q, _ in RECALL[:12]}
    with store.transaction() as conn:
        search.rebuild(conn)
    assert before == {q: _ids(search.search(store.conn, q, limit=20)) for q, _ in RECALL[:12]}


def test_index_bulk_indexes_rows_written_by_the_bulk_path(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "bulk.db")
    rows = [
        store.contacts.validate(
            {"native_name": "柳" + "明华"[i % 2], "latin_name": f"Liu Bulk{i}"}
        ).storable()
        for i in range(50)
    ]
    with store.transaction():
        store.bulk_insert("contacts", rows)
    assert search.search(store.conn, "柳") == []
    seen: list[tuple[int, int]] = []
    search.index_bulk(store.conn, contacts=[r["id"] for r in rows], progress=lambda d, t: seen.append((d, t)))
    assert search.count(store.conn, "柳") == 50 and seen[-1] == (50, 50)
    assert len(search.search(store.conn, "liu bulk", limit=100)) == 50
    store.close()


# ---------------------------------------------------------------- never stale: index == brute force


def _brute(store: Store, forms: tuple[str, ...]) -> set[tuple[str, str]]:
    """Every live record whose normalised keys, computed afresh from the base tables, match."""
    conn = store.conn
    out: set[tuple[str, str]] = set()
    if not forms:
        return out
    orgs = {
        r[0]: {"name_zh": r[1], "name_en": r[2]}
        for r in conn.execute("SELECT id, name_zh, name_en FROM organizations WHERE deleted = 0")
    }
    people: dict[str, dict[str, Any]] = {}
    for row in conn.execute(
        "SELECT id, native_name, latin_name, aliases, title, field, tags, org_id FROM contacts "
        "WHERE deleted = 0 AND merged_into IS NULL"
    ):
        contact = dict(
            zip(
                ("id", "native_name", "latin_name", "aliases", "title", "field", "tags", "org_id"),
                row,
                strict=True,
            )
        )
        people[contact["id"]] = contact
        points = [
            {"kind": k, "raw": r, "value": v}
            for k, r, v in conn.execute(
                "SELECT kind, raw, value FROM contact_points WHERE deleted = 0 AND contact_id = ?",
                (contact["id"],),
            )
        ]
        if sk.best_match(forms, sk.contact_fields(contact, points, orgs.get(contact["org_id"]))):
            out.add(("contact", contact["id"]))
    for oid, org in orgs.items():
        if sk.best_match(forms, sk.org_fields(org)):
            out.add(("org", oid))
    for cid, number, title, ben in conn.execute(
        "SELECT id, number, title, beneficiary_id FROM cases WHERE deleted = 0"
    ):
        if sk.best_match(forms, sk.case_fields({"number": number, "title": title}, people.get(ben))):
            out.add(("case", cid))
    return out


NATIVE = st.text(st.sampled_from(list("张王单沈曾欧阳伟明華偉敏")), min_size=2, max_size=4)
LATIN = st.sampled_from(
    ["Zhang Wei", "Wei Zhang", "Jonas Müller", "Søren Kjær", "Anna Łukasiewicz", "Li Na", None]
)
PHONES = st.sampled_from(
    [
        "+49 151 2345 6789",
        "0049-151-23456789",
        "(+852) 175081954",
        "+1 213 735 2522",
        "+86 138 0013 8000",
        "+44 20 7946 0000",
    ]
)
EMAILS = st.sampled_from(["zhang.wei@tum.de", "j.mueller@tum.de", "li.na@example.cn", "soren@dtu.dk"])
ORG_NAMES = st.sampled_from(
    [("青岛大学", "Qingdao University"), ("慕尼黑工业大学", "TUM"), (None, "Maple Quantum"), ("海尔", None)]
)
QUERY_TEXT = st.text(st.sampled_from(list("张王单沈欧阳伟明華zhangweimuler@.+0149 ")), min_size=1, max_size=7)


class IndexMatchesBruteForce(RuleBasedStateMachine):
    """Random creates, updates and deletes through the store; the index must always answer exactly what a
    scan over freshly computed keys answers: no stale hits, no missing hits."""

    contacts = Bundle("contacts")
    orgs = Bundle("orgs")
    points = Bundle("points")
    cases = Bundle("cases")

    @initialize()
    def open_store(self) -> None:
        self.folder = Path(__import__("tempfile").mkdtemp(prefix="liaison-search-"))
        self.store = Store.open(self.folder / "s.db")

    def teardown(self) -> None:
        self.store.close()
        __import__("shutil").rmtree(self.folder, ignore_errors=True)

    @rule(target=orgs, names=ORG_NAMES)
    def add_org(self, names: tuple[str | None, str | None]) -> str:
        return self.store.organizations.create({"name_zh": names[0], "name_en": names[1]}).id

    @rule(org=orgs, names=ORG_NAMES)
    def rename_org(self, org: str, names: tuple[str | None, str | None]) -> None:
        if self.store.organizations.find(org):
            self.store.organizations.update(org, {"name_zh": names[0], "name_en": names[1]})

    @rule(org=consumes(orgs))
    def delete_org(self, org: str) -> None:
        if self.store.organizations.find(org):
            self.store.organizations.delete(org)

    @rule(target=contacts, native=NATIVE, latin=LATIN, phone=PHONES, email=EMAILS)
    def add_contact(self, native: str, latin: str | None, phone: str, email: str) -> str:
        return create_contact(
            self.store,
            {"native_name": native, "latin_name": latin},
            [{"kind": "phone", "raw": phone}, {"kind": "email", "raw": email}],
        ).id

    @rule(contact=contacts, native=NATIVE, latin=LATIN, title=st.sampled_from(["教授", "Professor", None]))
    def edit_contact(self, contact: str, native: str, latin: str | None, title: str | None) -> None:
        if self.store.contacts.find(contact):
            self.store.contacts.update(contact, {"native_name": native, "latin_name": latin, "title": title})

    @rule(contact=contacts, org=orgs)
    def join_org(self, contact: str, org: str) -> None:
        if self.store.contacts.find(contact):
            self.store.contacts.update(contact, {"org_id": org})

    @rule(contact=consumes(contacts))
    def delete_contact(self, contact: str) -> None:
        if self.store.contacts.find(contact):
            self.store.contacts.delete(contact)

    @rule(target=points, contact=contacts, phone=PHONES)
    def add_phone(self, contact: str, phone: str) -> str:
        if not self.store.contacts.find(contact):
            return ""
        return self.store.contact_points.create({"contact_id": contact, "kind": "phone", "raw": phone}).id

    @rule(point=consumes(points))
    def delete_point(self, point: str) -> None:
        if point and self.store.contact_points.find(point):
            self.store.contact_points.delete(point)

    @rule(target=cases, contact=contacts, title=st.sampled_from(["工作许可", "Visa help"]))
    def add_case(self, contact: str, title: str) -> str:
        if not self.store.contacts.find(contact):
            return ""
        return create_case(self.store, {"title": title, "beneficiary_id": contact, "category": "other"}).id

    @rule(case=cases, title=st.sampled_from(["住房", "Housing", "工作许可延期"]))
    def retitle_case(self, case: str, title: str) -> None:
        if case and self.store.cases.find(case):
            self.store.cases.update(case, {"title": title})

    @rule(seed=st.integers(0, 2**32), typed=QUERY_TEXT)
    def search_equals_brute_force(self, seed: int, typed: str) -> None:
        rng = random.Random(seed)
        queries = [typed]
        docs = self.store.conn.execute("SELECT fields FROM search_doc").fetchall()
        if docs:  # fragments of real keys: 1-2 character prefixes and 3+ character infixes
            fields = search.decode_fields(rng.choice(docs)[0])
            key = rng.choice(rng.choice(fields).keys)
            start = rng.randrange(len(key))
            queries += [key, key[:1], key[:2], key[start : start + rng.randint(1, 6)]]
        for query in queries:
            forms = sk.normalize_query(query).forms
            expected = _brute(self.store, forms)
            got = {(h.kind, h.id) for h in search.search(self.store.conn, query, limit=10_000)}
            assert got == expected, (query, forms, got ^ expected)
            assert search.count(self.store.conn, query) >= len(expected)


IndexMatchesBruteForce.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_index_matches_brute_force = IndexMatchesBruteForce.TestCase


def test_cli_search_and_reindex(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from liaison_tui.cli.main import cli

    db = tmp_path / "cli.db"
    store = Store.open(db)
    create_contact(
        store,
        {"native_name": "张伟", "latin_name": "Zhang Wei", "country": "DE"},
        [{"kind": "phone", "raw": "0151 2345 6789"}],
    )
    store.close()
    env = {"LIAISON_DB": str(db), "LIAISON_CONFIG": str(tmp_path / "none.toml")}
    runner = CliRunner()
    out = runner.invoke(cli, ["--lang", "en", "search", "張偉", "--json"], env=env)
    assert out.exit_code == 0, out.output
    (hit,) = json.loads(out.output)
    assert hit["kind"] == "contact" and hit["field"] == "native_name" and hit["span"] == [0, 2]
    table = runner.invoke(cli, ["--lang", "zh", "search", "+49 151", "--type", "contact"], env=env)
    assert table.exit_code == 0 and "张伟" in table.output and "联系人" in table.output
    none = runner.invoke(cli, ["--lang", "en", "search", "nobody here"], env=env)
    assert none.exit_code == 0 and "Nothing found" in none.output
    rebuilt = runner.invoke(cli, ["--lang", "en", "db", "reindex"], env=env)
    assert rebuilt.exit_code == 0 and "1 records" in rebuilt.output, rebuilt.output


def test_purge_leaves_no_word_of_an_erased_record_in_the_index(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "purge.db")
    keep = create_contact(
        store, {"latin_name": "Kept Person"}, [{"kind": "email", "raw": "kept@example.org"}]
    )
    gone = create_contact(
        store,
        {"latin_name": "Qqxyzerasedname Person"},
        [{"kind": "email", "raw": "qqxyzerasedmail@example.org"}],
    )
    store.contacts.delete(gone.id)

    def leftovers() -> bool:
        blobs = [
            r[0]
            for t in ("search_names", "search_other", "search_grams")
            for r in store.conn.execute(f"SELECT block FROM {t}_data")
        ]
        return any(b"xyzerased" in (blob or b"") for blob in blobs)

    assert search.search(store.conn, "qqxyzerased") == []
    assert leftovers()  # FTS5 only marked the words deleted
    search.purge(store.conn)
    assert not leftovers()
    assert _ids(search.search(store.conn, "kept")) == [keep.id]
    store.close()


def test_a_phone_typed_national_or_international_prefers_that_reading(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "phones.db")
    german = create_contact(
        store, {"latin_name": "Anna Berlin"}, [{"kind": "phone", "raw": "+49 157 2929 1111"}]
    )
    nanp = create_contact(store, {"latin_name": "Bob Boston"}, [{"kind": "phone", "raw": "+1 572 929 1111"}])
    # the same digits 1572929...: the German national number, and a North American E.164 number
    assert _ids(search.search(store.conn, "0157 2929")) == [german.id, nanp.id]
    assert _ids(search.search(store.conn, "+1 572 929")) == [nanp.id, german.id]
    store.close()


# ---------------------------------------------------------------- a big build computed in worker processes


def _index_content(store: Store) -> dict[str, Any]:
    """Everything the index holds: its documents and, per FTS table, every term with the documents and
    columns it occurs in (read through fts5vocab: the tables are contentless)."""
    conn = store.conn
    out: dict[str, Any] = {
        "docs": conn.execute(
            "SELECT seq, kind, ref, recency, fields FROM search_doc ORDER BY seq"
        ).fetchall(),
        "stats": conn.execute("SELECT gram, df FROM search_gram_stats ORDER BY gram").fetchall(),
    }
    for table, vocab in (("search_names", "col"), ("search_other", "col"), ("search_grams", "row")):
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_{table} USING fts5vocab(main, {table}, {vocab})"
        )
        out[table] = conn.execute(f"SELECT * FROM temp.v_{table} ORDER BY 1, 2").fetchall()
        conn.execute(f"DROP TABLE temp.v_{table}")
    return out


def test_worker_processes_build_exactly_the_index_built_here(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "workers.db", author="tester")
    demo.generate(store, contacts=400, seed=5, now=FIXED_NOW)
    create_contact(
        store,
        {"native_name": "歐陽娜娜", "latin_name": "Nana Ouyang", "aliases": ["Nana"], "tags": ["AI", "海归"]},
        [
            {"kind": "phone", "raw": "+49 151 2345 6789"},
            {"kind": "email", "raw": "n.ouyang@example.org"},
            {"kind": "wechat", "raw": "nana_ou"},
        ],
    )
    ref_index = "SELECT sql FROM sqlite_master WHERE name = 'search_doc_ref'"
    as_migrated = store.conn.execute(ref_index).fetchall()
    with store.transaction() as conn:
        search.rebuild(conn, workers=0)
    assert store.conn.execute(ref_index).fetchall() == as_migrated  # dropped for the build, then rebuilt
    here = _index_content(store)
    with store.transaction() as conn:
        search.rebuild(conn, workers=2)
    assert _index_content(store) == here
    assert len(here["docs"]) > 400 and len(here["search_names"]) > 1000
    hits = search.search(store.conn, "oyn")  # initials of the reading ou-yang na-na
    assert [h.title for h in hits][:1] == ["歐陽娜娜 Nana Ouyang"]
    # Every FTS row can be deleted with the text re-derived from the stored fields (how edits and
    # erasure remove rows from the contentless tables): afterwards the tables hold no term at all.
    with store.transaction() as conn:
        rows = [
            (seq, search._KIND_TOKEN[kind], *search.index_texts(json.loads(text)))
            for seq, kind, _ref, _recency, text in here["docs"]
        ]
        search._fts_write(conn, rows, delete=True)
    emptied = _index_content(store)
    assert emptied["search_names"] == emptied["search_other"] == emptied["search_grams"] == []
    store.close()


def test_bulk_indexing_in_workers_matches_the_live_upkeep(tmp_path: Path) -> None:
    """index_bulk with workers writes the same documents as the per-write upkeep did."""
    store = Store.open(tmp_path / "bulk-workers.db", author="tester")
    demo.generate(store, contacts=150, seed=8, now=FIXED_NOW)
    live = _index_content(store)["docs"]
    with store.transaction() as conn:
        conn.execute("DELETE FROM search_doc")
        for table in ("search_names", "search_other", "search_grams"):
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
    contacts = [r[0] for r in store.conn.execute("SELECT id FROM contacts")]
    orgs = [r[0] for r in store.conn.execute("SELECT id FROM organizations")]
    cases = [r[0] for r in store.conn.execute("SELECT id FROM cases")]
    search.index_bulk(store.conn, contacts=contacts, orgs=orgs, cases=cases, workers=2)
    rebuilt = _index_content(store)["docs"]
    assert sorted(d[1:] for d in rebuilt) == sorted(d[1:] for d in live)
    store.close()


def test_an_indexer_in_workers_indexes_each_batch_as_the_job_writes_it(tmp_path: Path) -> None:
    """The import's way: batches of contacts (with their points and organization) written and handed to the
    indexer one after another in one transaction; the result is the index a rebuild makes of them."""
    store = Store.open(tmp_path / "indexer.db", author="tester")
    org = store.organizations.validate({"name_zh": "青岛海洋大学", "kind": "university"}).storable()
    people = [
        store.contacts.validate(
            {"native_name": f"欧阳{'娜明华'[i % 3]}", "latin_name": f"Ouyang Batch{i}", "org_id": org["id"]}
        ).storable()
        for i in range(230)
    ]
    with store.transaction(), search.Indexer(store.conn, len(people) + 1, workers=2) as indexer:
        store.bulk_insert("organizations", [org])
        indexer.add("org", [org["id"]])
        for start in range(0, len(people), 70):
            batch = people[start : start + 70]
            store.bulk_insert("contacts", batch)
            store.bulk_insert(
                "contact_points",
                [
                    {
                        "id": f"p{start + i}",
                        "contact_id": p["id"],
                        "kind": "phone",
                        "raw": f"+49 151 {start + i:08d}",
                        "value": f"+49151{start + i:08d}",
                        "label": None,
                        "is_primary": True,
                    }
                    for i, p in enumerate(batch)
                ],
            )
            indexer.add("contact", [p["id"] for p in batch])
        indexer.finish()
    as_written = _index_content(store)
    assert search.count(store.conn, "oyn") == len(range(0, 230, 3))  # 欧阳娜: every third, from the first
    assert [h.id for h in search.search(store.conn, "15100000142")] == [people[142]["id"]]
    assert len(search.search(store.conn, "海洋大学", limit=300)) == 231  # the organization and its people
    with store.transaction() as conn:
        search.rebuild(conn, workers=0)
    rebuilt = _index_content(store)
    assert [d[1:] for d in as_written["docs"]] == [d[1:] for d in rebuilt["docs"]]
    for table in ("search_names", "search_other", "search_grams"):
        assert as_written[table] == rebuilt[table]
    store.close()
