"""The staff pages' languages: the label glossary by language, choosing and filling labels."""
from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from queue_server.web.labels import en as english
from queue_server.web.labels import id as indonesian

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
# Each language's own name, so a visitor finds theirs whatever the page shows.
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}

# Each language's labels; the keys are the same in every language (tests/test_glossary.py).
STRINGS: dict[str, dict[str, str]] = {"id": indonesian.LABELS, "en": english.LABELS}


def pick_language(wanted: str | None, offered: tuple[str, ...],
                  default: str = DEFAULT_LANGUAGE) -> str:
    """The wanted language if the office offers it and labels exist, else the default."""
    usable = [code for code in offered if code in STRINGS] or [DEFAULT_LANGUAGE]
    if wanted in usable:
        return wanted
    return default if default in usable else usable[0]


def translate(language: str, key: str, **values: Any) -> str:
    """The label for key in language, with {placeholders} filled; the key itself if unknown."""
    table = STRINGS.get(language, STRINGS[DEFAULT_LANGUAGE])
    text = table.get(key) or STRINGS[DEFAULT_LANGUAGE].get(key) or key
    return text.format(**values) if values else text


def local_name(item: Any, language: str) -> str:
    """A service's, category's or counter's name in the page language."""
    if language == "en" and getattr(item, "name_en", ""):
        return item.name_en
    return item.name


# Dates and numbers: one format per language, used by every page (the Jinja filters
# local_date and local_number), every script (Staff.formatDate and Staff.formatNumber read
# this table from the page) and nowhere else. Indonesian follows EYD V: "Senin, 30 November
# 2026", 30/11/2026 in tables, times with a full stop (21.26), a decimal comma (88,33).
FORMATS: dict[str, dict[str, Any]] = {
    "id": {
        "months": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                   "September", "Oktober", "November", "Desember"],
        "months_short": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt",
                         "Nov", "Des"],
        "weekdays": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
        "date": "{weekday}, {day} {month} {year}", "day": "{dd}/{mm}/{year}",
        "time": "{hh}.{mi}", "time_seconds": "{hh}.{mi}.{ss}",
        "decimal": ",", "thousands": ".",
    },
    "en": {
        "months": ["January", "February", "March", "April", "May", "June", "July", "August",
                   "September", "October", "November", "December"],
        "months_short": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                         "Nov", "Dec"],
        "weekdays": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                     "Sunday"],
        "date": "{weekday}, {day} {month} {year}", "day": "{day} {month_short} {year}",
        "time": "{hh}:{mi}", "time_seconds": "{hh}:{mi}:{ss}",
        "decimal": ".", "thousands": ",",
    },
}
DATE_STYLES = ("date", "day", "time", "time_seconds", "datetime", "datetime_seconds")
"""date: the long date; day: a table's date; datetime: day and time; *_seconds: with seconds."""


def _moment(value: Any, tz: tzinfo | None) -> tuple[date, datetime | None]:
    """A day and, for a point in time, the local time: from a date, a datetime or ISO text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value \
            else date.fromisoformat(value)
    if isinstance(value, datetime):
        local = value.astimezone(tz) if tz is not None and value.tzinfo else value
        return local.date(), local
    return value, None


def format_date(value: Any, language: str, style: str = "date",
                tz: tzinfo | None = None) -> str:
    """A date or moment in the language's one format; "" for None or ""."""
    if value is None or value == "":
        return ""
    table = FORMATS.get(language, FORMATS[DEFAULT_LANGUAGE])
    day, moment = _moment(value, tz)
    parts = {"weekday": table["weekdays"][day.weekday()], "day": day.day,
             "dd": f"{day.day:02d}", "mm": f"{day.month:02d}", "year": day.year,
             "month": table["months"][day.month - 1],
             "month_short": table["months_short"][day.month - 1]}
    if moment is not None:
        parts.update(hh=f"{moment.hour:02d}", mi=f"{moment.minute:02d}",
                     ss=f"{moment.second:02d}")
    if style in ("datetime", "datetime_seconds"):
        clock = "time_seconds" if style == "datetime_seconds" else "time"
        return f"{table['day'].format(**parts)} {table[clock].format(**parts)}" \
            if moment is not None else table["day"].format(**parts)
    if style.startswith("time") and moment is None:  # a day has no time of day
        return ""
    return table[style].format(**parts)


def format_number(value: Any, language: str, places: int | None = None) -> str:
    """A number with the language's separators: 1.234,5 (id), 1,234.5 (en); "" for None."""
    if value is None or value == "":
        return ""
    table = FORMATS.get(language, FORMATS[DEFAULT_LANGUAGE])
    text = f"{value:,.{places}f}" if places is not None else f"{value:,}"
    return text.replace(",", "\0").replace(".", table["decimal"]).replace("\0", table["thousands"])
