"""`queue-server users add|list`: staff accounts."""
from __future__ import annotations

import getpass
import sys
from datetime import UTC, datetime

from queue_server.auth.models import Role, User
from queue_server.auth.service import add_user
from queue_server.platform.database import make_engine, make_session_factory
from queue_server.platform.migrate import upgrade


def add_commands(commands) -> None:
    users = commands.add_parser("users", help="staff accounts").add_subparsers(
        dest="action", required=True)
    add = users.add_parser("add", help="create a user")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[role.value for role in Role])
    add.add_argument("--display-name")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input")
    users.add_parser("list", help="list users")


def read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        raise SystemExit("error: the passwords differ")
    return first


def run(config, args) -> int:
    upgrade(config.database_url)
    engine = make_engine(config.database_url, config.database_timeouts)
    factory = make_session_factory(engine)
    if args.action == "list":
        with factory() as db:
            for user in db.query(User).order_by(User.username):
                print(f"{user.username}\t{user.role.value}\t{'active' if user.active else 'off'}")
        return 0
    password = read_password(args.password_stdin)
    try:
        with factory() as db, db.begin():
            add_user(db, args.name, password, Role(args.role), datetime.now(UTC),
                     args.display_name)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"user {args.name} added with role {args.role}")
    return 0
