"""Forms and pages in Chromium: the survey kiosk, error styling after an attempt, the
preview frame's focus ring, and axe-core on the survey page."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import expect

from ..support import PASSWORD
from .axe import axe_violations

TABLET = {"width": 1024, "height": 768}
ALERT_INK = "rgb(138, 16, 16)"  # staff.css --alert-ink: the error border


def open_survey(open_page, role: str = "display"):
    page = open_page(role, "/survei", TABLET)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    return page


def in_viewport(page, selector: str) -> bool:
    return page.evaluate("""(selector) => {
        const box = document.querySelector(selector).getBoundingClientRect();
        return box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight
            && box.right <= window.innerWidth;
    }""", selector)


def test_the_survey_screens_pass_axe_with_one_h1(open_page):
    page = open_survey(open_page)
    assert axe_violations(page) == []
    page.keyboard.press("Enter")  # the first question
    expect(page.locator(".survey-progress")).to_have_text("Pertanyaan 1 dari 9")
    assert axe_violations(page) == []
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text("Survei kepuasan")


def test_after_the_choose_one_error_next_is_still_on_a_1024x768_screen(open_page):
    page = open_survey(open_page)
    page.keyboard.press("Enter")
    expect(page.locator(".survey-progress")).to_have_text("Pertanyaan 1 dari 9")
    page.keyboard.press("Enter")  # no answer chosen
    alert = page.get_by_role("alert").filter(has_text="Pilih satu jawaban")
    expect(alert).to_be_visible()
    assert in_viewport(page, "#next")
    assert in_viewport(page, "#errors .alert")
    # Choosing an answer then goes on as usual.
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    expect(page.locator(".survey-progress")).to_have_text("Pertanyaan 2 dari 9")


def test_the_display_roles_survey_has_no_way_out(open_page, live_server):
    page = open_survey(open_page)
    expect(page.get_by_role("button", name="Keluar")).to_have_count(0)
    assert page.locator("form:not([method=dialog])").count() == 0
    # Every link on the page (the language switch) comes back to the survey.
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    for href in hrefs:
        landed = page.context.request.get(urljoin(live_server.url, href))
        assert urlsplit(landed.url).path == "/survei", href
    # Buttons outside the unlock dialog only move within the survey.
    buttons = page.eval_on_selector_all(
        "button", "nodes => nodes.filter(b => !b.closest('dialog')).map(b => b.type)")
    assert buttons and set(buttons) == {"button"}
    # A counter officer opening the same page keeps the staff tools.
    staff = open_survey(open_page, "officer")
    expect(staff.get_by_role("button", name="Keluar")).to_be_visible()


def test_only_an_admins_password_unlocks_the_kiosk(open_page, live_server):
    page = open_survey(open_page)
    dialog = page.locator("#unlock-dialog")
    expect(dialog).to_be_hidden()
    # A short press on the office name does nothing; holding it opens the unlock dialog.
    brand = page.locator(".topbar .brand")
    brand.click()
    expect(dialog).to_be_hidden()
    brand.hover()
    page.mouse.down()
    expect(dialog).to_be_visible()
    page.mouse.up()
    refused = dialog.get_by_role("alert")
    for username, password in (("admin", "salah-sekali"), ("officer", PASSWORD)):
        dialog.get_by_label("Nama pengguna").fill(username)
        dialog.get_by_label("Kata sandi").fill(password)
        dialog.get_by_role("button", name="Buka kunci").click()
        expect(refused).to_contain_text("Gagal: Nama pengguna atau kata sandi admin salah.")
        assert urlsplit(page.url).path == "/survei"
        refused.get_by_role("button").click()
    # Cancelling leaves the survey as it was.
    dialog.get_by_role("button", name="Batal").click()
    expect(dialog).to_be_hidden()
    page.keyboard.press("Control+Alt+U")  # the keyboard's way in
    expect(dialog).to_be_visible()
    dialog.get_by_label("Nama pengguna").fill("admin")
    dialog.get_by_label("Kata sandi").fill(PASSWORD)
    dialog.get_by_role("button", name="Buka kunci").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    # The tablet's session is over: the survey asks for a login again.
    page.goto("/survei")
    expect(page).to_have_url(re.compile(r"/login\?next=(%2F|/)survei$"))
    log = live_server.log_path.read_text()
    assert "kiosk unlock refused: screen of display" in log
    assert "kiosk unlocked by admin admin: screen of display" in log
    assert "salah-sekali" not in log and PASSWORD not in log


def border(page, selector: str) -> str:
    return page.eval_on_selector(selector, "node => getComputedStyle(node).borderTopColor")


def test_required_fields_turn_red_only_after_an_attempt(open_page):
    page = open_page("admin", "/prosedur")
    form = page.locator("#reassign-form")
    expect(form).to_be_visible()
    assert border(page, "#reassign-letter") != ALERT_INK  # required, empty, untouched
    form.get_by_role("button", name="Alihkan").click()
    expect(form).to_have_attribute("data-attempted", "true")
    assert border(page, "#reassign-letter") == ALERT_INK
    assert border(page, "#reassign-reason") != ALERT_INK  # optional
    page.get_by_label("Surat tugas").fill("800/123/2026")
    assert border(page, "#reassign-letter") != ALERT_INK

    login = open_page(None, "/login")
    assert border(login, "#username") != ALERT_INK
    login.get_by_role("button", name="Masuk").click()
    assert border(login, "#username") == ALERT_INK
    login.get_by_label("Nama pengguna").fill("admin")
    assert border(login, "#username") != ALERT_INK


def test_the_print_preview_frame_shows_keyboard_focus(open_page, live_server):
    token = live_server.token("receptionist")
    assert live_server.api("POST", "/tickets", token,
                           json={"service": "INFO", "category": "umum"}).status_code == 201
    page = open_page("receptionist", "/resepsionis")
    frame = page.locator("#printer-panel iframe.pp-preview")
    expect(frame).to_be_visible()
    page.locator(".pp-job").click()  # start tabbing from the text just above the frame
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('pp-preview')")
    style = frame.evaluate("node => getComputedStyle(node).outlineStyle")
    width = frame.evaluate("node => parseFloat(getComputedStyle(node).outlineWidth)")
    assert style != "none" and width >= 2
