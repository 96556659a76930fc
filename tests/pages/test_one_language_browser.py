"""One language at a time, in Chromium: an English page shows no Indonesian label or office
name, an Indonesian page no English one, and both show dates in their one format."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from queue_server.web.i18n import LANGUAGE_NAMES, STRINGS, format_date, format_number

from ..support import load, office_data

GUEST = {"name": "Siti Aminah", "nik": "3171015208650001", "phone": "0812-3456-7890",
         "institution": "SDN 01 Menteng", "purpose": "Meminta data rapor mutu sekolah",
         "category": "disabilitas", "kinds": ["fisik"], "aids": ["kursi_roda"],
         "notice_mode": "read_aloud", "consent_by": "visitor"}
# What Pasal 22 ayat (2) UU 14/2008 asks of every request (the PPID register's fields).
REQUESTER = {"requester_address": "Jl. Cikini Raya No. 2, Menteng, Jakarta Pusat",
             "format": "softcopy", "delivery": "in_person"}
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
OTHER = {"id": "en", "en": "id"}


def office_names(language: str) -> set[str]:
    """The office's names in config (steps, equipment, requirements, services, groups) that
    exist only in this language: each must stay off the other language's pages."""
    data = office_data()
    other = OTHER[language]

    def pick(item: dict, key: str) -> tuple[str, str]:
        indonesian, english = item[key], item.get(f"{key}_en", item[key])
        return (indonesian, english) if language == "id" else (english, indonesian)

    pairs = [pick(s, "name") for s in data["services"]]
    pairs += [pair for s in data["services"] for pair in zip(
        *pick(s, "requirements"), strict=True)]
    for step in data["procedure"]["steps"]:
        pairs.append(pick(step, "name"))
        pairs += list(zip(*pick(step, "equipment"), strict=True))
        if step.get("output"):
            pairs.append(pick(step, "output"))
    pairs += [pick(c, "name") for c in data["guest_book"]["categories"]]
    words = {"id": {"menit", "hari kerja"}, "en": {"preview", "printed", "Online", "Offline"}}
    assert other in OTHER
    return {mine for mine, theirs in pairs if mine != theirs} | words[language]


def labels_only_in(language: str) -> set[str]:
    """Label texts of one language that differ from the other's (two words or more, whole)."""
    other = STRINGS[OTHER[language]]
    return {text for key, text in STRINGS[language].items()
            if text != other[key] and "{" not in text and len(text.split()) >= 2}


def leaks(text: str, language: str) -> list[str]:
    """What of the other language shows in a page's text. The language switch names each
    language in itself ("Bahasa Indonesia" on an English page): that is no leak."""
    foreign = OTHER[language]
    own_names = set(LANGUAGE_NAMES.values())
    return sorted(item for item in labels_only_in(foreign) | office_names(foreign)
                  if item not in own_names
                  and re.search(rf"(?<!\w){re.escape(item)}(?!\w)", text))


@pytest.fixture
def visits(live_server):
    """Visit A waiting for the hand-over, visit B at the request: both at the counter."""
    tokens = {role: live_server.token(role) for role in
              ("receptionist", "security", "officer", "ppid")}

    def api(role, method, path, **kwargs):
        response = live_server.api(method, path, tokens[role], **kwargs)
        assert response.status_code < 400, response.text
        return response.json() if response.content else None

    def walk(until: str) -> dict:
        visit = api("receptionist", "POST", "/visits", json={"aids": ["kursi_roda"]})
        calls = api("security", "GET", "/escorts")["escorts"]
        [mine] = [c for c in calls if c["visit_id"] == visit["id"] and not c["done_at"]]
        api("security", "POST", f"/escorts/{mine['id']}/done", json={"place": "ult"})
        base = f"/visits/{visit['id']}/steps"
        plan = [("guest_book", "receptionist", {"guest": GUEST, "service": "INFO"}),
                ("to_counter", "receptionist", {}),
                ("request", "officer", {"request": {
                    **REQUESTER, "subject": "Rapor mutu", "same_day": False,
                    "requirements": {"Kartu identitas": True}}}),
                ("processing", "ppid", {"result": "Rapor mutu dicetak"})]
        for key, role, body in plan:
            if key == until:
                break
            api(role, "POST", f"{base}/{key}/complete", json=body)
        return api("receptionist", "GET", f"/visits/{visit['id']}")["visit"]

    return {"hand_over": walk("hand_over"), "request": walk("request")}


def in_language(open_page, role: str, path: str, language: str):
    page = open_page(role)
    page.goto(f"/lang/{language}?next={path}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    return page


def counter_text(page) -> str:
    expect(page.locator("#visits [data-visit]")).to_have_count(2)
    expect(page.locator("#visits [data-step=request] input[name=requirement]")).to_have_count(3)
    return page.locator("body").inner_text()


@pytest.mark.parametrize("language", ["en", "id"])
def test_counter_and_admin_pages_speak_one_language(open_page, visits, language):
    counter = in_language(open_page, "officer", "/layanan", language)
    text = counter_text(counter)
    assert leaks(text, language) == []
    requirement = counter.locator("#visits [data-step=request] .segment-face").filter(
        has_text="ID card" if language == "en" else "Kartu identitas")
    expect(requirement).to_have_count(1)

    admin = in_language(open_page, "admin", "/prosedur", language)
    expect(admin.locator("#active-visits tr")).to_have_count(2)
    expect(admin.locator("#running .running-item")).to_have_count(2)
    reassign = admin.locator("#reassign-from option").all_inner_texts()
    assert reassign and not any("display" in o or STRINGS[language]["role_display"] in o
                                for o in reassign)
    text = admin.locator("body").inner_text()
    assert leaks(text, language) == []
    assert ISO_DAY.findall(text) == []
    made = "Tuesday, 7 May 2024" if language == "en" else "Selasa, 7 Mei 2024"
    assert made in text  # the POS identity's dates in the long format


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_timeline_speaks_one_language_with_one_date_format(open_page, visits, language):
    visit = visits["hand_over"]
    page = in_language(open_page, "admin", f"/kunjungan/{visit['id']}", language)
    text = page.locator("main").inner_text()
    assert leaks(text, language) == []
    assert ISO_DAY.findall(text) == []
    facts = page.locator("#summary-heading + .pos-facts")
    status = "In progress" if language == "en" else "Berjalan"
    group = "Person with disability" if language == "en" else "Penyandang disabilitas"
    expect(facts).to_contain_text(status)
    expect(facts).to_contain_text(group)
    weekday = "|".join(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                        "Sunday"] if language == "en" else
                       ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"])
    assert re.search(rf"({weekday}), \d{{1,2}} \w+ \d{{4}}", text)
    started = (r"\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}" if language == "en"
               else r"\d{2}/\d{2}/\d{4} \d{2}\.\d{2}\.\d{2}")
    assert re.search(started, page.locator("#steps-table").inner_text())


def test_scripts_format_dates_and_numbers_as_the_server_does(open_page, visits, live_server):
    """Staff.formatDate/formatNumber (staff.js) and web/i18n.py share one table."""
    tz = ZoneInfo(load(live_server.config_path).timezone)
    moment = datetime(2026, 11, 30, 14, 26, 9, tzinfo=UTC)
    for language in ("id", "en"):
        page = in_language(open_page, "receptionist", "/buku-tamu", language)
        for style in ("date", "day", "time", "time_seconds", "datetime", "datetime_seconds"):
            shown = page.evaluate("([v, s]) => Staff.formatDate(v, s)",
                                  [moment.isoformat(), style])
            assert shown == format_date(moment, language, style, tz), (language, style)
            day = page.evaluate("([v, s]) => Staff.formatDate(v, s)", ["2026-12-03", style])
            assert day == format_date("2026-12-03", language, style, tz), (language, style)
        assert page.evaluate("Staff.formatNumber(1234.5, 2)") == format_number(1234.5, language, 2)


def test_the_print_note_is_in_indonesian(open_page, visits):
    page = in_language(open_page, "receptionist", "/buku-tamu", "id")
    job = visits["hand_over"]["print_jobs"]["ticket"]
    page.evaluate("(job) => Staff.watchPrint(job, document.getElementById('issued-print'))", job)
    note = page.locator("#issued-print")
    expect(note).to_contain_text("Tercetak · Pratinjau cetak")
    assert "preview" not in note.inner_text() and "printed" not in note.inner_text()
