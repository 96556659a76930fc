"""Errors on pages are pages in the page's language; under /api/ they stay JSON."""
from __future__ import annotations

import pytest


@pytest.fixture
def broken(app):
    """Routes that fail on purpose: one page, one API path."""

    @app.get("/broken-page-for-test")
    def broken_page():
        raise RuntimeError("boom")

    @app.get("/api/v1/broken-for-test")
    def broken_api():
        raise RuntimeError("boom")

    return app.test_client()


def test_an_unknown_ticket_code_is_an_indonesian_page(client):
    answer = client.get("/t/no-such-code")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404 and answer.mimetype == "text/html"
    assert '<html lang="id">' in page
    # The visitor's own page (issue 14), not the staff pages' error page: what to do next.
    assert "Nomor antrean tidak ditemukan" in page and "Silakan ambil nomor baru" in page
    assert "Not Found" not in page and "requested URL" not in page
    assert 'class="topbar"' in page  # the house style: the staff pages' frame


def test_an_unknown_page_is_404_in_indonesian_then_in_english(client):
    answer = client.get("/no-such-page")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404
    assert "Halaman tidak ditemukan" in page and "Periksa alamatnya." in page
    assert "Not Found" not in page
    client.get("/lang/en")
    english = client.get("/no-such-page").get_data(as_text=True)
    assert '<html lang="en">' in english and "Page not found" in english
    assert "Halaman" not in english
    assert "Queue number not found" in client.get("/t/no-such-code").get_data(as_text=True)


def test_an_unexpected_failure_on_a_page_is_a_500_page(broken, caplog):
    answer = broken.get("/broken-page-for-test")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 500 and answer.mimetype == "text/html"
    assert "Terjadi kesalahan di server" in page and "hubungi admin" in page
    assert "boom" not in page
    broken.get("/lang/en")
    assert "Server error" in broken.get("/broken-page-for-test").get_data(as_text=True)


def test_the_api_keeps_answering_json(broken):
    missing = broken.get("/api/v1/no-such-endpoint")
    assert missing.status_code == 404 and missing.is_json
    assert missing.get_json()["error"]["code"] == "not_found"
    failed = broken.get("/api/v1/broken-for-test")
    assert failed.status_code == 500 and failed.is_json
    assert failed.get_json() == {"error": {"code": "internal",
                                           "message": "Something went wrong; it has been logged"}}
    not_allowed = broken.delete("/api/v1/tickets")
    assert not_allowed.status_code == 405 and not_allowed.is_json
    assert "Allow" in not_allowed.headers


def test_a_method_not_allowed_on_a_page_keeps_its_allow_header(client):
    answer = client.delete("/login")
    assert answer.status_code == 405 and answer.mimetype == "text/html"
    assert "Allow" in answer.headers
    assert "tidak diizinkan" in answer.get_data(as_text=True)
