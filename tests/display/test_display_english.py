"""The TV page when the office chooses English for its display."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


@pytest.fixture
def config_overrides(config_overrides):
    config_overrides["display"]["language"] = "en"
    return config_overrides


def test_labels_clock_and_priority_word_follow_the_snapshot_language(
        live_server, desk, open_display):
    page = open_display(live_server)
    desk.issue("lansia")
    call = desk.call_next("1")

    expect(page.locator("#current-number")).to_have_text(call["number"])
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#current-label")).to_have_text("Now calling")
    expect(page.locator("#current-priority")).to_have_text("PRIORITY")
    expect(page.locator("#clock")).to_have_text(re.compile(
        r"^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{1,2} [A-Z][a-z]+ "
        r"\d{4} \d{2}:\d{2}$"))
    clock = page.evaluate(
        "DisplayI18n.formatClock(new Date('2026-11-25T07:05:00Z'), 'en', 'Asia/Jakarta')")
    assert clock == {"date": "Wednesday, 25 November 2026", "time": "14:05"}


def test_disconnected_banner_is_in_english(live_server, open_display):
    page = open_display(live_server)
    live_server.stop()
    banner = page.get_by_role("alert")
    expect(banner).to_be_visible(timeout=20000)
    expect(banner).to_contain_text("Disconnected")
    expect(banner).not_to_contain_text("Terputus")
