"""What the kiosk says aloud ("Dengarkan"): every screen, from pre-built clips.

The survey tablet's mechanism (sounds.phrases): one Ogg clip per text, named by a hash of
language and text. The fixed texts are the kiosk's labels and the office's service and
category names; a ticket's number, the people ahead and the estimate are said word by word
from clips of the letter names and number words. Run `queue-server sounds survey` after
changing a service or category name: it rebuilds these clips too.
"""
from __future__ import annotations

from pathlib import Path

from queue_server.platform.config import Config
from queue_server.web.i18n import STRINGS
from sounds.phrases import build_phrase_clips, clip_name
from sounds.text import number_words, parse_number
from sounds.vocabulary import LETTER_NAMES, NUMBER_WORDS

AUDIO_DIR = Path(__file__).resolve().parent / "static" / "audio"
URL_PREFIX = "/static/kiosk/audio/"
LANGUAGES = ("id", "en")
SCREEN_LABELS = ("kiosk_title", "kiosk_intro", "kiosk_choose_category", "kiosk_your_number",
                 "kiosk_ahead_none", "kiosk_take_ticket", "kiosk_no_paper",
                 "kiosk_no_paper_detail", "kiosk_failed")
"""The labels a screen shows and says as they are (the others carry a number)."""
PIECES = {
    "id": {"ahead": "Di depan Anda", "people": "orang", "estimate": "Perkiraan waktu tunggu",
           "to": "sampai", "minutes": "menit"},
    "en": {"ahead": "Ahead of you", "people": "people", "estimate": "Estimated wait",
           "to": "to", "minutes": "minutes"},
}
"""The words around a number in the spoken result ("Di depan Anda" 3 "orang")."""


def _names(config: Config, language: str) -> list[str]:
    english = language == "en"
    kiosk = config.kiosk
    categories = [config.categories[code] for code in kiosk.categories] \
        if len(kiosk.categories) > 1 else []
    return [item.name_en if english else item.name
            for item in [*config.services.values(), *categories]]


def spoken_texts(config: Config, language: str) -> list[str]:
    """Every text the kiosk can say in a language."""
    labels = STRINGS[language]
    texts = [labels[key] for key in SCREEN_LABELS] + _names(config, language)
    texts += list(PIECES[language].values()) + list(LETTER_NAMES[language].values())
    texts += list(NUMBER_WORDS[language])
    return list(dict.fromkeys(texts))


def clip_urls(config: Config, language: str, folder: Path = AUDIO_DIR) -> dict[str, str]:
    """Text to clip URL for the fixed texts whose clip is built (the page's "Dengarkan")."""
    if language not in LANGUAGES:
        return {}
    labels = STRINGS[language]
    fixed = [labels[key] for key in SCREEN_LABELS] + _names(config, language)
    return {text: URL_PREFIX + clip_name(language, text) for text in fixed
            if (folder / clip_name(language, text)).exists()}


def _url(language: str, text: str, folder: Path) -> str | None:
    name = clip_name(language, text)
    return URL_PREFIX + name if (folder / name).exists() else None


def _count(language: str, value: int) -> list[str]:
    return number_words(str(value), language)


def result_texts(language: str, number: str, ahead: int, low: int | None = None,
                 high: int | None = None) -> list[str]:
    """The result screen as said, in clip-sized pieces: the number, who is ahead, the
    estimate (when the server gave one), and where the paper comes out."""
    labels, pieces = STRINGS[language], PIECES[language]
    prefix, digits = parse_number(number)
    texts = [labels["kiosk_your_number"]]
    texts += [LETTER_NAMES[language][letter] for letter in prefix]
    texts += number_words(digits, language)
    if ahead <= 0:
        texts.append(labels["kiosk_ahead_none"])
    else:
        texts += [pieces["ahead"], *_count(language, ahead), pieces["people"]]
    if low is not None and high is not None:
        texts += [pieces["estimate"], *_count(language, low)]
        if high != low:
            texts += [pieces["to"], *_count(language, high)]
        texts.append(pieces["minutes"])
    texts.append(labels["kiosk_take_ticket"])
    return texts


def result_urls(language: str, number: str, ahead: int, low: int | None = None,
                high: int | None = None, folder: Path = AUDIO_DIR) -> list[str]:
    """The result's clips in play order; a piece without a clip is left out, never faked."""
    urls = (_url(language, text, folder)
            for text in result_texts(language, number, ahead, low, high))
    return [url for url in urls if url is not None]


def build(config: Config, folder: Path = AUDIO_DIR) -> tuple[int, int]:
    """Speak the kiosk's missing clips with espeak-ng (sox encodes them); (built, kept)."""
    wanted = {clip_name(lang, text): (lang, text)
              for lang in LANGUAGES for text in spoken_texts(config, lang)}
    return build_phrase_clips(wanted, folder)
