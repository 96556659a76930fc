"""Turn a ticket or receipt (plain data) into the exact ESC/POS bytes for a printer profile."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from printer.texts import TEXTS, Language, local_date, local_time

MAX_TEXT_SIZE = 8
"""Largest GS ! character magnification ESC/POS allows."""


def _check(language: str, moment: datetime, timezone: str) -> None:
    """Reject layouts that would print a wrong time or an unknown language."""
    if language not in TEXTS:
        raise ValueError(f"language must be one of {', '.join(TEXTS)}, not {language!r}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the time must be timezone-aware")
    ZoneInfo(timezone)


@dataclass(frozen=True)
class TicketLayout:
    """What a queue ticket shows; no personal data."""

    office_name: str
    number: str
    priority: bool
    category_name: str
    service_name: str
    issued_at: datetime
    timezone: str
    waiting_ahead: int
    counter_names: list[str]
    status_url: str | None
    language: Language = "id"
    wait_minutes: list[int] | None = None
    """The estimated wait as [low, high] minutes; None prints no estimate (too little data
    to give one: never a made-up figure)."""

    def __post_init__(self) -> None:
        _check(self.language, self.issued_at, self.timezone)


@dataclass(frozen=True, kw_only=True)
class ReceiptLayout:
    """What an information receipt (tanda terima informasi) shows."""

    office_name: str
    request_number: str
    service_name: str
    date: datetime
    officer_name: str
    visitor_label: str
    """A ticket number or request reference: never a NIK or a name."""
    items: list[str] = field(default_factory=list)
    title: str | None = None
    """Defaults to TANDA TERIMA INFORMASI, or INFORMATION RECEIPT in English."""
    details: list[list[str]] = field(default_factory=list)
    """Further [label, value] lines after the standard ones (a request's subject, due date)."""
    timezone: str = "Asia/Jakarta"
    language: Language = "id"

    def __post_init__(self) -> None:
        _check(self.language, self.date, self.timezone)


def paper_columns(profile_name: str, width_chars: int | None = None) -> int:
    """Return characters per line in font A: the override, else the profile's columns."""
    if width_chars:
        return width_chars
    # escpos loads its whole printer database (~15 MB): only when a ticket is laid out.
    from escpos.capabilities import get_profile

    return get_profile(profile_name).get_columns(0)


class _Paper:
    """A Dummy printer with the profile's width and a few layout helpers."""

    def __init__(self, profile_name: str, width_chars: int | None) -> None:
        from escpos.printer import Dummy

        self.printer = Dummy(profile=profile_name)
        self.profile = self.printer.profile
        self.columns = paper_columns(profile_name, width_chars)
        self.printer.hw("INIT")

    def line(self, text: str = "", width: int = 1) -> None:
        """Print text word-wrapped to the characters that fit at this width."""
        lines = textwrap.wrap(text, max(1, self.columns // width)) or [""]
        for part in lines:
            self.printer.textln(part)

    def pair(self, label: str, value: str, label_width: int) -> None:
        """Print 'label : value' with continuation lines under the value."""
        self.hanging(f"{label.ljust(label_width)} : ", value)

    def hanging(self, prefix: str, text: str) -> None:
        """Print prefix then text, wrapping the text in a column of its own."""
        parts = textwrap.wrap(text, max(8, self.columns - len(prefix))) or [""]
        self.printer.textln(prefix + parts[0])
        for part in parts[1:]:
            self.printer.textln(" " * len(prefix) + part)

    def columns_pair(self, left: str, right: str) -> None:
        """Print two texts centred in the two halves of the line."""
        half = self.columns // 2
        self.printer.textln((left.center(half) + right.center(self.columns - half)).rstrip())

    def qr(self, content: str) -> None:
        """Print a QR code: native GS ( k where the profile has it, else a raster image."""
        media = self.profile.profile_data.get("media", {}).get("width", {})
        pixels = media.get("pixels")
        pixels = pixels if isinstance(pixels, int) else 384
        # Aim for a code about 45% of the paper width (a ~33-module code for a short URL).
        size = max(3, min(8, int(pixels * 0.45) // 33))
        if self.profile.supports("qrCode"):
            self.printer.qr(content, native=True, size=size)
            self.printer.ln()
        else:
            self.printer.qr(content, native=False, size=size,
                            center=isinstance(media.get("pixels"), int))

    def output(self) -> bytes:
        """Cut (or feed, without a cutter) and return every byte."""
        self.printer.cut()
        return self.printer.output


def _number_width(number: str, columns: int) -> int:
    """Return the largest magnification at which the number fits on one line."""
    return max(1, min(MAX_TEXT_SIZE, columns // max(1, len(number))))


def render_ticket(layout: TicketLayout, profile_name: str, width_chars: int | None = None) -> bytes:
    """Render a queue ticket to ESC/POS bytes."""
    texts = TEXTS[layout.language]
    paper = _Paper(profile_name, width_chars)
    p = paper.printer
    p.set(align="center", bold=True)
    paper.line(layout.office_name)
    p.set(double_height=True)
    paper.line(texts["priority"] if layout.priority else texts["general"])
    p.set(normal_textsize=True, bold=False)
    p.ln()
    paper.line(texts["number"])
    magnification = _number_width(layout.number, paper.columns)
    p.set(custom_size=True, width=magnification, height=MAX_TEXT_SIZE, bold=True)
    paper.line(layout.number, width=magnification)
    p.set(custom_size=True, width=1, height=1)
    paper.line(layout.category_name)
    p.set(bold=False)
    paper.line(layout.service_name)
    paper.line(local_date(layout.issued_at, layout.timezone, layout.language))
    paper.line(local_time(layout.issued_at, layout.timezone, layout.language))
    p.ln()
    if layout.waiting_ahead <= 0:
        paper.line(texts["waiting_none"])
    elif layout.waiting_ahead == 1:
        paper.line(texts["waiting_one"])
    else:
        paper.line(texts["waiting"].format(count=layout.waiting_ahead))
    if layout.wait_minutes:
        low, high = layout.wait_minutes
        paper.line(texts["estimate"].format(low=low, high=high))
    if layout.counter_names:
        paper.line(texts["go_to"].format(counters=", ".join(layout.counter_names)))
    p.ln()
    p.set(bold=True)
    paper.line(texts["free"])
    p.set(bold=False)
    if layout.status_url:
        p.ln()
        paper.qr(layout.status_url)
        paper.line(texts["scan"])
    return paper.output()


def render_receipt(
    layout: ReceiptLayout, profile_name: str, width_chars: int | None = None
) -> bytes:
    """Render an information receipt with signature lines to ESC/POS bytes."""
    texts = TEXTS[layout.language]
    paper = _Paper(profile_name, width_chars)
    p = paper.printer
    p.set(align="center", bold=True)
    paper.line(layout.office_name)
    p.set(double_height=True)
    paper.line(layout.title or texts["receipt_title"])
    p.set(normal_textsize=True, bold=False)
    p.ln()
    p.set(align="left")
    labels = ("request_number", "service", "date", "visitor", "officer")
    label_width = max(len(texts[label]) for label in labels)
    moment = f"{local_date(layout.date, layout.timezone, layout.language)} " + local_time(
        layout.date, layout.timezone, layout.language
    )
    paper.pair(texts["request_number"], layout.request_number, label_width)
    paper.pair(texts["service"], layout.service_name, label_width)
    paper.pair(texts["date"], moment, label_width)
    paper.pair(texts["visitor"], layout.visitor_label, label_width)
    paper.pair(texts["officer"], layout.officer_name, label_width)
    for label, value in layout.details:
        paper.line(f"{label}:")
        paper.hanging("  ", value)
    if layout.items:
        p.ln()
        paper.line(texts["items"])
        for index, item in enumerate(layout.items, start=1):
            paper.hanging(f"{index:>2}. ", item)
    p.ln()
    p.set(align="center", bold=True)
    paper.line(texts["free"])
    p.set(align="left", bold=False)
    p.ln()
    paper.columns_pair(texts["officer"], texts["recipient"])
    p.ln(3)
    blank = "(" + "_" * max(6, paper.columns // 2 - 6) + ")"
    paper.columns_pair(blank, blank)
    paper.columns_pair(layout.officer_name[: paper.columns // 2 - 1], "")
    return paper.output()


def render_test_page(
    printer_name: str, profile_name: str, width_chars: int | None = None, language: Language = "id"
) -> bytes:
    """Render a page that shows a printer's width, sizes, QR and cutter."""
    texts = TEXTS[language]
    paper = _Paper(profile_name, width_chars)
    p = paper.printer
    millimetres = paper.profile.profile_data.get("media", {}).get("width", {}).get("mm")
    p.set(align="center", bold=True, double_height=True)
    paper.line(texts["test_title"])
    p.set(normal_textsize=True, bold=False, align="left")
    paper.line(f"Printer: {printer_name}")
    paper.line(f"{texts['profile']}: {profile_name}")
    paper.line(f"{texts['paper']}: {millimetres} mm, {paper.columns} {texts['characters']}")
    for feature, label in (("paperFullCut", "cutter"), ("qrCode", "native_qr")):
        paper.line(f"{texts[label]}: {texts['yes' if paper.profile.supports(feature) else 'no']}")
    p.textln(("1234567890" * 10)[: paper.columns])
    p.set(bold=True)
    paper.line("Tebal / Bold")
    p.set(bold=False, double_width=True, double_height=True)
    paper.line("2x", width=2)
    magnification = _number_width("P-000", paper.columns)
    p.set(align="center", custom_size=True, width=magnification, height=MAX_TEXT_SIZE)
    paper.line("P-000", width=magnification)
    p.set(custom_size=True, width=1, height=1)
    paper.qr(f"printer:{printer_name}")
    return paper.output()
