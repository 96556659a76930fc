"""The waiting-room TV page in a real Chromium against a live server."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

PLAY_MESSAGE = "display: play "
LIVE_WAIT_MS = 1000
RECONNECT_WAIT_MS = 20000
AUDIO_WAIT_MS = 60000

MEASURE_NUMBER = """() => {
    const node = document.getElementById("current-number");
    const range = document.createRange();
    range.selectNodeContents(node);
    const text = range.getBoundingClientRect();
    const box = node.getBoundingClientRect();
    return {
        text: {left: text.left, right: text.right, top: text.top, bottom: text.bottom,
               height: text.height},
        box: {left: box.left, right: box.right, top: box.top, bottom: box.bottom},
        scrollWidth: node.scrollWidth, clientWidth: node.clientWidth,
        viewport: {width: window.innerWidth, height: window.innerHeight},
    };
}"""


def playing(log: dict) -> list[dict]:
    return [play for play in log["plays"] if play["result"] == "playing"]


def test_call_appears_within_a_second_with_caption_in_the_live_region(
        live_server, desk, open_display):
    page = open_display(live_server)
    desk.issue("umum")
    call = desk.call_next("2")

    number = page.locator("#current-number")
    number.filter(has_text=re.compile(f"^{call['number']}$")).wait_for(timeout=LIVE_WAIT_MS)
    expect(page.locator("#current-counter")).to_have_text(call["counter_name"])
    expect(page.locator("#caption")).to_have_text(call["text"])
    status = page.get_by_role("status")
    expect(status).to_have_text(call["text"])
    expect(status).to_have_attribute("aria-live", "assertive")


def test_page_plays_the_call_audio_by_itself(live_server, desk, open_display):
    page = open_display(live_server)
    desk.issue("umum")
    # Read the console, not the page: a Playwright query would count as a click.
    with page.expect_console_message(lambda m: m.text.startswith(PLAY_MESSAGE)) as message:
        call = desk.call_next("2")

    assert message.value.text.startswith(f"{PLAY_MESSAGE}playing /audio/call-")
    page.wait_for_function(
        "seq => window.displayLog.spoken.some(p => p.seq === seq && p.kind === 'full')",
        arg=call["seq"], timeout=AUDIO_WAIT_MS)
    log = page.evaluate("window.displayLog")
    # The call's parts: the chime, then its sentence (the TV speaks Indonesian only here).
    assert [(item["seq"], item["kind"], item["lang"]) for item in log["spoken"][:2]] == [
        (call["seq"], "chime", None), (call["seq"], "full", "id")]
    assert log["plays"][0]["url"] == log["spoken"][0]["url"]
    assert log["plays"][0]["result"] == "playing"
    assert log["probe"]["result"] == "playing"


def test_the_call_s_mp3_parts_play_to_their_end_in_chromium(live_server, desk, open_display):
    """Issue 12: the call's audio is MP3, and Chromium plays it through, no error."""
    page = open_display(live_server)
    desk.issue("umum")
    call = desk.call_next("2")

    page.wait_for_function(
        """seq => window.displayLog.spoken.filter(p => p.seq === seq).length >= 2
                  && window.displayLog.ends.length >= 2""",
        arg=call["seq"], timeout=AUDIO_WAIT_MS)
    log = page.evaluate("window.displayLog")
    urls = [item["url"] for item in log["spoken"] if item["seq"] == call["seq"]]
    assert all(re.fullmatch(r"/audio/call-[0-9a-f]{20}\.mp3", url) for url in urls), urls
    assert [play["result"] for play in log["plays"]] == ["playing"] * len(log["plays"])
    assert [(end["url"], end["result"]) for end in log["ends"][:2]] == [
        (url, "ended") for url in urls[:2]]  # the chime and the sentence, heard to the end
    # Chromium's own decoder reads the whole sentence, as long as the server made it.
    seconds = page.evaluate("""url => new Promise((resolve, reject) => {
        const audio = new Audio(url);
        audio.addEventListener("loadedmetadata", () => resolve(audio.duration));
        audio.addEventListener("error", () => reject(new Error(String(audio.error.code))));
    })""", urls[1])
    assert 2 < seconds < 10


def test_recall_waits_until_the_call_announcement_has_ended(live_server, desk, open_display):
    page = open_display(live_server)
    desk.issue("umum")
    call = desk.call_next("2")
    recall = desk.recall("2")

    page.wait_for_function(
        "seq => window.displayLog.spoken.some(p => p.seq === seq && p.kind !== 'chime')",
        arg=recall["seq"], timeout=AUDIO_WAIT_MS)
    log = page.evaluate("window.displayLog")
    spoken = log["spoken"]
    first_of_recall = next(index for index, item in enumerate(spoken)
                           if item["seq"] == recall["seq"])
    of_call = spoken[:first_of_recall]
    assert of_call and all(item["seq"] == call["seq"] for item in of_call)
    last_of_call = of_call[-1]
    ended = [end for end in log["ends"] if end["url"] == last_of_call["url"]]
    assert ended and ended[0]["result"] == "ended"
    assert spoken[first_of_recall]["at"] >= ended[0]["at"]


def test_a_recall_already_waiting_is_not_queued_twice(live_server, desk, open_display):
    page = open_display(live_server)
    desk.issue("umum")
    call = desk.call_next("2")
    first_recall = desk.recall("2")
    second_recall = desk.recall("2")

    page.wait_for_function("n => window.displayLog.announcements.length >= n", arg=3,
                           timeout=LIVE_WAIT_MS * 5)
    announcements = page.evaluate("window.displayLog.announcements")
    assert [(item["seq"], item["queued"]) for item in announcements] == [
        (call["seq"], True), (first_recall["seq"], True), (second_recall["seq"], False)]


def test_disconnect_shows_the_banner_and_calls_made_meanwhile_appear(
        live_server, desk, open_display):
    page = open_display(live_server)
    desk.issue("umum")
    desk.issue("umum")

    live_server.stop()
    banner = page.get_by_role("alert")
    expect(banner).to_be_visible(timeout=RECONNECT_WAIT_MS)
    expect(banner).to_contain_text("Terputus")
    # Issue 11: the wording KBBI and the formal register want.
    expect(banner).to_contain_text("Data mungkin belum mutakhir. Menyambungkan kembali…")
    expect(page.locator("body")).to_have_class(re.compile(r"\bis-stale\b"))

    live_server.start()
    # Two counters: a second call at the same counter would finish the first ticket, and a
    # finished ticket is not announced (issue 10).
    first = desk.call_next("3")
    second = desk.call_next("2")

    expect(page.locator("#current-number")).to_have_text(second["number"],
                                                         timeout=RECONNECT_WAIT_MS)
    expect(page.locator("#recent-list")).to_contain_text(first["number"])
    expect(banner).to_be_hidden()
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bis-stale\b"))
    # Whether they came live or in the snapshot after reconnecting, both are announced.
    page.wait_for_function(
        "seqs => seqs.every(seq => window.displayLog.announcements.some("
        "item => item.seq === seq && item.queued))",
        arg=[first["seq"], second["seq"]], timeout=LIVE_WAIT_MS * 5)


def test_the_record_is_shown_only_with_the_test_flag(live_server, desk, open_display):
    page = open_display(live_server, test_log=False)
    desk.issue("umum")
    call = desk.call_next("2")
    expect(page.locator("#current-number")).to_have_text(call["number"])
    assert page.evaluate("typeof window.displayLog") == "undefined"
    assert open_display(live_server).evaluate("typeof window.displayLog") == "object"


def test_blocked_sound_asks_for_a_click_and_the_click_plays(
        live_server, desk, open_display, gesture_browser):
    page = open_display(live_server, browser=gesture_browser)
    desk.issue("umum")
    with page.expect_console_message(lambda m: m.text.startswith(PLAY_MESSAGE)) as message:
        desk.call_next("2")
    assert message.value.text.startswith(f"{PLAY_MESSAGE}blocked /audio/call-")
    blocked_url = message.value.text.rsplit(" ", 1)[1]

    button = page.get_by_role("button", name="Klik untuk mengaktifkan suara")
    expect(button).to_be_visible()
    with page.expect_console_message(lambda m: m.text.startswith(PLAY_MESSAGE)) as message:
        button.click()
    # The click plays the very part that was blocked (the chime), nothing is skipped.
    assert message.value.text == f"{PLAY_MESSAGE}playing {blocked_url}"
    expect(button).to_be_hidden()
    log = page.evaluate("window.displayLog")
    assert log["probe"]["result"] == "blocked"
    assert [play["result"] for play in log["plays"]] == ["blocked", "playing"]


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_number_fits_the_tv_and_priority_is_named_in_words(
        live_server, desk, open_display, width, height):
    page = open_display(live_server, width=width, height=height)
    desk.issue("umum")
    desk.issue("lansia")
    priority = desk.call_next("1")
    assert priority["priority"] is True

    expect(page.locator("#current-number")).to_have_text(priority["number"])
    expect(page.locator("#current-counter")).to_have_text(priority["counter_name"])
    measure = page.evaluate(MEASURE_NUMBER)
    text, box, viewport = measure["text"], measure["box"], measure["viewport"]
    assert measure["scrollWidth"] <= measure["clientWidth"]
    assert box["left"] <= text["left"] and text["right"] <= box["right"]
    assert text["top"] >= 0 and text["bottom"] <= viewport["height"]
    assert text["left"] >= 0 and text["right"] <= viewport["width"]
    # Readable from 5 m: the number keeps at least a sixth of the screen's height.
    assert text["height"] >= viewport["height"] / 6
    tag = page.locator("#current-priority")
    expect(tag).to_be_visible()
    expect(tag).to_have_text("PRIORITAS")

    regular = desk.call_next("2")
    expect(page.locator("#current-number")).to_have_text(regular["number"])
    expect(tag).to_be_hidden()
    row = page.locator("#recent-list li", has_text=priority["number"])
    expect(row).to_contain_text("PRIORITAS")


def test_calls_for_counters_not_shown_are_ignored(live_server, desk, open_display):
    page = open_display(live_server, query="?counters=3")
    desk.issue("umum")
    desk.issue("umum")
    elsewhere = desk.call_next("2")
    here = desk.call_next("3")

    expect(page.locator("#current-number")).to_have_text(here["number"])
    expect(page.locator("#recent-list")).not_to_contain_text(elsewhere["number"])
    seqs = page.evaluate("window.displayLog.announcements.map(item => item.seq)")
    assert seqs == [here["seq"]]


def test_clock_and_labels_are_indonesian(live_server, open_display):
    page = open_display(live_server)
    clock = page.evaluate(
        "DisplayI18n.formatClock(new Date('2026-11-25T07:05:00Z'), 'id', 'Asia/Jakarta')")
    assert clock == {"date": "Rabu, 25 November 2026", "time": "14:05"}
    shown = page.locator("#clock")
    expect(shown).to_have_text(re.compile(
        r"^(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), \d{1,2} [A-Z][a-z]+ \d{4} \d{2}:\d{2}$"))
    expect(page.locator("#current-label")).to_have_text("Nomor antrean dipanggil")
    expect(page.locator("html")).to_have_attribute("lang", "id")


@pytest.mark.parametrize("reduced_motion", ["reduce", "no-preference"])
def test_motion_follows_the_reduced_motion_preference(
        live_server, desk, open_display, reduced_motion):
    page = open_display(live_server, reduced_motion=reduced_motion)
    desk.issue("umum")
    call = desk.call_next("2")
    expect(page.locator("#current-number")).to_have_text(call["number"])
    expect(page.locator("#ticker")).to_be_visible()

    animations = page.evaluate("""() => [
        getComputedStyle(document.getElementById("current-number")).animationName,
        getComputedStyle(document.getElementById("ticker-track")).animationName]""")
    expected = ["none", "none"] if reduced_motion == "reduce" else ["number-flash", "ticker"]
    assert animations == expected


def test_calls_that_cross_on_the_way_are_put_back_in_order_without_a_snapshot(
        live_server, desk, autoplay_browser):
    """Behind nginx, calls made in two processes reach a TV through Redis and can cross. The
    page holds the later one for the earlier and announces both in order; it does not ask
    for a snapshot per gap (50 TVs asking at once used up a process's connections)."""
    from tests.display.conftest import CONNECTED, with_test_log

    held: list[str] = []

    def cross_calls(ws):
        server = ws.connect_to_server()

        def from_server(message):
            is_call = isinstance(message, str) and message.startswith('42/display,["call"')
            if is_call and not held:
                held.append(message)  # the first call waits until the second has gone by
                return
            ws.send(message)
            if is_call and held:
                ws.send(held.pop())

        server.on_message(from_server)

    context = autoplay_browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        page.route_web_socket(re.compile(r"/socket\.io/"), cross_calls)
        with page.expect_console_message(lambda message: message.text == CONNECTED):
            page.goto(f"{live_server.url}/display{with_test_log('')}")
        desk.issue("umum")
        desk.issue("umum")
        snapshots_before = page.evaluate("window.displayLog.snapshots.length")
        first = desk.call_next("3")
        second = desk.call_next("2")

        expect(page.locator("#current-number")).to_have_text(second["number"],
                                                             timeout=LIVE_WAIT_MS * 5)
        expect(page.locator("#recent-list")).to_contain_text(first["number"])
        log = page.evaluate("window.displayLog")
        assert [call["seq"] for call in log["calls"][-2:]] == [second["seq"], first["seq"]]
        queued = [item["seq"] for item in log["announcements"] if item.get("queued")]
        assert queued[-2:] == [first["seq"], second["seq"]]
        assert len(log["snapshots"]) == snapshots_before
    finally:
        context.close()
