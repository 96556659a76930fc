import array
import string

import pytest

from sounds.chime import CHIME_PATH, chime_frames, write_chime
from sounds.compose import AudioComposer
from sounds.mp3 import frames_of
from sounds.synth import decode_file
from sounds.text import build_announcement
from sounds.vocabulary import LANGUAGES, SHIPPED_CLIPS_DIR, clip_keys
from sounds.wav import SAMPLE_RATE

NAMED_COUNTERS = ["Loket Prioritas", "Loket Umum", "Loket Informasi", "Loket Pengaduan",
                  "Loket Konsultasi", "Loket Layanan", "Loket PPID", "Loket Prioritas 2"]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    return AudioComposer(SHIPPED_CLIPS_DIR, tmp_path_factory.mktemp("cache"))


@pytest.mark.parametrize("style", ["whole", "digits"])
def test_every_number_and_letter_has_shipped_clips_in_both_languages(shipped, style):
    keys = set()
    for number in range(1000):
        letter = string.ascii_uppercase[number % 26]
        keys.update(build_announcement(f"{letter}-{number:03d}", "Loket 1",
                                       number_style=style).clips)
    for letter in string.ascii_uppercase:
        keys.update(build_announcement(f"{letter}{letter}-1", "Loket 1").clips)

    assert shipped.missing_clips(sorted(keys)) == []
    assert {f"{lang}/letter_{letter}" for lang in LANGUAGES
            for letter in string.ascii_lowercase} <= keys


def test_counters_1_to_20_and_named_counters_have_shipped_clips(shipped):
    counters = [f"Loket {number}" for number in range(1, 21)] + NAMED_COUNTERS
    keys = [key for counter in counters for key in build_announcement("P-1", counter).clips]

    assert shipped.missing_clips(keys) == []


def test_english_counter_names_passed_explicitly_have_shipped_clips(shipped):
    announcement = build_announcement(
        "P-1", "Loket Prioritas",
        counter_spoken={"en": "priority counter", "id": "loket prioritas"},
    )

    assert shipped.missing_clips(announcement.clips) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_shipped_folder_holds_exactly_the_vocabulary(lang):
    files = {f"{lang}/{path.stem}" for path in (SHIPPED_CLIPS_DIR / lang).glob("*.mp3")}

    assert files == clip_keys(lang)
    assert not list((SHIPPED_CLIPS_DIR / lang).glob(".*"))  # no stray temporary files


@pytest.mark.parametrize("lang", LANGUAGES)
def test_shipped_clips_are_small_trimmed_house_format_mp3s(lang):
    for path in sorted((SHIPPED_CLIPS_DIR / lang).glob("*.mp3")):
        data = path.read_bytes()
        assert frames_of(data) == data, path.name  # only house-format frames: they join
        pcm, rate, channels = decode_file(path)
        assert (rate, channels) == (SAMPLE_RATE, 1), path.name
        seconds = len(pcm) / 2 / SAMPLE_RATE
        assert 0.15 < seconds < 1.7, path.name
        assert len(data) < 6000, path.name
        samples = array.array("h", pcm)
        assert max(map(abs, samples)) > 3000, path.name  # audible
        # Trimmed: LAME's ~50 ms start-up delay plus the 20 ms margin, then the word.
        assert max(map(abs, samples[: SAMPLE_RATE // 8])) > 330, path.name


def test_chime_is_a_soft_house_format_clip(tmp_path):
    written = write_chime(tmp_path / "chime.mp3")
    pcm, rate, _channels = decode_file(written)
    samples = array.array("h", pcm)

    assert written.read_bytes() == CHIME_PATH.read_bytes()  # the shipped one is this one
    assert 1.0 < len(chime_frames()) / 2 / SAMPLE_RATE < 2.5
    assert 1.0 < len(samples) / rate < 2.6
    assert 10000 < max(map(abs, samples)) < 32767  # loud, never clipped
    assert abs(samples[0]) < 100 and abs(samples[-1]) < 100  # no click at either end
