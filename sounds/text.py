"""Build the caption and the clip sequence of a queue call."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from num2words import num2words

from sounds.vocabulary import (
    CHIME_KEY,
    COUNTER_WORDS,
    LANGUAGES,
    PAUSE_LONG,
    PAUSE_SHORT,
    letter_key,
    word_key,
)

NUMBER_PATTERN = re.compile(r"^\s*([A-Za-z]*)\s*-?\s*(\d+)\s*$")
# Numbers beyond this have no word clips; they are read digit by digit.
LARGEST_WHOLE_NUMBER = 999
# Short all-capital tokens in a counter name ("PPID", "A") are spelled out.
LONGEST_SPELLED_TOKEN = 4


class NumberStyle(str, enum.Enum):
    """How the ticket number is read out."""

    WHOLE = "whole"
    DIGITS = "digits"


@dataclass(frozen=True)
class Announcement:
    """A call as shown (caption) and as heard (clip keys in play order)."""

    text: str
    clips: tuple[str, ...]


def build_announcement(
    number: str,
    counter_name: str,
    *,
    languages: Iterable[str] = ("id", "en"),
    number_style: NumberStyle | str = "whole",
    repeats: int = 1,
    chime: bool = True,
    counter_spoken: Mapping[str, str] | None = None,
) -> Announcement:
    """Return the caption and clip keys calling ticket `number` to `counter_name`."""
    languages = tuple(languages)
    if not languages or any(lang not in LANGUAGES for lang in languages):
        raise ValueError(f"languages must be a non-empty subset of {LANGUAGES}: {languages!r}")
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    style = NumberStyle(number_style)
    prefix, digits = parse_number(number)
    counter_spoken = counter_spoken or {}

    captions, spoken = [], []
    for lang in languages:
        caption_counter = counter_caption(counter_name, lang, counter_spoken.get(lang))
        captions.append(_SENTENCES[lang].format(number=number.strip(), counter=caption_counter))
        words = counter_spoken.get(lang) or spoken_counter(counter_name, lang)
        spoken.append((
            _OPENING[lang],
            *(letter_key(lang, letter) for letter in prefix),
            *number_clips(digits, lang, style),
            PAUSE_SHORT,
            _DIRECTION[lang],
            *token_clips(words, lang),
        ))

    clips: list[str] = [CHIME_KEY, PAUSE_SHORT] if chime else []
    for round_index in range(repeats):
        for lang_index, part in enumerate(spoken):
            if round_index or lang_index:
                clips.append(PAUSE_LONG)
            clips.extend(part)
    return Announcement(text=" ".join(captions), clips=tuple(clips))


_SENTENCES = {
    "id": "Nomor antrean {number}, silakan menuju {counter}.",
    "en": "Queue number {number}, please proceed to {counter}.",
}
_OPENING = {"id": "id/nomor_antrean", "en": "en/queue_number"}
_DIRECTION = {"id": "id/silakan_menuju", "en": "en/please_proceed_to"}
_COUNTER_WORD = {"id": "loket", "en": "counter"}


def parse_number(number: str) -> tuple[str, str]:
    """Split a printed ticket number like "P-012" into ("P", "012")."""
    match = NUMBER_PATTERN.match(number)
    if not match:
        raise ValueError(f"ticket number must look like 'P-012', got {number!r}")
    return match.group(1).upper(), match.group(2)


def number_words(digits: str, lang: str, style: NumberStyle | str = "whole") -> list[str]:
    """Return the words that read out a run of digits."""
    value = int(digits)
    if NumberStyle(style) is NumberStyle.DIGITS or value > LARGEST_WHOLE_NUMBER:
        return [num2words(int(digit), lang=lang) for digit in digits]
    return num2words(value, lang=lang).replace("-", " ").split()


def number_clips(digits: str, lang: str, style: NumberStyle | str = "whole") -> list[str]:
    """Return the clip keys that read out a run of digits."""
    return [word_key(lang, word) for word in number_words(digits, lang, style)]


def _split_counter(counter_name: str) -> tuple[bool, list[str]]:
    """Return whether the name starts with "Loket" and its remaining tokens."""
    tokens = counter_name.split()
    if tokens and tokens[0].lower() == "loket":
        return True, tokens[1:]
    return False, tokens


def _is_spelled(token: str) -> bool:
    return token.isalpha() and token.isupper() and len(token) <= LONGEST_SPELLED_TOKEN


def counter_caption(counter_name: str, lang: str, spoken: str | None = None) -> str:
    """Return the counter as printed in a caption ("loket 2", "priority counter")."""
    if spoken and lang == "en":
        return spoken
    has_loket, rest = _split_counter(counter_name)
    if lang == "id":
        words = [token.lower() if token.lower() in COUNTER_WORDS and not _is_spelled(token)
                 else token for token in rest]
        return " ".join(["loket", *words] if has_loket else words)
    return " ".join(_english_counter(has_loket, rest))


def spoken_counter(counter_name: str, lang: str) -> str:
    """Return the counter name as words to speak in a language."""
    has_loket, rest = _split_counter(counter_name)
    if lang == "id":
        return " ".join(["loket", *rest] if has_loket else rest)
    return " ".join(_english_counter(has_loket, rest))


def _english_counter(has_loket: bool, rest: list[str]) -> list[str]:
    """Put English adjectives first: "Loket Prioritas 2" -> "priority counter 2"."""
    words = [COUNTER_WORDS.get(token.lower(), token) for token in rest
             if not token.isdigit() and not (_is_spelled(token) and len(token) == 1)]
    tail = [token for token in rest
            if token.isdigit() or (_is_spelled(token) and len(token) == 1)]
    return [*words, _COUNTER_WORD["en"], *tail] if has_loket else [*words, *tail]


def token_clips(words: str, lang: str) -> list[str]:
    """Return the clip keys for spoken words: numbers as words, acronyms spelled."""
    clips: list[str] = []
    for token in re.findall(r"[A-Za-z]+|\d+", words):
        if token.isdigit():
            clips.extend(number_clips(token, lang))
        elif _is_spelled(token):
            clips.extend(letter_key(lang, letter) for letter in token)
        else:
            clips.append(word_key(lang, token))
    return clips
