"""`queue-server users add|list|deactivate|reactivate|password|delete`: staff accounts.

A deactivated or deleted user, or one given a new password, loses every browser session
and token at once; a server process that checked one in the last two seconds may still
let it through until that check expires. Errors: "error: ..." on stderr, exit status 2.
"""
from __future__ import annotations

import getpass
import os
import sys
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from queue_server.auth.models import Role, User
from queue_server.auth.service import add_user, delete_user, set_active, set_password
from queue_server.cli import CommandError, migrate_database
from queue_server.platform.database import make_engine, make_session_factory

NO_TERMINAL = ("no terminal to ask for the password: pipe it in with --password-stdin, "
               "e.g. echo 'a-long-password' | queue-server users {action} NAME ... "
               "--password-stdin")


def add_commands(commands) -> None:
    users = commands.add_parser("users", help="staff accounts").add_subparsers(
        dest="action", required=True)
    add = users.add_parser("add", help="create a user")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[role.value for role in Role],
                     help="agent: a print agent's account, which only fetches and "
                          "acknowledges its printer's jobs")
    add.add_argument("--display-name")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input")
    users.add_parser("list", help="list users: name, display name, role, state")
    for action, text in (("deactivate", "stop a user: their sessions and tokens end now"),
                         ("reactivate", "let a deactivated user log in again"),
                         ("delete", "delete a user who is on no record (else deactivate)")):
        users.add_parser(action, help=text).add_argument("name")
    password = users.add_parser("password", help="set a new password (ends the user's "
                                                 "sessions and tokens)")
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true",
                          help="read the password from standard input")


def terminal_attached() -> bool:
    """Whether a person at a terminal can be asked (getpass asks on /dev/tty)."""
    try:
        os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
    except OSError:
        return False
    return True


def read_password(from_stdin: bool, action: str) -> str:
    """The new password: one line of standard input with --password-stdin, else asked
    twice on the terminal; with neither, a clear error rather than an empty password."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("--password-stdin: standard input holds no password line")
        return password
    if not terminal_attached():
        raise CommandError(NO_TERMINAL.format(action=action))
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        raise CommandError("the passwords differ")
    return first


def table(users: list[User]) -> str:
    """The users as aligned columns under a header."""
    rows = [("USERNAME", "DISPLAY NAME", "ROLE", "STATE")] + [
        (user.username, user.display_name, user.role.value,
         "active" if user.active else "deactivated") for user in users]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    return "\n".join("  ".join(value.ljust(width) for value, width in zip(row, widths,
                                                                          strict=True)).rstrip()
                     for row in rows)


def list_users(factory, _args) -> str:
    with factory() as db:
        users = list(db.scalars(select(User).order_by(User.username)))
    return table(users) if users else "no users yet: add one with `queue-server users add`"


def add(factory, args) -> str:
    password = read_password(args.password_stdin, "add")
    with factory() as db, db.begin():
        add_user(db, args.name, password, Role(args.role), datetime.now(UTC),
                 args.display_name)
    return f"user {args.name} added with role {args.role}"


def deactivate(factory, args) -> str:
    with factory() as db, db.begin():
        set_active(db, args.name, False, datetime.now(UTC))
    return f"user {args.name} deactivated; their sessions and tokens have ended"


def reactivate(factory, args) -> str:
    with factory() as db, db.begin():
        set_active(db, args.name, True, datetime.now(UTC))
    return f"user {args.name} reactivated; they log in again to get a session or token"


def change_password(factory, args) -> str:
    password = read_password(args.password_stdin, "password")
    with factory() as db, db.begin():
        set_password(db, args.name, password, datetime.now(UTC))
    return f"password of {args.name} changed; their sessions and tokens have ended"


def delete(factory, args) -> str:
    try:
        with factory() as db, db.begin():
            delete_user(db, args.name)
    except IntegrityError:
        raise CommandError(f"user {args.name!r} is named on records (tickets, visits, "
                         "requests) that must keep their name: deactivate them instead"
                         ) from None
    return f"user {args.name} deleted with their sessions and tokens"


ACTIONS = {"list": list_users, "add": add, "deactivate": deactivate,
           "reactivate": reactivate, "password": change_password, "delete": delete}


def run(config, args) -> int:
    migrate_database(config.database_url)
    engine = make_engine(config.database_url, config.database_timeouts)
    try:
        print(ACTIONS[args.action](make_session_factory(engine), args))
    except ValueError as exc:  # the account rules (auth.service)
        raise CommandError(str(exc)) from None
    finally:
        engine.dispose()
    return 0
