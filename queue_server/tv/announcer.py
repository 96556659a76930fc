"""Turn a call into its caption and one composed audio file, cached by its clips."""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from pathlib import Path

from queue_server.platform.config import Config, Counter
from queue_server.platform.events import Event
from sounds.compose import AudioComposer
from sounds.text import Announcement, build_announcement
from sounds.vocabulary import SHIPPED_CLIPS_DIR

log = logging.getLogger(__name__)

PRUNE_EVERY = 100
"""Composing this many call files prunes the cache folder once."""
KEEP_FILES = 500
"""Call files kept: far more than a day's distinct calls need, so they stay cached."""


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

    def build(self, number: str, counter: Counter) -> Announcement:
        return build_announcement(
            number, counter.name, languages=self.settings.languages,
            number_style=self.settings.number_style, repeats=self.settings.repeats,
            chime=self.settings.chime)

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
