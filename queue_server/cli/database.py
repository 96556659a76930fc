"""`queue-server db upgrade`: bring the schema up to date."""
from __future__ import annotations

from queue_server.cli import migrate_database


def add_commands(commands) -> None:
    db = commands.add_parser("db", help="database schema").add_subparsers(dest="action",
                                                                          required=True)
    db.add_parser("upgrade", help="bring the schema up to date")


def run(config, args) -> int:
    if not migrate_database(config.database_url):
        print("Database is up to date")
    return 0
