"""A report's exports: CSV (the one CSV writer, web/csv_export.py: BOM, formula-safe
cells) and XLSX (openpyxl, one sheet per table, numbers as numbers, days as
dates, durations as [h]:mm:ss). Both are drawn from the report's JSON view."""
from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from queue_server.web.csv_export import csv_text
from queue_server.web.i18n import translate

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def heading(view: dict[str, Any], office: str, language: str) -> list[list[str]]:
    """The lines every export starts with: office, report, period and time zone, filters."""
    lines = [[translate(language, "export_office"), office],
             [translate(language, "export_report"), view["title"]],
             [translate(language, "export_period"), f"{view['from']} – {view['to']}",
              view["timezone"]]]
    for name, value in view["filters"].items():
        lines.append([translate(language, f"report_filter_{name}"), str(value)])
    return lines


def _header(column: dict[str, str], language: str) -> str:
    if column["kind"] == "seconds":
        return f"{column['label']} ({translate(language, 'export_seconds')})"
    return column["label"]


def to_csv(view: dict[str, Any], office: str, language: str) -> str:
    """Every table of the report one after the other, each under its title."""
    lines: list[list[Any]] = list(heading(view, office, language))
    for table in view["tables"]:
        lines += [[], [table["title"]], [_header(c, language) for c in table["columns"]]]
        lines += [list(row) for row in table["rows"]]
    return csv_text(lines)


def _sheet_title(title: str, taken: set[str]) -> str:
    base = _SHEET_UNSAFE.sub(" ", title)[:31].strip() or "Tabel"
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base[:28]} {n}"
    taken.add(name.lower())
    return name


def _put(sheet, row: int, column: int, value: Any, kind: str) -> None:
    if value is None:
        return
    if kind == "date" and isinstance(value, str):
        target = sheet.cell(row, column, date.fromisoformat(value))
        target.number_format = "yyyy-mm-dd"
    elif kind == "seconds":
        target = sheet.cell(row, column, value / 86400)  # a spreadsheet's duration
        target.number_format = "[h]:mm:ss"
    else:
        target = sheet.cell(row, column, value)
        if isinstance(value, str):
            target.data_type = "s"  # text stays text: "=..." is never a formula
        elif kind == "percent":
            target.number_format = "0.0"


def to_xlsx(view: dict[str, Any], office: str, language: str) -> bytes:
    """One sheet per table, headed by the report's heading lines; bold column headers."""
    from openpyxl import Workbook  # ~16 MB: loaded by the first export, not by every worker
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    lines = heading(view, office, language)
    for table in view["tables"]:
        sheet = book.create_sheet(_sheet_title(table["title"], taken))
        for r, line in enumerate(lines, start=1):
            for c, value in enumerate(line, start=1):
                sheet.cell(r, c, value).data_type = "s"
        top = len(lines) + 2
        sheet.cell(top - 1, 1, table["title"]).data_type = "s"
        for c, column in enumerate(table["columns"], start=1):
            header = sheet.cell(top, c, column["label"])
            header.data_type = "s"
            header.font = Font(bold=True)
            width = max(12, len(column["label"]) + 2)
            sheet.column_dimensions[header.column_letter].width = width
        for r, row in enumerate(table["rows"], start=top + 1):
            for c, column in enumerate(table["columns"], start=1):
                _put(sheet, r, c, row[c - 1], column["kind"])
        sheet.freeze_panes = sheet.cell(top + 1, 2)
    if not book.sheetnames:
        book.create_sheet("Laporan")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
