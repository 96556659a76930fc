"""Personal data rules: NIK checks and masks, and which roles may read what."""
from __future__ import annotations

import re

NIK_DIGITS = 16
_NIK = re.compile(r"^\d{16}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")



class InvalidNik(ValueError):
    """A NIK that is not 16 digits; the message never repeats the value."""


def normalise_nik(value: str) -> str:
    """The NIK without spaces or dots; InvalidNik unless it is exactly 16 digits."""
    digits = re.sub(r"[\s.\-]", "", value or "")
    if not _NIK.match(digits):
        raise InvalidNik(f"NIK must be exactly {NIK_DIGITS} digits")
    return digits


def mask_nik(nik: str | None) -> str | None:
    """3171 **** **** 0001: the region code and the last four digits only."""
    if not nik:
        return None
    return f"{nik[:4]} **** **** {nik[-4:]}"


def normalise_phone(value: str | None) -> str | None:
    """A phone number as typed, or None; ValueError when it is not a phone number."""
    if value is None or not value.strip():
        return None
    phone = value.strip()
    if not _PHONE.match(phone):
        raise ValueError("phone must be 7-20 digits, spaces or dashes, optionally with +")
    return phone
