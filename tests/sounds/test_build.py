from types import SimpleNamespace

import pytest
from gtts import gTTSError

from sounds import build
from sounds.build import BuildReport, Engine, Outcome, build_clips, run_build
from sounds.mp3 import frames_of
from sounds.synth import decode_file
from sounds.vocabulary import clip_keys
from sounds.wav import SAMPLE_RATE


class FakeResponse:
    def __init__(self, status_code, reason):
        self.status_code = status_code
        self.reason = reason


class FakeGtts:
    """Stands in for gtts.gTTS where sounds.build imports it."""

    calls: list
    behaviour: object

    def __init__(self, text, *, lang, timeout):
        self.text, self.lang, self.timeout = text, lang, timeout
        self.tld, self.lang_check = "com", True  # read by gTTSError's message
        FakeGtts.calls.append(self)

    def write_to_fp(self, buffer):
        outcome = FakeGtts.behaviour(self)
        if isinstance(outcome, Exception):
            raise outcome
        buffer.write(outcome)


@pytest.fixture
def fake_gtts(monkeypatch):
    FakeGtts.calls = []
    monkeypatch.setattr(build, "gTTS", FakeGtts)
    monkeypatch.setattr(build, "time", SimpleNamespace(sleep=lambda seconds: None))
    return FakeGtts


def assert_clean(folder):
    """Every file is a complete house-format MP3; nothing empty or temporary is left."""
    for path in folder.rglob("*"):
        if path.is_file():
            assert path.suffix == ".mp3" and not path.name.startswith("."), path
            assert frames_of(path.read_bytes()) == path.read_bytes(), path


def seconds_of(path):
    pcm, rate, channels = decode_file(path)
    assert (rate, channels) == (SAMPLE_RATE, 1)
    return len(pcm) / 2 / rate


def test_espeak_build_really_runs_espeak_ng(tmp_path):
    report = build_clips("espeak", "id", tmp_path,
                         extra_phrases={"meja": "meja", "id/meja_bantuan": "meja bantuan"})

    assert report.complete and report.engine is Engine.ESPEAK
    assert {result.key for result in report.with_outcome(Outcome.BUILT)} == (
        clip_keys("id") | {"id/meja", "id/meja_bantuan"})
    assert (tmp_path / "chime.mp3").is_file()
    assert 0.3 < seconds_of(tmp_path / "id" / "meja_bantuan.mp3") < 2.1
    assert_clean(tmp_path)


def test_gtts_success_converts_its_mp3_to_house_format(tmp_path, fake_gtts, mp3_bytes):
    fake_gtts.behaviour = lambda call: mp3_bytes

    report = build_clips("gtts", "id", tmp_path, timeout=7)

    assert report.with_outcome(Outcome.BUILT) == report.results
    assert len(fake_gtts.calls) == len(clip_keys("id"))
    first = fake_gtts.calls[0]
    assert (first.text, first.lang, first.timeout) == ("nomor antrean", "id", 7)
    assert "pe" in {call.text for call in fake_gtts.calls}  # letter P by its Indonesian name
    # The 0.5 s tone survives decoding, resampling from 24 kHz and re-encoding (MP3
    # padding aside).
    assert 0.45 < seconds_of(tmp_path / "id" / "nomor_antrean.mp3") < 0.7
    assert_clean(tmp_path)


def test_gtts_requests_are_throttled(tmp_path, fake_gtts, mp3_bytes, monkeypatch):
    pauses = []
    monkeypatch.setattr(build, "time", SimpleNamespace(sleep=pauses.append))
    fake_gtts.behaviour = lambda call: mp3_bytes

    build_clips("gtts", "en", tmp_path, throttle=0.75)

    assert pauses == [0.75] * (len(clip_keys("en")) - 1)


def test_gtts_offline_falls_back_to_espeak_and_says_so(tmp_path, fake_gtts):
    fake_gtts.behaviour = lambda call: gTTSError("Failed to connect. Probable cause: Unknown")

    report = build_clips("gtts", "en", tmp_path)

    assert report.complete
    assert report.with_outcome(Outcome.FALLBACK) == report.results
    assert all("cannot reach Google" in result.reason and "espeak-ng" in result.reason
               for result in report.results)
    assert len(fake_gtts.calls) == 1  # no point asking again once offline
    assert "fallback" in report.summary() and "cannot reach Google" in report.summary()
    assert_clean(tmp_path)
    assert {f"en/{path.stem}" for path in (tmp_path / "en").iterdir()} == clip_keys("en")


def test_gtts_429_gives_a_clear_message_and_falls_back(tmp_path, fake_gtts, monkeypatch,
                                                       capsys):
    fake_gtts.behaviour = lambda call: gTTSError(
        tts=call, response=FakeResponse(429, "Too Many Requests"))
    monkeypatch.setattr(build, "DEFAULT_BUILD_DIR", tmp_path)

    assert run_build("gtts", "id") == 0

    printed = capsys.readouterr().out
    assert f"0 built, {len(clip_keys('id'))} fallback" in printed
    assert "429 Too Many Requests" in printed and "wait" in printed
    assert len(fake_gtts.calls) == 1
    assert_clean(tmp_path)


def test_a_bad_mp3_for_one_clip_falls_back_for_that_clip_only(tmp_path, fake_gtts, mp3_bytes):
    fake_gtts.behaviour = lambda call: b"not an mp3" * 40 if call.text == "loket" else mp3_bytes

    report = build_clips("gtts", "id", tmp_path)

    fallback = report.with_outcome(Outcome.FALLBACK)
    assert [result.key for result in fallback] == ["id/loket"]
    assert "cannot decode the MP3" in fallback[0].reason
    assert len(report.with_outcome(Outcome.BUILT)) == len(clip_keys("id")) - 1
    assert_clean(tmp_path)


def test_gtts_failure_keeps_a_good_clip_and_replaces_a_broken_one(tmp_path, fake_gtts):
    (tmp_path / "id").mkdir()
    build_clips("espeak", "id", tmp_path)
    good = (tmp_path / "id" / "dua.mp3").read_bytes()
    (tmp_path / "id" / "tiga.mp3").write_bytes(b"")  # as a crashed gTTS save() leaves it
    fake_gtts.behaviour = lambda call: gTTSError("Failed to connect. Probable cause: Unknown")

    report = build_clips("gtts", "id", tmp_path)

    outcomes = {result.key: result.outcome for result in report.results}
    assert outcomes["id/dua"] is Outcome.KEPT
    assert outcomes["id/tiga"] is Outcome.FALLBACK
    assert (tmp_path / "id" / "dua.mp3").read_bytes() == good
    assert_clean(tmp_path)


def test_when_espeak_fails_too_no_file_is_written(tmp_path, fake_gtts, monkeypatch, capsys):
    fake_gtts.behaviour = lambda call: gTTSError("Failed to connect. Probable cause: Unknown")

    def broken_espeak(text, lang, *, timeout):
        raise build.SynthesisError("espeak-ng is not installed (apt install espeak-ng)")

    monkeypatch.setattr(build, "espeak_frames", broken_espeak)

    assert run_build("gtts", "en", tmp_path) == 1

    assert "espeak-ng is not installed" in capsys.readouterr().out
    assert not (tmp_path / "en").exists() or not any((tmp_path / "en").iterdir())


@pytest.mark.parametrize(("engine", "lang"), [("festival", "id"), ("espeak", "fr")])
def test_run_build_refuses_unknown_engines_and_languages(engine, lang, tmp_path, capsys):
    assert run_build(engine, lang, tmp_path) == 2
    assert "engine must be one of" in capsys.readouterr().err


def test_extra_phrase_names_must_be_keys(tmp_path):
    with pytest.raises(ValueError, match="extra phrase name"):
        build_clips("espeak", "id", tmp_path, extra_phrases={"Meja Bantuan": "meja bantuan"})


def test_report_summary_counts_every_outcome(tmp_path):
    report = BuildReport(Engine.GTTS, "id", tmp_path, [
        build.ClipResult("id/dua", Outcome.BUILT),
        build.ClipResult("id/tiga", Outcome.FAILED, "espeak-ng is not installed"),
    ])

    assert not report.complete
    assert report.summary().splitlines() == [
        f"gtts id -> {tmp_path / 'id'}: 1 built, 0 fallback, 0 kept, 1 failed",
        "  failed: id/tiga: espeak-ng is not installed",
    ]
