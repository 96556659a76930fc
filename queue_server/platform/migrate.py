"""Bring a database schema up to date with the Alembic migrations."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> list[str]:
    """Run every migration not yet applied; return the revisions applied, oldest first
    (empty when the schema was up to date), so a caller can say what happened."""
    if database_url.startswith("sqlite:///"):
        Path(database_url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    config = alembic_config(database_url)
    applied: list[str] = []
    config.attributes["on_version_apply"] = [
        lambda step, **_: applied.append(step.up_revision_id)]
    command.upgrade(config, revision)
    return applied
