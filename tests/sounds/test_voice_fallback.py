"""A counter name with words that have no voice clip is still spoken, never silence."""

import pytest

from sounds.compose import AudioComposer
from sounds.mp3 import frame_count
from sounds.text import CounterFallback, build_announcement, speak_counter
from sounds.vocabulary import LANGUAGES, SHIPPED_CLIPS_DIR, clip_keys, spoken_text

SHIPPED = frozenset(key for lang in LANGUAGES for key in clip_keys(lang))


def shipped(key: str) -> bool:
    return key in SHIPPED or key == "chime"


COVERED = [f"Loket {number}" for number in range(1, 21)] + [
    "Loket Prioritas", "Loket Umum", "Loket Informasi", "Loket Pengaduan", "Loket PPID",
    "Loket Prioritas 2", "Loket B", "Loket Pembayaran & Pengambilan", "Informasi",
    "Loket Khusus Disabilitas"]


@pytest.fixture(scope="module")
def composer(tmp_path_factory):
    return AudioComposer(SHIPPED_CLIPS_DIR, tmp_path_factory.mktemp("cache"))


def test_a_short_unknown_word_is_spelled_and_the_known_ones_read():
    announcement = build_announcement("A-001", "Meja Informasi", chime=False,
                                      counter_code="4", has_clip=shipped)

    assert spoken_text(announcement.clips) == (
        "nomor antrean a satu silakan menuju em e je a informasi"
        " queue number ay one please proceed to the em ee jay ay information")
    # The caption is the one the name always had: the unknown word as configured.
    assert announcement.text == ("Nomor antrean A-001, silakan menuju Meja informasi."
                                 " Queue number A-001, please proceed to the Meja information.")
    assert announcement.text == build_announcement("A-001", "Meja Informasi").text


def test_a_long_unknown_word_gives_way_to_the_counter_code():
    announcement = build_announcement("P-003", "Loket Lansia & Disabilitas", chime=False,
                                      counter_code="3", has_clip=shipped)

    assert spoken_text(announcement.clips) == (
        "nomor antrean pe tiga silakan menuju loket tiga"
        " queue number pee three please proceed to counter three")
    # The caption still names the counter as configured.
    assert announcement.text == (
        "Nomor antrean P-003, silakan menuju loket Lansia & disabilitas."
        " Queue number P-003, please proceed to the Lansia & accessibility counter.")


def test_letters_of_the_code_are_spelled_and_its_numbers_read():
    spoken = speak_counter("Ruang Konsultasi", "id", counter_code="KONS2", has_clip=shipped)

    assert spoken.fallback is CounterFallback.CODE
    assert spoken_text(spoken.clips) == "loket ka o en es dua"


@pytest.mark.parametrize(("name", "lang", "missing", "fallback"), [
    ("Meja Informasi", "id", ("meja",), CounterFallback.SPELLED),
    ("Meja Informasi", "en", ("meja",), CounterFallback.SPELLED),
    ("Loket Lansia & Disabilitas", "id", ("lansia",), CounterFallback.CODE),
    ("Loket Lansia & Disabilitas", "en", ("lansia",), CounterFallback.CODE),
    # Four letters are spelled, five are not.
    ("Loket Ruang", "id", ("ruang",), CounterFallback.CODE),
    ("Meja Meja Bank", "id", ("meja", "bank"), CounterFallback.SPELLED),
    ("Loket Prioritas 2 - A & B", "id", (), CounterFallback.NONE),
])
def test_missing_words_name_the_words_never_the_punctuation(name, lang, missing, fallback):
    spoken = speak_counter(name, lang, counter_code="7", has_clip=shipped)

    assert (spoken.missing, spoken.fallback) == (missing, fallback)
    assert all(shipped(key) for key in spoken.clips)


def test_without_a_code_long_unknown_words_are_spelled_rather_than_dropped():
    spoken = speak_counter("Loket Lansia", "id", has_clip=shipped)

    assert spoken.fallback is CounterFallback.SPELLED
    assert spoken_text(spoken.clips) == "loket el a en es i a"


def test_clips_built_for_a_word_are_used_once_they_exist():
    def with_meja(key: str) -> bool:
        return shipped(key) or key == "id/meja"

    spoken = speak_counter("Meja Informasi", "id", counter_code="4", has_clip=with_meja)

    assert spoken.clips == ("id/meja", "id/informasi")
    assert spoken.fallback is CounterFallback.NONE


@pytest.mark.parametrize("name", ["Meja Informasi", "Loket Lansia & Disabilitas",
                                  "Ruang Pelayanan Terpadu Satu Pintu", "Meja",
                                  "Loket Bantuan Hukum"])
def test_unknown_words_compose_without_missing_clips(composer, name):
    announcement = build_announcement("P-012", name, repeats=2, counter_code="12",
                                      has_clip=lambda key: composer.clip_path(key) is not None)

    assert composer.missing_clips(announcement.clips) == []
    assert frame_count(composer.compose(announcement).read_bytes()) > 0


def test_explicit_spoken_words_fall_back_too():
    spoken = speak_counter("Meja Bantuan", "en", spoken="enquiries desk", counter_code="9",
                           has_clip=shipped)

    assert spoken_text(spoken.clips) == "counter nine"
    assert spoken.missing == ("enquiries", "desk")


@pytest.mark.parametrize("name", COVERED)
@pytest.mark.parametrize("style", ["whole", "digits"])
def test_names_with_every_clip_give_the_same_clips_as_before(name, style):
    ordinary = build_announcement("P-012", name, number_style=style, repeats=2)
    checked = build_announcement("P-012", name, number_style=style, repeats=2,
                                 counter_code="9", has_clip=shipped)

    assert checked == ordinary
    assert speak_counter(name, "id", counter_code="9", has_clip=shipped).missing == ()
