"""`queue-server print-agent` and `queue-server printers test|status`."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

AGENT_STOP_SECONDS = 10
"""How long a stopping agent may finish the job in hand before the process exits."""


def add_commands(commands) -> None:
    """Add the printing subcommands to the `queue-server` parser."""
    agent = commands.add_parser(
        "print-agent", help="print one printer's jobs from a remote server (receptionist PC)")
    agent.add_argument("--server", required=True, help="the server's URL, e.g. http://10.0.0.2:5000")
    agent.add_argument("--token", default=os.environ.get("QUEUE_AGENT_TOKEN"),
                       help="bearer token of a user with role agent (default: $QUEUE_AGENT_TOKEN)")
    agent.add_argument("--printer", required=True, help="printer name in the server's config")
    agent.add_argument("--journal", help="file that remembers printed jobs (default: "
                       "~/.local/state/queue-server/print-agent-NAME.journal)")
    agent.add_argument("--wait", type=float, default=20, help="seconds each poll is held open")
    printers = commands.add_parser("printers", help="printers").add_subparsers(
        dest="action", required=True)
    test = printers.add_parser("test", help="print a test page now")
    test.add_argument("name")
    printers.add_parser("status", help="ask every printer for its state")


def _fetch_device(server: str, token: str, name: str, stop: threading.Event) -> dict | None:
    """Ask the server for the printer's device settings, waiting for it to come up."""
    import requests

    from printer.agent import Backoff

    url = f"{server.rstrip('/')}/api/v1/printers/{requests.utils.quote(name)}"
    backoff = Backoff()
    while not stop.is_set():
        try:
            response = requests.get(url, headers={"Authorization": f"Bearer {token}"},
                                    timeout=10)
        except requests.RequestException as exc:
            log.warning("Server not reachable (%s); trying again", type(exc).__name__)
            stop.wait(backoff.next())
            continue
        if response.status_code == 200:
            device = response.json().get("device")
            if device is None:
                raise SystemExit(f"error: printer {name!r} is not marked `agent: true` in the "
                                 "server's config.yaml")
            return device
        if response.status_code in (401, 403, 404):
            raise SystemExit(f"error: the server answered {response.status_code} for printer "
                             f"{name!r}: {response.text[:200]}")
        stop.wait(backoff.next())
    return None


def run_print_agent(args: argparse.Namespace) -> int:
    """Serve one printer for a remote server until SIGTERM or Ctrl-C."""
    from printer.agent import run_agent
    from printer.config import PrinterConfigError, validate_printers

    if not args.token:
        print("error: give --token or set QUEUE_AGENT_TOKEN", file=sys.stderr)
        return 2
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    try:
        device = _fetch_device(args.server, args.token, args.printer, stop)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 1
    if device is None:
        return 0
    try:
        settings = validate_printers({args.printer: device}, preview_dir=Path("prints"),
                                     base_dir=Path.cwd())[args.printer]
    except PrinterConfigError as exc:
        print(f"error: the server's settings for this printer are wrong here: {exc}",
              file=sys.stderr)
        return 2
    journal = Path(args.journal) if args.journal else (
        Path.home() / ".local" / "state" / "queue-server" / f"print-agent-{args.printer}.journal")
    print(f"Print agent for {args.printer!r} ({settings.location()}) polling {args.server}",
          flush=True)
    worker = threading.Thread(target=run_agent, daemon=True, args=(
        args.server, args.token, args.printer, settings, journal, stop, args.wait))
    worker.start()
    while worker.is_alive() and not stop.wait(0.5):
        pass
    # A poll held open carries no job yet; a job in hand finishes within its timeouts.
    worker.join(AGENT_STOP_SECONDS)
    return 0


def _test_page(config, name: str) -> int:
    from printer.errors import PrinterError
    from printer.layout import render_test_page
    from queue_server.platform.database import make_engine, make_session_factory
    from queue_server.printing.requests import queue_test_page
    from queue_server.printing.workers import deliver

    settings = config.printers[name]
    if name in config.printing.agent_printers:
        factory = make_session_factory(make_engine(config.database_url, config.database_timeouts))
        with factory() as session, session.begin():
            outcome = queue_test_page(session, config, name, datetime.now(UTC))
        print(f"Test page queued as job {outcome.view['id']} for the print agent of {name!r}")
        return 0
    data = render_test_page(name, settings.profile, settings.width_chars,
                            config.default_language)
    try:
        kept = deliver(settings, data, 0)
    except PrinterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    where = f"kept as {settings.connection.directory / kept}" if kept else settings.location()
    print(f"Test page sent to {name!r}: {where}")
    return 0


def _status(config) -> int:
    from printer.devices import query_status
    from queue_server.platform.database import make_engine, make_session_factory
    from queue_server.printing.states import printer_views

    try:
        factory = make_session_factory(make_engine(config.database_url, config.database_timeouts))
        with factory() as session:
            recorded = {v["name"]: v for v in printer_views(session, config, datetime.now(UTC))}
    except Exception as exc:  # noqa: BLE001 - the live answers are still worth showing
        print(f"(no recorded states: {type(exc).__name__})", file=sys.stderr)
        recorded = {}
    print(f"{'printer':<16} {'type':<8} {'now':<10} {'recorded':<10} {'jobs':>4}  location")
    for name, settings in config.printers.items():
        agent = name in config.printing.agent_printers
        live = "agent" if agent else query_status(settings).value
        view = recorded.get(name, {})
        print(f"{name:<16} {settings.type.value:<8} {live:<10} {view.get('state', '-'):<10} "
              f"{view.get('pending_jobs', 0):>4}  {settings.location()}"
              + (f"  ({view['last_error']})" if view.get("last_error") else ""))
    return 0


def run(config, args: argparse.Namespace) -> int:
    """`printers test NAME` and `printers status`."""
    if args.action == "status":
        return _status(config)
    if args.name not in config.printers:
        print(f"error: no printer named {args.name!r} (configured: "
              f"{', '.join(config.printers) or 'none'})", file=sys.stderr)
        return 1
    return _test_page(config, args.name)
