"""Exports: CSV with BOM, XLSX, vCard; headers in the user's language; export -> import creates no one twice."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from liaison_tui.domain.enums import CaseCategory
from liaison_tui.domain.errors import LiaisonError
from liaison_tui.importer.export import export
from liaison_tui.importer.readers import read_file
from liaison_tui.store import Store
from liaison_tui.store.services import create_case, create_contact

from .importing import import_file, plan_bytes
from .samples import GBK_CSV, VCARD


@pytest.fixture
def filled(store: Store, samples: Path) -> Store:
    for name in (GBK_CSV, VCARD):
        import_file(store, samples / name)
    # a contact with no email, phone or WeChat: only the Liaison ID column can find it again
    create_contact(store, {"native_name": "李娜", "country": "DE", "notes": "=1+1 looks like a formula"}, [])
    return store


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "vcard"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_round_trip_creates_no_duplicates(filled: Store, tmp_path: Path, fmt: str, lang: str) -> None:
    path = tmp_path / f"contacts.{'vcf' if fmt == 'vcard' else fmt}"
    count = export(filled, "contacts", fmt, path, lang=lang)
    assert count == filled.contacts.count()
    plan = plan_bytes(filled, path.read_bytes(), path.name)
    counts = plan.counts
    if fmt == "vcard":  # vCards carry no Liaison ID: the contact without email/phone comes back as new
        assert counts["create"] == 1 and counts["unchanged"] == count - 1
    else:
        assert counts["create"] == 0 and counts["update"] == 0 and counts["failed"] == 0
        assert counts["unchanged"] == count


def test_csv_has_bom_and_headers_in_the_users_language(filled: Store, tmp_path: Path) -> None:
    zh, en = tmp_path / "zh.csv", tmp_path / "en.csv"
    export(filled, "contacts", "csv", zh, lang="zh")
    export(filled, "contacts", "csv", en, lang="en")
    assert zh.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(zh, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["Liaison 编号", "姓名", "英文名"]
    li = next(r for r in rows if r[1] == "李娜")
    assert li[rows[0].index("现居国家")] == "德国" and li[rows[0].index("备注")].startswith("'=")
    phones = [r[rows[0].index("手机")] for r in rows[1:] if r[rows[0].index("手机")]]
    assert phones and all(p.startswith("00") for p in phones)  # never "+..." (Excel would run a formula)
    assert read_file(en).headers[:3] == ["Liaison ID", "Native name", "Latin name"]


def test_xlsx_and_cases(filled: Store, tmp_path: Path) -> None:
    someone = filled.contacts.list(limit=1).items[0]
    create_case(
        filled, {"title": "Work permit renewal", "beneficiary_id": someone.id, "category": "work_permit"}
    )
    path = tmp_path / "cases.xlsx"
    assert export(filled, "cases", "xlsx", path, lang="zh") == 1
    table = read_file(path)
    assert table.headers[:5] == ["事项编号", "标题", "类别", "优先级", "状态"]
    assert table.rows[0].values["类别"] == CaseCategory.WORK_PERMIT.label("zh")
    with pytest.raises(LiaisonError):
        export(filled, "cases", "vcard", tmp_path / "cases.vcf")


def test_a_failed_export_leaves_no_file(filled: Store, tmp_path: Path) -> None:
    with pytest.raises(LiaisonError):
        export(filled, "contacts", "csv", tmp_path / "missing-dir" / "x.csv")
    assert not (tmp_path / "missing-dir").exists()
