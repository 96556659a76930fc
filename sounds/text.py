"""Build the caption and the clip sequence of a queue call."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from num2words import num2words

from sounds.vocabulary import (
    CHIME_KEY,
    COUNTER_WORDS,
    LANGUAGES,
    NUMBER_WORDS,
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


class CounterFallback(str, enum.Enum):
    """How a counter name is read when some of its words have no voice clip."""

    NONE = "none"  # every word has a clip: the name is read as written
    SPELLED = "spelled"  # the unknown words are spelled letter by letter
    CODE = "code"  # the counter word and the counter's code instead of the name


@dataclass(frozen=True)
class SpokenCounter:
    """The clips that say a counter in one language, and the words that had no clip."""

    clips: tuple[str, ...]
    missing: tuple[str, ...] = ()
    fallback: CounterFallback = CounterFallback.NONE


def build_announcement(
    number: str,
    counter_name: str,
    *,
    languages: Iterable[str] = ("id", "en"),
    number_style: NumberStyle | str = "whole",
    repeats: int = 1,
    chime: bool = True,
    counter_spoken: Mapping[str, str] | None = None,
    counter_code: str | None = None,
    has_clip: Callable[[str], bool] | None = None,
) -> Announcement:
    """Return the caption and clip keys calling ticket `number` to `counter_name`.

    With `has_clip` (does this clip key have a file?) a counter name with words that
    have no clip is still spoken, as speak_counter() describes; the caption is the same
    either way (the counter's name, never the code it falls back to). Without it every
    clip is assumed to exist.
    """
    languages = tuple(languages)
    if not languages or any(lang not in LANGUAGES for lang in languages):
        raise ValueError(f"languages must be a non-empty subset of {LANGUAGES}: {languages!r}")
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    counter_spoken = counter_spoken or {}
    captions = []
    for lang in languages:
        caption_counter = counter_caption(counter_name, lang, counter_spoken.get(lang))
        captions.append(_SENTENCES[lang].format(number=number.strip(), counter=caption_counter))
    parts = spoken_parts(number, counter_name, languages=languages, number_style=number_style,
                         counter_spoken=counter_spoken, counter_code=counter_code,
                         has_clip=has_clip)

    clips: list[str] = [CHIME_KEY, PAUSE_SHORT] if chime else []
    for round_index in range(repeats):
        for lang_index, part in enumerate(parts):
            if round_index or lang_index:
                clips.append(PAUSE_LONG)
            clips.extend(part.full)
    return Announcement(text=" ".join(captions), clips=tuple(clips))


@dataclass(frozen=True)
class SpokenPart:
    """A call in one language, as the TV strings the parts of a call together.

    `full` is the whole sentence ("nomor antrean a satu, silakan menuju loket dua");
    `short` is the number and the counter only ("a satu, loket dua"), for a TV with calls
    waiting behind this one: half as long, and the screen shows the whole sentence.
    """

    lang: str
    full: tuple[str, ...]
    short: tuple[str, ...]


def spoken_parts(
    number: str,
    counter_name: str,
    *,
    languages: Iterable[str] = ("id", "en"),
    number_style: NumberStyle | str = "whole",
    counter_spoken: Mapping[str, str] | None = None,
    counter_code: str | None = None,
    has_clip: Callable[[str], bool] | None = None,
) -> tuple[SpokenPart, ...]:
    """Return the clip keys that say the call in each language, in the given order."""
    style = NumberStyle(number_style)
    prefix, digits = parse_number(number)
    counter_spoken = counter_spoken or {}
    parts = []
    for lang in languages:
        counter = speak_counter(counter_name, lang, spoken=counter_spoken.get(lang),
                                counter_code=counter_code, has_clip=has_clip)
        number_part = (*(letter_key(lang, letter) for letter in prefix),
                       *number_clips(digits, lang, style), PAUSE_SHORT)
        full = (_OPENING[lang], *number_part, _direction(lang, counter.clips), *counter.clips)
        parts.append(SpokenPart(lang, full, (*number_part, *counter.clips)))
    return tuple(parts)


def _direction(lang: str, counter_clips: tuple[str, ...]) -> str:
    """ "please proceed to the priority counter", but "please proceed to counter two"."""
    if lang == "en" and counter_clips and not _names_by_number(counter_clips[-1]):
        return _DIRECTION_THE
    return _DIRECTION[lang]


def _names_by_number(clip: str) -> bool:
    """Whether a counter's last spoken clip is a number word or a letter ("counter two")."""
    lang, _, word = clip.partition("/")
    return word.startswith("letter_") or word in NUMBER_WORDS.get(lang, ())


_SENTENCES = {
    "id": "Nomor antrean {number}, silakan menuju {counter}.",
    "en": "Queue number {number}, please proceed to {counter}.",
}
_OPENING = {"id": "id/nomor_antrean", "en": "en/queue_number"}
_DIRECTION = {"id": "id/silakan_menuju", "en": "en/please_proceed_to"}
_DIRECTION_THE = "en/please_proceed_to_the"
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
        return _with_article(spoken)
    has_loket, rest = _split_counter(counter_name)
    if lang == "id":
        words = [token.lower() if token.lower() in COUNTER_WORDS and not _is_spelled(token)
                 else token for token in rest]
        return " ".join(["loket", *words] if has_loket else words)
    return _with_article(" ".join(_english_counter(has_loket, rest)))


def _with_article(english: str) -> str:
    """A counter named by a number reads without an article ("counter 2"), any other with
    one ("the priority counter", "the help desk"), as English speakers say them."""
    last = english.split()[-1] if english.split() else ""
    if not english or last.isdigit() or (len(last) == 1 and last.isalpha()):
        return english
    return f"the {english}"


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
    return [clip for token in _tokens(words) for clip in _token_clips(token, lang)]


def _tokens(words: str) -> list[str]:
    """The words and numbers of a name; punctuation such as "&" or "-" is not spoken."""
    return re.findall(r"[A-Za-z]+|\d+", words)


def _token_clips(token: str, lang: str) -> list[str]:
    if token.isdigit():
        return number_clips(token, lang)
    if _is_spelled(token):
        return _spelled(token, lang)
    return [word_key(lang, token)]


def _spelled(token: str, lang: str) -> list[str]:
    return [letter_key(lang, letter) for letter in token]


def code_clips(counter_code: str, lang: str) -> list[str]:
    """Return "loket 3" / "counter 3": the counter word, then the code's numbers as words
    and every letter of it spelled ("INFO" -> "i en ef o")."""
    clips = [word_key(lang, _COUNTER_WORD[lang])]
    for token in re.findall(r"[A-Za-z]|\d+", counter_code):
        clips.extend(number_clips(token, lang) if token.isdigit() else [letter_key(lang, token)])
    return clips


def speak_counter(
    counter_name: str,
    lang: str,
    *,
    spoken: str | None = None,
    counter_code: str | None = None,
    has_clip: Callable[[str], bool] | None = None,
) -> SpokenCounter:
    """Return the clips that say a counter in `lang`, never a word that has no clip.

    `spoken` replaces the words read for the name; `has_clip` tells whether a clip key
    has a file (without it every clip is assumed to exist, so nothing falls back).
    When some words of the name have no clip:

    - if every such word has at most LONGEST_SPELLED_TOKEN (4) letters, or the counter
      has no code, those words are spelled letter by letter and the rest is read as
      usual ("Meja Informasi" -> "em e je a informasi");
    - otherwise the whole name gives way to the counter word and the counter's code
      ("Loket Lansia & Disabilitas", code 5 -> "loket lima" / "counter five").

    Why: a short word spelled takes about as long as a word or two and the listener can
    match the letters to the caption on the TV; a longer word spelled is slow and hard
    to follow, while the code is short and is how the counter is numbered. Punctuation
    is never a missing word and numbers always have clips. Names whose every word has a
    clip give exactly the clips they gave before any fallback existed.
    """
    tokens = _tokens(spoken or spoken_counter(counter_name, lang))
    clips = [clip for token in tokens for clip in _token_clips(token, lang)]
    if has_clip is None:
        return SpokenCounter(tuple(clips))
    missing = tuple(dict.fromkeys(
        token.lower() for token in tokens
        if not token.isdigit() and not all(has_clip(key) for key in _token_clips(token, lang))))
    if not missing:
        return SpokenCounter(tuple(clips))
    if counter_code is None or all(len(word) <= LONGEST_SPELLED_TOKEN for word in missing):
        clips = [clip for token in tokens for clip in (
            _spelled(token, lang) if token.lower() in missing else _token_clips(token, lang))]
        return SpokenCounter(tuple(clips), missing, CounterFallback.SPELLED)
    return SpokenCounter(tuple(code_clips(counter_code, lang)), missing, CounterFallback.CODE)
