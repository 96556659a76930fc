"""Attach the procedure to an app: its service, routes and pages, and the nightly purge."""
from __future__ import annotations

import logging

from flask import Flask

from queue_server.platform import leases
from queue_server.platform.transactions import Outcome
from queue_server.procedure.fetch import on_ticket_called
from queue_server.procedure.personal import DailyPurge, purge
from queue_server.procedure.ppid import holiday_gaps
from queue_server.procedure.visits import ProcedureService
from queue_server.procedure.web import api_office, api_visits, pages
from queue_server.tickets.events import TICKET_CALLED

log = logging.getLogger(__name__)


def run_purge(services) -> int:
    """Purge guest-book personal data past the retention period, in one transaction."""
    settings = services.config.procedure.guest_book
    now = services.clock()

    def work(session) -> Outcome:
        count = purge(session, now.astimezone(services.config.tz).date(),
                      settings.retention_days, now)
        return Outcome(None, [], view={"purged": count})

    purged = services.work.run(work).view["purged"]
    for other in services.purges:  # other subsystems' personal data (visitors' phones)
        services.work.run(lambda session, other=other: Outcome(result=other(session, now)))
    return purged


def init_app(app: Flask, services) -> ProcedureService:
    """Build the procedure service and register its blueprints on the app.

    The nightly purge is built here and started with the other background jobs
    (queue_server.app.start_background), so an app built for a test or a command starts
    no thread.
    """
    procedure = ProcedureService(services.config, services.clock, services.queue)
    app.extensions["procedure"] = procedure
    if procedure.procedure.enabled:
        today = services.clock().astimezone(services.config.tz).date()
        for year in holiday_gaps(procedure, today):
            # Loud: without the list, 1 January and every holiday count as working days.
            log.warning("Daftar hari libur %s belum diisi: PPID deadlines that reach %s count "
                        "every weekday as a working day; add the SKB 3 Menteri holidays of "
                        "%s to config.yaml (holidays:)", year, year, year)
    app.register_blueprint(api_visits.blueprint)
    app.register_blueprint(api_office.blueprint)
    app.register_blueprint(pages.blueprint)
    services.publisher.hook(TICKET_CALLED, on_ticket_called)
    app.extensions["procedure_purge"] = DailyPurge(lambda: purge_once(services),
                                                   services.config.tz)
    return procedure


PURGE_LEASE_SECONDS = 12 * 3600
"""The nightly purge runs in the one process that takes this lease; the others skip it."""


def purge_once(services) -> int:
    """Run the nightly purge in one process of the cluster (the others find the lease held)."""
    if not leases.once(services.engine, "daily-purge", PURGE_LEASE_SECONDS, services.clock()):
        return 0
    return run_purge(services)
