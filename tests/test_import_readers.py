"""The file-reading half of the importer, on the sample files of tests/samples.py and on small files built
here. All people are invented."""

from __future__ import annotations

import ast
import datetime as dt
import io
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison_tui.domain.errors import LiaisonError
from liaison_tui.domain.i18n import all_keys, has, t
from liaison_tui.importer.mapping import Mapping, guess_field, guess_mapping, header_score
from liaison_tui.importer.readers import RawTable, read_bytes, read_file

from .samples import (
    BOM_CSV,
    BROKEN,
    GBK_CSV,
    HEADERS,
    MULTILINE_NOTE,
    VCARD,
    XLSX,
    XLSX_HEADERS,
    all_samples,
    card_name,
    card_note,
    card_version,
    expected,
    rows,
    sample_bytes,
    sheet_cells,
)

SAMPLE_HEADERS = HEADERS


def error_key(data: bytes, filename: str) -> str:
    with pytest.raises(LiaisonError) as info:
        read_bytes(data, filename)
    return info.value.key


# ------------------------------------------------------------------------------------------ samples


def test_gbk_csv_from_excel_decodes_as_gb18030(samples: Path) -> None:
    table = read_file(samples / GBK_CSV)
    assert (table.source_kind, table.encoding, table.delimiter, table.header_row) == (
        "csv",
        "gb18030",
        ",",
        1,
    )
    assert table.headers == SAMPLE_HEADERS
    # every cell reads back as written: Chinese names, accents (Østergaard is outside GBK), full-width
    # brackets, quoted cells with commas, doubled quotes and line breaks
    assert [tuple(row.values.values()) for row in table.rows] == list(sheet_cells(GBK_CSV))
    assert table.skipped == []
    first = table.rows[0]
    assert first.number == 2 and first.values["姓名"] == "孙超" and first.values["现任单位"] == "东京大学"
    assert any(row.values["姓名"] == "司马建华" for row in table.rows)
    assert table.rows[1].values["英文名"] == "Jürgen Cheng"  # Latin accents survive GBK too
    notes = expected(GBK_CSV).multiline_notes
    assert notes >= 2 and sum(row.values["备注"] == MULTILINE_NOTE for row in table.rows) == notes
    # row numbers are Excel's: cells spanning two lines still make one row each, so the last row's number
    # is the header's 1 plus the row count, not the physical line count
    data = sample_bytes(GBK_CSV)
    assert data.count(b"\r\n") == len(table.rows) + 1 and data.count(b"\n") > len(table.rows) + 1
    assert table.rows[-1].number == len(table.rows) + 1 and table.rows[-1].values["姓名"] == "诸葛磊"


def test_utf8_bom_csv(samples: Path) -> None:
    table = read_file(samples / BOM_CSV)
    assert (table.encoding, table.delimiter, table.header_row) == ("utf-8-sig", ",", 1)
    assert table.headers == SAMPLE_HEADERS  # no BOM glued to "姓名"
    assert [tuple(row.values.values()) for row in table.rows] == list(sheet_cells(BOM_CSV))
    assert table.rows[0].values["姓名"] == "王浩然"
    assert table.rows[0].values["手机"] == "+61458513893"
    assert any(row.values["英文名"] == "Sophie Łukasiewicz" for row in table.rows)
    # a note with "; " must not have made the semicolon the delimiter
    assert any("; prefers email" in row.values["备注"] for row in table.rows)


def test_xlsx_header_below_merged_title_and_totals_skipped(samples: Path) -> None:
    table = read_file(samples / XLSX)
    assert table.source_kind == "xlsx" and table.encoding is None and table.delimiter is None
    assert table.header_row == 2
    assert table.headers == XLSX_HEADERS
    count = expected(XLSX).rows
    assert table.skipped == [(1, "title"), (count + 3, "blank"), (count + 4, "totals")]
    assert [row.number for row in table.rows] == list(range(3, count + 3))
    assert [tuple(row.values.values()) for row in table.rows] == list(sheet_cells(XLSX))
    first = table.rows[0].values
    assert first["英文名"] == "Mateo García" and first["姓名"] == ""
    assert first["登记日期"] == "2023-10-24"  # a date cell becomes ISO text
    assert first["手机"] == "(+33) 069584830"
    assert not any(row.values["姓名"] == "合计" for row in table.rows)
    notes = expected(XLSX).multiline_notes
    assert notes >= 2 and sum(row.values["备注"] == MULTILINE_NOTE for row in table.rows) == notes


def test_vcard_mixed_versions(samples: Path) -> None:
    table = read_file(samples / VCARD)
    assert table.source_kind == "vcard" and table.header_row == 0 and table.skipped == []
    assert len(table.rows) == expected(VCARD).rows
    assert table.headers == [
        "native_name",
        "latin_name",
        "family_name",
        "given_name",
        "phones",
        "emails",
        "org",
        "title",
        "notes",
    ]
    by_number = {row.number: row.values for row in table.rows}
    # card 1 is vCard 2.1 with QUOTED-PRINTABLE UTF-8 N and FN
    assert by_number[1]["native_name"] == "罗杰"
    assert (by_number[1]["family_name"], by_number[1]["given_name"]) == ("罗", "杰")
    assert by_number[1]["latin_name"] == "" and by_number[1]["phones"] == "001-7134761825"
    # a Latin-script 2.1 card: FN goes to latin_name, N split
    assert by_number[4]["latin_name"] == "Søren Tanaka"
    assert (by_number[4]["family_name"], by_number[4]["given_name"]) == ("Tanaka", "Søren")
    # card 7 comes from an old Chinese phone: QUOTED-PRINTABLE GB2312
    assert b"N;CHARSET=GB2312;ENCODING=QUOTED-PRINTABLE:" in sample_bytes(VCARD)
    assert by_number[7]["native_name"] == "冯强"
    # a 3.0 NOTE folded (continuation lines start with a space) and escaped: \; \, \n
    assert by_number[20]["notes"].endswith("; prefers email 合成生物学 海外引才联盟推荐")
    assert by_number[24]["notes"].startswith(MULTILINE_NOTE)
    assert by_number[24]["org"] == "National University of Singapore"
    # and every card reads back as written
    folded = 0
    for number, row in enumerate(rows(VCARD), 1):
        values = by_number[number]
        full, family, given = card_name(row)
        name = "native_name" if row.person.native else "latin_name"
        assert (values[name], values["family_name"], values["given_name"]) == (full, family, given)
        assert (values["phones"], values["emails"]) == (row.phone, row.email)
        if card_version(number) == "3.0":
            assert (values["org"], values["title"]) == (row.person.org, row.person.title)
            assert values["notes"] == card_note(row)
            folded += len(f"NOTE:{card_note(row)}".encode()) > 75
        else:
            assert values["org"] == values["notes"] == ""
    assert folded >= 3
    assert sum(1 for row in table.rows if row.values["native_name"]) == sum(
        1 for row in rows(VCARD) if row.person.native
    )


@pytest.mark.parametrize(("name", "key"), sorted(BROKEN.items()))
def test_broken_samples_raise_translated_errors(samples: Path, name: str, key: str) -> None:
    with pytest.raises(LiaisonError) as info:
        read_file(samples / name)
    assert info.value.key == key
    english, chinese = info.value.message("en"), info.value.message("zh")
    assert english != key and chinese != key and english != chinese
    assert "{" not in english and "{" not in chinese  # every placeholder was filled


def test_unclosed_quote_names_the_row(samples: Path) -> None:
    with pytest.raises(LiaisonError) as info:
        read_file(samples / "ragged.csv")
    assert info.value.params == {"row": 4}
    assert "第 4 行" in info.value.message("zh")


def test_ragged_row_is_reported_not_misaligned() -> None:
    data = sample_bytes("ragged.csv")
    without_quote_line = data[: data.rindex(b'\n"') + 1]
    table = read_bytes(without_quote_line, "ragged.csv")
    assert table.headers == ["姓名", "手机", "邮箱"]
    assert table.skipped == [(3, "ragged")]  # 李娜 has two cells too many
    assert [row.values for row in table.rows] == [{"姓名": "张伟", "手机": "+49 151 1234567", "邮箱": ""}]


# --------------------------------------------------------------------------------- built here: CSV


def test_csv_title_blank_and_totals_rows_with_semicolons() -> None:
    text = (
        "2026 青岛海外人才峰会嘉宾名单\n\n序号;姓名;手机;邮箱;\n1;张三;139 0000 0001;a@example.com;\n\n"
        "2;李四;2026/3/1;;\n合计：2人;;;;\nTotal;;;;\n"
    )
    table = read_bytes(text.encode("utf-8"), "guests.csv")
    assert (table.delimiter, table.header_row) == (";", 3)
    assert table.headers == ["序号", "姓名", "手机", "邮箱"]  # the trailing empty column is dropped
    assert table.skipped == [(1, "title"), (2, "blank"), (5, "blank"), (7, "totals"), (8, "totals")]
    assert [row.number for row in table.rows] == [4, 6]
    assert table.rows[1].values["手机"] == "2026/3/1"  # dates typed as text stay text


def test_english_total_inside_the_data_is_a_row() -> None:
    table = read_bytes(b"Name,Phone\nSum,1\nAnna Example,2\nTotal,2\n", "x.csv")
    assert [row.values["Name"] for row in table.rows] == ["Sum", "Anna Example"]
    assert table.skipped == [(4, "totals")]


def test_utf16_tab_separated_and_duplicate_or_blank_headers() -> None:
    data = "Name\tPhone\t\tPhone\nAnna Example\t+49 30 000000\tx\t+49 30 000001\n".encode("utf-16")
    table = read_bytes(data, "export.txt")
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.headers == ["Name", "Phone", "#3", "Phone (2)"]
    assert table.rows[0].values["Phone (2)"] == "+49 30 000001"


def test_all_rows_ragged_is_a_file_error() -> None:
    with pytest.raises(LiaisonError) as info:
        read_bytes("姓名,手机\n张三,1,2\n李四,3,4\n".encode(), "x.csv")
    assert info.value.key == "import.err.all_ragged"
    assert info.value.params == {"count": 2, "rows": "2, 3"}


def test_nearly_utf8_file_points_at_the_bad_line() -> None:
    data = "姓名,手机\n张三,1\n".encode() + b"\xff\xfe bad,2\n"
    assert error_key(data, "x.csv") == "import.err.encoding_line"
    with pytest.raises(LiaisonError) as info:
        read_bytes(data, "x.csv")
    assert info.value.params == {"line": 3, "encoding": "UTF-8"}


def test_western_code_page_is_not_mistaken_for_gbk() -> None:
    # Windows-1252 "Müller" is also valid GB18030 ("M黮ler"); such text is not read as Chinese
    data = "Name,Vorname\nMüller,Jürgen\nSchäfer,Björn\n".encode("cp1252")
    table = read_bytes(data, "partner.csv")
    assert table.encoding != "gb18030"
    assert [row.values["Vorname"] for row in table.rows] == ["Jürgen", "Björn"]


@pytest.mark.parametrize(
    ("data", "filename", "key"),
    [
        (b"\xef\xbb\xbf \r\n", "x.csv", "import.err.empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old.xls", "import.err.xls_legacy"),
        (b"<html><body><table><tr><td>x</td></tr></table></body></html>", "export.xls", "import.err.html"),
        (b"not a workbook at all", "guests.xlsx", "import.err.xlsx_corrupt"),
        (b"FN:no card here\n", "contacts.vcf", "import.err.vcard_none"),
        (b"Name,Phone\n\x00\x01\x02\x03", "x.csv", "import.err.binary"),
        (b'Name,Note\nAnna,"open\n', "x.csv", "import.err.unclosed_quote"),
        (b"Name,Note\nAnna," + b"x" * 200_000 + b"\n", "x.csv", "import.err.cell_too_long"),
    ],
)
def test_other_unreadable_inputs(data: bytes, filename: str, key: str) -> None:
    assert error_key(data, filename) == key


def test_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert error_key(buffer.getvalue(), "letter.docx") == "import.err.unsupported_zip"


def test_read_file_errors(tmp_path: Path) -> None:
    with pytest.raises(LiaisonError) as info:
        read_file(tmp_path / "missing.csv")
    assert info.value.key == "import.err.not_found"
    with pytest.raises(LiaisonError) as info:
        read_file(tmp_path)
    assert info.value.key == "import.err.cannot_open"


def test_every_import_message_exists_in_both_languages() -> None:
    keys = [key for key in all_keys() if key.startswith("import.")]
    assert len(keys) >= 20
    for key in keys:
        assert t(key, "en") != t(key, "zh"), key


# -------------------------------------------------------------------------------- built here: XLSX


def test_xlsx_numbers_dates_and_unnamed_columns(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["2026 青岛海外人才峰会嘉宾名单"])
    sheet.merge_cells("A1:E1")
    sheet.append(["姓名", "手机", "出生日期", "备注"])
    sheet.append(["张三", 8613900000001, dt.date(1980, 2, 3), None])
    sheet.append(["李四", 13900000002.0, dt.datetime(1990, 5, 6, 14, 30), 0.5])
    sheet.append(["王五", 1e15, "1985/7/8", True, "typed beside the table"])
    sheet.append([])
    sheet.append(["总计", 3])
    path = tmp_path / "guests.xlsx"
    workbook.save(path)

    table = read_file(path)
    assert table.header_row == 2 and table.skipped == [(1, "title"), (6, "blank"), (7, "totals")]
    assert table.headers == ["姓名", "手机", "出生日期", "备注", "#5"]
    phones = [row.values["手机"] for row in table.rows]
    assert phones == ["8613900000001", "13900000002", "1000000000000000"]  # no ".0", no exponent
    assert [row.values["出生日期"] for row in table.rows] == ["1980-02-03", "1990-05-06 14:30", "1985/7/8"]
    assert table.rows[1].values["备注"] == "0.5" and table.rows[2].values["备注"] == "TRUE"
    assert table.rows[2].values["#5"] == "typed beside the table"


def test_xlsx_first_sheet_with_data(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    data = workbook.create_sheet("名单")
    data.append(["Name", "Email"])
    data.append(["Anna Example", "anna@example.org"])
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    table = read_file(path)
    assert table.rows[0].values == {"Name": "Anna Example", "Email": "anna@example.org"}


# ------------------------------------------------------------------------------- built here: vCard

VCARD_21_SOFT_BREAKS = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=B8=89;;;\r\n"
    "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:first line=0D=0Asecond line, long enough to be =\r\n"
    "wrapped by the phone =E5=BC=\r\n=A0 end\r\n"
    "TEL;CELL;VOICE:+86 139 0000 0003\r\nTEL;WORK:+86 532 0000 0004\r\n"
    "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\n  AAAAAAAAAAAAAAAA\r\n\r\n"
    "X-WECHAT:wx_example_1\r\nIMPP;X-SERVICE-TYPE=WeChat:x-apple:wxid_example_2\r\n"
    "ADR;TYPE=WORK:;;1 Example Rd;Qingdao;Shandong;266000;China\r\nBDAY:1980-02-03\r\n"
    "URL:https://www.linkedin.com/in/example\r\nURL:https://example.org\r\nORG:Example University;Lab\r\n"
    "CATEGORIES:summit,vip\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Wei Example\r\nN:魏;例;;;\r\nEMAIL:wei@example.org\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=NO-SUCH-CHARSET;ENCODING=QUOTED-PRINTABLE:=E5\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Off\r\nTEL:+1 555 0100"
)


def test_vcard_soft_breaks_photos_wechat_and_broken_cards() -> None:
    table = read_bytes(VCARD_21_SOFT_BREAKS.encode(), "contacts.vcf")
    assert table.skipped == [(3, "invalid_card")]
    first, second, last = (row.values for row in table.rows)
    assert first["native_name"] == "张三" and first["family_name"] == "张" and first["given_name"] == "三"
    assert first["notes"] == "first line\nsecond line, long enough to be wrapped by the phone 张 end"
    assert first["phones"] == "+86 139 0000 0003\n+86 532 0000 0004"
    assert first["wechat"] == "wx_example_1\nwxid_example_2"
    assert (first["city"], first["country"], first["birth_date"]) == ("Qingdao", "China", "1980-02-03")
    assert (first["url"], first["linkedin"]) == ("https://example.org", "https://www.linkedin.com/in/example")
    assert first["org"] == "Example University / Lab" and first["tags"] == "summit\nvip"
    # FN in Latin script, N in Chinese: both names are kept
    assert (second["latin_name"], second["native_name"]) == ("Wei Example", "魏例")
    assert last["latin_name"] == "Cut Off" and last["phones"] == "+1 555 0100"  # truncated card still read
    assert set(guess_mapping(table.headers).values()) <= set(table.headers) | {"ignore"}


def test_damaged_vcard_line_is_skipped_quickly() -> None:
    # vobject's own line regex backtracks exponentially on this shape (no colon after the parameters)
    damaged = "FN;CHARSET=UTF-8;ENCODING=QUOTE" + "C3=89=6C=6F" * 30
    card = f"BEGIN:VCARD\r\nVERSION:2.1\r\n{damaged}\r\nTEL:+1 555 0101\r\nEND:VCARD\r\n"
    # Not a speed test: exponential backtracking never finishes, so a generous bound only detects a hang.
    tables: list[RawTable] = []
    worker = threading.Thread(target=lambda: tables.append(read_bytes(card.encode(), "x.vcf")), daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive() and tables
    assert tables[0].rows[0].values == {"phones": "+1 555 0101"}


# --------------------------------------------------------------------------------------------- fuzz

_MUTATION = st.tuples(
    st.sampled_from(["flip", "insert", "delete", "truncate"]),
    st.floats(0, 1),
    st.binary(min_size=1, max_size=4),
)


def _mutate(data: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    buffer = bytearray(data)
    for kind, where, payload in mutations:
        pos = int(where * len(buffer))
        if kind == "flip" and pos < len(buffer):
            buffer[pos] ^= payload[0] or 0xFF
        elif kind == "insert":
            buffer[pos:pos] = payload
        elif kind == "delete":
            del buffer[pos : pos + len(payload) * 4]
        elif kind == "truncate":
            del buffer[pos:]
    return bytes(buffer)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=st.sampled_from(list(all_samples())),
    mutations=st.lists(_MUTATION, min_size=1, max_size=6),
    filename=st.sampled_from(["", "x.csv", "x.xlsx", "x.vcf", "x.txt"]),
)
def test_mutated_bytes_give_a_table_or_a_liaison_error(
    source: tuple[str, bytes], mutations: list[tuple[str, float, bytes]], filename: str
) -> None:
    data = _mutate(source[1], mutations)
    try:
        result = read_bytes(data, filename or source[0])
    except LiaisonError as exc:
        assert has(exc.key) and t(exc.key, "zh") != exc.key
    else:
        assert isinstance(result, RawTable) and result.rows


# ------------------------------------------------------------------------------------------ mapping


def test_mapping_of_the_sample_headers() -> None:
    assert guess_mapping([*SAMPLE_HEADERS, "登记日期"]) == {
        "姓名": "native_name",
        "英文名": "latin_name",
        "性别": "gender",
        "国籍": "nationality",
        "现居国家": "country",
        "现任单位": "org",
        "职务/职称": "title",
        "研究领域": "field",
        "产业链": "industry_chain",
        "人才层次": "tags",
        "手机": "phones",
        "邮箱": "emails",
        "微信号": "wechat",
        "来源": "source",
        "备注": "notes",
        "登记日期": "ignore",
    }


def test_mapping_of_chinese_variants() -> None:
    headers = [
        "序号",
        "名字",
        "手机号码（必填）",
        "办公电话",
        "电子邮件",
        "工作单位",
        "职称",
        "单位地址",
        "出生日期",
        "标签",
        "备注 (2)",
        "紧急联系人电话",
        "姓",
        "名",
    ]
    assert guess_mapping(headers) == {
        "序号": "ignore",
        "名字": "native_name",
        "手机号码（必填）": "phones",
        "办公电话": "phones",
        "电子邮件": "emails",
        "工作单位": "org",
        "职称": "title",
        "单位地址": "ignore",
        "出生日期": "birth_date",
        "标签": "tags",
        "备注 (2)": "notes",
        "紧急联系人电话": "phones",
        "姓": "family_name",
        "名": "given_name",
    }


def test_mapping_of_english_variants() -> None:
    headers = [
        "No.",
        "Name",
        "Name (Latin)",
        "E-mail",
        "Mobile Phone",
        "Tel",
        "Company Name",
        "Job Title",
        "Country/Region",
        "CITY",
        "Date of Birth",
        "WeChat ID",
        "Remarks",
        "LinkedIn",
        "Industry",
        "Research Field",
        "Gender",
        "Source",
        "Nationality",
        "Home Address",
        "Ethnicity",
        "Ｅｍａｉｌ",
    ]
    assert guess_mapping(headers) == {
        "No.": "ignore",
        "Name": "native_name",
        "Name (Latin)": "latin_name",
        "E-mail": "emails",
        "Mobile Phone": "phones",
        "Tel": "phones",
        "Company Name": "org",
        "Job Title": "title",
        "Country/Region": "country",
        "CITY": "city",
        "Date of Birth": "birth_date",
        "WeChat ID": "wechat",
        "Remarks": "notes",
        "LinkedIn": "linkedin",
        "Industry": "industry_chain",
        "Research Field": "field",
        "Gender": "gender",
        "Source": "source",
        "Nationality": "nationality",
        "Home Address": "ignore",
        "Ethnicity": "ignore",
        "Ｅｍａｉｌ": "emails",
    }


def test_plain_name_yields_to_an_explicit_native_column_and_single_fields_are_taken_once() -> None:
    assert guess_mapping(["Name", "中文名"]) == {"Name": "latin_name", "中文名": "native_name"}
    assert guess_mapping(["Name", "English Name"]) == {"Name": "native_name", "English Name": "latin_name"}
    assert guess_mapping(["国籍", "Nationality"]) == {"国籍": "nationality", "Nationality": "ignore"}
    assert guess_field("Name") == "native_name" and guess_field("???") == "ignore"


def test_header_score() -> None:
    assert header_score(SAMPLE_HEADERS) == len(SAMPLE_HEADERS)
    assert header_score(["2023千山峰会嘉宾名单(示例,虚构)", "", ""]) == 0
    assert header_score(["张三", "+86 139 0000 0001", "a@example.com"]) == 0


def test_mapping_model_round_trip() -> None:
    mapping = Mapping.guess("峰会名单", SAMPLE_HEADERS)
    assert Mapping.from_json(mapping.to_json()) == mapping
    assert mapping.columns["手机"] == "phones"
    with pytest.raises(LiaisonError) as info:
        Mapping.from_json('{"name": "x", "columns": {"手机": "not_a_field"}}')
    assert info.value.key == "import.err.mapping_invalid"
    with pytest.raises(LiaisonError):
        Mapping.from_json(b"\xff not json")


# -------------------------------------------------------------------------------------------- layers


def test_importer_reading_half_imports_no_ui_network_or_store() -> None:
    package = Path(__file__).resolve().parents[1] / "liaison_tui" / "importer"
    forbidden = ("textual", "httpx", "liaison_tui.store", "liaison_tui.tui", "liaison_tui.cli")
    for name in ("readers.py", "mapping.py"):
        tree = ast.parse((package / name).read_text(encoding="utf-8"))
        imported = [
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        ]
        imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not [m for m in imported if m.startswith(forbidden)], name
