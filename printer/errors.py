"""One error for everything that can go wrong with a printer device."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from escpos.exceptions import DeviceNotFoundError
from escpos.exceptions import Error as EscposError

try:
    from usb.core import NoBackendError
except ImportError:  # pyusb is optional in python-escpos

    class NoBackendError(Exception):
        """Placeholder when pyusb is not installed."""


# Everything python-escpos, pyusb, pyserial or the socket layer raise from a device.
# RuntimeError is how python-escpos reports a missing optional dependency (pycups);
# pyusb raises NoBackendError (a ValueError) when libusb itself is missing.
DEVICE_ERRORS: tuple[type[BaseException], ...] = (
    EscposError,
    OSError,
    socket.timeout,
    NotImplementedError,
    RuntimeError,
    NoBackendError,
)


class PrinterError(Exception):
    """A printer could not be reached or did not take a job."""


@contextmanager
def translated_errors(name: str, location: str) -> Iterator[None]:
    """Turn any device error raised inside the block into a PrinterError."""
    try:
        yield
    except PrinterError:
        raise
    except DEVICE_ERRORS as exc:
        raise PrinterError(f"Printer {name!r} at {location} {_verb(exc)}: {_reason(exc)}") from exc


def _verb(exc: BaseException) -> str:
    """Say whether the device was never reached or failed part way."""
    if isinstance(exc, (DeviceNotFoundError, ConnectionRefusedError, socket.timeout)):
        return "is unreachable"
    if isinstance(exc, (NotImplementedError, RuntimeError, NoBackendError)):
        return "is not usable"
    return "failed"


def _reason(exc: BaseException) -> str:
    """Flatten the vendor message to one line."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
