"""Reading typed values out of config.yaml, with errors that name the key."""
from __future__ import annotations

import difflib
import re
from typing import Any

CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class ConfigError(ValueError):
    """A config value is wrong; the message names the key (and the file, once known)."""

    file: str | None = None
    """The config file, set by read_config: str() then starts with it."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.file}: {text}" if self.file else text


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


class UnknownKeyError(ConfigError):
    """A key no reader of config.yaml knows: a misspelling, or a setting that does not exist.

    Silently ignoring it would let an office believe a setting is on when it is not.
    """

    def __init__(self, key: str, suggestion: str | None, known: list[str]):
        if suggestion is not None:
            hint = f"did you mean {suggestion}?"
        else:
            hint = f"known here: {', '.join(known)}" if known else "nothing is read here"
        ValueError.__init__(self, f"unknown key {key} ({hint})")
        self.key = key
        self.message = f"unknown key ({hint})"
        self.suggestion = suggestion


def _child(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


class TrackedMapping(dict):
    """A mapping of config.yaml that remembers which keys its readers looked up.

    A key a reader asks for (get, [], in) is a known key, present or not; a reader that
    goes through every key (a mapping of names the office chooses, such as printers)
    knows them all. So the readers' own lookups define the known keys, and a subsystem
    that reads a new key makes it known without any list to update.
    """

    def __init__(self, items: dict, path: str):
        super().__init__(items)
        self.path = path
        self.looked_up: set = set()
        self.listed = False

    def __getitem__(self, key):
        self.looked_up.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.looked_up.add(key)
        return super().get(key, default)

    def __contains__(self, key) -> bool:
        self.looked_up.add(key)
        return super().__contains__(key)

    def __iter__(self):
        self.listed = True
        return super().__iter__()

    def keys(self):
        self.listed = True
        return super().keys()

    def items(self):
        self.listed = True
        return super().items()

    def values(self):
        self.listed = True
        return super().values()

    def unknown(self) -> list[UnknownKeyError]:
        """The keys present here that no reader looked up, each with its closest known key."""
        if self.listed:
            return []
        known = sorted(str(key) for key in self.looked_up)
        found = []
        for key in dict.keys(self):
            if key in self.looked_up:
                continue
            close = difflib.get_close_matches(str(key), known, n=1)
            found.append(UnknownKeyError(_child(self.path, key),
                                         _child(self.path, close[0]) if close else None, known))
        return found


class TrackedDocument:
    """A loaded config.yaml whose mappings remember their readers' lookups."""

    def __init__(self, data: dict):
        self.mappings: dict[str, TrackedMapping] = {}
        self.root = self._track(data, "")

    def _track(self, value: Any, path: str) -> Any:
        if isinstance(value, dict):
            mapping = TrackedMapping({key: self._track(item, _child(path, key))
                                      for key, item in value.items()}, path)
            self.mappings[path] = mapping
            return mapping
        if isinstance(value, list):
            return [self._track(item, f"{path}[{index}]") for index, item in enumerate(value)]
        return value

    def check_known(self) -> None:
        """Raise UnknownKeyError for the first key (in file order) no reader looked up."""
        self._check(self.root)

    def _check(self, value: Any) -> None:
        if isinstance(value, TrackedMapping):
            unknown = value.unknown()
            if unknown:
                raise unknown[0]
            for item in dict.values(value):
                self._check(item)
        elif isinstance(value, list):
            for item in value:
                self._check(item)

    def misspelling_of(self, error: ConfigError) -> UnknownKeyError | None:
        """The unknown key a reader's error comes from when the key the error names is
        missing and a present key is one slip away from it (`name: is required` because
        `nmae:` was written), else None. Only close slips count: at the time of the error
        later readers have not yet looked up their keys."""
        parent, _, leaf = error.key.rpartition(".")
        mapping = self.mappings.get(parent)
        if mapping is None or mapping.listed:
            return None
        # The key the error names, if it is missing; else any key the readers looked up
        # there and did not find (`requirements_en` is refused because `requirement:` hid
        # the `requirements` it pairs with).
        wanted = [leaf] if not dict.__contains__(mapping, leaf) else [
            str(key) for key in mapping.looked_up if not dict.__contains__(mapping, key)]
        slips = [(difflib.SequenceMatcher(None, str(key), name).ratio(), str(key), name)
                 for key in dict.keys(mapping) if key not in mapping.looked_up
                 for name in wanted if abs(len(str(key)) - len(name)) <= 1]
        ratio, key, name = max(slips, default=(0.0, "", ""))
        if ratio < 0.75:
            return None
        return UnknownKeyError(_child(parent, key), _child(parent, name),
                               sorted(str(known) for known in mapping.looked_up))
