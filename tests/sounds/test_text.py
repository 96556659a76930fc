import pytest
from num2words import num2words

from sounds.text import Announcement, NumberStyle, build_announcement, parse_number
from sounds.vocabulary import spoken_text

ID_SPOKEN = {
    0: "nol",
    10: "sepuluh",
    11: "sebelas",
    12: "dua belas",
    19: "sembilan belas",
    100: "seratus",
    101: "seratus satu",
    110: "seratus sepuluh",
    111: "seratus sebelas",
    999: "sembilan ratus sembilan puluh sembilan",
}
EN_SPOKEN = {
    0: "zero",
    10: "ten",
    11: "eleven",
    12: "twelve",
    19: "nineteen",
    100: "one hundred",
    101: "one hundred and one",
    110: "one hundred and ten",
    111: "one hundred and eleven",
    999: "nine hundred and ninety nine",
}


def test_caption_and_clips_of_a_two_language_call():
    announcement = build_announcement("P-012", "Loket 2")

    assert announcement == Announcement(
        text="Nomor antrean P-012, silakan menuju loket 2."
        " Queue number P-012, please proceed to counter 2.",
        clips=(
            "chime", "pause/short",
            "id/nomor_antrean", "id/letter_p", "id/dua", "id/belas", "pause/short",
            "id/silakan_menuju", "id/loket", "id/dua",
            "pause/long",
            "en/queue_number", "en/letter_p", "en/twelve", "pause/short",
            "en/please_proceed_to", "en/counter", "en/two",
        ),
    )


@pytest.mark.parametrize("number", sorted(ID_SPOKEN))
def test_spot_check_numbers_in_indonesian(number):
    announcement = build_announcement(f"P-{number:03d}", "Loket 2", languages=("id",))

    assert announcement.text == f"Nomor antrean P-{number:03d}, silakan menuju loket 2."
    assert spoken_text(announcement.clips) == (
        f"nomor antrean pe {ID_SPOKEN[number]} silakan menuju loket dua"
    )


@pytest.mark.parametrize("number", sorted(EN_SPOKEN))
def test_spot_check_numbers_in_english(number):
    announcement = build_announcement(f"P-{number:03d}", "Loket 2", languages=("en",))

    assert announcement.text == f"Queue number P-{number:03d}, please proceed to counter 2."
    assert spoken_text(announcement.clips) == (
        f"queue number pee {EN_SPOKEN[number]} please proceed to counter two"
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_number_0_to_999_is_read_as_num2words_says(lang):
    opening = {"id": "nomor antrean be", "en": "queue number bee"}[lang]
    for number in range(1000):
        announcement = build_announcement(f"B-{number:03d}", "Loket 1", languages=(lang,),
                                          chime=False)
        words = num2words(number, lang=lang).replace("-", " ")
        assert spoken_text(announcement.clips).startswith(f"{opening} {words} "), number
        assert f"B-{number:03d}," in announcement.text


def test_digit_style_reads_each_digit():
    announcement = build_announcement("P-012", "Loket 2", number_style="digits")

    assert spoken_text(announcement.clips) == (
        "nomor antrean pe nol satu dua silakan menuju loket dua"
        " queue number pee zero one two please proceed to counter two"
    )
    assert announcement == build_announcement("P-012", "Loket 2",
                                              number_style=NumberStyle.DIGITS)


def test_numbers_beyond_999_fall_back_to_digits():
    announcement = build_announcement("A-1005", "Loket 1", languages=("id",))

    assert spoken_text(announcement.clips) == (
        "nomor antrean a satu nol nol lima silakan menuju loket satu"
    )


@pytest.mark.parametrize(
    ("letter", "indonesian", "english"),
    [("A", "a", "ay"), ("B", "be", "bee"), ("C", "ce", "see"), ("P", "pe", "pee"),
     ("Q", "ki", "cue"), ("W", "we", "double-you"), ("X", "eks", "ex"), ("Z", "zet", "zed")],
)
def test_prefix_letters_are_spoken_by_name(letter, indonesian, english):
    announcement = build_announcement(f"{letter}-007", "Loket 3")

    assert spoken_text(announcement.clips) == (
        f"nomor antrean {indonesian} tujuh silakan menuju loket tiga"
        f" queue number {english} seven please proceed to counter three"
    )


def test_multi_letter_and_lower_case_prefixes_are_spelled():
    announcement = build_announcement("pr-5", "Loket 1", languages=("id",), chime=False)

    assert announcement.clips[:4] == ("id/nomor_antrean", "id/letter_p", "id/letter_r", "id/lima")
    assert announcement.text == "Nomor antrean pr-5, silakan menuju loket 1."


@pytest.mark.parametrize(
    ("counter", "id_caption", "en_caption", "id_spoken", "en_spoken"),
    [
        ("Loket 2", "loket 2", "counter 2", "loket dua", "counter two"),
        ("Loket 20", "loket 20", "counter 20", "loket dua puluh", "counter twenty"),
        # Issue 11: English reads naturally, "please proceed to the priority counter".
        ("Loket Prioritas", "loket prioritas", "the priority counter", "loket prioritas",
         "the priority counter"),
        ("Loket Umum", "loket umum", "the general counter", "loket umum",
         "the general counter"),
        ("Loket Informasi", "loket informasi", "the information counter", "loket informasi",
         "the information counter"),
        ("Loket Prioritas 2", "loket prioritas 2", "priority counter 2",
         "loket prioritas dua", "priority counter two"),
        ("Loket PPID", "loket PPID", "the PPID counter", "loket pe pe i de",
         "the pee pee eye dee counter"),
        ("Loket B", "loket B", "counter B", "loket be", "counter bee"),
    ],
)
def test_counters_by_number_and_by_name(counter, id_caption, en_caption, id_spoken, en_spoken):
    announcement = build_announcement("P-001", counter, chime=False)

    assert announcement.text == (
        f"Nomor antrean P-001, silakan menuju {id_caption}."
        f" Queue number P-001, please proceed to {en_caption}."
    )
    assert spoken_text(announcement.clips) == (
        f"nomor antrean pe satu silakan menuju {id_spoken}"
        f" queue number pee one please proceed to {en_spoken}"
    )


def test_explicit_spoken_counter_names_win():
    announcement = build_announcement(
        "P-001", "Meja Bantuan", chime=False,
        counter_spoken={"id": "meja bantuan", "en": "help desk"},
    )

    assert announcement.text == (
        "Nomor antrean P-001, silakan menuju Meja Bantuan."
        " Queue number P-001, please proceed to the help desk."
    )
    assert spoken_text(announcement.clips) == (
        "nomor antrean pe satu silakan menuju meja bantuan"
        " queue number pee one please proceed to the help desk"
    )
    assert announcement.clips[-2:] == ("en/help", "en/desk")


def test_repeats_repeat_the_spoken_part_not_the_chime_or_caption():
    once = build_announcement("P-012", "Loket 2", languages=("id",))
    twice = build_announcement("P-012", "Loket 2", languages=("id",), repeats=2)

    spoken = once.clips[2:]
    assert once.clips[:2] == ("chime", "pause/short")
    assert twice.clips == ("chime", "pause/short", *spoken, "pause/long", *spoken)
    assert twice.text == once.text


def test_without_chime_and_language_order_follows_the_argument():
    announcement = build_announcement("P-012", "Loket 2", languages=("en", "id"), chime=False)

    assert announcement.clips[0] == "en/queue_number"
    assert announcement.text.startswith("Queue number P-012")
    assert "chime" not in announcement.clips


@pytest.mark.parametrize("number", ["", "P-", "P-12a", "P_12", "12-P"])
def test_malformed_numbers_are_refused(number):
    with pytest.raises(ValueError, match="ticket number"):
        build_announcement(number, "Loket 1")


@pytest.mark.parametrize(
    "arguments",
    [{"languages": ()}, {"languages": ("fr",)}, {"repeats": 0}, {"number_style": "roman"}],
)
def test_bad_options_are_refused(arguments):
    with pytest.raises(ValueError):
        build_announcement("P-001", "Loket 1", **arguments)


def test_parse_number_splits_prefix_and_digits():
    assert parse_number("P-012") == ("P", "012")
    assert parse_number("012") == ("", "012")
    assert parse_number("ab12") == ("AB", "12")
