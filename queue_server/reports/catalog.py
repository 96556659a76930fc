"""The report catalog: each report is a section that builds tables from one query.

A section returns a Report: a few headline figures and tables (columns, rows, an optional
chart). The page, the JSON, the CSV, the XLSX and the PDF are all drawn from those tables,
so they always agree. Subsystems register sections (the queue's here, the procedure's
through app.py).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from queue_server.reports.periods import Query
from queue_server.web.i18n import translate


def duration(seconds: float | None, missing: str = "–") -> str:
    """Seconds as h:mm:ss, the one way pages and PDFs show a duration; `missing` for None."""
    if seconds is None:
        return missing
    hours, rest = divmod(round(seconds), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def cell(value: Any, kind: str, language: str, missing: str = "–") -> str:
    """A table cell as pages and PDFs show it (the JSON keeps the raw value): durations as
    h:mm:ss, decimals with two places and shares with one, a decimal comma in Indonesian;
    `missing` for None."""
    if value is None:
        return missing
    if kind == "seconds":
        return duration(value, missing)
    if kind in ("number", "percent") and isinstance(value, float):
        text = f"{value:.2f}" if kind == "number" else f"{value:.1f}"
        return text.replace(".", ",") if language == "id" else text
    return str(value)


DOCUMENTS = {"monthly": ("volume", "waits", "procedure", "ppid"), "skm": ("skm",)}
"""Each PDF (reports/pdf.py, which loads fpdf2 only when a PDF is asked for) and the
reports it draws from."""


KINDS = ("text", "int", "number", "seconds", "percent", "date")
"""Column kinds: text; whole numbers; decimals; durations in seconds; 0-100 shares; days."""


@dataclass(frozen=True)
class Column:
    key: str
    kind: str = "int"
    label: str | None = None
    """A label key; by default "report_col_" + key."""

    def view(self, language: str) -> dict[str, str]:
        return {"key": self.key, "label": translate(language, self.label or
                                                    f"report_col_{self.key}"),
                "kind": self.kind}


@dataclass
class Table:
    key: str
    columns: list[Column]
    rows: list[list[Any]]
    chart: dict[str, Any] | None = None
    """{"type": "bar" | "line" | "heatmap", "x": column key, "y": [column keys]}."""

    def view(self, language: str) -> dict[str, Any]:
        return {"key": self.key, "title": translate(language, f"report_table_{self.key}"),
                "columns": [column.view(language) for column in self.columns],
                "rows": self.rows, "chart": self.chart}


@dataclass
class Report:
    figures: dict[str, Any]
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """One report: its key (the URL's last part) and how to build it."""

    key: str
    build: Callable[[Session, Query, Any], Report]
    """(session, query, config) -> Report."""
    uses_filters: tuple[str, ...] = ()
    """Which of the filters (service, category, counter, officer) it applies."""
    prepare: Callable[[Session, Query], None] | None = None
    """Run first in a write transaction of its own (session, query): brings a roll-up
    up to date, so build only reads."""


class Catalog:
    """The registered report sections, in menu order."""

    def __init__(self) -> None:
        self.sections: dict[str, Section] = {}
        self.board_parts: list[Callable] = []
        """Functions that add to the live board's snapshot (reports.board.BoardPart)."""

    def register(self, section: Section) -> None:
        if section.key in self.sections:
            raise ValueError(f"report {section.key!r} is registered twice")
        self.sections[section.key] = section

    def view(self, key: str, report: Report, query: Query) -> dict[str, Any]:
        """A report as JSON."""
        section = self.sections[key]
        language = query.language
        return {"report": key, "title": translate(language, f"report_{key}"),
                "from": query.period.start.isoformat(), "to": query.period.end.isoformat(),
                "timezone": query.period.tz.key,
                "filters": {k: v for k, v in query.filters.items() if k in section.uses_filters},
                "figures": report.figures,
                "tables": [table.view(language) for table in report.tables]}
