"""Pilot drives the data screens on real SQLite files: import a sample through the import screen, a broken
file refused with the reader's message, the duplicates list and a merge, and a CSV export."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from liaison_tui.domain.i18n import set_lang
from liaison_tui.store import Store
from liaison_tui.store.crypto import connect_file
from liaison_tui.store.services import create_case, create_contact, log_activity
from liaison_tui.tui.screens.contact import ContactScreen
from liaison_tui.tui.screens.dialogs import ChoiceDialog
from liaison_tui.tui.screens.duplicates import DuplicatesScreen
from liaison_tui.tui.screens.export_screen import ExportDialog
from liaison_tui.tui.screens.import_screen import ImportScreen
from liaison_tui.tui.screens.merge import MergeScreen
from liaison_tui.tui.testing import copy_store, make_app, settle

from .conftest import dump_text, rows
from .samples import BOM_CSV, GBK_CSV, VCARD

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


@pytest.fixture
def db(small_demo_source: Path, tmp_path: Path) -> Iterator[Path]:
    yield copy_store(small_demo_source, tmp_path / "t.db")
    set_lang("en")


def plain(renderable: object, width: int = 120) -> str:
    """What a Rich renderable shows, as text."""
    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def digest(db: Path) -> str:
    conn = connect_file(db)
    try:
        return hashlib.sha256(dump_text(conn).encode()).hexdigest()
    finally:
        conn.close()


async def open_import(pilot, path: Path) -> ImportScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("I")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    screen.query_one("#import-path").value = str(path)
    await pilot.press("enter")
    await settle(pilot)
    return screen


async def test_import_a_gbk_csv_through_the_screen(db: Path, samples: Path) -> None:
    before = rows(db, "SELECT count(*) FROM contacts")[0][0]
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, samples / GBK_CSV)
        assert screen.error is None and screen.file is not None
        info = str(screen.query_one("#import-file-info").render())
        assert "gb18030" in info and "header on row 1" in info
        assert screen.columns["姓名"] == "native_name" and screen.columns["手机"] == "phones"
        # change a column's target through its Select, then save the mapping by name
        notes = next(s for s in screen.query(".import-column Select") if s.header == "备注")  # type: ignore[attr-defined]
        notes.value = "ignore"
        await settle(pilot)
        assert screen.columns["备注"] == "ignore"
        screen.query_one("#import-mapping-name").value = "峰会报名表"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(db, "SELECT name FROM import_mappings") == [("峰会报名表",)]
        await pilot.press("ctrl+r")
        await settle(pilot)
        plan = screen.plan
        assert plan is not None and plan.counts["create"] > 0
        counts = str(screen.query_one("#import-counts").render())
        assert f"{plan.counts['create']} new" in counts and f"{plan.counts['failed']} failed" in counts
        if plan.counts["failed"]:  # failing rows are listed with their number and reason
            listed = screen.query_one("#import-rows")
            first = listed.get_row_at(0)
            failed = next(r for r in plan.rows if r.action == "failed")
            assert first[0] == str(failed.number)
        created = plan.counts["create"]
        await pilot.press("ctrl+g")  # asks first
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog) and screen.result is None
        await pilot.press("1")  # import now
        await settle(pilot)
        assert screen.result is not None and screen.result.counts["create"] == created
        assert "Imported:" in str(screen.query_one("#import-counts").render())
        # the rows that failed are still listed after the import, to be fixed in the file
        listed = screen.query_one("#import-rows")
        failed = [r.number for r in plan.rows if r.action == "failed"]
        assert [int(listed.get_row_at(i)[0]) for i in range(listed.row_count)] == failed
        assert screen.failed_after == failed
    after = rows(db, "SELECT count(*) FROM contacts")[0][0]
    assert after == before + created
    new_names = {r[0] for r in rows(db, "SELECT native_name FROM contacts ORDER BY id DESC LIMIT ?", created)}
    assert any(name and any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in new_names)
    assert rows(db, "SELECT count(*) FROM import_batches")[0][0] == 1


async def test_broken_file_shows_the_message_and_writes_nothing(db: Path, samples: Path) -> None:
    before = digest(db)
    app = make_app(db, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, samples / "binary_garbage.csv")
        assert screen.file is None and screen.error is not None
        assert "不是联系人表格" in screen.error  # the reader's own message, in the UI language
        assert "Traceback" not in str(screen.query_one("#import-file-info").render())
        await pilot.press("ctrl+g")  # nothing to import
        await settle(pilot)
    assert digest(db) == before


async def test_cancelled_import_writes_nothing(db: Path, samples: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, samples / BOM_CSV)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.plan is not None
        before = digest(db)
        screen.job.cancel.set()  # as if Esc landed the moment the write began
        screen._confirmed("yes")
        screen.job.cancel.set()
        await settle(pilot)
        assert screen.result is None and screen.error and "nothing was written" in screen.error
    assert digest(db) == before


def seed_pair(db: Path) -> tuple[str, str]:
    """Two records of one person (same email), the second with a case, a follow-up and an activity."""
    with Store.open(db, author="tester") as store:
        keep = create_contact(
            store,
            {"native_name": "欧阳娜娜", "country": "DE"},
            [{"kind": "email", "raw": "nana.ouyang@example.org"}],
        )
        other = create_contact(
            store,
            {"latin_name": "Nana Ouyang", "country": "DE", "title": "Professor"},
            [
                {"kind": "email", "raw": "Nana.Ouyang@example.org"},
                {"kind": "phone", "raw": "+49 151 98765432"},
            ],
        )
        create_case(store, {"category": "work_permit", "title": "Work permit", "beneficiary_id": other.id})
        store.followups.create(
            {"title": "Call back", "contact_id": other.id, "due_at": "2026-03-12T01:00:00Z"}
        )
        log_activity(store, "note", "Met at the summit", contact_id=other.id)
        return keep.id, other.id


async def test_duplicates_list_and_merge_through_the_screens(db: Path) -> None:
    keep, other = seed_pair(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DuplicatesScreen) and screen.scan is not None
        keys = [p.keep + ":" + p.other for p in screen.scan.pairs]
        assert f"{keep}:{other}" in keys
        pair = next(p for p in screen.scan.pairs if (p.keep, p.other) == (keep, other))
        assert "email" in {r.kind for r in pair.reasons}
        table = screen.query_one("#dup-table")
        table.move_cursor(row=keys.index(f"{keep}:{other}"))
        await pilot.press("enter")
        await settle(pilot)
        merge = app.screen
        assert isinstance(merge, MergeScreen) and merge.preview is not None
        assert merge.preview.moves["cases"] == 1 and merge.preview.moves["followups"] == 1
        fields = merge.query_one("#merge-fields")
        names = [fields.rows[i].key for i in range(fields.row_count)]
        fields.move_cursor(row=names.index("latin_name"))
        await pilot.press("1")  # keep the left (empty) Latin name
        await settle(pilot)
        assert merge.choose == {"latin_name": "keep"}
        fields.move_cursor(row=names.index("title"))
        await pilot.press("right")  # take the right title
        await settle(pilot)
        assert merge.choose["title"] == "other"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("1")  # confirm
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen) and app.screen.contact_id == keep
    assert rows(db, "SELECT merged_into, deleted FROM contacts WHERE id = ?", other) == [(keep, 1)]
    assert rows(db, "SELECT title, latin_name FROM contacts WHERE id = ?", keep) == [("Professor", None)]
    assert rows(db, "SELECT count(*) FROM cases WHERE beneficiary_id = ?", keep)[0][0] == 1
    assert rows(db, "SELECT count(*) FROM followups WHERE contact_id = ?", keep)[0][0] == 1
    assert (
        rows(
            db, "SELECT count(*) FROM activities WHERE contact_id = ? AND summary = 'Met at the summit'", keep
        )[0][0]
        == 1
    )
    phones = rows(
        db,
        "SELECT count(*) FROM contact_points WHERE contact_id = ? AND kind = 'phone' AND deleted = 0",
        keep,
    )
    assert phones[0][0] == 1
    for table, column in (
        ("cases", "beneficiary_id"),
        ("followups", "contact_id"),
        ("activities", "contact_id"),
        ("contact_points", "contact_id"),
    ):
        assert rows(db, f"SELECT count(*) FROM {table} WHERE {column} = ? AND deleted = 0", other)[0][0] == 0


async def test_dismiss_a_pair(db: Path) -> None:
    keep, other = seed_pair(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        screen = app.screen
        keys = [p.keep + ":" + p.other for p in screen.scan.pairs]
        screen.query_one("#dup-table").move_cursor(row=keys.index(f"{keep}:{other}"))
        await pilot.press("d")
        await settle(pilot)
        assert f"{keep}:{other}" not in [p.keep + ":" + p.other for p in screen.scan.pairs]
    assert rows(db, "SELECT count(*) FROM dedupe_dismissed")[0][0] == 1


async def test_export_contacts_to_csv_through_the_dialog(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "contacts.csv"
    target.parent.mkdir()
    live = rows(db, "SELECT count(*) FROM contacts WHERE deleted = 0 AND merged_into IS NULL")[0][0]
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert len(data.decode("utf-8-sig").strip().splitlines()) >= live + 1
    assert not list(target.parent.glob(".*.part"))


async def test_export_everything_about_a_person_from_the_contact_screen(db: Path, tmp_path: Path) -> None:
    contact_id = rows(db, "SELECT id FROM contacts WHERE deleted = 0 ORDER BY id LIMIT 1")[0][0]
    folder = tmp_path / "access"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_contact(contact_id)
        await settle(pilot)
        await pilot.press("X")
        await settle(pilot)
        app.screen.query_one("#person-folder").value = str(folder)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
    assert (folder / f"person-{contact_id}.json").exists() and (folder / f"person-{contact_id}.md").exists()


def seed_namesakes(db: Path) -> tuple[str, str]:
    """Two Oliver Evanses in Britain with the same email, at different organizations."""
    with Store.open(db, author="tester") as store:
        org = store.organizations.create({"name_en": "Kestrel AI Ltd.", "kind": "enterprise"})
        owner = store.conn.execute("SELECT id FROM staff ORDER BY username LIMIT 1").fetchone()[0]
        common = {"latin_name": "Oliver Evans", "country": "GB", "nationalities": ["GB"]}
        keep = create_contact(
            store,
            {
                **common,
                "gender": "female",
                "languages": ["en"],
                "industry_chains": ["ai", "new_materials"],
                "org_id": org.id,
                "owner_id": owner,
            },
            [{"kind": "email", "raw": "oevans@example.org"}],
        )
        other = create_contact(store, common, [{"kind": "email", "raw": "OEvans@example.org"}])
        return keep.id, other.id


async def test_merge_screen_shows_labels_and_names_not_codes_or_ids(db: Path) -> None:
    keep, other = seed_namesakes(db)
    org_id, owner_id = rows(db, "SELECT org_id, owner_id FROM contacts WHERE id = ?", keep)[0]
    owner = rows(db, "SELECT display_name FROM staff WHERE id = ?", owner_id)[0][0]
    for lang, expected in (
        ("en", ["Female", "United Kingdom", "English", "Artificial intelligence, New…", owner]),
        ("zh", ["女", "英国", "英语", "人工智能、新材料", owner]),
    ):
        app = make_app(db, lang=lang)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.push_screen(MergeScreen(keep, other))
            await settle(pilot)
            table = app.screen.query_one("#merge-fields")
            left = {table.rows[i].key: str(table.get_row_at(i)[1]) for i in range(table.row_count)}
            shown = [left[f] for f in ("gender", "nationalities", "languages", "industry_chains", "owner_id")]
            assert shown == expected
            assert left["org_id"] == "Kestrel AI Ltd."
            assert org_id not in " ".join(left.values()) and owner_id not in " ".join(left.values())


async def test_duplicates_tell_namesakes_apart(db: Path) -> None:
    keep, other = seed_namesakes(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DuplicatesScreen) and screen.scan is not None
        keys = [p.keep + ":" + p.other for p in screen.scan.pairs]
        table = screen.query_one("#dup-table")
        table.move_cursor(row=keys.index(f"{keep}:{other}"))
        await settle(pilot)
        left, right, _ = (str(c) for c in table.get_row_at(table.cursor_row))
        assert left.startswith("Oliver Evans · Kestrel AI") and right == "Oliver Evans"
        detail = plain(screen.query_one("#dup-detail").content)
        assert "Kestrel AI Ltd." in detail and "United Kingdom" in detail and "oevans@example.org" in detail


async def test_import_screen_names_fields_lists_matching_files_and_counts_one_right(
    db: Path, tmp_path: Path, samples: Path
) -> None:
    import shutil

    from liaison_tui.tui.screens.import_screen import counts_text, describe
    from liaison_tui.tui.screens.path_input import PathSuggester

    for name in ("summit_guests.xlsx", "summit_guests_excel_gbk.csv"):
        shutil.copy(samples / name, tmp_path / name)
    suggester = PathSuggester((".csv", ".xlsx"))
    typed = f"{tmp_path}/sum"
    assert suggester.candidates(typed) == ["summit_guests.xlsx", "summit_guests_excel_gbk.csv"]
    assert suggester._complete(typed) == f"{tmp_path}/summit_guests"  # what they share, not one of them
    assert suggester._complete(f"{tmp_path}/summit_guests.") == f"{tmp_path}/summit_guests.xlsx"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        await pilot.press(*typed)
        await settle(pilot)
        assert screen.candidates == ["summit_guests.xlsx", "summit_guests_excel_gbk.csv"]
        assert "2 match" in str(screen.query_one("#import-file-info").render())
    assert "1 looks like an existing contact" in counts_text({"suspect": 1})
    assert "1 update" in counts_text({"update": 1}) and "2 look like" in counts_text({"suspect": 2})

    class Row:
        action, fills, suspects, same_as, error = "update", ["native_name", "org", "+phone"], [], None, None

    assert describe(Row, "en") == "updates an existing contact (Native name, Organization, +Phone)"
    assert describe(Row, "zh") == "更新已有联系人（姓名、所在机构、+电话）"


async def test_vcard_preview_does_not_speak_of_a_header_row(db: Path, samples: Path) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, samples / VCARD)
        info = str(screen.query_one("#import-file-info").render())
        assert "vCard" in info and "header" not in info
