"""Words printed on paper, in Indonesian and English, and local dates for people to read."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

Language = Literal["id", "en"]

TEXTS: dict[str, dict[str, str]] = {
    "id": {
        "priority": "ANTREAN PRIORITAS",
        "general": "ANTREAN UMUM",
        "number": "Nomor Antrean",
        "waiting": "Di depan Anda: {count} orang",
        "waiting_none": "Tidak ada yang menunggu di depan Anda",
        "waiting_one": "Di depan Anda: 1 orang",
        "go_to": "Silakan menuju {counters}",
        "free": "Layanan ini tidak dipungut biaya",
        "scan": "Pindai untuk melihat status antrean",
        "receipt_title": "TANDA TERIMA INFORMASI",
        "request_number": "No. Permohonan",
        "service": "Layanan",
        "date": "Tanggal",
        "visitor": "Pengunjung",
        "officer": "Petugas",
        "recipient": "Penerima",
        "items": "Informasi yang diserahkan:",
        "test_title": "HALAMAN UJI PRINTER",
        "profile": "Profil",
        "paper": "Kertas",
        "cutter": "Pemotong",
        "native_qr": "QR bawaan",
        "yes": "ya",
        "no": "tidak",
        "characters": "karakter",
        "estimate": "Perkiraan waktu tunggu: {low}-{high} menit",
    },
    "en": {
        "priority": "PRIORITY QUEUE",
        "general": "REGULAR QUEUE",
        "number": "Queue Number",
        "waiting": "People ahead of you: {count}",
        "waiting_none": "Nobody is waiting ahead of you",
        "waiting_one": "People ahead of you: 1",
        "go_to": "Please proceed to {counters}",
        "free": "This service is free of charge",
        "scan": "Scan to see your queue status",
        "receipt_title": "INFORMATION RECEIPT",
        "request_number": "Request No.",
        "service": "Service",
        "date": "Date",
        "visitor": "Visitor",
        "officer": "Officer",
        "recipient": "Recipient",
        "items": "Information handed over:",
        "test_title": "PRINTER TEST PAGE",
        "profile": "Profile",
        "paper": "Paper",
        "cutter": "Cutter",
        "native_qr": "Native QR",
        "yes": "yes",
        "no": "no",
        "characters": "characters",
        "estimate": "Estimated wait: {low}-{high} minutes",
    },
}

MONTHS = {
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}
WEEKDAYS = {
    "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}


def local_date(moment: datetime, timezone: str, language: str) -> str:
    """Format a day the way a visitor reads it, e.g. 'Senin, 25 November 2024'."""
    local = moment.astimezone(ZoneInfo(timezone))
    weekday = WEEKDAYS[language][local.weekday()]
    return f"{weekday}, {local.day} {MONTHS[language][local.month - 1]} {local.year}"


def local_time(moment: datetime, timezone: str, language: str = "id") -> str:
    """Format a time of day with its zone: '14.05 WIB' (EYD V), '14:05 WIB' in English."""
    local = moment.astimezone(ZoneInfo(timezone))
    separator = "." if language == "id" else ":"
    return f"{local:%H}{separator}{local:%M} {local.tzname()}".strip()
