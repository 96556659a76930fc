"""Attach the reports to an app: the catalog of sections and their routes and pages."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Flask

from queue_server.reports import api, pages
from queue_server.reports.catalog import Catalog, Section
from queue_server.reports.queue import SECTIONS as QUEUE_SECTIONS


def init_app(app: Flask, contributed: Iterable[Section],
             board_parts: Iterable[Callable] = ()) -> Catalog:
    """Register the queue's reports and those other subsystems contribute (app.py passes
    the procedure's), and the parts others add to the live board."""
    reports = Catalog()
    for section in (*QUEUE_SECTIONS, *contributed):
        reports.register(section)
    reports.board_parts.extend(board_parts)
    app.extensions["reports"] = reports
    api.add_routes(app, reports)
    app.register_blueprint(pages.blueprint)
    return reports
