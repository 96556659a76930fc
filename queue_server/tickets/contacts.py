"""A visitor's phone for messages: checked, normalised to +62..., masked wherever shown."""
from __future__ import annotations

import re
from dataclasses import dataclass

from queue_server.platform.errors import invalid

PHONE_PATTERN = r"^(\s*|(\+?62|0)[ -]?8[1-9]([ -]?[0-9]){6,10})$"
"""An Indonesian mobile number as typed: 08..., 62... or +62..., spaces or dashes between
digits, or blank (no number). Mobile only (8 after the country code): SMS and WhatsApp
gateways reach no landline. The OpenAPI document carries the same pattern and the server
matches it the way JSON Schema does (re.search), so what one accepts the other does."""
_PHONE = re.compile(PHONE_PATTERN)
_NATIONAL = re.compile(r"^(?:62|0)")


@dataclass(frozen=True)
class Contact:
    """Where a ticket's messages go, given with the visitor's consent."""

    phone: str
    language: str


def normalise_phone(value: object) -> str | None:
    """The number as +628..., None when blank, or 422 naming the field when it is no
    Indonesian mobile number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or "\x00" in value or not _PHONE.search(value):
        raise invalid("Field 'phone' must be an Indonesian mobile number such as "
                      "0812-3456-789 or +62 812 3456 789")
    return "+62" + _NATIONAL.sub("", re.sub(r"\D", "", value))


def mask_phone(phone: str | None) -> str:
    """+62812****789: enough for staff to recognise it, never the whole number."""
    if not phone:
        return ""
    return phone[:6] + "*" * max(0, len(phone) - 9) + phone[-3:]
