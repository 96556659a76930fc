"""Typed configuration: defaults in code, office choices in config.yaml, checked at start-up."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

if TYPE_CHECKING:
    from .printing_config import PrintingSettings
    from .procedure.sections import ProcedureConfig


class ConfigError(ValueError):
    """A config value is wrong; the message names the key."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key


@dataclass(frozen=True)
class Service:
    """A service the office offers (a queue of its own)."""

    code: str
    name: str
    name_en: str
    requirements: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    """A visitor category; priority 0 is the regular queue, higher goes first."""

    code: str
    name: str
    name_en: str
    priority: int
    prefix: str
    print_name: str
    icon: str = ""


@dataclass(frozen=True)
class Counter:
    """A counter (loket) with the services it serves."""

    code: str
    name: str
    name_en: str
    services: tuple[str, ...]
    priority_only: bool = False


@dataclass(frozen=True)
class QueueRules:
    """Fairness guard and no-show window."""

    max_priority_streak: int = 3
    """After this many priority calls in a row a counter takes one regular ticket, if one waits."""
    max_regular_wait_minutes: int = 0
    """A regular ticket waiting longer than this goes first (0 turns the rule off)."""
    no_show_recall_minutes: int = 15
    """How long a no-show ticket can still be called back."""
    number_digits: int = 3


@dataclass(frozen=True)
class AudioSettings:
    """What the TV says and how loud."""

    enabled: bool = True
    volume: float = 1.0
    languages: tuple[str, ...] = ("id", "en")
    number_style: str = "whole"
    repeats: int = 1
    chime: bool = True


@dataclass(frozen=True)
class DisplaySettings:
    """The waiting-room TV."""

    language: str = "id"
    running_text: str = ""
    recent_calls: int = 8
    audio: AudioSettings = field(default_factory=AudioSettings)
    named: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class SecuritySettings:
    """Sessions, tokens and the login rate limit."""

    token_lifetime_hours: int = 24 * 30
    login_attempts_per_minute: int = 10
    secret_key: str | None = None


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
    redis_url: str | None
    redis_channel: str
    instance_dir: Path
    services: dict[str, Service]
    categories: dict[str, Category]
    counters: dict[str, Counter]
    queue: QueueRules
    display: DisplaySettings
    security: SecuritySettings
    printers: dict[str, Any]
    ticket_printer: str | None
    stations: dict[str, str]
    printing: PrintingSettings
    raw: dict[str, Any]
    procedure: ProcedureConfig | None = None
    """The office procedure, guest book, PPID, survey and holidays (procedure/)."""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_PREFIX = re.compile(r"^[A-Z]{1,3}$")


def _get(section: dict, key: str, path: str, kind, default=None, required=False):
    if key not in section or section[key] is None:
        if required:
            raise ConfigError(f"{path}.{key}" if path else key, "is required")
        return default
    value = section[key]
    full = f"{path}.{key}" if path else key
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(full, f"must be a whole number, got {value!r}")
    if kind is float and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ConfigError(full, f"must be a number, got {value!r}")
    if kind is bool and not isinstance(value, bool):
        raise ConfigError(full, f"must be true or false, got {value!r}")
    if kind is str and not isinstance(value, str):
        raise ConfigError(full, f"must be text, got {value!r}")
    if kind is list and not isinstance(value, list):
        raise ConfigError(full, f"must be a list, got {value!r}")
    if kind is dict and not isinstance(value, dict):
        raise ConfigError(full, f"must be a mapping, got {value!r}")
    return value


def _code(value: Any, key: str) -> str:
    value = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(value, str) or not _CODE.match(value):
        raise ConfigError(key, f"must be 1-32 letters, digits, '-' or '_', got {value!r}")
    return value


def _services(items: list) -> dict[str, Service]:
    if not items:
        raise ConfigError("services", "at least one service is required")
    result: dict[str, Service] = {}
    for index, item in enumerate(items):
        path = f"services[{index}]"
        if not isinstance(item, dict):
            raise ConfigError(path, "must be a mapping with code and name")
        code = _code(_get(item, "code", path, str, required=True), f"{path}.code")
        if code in result:
            raise ConfigError(f"{path}.code", f"duplicate service code {code!r}")
        name = _get(item, "name", path, str, required=True)
        requirements = _get(item, "requirements", path, list, [])
        result[code] = Service(code, name, _get(item, "name_en", path, str, name),
                               tuple(str(r) for r in requirements))
    return result


def _categories(items: list) -> dict[str, Category]:
    if not items:
        raise ConfigError("categories", "at least one category is required")
    result: dict[str, Category] = {}
    for index, item in enumerate(items):
        path = f"categories[{index}]"
        if not isinstance(item, dict):
            raise ConfigError(path, "must be a mapping with code, name, priority and prefix")
        code = _code(_get(item, "code", path, str, required=True), f"{path}.code")
        if code in result:
            raise ConfigError(f"{path}.code", f"duplicate category code {code!r}")
        name = _get(item, "name", path, str, required=True)
        priority = _get(item, "priority", path, int, 0)
        if not 0 <= priority <= 100:
            raise ConfigError(f"{path}.priority", "must be between 0 and 100")
        prefix = _get(item, "prefix", path, str, required=True)
        if not _PREFIX.match(prefix):
            raise ConfigError(f"{path}.prefix", f"must be 1-3 capital letters, got {prefix!r}")
        result[code] = Category(
            code, name, _get(item, "name_en", path, str, name), priority, prefix,
            _get(item, "print_name", path, str, name), _get(item, "icon", path, str, ""))
    if not any(c.priority == 0 for c in result.values()):
        raise ConfigError("categories", "one category must have priority 0 (the regular queue)")
    return result


def _counters(items: list, services: dict[str, Service]) -> dict[str, Counter]:
    if not items:
        raise ConfigError("counters", "at least one counter is required")
    result: dict[str, Counter] = {}
    for index, item in enumerate(items):
        path = f"counters[{index}]"
        if not isinstance(item, dict):
            raise ConfigError(path, "must be a mapping with code, name and services")
        code = _code(item.get("code"), f"{path}.code")
        if code in result:
            raise ConfigError(f"{path}.code", f"duplicate counter code {code!r}")
        name = _get(item, "name", path, str, required=True)
        served = _get(item, "services", path, list, ["*"])
        if served == ["*"]:
            served = list(services)
        for position, service in enumerate(served):
            if service not in services:
                raise ConfigError(f"{path}.services[{position}]", f"unknown service {service!r}")
        result[code] = Counter(code, name, _get(item, "name_en", path, str, name), tuple(served),
                               _get(item, "priority_only", path, bool, False))
    return result


def _queue(section: dict) -> QueueRules:
    rules = QueueRules(
        max_priority_streak=_get(section, "max_priority_streak", "queue", int, 3),
        max_regular_wait_minutes=_get(section, "max_regular_wait_minutes", "queue", int, 0),
        no_show_recall_minutes=_get(section, "no_show_recall_minutes", "queue", int, 15),
        number_digits=_get(section, "number_digits", "queue", int, 3),
    )
    if rules.max_priority_streak < 1:
        raise ConfigError("queue.max_priority_streak", "must be at least 1")
    if rules.max_regular_wait_minutes < 0:
        raise ConfigError("queue.max_regular_wait_minutes", "must be 0 (off) or more")
    if rules.no_show_recall_minutes < 0:
        raise ConfigError("queue.no_show_recall_minutes", "must be 0 or more")
    if not 2 <= rules.number_digits <= 4:
        raise ConfigError("queue.number_digits", "must be between 2 and 4")
    return rules


def _display(section: dict, languages: tuple[str, ...], counters: dict) -> DisplaySettings:
    audio_section = _get(section, "audio", "display", dict, {})
    spoken = tuple(_get(audio_section, "languages", "display.audio", list, ["id", "en"]))
    for index, lang in enumerate(spoken):
        if lang not in ("id", "en"):
            raise ConfigError(f"display.audio.languages[{index}]", "must be 'id' or 'en'")
    style = _get(audio_section, "number_style", "display.audio", str, "whole")
    if style not in ("whole", "digits"):
        raise ConfigError("display.audio.number_style", "must be 'whole' or 'digits'")
    volume = float(_get(audio_section, "volume", "display.audio", float, 1.0))
    if not 0 <= volume <= 1:
        raise ConfigError("display.audio.volume", "must be between 0 and 1")
    repeats = _get(audio_section, "repeats", "display.audio", int, 1)
    if not 1 <= repeats <= 3:
        raise ConfigError("display.audio.repeats", "must be 1, 2 or 3")
    audio = AudioSettings(_get(audio_section, "enabled", "display.audio", bool, True), volume,
                          spoken, style, repeats, _get(audio_section, "chime", "display.audio",
                                                       bool, True))
    language = _get(section, "language", "display", str, languages[0])
    if language not in languages:
        raise ConfigError("display.language", f"must be one of {list(languages)}")
    named: dict[str, tuple[str, ...]] = {}
    for name, entry in (_get(section, "named", "display", dict, {}) or {}).items():
        path = f"display.named.{name}"
        if not isinstance(entry, dict):
            raise ConfigError(path, "must be a mapping with counters")
        shown = [str(code) for code in _get(entry, "counters", path, list, required=True)]
        for index, code in enumerate(shown):
            if code not in counters:
                raise ConfigError(f"{path}.counters[{index}]", f"unknown counter {code!r}")
        named[str(name)] = tuple(shown)
    return DisplaySettings(language, _get(section, "running_text", "display", str, ""),
                           _get(section, "recent_calls", "display", int, 8), audio, named)


def _resolve(base_dir: Path, url: str) -> str:
    """Make a relative sqlite path relative to the config file's folder."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith("sqlite:////") and url != "sqlite://":
        rest = url[len(prefix):]
        if rest and rest != ":memory:" and not rest.startswith("/"):
            return prefix + str((base_dir / rest).resolve())
    return url


def parse_config(data: Any, path: Path, environ: dict | None = None) -> Config:
    """Validate a loaded YAML document into a Config."""
    environ = os.environ if environ is None else environ
    if not isinstance(data, dict):
        raise ConfigError("(top level)", "config.yaml must be a mapping")
    base_dir = path.parent.resolve()
    office = _get(data, "office", "", dict, {})
    timezone = _get(office, "timezone", "office", str, "Asia/Jakarta")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("office.timezone", f"unknown time zone {timezone!r}") from None
    languages = tuple(_get(office, "languages", "office", list, ["id", "en"]))
    for index, lang in enumerate(languages):
        if lang not in ("id", "en"):
            raise ConfigError(f"office.languages[{index}]", "must be 'id' or 'en'")
    default_language = _get(office, "default_language", "office", str, languages[0])
    if default_language not in languages:
        raise ConfigError("office.default_language", f"must be one of {list(languages)}")
    instance_dir = (base_dir / _get(data, "instance_dir", "", str, "instance")).resolve()
    database = _get(data, "database", "", dict, {})
    db_url = environ.get("DATABASE_URL") or _get(database, "url", "database", str,
                                                 f"sqlite:///{instance_dir / 'queue.db'}")
    services = _services(_get(data, "services", "", list, []))
    categories = _categories(_get(data, "categories", "", list, []))
    counters = _counters(_get(data, "counters", "", list, []), services)
    security = _get(data, "security", "", dict, {})
    from .printing_config import parse_printing  # imported late: it needs ConfigError
    printing = parse_printing(data, instance_dir, base_dir, counters)
    from .procedure.sections import parse_procedure_config  # late: needs ConfigError
    procedure = parse_procedure_config(data, categories)
    return Config(
        path=path, base_dir=base_dir,
        office_name=_get(office, "name", "office", str, required=True),
        office_unit=_get(office, "unit", "office", str, ""),
        timezone=timezone, languages=languages, default_language=default_language,
        public_url=_get(office, "public_url", "office", str, "http://127.0.0.1:5000").rstrip("/"),
        database_url=_resolve(base_dir, db_url),
        redis_url=environ.get("REDIS_URL") or _get(data, "redis_url", "", str, None),
        redis_channel=_get(data, "redis_channel", "", str, "queue-server"),
        instance_dir=instance_dir,
        services=services, categories=categories, counters=counters,
        queue=_queue(_get(data, "queue", "", dict, {})),
        display=_display(_get(data, "display", "", dict, {}), languages, counters),
        security=SecuritySettings(
            _get(security, "token_lifetime_hours", "security", int, 24 * 30),
            _get(security, "login_attempts_per_minute", "security", int, 10),
            environ.get("SECRET_KEY") or _get(security, "secret_key", "security", str, None)),
        printers=printing.printers, ticket_printer=printing.ticket_printer,
        stations=printing.stations, printing=printing.settings, raw=data,
        procedure=procedure,
    )


def load_config(path: str | os.PathLike | None = None, environ: dict | None = None) -> Config:
    """Read and validate config.yaml (QUEUE_CONFIG or ./config.yaml by default)."""
    environ = os.environ if environ is None else environ
    config_path = Path(path or environ.get("QUEUE_CONFIG") or "config.yaml")
    try:
        text = config_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError("(file)", f"cannot read {config_path}: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError("(file)", f"{config_path} is not valid YAML: {exc}") from None
    return parse_config(data, config_path, environ)
