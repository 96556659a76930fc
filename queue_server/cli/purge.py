"""`queue-server purge`: empty guest-book and request-register personal data past its
retention, now (the requester's name, address and e-mail go with the guest's data)."""
from __future__ import annotations


def add_commands(commands) -> None:
    commands.add_parser("purge", help="purge guest-book and requester personal data older than "
                        "guest_book.retention_days (the server also does this nightly)")


def run(config, args) -> int:
    from queue_server.app import create_app
    from queue_server.cli import migrate_database
    from queue_server.procedure.wiring import run_purge

    migrate_database(config.database_url)
    app = create_app(config)
    count = run_purge(app.extensions["queue"])
    print(f"purged personal data of {count} guest book entries older than "
          f"{config.procedure.guest_book.retention_days} days")
    return 0
