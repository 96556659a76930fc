"""The staff pages' languages: the label glossary by language, choosing and filling labels."""
from __future__ import annotations

from typing import Any

from queue_server.web.labels import en as english
from queue_server.web.labels import id as indonesian

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
# Each language's own name, so a visitor finds theirs whatever the page shows.
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}

# Each language's labels; the keys are the same in every language (tests/test_glossary.py).
STRINGS: dict[str, dict[str, str]] = {"id": indonesian.LABELS, "en": english.LABELS}


def pick_language(wanted: str | None, offered: tuple[str, ...],
                  default: str = DEFAULT_LANGUAGE) -> str:
    """The wanted language if the office offers it and labels exist, else the default."""
    usable = [code for code in offered if code in STRINGS] or [DEFAULT_LANGUAGE]
    if wanted in usable:
        return wanted
    return default if default in usable else usable[0]


def translate(language: str, key: str, **values: Any) -> str:
    """The label for key in language, with {placeholders} filled; the key itself if unknown."""
    table = STRINGS.get(language, STRINGS[DEFAULT_LANGUAGE])
    text = table.get(key) or STRINGS[DEFAULT_LANGUAGE].get(key) or key
    return text.format(**values) if values else text


def local_name(item: Any, language: str) -> str:
    """A service's, category's or counter's name in the page language."""
    if language == "en" and getattr(item, "name_en", ""):
        return item.name_en
    return item.name
