"""The `queue-server` command: run, db upgrade, users, sounds, printers, print-agent, purge."""
from __future__ import annotations

import argparse
import getpass
import logging
import sys
from datetime import UTC, datetime

from queue_server.cli.printers import add_commands as add_printing_commands
from queue_server.cli.printers import run_print_agent, run_printers
from queue_server.platform.config import ConfigError, load_config
from queue_server.cli.purge import add_purge_command, run_purge_command


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="queue-server", description=__doc__)
    parser.add_argument("--config", help="config file (default: $QUEUE_CONFIG or ./config.yaml)")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="serve the app (one office PC)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=5000)
    run.add_argument("--threads", type=int, default=100,
                     help="connections served at once (each TV or staff page holds one)")
    run.add_argument("--dev-server", action="store_true",
                     help="use Werkzeug's development server instead of gunicorn")

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="action",
                                                                          required=True)
    db.add_parser("upgrade", help="bring the schema up to date")

    users = commands.add_parser("users", help="staff accounts").add_subparsers(
        dest="action", required=True)
    add = users.add_parser("add", help="create a user")
    add.add_argument("name")
    add.add_argument("--role", required=True,
                     choices=["admin", "receptionist", "officer", "ppid", "security", "display"])
    add.add_argument("--display-name")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input")
    users.add_parser("list", help="list users")

    sounds = commands.add_parser("sounds", help="voice clips").add_subparsers(
        dest="action", required=True)
    build = sounds.add_parser("build", help="regenerate a clip set")
    build.add_argument("--engine", choices=["gtts", "espeak"], default="espeak")
    build.add_argument("--lang", choices=["id", "en"], default="id")
    build.add_argument("--out", help="output folder (default: clips/ in the instance folder, "
                       "which the server prefers over the shipped set)")
    add_printing_commands(commands)
    add_purge_command(commands)
    return parser


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        raise SystemExit("error: the passwords differ")
    return first


def _users(config, args) -> int:
    from queue_server.auth.service import add_user
    from queue_server.platform.database import make_engine, make_session_factory
    from queue_server.platform.migrate import upgrade
    from queue_server.auth.models import Role, User

    upgrade(config.database_url)
    engine = make_engine(config.database_url)
    factory = make_session_factory(engine)
    if args.action == "list":
        with factory() as db:
            for user in db.query(User).order_by(User.username):
                print(f"{user.username}\t{user.role.value}\t{'active' if user.active else 'off'}")
        return 0
    password = _read_password(args.password_stdin)
    try:
        with factory() as db, db.begin():
            add_user(db, args.name, password, Role(args.role), datetime.now(UTC),
                     args.display_name)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"user {args.name} added with role {args.role}")
    return 0


def _run(config, args) -> int:
    from queue_server import create_app
    from queue_server.platform.migrate import upgrade

    if config.database_url.startswith("sqlite"):
        upgrade(config.database_url)
    app = create_app(config)
    if args.dev_server:
        app.extensions["printing"].start()
    else:
        app.extensions["printing"].start_after_fork()  # gunicorn serves in a forked child
    print(f"Serving {config.office_name} on http://{args.host}:{args.port}", flush=True)
    if args.dev_server:
        app.extensions["queue_socketio"].run(app, host=args.host, port=args.port,
                                             allow_unsafe_werkzeug=True, use_reloader=False,
                                             log_output=False)
    else:
        from queue_server.web.serve import serve
        serve(app, args.host, args.port, args.threads)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "print-agent":  # runs on a receptionist PC, without config.yaml
        return run_print_agent(args)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    if args.command == "sounds":
        from pathlib import Path

        from sounds.build import run_build
        return run_build(args.engine, args.lang, Path(args.out or config.instance_dir / "clips"))
    if args.command == "db":
        from queue_server.platform.migrate import upgrade
        upgrade(config.database_url)
        print("database is up to date")
        return 0
    if args.command == "users":
        return _users(config, args)
    if args.command == "printers":
        return run_printers(config, args)
    if args.command == "purge":
        return run_purge_command(config)
    return _run(config, args)


if __name__ == "__main__":
    sys.exit(main())
