"""Staff pages in a real Chromium against a real server: what the person at the desk sees."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..support import PASSWORD
from .audit import low_contrast, small_targets
from .conftest import DESKTOP, PHONE

NUMBER = re.compile(r"^[A-Z]-\d{3}$")


@pytest.fixture
def bearer(live_server):
    """bearer("officer"): a token per role, fetched once per test."""
    cache: dict[str, str] = {}

    def get(role: str) -> str:
        if role not in cache:
            cache[role] = live_server.token(role)
        return cache[role]

    return get


def issue_ticket(live_server, bearer, category="lansia", service="INFO") -> dict:
    response = live_server.api("POST", "/tickets", bearer("receptionist"),
                               json={"service": service, "category": category})
    assert response.status_code == 201, response.text
    return response.json()


def waiting_numbers(live_server, bearer) -> list[str]:
    response = live_server.api("GET", "/queue", bearer("officer"))
    return [ticket["number"] for ticket in response.json()["tickets"]]


def ticket(live_server, bearer, ticket_id: int) -> dict:
    return live_server.api("GET", f"/tickets/{ticket_id}", bearer("officer")).json()


def mark_page(page) -> None:
    """Tag the page's window; the tag survives only if the page is never reloaded."""
    page.evaluate("window.notReloaded = true")


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.notReloaded === true")


def queue_row(page, number: str):
    return page.locator(f'#queue-body tr[data-number="{number}"]')


def wait_live(page) -> None:
    expect(page.locator("#live-state")).to_have_attribute("data-state", "connected")


def test_issued_ticket_reaches_counter_live_and_leaves_reception_live(open_page, live_server,
                                                                     bearer):
    reception = open_page("receptionist", "/resepsionis")
    counter = open_page("officer", "/loket/2")
    wait_live(reception)
    wait_live(counter)
    mark_page(reception)
    mark_page(counter)

    reception.get_by_role("button", name=re.compile("^Lansia")).click()

    number = reception.locator("#issued-number")
    expect(number).to_have_text(re.compile(r"^P-\d{3}$"))
    issued = number.text_content()
    expect(reception.locator("#issued-ticket")).to_contain_text("Silakan menunggu")
    expect(reception.locator("#issued-ahead")).to_have_text("Tidak ada nomor antrean di depan Anda")
    expect(queue_row(reception, issued)).to_be_visible()
    assert waiting_numbers(live_server, bearer) == [issued]

    expect(queue_row(counter, issued)).to_be_visible()
    assert_not_reloaded(counter)
    counter.get_by_role("button", name="Panggil berikutnya").click()
    expect(counter.locator("#current-number")).to_have_text(issued)
    expect(counter.locator("#current-category")).to_have_text("Lansia")

    expect(queue_row(reception, issued)).to_have_count(0)
    expect(reception.locator("#queue-empty")).to_be_visible()
    assert_not_reloaded(reception)
    status = live_server.api("GET", "/counters/2", bearer("officer")).json()
    assert status["current"]["number"] == issued


def test_counter_recall_no_show_call_back_transfer_and_done(open_page, live_server, bearer):
    first = issue_ticket(live_server, bearer, "lansia")
    page = open_page("officer", "/loket/2")
    current = page.locator("#current-number")
    status = page.get_by_role("status")

    page.get_by_role("button", name="Panggil berikutnya").click()
    expect(current).to_have_text(first["number"])

    page.get_by_role("button", name="Panggil ulang").click()
    expect(status).to_have_text(f"Nomor {first['number']} dipanggil ulang.")
    actions = [event["action"] for event in ticket(live_server, bearer, first["id"])["history"]]
    assert actions == ["issued", "called", "recalled"]

    page.get_by_role("button", name="Tidak hadir").click()
    expect(page.locator("#current-none")).to_be_visible()
    no_show = page.locator(f'#no-shows li[data-number="{first["number"]}"]')
    expect(no_show).to_be_visible()
    assert ticket(live_server, bearer, first["id"])["status"] == "no_show"
    for name in ("Panggil ulang", "Tidak hadir", "Alihkan", "Selesai"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_disabled()

    no_show.get_by_role("button", name=f"Panggil kembali {first['number']}").click()
    expect(current).to_have_text(first["number"])
    expect(page.locator("#no-shows li")).to_have_count(0)
    called_back = ticket(live_server, bearer, first["id"])
    assert (called_back["status"], called_back["counter"]) == ("called", "2")

    page.get_by_role("button", name="Alihkan").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"Alihkan nomor {first['number']}")
    dialog.get_by_label("Ke loket").select_option("3")
    dialog.get_by_role("button", name="Alihkan").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#current-none")).to_be_visible()
    expect(status).to_have_text(f"Nomor {first['number']} dialihkan.")
    transferred = ticket(live_server, bearer, first["id"])
    assert (transferred["status"], transferred["target_counter"]) == ("waiting", "3")
    # Sent to counter 3, so counter 2's queue no longer offers it.
    expect(queue_row(page, first["number"])).to_have_count(0)

    second = issue_ticket(live_server, bearer, "umum")
    expect(queue_row(page, second["number"])).to_be_visible()
    page.get_by_role("button", name="Panggil berikutnya").click()
    expect(current).to_have_text(second["number"])
    page.get_by_role("button", name="Selesai").click()
    expect(page.locator("#current-none")).to_be_visible()
    expect(status).to_have_text(f"Nomor {second['number']} selesai dilayani.")
    assert ticket(live_server, bearer, second["id"])["status"] == "served"

    page.get_by_role("button", name="Panggil berikutnya").click()
    expect(status).to_have_text("Tidak ada antrean")


def test_transfer_dialog_needs_a_target_traps_focus_and_closes_on_escape(open_page, live_server,
                                                                        bearer):
    issue_ticket(live_server, bearer)
    page = open_page("officer", "/loket/2")
    page.get_by_role("button", name="Panggil berikutnya").click()
    expect(page.locator("#current-number")).to_have_text("P-001")
    expect(page.locator("#call-next")).to_be_focused()
    opener = page.get_by_role("button", name="Alihkan")
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Ke layanan")).to_be_focused()

    dialog.get_by_role("button", name="Alihkan").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Pilih layanan atau loket tujuan.")
    for _ in range(8):
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('transfer-dialog')"
                             ".contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    assert live_server.api("GET", "/counters/2", bearer("officer")).json()["current"]


def tab_to(page, selector: str, limit: int = 30) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only_issues_tickets_and_calls_next(open_page, live_server, bearer):
    reception = open_page("receptionist", "/resepsionis")
    tab_to(reception, '.category-button[data-category="lansia"]')
    reception.keyboard.press("Enter")
    expect(reception.locator("#issued-number")).to_have_text("P-001")
    lansia = reception.locator('.category-button[data-category="lansia"]')
    expect(lansia).to_be_focused()
    reception.keyboard.press("Space")
    expect(reception.locator("#issued-number")).to_have_text("P-002")
    assert waiting_numbers(live_server, bearer) == ["P-001", "P-002"]

    counter = open_page("officer", "/loket/2")
    expect(queue_row(counter, "P-002")).to_be_visible()
    tab_to(counter, "#call-next")
    counter.keyboard.press("Enter")
    expect(counter.locator("#current-number")).to_have_text("P-001")
    expect(counter.locator("#call-next")).to_be_focused()


def double_click_after_answer(page, button, shows, text: str) -> None:
    """A double-click whose second click comes only once the first press has its answer
    (shows has text), as on a fast office network, where a plain dblclick() may or may not
    land its second click inside the first request."""
    box = button.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down(click_count=1)
    page.mouse.up(click_count=1)
    expect(shows).to_have_text(text)
    page.mouse.down(click_count=2)
    page.mouse.up(click_count=2)


def test_a_double_click_on_call_next_calls_one_visitor(open_page, live_server, bearer):
    first, second = issue_ticket(live_server, bearer), issue_ticket(live_server, bearer)
    counter = open_page("officer", "/loket/2")
    expect(queue_row(counter, second["number"])).to_be_visible()
    double_click_after_answer(counter, counter.locator("#call-next"),
                              counter.locator("#current-number"), first["number"])
    # A recall goes after anything the second click started; it must recall the first.
    counter.locator("#recall").click()
    expect(counter.get_by_role("status")).to_contain_text(first["number"])
    assert ticket(live_server, bearer, second["id"])["status"] == "waiting"
    assert live_server.api("GET", "/counters/2", bearer("officer")).json()["current"][
        "number"] == first["number"]


def test_a_first_press_counts_whatever_click_count_the_browser_gives_it(open_page, live_server,
                                                                          bearer):
    """Only a repeat on the same button is dropped: a button's first press counts even when
    the browser numbers it as a later click of a multi-click (detail 2), as it may when a
    press follows another at once."""
    first = issue_ticket(live_server, bearer)
    counter = open_page("officer", "/loket/2")
    counter.locator("#call-next").click()
    expect(counter.locator("#current-number")).to_have_text(first["number"])
    box = counter.locator("#no-show").bounding_box()
    counter.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    counter.mouse.down(click_count=2)
    counter.mouse.up(click_count=2)
    expect(counter.locator("#no-shows li")).to_have_count(1)
    assert ticket(live_server, bearer, first["id"])["status"] == "no_show"


def test_lost_response_is_retried_with_the_same_key_and_a_double_click_issues_once(
        open_page, live_server, bearer):
    page = open_page("receptionist", "/resepsionis")
    keys: list[str] = []

    def drop_first_answer(route):
        keys.append(route.request.headers["idempotency-key"])
        if len(keys) == 1:
            route.fetch()  # the server issues the ticket, but its answer never arrives
            route.abort()
        else:
            route.continue_()

    page.route("**/api/v1/tickets", drop_first_answer)
    page.get_by_role("button", name=re.compile("^Anak")).click()
    expect(page.locator("#issued-number")).to_have_text("P-001")
    assert len(keys) == 2 and keys[0] == keys[1]
    assert waiting_numbers(live_server, bearer) == ["P-001"]

    page.unroute("**/api/v1/tickets")
    # The second click of the pair issues nothing.
    double_click_after_answer(page, page.get_by_role("button", name="Umum"),
                              page.locator("#issued-number"), "A-001")
    # The next press is a new ticket; had the second click issued one, this would be A-002's
    # press ignored while busy, or P-002 would follow A-002.
    page.get_by_role("button", name=re.compile("^Anak")).click()
    expect(page.locator("#issued-number")).to_have_text("P-002")
    expect(queue_row(page, "A-001")).to_be_visible()
    assert waiting_numbers(live_server, bearer) == ["P-001", "P-002", "A-001"]


def audit(page) -> None:
    assert small_targets(page) == []
    checked, low = low_contrast(page)
    assert checked > 5
    assert low == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_targets_are_44px_and_text_contrast_is_aa(open_page, live_server, bearer, viewport):
    login = open_page(None, "/login", viewport)
    login.get_by_label("Nama pengguna").fill("receptionist")
    login.get_by_label("Kata sandi").fill("salah-sekali")
    login.get_by_role("button", name="Masuk").click()
    expect(login.get_by_role("alert")).to_contain_text("salah")
    audit(login)

    reception = open_page("receptionist", "/resepsionis", viewport)
    reception.get_by_role("button", name=re.compile("^Ibu hamil")).click()
    expect(reception.locator("#issued-number")).to_have_text("P-001")
    issue_ticket(live_server, bearer, "umum", "SURAT")
    expect(queue_row(reception, "A-001")).to_be_visible()
    audit(reception)

    counter = open_page("officer", "/loket/2", viewport)
    counter.get_by_role("button", name="Panggil berikutnya").click()
    expect(counter.locator("#current-number")).to_have_text("P-001")
    counter.get_by_role("button", name="Tidak hadir").click()
    expect(counter.locator("#no-shows li")).to_have_count(1)
    counter.get_by_role("button", name="Panggil berikutnya").click()
    expect(counter.locator("#current-number")).to_have_text("A-001")
    counter.get_by_role("button", name="Panggil ulang").click()
    expect(counter.get_by_role("status")).to_contain_text("dipanggil ulang")
    audit(counter)
    counter.get_by_role("button", name="Alihkan").click()
    counter.get_by_role("dialog").get_by_role("button", name="Alihkan").click()
    expect(counter.get_by_role("dialog").get_by_role("alert")).to_be_visible()
    audit(counter)
    counter.keyboard.press("Escape")
    counter.route("**/api/v1/counters/2/recall", lambda route: route.fulfill(
        status=409, json={"error": {"code": "conflict", "message": "Test conflict"}}))
    counter.get_by_role("button", name="Panggil ulang").click()
    expect(counter.locator("#errors")).to_contain_text("Test conflict")
    audit(counter)

    for role, path in (("officer", "/loket"), ("admin", "/admin"), ("ppid", "/"),
                       ("officer", "/resepsionis")):
        audit(open_page(role, path, viewport))


def test_wrong_password_and_too_many_attempts_are_shown(open_page, live_server):
    page = open_page(None, "/login")
    page.get_by_label("Nama pengguna").fill("officer")
    page.get_by_label("Kata sandi").fill("bukan-sandinya")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_have_text("Nama pengguna atau kata sandi salah.")
    expect(page.get_by_label("Nama pengguna")).to_have_value("officer")

    for _ in range(10):
        page.request.post("/login", form={"username": "officer", "password": "salah-lagi"})
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_contain_text("Terlalu banyak percobaan")
    assert page.url.endswith("/login")


def test_english_switch_shows_english_labels_and_survives_login(open_page):
    page = open_page(None, "/login")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Username").fill("receptionist")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile("/resepsionis$"))
    expect(page.get_by_role("heading", name="Issue a queue number")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Older person")).click()
    expect(page.locator("#issued-ticket")).to_contain_text("Please wait")
    expect(page.locator("#issued-ahead")).to_have_text("Nobody is waiting ahead of you")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Ambil nomor antrean")).to_be_visible()


def test_pages_need_login_and_home_depends_on_role(open_page):
    page = open_page(None, "/resepsionis")
    expect(page).to_have_url(re.compile(r"/login\?next=(/|%2F)resepsionis$"))
    page.get_by_label("Nama pengguna").fill("receptionist")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile("/resepsionis$"))

    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile("/login$"))
    page.goto("/loket/2")
    expect(page).to_have_url(re.compile(r"/login\?next=(/|%2F)loket(/|%2F)2$"))

    officer = open_page("officer", "/")
    expect(officer).to_have_url(re.compile("/loket$"))
    officer.get_by_role("link", name=re.compile("^Loket 3")).click()
    expect(officer.get_by_role("heading", name="Loket 3")).to_be_visible()

    admin = open_page("admin", "/")
    admin.get_by_role("link", name="Halaman resepsionis").click()
    expect(admin).to_have_url(re.compile("/resepsionis$"))
    admin.go_back()
    admin.get_by_role("link", name="Halaman loket").click()
    expect(admin).to_have_url(re.compile("/loket$"))

    security = open_page("security", "/")
    expect(security.get_by_role("main")).to_contain_text("Petugas keamanan")
    expect(security.get_by_role("button", name="Keluar")).to_be_visible()


def test_officer_cannot_issue_tickets(open_page, live_server, bearer):
    officer = open_page("officer", "/resepsionis")
    expect(officer.get_by_role("alert")).to_contain_text("Halaman ini bukan untuk peran")
    assert officer.get_by_role("button", name=re.compile("^Lansia")).count() == 0

    # The receptionist's page stays open while an officer logs in on the same browser.
    page = open_page("receptionist", "/resepsionis")
    page.request.post("/login", form={"username": "officer", "password": PASSWORD})
    page.get_by_role("button", name=re.compile("^Lansia")).click()
    alert = page.locator("#errors")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("Peran Anda tidak diizinkan melakukan ini.")
    expect(page.locator("#issued-ticket")).to_be_hidden()
    assert waiting_numbers(live_server, bearer) == []


def test_the_queue_pages_show_the_first_page_and_say_how_many_more_wait(
        open_page, live_server, bearer):
    """GET /queue answers 100 tickets a page: reception and the counters list the first
    page in call order, count every ticket waiting, and say how many the list leaves out."""
    for index in range(105):
        issue_ticket(live_server, bearer, category="lansia" if index in (50, 104) else "umum")

    reception = open_page("receptionist", "/resepsionis")
    rows = reception.locator("#queue-body tr")
    expect(rows).to_have_count(100)
    # Call order: the two priority tickets first, then the regular ones from the oldest.
    assert rows.evaluate_all("rows => rows.slice(0, 4).map(row => row.dataset.number)") == [
        "P-001", "P-002", "A-001", "A-002"]
    expect(reception.locator("#count-priority")).to_have_text("2")
    expect(reception.locator("#count-regular")).to_have_text("103")
    expect(reception.locator("#queue-more")).to_be_visible()
    expect(reception.locator("#queue-more")).to_have_text("Masih ada 5 nomor antrean lainnya.")

    counter = open_page("officer", "/loket/2")
    expect(counter.locator("#queue-body tr")).to_have_count(100)
    expect(counter.locator("#queue-more")).to_have_text("Masih ada 5 nomor antrean lainnya.")
    # The priority counter asks for its class only: one page holds both, nothing is left out.
    priority = open_page("officer", "/loket/1")
    expect(priority.locator("#queue-body tr")).to_have_count(2)
    expect(priority.locator("#queue-more")).to_be_hidden()

    # A call moves the list on: the 101st regular ticket comes into view.
    response = live_server.api("POST", "/counters/2/call-next", bearer("officer"))
    assert response.status_code == 200, response.text
    expect(counter.locator("#queue-more")).to_have_text("Masih ada 4 nomor antrean lainnya.")
    expect(reception.locator("#count-priority")).to_have_text("1")


def test_the_desks_buttons_wait_for_their_script_and_a_first_press_issues(open_page, live_server,
                                                                          bearer):
    """A press before the page's script has attached its handler would do nothing and say
    nothing (CI once clicked "Lansia" that early): the buttons are disabled until then."""
    for role, path, selector in (("receptionist", "/resepsionis", ".category-button"),
                                 ("officer", "/loket/2", "#call-next")):
        before = open_page(role, path, javascript=False)
        buttons = before.locator(selector)
        assert buttons.count() >= 1
        for index in range(buttons.count()):
            expect(buttons.nth(index)).to_be_disabled()
        after = open_page(role, path)
        expect(after.locator(selector).first).to_be_enabled()

    # The first press on a page just opened issues (the click waits for the button).
    page = open_page("receptionist", "/resepsionis")
    page.get_by_role("button", name=re.compile("^Lansia")).click()
    expect(page.locator("#issued-number")).to_have_text("P-001")
    assert waiting_numbers(live_server, bearer) == ["P-001"]
