"""A report out to a file: CSV (UTF-8 with BOM, every section one after the other, numbers as plain numbers)
or XLSX (a sheet per section, the charted section first with a native Excel chart over its cells, drawn by
Excel itself: openpyxl writes the chart's definition, not a picture).

Written to a temporary name and renamed at the end, readable by the owner only, like every export.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path
from typing import Any

from ..domain.errors import LiaisonError
from ..domain.i18n import get_lang
from ..private_files import private_file, private_open
from ..store.reports.model import Report, Section
from .report_text import cell, header, notes, raw_value, scope_line, title

FORMATS = ("csv", "xlsx")


def sections_out(report: Report) -> list[Section]:
    """The charted section first, then the others in the report's order."""
    chart = report.chart.section if report.chart else None
    return sorted(report.sections, key=lambda s: s.key != chart)


def write(report: Report, fmt: str, path: str | os.PathLike[str], lang: str | None = None) -> Path:
    if fmt not in FORMATS:
        raise LiaisonError("export.err.format", kind=report.name, format=fmt, allowed=", ".join(FORMATS))
    lang = lang or get_lang()
    target = Path(path)
    temp = target.with_name(f".{target.name}.part")
    try:
        (_csv if fmt == "csv" else _xlsx)(report, temp, lang)
        os.replace(temp, target)
    except OSError as exc:
        raise LiaisonError("export.err.write", path=str(target), reason=exc.strerror or str(exc)) from exc
    finally:
        temp.unlink(missing_ok=True)
    return target


def _csv_text(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never a formula in Excel
    return "" if value is None else value


def _csv(report: Report, path: Path, lang: str) -> None:
    with private_open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow([title(report.name, lang)])
        out.writerow([scope_line(report, lang)])
        for line in notes(report, lang):
            out.writerow([line])
        for section in sections_out(report):
            out.writerow([])
            out.writerow([_section_title(section, lang)])
            out.writerow([header(c, lang) for c in section.columns])
            for row in section.rows:
                out.writerow([_csv_text(raw_value(c, row, report, lang)) for c in section.columns])


def _section_title(section: Section, lang: str) -> str:
    from ..domain.i18n import t

    return t(section.title, lang)


def _sheet_name(text: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", text)[:28].strip() or "Sheet"
    base, n = name, 2
    while name in taken:
        name = f"{base[:25]} {n}"
        n += 1
    taken.add(name)
    return name


def _xlsx(report: Report, path: Path, lang: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for index, section in enumerate(sections_out(report)):
        sheet = book.create_sheet(_sheet_name(_section_title(section, lang), taken))
        sheet.append([f"{title(report.name, lang)} · {_section_title(section, lang)}"])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([scope_line(report, lang)])
        for line in notes(report, lang):
            sheet.append([line])
        sheet.append([])
        head_row = sheet.max_row + 1
        sheet.append([header(c, lang) for c in section.columns])
        for c in sheet[head_row]:
            c.font = bold
        for row in section.rows:
            values = []
            for column in section.columns:
                value = raw_value(column, row, report, lang)
                values.append(value if not isinstance(value, str) else _xlsx_text(value))
            sheet.append(values)
            if row.total:
                for c in sheet[sheet.max_row]:
                    c.font = bold
            else:
                for column, c in zip(section.columns, sheet[sheet.max_row], strict=False):
                    if column.kind == "pct":
                        c.number_format = "0%"
                    elif column.kind == "days":
                        c.number_format = "0.0"
        sheet.freeze_panes = sheet.cell(row=head_row + 1, column=1)
        for i, column in enumerate(section.columns, 1):
            sheet.column_dimensions[sheet.cell(row=head_row, column=i).column_letter].width = (
                28 if column.kind in ("text", "org", "enum:CaseCategory", "problem") else 14
            )
        if index == 0 and report.chart is not None and report.chart.section == section.key:
            _chart(sheet, report, section, head_row, lang)
    book.save(private_file(path))


def _chart(sheet: Any, report: Report, section: Section, head_row: int, lang: str) -> None:
    """A native bar (or line) chart over the section's own cells: its bars are the non-total rows."""
    from openpyxl.chart import BarChart, LineChart, Reference

    chart_spec = report.chart
    assert chart_spec is not None
    keys = [c.key for c in section.columns]
    rows = [r for r in section.rows if not r.total][: chart_spec.limit]
    if not rows:
        return
    first, last = head_row + 1, head_row + len(rows)
    if chart_spec.kind == "lines":
        chart: Any = LineChart()
    else:
        chart = BarChart()
        chart.type = "bar" if chart_spec.kind == "hbars" else "col"
        if chart_spec.kind == "stacked":
            chart.grouping, chart.overlap = "stacked", 100
    chart.title = f"{title(report.name, lang)} · {_section_title(section, lang)}"
    chart.height, chart.width = 9, 18
    for key in chart_spec.series:
        col = keys.index(key) + 1
        chart.add_data(Reference(sheet, min_col=col, min_row=head_row, max_row=last), titles_from_data=True)
    label_col = keys.index(chart_spec.label) + 1
    chart.set_categories(Reference(sheet, min_col=label_col, min_row=first, max_row=last))
    if chart_spec.kind == "hbars":
        chart.y_axis.scaling.orientation = "minMax"
        chart.x_axis.scaling.orientation = "maxMin"  # first row at the top, as in the table
    if len(chart_spec.series) == 1:
        chart.legend = None
    anchor = sheet.cell(row=head_row, column=len(keys) + 2).coordinate
    sheet.add_chart(chart, anchor)


def _xlsx_text(text: str) -> str:
    cleaned = "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)
    return "'" + cleaned if cleaned[:1] == "=" else cleaned


# A cell in the terminal's words is what the sheets hold for labels: keep one formatter.
__all__ = ["FORMATS", "cell", "sections_out", "write"]
