"""Read contact tables from CSV, Excel (.xlsx) and vCard files into rows of plain text.

This is the pure file-reading half of the importer: bytes in, :class:`RawTable` out, no database and
no UI. Nothing is interpreted here (phone numbers, dates typed as text, names all stay text); the
mapping and the domain layer decide what the cells mean.

Whatever the bytes, :func:`read_bytes` either returns a table or raises :class:`LiaisonError` with an
``import.err.*`` key whose English and Chinese texts tell a staff member what is wrong and what to do.

Row numbers (:attr:`RawRow.number`, :attr:`RawTable.header_row`, ``skipped``) are what the staff member
sees in Excel or WPS: for a CSV file the record number, so a quoted cell spanning several lines counts
as one row, exactly as a spreadsheet shows it; for vCards, the position of the card in the file (1 = the
first card), and ``header_row`` is 0 because a vCard file has no header.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import os
import re
import threading
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from liaison_tui import gc_pause
from liaison_tui.domain.errors import LiaisonError
from liaison_tui.domain.i18n import register
from liaison_tui.importer.mapping import header_score

SourceKind = Literal["csv", "xlsx", "vcard"]
Record = tuple[int, list[str]]  # (row number in the file, stripped cell texts)

register(
    {
        "import.err.empty": (
            "The file is empty. Check that you picked the right file, or export it again.",
            "文件是空的。请确认选对了文件，或重新导出一份。",
        ),
        "import.err.no_rows": (
            "The file has a header row but no data rows. Check that you exported the right sheet and that "
            "the contacts are below the header.",
            "文件只有表头，没有数据行。请确认导出的是正确的工作表，且联系人数据在表头下方。",
        ),
        "import.err.binary": (
            "This file does not look like a contact table (CSV, Excel .xlsx or vCard): it may be damaged or a "
            "different kind of file. Open it in Excel or WPS and save it again as CSV or .xlsx.",
            "该文件看起来不是联系人表格（CSV、Excel .xlsx 或 vCard），可能已损坏或是其他类型的文件。"
            "请用 Excel 或 WPS 打开后重新另存为 CSV 或 .xlsx。",
        ),
        "import.err.encoding": (
            "The text encoding of this file could not be recognised, so names would come out garbled. In "
            'Excel or WPS, save it again as "CSV UTF-8" (or as .xlsx) and import that file.',
            "无法识别该文件的文字编码，姓名等内容会变成乱码。请在 Excel 或 WPS 中另存为\u201cCSV UTF-8\u201d"
            "（或 .xlsx）后再导入。",
        ),
        "import.err.encoding_line": (
            "Line {line} contains characters that cannot be read, although the rest of the file reads fine as "
            "{encoding} (often a cell pasted from another program). Retype that line's cells, or save the file "
            'again as "CSV UTF-8" in Excel or WPS, and import again.',
            "第 {line} 行含有无法识别的字符，而文件其余部分可以按 {encoding} 编码正常读取（常见于从其他程序粘贴的"
            "单元格）。请重新输入该行内容，或在 Excel 或 WPS 中另存为\u201cCSV UTF-8\u201d后再导入。",
        ),
        "import.err.xlsx_corrupt": (
            "The Excel file is damaged or incomplete (perhaps a download or copy was interrupted). Open it in "
            "Excel or WPS: if it opens, save it again as .xlsx; if not, ask the sender for a new copy.",
            "Excel 文件已损坏或不完整（可能下载或复制时中断了）。请用 Excel 或 WPS 打开：能打开就重新另存为 "
            ".xlsx；打不开就请对方重新发送一份。",
        ),
        "import.err.xls_legacy": (
            "This is an old-format Excel file (.xls or WPS .et) or a password-protected workbook, which "
            "cannot be read directly. Open it in Excel or WPS, remove any password, and save it as .xlsx or CSV.",
            "这是旧版 Excel 文件（.xls 或 WPS .et）或设置了密码的工作簿，无法直接读取。"
            "请用 Excel 或 WPS 打开，取消密码后另存为 .xlsx 或 CSV。",
        ),
        "import.err.unsupported_zip": (
            "This file is a ZIP archive but not an Excel workbook (.xlsx). If it is a spreadsheet from WPS, "
            "LibreOffice or Numbers, save it as .xlsx or CSV first.",
            "该文件是压缩包，但不是 Excel 工作簿（.xlsx）。如果是 WPS、LibreOffice 或 Numbers 的表格，"
            "请先另存为 .xlsx 或 CSV。",
        ),
        "import.err.html": (
            "This file is a web page or XML document saved under a spreadsheet name (some systems export "
            '".xls" files this way). Open it in Excel or WPS and save it as .xlsx or CSV.',
            "该文件实际上是网页或 XML 文档，只是用了表格的文件名（有些系统导出的\u201c.xls\u201d就是这样）。"
            "请用 Excel 或 WPS 打开后另存为 .xlsx 或 CSV。",
        ),
        "import.err.unclosed_quote": (
            'Row {row} opens a quotation mark (") that is never closed, so the rest of the file would be read '
            "as a single cell. Fix the quotation mark in row {row} (or remove it) and import again.",
            '第 {row} 行有一个未闭合的英文引号（"），文件其余部分会被当成一个单元格。'
            "请修正或删除第 {row} 行的引号后重新导入。",
        ),
        "import.err.csv_malformed": (
            "The CSV file is damaged (for example a cell is far too long or quotation marks are mixed up) and "
            "could not be read. Open it in Excel or WPS and save it again as CSV.",
            "CSV 文件已损坏（例如某个单元格过长或引号混乱），无法读取。请用 Excel 或 WPS 打开后重新另存为 CSV。",
        ),
        "import.err.all_ragged": (
            "Every data row has more cells than the header has columns (rows {rows}), so the columns cannot "
            "be matched. Check that cells containing commas are wrapped in quotation marks.",
            "所有数据行的单元格数都多于表头列数（第 {rows} 行），无法对应到各列。"
            "请检查含逗号的单元格是否用英文引号括起来。",
        ),
        "import.err.vcard_none": (
            "No contact cards (BEGIN:VCARD \u2026 END:VCARD) were found in this file. Export the contacts "
            "again from the phone or address book as a vCard (.vcf) file.",
            "文件中没有找到联系人名片（BEGIN:VCARD \u2026 END:VCARD）。请从手机或通讯录重新导出为 vCard（.vcf）文件。",
        ),
        "import.err.vcard_invalid": (
            "None of the {count} contact cards in this vCard file could be read. Export the contacts again, "
            "preferably as vCard 3.0.",
            "该 vCard 文件中的 {count} 张联系人名片都无法读取。请重新导出，最好选择 vCard 3.0 格式。",
        ),
        "import.err.not_found": (
            "File not found: {path}. Check the folder and the file name.",
            "找不到文件：{path}。请检查文件夹和文件名。",
        ),
        "import.err.cannot_open": (
            "The file {path} could not be opened. Check that it is a file (not a folder), that you may read "
            "it, and that no other program has locked it.",
            "无法打开文件 {path}。请确认它是文件而不是文件夹、您有读取权限，并且没有被其他程序占用。",
        ),
        "import.err.too_big": (
            "The file is {size} MB; an import takes files of at most {limit} MB. Split it into smaller "
            "files (for example by year or by source) and import them one by one.",
            "文件大小为 {size} MB，单次导入最多 {limit} MB。请拆分成较小的文件（例如按年份或来源）后逐个导入。",
        ),
        "import.err.too_many_rows": (
            "The file has more than {limit} rows of data (row {row} is past the limit). Split it into "
            "files of at most {limit} rows and import them one by one.",
            "文件的数据超过 {limit} 行（第 {row} 行已超出上限）。请拆分为每个不超过 {limit} 行的文件后逐个导入。",
        ),
        "import.err.too_many_columns": (
            "Row {row} has {count} columns; an import takes at most {limit}. Delete the unused columns and "
            "import again.",
            "第 {row} 行有 {count} 列，单次导入最多 {limit} 列。请删除用不到的列后重新导入。",
        ),
        "import.err.cell_too_long": (
            "Row {row}, column {column}: the cell holds {length} characters; an import takes at most "
            "{limit} per cell. Shorten it and import again.",
            "第 {row} 行第 {column} 列：该单元格有 {length} 个字符，导入时每个单元格最多 {limit} 个字符。"
            "请缩短后重新导入。",
        ),
        "import.err.xlsx_long_cell": (
            "A cell of this Excel file holds more than {limit} characters (an import takes at most {limit} "
            "per cell). Find and shorten it, or save the sheet as CSV to see which row, and import again.",
            "该 Excel 文件中有单元格超过 {limit} 个字符（导入时每个单元格最多 {limit} 个字符）。"
            "请找到并缩短它（另存为 CSV 可看到是哪一行）后重新导入。",
        ),
        "import.err.xlsx_unpacked": (
            "The Excel file would unpack to more than {limit} MB ({part}), more than an import reads. Save "
            "the sheet as CSV, or split it into smaller files, and import again.",
            "该 Excel 文件解压后超过 {limit} MB（{part}），超出导入可读取的大小。"
            "请另存为 CSV 或拆分成较小的文件后重新导入。",
        ),
        # reasons in RawTable.skipped, shown as t(f"import.skip.{reason}")
        "import.skip.blank": ("Blank row", "空行"),
        "import.skip.title": ("Title or note above the header row", "表头上方的标题或说明"),
        "import.skip.totals": ("Totals row", "合计行"),
        "import.skip.ragged": (
            "More cells than the header has columns: look for an unquoted comma in this row",
            "单元格数多于表头列数：请检查该行是否有未加引号的逗号",
        ),
        "import.skip.invalid_card": ("This contact card could not be read", "该联系人名片无法读取"),
    }
)


@dataclass
class RawRow:
    number: int  # 1-based row number as Excel/WPS shows it (card position for vCards)
    values: dict[str, str]  # header (or canonical key for vCards) -> stripped cell text


@dataclass
class RawTable:
    source_kind: SourceKind
    headers: list[str]
    rows: list[RawRow]
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)


@dataclass(frozen=True)
class Limits:
    """What one import reads at most. Past any of these the whole file is refused with a message naming
    the limit (and the row), before anything is written: a hostile or mistaken file (a million rows, a
    cell of 200 MB, a zip bomb) costs seconds and bounded memory, not minutes and gigabytes. Names and
    other short fields have tighter limits of their own in the domain models (a row that breaks one
    fails alone, with its reason)."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_rows: int = 200_000  # data rows (cards for vCards)
    max_columns: int = 500
    max_cell_chars: int = 10_000
    max_unpacked_bytes: int = 1024 * 1024 * 1024  # all members of an .xlsx, uncompressed
    max_shared_strings_bytes: int = 128 * 1024 * 1024  # the .xlsx text table openpyxl holds in memory
    max_part_bytes: int = 32 * 1024 * 1024  # any other member (styles, workbook, relationships, ...)


DEFAULT_LIMITS = Limits()


def configured_limits(max_rows: int, max_mb: int) -> Limits:
    """The limits with the row and file-size caps of the settings (``import_max_rows``, ``import_max_mb``)."""
    return Limits(max_rows=max_rows, max_file_bytes=max_mb * 1024 * 1024)


class TooLarge(LiaisonError):
    """The file is past one of the :class:`Limits`."""


_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, WPS .et, and password-protected .xlsx
_XLSX_EXTS = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
_VCARD_EXTS = frozenset({".vcf", ".vcard"})
_BOMS = (  # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DELIMITERS = ",;\t"  # the full-width comma "，" is punctuation inside Chinese text, never a delimiter
_HEADER_SEARCH_ROWS = 10
_ENCODING_SAMPLE = 1024 * 1024
_MAX_BLANK_RUN = 10_000  # sheets formatted down to row 1048576 would otherwise yield a million blank rows


# ---------------------------------------------------------------------------------------------- entry


def read_file(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> RawTable:
    """Read a CSV, .xlsx or vCard file; raise :class:`LiaisonError` for anything unreadable."""
    file = Path(path)
    return read_bytes(load_bytes(file, limits), file.name, limits)


def load_bytes(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The file's bytes, refused before reading when it is larger than an import takes."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > limits.max_file_bytes:
            raise TooLarge(
                "import.err.too_big", size=_megabytes(size), limit=_megabytes(limits.max_file_bytes)
            )
        return file.read_bytes()
    except FileNotFoundError as exc:
        raise LiaisonError("import.err.not_found", path=str(file)) from exc
    except OSError as exc:
        raise LiaisonError("import.err.cannot_open", path=str(file)) from exc


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}" if size >= 10 * 1024 * 1024 else f"{size / (1024 * 1024):.1f}"


@gc_pause.paused()
def read_bytes(data: bytes, filename: str = "", limits: Limits = DEFAULT_LIMITS) -> RawTable:
    """Read file content; the kind is sniffed from the bytes, the extension only breaks ties."""
    if len(data) > limits.max_file_bytes:
        raise TooLarge(
            "import.err.too_big", size=_megabytes(len(data)), limit=_megabytes(limits.max_file_bytes)
        )
    ext = os.path.splitext(filename)[1].lower()
    if not data.removeprefix(codecs.BOM_UTF8).strip():
        raise LiaisonError("import.err.empty")
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, limits)
    if data.startswith(_OLE2_MAGIC):
        raise LiaisonError("import.err.xls_legacy")
    try:
        text, encoding = _decode(data)
    except LiaisonError as exc:
        if ext in _XLSX_EXTS:  # unreadable bytes named .xlsx: a damaged workbook says more than "binary"
            raise LiaisonError("import.err.xlsx_corrupt") from exc
        raise
    if not text.strip():
        raise LiaisonError("import.err.empty")
    head = text.lstrip("\ufeff \t\r\n")[:512]
    if head[:11].upper() == "BEGIN:VCARD" or (ext in _VCARD_EXTS and "BEGIN:VCARD" in text.upper()):
        return _read_vcard(text, encoding, limits)
    if ext in _VCARD_EXTS:
        raise LiaisonError("import.err.vcard_none")
    if head.lower().startswith(("<!doctype", "<html", "<?xml", "<table")) or "<html" in head.lower():
        raise LiaisonError("import.err.html")
    if ext not in _XLSX_EXTS:
        return _read_csv(text, encoding, limits)
    try:  # text named .xlsx: fine if it is a renamed CSV, otherwise a damaged workbook
        return _read_csv(text, encoding, limits)
    except TooLarge:
        raise
    except LiaisonError as exc:
        raise LiaisonError("import.err.xlsx_corrupt") from exc


# ------------------------------------------------------------------------------------------- decoding


def _decode(data: bytes) -> tuple[str, str]:
    """Exact checks first (BOM, strict UTF-8, strict GB18030); charset-normalizer only as a last guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _plausible(data.decode(encoding)), encoding
            except UnicodeDecodeError as exc:
                raise LiaisonError("import.err.encoding") from exc
    if b"\x00" in data:  # no text encoding used for CSV produces NUL bytes without a BOM
        raise LiaisonError("import.err.binary")
    try:
        return _plausible(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    # Before GB18030, which decodes most broken UTF-8 into hanzi: a UTF-8 file with a few bad bytes
    # gets its bad line named rather than every name garbled by a guessed encoding.
    line = _bad_utf8_line(data)
    if line is not None:
        raise LiaisonError("import.err.encoding_line", line=line, encoding="UTF-8")
    try:  # GB18030 is a superset of GBK/GB2312, what Excel on Chinese Windows writes for "CSV"
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and _looks_chinese(text):
        return _plausible(text), "gb18030"
    return _guess_encoding(data)


def _guess_encoding(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    try:  # a sample is plenty to recognise an encoding, and the detector is slow on megabytes
        best = from_bytes(data[:_ENCODING_SAMPLE]).best()
    except Exception:  # a third-party detector: any failure just means "unknown"
        best = None
    if best is None:
        raise LiaisonError("import.err.encoding")
    try:
        return _plausible(data.decode(best.encoding)), best.encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise LiaisonError("import.err.encoding") from exc


def _bad_utf8_line(data: bytes) -> int | None:
    """The line of the first bad byte when ``data`` is UTF-8 but for a few bytes, else None.

    Typical cause: one cell pasted from a GBK program into a UTF-8 file. Files without plenty of valid
    multi-byte UTF-8 are left to the other candidates (GBK, or a Western single-byte code page).
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    valid_non_ascii = sum(1 for ch in text if ch > "\x7f") - bad
    if bad > max(3, len(text) // 1000) or valid_non_ascii < 2 * bad:
        return None
    return text.count("\n", 0, text.index("\ufffd")) + 1


def _looks_chinese(text: str) -> bool:
    """Whether GB18030-decoded text is real Chinese rather than Western single-byte text.

    Real Chinese text is mostly common GB2312 characters; Windows-1252 "Müller" decodes as "M黮ler",
    pairs of an accented letter and an ASCII letter landing on rare GBK extension characters.
    """
    wide = [ch for ch in text[:20_000] if ch > "\x7f"]
    return sum(1 for ch in wide if _in_gb2312(ch)) * 2 >= len(wide)


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _plausible(text: str) -> str:
    """Reject decoded text full of control characters: bytes that merely happen to decode."""
    sample = text[:20_000]
    controls = sum(1 for ch in sample if ch not in "\t\r\n" and unicodedata.category(ch) == "Cc")
    if controls > max(2, len(sample) // 100):
        raise LiaisonError("import.err.binary")
    return text


_INVISIBLE = "\u200b\ufeff"


def _clean(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip()
    if text and (text[0] in _INVISIBLE or text[-1] in _INVISIBLE):
        text = text.strip(_INVISIBLE).strip()
    return text


def column_name(index: int) -> str:
    """Excel's letters for a 0-based column index: 0 -> A, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _check_cells(number: int, cells: list[str], limits: Limits, names: list[str] | None = None) -> None:
    """Refuse a record with more columns or a longer cell than an import takes."""
    if len(cells) > limits.max_columns and _content_width(cells) > limits.max_columns:
        raise TooLarge(
            "import.err.too_many_columns", row=number, count=_content_width(cells), limit=limits.max_columns
        )
    for index, cell in enumerate(cells):
        if len(cell) > limits.max_cell_chars:
            raise TooLarge(
                "import.err.cell_too_long",
                row=number,
                column=names[index] if names else column_name(index),
                length=len(cell),
                limit=limits.max_cell_chars,
            )


def _check_rows(table: RawTable, limits: Limits) -> RawTable:
    if len(table.rows) > limits.max_rows:
        raise TooLarge(
            "import.err.too_many_rows", limit=limits.max_rows, row=table.rows[limits.max_rows].number
        )
    return table


# ------------------------------------------------------------------------------------------------ CSV


def _read_csv(text: str, encoding: str, limits: Limits = DEFAULT_LIMITS) -> RawTable:
    text = text.removeprefix("\ufeff")
    delimiter = _sniff_delimiter(text)
    first_line = next((line for line in text[:8192].splitlines() if line.strip()), "")
    if len(first_line) > 1000 and not any(d in first_line for d in _DELIMITERS):
        raise LiaisonError("import.err.binary")  # a kilobyte without one delimiter is no table
    if _has_unclosed_quote(text, delimiter):
        raise LiaisonError("import.err.unclosed_quote", row=_unclosed_quote_row(text, delimiter))
    # Rows past the limit are not kept: blank ones are skipped, the first one with data refuses the file.
    cap = limits.max_rows + _HEADER_SEARCH_ROWS + 1
    records: list[Record] = []
    number = 0
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
            cleaned = [_clean(cell) for cell in cells]
            _check_cells(number, cleaned, limits)
            if number <= cap:
                records.append((number, cleaned))
            elif any(cleaned):
                _past_the_limit(records, "csv", limits, number)
    except csv.Error as exc:  # a cell over the csv module's own size limit (128 KiB), or worse
        if "field larger than field limit" in str(exc):
            raise TooLarge(
                "import.err.cell_too_long",
                row=number + 1,
                column="?",
                length=">131072",
                limit=limits.max_cell_chars,
            ) from exc
        raise LiaisonError("import.err.csv_malformed") from exc
    table = _check_rows(_tabulate(records, "csv", widen=False), limits)
    table.encoding, table.delimiter = encoding, delimiter
    return table


def _sniff_delimiter(text: str) -> str:
    """csv.Sniffer restricted to , ; TAB; if it gives up (it does on multi-line quoted cells), count."""
    sample = text[:4096]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rfind("\n") + 1]  # whole lines only: a cut quote confuses the sniffer
    counts = {d: sample.count(d) for d in _DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if counts.get(sniffed, 0) > 0:
        return sniffed
    best = max(_DELIMITERS, key=lambda d: counts[d])  # ties go to the comma, listed first
    return best if counts[best] else ","


def _has_unclosed_quote(text: str, delimiter: str) -> bool:
    """Whether a quoted cell opens and never closes: the csv module's rules, visiting only the quotes
    (a 50 MB file has millions of delimiters, and few quotes). The row is found by the slower
    :func:`_unclosed_quote_row`, only when there is one."""
    inside = False
    pos = text.find('"')
    breaks = (delimiter, "\n", "\r")
    while pos != -1:
        if inside:
            if text.startswith('"', pos + 1):
                pos = text.find('"', pos + 2)  # "" inside quotes is a literal quote
                continue
            inside = False
        elif pos == 0 or text[pos - 1] in breaks:
            inside = True  # a quote opens a cell only at its start
        pos = text.find('"', pos + 1)
    return inside


def _unclosed_quote_row(text: str, delimiter: str) -> int | None:
    """The record number where a quoted cell opens and never closes, or None.

    Follows the csv module's rules: a quote only opens at the start of a cell, "" inside quotes is a
    literal quote. The csv module itself would silently swallow the rest of the file into one cell.
    """
    row, open_row, field_start, skip_to = 1, None, 0, -1
    for match in re.finditer(r'"|\r\n|\r|\n|' + re.escape(delimiter), text):
        pos, token = match.start(), match.group()
        if pos < skip_to:
            continue
        if open_row is not None:
            if token == '"':
                if text.startswith('"', pos + 1):
                    skip_to = pos + 2
                else:
                    open_row = None
        elif token == '"':
            if pos == field_start:
                open_row = row
        elif token == delimiter:
            field_start = pos + 1
        else:
            row, field_start = row + 1, match.end()
    return open_row


# ------------------------------------------------------------------------------- tables (CSV + XLSX)


def _tabulate(records: list[Record], kind: SourceKind, *, widen: bool) -> RawTable:
    """Find the header, then sort the rows below it into data rows and skipped rows.

    ``widen``: cells right of the last header cell become extra "#N" columns (XLSX, where a note typed
    in an unnamed column is real data) instead of making the row ragged (CSV, where extra cells mean an
    unquoted delimiter shifted everything after it).
    """
    records = _drop_trailing_blanks(records)
    if not records:
        raise LiaisonError("import.err.empty")
    head = _find_header(records)
    header_number, header_cells = records[head]
    skipped = [(number, "blank" if _is_blank(cells) else "title") for number, cells in records[:head]]
    body = records[head + 1 :]
    width = _content_width(header_cells)
    if widen:
        width = max([width, *(_content_width(cells) for _, cells in body)])
    headers = _header_names(header_cells, width)
    totals = _totals_rows(body)
    rows: list[RawRow] = []
    for number, cells in body:
        if _is_blank(cells):
            skipped.append((number, "blank"))
        elif number in totals:
            skipped.append((number, "totals"))
        elif _content_width(cells) > width:
            skipped.append((number, "ragged"))
        else:
            padded = cells[:width] + [""] * (width - len(cells))
            rows.append(RawRow(number, dict(zip(headers, padded, strict=True))))
    if not rows:
        ragged = [number for number, reason in skipped if reason == "ragged"]
        if ragged:
            shown = ", ".join(str(n) for n in ragged[:10]) + (", \u2026" if len(ragged) > 10 else "")
            raise LiaisonError("import.err.all_ragged", count=len(ragged), rows=shown)
        raise LiaisonError("import.err.no_rows")
    return RawTable(kind, headers, rows, header_row=header_number, skipped=skipped)


def _is_blank(cells: list[str]) -> bool:
    return not any(cells)


def _content_width(cells: list[str]) -> int:
    """Index of the last non-blank cell + 1 (trailing empty cells from Excel exports don't count)."""
    for index in range(len(cells) - 1, -1, -1):
        if cells[index]:
            return index + 1
    return 0


def _drop_trailing_blanks(records: list[Record]) -> list[Record]:
    end = len(records)
    while end and _is_blank(records[end - 1][1]):
        end -= 1
    return records[:end]


def _find_header(records: list[Record]) -> int:
    """Index of the header: the best-scoring of the first non-blank rows, else the first wide one.

    The best rather than the first scoring row, because forms often start with a line such as
    "填表单位：…, 填表日期：…" that looks a little like a header.
    """
    candidates = [i for i, (_, cells) in enumerate(records) if not _is_blank(cells)][:_HEADER_SEARCH_ROWS]
    scores = {i: header_score(records[i][1]) for i in candidates}
    best = max(candidates, key=lambda i: scores[i])  # max keeps the earliest of equal scores
    if scores[best] >= 2:
        return best
    filled = {i: sum(1 for cell in records[i][1] if cell) for i in candidates}
    widest = max(filled.values())
    return next(i for i in candidates if filled[i] * 2 >= widest)  # skips one-cell title rows


def _header_names(cells: list[str], width: int) -> list[str]:
    """Unique, single-line header names; blank ones become "#<column number>"."""
    names: list[str] = []
    for index in range(width):
        raw = cells[index] if index < len(cells) else ""
        base = " ".join(raw.split()) or f"#{index + 1}"  # wrapped Excel headers: "联系\n电话"
        name, copy = base, 1
        while name in names:
            copy += 1
            name = f"{base} ({copy})"
        names.append(name)
    return names


_CJK_TOTALS = ("合计", "总计", "小计", "共计", "总数", "累计")
_LATIN_TOTALS = frozenset({"total", "totals", "sum", "grandtotal", "subtotal", "subtotals"})


def _totals_label(cells: list[str]) -> str | None:
    """ "cjk" or "latin" when the first filled cell is a totals label such as "合计：54人" or "Total"."""
    first = next((cell for cell in cells if cell), "")
    key = re.sub(r"[\W\d_]+", "", first.casefold())
    if len(key) <= 6 and key.startswith(_CJK_TOTALS):
        return "cjk"
    return "latin" if key in _LATIN_TOTALS else None


def _totals_rows(body: list[Record]) -> set[int]:
    """Row numbers of totals rows: 合计/小计 anywhere (never a name), "Total"/"Sum" only after the data.

    "Sum" is also a Cantonese surname, so an English label only counts below the last data row.
    """
    labels = {number: _totals_label(cells) for number, cells in body if not _is_blank(cells)}
    last_data = max((number for number, label in labels.items() if label is None), default=0)
    return {n for n, label in labels.items() if label == "cjk" or (label == "latin" and n > last_data)}


# ----------------------------------------------------------------------------------------------- XLSX


def _read_xlsx(data: bytes, limits: Limits = DEFAULT_LIMITS) -> RawTable:
    _check_workbook_zip(data, limits)
    try:
        records = _workbook_records(data, limits)
    except TooLarge:
        raise
    except Exception as exc:  # openpyxl raises KeyError, ValueError, XML, zlib, CRC errors on damaged parts
        raise LiaisonError("import.err.xlsx_corrupt") from exc
    if not records:
        raise LiaisonError("import.err.empty")
    return _check_rows(_tabulate(records, "xlsx", widen=True), limits)


def _check_workbook_zip(data: bytes, limits: Limits) -> None:
    """Refuse a workbook whose parts would unpack to more than an import reads (a zip bomb is a few
    hundred kilobytes that unpack to gigabytes), and one holding a cell far over the cell limit, before
    openpyxl builds anything in memory. The sizes are those the archive declares: Python's zipfile never
    unpacks more than that (it fails the CRC check instead)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if not any(m.filename.startswith("xl/") for m in members):
                raise LiaisonError("import.err.unsupported_zip")
            limit = _megabytes(limits.max_unpacked_bytes)
            if sum(m.file_size for m in members) > limits.max_unpacked_bytes:
                raise TooLarge("import.err.xlsx_unpacked", limit=limit, part="*")
            for member in members:
                name = member.filename
                sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
                strings = name == "xl/sharedStrings.xml"
                cap = (
                    limits.max_unpacked_bytes
                    if sheet
                    else limits.max_shared_strings_bytes
                    if strings
                    else limits.max_part_bytes
                )
                if member.file_size > cap:
                    raise TooLarge("import.err.xlsx_unpacked", limit=_megabytes(cap), part=name)
                if sheet or strings:
                    _scan_text_runs(archive, member, limits)
    except LiaisonError:
        raise
    except Exception as exc:  # BadZipFile mostly, but mangled headers also give EOFError, ValueError...
        raise LiaisonError("import.err.xlsx_corrupt") from exc


def _scan_text_runs(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> None:
    """Stream a sheet or the text table, refusing a text run (a cell's characters between tags) far over
    the cell limit. In bytes, with room for 4-byte characters and XML escapes: cells just over the limit
    are refused later, by their exact length and row; this catches the 200 MB cell before it exists.

    A run longer than ``longest`` covers a whole aligned window of half that size, so only windows are
    tested (``bytes.find`` runs in C); a window without a tag is measured out to its run's ends."""
    longest = limits.max_cell_chars * 12
    window = longest // 2
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(4 * 1024 * 1024):
            block = tail + chunk
            for start in range(0, len(block) - window + 1, window):
                end = start + window
                if block.find(b"<", start, end) != -1 or block.find(b">", start, end) != -1:
                    continue
                left = max(block.rfind(b"<", 0, start), block.rfind(b">", 0, start)) + 1
                right = min(
                    (i for i in (block.find(b"<", end), block.find(b">", end)) if i != -1), default=len(block)
                )
                if right - left > longest:
                    raise TooLarge("import.err.xlsx_long_cell", limit=limits.max_cell_chars)
            cut = max(block.rfind(b"<"), block.rfind(b">"))
            tail = block[cut + 1 :] if cut >= 0 else block


def _workbook_records(data: bytes, limits: Limits) -> list[Record]:
    """The rows of the first worksheet that has any data (an empty list if none has)."""
    import openpyxl  # imported lazily: it is slow to import and most sessions never import a file

    with _sheets_without_size():
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            records = _sheet_records(sheet, limits)
            if records:
                return records
        return []
    finally:
        workbook.close()


_OPENPYXL_PATCH = threading.Lock()


@contextmanager
def _sheets_without_size() -> Iterator[None]:
    """Open read-only sheets without openpyxl measuring them first. When a sheet has no <dimension>
    element (files not written by Excel) openpyxl parses the whole sheet to find its size: a 1M-row sheet
    costs half a minute before the first row is read, and the row limit never gets its say. The size is
    not needed: :func:`_sheet_records` resets it and trusts the cells."""
    from openpyxl.reader import excel
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class UnmeasuredSheet(ReadOnlyWorksheet):  # type: ignore[misc]
        def _get_size(self) -> None:
            pass

    with _OPENPYXL_PATCH:
        excel.ReadOnlyWorksheet = UnmeasuredSheet
        try:
            yield
        finally:
            excel.ReadOnlyWorksheet = ReadOnlyWorksheet


def _sheet_records(sheet: Any, limits: Limits) -> list[Record]:
    # The stored <dimension> is often wrong in files written by other tools; trust the cells instead.
    sheet.reset_dimensions()
    records: list[Record] = []
    blank_run = 0
    cap = limits.max_rows + _HEADER_SEARCH_ROWS + 1
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        cells = [_cell_text(value) for value in values]
        _check_cells(number, cells, limits)
        blank = _is_blank(cells)
        blank_run = blank_run + 1 if blank else 0
        if blank_run > _MAX_BLANK_RUN:
            break
        if number > cap and not blank:
            _past_the_limit(records, "xlsx", limits, number)
        if number <= cap:
            records.append((number, cells))
    return _drop_trailing_blanks(records)


def _past_the_limit(records: list[Record], kind: SourceKind, limits: Limits, number: int) -> None:
    """Refuse a file with a row of data past the read cap, naming the first data row past the limit
    (rows above the header, blank and totals rows do not count)."""
    _check_rows(_tabulate(records, kind, widen=kind == "xlsx"), limits)
    raise TooLarge("import.err.too_many_rows", limit=limits.max_rows, row=number)


def _cell_text(value: object) -> str:
    """Cell value as the text a staff member would expect to see."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    return _clean(str(value))


def _float_text(value: float) -> str:
    """Integral floats without ".0" or exponent: phone numbers typed into Excel are stored as numbers."""
    if not math.isfinite(value):
        return str(value)
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    return format(Decimal(text), "f") if "e" in text else text


# ---------------------------------------------------------------------------------------------- vCard

_VCARD_KEYS = (
    "native_name",
    "latin_name",
    "family_name",
    "given_name",
    "phones",
    "emails",
    "wechat",
    "org",
    "title",
    "notes",
    "birth_date",
    "city",
    "country",
    "url",
    "linkedin",
    "tags",
)
_BINARY_PROPERTY = re.compile(r"(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
# The same content-line grammar as vobject's parser (group.NAME;PARAM=v,"v";...:value), written
# without its nested optional repeats: vobject's regex backtracks exponentially on a line that fails
# to match (an 87-character damaged line took a second, a few more characters would take minutes).
_CONTENT_LINE = re.compile(r'(?:[\w-]+\.)?[\w-]+;?(?:;[\w-]+(?:[=,](?:"[^"]*"|[^";:,=]*))*)*:', re.ASCII)


@dataclass
class _Property:
    name: str  # upper case, group prefix ("item1.") removed
    params: str  # every parameter name and value, lower case, for "is this WeChat?" checks
    value: str  # transfer encoding and charset decoded, vCard escapes still in place


def _read_vcard(text: str, encoding: str, limits: Limits = DEFAULT_LIMITS) -> RawTable:
    """One row per card, keyed by canonical field names.

    Lines are read with the ``vobject`` library rather than a hand-written parser because vCards from
    phones mix versions 2.1, 3.0 and 4.0, and vobject already handles line folding, 2.1
    QUOTED-PRINTABLE values with their soft line breaks (``allowQP=True``; without it vobject chokes on
    them) and the CHARSET parameter (GBK from old Chinese phones), and parameter syntax. Its per-value
    "behaviours" are deliberately not used: its text decoding keeps only the part before the first
    unescaped comma, and vCard 2.1 never escapes commas, so "Prof., Dept. of X" would lose everything
    after "Prof."; unescaping and splitting of N/ORG/ADR is done here instead. Binary properties
    (photos) are dropped before parsing, as nothing of them is imported and 2.1 base64 blocks trip
    parsers. Each card is parsed on its own so a broken card ends up in ``skipped``.
    """
    cards = _split_cards(text)
    if not cards:
        raise LiaisonError("import.err.vcard_none")
    if len(cards) > limits.max_rows:
        raise TooLarge("import.err.too_many_rows", limit=limits.max_rows, row=limits.max_rows + 1)
    rows: list[RawRow] = []
    skipped: list[tuple[int, str]] = []
    for number, card_text in enumerate(cards, start=1):
        values, unreadable = _parse_card(card_text)
        _check_cells(number, list(values.values()), limits, list(values))
        if any(values.values()):
            rows.append(RawRow(number, values))
        else:
            skipped.append((number, "invalid_card" if unreadable else "blank"))
    if not rows:
        if any(reason == "invalid_card" for _, reason in skipped):
            raise LiaisonError("import.err.vcard_invalid", count=len(cards))
        raise LiaisonError("import.err.no_rows")
    headers = [key for key in _VCARD_KEYS if any(row.values.get(key) for row in rows)]
    for row in rows:
        row.values = {key: row.values.get(key, "") for key in headers}
    return RawTable("vcard", headers, rows, encoding=encoding, header_row=0, skipped=skipped)


def _split_cards(text: str) -> list[str]:
    """The BEGIN:VCARD..END:VCARD blocks, binary properties removed; a last card cut off is closed."""
    cards: list[str] = []
    current: list[str] | None = None
    depth = 0
    for line in re.split(r"\r\n|\r|\n", text):
        marker = line.strip().upper()
        if current is None:
            if marker == "BEGIN:VCARD":
                current, depth = [line], 1
            continue
        depth += (marker == "BEGIN:VCARD") - (marker == "END:VCARD")  # nested AGENT cards
        current.append(line)
        if depth == 0:
            cards.append("\r\n".join(_drop_binary_properties(current)))
            current = None
    if current is not None:
        cards.append("\r\n".join([*_drop_binary_properties(current), "END:VCARD"]))
    return cards


def _drop_binary_properties(lines: list[str]) -> list[str]:
    """Remove PHOTO/LOGO/SOUND/KEY with their continuation lines (2.1 base64 ends at a blank line)."""
    kept: list[str] = []
    dropping = False
    for line in lines:
        if dropping and (not line.strip() or line[:1] in " \t"):
            continue
        dropping = bool(_BINARY_PROPERTY.match(line))
        if not dropping:
            kept.append(line)
    return kept


def _parse_card(card_text: str) -> tuple[dict[str, str], int]:
    """The card's values and how many of its lines could not be read."""
    try:
        properties, unreadable = _card_properties(card_text)
        return _card_values(properties), unreadable
    except Exception:  # vobject's line reader on input nobody anticipated: the card is unreadable
        return {}, 1


def _card_properties(card_text: str) -> tuple[list[_Property], int]:
    from vobject.base import getLogicalLines, textLineToContentLine  # lazily, like openpyxl

    properties: list[_Property] = []
    unreadable = 0
    for line, number in getLogicalLines(io.StringIO(card_text), allowQP=True):
        if not _CONTENT_LINE.match(line):
            unreadable += 1
            continue
        try:
            content = textLineToContentLine(line, number)  # decodes QUOTED-PRINTABLE + CHARSET
        except Exception:  # ParseError, or a bad QP sequence / unknown charset in this one line
            unreadable += 1
            continue
        params = [*content.singletonparams, *(f"{k}={v}" for k, vs in content.params.items() for v in vs)]
        value = content.value if isinstance(content.value, str) else ""
        if any(p.upper() in ("ENCODING=B", "ENCODING=BASE64", "BASE64") for p in params):
            value = ""  # base64 payloads are binary (keys, sounds), never contact text
        properties.append(_Property(content.name.upper(), " ".join(params).lower(), value))
    return properties, unreadable


def _card_values(properties: list[_Property]) -> dict[str, str]:
    def values_of(*names: str) -> list[str]:
        return [prop.value for prop in properties if prop.name in names]

    def texts(*names: str) -> list[str]:
        return _unique(_unescape(value) for value in values_of(*names))

    name_parts = [*_components(next(iter(values_of("N")), ""), ";"), "", ""]
    address = [*_components(next(iter(values_of("ADR")), ""), ";"), *[""] * 7]
    urls = texts("URL", "X-SOCIALPROFILE")
    values = _names(next(iter(texts("FN")), ""), name_parts[0], name_parts[1])
    values |= {
        "phones": "\n".join(_unique(re.sub(r"^tel:", "", t, flags=re.IGNORECASE) for t in texts("TEL"))),
        "emails": "\n".join(_unique(re.sub(r"^mailto:", "", t, flags=re.IGNORECASE) for t in texts("EMAIL"))),
        "wechat": _wechat(properties),
        "org": "\n".join(" / ".join(p for p in _components(v, ";") if p) for v in values_of("ORG")),
        "title": (texts("TITLE") or texts("ROLE") or [""])[0],
        "notes": "\n".join(texts("NOTE")),
        "birth_date": next(iter(texts("BDAY")), ""),
        "city": address[3],
        "country": address[6],
        "url": "\n".join(url for url in urls if "linkedin.com" not in url.lower()),
        "linkedin": "\n".join(url for url in urls if "linkedin.com" in url.lower()),
        "tags": "\n".join(_unique(tag for v in values_of("CATEGORIES") for tag in _components(v, ","))),
    }
    return values


def _names(fn: str, family: str, given: str) -> dict[str, str]:
    """FN goes to native_name unless it is Latin script; N fills whichever of the two is missing."""
    values = {"native_name": "", "latin_name": "", "family_name": family, "given_name": given}
    if fn:
        values["latin_name" if _is_latin(fn) else "native_name"] = fn
    if family or given:
        if _is_latin(family + given):
            values["latin_name"] = values["latin_name"] or " ".join(p for p in (given, family) if p)
        else:
            values["native_name"] = values["native_name"] or family + given  # 张 + 伟, no space
    return values


def _wechat(properties: list[_Property]) -> str:
    """X-WECHAT/X-WEIXIN, or an IMPP whose scheme or service type says WeChat (iOS: X-SERVICE-TYPE)."""
    handles = [_unescape(p.value) for p in properties if p.name in ("X-WECHAT", "X-WEIXIN")]
    for prop in properties:
        if prop.name != "IMPP":
            continue
        raw = _unescape(prop.value)
        scheme, _, rest = raw.partition(":")
        if scheme.lower() in ("wechat", "weixin") or "wechat" in prop.params or "weixin" in prop.params:
            handles.append(rest.lstrip("/") if rest else raw)
    return "\n".join(_unique(handles))


def _components(value: str, separator: str) -> list[str]:
    """Split a structured value (N, ADR, ORG, CATEGORIES) on unescaped separators, then unescape."""
    parts: list[str] = []
    current: list[str] = []
    chars = iter(value)
    for char in chars:
        if char == "\\":
            escaped = next(chars, "")
            current.append("\n" if escaped in ("n", "N") else escaped)
        elif char == separator:
            parts.append(_clean("".join(current)))
            current = []
        else:
            current.append(char)
    parts.append(_clean("".join(current)))
    return parts


def _unescape(value: str) -> str:
    """vCard text escapes: \\n (or \\N) is a line break, any other \\x is x itself."""
    return _components(value, "")[0] if value else ""


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def _is_latin(text: str) -> bool:
    """True when every letter is Latin script (ASCII or accented); CJK, Hangul, Cyrillic... are native."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())
