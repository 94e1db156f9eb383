"""Hostile and oversized files are refused whole, quickly and in bounded memory, with one clear line naming
the limit (and the row); nothing is written. The files are made here: small in bytes, big when expanded."""

from __future__ import annotations

import contextlib
import io
import tracemalloc
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from liaison_tui.cli.main import main as cli_main
from liaison_tui.domain.errors import LiaisonError
from liaison_tui.domain.i18n import set_lang
from liaison_tui.importer.readers import DEFAULT_LIMITS, Limits, TooLarge, read_bytes, read_file
from liaison_tui.store import Store

_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": _HEAD
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>",
    "_rels/.rels": _HEAD
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": _HEAD
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
}


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _xlsx(rows: Iterator[str], shared: Iterable[str] = ()) -> bytes:
    """A minimal workbook whose sheet (and text table) are streamed into the archive piece by piece, so
    a file that unpacks to hundreds of megabytes never exists unpacked here either."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            pending: list[str] = []
            for row in rows:
                pending.append(row)
                if len(pending) >= 5000:
                    sheet.write("".join(pending).encode())
                    pending = []
            sheet.write(("".join(pending) + "</sheetData></worksheet>").encode())
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(f'{_HEAD}<sst xmlns="{_MAIN}">'.encode())
            for piece in shared:
                strings.write(piece.encode())
            strings.write(b"</sst>")
    return buffer.getvalue()


def _guest_rows(count: int) -> Iterator[str]:
    yield f'<row r="1">{_cell("A1", "姓名")}{_cell("B1", "邮箱")}</row>'
    for n in range(2, count + 2):
        yield f'<row r="{n}">{_cell(f"A{n}", "测试")}{_cell(f"B{n}", f"u{n}@example.org")}</row>'


def _refusal(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> TooLarge:
    with pytest.raises(TooLarge) as refused:
        read_bytes(data, name, limits)
    for lang in ("en", "zh"):
        message = refused.value.message(lang)
        assert "\n" not in message and "{" not in message, message
    return refused.value


def _peak_mb(fn: object) -> float:
    tracemalloc.start()
    with contextlib.suppress(LiaisonError):
        fn()  # type: ignore[operator]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


# ---------------------------------------------------------------------------------------------- rows


def test_a_csv_past_the_default_row_limit_is_refused_naming_the_limit_and_the_row() -> None:
    rows = DEFAULT_LIMITS.max_rows
    data = ("姓名,邮箱\n" + "测试,t@example.org\n" * (rows + 1)).encode()
    refused = _refusal(data, "big.csv")
    assert refused.key == "import.err.too_many_rows"
    assert refused.params == {"limit": rows, "row": rows + 2}  # the header is row 1
    assert "200000" in refused.message("en") and "第 200002 行" in refused.message("zh")
    exactly = ("姓名,邮箱\n" + "测试,t@example.org\n" * rows).encode()
    assert len(read_bytes(exactly, "ok.csv").rows) == rows


def test_a_workbook_of_a_million_rows_is_refused_while_streaming_in_bounded_memory() -> None:
    data = _xlsx(_guest_rows(1_000_000))
    assert len(data) < 12_000_000  # a few megabytes that unpack to ~80 MB of sheet
    limits = Limits(max_rows=2000)
    refused = _refusal(data, "million.xlsx", limits)
    assert refused.key == "import.err.too_many_rows" and refused.params["row"] == 2002
    assert _peak_mb(lambda: read_bytes(data, "million.xlsx", limits)) < 150  # a generous guard


def test_blank_lines_past_the_limit_do_not_count_but_data_after_them_does() -> None:
    limits = Limits(max_rows=5)
    blank_tail = ("姓名\n" + "某人\n" * 5 + "\n" * 100_000).encode()
    assert len(read_bytes(blank_tail, "tail.csv", limits).rows) == 5
    refused = _refusal(blank_tail + "又一人\n".encode(), "tail.csv", limits)
    assert refused.params == {"limit": 5, "row": 100_007}


def test_a_text_file_of_many_lines_is_refused_at_the_row_limit() -> None:
    line = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n"
    refused = _refusal((line * 300_000).encode(), "notes.csv")  # 23 MB of prose
    assert refused.key == "import.err.too_many_rows"


def test_a_vcard_file_with_more_cards_than_the_limit() -> None:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:测试\r\nEND:VCARD\r\n"
    refused = _refusal((card * 11).encode(), "phone.vcf", Limits(max_rows=10))
    assert refused.params == {"limit": 10, "row": 11}


# --------------------------------------------------------------------------------------------- cells


def test_a_csv_cell_over_the_limit_names_row_and_column() -> None:
    note = "x" * (DEFAULT_LIMITS.max_cell_chars + 1)
    refused = _refusal(
        f"姓名,邮箱,备注\n张伟,z@example.org,ok\n李娜,l@example.org,{note}\n".encode(), "x.csv"
    )
    assert refused.key == "import.err.cell_too_long"
    assert refused.params == {"row": 3, "column": "C", "length": 10_001, "limit": 10_000}
    assert refused.message("zh").startswith("第 3 行第 C 列")


def test_a_workbook_cell_just_over_the_limit_names_row_and_column() -> None:
    long = "长" * (DEFAULT_LIMITS.max_cell_chars + 1)
    rows = iter([f'<row r="1">{_cell("A1", "姓名")}</row>', f'<row r="2">{_cell("A2", "张伟")}</row>',
                 f'<row r="3">{_cell("A3", long)}</row>'])  # fmt: skip
    refused = _refusal(_xlsx(rows), "long.xlsx")
    assert refused.key == "import.err.cell_too_long" and refused.params["row"] == 3


def test_a_workbook_with_a_huge_inline_cell_is_refused_before_it_is_built() -> None:
    huge = (piece for piece in ["<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>"] + ["A" * 1_000_000] * 30
            + ["</t></is></c></row>"])  # fmt: skip
    data = _xlsx(huge)
    assert len(data) < 1_000_000  # under a megabyte that holds a 30 MB cell
    refused = _refusal(data, "bomb.xlsx")
    assert refused.key == "import.err.xlsx_long_cell"
    assert _peak_mb(lambda: read_bytes(data, "bomb.xlsx")) < 60


def test_a_200_mb_text_table_is_refused_by_its_declared_size() -> None:
    shared = ["<si><t>", *["A" * 4_000_000] * 50, "</t></si>"]
    data = _xlsx(_guest_rows(3), shared)
    assert len(data) < 2_000_000
    refused = _refusal(data, "strings.xlsx")
    assert refused.key == "import.err.xlsx_unpacked" and refused.params["part"] == "xl/sharedStrings.xml"
    assert _peak_mb(lambda: read_bytes(data, "strings.xlsx")) < 30


def test_a_workbook_unpacking_past_the_total_limit() -> None:
    data = _xlsx(_guest_rows(20_000))
    refused = _refusal(data, "big.xlsx", Limits(max_unpacked_bytes=1_000_000))
    assert refused.key == "import.err.xlsx_unpacked"
    assert len(read_bytes(data, "big.xlsx").rows) == 20_000  # the same file within the default limits


def test_too_many_columns() -> None:
    header = ",".join(f"c{i}" for i in range(DEFAULT_LIMITS.max_columns + 1))
    refused = _refusal(f"姓名,{header}\n".encode(), "wide.csv")
    assert refused.key == "import.err.too_many_columns" and refused.params["row"] == 1


# ------------------------------------------------------------------------------------- file size, CLI


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"Name\n" + b"x\n" * 600_000)
    with pytest.raises(TooLarge) as refused:
        read_file(path, Limits(max_file_bytes=1024 * 1024))
    assert refused.value.key == "import.err.too_big" and refused.value.params["limit"] == "1.0"


def test_the_cli_refuses_in_one_line_with_the_configured_limit_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LIAISON_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("LIAISON_IMPORT_MAX_ROWS", "3")
    path = tmp_path / "guests.csv"
    path.write_text(
        "姓名,邮箱\n" + "".join(f"测试{i},t{i}@example.org\n" for i in range(4)), encoding="utf-8"
    )
    db = tmp_path / "cli.db"
    for lang, expected in (("en", "more than 3 rows of data (row 5"), ("zh", "超过 3 行（第 5 行")):
        with pytest.raises(SystemExit) as exited:
            cli_main(["--lang", lang, "--db", str(db), "import", str(path), "--yes"])
        set_lang("en")
        assert exited.value.code == 1
        lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
        assert len(lines) == 1 and expected in lines[0]
    with Store.open(db) as store:
        assert store.contacts.count() == 0
        assert store.conn.execute("SELECT count(*) FROM change_log").fetchone()[0] == 0
