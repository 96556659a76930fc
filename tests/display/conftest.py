"""Browser fixtures for the TV page: Debian Chromium driven by Playwright, a desk to call from."""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import Page

from ..support import CHROMIUM, CHROMIUM_ARGS, LiveServer, office_data

AUTOPLAY = "--autoplay-policy=no-user-gesture-required"
CONNECTED = "display: connection connected"
# The page shows its record (window.displayLog) to tests only when opened with this flag.
TEST_LOG = "test-log=1"


@pytest.fixture
def config_overrides() -> dict:
    """Speak Indonesian only, so queued announcements take seconds, not tens of seconds."""
    display = office_data()["display"]
    display["audio"]["languages"] = ["id"]
    return {"display": display}


@pytest.fixture(scope="session")
def autoplay_browser(playwright_driver):
    """Chromium as the kiosk runs it: sound may play without a click."""
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM,
                                                args=CHROMIUM_ARGS + [AUTOPLAY])
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def gesture_browser(playwright_driver):
    """Chromium with its default policy: sound needs a click first."""
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def open_display(autoplay_browser):
    """Open /display and return once its socket is connected, without touching the page.

    Any Playwright query of the page counts as a user gesture and would unlock sound, so
    readiness is read from the page's own console messages. The page is opened with
    ?test-log=1, so window.displayLog is there to read, unless test_log is False.
    """
    contexts = []

    def open_page(server: LiveServer, query: str = "", browser=None, width: int = 1366,
                  height: int = 768, reduced_motion: str = "no-preference",
                  test_log: bool = True) -> Page:
        context = (browser or autoplay_browser).new_context(
            viewport={"width": width, "height": height}, reduced_motion=reduced_motion)
        contexts.append(context)
        page = context.new_page()
        with page.expect_console_message(lambda message: message.text == CONNECTED):
            page.goto(f"{server.url}/display{with_test_log(query) if test_log else query}")
        return page

    yield open_page
    for context in contexts:
        context.close()


def with_test_log(query: str) -> str:
    """The page's query ("" or "?counters=3") with the test-log flag added."""
    return f"?{TEST_LOG}&{query.removeprefix('?')}" if query else f"?{TEST_LOG}"


class Desk:
    """The receptionist and a counter officer, through the API of a live server."""

    def __init__(self, server: LiveServer):
        self.server = server
        self.headers = {role: {"Authorization": f"Bearer {server.token(role)}"}
                        for role in ("receptionist", "officer")}

    def issue(self, category: str = "umum", service: str = "INFO") -> dict:
        response = requests.post(f"{self.server.url}/api/v1/tickets", timeout=10,
                                 json={"service": service, "category": category},
                                 headers=self.headers["receptionist"])
        assert response.status_code == 201, response.text
        return response.json()

    def _counter(self, code: str, action: str) -> dict:
        response = requests.post(f"{self.server.url}/api/v1/counters/{code}/{action}",
                                 headers=self.headers["officer"], timeout=10)
        assert response.status_code == 200, response.text
        return response.json()["call"]

    def call_next(self, code: str) -> dict:
        """Call the next ticket at a counter and return the public call."""
        return self._counter(code, "call-next")

    def recall(self, code: str) -> dict:
        return self._counter(code, "recall")

    def transfer(self, code: str, to_counter: str) -> dict:
        """Send the counter's current ticket to another counter; return the ticket."""
        response = requests.post(f"{self.server.url}/api/v1/counters/{code}/transfer",
                                 json={"counter": to_counter}, timeout=10,
                                 headers=self.headers["officer"])
        assert response.status_code == 200, response.text
        return response.json()

    def done(self, code: str) -> dict:
        response = requests.post(f"{self.server.url}/api/v1/counters/{code}/done",
                                 headers=self.headers["officer"], timeout=10)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def desk(live_server) -> Desk:
    return Desk(live_server)
