"""The words the announcer can say: every clip key and its text, per language."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("id", "en")
# The espeak-ng clip set that ships with the package: <root>/chime.mp3, <root>/<lang>/<name>.mp3.
SHIPPED_CLIPS_DIR = Path(__file__).parent / "clips"

CHIME_KEY = "chime"
# Pauses are silences the composer makes itself; no file backs them.
PAUSE_SHORT = "pause/short"
PAUSE_LONG = "pause/long"
PAUSE_MILLISECONDS = {PAUSE_SHORT: 250, PAUSE_LONG: 700}

# Fixed phrases, spoken as one clip each so their intonation stays natural.
PHRASES: dict[str, dict[str, str]] = {
    "id": {
        "nomor_antrean": "nomor antrean",
        "silakan_menuju": "silakan menuju",
        "loket": "loket",
    },
    "en": {
        "queue_number": "queue number",
        "please_proceed_to": "please proceed to",
        "please_proceed_to_the": "please proceed to the",
        "counter": "counter",
    },
}

LETTER_NAMES: dict[str, dict[str, str]] = {
    "id": dict(zip(string.ascii_uppercase, [
        "a", "be", "ce", "de", "e", "ef", "ge", "ha", "i", "je", "ka", "el", "em", "en", "o",
        "pe", "ki", "er", "es", "te", "u", "ve", "we", "eks", "ye", "zet",
    ], strict=True)),
    "en": dict(zip(string.ascii_uppercase, [
        "ay", "bee", "see", "dee", "ee", "ef", "gee", "aitch", "eye", "jay", "kay", "el", "em",
        "en", "oh", "pee", "cue", "ar", "ess", "tee", "you", "vee", "double-you", "ex", "why",
        "zed",
    ], strict=True)),
}

# Every word num2words uses for 0-999 in each language.
NUMBER_WORDS: dict[str, tuple[str, ...]] = {
    "id": (
        "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan",
        "sembilan", "sepuluh", "sebelas", "belas", "puluh", "seratus", "ratus",
    ),
    "en": (
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
        "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
        "sixty", "seventy", "eighty", "ninety", "hundred", "and",
    ),
}

# Indonesian counter-name words and their English equivalents; English puts
# them before "counter" ("Loket Prioritas" -> "priority counter").
COUNTER_WORDS: dict[str, str] = {
    "prioritas": "priority",
    "umum": "general",
    "informasi": "information",
    "pengaduan": "complaints",
    "konsultasi": "consultation",
    "layanan": "service",
    "pendaftaran": "registration",
    "pengambilan": "collection",
    "pembayaran": "payment",
    "disabilitas": "accessibility",
    "khusus": "special",
    "ppid": "PPID",
}


@dataclass(frozen=True)
class Entry:
    """One clip: its key, its language and the text an engine should speak."""

    key: str
    lang: str
    text: str
    espeak_text: str | None = None

    def text_for(self, engine: str) -> str:
        """Return the text to synthesise with this engine."""
        if engine == "espeak" and self.espeak_text is not None:
            return self.espeak_text
        return self.text


def slug(words: str) -> str:
    """Return the file-safe key part for a word or phrase."""
    return re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_")


def word_key(lang: str, word: str) -> str:
    """Return the clip key of a spoken word or phrase."""
    return f"{lang}/{slug(word)}"


def letter_key(lang: str, letter: str) -> str:
    """Return the clip key of a letter name."""
    return f"{lang}/letter_{letter.lower()}"


def vocabulary(lang: str) -> list[Entry]:
    """Return every shipped clip of a language, in a stable order."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    entries = [Entry(f"{lang}/{name}", lang, text) for name, text in PHRASES[lang].items()]
    # espeak says a bare capital letter by its proper name in either voice.
    entries += [
        Entry(letter_key(lang, letter), lang, name, espeak_text=letter)
        for letter, name in LETTER_NAMES[lang].items()
    ]
    entries += [Entry(word_key(lang, word), lang, word) for word in NUMBER_WORDS[lang]]
    counter_words = COUNTER_WORDS.keys() if lang == "id" else COUNTER_WORDS.values()
    entries += [Entry(word_key(lang, word), lang, word.lower()) for word in counter_words
                if word.lower() != "ppid"]
    return entries


def clip_keys(lang: str) -> set[str]:
    """Return the keys of every shipped clip of a language."""
    return {entry.key for entry in vocabulary(lang)}


def spoken_text(keys: Iterable[str]) -> str:
    """Return the words a clip sequence says, for logs and tests (pauses and chime left out)."""
    texts = {entry.key: entry.text for lang in LANGUAGES for entry in vocabulary(lang)}
    words = []
    for key in keys:
        if key == CHIME_KEY or key in PAUSE_MILLISECONDS:
            continue
        words.append(texts.get(key) or key.rpartition("/")[2].replace("_", " "))
    return " ".join(words)
