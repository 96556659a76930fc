"""In Chromium: the live board follows the queue without reload; the reports page draws its
charts, its tables match the JSON, it works by keyboard, and axe-core finds no violation."""
from __future__ import annotations

from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from tests.support import PASSWORD

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def open_(role: str, path: str, viewport: dict = DESKTOP):
        # bypass_csp: axe-core is injected as an inline script for the audit only
        context = browser.new_context(viewport=viewport, base_url=live_server.url,
                                      bypass_csp=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        assert context.request.post("/login", form={"username": role,
                                                    "password": PASSWORD}).ok
        page = context.new_page()
        page.goto(path)
        return page

    yield open_
    for context in contexts:
        context.close()


def post(server, role: str, path: str, body: dict | None = None) -> dict:
    answer = requests.post(server.url + "/api/v1" + path, json=body or {}, timeout=10,
                           headers={"Authorization": f"Bearer {server.token(role)}"})
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def axe_violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document)).violations.map("
                           "v => ({id: v.id, nodes: v.nodes.map(n => n.target)}))")
    return result


def figure(page, key: str):
    return page.locator(f'#board-today [data-key="{key}"] dd')


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE])
def test_the_board_follows_the_queue_live(open_page, live_server, viewport):
    page = open_page("supervisor", "/pemantauan", viewport)
    expect(page.locator("#live-state")).to_have_attribute("data-state", "connected")
    expect(figure(page, "board_issued")).to_have_text("0")
    post(live_server, "receptionist", "/tickets", {"service": "INFO", "category": "umum"})
    expect(figure(page, "board_issued")).to_have_text("1")
    expect(figure(page, "board_waiting_now")).to_have_text("1")
    expect(page.locator("#board-waiting")).to_contain_text("Layanan Informasi Publik")
    called = post(live_server, "officer", "/counters/2/call-next")
    number = called["ticket"]["number"] if "ticket" in called else called["number"]
    expect(page.locator('[data-counter="2"]')).to_contain_text(number)
    expect(figure(page, "board_waiting_now")).to_have_text("0")
    assert axe_violations(page) == []


def test_the_reports_page_draws_charts_that_match_the_json(open_page, live_server):
    for _ in range(3):
        post(live_server, "receptionist", "/tickets", {"service": "INFO", "category": "umum"})
    post(live_server, "officer", "/counters/2/call-next")
    post(live_server, "officer", "/counters/2/call-next")
    page = open_page("supervisor", "/laporan?report=volume&preset=today")
    charted = page.locator("canvas")
    expect(charted).to_have_count(2)  # by day, by hour (the heat map is a shaded table)
    page.wait_for_function("() => (window.reportCharts || []).length === 2")
    data = requests.get(live_server.url + "/api/v1/reports/volume?preset=today", timeout=10,
                        headers={"Authorization": f"Bearer {live_server.token('supervisor')}"}
                        ).json()
    for table in data["tables"]:
        rows = page.locator(f'[data-table="{table["key"]}"] tbody tr')
        expect(rows).to_have_count(max(1, len(table["rows"])))
        for index, row in enumerate(table["rows"]):
            cells = rows.nth(index).locator("td")
            values = [cells.nth(i).get_attribute("data-value") for i in range(len(row) - 1)]
            assert values == [str(v) for v in row[1:]], table["key"]
    charts = page.evaluate("() => window.reportCharts.map(c => ({key: c.key, "
                           "data: c.chart.data.datasets[0].data}))")
    by_day = next(c for c in charts if c["key"] == "by_day")
    assert by_day["data"] == [row[1] for row in data["tables"][0]["rows"]]
    assert data["figures"]["issued"] == 3
    expect(page.locator('[data-key="issued"]')).to_have_text("3")
    assert axe_violations(page) == []


def tab_to(page, text: str) -> None:
    """Press Tab until the focused element's text (or name) is `text`."""
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => (document.activeElement.name || "
                                "document.activeElement.textContent.trim())")
        if focused == text:
            return
    raise AssertionError(f"{text!r} is not reachable by Tab")


def test_the_reports_page_works_by_keyboard(open_page, live_server):
    page = open_page("supervisor", "/laporan?report=volume")
    tab_to(page, "Waktu tunggu dan waktu layanan")  # the second report's link
    page.keyboard.press("Enter")
    page.wait_for_url("**/laporan?report=waits**")
    tab_to(page, "preset")  # the period select
    page.keyboard.press("ArrowDown")  # the first preset: today
    tab_to(page, "Tampilkan")
    page.keyboard.press("Enter")
    page.wait_for_url("**preset=today**")
    expect(page.locator("#report-heading")).to_have_text("Waktu tunggu dan waktu layanan")
    assert axe_violations(page) == []
