"""The one CSV writer of every export: UTF-8 with a BOM, cells a spreadsheet cannot run.

The format, the same for every export and language (README, "Exports"):
- UTF-8 with a byte order mark, so Excel opens Indonesian text correctly; comma-separated.
- Dates as YYYY-MM-DD, times of day as HH:MM:SS, moments as YYYY-MM-DD HH:MM:SS in the
  office's time zone; whole numbers without separators, decimals with a point.
- Yes/no as the language's word (Ya/Tidak, Yes/No); codes as their names in the language.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from typing import Any

from flask import Response

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """A CSV cell; text a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def plain(value: Any, tz: tzinfo | None = None) -> Any:
    """Dates, moments and numbers in the exports' one format (see the module text)."""
    if isinstance(value, datetime):
        local = value.astimezone(tz) if tz is not None and value.tzinfo else value
        return local.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    return value


def csv_text(lines: Iterable[Iterable[Any]]) -> str:
    """CSV text with the BOM; every cell made formula-safe."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    for line in lines:
        writer.writerow([cell(value) for value in line])
    return buffer.getvalue()


def csv_response(text: str, filename: str) -> Response:
    """An attachment download of CSV text made by csv_text."""
    return Response(text.encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Type": "text/csv; charset=utf-8",
                             "Content-Disposition": f'attachment; filename="{filename}"'})
