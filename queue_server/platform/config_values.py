"""Reading typed values out of config.yaml, with errors that name the key."""
from __future__ import annotations

import re
from typing import Any

CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class ConfigError(ValueError):
    """A config value is wrong; the message names the key."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key


def get_value(section: dict, key: str, path: str, kind, default=None, required=False):
    if key not in section or section[key] is None:
        if required:
            raise ConfigError(f"{path}.{key}" if path else key, "is required")
        return default
    value = section[key]
    full = f"{path}.{key}" if path else key
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(full, f"must be a whole number, got {value!r}")
    if kind is float and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ConfigError(full, f"must be a number, got {value!r}")
    if kind is bool and not isinstance(value, bool):
        raise ConfigError(full, f"must be true or false, got {value!r}")
    if kind is str and not isinstance(value, str):
        raise ConfigError(full, f"must be text, got {value!r}")
    if kind is list and not isinstance(value, list):
        raise ConfigError(full, f"must be a list, got {value!r}")
    if kind is dict and not isinstance(value, dict):
        raise ConfigError(full, f"must be a mapping, got {value!r}")
    return value


def english_list(section: dict, key: str, path: str,
                 originals: tuple[str, ...]) -> tuple[str, ...]:
    """The English names of the list `key`, item by item, from `key_en`; the originals if absent.

    The original (Indonesian) item stays what is stored and sent; the English one is shown.
    """
    english = get_value(section, f"{key}_en", path, list, None)
    if english is None:
        return originals
    if len(english) != len(originals) or not all(isinstance(item, str) for item in english):
        raise ConfigError(f"{path}.{key}_en",
                          f"must be {len(originals)} texts, one for each item of {key}")
    return tuple(english)


def code_value(value: Any, key: str) -> str:
    value = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(value, str) or not CODE.match(value):
        raise ConfigError(key, f"must be 1-32 letters, digits, '-' or '_', got {value!r}")
    return value
