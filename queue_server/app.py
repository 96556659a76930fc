"""create_app: assemble the subsystems into one Flask app; load_config with every section."""
from __future__ import annotations

import atexit
import logging
import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask_socketio import SocketIO
from sqlalchemy.orm import sessionmaker
from werkzeug.routing import IntegerConverter

from queue_server.auth import api as auth_api
from queue_server.auth import openapi as auth_openapi
from queue_server.auth import pages as auth_pages
from queue_server.auth import protection
from queue_server.auth.service import Authenticator
from queue_server.kiosk import api as kiosk_api
from queue_server.kiosk import openapi as kiosk_openapi
from queue_server.kiosk import pages as kiosk_pages
from queue_server.kiosk import settings as kiosk_settings
from queue_server.notify import api as notify_api
from queue_server.notify import openapi as notify_openapi
from queue_server.notify import settings as notify_settings
from queue_server.notify.service import NotifyService
from queue_server.platform import cluster as cluster_settings
from queue_server.platform.clock import utc_now
from queue_server.platform.config import Config, read_config
from queue_server.platform.config import parse_config as parse_core
from queue_server.platform.database import make_engine, make_session_factory
from queue_server.platform.events import Publisher
from queue_server.platform.services import PlatformServices
from queue_server.platform.transactions import UnitOfWork
from queue_server.printing import api as printing_api
from queue_server.printing import metrics as printing_metrics
from queue_server.printing import openapi as printing_openapi
from queue_server.printing import settings as printing_settings
from queue_server.printing.outbox import STAFF_EVENTS as PRINTING_EVENTS
from queue_server.printing.workers import PrintingService
from queue_server.procedure import reports as procedure_reports
from queue_server.procedure import sections as procedure_sections
from queue_server.procedure.events import EVENT_AUDIENCES, PROCEDURE_EVENTS
from queue_server.procedure.web import openapi as procedure_openapi
from queue_server.procedure.wiring import init_app as init_procedure
from queue_server.reports import openapi as reports_openapi
from queue_server.reports import settings as reports_settings
from queue_server.reports.wiring import init_app as init_reports
from queue_server.tickets import api as tickets_api
from queue_server.tickets import openapi as tickets_openapi
from queue_server.tickets import pages as tickets_pages
from queue_server.tickets.events import STAFF_EVENTS as QUEUE_EVENTS
from queue_server.tickets.events import TICKET_CALLED, TICKET_ISSUED
from queue_server.tickets.service import QueueService
from queue_server.tickets.views import for_role
from queue_server.tv import api as tv_api
from queue_server.tv import openapi as tv_openapi
from queue_server.tv import pages as tv_pages
from queue_server.tv import sockets as tv_sockets
from queue_server.tv import ticket_status
from queue_server.tv.announcer import Announcer
from queue_server.web import errors, health, metrics, openapi, pages, sockets
from queue_server.web.cookie_session import CookieSessions
from queue_server.web.requests import MAX_ID, refuse_nul_in_query_and_form
from queue_server.web.stopping import SHUTDOWN, drop_sockets

OPENAPI_FRAGMENTS = [auth_openapi, tickets_openapi, tv_openapi, printing_openapi,
                     procedure_openapi, notify_openapi, kiosk_openapi]
"""Each subsystem's part of /api/v1/openapi.json."""
CONFIG_SECTIONS = (printing_settings.config_section, procedure_sections.config_section,
                   reports_settings.config_section, notify_settings.config_section,
                   cluster_settings.config_section, kiosk_settings.config_section)
"""Each subsystem's part of config.yaml, read after the core (office, queue, display)."""


def load_config(path: str | os.PathLike | None = None, environ: dict | None = None) -> Config:
    """Read and validate config.yaml with every subsystem's section."""
    return read_config(path, environ, CONFIG_SECTIONS)


def parse_config(data: Any, path: Path, environ: dict | None = None) -> Config:
    """Validate an already-loaded YAML document with every subsystem's section."""
    return parse_core(data, path, environ, CONFIG_SECTIONS)


@dataclass
class AppServices(PlatformServices):
    """Everything a route needs; stored in app.extensions["queue"]."""

    queue: QueueService = None
    auth: Authenticator = None
    announcer: Announcer = None


def build_services(config: Config, engine, session_factory, clock=None) -> AppServices:
    clock = clock or utc_now
    publisher = Publisher()
    announcer = Announcer(config, config.instance_dir / "audio")
    return AppServices(
        config=config, engine=engine, session_factory=session_factory, clock=clock,
        publisher=publisher, work=UnitOfWork(session_factory, publisher),
        queue=QueueService(config, clock, announcer),
        auth=Authenticator(clock, config.security.login_attempts_per_minute,
                           timedelta(hours=config.security.token_lifetime_hours),
                           timedelta(hours=config.security.session_idle_hours)),
        announcer=announcer,
    )


class BoundedInteger(IntegerConverter):
    """<int:...> in a route matches 0 to 2^31 - 1 only, so a larger id is a plain 404."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _async_mode() -> str:
    """gevent inside gunicorn's gevent worker (the stdlib is patched), threads elsewhere."""
    monkey = sys.modules.get("gevent.monkey")
    return "gevent" if monkey is not None and monkey.is_module_patched("socket") else "threading"


def _secret_key(config: Config) -> str:
    if config.security.secret_key:
        return config.security.secret_key
    path = config.instance_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(config: Config | str | Path | None = None,
               clock: Callable | None = None,
               session_factory: sessionmaker | None = None) -> Flask:
    """Build the app: config, database, services, blueprints, socket handlers.

    session_factory: where the app's sessions come from; by default sessions on a new
    engine for config.database_url. The tests pass one bound to a single connection held
    in an outer transaction (join_transaction_mode="create_savepoint") and roll it back.
    """
    if not isinstance(config, Config):
        config = load_config(config)
    config.instance_dir.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, instance_path=str(config.instance_dir),
                template_folder="web/templates", static_folder="web/static")
    app.config.update(
        SECRET_KEY=_secret_key(config), SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=config.security.cookie_secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=config.security.session_idle_hours),
        JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    app.session_interface = CookieSessions()  # its signer built once, not per request
    engine = make_engine(config.database_url, config.database_timeouts)
    services = build_services(config, engine, session_factory or make_session_factory(engine),
                              clock)
    app.extensions["queue"] = services
    app.extensions["openapi_fragments"] = OPENAPI_FRAGMENTS
    printing = PrintingService(services)  # `run` starts its workers
    app.extensions["printing"] = printing
    # Visitors' messages: hooks the queue's calls; `run` starts its sender.
    app.extensions["notify"] = NotifyService(services)

    errors.register(app)
    app.url_map.converters["int"] = BoundedInteger  # an id past PostgreSQL's integer: 404
    app.before_request(refuse_nul_in_query_and_form)
    app.after_request(protection.security_headers)  # CSP, no framing, nosniff, referrer
    for blueprint in (auth_api.blueprint, auth_pages.blueprint, pages.blueprint,
                      tickets_api.blueprint, tickets_pages.blueprint, tv_api.blueprint,
                      tv_pages.blueprint, ticket_status.blueprint, printing_api.blueprint, printing_api.pages, health.blueprint,
                      openapi.blueprint, notify_api.blueprint, kiosk_api.blueprint,
                      kiosk_pages.blueprint):
        app.register_blueprint(blueprint)
    init_procedure(app, services)  # the POS: visits, guest book, PPID, survey
    # Reports: the queue's own, plus the procedure's sections and its CSV cell writer.
    reports = init_reports(app, procedure_reports.SECTIONS,
                           procedure_reports.BOARD_PARTS)
    app.extensions["openapi_fragments"] = [*OPENAPI_FRAGMENTS, reports_openapi.Fragment(reports)]
    # One SocketIO per app: handlers close over this app's services, so apps built
    # side by side (tests, several offices) never hear each other's events.
    socketio = SocketIO()
    app.extensions["queue_socketio"] = socketio
    socketio.init_app(app, async_mode=_async_mode(), message_queue=config.redis_url,
                      channel=config.redis_channel,
                      logger=False, engineio_logger=False)
    sockets.register(socketio, services, QUEUE_EVENTS | PRINTING_EVENTS | PROCEDURE_EVENTS,
                     for_role, EVENT_AUDIENCES)
    app.extensions["display_namespace"] = tv_sockets.register(socketio, services)
    app.extensions["ticket_namespace"] = ticket_status.register(socketio, services)
    # Outermost, around the Socket.IO middleware too: every request sees the real client.
    protection.behind_proxies(app, config.security.trusted_proxies)
    services.publisher.subscribe(services.announcer.on_event)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    metrics.init_app(app, config.cluster.metrics_token, _scrape_gauges(services))
    services.publisher.subscribe(metrics.count_tickets(TICKET_ISSUED, TICKET_CALLED))
    # When the process stops: /readyz says so, TVs and staff pages go to another process.
    app.extensions[SHUTDOWN] = [lambda: app.extensions.__setitem__(health.STOPPING, True),
                                lambda: drop_sockets(socketio)]
    return app


def worker_app(config_path: str | None) -> Flask:
    """The app of `queue-server run`'s gunicorn worker (queue_server.web.serving calls it
    there): read the config, build the app, start its background jobs."""
    app = create_app(load_config(config_path))
    start_background(app)
    return app


SOCKET_NAMESPACES = ("/display", "/staff", "/ticket")


def _scrape_gauges(services: AppServices) -> list[metrics.ScrapeGauge]:
    """The queue's figures for /metrics, read from the database at each scrape."""

    def waiting(session):
        counts: dict[tuple[str, str], int] = {}
        for priority, service, count in services.queue.reading.waiting_groups(session):
            key = (service, metrics.ticket_class(priority))
            counts[key] = counts.get(key, 0) + count
        return list(counts.items())

    return [
        metrics.ScrapeGauge("queue_waiting_tickets", "Tickets waiting, by service and class",
                            ("service", "class"), waiting),
        metrics.ScrapeGauge("queue_print_jobs", "Print jobs queued, being sent or failed, "
                            "by printer", ("printer", "status"), printing_metrics.job_counts),
    ]


def _count_sockets(app: Flask) -> None:
    socketio = app.extensions["queue_socketio"]
    while True:
        metrics.count_sockets(socketio, SOCKET_NAMESPACES)
        socketio.sleep(5)


def start_background(app: Flask) -> None:
    """Start the print workers, the message sender and the nightly purge in this process.

    `queue-server run` calls it in gunicorn's worker; a wsgi.py of your own calls it after
    create_app (without --preload, so that it runs in the worker, not the master).
    """
    app.extensions["printing"].start()
    app.extensions["notify"].start()
    # Also on a clean exit outside gunicorn (--dev-server, Ctrl-C): stop is idempotent.
    atexit.register(app.extensions["notify"].stop)
    app.extensions["procedure_purge"].start()
    app.extensions["queue_socketio"].start_background_task(_count_sockets, app)
    # On stop (web.serving.shutdown, gunicorn's worker_exit): finish the job or message
    # being sent, release the leases.
    app.extensions.setdefault(SHUTDOWN, []).extend([app.extensions["procedure_purge"].stop,
                                                    app.extensions["notify"].stop,
                                                    app.extensions["printing"].stop])


def stop_background(app: Flask) -> None:
    """Stop the message sender and the print workers (tests; a clean shutdown).

    A message in the middle of its send when the process dies instead is sent again after
    its lease, with the same idempotency key.
    """
    app.extensions["notify"].stop()
    app.extensions["printing"].stop()
