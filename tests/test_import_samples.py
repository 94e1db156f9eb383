"""Importing the sample files (tests/samples.py): counts, normalised fields, re-import, broken files, cancel."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from liaison_tui.domain.errors import LiaisonError
from liaison_tui.importer.apply import apply_import
from liaison_tui.importer.mapping import Mapping
from liaison_tui.importer.plan import ImportCancelled, plan_import
from liaison_tui.importer.readers import read_file
from liaison_tui.importer.saved_mappings import adapt, load_mapping, save_mapping
from liaison_tui.store import Store

from .importing import import_file, plan_bytes, snapshot
from .samples import BROKEN, GBK_CSV, GOOD, VCARD, XLSX, distinct_people, expected, sample_bytes


def _contact_by_email(store: Store, email: str) -> dict:
    row = store.conn.execute(
        "SELECT contact_id FROM contact_points WHERE kind = 'email' AND value = ? AND deleted = 0", (email,)
    ).fetchone()
    assert row, email
    contact = store.row("contacts", row[0])
    assert contact is not None
    points = store.conn.execute(
        "SELECT kind, raw, value, is_primary FROM contact_points WHERE contact_id = ? AND deleted = 0",
        (row[0],),
    ).fetchall()
    return {**contact, "points": points}


@pytest.mark.parametrize("name", GOOD)
def test_each_sample_imports_with_counts(store: Store, samples: Path, name: str) -> None:
    # every distinct person is created once, their further rows combined; rows with an undialable number
    # (Singapore numbers with a ninth digit) are reported per row
    want = expected(name)
    created, failed = want.created, want.failed
    _plan, result = import_file(store, samples / name)
    counts = result.counts
    assert (counts["create"], counts["duplicate"], counts["failed"]) == (created, want.duplicates, failed)
    assert counts["update"] == 0 and counts["unchanged"] == 0
    assert store.contacts.count() == created
    # every failed row is reported with its row number and a reason naming the field
    failures = [r for r in result.rows if r.action == "failed"]
    assert len(failures) == failed
    assert all(r.number >= 2 and "Phone" in r.describe("en") and "手机" in r.describe("zh") for r in failures)
    # one change-log "create" per new contact, and the batch is recorded
    logged = store.conn.execute(
        "SELECT count(*) FROM change_log WHERE tbl = 'contacts' AND op = 'create'"
    ).fetchone()
    assert logged[0] == created
    assert store.conn.execute("SELECT count(*) FROM import_batches").fetchone()[0] == 1


def test_gbk_csv_fields(store: Store, samples: Path) -> None:
    import_file(store, samples / GBK_CSV)
    sun = _contact_by_email(store, "user57@example.com")
    assert (
        sun["native_name"] == "孙超" and sun["country"] == "TW" and json.loads(sun["nationalities"]) == ["TW"]
    )
    assert ("phone", "(+886) 155244456", "+886155244456", 1) in sun["points"]
    assert sun["source"] == "alliance_referral" and sun["source_detail"] == "海外引才联盟推荐"
    assert json.loads(sun["industry_chains"]) == ["integrated_circuits"]
    # the upper-case repeat of row 5 collapsed into it, with its WeChat id
    lukas = _contact_by_email(store, "lukas.stergaard19@example.com")
    assert lukas["native_name"] is None and lukas["latin_name"] == "Lukas Østergaard"
    assert {p[0] for p in lukas["points"]} == {"email", "phone", "wechat"}
    # the row with the quoted multi-line note has a 9-digit Singapore number: refused, with its reason
    failed = next(r for r in plan_rows(store, GBK_CSV) if r.number == 6)
    assert failed.action == "failed" and "0065-826447447" in failed.describe("en")
    liu = _contact_by_email(store, "user18@example.de")
    assert liu["country"] == "HK" and liu["points"][0][2] == "+852527911989"
    org = store.row("organizations", liu["org_id"])
    assert org["name_en"] == "ETH Zürich" and org["kind"] == "university"


def plan_rows(store: Store, name: str) -> list:
    return plan_bytes(store, sample_bytes(name), name).rows


def test_xlsx_title_row_and_normalised_duplicates(store: Store, samples: Path) -> None:
    table = read_file(samples / XLSX)
    assert table.header_row == 2 and table.headers[0] == "姓名"
    import_file(store, samples / XLSX)
    liang = _contact_by_email(store, "user2@example.com")  # written USER2@EXAMPLE.COM in the sheet
    assert liang["native_name"] == "梁文博" and liang["country"] == "SE"
    assert next(p for p in liang["points"] if p[0] == "phone")[2] == "+46899139441"


def test_vcard_names(store: Store, samples: Path) -> None:
    import_file(store, samples / VCARD)
    assert _contact_by_email(store, "user28@example.de")["native_name"] == "宋天佑"
    assert _contact_by_email(store, "zoe.muller11@example.org")["latin_name"] == "Zoë Müller"


def test_reimport_and_cross_file_overlap_create_nothing_new(store: Store, samples: Path) -> None:
    for name in GOOD:
        import_file(store, samples / name)
    total = store.contacts.count()
    # people in two files were updated, not doubled: one contact per person
    assert total == distinct_people() < sum(expected(name).created for name in GOOD)
    for name in GOOD:
        plan = plan_bytes(store, sample_bytes(name), name)
        assert plan.counts["create"] == 0 and plan.counts["update"] == 0, (name, plan.counts)
        assert plan.previous_imports, "the preview says the file was imported before"
    assert store.contacts.count() == total


def test_update_fills_empty_fields_and_adds_points(store: Store, samples: Path) -> None:
    existing = store.contacts.create({"native_name": "梁文博", "title": "Visiting scholar"})
    store.contact_points.create({"contact_id": existing.id, "kind": "email", "raw": "user2@example.com"})
    _plan, result = import_file(store, samples / XLSX)
    row = next(r for r in result.rows if r.contact_id == existing.id and r.action == "update")
    assert "+phone" in row.fills and "title" not in row.fills
    after = store.contacts.get(existing.id)
    assert after.title == "Visiting scholar" and after.country == "SE"  # kept, and filled
    history = {h["field"] for h in store.history("contacts", existing.id)}
    assert "country" in history and "title" not in history


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_are_refused_and_the_store_is_untouched(store: Store, samples: Path, name: str) -> None:
    import_file(store, samples / VCARD)
    before = snapshot(store)
    with pytest.raises(LiaisonError) as caught:
        import_file(store, samples / name)
    assert caught.value.key == BROKEN[name]
    assert len(caught.value.message("zh")) > 10 and caught.value.message("en") != caught.value.key
    assert snapshot(store) == before


def test_cancel_during_apply_leaves_nothing(store: Store, samples: Path) -> None:
    import_file(store, samples / VCARD)
    before = snapshot(store)
    table = read_file(samples / GBK_CSV)
    plan = plan_import(store, table, Mapping.guess("x", table.headers))
    stop = threading.Event()

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "write":
            stop.set()  # the user pressed Cancel while contacts were being written

    with pytest.raises(ImportCancelled):
        apply_import(store, plan, progress=progress, cancel=stop.is_set)
    assert snapshot(store) == before


def test_strict_refuses_a_file_with_failed_rows(store: Store) -> None:
    before = snapshot(store)
    plan = plan_bytes(store, sample_bytes(VCARD), VCARD)
    with pytest.raises(LiaisonError) as caught:
        apply_import(store, plan, strict=True)
    assert "row 3" in caught.value.message("en")
    assert snapshot(store) == before


def test_saved_mapping_round_trip(store: Store, samples: Path) -> None:
    table = read_file(samples / XLSX)
    mapping = Mapping.guess("峰会报名表", table.headers)
    edited = Mapping.model_validate(
        {"name": mapping.name, "columns": {**mapping.columns, "登记日期": "notes"}}
    )
    save_mapping(store, edited)
    loaded = adapt(load_mapping(store, "峰会报名表"), [*table.headers, "新列 Email"])
    assert loaded.columns["登记日期"] == "notes" and loaded.columns["新列 Email"] == "emails"
    with pytest.raises(LiaisonError):
        load_mapping(store, "nope")


def test_search_finds_imported_contacts(store: Store, samples: Path) -> None:
    search = pytest.importorskip("liaison_tui.store.search")
    import_file(store, samples / GBK_CSV)
    hits = search.search(store.conn, "孙超")
    assert hits and hits[0].title.startswith("孙超")
    assert search.search(store.conn, "155244456")


def test_cli_import_dry_run_then_yes(tmp_path: Path, samples: Path) -> None:
    from .test_cli import run

    db = tmp_path / "cli.db"
    created = expected(XLSX).created
    dry = run(db, "import", str(samples / XLSX), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["counts"]["create"] == created
    done = run(db, "import", str(samples / XLSX), "--yes", "--save-mapping", "summit", lang="zh")
    assert done.returncode == 0, done.stderr
    assert f"新建 {created} 人" in done.stdout
    bad = run(db, "import", str(samples / "ragged.csv"), "--yes")
    assert bad.returncode == 1 and "row 4" in bad.stderr and "Traceback" not in bad.stderr
