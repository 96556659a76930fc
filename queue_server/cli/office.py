"""`queue-server init [DIR]`: an office folder for a pip-installed server.

It writes DIR/config.yaml from the starter shipped in the package (the example office,
every option with its comment) and makes DIR/instance/, where the SQLite database, print
previews and the secret key go. `queue-server run` in DIR then starts.
"""
from __future__ import annotations

import os
import shlex
from datetime import date
from importlib import resources
from pathlib import Path

from queue_server.cli import CommandError, command_name

STARTER = resources.files("queue_server.cli") / "starter" / "config.yaml"
"""The starter config: the repository's config.yaml, carried into the wheel."""
HEADER = """\
# Written by `queue-server init` on {day} from the example office shipped with
# queue-server (BPMP Provinsi DKI Jakarta). Change the office, services, categories,
# counters, the TV text and the procedure to your office's: README explains every key,
# and `queue-server run` in this folder refuses a wrong or unknown key by name.
# The database, print previews and the secret key go to instance/ beside this file.

"""


def add_commands(commands) -> None:
    init = commands.add_parser(
        "init", help="write a starter config.yaml and an instance folder (pip installs)")
    init.add_argument("dir", nargs="?", default=".",
                      help="the office folder (default: the current one; made if missing)")
    init.add_argument("--force", action="store_true",
                      help="overwrite an existing config.yaml")


def run(_config, args) -> int:
    folder = Path(args.dir)
    target = folder / "config.yaml"
    if target.exists() and not args.force:
        raise CommandError(f"{target} exists already: edit it, or add --force to replace it "
                           "with the starter")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "instance").mkdir(exist_ok=True)
        target.write_text(HEADER.format(day=date.today().isoformat())
                          + STARTER.read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {target}: {exc.strerror}") from None
    command, steps = command_name(), []
    if folder.resolve() != Path.cwd().resolve():
        steps.append((f"cd {shlex.quote(args.dir)}", ""))
        if "/" in command and not os.path.isabs(command):  # relative to here, not there
            command = os.path.abspath(command)
    steps += [("edit config.yaml", "your office, services and counters"),
              (f"{command} users add admin --role admin", "the first admin (asks a password)"),
              (f"{command} run", "http://127.0.0.1:5000 (--port to change)")]
    width = max(len(step) for step, _ in steps) + 2
    print(f"Wrote {target} and {folder / 'instance'}/. Next:")
    for step, why in steps:
        print(f"  {step:<{width}}# {why}" if why else f"  {step}")
    return 0
