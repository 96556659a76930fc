"""The reports page (/laporan) and the live board (/pemantauan): admin and supervisor.

The page renders the same tables the JSON carries, each with a sentence that sums it up,
and draws the charts in the browser from a JSON data block (Chart.js, vendored).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from sqlalchemy import select

from queue_server.auth.models import Role, User
from queue_server.platform.errors import DomainError
from queue_server.reports.api import build, read_query
from queue_server.reports.catalog import DOCUMENTS, Catalog, cell
from queue_server.reports.periods import PRESETS
from queue_server.web.i18n import format_date, local_name, translate
from queue_server.web.pages import labels, page_language, staff_page
from queue_server.web.requests import services

blueprint = Blueprint("reports_pages", __name__, template_folder="templates",
                      static_folder="static", static_url_path="/static/reports")


def catalog() -> Catalog:
    return current_app.extensions["reports"]


def shown(value: Any, kind: str, language: str) -> str:
    """A table cell as the page shows it: dates in the pages' one format (web/i18n.py:
    30/11/2026 in tables), everything else as catalog.cell writes it."""
    if kind == "date" and value is not None:
        return format_date(value, language, "day")
    return cell(value, kind, language)


def summary(table: dict[str, Any], language: str) -> str:
    """One sentence on a table: its rows, and for a chart the highest value of its first
    series and where it is."""
    rows = table["rows"]
    if not rows:
        return translate(language, "report_summary_empty", title=table["title"])
    chart = table.get("chart") or {}
    columns = {c["key"]: (i, c) for i, c in enumerate(table["columns"])}
    series = [key for key in chart.get("y", []) if key in columns]
    if not series:
        return translate(language, "report_summary_rows", title=table["title"], rows=len(rows))
    index, column = columns[series[0]]
    valued = [row for row in rows if row[index] is not None]
    if not valued:
        return translate(language, "report_summary_rows", title=table["title"], rows=len(rows))
    top = max(valued, key=lambda row: row[index])
    total = sum(row[index] for row in valued) if column["kind"] == "int" else None
    text = translate(language, "report_summary_top", title=table["title"], rows=len(rows),
                     column=column["label"], value=shown(top[index], column["kind"], language),
                     at=shown(top[0], table["columns"][0]["kind"], language))
    if total is not None:
        text += " " + translate(language, "report_summary_total", column=column["label"],
                                total=total)
    return text


def heat_level(value: int, top: int) -> int:
    """0-4: the shade of a heat map cell (the number is always printed in it too)."""
    return 0 if not value or not top else min(4, 1 + (4 * value - 1) // top)


def heat_top(rows: list[list]) -> int:
    return max((value for row in rows for value in row[1:]), default=0)


def _officers() -> list[tuple[int, str]]:
    with services().work.read() as db:
        return [(user.id, user.display_name) for user in db.scalars(
            select(User).where(User.role.in_([Role.OFFICER, Role.PPID, Role.RECEPTIONIST,
                                              Role.SECURITY])).order_by(User.display_name))]


def _exports(key: str, args: dict) -> list[tuple[str, str]]:
    """(label key, URL) of the report's downloads: CSV, XLSX, and the PDFs built on it."""
    views = current_app.view_functions
    found = [(f"reports_download_{fmt}", url_for(f"reports_api.{key}_{fmt}", **args))
             for fmt in ("csv", "xlsx") if f"reports_api.{key}_{fmt}" in views]
    for name, keys in DOCUMENTS.items():
        if key in keys and f"reports_api.{name}_pdf" in views:
            found.append((f"reports_download_{name}_pdf",
                          url_for(f"reports_api.{name}_pdf", **args)))
    return found


@blueprint.get("/laporan")
@staff_page(Role.SUPERVISOR)
def reports_page(identity):
    language = page_language()
    reports = catalog()
    key = request.args.get("report", next(iter(reports.sections)))
    if key not in reports.sections:
        key = next(iter(reports.sections))
    error, data = None, None
    try:
        # The form sends its empty fields: they mean "not chosen".
        chosen = {key: value for key, value in request.args.items() if value}
        query = replace(read_query(chosen), language=language)
        data = reports.view(key, build(reports.sections[key], query), query)
    except DomainError as exc:
        error = exc
    config = services().config
    args = {k: v for k, v in request.args.items() if k != "report" and v}
    return render_template(
        "reports/laporan.html", identity=identity, data=data, error=error, current=key,
        reports=[(k, translate(language, f"report_{k}"),
                  url_for("reports_pages.reports_page", report=k, **args))
                 for k in reports.sections],
        exports=_exports(key, args) if data else [],
        presets=PRESETS, args=request.args, shown=shown, summary=summary,
        heat_level=heat_level, heat_top=heat_top, filters=reports.sections[key].uses_filters,
        choices={"service": [(c, local_name(s, language)) for c, s in config.services.items()],
                 "category": [(c, local_name(s, language))
                              for c, s in config.categories.items()],
                 "counter": [(c, local_name(s, language)) for c, s in config.counters.items()],
                 "officer": [(str(i), n) for i, n in _officers()]},
        page_data={"labels": labels(language), "report": data}), 422 if error else 200


@blueprint.get("/pemantauan")
@staff_page(Role.SUPERVISOR)
def board(identity):
    """The live board: the snapshot drawn by the browser, refetched on every queue or
    procedure event of the staff socket."""
    language = page_language()
    return render_template("reports/board.html", identity=identity,
                           page_data={"labels": labels(language), "language": language})
