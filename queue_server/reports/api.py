"""API v1 reports: each registered report as JSON (and its exports), for admin and the
supervisor only; 422 for a bad range or filter."""
from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError

from queue_server.auth.models import Role
from queue_server.platform.transactions import Outcome
from queue_server.reports import exports
from queue_server.reports.board import snapshot
from queue_server.reports.catalog import DOCUMENTS, Catalog, Report, Section
from queue_server.reports.periods import Query, parse_filters, parse_period
from queue_server.web.csv_export import csv_response
from queue_server.web.requests import query_choice, require, services

READERS = (Role.SUPERVISOR,)
"""Who reads reports besides admin."""
PREFIX = "/api/v1/reports"
BOARD = "/api/v1/board"
EXPORTS = ("csv", "xlsx")



def catalog() -> Catalog:
    return current_app.extensions["reports"]


def today():
    app = services()
    return app.clock().astimezone(app.config.tz).date()


def read_query(args=None) -> Query:
    """The period, filters and language of this request's query string (or of args)."""
    config = services().config
    args = request.args if args is None else args
    language = query_choice("lang", ["id", "en"], config.default_language)
    return Query(parse_period(args, config.tz, today()), parse_filters(args, config),
                 language, today(), services().clock())


def build(section: Section, query: Query) -> Report:
    app = services()
    if section.prepare is not None:
        try:
            app.work.run(lambda db: Outcome(None, [], view=section.prepare(db, query)))
        except IntegrityError:  # another request rolled the same days up first
            pass
    with app.work.read() as db:
        return section.build(db, query, app.config)


def report_json(key: str) -> dict[str, Any]:
    section = catalog().sections[key]
    query = read_query()
    return catalog().view(key, build(section, query), query)


def _json_view(key: str):
    @require(*READERS)
    def view():
        return jsonify(report_json(key))

    return view


def _export_view(key: str, fmt: str):
    @require(*READERS)
    def view():
        data = report_json(key)
        app = services()
        language = query_choice("lang", ["id", "en"], app.config.default_language)
        name = f"laporan-{key}-{data['from']}-{data['to']}.{fmt}"
        disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
        if fmt == "csv":
            return csv_response(exports.to_csv(data, app.config.office_name, language), name)
        return Response(exports.to_xlsx(data, app.config.office_name, language),
                        mimetype=exports.XLSX_TYPE, headers=disposition)

    return view


def _pdf_view(name: str, keys: tuple[str, ...]):
    @require(*READERS)
    def view():
        app = services()
        language = query_choice("lang", ["id", "en"], app.config.default_language)
        views = {key: report_json(key) for key in keys}
        from queue_server.reports import pdf  # fpdf2 and fontTools: ~35 MB, loaded on use

        first = next(iter(views.values()))
        body = pdf.WRITERS[name](views, app.config.office_name, app.config.office_unit,
                                 app.config.reports, language)
        filename = f"laporan-{name}-{first['from']}-{first['to']}.pdf"
        return Response(body, mimetype="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{filename}"'})

    return view


def add_routes(app: Flask, reports: Catalog) -> None:
    """One GET route per report: /api/v1/reports/<key> (the catalog is fixed at start)."""
    for key in reports.sections:
        app.add_url_rule(f"{PREFIX}/{key}", f"reports_api.{key}", _json_view(key))
        for fmt in EXPORTS:
            app.add_url_rule(f"{PREFIX}/{key}.{fmt}", f"reports_api.{key}_{fmt}",
                             _export_view(key, fmt))
    for name, keys in DOCUMENTS.items():
        if all(key in reports.sections for key in keys):
            app.add_url_rule(f"{PREFIX}/{name}.pdf", f"reports_api.{name}_pdf",
                             _pdf_view(name, keys))
    app.add_url_rule(BOARD, "reports_api.board", board_json)


@require(*READERS)
def board_json():
    """The live board's snapshot (today so far)."""
    app = services()
    language = query_choice("lang", ["id", "en"], app.config.default_language)
    with app.work.read() as db:
        return jsonify(snapshot(db, app.config, app.clock(), language,
                                tuple(catalog().board_parts)))
