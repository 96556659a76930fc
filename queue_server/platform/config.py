"""Typed configuration: defaults in code, office choices in config.yaml, checked at start-up."""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from queue_server.platform.config_values import (
    ConfigError,
    TrackedDocument,
    get_value,
)
from queue_server.platform.database import DatabaseTimeouts
from queue_server.platform.office import (
    Category,
    Counter,
    DisplaySettings,
    QueueRules,
    Service,
    parse_categories,
    parse_counters,
    parse_display,
    parse_queue,
    parse_services,
)

ConfigSection = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]
"""A subsystem's config reader: (the YAML document, the core fields read so far and
`environ`) -> its Config fields. app.py lists the sections; platform knows none of them."""


@dataclass(frozen=True)
class SecuritySettings:
    """Sessions, tokens, the login rate limit and the reverse proxy in front."""

    token_lifetime_hours: int = 24 * 30
    login_attempts_per_minute: int = 10
    secret_key: str | None = None
    session_idle_hours: float = 12
    """A staff session not used for this long ends; the next request asks for a login."""
    cookie_secure: bool = False
    """Mark cookies Secure: set it when staff reach the server over HTTPS (a proxy)."""
    trusted_proxies: int = 0
    """How many reverse proxies stand in front: X-Forwarded-For/-Proto/-Host are believed
    from that many hops only (0: they are ignored, the client is the peer address)."""


@dataclass(frozen=True)
class Config:
    """The whole validated configuration."""

    path: Path
    base_dir: Path
    office_name: str
    office_unit: str
    timezone: str
    languages: tuple[str, ...]
    default_language: str
    public_url: str
    database_url: str
    database_timeouts: DatabaseTimeouts
    redis_url: str | None
    redis_channel: str
    instance_dir: Path
    services: dict[str, Service]
    categories: dict[str, Category]
    counters: dict[str, Counter]
    queue: QueueRules
    display: DisplaySettings
    security: SecuritySettings
    raw: dict[str, Any]
    printers: dict[str, Any] = field(default_factory=dict)
    """Printer settings by name (printing.settings)."""
    ticket_printer: str | None = None
    stations: dict[str, Any] = field(default_factory=dict)
    printing: Any = None
    """Outbox and status-poll settings (printing.settings.PrintingSettings)."""
    procedure: Any = None
    """The office procedure, guest book, PPID, survey and holidays (procedure.sections)."""
    reports: Any = None
    """The PDF reports' letterhead (reports.settings)."""
    notify: Any = None
    """Messages to visitors through an HTTP gateway (notify.settings.NotifySettings)."""
    cluster: Any = None
    """Leases between server processes and the metrics token (platform.cluster)."""
    kiosk: Any = None
    """The visitors' self-service kiosk: its station and what it offers (kiosk.settings)."""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)



def _resolve(base_dir: Path, url: str) -> str:
    """Make a relative sqlite path relative to the config file's folder."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith("sqlite:////") and url != "sqlite://":
        rest = url[len(prefix):]
        if rest and rest != ":memory:" and not rest.startswith("/"):
            return prefix + str((base_dir / rest).resolve())
    return url


def _timeouts(database: dict) -> DatabaseTimeouts:
    values = {}
    for name in ("busy", "connect", "statement", "pool"):
        key = f"{name}_timeout_seconds"
        value = get_value(database, key, "database", float, getattr(DatabaseTimeouts, name))
        if not 0.1 <= value <= 600:
            raise ConfigError(f"database.{key}", "must be a number of seconds from 0.1 to 600")
        values[name] = float(value)
    return DatabaseTimeouts(**values)


def _security(security: dict, environ: dict) -> SecuritySettings:
    idle = get_value(security, "session_idle_hours", "security", float, 12)
    if not 0.1 <= idle <= 24 * 30:
        raise ConfigError("security.session_idle_hours",
                          f"must be a number of hours from 0.1 to 720, got {idle!r}")
    proxies = get_value(security, "trusted_proxies", "security", int, 0)
    if not 0 <= proxies <= 5:
        raise ConfigError("security.trusted_proxies", "must be the number of reverse proxies "
                          f"in front of the server, 0 to 5, got {proxies!r}")
    attempts = get_value(security, "login_attempts_per_minute", "security", int, 10)
    secret_key = get_value(security, "secret_key", "security", str, None)
    if attempts < 1:
        raise ConfigError("security.login_attempts_per_minute",
                          f"must be 1 or more, got {attempts!r}")
    return SecuritySettings(
        token_lifetime_hours=get_value(security, "token_lifetime_hours", "security", int,
                                       24 * 30),
        login_attempts_per_minute=attempts,
        secret_key=environ.get("SECRET_KEY") or secret_key,
        session_idle_hours=float(idle),
        cookie_secure=get_value(security, "cookie_secure", "security", bool, False),
        trusted_proxies=proxies)


def _core(data: dict, path: Path, environ: dict) -> dict[str, Any]:
    """The core fields of Config: office, database, services, categories, counters, queue,
    display and security."""
    base_dir = path.parent.resolve()
    office = get_value(data, "office", "", dict, {})
    timezone = get_value(office, "timezone", "office", str, "Asia/Jakarta")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("office.timezone", f"unknown time zone {timezone!r}") from None
    languages = tuple(get_value(office, "languages", "office", list, ["id", "en"]))
    for index, lang in enumerate(languages):
        if lang not in ("id", "en"):
            raise ConfigError(f"office.languages[{index}]", "must be 'id' or 'en'")
    default_language = get_value(office, "default_language", "office", str, languages[0])
    if default_language not in languages:
        raise ConfigError("office.default_language", f"must be one of {list(languages)}")
    instance_dir = (base_dir / get_value(data, "instance_dir", "", str, "instance")).resolve()
    database = get_value(data, "database", "", dict, {})
    # The file's value is read (and checked) even when the environment overrides it.
    db_url = get_value(database, "url", "database", str, f"sqlite:///{instance_dir / 'queue.db'}")
    redis_url = get_value(data, "redis_url", "", str, None)
    services = parse_services(get_value(data, "services", "", list, []))
    categories = parse_categories(get_value(data, "categories", "", list, []))
    counters = parse_counters(get_value(data, "counters", "", list, []), services)
    security = get_value(data, "security", "", dict, {})
    return dict(
        path=path, base_dir=base_dir,
        office_name=get_value(office, "name", "office", str, required=True),
        office_unit=get_value(office, "unit", "office", str, ""),
        timezone=timezone, languages=languages, default_language=default_language,
        public_url=get_value(office, "public_url", "office", str, "http://127.0.0.1:5000").rstrip("/"),
        database_url=_resolve(base_dir, environ.get("DATABASE_URL") or db_url),
        database_timeouts=_timeouts(database),
        redis_url=environ.get("REDIS_URL") or redis_url,
        redis_channel=get_value(data, "redis_channel", "", str, "queue-server"),
        instance_dir=instance_dir,
        services=services, categories=categories, counters=counters,
        queue=parse_queue(get_value(data, "queue", "", dict, {})),
        display=parse_display(get_value(data, "display", "", dict, {}), languages, counters),
        security=_security(security, environ),
        raw=data,
    )


def parse_config(data: Any, path: Path, environ: dict | None = None,
                 sections: Sequence[ConfigSection] = ()) -> Config:
    """Validate a loaded YAML document into a Config, with each subsystem's section.

    A key that neither the core nor any section looks up is refused (UnknownKeyError,
    naming the closest known key): the readers' lookups are the list of known keys.
    """
    environ = os.environ if environ is None else environ
    if not isinstance(data, dict):
        raise ConfigError("(file)", f"{path} must be a mapping of sections (office, "
                          "services, categories, counters, ...)")
    document = TrackedDocument(data)
    try:
        core = _core(document.root, path, environ)
        for section in sections:
            # A section reads secrets (a gateway's token) from the same environment.
            core.update(section(document.root, {**core, "environ": environ}))
    except ConfigError as exc:
        # `name: is required` because `nmae:` was written: name the misspelling instead.
        raise document.misspelling_of(exc) or exc from None
    document.check_known()
    return Config(**{**core, "raw": data})


def read_config(path: str | os.PathLike | None = None, environ: dict | None = None,
                sections: Sequence[ConfigSection] = ()) -> Config:
    """Read and validate config.yaml (QUEUE_CONFIG or ./config.yaml by default).

    Use queue_server.app.load_config, which passes every subsystem's section.
    """
    environ = os.environ if environ is None else environ
    config_path = Path(path or environ.get("QUEUE_CONFIG") or "config.yaml")
    try:
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("(file)", f"cannot read {config_path}: there is no such file; "
                          "`queue-server init` writes a starter config.yaml and instance "
                          "folder, or give --config PATH") from None
    except OSError as exc:
        raise ConfigError("(file)", f"cannot read {config_path}: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError("(file)", f"{config_path} is not valid YAML: {exc}") from None
    try:
        return parse_config(data, config_path, environ, sections)
    except ConfigError as exc:
        exc.file = str(config_path)  # "config.yaml: unknown key ..."
        raise
