"""The procedure pages as served: who may open which, the language, masked personal data."""
from __future__ import annotations

import pytest

from ..support import PASSWORD
from .conftest import NIK_DIGITS, NIK_MASKED

PAGES = {"/keamanan": "security", "/buku-tamu": "receptionist", "/layanan": "officer",
         "/ppid": "ppid", "/prosedur": "admin"}


@pytest.fixture
def login(app):
    def as_role(role: str):
        client = app.test_client()
        response = client.post("/login", data={"username": role, "password": PASSWORD})
        assert response.status_code == 302
        return client

    return as_role


@pytest.mark.parametrize(("path", "owner"), PAGES.items())
def test_each_role_page_opens_for_its_role_and_the_admin(login, users, path, owner):
    for role in ("admin", "receptionist", "officer", "ppid", "security", "display"):
        status = login(role).get(path).status_code
        assert status == (200 if role in (owner, "admin") else 403), (role, path)


def test_the_survey_tablet_opens_for_the_kiosk_account(login, users, client):
    assert login("display").get("/survei").status_code == 200
    assert client.get("/survei").status_code == 302  # to the login page


def test_pages_switch_to_english(login, users):
    client = login("officer")
    assert "Loket layanan" in client.get("/layanan").get_data(as_text=True)
    client.get("/lang/en")
    page = client.get("/layanan").get_data(as_text=True)
    assert "Service counter" in page and '"no_fee": "This service is free of charge."' in page


def test_timeline_page_heads_with_the_procedure_and_masks_the_nik(login, users, visit_at):
    visit_id = visit_at("hand_over")["visit"]["id"]
    for role in ("admin", "receptionist", "officer", "ppid", "security"):
        page = login(role).get(f"/kunjungan/{visit_id}").get_data(as_text=True)
        assert "PMP-07.01.CFM.01/Manual.0331/C7.16/0T.02.02/2024" in page, role
        assert NIK_DIGITS not in page, role
        assert (NIK_MASKED in page) == (role != "security"), role
        assert ("Siti Aminah" in page) == (role != "security"), role
    assert login("admin").get("/kunjungan/999").status_code == 404


def test_without_a_procedure_the_pages_say_so(login, users, services):
    from dataclasses import replace

    from queue_server.procedure.settings import Procedure

    app_procedure = login("admin").application.extensions["procedure"]
    app_procedure.procedure = replace(app_procedure.procedure, steps=())
    assert isinstance(app_procedure.procedure, Procedure)
    response = login("security").get("/keamanan")
    assert response.status_code == 404
    assert "Belum ada prosedur di config.yaml." in response.get_data(as_text=True)
