"""One date and number format per language, and English names for config lists."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from queue_server.platform.config_values import ConfigError
from queue_server.platform.office import parse_services
from queue_server.web.i18n import format_date, format_number

JAKARTA = ZoneInfo("Asia/Jakarta")
MOMENT = datetime(2026, 11, 30, 14, 26, 9, tzinfo=UTC)  # 21.26.09 in Jakarta


@pytest.mark.parametrize(("style", "indonesian", "english"), [
    ("date", "Senin, 30 November 2026", "Monday, 30 November 2026"),
    ("day", "30/11/2026", "30 Nov 2026"),
    ("time", "21.26", "21:26"),
    ("time_seconds", "21.26.09", "21:26:09"),
    ("datetime", "30/11/2026 21.26", "30 Nov 2026 21:26"),
    ("datetime_seconds", "30/11/2026 21.26.09", "30 Nov 2026 21:26:09"),
])
def test_each_style_has_one_format_per_language(style, indonesian, english):
    assert format_date(MOMENT, "id", style, JAKARTA) == indonesian
    assert format_date(MOMENT.isoformat(), "en", style, JAKARTA) == english


def test_a_day_has_no_time_and_nothing_is_empty():
    assert format_date(date(2026, 12, 3), "id", "day") == "03/12/2026"
    assert format_date("2026-12-03", "id") == "Kamis, 3 Desember 2026"
    assert format_date("2026-12-03", "id", "datetime") == "03/12/2026"
    assert format_date("2026-12-03", "id", "time") == ""
    assert format_date(None, "id") == "" and format_date("", "en") == ""


def test_numbers_use_the_languages_separators():
    assert format_number(88.3333, "id", 2) == "88,33"
    assert format_number(88.3333, "en", 2) == "88.33"
    assert format_number(1234567, "id") == "1.234.567"
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(None, "id") == ""


def test_english_names_of_a_list_go_item_by_item():
    [service] = parse_services([{"code": "INFO", "name": "Informasi",
                                 "requirements": ["Kartu identitas", "Formulir"],
                                 "requirements_en": ["ID card", "Form"]}]).values()
    assert service.requirement_names("en") == {"Kartu identitas": "ID card", "Formulir": "Form"}
    assert service.requirement_names("id") == {"Kartu identitas": "Kartu identitas",
                                               "Formulir": "Formulir"}
    with pytest.raises(ConfigError, match=r"services\[0\]\.requirements_en: must be 2 texts"):
        parse_services([{"code": "INFO", "name": "Informasi",
                         "requirements": ["Kartu identitas", "Formulir"],
                         "requirements_en": ["ID card"]}])
