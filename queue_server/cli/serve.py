"""`queue-server run`: serve the app (gunicorn with its gevent or threaded worker, or
Werkzeug's development server)."""
from __future__ import annotations

from queue_server.cli import command_name, migrate_database
from queue_server.web.serving import WORKERS, exec_server


def add_commands(commands) -> None:
    run_parser = commands.add_parser("run", help="serve the app (one office PC)")
    run_parser.add_argument("--host", default="127.0.0.1")
    run_parser.add_argument("--port", type=int, default=5000)
    run_parser.add_argument("--worker", choices=WORKERS, default="gevent",
                            help="gevent (default: thousands of TV and staff sockets in one "
                            "process) or thread (one OS thread per connection)")
    run_parser.add_argument("--threads", type=int, default=100,
                            help="with --worker thread: connections served at once (each TV "
                            "or staff page holds one)")
    run_parser.add_argument("--dev-server", action="store_true",
                            help="use Werkzeug's development server instead of gunicorn")


def _has_users(config) -> bool | None:
    """Whether any staff account exists (None: the database cannot tell yet)."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import SQLAlchemyError

    from queue_server.auth.models import User
    from queue_server.platform.database import make_engine

    engine = make_engine(config.database_url, config.database_timeouts)
    try:
        with engine.connect() as connection:
            return bool(connection.scalar(select(func.count()).select_from(User)))
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def start_message(config, args) -> str:
    """Where to go: the address, the staff and TV pages; how to make the first admin."""
    base = f"http://{args.host}:{args.port}"
    lines = [f"Serving {config.office_name} on {base} (Ctrl-C stops): staff log in at "
             f"{base}/login, the waiting-room TV is {base}/display"]
    if _has_users(config) is False:
        lines.append("No staff account yet: in a second terminal, in this folder, run\n"
                     f"  {command_name(args.config)} users add admin --role admin")
    return "\n".join(lines)


def run(config, args) -> int:
    if config.database_url.startswith("sqlite"):
        migrate_database(config.database_url)
    print(start_message(config, args), flush=True)
    if args.dev_server:
        from queue_server.app import create_app, start_background

        app = create_app(config)
        start_background(app)
        app.extensions["queue_socketio"].run(app, host=args.host, port=args.port,
                                             allow_unsafe_werkzeug=True, use_reloader=False,
                                             log_output=False)
        return 0

    # gunicorn's master runs in a fresh process that imports gunicorn alone; the worker
    # it forks patches the standard library (gevent), then imports and builds the app.
    exec_server("queue_server.app:worker_app", args.config, args.host, args.port, args.worker,
                args.threads)
    return 0  # not reached: exec does not return
