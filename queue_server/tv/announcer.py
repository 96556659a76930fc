"""Turn a call into its caption and one composed MP3 file, cached by its clips."""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from queue_server.platform.config import Config, Counter
from queue_server.platform.events import Event
from sounds import mp3
from sounds.compose import DIGEST_LENGTH, FILE_PREFIX, AudioComposer
from sounds.synth import SynthesisError, espeak_frames
from sounds.text import (
    Announcement,
    CounterFallback,
    build_announcement,
    speak_counter,
    spoken_parts,
)
from sounds.vocabulary import CHIME_KEY, SHIPPED_CLIPS_DIR

log = logging.getLogger(__name__)

PRUNE_EVERY = 100
"""Composing this many call files prunes the cache folder once."""
KEEP_FILES = 500
"""Call files kept: far more than a day's distinct calls need, so they stay cached."""
RECENT_KEPT = 2048
"""Announcements this process can compose on demand: a call and its five parts each."""
NOTICE_CLIP = "maklumat"
"""An office's own recording of the running text: instance/clips/<lang>/maklumat.wav (or .mp3)."""


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
        self.display = config.display
        self._notices: dict[str, tuple[str, str]] = {}
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
                f"{self._clips_dir}/<lang>/<word>.wav or .mp3 (sounds.build.build_clips with "
                f"extra_phrases makes them), or rename the counter")

    def announce(self, number: str, counter: Counter) -> tuple[str, str]:
        """Return the caption and the audio file name; the file is composed after commit."""
        announcement = self.build(number, counter)
        name = self.composer.file_name_for(announcement)
        self._remember(name, announcement)
        return announcement.text, name

    def _remember(self, name: str, announcement: Announcement) -> None:
        with self._lock:
            self._recent[name] = announcement
            self._recent.move_to_end(name)
            while len(self._recent) > RECENT_KEPT:
                self._recent.popitem(last=False)

    def _url(self, clips: tuple[str, ...]) -> str:
        announcement = Announcement("", clips)
        name = self.composer.file_name_for(announcement)
        self._remember(name, announcement)
        return f"/audio/{name}"

    def parts(self, number: str, counter: Counter) -> dict:
        """The call's audio in parts, for a TV that chooses what to say by its backlog.

        {"chime": url or None, "repeats": n, "languages": [{"lang", "full", "short"}]}: the
        TV plays the chime once for a run of calls, always the first language (its short
        form when calls wait behind it) and the other languages and the repeats only while
        its queue is short (display.audio.short_queue). Each url composes on first fetch.
        """
        spoken = spoken_parts(number, counter.name, languages=self.settings.languages,
                              number_style=self.settings.number_style,
                              counter_code=getattr(counter, "code", None),
                              has_clip=self.has_clip)
        return {
            "chime": self._url((CHIME_KEY,)) if self.settings.chime else None,
            "repeats": self.settings.repeats,
            "languages": [{"lang": part.lang, "full": self._url(part.full),
                           "short": self._url(part.short)} for part in spoken],
        }

    def notice(self) -> dict | None:
        """The running text as heard, with how often; None when it is not to be spoken.

        An office's own recording (instance/clips/<lang>/maklumat.wav) wins; otherwise
        espeak-ng reads display.running_text offline, on the first fetch of its url.
        """
        text = " ".join(self.display.running_text.split())
        every = self.display.notice.every_minutes
        if not every or not text or not self.settings.enabled:
            return None
        lang = self.display.language
        recorded = f"{lang}/{NOTICE_CLIP}"
        if self.has_clip(recorded):
            url = self._url((recorded,))
        else:
            digest = hashlib.sha256(json.dumps(["espeak", lang, text]).encode()).hexdigest()
            name = f"{FILE_PREFIX}{digest[:DIGEST_LENGTH]}{mp3.SUFFIX}"
            with self._lock:
                self._notices[name] = (text, lang)
            url = f"/audio/{name}"
        return {"url": url, "every_minutes": every, "lang": lang}

    def audio_path(self, name: str) -> Path | None:
        """The composed file for a name, composing it now if this process announced it."""
        path = self.composer.cached_file(name)  # refuses names that could leave the cache
        if path is not None:
            return path
        with self._lock:
            announcement = self._recent.get(name)
            notice = self._notices.get(name)
        if notice is not None:
            return self._speak_notice(name, *notice)
        if announcement is None:
            return None
        path = self.composer.compose(announcement)
        with self._lock:
            self._composed += 1
            prune = self._composed % PRUNE_EVERY == 0
        if prune:  # keep the cache folder from growing a file per call for ever
            self.composer.prune(keep=KEEP_FILES)
        return path

    def _speak_notice(self, name: str, text: str, lang: str) -> Path | None:
        try:
            frames = espeak_frames(text, lang, timeout=30)
        except SynthesisError as exc:
            log.warning("the running text cannot be spoken: %s", exc)
            return None
        return mp3.write_pcm(self.composer.cache_dir / name, frames)

    def on_event(self, event: Event) -> None:
        """Compose a call's audio right after the displays hear of it.

        The TV fetches the file only after the event reaches it, and the audio route
        composes on demand too, so the displays need not wait for the file.
        """
        if event.name == "ticket_called":
            call = event.payload["call"]
            self.audio_path(call["audio_url"].rsplit("/", 1)[-1])
            counter = next((item for item in self._counters
                            if str(getattr(item, "code", "")) == call["counter"]), None)
            if counter is None:
                return
            parts = self.parts(call["number"], counter)
            urls = [parts["chime"], *(url for part in parts["languages"]
                                      for url in (part["full"], part["short"]))]
            for url in filter(None, urls):
                self.audio_path(url.rsplit("/", 1)[-1])
