"""Turn a call into its caption and one composed audio file, cached by its clips."""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from queue_server.platform.config import Config, Counter
from queue_server.platform.events import Event
from sounds.compose import AudioComposer
from sounds.text import Announcement, CounterFallback, build_announcement, speak_counter
from sounds.vocabulary import SHIPPED_CLIPS_DIR

log = logging.getLogger(__name__)

PRUNE_EVERY = 100
"""Composing this many call files prunes the cache folder once."""
KEEP_FILES = 500
"""Call files kept: far more than a day's distinct calls need, so they stay cached."""


@dataclass(frozen=True)
class Unspeakable:
    """A counter name with words that have no voice clip in one of the call languages."""

    field: str
    """Where the name is in config.yaml: "counters[3].name"."""
    name: str
    lang: str
    missing: tuple[str, ...]
    """The words without a clip, lower case, in the order they are read."""
    fallback: CounterFallback
    """What calls at this counter say instead (sounds.text.speak_counter)."""


_FALLBACK_TEXT = {
    CounterFallback.SPELLED: "calls will spell those words letter by letter",
    CounterFallback.CODE: "calls will say the counter code instead",
}


class Announcer:
    """Build call announcements from the config's audio settings and compose their files."""

    def __init__(self, config: Config, cache_dir: Path, composer: AudioComposer | None = None):
        self.settings = config.display.audio
        # Clips rebuilt with `queue-server sounds build` live in the instance folder and
        # win; the shipped set fills every gap, so a fresh install speaks at once.
        self.composer = composer or AudioComposer(
            config.instance_dir / "clips", cache_dir, fallback_dir=SHIPPED_CLIPS_DIR,
            stat_ttl=5.0)
        self._recent: OrderedDict[str, Announcement] = OrderedDict()
        self._lock = threading.Lock()
        self._composed = 0
        # A stand-in config with no counters (or a counter with no code) is accepted:
        # there is then nothing to check, and such a name falls back to spelling.
        self._counters = tuple(getattr(config, "counters", {}).values())
        self._clips_dir = config.instance_dir / "clips"
        if getattr(self.settings, "enabled", True):  # say at start-up what the TV cannot say
            for message in self.unspeakable_warnings():
                log.warning(message)

    def has_clip(self, key: str) -> bool:
        """Whether a clip key has a file, in the instance folder or the shipped set."""
        return self.composer.clip_path(key) is not None

    def build(self, number: str, counter: Counter) -> Announcement:
        """The call's caption and clips; words without a clip fall back, never to silence."""
        return build_announcement(
            number, counter.name, languages=self.settings.languages,
            number_style=self.settings.number_style, repeats=self.settings.repeats,
            chime=self.settings.chime, counter_code=getattr(counter, "code", None),
            has_clip=self.has_clip)

    def unspeakable(self) -> list[Unspeakable]:
        """Each counter name, per call language, with words that have no voice clip.

        Only counter names are checked: a call says the counter, never the service, so
        a service name without clips costs the TV nothing.
        """
        found = []
        for index, counter in enumerate(self._counters):
            for lang in self.settings.languages:
                spoken = speak_counter(counter.name, lang, counter_code=counter.code,
                                       has_clip=self.has_clip)
                if spoken.missing:
                    found.append(Unspeakable(f"counters[{index}].name", counter.name, lang,
                                             spoken.missing, spoken.fallback))
        return found

    def unspeakable_warnings(self) -> list[str]:
        """One line per counter name that cannot be spoken in full, naming the words."""
        by_name: dict[tuple[str, str], list[Unspeakable]] = {}
        for item in self.unspeakable():
            by_name.setdefault((item.field, item.name), []).append(item)
        return [f"{field} {name!r}: {self._describe(items)}"
                for (field, name), items in by_name.items()]

    def _describe(self, items: list[Unspeakable]) -> str:
        words: dict[str, list[str]] = {}
        outcomes: dict[CounterFallback, list[str]] = {}
        for item in items:
            outcomes.setdefault(item.fallback, []).append(item.lang)
            for word in item.missing:
                words.setdefault(word, []).append(item.lang)
        missing = ", ".join(f'"{word}" ({", ".join(langs)})' for word, langs in words.items())
        if len(outcomes) == 1:
            outcome = _FALLBACK_TEXT[items[0].fallback]
        else:
            outcome = ", ".join(f"{_FALLBACK_TEXT[fallback]} ({', '.join(langs)})"
                                for fallback, langs in outcomes.items())
        return (f"no voice clip for {missing}; {outcome}. Add a clip for each word as "
                f"{self._clips_dir}/<lang>/<word>.wav (sounds.build.build_clips with "
                f"extra_phrases makes them), or rename the counter")

    def announce(self, number: str, counter: Counter) -> tuple[str, str]:
        """Return the caption and the audio file name; the file is composed after commit."""
        announcement = self.build(number, counter)
        name = self.composer.file_name_for(announcement)
        with self._lock:
            self._recent[name] = announcement
            self._recent.move_to_end(name)
            while len(self._recent) > 256:
                self._recent.popitem(last=False)
        return announcement.text, name

    def audio_path(self, name: str) -> Path | None:
        """The composed file for a name, composing it now if this process announced it."""
        path = self.composer.cached_file(name)  # refuses names that could leave the cache
        if path is not None:
            return path
        with self._lock:
            announcement = self._recent.get(name)
        if announcement is None:
            return None
        path = self.composer.compose(announcement)
        with self._lock:
            self._composed += 1
            prune = self._composed % PRUNE_EVERY == 0
        if prune:  # keep the cache folder from growing a file per call for ever
            self.composer.prune(keep=KEEP_FILES)
        return path

    def on_event(self, event: Event) -> None:
        """Compose a call's audio right after the displays hear of it.

        The TV fetches the file only after the event reaches it, and the audio route
        composes on demand too, so the displays need not wait for the file.
        """
        if event.name == "ticket_called":
            name = event.payload["call"]["audio_url"].rsplit("/", 1)[-1]
            self.audio_path(name)
