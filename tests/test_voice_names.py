"""Counter names the shipped clips cannot say: a start-up warning, and calls that still speak."""
import logging

import pytest

from sounds.text import build_announcement
from sounds.vocabulary import spoken_text

from .support import mp3_seconds

MEJA = "Meja Informasi"
LANSIA = "Loket Lansia & Disabilitas"


@pytest.fixture
def config_overrides() -> dict:
    return {"counters": [
        {"code": "1", "name": "Loket Prioritas", "services": ["*"], "priority_only": True},
        {"code": "2", "name": "Loket 2", "services": ["*"]},
        {"code": "3", "name": "Loket 3", "services": ["*"]},
        {"code": "4", "name": MEJA, "name_en": "Information Desk", "services": ["*"]},
        {"code": "5", "name": LANSIA, "name_en": "Older and Disabled Visitors",
         "services": ["*"]},
    ]}


def warnings_at_start(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.get_records("setup")
            if record.name == "queue_server.tv.announcer" and record.levelno == logging.WARNING]


def call_at(client, auth, counter: str) -> dict:
    issued = client.post("/api/v1/tickets", json={"service": "INFO", "category": "umum"},
                         headers=auth("receptionist"))
    assert issued.status_code == 201
    called = client.post(f"/api/v1/counters/{counter}/call-next", headers=auth("officer"))
    assert called.status_code == 200, called.get_data(as_text=True)
    return called.json["call"]


def test_start_up_names_each_counter_and_its_missing_words_once(caplog, app):
    warnings = warnings_at_start(caplog)

    assert len(warnings) == 2, warnings
    meja, lansia = warnings
    assert meja.startswith("counters[3].name 'Meja Informasi': no voice clip for "
                           '"meja" (id, en); calls will spell those words letter by letter.')
    assert lansia.startswith("counters[4].name 'Loket Lansia & Disabilitas': no voice clip "
                             'for "lansia" (id, en); calls will say the counter code instead.')
    assert "&" not in lansia.split(":")[1]  # punctuation is never a missing word
    assert "rename the counter" in meja


def test_unspeakable_lists_each_name_per_language(services):
    found = {(item.name, item.lang): item.missing for item in services.announcer.unspeakable()}

    assert found == {(MEJA, "id"): ("meja",), (MEJA, "en"): ("meja",),
                     (LANSIA, "id"): ("lansia",), (LANSIA, "en"): ("lansia",)}


@pytest.mark.parametrize(("counter", "name", "id_caption", "id_spoken"), [
    ("4", MEJA, "Meja informasi", "em e je a informasi"),
    ("5", LANSIA, "loket Lansia & disabilitas", "loket lima"),
])
def test_a_call_at_the_counter_plays_a_wav_and_shows_its_name(
        client, auth, services, counter, name, id_caption, id_spoken):
    call = call_at(client, auth, counter)

    assert call["counter_name"] == name
    assert call["text"].startswith(f"Nomor antrean A-001, silakan menuju {id_caption}.")
    audio = client.get(call["audio_url"])
    assert audio.status_code == 200
    assert audio.mimetype == "audio/mpeg"
    assert mp3_seconds(audio.data) > 1
    announcement = services.announcer.build("A-001", services.config.counters[counter])
    assert f"silakan menuju {id_spoken} queue number" in spoken_text(announcement.clips)


def test_a_fully_covered_counter_is_called_exactly_as_before(client, auth, services):
    call = call_at(client, auth, "2")

    settings = services.config.display.audio
    before = build_announcement("A-001", "Loket 2", languages=settings.languages,
                                number_style=settings.number_style, repeats=settings.repeats,
                                chime=settings.chime)
    assert services.announcer.build("A-001", services.config.counters["2"]) == before
    assert call["audio_url"] == f"/audio/{services.announcer.composer.file_name_for(before)}"
    assert client.get(call["audio_url"]).status_code == 200
