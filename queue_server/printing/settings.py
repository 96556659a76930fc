"""The printing keys of config.yaml: printers, ticket_printer, stations and printing."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from printer.config import PrinterConfigError, PrinterSettings, validate_printers
from queue_server.platform.config import ConfigError

DEFAULT_PRINTERS = {"preview": {"type": "preview"}}
"""Without a `printers:` section, every job is kept as a file under <instance>/prints."""


@dataclass(frozen=True)
class PrintingSettings:
    """How print jobs and printer states are handled."""

    offline_alert_seconds: float = 60
    """A printer offline this long raises the alert on the receptionist page."""
    status_poll_seconds: float = 10
    """How often a worker asks an idle printer for its state (printers with status_query)."""
    job_expiry_minutes: int = 30
    """A job not printed this long after it was queued is given up as failed (0: never)."""
    agent_printers: frozenset[str] = frozenset()
    """Printers served by a remote print agent (`agent: true`), not by a server worker."""
    agent_entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The device settings an agent fetches for its printer, as written in config.yaml."""
    counter_printers: dict[str, str] = field(default_factory=dict)
    """Counter code to the printer of the station it sits at (receipts print there)."""


@dataclass(frozen=True)
class ParsedPrinting:
    """Everything the printing keys give the Config."""

    printers: dict[str, PrinterSettings]
    ticket_printer: str | None
    stations: dict[str, str]
    settings: PrintingSettings


def _number(section: dict, key: str, default: float, low: float, high: float) -> float:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ConfigError(f"printing.{key}", f"must be a number from {low:g} to {high:g}")
    return value


def _printers(section: Any, instance_dir: Path, base_dir: Path):
    """Validate printers with the library, after taking out our own `agent` flag."""
    if section is None:
        section = DEFAULT_PRINTERS
    if not isinstance(section, dict):
        raise ConfigError("printers", "must be a mapping of printer name to settings")
    entries, agents = {}, set()
    for name, entry in section.items():
        if isinstance(entry, dict) and "agent" in entry:
            entry = dict(entry)
            agent = entry.pop("agent")
            if not isinstance(agent, bool):
                raise ConfigError(f"printers.{name}.agent", "must be true or false")
            if agent:
                agents.add(str(name))
        entries[name] = entry
    try:
        printers = validate_printers(entries, preview_dir=instance_dir / "prints",
                                     base_dir=base_dir)
    except PrinterConfigError as exc:
        raise ConfigError(exc.key, exc.message) from None
    return printers, frozenset(agents), {name: entries[name] for name in agents}


def _stations(section: Any, printers: dict, counters: dict) -> tuple[dict, dict]:
    """Read `station: printer` or `station: {printer, counters}` entries."""
    if section is None:
        return {}, {}
    if not isinstance(section, dict):
        raise ConfigError("stations", "must be a mapping of station name to printer")
    stations: dict[str, str] = {}
    counter_printers: dict[str, str] = {}
    for name, entry in section.items():
        key = f"stations.{name}"
        printer_key = key if isinstance(entry, str) else f"{key}.printer"
        if isinstance(entry, str):
            entry = {"printer": entry}
        if not isinstance(entry, dict):  # unknown keys: platform.config refuses them
            raise ConfigError(key, "must be a printer name or {printer, counters}")
        printer_name = entry.get("printer")
        if printer_name not in printers:
            raise ConfigError(printer_key, f"names no printer: {printer_name!r}")
        _station_counters(key, entry.get("counters", []), printer_name, counters,
                          counter_printers)
        stations[str(name)] = printer_name
    return stations, counter_printers


def _station_counters(key: str, served: Any, printer_name: str, counters: dict,
                      counter_printers: dict[str, str]) -> None:
    """Add a station's counters to counter_printers; a counter belongs to one station."""
    if not isinstance(served, list):
        raise ConfigError(f"{key}.counters", "must be a list of counter codes")
    for index, code in enumerate(served):
        code = str(code)
        if code not in counters:
            raise ConfigError(f"{key}.counters[{index}]", f"unknown counter {code!r}")
        if code in counter_printers:
            raise ConfigError(f"{key}.counters[{index}]",
                              f"counter {code!r} is at another station already")
        counter_printers[code] = printer_name


def parse_printing(data: dict, instance_dir: Path, base_dir: Path, counters: dict) -> ParsedPrinting:
    """Validate the printing keys; a wrong value raises ConfigError naming its key."""
    printers, agents, agent_entries = _printers(data.get("printers"), instance_dir, base_dir)
    ticket_printer = data.get("ticket_printer")
    if ticket_printer is not None and ticket_printer not in printers:
        raise ConfigError("ticket_printer", f"names no printer in printers: {ticket_printer!r}")
    stations, counter_printers = _stations(data.get("stations"), printers, counters)
    section = data.get("printing") or {}
    if not isinstance(section, dict):
        raise ConfigError("printing", "must be a mapping")
    expiry = section.get("job_expiry_minutes", 30)
    if isinstance(expiry, bool) or not isinstance(expiry, int) or not 0 <= expiry <= 24 * 60:
        raise ConfigError("printing.job_expiry_minutes", "must be a whole number from 0 to 1440")
    settings = PrintingSettings(
        offline_alert_seconds=_number(section, "offline_alert_seconds", 60, 1, 24 * 3600),
        status_poll_seconds=_number(section, "status_poll_seconds", 10, 0.2, 3600),
        job_expiry_minutes=expiry, agent_printers=agents, agent_entries=agent_entries,
        counter_printers=counter_printers)
    return ParsedPrinting(printers, ticket_printer, stations, settings)


def config_section(data: dict, core: dict) -> dict:
    """The printing fields of Config (a ConfigSection for app.py)."""
    parsed = parse_printing(data, core["instance_dir"], core["base_dir"], core["counters"])
    return {"printers": parsed.printers, "ticket_printer": parsed.ticket_printer,
            "stations": parsed.stations, "printing": parsed.settings}
