"""Typed printer settings, validated from the `printers:` section of config.yaml."""

from __future__ import annotations

import dataclasses
import difflib
import enum
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

DEFAULT_PROFILE = "TM-T88III"
"""python-escpos capability profile used when a printer names none (80 mm, cutter, native QR)."""

_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_MISSING = object()


class PrinterConfigError(ValueError):
    """A printer setting is missing or wrong; str() names the full key."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


class PrinterType(enum.Enum):
    """How a printer is connected."""

    NETWORK = "network"
    USB = "usb"
    SERIAL = "serial"
    FILE = "file"
    CUPS = "cups"
    PREVIEW = "preview"


def _text(entry: dict, key: str, field: str, default: Any = _MISSING) -> str:
    """Read a non-empty string."""
    value = entry.get(field, default)
    if value is _MISSING:
        raise PrinterConfigError(f"{key}.{field}", "is required")
    if not isinstance(value, str) or not value.strip():
        raise PrinterConfigError(f"{key}.{field}", "must be a non-empty string")
    return value.strip()


def _integer(entry: dict, key: str, field: str, low: int, high: int, default: Any = _MISSING) -> Any:
    """Read an integer in [low, high]; hex strings like "0x04b8" are accepted."""
    if field not in entry:
        if default is _MISSING:
            raise PrinterConfigError(f"{key}.{field}", "is required")
        return default
    value = entry[field]
    if isinstance(value, str):
        try:
            value = int(value.strip(), 0)
        except ValueError:
            value = None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PrinterConfigError(f"{key}.{field}", f"must be an integer {low}-{high}")
    return value


def _seconds(entry: dict, key: str, field: str, default: float) -> float:
    """Read a positive number of seconds, at most 60."""
    value = entry.get(field, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 60:
        raise PrinterConfigError(f"{key}.{field}", "must be a number of seconds above 0, at most 60")
    return float(value)


@dataclass(frozen=True)
class NetworkConnection:
    """A printer listening for raw ESC/POS on a TCP port (JetDirect)."""

    host: str
    port: int = 9100
    timeout: float = 5.0
    """Seconds to connect, send and wait for a status answer."""

    status_query_default: ClassVar[bool] = True

    @classmethod
    def parse(cls, entry: dict, key: str, context: dict) -> NetworkConnection:
        """Validate a network entry."""
        return cls(
            host=_text(entry, key, "host"),
            port=_integer(entry, key, "port", 1, 65535, 9100),
            timeout=_seconds(entry, key, "timeout", 5.0),
        )

    def location(self) -> str:
        """Say where the printer is, for messages."""
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class UsbConnection:
    """A printer on USB, found by vendor and product id."""

    vendor_id: int
    product_id: int
    interface: int = 0
    in_ep: int = 0x82
    out_ep: int = 0x01
    timeout: float = 5.0
    """Seconds a single USB write or read may take."""

    status_query_default: ClassVar[bool] = True

    @classmethod
    def parse(cls, entry: dict, key: str, context: dict) -> UsbConnection:
        """Validate a USB entry."""
        return cls(
            vendor_id=_integer(entry, key, "vendor_id", 0, 0xFFFF),
            product_id=_integer(entry, key, "product_id", 0, 0xFFFF),
            interface=_integer(entry, key, "interface", 0, 255, 0),
            in_ep=_integer(entry, key, "in_ep", 0, 255, 0x82),
            out_ep=_integer(entry, key, "out_ep", 0, 255, 0x01),
            timeout=_seconds(entry, key, "timeout", 5.0),
        )

    def location(self) -> str:
        """Say where the printer is, for messages."""
        return f"USB {self.vendor_id:04x}:{self.product_id:04x}"


@dataclass(frozen=True)
class SerialConnection:
    """A printer on a serial port."""

    device: str
    baudrate: int = 9600
    timeout: float = 5.0

    status_query_default: ClassVar[bool] = True

    @classmethod
    def parse(cls, entry: dict, key: str, context: dict) -> SerialConnection:
        """Validate a serial entry."""
        return cls(
            device=_text(entry, key, "device"),
            baudrate=_integer(entry, key, "baudrate", 300, 4_000_000, 9600),
            timeout=_seconds(entry, key, "timeout", 5.0),
        )

    def location(self) -> str:
        """Say where the printer is, for messages."""
        return self.device


@dataclass(frozen=True)
class FileConnection:
    """A printer behind a device file such as /dev/usb/lp0."""

    device: str

    status_query_default: ClassVar[bool] = False

    @classmethod
    def parse(cls, entry: dict, key: str, context: dict) -> FileConnection:
        """Validate a file entry."""
        return cls(device=_text(entry, key, "device"))

    def location(self) -> str:
        """Say where the printer is, for messages."""
        return self.device


@dataclass(frozen=True)
class CupsConnection:
    """A raw CUPS queue (needs pycups, which needs libcups2-dev to build)."""

    queue: str

    status_query_default: ClassVar[bool] = False

    @classmethod
    def parse(cls, entry: dict, key: str, context: dict) -> CupsConnection:
        """Validate a CUPS entry."""
        return cls(queue=_text(entry, key, "queue"))

    def location(self) -> str:
        """Say where the printer is, for messages."""
        return f"CUPS queue {self.queue}"


@dataclass(frozen=True)
class PreviewConnection:
    """No paper: each job's exact bytes are kept as a file in a directory."""

    directory: Path

    status_query_default: ClassVar[bool] = False

    @classmethod
    def parse(cls, entry: dict, key: str, context: dict) -> PreviewConnection:
        """Validate a preview entry; a relative directory resolves against base_dir."""
        default = context["preview_dir"]
        directory = Path(_text(entry, key, "directory", _MISSING if default is None else str(default)))
        if not directory.is_absolute() and context["base_dir"] is not None:
            directory = Path(context["base_dir"]) / directory
        return cls(directory=directory)

    def location(self) -> str:
        """Say where the printer is, for messages."""
        return str(self.directory)


Connection = (
    NetworkConnection
    | UsbConnection
    | SerialConnection
    | FileConnection
    | CupsConnection
    | PreviewConnection
)

CONNECTIONS: dict[PrinterType, type] = {
    PrinterType.NETWORK: NetworkConnection,
    PrinterType.USB: UsbConnection,
    PrinterType.SERIAL: SerialConnection,
    PrinterType.FILE: FileConnection,
    PrinterType.CUPS: CupsConnection,
    PrinterType.PREVIEW: PreviewConnection,
}

_COMMON_KEYS = {"type", "profile", "status_query", "width_chars"}


@dataclass(frozen=True)
class PrinterSettings:
    """One configured printer: its name, connection and paper capabilities."""

    name: str
    type: PrinterType
    connection: Connection
    profile: str = DEFAULT_PROFILE
    """python-escpos capability profile: paper width, columns, cutter, native QR."""
    status_query: bool = False
    """Ask the printer for online/paper state; advisory, some printers always say offline."""
    width_chars: int | None = None
    """Characters per line in font A, overriding the profile's column count."""

    def location(self) -> str:
        """Say where the printer is, for messages."""
        return self.connection.location()


def validate_printers(
    section: Any,
    *,
    preview_dir: str | Path | None = None,
    base_dir: str | Path | None = None,
) -> dict[str, PrinterSettings]:
    """Validate the `printers:` mapping into settings keyed by printer name."""
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise PrinterConfigError("printers", "must be a mapping of printer name to settings")
    context = {"preview_dir": preview_dir, "base_dir": base_dir}
    printers = {}
    for name, entry in section.items():
        key = f"printers.{name}"
        if not isinstance(name, str) or not _NAME_PATTERN.match(name):
            raise PrinterConfigError(key, "name must be 1-64 letters, digits, '-' or '_'")
        printers[name] = _validate_printer(name, entry, key, context)
    return printers


def _validate_printer(name: str, entry: Any, key: str, context: dict) -> PrinterSettings:
    """Validate one printer entry."""
    if not isinstance(entry, dict):
        raise PrinterConfigError(key, "must be a mapping with at least `type`")
    types = ", ".join(t.value for t in PrinterType)
    try:
        printer_type = PrinterType(entry.get("type"))
    except ValueError:
        raise PrinterConfigError(f"{key}.type", f"must be one of {types}") from None
    connection_class = CONNECTIONS[printer_type]
    allowed = _COMMON_KEYS | {field.name for field in dataclasses.fields(connection_class)}
    for field in entry:
        if field not in allowed:
            close = difflib.get_close_matches(str(field), sorted(allowed), n=1)
            hint = (f"did you mean {key}.{close[0]}?" if close
                    else f"allowed: {', '.join(sorted(allowed))}")
            raise PrinterConfigError(
                f"{key}.{field}", f"unknown setting for a {printer_type.value} printer ({hint})")
    connection = connection_class.parse(entry, key, context)
    profile = _text(entry, key, "profile", DEFAULT_PROFILE)
    if profile != DEFAULT_PROFILE and profile not in _profiles():
        raise PrinterConfigError(
            f"{key}.profile",
            f"unknown python-escpos profile {profile!r} "
            f"(known: {', '.join(sorted(_profiles()))})",
        )
    status_query = entry.get("status_query", connection_class.status_query_default)
    if not isinstance(status_query, bool):
        raise PrinterConfigError(f"{key}.status_query", "must be true or false")
    if status_query and not connection_class.status_query_default:
        raise PrinterConfigError(
            f"{key}.status_query", f"a {printer_type.value} printer cannot report its status"
        )
    width_chars = _integer(entry, key, "width_chars", 16, 96, None)
    return PrinterSettings(
        name=name,
        type=printer_type,
        connection=connection,
        profile=profile,
        status_query=status_query,
        width_chars=width_chars,
    )


def _profiles() -> dict:
    """python-escpos's printer profiles: its whole capability database (~6 MB), loaded only
    when a printer names a profile other than the default."""
    from escpos.capabilities import CAPABILITIES

    return CAPABILITIES["profiles"]
