"""Checks of free text from requests, shared by every subsystem's domain functions."""
from __future__ import annotations

from typing import Any

from queue_server.platform.errors import invalid


def checked_text(value: object, name: str, limit: int, required: bool = False) -> str | None:
    """The text trimmed; 422 naming the field when it is not text, missing, too long or
    holds a NUL character.

    Longer text is refused, never cut: an officer must know the record holds what they typed.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise invalid(f"Field {name!r} is required")
        return None
    if not isinstance(value, str):
        raise invalid(f"Field {name!r} must be text")
    if "\x00" in value:  # PostgreSQL refuses NUL in text; refuse it first, by name
        raise invalid(f"Field {name!r} contains a NUL character")
    text = value.strip()
    if len(text) > limit:
        raise invalid(f"Field {name!r} is longer than {limit} characters ({len(text)})")
    return text


def whole_number(value: Any) -> int | None:
    """A JSON whole number as an int (2 and 2.0 alike, as JSON Schema's integer), else None.
    True and False are not numbers here."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None
