"""Alembic environment: the URL and connection come from queue_server.platform.migrate.

The one module of platform/ that imports the subsystems: Alembic compares the migrations
with every subsystem's models (the import-rule test allows exactly this file).
"""
from alembic import context

from queue_server.auth import models as auth_models  # noqa: F401 - registers the tables
from queue_server.notify import models as notify_models  # noqa: F401
from queue_server.platform import leases  # noqa: F401 - the leases table
from queue_server.platform.database import Base, make_engine
from queue_server.printing import models as printing_models  # noqa: F401
from queue_server.procedure import models as procedure_models  # noqa: F401
from queue_server.tickets import models as tickets_models  # noqa: F401

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    # migrate.upgrade passes a callback that collects the revisions applied.
    applied = config.attributes.get("on_version_apply", ())
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True, on_version_apply=applied)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True, on_version_apply=applied)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
