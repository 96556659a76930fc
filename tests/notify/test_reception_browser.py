"""The receptionist takes a visitor's number with their consent, in Chromium."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from ..pages.audit import low_contrast, small_targets
from ..support import PASSWORD


@pytest.fixture
def reception(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900},
                                  base_url=live_server.url)
    context.set_default_timeout(10_000)
    assert context.request.post("/login", form={"username": "receptionist",
                                                "password": PASSWORD}).ok
    page = context.new_page()
    page.goto("/resepsionis")
    yield page
    context.close()


def stored_phones(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        phones = [row[0] for row in connection.execute(text("SELECT phone FROM ticket_contacts"))]
    engine.dispose()
    return phones


def test_the_number_goes_with_the_ticket_only_with_consent_and_is_cleared(
        reception, sqlite_url):
    page = reception
    umum = page.get_by_role("button", name=re.compile("^Umum"))
    page.get_by_label("Nomor ponsel pengunjung").fill("0812 3456 7890")
    umum.click()  # no consent ticked: the number is not sent
    expect(page.locator("#issued-number")).to_have_text("A-001")
    expect(page.locator("#issued-notify")).to_be_hidden()
    assert stored_phones(sqlite_url) == []

    page.get_by_label("Nomor ponsel pengunjung").fill("0812 3456 7890")
    page.get_by_label("Pengunjung setuju menerima pesan").check()
    page.get_by_label("Bahasa Inggris").check()
    umum.click()
    expect(page.locator("#issued-number")).to_have_text("A-002")
    expect(page.locator("#issued-notify")).to_have_text("Pesan dikirim ke +62812*****890")
    # The form forgets the number: the next visitor's ticket never carries it.
    expect(page.get_by_label("Nomor ponsel pengunjung")).to_have_value("")
    expect(page.get_by_label("Pengunjung setuju menerima pesan")).not_to_be_checked()
    assert stored_phones(sqlite_url) == ["+6281234567890"]
    assert "6281234567890" not in page.content()

    page.get_by_label("Nomor ponsel pengunjung").fill("021-555-1234")
    page.get_by_label("Pengunjung setuju menerima pesan").check()
    umum.click()
    expect(page.get_by_role("alert")).to_contain_text("phone")
    expect(page.locator("#issued-number")).to_have_text("A-002")
    assert small_targets(page) == []
    checked, low = low_contrast(page)
    assert checked > 5 and low == []
