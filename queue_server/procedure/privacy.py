"""Personal data rules: NIK checks and masks, and which roles may read what."""
from __future__ import annotations

import re

NIK_DIGITS = 16
# ASCII digits only: Python's \d also takes full-width and Arabic-Indic digits, and a NIK
# typed with them is refused (not normalised), so what is stored is what the KTP shows.
_NIK = re.compile(r"^[0-9]{16}$", re.ASCII)
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$", re.ASCII)
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
    "31", "32", "33", "34", "35", "36", "51", "52", "53",
    "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
    "81", "82", "91", "92", "93", "94", "95", "96", "97"})
"""The provinces' Kemendagri codes, the NIK's first two digits (38 provinces, 2022 onwards;
92-97 are the Papua provinces after the 2022 split)."""


class InvalidNik(ValueError):
    """A NIK that is not 16 digits; the message never repeats the value."""


def normalise_nik(value: str) -> str:
    """The NIK without spaces or dots; InvalidNik unless it is exactly 16 digits."""
    digits = re.sub(r"[\s.\-]", "", value or "")
    if not _NIK.match(digits):
        raise InvalidNik(f"NIK must be exactly {NIK_DIGITS} digits")
    return digits


def nik_warnings(nik: str | None) -> list[str]:
    """Soft checks of a NIK's structure, for the receptionist to look again; never a refusal.

    A real NIK can break them (old records, data-entry history), so they only warn:
    province code among the current ones, birth day 01-31 (41-71 for women), month
    01-12, serial not 0000. Codes, not sentences: the page words them.
    """
    if not nik or not _NIK.match(nik):
        return []
    warnings = []
    if nik[:2] not in PROVINCE_CODES:
        warnings.append("nik_province")
    day = int(nik[6:8])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        warnings.append("nik_day")
    if not 1 <= int(nik[8:10]) <= 12:
        warnings.append("nik_month")
    if nik[12:] == "0000":
        warnings.append("nik_serial")
    return warnings


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
