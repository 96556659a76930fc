"""The office's own setup in config.yaml: services, visitor categories, counters, queue rules, TV."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from queue_server.platform.config_values import ConfigError, code_value, english_list, get_value

PREFIX = re.compile(r"^[A-Z]{1,3}$")


@dataclass(frozen=True)
class Service:
    """A service the office offers (a queue of its own)."""

    code: str
    name: str
    name_en: str
    requirements: tuple[str, ...] = ()
    requirements_en: tuple[str, ...] = ()
    """The requirements' English names, item by item (requirements_en in config.yaml)."""

    def requirement_names(self, language: str) -> dict[str, str]:
        """Each requirement (as stored) with its name in the language."""
        shown = self.requirements_en if language == "en" and self.requirements_en \
            else self.requirements
        return dict(zip(self.requirements, shown, strict=True))


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
class WaitEstimateSettings:
    """How the estimated waiting time is worked out (queue.estimate in config.yaml)."""

    window_minutes: int = 60
    """Service times of the tickets served in this many recent minutes are the estimate's
    first source (a moving window)."""
    min_samples: int = 3
    """Served tickets a source needs before it is trusted: the window, else the whole local
    day, else default_service_minutes."""
    default_service_minutes: float | None = None
    """Minutes one visitor takes at a counter when the day has too few served tickets; none
    (the default) shows no estimate until there is data: never a made-up figure."""
    counter_open_minutes: int = 30
    """A counter counts as open for a service while it has a ticket at the desk or has
    called within this many minutes."""
    spread: float = 0.25
    """The range shown is the estimate less and more this fraction, in 5-minute steps."""
    cache_seconds: float = 15
    """Service times and open counters are read again after this long, not on every ticket."""
    enabled: bool = True


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
    priority_first_when_priority_counter_closed: bool = True
    """While no priority-only counter is open, the waiting rule never puts a regular ticket
    before a priority one at a general counter (the streak rule still lets regulars in)."""
    priority_counter_open_minutes: int = 30
    """A priority-only counter counts as open while it has a ticket at the desk or called
    within this many minutes."""
    estimate: WaitEstimateSettings = field(default_factory=WaitEstimateSettings)
    """The estimated waiting time (queue.estimate)."""


@dataclass(frozen=True)
class AudioSettings:
    """What the TV says and how loud."""

    enabled: bool = True
    volume: float = 1.0
    languages: tuple[str, ...] = ("id", "en")
    number_style: str = "whole"
    repeats: int = 1
    chime: bool = True
    short_queue: int = 0
    """The TV's queue of announcements is short while at most this many wait behind the one
    being spoken; only then does it speak the second language, the repeats and the opening
    words. Under a longer queue it says the first language's short form, once."""


@dataclass(frozen=True)
class NoticeSettings:
    """The running text spoken aloud at an interval (Perki 1/2021 Pasal 48: audio as well)."""

    every_minutes: float = 15
    """0 turns it off. Never spoken over a call: it waits until the TV is silent. On by
    default: Perki 1/2021 Pasal 48 asks for the announcement in audio as well."""


@dataclass(frozen=True)
class DisplaySettings:
    """The waiting-room TV."""

    language: str = "id"
    running_text: str = ""
    recent_calls: int = 8
    audio: AudioSettings = field(default_factory=AudioSettings)
    named: dict[str, tuple[str, ...]] = field(default_factory=dict)
    max_sockets_per_address: int = 100
    """Open TV sockets one address may hold; more are refused (the TV page needs no login)."""
    snapshots_per_minute: int = 30
    """Snapshot requests one TV socket may send a minute; a socket over it is disconnected."""
    viewing_distance_m: float = 5.0
    """How far the farthest seat is from the TV: the small texts are sized from it."""
    screen_diagonal_in: float = 43.0
    """The TV's diagonal in inches, to turn the screen's height into centimetres."""
    notice: NoticeSettings = field(default_factory=NoticeSettings)



def _coded_items(items: list, section: str, noun: str, shape: str):
    """Yield (path, item, code) for a non-empty list of mappings with unique codes."""
    if not items:
        raise ConfigError(section, f"at least one {noun} is required")
    seen: set[str] = set()
    for index, item in enumerate(items):
        path = f"{section}[{index}]"
        if not isinstance(item, dict):
            raise ConfigError(path, f"must be a mapping with {shape}")
        if item.get("code") is None:
            raise ConfigError(f"{path}.code", "is required")
        code = code_value(item["code"], f"{path}.code")
        if code in seen:
            raise ConfigError(f"{path}.code", f"duplicate {noun} code {code!r}")
        seen.add(code)
        yield path, item, code


def parse_services(items: list) -> dict[str, Service]:
    result: dict[str, Service] = {}
    for path, item, code in _coded_items(items, "services", "service", "code and name"):
        name = get_value(item, "name", path, str, required=True)
        requirements = tuple(str(r) for r in get_value(item, "requirements", path, list, []))
        result[code] = Service(code, name, get_value(item, "name_en", path, str, name),
                               requirements,
                               english_list(item, "requirements", path, requirements))
    return result


def parse_categories(items: list) -> dict[str, Category]:
    result: dict[str, Category] = {}
    for path, item, code in _coded_items(items, "categories", "category",
                                         "code, name, priority and prefix"):
        name = get_value(item, "name", path, str, required=True)
        priority = get_value(item, "priority", path, int, 0)
        if not 0 <= priority <= 100:
            raise ConfigError(f"{path}.priority", "must be between 0 and 100")
        prefix = get_value(item, "prefix", path, str, required=True)
        if not PREFIX.match(prefix):
            raise ConfigError(f"{path}.prefix", f"must be 1-3 capital letters, got {prefix!r}")
        result[code] = Category(
            code, name, get_value(item, "name_en", path, str, name), priority, prefix,
            get_value(item, "print_name", path, str, name), get_value(item, "icon", path, str, ""))
    if not any(c.priority == 0 for c in result.values()):
        raise ConfigError("categories", "one category must have priority 0 (the regular queue)")
    return result


def parse_counters(items: list, services: dict[str, Service]) -> dict[str, Counter]:
    result: dict[str, Counter] = {}
    for path, item, code in _coded_items(items, "counters", "counter",
                                         "code, name and services"):
        name = get_value(item, "name", path, str, required=True)
        served = get_value(item, "services", path, list, ["*"])
        if served == ["*"]:
            served = list(services)
        for position, service in enumerate(served):
            if service not in services:
                raise ConfigError(f"{path}.services[{position}]", f"unknown service {service!r}")
        result[code] = Counter(code, name, get_value(item, "name_en", path, str, name), tuple(served),
                               get_value(item, "priority_only", path, bool, False))
    return result


def parse_queue(section: dict) -> QueueRules:
    rules = QueueRules(
        max_priority_streak=get_value(section, "max_priority_streak", "queue", int, 3),
        max_regular_wait_minutes=get_value(section, "max_regular_wait_minutes", "queue", int, 0),
        no_show_recall_minutes=get_value(section, "no_show_recall_minutes", "queue", int, 15),
        number_digits=get_value(section, "number_digits", "queue", int, 3),
        priority_first_when_priority_counter_closed=get_value(
            section, "priority_first_when_priority_counter_closed", "queue", bool, True),
        priority_counter_open_minutes=get_value(
            section, "priority_counter_open_minutes", "queue", int, 30),
        estimate=parse_estimate(get_value(section, "estimate", "queue", dict, {}) or {}),
    )
    if rules.max_priority_streak < 1:
        raise ConfigError("queue.max_priority_streak", "must be at least 1")
    if rules.max_regular_wait_minutes < 0:
        raise ConfigError("queue.max_regular_wait_minutes", "must be 0 (off) or more")
    if rules.priority_counter_open_minutes < 1:
        raise ConfigError("queue.priority_counter_open_minutes", "must be at least 1")
    if rules.no_show_recall_minutes < 0:
        raise ConfigError("queue.no_show_recall_minutes", "must be 0 or more")
    if not 2 <= rules.number_digits <= 4:
        raise ConfigError("queue.number_digits", "must be between 2 and 4")
    return rules


def parse_estimate(section: dict) -> WaitEstimateSettings:
    """queue.estimate: the estimated waiting time's sources and range."""
    path = "queue.estimate"
    default = get_value(section, "default_service_minutes", path, float, None)
    settings = WaitEstimateSettings(
        window_minutes=get_value(section, "window_minutes", path, int, 60),
        min_samples=get_value(section, "min_samples", path, int, 3),
        default_service_minutes=None if default is None else float(default),
        counter_open_minutes=get_value(section, "counter_open_minutes", path, int, 30),
        spread=float(get_value(section, "spread", path, float, 0.25)),
        cache_seconds=float(get_value(section, "cache_seconds", path, float, 15)),
        enabled=get_value(section, "enabled", path, bool, True))
    checks = (("window_minutes", 5 <= settings.window_minutes <= 24 * 60, "5 to 1440"),
              ("min_samples", 1 <= settings.min_samples <= 1000, "1 to 1000"),
              ("default_service_minutes", default is None or 0.5 <= default <= 240,
               "none or 0.5 to 240"),
              ("counter_open_minutes", 1 <= settings.counter_open_minutes <= 24 * 60,
               "1 to 1440"),
              ("spread", 0 <= settings.spread <= 1, "0 to 1"),
              ("cache_seconds", 0 <= settings.cache_seconds <= 600, "0 to 600"))
    for key, ok, allowed in checks:
        if not ok:
            raise ConfigError(f"{path}.{key}", f"must be {allowed}, got {section.get(key)!r}")
    return settings


def parse_display(section: dict, languages: tuple[str, ...], counters: dict) -> DisplaySettings:
    audio = _audio_settings(get_value(section, "audio", "display", dict, {}))
    language = get_value(section, "language", "display", str, languages[0])
    if language not in languages:
        raise ConfigError("display.language", f"must be one of {list(languages)}")
    named = _named_displays(get_value(section, "named", "display", dict, {}) or {}, counters)
    return DisplaySettings(language, get_value(section, "running_text", "display", str, ""),
                           get_value(section, "recent_calls", "display", int, 8), audio, named,
                           _bounded(section, "max_sockets_per_address", 100, 1, 100_000),
                           _bounded(section, "snapshots_per_minute", 30, 1, 6000),
                           _number(section, "viewing_distance_m", "display", 5.0, 1, 30),
                           _number(section, "screen_diagonal_in", "display", 43.0, 10, 150),
                           _notice(get_value(section, "notice", "display", dict, {}) or {}))


def _number(section: dict, key: str, path: str, default: float, lowest: float,
            highest: float) -> float:
    value = float(get_value(section, key, path, float, default))
    if not lowest <= value <= highest:
        raise ConfigError(f"{path}.{key}", f"must be a number from {lowest:g} to {highest:g}")
    return value


def _notice(section: dict) -> NoticeSettings:
    """Read display.notice: how often the running text is spoken."""
    return NoticeSettings(_number(section, "every_minutes", "display.notice", 15, 0, 24 * 60))


def _bounded(section: dict, key: str, default: int, lowest: int, highest: int) -> int:
    value = get_value(section, key, "display", int, default)
    if not lowest <= value <= highest:
        raise ConfigError(f"display.{key}", f"must be a whole number from {lowest} to {highest}")
    return value


def _audio_settings(audio_section: dict) -> AudioSettings:
    """Read display.audio: what the TV speaks, how and how loud."""
    spoken = tuple(get_value(audio_section, "languages", "display.audio", list, ["id", "en"]))
    for index, lang in enumerate(spoken):
        if lang not in ("id", "en"):
            raise ConfigError(f"display.audio.languages[{index}]", "must be 'id' or 'en'")
    style = get_value(audio_section, "number_style", "display.audio", str, "whole")
    if style not in ("whole", "digits"):
        raise ConfigError("display.audio.number_style", "must be 'whole' or 'digits'")
    volume = float(get_value(audio_section, "volume", "display.audio", float, 1.0))
    if not 0 <= volume <= 1:
        raise ConfigError("display.audio.volume", "must be between 0 and 1")
    repeats = get_value(audio_section, "repeats", "display.audio", int, 1)
    if not 1 <= repeats <= 3:
        raise ConfigError("display.audio.repeats", "must be 1, 2 or 3")
    enabled = get_value(audio_section, "enabled", "display.audio", bool, True)
    chime = get_value(audio_section, "chime", "display.audio", bool, True)
    short_queue = get_value(audio_section, "short_queue", "display.audio", int, 0)
    if not 0 <= short_queue <= 20:
        raise ConfigError("display.audio.short_queue", "must be a whole number from 0 to 20")
    return AudioSettings(enabled, volume, spoken, style, repeats, chime, short_queue)


def _named_displays(section: dict, counters: dict) -> dict[str, tuple[str, ...]]:
    """Read display.named: each named TV and the counters it shows."""
    named: dict[str, tuple[str, ...]] = {}
    for name, entry in section.items():
        path = f"display.named.{name}"
        if not isinstance(entry, dict):
            raise ConfigError(path, "must be a mapping with counters")
        shown = [str(code) for code in get_value(entry, "counters", path, list, required=True)]
        for index, code in enumerate(shown):
            if code not in counters:
                raise ConfigError(f"{path}.counters[{index}]", f"unknown counter {code!r}")
        named[str(name)] = tuple(shown)
    return named

