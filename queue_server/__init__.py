"""Priority queue ticketing for public-service front desks."""
from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from .config import Config, load_config

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent


def _secret_key(config: Config) -> str:
    if config.security.secret_key:
        return config.security.secret_key
    path = config.instance_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(config: Config | str | Path | None = None,
               clock: Callable | None = None) -> Flask:
    """Build the app: config, database, services, blueprints, socket handlers."""
    from flask_socketio import SocketIO

    from .db import make_engine, make_session_factory
    from .services import build_services

    if not isinstance(config, Config):
        config = load_config(config)
    config.instance_dir.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, instance_path=str(config.instance_dir),
                template_folder="templates", static_folder="static")
    app.config.update(
        SECRET_KEY=_secret_key(config), SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax", JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    engine = make_engine(config.database_url)
    services = build_services(config, engine, make_session_factory(engine), clock)
    app.extensions["queue"] = services
    from .printing import PrintingService
    app.extensions["printing"] = PrintingService(services)  # `run` starts its workers

    from . import api, api_printing, errors, pages, public, sockets
    errors.register(app)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(api_printing.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(public.blueprint)
    from .procedure.wiring import init_app as init_procedure
    init_procedure(app, services)  # the POS: visits, guest book, PPID, survey
    # One SocketIO per app: handlers close over this app's services, so apps built
    # side by side (tests, several offices) never hear each other's events.
    socketio = SocketIO()
    app.extensions["queue_socketio"] = socketio
    socketio.init_app(app, async_mode="threading", message_queue=config.redis_url,
                      channel=config.redis_channel,
                      logger=False, engineio_logger=False)
    sockets.register(socketio, services)
    services.publisher.subscribe(services.announcer.on_event)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    return app
