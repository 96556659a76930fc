"""The reports' part of config.yaml: the letterhead of the PDF reports."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from queue_server.platform.config_values import ConfigError

LOGO_TYPES = (".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class ReportSettings:
    address: str = ""
    """The office's address, printed under its name on the PDF reports."""
    logo: Path | None = None
    """A PNG or JPEG printed at the letterhead's left; None for none."""


IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
"""The first bytes of a PNG and a JPEG file: a logo is checked at start, not at print."""


def parse_reports(data: dict, base_dir: Path) -> ReportSettings:
    section = data.get("reports") or {}
    if not isinstance(section, dict):
        raise ConfigError("reports", "must be a mapping")
    unknown = set(section) - {"letterhead"}
    if unknown:
        raise ConfigError(f"reports.{sorted(unknown)[0]}", "unknown setting")
    letterhead = section.get("letterhead") or {}
    if not isinstance(letterhead, dict):
        raise ConfigError("reports.letterhead", "must be a mapping")
    unknown = set(letterhead) - {"address", "logo"}
    if unknown:
        raise ConfigError(f"reports.letterhead.{sorted(unknown)[0]}", "unknown setting")
    address = letterhead.get("address", "")
    if not isinstance(address, str) or len(address) > 300:
        raise ConfigError("reports.letterhead.address", "must be text of at most 300 characters")
    logo = letterhead.get("logo")
    if logo is not None:
        if not isinstance(logo, str) or Path(logo).suffix.lower() not in LOGO_TYPES:
            raise ConfigError("reports.letterhead.logo", "must name a .png or .jpg file")
        logo = (base_dir / logo).resolve()
        if not logo.is_file():
            raise ConfigError("reports.letterhead.logo", f"no such file: {logo}")
        with logo.open("rb") as image:
            if not image.read(8).startswith(IMAGE_SIGNATURES):
                raise ConfigError("reports.letterhead.logo",
                                  f"{logo} is not a PNG or JPEG image")
    return ReportSettings(address.strip(), logo)


def config_section(data: dict, core: dict) -> dict:
    """The reports' field of Config (a ConfigSection for app.py)."""
    return {"reports": parse_reports(data, core["base_dir"])}
