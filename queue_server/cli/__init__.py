"""The `queue-server` command: run, db upgrade, users, sounds, printers, print-agent, purge."""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from printer import escpos_cache_environment
from queue_server.platform.config import ConfigError
from queue_server.platform.logs import SafeFormatter

# Command -> module with add_commands(subparsers) and run(config, args). Imported when
# the command runs, so the print agent on a receptionist PC loads printer/ alone.
COMMANDS = {"run": "serve", "db": "database", "users": "users", "sounds": "sounds",
            "printers": "printers", "print-agent": "printers", "purge": "purge"}


def _module(command: str):
    return importlib.import_module(f"queue_server.cli.{COMMANDS[command]}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="queue-server", description=__doc__)
    parser.add_argument("--config", help="config file (default: $QUEUE_CONFIG or ./config.yaml)")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(f"queue_server.cli.{name}").add_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.update(escpos_cache_environment())  # before any module imports escpos
    args = _parser().parse_args(argv)
    handler = logging.StreamHandler()
    # One record, one line: a visitor's text with a newline cannot forge a log line.
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    if args.command == "print-agent":  # runs on a receptionist PC, without config.yaml
        from queue_server.cli.printers import run_print_agent
        return run_print_agent(args)
    from queue_server.app import load_config
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    return _module(args.command).run(config, args)


