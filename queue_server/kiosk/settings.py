"""The kiosk's part of config.yaml (`kiosk:`): where it prints and what it offers."""
from __future__ import annotations

from dataclasses import dataclass

from queue_server.platform.config_values import ConfigError


@dataclass(frozen=True)
class KioskSettings:
    station: str | None = None
    """The station (`stations:`) whose printer prints the kiosk's tickets; None: the
    ticket printer. The kiosk reads this printer's state and refuses to issue a number
    while it is out of paper."""
    priority_categories: tuple[str, ...] = ()
    """Priority categories the kiosk offers besides the regular queue. None by default:
    the SOP has reception issue priority tickets, after seeing the visitor."""
    result_seconds: int = 10
    """How long the number stays on the screen before the kiosk returns to the start."""
    idle_seconds: int = 45
    """A screen left untouched this long returns to the start (and the default language)."""
    categories: tuple[str, ...] = ()
    """Every category the kiosk offers: the regular ones (priority 0) first, then
    priority_categories (derived, not a key)."""


def _seconds(section: dict, key: str, default: int, low: int, high: int) -> int:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"kiosk.{key}", f"must be a whole number of seconds from {low} to "
                                          f"{high}")
    return value


def parse_kiosk(data: dict, core: dict) -> KioskSettings:
    """Validate `kiosk:`; a wrong value raises ConfigError naming its key."""
    section = data.get("kiosk") or {}
    if not isinstance(section, dict):
        raise ConfigError("kiosk", "must be a mapping")
    station = section.get("station")
    if station is not None and str(station) not in core.get("stations", {}):
        raise ConfigError("kiosk.station", f"names no station in stations: {station!r}")
    categories = core["categories"]
    chosen = section.get("priority_categories", [])
    if not isinstance(chosen, list):
        raise ConfigError("kiosk.priority_categories", "must be a list of category codes")
    for index, code in enumerate(chosen):
        category = categories.get(str(code))
        if category is None:
            raise ConfigError(f"kiosk.priority_categories[{index}]",
                              f"unknown category {code!r}")
        if category.priority <= 0:
            raise ConfigError(f"kiosk.priority_categories[{index}]",
                              f"{code!r} is a regular category: the kiosk offers those anyway")
    regular = [code for code, category in categories.items() if category.priority <= 0]
    priority = list(dict.fromkeys(str(code) for code in chosen))
    return KioskSettings(
        station=None if station is None else str(station),
        priority_categories=tuple(priority),
        result_seconds=_seconds(section, "result_seconds", 10, 3, 120),
        idle_seconds=_seconds(section, "idle_seconds", 45, 10, 600),
        categories=tuple(regular + priority))


def config_section(data: dict, core: dict) -> dict:
    """The kiosk's field of Config (a ConfigSection for app.py, after printing's)."""
    return {"kiosk": parse_kiosk(data, core)}
