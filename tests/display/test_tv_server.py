"""The TV's server side for issue 10 and 11: call parts, live calls, ticket events, notice."""
from __future__ import annotations

import wave

import pytest

from queue_server.app import parse_config
from queue_server.platform.config import ConfigError
from sounds.text import spoken_parts

from ..support import OFFICE, mp3_seconds, office_data
from ..test_sockets import events_named, socket_test_client


@pytest.fixture
def config_overrides() -> dict:
    display = office_data()["display"]
    display["notice"] = {"every_minutes": 10}
    return {"display": display}


def issue(client, auth, category: str = "umum") -> dict:
    response = client.post("/api/v1/tickets", json={"service": "INFO", "category": category},
                           headers=auth("receptionist"))
    assert response.status_code == 201
    return response.json


def act(client, auth, code: str, action: str, **body) -> dict:
    response = client.post(f"/api/v1/counters/{code}/{action}", headers=auth("officer"),
                           json=body or None)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def seconds(client, url: str) -> float:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "audio/mpeg"
    return mp3_seconds(response.data)


def test_the_call_event_carries_its_parts_and_each_is_served(app, client, auth):
    display = socket_test_client(app, "/display")
    issue(client, auth)
    act(client, auth, "2", "call-next")
    call = events_named(display.get_received("/display"), "call")[0]

    audio = call["audio"]
    assert audio["repeats"] == 1
    assert [part["lang"] for part in audio["languages"]] == ["id", "en"]
    assert seconds(client, audio["chime"]) > 0.5
    for part in audio["languages"]:
        # The short form says the number and the counter only: "a satu, loket dua".
        assert 1.5 < seconds(client, part["full"]) - seconds(client, part["short"]) < 3
    whole = seconds(client, call["audio_url"])
    assert whole > sum(seconds(client, part["full"]) for part in audio["languages"])


def test_a_ticket_that_stops_being_called_is_told_to_the_tv_without_personal_data(
        app, client, auth):
    display = socket_test_client(app, "/display")
    issue(client, auth, "lansia")
    issue(client, auth)
    act(client, auth, "2", "call-next")
    act(client, auth, "2", "transfer", counter="3")
    act(client, auth, "3", "call-next")
    act(client, auth, "3", "done")
    tickets = events_named(display.get_received("/display"), "ticket")

    assert tickets == [{"number": "P-001", "status": "waiting", "counter": None},
                       {"number": "P-001", "status": "served", "counter": "3"}]


def test_the_snapshot_says_which_calls_are_still_live(app, client, auth):
    issue(client, auth)
    issue(client, auth)
    first = act(client, auth, "2", "call-next")["call"]
    act(client, auth, "2", "transfer", counter="3")
    moved = act(client, auth, "3", "call-next")["call"]
    other = act(client, auth, "2", "call-next")["call"]
    recall = act(client, auth, "2", "recall")["call"]
    state = client.get("/api/v1/display/state").json

    live = {call["seq"]: call["live"] for call in state["recent"]}
    assert live == {first["seq"]: False, moved["seq"]: True, other["seq"]: False,
                    recall["seq"]: True}
    assert all("audio" in call for call in state["recent"])
    assert state["audio"]["short_queue"] == 0
    assert state["legibility"] == {"viewing_distance_m": 5.0, "screen_diagonal_in": 43.0}


def test_the_running_text_is_spoken_offline_at_the_configured_interval(app, client):
    notice = client.get("/api/v1/display/state").json["notice"]

    assert notice["every_minutes"] == 10 and notice["lang"] == "id"
    # espeak-ng reads display.running_text: a long sentence, so many seconds of speech.
    assert seconds(client, notice["url"]) > 5


def test_an_office_recording_of_the_running_text_wins(app, client, config):
    clips = config.instance_dir / "clips" / "id"
    clips.mkdir(parents=True, exist_ok=True)
    with wave.open(str(clips / "maklumat.wav"), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(22050)
        writer.writeframes(b"\x00\x00" * 22050 * 2)
    try:
        notice = client.get("/api/v1/display/state").json["notice"]
        # Encoded as MP3 when first loaded: LAME's start-up delay and last frame aside.
        assert seconds(client, notice["url"]) == pytest.approx(2.0, abs=0.1)
    finally:
        (clips / "maklumat.wav").unlink()


@pytest.mark.parametrize("section,value,key", [
    ("audio", {"short_queue": -1}, "display.audio.short_queue"),
    ("audio", {"short_queue": "two"}, "display.audio.short_queue"),
    ("notice", {"every_minutes": "often"}, "display.notice.every_minutes"),
    ("notice", {"every_minutes": -5}, "display.notice.every_minutes"),
    ("viewing_distance_m", 0, "display.viewing_distance_m"),
    ("screen_diagonal_in", "big", "display.screen_diagonal_in"),
])
def test_bad_tv_settings_name_their_key(section, value, key):
    data = office_data()
    if isinstance(value, dict):
        data["display"].setdefault(section, {}).update(value)
    else:
        data["display"][section] = value
    with pytest.raises(ConfigError) as error:
        parse_config(data, OFFICE, environ={})
    assert error.value.key == key


def test_notice_defaults_to_every_15_minutes_and_can_be_turned_off():
    data = office_data()
    assert parse_config(data, OFFICE, environ={}).display.notice.every_minutes == 15
    data["display"]["notice"] = {"every_minutes": 0}
    config = parse_config(data, OFFICE, environ={})
    assert config.display.notice.every_minutes == 0
    assert config.display.audio.short_queue == 0


def test_spoken_parts_short_form_is_the_number_and_the_counter():
    id_part, en_part = spoken_parts("P-012", "Loket Prioritas")
    assert id_part.short == ("id/letter_p", "id/dua", "id/belas", "pause/short", "id/loket",
                             "id/prioritas")
    assert id_part.full == ("id/nomor_antrean", *id_part.short[:4], "id/silakan_menuju",
                            *id_part.short[4:])
    assert en_part.short == ("en/letter_p", "en/twelve", "pause/short", "en/priority",
                             "en/counter")
    assert en_part.full[-3:] == ("en/please_proceed_to_the", "en/priority", "en/counter")
