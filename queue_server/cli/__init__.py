"""The `queue-server` command: init, run, db upgrade, users, sounds, printers, print-agent,
purge."""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import shlex
import shutil
import sys
from pathlib import Path

from printer import escpos_cache_environment, prime_escpos_cache
from queue_server.platform.config import ConfigError
from queue_server.platform.logs import SafeFormatter

# Command -> module with add_commands(subparsers) and run(config, args). Imported when
# the command runs, so the print agent on a receptionist PC loads printer/ alone.
COMMANDS = {"init": "office", "run": "serve", "db": "database", "users": "users",
            "sounds": "sounds", "printers": "printers", "print-agent": "printers",
            "purge": "purge"}
WITHOUT_CONFIG = ("init", "print-agent")
"""Commands that run before (init) or without (a receptionist PC's agent) a config.yaml."""
QUIET_LOGGERS = ("alembic",)
"""Libraries whose INFO lines say nothing an office needs ("Context impl SQLiteImpl.");
the commands say themselves what happened (migrate_database)."""


class CommandError(Exception):
    """A command cannot do what was asked: printed as "error: <message>", exit status 2."""


def _module(command: str):
    return importlib.import_module(f"queue_server.cli.{COMMANDS[command]}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="queue-server", description=__doc__)
    parser.add_argument("--config", help="config file (default: $QUEUE_CONFIG or ./config.yaml)")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(f"queue_server.cli.{name}").add_commands(commands)
    return parser


def _logging() -> None:
    handler = logging.StreamHandler()
    # One record, one line: a visitor's text with a newline cannot forge a log line.
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def error(message: str) -> int:
    """Report a failed command in the one style of every command; its exit status."""
    print(f"error: {message}", file=sys.stderr)
    return 2


def command_name(config: str | None = None) -> str:
    """How to type this command in a hint: as it was typed (.venv/bin/queue-server under
    `make run`, a venv's full path), or `queue-server` when that is what PATH finds."""
    program = sys.argv[0] if os.path.basename(sys.argv[0]) == "queue-server" else "queue-server"
    on_path = shutil.which("queue-server")
    if on_path and Path(on_path).resolve() == Path(program).resolve():
        program = "queue-server"
    elif os.path.isabs(program) and Path(program).is_relative_to(Path.cwd()):
        program = os.path.relpath(program)
    return f"{program} --config {shlex.quote(config)}" if config else program


def migrate_database(database_url: str) -> list[str]:
    """Bring the schema up to date; one line on stderr only when a migration ran."""
    from queue_server.platform.migrate import upgrade

    applied = upgrade(database_url)
    if applied:
        print(f"Database upgraded to revision {applied[-1]}", file=sys.stderr, flush=True)
    return applied


def _run(args: argparse.Namespace) -> int:
    if args.command == "print-agent":  # runs on a receptionist PC, without config.yaml
        from queue_server.cli.printers import run_print_agent
        return run_print_agent(args)
    if args.command == "init":
        return _module("init").run(None, args)
    from sqlalchemy.exc import ArgumentError, OperationalError

    from queue_server.app import load_config
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        return error(exc.message if exc.key == "(file)" else str(exc))
    try:
        return _module(args.command).run(config, args)
    except OperationalError as exc:
        return error(f"the database cannot be used: {str(exc.orig).strip().splitlines()[0]}")
    except ArgumentError as exc:
        return error(f"database.url (or DATABASE_URL) is not a database URL: {exc}")


def main(argv: list[str] | None = None) -> int:
    os.environ.update(escpos_cache_environment())  # before any module imports escpos
    prime_escpos_cache()  # whole, before server processes import escpos together
    args = _parser().parse_args(argv)
    _logging()
    try:
        return _run(args)
    except CommandError as exc:
        return error(str(exc))
