"""Issue 11 (Perki 1/2021 Pasal 48): the running text is also spoken, at an interval, and
never over a call. Chromium against a live server; the sound is the manual stand-in of
test_announcer_backlog.py, so what the TV starts, and in which order, is exact."""
from __future__ import annotations

import pytest
import requests

from ..support import office_data

WAIT_MS = 15000
EVERY_MINUTES = 0.02  # 1.2 s, so the test needs no long wait


@pytest.fixture
def config_overrides() -> dict:
    display = office_data()["display"]
    display["audio"]["languages"] = ["id"]
    display["notice"] = {"every_minutes": EVERY_MINUTES}
    return {"display": display}


def kinds(page) -> list[tuple]:
    return [(item["seq"], item["kind"]) for item in page.evaluate("window.displayLog.spoken")]


def test_the_notice_is_spoken_when_silent_gives_way_to_a_call_and_waits_for_it(
        live_server, desk, open_display):
    page = open_display(live_server, query="?test-audio=manual")
    desk.issue("umum")

    # Silent TV: the notice starts by itself.
    page.wait_for_function(
        "() => window.displayLog.spoken.some(item => item.kind === 'notice')", timeout=WAIT_MS)
    notice_url = page.evaluate("window.displayLog.spoken[0].url")
    audio = requests.get(live_server.url + notice_url, timeout=30)
    assert audio.status_code == 200 and audio.headers["Content-Type"] == "audio/mpeg"

    # A call comes while the notice sounds: the notice stops, the call is spoken.
    call = desk.call_next("2")
    page.wait_for_function(
        "seq => window.displayLog.spoken.some(item => item.seq === seq)", arg=call["seq"],
        timeout=WAIT_MS)
    ends = page.evaluate("window.displayLog.ends")
    assert [end["result"] for end in ends if end["url"] == notice_url] == ["superseded"]

    # The next notice falls due while the call is being spoken: it waits.
    page.wait_for_function(
        "() => window.displayLog.notices.some(item => item.result === 'deferred')",
        timeout=WAIT_MS)
    assert kinds(page)[-1][0] == call["seq"]
    while page.evaluate("window.displayAudio.playing()") != notice_url:
        assert page.evaluate("window.displayAudio.finish()") is True
        page.wait_for_function(
            "() => window.displayAudio.playing() !== null", timeout=WAIT_MS)

    spoken = kinds(page)
    assert spoken[0] == (None, "notice")
    assert spoken[-1] == (None, "notice")
    call_parts = spoken[1:-1]
    assert call_parts and all(seq == call["seq"] for seq, _ in call_parts)
    assert ("full" in {kind for _, kind in call_parts})
