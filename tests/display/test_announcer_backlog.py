"""Issue 10: under a backlog the TV stays truthful and timely (display/announcer.js).

The page runs in Chromium against a live server and hears real socket events; only its
sound is a stand-in (?test-audio=manual): each part "plays" until the test ends it with
window.displayAudio.finish(), so the order of what the TV starts to say is exact and no
assertion depends on how long a clip lasts. window.displayLog.spoken records every part
the TV started, with the counter the screen showed for that number at that moment.
"""
from __future__ import annotations

import pytest
import requests

from ..support import office_data
from .conftest import with_test_log

WAIT_MS = 10000
MANUAL = "test-audio=manual"


@pytest.fixture
def config_overrides() -> dict:
    """Both languages, the default short queue (0), and five counters to call from."""
    data = office_data()
    display = data["display"]
    display["audio"]["languages"] = ["id", "en"]
    display["audio"]["short_queue"] = 0
    counters = data["counters"] + [
        {"code": "4", "name": "Loket 4", "name_en": "Counter 4", "services": ["*"]},
        {"code": "5", "name": "Loket 5", "name_en": "Counter 5", "services": ["*"]}]
    return {"display": display, "counters": counters}


def spoken(page) -> list[dict]:
    return page.evaluate("window.displayLog.spoken")


def wait_spoken(page, count: int) -> list[dict]:
    page.wait_for_function("n => window.displayLog.spoken.length >= n", arg=count,
                           timeout=WAIT_MS)
    return spoken(page)


def finish(page) -> None:
    """End the part now sounding, and wait until the page has taken the next step."""
    before = len(spoken(page))
    assert page.evaluate("window.displayAudio.finish()") is True
    page.wait_for_function(
        "n => window.displayLog.spoken.length > n || window.displayAudio.playing() === null",
        arg=before, timeout=WAIT_MS)


def parts(items: list[dict]) -> list[tuple]:
    return [(item["seq"], item["kind"], item["lang"]) for item in items]


def test_a_backlog_drops_stale_calls_and_speaks_english_only_when_short(
        live_server, desk, open_display):
    page = open_display(live_server, query=f"?{MANUAL}")
    for _ in range(4):
        desk.issue("umum")

    first = desk.call_next("2")                       # A-001 at Loket 2: chime starts
    assert parts(wait_spoken(page, 1)) == [(first["seq"], "chime", None)]
    second = desk.call_next("3")                      # A-002 at Loket 3: waits
    third = desk.call_next("4")                       # A-003 at Loket 4: waits
    page.wait_for_function("n => window.displayLog.announcements.length >= n", arg=3,
                           timeout=WAIT_MS)

    # A-001 is transferred while its announcement sounds: the TV stops saying it.
    desk.transfer("2", "5")
    page.wait_for_function(
        "() => window.displayLog.drops.some(d => d.number === 'A-001' && d.dropped === 1)",
        timeout=WAIT_MS)
    assert any(end["result"] == "superseded" for end in page.evaluate("window.displayLog.ends"))
    moved = desk.call_next("5")                       # A-001 again, now at Loket 5
    page.wait_for_function(
        "seq => window.displayLog.announcements.some(a => a.seq === seq)", arg=moved["seq"],
        timeout=WAIT_MS)

    # A-002 starts at once: same run, no second chime; two wait behind it: short form only.
    wait_spoken(page, 2)
    finish(page)                                      # A-002 (id) ends: A-003 starts
    finish(page)                                      # A-003 (id) ends: A-001 at 5 starts
    finish(page)                                      # A-001 (id) ends: nothing waits: English
    finish(page)                                      # A-001 (en) ends
    log = spoken(page)
    assert parts(log) == [
        (first["seq"], "chime", None),
        (second["seq"], "short", "id"),
        (third["seq"], "short", "id"),
        (moved["seq"], "full", "id"),
        (moved["seq"], "full", "en"),
    ]
    # Nothing spoken contradicts the screen: the counter said is the one it shows.
    assert [(item["number"], item["counter"]) for item in log] == [
        ("A-001", "2"), ("A-002", "3"), ("A-003", "4"), ("A-001", "5"), ("A-001", "5")]
    assert all(item["shown"] == item["counter"] for item in log)
    # Every part it started is a composed file the server serves.
    for item in log:
        audio = requests.get(live_server.url + item["url"], timeout=10)
        assert audio.status_code == 200
        assert audio.headers["Content-Type"] == "audio/mpeg"


def test_a_finished_ticket_waiting_to_be_announced_is_never_spoken(
        live_server, desk, open_display):
    page = open_display(live_server, query=f"?{MANUAL}")
    for _ in range(3):
        desk.issue("umum")
    first = desk.call_next("2")
    wait_spoken(page, 1)
    desk.call_next("3")                               # A-002 waits behind A-001
    desk.done("3")                                    # ...and is served before its turn
    page.wait_for_function(
        "() => window.displayLog.drops.some(d => d.number === 'A-002' && d.dropped === 1)",
        timeout=WAIT_MS)
    finish(page)                                      # the chime ends; A-001 (id) starts
    finish(page)                                      # A-001 (id) ends; English follows
    finish(page)
    assert parts(spoken(page)) == [
        (first["seq"], "chime", None), (first["seq"], "full", "id"),
        (first["seq"], "full", "en")]


def test_a_waiting_call_is_replaced_by_its_ticket_s_newest_call(live_server, open_display):
    """The announcer itself, fed calls as the socket brings them (the rule in isolation)."""
    page = open_display(live_server, query=f"?{MANUAL}")
    result = page.evaluate("""() => {
        const log = {plays: [], ends: [], probe: null};
        const said = [];
        const announcer = new window.Announcer(log, () => {}, {
            manualAudio: true, onSpeak: (item, part) => said.push([item.seq, part.kind])});
        const audio = (seq) => ({chime: `/c${seq}`, repeats: 1,
            languages: [{lang: "id", full: `/f${seq}`, short: `/s${seq}`}]});
        const call = (seq, number, counter) => ({seq, number, counter, audio: audio(seq)});
        const results = [
            announcer.enqueue(call(1, "A-001", "2")),
            announcer.enqueue(call(2, "A-002", "3")),
            announcer.enqueue(call(3, "A-002", "4")),
            announcer.enqueue(call(4, "A-002", "4")),
        ];
        return {results, pending: announcer.pending(),
                waiting: announcer.waiting().map(item => [item.seq, item.counter])};
    }""")
    assert result["results"] == ["queued", "queued", "replaced", "duplicate"]
    assert result["waiting"] == [[3, "4"]]
    assert result["pending"] == ["A-002"]


def test_display_log_flag_is_needed_for_manual_audio(live_server, open_display):
    page = open_display(live_server, query=f"?{MANUAL}", test_log=False)
    assert page.evaluate("typeof window.displayAudio") == "undefined"
    assert with_test_log(f"?{MANUAL}").startswith("?test-log=1")
