"""Send ESC/POS bytes to a configured printer and ask it for its state."""

from __future__ import annotations

import itertools
import logging
import os
import re
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from escpos.escpos import Escpos
from escpos.printer import CupsPrinter, File, Network, Serial, Usb

from printer.config import PrinterSettings, PrinterType
from printer.errors import DEVICE_ERRORS, translated_errors
from printer.states import PrinterState

logger = logging.getLogger(__name__)

_DRAIN_SECONDS = 0.2
_job_counter = itertools.count(1)


class _Network(Network):
    """Network driver that lets queued bytes reach the printer before closing."""

    def close(self) -> None:
        """Half-close, drain the printer's answers, then close."""
        device = self._device
        if not device:
            return
        # Closing with unread replies (a printer answering a DLE EOT inside image data)
        # makes Linux send RST, which can discard the tail of the job still in flight.
        try:
            device.shutdown(socket.SHUT_WR)
            device.settimeout(_DRAIN_SECONDS)
            while device.recv(256):
                pass
        except OSError:
            pass
        device.close()
        self._device = False


class _Usb(Usb):
    """USB driver that claims the configured interface, not always interface 0."""

    def __init__(self, *args: Any, interface: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.interface = interface

    def _check_driver(self) -> None:
        """Detach the kernel's usblp driver from our interface where the backend allows it."""
        import usb.core

        if not self.device or not self.device.backend.__module__.endswith("libusb1"):
            return
        try:
            if self.device.is_kernel_driver_active(self.interface):
                self.device.detach_kernel_driver(self.interface)
        except NotImplementedError:
            pass
        except usb.core.USBError as exc:
            logger.warning("Could not detach the kernel driver: %s", exc)


class PreviewFile(Escpos):
    """Keep a job's exact bytes as `<directory>/<timestamp>-<job>.bin` instead of printing."""

    def __init__(self, directory: str | Path, job_name: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.directory = Path(directory)
        self.job_name = job_name
        self.path: Path | None = None
        self._chunks: list[bytes] = []

    def open(self) -> None:
        """Start a new job."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self._chunks = []
        self._device = True

    def _raw(self, msg: bytes) -> None:
        """Collect bytes for the job."""
        if self._device is False:
            self.open()
        self._chunks.append(msg)

    def close(self) -> None:
        """Write the job under a fresh name, atomically."""
        if not self._device:
            return
        self._device = False
        self.path = self._unique_path()
        partial = self.path.with_suffix(".part")
        with open(partial, "wb") as handle:
            handle.write(b"".join(self._chunks))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, self.path)

    def _unique_path(self) -> Path:
        """Name the job by UTC time and job name, or a counter when it has none."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        label = re.sub(r"[^A-Za-z0-9_.-]", "_", self.job_name or "")[:64]
        while True:
            path = self.directory / f"{stamp}-{label or f'{os.getpid()}-{next(_job_counter)}'}.bin"
            if not path.exists() and not path.with_suffix(".part").exists():
                return path
            label = f"{label}-{next(_job_counter)}" if label else ""


DRIVERS: dict[PrinterType, type[Escpos]] = {
    PrinterType.NETWORK: _Network,
    PrinterType.USB: _Usb,
    PrinterType.SERIAL: Serial,
    PrinterType.FILE: File,
    PrinterType.CUPS: CupsPrinter,
    PrinterType.PREVIEW: PreviewFile,
}

# The config keys differ from python-escpos' argument names; map them here only.
_DRIVER_ARGUMENTS: dict[PrinterType, Callable[[Any], dict[str, Any]]] = {
    PrinterType.NETWORK: lambda c: {"host": c.host, "port": c.port, "timeout": c.timeout},
    PrinterType.USB: lambda c: {
        "idVendor": c.vendor_id,
        "idProduct": c.product_id,
        "interface": c.interface,
        "in_ep": c.in_ep,
        "out_ep": c.out_ep,
        "timeout": int(c.timeout * 1000),  # pyusb counts milliseconds
    },
    PrinterType.SERIAL: lambda c: {
        "devfile": c.device,
        "baudrate": c.baudrate,
        "timeout": c.timeout,
    },
    PrinterType.FILE: lambda c: {"devfile": c.device},
    PrinterType.CUPS: lambda c: {"printer_name": c.queue},
    PrinterType.PREVIEW: lambda c: {"directory": c.directory},
}

_STATUS_TYPES = {PrinterType.NETWORK, PrinterType.USB, PrinterType.SERIAL}


def _driver(settings: PrinterSettings, job_name: str | None = None) -> Escpos:
    """Build the python-escpos driver for a printer; it connects on open()."""
    arguments = _DRIVER_ARGUMENTS[settings.type](settings.connection)
    if settings.type is PrinterType.PREVIEW:
        arguments["job_name"] = job_name
    return DRIVERS[settings.type](profile=settings.profile, **arguments)


def _close_quietly(driver: Escpos) -> None:
    """Close after a failure without hiding the first error."""
    try:
        driver.close()
    except DEVICE_ERRORS as exc:
        logger.debug("Closing the printer failed too: %s", exc)


def send(settings: PrinterSettings, data: bytes, job_name: str | None = None) -> None:
    """Open the printer, write the bytes unchanged, close; raise PrinterError only."""
    with translated_errors(settings.name, settings.location()):
        driver = _driver(settings, job_name)
        try:
            if settings.type is PrinterType.CUPS:
                driver.open(job_name=job_name or "queue-ticket")
            else:
                driver.open()
            driver._raw(data)
        except BaseException:
            _close_quietly(driver)
            raise
        driver.close()


def query_status(settings: PrinterSettings) -> PrinterState:
    """Ask the printer whether it is online and has paper; UNKNOWN where it cannot tell."""
    if not settings.status_query or settings.type not in _STATUS_TYPES:
        return PrinterState.UNKNOWN
    try:
        driver = _driver(settings)
        driver.open()
    except DEVICE_ERRORS as exc:
        logger.info("Printer %r at %s is unreachable: %s", settings.name, settings.location(), exc)
        return PrinterState.OFFLINE
    try:
        if not driver.is_online():
            return PrinterState.OFFLINE
        paper = driver.paper_status()
    except DEVICE_ERRORS as exc:
        # Connected but no answer: many cheap printers ignore DLE EOT.
        logger.info("Printer %r gave no status: %s", settings.name, exc)
        return PrinterState.UNKNOWN
    finally:
        _close_quietly(driver)
    return {0: PrinterState.PAPER_OUT, 1: PrinterState.PAPER_LOW}.get(paper, PrinterState.ONLINE)
