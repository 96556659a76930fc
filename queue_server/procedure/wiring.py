"""Attach the procedure to an app: its service, routes, pages, error answers, nightly purge."""
from __future__ import annotations

import logging
import threading

from flask import Flask, jsonify, render_template, request

from queue_server.platform.services import AppServices
from queue_server.tickets.issuing import Outcome
from queue_server.procedure.errors import ProcedureError
from queue_server.procedure.personal import DailyPurge, purge
from queue_server.procedure.visits import ProcedureService

log = logging.getLogger(__name__)


def run_purge(services: AppServices) -> int:
    """Purge guest-book personal data past the retention period, in one transaction."""
    settings = services.config.procedure.guest_book
    now = services.clock()

    def work(session) -> Outcome:
        count = purge(session, now.astimezone(services.config.tz).date(),
                      settings.retention_days, now)
        return Outcome(None, [], view={"purged": count})

    return services.work.run(work).view["purged"]


def init_app(app: Flask, services: AppServices, start_purge: bool = True) -> ProcedureService:
    """Build the procedure service and register its blueprints on the app."""
    from queue_server.procedure import api_office, api_visits, pages  # noqa: F401 - api_office adds routes

    procedure = ProcedureService(services.config, services.clock, services.queue)
    app.extensions["procedure"] = procedure
    app.register_blueprint(api_visits.blueprint)
    app.register_blueprint(pages.blueprint)

    @app.errorhandler(ProcedureError)
    def procedure_error(exc: ProcedureError):
        if request.path.startswith("/api/"):
            response = jsonify({"error": {"code": exc.code, "message": exc.message}})
            response.status_code = exc.status
            return response
        return render_template("procedure/error.html", error=exc), exc.status

    if start_purge:
        app.extensions["procedure_purge"] = nightly_purge(services)
    return procedure


_NIGHTLY: dict[str, DailyPurge] = {}
_NIGHTLY_LOCK = threading.Lock()


def nightly_purge(services: AppServices) -> DailyPurge:
    """One nightly purge thread per database in a process, purging with the newest app."""
    with _NIGHTLY_LOCK:
        nightly = _NIGHTLY.get(services.config.database_url)
        if nightly is None:
            nightly = DailyPurge(lambda: run_purge(services), services.config.tz).start()
            _NIGHTLY[services.config.database_url] = nightly
        else:
            nightly.run = lambda: run_purge(services)
        return nightly
